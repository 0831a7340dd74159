//! Tests over the whole engine: determinism, variation, silhouettes, safety of the SVG, sizes
//! of the PNGs, and text that fits.

use resvg::usvg::roxmltree;

use super::text::{Font, Weight};
use super::*;
use crate::domain::fursona::Swatch;

pub(crate) fn sample(species: &str, name: &str) -> Fursona {
    let swatch = |name: &str, hex: &str, placement: &str| Swatch {
        name: name.into(),
        hex: hex.into(),
        placement: placement.into(),
    };
    Fursona {
        name: name.into(),
        species: species.into(),
        palette: vec![
            swatch("Ginger", "#c8702a", "main fur"),
            swatch("Cream", "#f3e5c8", "underbelly and muzzle"),
            swatch("Soot", "#2b2118", "stripes"),
            swatch("Azure", "#2080f0", "inner ears"),
        ],
        markings: "A Ginger coat with bold Soot stripes and a Cream muzzle.".into(),
        eye_color: "amber".into(),
        personality: vec!["Curious".into(), "Warm".into(), "Stubborn".into()],
        backstory: "Grew up in a lighthouse.".into(),
    }
}

fn paths_filled(svg: &str, hex: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("fill") == Some(hex))
        .filter_map(|n| n.attribute("d").map(str::to_owned))
        .collect()
}

#[test]
fn the_same_fursona_always_draws_the_same_bytes() {
    let art = Art::new();
    let tiger = sample("tiger", "Ember");
    assert_eq!(art.portrait_svg(&tiger), art.portrait_svg(&tiger.clone()));
    assert_eq!(
        art.sheet_svg(&tiger, "Made by the offline generator"),
        Art::new().sheet_svg(&tiger, "Made by the offline generator")
    );
}

#[test]
fn two_fursonas_of_one_species_differ_in_marking_shapes_not_only_colour() {
    let art = Art::new();
    let a = art.portrait_svg(&sample("tiger", "Ember"));
    let b = art.portrait_svg(&sample("tiger", "Cinder"));
    assert_ne!(a, b);
    let (stripes_a, stripes_b) = (paths_filled(&a, "#2b2118"), paths_filled(&b, "#2b2118"));
    assert!(!stripes_a.is_empty());
    assert_ne!(stripes_a, stripes_b);
}

#[test]
fn markings_come_from_the_text_and_the_palette() {
    let mut wolf = sample("grey wolf", "Ash");
    wolf.markings = "Dark spots over the shoulders and a pale star on the forehead.".into();
    wolf.palette[2].placement = "ear tips".into();
    let plan = crate::domain::body_plan::body_plan(&wolf.species);
    let colours = colours::Colours::of(&wolf);
    let kinds = markings::choose(&wolf, &plan, &colours, &mut seed::Rng::new(1)).kinds();
    for wanted in [
        markings::Marking::Spots,
        markings::Marking::Star,
        markings::Marking::EarTips,
        markings::Marking::Bib,
    ] {
        assert!(kinds.contains(&wanted), "{wanted:?} in {kinds:?}");
    }
    assert!(!kinds.contains(&markings::Marking::Stripes));
}

/// Alpha masks at low resolution: families must differ in a real share of the pixels, far
/// more than the per-fursona jitter moves them.
#[test]
fn families_differ_in_silhouette() {
    let art = Art::new();
    let species = [
        "grey wolf",
        "fennec fox",
        "house cat",
        "lion",
        "bear",
        "rabbit",
        "mouse",
        "deer",
        "goat",
        "raven",
        "western dragon",
        "shark",
        "protogen",
        "avali",
        "sergal",
        "fruit bat",
        "kitsune",
        "lynx",
        "horse",
        "barn owl",
    ];
    let side = 64;
    let masks: Vec<Vec<bool>> = species
        .iter()
        .map(|s| {
            let svg = art.portrait_svg(&sample(s, "Same"));
            let pixmap = raster::pixmap(&art.options, &svg, side, side).expect("renders");
            pixmap.pixels().iter().map(|p| p.alpha() > 128).collect()
        })
        .collect();
    let family = |s: &str| crate::domain::body_plan::body_plan(s).family;
    for i in 0..species.len() {
        for j in i + 1..species.len() {
            if family(species[i]) == family(species[j]) {
                continue;
            }
            let differ = masks[i]
                .iter()
                .zip(&masks[j])
                .filter(|(a, b)| a != b)
                .count();
            let share = differ as f32 / (side * side) as f32;
            assert!(
                share > 0.025,
                "{} and {} differ in {:.1}% of the silhouette",
                species[i],
                species[j],
                share * 100.0
            );
        }
    }
    let jitter = {
        let one = art.portrait_svg(&sample("grey wolf", "One"));
        let two = art.portrait_svg(&sample("grey wolf", "Two"));
        let mask = |svg: &str| -> Vec<bool> {
            let pixmap = raster::pixmap(&art.options, svg, side, side).expect("renders");
            pixmap.pixels().iter().map(|p| p.alpha() > 128).collect()
        };
        let (a, b) = (mask(&one), mask(&two));
        a.iter().zip(&b).filter(|(x, y)| x != y).count() as f32 / (side * side) as f32
    };
    assert!(jitter < 0.025, "jitter alone moves {:.1}%", jitter * 100.0);
}

fn assert_safe(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name().to_ascii_lowercase();
        assert!(
            !["script", "foreignobject", "image", "iframe", "a"].contains(&tag.as_str()),
            "{tag}"
        );
        for attribute in node.attributes() {
            let name = attribute.name().to_ascii_lowercase();
            assert!(!name.starts_with("on"), "event attribute {name}");
            let value = attribute.value();
            if name == "href" {
                assert!(
                    value.starts_with('#') || value.starts_with("data:"),
                    "{value}"
                );
            }
            assert!(
                !value.to_ascii_lowercase().contains("javascript:"),
                "{value}"
            );
            if value.contains("url(") {
                assert!(value.starts_with("url(#"), "{value}");
            }
        }
    }
}

#[test]
fn generator_text_is_escaped_and_the_svg_stays_safe() {
    let art = Art::new();
    let mut evil = sample(
        "<svg onload=alert(1)> wolf",
        "</text><script>alert(1)</script>",
    );
    evil.palette[1].placement = "\" onload=\"x".into();
    evil.palette[2].name = "' onmouseover='y".into();
    evil.markings = "<![CDATA[ ]]> & <!-- --> stripes".into();
    evil.eye_color = "\"><image href=\"http://evil.example/x.png\"/>".into();
    evil.personality[0] = "a\u{0}b\u{1b}c".into();
    let portrait = art.portrait_svg(&evil);
    let sheet = art.sheet_svg(&evil, "Made by openai · <b>gpt</b>");
    assert_safe(&portrait);
    assert_safe(&sheet);
    let doc = roxmltree::Document::parse(&sheet).expect("well-formed");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("</text><script>alert(1)</script>")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("\" onload=\"x")));
    assert!(art.png(&sheet, 400, 250).is_ok());
}

#[test]
fn the_portrait_png_has_the_size_asked_and_a_transparent_background() {
    let art = Art::new();
    for size in [64, 300, 512] {
        let png = art
            .portrait_png(&sample("red fox", "Ember"), size)
            .expect("renders");
        let image = image::load_from_memory(&png).expect("a PNG").to_rgba8();
        assert_eq!((image.width(), image.height()), (size, size));
        assert_eq!(image.get_pixel(0, 0)[3], 0);
        assert_eq!(image.get_pixel(size - 1, 0)[3], 0);
        assert!(
            image.get_pixel(size / 2, size / 2)[3] > 200,
            "the middle is drawn"
        );
    }
    assert!(art.portrait_png(&sample("red fox", "Ember"), 2000).is_err());
    assert!(art.portrait_png(&sample("red fox", "Ember"), 16).is_err());
}

#[test]
fn the_sheet_png_is_1600_by_1000_and_has_text() {
    let art = Art::new();
    let png = art
        .sheet_png(&sample("lynx", "Ember"), "Made by the offline generator")
        .expect("renders");
    let image = image::load_from_memory(&png).expect("a PNG").to_rgba8();
    assert_eq!((image.width(), image.height()), (1600, 1000));
    // The name's row is not blank paper: text rendered, so the font was loaded.
    let inked = (760..1300)
        .flat_map(|x| (40..110).map(move |y| (x, y)))
        .filter(|&(x, y)| image.get_pixel(x, y)[0] < 120)
        .count();
    assert!(inked > 500, "{inked} dark pixels where the name is");
}

/// The x and font size of every text element, with its content.
fn texts(svg: &str) -> Vec<(f32, f32, String, bool)> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let number = |a: &str| {
                n.attribute(a)
                    .and_then(|v| v.parse::<f32>().ok())
                    .unwrap_or(0.0)
            };
            (
                number("x"),
                number("font-size"),
                n.text().unwrap_or_default().trim().to_owned(),
                n.attribute("font-weight") == Some("700"),
            )
        })
        .collect()
}

#[test]
fn an_eighty_character_name_fits_its_box() {
    let art = Art::new();
    let font = Font::new();
    for name in ["W".repeat(80), "Wolfgang ".repeat(9)[..80].to_owned()] {
        let svg = art.sheet_svg(&sample("wolf", &name), "Made by the offline generator");
        let name_lines: Vec<_> = texts(&svg)
            .into_iter()
            .filter(|(x, _, t, bold)| {
                *x == 760.0 && *bold && name.contains(t.trim_end_matches('…'))
            })
            .collect();
        assert!(
            !name_lines.is_empty() && name_lines.len() <= 2,
            "{name_lines:?}"
        );
        for (x, size, text, _) in name_lines {
            let width = font.width(&text, size, Weight::Bold);
            assert!(x + width <= 1560.0, "{text} is {width} wide at {size}");
        }
    }
}

#[test]
fn every_text_on_the_sheet_fits_the_canvas() {
    let art = Art::new();
    let font = Font::new();
    let mut long = sample("wolf", &"Long".repeat(20));
    long.species = "Extraordinarily long species name that goes on and on for eighty chars".into();
    long.markings = "word ".repeat(120);
    long.palette[0].placement = "a very long placement text ".repeat(4);
    long.personality = vec!["x".repeat(60), "y".repeat(60), "z".repeat(60)];
    let svg = art.sheet_svg(&long, "Made by the offline generator");
    for (x, size, text, bold) in texts(&svg) {
        let weight = if bold { Weight::Bold } else { Weight::Regular };
        let width = font.width(&text, size, weight);
        assert!(
            x + width <= 1600.0 || x == 1560.0,
            "{text:?} at {x} is {width} wide"
        );
    }
}

#[test]
fn emoji_and_cjk_never_reach_the_layout() {
    let art = Art::new();
    let font = Font::new();
    let mut f = sample("kitsune", "Kitsu 🦊 狐 ✨");
    f.personality[0] = "🔥🔥".into();
    f.eye_color = "gold ✨".into();
    let svg = art.sheet_svg(&f, "Made by the offline generator");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    for text in doc.descendants().filter_map(|n| n.text()) {
        assert!(
            text.chars().all(|c| font.covers(c) || c.is_whitespace()),
            "{text:?}"
        );
    }
    let all: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(all.contains("Kitsu"));
    assert!(!all.contains('🦊') && !all.contains('狐'));
}

#[test]
fn every_offline_species_and_unknown_text_draw_something() {
    let art = Art::new();
    let names: Vec<&str> = crate::ai::offline::species::names()
        .chain(["glorp", "", "black dragon", "crow"])
        .collect();
    for name in names {
        let svg = art.portrait_svg(&sample(name, "Test"));
        assert_safe(&svg);
        let pixmap = raster::pixmap(&art.options, &svg, 64, 64).expect("renders");
        let drawn = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(drawn > 64 * 64 / 4, "{name:?} drew {drawn} pixels");
    }
}

#[test]
fn art_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Art>();
}
