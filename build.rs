//! Precompresses every file under `static/` once, at build time, with brotli and gzip at their
//! best levels (too slow per request, free here), and writes `$OUT_DIR/assets.rs`: the table of
//! files that `src/routes/assets.rs` embeds, each with its content type, a hash of its bytes and
//! the compressed copies that came out smaller.

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A compressed copy is kept only when it saves at least this share of the bytes: below that
/// (images, fonts) the client would decode for nothing.
const WORTH_IT: f64 = 0.9;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=static");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("static");
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut files = Vec::new();
    walk(&root, &mut files)?;
    files.sort();

    let mut table = String::from("&[\n");
    for file in &files {
        let name = file
            .strip_prefix(&root)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let data = fs::read(file)?;
        let hash: String = Sha256::digest(&data)[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mime = mime_guess::from_path(file).first_or_octet_stream();
        let brotli = variant(&out, &name, "br", &data, brotli(&data)?)?;
        let gzip = variant(&out, &name, "gz", &data, gzip(&data)?)?;
        writeln!(
            table,
            "    Asset {{ path: {name:?}, mime: {mime:?}, hash: {hash:?}, \
             identity: include_bytes!({file:?}), brotli: {brotli}, gzip: {gzip} }},",
            mime = mime.essence_str(),
            file = file.display().to_string(),
        )?;
    }
    table.push(']');
    fs::write(out.join("assets.rs"), table)?;
    Ok(())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// `Some(include_bytes!(..))` of the compressed copy written under `$OUT_DIR`, or `None` when it
/// is not worth sending.
fn variant(
    out: &Path,
    name: &str,
    suffix: &str,
    original: &[u8],
    compressed: Vec<u8>,
) -> Result<String, Box<dyn Error>> {
    if compressed.len() as f64 > original.len() as f64 * WORTH_IT {
        return Ok("None".to_owned());
    }
    let path = out.join("static").join(format!("{name}.{suffix}"));
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, compressed)?;
    Ok(format!(
        "Some(include_bytes!({:?}))",
        path.display().to_string()
    ))
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}
