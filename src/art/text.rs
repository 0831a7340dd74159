//! The shipped font (Inter, SIL OFL 1.1, embedded in the binary), glyph coverage, and measuring
//! text so it fits its box.
//!
//! Text is cleaned before layout: control characters and anything the font has no glyph for
//! (emoji, CJK...) are substituted or removed, so nothing renders as an empty box.

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-Bold.otf");
/// The family name inside both font files.
pub const FAMILY: &str = "Inter";

/// One face's cmap and advance widths, read straight from the embedded data. Should the data
/// ever fail to parse (a unit test checks that it does not), the face degrades to printable
/// ASCII at an average width instead of panicking.
struct Face {
    font: Option<FontRef<'static>>,
    units_per_em: f32,
}

/// Average advance of a Latin glyph, in ems, for the degraded case.
const FALLBACK_ADVANCE: f32 = 0.6;

impl Face {
    fn new(data: &'static [u8]) -> Face {
        let font = FontRef::new(data).ok();
        let units_per_em = font
            .as_ref()
            .and_then(|f| f.head().ok())
            .map_or(1000.0, |head| f32::from(head.units_per_em()));
        Face { font, units_per_em }
    }

    fn has(&self, ch: char) -> bool {
        match &self.font {
            Some(font) => font.charmap().map(ch).is_some_and(|g| g.to_u32() != 0),
            None => ch == ' ' || ch.is_ascii_graphic(),
        }
    }

    /// Advance width in ems (kerning is ignored, which only errs towards a little slack).
    fn width_em(&self, text: &str) -> f32 {
        let Some(font) = &self.font else {
            return text.chars().count() as f32 * FALLBACK_ADVANCE;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let fallback = self.units_per_em * FALLBACK_ADVANCE;
        let units: f32 = text
            .chars()
            .map(|ch| {
                let glyph = charmap.map(ch).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(fallback)
            })
            .sum();
        units / self.units_per_em
    }
}

/// The fonts every text goes through: regular and bold Inter.
pub struct Font {
    regular: Face,
    bold: Face,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Text laid out to fit a box: the size chosen and the lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
}

impl Font {
    pub fn new() -> Font {
        Font {
            regular: Face::new(REGULAR),
            bold: Face::new(BOLD),
        }
    }

    /// Whether both embedded faces parsed (always, unless the build shipped broken data).
    #[cfg(test)]
    pub fn is_real(&self) -> bool {
        self.regular.font.is_some() && self.bold.font.is_some()
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn covers(&self, ch: char) -> bool {
        self.regular.has(ch) && self.bold.has(ch)
    }

    /// The text with only characters both faces can draw: typographic look-alikes substituted
    /// for missing ones, the rest dropped, whitespace collapsed.
    pub fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for ch in text.chars() {
            let ch = if ch.is_whitespace() || ch.is_control() {
                ' '
            } else {
                ch
            };
            if self.covers(ch) {
                out.push(ch);
            } else if let Some(sub) = substitute(ch).filter(|s| s.chars().all(|c| self.covers(c))) {
                out.push_str(sub);
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Width of `text` at `size` px.
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.face(weight).width_em(text) * size
    }

    /// The largest size from `max` down to `min` at which the text wraps into at most
    /// `max_lines` lines of at most `width` px; at `min` the last line is cut with an ellipsis.
    pub fn fit(
        &self,
        text: &str,
        width: f32,
        max: f32,
        min: f32,
        max_lines: usize,
        weight: Weight,
    ) -> Fitted {
        let text = self.clean(text);
        let max_lines = max_lines.max(1);
        let mut size = max;
        while size > min {
            let lines = self.wrap(&text, width, size, weight);
            if lines.len() <= max_lines {
                return Fitted { size, lines };
            }
            size = (size * 0.92).max(min);
        }
        let mut lines = self.wrap(&text, width, min, weight);
        if lines.len() > max_lines {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                *last = self.ellipsize(last, width, min, weight);
            }
        }
        Fitted { size: min, lines }
    }

    /// Greedy word wrap; a word wider than the line is broken between characters.
    pub fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, weight) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for ch in word.chars() {
                line.push(ch);
                if self.width(&line, size, weight) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(ch);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn ellipsize(&self, line: &str, width: f32, size: f32, weight: Weight) -> String {
        let mut kept: String = line.to_owned();
        loop {
            let candidate = format!("{}…", kept.trim_end());
            if self.width(&candidate, size, weight) <= width || kept.is_empty() {
                return candidate;
            }
            kept.pop();
        }
    }
}

/// Look-alikes for characters a Latin font may lack.
fn substitute(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{3000}' => " ",
        '\u{ff01}'..='\u{ff5e}' => return None,
        '\u{2665}' | '\u{2764}' => "<3",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Font {
        let font = Font::new();
        assert!(font.is_real(), "the embedded fonts parse");
        font
    }

    #[test]
    fn latin_extended_is_covered_and_emoji_and_cjk_are_not() {
        let font = font();
        for ch in ['A', 'é', 'ß', 'Ł', 'ő', 'ñ', 'Ж', '…', '·'] {
            assert!(font.covers(ch), "{ch}");
        }
        for ch in ['🦊', '狐', '\u{0}', '\u{7}'] {
            assert!(!font.covers(ch), "{ch:?}");
        }
    }

    #[test]
    fn cleaning_drops_what_the_font_cannot_draw() {
        let font = font();
        assert_eq!(font.clean("Foxy 🦊 狐狸 Zoë"), "Foxy Zoë");
        assert_eq!(font.clean("a\u{0}b\u{7}c\nd"), "a b c d");
        assert_eq!(font.clean("“Quote” — ok"), "“Quote” — ok");
        assert!(font.clean("🦊🐺").is_empty());
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let font = font();
        let short = font.width("Ember", 20.0, Weight::Regular);
        assert!(short > 40.0 && short < 80.0, "{short}");
        assert!(font.width("Ember", 40.0, Weight::Regular) > short * 1.9);
        assert!(font.width("Ember", 20.0, Weight::Bold) > short);
        assert!(
            font.width("WWWW", 20.0, Weight::Regular) > font.width("iiii", 20.0, Weight::Regular)
        );
    }

    #[test]
    fn eighty_characters_fit_their_box() {
        let font = font();
        let name = "W".repeat(80);
        let fitted = font.fit(&name, 600.0, 64.0, 18.0, 2, Weight::Bold);
        assert!(fitted.lines.len() <= 2);
        for line in &fitted.lines {
            assert!(
                font.width(line, fitted.size, Weight::Bold) <= 600.0,
                "{line}"
            );
        }
        let words = "Sir Reginald Fluffington the Third of the Northern Whispering Pines Glade";
        let fitted = font.fit(words, 600.0, 64.0, 18.0, 2, Weight::Bold);
        assert!(fitted.size < 64.0 && fitted.lines.len() <= 2);
        assert!(
            fitted
                .lines
                .iter()
                .all(|l| font.width(l, fitted.size, Weight::Bold) <= 600.0)
        );
    }
}
