//! The front of the face: muzzles with their noses and mouths, beaks, reptile and shark
//! snouts, and the protogen visor.

use super::canvas::Canvas;
use super::colours::{Rgb, Slot};
use super::face::{Face, Look};
use super::geom::{MID, Pen, p, s, smooth_closed, symmetric};
use super::seed::Rng;
use crate::domain::body_plan::{Family, Head, Snout};

/// Muzzle, nose and mouth, or beak, or visor: whatever the plan's snout is.
pub(crate) fn snout(canvas: &mut Canvas, face: &Face, look: &Look, rng: &mut Rng) {
    let colours = &look.colours;
    let light = colours.get(Slot::Light);
    let (c, ey, ny) = (MID, face.eye_y, face.nose_y);
    match face.plan.snout {
        Snout::Medium => {
            let narrow = if face.family() == Family::Vulpine || face.family() == Family::Kitsune {
                0.82
            } else {
                1.0
            };
            let w = 50.0 * narrow;
            let muzzle = symmetric(&[
                p(c, ey + 6.0),
                p(c + 16.0 * narrow, ey + 14.0),
                p(c + 28.0 * narrow, ny - 22.0),
                p(c + w, ny + 14.0),
                p(c + w * 0.9, ny + 40.0),
                p(c + w * 0.5, ny + 54.0),
                p(c, ny + 58.0),
            ]);
            let tone = if face.family() == Family::Hyena {
                colours.get(Slot::Mask)
            } else {
                light
            };
            canvas.detail(smooth_closed(&muzzle, false), tone, 3.5);
            nose(canvas, c, ny, 46.0 * narrow, 28.0, colours.get(Slot::Nose));
            mouth(canvas, ny + 30.0, 26.0, tone.ink(), rng.chance(0.3));
        }
        Snout::Short => {
            for mirror in [false, true] {
                let d = Pen::new(mirror)
                    .ellipse(c + 17.0, ny + 16.0, 21.0, 16.0)
                    .finish();
                canvas.detail(d, light, 3.0);
            }
            for mirror in [false, true] {
                let mut pen = Pen::new(mirror);
                for (x, y) in [
                    (c + 12.0, ny + 14.0),
                    (c + 22.0, ny + 20.0),
                    (c + 24.0, ny + 10.0),
                ] {
                    pen.circle(x, y, 2.2);
                }
                canvas.flat(pen.finish(), light.ink(), 0.7);
            }
            let pink = colours
                .named(Slot::Nose)
                .unwrap_or(light.mix(Rgb(230, 120, 140), 0.6));
            nose(canvas, c, ny - 2.0, 24.0, 15.0, pink);
            mouth(canvas, ny + 13.0, 16.0, light.ink(), false);
            if face.family() == Family::Lagomorph {
                let d = Pen::new(false)
                    .m(c - 9.0, ny + 30.0)
                    .l(c + 9.0, ny + 30.0)
                    .l(c + 8.0, ny + 44.0)
                    .l(c - 8.0, ny + 44.0)
                    .z()
                    .finish();
                canvas.detail(d, Rgb(250, 248, 240), 2.5);
                canvas.line(
                    Pen::new(false).m(c, ny + 31.0).l(c, ny + 43.0).finish(),
                    Rgb(150, 150, 150),
                    1.5,
                );
            }
        }
        Snout::Blunt => {
            let d = Pen::new(false).ellipse(c, ny + 20.0, 60.0, 42.0).finish();
            canvas.detail(d, light, 3.5);
            nose(canvas, c, ny - 2.0, 52.0, 30.0, colours.get(Slot::Nose));
            mouth(canvas, ny + 30.0, 24.0, light.ink(), rng.chance(0.2));
        }
        Snout::Pointed => {
            let muzzle = symmetric(&[
                p(c, ey + 14.0),
                p(c + 22.0, ey + 28.0),
                p(c + 40.0, ny + 4.0),
                p(c + 28.0, ny + 34.0),
                p(c, ny + 44.0),
            ]);
            canvas.detail(smooth_closed(&muzzle, false), light, 3.0);
            let nose_colour = colours
                .named(Slot::Nose)
                .unwrap_or(light.mix(Rgb(210, 110, 130), 0.6));
            nose(canvas, c, ny + 22.0, 24.0, 15.0, nose_colour);
            mouth(canvas, ny + 37.0, 12.0, light.ink(), false);
        }
        Snout::Long => long_snout(canvas, face, look),
        Snout::Beak | Snout::HookedBeak => beak(canvas, face, look),
        Snout::Reptile => {
            let b = face.bottom;
            let top = symmetric(&[
                p(c, ey + 36.0),
                p(c + face.half * 0.4, ey + 50.0),
                p(c + face.half * 0.46, b - 30.0),
                p(c + face.half * 0.3, b - 8.0),
                p(c, b - 4.0),
            ]);
            canvas.flat(smooth_closed(&top, false), light, 0.55);
            for mirror in [false, true] {
                let d = Pen::new(mirror)
                    .m(c + 12.0, b - 38.0)
                    .q(c + 26.0, b - 44.0, c + 30.0, b - 30.0)
                    .q(c + 20.0, b - 30.0, c + 12.0, b - 38.0)
                    .z()
                    .finish();
                canvas.flat(d, colours.base.ink(), 0.9);
            }
            let w = face.half * 0.44;
            let mouth = Pen::new(false)
                .m(c - w, b - 22.0)
                .q(c, b - 2.0, c + w, b - 22.0)
                .finish();
            canvas.line(mouth, colours.base.ink(), 3.5);
            if rng.chance(0.6) {
                for mirror in [false, true] {
                    let x = c + w * 0.62;
                    let d = Pen::new(mirror)
                        .m(x - 5.0, b - 15.0)
                        .l(x + 5.0, b - 17.0)
                        .l(x + 1.0, b - 4.0)
                        .z()
                        .finish();
                    canvas.detail(d, Rgb(250, 248, 240), 2.0);
                }
            }
        }
        Snout::Aquatic => aquatic_mouth(canvas, face, look),
        Snout::Visor => visor(canvas, face, look),
    }
}

/// A rounded triangle with a shine.
fn nose(canvas: &mut Canvas, cx: f32, y: f32, w: f32, h: f32, colour: Rgb) {
    let half = w / 2.0;
    let d = Pen::new(false)
        .m(cx - half, y)
        .q(cx, y - h * 0.3, cx + half, y)
        .q(cx + half * 0.95, y + h * 0.6, cx, y + h)
        .q(cx - half * 0.95, y + h * 0.6, cx - half, y)
        .z()
        .finish();
    canvas.detail(d, colour, 3.0);
    let shine = Pen::new(false)
        .ellipse(cx + half * 0.35, y + h * 0.18, half * 0.28, h * 0.14)
        .finish();
    canvas.flat(shine, Rgb(255, 255, 255), 0.55);
}

/// The line down from the nose and the two curves of the lips; maybe a tongue out.
fn mouth(canvas: &mut Canvas, y: f32, w: f32, ink: Rgb, tongue: bool) {
    let c = MID;
    if tongue {
        let d = Pen::new(false)
            .m(c - 9.0, y + 10.0)
            .l(c + 9.0, y + 10.0)
            .q(c + 11.0, y + 28.0, c, y + 28.0)
            .q(c - 11.0, y + 28.0, c - 9.0, y + 10.0)
            .z()
            .finish();
        canvas.detail(d, Rgb(236, 110, 130), 2.5);
    }
    let d = Pen::new(false)
        .m(c, y - 6.0)
        .l(c, y + 6.0)
        .q(c - w * 0.35, y + 16.0, c - w, y + 6.0)
        .m(c, y + 6.0)
        .q(c + w * 0.35, y + 16.0, c + w, y + 6.0)
        .finish();
    canvas.line(d, ink, 3.5);
}

fn long_snout(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colours = &look.colours;
    let (c, b, ey) = (MID, face.bottom, face.eye_y);
    let light = colours.get(Slot::Light);
    match face.plan.head {
        Head::Long => {
            let tone = colours.named(Slot::Nose).unwrap_or(light);
            let d = Pen::new(false)
                .ellipse(c, b - 34.0, face.half * 0.7, 36.0)
                .finish();
            canvas.flat(d, tone, 0.85);
            nostrils(canvas, b - 46.0, 24.0, colours.base);
            let mouth = Pen::new(false)
                .m(c - 22.0, b - 14.0)
                .q(c, b - 6.0, c + 22.0, b - 14.0)
                .finish();
            canvas.line(mouth, tone.ink(), 3.0);
        }
        Head::Blade => {
            nose(canvas, c, b - 26.0, 30.0, 18.0, colours.get(Slot::Nose));
            let d = Pen::new(false)
                .m(c, b - 8.0)
                .q(c - 14.0, b - 2.0, c - 26.0, b - 14.0)
                .m(c, b - 8.0)
                .q(c + 14.0, b - 2.0, c + 26.0, b - 14.0)
                .finish();
            canvas.line(d, colours.base.ink(), 3.0);
        }
        _ => {
            let muzzle = symmetric(&[
                p(c, ey + 10.0),
                p(c + 26.0, ey + 18.0),
                p(c + 40.0, ey + 70.0),
                p(c + 46.0, b + 4.0),
                p(c + 30.0, b + 26.0),
                p(c, b + 30.0),
            ]);
            canvas.detail(smooth_closed(&muzzle, false), light, 3.5);
            if face.family() == Family::DutchAngelDragon {
                nostrils(canvas, b - 2.0, 18.0, light);
                let d = Pen::new(false)
                    .m(c - 18.0, b + 18.0)
                    .q(c, b + 24.0, c + 18.0, b + 18.0)
                    .finish();
                canvas.line(d, light.ink(), 3.0);
            } else {
                nose(canvas, c, b - 8.0, 40.0, 24.0, colours.get(Slot::Nose));
                mouth(canvas, b + 18.0, 20.0, light.ink(), false);
            }
        }
    }
}

fn nostrils(canvas: &mut Canvas, y: f32, dx: f32, around: Rgb) {
    for mirror in [false, true] {
        let x = MID + dx;
        let d = Pen::new(mirror)
            .m(x - 6.0, y - 6.0)
            .q(x + 8.0, y - 8.0, x + 6.0, y + 6.0)
            .q(x, y + 2.0, x - 6.0, y - 6.0)
            .z()
            .finish();
        canvas.flat(d, around.ink(), 0.9);
    }
}

fn beak(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colours = &look.colours;
    let (c, ey) = (MID, face.eye_y);
    let hooked = face.plan.snout == Snout::HookedBeak;
    let colour = colours.named(Slot::Horns).unwrap_or_else(|| {
        if hooked {
            colours.get(Slot::Horns).mix(Rgb(236, 180, 60), 0.55)
        } else if face.family() == Family::Avali {
            colours.base.darken(0.35)
        } else {
            colours.base.darken(0.55).mix(Rgb(60, 60, 70), 0.4)
        }
    });
    let (top, length, w) = if hooked {
        (ey + 12.0, 66.0, 24.0)
    } else if face.family() == Family::Avali {
        (ey + 16.0, 56.0, 24.0)
    } else {
        (ey + 8.0, 96.0, 28.0)
    };
    let mut right = vec![
        p(c, top - 4.0),
        p(c + w, top + 10.0),
        p(c + w * 0.86, top + length * 0.5),
    ];
    if hooked {
        right.push(p(c + w * 0.46, top + length * 0.86));
    }
    right.push(s(c, top + length));
    let outline = smooth_closed(&symmetric(&right), false);
    canvas.detail(outline.clone(), colour, 4.0);
    if colour.luma() < 0.04 {
        // A near-black beak on dark feathers would vanish: give it a pale rim.
        canvas.line(outline, colour.lighten(0.4), 2.0);
    }
    let ink = colour.ink();
    let ridge = Pen::new(false).m(c, top).l(c, top + length * 0.8).finish();
    canvas.line(ridge, colour.lighten(0.35), 2.5);
    for mirror in [false, true] {
        let d = Pen::new(mirror)
            .ellipse(c + w * 0.42, top + 12.0, 3.5, 2.2)
            .finish();
        canvas.flat(d, ink, 0.9);
    }
    let split = top + length * if hooked { 0.62 } else { 0.55 };
    let d = Pen::new(false)
        .m(c - w * 0.8, split - 12.0)
        .q(c, split + 6.0, c + w * 0.8, split - 12.0)
        .finish();
    canvas.line(d, ink, 2.5);
}

fn aquatic_mouth(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colours = &look.colours;
    let (c, y) = (MID, face.nose_y + 14.0);
    let w = face.half * 0.62;
    let ink = colours.base.ink();
    if face
        .plan
        .marks
        .contains(&crate::domain::body_plan::Mark::EyePatches)
    {
        let d = Pen::new(false)
            .m(c - w, y - 8.0)
            .q(c, y + 26.0, c + w, y - 8.0)
            .finish();
        canvas.line(d, ink, 4.0);
        return;
    }
    let d = Pen::new(false)
        .m(c - w, y - 10.0)
        .q(c, y + 10.0, c + w, y - 10.0)
        .q(c, y + 38.0, c - w, y - 10.0)
        .z()
        .finish();
    canvas.detail(d, Rgb(120, 40, 60), 4.0);
    let teeth = 9;
    let mut pen = Pen::new(false);
    for i in 0..teeth {
        let t = (i as f32 + 0.5) / teeth as f32;
        let x = c - w * 0.86 + w * 1.72 * t;
        let curve = 10.0 * (1.0 - (2.0 * t - 1.0).powi(2));
        let top = y - 8.0 + curve;
        pen.m(x - 6.0, top).l(x + 6.0, top).l(x, top + 11.0).z();
    }
    canvas.detail(pen.finish(), Rgb(250, 250, 245), 1.5);
    for mirror in [false, true] {
        let mut pen = Pen::new(mirror);
        for i in 0..3 {
            let x = c + face.half * (0.98 + 0.1 * i as f32);
            pen.m(x, face.eye_y + 40.0 + 6.0 * i as f32).q(
                x + 8.0,
                face.eye_y + 62.0 + 6.0 * i as f32,
                x + 2.0,
                face.eye_y + 86.0 + 6.0 * i as f32,
            );
        }
        canvas.line(pen.finish(), ink, 3.0);
    }
}

fn visor(canvas: &mut Canvas, face: &Face, look: &Look) {
    let colours = &look.colours;
    let (c, ey, h, b) = (MID, face.eye_y, face.half, face.bottom);
    let synth = face.family() == Family::Synth;
    let right = if synth {
        vec![
            p(c, ey - 52.0),
            s(c + h * 0.78, ey - 46.0),
            s(c + h * 0.86, ey + 36.0),
            p(c + h * 0.5, ey + 66.0),
            p(c, ey + 72.0),
        ]
    } else {
        vec![
            p(c, ey - 56.0),
            p(c + h * 0.76, ey - 48.0),
            p(c + h * 0.95, ey - 4.0),
            p(c + h * 0.84, ey + 38.0),
            p(c + h * 0.5, ey + 70.0),
            p(c + h * 0.34, b - 10.0),
            p(c, b + 4.0),
        ]
    };
    let d = smooth_closed(&symmetric(&right), false);
    let tone = colours.get(Slot::Visor);
    canvas.detail(d.clone(), tone, 5.0);
    let shine = Pen::new(false)
        .m(c + h * 0.2, ey - 44.0)
        .q(c + h * 0.62, ey - 42.0, c + h * 0.76, ey - 18.0)
        .q(c + h * 0.5, ey - 30.0, c + h * 0.2, ey - 44.0)
        .z()
        .finish();
    canvas.flat(shine, Rgb(255, 255, 255), 0.3);
    if !synth {
        let led = look.eyes.right;
        let y = ey + 50.0;
        let mut pen = Pen::new(false);
        pen.m(c - 40.0, y - 4.0);
        for (i, x) in [-24.0, -10.0, 4.0, 18.0, 32.0, 40.0].iter().enumerate() {
            let dy = if i % 2 == 0 { 8.0 } else { -2.0 };
            pen.l(c + x, y + dy);
        }
        let mouth = pen.finish();
        canvas.line(mouth.clone(), led, 10.0);
        canvas.line(mouth, led.lighten(0.6), 4.0);
    }
}
