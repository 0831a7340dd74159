//! The photo pipeline: untrusted upload bytes in, small upright metadata-free JPEGs out.
//!
//! Pure CPU work; callers run [`prepare`] on a blocking thread. The format is sniffed from the
//! bytes (never from a file name or a declared content type), the size is checked from the
//! header before any pixel is decoded, and the output is re-encoded from pixels only, so no
//! EXIF, GPS, camera make or ICC profile from the original can survive.

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use fast_image_resize as fr;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, RgbImage};

mod jpeg;

const JPEG_CONTENT_TYPE: &str = "image/jpeg";
const JPEG_QUALITY: u8 = 82;
const SAMPLE_LONG_SIDE: u32 = 128;
/// Upper bound on what a decoder may allocate for pixels, whatever the header claims.
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// A JPEG may come out up to 1/64 smaller than the stored size when that saves a decoding step.
const DCT_SCALE_SLACK: u32 = 64;

/// Size limits for uploads and for the images derived from them.
#[derive(Clone, Debug)]
pub struct PhotoLimits {
    /// Largest accepted width or height of the upload, in pixels.
    pub max_side: u32,
    /// Largest accepted width x height of the upload.
    pub max_pixels: u64,
    /// Long side of the stored JPEG (never upscaled).
    pub stored_long_side: u32,
    /// Long side of the JPEG sent to the vision API in low-detail mode.
    pub low_detail_long_side: u32,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits {
            max_side: 8192,
            max_pixels: 40_000_000,
            stored_long_side: 1024,
            low_detail_long_side: 512,
        }
    }
}

/// An encoded image ready to store or send; `width`/`height` are the upright ones.
#[derive(Clone, Debug)]
pub struct EncodedImage {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The outputs of [`prepare`].
pub struct PreparedPhoto {
    /// Long side at most `stored_long_side`.
    pub stored: EncodedImage,
    /// Long side at most `low_detail_long_side`; may be a clone of `stored`.
    pub low_detail: EncodedImage,
    /// Upright RGB pixels, long side at most 128, for colour analysis.
    pub sample: RgbImage,
}

/// Why an upload was refused. The messages are meant for end users; a decoder's own words are
/// kept in `Undecodable` for the log only.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty; choose a photo (JPEG, PNG or WebP)")]
    Empty,
    #[error("this file is not a photo we can read (JPEG, PNG or WebP)")]
    Unsupported,
    #[error("this file is not a photo we can read (JPEG, PNG or WebP)")]
    Undecodable(String),
    #[error(
        "the photo is {width}x{height} pixels, which is too large; please upload a smaller one"
    )]
    TooLarge { width: u32, height: u32 },
}

/// Turns uploaded bytes into the stored, low-detail and sample images, or refuses them.
pub fn prepare(bytes: &[u8], limits: &PhotoLimits) -> Result<PreparedPhoto, PhotoError> {
    let format = sniff(bytes)?;
    let (decoded, orientation) = guarded(|| read_pixels(bytes, format, limits))?;

    let mut resizer = fr::Resizer::new();
    let stored_size = fit_within(decoded.dimensions(), limits.stored_long_side);
    let stored_rgb = if stored_size == decoded.dimensions() {
        upright(decoded, orientation)
    } else {
        upright(resize(&mut resizer, &decoded, stored_size)?, orientation)
    };

    let stored = encode_jpeg(&stored_rgb)?;
    let low_size = fit_within(stored_rgb.dimensions(), limits.low_detail_long_side);
    let low_detail = if low_size == stored_rgb.dimensions() {
        stored.clone()
    } else {
        encode_jpeg(&resize(&mut resizer, &stored_rgb, low_size)?)?
    };
    let sample_size = fit_within(stored_rgb.dimensions(), SAMPLE_LONG_SIDE);
    let sample = resize(&mut resizer, &stored_rgb, sample_size)?;

    Ok(PreparedPhoto {
        stored,
        low_detail,
        sample,
    })
}

/// Decides the format from the magic bytes alone.
/// A small copy of a stored photo, for lists: fits `long_side`, re-encoded as JPEG. A stored
/// JPEG is decoded straight at the DCT scale nearest that size.
pub fn thumbnail(stored: &[u8], long_side: u32) -> Result<EncodedImage, PhotoError> {
    let limits = PhotoLimits {
        stored_long_side: long_side,
        ..PhotoLimits::default()
    };
    let format = sniff(stored)?;
    let (decoded, orientation) = guarded(|| read_pixels(stored, format, &limits))?;
    let size = fit_within(decoded.dimensions(), long_side);
    let small = if size == decoded.dimensions() {
        decoded
    } else {
        resize(&mut fr::Resizer::new(), &decoded, size)?
    };
    encode_jpeg(&upright(small, orientation))
}

fn sniff(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        _ => Err(PhotoError::Unsupported),
    }
}

/// The decoders parse hostile input; a panic in one of them is a bad file, not a server fault.
fn guarded<T>(work: impl FnOnce() -> Result<T, PhotoError>) -> Result<T, PhotoError> {
    panic::catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err(PhotoError::Undecodable("the file is malformed".to_owned())))
}

/// Checks the header, then decodes the pixels (RGB, alpha flattened) and the EXIF orientation.
fn read_pixels(
    bytes: &[u8],
    format: ImageFormat,
    limits: &PhotoLimits,
) -> Result<(RgbImage, Orientation), PhotoError> {
    // Default reader limits set no width/height cap, so an oversized header reaches our own
    // check and is reported as TooLarge rather than as a decoding failure.
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(undecodable)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height, limits)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let pixels = if format == ImageFormat::Jpeg {
        // Asking for a little less than the stored size lets a photo whose quarter (or eighth)
        // nearly fits decode at that scale, with no resize after: a 4032 px phone photo decodes
        // straight to 1008 px instead of to 2016 px and then down to 1024.
        let slack = limits.stored_long_side / DCT_SCALE_SLACK;
        let target = fit_within((width, height), limits.stored_long_side - slack);
        match jpeg::decode(bytes, limits, target)? {
            Some(pixels) => pixels,
            // CMYK is rare (print files); the slower decoder converts it.
            None => decode_with_image(decoder, limits)?,
        }
    } else {
        decode_with_image(decoder, limits)?
    };
    Ok((pixels, orientation))
}

fn check_size(width: u32, height: u32, limits: &PhotoLimits) -> Result<(), PhotoError> {
    if width == 0 || height == 0 {
        return Err(PhotoError::Undecodable(
            "the image has no pixels".to_owned(),
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > limits.max_side || height > limits.max_side || pixels > limits.max_pixels {
        return Err(PhotoError::TooLarge { width, height });
    }
    Ok(())
}

fn decode_with_image(
    mut decoder: impl ImageDecoder,
    limits: &PhotoLimits,
) -> Result<RgbImage, PhotoError> {
    let (width, height) = decoder.dimensions();
    // `from_decoder` allocates the whole buffer up front without consulting `max_alloc`.
    if decoder.total_bytes() > MAX_DECODE_ALLOC {
        return Err(PhotoError::TooLarge { width, height });
    }
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(limits.max_side);
    decode_limits.max_image_height = Some(limits.max_side);
    decode_limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let too_large_or_undecodable = |error: ImageError| match error {
        ImageError::Limits(_) => PhotoError::TooLarge { width, height },
        other => undecodable(other),
    };
    decoder
        .set_limits(decode_limits)
        .map_err(too_large_or_undecodable)?;
    let image = DynamicImage::from_decoder(decoder).map_err(too_large_or_undecodable)?;
    Ok(flatten_on_white(image))
}

/// Composites transparency onto white: dropping alpha would turn transparent pixels black.
fn flatten_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, alpha] = pixel.0;
        out.0 = [r, g, b].map(|c| over_white(c, alpha));
    }
    rgb
}

fn over_white(colour: u8, alpha: u8) -> u8 {
    let (c, a) = (u32::from(colour), u32::from(alpha));
    let blended = (c * a + 255 * (255 - a) + 127) / 255;
    u8::try_from(blended).unwrap_or(u8::MAX)
}

/// The largest size with the same aspect ratio whose long side is at most `long_side`;
/// never larger than the input, never below 1 px.
fn fit_within((width, height): (u32, u32), long_side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= long_side || longest == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(long_side) + u64::from(longest) / 2) / u64::from(longest);
        u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
    };
    (scale(width), scale(height))
}

fn resize(
    resizer: &mut fr::Resizer,
    source: &RgbImage,
    (width, height): (u32, u32),
) -> Result<RgbImage, PhotoError> {
    if source.dimensions() == (width, height) {
        return Ok(source.clone());
    }
    let src = fr::images::ImageRef::new(
        source.width(),
        source.height(),
        source.as_raw(),
        fr::PixelType::U8x3,
    )
    .map_err(resize_failed)?;
    let mut dst = fr::images::Image::new(width, height, fr::PixelType::U8x3);
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(resize_failed)?;
    RgbImage::from_raw(width, height, dst.into_vec())
        .ok_or_else(|| PhotoError::Undecodable("resizing produced too few pixels".to_owned()))
}

/// Rotates/flips so the pixels read the way the camera meant them to be viewed.
fn upright(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// Encodes pixels only: jpeg-encoder writes a bare JFIF header and no EXIF or ICC segment.
///
/// Huffman table optimisation stays off: it saves under 2% here, and zune-jpeg (the `image`
/// crate's decoder) misreads the single-symbol tables it produces for flat images.
fn encode_jpeg(image: &RgbImage) -> Result<EncodedImage, PhotoError> {
    let (width, height) = image.dimensions();
    let (Ok(width16), Ok(height16)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(PhotoError::TooLarge { width, height });
    };
    let mut bytes = Vec::new();
    jpeg_encoder::Encoder::new(&mut bytes, JPEG_QUALITY)
        .encode(
            image.as_raw(),
            width16,
            height16,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|error| PhotoError::Undecodable(format!("re-encoding failed: {error}")))?;
    Ok(EncodedImage {
        bytes,
        content_type: JPEG_CONTENT_TYPE,
        width,
        height,
    })
}

/// Keeps the decoder's detail (useful in logs) behind a sentence a user can act on.
fn undecodable(error: impl std::fmt::Display) -> PhotoError {
    PhotoError::Undecodable(format!("the file looks damaged or incomplete ({error})"))
}

fn resize_failed(error: impl std::fmt::Display) -> PhotoError {
    PhotoError::Undecodable(format!("resizing failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thumbnail_is_a_small_jpeg_of_the_stored_photo() {
        let stored = prepare(
            include_bytes!("../../tests/fixtures/photos/chelsea.png"),
            &PhotoLimits::default(),
        )
        .expect("prepared")
        .stored;
        let thumb = thumbnail(&stored.bytes, 144).expect("thumbnail");
        assert_eq!(thumb.content_type, "image/jpeg");
        assert_eq!(thumb.width.max(thumb.height), 144);
        let expected = f64::from(thumb.width) * f64::from(stored.height) / f64::from(stored.width);
        assert!(
            (expected - f64::from(thumb.height)).abs() <= 1.0,
            "keeps its shape"
        );
        assert!(
            thumb.bytes.len() * 4 < stored.bytes.len(),
            "{} bytes",
            thumb.bytes.len()
        );
        assert!(thumbnail(b"not a photo", 144).is_err());
    }

    const PHOTOS: [&str; 7] = [
        "chelsea.png",
        "astronaut.png",
        "coffee.png",
        "coffee-alpha.png",
        "chelsea.webp",
        "chelsea-sideways-gps.jpg",
        "astronaut-12mp.jpg",
    ];

    fn fixture(path: &str) -> Vec<u8> {
        let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read {full}: {error}"))
    }

    fn prepare_photo(name: &str) -> PreparedPhoto {
        prepare(&fixture(&format!("photos/{name}")), &PhotoLimits::default())
            .unwrap_or_else(|error| panic!("{name} was refused: {error}"))
    }

    fn refusal(path: &str) -> PhotoError {
        match prepare(&fixture(path), &PhotoLimits::default()) {
            Ok(_) => panic!("{path} was accepted"),
            Err(error) => error,
        }
    }

    fn decode(encoded: &EncodedImage) -> RgbImage {
        image::load_from_memory_with_format(&encoded.bytes, ImageFormat::Jpeg)
            .expect("output decodes as JPEG")
            .into_rgb8()
    }

    fn png_bytes(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image
            .write_to(&mut bytes, ImageFormat::Png)
            .expect("PNG encodes");
        bytes.into_inner()
    }

    fn jpeg_bytes(
        pixels: &[u8],
        width: u16,
        height: u16,
        colour: jpeg_encoder::ColorType,
    ) -> Vec<u8> {
        let mut bytes = Vec::new();
        jpeg_encoder::Encoder::new(&mut bytes, 90)
            .encode(pixels, width, height, colour)
            .expect("JPEG encodes");
        bytes
    }

    fn long_side(encoded: &EncodedImage) -> u32 {
        encoded.width.max(encoded.height)
    }

    /// Mean colour of rows `rows` of the image.
    fn mean_colour(image: &RgbImage, rows: std::ops::Range<u32>) -> [f64; 3] {
        let mut sum = [0.0; 3];
        let mut count = 0.0;
        for y in rows {
            for x in 0..image.width() {
                for (total, value) in sum.iter_mut().zip(image.get_pixel(x, y).0) {
                    *total += f64::from(value);
                }
                count += 1.0;
            }
        }
        sum.map(|total| total / count)
    }

    fn colour_distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / 3.0
    }

    fn mean_abs_difference(a: &RgbImage, b: &RgbImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let total: f64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| f64::from(x.abs_diff(*y)))
            .sum();
        total / a.as_raw().len() as f64
    }

    /// The markers of the segments before the compressed data starts.
    fn header_markers(jpeg: &[u8]) -> Vec<u8> {
        let mut markers = Vec::new();
        let mut at = 2;
        while let [0xFF, marker, high, low, ..] = jpeg[at..] {
            markers.push(marker);
            if marker == 0xDA {
                break;
            }
            at += 2 + usize::from(u16::from_be_bytes([high, low]));
        }
        markers
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    #[test]
    fn every_photo_fixture_is_accepted_as_small_upright_jpegs() {
        for name in PHOTOS {
            let photo = prepare_photo(name);
            for (encoded, max_side, max_bytes) in [
                (&photo.stored, 1024, 160 * 1024),
                (&photo.low_detail, 512, 60 * 1024),
            ] {
                assert!(
                    encoded.bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
                    "{name}: no SOI"
                );
                assert_eq!(encoded.content_type, "image/jpeg");
                assert!(long_side(encoded) <= max_side, "{name}: {encoded:?}");
                assert!(
                    encoded.bytes.len() <= max_bytes,
                    "{name}: {} bytes",
                    encoded.bytes.len()
                );
                assert_eq!(
                    decode(encoded).dimensions(),
                    (encoded.width, encoded.height)
                );
            }
            assert!(
                photo.sample.width().max(photo.sample.height()) <= 128,
                "{name}"
            );
        }
    }

    #[test]
    fn a_12_megapixel_phone_photo_comes_out_a_quarter_of_its_size_and_512_by_384() {
        let photo = prepare_photo("astronaut-12mp.jpg");
        // 4032x3024 decodes at 1/4 in the DCT domain: 1008 is within 1/64 of 1024.
        assert_eq!((photo.stored.width, photo.stored.height), (1008, 756));
        assert_eq!(
            (photo.low_detail.width, photo.low_detail.height),
            (512, 384)
        );
        assert_eq!(photo.sample.dimensions(), (128, 96));
    }

    #[test]
    fn the_12_megapixel_photo_still_looks_like_the_original() {
        let photo = prepare_photo("astronaut-12mp.jpg");
        let original = image::load_from_memory(&fixture("photos/astronaut-12mp.jpg"))
            .expect("fixture decodes")
            .into_rgb8();
        let reference =
            image::imageops::resize(&original, 128, 96, image::imageops::FilterType::Triangle);
        assert!(mean_abs_difference(&photo.sample, &reference) < 6.0);
    }

    #[test]
    fn small_photos_are_never_upscaled() {
        let chelsea = prepare_photo("chelsea.png");
        assert_eq!((chelsea.stored.width, chelsea.stored.height), (451, 300));
        assert_eq!(
            (chelsea.low_detail.width, chelsea.low_detail.height),
            (451, 300)
        );
        assert_eq!(chelsea.sample.dimensions(), (128, 85));

        let astronaut = prepare_photo("astronaut.png");
        assert_eq!(
            (astronaut.stored.width, astronaut.stored.height),
            (512, 512)
        );
        assert_eq!(
            (astronaut.low_detail.width, astronaut.low_detail.height),
            (512, 512)
        );
    }

    #[test]
    fn a_sideways_photo_with_an_exif_orientation_comes_out_upright() {
        let reference = prepare_photo("chelsea.png");
        let sideways = prepare_photo("chelsea-sideways-gps.jpg");
        for (out, expected) in [
            (&sideways.stored, &reference.stored),
            (&sideways.low_detail, &reference.low_detail),
        ] {
            assert_eq!((out.width, out.height), (expected.width, expected.height));
        }
        assert_eq!(sideways.sample.dimensions(), reference.sample.dimensions());

        let (stored, expected) = (decode(&sideways.stored), decode(&reference.stored));
        let top = 0..stored.height() / 2;
        let bottom = stored.height() / 2..stored.height();
        let top_colour = mean_colour(&stored, top.clone());
        assert!(colour_distance(top_colour, mean_colour(&expected, top)) < 2.0);
        assert!(colour_distance(top_colour, mean_colour(&expected, bottom)) > 5.0);

        let upright_error = mean_abs_difference(&sideways.sample, &reference.sample);
        assert!(upright_error < 6.0, "{upright_error}");
        for wrong in [
            image::imageops::rotate180(&reference.sample),
            image::imageops::flip_horizontal(&reference.sample),
            image::imageops::flip_vertical(&reference.sample),
        ] {
            let wrong_error = mean_abs_difference(&sideways.sample, &wrong);
            assert!(
                wrong_error > 3.0 * upright_error,
                "{wrong_error} vs {upright_error}"
            );
        }
    }

    #[test]
    fn no_metadata_from_the_upload_reaches_the_output() {
        let upload = fixture("photos/chelsea-sideways-gps.jpg");
        assert!(contains(&upload, b"FixtureCam") && contains(&upload, b"Exif\0\0"));

        let photo = prepare_photo("chelsea-sideways-gps.jpg");
        for encoded in [&photo.stored, &photo.low_detail] {
            let bytes = &encoded.bytes;
            for secret in [&b"FixtureCam"[..], b"Exif", b"GPS", b"ICC_PROFILE"] {
                assert!(
                    !contains(bytes, secret),
                    "{:?} leaked",
                    String::from_utf8_lossy(secret)
                );
            }
            // Only JFIF APP0, tables, frame and scan headers: no APP1-15 (EXIF, XMP, ICC), no COM.
            let markers = header_markers(bytes);
            assert_eq!(markers.last(), Some(&0xDA), "{markers:x?}");
            for marker in markers {
                assert!(
                    matches!(marker, 0xE0 | 0xDB | 0xC0..=0xC2 | 0xC4 | 0xDD | 0xDA),
                    "{marker:x}"
                );
            }
        }
    }

    #[test]
    fn a_semi_transparent_photo_is_flattened_onto_white_not_black() {
        // coffee-alpha.png is coffee.png at alpha 200 of 255 everywhere.
        let opaque = mean_colour(&prepare_photo("coffee.png").sample, 0..85);
        let flattened = mean_colour(&prepare_photo("coffee-alpha.png").sample, 0..85);
        let on_white = opaque.map(|c| (c * 200.0 + 255.0 * 55.0) / 255.0);
        assert!(
            colour_distance(flattened, on_white) < 3.0,
            "{flattened:?} vs {on_white:?}"
        );
    }

    #[test]
    fn fully_transparent_pixels_come_out_white_not_black() {
        // Left half: transparent black; right half: opaque red. Decoding the output with the
        // `image` crate (zune-jpeg) also guards against encoder settings it misreads.
        let image = image::RgbaImage::from_fn(64, 32, |x, _| {
            image::Rgba(if x < 32 {
                [0, 0, 0, 0]
            } else {
                [200, 0, 0, 255]
            })
        });
        let photo = prepare(
            &png_bytes(DynamicImage::ImageRgba8(image)),
            &PhotoLimits::default(),
        )
        .expect("transparent PNG is accepted");
        let out = decode(&photo.stored);
        assert!(
            out.get_pixel(8, 16).0.iter().all(|&c| c > 240),
            "{:?}",
            out.get_pixel(8, 16)
        );
        let [r, g, b] = out.get_pixel(56, 16).0;
        assert!(r > 170 && g < 40 && b < 40, "{:?}", [r, g, b]);
    }

    #[test]
    fn a_greyscale_jpeg_is_scaled_and_expanded_to_rgb() {
        let pixels: Vec<u8> = (0..2048u32 * 1024).map(|i| (i % 2048 / 8) as u8).collect();
        let bytes = jpeg_bytes(&pixels, 2048, 1024, jpeg_encoder::ColorType::Luma);
        let photo = prepare(&bytes, &PhotoLimits::default()).expect("greyscale JPEG is accepted");
        assert_eq!((photo.stored.width, photo.stored.height), (1024, 512));
        let [r, g, b] = photo.sample.get_pixel(100, 30).0;
        assert!(
            r.abs_diff(g) <= 2 && g.abs_diff(b) <= 2 && r > 150,
            "{:?}",
            [r, g, b]
        );
    }

    #[test]
    fn a_cmyk_jpeg_is_converted_to_rgb() {
        // Magenta + yellow ink, no cyan, no black: red.
        let pixels = [0u8, 255, 255, 0].repeat(64 * 64);
        let bytes = jpeg_bytes(&pixels, 64, 64, jpeg_encoder::ColorType::Cmyk);
        let photo = prepare(&bytes, &PhotoLimits::default()).expect("CMYK JPEG is accepted");
        let [r, g, b] = photo.sample.get_pixel(32, 32).0;
        assert!(r > 220 && g < 35 && b < 35, "{:?}", [r, g, b]);
    }

    #[test]
    fn a_shell_script_named_png_is_unsupported() {
        assert!(matches!(
            refusal("bad/not-an-image.png"),
            PhotoError::Unsupported
        ));
    }

    #[test]
    fn an_svg_is_unsupported() {
        assert!(matches!(refusal("bad/script.svg"), PhotoError::Unsupported));
    }

    #[test]
    fn a_gif_is_unsupported_even_though_it_is_an_image() {
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let error = prepare(gif, &PhotoLimits::default()).err();
        assert!(matches!(error, Some(PhotoError::Unsupported)), "{error:?}");
    }

    #[test]
    fn an_empty_file_is_refused_as_empty() {
        assert!(matches!(refusal("bad/empty.jpg"), PhotoError::Empty));
    }

    #[test]
    fn a_truncated_jpeg_is_undecodable() {
        assert!(matches!(
            refusal("bad/truncated.jpg"),
            PhotoError::Undecodable(_)
        ));
    }

    #[test]
    fn png_magic_followed_by_html_is_undecodable() {
        assert!(matches!(
            refusal("bad/png-then-html.png"),
            PhotoError::Undecodable(_)
        ));
    }

    #[test]
    fn a_pixel_bomb_is_too_large_from_its_header_alone() {
        let started = std::time::Instant::now();
        let error = refusal("bad/pixel-bomb.png");
        assert!(
            matches!(
                error,
                PhotoError::TooLarge {
                    width: 60000,
                    height: 60000
                }
            ),
            "{error:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_9000_pixel_wide_png_is_too_large() {
        let bytes = png_bytes(DynamicImage::ImageRgb8(RgbImage::new(9000, 10)));
        let error = prepare(&bytes, &PhotoLimits::default()).err();
        assert!(
            matches!(
                error,
                Some(PhotoError::TooLarge {
                    width: 9000,
                    height: 10
                })
            ),
            "{error:?}"
        );
    }

    #[test]
    fn too_many_pixels_is_too_large_even_within_the_side_limit() {
        let limits = PhotoLimits {
            max_pixels: 451 * 300 - 1,
            ..PhotoLimits::default()
        };
        let error = prepare(&fixture("photos/chelsea.png"), &limits).err();
        assert!(matches!(
            error,
            Some(PhotoError::TooLarge {
                width: 451,
                height: 300
            })
        ));
    }

    #[test]
    fn a_file_that_cannot_be_decoded_is_told_in_plain_words_without_the_decoders() {
        for path in [
            "bad/truncated.jpg",
            "bad/script.svg",
            "bad/png-then-html.png",
        ] {
            let error = refusal(path);
            assert_eq!(
                error.to_string(),
                "this file is not a photo we can read (JPEG, PNG or WebP)",
                "{path}: {error:?}"
            );
        }
    }

    #[test]
    fn the_too_large_message_tells_the_user_the_size() {
        let message = PhotoError::TooLarge {
            width: 60000,
            height: 60000,
        }
        .to_string();
        assert!(message.contains("60000x60000"), "{message}");
    }

    #[test]
    fn fitting_keeps_the_aspect_ratio_rounds_and_never_goes_below_one_pixel() {
        assert_eq!(fit_within((4032, 3024), 1024), (1024, 768));
        assert_eq!(fit_within((3024, 4032), 1024), (768, 1024));
        assert_eq!(fit_within((451, 300), 128), (128, 85));
        assert_eq!(fit_within((8000, 3), 1024), (1024, 1));
        assert_eq!(fit_within((300, 200), 1024), (300, 200));
    }

    #[test]
    fn flattening_blends_by_alpha() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(0, 255), 0);
        assert_eq!(over_white(100, 255), 100);
        assert_eq!(over_white(0, 128), 127);
    }
}
