//! The measures of a face and what a part builder needs besides them: shared by every builder
//! of the portrait, which [`super::portrait`] composes.

use super::colours::Colours;
use super::geom::Pt;
use super::markings::Markings;
use super::seed::Rng;
use crate::domain::body_plan::{BodyPlan, Head};

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
    /// The face's measures; its outline is drawn after, by the head builder.
    pub fn new(plan: BodyPlan, rng: &mut Rng) -> Face {
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
        Face {
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
        }
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
