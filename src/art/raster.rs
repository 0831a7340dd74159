//! SVG to PNG with resvg: the tree is parsed with the fonts loaded once at startup, scaled to
//! fit the requested size and centred on a transparent canvas.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, ImageHrefResolver, Options};

use super::ArtError;
use super::text::{BOLD, FAMILY, REGULAR};

/// Larger sides than this are refused: a 4096 x 4096 RGBA buffer is already 64 MiB.
pub const MAX_SIDE: u32 = 4096;

/// usvg options holding the shipped fonts and nothing else: no system fonts, and images are
/// never loaded (the drawings have none; an `<image>` that slipped in must not read files).
pub(crate) fn options() -> Options<'static> {
    let mut options = Options {
        font_family: FAMILY.to_owned(),
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Options::default()
    };
    let fonts = options.fontdb_mut();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    fonts.set_sans_serif_family(FAMILY);
    options
}

pub(crate) fn png(
    options: &Options<'static>,
    svg: &str,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ArtError> {
    pixmap(options, svg, width, height)?
        .encode_png()
        .map_err(|e| ArtError::Encode(e.to_string()))
}

pub(crate) fn pixmap(
    options: &Options<'static>,
    svg: &str,
    width: u32,
    height: u32,
) -> Result<Pixmap, ArtError> {
    if !(1..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
        return Err(ArtError::Size { width, height });
    }
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| ArtError::Svg(e.to_string()))?;
    let size = tree.size();
    let scale = (width as f32 / size.width()).min(height as f32 / size.height());
    let dx = (width as f32 - size.width() * scale) / 2.0;
    let dy = (height as f32 - size.height() * scale) / 2.0;
    let mut pixmap = Pixmap::new(width, height).ok_or(ArtError::Size { width, height })?;
    resvg::render(
        &tree,
        Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}
