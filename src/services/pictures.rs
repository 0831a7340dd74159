//! A fursona's drawn pictures: the portrait and the reference sheet, as SVG or PNG, drawn on
//! their own CPU threads. Each picture is a pure function of the fursona and the drawing
//! version, so it carries a strong validator ([`Pictures::etag`]) that is known before drawing.

use std::sync::{Arc, LazyLock};

use crate::ai::made_by;
use crate::art::{ART_VERSION, Art, PORTRAIT_SIZES};
use crate::domain::fursona::FursonaId;
use crate::domain::photo;
use crate::error::AppError;
use crate::store::fursonas::StoredFursona;
use crate::support::coding::{Coding, Effort};
use crate::support::cpu_pool::CpuPool;
use crate::support::kept::Kept;

/// The long side of a photo's thumbnail: twice the 72 px lists show it at, for sharp screens.
pub const THUMBNAIL_SIDE: u32 = 144;

/// Which picture, in which format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    PortraitSvg,
    /// A square PNG this many pixels wide.
    PortraitPng(u32),
    SheetSvg,
    SheetPng,
    /// The 1200 x 630 preview card that link previews show.
    Card,
}

impl Picture {
    pub const DEFAULT_PORTRAIT_SIZE: u32 = 512;

    /// A portrait PNG, if `size` is one that can be asked for.
    pub fn portrait_png(size: u32) -> Option<Self> {
        PORTRAIT_SIZES
            .contains(&size)
            .then_some(Picture::PortraitPng(size))
    }

    /// SVG, which compresses well (PNGs are compressed already).
    pub fn is_text(self) -> bool {
        matches!(self, Picture::PortraitSvg | Picture::SheetSvg)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Picture::PortraitSvg | Picture::SheetSvg => "image/svg+xml",
            Picture::PortraitPng(_) | Picture::SheetPng | Picture::Card => "image/png",
        }
    }

    fn tag(self) -> String {
        match self {
            Picture::PortraitSvg => "portrait-svg".to_owned(),
            Picture::PortraitPng(size) => format!("portrait-{size}"),
            Picture::SheetSvg => "sheet-svg".to_owned(),
            Picture::SheetPng => "sheet-png".to_owned(),
            Picture::Card => "card".to_owned(),
        }
    }
}

#[derive(Clone)]
pub struct Pictures {
    /// Made at the first drawing: parsing the fonts at start kept their pages in memory in a
    /// server that had drawn nothing yet.
    art: Arc<LazyLock<Art>>,
    threads: CpuPool,
    /// PNGs already drawn and SVGs already compressed, by ETag: a picture never changes under
    /// its tag, so the public card (and any PNG asked for again) is drawn once, and each SVG
    /// compressed once per coding.
    kept: Arc<Kept<String>>,
}

/// What the kept pictures may hold: a few hundred cards and portraits.
const KEPT_BYTES: usize = 32 * 1024 * 1024;

impl Pictures {
    /// Starts `threads` drawing threads; the fonts are loaded once, when first needed.
    pub fn new(threads: usize) -> std::io::Result<Self> {
        Ok(Pictures {
            art: Arc::new(LazyLock::new(Art::new)),
            threads: CpuPool::new("art", threads)?,
            kept: Arc::new(Kept::new(KEPT_BYTES)),
        })
    }

    /// A strong ETag for `picture` of `stored` sent in `coding`: it changes when the fursona, who
    /// made it or the drawings change, and only then.
    pub fn etag(&self, stored: &StoredFursona, picture: Picture, coding: Coding) -> String {
        format!(
            "\"art{ART_VERSION}-{}-{}{}\"",
            picture.tag(),
            version(stored),
            coding.etag_suffix()
        )
    }

    /// `picture` of `stored` in `coding` (SVG only; PNGs are always plain), drawn on the drawing
    /// threads, or kept from an earlier drawing. A plain SVG is not kept: drawing it costs
    /// about what looking it up would save.
    pub async fn get(
        &self,
        stored: &StoredFursona,
        picture: Picture,
        coding: Coding,
    ) -> Result<Arc<[u8]>, AppError> {
        let keep = !picture.is_text() || coding != Coding::Identity;
        let etag = self.etag(stored, picture, coding);
        if keep && let Some(kept) = self.kept.get(&etag) {
            return Ok(kept);
        }
        let drawn: Arc<[u8]> = self.draw(stored, picture, coding).await?.into();
        if keep {
            self.kept.keep(etag, drawn.clone());
        }
        Ok(drawn)
    }

    /// A small JPEG of a fursona's photo for lists, [`THUMBNAIL_SIDE`] on its long side, made on
    /// the drawing threads once and kept: a fursona's photo never changes.
    pub async fn thumbnail(&self, id: FursonaId, photo: Vec<u8>) -> Result<Arc<[u8]>, AppError> {
        let key = format!("thumbnail-{id}");
        if let Some(kept) = self.kept.get(&key) {
            return Ok(kept);
        }
        let made = self
            .threads
            .run(move || photo::thumbnail(&photo, THUMBNAIL_SIDE))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| AppError::Internal(e.into()))?;
        let bytes: Arc<[u8]> = made.bytes.into();
        self.kept.keep(key, bytes.clone());
        Ok(bytes)
    }

    async fn draw(
        &self,
        stored: &StoredFursona,
        picture: Picture,
        coding: Coding,
    ) -> Result<Vec<u8>, AppError> {
        let art = self.art.clone();
        let fursona = stored.fursona.clone();
        let made_by = format!("Made by {}", made_by(&stored.engine, &stored.model));
        let drawn = self
            .threads
            .run(move || -> anyhow::Result<Vec<u8>> {
                Ok(match picture {
                    Picture::PortraitSvg => {
                        coding.compress(art.portrait_svg(&fursona).as_bytes(), Effort::Kept)?
                    }
                    Picture::PortraitPng(size) => art.portrait_png(&fursona, size)?,
                    Picture::SheetSvg => coding
                        .compress(art.sheet_svg(&fursona, &made_by).as_bytes(), Effort::Kept)?,
                    Picture::SheetPng => art.sheet_png(&fursona, &made_by)?,
                    Picture::Card => art.card_png(&fursona)?,
                })
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        drawn.map_err(AppError::Internal)
    }
}

/// What a fursona's pictures are drawn from, as a short hex hash: it changes with every edit.
/// Pages put it in the pictures' URLs, so a picture swapped into a page after an edit is
/// fetched anew rather than reused from the page's memory under the same URL.
pub fn version(stored: &StoredFursona) -> String {
    let mut hash = Fnv::default();
    // Serialising a validated fursona cannot fail; an empty hash would still be stable.
    hash.write(&serde_json::to_vec(&stored.fursona).unwrap_or_default());
    hash.write(stored.engine.as_bytes());
    hash.write(stored.model.as_bytes());
    format!("{:016x}", hash.0)
}

/// FNV-1a, 64 bits: a hash that is the same in every build and on every machine, as a validator
/// must be (std's hasher may change between Rust releases).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
}
