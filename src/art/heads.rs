//! Head outlines per head shape, and the head itself with its sheen.

use super::canvas::Canvas;
use super::colours::Rgb;
use super::face::{Face, Look};
use super::geom::{MID, Pen, Pt, p, s, symmetric};
use super::seed::Rng;
use crate::domain::body_plan::Head;

/// The whole head outline (right half mirrored), from the face numbers.
pub(crate) fn outline(face: &Face, rng: &mut Rng) -> Vec<Pt> {
    let (c, t, b, h, ey) = (MID, face.top, face.bottom, face.half, face.eye_y);
    let fluffy = face.fluff >= 2;
    let mut right = match face.plan.head {
        Head::Round => {
            let mut pts = vec![
                p(c, t),
                p(c + h * 0.5, t + 4.0),
                p(c + h * 0.88, t + 42.0),
                p(c + h, ey - 4.0),
                p(c + h * 0.98, ey + 32.0),
            ];
            if fluffy {
                pts.extend([
                    s(c + h * 1.16, ey + 48.0),
                    p(c + h * 0.99, ey + 60.0),
                    s(c + h * 1.12, ey + 84.0),
                    p(c + h * 0.84, ey + 90.0),
                ]);
            } else {
                pts.extend([s(c + h * 1.08, ey + 62.0), p(c + h * 0.86, ey + 74.0)]);
            }
            pts.extend([p(c + h * 0.52, b - 10.0), p(c, b)]);
            pts
        }
        Head::Wedge => {
            let mut pts = vec![
                p(c, t),
                p(c + h * 0.52, t + 5.0),
                p(c + h * 0.86, t + 38.0),
                p(c + h * 0.99, ey - 8.0),
                p(c + h * 1.0, ey + 26.0),
                s(c + h * 1.17, ey + 50.0),
                p(c + h * 0.96, ey + 60.0),
                s(c + h * 1.06, ey + 88.0),
                p(c + h * 0.76, ey + 96.0),
            ];
            if fluffy {
                pts.insert(5, s(c + h * 1.14, ey + 18.0));
                pts.insert(6, p(c + h * 1.02, ey + 30.0));
            }
            pts.extend([p(c + h * 0.44, b - 12.0), p(c, b)]);
            pts
        }
        Head::Broad => vec![
            p(c, t),
            p(c + h * 0.56, t + 2.0),
            p(c + h * 0.9, t + 36.0),
            p(c + h, ey + 6.0),
            p(c + h * 0.97, ey + 56.0),
            p(c + h * 0.78, b - 30.0),
            p(c + h * 0.44, b - 4.0),
            p(c, b),
        ],
        Head::Long => vec![
            p(c, t),
            p(c + h * 0.55, t + 4.0),
            p(c + h * 0.92, t + 44.0),
            p(c + h, ey + 2.0),
            p(c + h * 0.86, ey + 62.0),
            p(c + h * 0.62, ey + 120.0),
            p(c + h * 0.7, b - 42.0),
            p(c + h * 0.56, b - 6.0),
            p(c, b),
        ],
        Head::Blade => vec![
            p(c, t),
            p(c + h * 0.6, t + 4.0),
            p(c + h * 0.95, t + 40.0),
            p(c + h, ey + 4.0),
            p(c + h * 0.8, ey + 70.0),
            p(c + h * 0.44, ey + 150.0),
            p(c + h * 0.14, b - 8.0),
            p(c, b),
        ],
        Head::Feathered => vec![
            p(c, t),
            p(c + h * 0.5, t + 3.0),
            p(c + h * 0.88, t + 38.0),
            p(c + h, ey + 2.0),
            s(c + h * 1.08, ey + 46.0),
            p(c + h * 0.92, ey + 56.0),
            s(c + h * 0.98, ey + 84.0),
            p(c + h * 0.7, ey + 96.0),
            p(c + h * 0.44, b - 8.0),
            p(c, b),
        ],
        Head::Angular => vec![
            p(c, t),
            p(c + h * 0.45, t + 2.0),
            s(c + h * 0.94, t + 30.0),
            p(c + h, ey + 2.0),
            s(c + h * 0.97, ey + 40.0),
            p(c + h * 0.66, ey + 82.0),
            p(c + h * 0.5, b - 52.0),
            p(c + h * 0.44, b - 12.0),
            p(c, b),
        ],
        Head::Streamlined => vec![
            p(c, t),
            p(c + h * 0.62, t + 4.0),
            p(c + h * 0.98, t + 44.0),
            p(c + h * 1.1, ey + 14.0),
            p(c + h * 1.22, ey + 100.0),
            p(c + h * 1.45, 420.0),
            s(c + h * 1.6, 496.0),
            s(c, 496.0),
        ],
        Head::Helmet => vec![
            p(c, t),
            p(c + h * 0.55, t + 3.0),
            p(c + h * 0.9, t + 36.0),
            p(c + h, ey - 4.0),
            p(c + h * 0.98, ey + 40.0),
            p(c + h * 0.78, b - 34.0),
            p(c + h * 0.42, b - 4.0),
            p(c, b),
        ],
    };
    // A little per-fursona wobble in the middle points, the same on both sides.
    let last = right.len() - 1;
    for point in right.iter_mut().take(last).skip(1) {
        point.x += rng.range(-2.5, 2.5);
        point.y += rng.range(-2.5, 2.5);
    }
    symmetric(&right)
}

pub(crate) fn head(canvas: &mut Canvas, face: &Face, look: &Look, _rng: &mut Rng) {
    canvas.solid(face.head_d.clone(), look.colours.base);
    // A soft sheen on the lit side of the forehead.
    let (x, y) = (MID + face.half * 0.38, face.top + 40.0);
    let d = Pen::new(false)
        .ellipse(x, y, face.half * 0.26, 14.0)
        .finish();
    canvas.flat(d, Rgb(255, 255, 255), 0.16);
}
