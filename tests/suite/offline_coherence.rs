//! The offline generator's coherence over many varied photos, made here from the fixtures (hue
//! shifts, crops) and drawn (solid colours, splits, stripes, spots): each rule of issue 11 as a
//! number, printed, and asserted. No database is involved: this is the generator alone, as the
//! app runs it on a photo's 128 px sample.

use std::collections::HashMap;

use fursona::ai::offline::{compose, compose_keeping, species_names};
use fursona::domain::body_plan::body_plan;
use fursona::domain::fursona::{Fursona, Kept, Swatch};
use image::{Rgb, RgbImage};
use palette::color_difference::Ciede2000;
use palette::{FromColor, IntoColor, Lab, Lch, Srgb};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::helpers::fixture;

/// A photo as the test knows it: its sample, and the colours drawn into it when it was drawn
/// (`None` for photos from the fixtures, which hold many).
struct Photo {
    label: String,
    sample: RgbImage,
    drawn: Option<Vec<[u8; 3]>>,
    striped: bool,
}

const BROWN: [u8; 3] = [122, 84, 48];
const CREAM: [u8; 3] = [238, 226, 204];
const GINGER: [u8; 3] = [204, 110, 40];
const WHITE: [u8; 3] = [246, 246, 244];
const BLACK: [u8; 3] = [14, 14, 16];
const GREY: [u8; 3] = [128, 130, 132];
const BLUE: [u8; 3] = [40, 70, 200];
const PURPLE: [u8; 3] = [120, 50, 170];
const GREEN: [u8; 3] = [40, 140, 60];
const RED: [u8; 3] = [200, 30, 30];
const PINK: [u8; 3] = [240, 120, 180];
const TEAL: [u8; 3] = [0, 128, 128];
const GOLD: [u8; 3] = [220, 170, 40];

/// The sample the app makes: at most 128 px on the long side.
fn sampled(image: &RgbImage) -> RgbImage {
    let scale = 128.0 / image.width().max(image.height()) as f32;
    if scale >= 1.0 {
        return image.clone();
    }
    let width = ((image.width() as f32 * scale).round() as u32).max(1);
    let height = ((image.height() as f32 * scale).round() as u32).max(1);
    image::imageops::thumbnail(image, width, height)
}

fn photo_from(label: String, image: &RgbImage) -> Photo {
    Photo {
        label,
        sample: sampled(image),
        drawn: None,
        striped: false,
    }
}

fn drawn(
    label: &str,
    colours: &[[u8; 3]],
    striped: bool,
    paint: impl Fn(u32, u32) -> usize,
) -> Photo {
    Photo {
        label: label.to_owned(),
        sample: RgbImage::from_fn(120, 90, |x, y| Rgb(colours[paint(x, y) % colours.len()])),
        drawn: Some(colours.to_vec()),
        striped,
    }
}

fn photos() -> Vec<Photo> {
    let mut photos = Vec::new();
    for name in ["chelsea.png", "astronaut.png", "coffee.png"] {
        let image = image::load_from_memory(&fixture(&format!("photos/{name}")))
            .expect("fixture decodes")
            .to_rgb8();
        photos.push(photo_from(name.to_owned(), &image));
        for degrees in [60, 120, 180, 240, 300] {
            let shifted = image::imageops::huerotate(&image, degrees);
            photos.push(photo_from(format!("{name} hue +{degrees}"), &shifted));
        }
        let (w, h) = (image.width(), image.height());
        for (i, (x, y)) in [(0, 0), (w / 2, 0), (0, h / 2), (w / 2, h / 2)]
            .into_iter()
            .enumerate()
        {
            let crop = image::imageops::crop_imm(&image, x, y, w / 2, h / 2).to_image();
            photos.push(photo_from(format!("{name} crop {i}"), &crop));
        }
    }
    for (label, colour) in [
        ("solid black", BLACK),
        ("solid white", WHITE),
        ("solid grey", GREY),
        ("solid ginger", GINGER),
        ("solid brown", BROWN),
        ("solid blue", BLUE),
        ("solid purple", PURPLE),
        ("solid green", GREEN),
        ("solid red", RED),
        ("solid pink", PINK),
    ] {
        photos.push(drawn(label, &[colour], false, |_, _| 0));
    }
    for (label, a, b) in [
        ("split ginger white", GINGER, WHITE),
        ("split black white", BLACK, WHITE),
        ("split red blue", RED, BLUE),
        ("split grey cream", GREY, CREAM),
        ("split teal gold", TEAL, GOLD),
    ] {
        photos.push(drawn(label, &[a, b], false, |x, _| usize::from(x >= 60)));
    }
    for (label, colours) in [
        ("stripes brown cream", vec![BROWN, CREAM]),
        ("stripes ginger black", vec![GINGER, BLACK]),
        ("stripes grey black", vec![GREY, BLACK]),
        ("stripes brown cream black", vec![BROWN, CREAM, BLACK]),
        ("stripes blue purple", vec![BLUE, PURPLE]),
    ] {
        photos.push(drawn(label, &colours, true, |x, _| (x / 8) as usize));
    }
    for (label, base, spot) in [
        ("spots gold brown", GOLD, BROWN),
        ("spots white black", WHITE, BLACK),
        ("spots green teal", GREEN, TEAL),
    ] {
        photos.push(drawn(label, &[base, spot], false, |x, y| {
            usize::from(x % 15 < 5 && y % 15 < 5)
        }));
    }
    photos
}

fn lab_of(rgb: [u8; 3]) -> Lab {
    Srgb::new(rgb[0], rgb[1], rgb[2])
        .into_format::<f32>()
        .into_color()
}

fn lab(hex: &str) -> Lab {
    let srgb: Srgb<u8> = hex.parse().expect("#rrggbb");
    lab_of([srgb.red, srgb.green, srgb.blue])
}

fn lch(hex: &str) -> Lch {
    Lch::from_color(lab(hex))
}

/// True when `text` holds `phrase` as whole words.
fn mentions(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every part word any plan has, and words no plan has that a generator must not use.
fn part_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = species_names()
        .chain(["glorp"])
        .flat_map(|name| body_plan(name).parts())
        .chain([
            "gill slits",
            "tail flukes",
            "wing membranes",
            "fringe",
            "dorsal spines",
        ])
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Species whose name says what colour their coat is, with what that main colour must be.
fn contradiction(species: &str, main: &Lch) -> Option<&'static str> {
    let species = species.to_lowercase();
    let hue = main.hue.into_positive_degrees();
    let warm = main.chroma >= 15.0 && (15.0..110.0).contains(&hue);
    let checks: [(&[&str], bool, &str); 4] = [
        (
            &[
                "black panther",
                "black dragon",
                "raven",
                "crow",
                "skunk",
                "orca",
            ],
            main.l < 35.0,
            "a black species needs a dark coat",
        ),
        (
            &["snowy owl", "arctic fox", "snow leopard"],
            main.l > 60.0,
            "a snow-white species needs a light coat",
        ),
        (
            &["red fox", "red panda", "maned wolf", "corgi"],
            warm,
            "a red or ginger species needs a warm coat",
        ),
        (
            &["grey wolf"],
            main.chroma < 25.0,
            "a grey species needs a grey coat",
        ),
    ];
    checks
        .iter()
        .find(|(names, fits, _)| names.contains(&species.as_str()) && !fits)
        .map(|(_, _, why)| *why)
}

/// Sentences of a story with the character's names taken out, so the same sentence told of two
/// characters counts as one.
fn sentences(fursona: &Fursona) -> Vec<String> {
    let first = fursona.name.split_whitespace().next().unwrap_or_default();
    fursona
        .backstory
        .replace(&fursona.name, "{name}")
        .replace(first, "{first}")
        .split_inclusive(['.', '!', '?'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    fursonas: usize,
    contradictions: usize,
    striped: usize,
    striped_fitting: usize,
    placements_off_plan: usize,
    marking_words_off_plan: usize,
    colours_not_in_markings: usize,
    colours_not_in_photo: usize,
    worst_distance_to_photo: f32,
    invented_not_shades: usize,
    half_on_a_small_part: usize,
    dark_called_pale: usize,
    capitalised_mid_sentence: usize,
    doubled_grew_up: usize,
    stories_with_species: usize,
    stories_with_palette: usize,
    stories_with_neither: usize,
}

/// Large parts: a colour covering a third of the photo or more goes on one of these.
const LARGE: &[&str] = &[
    "coat", "scales", "plumage", "hide", "plating", "back", "belly", "flanks", "wings", "mane",
];
const STRIPED_SPECIES: &[&str] = &[
    "tabby cat",
    "tiger",
    "lynx",
    "raccoon",
    "house cat",
    "skunk",
    "eastern dragon",
    "synth",
];

#[allow(clippy::too_many_lines)]
fn check(photo: &Photo, fursona: &Fursona, vocabulary: &[&str], counts: &mut Counts) {
    counts.fursonas += 1;
    let label = &photo.label;
    let parts = body_plan(&fursona.species).parts();
    let markings = fursona.markings.to_lowercase();
    let main = lch(&fursona.palette[0].hex);
    if let Some(why) = contradiction(&fursona.species, &main) {
        counts.contradictions += 1;
        eprintln!(
            "{label}: {} with {}: {why}",
            fursona.species, fursona.palette[0].hex
        );
    }
    if photo.striped {
        counts.striped += 1;
        if STRIPED_SPECIES.contains(&fursona.species.to_lowercase().as_str()) {
            counts.striped_fitting += 1;
        }
    }
    for swatch in &fursona.palette {
        if !parts.contains(&swatch.placement.as_str()) {
            counts.placements_off_plan += 1;
            eprintln!("{label}: {} has no {:?}", fursona.species, swatch.placement);
        }
        if !markings.contains(&swatch.name.to_lowercase()) {
            counts.colours_not_in_markings += 1;
            eprintln!(
                "{label}: {} missing from {:?}",
                swatch.name, fursona.markings
            );
        }
    }
    for word in vocabulary {
        if mentions(&markings, word) && !parts.contains(word) {
            counts.marking_words_off_plan += 1;
            eprintln!(
                "{label}: {} markings name {word:?}: {}",
                fursona.species, fursona.markings
            );
        }
    }
    check_colours(photo, fursona, counts);
    // A dark colour is never called pale: no clause naming a dark colour says "pale".
    for swatch in &fursona.palette {
        if lab(&swatch.hex).l < 50.0 {
            let name = swatch.name.to_lowercase();
            for clause in markings
                .split([',', '.', ';'])
                .flat_map(|c| c.split(" and "))
            {
                if mentions(clause, &name) && clause.contains("pale") {
                    counts.dark_called_pale += 1;
                }
            }
        }
    }
    // Colour names are lower case mid-sentence.
    for swatch in &fursona.palette {
        for text in [&fursona.markings, &fursona.eye_color] {
            for (at, _) in text.match_indices(&swatch.name) {
                let before = text[..at].trim_end();
                let starts_sentence = before.is_empty() || before.ends_with(['.', '!', '?']);
                if !starts_sentence && swatch.name.chars().any(char::is_uppercase) {
                    counts.capitalised_mid_sentence += 1;
                    eprintln!("{label}: {:?} in {text:?}", swatch.name);
                }
            }
        }
    }
    if fursona.backstory.matches("grew up").count() > 1 {
        counts.doubled_grew_up += 1;
    }
    let story = fursona.backstory.to_lowercase();
    let species = story.contains(&fursona.species.to_lowercase());
    let colour = fursona
        .palette
        .iter()
        .any(|s| mentions(&story, &s.name.to_lowercase()));
    counts.stories_with_species += usize::from(species);
    counts.stories_with_palette += usize::from(colour);
    counts.stories_with_neither += usize::from(!species && !colour);
}

/// Palette colours come from the photo; invented ones only when it has fewer than three, and
/// then as shades of one it has; a colour covering a third or more is on a large part.
fn check_colours(photo: &Photo, fursona: &Fursona, counts: &mut Counts) {
    let pixels: Vec<Lab> = photo
        .sample
        .pixels()
        .map(|p| lab_of([p[0], p[1], p[2]]))
        .collect();
    // How much of the photo each swatch covers: the pixels nearest to it.
    let swatches: Vec<Lab> = fursona.palette.iter().map(|s| lab(&s.hex)).collect();
    let mut nearest_counts = vec![0usize; swatches.len()];
    for pixel in &pixels {
        let nearest = (0..swatches.len())
            .min_by(|&a, &b| {
                pixel
                    .difference(swatches[a])
                    .total_cmp(&pixel.difference(swatches[b]))
            })
            .unwrap_or(0);
        nearest_counts[nearest] += 1;
    }
    for (index, swatch) in fursona.palette.iter().enumerate() {
        let colour = swatches[index];
        let covering = nearest_counts[index] as f32 / pixels.len() as f32;
        if covering >= 0.4 && !LARGE.contains(&swatch.placement.as_str()) {
            counts.half_on_a_small_part += 1;
            eprintln!(
                "{}: {} covers {covering:.2} but is on the {}",
                photo.label, swatch.name, swatch.placement
            );
        }
        match &photo.drawn {
            Some(drawn) if drawn.len() < 3 => {
                let nearest = drawn
                    .iter()
                    .map(|&rgb| (rgb, lab_of(rgb).difference(colour)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                let Some((base, distance)) = nearest else {
                    continue;
                };
                if distance < 3.0 {
                    continue;
                }
                // Invented: a shade of the nearest drawn colour, its hue kept.
                let base = Lch::from_color(lab_of(base));
                let shade = Lch::from_color(colour);
                let hue_gap =
                    (base.hue.into_positive_degrees() - shade.hue.into_positive_degrees()).abs();
                let hue_gap = hue_gap.min(360.0 - hue_gap);
                // Hue means little for near-neutral colours: there, the tint must stay close.
                let (base_lab, shade_lab) = (Lab::from_color(base), Lab::from_color(shade));
                let tint_gap = (base_lab.a - shade_lab.a).hypot(base_lab.b - shade_lab.b);
                let same_hue = tint_gap < 10.0 || hue_gap < 20.0;
                if !same_hue || distance > 30.0 || (shade.l - base.l).abs() > 42.0 {
                    counts.invented_not_shades += 1;
                    eprintln!(
                        "{}: {} {} is not a shade (gap {hue_gap:.0}, ΔE {distance:.1})",
                        photo.label, swatch.name, swatch.hex
                    );
                }
            }
            _ => {
                let nearest = pixels
                    .iter()
                    .map(|p| p.difference(colour))
                    .fold(f32::MAX, f32::min);
                counts.worst_distance_to_photo = counts.worst_distance_to_photo.max(nearest);
                if nearest > 10.0 {
                    counts.colours_not_in_photo += 1;
                    eprintln!(
                        "{}: {} {} is {nearest:.1} from any pixel",
                        photo.label, swatch.name, swatch.hex
                    );
                }
            }
        }
    }
}

#[test]
fn a_hundred_offline_fursonas_from_varied_photos_fit_their_photos_and_themselves() {
    let photos = photos();
    assert!(photos.len() >= 50, "{} photos", photos.len());
    let vocabulary = part_words();
    let mut counts = Counts::default();
    let mut sentence_counts: HashMap<String, usize> = HashMap::new();
    let mut first_names: Vec<String> = Vec::new();
    let mut fursonas = Vec::new();
    for i in 0..100 {
        let photo = &photos[i % photos.len()];
        let fursona = compose(&photo.sample, &mut StdRng::seed_from_u64(i as u64));
        assert_eq!(
            fursona.clone().validated().as_ref(),
            Ok(&fursona),
            "{}",
            photo.label
        );
        check(photo, &fursona, &vocabulary, &mut counts);
        for sentence in sentences(&fursona) {
            *sentence_counts.entry(sentence).or_default() += 1;
        }
        first_names.push(
            fursona
                .name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        );
        fursonas.push((photo.label.clone(), fursona));
    }
    let most_repeated = sentence_counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(s, n)| (s.clone(), *n))
        .unwrap_or_default();
    first_names.sort();
    first_names.dedup();
    eprintln!("{counts:#?}");
    eprintln!(
        "most repeated sentence ({} times): {}",
        most_repeated.1, most_repeated.0
    );
    eprintln!("distinct first names: {}", first_names.len());
    for (label, fursona) in fursonas.iter().step_by(7).take(10) {
        let palette: Vec<String> = fursona
            .palette
            .iter()
            .map(|s| format!("{} {} ({})", s.name, s.hex, s.placement))
            .collect();
        let first = fursona
            .backstory
            .split_inclusive(". ")
            .next()
            .unwrap_or_default();
        eprintln!(
            "\n[{label}] {}: {}\n  palette: {}\n  markings: {}\n  story: {first}",
            fursona.name,
            fursona.species,
            palette.join(", "),
            fursona.markings
        );
    }

    assert_eq!(
        counts.contradictions, 0,
        "species contradicting the palette"
    );
    assert!(
        counts.striped_fitting * 2 >= counts.striped,
        "striped photos lean to striped species: {} of {}",
        counts.striped_fitting,
        counts.striped
    );
    assert_eq!(
        counts.placements_off_plan, 0,
        "placements the species lacks"
    );
    assert_eq!(
        counts.marking_words_off_plan, 0,
        "markings naming parts the species lacks"
    );
    assert_eq!(
        counts.colours_not_in_markings, 0,
        "palette colours the markings leave out"
    );
    assert_eq!(
        counts.colours_not_in_photo, 0,
        "colours not in a photo of three or more"
    );
    assert_eq!(
        counts.invented_not_shades, 0,
        "invented colours that are not shades"
    );
    assert_eq!(
        counts.half_on_a_small_part, 0,
        "large colours on small parts"
    );
    assert_eq!(counts.dark_called_pale, 0, "dark colours called pale");
    assert_eq!(
        counts.capitalised_mid_sentence, 0,
        "colour names capitalised mid-sentence"
    );
    assert_eq!(counts.doubled_grew_up, 0, "stories saying grew up twice");
    assert_eq!(
        counts.stories_with_neither, 0,
        "stories naming neither species nor palette"
    );
    assert!(most_repeated.1 <= 5, "{most_repeated:?}");
    assert!(
        first_names.len() >= 80,
        "{} distinct first names",
        first_names.len()
    );
}

#[test]
fn re_rolls_of_one_photo_vary_the_species_among_those_that_fit() {
    for photo in photos()
        .iter()
        .filter(|p| p.label.starts_with("chelsea") || p.label.starts_with("solid"))
    {
        let mut species: Vec<String> = (0..20)
            .map(|seed| compose(&photo.sample, &mut StdRng::seed_from_u64(seed)).species)
            .collect();
        species.sort();
        species.dedup();
        assert!(species.len() >= 3, "{}: {species:?}", photo.label);
    }
}

fn cat() -> RgbImage {
    let image = image::load_from_memory(&fixture("photos/chelsea.png"))
        .expect("fixture")
        .to_rgb8();
    sampled(&image)
}

#[test]
fn kept_fields_stay_exact_and_the_rest_fits_them() {
    let sample = cat();
    let vocabulary = part_words();
    let original = compose(&sample, &mut StdRng::seed_from_u64(1));
    for seed in 0..40 {
        let rng = &mut StdRng::seed_from_u64(seed);
        // A kept species decides the parts: a shark from a cat photo wears a shark's parts.
        let kept = Kept {
            species: Some("Shark".into()),
            name: Some("Marlowe Quill".into()),
            personality: Some(vec!["Stubborn".into(), "Kind".into(), "Witty".into()]),
            ..Kept::default()
        };
        let shark = compose_keeping(&sample, &kept, rng);
        assert_eq!(shark.species, "Shark");
        assert_eq!(shark.name, "Marlowe Quill");
        let parts = body_plan("shark").parts();
        assert!(
            shark
                .palette
                .iter()
                .all(|s| parts.contains(&s.placement.as_str())),
            "{:?}",
            shark.palette
        );
        let markings = shark.markings.to_lowercase();
        for word in &vocabulary {
            assert!(
                !mentions(&markings, word) || parts.contains(word),
                "{word}: {markings}"
            );
        }
        assert!(shark.backstory.contains("Marlowe"), "{}", shark.backstory);
        assert!(
            shark.backstory.to_lowercase().contains("stubborn"),
            "{}",
            shark.backstory
        );
        assert!(
            shark.backstory.to_lowercase().contains("shark"),
            "{}",
            shark.backstory
        );

        // A kept palette: the same colours and places, a species having every part they name,
        // markings in those colours.
        let palette = vec![
            Swatch {
                name: "Jet".into(),
                hex: "#0c0c0c".into(),
                placement: "plumage".into(),
            },
            Swatch {
                name: "Silver".into(),
                hex: "#c0c0c0".into(),
                placement: "wings".into(),
            },
            Swatch {
                name: "Gold".into(),
                hex: "#ffd700".into(),
                placement: "beak".into(),
            },
        ];
        let kept = Kept {
            palette: Some(palette.clone()),
            ..Kept::default()
        };
        let bird = compose_keeping(&sample, &kept, rng);
        assert_eq!(bird.palette, palette);
        let parts = body_plan(&bird.species).parts();
        assert!(
            parts.contains(&"wings") && parts.contains(&"beak"),
            "{}",
            bird.species
        );
        assert!(
            contradiction(&bird.species, &lch("#0c0c0c")).is_none(),
            "{}",
            bird.species
        );
        for swatch in &palette {
            let markings = bird.markings.to_lowercase();
            assert!(
                markings.contains(&swatch.name.to_lowercase()),
                "{}",
                bird.markings
            );
        }

        // Every field kept: exactly the original.
        let all = Kept::from_fields(
            &original,
            &[
                fursona::domain::fursona::Field::Name,
                fursona::domain::fursona::Field::Species,
                fursona::domain::fursona::Field::Palette,
                fursona::domain::fursona::Field::Markings,
                fursona::domain::fursona::Field::EyeColor,
                fursona::domain::fursona::Field::Personality,
                fursona::domain::fursona::Field::Backstory,
            ],
        );
        assert_eq!(compose_keeping(&sample, &all, rng), original);
    }
}
