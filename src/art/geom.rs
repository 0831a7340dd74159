//! Path data: a pen that can draw mirrored (left and right parts come from one builder), smooth
//! outlines through points, and tapered ribbons for horns, stripes and whiskers.

use std::fmt::Write as _;

/// Portraits are drawn on a 512 x 512 canvas; the left half mirrors the right about x = 256.
pub const SIZE: f32 = 512.0;
pub const MID: f32 = SIZE / 2.0;

/// A point; `sharp` makes a corner (a fur tuft, a spike) instead of a smooth pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    pub x: f32,
    pub y: f32,
    pub sharp: bool,
}

pub const fn p(x: f32, y: f32) -> Pt {
    Pt { x, y, sharp: false }
}

pub const fn s(x: f32, y: f32) -> Pt {
    Pt { x, y, sharp: true }
}

impl Pt {
    pub fn mirrored(self) -> Pt {
        Pt {
            x: SIZE - self.x,
            ..self
        }
    }

    pub fn add(self, dx: f32, dy: f32) -> Pt {
        Pt {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    pub fn lerp(self, other: Pt, t: f32) -> Pt {
        Pt {
            x: self.x + (other.x - self.x) * t,
            y: self.y + (other.y - self.y) * t,
            sharp: self.sharp,
        }
    }
}

/// One decimal is finer than a pixel at 1024 px and keeps the SVG small; `-0` prints as `0`.
pub fn num(value: f32) -> String {
    // A NaN or infinity would make the whole path invalid; a stray point at 0 only one corner.
    let value = if value.is_finite() { value } else { 0.0 };
    let rounded = (value * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// Builds path data; with `mirror` every x is reflected about the middle of the canvas.
#[derive(Clone, Debug, Default)]
pub struct Pen {
    d: String,
    mirror: bool,
}

impl Pen {
    pub fn new(mirror: bool) -> Self {
        Pen {
            d: String::with_capacity(128),
            mirror,
        }
    }

    fn x(&self, x: f32) -> f32 {
        if self.mirror { SIZE - x } else { x }
    }

    fn pair(&mut self, x: f32, y: f32) {
        let x = self.x(x);
        let _ = write!(self.d, "{} {}", num(x), num(y));
    }

    fn command(&mut self, letter: char, points: &[(f32, f32)]) -> &mut Self {
        self.d.push(letter);
        for (index, &(x, y)) in points.iter().enumerate() {
            if index > 0 {
                self.d.push(' ');
            }
            self.pair(x, y);
        }
        self
    }

    pub fn m(&mut self, x: f32, y: f32) -> &mut Self {
        self.command('M', &[(x, y)])
    }

    pub fn l(&mut self, x: f32, y: f32) -> &mut Self {
        self.command('L', &[(x, y)])
    }

    pub fn q(&mut self, cx: f32, cy: f32, x: f32, y: f32) -> &mut Self {
        self.command('Q', &[(cx, cy), (x, y)])
    }

    pub fn c(&mut self, c1: (f32, f32), c2: (f32, f32), to: (f32, f32)) -> &mut Self {
        self.command('C', &[c1, c2, to])
    }

    pub fn z(&mut self) -> &mut Self {
        self.d.push('Z');
        self
    }

    /// A smooth curve through the points (Catmull-Rom as cubic Béziers), corners at sharp ones.
    pub fn through(&mut self, points: &[Pt], closed: bool) -> &mut Self {
        let n = points.len();
        if n < 2 {
            return self;
        }
        let at = |i: isize| -> Pt {
            if closed {
                points[i.rem_euclid(n as isize) as usize]
            } else {
                points[i.clamp(0, n as isize - 1) as usize]
            }
        };
        self.m(points[0].x, points[0].y);
        let segments = if closed { n } else { n - 1 };
        for i in 0..segments as isize {
            let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
            let c1 = if p1.sharp {
                (p1.x, p1.y)
            } else {
                (p1.x + (p2.x - p0.x) / 6.0, p1.y + (p2.y - p0.y) / 6.0)
            };
            let c2 = if p2.sharp {
                (p2.x, p2.y)
            } else {
                (p2.x - (p3.x - p1.x) / 6.0, p2.y - (p3.y - p1.y) / 6.0)
            };
            self.c(c1, c2, (p2.x, p2.y));
        }
        if closed {
            self.z();
        }
        self
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32) -> &mut Self {
        self.ellipse(cx, cy, r, r)
    }

    /// An ellipse as four Béziers, so it can join other shapes in one path.
    pub fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32) -> &mut Self {
        const K: f32 = 0.552_284_8;
        let (kx, ky) = (rx * K, ry * K);
        self.m(cx + rx, cy)
            .c((cx + rx, cy + ky), (cx + kx, cy + ry), (cx, cy + ry))
            .c((cx - kx, cy + ry), (cx - rx, cy + ky), (cx - rx, cy))
            .c((cx - rx, cy - ky), (cx - kx, cy - ry), (cx, cy - ry))
            .c((cx + kx, cy - ry), (cx + rx, cy - ky), (cx + rx, cy))
            .z()
    }

    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.d)
    }
}

/// A closed outline from its right half, listed from the top middle to the bottom middle.
pub fn symmetric(right: &[Pt]) -> Vec<Pt> {
    let mut all = right.to_vec();
    if right.len() > 2 {
        all.extend(right[1..right.len() - 1].iter().rev().map(|p| p.mirrored()));
    }
    all
}

pub fn smooth_closed(points: &[Pt], mirror: bool) -> String {
    Pen::new(mirror).through(points, true).finish()
}

/// Points along a cubic Bézier, ends included.
pub fn bezier(p0: Pt, c1: Pt, c2: Pt, p3: Pt, steps: usize) -> Vec<Pt> {
    (0..=steps)
        .map(|i| {
            let t = i as f32 / steps.max(1) as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            p(
                a * p0.x + b * c1.x + c * c2.x + d * p3.x,
                a * p0.y + b * c1.y + c * c2.y + d * p3.y,
            )
        })
        .collect()
}

/// A filled band along a spine, `start` wide at its first point and `end` wide at its last:
/// horns, stripes, whiskers, feathers.
pub fn ribbon(spine: &[Pt], start: f32, end: f32, mirror: bool) -> String {
    ribbon_with(spine, |t| start + (end - start) * t, mirror)
}

/// A band whose width along the spine (t from 0 to 1) is `width(t)`; a width under half a unit
/// at an end makes a point there.
pub fn ribbon_with(spine: &[Pt], width: impl Fn(f32) -> f32, mirror: bool) -> String {
    let n = spine.len();
    if n < 2 {
        return String::new();
    }
    let mut left = Vec::with_capacity(n);
    let mut right = Vec::with_capacity(n);
    for i in 0..n {
        let a = spine[i.saturating_sub(1)];
        let b = spine[(i + 1).min(n - 1)];
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (nx, ny) = (-dy / len, dx / len);
        let half = width(i as f32 / (n - 1) as f32) / 2.0;
        left.push(p(spine[i].x + nx * half, spine[i].y + ny * half));
        right.push(p(spine[i].x - nx * half, spine[i].y - ny * half));
    }
    if width(1.0) < 0.5 {
        if let Some(last) = left.last_mut() {
            last.sharp = true;
        }
        right.pop();
    }
    if width(0.0) < 0.5 {
        left[0].sharp = true;
        right.remove(0);
    }
    right.reverse();
    left.extend(right);
    smooth_closed(&left, mirror)
}

/// A local frame: shapes are drawn pointing up (−y) from the origin, then turned by `angle`
/// degrees clockwise and moved to `origin`.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub origin: Pt,
    cos: f32,
    sin: f32,
    pub scale: f32,
}

impl Frame {
    pub fn new(origin: Pt, angle_degrees: f32, scale: f32) -> Self {
        let radians = angle_degrees.to_radians();
        Frame {
            origin,
            cos: radians.cos(),
            sin: radians.sin(),
            scale,
        }
    }

    pub fn at(&self, local: Pt) -> Pt {
        let (x, y) = (local.x * self.scale, local.y * self.scale);
        Pt {
            x: self.origin.x + x * self.cos - y * self.sin,
            y: self.origin.y + x * self.sin + y * self.cos,
            sharp: local.sharp,
        }
    }

    pub fn all(&self, local: &[Pt]) -> Vec<Pt> {
        local.iter().map(|&q| self.at(q)).collect()
    }
}

/// A star or tuft ring: points alternating between two radii around a centre.
pub fn spiky_ring(cx: f32, cy: f32, rx: (f32, f32), ry: (f32, f32), spikes: usize) -> Vec<Pt> {
    let count = spikes.max(3) * 2;
    (0..count)
        .map(|i| {
            let angle =
                std::f32::consts::TAU * i as f32 / count as f32 - std::f32::consts::FRAC_PI_2;
            let outer = i % 2 == 0;
            let (rx, ry) = if outer { (rx.0, ry.0) } else { (rx.1, ry.1) };
            Pt {
                x: cx + rx * angle.cos(),
                y: cy + ry * angle.sin(),
                sharp: outer,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.26), "-3.3");
    }

    #[test]
    fn the_mirrored_pen_reflects_x_only() {
        let right = Pen::new(false).m(300.0, 10.0).l(400.0, 20.0).finish();
        let left = Pen::new(true).m(300.0, 10.0).l(400.0, 20.0).finish();
        assert_eq!(right, "M300 10L400 20");
        assert_eq!(left, "M212 10L112 20");
    }

    #[test]
    fn a_symmetric_outline_closes_through_both_halves() {
        let loop_ = symmetric(&[p(256.0, 0.0), p(300.0, 50.0), p(256.0, 100.0)]);
        assert_eq!(loop_.len(), 4);
        assert_eq!(loop_[3].x, 212.0);
    }
}
