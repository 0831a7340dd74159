//! Where each palette colour goes: only on parts the species' body plan has, the largest colour
//! on the covering, large colours on large parts (half the photo is never a "fringe streak"),
//! lighter colours towards the belly and muzzle, darker ones towards the paws and tips, and the
//! photo's pattern (stripes, spots, patches) on the colour that draws it.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::dominant::PhotoColour;
use super::pattern::Pattern;

/// A colour this much lighter or darker (Lab L*) than the main one counts as light or dark.
const LIGHTNESS_STEP: f32 = 10.0;
/// A colour covering this much of the photo goes on a large part...
const LARGE_SHARE: f32 = 0.2;
/// ...this much, on a part of at least medium size.
const MEDIUM_SHARE: f32 = 0.06;
/// The pattern needs a colour that is really there to draw it.
const PATTERN_SHARE: f32 = 0.05;

/// How much of the body a part is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Size {
    Small,
    Medium,
    Large,
}

/// Which colours a part suits: lighter ones, darker ones, or any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lean {
    Light,
    Dark,
    Any,
}

/// What the generator knows of each part word of `domain::body_plan`.
fn traits(part: &str) -> (Size, Lean) {
    use Lean::{Any, Dark, Light};
    use Size::{Large, Medium, Small};
    match part {
        "back" | "flanks" | "wings" | "mane" => (Large, Any),
        "belly" => (Large, Light),
        "chest" | "ruff" | "face" => (Medium, Light),
        "head" | "tail" | "tails" | "ears" | "fur" => (Medium, Any),
        "legs" | "visor" | "dorsal fin" => (Medium, Dark),
        "muzzle" | "inner ears" | "cheeks" | "whiskers" => (Small, Light),
        "paws" | "hooves" | "talons" | "claws" | "hands" | "ear tips" | "nose" | "ear tufts" => {
            (Small, Dark)
        }
        _ => (Small, Any),
    }
}

/// Parts the photo's pattern can lie on, best first.
const PATTERNED: &[&str] = &["back", "flanks", "wings", "tail", "legs", "tails"];

/// One colour's part, and the pattern it draws there if it is the pattern's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placed {
    pub part: &'static str,
    pub pattern: Option<Pattern>,
}

/// A distinct part of `parts` (the plan's, covering first) for each colour, largest first.
pub(super) fn place(
    colours: &[PhotoColour],
    parts: &[&'static str],
    pattern: Pattern,
    rng: &mut impl Rng,
) -> Vec<Placed> {
    let Some((main, rest)) = colours.split_first() else {
        return Vec::new();
    };
    let covering = parts.first().copied().unwrap_or("coat");
    let mut free: Vec<&'static str> = parts.iter().skip(1).copied().collect();
    let mut placed = vec![Placed {
        part: covering,
        pattern: None,
    }];
    let carrier = (pattern != Pattern::Solid)
        .then(|| rest.iter().position(|c| c.share >= PATTERN_SHARE))
        .flatten();
    for (index, colour) in rest.iter().enumerate() {
        if Some(index) == carrier
            && let Some(part) = PATTERNED.iter().find(|p| free.contains(p)).copied()
        {
            free.retain(|p| *p != part);
            placed.push(Placed {
                part,
                pattern: Some(pattern),
            });
            continue;
        }
        let part = pick(colour, main, &free, rng).unwrap_or(covering);
        free.retain(|p| *p != part);
        placed.push(Placed {
            part,
            pattern: None,
        });
    }
    placed
}

/// A free part of the colour's size, likelier when it suits the colour's lightness.
fn pick(
    colour: &PhotoColour,
    main: &PhotoColour,
    free: &[&'static str],
    rng: &mut impl Rng,
) -> Option<&'static str> {
    let lean = if colour.lightness() > main.lightness() + LIGHTNESS_STEP {
        Lean::Light
    } else if colour.lightness() < main.lightness() - LIGHTNESS_STEP {
        Lean::Dark
    } else {
        Lean::Any
    };
    let sizes: &[Size] = if colour.share >= LARGE_SHARE {
        &[Size::Large, Size::Medium]
    } else if colour.share >= MEDIUM_SHARE {
        &[Size::Medium, Size::Large]
    } else {
        &[Size::Small, Size::Medium]
    };
    // The preferred size if any part of it is free, else the next, else anything.
    let of_size = |size: Size| -> Vec<&'static str> {
        free.iter()
            .copied()
            .filter(|p| traits(p).0 == size)
            .collect()
    };
    let choices = sizes
        .iter()
        .map(|&size| of_size(size))
        .find(|parts| !parts.is_empty())
        .unwrap_or_else(|| free.to_vec());
    choices
        .choose_weighted(rng, |part| {
            let suits = traits(part).1;
            if suits == lean {
                4.0
            } else if suits == Lean::Any || lean == Lean::Any {
                1.5
            } else {
                0.2
            }
        })
        .ok()
        .copied()
}

pub(super) fn article(word: &str) -> &'static str {
    if word.to_lowercase().starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::dominant::to_lab;
    use crate::domain::body_plan::body_plan;
    use palette::Srgb;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn colour(r: u8, g: u8, b: u8, share: f32) -> PhotoColour {
        let srgb = Srgb::new(r, g, b);
        PhotoColour {
            srgb,
            lab: to_lab(srgb),
            share,
        }
    }

    #[test]
    fn every_colour_gets_its_own_part_of_the_plan() {
        let colours = [
            colour(150, 100, 60, 0.4),
            colour(240, 230, 210, 0.2),
            colour(30, 25, 20, 0.15),
            colour(20, 90, 240, 0.1),
            colour(160, 110, 70, 0.1),
            colour(90, 60, 30, 0.05),
        ];
        let mut rng = StdRng::seed_from_u64(1);
        for species in ["raven", "shark", "kobold", "tiger", "protogen", "deer"] {
            let parts = body_plan(species).parts();
            for pattern in [Pattern::Solid, Pattern::Stripes, Pattern::Spots] {
                let placed = place(&colours, &parts, pattern, &mut rng);
                let mut names: Vec<_> = placed.iter().map(|p| p.part).collect();
                assert!(
                    names.iter().all(|n| parts.contains(n)),
                    "{species}: {names:?}"
                );
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), colours.len(), "{species}");
            }
        }
    }

    #[test]
    fn half_the_photo_goes_on_a_large_part_and_carries_the_pattern() {
        let colours = [
            colour(200, 80, 20, 0.5),
            colour(240, 240, 240, 0.45),
            colour(20, 20, 20, 0.05),
        ];
        let parts = body_plan("red fox").parts();
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..50 {
            let placed = place(&colours, &parts, Pattern::Solid, &mut rng);
            assert_eq!(traits(placed[1].part).0, Size::Large, "{placed:?}");
            let placed = place(&colours, &parts, Pattern::Stripes, &mut rng);
            assert_eq!(placed[1].pattern, Some(Pattern::Stripes));
        }
    }

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(article("amber"), "an");
        assert_eq!(article("rust"), "a");
    }
}
