//! The portrait's composition: where the face sits for each head shape, and the paint order
//! (things behind the head first, floppy ears and forelocks after it).

use svg::Document;
use svg::node::element::{Group, Title};

use super::canvas::Canvas;
use super::colours::{Colours, Rgb, Slot, eyes};
use super::face::{Face, Look};
use super::geom::{SIZE, num};
use super::seed::Rng;
use super::text::Font;
use super::{body, ears, extras, features, heads, markings, patterns, snouts};
use crate::domain::body_plan::body_plan;
use crate::domain::fursona::Fursona;

/// The portrait as an SVG document string: 512 x 512 user units, transparent background.
pub(crate) fn svg(fursona: &Fursona, font: &Font) -> String {
    let (defs, group) = drawing(fursona);
    let title = Title::new(font.clean(&format!("{}, {}", fursona.name, fursona.species)));
    Document::new()
        .set("xmlns", "http://www.w3.org/2000/svg")
        .set("viewBox", format!("0 0 {0} {0}", num(SIZE)))
        .set("width", num(SIZE))
        .set("height", num(SIZE))
        .add(title)
        .add(defs)
        .add(group)
        .to_string()
}

/// The drawing's definitions and shapes, for the portrait itself and for the sheet to place.
pub(crate) fn drawing(fursona: &Fursona) -> (svg::node::element::Definitions, Group) {
    let mut rng = Rng::new(super::seed::of(fursona));
    let plan = body_plan(&fursona.species);
    let colours = Colours::of(fursona);
    let fallback = eye_fallback(&colours, &mut rng);
    let eyes = eyes(&fursona.eye_color, &colours, fallback);
    let face = {
        let mut rng = rng.fork(1);
        let mut face = Face::new(plan, &mut rng);
        face.outline = heads::outline(&face, &mut rng);
        face.head_d = super::geom::smooth_closed(&face.outline, false);
        face
    };
    let marks = markings::choose(fursona, &face.plan, &colours, &mut rng.fork(2));
    let look = Look {
        colours,
        eyes,
        marks,
    };
    let mut canvas = Canvas::new();
    let mut r = |salt| rng.fork(salt);
    extras::behind(&mut canvas, &face, &look, &mut r(10));
    body::bust(&mut canvas, &face, &look, &mut r(11));
    ears::behind(&mut canvas, &face, &look, &mut r(12));
    heads::head(&mut canvas, &face, &look, &mut r(13));
    patterns::on_head(&mut canvas, &face, &look, &mut r(14));
    snouts::snout(&mut canvas, &face, &look, &mut r(15));
    features::eyes(&mut canvas, &face, &look, &mut r(16));
    extras::front(&mut canvas, &face, &look, &mut r(17));
    ears::front(&mut canvas, &face, &look, &mut r(12));
    canvas.into_group()
}

/// Eyes the text names no colour for still get one that stands out from the fur.
fn eye_fallback(colours: &Colours, rng: &mut Rng) -> Rgb {
    const CHOICES: [Rgb; 4] = [
        Rgb(230, 150, 30),
        Rgb(60, 150, 220),
        Rgb(70, 170, 90),
        Rgb(150, 90, 210),
    ];
    let accent = colours.accent();
    if accent != colours.base && accent != colours.get(Slot::Light) {
        accent
    } else {
        CHOICES[rng.below(CHOICES.len())]
    }
}
