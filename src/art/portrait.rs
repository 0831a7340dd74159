//! The portrait's composition: where the face sits for each head shape, and the paint order
//! (things behind the head first, floppy ears and forelocks after it).

use svg::Document;
use svg::node::element::{Group, Title};

use super::canvas::Canvas;
use super::colours::{Colours, Rgb, Slot, eyes};
use super::geom::{Pt, SIZE, num};
use super::markings::Markings;
use super::seed::Rng;
use super::text::Font;
use super::{body, ears, extras, features, heads, markings, patterns, snouts};
use crate::domain::body_plan::{BodyPlan, Head, body_plan};
use crate::domain::fursona::Fursona;

/// Where the parts of the face go: the same numbers every builder reads, jittered a little per
/// fursona so two of one species are not identical.
#[derive(Clone, Debug)]
pub(crate) struct Face {
    pub plan: BodyPlan,
    /// The head's top and chin.
    pub top: f32,
    pub bottom: f32,
    /// Half the head's widest width.
    pub half: f32,
    pub eye_y: f32,
    /// Distance of each eye from the middle.
    pub eye_dx: f32,
    pub eye_r: f32,
    pub nose_y: f32,
    /// The whole head outline, and its path data.
    pub outline: Vec<Pt>,
    pub head_d: String,
    /// 0 (smooth cheeks) to 2 (big ruffs).
    pub fluff: usize,
}

impl Face {
    fn new(plan: BodyPlan, rng: &mut Rng) -> Face {
        let (top, bottom, half, eye_y, eye_dx, eye_r, nose_y) = match plan.head {
            Head::Round => (110.0, 330.0, 126.0, 218.0, 50.0, 27.0, 266.0),
            Head::Wedge => (104.0, 340.0, 128.0, 210.0, 50.0, 24.0, 282.0),
            Head::Broad => (112.0, 342.0, 140.0, 214.0, 56.0, 21.0, 274.0),
            Head::Long => (92.0, 386.0, 98.0, 186.0, 60.0, 22.0, 352.0),
            Head::Blade => (100.0, 398.0, 118.0, 186.0, 54.0, 22.0, 382.0),
            Head::Feathered => (102.0, 330.0, 130.0, 206.0, 56.0, 29.0, 250.0),
            Head::Angular => (108.0, 368.0, 122.0, 200.0, 56.0, 23.0, 344.0),
            Head::Streamlined => (112.0, 330.0, 120.0, 222.0, 90.0, 16.0, 276.0),
            Head::Helmet => (104.0, 336.0, 128.0, 214.0, 52.0, 24.0, 290.0),
        };
        let fluff = usize::from(plan.has(crate::domain::body_plan::Extra::CheekRuff)) + 1;
        let mut face = Face {
            top: top + rng.range(-5.0, 5.0),
            bottom: bottom + rng.range(-4.0, 6.0),
            half: half + rng.range(-6.0, 6.0),
            eye_y: eye_y + rng.range(-4.0, 4.0),
            eye_dx: eye_dx + rng.range(-3.0, 4.0),
            eye_r: eye_r * rng.range(0.92, 1.1),
            nose_y,
            outline: Vec::new(),
            head_d: String::new(),
            fluff,
            plan,
        };
        face.outline = heads::outline(&face, rng);
        face.head_d = super::geom::smooth_closed(&face.outline, false);
        face
    }

    pub fn family(&self) -> crate::domain::body_plan::Family {
        self.plan.family
    }
}

/// Everything a builder needs besides the face.
pub(crate) struct Look {
    pub colours: Colours,
    pub eyes: super::colours::Eyes,
    pub marks: Markings,
}

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
    let face = Face::new(plan, &mut rng.fork(1));
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
