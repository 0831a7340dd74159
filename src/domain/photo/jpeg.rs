//! JPEG decoding through libjpeg-turbo (as built by `mozjpeg-sys`, with the C compiler alone).
//!
//! Its Huffman decoder, the bulk of the work for a camera photo, takes about half the time of
//! jpeg-decoder's, runs on the calling thread, and it scales in the DCT domain by any n/8: a
//! 12 MP photo decodes straight to the smallest size that still covers what is kept.

use std::io::{self, BufRead, Read};
use std::panic::{self, AssertUnwindSafe};

use image::RgbImage;
use mozjpeg::{ColorSpace, Decompress};

use super::{PhotoError, PhotoLimits, check_size, undecodable};

/// libjpeg scales by n/8.
const SCALE_DENOMINATOR: u32 = 8;

/// The pixels of a JPEG, upright-ness aside, at least `target` in size where the photo is that
/// large; `None` for CMYK and YCCK, which libjpeg will not turn into RGB itself.
pub(super) fn decode(
    bytes: &[u8],
    limits: &PhotoLimits,
    target: (u32, u32),
) -> Result<Option<RgbImage>, PhotoError> {
    // libjpeg reports a fatal error by unwinding out of the decoder (without the panic hook),
    // with its message as the payload.
    panic::catch_unwind(AssertUnwindSafe(|| decode_unguarded(bytes, limits, target)))
        .unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<String>()
                .map_or("libjpeg stopped", String::as_str);
            Err(undecodable(message))
        })
}

fn decode_unguarded(
    bytes: &[u8],
    limits: &PhotoLimits,
    target: (u32, u32),
) -> Result<Option<RgbImage>, PhotoError> {
    let mut decoder = Decompress::new_reader(Watched::new(bytes)).map_err(undecodable)?;
    let full = (side(decoder.width())?, side(decoder.height())?);
    // This parser may read the header differently from the one that was checked.
    check_size(full.0, full.1, limits)?;
    if matches!(
        decoder.color_space(),
        ColorSpace::JCS_CMYK | ColorSpace::JCS_YCCK
    ) {
        return Ok(None);
    }
    decoder.scale(scale_numerator(full, target));
    let mut started = decoder.rgb().map_err(undecodable)?;
    let pixels: Vec<u8> = started.read_scanlines().map_err(undecodable)?;
    let (width, height) = (side(started.width())?, side(started.height())?);
    let source = started.finish_into_inner().map_err(undecodable)?;
    if source.ran_out {
        return Err(PhotoError::Undecodable(
            "the file ends before the photo does".to_owned(),
        ));
    }
    RgbImage::from_raw(width, height, pixels)
        .map(Some)
        .ok_or_else(|| PhotoError::Undecodable("the decoder returned too few pixels".to_owned()))
}

/// The smallest n (of n/8) at which both sides reach the target's; 8 (no scaling) at most.
fn scale_numerator(full: (u32, u32), target: (u32, u32)) -> u8 {
    let needed = |full: u32, target: u32| {
        (u64::from(target) * u64::from(SCALE_DENOMINATOR)).div_ceil(u64::from(full.max(1)))
    };
    let numerator = needed(full.0, target.0).max(needed(full.1, target.1));
    u8::try_from(numerator.clamp(1, u64::from(SCALE_DENOMINATOR))).unwrap_or(8)
}

fn side(pixels: usize) -> Result<u32, PhotoError> {
    u32::try_from(pixels).map_err(|_| PhotoError::Undecodable("the image is too wide".to_owned()))
}

/// The upload's bytes, noting whether libjpeg asked for more than there were: it pads a file
/// cut short with grey and only warns, and a cut-off upload is refused rather than kept half
/// grey.
struct Watched<'a> {
    rest: &'a [u8],
    ran_out: bool,
}

impl<'a> Watched<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Watched {
            rest: bytes,
            ran_out: false,
        }
    }
}

impl Read for Watched<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.fill_buf()?.read(buf)?;
        self.consume(read);
        Ok(read)
    }
}

impl BufRead for Watched<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.rest.is_empty() {
            self.ran_out = true;
        }
        Ok(self.rest)
    }

    fn consume(&mut self, amount: usize) {
        self.rest = self.rest.get(amount..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_the_smallest_eighth_that_covers_the_target() {
        assert_eq!(scale_numerator((4032, 3024), (504, 378)), 1);
        assert_eq!(scale_numerator((4032, 3024), (505, 379)), 2);
        assert_eq!(scale_numerator((4032, 3024), (1008, 756)), 2);
        assert_eq!(scale_numerator((3000, 2000), (1008, 672)), 3);
        assert_eq!(scale_numerator((500, 400), (500, 400)), 8);
        assert_eq!(scale_numerator((500, 400), (900, 800)), 8);
    }

    /// libjpeg is C parsing hostile bytes: each of these damaged copies of a real photo must come
    /// back as pixels or as a refusal, never as a crash of the process.
    #[test]
    fn damaged_photos_are_refused_or_decoded_never_a_crash() {
        let photo = include_bytes!("../../../tests/fixtures/photos/chelsea-sideways-gps.jpg");
        let limits = PhotoLimits::default();
        let mut refused = 0;
        for (n, position) in (0..photo.len()).step_by(97).enumerate() {
            let mut damaged = photo.to_vec();
            damaged[position] ^= 0x5a ^ (n as u8);
            if decode(&damaged, &limits, (300, 200)).is_err() {
                refused += 1;
            }
            // Cut short at the same place: always refused, since the photo is not whole.
            assert!(
                decode(&photo[..position], &limits, (300, 200)).is_err(),
                "cut at {position}"
            );
        }
        assert!(refused > 0, "some damage is fatal to a JPEG");
    }

    #[test]
    fn running_out_of_bytes_is_noticed() {
        let mut source = Watched::new(b"abc");
        let mut all = Vec::new();
        source.read_to_end(&mut all).expect("reads");
        assert_eq!(all, b"abc");
        assert!(source.ran_out);

        let mut source = Watched::new(b"abc");
        source.consume(2);
        assert_eq!(source.fill_buf().expect("fills"), b"c");
        assert!(!source.ran_out);
    }
}
