//! The photo's pattern, measured on the sample: each pixel labelled with its nearest palette
//! colour, then how the labels change from pixel to pixel. Stripes change often across one
//! direction and rarely along the other; spots are many small islands of a colour inside
//! another; patches are a few large regions; a solid photo is one colour nearly everywhere.

use image::RgbImage;
use palette::Lab;

use super::dominant::{PhotoColour, to_lab};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pattern {
    Solid,
    Stripes,
    Spots,
    Patches,
}

/// The main colour covering at least this much of the photo makes it a solid field.
const SOLID_SHARE: f32 = 0.93;
/// Below this share of neighbouring pixels differing, regions are large: patches.
const FEW_EDGES: f32 = 0.03;
/// Stripes: one direction changes at least this many times as often as the other...
const STRIPE_ANISOTROPY: f32 = 3.0;
/// ...and often enough to be more than a single border.
const STRIPE_EDGES: f32 = 0.05;
/// An island smaller than this share of the photo is a spot; one of a few pixels is noise.
const SPOT_MAX_SHARE: f32 = 0.03;
const SPOT_MIN_PIXELS: usize = 4;
const MIN_SPOTS: usize = 5;

pub(super) fn of(sample: &RgbImage, colours: &[PhotoColour]) -> Pattern {
    let (width, height) = (sample.width() as usize, sample.height() as usize);
    let real: Vec<&PhotoColour> = colours.iter().filter(|c| c.share > 0.0).collect();
    if width * height < 16 || real.len() < 2 || real[0].share >= SOLID_SHARE {
        return Pattern::Solid;
    }
    let labels: Vec<usize> = sample
        .pixels()
        .map(|p| nearest(to_lab(palette::Srgb::new(p[0], p[1], p[2])), &real))
        .collect();
    let differing = |pairs: &mut dyn Iterator<Item = (usize, usize)>| {
        let (mut total, mut changed) = (0usize, 0usize);
        for (a, b) in pairs {
            total += 1;
            changed += usize::from(labels[a] != labels[b]);
        }
        changed as f32 / total.max(1) as f32
    };
    let across = differing(
        &mut (0..height).flat_map(|y| (1..width).map(move |x| (y * width + x - 1, y * width + x))),
    );
    let down = differing(
        &mut (1..height)
            .flat_map(|y| (0..width).map(move |x| ((y - 1) * width + x, y * width + x))),
    );
    let (most, least) = (across.max(down), across.min(down));
    if most >= STRIPE_EDGES && most >= STRIPE_ANISOTROPY * (least + 0.005) {
        return Pattern::Stripes;
    }
    if (across + down) / 2.0 < FEW_EDGES {
        return Pattern::Patches;
    }
    if spots(&labels, width, height) >= MIN_SPOTS {
        Pattern::Spots
    } else {
        Pattern::Patches
    }
}

fn nearest(lab: Lab, colours: &[&PhotoColour]) -> usize {
    let distance = |c: &PhotoColour| {
        (c.lab.l - lab.l).powi(2) + (c.lab.a - lab.a).powi(2) + (c.lab.b - lab.b).powi(2)
    };
    (0..colours.len())
        .min_by(|&a, &b| distance(colours[a]).total_cmp(&distance(colours[b])))
        .unwrap_or(0)
}

/// Islands of any colour but the main one (label 0), of spot size.
fn spots(labels: &[usize], width: usize, height: usize) -> usize {
    let most = (SPOT_MAX_SHARE * labels.len() as f32) as usize;
    let mut seen = vec![false; labels.len()];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..labels.len() {
        if seen[start] || labels[start] == 0 {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut size = 0;
        while let Some(at) = stack.pop() {
            size += 1;
            let (x, y) = (at % width, at / width);
            let neighbours = [
                (x > 0).then(|| at - 1),
                (x + 1 < width).then(|| at + 1),
                (y > 0).then(|| at - width),
                (y + 1 < height).then(|| at + width),
            ];
            for next in neighbours.into_iter().flatten() {
                if !seen[next] && labels[next] == labels[start] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        if (SPOT_MIN_PIXELS..=most).contains(&size) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::dominant::colours;
    use image::Rgb;

    fn pattern(image: &RgbImage) -> Pattern {
        of(image, &colours(image))
    }

    const BROWN: Rgb<u8> = Rgb([120, 80, 40]);
    const CREAM: Rgb<u8> = Rgb([240, 225, 200]);

    #[test]
    fn synthetic_photos_get_their_patterns() {
        let solid = RgbImage::from_pixel(64, 64, BROWN);
        let stripes = RgbImage::from_fn(96, 64, |x, _| if x / 8 % 2 == 0 { BROWN } else { CREAM });
        let split = RgbImage::from_fn(96, 64, |x, _| if x < 48 { BROWN } else { CREAM });
        let spots = RgbImage::from_fn(96, 96, |x, y| {
            if x % 16 < 5 && y % 16 < 5 {
                CREAM
            } else {
                BROWN
            }
        });
        assert_eq!(pattern(&solid), Pattern::Solid);
        assert_eq!(pattern(&stripes), Pattern::Stripes);
        assert_eq!(pattern(&split), Pattern::Patches);
        assert_eq!(pattern(&spots), Pattern::Spots);
    }
}
