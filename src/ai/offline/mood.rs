//! What the palette feels like, as shares of the photo: warm, grey, vivid, green, dark, light.
//! Species and personality lean on these, so the photo nudges the choices without fixing them.

use super::dominant::PhotoColour;

/// Lab chroma: below `GREYISH` a colour reads as grey, from `TINTED` it has a clear hue, from
/// `VIVID` it is strongly coloured.
const GREYISH: f32 = 12.0;
const TINTED: f32 = 15.0;
const VIVID: f32 = 30.0;
/// Lab lightness (0 to 100) below which a colour is dark, and from which it is light.
const DARK: f32 = 30.0;
const LIGHT: f32 = 78.0;

/// Each field is the share of the photo (0 to 1) with that quality; derived colours count 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Mood {
    /// Reds, oranges, browns and golds: foxes, red pandas, tigers.
    pub warm: f32,
    /// Neutral mid greys: wolves, huskies, sergals.
    pub grey: f32,
    /// Saturated blues, purples and magentas: dragons, protogens, avali.
    pub vivid: f32,
    pub green: f32,
    pub dark: f32,
    pub light: f32,
}

/// The colour family of one colour, as a species' coat must match it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tone {
    Dark,
    Light,
    Grey,
    Red,
    Pink,
    /// Oranges, browns, golds and tans.
    Warm,
    Green,
    Blue,
    Purple,
}

impl Tone {
    /// Lightness first (black and white coats are black and white whatever their tint), then
    /// hue (Lab hue: red ~40, yellow ~100, green ~140, blue ~290).
    pub fn of(colour: &PhotoColour) -> Self {
        let (chroma, hue, lightness) = (colour.chroma(), colour.hue(), colour.lightness());
        if lightness < DARK_COAT {
            return Tone::Dark;
        }
        if chroma < GREYISH {
            return if lightness >= LIGHT {
                Tone::Light
            } else {
                Tone::Grey
            };
        }
        if lightness >= PASTEL && chroma < TINTED_PASTEL {
            return Tone::Light;
        }
        match hue {
            h if !(20.0..330.0).contains(&h) => {
                if lightness >= 55.0 {
                    Tone::Pink
                } else {
                    Tone::Red
                }
            }
            h if h < 45.0 => Tone::Red,
            h if h < 105.0 => Tone::Warm,
            h if h < 200.0 => Tone::Green,
            h if h < 285.0 => Tone::Blue,
            _ => Tone::Purple,
        }
    }
}

/// A coat darker than this (Lab L*) is a black coat.
const DARK_COAT: f32 = 28.0;
/// Very light colours with a little tint (cream, pastel blue) are light coats.
const PASTEL: f32 = 82.0;
const TINTED_PASTEL: f32 = 25.0;

impl Mood {
    pub fn of(colours: &[PhotoColour]) -> Self {
        let mut mood = Mood::default();
        for colour in colours {
            let (chroma, hue, lightness) = (colour.chroma(), colour.hue(), colour.lightness());
            let share = colour.share;
            if chroma >= TINTED && (20.0..100.0).contains(&hue) {
                mood.warm += share;
            }
            if chroma < GREYISH && (DARK..LIGHT).contains(&lightness) {
                mood.grey += share;
            }
            if chroma >= VIVID && (200.0..350.0).contains(&hue) {
                mood.vivid += share;
            }
            if chroma >= TINTED && (100.0..200.0).contains(&hue) {
                mood.green += share;
            }
            if lightness < DARK {
                mood.dark += share;
            }
            if lightness >= LIGHT {
                mood.light += share;
            }
        }
        mood
    }

    /// How light the photo is overall: 0 for all dark, 1 for all light.
    pub fn brightness(&self) -> f32 {
        (1.0 + self.light - self.dark) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::dominant::to_lab;
    use palette::Srgb;

    fn colour(r: u8, g: u8, b: u8, share: f32) -> PhotoColour {
        let srgb = Srgb::new(r, g, b);
        PhotoColour {
            srgb,
            lab: to_lab(srgb),
            share,
        }
    }

    #[test]
    fn ginger_reads_warm_and_slate_reads_grey() {
        let mood = Mood::of(&[colour(196, 106, 43, 0.7), colour(128, 128, 128, 0.3)]);
        assert!((mood.warm - 0.7).abs() < 1e-6, "{mood:?}");
        assert!((mood.grey - 0.3).abs() < 1e-6, "{mood:?}");
        assert_eq!(mood.vivid, 0.0);
    }

    #[test]
    fn electric_blue_reads_vivid_and_black_reads_dark() {
        let mood = Mood::of(&[colour(20, 40, 230, 0.5), colour(5, 5, 5, 0.5)]);
        assert!(mood.vivid > 0.49 && mood.dark > 0.49, "{mood:?}");
        assert!(mood.brightness() < 0.5);
    }
}
