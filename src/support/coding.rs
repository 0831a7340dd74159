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

    /// `data` in this coding, at a level worth it for bytes that are compressed once and sent
    /// many times.
    pub fn compress(self, data: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 9,
                    ..Default::default()
                };
                let mut out = Vec::new();
                brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                encoder.write_all(data)?;
                encoder.finish()
            }
            Coding::Identity => Ok(data.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn compressed_bytes_decode_to_the_original() {
        let text = "<svg>".repeat(200).into_bytes();
        let brotli = Coding::Brotli.compress(&text).expect("brotli");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut decoded)
            .expect("brotli decodes");
        assert_eq!(decoded, text);
        let gzip = Coding::Gzip.compress(&text).expect("gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut decoded)
            .expect("gzip decodes");
        assert_eq!(decoded, text);
        assert!(brotli.len() < text.len() / 10 && gzip.len() < text.len() / 10);
        assert_eq!(Coding::Identity.compress(&text).expect("identity"), text);
    }
}
