//! A short backstory: where they grew up, what they do now, what changed everything, how they
//! look to others and one quirk that shows a trait. Three to five sentences, under 600
//! characters, tied to the species and the palette.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::names::first_name;
use super::species::Chosen;

/// Long enough for five sentences, short enough to read at a glance.
const MAX_CHARS: usize = 600;

/// What the story can say about how the fursona looks: "copper" and "coat", "ears".
pub(super) struct Looks<'a> {
    pub colour: &'a str,
    pub covering: &'a str,
    /// A part worth a mention, other than the covering.
    pub feature: &'a str,
}

/// Who the story is about.
pub(super) struct Hero<'a> {
    pub name: &'a str,
    pub species: &'a Chosen,
    pub personality_trait: &'a str,
    pub looks: Looks<'a>,
}

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
    "above a bakery in a village that smelled of cinnamon all year",
    "in a travelling circus that wintered by the sea",
    "on a windswept island with more sheep than people",
    "in a clockmaker's workshop full of ticking",
    "at a railway junction where the night trains never stopped",
    "in a tree-top village linked by rope bridges",
    "on the top floor of a crumbling city tower",
    "in a coastal cave full of glowing moss",
    "beside a hot spring high in the mountains",
    "in a border town where three languages met",
    "on a farm at the end of a very long road",
    "in a theatre that staged a different play every night",
    "deep in a rainforest that was never quite quiet",
    "in a frozen harbour where the ships slept all winter",
    "on a riverboat carrying music up and down the valley",
    "in the gardens of a ruined palace",
    "in a mining town lit by lanterns",
    "at an inn where every traveller left a story",
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
    "a lantern-lighter on the old harbour wall",
    "a beekeeper with strong opinions about honey",
    "a street musician who knows a song for every mood",
    "a cartographer of caves",
    "a museum night guard who talks to the exhibits",
    "a botanist hunting for a flower nobody believes in",
    "a ferry pilot on a river full of fog",
    "a tailor who sews secret pockets into everything",
    "a weather watcher for a tiny island station",
    "a glassblower with a shop full of tiny glass animals",
    "a librarian who can find any book in under a minute",
    "a chef at a noodle stall that never closes",
    "a park ranger who knows every trail by scent",
    "a puppeteer touring the market towns",
    "an inventor of gadgets nobody asked for",
    "a lighthouse keeper on a rock far from shore",
    "a bookbinder who restores very old, very strange books",
    "a postal pilot flying letters over the mountains",
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
    "A map found inside a second-hand coat sent {first} on a journey that has not ended yet.",
    "The day a storm blew the roof off the old school, {first} decided to become the one who fixes things.",
    "{first} once spent a whole night talking a frightened kite-maker down from a bell tower.",
    "A letter from a stranger who knew far too much about {first} arrived one spring, and the questions never stopped.",
    "When the town's only bridge washed away, {first} ran the ferry for a month without sleeping much.",
    "An old friend's unfinished song, left behind in a drawer, is something {first} has sworn to complete.",
    "{first} still carries the ticket stub from the train that went somewhere it was never meant to go.",
    "A long winter snowed in with a retired adventurer gave {first} a head full of dangerous ideas.",
    "The summer {first} rescued a lost fox cub, the whole valley started asking for help with everything.",
    "One wrong turn through a fairground hall of mirrors left {first} with a new best friend.",
    "{first} won a dusty key in a card game and has been looking for its lock ever since.",
    "A festival fire that {first} helped put out made a quiet name for them in three towns.",
    "When the lighthouse lamp failed one stormy night, {first} climbed the tower with a lantern and kept the ships safe.",
    "A borrowed telescope showed {first} a comet nobody else had noticed, and the name stuck.",
    "{first} once delivered a message across a flooded valley by boat, kite and finally on foot.",
    "An argument with a very stubborn goose taught {first} more about patience than any teacher.",
    "The night the power went out across the city, {first} organised a candlelit concert on the rooftops.",
    "Finding an abandoned robot in a junkyard gave {first} a project, a friend and a mystery.",
    "A summer spent crewing a leaky fishing boat taught {first} to laugh at bad weather.",
    "{first} once won a baking contest with a cake that was meant to be a joke.",
    "An unsigned painting bought at a flea market turned out to show {first}'s own front door.",
    "The winter the mill burned down, {first} learned how much a whole town can rebuild together.",
    "Getting hopelessly lost in a snowstorm led {first} to a cabin and a lifelong friend.",
    "A radio message picked up late one night has kept {first} listening ever since.",
    "{first} once walked the length of the old coast road just to return a borrowed book.",
    "A stray kite tangled in a tree brought {first} and a grumpy neighbour together for good.",
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
    "sorts snacks by colour before eating them",
    "whistles at kettles as if they might answer",
    "keeps a jar of buttons from coats long gone",
    "cannot resist a puzzle left on a café table",
    "taps out rhythms on every surface in reach",
    "falls asleep in the strangest places",
    "saves the last bite of everything for later",
    "always knows which way is north",
    "befriends every dog in a three-street radius",
    "rearranges other people's bookshelves when nobody is looking",
    "counts stairs without meaning to",
    "keeps a pressed flower from every spring",
    "sings to houseplants in a surprisingly good baritone",
    "can never quite remember where the keys went",
    "leaves tiny doodles on every receipt",
    "collects postcards from places yet to be visited",
];

/// Sentences about how the fursona looks: `{c}` the main colour, `{v}` the covering, `{f}` a
/// feature, `{first}` the first name.
const LOOKS: &[&str] = &[
    "Strangers tend to remember {first}'s {c} {v} before anything else.",
    "{first} is quietly proud of that {c} {v}, whatever the weather does to it.",
    "In any crowd, that {c} {v} gives {first} away.",
    "Friends say you can read {first}'s mood from the {f} alone.",
    "{first} spends far too long every morning making the {c} {v} look effortless.",
    "The {f} are the first thing children point at, and {first} secretly loves it.",
    "Nobody forgets {first}'s {c} {v}, least of all the photographers.",
    "Out in the rain, that {c} {v} goes dark and {first} goes grumpy.",
];

pub(super) fn compose(rng: &mut impl Rng, hero: &Hero<'_>) -> String {
    let first = first_name(hero.name);
    let mut sentences = vec![opening(rng, hero)];
    // A varied selection of the middle sentences, so stories differ in shape as well as content.
    if rng.random_bool(0.75) {
        sentences.push(calling_sentence(rng, first));
    }
    if rng.random_bool(0.45) {
        sentences.push(pick(rng, EVENTS).replace("{first}", first));
    }
    if rng.random_bool(0.5) {
        sentences.push(looks_sentence(rng, first, &hero.looks));
    }
    sentences.push(quirk(rng, first, &hero.personality_trait.to_lowercase()));
    let mut story = sentences.join(" ");
    // Only very long names could overflow; the middle sentences are the ones to give up.
    while story.chars().count() > MAX_CHARS && sentences.len() > 2 {
        sentences.remove(1);
        story = sentences.join(" ");
    }
    story
}

fn opening(rng: &mut impl Rng, hero: &Hero<'_>) -> String {
    let origin = pick(rng, ORIGINS);
    let name = hero.name;
    let kind = &hero.species.name;
    let with_article = hero.species.with_article();
    let colour = hero.looks.colour;
    match rng.random_range(0..7) {
        0 => format!("{name} is {with_article} who grew up {origin}."),
        1 => format!("Born {origin}, {name} was never an ordinary {kind}."),
        2 => format!("{name}, {with_article}, spent a restless youth {origin}."),
        3 => format!(
            "Nobody expected much of the young {kind} raised {origin}, but {name} had other plans."
        ),
        4 => format!(
            "Long before anyone had heard of {name}, a young {kind} was growing up {origin}."
        ),
        5 => format!(
            "{name} is {} {colour} {kind} from {}.",
            super::placement::article(colour),
            from(origin)
        ),
        _ => format!("The {kind} everyone calls {name} was raised {origin}."),
    }
}

/// "in a lighthouse on ..." as "a lighthouse on ...": an origin after "from".
fn from(origin: &str) -> &str {
    [
        "deep in ", "in ", "on ", "at ", "among ", "aboard ", "above ", "beside ",
    ]
    .iter()
    .find_map(|lead| origin.strip_prefix(lead))
    .unwrap_or(origin)
}

fn calling_sentence(rng: &mut impl Rng, first: &str) -> String {
    let occupation = pick(rng, OCCUPATIONS);
    match rng.random_range(0..4) {
        0 => format!("These days {first} works as {occupation}."),
        1 => format!("Now {first} makes a living as {occupation}."),
        2 => format!("{first} ended up as {occupation}."),
        _ => format!("Today {first} is {occupation}."),
    }
}

fn looks_sentence(rng: &mut impl Rng, first: &str, looks: &Looks<'_>) -> String {
    // "The {f} are ..." needs a plural feature; other sentences fit any.
    let fitting: Vec<&str> = LOOKS
        .iter()
        .copied()
        .filter(|s| !s.contains("{f} are") || looks.feature.ends_with('s'))
        .collect();
    fitting
        .choose(rng)
        .copied()
        .unwrap_or(LOOKS[0])
        .replace("{first}", first)
        .replace("{c}", looks.colour)
        .replace("{v}", looks.covering)
        .replace("{f}", looks.feature)
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
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn hero<'a>(name: &'a str, species: &'a Chosen) -> Hero<'a> {
        Hero {
            name,
            species,
            personality_trait: "Curious",
            looks: Looks {
                colour: "copper",
                covering: "coat",
                feature: "ears",
            },
        }
    }

    #[test]
    fn stories_name_the_character_and_the_species() {
        let mut rng = StdRng::seed_from_u64(6);
        let species = Chosen::kept("red fox");
        for _ in 0..300 {
            let story = compose(&mut rng, &hero("Vesper Quill", &species));
            let sentences = story.matches(". ").count() + 1;
            assert!((2..=5).contains(&sentences), "{story}");
            assert!(story.chars().count() < MAX_CHARS, "{story}");
            assert!(story.starts_with(char::is_uppercase) && story.ends_with('.'));
            assert!(
                story.contains("Vesper Quill") && story.contains("red fox"),
                "{story}"
            );
            assert!(story.to_lowercase().contains("curious"), "{story}");
            assert!(story.matches("grew up").count() <= 1, "{story}");
            assert!(!story.contains('{') && !story.contains("  "), "{story}");
        }
    }

    #[test]
    fn origins_read_after_from() {
        assert_eq!(
            from("in a lighthouse on a coast"),
            "a lighthouse on a coast"
        );
        assert_eq!(
            from("in the back room of a market"),
            "the back room of a market"
        );
        assert_eq!(from("aboard a cargo airship"), "a cargo airship");
        assert_eq!(from("among the reed beds"), "the reed beds");
    }

    #[test]
    fn every_slot_has_enough_variety() {
        for table in [ORIGINS, OCCUPATIONS, EVENTS, QUIRKS] {
            assert!(table.len() >= 25);
        }
    }

    #[test]
    fn an_overlong_name_still_fits() {
        let mut rng = StdRng::seed_from_u64(1);
        let species = Chosen::kept("Dutch angel dragon");
        let name = "A".repeat(80);
        for _ in 0..50 {
            assert!(compose(&mut rng, &hero(&name, &species)).chars().count() <= MAX_CHARS);
        }
    }
}
