//! Draws a sample fursona of every body-plan family, writes their portraits (PNG and SVG), one
//! reference sheet and a contact sheet of all portraits, and times the renders.
//!
//! Run with `cargo run --release --example art_bench -- OUT_DIR [runs]`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fursona::art::Art;
use fursona::domain::fursona::{Fursona, Swatch};
use resvg::tiny_skia::{Pixmap, PixmapPaint, Transform};

const DEFAULT_RUNS: usize = 200;
const CELL: u32 = 256;
const LABEL: u32 = 34;
const COLUMNS: u32 = 7;

type Colour = (&'static str, &'static str, &'static str);

struct Sample {
    name: &'static str,
    species: &'static str,
    palette: &'static [Colour],
    markings: &'static str,
    eyes: &'static str,
}

const fn sample(
    name: &'static str,
    species: &'static str,
    palette: &'static [Colour],
    markings: &'static str,
    eyes: &'static str,
) -> Sample {
    Sample {
        name,
        species,
        palette,
        markings,
        eyes,
    }
}

const SAMPLES: &[Sample] = &[
    sample(
        "Ash",
        "grey wolf",
        &[
            ("Slate", "#7d8490", "main fur"),
            ("Frost", "#e8ecef", "underbelly and muzzle"),
            ("Charcoal", "#3a3d44", "back and tail"),
        ],
        "A Slate coat with a Frost muzzle fading into a pale belly.",
        "amber",
    ),
    sample(
        "Ember",
        "red fox",
        &[
            ("Ginger", "#d8692a", "main fur"),
            ("Cream", "#f6ead8", "chest ruff"),
            ("Soot", "#2b2320", "ear tips"),
        ],
        "A Ginger coat with Soot ear tips and a blaze of Cream down the chest.",
        "honey gold",
    ),
    sample(
        "Sandy",
        "fennec fox",
        &[
            ("Sand", "#e6c08c", "main fur"),
            ("Cream", "#fbf1de", "underbelly and muzzle"),
            ("Blush", "#f0b0a8", "inner ears"),
        ],
        "A Sand coat with a Cream muzzle.",
        "deep brown",
    ),
    sample(
        "Mittens",
        "house cat",
        &[
            ("Smoke", "#8f8a86", "main fur"),
            ("Snow", "#f4f2ee", "chest ruff"),
            ("Ink", "#3c3634", "stripes"),
        ],
        "Mostly Smoke, with bold Ink stripes along the flanks.",
        "moss green",
    ),
    sample(
        "Sol",
        "lion",
        &[
            ("Gold", "#d4a04c", "main fur"),
            ("Umber", "#7a4420", "mane"),
            ("Cream", "#f5e6c6", "underbelly and muzzle"),
        ],
        "A Gold coat with a shaggy Umber mane.",
        "amber",
    ),
    sample(
        "Rajah",
        "tiger",
        &[
            ("Flame", "#e07a24", "main fur"),
            ("Snow", "#f7f3ea", "underbelly and muzzle"),
            ("Soot", "#241c1a", "stripes"),
        ],
        "A Flame coat with bold Soot stripes.",
        "ice blue",
    ),
    sample(
        "Tuft",
        "lynx",
        &[
            ("Fawn", "#b89270", "main fur"),
            ("Cream", "#f0e4d0", "chest ruff"),
            ("Umber", "#5a4030", "brow spots"),
        ],
        "A Fawn coat with two Umber spots above the eyes.",
        "hazel",
    ),
    sample(
        "Bruno",
        "brown bear",
        &[
            ("Cocoa", "#7a5236", "main fur"),
            ("Tan", "#c89e74", "underbelly and muzzle"),
            ("Bark", "#3e2a1e", "nose"),
        ],
        "A Cocoa coat with a Tan muzzle.",
        "warm chestnut",
    ),
    sample(
        "Ripple",
        "river otter",
        &[
            ("Mocha", "#8a5e40", "main fur"),
            ("Latte", "#d8bc9c", "underbelly and muzzle"),
            ("Espresso", "#3c2a20", "nose"),
        ],
        "A Mocha coat with a Latte muzzle fading into a pale belly.",
        "deep brown",
    ),
    sample(
        "Bandit",
        "raccoon",
        &[
            ("Ash", "#8c8c90", "main fur"),
            ("Snow", "#f0f0ec", "underbelly and muzzle"),
            ("Coal", "#2e2c30", "mask"),
        ],
        "An Ash coat with a Coal mask.",
        "storm grey",
    ),
    sample(
        "Maple",
        "red panda",
        &[
            ("Rust", "#c0502a", "main fur"),
            ("Snow", "#f6f2ea", "cheek markings"),
            ("Umber", "#4a2a1e", "paws"),
        ],
        "A Rust coat with a flash of Snow across the cheeks.",
        "burnished copper",
    ),
    sample(
        "Clover",
        "rabbit",
        &[
            ("Oat", "#cbb08e", "main fur"),
            ("Cream", "#f7eedf", "underbelly and muzzle"),
            ("Rose", "#eaa0a8", "inner ears"),
        ],
        "An Oat coat with a Cream muzzle.",
        "deep brown",
    ),
    sample(
        "Pip",
        "mouse",
        &[
            ("Dove", "#a49c98", "main fur"),
            ("Cream", "#f2ebe3", "underbelly and muzzle"),
            ("Pink", "#f0a8b4", "inner ears"),
        ],
        "A Dove coat.",
        "ink black",
    ),
    sample(
        "Fern",
        "deer",
        &[
            ("Fawn", "#b57a48", "main fur"),
            ("Cream", "#f5e8d4", "throat"),
            ("Antler", "#e6d6b8", "horns and claws"),
        ],
        "A Fawn coat with a Cream throat patch and pale freckles.",
        "deep brown",
    ),
    sample(
        "Comet",
        "horse",
        &[
            ("Bay", "#8a4e2e", "main fur"),
            ("Raven", "#26201e", "mane"),
            ("Snow", "#f6f4ee", "forehead star"),
        ],
        "A Bay coat with a Raven mane and a Snow star on the forehead.",
        "warm chestnut",
    ),
    sample(
        "Billy",
        "goat",
        &[
            ("Linen", "#d8cdbc", "main fur"),
            ("Stone", "#8a7e70", "horns and claws"),
            ("Snow", "#f8f6f2", "chest"),
        ],
        "A Linen coat with Stone horns.",
        "amber",
    ),
    sample(
        "Corvus",
        "raven",
        &[
            ("Jet", "#2a2a36", "plumage"),
            ("Steel", "#5a6078", "back and wings"),
            ("Onyx", "#16161c", "beak and talons"),
        ],
        "Jet plumage with Steel wings folded over the back.",
        "storm grey",
    ),
    sample(
        "Hoot",
        "barn owl",
        &[
            ("Honey", "#d2a060", "plumage"),
            ("Snow", "#fbf6ee", "face"),
            ("Umber", "#7a5436", "barring"),
        ],
        "Honey plumage with a Snow face.",
        "ink black",
    ),
    sample(
        "Ignis",
        "western dragon",
        &[
            ("Crimson", "#b8323a", "scales"),
            ("Gold", "#e8b84c", "belly plates"),
            ("Bone", "#ece2cc", "horns and claws"),
            ("Wine", "#6a1c2c", "wing membranes"),
        ],
        "Crimson scales with Gold belly plates and Wine wing membranes.",
        "molten gold",
    ),
    sample(
        "Zib",
        "kobold",
        &[
            ("Teal", "#2e9a8c", "scales"),
            ("Sand", "#e8d6a8", "throat and jaw"),
            ("Coral", "#f07850", "frills"),
        ],
        "Teal scales with Coral frills framing the face.",
        "amber",
    ),
    sample(
        "Fin",
        "shark",
        &[
            ("Steel", "#6a7e94", "hide"),
            ("Snow", "#eef2f4", "underside"),
            ("Navy", "#2c3a50", "fin tips"),
        ],
        "A Steel hide with Snow countershading on the belly.",
        "ink black",
    ),
    sample(
        "Tide",
        "orca",
        &[
            ("Ink", "#1c1e26", "hide"),
            ("Snow", "#f4f6f8", "eye patches"),
            ("Fog", "#c8ccd4", "saddle"),
        ],
        "An Ink hide with Snow patches behind the eyes.",
        "deep brown",
    ),
    sample(
        "Giggles",
        "spotted hyena",
        &[
            ("Khaki", "#b89a6c", "main fur"),
            ("Cocoa", "#4a3424", "mane"),
            ("Sand", "#dcc8a4", "throat"),
        ],
        "A Khaki coat with Cocoa spots.",
        "amber",
    ),
    sample(
        "Vex",
        "protogen",
        &[
            ("Arctic", "#e8eef4", "main fur and panels"),
            ("Navy", "#1c2a4a", "ear panels"),
            ("Abyss", "#0c0e16", "visor"),
            ("Cyan", "#30e0ff", "visor display and LED lines"),
        ],
        "An Arctic body with Navy ear panels and Cyan LEDs tracing the seams.",
        "cyan LED display",
    ),
    sample(
        "Kiri",
        "avali",
        &[
            ("Frost", "#e4eaf2", "plumage"),
            ("Violet", "#7850c0", "crest"),
            ("Sky", "#70b8f0", "wingtips"),
        ],
        "Frost plumage with Sky wingtips.",
        "violet",
    ),
    sample(
        "Zarn",
        "sergal",
        &[
            ("Snow", "#eeeef2", "main fur"),
            ("Storm", "#5a6270", "mane"),
            ("Jade", "#3caa80", "fringe streak"),
        ],
        "A Snow coat with a Storm mane.",
        "emerald",
    ),
    sample(
        "Wisp",
        "wickerbeast",
        &[
            ("Periwinkle", "#8a94d8", "main fur"),
            ("Cloud", "#f0f0fa", "chest ruff"),
            ("Gold", "#e8c060", "horns and claws"),
        ],
        "A Periwinkle coat with Gold horns.",
        "honey gold",
    ),
    sample(
        "Byte",
        "synth",
        &[
            ("Graphite", "#4a4e58", "main fur and panels"),
            ("Lime", "#9cf040", "visor display and LED lines"),
            ("Silver", "#c8ccd4", "ear panels"),
        ],
        "A Graphite body with Lime LEDs tracing the seams.",
        "green LED display",
    ),
    sample(
        "Seraph",
        "Dutch angel dragon",
        &[
            ("Cotton", "#f6f0f4", "main fur"),
            ("Lilac", "#c8a8e8", "wing membranes"),
            ("Rose", "#f0a0c0", "inner ears"),
        ],
        "A Cotton coat with Lilac wings.",
        "pale lilac",
    ),
    sample(
        "Tamamo",
        "kitsune",
        &[
            ("Gold", "#e8a040", "main fur"),
            ("Snow", "#fbf6ee", "tail tip"),
            ("Crimson", "#c02838", "forehead star"),
        ],
        "A Gold coat with a Crimson star on the forehead.",
        "crimson",
    ),
    sample(
        "Noodle",
        "manokit",
        &[
            ("Mint", "#8ad8c0", "main fur"),
            ("Cream", "#fbf4e4", "underbelly and muzzle"),
            ("Berry", "#c04080", "inner ears"),
        ],
        "A Mint coat with Berry tufts inside the ears.",
        "violet",
    ),
    sample(
        "Nyx",
        "fruit bat",
        &[
            ("Umber", "#5a4234", "main fur"),
            ("Toffee", "#b4825a", "chest ruff"),
            ("Wine", "#4a2a34", "wing membranes"),
        ],
        "An Umber coat with Toffee chest fluff.",
        "deep brown",
    ),
    sample(
        "Blip",
        "glorp",
        &[
            ("Lime", "#90c850", "main fur"),
            ("Cream", "#f4f0d8", "underbelly and muzzle"),
            ("Plum", "#60306a", "spots"),
        ],
        "A Lime coat with Plum spots.",
        "violet",
    ),
    sample(
        "Luna",
        "snow leopard",
        &[
            ("Ash", "#d6d4cc", "main fur"),
            ("Snow", "#f8f8f4", "underbelly and muzzle"),
            ("Charcoal", "#3a3a40", "rosettes"),
        ],
        "An Ash coat with Charcoal rosettes.",
        "ice blue",
    ),
    sample(
        "Fang",
        "husky",
        &[
            ("Storm", "#5e6672", "main fur"),
            ("Snow", "#f6f6f4", "underbelly and muzzle"),
            ("Ice", "#a8d8f0", "collar"),
        ],
        "A Storm coat with a Snow mask and a ring of Ice around the neck.",
        "one blue, one gold",
    ),
    sample(
        "Gale",
        "gryphon",
        &[
            ("Wheat", "#c89c5c", "plumage"),
            ("Snow", "#f8f4ec", "face"),
            ("Gold", "#f0c040", "beak and talons"),
        ],
        "Wheat plumage with a Snow face.",
        "amber",
    ),
];

fn fursona(sample: &Sample) -> Fursona {
    Fursona {
        name: sample.name.to_owned(),
        species: sample.species.to_owned(),
        palette: sample
            .palette
            .iter()
            .map(|(name, hex, placement)| Swatch {
                name: (*name).to_owned(),
                hex: (*hex).to_owned(),
                placement: (*placement).to_owned(),
            })
            .collect(),
        markings: sample.markings.to_owned(),
        eye_color: sample.eyes.to_owned(),
        personality: vec![
            "Curious".to_owned(),
            "Loyal".to_owned(),
            "Mischievous".to_owned(),
        ],
        backstory: "Drawn for the benchmark.".to_owned(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn time(
    runs: usize,
    mut work: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<(Duration, Duration)> {
    work()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

fn slug(species: &str) -> String {
    species.to_lowercase().replace(' ', "-")
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "art-shots".to_owned()));
    let runs: usize = match args.next() {
        Some(runs) => runs.parse()?,
        None => DEFAULT_RUNS,
    };
    std::fs::create_dir_all(&out)?;
    let started = Instant::now();
    let art = Art::new();
    println!("Art::new: {:?}", started.elapsed());

    let fursonas: Vec<Fursona> = SAMPLES.iter().map(fursona).collect();
    let rows = (fursonas.len() as u32).div_ceil(COLUMNS);
    let mut contact = Pixmap::new(COLUMNS * CELL, rows * (CELL + LABEL))
        .ok_or_else(|| anyhow::anyhow!("contact sheet size"))?;
    contact.fill(resvg::tiny_skia::Color::from_rgba8(246, 241, 234, 255));
    for (i, fursona) in fursonas.iter().enumerate() {
        let svg = art.portrait_svg(fursona);
        let slug = slug(&fursona.species);
        std::fs::write(out.join(format!("{slug}.svg")), &svg)?;
        std::fs::write(out.join(format!("{slug}.png")), art.png(&svg, 512, 512)?)?;
        let cell = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CELL} {h}" width="{CELL}" height="{h}"><g transform="translate(8 4) scale({k})">{inner}</g><text x="{mid}" y="{ty}" text-anchor="middle" font-family="Inter" font-size="17" font-weight="700" fill="#3a3044">{label}</text></svg>"##,
            h = CELL + LABEL,
            k = (CELL - 16) as f32 / 512.0,
            inner = svg
                .trim_start_matches(|c| c != '>')
                .trim_start_matches('>')
                .trim_end_matches("</svg>"),
            mid = CELL / 2,
            ty = CELL + LABEL - 12,
            label = fursona.species,
        );
        let tile = Pixmap::decode_png(&art.png(&cell, CELL, CELL + LABEL)?)?;
        let (x, y) = (
            (i as u32 % COLUMNS) * CELL,
            (i as u32 / COLUMNS) * (CELL + LABEL),
        );
        contact.draw_pixmap(
            x as i32,
            y as i32,
            tile.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            None,
        );
    }
    contact.save_png(out.join("contact-sheet.png"))?;

    let sheet_fursona = &fursonas[1];
    let sheet = art.sheet_svg(sheet_fursona, "Made by the offline generator");
    std::fs::write(out.join("sheet.svg"), &sheet)?;
    std::fs::write(out.join("sheet.png"), art.png(&sheet, 1600, 1000)?)?;
    let mut long = fursonas[5].clone();
    long.name = "Sir Reginald Fluffington the Third of the Whispering Pines 🦊 狐".to_owned();
    long.markings = "Bold Soot stripes along the flanks, a Snow muzzle fading into a pale belly, and two faint spots above the eyes that only show in summer.".to_owned();
    long.palette.push(Swatch {
        name: "Amber".to_owned(),
        hex: "#e8a030".to_owned(),
        placement: "cheek markings".to_owned(),
    });
    long.palette.push(Swatch {
        name: "Moss".to_owned(),
        hex: "#607840".to_owned(),
        placement: "collar".to_owned(),
    });
    long.palette.push(Swatch {
        name: "Rose".to_owned(),
        hex: "#e890a0".to_owned(),
        placement: "inner ears".to_owned(),
    });
    std::fs::write(
        out.join("sheet-long.png"),
        art.sheet_png(&long, "Made by openai · gpt-4o-mini")?,
    )?;

    let mut portrait_svg = 0usize;
    let (svg_p50, svg_p99) = time(runs, || {
        portrait_svg += art.portrait_svg(&fursonas[runs % fursonas.len()]).len();
        Ok(())
    })?;
    let mut sheet_svg = 0usize;
    let (sheet_svg_p50, sheet_svg_p99) = time(runs, || {
        sheet_svg += art
            .sheet_svg(sheet_fursona, "Made by the offline generator")
            .len();
        Ok(())
    })?;
    let mut next = 0;
    let (png_p50, png_p99) = time(runs, || {
        next += 1;
        art.portrait_png(&fursonas[next % fursonas.len()], 512)?;
        Ok(())
    })?;
    let (sheet_p50, sheet_p99) = time(runs, || {
        art.sheet_png(sheet_fursona, "Made by the offline generator")?;
        Ok(())
    })?;
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for fursona in &fursonas {
        let (p50, _) = time(20, || {
            art.portrait_png(fursona, 512)?;
            Ok(())
        })?;
        slowest.push((p50, &fursona.species));
    }
    slowest.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
    let size = art.portrait_svg(&fursonas[0]).len();
    println!("{} portraits written to {}", fursonas.len(), out.display());
    println!(
        "portrait SVG build:        p50 {svg_p50:?}  p99 {svg_p99:?}  ({size} bytes for the wolf)"
    );
    println!(
        "sheet SVG build:           p50 {sheet_svg_p50:?}  p99 {sheet_svg_p99:?}  ({} bytes)",
        sheet.len()
    );
    println!("portrait PNG 512 (svg+png): p50 {png_p50:?}  p99 {png_p99:?}");
    println!("sheet PNG 1600x1000:       p50 {sheet_p50:?}  p99 {sheet_p99:?}");
    println!(
        "slowest portraits (p50 of 20): {:?}",
        &slowest[..5.min(slowest.len())]
    );
    println!(
        "fastest portraits (p50 of 20): {:?}",
        &slowest[slowest.len().saturating_sub(3)..]
    );
    let _ = (portrait_svg, sheet_svg);
    Ok(())
}
