//! Markings drawn as shapes: on the face (clipped to the head) and on the shoulders.
//! Positions, counts and sizes are jittered per fursona.

use super::canvas::Canvas;
use super::colours::{Rgb, Slot};
use super::face::{Face, Look};
use super::geom::{MID, Pen, Pt, bezier, p, ribbon, s, smooth_closed, symmetric};
use super::markings::Marking;
use super::seed::Rng;
use crate::domain::body_plan::{Extra, Head, Mark};

/// Markings on the face, clipped to the head so they follow its outline.
pub(crate) fn on_head(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let base = look.colours.base;
    let marks = &look.marks;
    canvas.clipped(&face.head_d.clone(), |c| {
        // Sharks and orcas have no bust: their pale underside is part of the head shape.
        if face.plan.head == Head::Streamlined
            && let Some(colour) = marks.colour(Marking::Bib)
        {
            let d = smooth_closed(
                &symmetric(&[
                    p(MID, face.nose_y),
                    p(MID + face.half * 0.7, face.nose_y + 20.0),
                    p(MID + face.half * 1.1, 420.0),
                    p(MID + face.half * 1.3, 520.0),
                    p(MID, 520.0),
                ]),
                false,
            );
            c.flat(d, colour, 1.0);
        }
        if let Some(colour) = marks.colour(Marking::Crown) {
            let d = Pen::new(false)
                .ellipse(MID, face.top, face.half * 0.75, 48.0)
                .finish();
            c.flat(d, colour, 1.0);
        }
        if let Some(colour) = marks.colour(Marking::Mask) {
            mask(c, face, colour, colour.luma() > base.luma(), rng);
        }
        if let Some(colour) = marks.colour(Marking::CheekPatches) {
            for mirror in [false, true] {
                let d = Pen::new(mirror)
                    .ellipse(
                        MID + face.half * 0.7,
                        face.eye_y + 54.0,
                        34.0 + rng.range(-4.0, 4.0),
                        24.0,
                    )
                    .finish();
                c.flat(d, colour, 0.95);
            }
        }
        if let Some(colour) = marks.colour(Marking::Stripes) {
            head_stripes(c, face, colour, rng);
        }
        if let Some(colour) = marks.colour(Marking::Spots) {
            spots(c, face, colour, rng, false);
        }
        if let Some(colour) = marks.colour(Marking::Rosettes) {
            spots(c, face, colour, rng, true);
        }
        if let Some(colour) = marks.colour(Marking::Scales) {
            scales(c, face.top + 20.0, face.eye_y - 30.0, face.half, colour);
        }
        if let Some(colour) = marks.colour(Marking::Blaze) {
            let w = rng.range(10.0, 20.0);
            let right = [
                p(MID, face.top - 4.0),
                p(MID + w * 1.4, face.top),
                p(MID + w * 0.7, face.eye_y - 10.0),
                p(MID + w, face.nose_y - 10.0),
                p(MID, face.nose_y),
            ];
            c.flat(smooth_closed(&symmetric(&right), false), colour, 1.0);
        }
        if let Some(colour) = marks.colour(Marking::DorsalStripe) {
            let right = [
                p(MID, face.top - 10.0),
                p(MID + 36.0, face.top - 4.0),
                p(MID + 16.0, face.eye_y - 20.0),
                p(MID + 8.0, face.nose_y - 30.0),
                p(MID, face.nose_y - 20.0),
            ];
            c.flat(smooth_closed(&symmetric(&right), false), colour, 1.0);
        }
        if let Some(colour) = marks.colour(Marking::Star) {
            star(
                c,
                p(MID, face.top + 46.0),
                rng.range(14.0, 22.0),
                colour,
                rng,
            );
        }
        if let Some(colour) = marks.colour(Marking::Streak) {
            let x = MID + rng.range(-30.0, 30.0);
            let spine = bezier(
                p(x, face.top - 10.0),
                p(x + 10.0, face.top + 20.0),
                p(x + 20.0, face.top + 40.0),
                p(x + 30.0, face.top + 76.0),
                8,
            );
            c.flat(ribbon(&spine, 26.0, 0.0, false), colour, 1.0);
        }
        if let Some(colour) = marks.colour(Marking::EyePatches) {
            for mirror in [false, true] {
                let d = if face.plan.head == Head::Streamlined {
                    Pen::new(mirror)
                        .ellipse(MID + face.eye_dx + 8.0, face.eye_y - 30.0, 36.0, 18.0)
                        .finish()
                } else {
                    Pen::new(mirror)
                        .ellipse(
                            MID + face.eye_dx + 4.0,
                            face.eye_y + 8.0,
                            face.eye_r * 1.7,
                            face.eye_r * 2.1,
                        )
                        .finish()
                };
                c.flat(d, colour, 1.0);
            }
        }
        if let Some(colour) = marks.colour(Marking::EyeRims) {
            for mirror in [false, true] {
                let d = Pen::new(mirror)
                    .ellipse(
                        MID + face.eye_dx,
                        face.eye_y,
                        face.eye_r * 1.6,
                        face.eye_r * 1.35,
                    )
                    .finish();
                c.flat(d, colour, 1.0);
            }
        }
        if let Some(colour) = marks.colour(Marking::BrowSpots) {
            for mirror in [false, true] {
                let d = Pen::new(mirror)
                    .ellipse(
                        MID + face.eye_dx * 0.8,
                        face.eye_y - face.eye_r * 1.7,
                        9.0,
                        7.0,
                    )
                    .finish();
                c.flat(d, colour, 1.0);
            }
        }
        if let Some(colour) = marks.colour(Marking::Freckles) {
            for mirror in [false, true] {
                let mut pen = Pen::new(mirror);
                for _ in 0..4 + rng.below(3) {
                    let x = MID + face.eye_dx + rng.range(-18.0, 30.0);
                    let y = face.eye_y + face.eye_r * 1.5 + rng.range(0.0, 22.0);
                    pen.circle(x, y, rng.range(2.5, 4.5));
                }
                c.flat(pen.finish(), colour, 0.9);
            }
        }
        if let Some(colour) = marks.colour(Marking::Glow) {
            glow_lines(c, face, colour);
        }
        if face.plan.has(Extra::FacialDisc) {
            facial_disc(c, face, look.colours.get(Slot::Light));
        }
    });
}

/// Markings on the shoulders (the caller clips them to the bust).
pub(crate) fn on_body(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let marks = &look.marks;
    if let Some(colour) = marks.colour(Marking::Stripes) {
        for mirror in [false, true] {
            for k in 0..3 {
                let y = 420.0 + k as f32 * 24.0 + rng.range(-6.0, 6.0);
                let spine = [
                    p(MID + 200.0, y - 10.0),
                    p(MID + 160.0, y),
                    p(MID + 120.0 + rng.range(-10.0, 10.0), y + 10.0),
                ];
                canvas.flat(ribbon(&spine, 16.0, 0.0, mirror), colour, 1.0);
            }
        }
    }
    for (marking, ring) in [(Marking::Spots, false), (Marking::Rosettes, true)] {
        if let Some(colour) = marks.colour(marking) {
            for _ in 0..10 {
                let side = if rng.chance(0.5) { 1.0 } else { -1.0 };
                let x = MID + side * rng.range(110.0, 190.0);
                let y = rng.range(410.0, 490.0);
                spot(canvas, p(x, y), rng.range(6.0, 10.0), colour, ring, rng);
            }
        }
    }
    if let Some(colour) = marks.colour(Marking::Scales) {
        scales(canvas, 400.0, 490.0, 200.0, colour);
    }
    if face.plan.covering == crate::domain::body_plan::Covering::Plating
        && let Some(colour) = marks.colour(Marking::Glow)
    {
        for mirror in [false, true] {
            let d = Pen::new(mirror)
                .m(MID + 96.0, 420.0)
                .l(MID + 150.0, 430.0)
                .l(MID + 170.0, 480.0)
                .finish();
            canvas.line(d.clone(), colour, 6.0);
            canvas.line(d, colour.lighten(0.6), 2.0);
        }
    }
}

fn mask(c: &mut Canvas, face: &Face, colour: Rgb, pale: bool, rng: &mut Rng) {
    let (ey, dx, r, h) = (face.eye_y, face.eye_dx, face.eye_r, face.half);
    let right: Vec<Pt> = if pale {
        vec![
            p(MID, ey - 30.0 - rng.range(0.0, 16.0)),
            p(MID + 18.0, ey - 34.0),
            p(MID + dx, ey - r * 1.8),
            s(MID + h * 1.1, ey + 10.0),
            p(MID + h * 0.9, ey + 70.0),
            p(MID + h * 0.5, face.bottom),
            p(MID, face.bottom + 10.0),
        ]
    } else {
        let droop = rng.range(0.0, 14.0);
        vec![
            p(MID, ey - 16.0),
            p(MID + dx * 0.6, ey - r * 1.5),
            p(MID + dx + r, ey - r * 1.3),
            s(MID + h * 1.08, ey + droop - 6.0),
            p(MID + dx + r * 1.2, ey + r * 1.4 + droop),
            p(MID + dx * 0.6, ey + r * 1.2),
            p(MID, ey + 6.0),
        ]
    };
    c.flat(smooth_closed(&symmetric(&right), false), colour, 1.0);
}

fn head_stripes(c: &mut Canvas, face: &Face, colour: Rgb, rng: &mut Rng) {
    let t = face.top;
    let forehead = 2 + rng.below(3);
    for i in 0..forehead {
        let u = if forehead == 1 {
            0.0
        } else {
            i as f32 / (forehead - 1) as f32 * 2.0 - 1.0
        };
        let x = MID + u * 26.0;
        let len = rng.range(40.0, 70.0) * (1.0 - 0.3 * u.abs());
        let spine = bezier(
            p(x, t - 8.0),
            p(x + u * 4.0, t + len * 0.3),
            p(x + u * 8.0, t + len * 0.6),
            p(x + u * 12.0, t + len),
            6,
        );
        c.flat(
            ribbon(&spine, rng.range(11.0, 16.0), 0.0, false),
            colour,
            1.0,
        );
    }
    let cheeks = 2 + rng.below(2);
    let tilt = rng.range(-8.0, 8.0);
    let lengths: Vec<f32> = (0..cheeks).map(|_| rng.range(0.3, 0.5)).collect();
    for mirror in [false, true] {
        for (k, len) in lengths.iter().enumerate() {
            let y = face.eye_y + 28.0 + k as f32 * 24.0;
            let outer = p(MID + face.half * 1.2, y - 6.0 + tilt);
            let inner = p(MID + face.half * (1.0 - len), y + 6.0);
            let spine = bezier(
                outer,
                outer.lerp(inner, 0.33).add(0.0, -4.0),
                outer.lerp(inner, 0.66),
                inner,
                6,
            );
            c.flat(ribbon(&spine, 16.0, 0.0, mirror), colour, 1.0);
        }
        let brow = bezier(
            p(MID + face.half * 1.1, face.eye_y - 40.0),
            p(MID + face.half * 0.9, face.eye_y - 44.0),
            p(MID + face.half * 0.8, face.eye_y - 48.0),
            p(MID + face.half * 0.62, face.eye_y - 58.0),
            6,
        );
        c.flat(ribbon(&brow, 12.0, 0.0, mirror), colour, 1.0);
    }
}

fn spots(c: &mut Canvas, face: &Face, colour: Rgb, rng: &mut Rng, ring: bool) {
    let count = 9 + rng.below(6);
    let mut placed = 0;
    let mut tries = 0;
    while placed < count && tries < 80 {
        tries += 1;
        let x = MID + rng.range(-face.half, face.half);
        let y = rng.range(face.top + 10.0, face.bottom - 20.0);
        let near_eye = [MID - face.eye_dx, MID + face.eye_dx]
            .iter()
            .any(|ex| (x - ex).hypot(y - face.eye_y) < face.eye_r * 2.1);
        let on_muzzle = (x - MID).abs() < 56.0 && y > face.eye_y - 10.0;
        if near_eye || on_muzzle {
            continue;
        }
        spot(c, p(x, y), rng.range(4.5, 9.0), colour, ring, rng);
        placed += 1;
    }
}

fn spot(c: &mut Canvas, at: Pt, r: f32, colour: Rgb, ring: bool, rng: &mut Rng) {
    if ring {
        let blobs = 3 + rng.below(2);
        let turn = rng.range(0.0, 1.0);
        let mut pen = Pen::new(false);
        for k in 0..blobs {
            let a = std::f32::consts::TAU * (k as f32 + turn) / blobs as f32;
            pen.ellipse(
                at.x + r * 1.3 * a.cos(),
                at.y + r * 1.3 * a.sin(),
                r * 0.6,
                r * 0.5,
            );
        }
        c.flat(pen.finish(), colour, 1.0);
    } else {
        let d = Pen::new(false)
            .ellipse(at.x, at.y, r, r * rng.range(0.75, 1.0))
            .finish();
        c.flat(d, colour, 1.0);
    }
}

fn star(c: &mut Canvas, at: Pt, r: f32, colour: Rgb, rng: &mut Rng) {
    let points = 4 + rng.below(2);
    let mut pts = Vec::with_capacity(points * 2);
    for i in 0..points * 2 {
        let a =
            std::f32::consts::TAU * i as f32 / (points * 2) as f32 - std::f32::consts::FRAC_PI_2;
        let radius = if i % 2 == 0 { r } else { r * 0.42 };
        pts.push(s(at.x + radius * a.cos(), at.y + radius * a.sin()));
    }
    c.flat(smooth_closed(&pts, false), colour, 1.0);
}

fn scales(c: &mut Canvas, top: f32, bottom: f32, half: f32, colour: Rgb) {
    let mut pen = Pen::new(false);
    let (w, h) = (30.0, 18.0);
    let mut row = 0;
    let mut y = top;
    while y < bottom {
        let shift = if row % 2 == 0 { 0.0 } else { w / 2.0 };
        let mut x = MID - half + shift;
        while x < MID + half {
            pen.m(x - w / 2.0, y).q(x, y + h, x + w / 2.0, y);
            x += w;
        }
        y += h;
        row += 1;
    }
    c.line(pen.finish(), colour, 2.0);
}

fn glow_lines(c: &mut Canvas, face: &Face, colour: Rgb) {
    for mirror in [false, true] {
        let d = Pen::new(mirror)
            .m(MID + 20.0, face.top + 10.0)
            .l(MID + 40.0, face.top + 40.0)
            .l(MID + face.half * 0.8, face.top + 50.0)
            .finish();
        c.line(d.clone(), colour, 6.0);
        c.line(d, colour.lighten(0.6), 2.0);
    }
}

fn facial_disc(c: &mut Canvas, face: &Face, colour: Rgb) {
    let heart = face.plan.marks.contains(&Mark::Freckles);
    let (t, ey, h, b) = (face.top, face.eye_y, face.half, face.bottom);
    let top = if heart {
        s(MID, t + 50.0)
    } else {
        p(MID, t + 30.0)
    };
    let right = [
        top,
        p(MID + h * 0.5, t + 26.0),
        p(MID + h * 0.96, ey),
        p(MID + h * 0.8, ey + 70.0),
        p(MID + h * 0.3, b - 14.0),
        s(MID, b - 6.0),
    ];
    let d = smooth_closed(&symmetric(&right), false);
    c.detail(d, colour, 4.0);
}
