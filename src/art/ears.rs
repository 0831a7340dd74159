//! Ears per plan: drawn behind the head, except floppy ones, which hang in front of it.
//! Each ear is drawn pointing up in its own frame, then turned and placed; the left ear is the
//! right one mirrored.

use super::canvas::Canvas;
use super::colours::Slot;
use super::face::{Face, Look};
use super::geom::{Frame, MID, Pen, Pt, bezier, p, ribbon, ribbon_with, s};
use super::markings::Marking;
use super::seed::Rng;
use crate::domain::body_plan::{Ears, Extra, Family};

/// A triangle-ish ear `w` wide and `h` tall; the base reaches below the origin to hide under
/// the head.
fn triangle(w: f32, h: f32, sharp_tip: bool) -> Vec<Pt> {
    let tip = if sharp_tip {
        s(w * 0.06, -h)
    } else {
        p(w * 0.04, -h)
    };
    vec![
        p(-w * 0.5, 34.0),
        p(-w * 0.42, -h * 0.45),
        tip,
        p(w * 0.4, -h * 0.5),
        p(w * 0.5, 34.0),
    ]
}

fn scaled(points: &[Pt], k: f32, dy: f32) -> Vec<Pt> {
    points
        .iter()
        .map(|q| Pt {
            x: q.x * k,
            y: q.y * k + dy,
            sharp: q.sharp,
        })
        .collect()
}

struct Ear {
    frame: Frame,
    outer: Vec<Pt>,
    inner: Option<Vec<Pt>>,
    /// The local y above which the ear counts as its tip.
    tip_from: f32,
}

/// Where a standard pair of ears sits on the head, and how far it leans out.
fn anchor(face: &Face, along: f32, lean: f32) -> (Pt, f32) {
    anchor_sunk(face, along, lean, 26.0)
}

/// As [`anchor`], with the base `sunk` units inside the head outline.
fn anchor_sunk(face: &Face, along: f32, lean: f32, sunk: f32) -> (Pt, f32) {
    let x = MID + face.half * along;
    // The top of the head is roughly an ellipse: find its height at x.
    let u = ((x - MID) / face.half).clamp(-1.0, 1.0);
    let rise = (face.eye_y - face.top) * (1.0 - u * u).sqrt();
    (p(x, face.eye_y - rise + sunk), lean)
}

fn standard(face: &Face, rng: &mut Rng) -> Option<Ear> {
    let lean = rng.range(-4.0, 5.0);
    let make_sunk = |along: f32, angle: f32, outer: Vec<Pt>, inner_k: f32, sunk: f32| {
        let (origin, extra) = anchor_sunk(face, along, lean, sunk);
        let tip_from = outer.iter().map(|q| q.y).fold(0.0, f32::min) * 0.62;
        Ear {
            frame: Frame::new(origin, angle + extra, 1.0),
            inner: (inner_k > 0.0).then(|| scaled(&outer, inner_k, 10.0)),
            outer,
            tip_from,
        }
    };
    let make = |along, angle, outer, inner_k| make_sunk(along, angle, outer, inner_k, 26.0);
    let ear = match face.plan.ears {
        Ears::Pointed => {
            let h = if face.family() == Family::Synth {
                100.0
            } else {
                118.0
            };
            make(0.6, 20.0, triangle(80.0, h, true), 0.6)
        }
        Ears::Cat => make(0.6, 22.0, triangle(104.0, 98.0, false), 0.6),
        Ears::Huge => {
            let (w, h) = if face.family() == Family::Bat {
                (116.0, 168.0)
            } else {
                (106.0, 178.0)
            };
            make(
                0.62,
                30.0,
                triangle(w, h, face.family() != Family::Bat),
                0.66,
            )
        }
        Ears::Round => {
            let r = if face.family() == Family::Vulpine {
                48.0
            } else {
                42.0
            };
            let outer = vec![
                p(-r, 30.0),
                p(-r, -r * 0.5),
                p(0.0, -r * 1.25),
                p(r, -r * 0.5),
                p(r, 30.0),
            ];
            make_sunk(0.64, 30.0, outer, 0.58, 4.0)
        }
        Ears::Disc => {
            let r = 70.0;
            let outer = (0..12)
                .map(|i| {
                    let a = std::f32::consts::TAU * i as f32 / 12.0;
                    p(r * a.cos(), -r * 0.62 + r * a.sin())
                })
                .collect();
            make(0.78, 34.0, outer, 0.66)
        }
        Ears::Long => {
            let outer = vec![
                p(-26.0, 34.0),
                p(-30.0, -90.0),
                p(-16.0, -182.0),
                p(6.0, -196.0),
                p(24.0, -172.0),
                p(26.0, -80.0),
                p(24.0, 34.0),
            ];
            make(0.36, 12.0, outer, 0.58)
        }
        Ears::Folded => make(0.6, 22.0, triangle(86.0, 100.0, true), 0.6),
        Ears::Leaf => {
            let (w, h, along, angle) = match face.plan.extras {
                e if e.contains(&crate::domain::body_plan::Extra::Antlers) => {
                    (64.0, 112.0, 0.86, 64.0)
                }
                e if e.contains(&crate::domain::body_plan::Extra::Horns) => {
                    (54.0, 96.0, 0.96, 86.0)
                }
                _ => (50.0, 100.0, 0.64, 24.0),
            };
            let outer = vec![
                p(-w * 0.5, 30.0),
                p(-w * 0.62, -h * 0.42),
                s(0.0, -h),
                p(w * 0.62, -h * 0.42),
                p(w * 0.5, 30.0),
            ];
            make(along, angle, outer, 0.6)
        }
        Ears::Panel => {
            let outer = vec![
                s(-40.0, 30.0),
                s(-34.0, -70.0),
                s(-6.0, -118.0),
                s(26.0, -96.0),
                s(42.0, 30.0),
            ];
            make(0.6, 22.0, outer, 0.55)
        }
        Ears::Swept => {
            let outer = vec![
                p(-26.0, 30.0),
                p(-24.0, -80.0),
                s(8.0, -164.0),
                p(28.0, -70.0),
                p(26.0, 30.0),
            ];
            make(0.62, 34.0, outer, 0.55)
        }
        Ears::Fin => {
            let outer = vec![
                p(-22.0, 30.0),
                s(-44.0, -70.0),
                p(-20.0, -58.0),
                s(0.0, -108.0),
                p(14.0, -62.0),
                s(44.0, -80.0),
                p(28.0, 30.0),
            ];
            let (origin, _) = anchor(face, 0.9, 0.0);
            let kobold = face.family() == Family::Reptile;
            let scale = if kobold { 1.2 } else { 0.9 };
            Ear {
                frame: Frame::new(origin.add(6.0, 30.0), 68.0, scale),
                inner: None,
                tip_from: -200.0,
                outer,
            }
        }
        Ears::None | Ears::Floppy | Ears::FeatherTufts | Ears::FourFeathered => return None,
    };
    Some(ear)
}

pub(crate) fn behind(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colours = &look.colours;
    let outer_colour = colours.get(Slot::Ears);
    let inner_colour = colours.get(Slot::InnerEars);
    match face.plan.ears {
        Ears::FeatherTufts => return feather_tufts(canvas, face, look),
        Ears::FourFeathered => return avali_ears(canvas, face, look, rng),
        _ => {}
    }
    let flop = face.plan.ears == Ears::Long && rng.chance(0.4);
    let Some(ear) = standard(face, rng) else {
        return;
    };
    for mirror in [false, true] {
        let flopped = flop && !mirror;
        let outer = if flopped {
            bend(&ear.outer)
        } else {
            ear.outer.clone()
        };
        let world = ear.frame.all(&outer);
        let d = Pen::new(mirror).through(&world, true).finish();
        canvas.solid(d.clone(), outer_colour);
        if let Some(inner) = &ear.inner {
            let inner = if flopped { bend(inner) } else { inner.clone() };
            let world = ear.frame.all(&inner);
            let d = Pen::new(mirror).through(&world, true).finish();
            canvas.detail(d, inner_colour, 2.5);
            if face.family() == Family::Bat {
                let mut pen = Pen::new(mirror);
                for k in [-0.3, 0.0, 0.3] {
                    let a = ear.frame.at(p(k * 40.0, 10.0));
                    let b = ear.frame.at(p(k * 10.0, ear.tip_from * 1.2));
                    pen.m(a.x, a.y).l(b.x, b.y);
                }
                canvas.line(pen.finish(), inner_colour.ink(), 2.5);
            }
        }
        if face.plan.has(Extra::EarTufts) {
            let top = outer
                .iter()
                .copied()
                .min_by(|a, b| a.y.total_cmp(&b.y))
                .unwrap_or(p(0.0, -100.0));
            let spine = ear.frame.all(&bezier(
                top.add(0.0, 8.0),
                top.add(2.0, -14.0),
                top.add(8.0, -34.0),
                top.add(18.0, -54.0),
                6,
            ));
            let colour = look
                .colours
                .named(Slot::Tips)
                .unwrap_or(colours.get(Slot::Stripes));
            canvas.solid(ribbon(&spine, 16.0, 0.0, mirror), colour);
        }
        if let Some(tip) = look.marks.colour(Marking::EarTips) {
            let band = ear.frame.all(&[
                p(-200.0, ear.tip_from),
                p(200.0, ear.tip_from),
                p(200.0, -400.0),
                p(-200.0, -400.0),
            ]);
            let mut band_pen = Pen::new(mirror);
            band_pen.m(band[0].x, band[0].y);
            for q in &band[1..] {
                band_pen.l(q.x, q.y);
            }
            let band_d = band_pen.z().finish();
            canvas.clipped(&d, |inside| inside.flat(band_d, tip, 1.0));
            canvas.line(d.clone(), outer_colour.ink(), 5.0);
        }
        if face.plan.ears == Ears::Folded {
            let fold = ear
                .frame
                .all(&[p(-36.0, -56.0), p(30.0, -58.0), s(20.0, -10.0)]);
            let d = Pen::new(mirror).through(&fold, true).finish();
            canvas.detail(d, outer_colour.darken(0.1), 4.0);
        }
        if face.plan.ears == Ears::Panel {
            let a = ear.frame.at(p(-18.0, -10.0));
            let b = ear.frame.at(p(-4.0, -80.0));
            let d = Pen::new(mirror).m(a.x, a.y).l(b.x, b.y).finish();
            canvas.line(d.clone(), look.eyes.right, 6.0);
            canvas.line(d, look.eyes.right.lighten(0.6), 2.0);
        }
    }
}

/// A rabbit ear that flops over halfway up.
fn bend(points: &[Pt]) -> Vec<Pt> {
    points
        .iter()
        .map(|q| {
            if q.y < -70.0 {
                let up = -q.y - 70.0;
                p(q.x * 0.8 + up * 0.9, -70.0 - up * 0.25 + up * 0.3)
            } else {
                *q
            }
        })
        .collect()
}

/// Floppy ears hang over the sides of the head, so they are painted after it.
pub(crate) fn front(canvas: &mut Canvas, face: &Face, look: &Look, _rng: &mut Rng) {
    if face.plan.ears != Ears::Floppy {
        return;
    }
    let colour = look
        .marks
        .colour(Marking::EarTips)
        .unwrap_or(look.colours.get(Slot::Ears));
    let (c, t, h) = (MID, face.top, face.half);
    let long = if face.family() == Family::DutchAngelDragon {
        1.35
    } else {
        1.0
    };
    let pts = [
        p(c + h * 0.42, t + 14.0),
        p(c + h * 0.92, t + 22.0),
        p(c + h * 1.2, t + 90.0 * long),
        p(c + h * 1.22, t + 178.0 * long),
        p(c + h * 1.04, t + 206.0 * long),
        p(c + h * 0.9, t + 150.0 * long),
        p(c + h * 0.74, t + 70.0),
        p(c + h * 0.5, t + 40.0),
    ];
    for mirror in [false, true] {
        let d = Pen::new(mirror).through(&pts, true).finish();
        canvas.solid(d, colour);
        let fold = Pen::new(mirror)
            .m(c + h * 0.86, t + 40.0)
            .q(
                c + h * 1.04,
                t + 100.0 * long,
                c + h * 1.06,
                t + 170.0 * long,
            )
            .finish();
        canvas.line(fold, colour.ink(), 2.5);
    }
}

/// Owl and gryphon ear tufts: a small fan of feathers.
fn feather_tufts(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colour = look.colours.get(Slot::Ears);
    let (origin, _) = anchor(face, 0.6, 0.0);
    for mirror in [false, true] {
        for (i, angle) in [8.0f32, 26.0, 44.0].iter().enumerate() {
            let frame = Frame::new(origin, *angle, 1.0 - i as f32 * 0.14);
            let spine = frame.all(&bezier(
                p(0.0, 20.0),
                p(-6.0, -40.0),
                p(4.0, -80.0),
                p(18.0, -120.0),
                8,
            ));
            canvas.solid(ribbon(&spine, 40.0, 0.0, mirror), colour);
        }
    }
}

/// Avali: two pairs of long feathered ears, the upper pair longer, each a long feather with
/// a few plumes fanning from its tip.
fn avali_ears(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colour = look.colours.get(Slot::Ears);
    let tip = look
        .marks
        .colour(Marking::EarTips)
        .unwrap_or(look.colours.get(Slot::Tips));
    let droop = rng.range(-6.0, 6.0);
    let leaf = |t: f32| 22.0 + 38.0 * (t * std::f32::consts::PI).sin().max(0.0).powf(0.7);
    for (along, angle, length) in [(0.48, 34.0 + droop, 150.0), (0.84, 74.0 + droop, 124.0)] {
        let (origin, _) = anchor(face, along, 0.0);
        let frame = Frame::new(origin, angle, 1.0);
        let local = bezier(
            p(0.0, 30.0),
            p(-8.0, -length * 0.4),
            p(4.0, -length * 0.8),
            p(18.0, -length),
            12,
        );
        let spine = frame.all(&local);
        let end = local[local.len() - 1];
        for mirror in [false, true] {
            for turn in [-26.0f32, 0.0, 26.0] {
                let plume = Frame::new(frame.at(end.add(-4.0, 26.0)), angle + turn + 8.0, 1.0);
                let plume_spine = plume.all(&bezier(
                    p(0.0, 0.0),
                    p(0.0, -20.0),
                    p(4.0, -40.0),
                    p(8.0, -62.0),
                    8,
                ));
                canvas.solid(
                    ribbon_with(
                        &plume_spine,
                        |t| 26.0 * (t * std::f32::consts::PI).sin().max(0.0).powf(0.6),
                        mirror,
                    ),
                    tip,
                );
            }
            canvas.solid(
                ribbon_with(&spine, |t| leaf(t) * (1.0 - t.powi(8)), mirror),
                colour,
            );
            let shaft = Pen::new(mirror).through(&spine[1..10], false).finish();
            canvas.line(shaft, colour.ink(), 2.0);
        }
    }
}
