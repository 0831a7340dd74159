//! Names: a given name, from a list or built from syllables, sometimes with a surname or an
//! epithet taken from the palette, the species' body or a trait.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::domain::body_plan::Covering;

const GIVEN: &[&str] = &[
    "Ember",
    "Kestrel",
    "Marlowe",
    "Vesper",
    "Sable",
    "Juniper",
    "Rook",
    "Thistle",
    "Orrin",
    "Wren",
    "Cassius",
    "Maple",
    "Ezra",
    "Sorrel",
    "Lumen",
    "Bramble",
    "Zephyr",
    "Nyx",
    "Talon",
    "Rowan",
    "Ashby",
    "Pip",
    "Saffron",
    "Hollis",
    "Tamsin",
    "Corvin",
    "Nova",
    "Cinder",
    "Lark",
    "Bastian",
    "Odessa",
    "Kaito",
    "Milo",
    "Sparrow",
    "Tobias",
    "Aurelio",
    "Marisol",
    "Zuri",
    "Ione",
    "Fable",
    "Lyric",
    "Haze",
    "Echo",
    "Juno",
    "Rune",
    "Koda",
    "Sasha",
    "Ravi",
    "Inka",
    "Mireille",
    "Quincy",
    "Briar",
    "Soren",
    "Calla",
    "Dashiell",
    "Yuki",
    "Ottoline",
    "Fennick",
    "Alder",
    "Birch",
    "Clementine",
    "Dorian",
    "Elowen",
    "Fitz",
    "Gideon",
    "Hazel",
    "Isolde",
    "Jasper",
    "Keziah",
    "Linden",
    "Mabel",
    "Nico",
    "Opal",
    "Perrin",
    "Rosalind",
    "Silas",
    "Tansy",
    "Ulric",
    "Winslow",
    "Xanthe",
    "Yarrow",
    "Zinnia",
    "Arlo",
    "Bodhi",
    "Cosimo",
    "Delphine",
    "Emrys",
    "Florian",
    "Greer",
    "Hugo",
    "Ilse",
    "Jovie",
    "Kai",
    "Leif",
    "Minka",
    "Nettle",
    "Oberon",
    "Pippa",
    "Rafferty",
    "Sunniva",
    "Thaddeus",
    "Umber",
    "Vireo",
    "Wilder",
    "Yves",
    "Zora",
    "Anouk",
    "Bertram",
    "Cove",
    "Dune",
    "Eider",
    "Fern",
    "Gale",
    "Heron",
    "Indigo",
    "Jet",
    "Kit",
    "Lupin",
    "Moss",
    "Nell",
    "Onyx",
    "Pike",
    "Reed",
    "Sage",
    "Tarragon",
    "Ursa",
    "Vix",
    "Willow",
    "Ximena",
    "Yara",
    "Zed",
];

/// Openings end in a vowel and endings start with a consonant, so any pair can be said aloud.
const OPENINGS: &[&str] = &[
    "Ka", "Ve", "Ma", "Lo", "Ri", "Sa", "Tha", "Ze", "Ny", "O", "Ca", "Fe", "Bri", "Da", "E", "Ky",
    "Mo", "Si", "Ta", "Va", "Wy", "Ro", "Ju", "Ne",
];
const MIDDLES: &[&str] = &["la", "ri", "no", "ve", "sha", "di"];
const ENDINGS: &[&str] = &[
    "ra", "lix", "ren", "wyn", "dor", "ri", "thas", "sha", "vel", "niel", "rin", "ko", "zi", "mir",
    "dra", "lyn", "tor", "vik", "nna", "ssa", "rah", "li", "xen", "ro",
];

const SURNAMES: &[&str] = &[
    "Quill",
    "Ashdown",
    "Thorne",
    "Vale",
    "Larkspur",
    "Harrow",
    "Brightwater",
    "Fenwick",
    "Coldbrook",
    "Mossgrove",
    "Penhallow",
    "Starling",
    "Wick",
    "Greymantle",
    "Underbough",
    "Fairweather",
];

const PLACES: &[&str] = &[
    "Ridge",
    "Hollow",
    "Salt Flats",
    "Northern Pines",
    "Ninth Moon",
    "Drowned Library",
    "Copper Hills",
    "Long Road",
    "Lantern Coast",
    "Quiet Fen",
    "Last Orchard",
    "High Marsh",
];

/// A full name, at most a few dozen characters.
pub(super) fn compose(
    rng: &mut impl Rng,
    covering: Covering,
    colour_names: &[&str],
    traits: &[String],
) -> String {
    let given = given_name(rng);
    match rng.random_range(0..100) {
        0..35 => given,
        35..55 => format!("{given} {}", pick(rng, SURNAMES)),
        55..67 => format!("{given} of the {}", pick(rng, PLACES)),
        67..85 => match colour_epithet(rng, covering, colour_names) {
            Some(epithet) => format!("{given} {epithet}"),
            None => given,
        },
        _ => match traits.choose(rng) {
            Some(personality_trait) => format!("{given} the {personality_trait}"),
            None => given,
        },
    }
}

/// The part of a full name used in later sentences: "Vesper" of "Vesper Quill".
pub(super) fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or(full)
}

fn given_name(rng: &mut impl Rng) -> String {
    if rng.random_bool(0.5) {
        return pick(rng, GIVEN).to_owned();
    }
    let middle = if rng.random_bool(0.25) {
        pick(rng, MIDDLES)
    } else {
        ""
    };
    format!("{}{middle}{}", pick(rng, OPENINGS), pick(rng, ENDINGS))
}

/// "Soottail", "Cobaltwing": a palette colour worn on a body part.
fn colour_epithet(rng: &mut impl Rng, covering: Covering, colour_names: &[&str]) -> Option<String> {
    let colour = colour_names.get(..3).unwrap_or(colour_names).choose(rng)?;
    let word = colour.split_whitespace().last()?;
    let part = pick(rng, body_parts(covering));
    // "Rust-tail" rather than "Rusttail".
    let joint = if word.chars().last() == part.chars().next() {
        "-"
    } else {
        ""
    };
    Some(format!("{word}{joint}{part}"))
}

fn body_parts(covering: Covering) -> &'static [&'static str] {
    match covering {
        Covering::Fur => &["tail", "paw", "mane", "coat", "ear"],
        Covering::Feathers => &["wing", "plume", "crest", "feather"],
        Covering::Scales => &["scale", "horn", "claw", "fang"],
        Covering::Plating => &["circuit", "spark", "visor"],
        Covering::Hide => &["fin", "tide", "wake"],
    }
}

fn pick(rng: &mut impl Rng, table: &'static [&'static str]) -> &'static str {
    table.choose(rng).copied().unwrap_or("Ember")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn names_are_short_capitalised_and_varied() {
        let mut rng = StdRng::seed_from_u64(8);
        let traits = ["Curious".to_owned(), "Warm-hearted".to_owned()];
        let mut names: Vec<String> = (0..300)
            .map(|_| {
                compose(
                    &mut rng,
                    Covering::Fur,
                    &["Midnight Blue", "Rust", "Cream"],
                    &traits,
                )
            })
            .collect();
        for name in &names {
            assert!(
                name.len() <= 80 && name.starts_with(char::is_uppercase),
                "{name}"
            );
            assert!(!name.contains("  ") && name.trim() == name, "{name}");
        }
        names.sort();
        names.dedup();
        assert!(names.len() > 200, "{}", names.len());
    }

    #[test]
    fn colour_epithets_join_cleanly() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            let epithet = colour_epithet(&mut rng, Covering::Fur, &["Rust"]).unwrap_or_default();
            assert!(epithet.starts_with("Rust"), "{epithet}");
            assert!(!epithet.contains("tt"), "{epithet}");
        }
        assert_eq!(colour_epithet(&mut rng, Covering::Fur, &[]), None);
    }

    #[test]
    fn the_first_name_is_the_first_word() {
        assert_eq!(first_name("Vesper Quill"), "Vesper");
        assert_eq!(first_name("Sable of the Ridge"), "Sable");
        assert_eq!(first_name("Ember"), "Ember");
    }
}
