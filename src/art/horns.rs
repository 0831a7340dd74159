//! Horns of every kind and the frills beside the jaw: all drawn behind the head, so only
//! what rises above or beside it shows.

use super::canvas::Canvas;
use super::colours::Slot;
use super::face::{Face, Look};
use super::geom::{MID, Pen, bezier, p, ribbon, s};
use super::seed::Rng;
use crate::domain::body_plan::Family;

/// Branching antlers: a beam up and out with two to four tines.
pub(crate) fn antlers(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Horns);
    let small = face.family() == Family::Dragon;
    let k = if small { 0.75 } else { 1.0 };
    let h = face.half;
    let tines = 2 + rng.below(3);
    let spread = rng.range(-10.0, 10.0);
    for mirror in [false, true] {
        let base = p(MID + h * 0.42, face.top + 26.0);
        let beam = bezier(
            base,
            p(base.x + 30.0 * k, base.y - 70.0 * k),
            p(base.x + (90.0 + spread) * k, base.y - 110.0 * k),
            p(base.x + (110.0 + spread) * k, base.y - 190.0 * k),
            12,
        );
        let mut d = vec![ribbon(&beam, 24.0 * k, 8.0 * k, mirror)];
        for i in 0..tines {
            let at = beam[3 + i * 8 / tines.max(1)];
            let len = (60.0 - i as f32 * 8.0) * k * rng.range(0.85, 1.15);
            let tine = bezier(
                at,
                at.add(-4.0, -len * 0.5),
                at.add(-10.0, -len * 0.8),
                at.add(-18.0 + 10.0 * i as f32, -len),
                6,
            );
            d.push(ribbon(&tine, 14.0 * k, 4.0, mirror));
        }
        for part in d {
            canvas.solid(part, colour);
        }
    }
}

pub(crate) fn curled_horns(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Horns);
    let h = face.half;
    let t = face.top;
    let curl = rng.range(-12.0, 12.0);
    let pairs: &[(f32, f32)] = if face.family() == Family::Wickerbeast {
        &[(1.0, 0.0), (0.65, 36.0)]
    } else {
        &[(1.0, 0.0)]
    };
    for &(k, dy) in pairs {
        for mirror in [false, true] {
            let base = p(MID + h * 0.34, t + 24.0 + dy);
            let spine = bezier(
                base,
                p(base.x + 10.0 * k, base.y - 90.0 * k),
                p(base.x + (130.0 + curl) * k, base.y - 90.0 * k),
                p(base.x + (120.0 + curl) * k, base.y + 40.0 * k),
                16,
            );
            let d = ribbon(&spine, 40.0 * k, 8.0, mirror);
            canvas.solid(d, colour);
            let mut pen = Pen::new(mirror);
            for w in spine.windows(2).skip(2).step_by(2) {
                let (a, b) = (w[0], w[1]);
                let (dx, dy) = (b.x - a.x, b.y - a.y);
                let len = (dx * dx + dy * dy).sqrt().max(1e-3);
                let (nx, ny) = (-dy / len * 12.0 * k, dx / len * 12.0 * k);
                pen.m(a.x + nx, a.y + ny).l(a.x - nx, a.y - ny);
            }
            canvas.line(pen.finish(), colour.ink(), 2.0);
        }
    }
}

pub(crate) fn dragon_horns(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Horns);
    let h = face.half;
    let sweep = rng.range(-15.0, 15.0);
    let second = rng.chance(0.5);
    for mirror in [false, true] {
        let base = p(MID + h * 0.5, face.top + 34.0);
        let spine = bezier(
            base,
            p(base.x + 20.0, base.y - 70.0),
            p(base.x + 60.0 + sweep, base.y - 110.0),
            p(base.x + 110.0 + sweep, base.y - 140.0),
            12,
        );
        canvas.solid(ribbon(&spine, 38.0, 0.0, mirror), colour);
        if second {
            let base = p(MID + h * 0.82, face.top + 60.0);
            let spine = bezier(
                base,
                p(base.x + 30.0, base.y - 30.0),
                p(base.x + 60.0, base.y - 40.0),
                p(base.x + 86.0, base.y - 30.0),
                8,
            );
            canvas.solid(ribbon(&spine, 24.0, 0.0, mirror), colour.darken(0.08));
        }
    }
}

pub(crate) fn nub_horns(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colour = look.colours.get(Slot::Horns);
    for mirror in [false, true] {
        let base = p(MID + face.half * 0.32, face.top + 20.0);
        let spine = bezier(
            base,
            base.add(2.0, -20.0),
            base.add(8.0, -36.0),
            base.add(16.0, -50.0),
            6,
        );
        canvas.solid(ribbon(&spine, 26.0, 0.0, mirror), colour);
    }
}

pub(crate) fn frills(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Fins);
    let spines = 3 + rng.below(2);
    let h = face.half;
    for mirror in [false, true] {
        let origin = p(MID + h * 0.8, face.eye_y + 40.0);
        let mut pts = vec![origin.add(0.0, -40.0)];
        for i in 0..spines {
            let u = i as f32 / (spines - 1) as f32;
            let angle = (-40.0 + 90.0 * u).to_radians();
            let len = 100.0 - 20.0 * u;
            pts.push(s(
                origin.x + len * angle.cos(),
                origin.y + len * angle.sin(),
            ));
            let a2 = angle + 0.2;
            pts.push(p(
                origin.x + len * 0.66 * a2.cos(),
                origin.y + len * 0.66 * a2.sin(),
            ));
        }
        pts.push(origin.add(-10.0, 40.0));
        canvas.solid(Pen::new(mirror).through(&pts, true).finish(), colour);
    }
}
