//! Species, weighted, with the palette tilting the odds towards animals that wear those colours.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::mood::Mood;
use Affinity::{Dark, Green, Grey, Light, Vivid, Warm};
use Covering::{Feathers, Fur, Hide, Plating, Scales};

/// What the body is covered in: decides the words for where each colour goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Covering {
    Fur,
    Scales,
    Feathers,
    /// Protogens and synths: fur under visor, panels and LEDs.
    Plating,
    /// Sharks and orcas: smooth skin.
    Hide,
}

/// A palette quality that makes a species more likely.
#[derive(Clone, Copy, Debug)]
enum Affinity {
    Warm,
    Grey,
    Vivid,
    Green,
    Dark,
    Light,
}

impl Affinity {
    fn share(self, mood: &Mood) -> f32 {
        match self {
            Affinity::Warm => mood.warm,
            Affinity::Grey => mood.grey,
            Affinity::Vivid => mood.vivid,
            Affinity::Green => mood.green,
            Affinity::Dark => mood.dark,
            Affinity::Light => mood.light,
        }
    }
}

#[derive(Debug)]
pub(super) struct Species {
    /// As it reads mid-sentence: "red fox", "Dutch angel dragon".
    pub name: &'static str,
    pub covering: Covering,
    weight: f32,
    affinities: &'static [Affinity],
}

impl Species {
    /// As a heading: "Red fox".
    pub fn title(&self) -> String {
        let mut chars = self.name.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    }

    /// "a red fox", "an arctic fox".
    pub fn with_article(&self) -> String {
        let article = if self.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", self.name)
    }

    /// A palette that fully matches an affinity makes the species this many times likelier.
    fn weight_for(&self, mood: &Mood) -> f32 {
        const PULL: f32 = 4.0;
        let fit = self
            .affinities
            .iter()
            .map(|affinity| affinity.share(mood))
            .fold(0.0, f32::max);
        self.weight * (1.0 + PULL * fit.clamp(0.0, 1.0))
    }
}

const fn species(
    name: &'static str,
    covering: Covering,
    weight: f32,
    affinities: &'static [Affinity],
) -> Species {
    Species {
        name,
        covering,
        weight,
        affinities,
    }
}

const SPECIES: &[Species] = &[
    // Fandom originals
    species("protogen", Plating, 6.0, &[Vivid, Dark]),
    species("synth", Plating, 3.0, &[Vivid]),
    species("sergal", Fur, 5.0, &[Grey, Light]),
    species("avali", Feathers, 4.0, &[Vivid, Light]),
    species("wickerbeast", Fur, 3.0, &[Vivid, Grey]),
    species("Dutch angel dragon", Fur, 4.0, &[Light, Vivid]),
    species("kitsune", Fur, 4.0, &[Warm, Light]),
    species("manokit", Fur, 2.0, &[Vivid]),
    species("kobold", Scales, 2.0, &[Green, Warm]),
    // Canines
    species("red fox", Fur, 6.0, &[Warm]),
    species("arctic fox", Fur, 4.0, &[Light]),
    species("fennec fox", Fur, 3.0, &[Warm, Light]),
    species("grey wolf", Fur, 6.0, &[Grey]),
    species("timber wolf", Fur, 3.0, &[Grey, Dark]),
    species("husky", Fur, 4.0, &[Grey, Light]),
    species("maned wolf", Fur, 2.0, &[Warm]),
    species("border collie", Fur, 2.0, &[Dark, Light]),
    // Felines
    species("lynx", Fur, 3.0, &[Warm, Grey]),
    species("snow leopard", Fur, 3.0, &[Light, Grey]),
    species("house cat", Fur, 5.0, &[]),
    species("tiger", Fur, 3.0, &[Warm]),
    species("black panther", Fur, 2.0, &[Dark]),
    // Dragons and reptiles
    species("western dragon", Scales, 5.0, &[Vivid, Green, Dark]),
    species("eastern dragon", Scales, 3.0, &[Green, Vivid]),
    // Birds
    species("raven", Feathers, 3.0, &[Dark]),
    species("snowy owl", Feathers, 2.0, &[Light]),
    species("barn owl", Feathers, 2.0, &[Warm, Light]),
    species("gryphon", Feathers, 3.0, &[Warm]),
    // Everyone else
    species("river otter", Fur, 4.0, &[Warm, Dark]),
    species("spotted hyena", Fur, 3.0, &[Warm, Grey]),
    species("rabbit", Fur, 4.0, &[]),
    species("deer", Fur, 3.0, &[Warm]),
    species("red panda", Fur, 4.0, &[Warm]),
    species("raccoon", Fur, 3.0, &[Grey, Dark]),
    species("skunk", Fur, 2.0, &[Dark]),
    species("fruit bat", Fur, 2.0, &[Dark]),
    species("shark", Hide, 3.0, &[Grey, Vivid]),
    species("orca", Hide, 2.0, &[Dark, Light]),
];

/// Every species name this generator can choose, for code that must cover them all (the body
/// plans of the drawings test that each has its own plan).
#[cfg(test)]
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    SPECIES.iter().map(|s| s.name)
}

/// A random species, likelier the better it suits the palette.
pub(super) fn choose(mood: &Mood, rng: &mut impl Rng) -> &'static Species {
    SPECIES
        .choose_weighted(rng, |s| s.weight_for(mood))
        .unwrap_or(&SPECIES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn frequency(mood: &Mood, names: &[&str]) -> usize {
        let mut rng = StdRng::seed_from_u64(7);
        (0..2000)
            .filter(|_| names.contains(&choose(mood, &mut rng).name))
            .count()
    }

    #[test]
    fn warm_palettes_favour_foxes_and_red_pandas() {
        let warm = Mood {
            warm: 0.9,
            ..Mood::default()
        };
        let foxy = ["red fox", "red panda", "kitsune", "fennec fox"];
        assert!(frequency(&warm, &foxy) > frequency(&Mood::default(), &foxy) * 2);
    }

    #[test]
    fn vivid_palettes_favour_dragons_and_protogens() {
        let vivid = Mood {
            vivid: 0.9,
            ..Mood::default()
        };
        let bright = ["western dragon", "protogen", "avali"];
        assert!(frequency(&vivid, &bright) > frequency(&Mood::default(), &bright) * 2);
    }

    #[test]
    fn randomness_survives_a_strong_nudge() {
        let grey = Mood {
            grey: 1.0,
            ..Mood::default()
        };
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen: Vec<_> = (0..300).map(|_| choose(&grey, &mut rng).name).collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() > 15, "{seen:?}");
    }

    #[test]
    fn titles_and_articles_read_naturally() {
        let fox = SPECIES.iter().find(|s| s.name == "arctic fox");
        assert_eq!(
            fox.map(Species::with_article).as_deref(),
            Some("an arctic fox")
        );
        assert_eq!(fox.map(Species::title).as_deref(), Some("Arctic fox"));
        for species in SPECIES {
            assert!(species.title().len() <= 80 && species.weight > 0.0);
        }
    }
}
