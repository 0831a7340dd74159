//! The SVG being drawn: shapes in paint order, their shading gradients, and the white sticker
//! backing traced from the silhouette shapes.
//!
//! Every element and attribute goes through the `svg` crate, which escapes text and attribute
//! values; attribute names are always ours.

use std::collections::BTreeSet;

use svg::Node;
use svg::node::element::{
    ClipPath, Definitions, Group, LinearGradient, Path, RadialGradient, Stop,
};

use super::colours::Rgb;
use super::geom::num;

/// Outline width of the silhouette shapes; inner features use thinner lines.
pub const OUTLINE: f32 = 5.0;
/// How far the white sticker border reaches past the outlines.
const BACKING: f32 = 22.0;

pub struct Canvas {
    defs: Definitions,
    /// Ids of the gradients already defined.
    ids: BTreeSet<String>,
    backing: Vec<String>,
    body: Group,
    clips: usize,
}

impl Canvas {
    pub fn new() -> Self {
        Canvas {
            defs: Definitions::new(),
            ids: BTreeSet::new(),
            backing: Vec::new(),
            body: Group::new(),
            clips: 0,
        }
    }

    /// The fill for a main shape: the colour shaded from a lit upper right to a darker lower
    /// left.
    pub fn shaded(&mut self, colour: Rgb) -> String {
        let id = format!("s{}", &colour.hex()[1..]);
        if self.ids.insert(id.clone()) {
            let gradient = LinearGradient::new()
                .set("id", id.as_str())
                .set("x1", "0.8")
                .set("y1", "0.05")
                .set("x2", "0.2")
                .set("y2", "0.95")
                .add(stop(0.0, colour.lighten(0.14)))
                .add(stop(0.55, colour))
                .add(stop(1.0, colour.darken(0.2)));
            self.defs.append(gradient);
        }
        format!("url(#{id})")
    }

    /// A silhouette shape: shaded, outlined, and part of the sticker backing.
    pub fn solid(&mut self, d: String, colour: Rgb) {
        self.backing.push(d.clone());
        self.shape(d, colour);
    }

    /// A shaded, outlined shape inside the silhouette.
    pub fn shape(&mut self, d: String, colour: Rgb) {
        let fill = self.shaded(colour);
        self.add(outlined(d, &fill, colour.ink(), OUTLINE));
    }

    /// An outlined small shape with a thinner line and a flat fill: gradients cost render time
    /// in proportion to the pixels they cover, and are not worth it on eyes and noses.
    pub fn detail(&mut self, d: String, colour: Rgb, width: f32) {
        self.add(outlined(d, &colour.hex(), colour.ink(), width));
    }

    /// A flat fill with no outline: markings, shading, highlights.
    pub fn flat(&mut self, d: String, colour: Rgb, opacity: f32) {
        let mut path = Path::new().set("d", d).set("fill", colour.hex());
        if opacity < 1.0 {
            path = path.set("opacity", num(opacity));
        }
        self.add(path);
    }

    /// A stroked line with round ends.
    pub fn line(&mut self, d: String, colour: Rgb, width: f32) {
        self.add(
            Path::new()
                .set("d", d)
                .set("fill", "none")
                .set("stroke", colour.hex())
                .set("stroke-width", num(width))
                .set("stroke-linecap", "round")
                .set("stroke-linejoin", "round"),
        );
    }

    /// A soft glow: a radial gradient fading the colour out to transparent.
    pub fn glow(&mut self, d: String, colour: Rgb, opacity: f32) {
        let id = format!("g{}", &colour.hex()[1..]);
        if self.ids.insert(id.clone()) {
            self.defs.append(
                RadialGradient::new()
                    .set("id", id.as_str())
                    .add(stop_opacity(0.0, colour, 1.0))
                    .add(stop_opacity(1.0, colour, 0.0)),
            );
        }
        self.add(
            Path::new()
                .set("d", d)
                .set("fill", format!("url(#{id})"))
                .set("opacity", num(opacity)),
        );
    }

    /// Adds a ready element (a group of clipped markings, a text).
    pub fn add<T: Into<Box<dyn Node>>>(&mut self, node: T) {
        self.body.append(node);
    }

    /// A clip path from path data; returns the `url(#...)` to put in `clip-path`.
    pub fn clip(&mut self, d: &str) -> String {
        self.clips += 1;
        let id = format!("c{}", self.clips);
        self.defs.append(
            ClipPath::new()
                .set("id", id.as_str())
                .add(Path::new().set("d", d)),
        );
        format!("url(#{id})")
    }

    /// Runs `draw` into a group clipped to `d`: markings that must stay inside a shape.
    pub fn clipped(&mut self, d: &str, draw: impl FnOnce(&mut Canvas)) {
        let clip = self.clip(d);
        let outer = std::mem::replace(&mut self.body, Group::new());
        draw(self);
        let inner = std::mem::replace(&mut self.body, outer);
        self.body.append(inner.set("clip-path", clip));
    }

    /// The finished drawing as one group: definitions, the sticker backing, then the shapes.
    pub fn into_group(self) -> (Definitions, Group) {
        let mut backing = Group::new()
            .set("fill", "#ffffff")
            .set("stroke", "#ffffff")
            .set("stroke-width", num(BACKING))
            .set("stroke-linejoin", "round");
        for d in self.backing {
            backing.append(Path::new().set("d", d));
        }
        let group = Group::new().add(backing).add(self.body);
        (self.defs, group)
    }
}

fn stop(offset: f32, colour: Rgb) -> Stop {
    Stop::new()
        .set("offset", num(offset))
        .set("stop-color", colour.hex())
}

fn stop_opacity(offset: f32, colour: Rgb, opacity: f32) -> Stop {
    stop(offset, colour).set("stop-opacity", num(opacity))
}

fn outlined(d: String, fill: &str, ink: Rgb, width: f32) -> Path {
    Path::new()
        .set("d", d)
        .set("fill", fill)
        .set("stroke", ink.hex())
        .set("stroke-width", num(width))
        .set("stroke-linejoin", "round")
}
