//! Content codings a response body can be sent in, and compressing bytes into one. What a client
//! accepts is read by `routes::negotiate`; static files are compressed at build time (`build.rs`),
//! the portrait SVGs here, once each.

use std::io::Write;

/// A content coding, in the server's order of preference: brotli is smaller than gzip for the
/// same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    pub const PREFERENCE: [Coding; 3] = [Coding::Brotli, Coding::Gzip, Coding::Identity];

    /// The name in `Accept-Encoding` and `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
            Coding::Identity => "identity",
        }
    }

    /// What a strong validator of this coding adds to the one of the plain bytes: each coding is
    /// a different representation, so it needs a tag of its own.
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "-br",
            Coding::Gzip => "-gz",
            Coding::Identity => "",
        }
    }

    /// `data` in this coding, with the effort the answer is worth.
    pub fn compress(self, data: &[u8], effort: Effort) -> std::io::Result<Vec<u8>> {
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: effort.brotli_quality(),
                    // A window no larger than the data: brotli zeroes a ring buffer of twice the
                    // window for every stream, 8 MiB at its default of 22 bits, which cost more
                    // than compressing a 100 KB answer.
                    lgwin: window_bits(data.len()),
                    size_hint: data.len(),
                    ..Default::default()
                };
                let mut out = Vec::with_capacity(data.len() / 4);
                brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(data.len() / 4),
                    effort.gzip_level(),
                );
                encoder.write_all(data)?;
                encoder.finish()
            }
            Coding::Identity => Ok(data.to_vec()),
        }
    }
}

/// How hard to compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// Compressed once and kept (the portrait SVGs): the smallest output is worth the time.
    Kept,
    /// Compressed for one answer (pages, JSON): fast levels, since every request pays; brotli's
    /// fastest levels (0-1) came out larger than gzip's, 4 is where nginx puts it.
    EveryAnswer,
}

impl Effort {
    fn brotli_quality(self) -> i32 {
        match self {
            Effort::Kept => 9,
            Effort::EveryAnswer => 4,
        }
    }

    fn gzip_level(self) -> flate2::Compression {
        match self {
            Effort::Kept => flate2::Compression::best(),
            Effort::EveryAnswer => flate2::Compression::new(4),
        }
    }
}

/// The smallest brotli window (10 to 22 bits) that holds `len` bytes.
fn window_bits(len: usize) -> i32 {
    let bits = usize::BITS - len.saturating_sub(1).leading_zeros();
    i32::try_from(bits.clamp(10, 22)).unwrap_or(22)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn decoded(coding: Coding, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        match coding {
            Coding::Brotli => brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out),
            Coding::Gzip => flate2::read::GzDecoder::new(bytes).read_to_end(&mut out),
            Coding::Identity => std::io::Read::read_to_end(&mut &bytes[..], &mut out),
        }
        .expect("decodes");
        out
    }

    #[test]
    fn compressed_bytes_decode_to_the_original_at_every_effort() {
        let text = "<svg>".repeat(200).into_bytes();
        for effort in [Effort::Kept, Effort::EveryAnswer] {
            for coding in Coding::PREFERENCE {
                let coded = coding.compress(&text, effort).expect("compressed");
                assert_eq!(decoded(coding, &coded), text, "{coding:?} {effort:?}");
                if coding != Coding::Identity {
                    assert!(coded.len() < text.len() / 10, "{coding:?} {effort:?}");
                }
            }
        }
    }

    #[test]
    fn the_window_fits_the_data_within_brotli_bounds() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1024), 10);
        assert_eq!(window_bits(1025), 11);
        assert_eq!(window_bits(112_201), 17);
        assert_eq!(window_bits(usize::MAX), 22);
    }
}
