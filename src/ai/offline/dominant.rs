//! The photo's dominant colours: k-means in CIE Lab, near-duplicates merged, 3 to 6 kept.
//!
//! Everything here is deterministic for a given image (fixed k-means seeds), so the same photo
//! always gets the same palette whatever the caller's rng does.

use image::RgbImage;
use kmeans_colors::{Calculate, Kmeans, get_kmeans_hamerly};
use palette::color_difference::Ciede2000;
use palette::{Clamp, FromColor, IntoColor, Lab, Lch, Srgb};

/// Clusters asked of k-means; merging and dropping usually leave fewer.
const CLUSTERS: usize = 6;
/// k-means++ starts differ per seed; the tightest of these runs wins.
const SEEDS: [u64; 3] = [0x5eed_0001, 0x5eed_0002, 0x5eed_0003];
const MAX_ITERATIONS: usize = 30;
/// Pixels clustered at most: the sample thinned to an even grid of about this many. Shares come
/// out the same to within a percent; clustering all 12,288 of a 128 px sample three times was
/// a sixth of a generation's CPU.
const MAX_CLUSTERED: u32 = 4096;
/// Centroid movement (squared Lab units) below which a run counts as converged.
const CONVERGED: f32 = 0.5;
/// Centroids closer than this (CIEDE2000) would read as the same colour twice.
pub(super) const SAME_COLOUR: f32 = 6.0;
/// Clusters holding less of the photo than this are specks, kept only to reach three colours.
const NEGLIGIBLE_SHARE: f32 = 0.02;
pub(super) const MIN_COLOURS: usize = 3;
const MAX_COLOURS: usize = 6;
/// Lightness steps tried, in order, to derive extra colours from a flat photo's dominant one:
/// small enough that the new colour is a shade of it (a near-black photo gets charcoal, not a
/// mid grey), large enough to tell apart.
const LIGHTNESS_STEPS: [f32; 8] = [20.0, -20.0, 30.0, -30.0, 12.0, -12.0, 40.0, -40.0];
/// Neutral greys that always include one far enough from any two colours: the last resort.
const FALLBACK_LIGHTNESS: [f32; 3] = [10.0, 50.0, 90.0];

/// One palette colour: what it looks like and how much of the photo it covers (0 for colours
/// derived from another one rather than found in the photo).
#[derive(Clone, Copy, Debug)]
pub(super) struct PhotoColour {
    pub srgb: Srgb<u8>,
    pub lab: Lab,
    pub share: f32,
}

impl PhotoColour {
    fn new(lab: Lab, share: f32) -> Self {
        // Round-trip through 8-bit sRGB so `lab` describes exactly the colour the hex shows.
        let srgb: Srgb<u8> = Srgb::from_color(lab).clamp().into_format();
        PhotoColour {
            srgb,
            lab: to_lab(srgb),
            share,
        }
    }

    pub fn hex(&self) -> String {
        format!("#{:x}", self.srgb)
    }

    pub fn lightness(&self) -> f32 {
        self.lab.l
    }

    pub fn chroma(&self) -> f32 {
        Lch::from_color(self.lab).chroma
    }

    /// Hue angle in degrees, 0..360 (Lab hue: red ~40, yellow ~100, green ~140, blue ~290).
    pub fn hue(&self) -> f32 {
        Lch::from_color(self.lab).hue.into_positive_degrees()
    }

    pub fn difference(&self, other: &PhotoColour) -> f32 {
        self.lab.difference(other.lab)
    }
}

pub(super) fn to_lab(colour: Srgb<u8>) -> Lab {
    colour.into_format::<f32>().into_color()
}

/// The photo's 3 to 6 dominant colours, largest share first; derived colours come last.
pub(super) fn colours(sample: &RgbImage) -> Vec<PhotoColour> {
    let pixels: Vec<Lab> = thinned(sample)
        .map(|p| to_lab(Srgb::new(p[0], p[1], p[2])))
        .collect();
    let mut colours = merge_near_duplicates(clusters(&pixels));
    keep_significant(&mut colours);
    top_up(&mut colours);
    colours
}

/// Every `step`th pixel of every `step`th row, the smallest step that leaves at most
/// [`MAX_CLUSTERED`].
fn thinned(sample: &RgbImage) -> impl Iterator<Item = &image::Rgb<u8>> {
    let (width, height) = sample.dimensions();
    let mut step = 1;
    while width.div_ceil(step) * height.div_ceil(step) > MAX_CLUSTERED {
        step += 1;
    }
    sample
        .enumerate_pixels()
        .filter(move |&(x, y, _)| x % step == 0 && y % step == 0)
        .map(|(_, _, pixel)| pixel)
}

/// The k-means clusters of the pixels as colours with their shares, largest first.
fn clusters(pixels: &[Lab]) -> Vec<PhotoColour> {
    // k-means++ panics on an empty buffer.
    if pixels.is_empty() {
        return Vec::new();
    }
    let Some((best, _)) = SEEDS
        .iter()
        .map(|&seed| {
            let run = get_kmeans_hamerly(CLUSTERS, MAX_ITERATIONS, CONVERGED, false, pixels, seed);
            let fit = spread(&run, pixels);
            (run, fit)
        })
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
    else {
        return Vec::new();
    };
    let mut counts = vec![0usize; best.centroids.len()];
    for &index in &best.indices {
        if let Some(count) = counts.get_mut(usize::from(index)) {
            *count += 1;
        }
    }
    let total = best.indices.len().max(1) as f32;
    let mut colours: Vec<PhotoColour> = best
        .centroids
        .iter()
        .zip(counts)
        // A centroid left without pixels was re-seeded at random: it is not in the photo.
        .filter(|&(_, count)| count > 0)
        .map(|(&lab, count)| PhotoColour::new(lab, count as f32 / total))
        .collect();
    by_share(&mut colours);
    colours
}

/// Sum of squared distances from each pixel to its centroid: how tightly a run fits. (The
/// crate's `score` is only the last centroid movement, so it cannot rank runs by quality.)
fn spread(result: &Kmeans<Lab>, pixels: &[Lab]) -> f32 {
    pixels
        .iter()
        .zip(&result.indices)
        .filter_map(|(pixel, &index)| {
            let centroid = result.centroids.get(usize::from(index))?;
            Some(<Lab as Calculate>::difference(pixel, centroid))
        })
        .sum()
}

/// Folds each colour into a larger one it is indistinguishable from.
fn merge_near_duplicates(colours: Vec<PhotoColour>) -> Vec<PhotoColour> {
    let mut kept: Vec<PhotoColour> = Vec::with_capacity(colours.len());
    for colour in colours {
        match kept
            .iter_mut()
            .find(|k| k.difference(&colour) < SAME_COLOUR)
        {
            Some(larger) => larger.share += colour.share,
            None => kept.push(colour),
        }
    }
    by_share(&mut kept);
    kept
}

/// Drops specks, unless they are needed to reach three colours: a real colour from the photo
/// beats a derived one.
fn keep_significant(colours: &mut Vec<PhotoColour>) {
    let significant = colours
        .iter()
        .filter(|c| c.share >= NEGLIGIBLE_SHARE)
        .count();
    colours.truncate(significant.clamp(MIN_COLOURS, MAX_COLOURS));
}

/// Adds lighter and darker shades of the dominant colour until there are three.
fn top_up(colours: &mut Vec<PhotoColour>) {
    let base = colours
        .first()
        .map_or(Lab::new(50.0, 0.0, 0.0), |dominant| dominant.lab);
    let variants = LIGHTNESS_STEPS
        .iter()
        .map(|step| shade(base, (base.l + step).clamp(0.0, 100.0)))
        .chain(FALLBACK_LIGHTNESS.iter().map(|&l| Lab::new(l, 0.0, 0.0)));
    for lab in variants {
        if colours.len() >= MIN_COLOURS {
            break;
        }
        let variant = PhotoColour::new(lab, 0.0);
        if colours
            .iter()
            .all(|c| c.difference(&variant) >= SAME_COLOUR)
        {
            colours.push(variant);
        }
    }
}

/// `base` at lightness `l`, its chroma reduced only as far as sRGB needs, so the hue stays.
fn shade(base: Lab, l: f32) -> Lab {
    const SCALES: [f32; 8] = [1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1, 0.0];
    let in_gamut = |lab: &Lab| {
        let rgb: Srgb = Srgb::from_color(*lab);
        [rgb.red, rgb.green, rgb.blue]
            .iter()
            .all(|c| (-0.002..=1.002).contains(c))
    };
    SCALES
        .iter()
        .map(|k| Lab::new(l, base.a * k, base.b * k))
        .find(in_gamut)
        .unwrap_or(Lab::new(l, 0.0, 0.0))
}

/// A kept palette as colours, in its order: the order of how much of the photo each covers,
/// so the shares fall with the position. Colours that do not parse are left out.
pub(super) fn from_swatches(swatches: &[crate::domain::fursona::Swatch]) -> Vec<PhotoColour> {
    const SHARES: [f32; 6] = [0.45, 0.2, 0.12, 0.1, 0.08, 0.05];
    swatches
        .iter()
        .zip(SHARES.iter().chain(std::iter::repeat(&0.05)))
        .filter_map(|(swatch, &share)| {
            let srgb: Srgb<u8> = swatch.hex.parse().ok()?;
            Some(PhotoColour {
                srgb,
                lab: to_lab(srgb),
                share,
            })
        })
        .collect()
}

fn by_share(colours: &mut [PhotoColour]) {
    colours.sort_by(|a, b| b.share.total_cmp(&a.share));
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn hexes(image: &RgbImage) -> Vec<String> {
        colours(image).iter().map(PhotoColour::hex).collect()
    }

    fn flat(width: u32, height: u32, rgb: [u8; 3]) -> RgbImage {
        RgbImage::from_pixel(width, height, Rgb(rgb))
    }

    #[test]
    fn a_flat_photo_gets_its_colour_first_then_distinct_variants() {
        for rgb in [[0, 0, 0], [255, 255, 255], [200, 120, 40], [12, 80, 200]] {
            let colours = colours(&flat(16, 9, rgb));
            assert_eq!(colours.len(), MIN_COLOURS, "{rgb:?}");
            assert_eq!(colours[0].srgb, Srgb::new(rgb[0], rgb[1], rgb[2]));
            assert_eq!(colours[0].share, 1.0);
            for (i, a) in colours.iter().enumerate() {
                for b in &colours[i + 1..] {
                    assert!(a.difference(b) >= SAME_COLOUR, "{rgb:?}: {colours:?}");
                }
            }
        }
    }

    #[test]
    fn an_empty_image_still_gets_three_colours() {
        assert_eq!(hexes(&RgbImage::new(0, 0)).len(), MIN_COLOURS);
    }

    #[test]
    fn shares_add_up_to_the_whole_photo() {
        let image = RgbImage::from_fn(40, 30, |x, y| Rgb([(x * 6) as u8, (y * 8) as u8, 90]));
        let colours = colours(&image);
        let total: f32 = colours.iter().map(|c| c.share).sum();
        assert!((3..=6).contains(&colours.len()));
        assert!(total <= 1.0001, "{total}");
        assert!(colours.windows(2).all(|w| w[0].share >= w[1].share));
    }

    #[test]
    fn the_same_photo_always_gets_the_same_palette() {
        let image = RgbImage::from_fn(50, 50, |x, y| Rgb([(x * 5) as u8, 60, (y * 5) as u8]));
        assert_eq!(hexes(&image), hexes(&image));
    }

    #[test]
    fn hex_is_lowercase_and_zero_padded() {
        let colour = PhotoColour::new(to_lab(Srgb::new(10, 0, 171)), 1.0);
        assert_eq!(colour.hex(), "#0a00ab");
    }
}
