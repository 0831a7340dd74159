//! Extras beyond head, ears and snout: what sits behind the head (tails, wings, manes, fins,
//! crests, antlers and horns, frills) and what sits on top of it (forelocks, whiskers, barbels,
//! beards, antennae).

use super::canvas::Canvas;
use super::colours::Slot;
use super::face::{Face, Look};
use super::geom::{
    Frame, MID, Pen, Pt, bezier, p, ribbon, ribbon_with, s, smooth_closed, spiky_ring,
};
use super::horns;
use super::markings::Marking;
use super::seed::Rng;
use crate::domain::body_plan::{Covering, Extra, Family, Head};

pub(crate) fn behind(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let plan = &face.plan;
    if plan.has(Extra::Tails) {
        tails(canvas, face, look, rng);
    }
    if plan.has(Extra::Wings) {
        wings(canvas, face, look, rng);
    }
    if plan.has(Extra::Mane) {
        mane(canvas, face, look, rng);
    }
    if plan.has(Extra::Forelock) && plan.head != Head::Long {
        mohawk(canvas, face, look, rng);
    }
    if plan.has(Extra::Crest) {
        crest(canvas, face, look, rng);
    } else if plan.family == Family::Avian && !plan.has(Extra::FacialDisc) {
        tuft(canvas, face, look, rng);
    }
    if plan.has(Extra::DorsalFin) {
        dorsal_fin(canvas, face, look);
    }
    if plan.has(Extra::SideFins) {
        side_fins(canvas, face, look);
    }
    if plan.has(Extra::Antlers) {
        horns::antlers(canvas, face, look, rng);
    }
    if plan.has(Extra::Horns) {
        horns::curled_horns(canvas, face, look, rng);
    }
    if plan.has(Extra::DragonHorns) {
        horns::dragon_horns(canvas, face, look, rng);
    }
    if plan.has(Extra::NubHorns) {
        horns::nub_horns(canvas, face, look);
    }
    if plan.has(Extra::Frills) {
        horns::frills(canvas, face, look, rng);
    }
}

pub(crate) fn front(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let plan = &face.plan;
    if plan.has(Extra::Forelock) && plan.head == Head::Long {
        forelock(canvas, face, look, rng);
    }
    if plan.has(Extra::Whiskers) {
        whiskers(canvas, face, look);
    }
    if plan.has(Extra::Barbels) {
        barbels(canvas, face, look, rng);
    }
    if plan.has(Extra::Beard) {
        beard(canvas, face, look);
    }
    if plan.has(Extra::Antenna) {
        antenna(canvas, face, look);
    }
}

/// Kitsune: three to nine fluffy tails fanned behind the shoulders, pale-tipped.
fn tails(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let most = usize::from(face.plan.tails.max(1));
    let count = (3 + rng.below(7)).min(most);
    let tip = look
        .marks
        .colour(Marking::EarTips)
        .map(|_| look.colours.get(Slot::Light))
        .unwrap_or(look.colours.get(Slot::Light));
    let colour = look.colours.get(Slot::Tail);
    let width = |t: f32| {
        let bulge = (t * std::f32::consts::PI).sin().max(0.0).powf(0.8);
        36.0 + 74.0 * bulge * (1.0 - t * 0.3)
    };
    for i in 0..count {
        // Alternate sides, fanning from near-upright outwards, so the head never hides them all.
        let side = if i % 2 == 0 { 1.0 } else { -1.0 };
        let rank = (i / 2) as f32 / (count.div_ceil(2).max(2) - 1) as f32;
        let angle = side * (16.0 + 32.0 * rank);
        let frame = Frame::new(p(MID + side * 50.0, 420.0), angle, 1.0);
        let sway = side * 22.0;
        let spine = frame.all(&bezier(
            p(0.0, 0.0),
            p(sway, -100.0),
            p(-sway, -190.0),
            p(sway * 0.5, -290.0),
            16,
        ));
        canvas.solid(
            ribbon_with(&spine, |t| width(t) * (1.0 - t.powi(6)), false),
            colour,
        );
        let from = 11;
        canvas.flat(
            ribbon_with(
                &spine[from..],
                |t| {
                    let t = (from as f32 + t * (16 - from) as f32) / 16.0;
                    width(t) * (1.0 - t.powi(6)) - 6.0
                },
                false,
            ),
            tip,
            1.0,
        );
    }
}

fn wings(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Wings);
    let feathered = matches!(face.plan.covering, Covering::Feathers)
        || face.family() == Family::DutchAngelDragon;
    let lift = rng.range(-10.0, 10.0);
    for mirror in [false, true] {
        if feathered {
            let mut pts = vec![p(MID + 110.0, 420.0), p(MID + 150.0, 250.0 + lift)];
            pts.push(s(MID + 236.0, 96.0 + lift));
            for k in 0..5 {
                let t = k as f32 / 4.0;
                pts.push(s(
                    MID + 246.0 - 10.0 * t,
                    170.0 + 230.0 * t + lift * (1.0 - t),
                ));
                pts.push(p(
                    MID + 222.0 - 12.0 * t,
                    178.0 + 230.0 * t + 18.0 + lift * (1.0 - t),
                ));
            }
            pts.push(p(MID + 170.0, 440.0));
            let d = Pen::new(mirror).through(&pts, true).finish();
            canvas.solid(d, colour);
            let mut pen = Pen::new(mirror);
            for k in 0..4 {
                let t = k as f32 / 4.0;
                pen.m(MID + 178.0, 190.0 + 200.0 * t + lift).q(
                    MID + 205.0,
                    200.0 + 200.0 * t,
                    MID + 226.0,
                    200.0 + 210.0 * t + lift,
                );
            }
            canvas.line(pen.finish(), colour.ink(), 2.5);
        } else {
            let wrist = p(MID + 214.0, 110.0 + lift);
            let fingers = [
                p(MID + 252.0, 250.0),
                p(MID + 236.0, 350.0),
                p(MID + 196.0, 420.0),
            ];
            let mut pts = vec![
                p(MID + 100.0, 410.0),
                p(MID + 150.0, 220.0 + lift),
                s(wrist.x, wrist.y),
            ];
            let mut last = wrist;
            for f in fingers {
                let mid = last.lerp(f, 0.5);
                pts.push(p(mid.x - 18.0, mid.y + 10.0));
                pts.push(s(f.x, f.y));
                last = f;
            }
            pts.push(p(MID + 150.0, 430.0));
            let membrane = look
                .colours
                .named(Slot::Wings)
                .unwrap_or(colour.lighten(0.15));
            let d = Pen::new(mirror).through(&pts, true).finish();
            canvas.solid(d, membrane);
            let bone = look.colours.base.darken(0.15);
            let mut pen = Pen::new(mirror);
            pen.m(MID + 110.0, 400.0)
                .q(MID + 150.0, 220.0 + lift, wrist.x, wrist.y);
            for f in fingers {
                pen.m(wrist.x, wrist.y).l(f.x, f.y);
            }
            let bones = pen.finish();
            canvas.line(bones.clone(), bone.ink(), 9.0);
            canvas.line(bones, bone, 5.0);
        }
    }
}

fn mane(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Mane);
    let cy = (face.top + face.bottom) / 2.0 + 14.0;
    let h = face.half;
    let spikes = 15 + rng.below(5);
    let mut ring = spiky_ring(MID, cy, (h + 76.0, h + 44.0), (h + 64.0, h + 38.0), spikes);
    for point in ring.iter_mut() {
        point.x += rng.range(-6.0, 6.0);
        point.y += rng.range(-6.0, 6.0);
    }
    canvas.solid(smooth_closed(&ring, false), colour);
    let inner = spiky_ring(
        MID,
        cy + 6.0,
        (h + 40.0, h + 22.0),
        (h + 30.0, h + 16.0),
        spikes,
    );
    canvas.flat(smooth_closed(&inner, false), colour.darken(0.18), 0.6);
}

/// A spiky crest of fur over the top of the head and down the neck: sergals, hyenas.
fn mohawk(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Mane);
    let t = face.top;
    let mut pts = vec![p(MID - 40.0, t + 40.0)];
    let tufts = 4 + rng.below(2);
    for i in 0..tufts {
        let u = i as f32 / (tufts - 1) as f32;
        let x = MID - 30.0 + 60.0 * u + rng.range(-4.0, 4.0);
        pts.push(s(
            x + 6.0,
            t - 46.0 - 20.0 * (1.0 - (2.0 * u - 1.0).abs()) + rng.range(-6.0, 6.0),
        ));
        pts.push(p(x + 16.0, t - 6.0));
    }
    pts.push(p(MID + 40.0, t + 40.0));
    canvas.solid(Pen::new(false).through(&pts, true).finish(), colour);
}

fn forelock(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Mane);
    let t = face.top;
    let sway = rng.range(-10.0, 10.0);
    let pts = [
        s(MID - 40.0, t + 6.0),
        p(MID - 10.0, t - 26.0),
        s(MID + 30.0, t - 34.0),
        p(MID + 44.0, t + 8.0),
        s(MID + 34.0 + sway, t + 78.0),
        p(MID + 16.0, t + 52.0),
        s(MID + 4.0 + sway, t + 92.0),
        p(MID - 10.0, t + 54.0),
        s(MID - 28.0 + sway, t + 72.0),
    ];
    canvas.solid(Pen::new(false).through(&pts, true).finish(), colour);
}

fn crest(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Mane);
    let count = 3 + rng.below(3);
    for i in 0..count {
        let u = i as f32 / (count - 1) as f32;
        let frame = Frame::new(
            p(MID, face.top + 40.0),
            -30.0 + 60.0 * u + rng.range(-4.0, 4.0),
            1.0,
        );
        let length = 100.0 + 40.0 * (1.0 - (2.0 * u - 1.0).abs());
        let spine = frame.all(&bezier(
            p(0.0, 0.0),
            p(0.0, -40.0),
            p(10.0, -80.0),
            p(30.0, -length),
            10,
        ));
        canvas.solid(ribbon(&spine, 30.0, 0.0, false), colour);
    }
}

/// A few short feathers sticking up from the crown of a plain bird's head.
fn tuft(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.named(Slot::Mane).unwrap_or(look.colours.base);
    let lean = rng.range(-12.0, 12.0);
    for (i, angle) in [-22.0f32, 0.0, 20.0].iter().enumerate() {
        let frame = Frame::new(
            p(MID + (i as f32 - 1.0) * 14.0, face.top + 24.0),
            angle + lean,
            1.0,
        );
        let length = if i == 1 { 64.0 } else { 48.0 };
        let spine = frame.all(&bezier(
            p(0.0, 0.0),
            p(0.0, -20.0),
            p(8.0, -40.0),
            p(20.0, -length),
            8,
        ));
        canvas.solid(ribbon(&spine, 22.0, 0.0, false), colour);
    }
}

fn dorsal_fin(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colour = look.colours.get(Slot::Fins);
    let orca = face
        .plan
        .marks
        .contains(&crate::domain::body_plan::Mark::EyePatches);
    let (t, tall) = (face.top, if orca { 170.0 } else { 130.0 });
    let pts = [
        p(MID - 40.0, t + 40.0),
        p(MID - 20.0, t - tall * 0.5),
        s(MID + if orca { 4.0 } else { 40.0 }, t - tall),
        p(MID + 18.0, t - tall * 0.45),
        p(MID + 46.0, t + 40.0),
    ];
    canvas.solid(Pen::new(false).through(&pts, true).finish(), colour);
}

fn side_fins(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colour = look.colours.get(Slot::Fins);
    let h = face.half;
    for mirror in [false, true] {
        let pts = [
            p(MID + h * 1.2, 380.0),
            p(MID + h * 1.7, 400.0),
            s(MID + h * 2.05, 470.0),
            p(MID + h * 1.6, 452.0),
            p(MID + h * 1.3, 440.0),
        ];
        canvas.solid(Pen::new(mirror).through(&pts, true).finish(), colour);
    }
}

fn whiskers(canvas: &mut Canvas, face: &Face, look: &Look) {
    let light = look.colours.get(Slot::Light);
    let colour = if look.colours.base.luma() < 0.15 {
        light.lighten(0.5)
    } else {
        look.colours.base.ink()
    };
    let y = face.nose_y + 20.0;
    for mirror in [false, true] {
        let mut pen = Pen::new(mirror);
        for (i, dy) in [-10.0f32, 0.0, 10.0].iter().enumerate() {
            let reach = face.half * (1.18 - 0.06 * i as f32);
            pen.m(MID + 38.0, y + dy).q(
                MID + reach * 0.6,
                y + dy * 2.0 - 8.0,
                MID + reach,
                y + dy * 3.0 - 4.0,
            );
        }
        canvas.line(pen.finish(), colour, 2.2);
    }
}

fn barbels(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Mane);
    let wave = rng.range(-20.0, 20.0);
    let b = face.bottom;
    for mirror in [false, true] {
        let start = p(MID + face.half * 0.36, b - 34.0);
        let spine = bezier(
            start,
            start.add(60.0, -20.0 + wave),
            start.add(100.0, 60.0),
            start.add(170.0, 30.0 - wave),
            14,
        );
        canvas.solid(ribbon(&spine, 12.0, 0.0, mirror), colour);
    }
}

fn beard(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colour = look.colours.get(Slot::Light).darken(0.08);
    let b = face.bottom;
    let pts: [Pt; 6] = [
        p(MID - 26.0, b - 16.0),
        p(MID + 26.0, b - 16.0),
        p(MID + 20.0, b + 30.0),
        s(MID + 4.0, b + 64.0),
        p(MID - 8.0, b + 40.0),
        s(MID - 16.0, b + 50.0),
    ];
    canvas.shape(Pen::new(false).through(&pts, true).finish(), colour);
}

fn antenna(canvas: &mut Canvas, face: &Face, look: &Look) {
    let base = p(MID + face.half * 0.72, face.top + 34.0);
    let tip = base.add(34.0, -96.0);
    let d = Pen::new(false).m(base.x, base.y).l(tip.x, tip.y).finish();
    let metal = look.colours.base.darken(0.3);
    canvas.line(d.clone(), metal.ink(), 9.0);
    canvas.line(d, metal, 5.0);
    let glow = Pen::new(false).circle(tip.x, tip.y, 26.0).finish();
    canvas.glow(glow, look.eyes.right, 0.7);
    let ball = Pen::new(false).circle(tip.x, tip.y, 10.0).finish();
    canvas.detail(ball, look.eyes.right, 3.0);
}
