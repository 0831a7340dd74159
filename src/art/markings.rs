//! Which markings a fursona wears, and in which colours: the species' signature markings, the
//! palette placements and the markings text (keyword matching), coloured from the palette. The
//! shapes themselves are drawn in `patterns`.

use super::colours::{Colours, Rgb, Slot};
use super::seed::Rng;
use crate::domain::body_plan::{BodyPlan, Family, Mark};
use crate::domain::fursona::Fursona;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marking {
    Stripes,
    Spots,
    Rosettes,
    Mask,
    EyeRims,
    EyePatches,
    EarTips,
    Blaze,
    Star,
    CheekPatches,
    Bib,
    DorsalStripe,
    Freckles,
    Scales,
    BrowSpots,
    Collar,
    Crown,
    Streak,
    Glow,
}

/// Words that name a marking, most specific first, and the slot whose colour it takes when the
/// palette does not say.
const WORDS: &[(&str, Marking, Slot)] = &[
    ("eye stripe", Marking::Mask, Slot::Mask),
    ("spine stripe", Marking::DorsalStripe, Slot::Light),
    ("brow spot", Marking::BrowSpots, Slot::Brows),
    ("spots above the eyes", Marking::BrowSpots, Slot::Brows),
    ("spots over the eyes", Marking::BrowSpots, Slot::Brows),
    ("cheek spot", Marking::CheekPatches, Slot::Cheeks),
    ("eye patch", Marking::EyePatches, Slot::Mask),
    ("behind the eyes", Marking::EyePatches, Slot::Mask),
    ("rims", Marking::EyeRims, Slot::Mask),
    ("ear tip", Marking::EarTips, Slot::Tips),
    ("tipped ear", Marking::EarTips, Slot::Tips),
    ("stripe", Marking::Stripes, Slot::Stripes),
    ("barring", Marking::Stripes, Slot::Stripes),
    ("banding", Marking::Stripes, Slot::Stripes),
    ("tabby", Marking::Stripes, Slot::Stripes),
    ("rosette", Marking::Rosettes, Slot::Spots),
    ("spot", Marking::Spots, Slot::Spots),
    ("dapple", Marking::Spots, Slot::Spots),
    ("freckle", Marking::Freckles, Slot::Spots),
    ("mask", Marking::Mask, Slot::Mask),
    ("blaze", Marking::Blaze, Slot::Star),
    ("star", Marking::Star, Slot::Star),
    ("cheek", Marking::CheekPatches, Slot::Cheeks),
    ("bib", Marking::Bib, Slot::Light),
    ("chest", Marking::Bib, Slot::Light),
    ("ruff", Marking::Bib, Slot::Light),
    ("throat", Marking::Bib, Slot::Light),
    ("breast", Marking::Bib, Slot::Light),
    ("belly", Marking::Bib, Slot::Light),
    ("underside", Marking::Bib, Slot::Light),
    ("countershading", Marking::Bib, Slot::Light),
    ("collar", Marking::Collar, Slot::Collar),
    ("crown", Marking::Crown, Slot::Mane),
    ("fringe", Marking::Streak, Slot::Mane),
    ("streak", Marking::Streak, Slot::Mane),
    ("vein", Marking::Glow, Slot::Led),
    ("led", Marking::Glow, Slot::Led),
    ("glow", Marking::Glow, Slot::Led),
    ("scale", Marking::Scales, Slot::Scales),
];

/// The markings to draw, each with its colour, in the order first found.
#[derive(Clone, Debug, Default)]
pub(crate) struct Markings {
    list: Vec<(Marking, Rgb)>,
}

impl Markings {
    pub fn colour(&self, marking: Marking) -> Option<Rgb> {
        self.list
            .iter()
            .find(|(m, _)| *m == marking)
            .map(|(_, c)| *c)
    }

    pub fn has(&self, marking: Marking) -> bool {
        self.colour(marking).is_some()
    }

    fn add(&mut self, marking: Marking, colour: Rgb) {
        if !self.has(marking) {
            self.list.push((marking, colour));
        }
    }

    #[cfg(test)]
    pub fn kinds(&self) -> Vec<Marking> {
        self.list.iter().map(|(m, _)| *m).collect()
    }
}

fn words_in(text: &str) -> Vec<(usize, Marking, Slot)> {
    let mut found: Vec<(usize, Marking, Slot)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (word, marking, slot) in WORDS {
        let mut from = 0;
        while let Some(at) = text[from..].find(word).map(|i| i + from) {
            let end = at + word.len();
            if !taken.iter().any(|&(a, b)| at < b && a < end) {
                taken.push((at, end));
                found.push((at, *marking, *slot));
            }
            from = end;
        }
    }
    found.sort_by_key(|(at, _, _)| *at);
    found
}

pub(crate) fn choose(
    fursona: &Fursona,
    plan: &BodyPlan,
    colours: &Colours,
    _rng: &mut Rng,
) -> Markings {
    let mut marks = Markings::default();
    // Placements are the most precise: the colour is the swatch itself.
    for swatch in &fursona.palette {
        let place = swatch.placement.to_lowercase();
        if let Some(colour) = Rgb::parse(&swatch.hex) {
            for (_, marking, _) in words_in(&place) {
                marks.add(marking, colour);
            }
        }
    }
    // The text: the colour named closest before the word, in the same clause.
    let text = fursona.markings.to_lowercase();
    for (at, marking, slot) in words_in(&text) {
        let clause_start = text[..at].rfind([',', '.', ';']).map_or(0, |i| i + 1);
        let clause_end = text[at..]
            .find([',', '.', ';'])
            .map_or(text.len(), |i| at + i);
        let colour = colours
            .mentioned_in(&text[clause_start..clause_end])
            .unwrap_or_else(|| colours.get(slot));
        marks.add(marking, colour);
    }
    for mark in plan.marks {
        let (marking, slot) = match mark {
            Mark::Stripes => (Marking::Stripes, Slot::Stripes),
            Mark::Spots => (Marking::Spots, Slot::Spots),
            Mark::Rosettes => (Marking::Rosettes, Slot::Spots),
            Mark::Mask => (Marking::Mask, Slot::Mask),
            Mark::EyePatches => (Marking::EyePatches, Slot::Mask),
            Mark::EarTips => (Marking::EarTips, Slot::Tips),
            Mark::Blaze => (Marking::Blaze, Slot::Star),
            Mark::CheekPatches => (Marking::CheekPatches, Slot::Cheeks),
            Mark::Bib => (Marking::Bib, Slot::Light),
            Mark::DorsalStripe => (Marking::DorsalStripe, Slot::Light),
            Mark::Freckles => (Marking::Freckles, Slot::Light),
            Mark::Scales => (Marking::Scales, Slot::Scales),
        };
        // A signature mask on a dog is the pale husky mask; on others the dark bandit mask.
        let colour = match (marking, plan.family) {
            (Marking::Mask, Family::Canine | Family::Vulpine) => colours.get(Slot::Light),
            (Marking::EyePatches, Family::Aquatic) => colours.get(Slot::Light),
            _ => colours.get(slot),
        };
        marks.add(marking, colour);
    }
    marks
}
