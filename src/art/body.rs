//! Neck and shoulders: the bust under the head, its chest marking, neck ruff and collar.

use super::canvas::Canvas;
use super::colours::{Rgb, Slot};
use super::face::{Face, Look};
use super::geom::{MID, Pen, Pt, p, s, smooth_closed, spiky_ring, symmetric};
use super::markings::Marking;
use super::patterns;
use super::seed::Rng;
use crate::domain::body_plan::{Covering, Extra, Head};

/// The bottom edge of the bust, inside the canvas so the sticker border shows all round.
pub const BOTTOM: f32 = 492.0;

pub(crate) fn bust_outline(face: &Face) -> Vec<Pt> {
    let c = MID;
    let neck = match face.plan.head {
        Head::Long | Head::Blade => 62.0,
        Head::Broad => 84.0,
        _ => 70.0,
    };
    let neck_top = face.bottom - 70.0;
    let feathered = face.plan.covering == Covering::Feathers;
    let mut right = vec![
        p(c, neck_top),
        p(c + neck, neck_top + 4.0),
        p(c + neck + 4.0, 372.0),
        p(c + neck + 40.0, 396.0),
    ];
    if feathered {
        right.extend([
            s(c + 150.0, 404.0),
            p(c + 142.0, 412.0),
            s(c + 176.0, 420.0),
            p(c + 166.0, 430.0),
        ]);
    } else {
        right.push(p(c + 150.0, 408.0));
    }
    right.extend([p(c + 184.0, 440.0), s(c + 192.0, BOTTOM), s(c, BOTTOM)]);
    symmetric(&right)
}

pub(crate) fn bust(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    if face.plan.head == Head::Streamlined {
        return;
    }
    let colours = &look.colours;
    let base = colours.get(Slot::Shoulders);
    let d = smooth_closed(&bust_outline(face), false);
    canvas.solid(d.clone(), base);
    let bib = look.marks.colour(Marking::Bib);
    canvas.clipped(&d, |inside| {
        if let Some(colour) = bib {
            chest(inside, face, colour);
        }
        patterns::on_body(inside, face, look, rng);
        // The head's shadow on the neck.
        let shadow = Pen::new(false)
            .ellipse(MID, face.bottom + 6.0, face.half * 0.8, 34.0)
            .finish();
        inside.flat(shadow, base.darken(0.6), 0.28);
    });
    if face.plan.covering == Covering::Plating {
        for mirror in [false, true] {
            let side = Pen::new(mirror)
                .m(MID + 120.0, 404.0)
                .q(MID + 150.0, 440.0, MID + 140.0, BOTTOM)
                .finish();
            canvas.line(side, base.ink(), 3.5);
        }
        let ring = Pen::new(false)
            .m(MID - 78.0, 378.0)
            .q(MID, 410.0, MID + 78.0, 378.0)
            .finish();
        canvas.line(ring.clone(), colours.get(Slot::Visor), 14.0);
        canvas.line(ring, look.eyes.right, 4.0);
    }
    if face.plan.has(Extra::NeckRuff) {
        ruff(canvas, face, look, rng);
    }
    if let Some(colour) = look.marks.colour(Marking::Collar) {
        collar(canvas, face, colour);
    }
}

/// The pale chest: fluffy for fur, a rounded breast for feathers, plates for scales.
fn chest(canvas: &mut Canvas, face: &Face, colour: Rgb) {
    let c = MID;
    let top = face.bottom - 30.0;
    match face.plan.covering {
        Covering::Scales => {
            let mut y = 380.0;
            while y < BOTTOM {
                let w = 58.0 - (y - 380.0) * 0.05;
                let d = Pen::new(false)
                    .m(c - w, y)
                    .q(c, y - 10.0, c + w, y)
                    .l(c + w - 4.0, y + 26.0)
                    .q(c, y + 18.0, c - w + 4.0, y + 26.0)
                    .z()
                    .finish();
                canvas.detail(d, colour, 2.5);
                y += 32.0;
            }
        }
        Covering::Feathers => {
            let d = Pen::new(false).ellipse(c, 460.0, 110.0, 110.0).finish();
            canvas.flat(d, colour, 1.0);
            let mut pen = Pen::new(false);
            for row in 0..3 {
                let y = 400.0 + row as f32 * 30.0;
                for k in -2..=2 {
                    let x = c + k as f32 * 34.0 + if row % 2 == 0 { 0.0 } else { 17.0 };
                    pen.m(x - 12.0, y).q(x, y + 12.0, x + 12.0, y);
                }
            }
            canvas.line(pen.finish(), colour.ink(), 2.0);
        }
        _ => {
            let right = [
                p(c, top),
                p(c + 56.0, top + 30.0),
                s(c + 86.0, 408.0),
                p(c + 70.0, 418.0),
                s(c + 100.0, 446.0),
                p(c + 82.0, 454.0),
                s(c + 106.0, BOTTOM + 10.0),
                s(c, BOTTOM + 10.0),
            ];
            canvas.flat(smooth_closed(&symmetric(&right), false), colour, 1.0);
        }
    }
}

fn ruff(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colours = &look.colours;
    let spikes = 12 + rng.below(4);
    let cy = face.bottom - 16.0;
    let w = face.half;
    let ring = spiky_ring(MID, cy, (w * 1.22, w * 1.02), (74.0, 52.0), spikes);
    canvas.solid(smooth_closed(&ring, false), colours.base);
    if let Some(light) = look.marks.colour(Marking::Bib) {
        let inner = spiky_ring(
            MID,
            cy + 16.0,
            (w * 0.7, w * 0.52),
            (62.0, 40.0),
            spikes - 3,
        );
        canvas.flat(smooth_closed(&inner, false), light, 1.0);
    }
}

fn collar(canvas: &mut Canvas, face: &Face, colour: Rgb) {
    let y = (face.bottom + 12.0).min(392.0);
    let d = Pen::new(false)
        .m(MID - 76.0, y - 18.0)
        .q(MID, y + 20.0, MID + 76.0, y - 18.0)
        .l(MID + 74.0, y - 2.0)
        .q(MID, y + 36.0, MID - 74.0, y - 2.0)
        .z()
        .finish();
    canvas.shape(d, colour);
    let tag = Pen::new(false).circle(MID, y + 30.0, 11.0).finish();
    canvas.detail(tag, Rgb(236, 196, 80), 3.0);
}
