//! The offline fursona generator, used when no AI key is configured.
//!
//! The palette is measured from the photo (k-means in CIE Lab, deterministic per image); every
//! other part is drawn from curated tables with the caller's rng, nudged by that palette, and
//! worded in the palette's own colour names.

mod backstory;
mod colour_names;
mod dominant;
mod markings;
mod mood;
mod names;
mod personality;
mod placement;
pub(crate) mod species;

use crate::domain::fursona::{Fursona, Swatch};

use dominant::PhotoColour;
use markings::Worn;
use mood::Mood;

/// A complete fursona for the photo: the palette always follows `sample`, everything else
/// varies with `rng`. The result always passes [`Fursona::validated`].
pub fn compose(sample: &image::RgbImage, rng: &mut impl rand::Rng) -> Fursona {
    dress(&dominant::colours(sample), rng)
}

/// Everything but the palette extraction: split out so tests can try many seeds on one photo
/// without re-clustering it each time.
fn dress(colours: &[PhotoColour], rng: &mut impl rand::Rng) -> Fursona {
    let mood = Mood::of(colours);
    let species = species::choose(&mood, rng);
    let colour_names = colour_names::name_colours(colours);
    let roles = placement::roles(colours);
    let parts = placement::parts(&roles, species.covering, rng);
    let worn: Vec<Worn<'_>> = colour_names
        .iter()
        .zip(roles)
        .zip(parts)
        .map(|((&name, role), part)| Worn { name, role, part })
        .collect();

    let personality = personality::choose(&mood, rng);
    let name = names::compose(rng, species.covering, &colour_names, &personality);
    let defining_trait = personality.first().map_or("curious", String::as_str);
    let backstory = backstory::compose(rng, &name, species, defining_trait);

    Fursona {
        palette: colours
            .iter()
            .zip(&worn)
            .map(|(colour, worn)| Swatch {
                name: worn.name.to_owned(),
                hex: colour.hex(),
                placement: worn.part.place.to_owned(),
            })
            .collect(),
        markings: markings::describe(&worn, rng),
        eye_color: markings::eyes(&worn, species.covering, rng),
        species: species.title(),
        name,
        personality,
        backstory,
    }
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
            for seed in 0..3 {
                let fursona = compose(image, &mut seeded(seed));
                assert_eq!(fursona, dress(&colours, &mut seeded(seed)), "{label}");
            }
            for seed in 0..200 {
                assert_valid(
                    &dress(&colours, &mut seeded(seed)),
                    &format!("{label}, seed {seed}"),
                );
            }
        }
    }

    #[test]
    fn swatch_names_and_places_are_unique() {
        for (label, image) in edge_cases() {
            let colours = dominant::colours(&image);
            for seed in 0..50 {
                let fursona = dress(&colours, &mut seeded(seed));
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
    fn markings_use_the_palette_names() {
        let colours = dominant::colours(&chelsea());
        for seed in 0..30 {
            let fursona = dress(&colours, &mut seeded(seed));
            let named = fursona
                .palette
                .iter()
                .filter(|s| fursona.markings.contains(&s.name))
                .count();
            assert!(named >= 3, "{}: {:?}", fursona.markings, fursona.palette);
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
