//! Three to five distinct traits; light palettes lean playful, dark ones lean quiet.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::mood::Mood;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Bright,
    Dark,
    Even,
}

/// Adjectives, so that the backstory can say "Ever curious, …".
const TRAITS: &[(&str, Tone)] = &[
    ("Playful", Tone::Bright),
    ("Energetic", Tone::Bright),
    ("Cheerful", Tone::Bright),
    ("Bold", Tone::Bright),
    ("Mischievous", Tone::Bright),
    ("Optimistic", Tone::Bright),
    ("Chatty", Tone::Bright),
    ("Adventurous", Tone::Bright),
    ("Impulsive", Tone::Bright),
    ("Warm-hearted", Tone::Bright),
    ("Enthusiastic", Tone::Bright),
    ("Spontaneous", Tone::Bright),
    ("Goofy", Tone::Bright),
    ("Mysterious", Tone::Dark),
    ("Calm", Tone::Dark),
    ("Reserved", Tone::Dark),
    ("Brooding", Tone::Dark),
    ("Stoic", Tone::Dark),
    ("Watchful", Tone::Dark),
    ("Introspective", Tone::Dark),
    ("Enigmatic", Tone::Dark),
    ("Quiet", Tone::Dark),
    ("Sardonic", Tone::Dark),
    ("Melancholic", Tone::Dark),
    ("Secretive", Tone::Dark),
    ("Curious", Tone::Even),
    ("Loyal", Tone::Even),
    ("Stubborn", Tone::Even),
    ("Clever", Tone::Even),
    ("Kind", Tone::Even),
    ("Protective", Tone::Even),
    ("Dreamy", Tone::Even),
    ("Witty", Tone::Even),
    ("Gentle", Tone::Even),
    ("Resourceful", Tone::Even),
    ("Honest", Tone::Even),
    ("Determined", Tone::Even),
    ("Meticulous", Tone::Even),
    ("Easygoing", Tone::Even),
    ("Proud", Tone::Even),
    ("Sentimental", Tone::Even),
    ("Observant", Tone::Even),
    ("Empathetic", Tone::Even),
];

/// However light or dark the photo, either temperament stays possible.
const TEMPERAMENT_ODDS: std::ops::RangeInclusive<f64> = 0.15..=0.85;

/// 3 to 5 distinct traits, in no particular order. One temperament (bright or dark, likelier
/// bright the lighter the photo) plus even-tempered traits, so "Chatty" never meets "Quiet".
pub(super) fn choose(mood: &Mood, rng: &mut impl Rng) -> Vec<String> {
    let count = rng.random_range(3..=5);
    let bright_odds =
        f64::from(mood.brightness()).clamp(*TEMPERAMENT_ODDS.start(), *TEMPERAMENT_ODDS.end());
    let temperament = if rng.random_bool(bright_odds) {
        Tone::Bright
    } else {
        Tone::Dark
    };
    let fitting: Vec<&str> = TRAITS
        .iter()
        .filter(|&&(_, tone)| tone == temperament || tone == Tone::Even)
        .map(|&(name, _)| name)
        .collect();
    fitting
        .choose_multiple(rng, count)
        .map(|&name| name.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn tone_of(name: &str) -> Option<Tone> {
        TRAITS
            .iter()
            .find(|&&(t, _)| t == name)
            .map(|&(_, tone)| tone)
    }

    fn tone_count(mood: &Mood, tone: Tone) -> usize {
        let mut rng = StdRng::seed_from_u64(4);
        (0..500)
            .flat_map(|_| choose(mood, &mut rng))
            .filter(|name| tone_of(name) == Some(tone))
            .count()
    }

    #[test]
    fn traits_are_three_to_five_and_distinct() {
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..200 {
            let mut traits = choose(&Mood::default(), &mut rng);
            let count = traits.len();
            assert!((3..=5).contains(&count));
            traits.sort();
            traits.dedup();
            assert_eq!(traits.len(), count);
        }
    }

    #[test]
    fn bright_and_dark_traits_never_mix() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..200 {
            let tones: Vec<_> = choose(&Mood::default(), &mut rng)
                .iter()
                .filter_map(|name| tone_of(name))
                .collect();
            assert!(
                !(tones.contains(&Tone::Bright) && tones.contains(&Tone::Dark)),
                "{tones:?}"
            );
        }
    }

    #[test]
    fn the_trait_table_has_no_duplicates() {
        let mut names: Vec<_> = TRAITS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TRAITS.len());
        assert!(TRAITS.len() >= 40);
    }

    #[test]
    fn light_photos_lean_playful_and_dark_ones_quiet() {
        let light = Mood {
            light: 1.0,
            ..Mood::default()
        };
        let dark = Mood {
            dark: 1.0,
            ..Mood::default()
        };
        assert!(tone_count(&light, Tone::Bright) > tone_count(&dark, Tone::Bright) * 2);
        assert!(tone_count(&dark, Tone::Dark) > tone_count(&light, Tone::Dark) * 2);
    }
}
