//! The offline fursona generator, used when no AI key is configured.
//!
//! It looks at what can be measured in the photo, never at what the photo shows: the palette
//! (k-means in CIE Lab, deterministic per image), the colour families and how much of the photo
//! each covers, and the pattern (stripes, spots, patches or a solid field). The species is
//! chosen to fit those, colours go only on parts that species has, and the words come from
//! curated tables with the caller's rng. Fields a re-roll keeps are facts the rest must fit: a
//! kept species decides the parts, a kept palette the colours (and rules out species without
//! the parts it names), a kept name and personality appear in the story.

mod backstory;
mod colour_names;
mod dominant;
mod markings;
mod mood;
mod names;
mod pattern;
mod personality;
mod placement;
pub(crate) mod species;

use rand::seq::IndexedRandom;

use crate::domain::body_plan::body_plan;
use crate::domain::fursona::{Fursona, Kept, Swatch};

use backstory::{Hero, Looks};
use dominant::PhotoColour;
use markings::Worn;
use mood::{Mood, Tone};
use pattern::Pattern;
use placement::Placed;
use species::Chosen;

pub use species::names as species_names;

/// An accent must be strongly coloured and clearly more so than the main colour.
const ACCENT_CHROMA: f32 = 35.0;
const ACCENT_OVER_MAIN: f32 = 10.0;

/// Parts a story may mention as a feature, when the species has them.
const FEATURES: &[&str] = &[
    "ears",
    "tail",
    "tails",
    "wings",
    "mane",
    "antlers",
    "horns",
    "visor",
    "ear tufts",
    "crest",
    "whiskers",
    "dorsal fin",
    "frills",
];

/// A complete fursona for the photo: the palette always follows `sample`, everything else
/// varies with `rng`. The result always passes [`Fursona::validated`].
pub fn compose(sample: &image::RgbImage, rng: &mut impl rand::Rng) -> Fursona {
    compose_keeping(sample, &Kept::default(), rng)
}

/// [`compose`] for a re-roll: the kept fields are exactly `kept`'s, the others made to fit them.
pub fn compose_keeping(sample: &image::RgbImage, kept: &Kept, rng: &mut impl rand::Rng) -> Fursona {
    let photo = dominant::colours(sample);
    let pattern = pattern::of(sample, &photo);
    kept.apply(dress(&photo, pattern, kept, rng))
}

/// Everything but measuring the photo: split out so tests can try many seeds on one photo
/// without re-clustering it each time.
fn dress(
    photo: &[PhotoColour],
    pattern: Pattern,
    kept: &Kept,
    rng: &mut impl rand::Rng,
) -> Fursona {
    let colours = kept
        .palette
        .as_deref()
        .map(dominant::from_swatches)
        .filter(|colours| !colours.is_empty())
        .unwrap_or_else(|| photo.to_vec());
    let titles: Vec<String> = match &kept.palette {
        Some(palette) if palette.len() == colours.len() => {
            palette.iter().map(|s| s.name.clone()).collect()
        }
        _ => colour_names::name_colours(&colours)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    let mood = Mood::of(&colours);
    let needs = kept_parts(kept);
    let species = kept.species.as_deref().map_or_else(
        || {
            let main = colours.first().map_or(Tone::Grey, Tone::of);
            species::choose(main, &mood, pattern, &needs, rng)
        },
        Chosen::kept,
    );
    let parts = species.plan.parts();
    let placed: Vec<Placed> = placement::place(&colours, &parts, pattern, rng);
    let lower: Vec<String> = titles.iter().map(|t| t.to_lowercase()).collect();
    let kept_places: Option<Vec<String>> = kept
        .palette
        .as_ref()
        .filter(|p| p.len() == colours.len())
        .map(|p| p.iter().map(|s| s.placement.to_lowercase()).collect());
    let accent = accent(&colours);
    let worn: Vec<Worn<'_>> = lower
        .iter()
        .zip(&placed)
        .enumerate()
        .map(|(index, (name, placed))| Worn {
            name,
            part: kept_places
                .as_ref()
                .and_then(|places| places.get(index))
                .map_or(placed.part, String::as_str),
            pattern: if kept_places.is_some() {
                None
            } else {
                placed.pattern
            },
            accent: Some(index) == accent,
        })
        .collect();

    let personality = kept
        .personality
        .clone()
        .unwrap_or_else(|| personality::choose(&mood, rng));
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let name = kept
        .name
        .clone()
        .unwrap_or_else(|| names::compose(rng, species.plan.covering, &title_refs, &personality));
    let backstory = kept.backstory.clone().unwrap_or_else(|| {
        let features: Vec<&str> = FEATURES
            .iter()
            .copied()
            .filter(|f| parts.contains(f))
            .collect();
        let hero = Hero {
            name: &name,
            species: &species,
            personality_trait: personality.first().map_or("curious", String::as_str),
            looks: Looks {
                colour: lower.first().map_or("grey", String::as_str),
                covering: parts.first().copied().unwrap_or("coat"),
                feature: features.choose(rng).copied().unwrap_or("eyes"),
            },
        };
        backstory::compose(rng, &hero)
    });
    let markings = kept
        .markings
        .clone()
        .unwrap_or_else(|| markings::describe(&worn, rng));
    let eye_color = kept
        .eye_color
        .clone()
        .unwrap_or_else(|| markings::eyes(&worn, species.plan.covering, rng));

    Fursona {
        palette: colours
            .iter()
            .zip(&titles)
            .zip(&worn)
            .map(|((colour, title), worn)| Swatch {
                name: title.clone(),
                hex: colour.hex(),
                placement: worn.part.to_owned(),
            })
            .collect(),
        markings,
        eye_color,
        species: species.title(),
        name,
        personality,
        backstory,
    }
}

/// The colour that stands out: the most vivid, if clearly more vivid than the main one.
fn accent(colours: &[PhotoColour]) -> Option<usize> {
    let main = colours.first()?;
    colours
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| {
            c.chroma() >= ACCENT_CHROMA && c.chroma() >= main.chroma() + ACCENT_OVER_MAIN
        })
        .max_by(|a, b| a.1.chroma().total_cmp(&b.1.chroma()))
        .map(|(index, _)| index)
}

/// The body parts a kept palette or kept markings name, which a new species must have. The
/// coverings are left out: an old "main fur" must not demand a protogen's fur.
fn kept_parts(kept: &Kept) -> Vec<&'static str> {
    let mut text = kept.markings.clone().unwrap_or_default().to_lowercase();
    for swatch in kept.palette.iter().flatten() {
        text.push(' ');
        text.push_str(&swatch.placement.to_lowercase());
    }
    if text.trim().is_empty() {
        return Vec::new();
    }
    let coverings = ["coat", "scales", "plumage", "hide", "plating", "fur"];
    let mut needs: Vec<&'static str> = species_names()
        .flat_map(|name| body_plan(name).parts())
        .filter(|part| !coverings.contains(part) && mentions(&text, part))
        .collect();
    needs.sort_unstable();
    needs.dedup();
    needs
}

/// True when `text` holds `phrase` as whole words.
fn mentions(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};
    use palette::color_difference::Ciede2000;
    use palette::{FromColor, Srgb};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn seeded(seed: u64) -> StdRng {
        StdRng::seed_from_u64(seed)
    }

    fn chelsea() -> RgbImage {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/photos/chelsea.png"
        );
        let photo = image::open(path)
            .expect("the chelsea fixture decodes")
            .to_rgb8();
        let scale = 128.0 / photo.width().max(photo.height()) as f32;
        let (width, height) = (
            (photo.width() as f32 * scale).round() as u32,
            (photo.height() as f32 * scale).round() as u32,
        );
        image::imageops::thumbnail(&photo, width, height)
    }

    fn half_red_half_blue() -> RgbImage {
        RgbImage::from_fn(64, 48, |x, _| {
            if x < 32 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        })
    }

    fn edge_cases() -> Vec<(&'static str, RgbImage)> {
        vec![
            ("1x1", RgbImage::from_pixel(1, 1, Rgb([90, 140, 200]))),
            ("flat", RgbImage::from_pixel(64, 64, Rgb([200, 120, 40]))),
            ("black", RgbImage::from_pixel(32, 32, Rgb([0, 0, 0]))),
            ("white", RgbImage::from_pixel(32, 32, Rgb([255, 255, 255]))),
            ("two colours", half_red_half_blue()),
            (
                "black and white",
                RgbImage::from_fn(20, 20, |x, y| Rgb([((x + y) % 2 * 255) as u8; 3])),
            ),
            (
                "gradient",
                RgbImage::from_fn(128, 96, |x, y| Rgb([(x * 2) as u8, (y * 2) as u8, 128])),
            ),
        ]
    }

    fn lab(hex: &str) -> palette::Lab {
        let srgb: Srgb<u8> = hex.parse().expect("a #rrggbb hex");
        dominant::to_lab(srgb)
    }

    fn hexes(fursona: &Fursona) -> Vec<&str> {
        fursona.palette.iter().map(|s| s.hex.as_str()).collect()
    }

    fn assert_valid(fursona: &Fursona, label: &str) {
        let valid = fursona.clone().validated();
        assert_eq!(valid.as_ref(), Ok(fursona), "{label}");
        assert!(
            fursona.backstory.chars().count() < 600,
            "{label}: {}",
            fursona.backstory
        );
    }

    #[test]
    fn every_seed_gives_a_valid_fursona_for_every_kind_of_image() {
        let mut images = edge_cases();
        images.push(("chelsea", chelsea()));
        for (label, image) in &images {
            // The palette does not depend on the seed: cluster once, then try many seeds.
            let colours = dominant::colours(image);
            let pattern = pattern::of(image, &colours);
            let none = Kept::default();
            for seed in 0..3 {
                let fursona = compose(image, &mut seeded(seed));
                assert_eq!(
                    fursona,
                    dress(&colours, pattern, &none, &mut seeded(seed)),
                    "{label}"
                );
            }
            for seed in 0..200 {
                assert_valid(
                    &dress(&colours, pattern, &none, &mut seeded(seed)),
                    &format!("{label}, seed {seed}"),
                );
            }
        }
    }

    #[test]
    fn swatch_names_and_places_are_unique() {
        for (label, image) in edge_cases() {
            let colours = dominant::colours(&image);
            let pattern = pattern::of(&image, &colours);
            for seed in 0..50 {
                let fursona = dress(&colours, pattern, &Kept::default(), &mut seeded(seed));
                for (i, a) in fursona.palette.iter().enumerate() {
                    for b in &fursona.palette[i + 1..] {
                        assert_ne!(a.name, b.name, "{label}: {:?}", fursona.palette);
                        assert_ne!(a.placement, b.placement, "{label}: {:?}", fursona.palette);
                    }
                }
            }
        }
    }

    #[test]
    fn flat_images_still_get_three_swatches_led_by_their_colour() {
        let image = RgbImage::from_pixel(40, 40, Rgb([200, 120, 40]));
        let fursona = compose(&image, &mut seeded(1));
        assert!(fursona.palette.len() >= 3);
        assert_eq!(fursona.palette[0].hex, "#c87828");
    }

    #[test]
    fn the_palette_follows_a_red_and_blue_photo() {
        let fursona = compose(&half_red_half_blue(), &mut seeded(3));
        for target in ["#ff0000", "#0000ff"] {
            let nearest = fursona
                .palette
                .iter()
                .map(|s| lab(&s.hex).difference(lab(target)))
                .fold(f32::MAX, f32::min);
            assert!(nearest < 5.0, "{target} missing from {:?}", fursona.palette);
        }
    }

    #[test]
    fn a_ginger_tabby_gets_a_warm_brown_dominant_colour() {
        let fursona = compose(&chelsea(), &mut seeded(1));
        let main = lab(&fursona.palette[0].hex);
        let lch = palette::Lch::from_color(main);
        let hue = lch.hue.into_positive_degrees();
        assert!(
            (25.0..95.0).contains(&hue),
            "hue {hue}: {:?}",
            fursona.palette
        );
        assert!(
            lch.chroma > 12.0,
            "chroma {}: {:?}",
            lch.chroma,
            fursona.palette
        );
    }

    #[test]
    fn seeds_change_the_character_but_never_the_palette() {
        let photo = chelsea();
        let fursonas: Vec<Fursona> = (0..6)
            .map(|seed| compose(&photo, &mut seeded(seed)))
            .collect();
        for other in &fursonas[1..] {
            assert_eq!(hexes(other), hexes(&fursonas[0]));
            assert_ne!(other.backstory, fursonas[0].backstory);
        }
        let distinct = |field: fn(&Fursona) -> &str| {
            let mut values: Vec<&str> = fursonas.iter().map(field).collect();
            values.sort_unstable();
            values.dedup();
            values.len()
        };
        assert!(distinct(|f| f.name.as_str()) >= 5);
        assert!(distinct(|f| f.species.as_str()) >= 3);
    }

    #[test]
    fn markings_name_every_palette_colour_in_lower_case() {
        let photo = chelsea();
        let colours = dominant::colours(&photo);
        let pattern = pattern::of(&photo, &colours);
        for seed in 0..30 {
            let fursona = dress(&colours, pattern, &Kept::default(), &mut seeded(seed));
            for swatch in &fursona.palette {
                let name = swatch.name.to_lowercase();
                assert!(
                    mentions(&fursona.markings.to_lowercase(), &name),
                    "{}: {name}",
                    fursona.markings
                );
            }
        }
    }

    #[test]
    fn print_two_examples_for_chelsea() {
        let photo = chelsea();
        for seed in [1, 2] {
            let fursona = compose(&photo, &mut seeded(seed));
            let json = serde_json::to_string_pretty(&fursona).expect("serialises");
            println!("seed {seed}:\n{json}\n{}\n", fursona.description());
        }
    }
}
