//! A short backstory: where they grew up, what they do now, what changed everything and one
//! quirk that shows a trait. Three or four sentences, under 600 characters.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::names::first_name;
use super::species::Species;

/// Long enough for four sentences, short enough to read at a glance.
const MAX_CHARS: usize = 600;

const ORIGINS: &[&str] = &[
    "in a lighthouse on a fog-bound stretch of coast",
    "among the chimney pots of a rainy harbour town",
    "in a burrow beneath an abandoned observatory",
    "aboard a cargo airship that never docked twice in the same city",
    "at the edge of a pine forest where the snow lingers until June",
    "in the back room of a noisy night market",
    "among the reed beds of a slow, wide river delta",
    "in a mountain monastery famous for its terrible tea",
    "on a space station circling a storm-striped gas giant",
    "in a desert town built around a single deep well",
    "in the stacks of a library older than the city around it",
    "on a houseboat drifting between canal towns",
];

const OCCUPATIONS: &[&str] = &[
    "a night-shift radio host with a loyal audience of insomniacs",
    "a map-maker who charts the paths other travellers forget",
    "a courier who has never once delivered a parcel late",
    "a repairer of clocks, music boxes and the occasional robot",
    "a mountain rescue guide",
    "a travelling tea merchant",
    "a stage magician whose best trick has never been explained",
    "an apprentice archivist in charge of the strange-books section",
    "a baker who opens the shop long before sunrise",
    "a ship's navigator who reads the stars better than any chart",
    "a game developer with far too many unfinished projects",
    "a wildlife photographer who prefers waiting to chasing",
];

const EVENTS: &[&str] = &[
    "Everything changed the night a falling star landed in the orchard and {first} was the only one who went to look.",
    "One stormy winter {first} found a sealed letter addressed to no one, and has been searching for its owner ever since.",
    "A chance meeting with a wandering musician taught {first} that home is something you can carry in a song.",
    "After losing a bet with a very smug crow, {first} spent an entire summer learning to juggle.",
    "The year the river froze solid, {first} walked across it to the far bank and found a new life waiting.",
    "When an old friend vanished without a word, {first} followed a trail of clues across three countries.",
    "Winning the town's lantern contest entirely by accident gave {first} a lasting taste for the spotlight.",
    "A broken compass, inherited from a grandparent, has pointed {first} towards trouble ever since.",
    "{first} once guided a lost group of hikers down the mountain by lamplight, and still refuses to talk about it.",
    "Restoring a derelict greenhouse one long summer taught {first} that patience can grow almost anything.",
];

const QUIRKS: &[&str] = &[
    "still keeps every train ticket in a biscuit tin",
    "hums off-key when concentrating",
    "names every houseplant after a famous explorer",
    "collects a smooth stone from every new place",
    "cannot walk past a bookshop without going in",
    "writes long letters to friends and rarely sends them",
    "always carries a spare scarf for whoever might need it",
    "is secretly terrified of moths",
    "knows every constellation by heart but gets lost in supermarkets",
    "brews a truly dreadful cup of coffee and is proud of it",
    "keeps a notebook of overheard conversations",
    "insists on naming every stray cat in the neighbourhood",
];

pub(super) fn compose(
    rng: &mut impl Rng,
    name: &str,
    species: &Species,
    personality_trait: &str,
) -> String {
    let first = first_name(name);
    let mut sentences = vec![opening(rng, name, species)];
    // One or both middle sentences, so stories differ in shape as well as content.
    let (calling, event) = match rng.random_range(0..4) {
        0 => (true, false),
        1 => (false, true),
        _ => (true, true),
    };
    if calling {
        sentences.push(calling_sentence(rng, first));
    }
    if event {
        sentences.push(pick(rng, EVENTS).replace("{first}", first));
    }
    sentences.push(quirk(rng, first, &personality_trait.to_lowercase()));
    let mut story = sentences.join(" ");
    // Only very long names could overflow; the middle sentences are the ones to give up.
    while story.chars().count() > MAX_CHARS && sentences.len() > 2 {
        sentences.remove(1);
        story = sentences.join(" ");
    }
    story
}

fn opening(rng: &mut impl Rng, name: &str, species: &Species) -> String {
    let origin = pick(rng, ORIGINS);
    let kind = species.name;
    let with_article = species.with_article();
    match rng.random_range(0..5) {
        0 => format!("{name} is {with_article} who grew up {origin}."),
        1 => format!("Born {origin}, {name} was never an ordinary {kind}."),
        2 => format!("{name}, {with_article}, spent a restless youth {origin}."),
        3 => format!(
            "Nobody expected much of the young {kind} raised {origin}, but {name} had other plans."
        ),
        _ => format!(
            "Long before anyone had heard of {name}, a young {kind} was growing up {origin}."
        ),
    }
}

fn calling_sentence(rng: &mut impl Rng, first: &str) -> String {
    let occupation = pick(rng, OCCUPATIONS);
    match rng.random_range(0..4) {
        0 => format!("These days {first} works as {occupation}."),
        1 => format!("Now {first} makes a living as {occupation}."),
        2 => format!("{first} grew up to become {occupation}."),
        _ => format!("Today {first} is {occupation}."),
    }
}

fn quirk(rng: &mut impl Rng, first: &str, personality_trait: &str) -> String {
    let quirk = pick(rng, QUIRKS);
    match rng.random_range(0..3) {
        0 => format!("Ever {personality_trait}, {first} {quirk}."),
        1 => format!(
            "{} to the core, {first} {quirk}.",
            capitalised(personality_trait)
        ),
        _ => format!("{first}, as {personality_trait} as ever, {quirk}."),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn pick(rng: &mut impl Rng, table: &'static [&'static str]) -> &'static str {
    table.choose(rng).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::mood::Mood;
    use crate::ai::offline::species;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn stories_are_three_or_four_sentences_naming_the_character() {
        let mut rng = StdRng::seed_from_u64(6);
        for _ in 0..300 {
            let species = species::choose(&Mood::default(), &mut rng);
            let story = compose(&mut rng, "Vesper Quill", species, "Curious");
            let sentences = story.matches(". ").count() + 1;
            assert!((3..=4).contains(&sentences), "{story}");
            assert!(story.chars().count() < MAX_CHARS, "{story}");
            assert!(
                story.starts_with(char::is_uppercase) && story.ends_with('.'),
                "{story}"
            );
            assert!(
                story.contains("Vesper Quill") && story.contains(species.name),
                "{story}"
            );
            assert!(
                story.contains("curious") || story.contains("Curious"),
                "{story}"
            );
            assert!(!story.contains('{'), "{story}");
        }
    }

    #[test]
    fn every_slot_has_enough_variety() {
        for table in [ORIGINS, OCCUPATIONS, EVENTS, QUIRKS] {
            assert!(table.len() >= 8);
        }
    }

    #[test]
    fn an_overlong_name_still_fits() {
        let mut rng = StdRng::seed_from_u64(1);
        let species = species::choose(&Mood::default(), &mut rng);
        let name = "A".repeat(80);
        for _ in 0..50 {
            assert!(compose(&mut rng, &name, species, "Calm").chars().count() <= MAX_CHARS);
        }
    }
}
