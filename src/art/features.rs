//! Eyes: an almond or round eye in the fursona's eye colour with a pupil to match the species
//! (round, slit) and two highlights; LED shapes on a dark visor for protogens and synths.

use super::canvas::Canvas;
use super::colours::Rgb;
use super::face::{Face, Look};
use super::geom::{Frame, MID, Pen, Pt, p, s};
use super::seed::Rng;
use crate::domain::body_plan::{Family, Head, Pupils};

const WHITE: Rgb = Rgb(255, 255, 255);
const SCLERA: Rgb = Rgb(252, 250, 245);

pub(crate) fn eyes(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    if face.plan.pupils == Pupils::Led {
        return leds(canvas, face, look, rng);
    }
    let family = face.family();
    // Outer corners raised: sly for cats, foxes and dragons, level for the gentle ones.
    let slant = match family {
        Family::Feline | Family::Vulpine | Family::Kitsune | Family::Dragon | Family::Sergal => {
            12.0
        }
        Family::Reptile | Family::Canine | Family::Wickerbeast => 8.0,
        _ => 3.0,
    } + rng.range(-2.0, 2.0);
    let round = matches!(
        family,
        Family::Rodent
            | Family::Ursine
            | Family::Mustelid
            | Family::Avian
            | Family::Avali
            | Family::Aquatic
            | Family::Bat
            | Family::Lagomorph
            | Family::Procyonid
    );
    let r = face.eye_r;
    let ink = look.colours.base.ink().darken(0.3);
    for mirror in [false, true] {
        let iris_colour = if mirror {
            look.eyes.left
        } else {
            look.eyes.right
        };
        let centre = p(MID + face.eye_dx, face.eye_y);
        let frame = Frame::new(centre, -slant, 1.0);
        let shape: Vec<Pt> = if round {
            (0..10)
                .map(|i| {
                    let a = std::f32::consts::TAU * i as f32 / 10.0;
                    p(r * 1.02 * a.cos(), r * a.sin())
                })
                .collect()
        } else {
            vec![
                s(r * 1.3, -r * 0.1),
                p(r * 0.2, -r * 0.98),
                p(-r * 0.8, -r * 0.66),
                s(-r * 1.22, r * 0.12),
                p(-r * 0.2, r * 0.8),
                p(r * 0.8, r * 0.5),
            ]
        };
        let eye = Pen::new(mirror).through(&frame.all(&shape), true).finish();
        canvas.detail(eye.clone(), SCLERA, 3.0);
        let iris_r = r * if round { 0.86 } else { 0.78 };
        let look_at = frame.at(p(-r * 0.08, -r * 0.02));
        canvas.clipped(&eye, |inner| {
            let iris = Pen::new(mirror)
                .circle(look_at.x, look_at.y, iris_r)
                .finish();
            inner.detail(iris, iris_colour, 2.5);
            let lower = Pen::new(mirror)
                .ellipse(
                    look_at.x,
                    look_at.y + iris_r * 0.42,
                    iris_r * 0.7,
                    iris_r * 0.4,
                )
                .finish();
            inner.flat(lower, iris_colour.lighten(0.45), 0.5);
            let pupil = match face.plan.pupils {
                Pupils::Slit => Pen::new(mirror)
                    .through(
                        &[
                            s(look_at.x, look_at.y - iris_r * 0.86),
                            p(look_at.x + iris_r * 0.2, look_at.y),
                            s(look_at.x, look_at.y + iris_r * 0.86),
                            p(look_at.x - iris_r * 0.2, look_at.y),
                        ],
                        true,
                    )
                    .finish(),
                _ => Pen::new(mirror)
                    .circle(look_at.x, look_at.y, iris_r * 0.46)
                    .finish(),
            };
            inner.flat(pupil, Rgb(18, 14, 24), 1.0);
            // Upper lid shadow, so the eye sits under the brow.
            let lid = Pen::new(mirror)
                .ellipse(centre.x, centre.y - r * 1.35, r * 1.6, r * 0.7)
                .finish();
            inner.flat(lid, look.colours.base.darken(0.4), 0.25);
        });
        let mut shine = Pen::new(mirror);
        shine.circle(
            look_at.x + iris_r * 0.34,
            look_at.y - iris_r * 0.36,
            iris_r * 0.26,
        );
        shine.circle(
            look_at.x - iris_r * 0.32,
            look_at.y + iris_r * 0.34,
            iris_r * 0.11,
        );
        canvas.flat(shine.finish(), WHITE, 0.95);
        // The upper lid line, thicker at the outer corner.
        let lid: Vec<Pt> = if round {
            vec![
                p(-r * 0.9, -r * 0.45),
                p(0.0, -r * 1.02),
                s(r * 1.0, -r * 0.42),
            ]
        } else {
            vec![
                s(-r * 1.22, r * 0.1),
                p(-r * 0.8, -r * 0.66),
                p(r * 0.2, -r * 0.98),
                s(r * 1.42, -r * 0.26),
            ]
        };
        let lid = Pen::new(mirror).through(&frame.all(&lid), false).finish();
        canvas.line(lid, ink, 5.5);
        if matches!(face.plan.head, Head::Angular) {
            let brow = frame.all(&[
                s(-r * 1.3, -r * 1.1),
                p(0.0, -r * 1.7),
                s(r * 1.7, -r * 1.5),
                p(r * 0.2, -r * 1.3),
            ]);
            let d = Pen::new(mirror).through(&brow, true).finish();
            canvas.detail(d, look.colours.base.darken(0.15), 3.0);
        }
    }
}

/// LED eyes: one of a few display shapes, glowing in the eye colour.
fn leds(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let style = rng.below(3);
    let r = face.eye_r * 1.1;
    for mirror in [false, true] {
        let colour = if look.eyes.rainbow {
            if mirror {
                Rgb(255, 90, 200)
            } else {
                Rgb(90, 230, 255)
            }
        } else if mirror {
            look.eyes.left
        } else {
            look.eyes.right
        };
        let (x, y) = (MID + face.eye_dx + 6.0, face.eye_y - 4.0);
        let glow = Pen::new(mirror).ellipse(x, y, r * 2.0, r * 1.6).finish();
        canvas.glow(glow, colour, 0.55);
        let shape = match style {
            0 => Pen::new(mirror)
                .through(
                    &[
                        s(x - r * 1.1, y + r * 0.5),
                        p(x - r * 0.2, y - r * 0.9),
                        p(x + r * 0.9, y - r * 0.6),
                        s(x + r * 1.2, y + r * 0.3),
                        p(x + r * 0.2, y - r * 0.1),
                    ],
                    true,
                )
                .finish(),
            1 => {
                let mut pen = Pen::new(mirror);
                pen.m(x - r * 1.1, y + r * 0.4)
                    .l(x, y - r * 0.7)
                    .l(x + r * 1.1, y + r * 0.4)
                    .l(x + r * 0.7, y + r * 0.7)
                    .l(x, y - r * 0.05)
                    .l(x - r * 0.7, y + r * 0.7)
                    .z();
                pen.finish()
            }
            _ => Pen::new(mirror).ellipse(x, y, r * 0.75, r * 0.95).finish(),
        };
        canvas.flat(shape.clone(), colour, 1.0);
        canvas.line(shape, colour.lighten(0.55), 2.5);
    }
}
