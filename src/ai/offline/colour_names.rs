//! Evocative colour names, and naming a palette from them by perceptual nearness.

use palette::Srgb;
use palette::color_difference::Ciede2000;

use super::dominant::{PhotoColour, to_lab};

/// Names with their sRGB values (0xrrggbb), spread over the whole colour space so every photo
/// colour has a fitting neighbour: neutrals, browns and skin tones are dense because photos are.
const COLOUR_NAMES: &[(&str, u32)] = &[
    // Whites and off-whites
    ("Snow", 0xfafafa),
    ("Ivory", 0xfffff0),
    ("Pearl", 0xeae6dc),
    ("Cream", 0xf3e5c8),
    ("Linen", 0xfaf0e6),
    ("Eggshell", 0xf0ead6),
    ("Frost", 0xe4eef4),
    ("Bone", 0xe3dac9),
    ("Oatmeal", 0xdcd0b9),
    ("Porcelain", 0xf4e1d2),
    // Greys
    ("Fog", 0xd4d6d8),
    ("Silver", 0xc0c0c0),
    ("Ash", 0xb2b0aa),
    ("Dove Grey", 0x9c9a96),
    ("Concrete", 0x8f9193),
    ("Smoke", 0x7b7b7b),
    ("Pewter", 0x8e9294),
    ("Slate", 0x6c7a89),
    ("Storm Grey", 0x5f6670),
    ("Iron", 0x52575c),
    ("Graphite", 0x3f4145),
    ("Charcoal", 0x36393d),
    ("Gunmetal", 0x2c3539),
    ("Taupe", 0x8b7d6b),
    ("Mushroom", 0xbaa592),
    ("Driftwood", 0xa18f78),
    ("Heather", 0x9e8fa8),
    // Blacks
    ("Soot", 0x1f1c1a),
    ("Ink", 0x15171e),
    ("Jet", 0x0c0c0c),
    ("Obsidian", 0x141820),
    ("Liquorice", 0x1b1212),
    ("Peat", 0x3b2f25),
    // Browns
    ("Espresso", 0x3c2a21),
    ("Bark", 0x4e3b2f),
    ("Chocolate", 0x5a3825),
    ("Walnut", 0x5c4033),
    ("Umber", 0x635147),
    ("Coffee", 0x6f4e37),
    ("Mocha", 0x7b5a48),
    ("Acorn", 0x7a5230),
    ("Sepia", 0x704214),
    ("Russet", 0x80461b),
    ("Cocoa", 0x875f42),
    ("Chestnut", 0x954535),
    ("Mahogany", 0x6e2b1f),
    ("Sienna", 0x8e4b2a),
    ("Cedar", 0x8a5a44),
    ("Toffee", 0xa0672f),
    ("Hazelnut", 0xa67b5b),
    ("Cinnamon", 0xb06a3b),
    ("Tawny", 0xb5713a),
    ("Caramel", 0xc68642),
    ("Ginger", 0xc46a2b),
    ("Copper", 0xb87333),
    ("Bronze", 0xcd7f32),
    ("Rust", 0xb7410e),
    ("Brick", 0x9c3d2f),
    ("Terracotta", 0xc8664a),
    ("Fawn", 0xd2a679),
    ("Buckskin", 0xd1a36b),
    ("Biscuit", 0xd8b48a),
    ("Sand", 0xd6c09a),
    ("Khaki", 0xbdb284),
    // Skin tones
    ("Almond", 0xefdecd),
    ("Peach", 0xffcba4),
    ("Apricot", 0xfbceb1),
    ("Tan", 0xd2b48c),
    ("Golden Tan", 0xc9955f),
    ("Honey", 0xe0a44a),
    ("Nutmeg", 0x81422c),
    ("Blush", 0xf1b6b0),
    ("Rosewood", 0x9e5e4f),
    ("Deep Umber", 0x4a2c21),
    // Reds
    ("Scarlet", 0xff2400),
    ("Candy Apple", 0xff0800),
    ("Crimson", 0xdc143c),
    ("Cardinal", 0xc41e3a),
    ("Ruby", 0x9b111e),
    ("Garnet", 0x733635),
    ("Oxblood", 0x4a0404),
    ("Maroon", 0x800000),
    ("Burgundy", 0x800020),
    ("Wine", 0x722f37),
    ("Poppy", 0xe35335),
    ("Vermilion", 0xe34234),
    ("Tomato", 0xff6347),
    ("Coral", 0xff7f50),
    ("Salmon", 0xfa8072),
    // Oranges
    ("Tangerine", 0xf28500),
    ("Pumpkin", 0xff7518),
    ("Burnt Orange", 0xcc5500),
    ("Ember", 0xe25822),
    ("Neon Orange", 0xff6700),
    ("Ochre", 0xcc7722),
    ("Butterscotch", 0xe3963e),
    ("Marigold", 0xeaa221),
    ("Amber", 0xffbf00),
    // Yellows
    ("Saffron", 0xf4c430),
    ("Mustard", 0xe1ad01),
    ("Goldenrod", 0xdaa520),
    ("Gold", 0xffd700),
    ("Sunflower", 0xffc512),
    ("Canary", 0xffef00),
    ("Lemon", 0xfff44f),
    ("Butter", 0xfff1a8),
    ("Straw", 0xe4d96f),
    ("Brass", 0xb5a642),
    ("Neon Yellow", 0xe7ff1e),
    // Greens
    ("Electric Lime", 0xccff00),
    ("Chartreuse", 0x7fff00),
    ("Neon Green", 0x39ff14),
    ("Lime", 0x32cd32),
    ("Pistachio", 0x93c572),
    ("Moss", 0x8a9a5b),
    ("Olive", 0x808000),
    ("Avocado", 0x568203),
    ("Army Green", 0x4b5320),
    ("Sage", 0x9caf88),
    ("Celadon", 0xace1af),
    ("Mint", 0xaaf0d1),
    ("Seafoam", 0x93e9be),
    ("Fern", 0x4f7942),
    ("Forest Green", 0x228b22),
    ("Hunter Green", 0x355e3b),
    ("Juniper", 0x3d5a4c),
    ("Emerald", 0x50c878),
    ("Jade", 0x00a86b),
    ("Bottle Green", 0x006a4e),
    ("Pine", 0x01796f),
    // Teals and cyans
    ("Deep Teal", 0x004d4d),
    ("Teal", 0x008080),
    ("Peacock", 0x00a3ad),
    ("Verdigris", 0x43b3ae),
    ("Turquoise", 0x40e0d0),
    ("Sea Glass", 0x9fd5c9),
    ("Neon Cyan", 0x00fff0),
    ("Electric Blue", 0x7df9ff),
    // Blues
    ("Ice Blue", 0xd6ecef),
    ("Powder Blue", 0xb0e0e6),
    ("Baby Blue", 0x89cff0),
    ("Sky Blue", 0x87ceeb),
    ("Glacier", 0x80b3c4),
    ("Steel Blue", 0x4682b4),
    ("Storm Blue", 0x4a6076),
    ("Dusk Blue", 0x4d5d80),
    ("Cornflower", 0x6495ed),
    ("Cerulean", 0x007ba7),
    ("Azure", 0x007fff),
    ("Denim", 0x1560bd),
    ("Royal Blue", 0x4169e1),
    ("Cobalt", 0x0047ab),
    ("Sapphire", 0x0f52ba),
    ("Ultramarine", 0x2a1bd6),
    ("Electric Indigo", 0x3300ff),
    ("Navy", 0x000080),
    ("Midnight Blue", 0x191970),
    ("Periwinkle", 0xccccff),
    // Purples
    ("Lilac", 0xc8a2c8),
    ("Lavender", 0xb57edc),
    ("Mauve", 0xe0b0ff),
    ("Thistle", 0xd8bfd8),
    ("Amethyst", 0x9966cc),
    ("Royal Purple", 0x7851a9),
    ("Violet", 0x8f00ff),
    ("Neon Purple", 0xbc13fe),
    ("Grape", 0x6f2da8),
    ("Indigo", 0x4b0082),
    ("Plum", 0x8e4585),
    ("Byzantium", 0x702963),
    ("Aubergine", 0x3d0734),
    ("Orchid", 0xda70d6),
    // Pinks
    ("Magenta", 0xff00ff),
    ("Neon Pink", 0xff10f0),
    ("Hot Pink", 0xff69b4),
    ("Raspberry", 0xe30b5c),
    ("Cerise", 0xde3163),
    ("Watermelon", 0xfc6c85),
    ("Flamingo", 0xfc8eac),
    ("Bubblegum", 0xffc1cc),
    ("Rose Quartz", 0xf7cac9),
    ("Dusty Rose", 0xb7848c),
    ("Peony", 0xe26d9b),
    ("Candyfloss", 0xf7b5d3),
];

fn srgb(value: u32) -> Srgb<u8> {
    let [_, red, green, blue] = value.to_be_bytes();
    Srgb::new(red, green, blue)
}

/// One distinct name per colour, in order: each takes the perceptually nearest name (CIEDE2000)
/// not already given to an earlier, larger colour.
pub(super) fn name_colours(colours: &[PhotoColour]) -> Vec<&'static str> {
    let table: Vec<_> = COLOUR_NAMES
        .iter()
        .map(|&(name, value)| (name, to_lab(srgb(value))))
        .collect();
    let mut names: Vec<&'static str> = Vec::with_capacity(colours.len());
    for colour in colours {
        let nearest = table
            .iter()
            .filter(|(name, _)| !names.contains(name))
            .min_by(|a, b| {
                colour
                    .lab
                    .difference(a.1)
                    .total_cmp(&colour.lab.difference(b.1))
            })
            .map_or("Mystery", |&(name, _)| name);
        names.push(nearest);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use palette::Lab;

    fn colour(rgb: u32) -> PhotoColour {
        PhotoColour {
            srgb: srgb(rgb),
            lab: to_lab(srgb(rgb)),
            share: 0.5,
        }
    }

    #[test]
    fn the_table_has_unique_names_and_valid_colours() {
        assert!(
            (120..=200).contains(&COLOUR_NAMES.len()),
            "{}",
            COLOUR_NAMES.len()
        );
        let mut names: Vec<_> = COLOUR_NAMES
            .iter()
            .map(|(name, _)| name.to_lowercase())
            .collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a colour name appears twice");
        for &(name, value) in COLOUR_NAMES {
            assert!(value <= 0xff_ffff, "{name}");
            assert!(!name.trim().is_empty() && name.len() <= 60);
        }
    }

    #[test]
    fn the_table_covers_the_colour_space() {
        // Every sampled sRGB colour has a name within a modest perceptual distance.
        let table: Vec<Lab> = COLOUR_NAMES.iter().map(|&(_, v)| to_lab(srgb(v))).collect();
        for red in (0..=255).step_by(51) {
            for green in (0..=255).step_by(51) {
                for blue in (0..=255).step_by(51) {
                    let lab = to_lab(Srgb::new(red, green, blue));
                    let nearest = table
                        .iter()
                        .map(|&t| lab.difference(t))
                        .fold(f32::MAX, f32::min);
                    assert!(nearest < 16.0, "({red}, {green}, {blue}) is {nearest} away");
                }
            }
        }
    }

    #[test]
    fn exact_table_colours_get_their_own_name() {
        assert_eq!(name_colours(&[colour(0xb7410e)]), ["Rust"]);
        assert_eq!(name_colours(&[colour(0x6c7a89)]), ["Slate"]);
    }

    #[test]
    fn two_similar_colours_get_different_names() {
        let names = name_colours(&[colour(0xdcd0b9), colour(0xdcd0ba), colour(0xdcd0bb)]);
        assert_eq!(names[0], "Oatmeal");
        assert_ne!(names[1], names[0]);
        assert_ne!(names[2], names[1]);
        assert_ne!(names[2], names[0]);
    }
}
