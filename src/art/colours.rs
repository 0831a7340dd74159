//! Which palette colour goes on which part, eye colour words as colours, and the shading helpers.

use crate::domain::fursona::Fursona;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`; anything else is `None` (validated fursonas always parse).
    pub fn parse(hex: &str) -> Option<Rgb> {
        let digits = hex.trim().strip_prefix('#')?;
        if digits.len() != 6 || !digits.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    pub fn mix(self, other: Rgb, t: f32) -> Rgb {
        let t = t.clamp(0.0, 1.0);
        let channel =
            |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Rgb(
            channel(self.0, other.0),
            channel(self.1, other.1),
            channel(self.2, other.2),
        )
    }

    pub fn darken(self, t: f32) -> Rgb {
        // Towards a deep blue-violet rather than black: shadows stay coloured, as in cel shading.
        self.mix(Rgb(20, 14, 38), t)
    }

    pub fn lighten(self, t: f32) -> Rgb {
        self.mix(Rgb(255, 252, 245), t)
    }

    /// Relative luminance, 0 (black) to 1 (white).
    pub fn luma(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// The outline for a fill: clearly darker, a little lighter for fills already near black.
    pub fn ink(self) -> Rgb {
        if self.luma() < 0.02 {
            self.mix(Rgb(0, 0, 0), 0.6)
        } else {
            self.darken(0.55)
        }
    }

    fn chroma(self) -> u8 {
        let max = self.0.max(self.1).max(self.2);
        let min = self.0.min(self.1).min(self.2);
        max - min
    }
}

/// The parts the drawing colours, each from the palette when a placement names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Light,
    Secondary,
    Ears,
    InnerEars,
    Tips,
    Stripes,
    Spots,
    Mask,
    Nose,
    Mane,
    Horns,
    Visor,
    Led,
    Wings,
    Fins,
    Cheeks,
    Collar,
    Star,
    Brows,
    Tail,
    Scales,
    /// The bust: only a placement that names the shoulders recolours them.
    Shoulders,
    /// Legs and paws: named so they are not mistaken for other parts; not in a head-and-
    /// shoulders pose.
    Limbs,
}

const SLOTS: usize = 23;

/// Placement words for each slot, checked against the lower-cased placement text.
const WORDS: &[(Slot, &[&str])] = &[
    (
        Slot::InnerEars,
        &["inner ear", "inside the ear", "ear lining"],
    ),
    (Slot::Tips, &["tip", "wingtip"]),
    (
        Slot::Led,
        &[
            "led", "display", "glow", "light", "core", "screen", "antenna",
        ],
    ),
    (Slot::Visor, &["visor"]),
    (
        Slot::Light,
        &[
            "belly", "muzzle", "chest", "bib", "under", "throat", "breast", "chin", "jaw", "face",
            "ruff", "plates",
        ],
    ),
    (Slot::Ears, &["ear"]),
    (Slot::Collar, &["collar", "neck", "scarf"]),
    (
        Slot::Stripes,
        &["stripe", "barring", "banding", "band", "seam", "streak"],
    ),
    (Slot::Spots, &["spot", "rosette", "freckle", "dapple"]),
    (Slot::Mask, &["mask", "eye", "rim", "patch"]),
    (Slot::Nose, &["nose", "snout"]),
    (
        Slot::Mane,
        &[
            "mane", "crest", "hair", "fringe", "forelock", "crown", "spine", "nape",
        ],
    ),
    (
        Slot::Horns,
        &[
            "horn", "antler", "claw", "beak", "talon", "hoof", "hooves", "tusk",
        ],
    ),
    (Slot::Wings, &["wing", "feather"]),
    (Slot::Fins, &["fin", "frill", "fluke"]),
    (Slot::Cheeks, &["cheek"]),
    (Slot::Star, &["star", "blaze", "forehead"]),
    (Slot::Brows, &["brow"]),
    (
        Slot::Secondary,
        &[
            "back", "shoulder", "saddle", "flank", "leg", "paw", "sock", "limb", "arm", "head",
        ],
    ),
    (Slot::Shoulders, &["shoulder"]),
    (
        Slot::Limbs,
        &[
            "leg", "paw", "sock", "limb", "arm", "hand", "joint", "hoof", "foot", "feet",
        ],
    ),
    (Slot::Scales, &["scale"]),
    (Slot::Tail, &["tail"]),
];

const MAIN_WORDS: &[&str] = &["main", "coat", "body", "plumage", "hide", "base", "overall"];

/// The portrait's colours: the palette on the parts it names, the rest derived from the base.
#[derive(Clone, Debug)]
pub struct Colours {
    pub base: Rgb,
    named: [Option<Rgb>; SLOTS],
    lightest: Rgb,
    darkest: Rgb,
    /// Palette colours not placed on any slot, for markings the text mentions.
    pub spare: Vec<Rgb>,
    pub swatches: Vec<(String, Rgb)>,
}

impl Colours {
    pub fn of(fursona: &Fursona) -> Colours {
        let swatches: Vec<(String, Rgb, String)> = fursona
            .palette
            .iter()
            .filter_map(|s| {
                Rgb::parse(&s.hex).map(|c| (s.name.clone(), c, s.placement.to_lowercase()))
            })
            .collect();
        let main = swatches
            .iter()
            .position(|(_, _, place)| MAIN_WORDS.iter().any(|w| place.contains(w)))
            .unwrap_or(0);
        let base = swatches.get(main).map_or(Rgb(150, 120, 100), |s| s.1);
        let mut named = [None; SLOTS];
        let mut spare = Vec::new();
        for (index, (_, colour, place)) in swatches.iter().enumerate() {
            if index == main {
                continue;
            }
            let mut used = false;
            for (slot, words) in WORDS {
                if words.iter().any(|w| place.contains(w)) && named[*slot as usize].is_none() {
                    named[*slot as usize] = Some(*colour);
                    used = true;
                    // "underbelly and muzzle" is one slot; "horns and claws" too: the first
                    // match is the part the placement is mostly about.
                    break;
                }
            }
            if !used {
                spare.push(*colour);
            }
        }
        let by_luma = |a: &&(String, Rgb, String), b: &&(String, Rgb, String)| {
            a.1.luma().total_cmp(&b.1.luma())
        };
        let lightest = swatches.iter().max_by(by_luma).map_or(base, |s| s.1);
        let darkest = swatches.iter().min_by(by_luma).map_or(base, |s| s.1);
        Colours {
            base,
            named,
            lightest,
            darkest,
            spare,
            swatches: swatches.into_iter().map(|(n, c, _)| (n, c)).collect(),
        }
    }

    /// The palette colour a placement named for this slot, if any.
    pub fn named(&self, slot: Slot) -> Option<Rgb> {
        self.named[slot as usize]
    }

    /// The colour for a slot: the palette's when named, otherwise one that suits the base.
    pub fn get(&self, slot: Slot) -> Rgb {
        if let Some(colour) = self.named(slot) {
            return colour;
        }
        let base = self.base;
        match slot {
            Slot::Light | Slot::Cheeks | Slot::Star => self.light(),
            Slot::Secondary | Slot::Ears | Slot::Tail => base.darken(0.12),
            Slot::Brows => {
                if base.luma() > 0.25 {
                    self.dark()
                } else {
                    self.light()
                }
            }
            Slot::InnerEars => self.light().mix(Rgb(240, 160, 170), 0.35),
            Slot::Tips | Slot::Stripes | Slot::Spots | Slot::Mask => self.dark(),
            Slot::Mane => self.named(Slot::Secondary).unwrap_or(base.darken(0.25)),
            Slot::Nose => {
                if base.luma() < 0.04 {
                    Rgb(70, 58, 70)
                } else {
                    Rgb(52, 40, 48)
                }
            }
            Slot::Horns => self.light().mix(Rgb(226, 214, 188), 0.6),
            Slot::Visor => Rgb(22, 24, 34),
            Slot::Led => Rgb(80, 240, 255),
            Slot::Wings | Slot::Fins => self.named(Slot::Secondary).unwrap_or(base.darken(0.2)),
            Slot::Collar => self.spare.first().copied().unwrap_or(self.dark()),
            Slot::Scales => base.darken(0.18),
            Slot::Shoulders => base,
            Slot::Limbs => base.darken(0.3),
        }
    }

    /// The lightest palette colour when it is clearly lighter than the base.
    fn light(&self) -> Rgb {
        if self.lightest.luma() > self.base.luma() + 0.12 {
            self.lightest
        } else if self.base.luma() > 0.6 {
            self.base.lighten(0.6)
        } else {
            self.base.lighten(0.55)
        }
    }

    fn dark(&self) -> Rgb {
        if self.darkest.luma() + 0.08 < self.base.luma() {
            self.darkest
        } else if self.base.luma() < 0.08 {
            self.base.lighten(0.25)
        } else {
            self.base.darken(0.45)
        }
    }

    /// The palette colour whose name the text mentions first, for markings described in words.
    pub fn mentioned_in(&self, text: &str) -> Option<Rgb> {
        let lower = text.to_lowercase();
        self.swatches
            .iter()
            .filter_map(|(name, colour)| {
                let name = name.to_lowercase();
                (!name.is_empty()).then(|| lower.find(&name).map(|at| (at, *colour)))?
            })
            .min_by_key(|(at, _)| *at)
            .map(|(_, colour)| colour)
    }

    /// The most vivid palette colour, for accents the palette does not place.
    pub fn accent(&self) -> Rgb {
        self.swatches
            .iter()
            .map(|(_, c)| *c)
            .max_by_key(|c| c.chroma())
            .unwrap_or(self.base)
    }
}

/// Colour words, most specific first: the first one found in the eye text wins.
const EYE_WORDS: &[(&str, Rgb)] = &[
    ("ice", Rgb(150, 214, 240)),
    ("sky", Rgb(110, 180, 240)),
    ("cornflower", Rgb(100, 149, 237)),
    ("sapphire", Rgb(40, 90, 200)),
    ("sea green", Rgb(60, 170, 140)),
    ("moss", Rgb(120, 150, 60)),
    ("emerald", Rgb(30, 170, 100)),
    ("jade", Rgb(60, 170, 120)),
    ("mint", Rgb(150, 230, 190)),
    ("lime", Rgb(160, 220, 60)),
    ("olive", Rgb(128, 128, 50)),
    ("teal", Rgb(30, 150, 150)),
    ("turquoise", Rgb(60, 200, 200)),
    ("aqua", Rgb(80, 220, 220)),
    ("cyan", Rgb(60, 230, 250)),
    ("hazel", Rgb(150, 120, 60)),
    ("honey", Rgb(220, 160, 50)),
    ("amber", Rgb(230, 150, 30)),
    ("gold", Rgb(235, 185, 40)),
    ("yellow", Rgb(240, 210, 60)),
    ("copper", Rgb(200, 110, 60)),
    ("bronze", Rgb(190, 130, 60)),
    ("orange", Rgb(245, 130, 40)),
    ("sunset", Rgb(250, 120, 60)),
    ("chestnut", Rgb(140, 80, 40)),
    ("brown", Rgb(120, 75, 40)),
    ("chocolate", Rgb(100, 60, 35)),
    ("lilac", Rgb(200, 160, 230)),
    ("lavender", Rgb(180, 150, 230)),
    ("violet", Rgb(140, 80, 210)),
    ("purple", Rgb(130, 60, 190)),
    ("magenta", Rgb(230, 60, 200)),
    ("pink", Rgb(245, 130, 180)),
    ("rose", Rgb(230, 110, 140)),
    ("crimson", Rgb(200, 30, 60)),
    ("ruby", Rgb(210, 30, 70)),
    ("scarlet", Rgb(230, 40, 40)),
    ("red", Rgb(220, 50, 50)),
    ("silver", Rgb(190, 200, 210)),
    ("storm", Rgb(110, 125, 140)),
    ("grey", Rgb(140, 145, 150)),
    ("gray", Rgb(140, 145, 150)),
    ("white", Rgb(235, 240, 245)),
    ("ink", Rgb(40, 36, 48)),
    ("black", Rgb(40, 36, 48)),
    ("blue", Rgb(60, 130, 220)),
    ("green", Rgb(70, 170, 80)),
];

/// Eye colours: one for each eye (`"one blue, one gold"` gives two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eyes {
    pub right: Rgb,
    pub left: Rgb,
    /// "rainbow" displays cycle colours.
    pub rainbow: bool,
}

/// Reads the eye text: a palette colour it echoes by name ("ginger, echoing the mane"),
/// otherwise colour words; `fallback` when nothing is recognised.
pub fn eyes(text: &str, colours: &Colours, fallback: Rgb) -> Eyes {
    let lower = text.to_lowercase();
    let rainbow = lower.contains("rainbow");
    let word = |part: &str| -> Option<Rgb> {
        EYE_WORDS
            .iter()
            .find(|(w, _)| part.contains(w))
            .map(|(_, c)| *c)
    };
    if let Some((first, second)) = lower
        .split_once(", one ")
        .filter(|_| lower.starts_with("one "))
        && let (Some(a), Some(b)) = (word(first), word(second))
    {
        return Eyes {
            right: a,
            left: b,
            rainbow,
        };
    }
    let echoed = lower
        .contains("echo")
        .then(|| colours.mentioned_in(&lower))
        .flatten();
    let colour = echoed
        .or_else(|| word(&lower))
        .or_else(|| colours.mentioned_in(&lower))
        .unwrap_or(fallback);
    Eyes {
        right: colour,
        left: colour,
        rainbow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fursona::Swatch;

    fn fursona(palette: &[(&str, &str, &str)], eyes: &str) -> Fursona {
        Fursona {
            name: "Test".into(),
            species: "wolf".into(),
            palette: palette
                .iter()
                .map(|(n, h, p)| Swatch {
                    name: (*n).into(),
                    hex: (*h).into(),
                    placement: (*p).into(),
                })
                .collect(),
            markings: "Plain.".into(),
            eye_color: eyes.into(),
            personality: vec!["a".into(), "b".into(), "c".into()],
            backstory: "b".into(),
        }
    }

    #[test]
    fn placements_put_each_colour_on_its_part() {
        let f = fursona(
            &[
                ("Cream", "#f3e5c8", "underbelly and muzzle"),
                ("Ginger", "#c8702a", "main fur"),
                ("Soot", "#2b2118", "ear tips"),
                ("Azure", "#2080f0", "inner ears"),
            ],
            "amber",
        );
        let c = Colours::of(&f);
        assert_eq!(c.base, Rgb(0xc8, 0x70, 0x2a));
        assert_eq!(c.get(Slot::Light), Rgb(0xf3, 0xe5, 0xc8));
        assert_eq!(c.get(Slot::Tips), Rgb(0x2b, 0x21, 0x18));
        assert_eq!(c.get(Slot::InnerEars), Rgb(0x20, 0x80, 0xf0));
        assert_eq!(c.named(Slot::Visor), None);
    }

    #[test]
    fn eye_words_and_palette_echoes_become_colours() {
        let f = fursona(
            &[
                ("Ginger", "#c8702a", "main fur"),
                ("Moss", "#445522", "mane"),
                ("Ice", "#ddeeff", "chest"),
            ],
            "x",
        );
        let c = Colours::of(&f);
        let fallback = Rgb(1, 2, 3);
        assert_eq!(eyes("ice blue", &c, fallback).right, Rgb(150, 214, 240));
        assert_eq!(eyes("Molten gold", &c, fallback).right, Rgb(235, 185, 40));
        assert_eq!(
            eyes("moss, echoing the mane", &c, fallback).right,
            Rgb(0x44, 0x55, 0x22)
        );
        let odd = eyes("one blue, one gold", &c, fallback);
        assert_ne!(odd.left, odd.right);
        assert_eq!(eyes("glorpish", &c, fallback).right, fallback);
        assert!(eyes("shifting rainbow LED display", &c, fallback).rainbow);
    }

    #[test]
    fn shading_helpers_stay_in_range() {
        let c = Rgb(200, 100, 50);
        assert!(c.darken(0.5).luma() < c.luma());
        assert!(c.lighten(0.5).luma() > c.luma());
        assert_eq!(Rgb::parse("#c8702a"), Some(Rgb(200, 112, 42)));
        assert_eq!(Rgb::parse("c8702a"), None);
        assert_eq!(Rgb(200, 112, 42).hex(), "#c8702a");
    }
}
