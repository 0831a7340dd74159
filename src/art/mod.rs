//! The drawing engine: a fursona in, pictures out.
//!
//! - [`Art::portrait_svg`]: a head-and-shoulders portrait, 512 x 512 user units, transparent
//!   background, drawn from the species' body plan
//!   ([`crate::domain::body_plan::body_plan`]), the palette (each colour on the part its
//!   placement names), the markings and the eye colour.
//! - [`Art::sheet_svg`]: a 1600 x 1000 reference sheet with the portrait, name, species,
//!   palette swatches, markings, eyes, personality and the engine line.
//! - [`Art::png`]: any of these rasterised with resvg, scaled to fit the requested size.
//!
//! Everything is a pure function of the fursona (and [`ART_VERSION`]): the same fursona gives
//! the same SVG bytes, so callers can answer with strong ETags built from the version and a
//! hash of the fursona, and cache PNGs. Variation between fursonas of one species comes from a
//! fixed-key hash of their content, never from randomness or time.
//!
//! Generator text never reaches the SVG unescaped: all elements are built with the `svg` crate,
//! which escapes text and attribute values; attribute names are always ours; text is cleaned of
//! control characters and of characters the shipped font cannot draw. The output has no
//! scripts, no event attributes and no external references (only `url(#...)` fills and clips).
//!
//! Build one [`Art`] at startup and share it (it is `Send + Sync`): it holds the font database,
//! which is too slow to build per render. Rendering is CPU work: call [`Art::png`] from the CPU
//! pool, not on the async runtime.

mod body;
mod canvas;
mod card;
mod colours;
mod ears;
mod extras;
mod face;
mod features;
mod geom;
mod heads;
mod horns;
mod markings;
mod patterns;
mod portrait;
mod raster;
mod seed;
mod sheet;
mod snouts;
mod text;

#[cfg(test)]
pub(crate) mod tests;

use crate::domain::fursona::Fursona;

/// Bumped whenever the drawings change; callers put it in ETags and cache keys.
pub const ART_VERSION: u32 = 1;

/// Portrait PNG sizes [`Art::portrait_png`] accepts.
pub const PORTRAIT_SIZES: std::ops::RangeInclusive<u32> = 64..=1024;
/// The preview card's size in pixels (Open Graph's).
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
/// The reference sheet's size in pixels.
pub const SHEET_WIDTH: u32 = 1600;
pub const SHEET_HEIGHT: u32 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ArtError {
    #[error("{width}x{height} is not a size this can render")]
    Size { width: u32, height: u32 },
    #[error("the SVG did not parse: {0}")]
    Svg(String),
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
}

/// The drawing engine, with its fonts loaded once.
pub struct Art {
    options: resvg::usvg::Options<'static>,
    font: text::Font,
}

impl Default for Art {
    fn default() -> Self {
        Self::new()
    }
}

impl Art {
    /// Loads the embedded fonts into a font database; do this once.
    pub fn new() -> Self {
        Art {
            options: raster::options(),
            font: text::Font::new(),
        }
    }

    /// The portrait: a 512 x 512 SVG document with a transparent background.
    pub fn portrait_svg(&self, fursona: &Fursona) -> String {
        portrait::svg(fursona, &self.font)
    }

    /// The 1600 x 1000 reference sheet; `made_by` is the engine line, e.g. "Made by the
    /// offline generator" or "Made by openai · gpt-4o-mini".
    pub fn sheet_svg(&self, fursona: &Fursona, made_by: &str) -> String {
        sheet::svg(fursona, made_by, &self.font)
    }

    /// Rasterises an SVG (from this module) to a `width` x `height` PNG, scaled to fit and
    /// centred on transparency. Sides must be 1 to 4096 pixels.
    pub fn png(&self, svg: &str, width: u32, height: u32) -> Result<Vec<u8>, ArtError> {
        raster::png(&self.options, svg, width, height)
    }

    /// The portrait as a `size` x `size` PNG; `size` must be within [`PORTRAIT_SIZES`].
    pub fn portrait_png(&self, fursona: &Fursona, size: u32) -> Result<Vec<u8>, ArtError> {
        if !PORTRAIT_SIZES.contains(&size) {
            return Err(ArtError::Size {
                width: size,
                height: size,
            });
        }
        self.png(&self.portrait_svg(fursona), size, size)
    }

    /// The reference sheet as a 1600 x 1000 PNG.
    pub fn sheet_png(&self, fursona: &Fursona, made_by: &str) -> Result<Vec<u8>, ArtError> {
        self.png(&self.sheet_svg(fursona, made_by), SHEET_WIDTH, SHEET_HEIGHT)
    }

    /// The 1200 x 630 preview card of a shared link.
    pub fn card_svg(&self, fursona: &Fursona) -> String {
        card::svg(fursona, &self.font)
    }

    pub fn card_png(&self, fursona: &Fursona) -> Result<Vec<u8>, ArtError> {
        self.png(&self.card_svg(fursona), CARD_WIDTH, CARD_HEIGHT)
    }
}
