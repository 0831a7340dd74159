//! Species chosen from what the photo shows: the main colour decides which species may wear it
//! (no black panther with a red coat, no snowy owl with jet plumage), the palette's colour
//! families and the photo's pattern tilt the odds among those, and chance keeps re-rolls varied.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::mood::{Mood, Tone};
use super::pattern::Pattern;
use crate::domain::body_plan::{BodyPlan, body_plan};
use Affinity::{Dark as DarkShare, Green as GreenShare, Grey as GreyShare, Light as LightShare};
use Affinity::{Vivid, Warm as WarmShare};
use Pattern::{Patches, Solid, Spots, Stripes};
use Tone::{Blue, Dark, Green, Grey, Light, Pink, Purple, Red, Warm};

/// A palette quality that makes a species more likely.
#[derive(Clone, Copy, Debug)]
enum Affinity {
    Warm,
    Grey,
    Vivid,
    Green,
    Dark,
    Light,
}

impl Affinity {
    fn share(self, mood: &Mood) -> f32 {
        match self {
            Affinity::Warm => mood.warm,
            Affinity::Grey => mood.grey,
            Affinity::Vivid => mood.vivid,
            Affinity::Green => mood.green,
            Affinity::Dark => mood.dark,
            Affinity::Light => mood.light,
        }
    }
}

/// A species of the table, with what it may look like.
#[derive(Debug)]
pub(super) struct Species {
    /// As it reads mid-sentence: "red fox", "Dutch angel dragon".
    pub name: &'static str,
    weight: f32,
    /// The tones its main coat may have; any other main colour rules it out.
    coats: &'static [Tone],
    /// Patterns it is known for: a photo showing one makes it likelier.
    patterns: &'static [Pattern],
    affinities: &'static [Affinity],
}

/// A palette that fully matches an affinity makes the species this many times likelier...
const PULL: f32 = 4.0;
/// ...and a photo showing a pattern it is known for, this many times.
const PATTERN_PULL: f32 = 7.0;

impl Species {
    fn weight_for(&self, mood: &Mood, pattern: Pattern) -> f32 {
        let fit = self
            .affinities
            .iter()
            .map(|affinity| affinity.share(mood))
            .fold(0.0, f32::max);
        let patterned = if self.patterns.contains(&pattern) {
            PATTERN_PULL
        } else {
            1.0
        };
        self.weight * (1.0 + PULL * fit.clamp(0.0, 1.0)) * patterned
    }
}

const fn species(
    name: &'static str,
    weight: f32,
    coats: &'static [Tone],
    patterns: &'static [Pattern],
    affinities: &'static [Affinity],
) -> Species {
    Species {
        name,
        weight,
        coats,
        patterns,
        affinities,
    }
}

const SPECIES: &[Species] = &[
    // Fandom originals
    species(
        "protogen",
        6.0,
        &[Blue, Purple, Dark, Green, Pink, Grey],
        &[Solid],
        &[Vivid, DarkShare],
    ),
    species(
        "synth",
        3.0,
        &[Blue, Purple, Green, Grey, Pink, Red],
        &[Solid, Stripes],
        &[Vivid],
    ),
    species(
        "sergal",
        5.0,
        &[Grey, Light, Blue],
        &[Solid, Patches],
        &[GreyShare, LightShare],
    ),
    species(
        "avali",
        4.0,
        &[Blue, Purple, Light, Green, Pink],
        &[Patches],
        &[Vivid, LightShare],
    ),
    species(
        "wickerbeast",
        3.0,
        &[Blue, Purple, Grey, Light, Green],
        &[Solid],
        &[Vivid, GreyShare],
    ),
    species(
        "Dutch angel dragon",
        4.0,
        &[Light, Purple, Blue, Green, Pink],
        &[Patches],
        &[LightShare, Vivid],
    ),
    species(
        "kitsune",
        4.0,
        &[Warm, Red, Light, Purple, Pink],
        &[Patches],
        &[WarmShare, LightShare],
    ),
    species(
        "manokit",
        2.0,
        &[Purple, Blue, Green, Pink],
        &[Spots, Patches],
        &[Vivid],
    ),
    species(
        "kobold",
        2.0,
        &[Green, Warm, Red, Blue],
        &[Spots],
        &[GreenShare, WarmShare],
    ),
    // Canines
    species("red fox", 6.0, &[Warm, Red], &[Patches], &[WarmShare]),
    species("arctic fox", 4.0, &[Light, Grey], &[Solid], &[LightShare]),
    species(
        "fennec fox",
        3.0,
        &[Warm, Light],
        &[Solid, Patches],
        &[WarmShare, LightShare],
    ),
    species(
        "grey wolf",
        6.0,
        &[Grey, Light],
        &[Solid, Patches],
        &[GreyShare],
    ),
    species(
        "timber wolf",
        3.0,
        &[Grey, Warm, Dark],
        &[Patches],
        &[GreyShare, DarkShare],
    ),
    species(
        "husky",
        4.0,
        &[Grey, Light, Dark],
        &[Patches],
        &[GreyShare, LightShare],
    ),
    species("maned wolf", 2.0, &[Warm, Red], &[Patches], &[WarmShare]),
    species(
        "border collie",
        3.0,
        &[Dark, Light],
        &[Patches],
        &[DarkShare, LightShare],
    ),
    species(
        "corgi",
        3.0,
        &[Warm, Red],
        &[Patches],
        &[WarmShare, LightShare],
    ),
    // Felines
    species(
        "lynx",
        3.0,
        &[Warm, Grey],
        &[Spots, Stripes],
        &[WarmShare, GreyShare],
    ),
    species(
        "snow leopard",
        3.0,
        &[Light, Grey],
        &[Spots],
        &[LightShare, GreyShare],
    ),
    species(
        "house cat",
        4.0,
        &[Warm, Grey, Dark, Light, Red],
        &[Patches, Stripes],
        &[GreyShare],
    ),
    species(
        "tabby cat",
        4.0,
        &[Warm, Grey],
        &[Stripes],
        &[WarmShare, GreyShare],
    ),
    species("tiger", 3.0, &[Warm, Red, Light], &[Stripes], &[WarmShare]),
    species("black panther", 3.0, &[Dark], &[Solid], &[DarkShare]),
    // Dragons and reptiles
    species(
        "western dragon",
        5.0,
        &[Red, Green, Blue, Purple, Warm],
        &[Solid, Spots],
        &[Vivid, GreenShare],
    ),
    species("black dragon", 2.0, &[Dark], &[Solid], &[DarkShare]),
    species(
        "eastern dragon",
        3.0,
        &[Green, Blue, Red, Warm],
        &[Stripes, Solid],
        &[GreenShare, Vivid],
    ),
    // Birds
    species("raven", 3.0, &[Dark], &[Solid], &[DarkShare]),
    species("crow", 2.0, &[Dark], &[Solid], &[DarkShare]),
    species("snowy owl", 2.0, &[Light], &[Spots], &[LightShare]),
    species(
        "barn owl",
        2.0,
        &[Warm, Light],
        &[Spots],
        &[WarmShare, LightShare],
    ),
    species(
        "gryphon",
        3.0,
        &[Warm, Light, Grey],
        &[Patches],
        &[WarmShare],
    ),
    // Everyone else
    species(
        "river otter",
        4.0,
        &[Warm, Dark],
        &[Solid],
        &[WarmShare, DarkShare],
    ),
    species(
        "spotted hyena",
        3.0,
        &[Warm, Grey],
        &[Spots],
        &[WarmShare, GreyShare],
    ),
    species(
        "rabbit",
        4.0,
        &[Grey, Light, Warm, Dark],
        &[Solid, Patches],
        &[LightShare],
    ),
    species("deer", 3.0, &[Warm, Red], &[Spots], &[WarmShare]),
    species("red panda", 4.0, &[Warm, Red], &[Patches], &[WarmShare]),
    species(
        "raccoon",
        3.0,
        &[Grey, Dark],
        &[Stripes, Patches],
        &[GreyShare, DarkShare],
    ),
    species("skunk", 2.0, &[Dark], &[Stripes, Patches], &[DarkShare]),
    species("fruit bat", 2.0, &[Dark, Warm], &[Solid], &[DarkShare]),
    species("shark", 3.0, &[Grey, Blue], &[Solid], &[GreyShare, Vivid]),
    species("orca", 2.0, &[Dark], &[Patches], &[DarkShare, LightShare]),
];

/// Every species name this generator can choose, for code that must cover them all (the body
/// plans test that each has its own plan, the drawings that each draws).
pub fn names() -> impl Iterator<Item = &'static str> {
    SPECIES.iter().map(|s| s.name)
}

/// The species a fursona is: its name as it reads mid-sentence, and its body plan.
#[derive(Clone, Debug)]
pub(super) struct Chosen {
    pub name: String,
    pub plan: BodyPlan,
}

impl Chosen {
    fn of(name: &str) -> Self {
        Chosen {
            name: name.to_owned(),
            plan: body_plan(name),
        }
    }

    /// A species someone kept: the table's own spelling when it is one of ours ("Red fox" reads
    /// "red fox" mid-sentence), else their text as written.
    pub fn kept(text: &str) -> Self {
        let text = text.trim();
        SPECIES
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(text))
            .map_or_else(|| Chosen::of(text), |s| Chosen::of(s.name))
    }

    /// As a heading: "Red fox".
    pub fn title(&self) -> String {
        let mut chars = self.name.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }

    /// "a red fox", "an arctic fox".
    pub fn with_article(&self) -> String {
        format!("{} {}", super::placement::article(&self.name), self.name)
    }
}

/// A random species whose coat may be `main`, likelier the better it suits the palette and the
/// pattern, and having every part in `needs` (the parts a kept palette or kept markings name)
/// when any species has them all.
pub(super) fn choose(
    main: Tone,
    mood: &Mood,
    pattern: Pattern,
    needs: &[&str],
    rng: &mut impl Rng,
) -> Chosen {
    let wearable: Vec<&Species> = SPECIES.iter().filter(|s| s.coats.contains(&main)).collect();
    let fitting: Vec<&Species> = wearable
        .iter()
        .copied()
        .filter(|s| {
            let parts = body_plan(s.name).parts();
            needs.iter().all(|need| parts.contains(need))
        })
        .collect();
    let candidates = if fitting.is_empty() {
        &wearable
    } else {
        &fitting
    };
    let species = candidates
        .choose_weighted(rng, |s| s.weight_for(mood, pattern))
        .map_or("house cat", |s| s.name);
    Chosen::of(species)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn frequency(main: Tone, mood: &Mood, pattern: Pattern, names: &[&str]) -> usize {
        let mut rng = StdRng::seed_from_u64(7);
        (0..2000)
            .filter(|_| names.contains(&choose(main, mood, pattern, &[], &mut rng).name.as_str()))
            .count()
    }

    #[test]
    fn every_tone_has_several_species() {
        for tone in [Dark, Light, Grey, Red, Warm, Green, Blue, Purple, Pink] {
            let count = SPECIES.iter().filter(|s| s.coats.contains(&tone)).count();
            assert!(count >= 4, "{tone:?}: {count}");
        }
    }

    #[test]
    fn stripes_favour_striped_species() {
        let mood = Mood {
            warm: 0.9,
            ..Mood::default()
        };
        let striped = ["tabby cat", "tiger", "lynx"];
        assert!(
            frequency(Warm, &mood, Stripes, &striped) > frequency(Warm, &mood, Solid, &striped) * 2
        );
    }

    #[test]
    fn a_dark_coat_is_never_a_snowy_owl_and_a_red_coat_never_a_panther() {
        let mood = Mood::default();
        assert_eq!(
            frequency(Dark, &mood, Solid, &["snowy owl", "arctic fox"]),
            0
        );
        assert_eq!(frequency(Red, &mood, Solid, &["black panther", "raven"]), 0);
    }

    #[test]
    fn kept_parts_rule_out_species_without_them() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..200 {
            let chosen = choose(Warm, &Mood::default(), Patches, &["wings"], &mut rng);
            assert!(chosen.plan.parts().contains(&"wings"), "{}", chosen.name);
        }
    }

    #[test]
    fn randomness_survives_a_strong_nudge() {
        let grey = Mood {
            grey: 1.0,
            ..Mood::default()
        };
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen: Vec<_> = (0..300)
            .map(|_| choose(Grey, &grey, Solid, &[], &mut rng).name)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() > 8, "{seen:?}");
    }

    #[test]
    fn kept_species_read_naturally() {
        assert_eq!(Chosen::kept("Arctic fox").with_article(), "an arctic fox");
        assert_eq!(Chosen::kept("Arctic fox").title(), "Arctic fox");
        assert_eq!(Chosen::kept("  Sea dragon ").name, "Sea dragon");
        for species in SPECIES {
            assert!(species.name.len() <= 80 && species.weight > 0.0);
        }
    }
}
