//! Body plans: what a species looks like, as parts, so the drawing (and later the offline
//! generator's placement words) can follow the animal instead of one template recoloured.
//!
//! [`body_plan`] reads free species text ("arctic fox", "Tabby cat", "a big black dragon") and
//! answers with the closest plan: an exact plan for the names the offline generator uses, a plan
//! found by keyword for everything else, and a plain canine for text that names nothing known.

/// The broad kind of animal: decides the silhouette more than any single feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Canine,
    Vulpine,
    Feline,
    Ursine,
    Mustelid,
    Procyonid,
    Lagomorph,
    Rodent,
    Hooved,
    Avian,
    Reptile,
    Dragon,
    Aquatic,
    Hyena,
    Bat,
    Protogen,
    Avali,
    Sergal,
    Wickerbeast,
    Synth,
    DutchAngelDragon,
    Kitsune,
    Manokit,
}

/// What the body is covered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Covering {
    Fur,
    Scales,
    Feathers,
    /// Fur under a visor, panels and LEDs (protogens, synths).
    Plating,
    /// Smooth skin (sharks, orcas).
    Hide,
}

/// The outline of the head seen from the front.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Head {
    /// Cats, mice, rabbits: a soft circle with small cheek tufts.
    Round,
    /// Dogs, wolves, foxes: cheek fluff flaring out, narrowing to the muzzle.
    Wedge,
    /// Bears, hyenas: wide, heavy jaw.
    Broad,
    /// Horses, deer, goats: tall and narrow, the muzzle long below the eyes.
    Long,
    /// Sergals: a long triangle pointing down.
    Blade,
    /// Birds and avali: a round head with feathered cheeks.
    Feathered,
    /// Dragons and kobolds: angular brow and jaw.
    Angular,
    /// Sharks and orcas: head and body one smooth shape, no neck.
    Streamlined,
    /// Protogens and synths: a rounded helmet around a visor.
    Helmet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ears {
    None,
    /// Upright triangles: wolves, foxes.
    Pointed,
    /// Short, wide triangles: cats.
    Cat,
    /// Very large upright ears: fennecs, bats, maned wolves.
    Huge,
    /// Small half circles: bears, otters, raccoons.
    Round,
    /// Large round ears at the sides: mice, rats.
    Disc,
    /// Tall and narrow: rabbits, hares.
    Long,
    /// Hanging down beside the face: retrievers, Dutch angel dragons.
    Floppy,
    /// Pointed with the tips folded over: border collies.
    Folded,
    /// Leaf-shaped, set sideways: deer, horses, goats.
    Leaf,
    /// Feather tufts like ears: owls, gryphons.
    FeatherTufts,
    /// Two pairs of long feathered ears: avali.
    FourFeathered,
    /// Angular armoured panels: protogens, synths.
    Panel,
    /// Webbed frills: dragons, kobolds.
    Fin,
    /// Long ears swept up and out: sergals, wickerbeasts.
    Swept,
}

/// The front of the face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Snout {
    /// Cats, rabbits: small muzzle pads.
    Short,
    /// Dogs, foxes: a clear muzzle with a big nose.
    Medium,
    /// Horses, sergals: long and tapering.
    Long,
    /// Bears, otters: broad and rounded.
    Blunt,
    /// Mice, rats: small and pointed.
    Pointed,
    /// Crows, avali: a straight beak.
    Beak,
    /// Owls, eagles, gryphons: a hooked beak.
    HookedBeak,
    /// Dragons, lizards: a scaled snout with nostrils.
    Reptile,
    /// Sharks, orcas: a rounded snout and a wide mouth.
    Aquatic,
    /// Protogens, synths: the visor covers the face.
    Visor,
}

/// How the pupils are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pupils {
    Round,
    Slit,
    /// No pupils: glowing shapes on a dark display.
    Led,
}

/// Features beyond head, ears and snout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extra {
    /// A big mane around the head: lions.
    Mane,
    /// A mane along the top of the head and neck: horses, sergals.
    Forelock,
    Antlers,
    /// Curved ram or goat horns.
    Horns,
    /// Horns swept back from the brow: dragons.
    DragonHorns,
    /// Small nubs: kobolds, manokits.
    NubHorns,
    /// Long hair tufts on the ear tips: lynxes.
    EarTufts,
    /// Fluffy cheek ruff: lynxes, arctic foxes.
    CheekRuff,
    /// A thick ruff of fur round the neck: wolves, huskies.
    NeckRuff,
    /// Feather crest on the head.
    Crest,
    /// Dorsal fin above the head.
    DorsalFin,
    /// Fins at the sides of the body.
    SideFins,
    /// Spiny frills at the sides of the face.
    Frills,
    Whiskers,
    /// Long whisker-like barbels: eastern dragons.
    Barbels,
    /// Wings behind the shoulders.
    Wings,
    /// A round face disc: owls.
    FacialDisc,
    /// A goatee beard.
    Beard,
    Antenna,
    Visor,
    /// Fluffy, several tails behind the shoulders.
    Tails,
}

/// The signature markings a species is known for, drawn unless the palette says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Stripes,
    Spots,
    Rosettes,
    Mask,
    EyePatches,
    EarTips,
    Blaze,
    CheekPatches,
    Bib,
    DorsalStripe,
    Freckles,
    Scales,
}

/// How the species text was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Match {
    /// The text names a species exactly.
    Exact,
    /// A word of the text names a species or family ("tabby cat", "black dragon").
    Keyword,
    /// Nothing was recognised: the default plan.
    Default,
}

/// Everything a drawing needs to know about a species' shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyPlan {
    pub family: Family,
    pub covering: Covering,
    pub head: Head,
    pub ears: Ears,
    pub snout: Snout,
    pub pupils: Pupils,
    pub extras: &'static [Extra],
    pub marks: &'static [Mark],
    /// How many tails the species can have (kitsune: up to nine).
    pub tails: u8,
    pub matched: Match,
}

impl BodyPlan {
    pub fn has(&self, extra: Extra) -> bool {
        self.extras.contains(&extra)
    }

    /// The body parts this plan has, in words a palette placement can name.
    pub fn parts(&self) -> Vec<&'static str> {
        let mut parts = vec!["head"];
        parts.push(match self.covering {
            Covering::Fur | Covering::Plating => "fur",
            Covering::Scales => "scales",
            Covering::Feathers => "feathers",
            Covering::Hide => "hide",
        });
        if self.ears != Ears::None {
            parts.extend(["ears", "inner ears"]);
        }
        parts.push(match self.snout {
            Snout::Beak | Snout::HookedBeak => "beak",
            Snout::Reptile | Snout::Aquatic => "snout",
            Snout::Visor => "visor",
            _ => "muzzle",
        });
        for extra in self.extras {
            parts.push(match extra {
                Extra::Mane | Extra::Forelock => "mane",
                Extra::Antlers => "antlers",
                Extra::Horns | Extra::DragonHorns | Extra::NubHorns => "horns",
                Extra::EarTufts => "ear tufts",
                Extra::CheekRuff => "cheeks",
                Extra::NeckRuff => "ruff",
                Extra::Crest => "crest",
                Extra::DorsalFin | Extra::SideFins => "fins",
                Extra::Frills => "frills",
                Extra::Whiskers | Extra::Barbels => "whiskers",
                Extra::Wings => "wings",
                Extra::FacialDisc => "face",
                Extra::Beard => "beard",
                Extra::Antenna => "antenna",
                Extra::Visor => "visor",
                Extra::Tails => "tails",
            });
        }
        parts.push("chest");
        parts.dedup();
        parts
    }
}

/// The plan for any species text; never fails.
pub fn body_plan(species: &str) -> BodyPlan {
    let text = normalise(species);
    if let Some(kind) = EXACT
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, k)| *k)
    {
        return plan(kind, Match::Exact);
    }
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    KEYWORDS
        .iter()
        .find(|(phrase, _)| contains_phrase(&words, phrase))
        .map_or_else(
            || plan(Kind::Wolf, Match::Default),
            |(_, kind)| plan(*kind, Match::Keyword),
        )
}

/// Lower case letters and digits, words split by single spaces.
fn normalise(species: &str) -> String {
    let mapped: String = species
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the words hold the phrase's words in a row, allowing a plural on the last one.
fn contains_phrase(words: &[&str], phrase: &str) -> bool {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    let Some((last, lead)) = wanted.split_last() else {
        return false;
    };
    words.windows(wanted.len()).any(|window| {
        let Some((got_last, got_lead)) = window.split_last() else {
            return false;
        };
        got_lead == lead && plural_of(got_last, last)
    })
}

fn plural_of(word: &str, singular: &str) -> bool {
    word == singular
        || word.strip_suffix('s') == Some(singular)
        || word.strip_suffix("es") == Some(singular)
        || (singular.ends_with('f') && word.strip_suffix("ves") == singular.strip_suffix('f'))
}

/// The specific plans; several species share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Wolf,
    Husky,
    FloppyDog,
    BorderCollie,
    ManedWolf,
    RedFox,
    ArcticFox,
    Fennec,
    HouseCat,
    Lion,
    Tiger,
    Lynx,
    SnowLeopard,
    Leopard,
    Panther,
    Bear,
    Panda,
    Otter,
    Skunk,
    Ferret,
    Raccoon,
    RedPanda,
    Rabbit,
    Mouse,
    Deer,
    Horse,
    Goat,
    Raven,
    SnowyOwl,
    BarnOwl,
    Eagle,
    Gryphon,
    WesternDragon,
    EasternDragon,
    Kobold,
    Lizard,
    Shark,
    Orca,
    Hyena,
    FruitBat,
    Protogen,
    Avali,
    Sergal,
    Wickerbeast,
    Synth,
    DutchAngelDragon,
    Kitsune,
    Manokit,
}

/// The offline generator's species names (and a few more), each with its own plan.
const EXACT: &[(&str, Kind)] = &[
    ("protogen", Kind::Protogen),
    ("synth", Kind::Synth),
    ("sergal", Kind::Sergal),
    ("avali", Kind::Avali),
    ("wickerbeast", Kind::Wickerbeast),
    ("dutch angel dragon", Kind::DutchAngelDragon),
    ("kitsune", Kind::Kitsune),
    ("manokit", Kind::Manokit),
    ("kobold", Kind::Kobold),
    ("red fox", Kind::RedFox),
    ("arctic fox", Kind::ArcticFox),
    ("fennec fox", Kind::Fennec),
    ("grey wolf", Kind::Wolf),
    ("timber wolf", Kind::Wolf),
    ("husky", Kind::Husky),
    ("maned wolf", Kind::ManedWolf),
    ("border collie", Kind::BorderCollie),
    ("lynx", Kind::Lynx),
    ("snow leopard", Kind::SnowLeopard),
    ("house cat", Kind::HouseCat),
    ("tiger", Kind::Tiger),
    ("black panther", Kind::Panther),
    ("western dragon", Kind::WesternDragon),
    ("eastern dragon", Kind::EasternDragon),
    ("raven", Kind::Raven),
    ("snowy owl", Kind::SnowyOwl),
    ("barn owl", Kind::BarnOwl),
    ("gryphon", Kind::Gryphon),
    ("river otter", Kind::Otter),
    ("spotted hyena", Kind::Hyena),
    ("rabbit", Kind::Rabbit),
    ("deer", Kind::Deer),
    ("red panda", Kind::RedPanda),
    ("raccoon", Kind::Raccoon),
    ("skunk", Kind::Skunk),
    ("fruit bat", Kind::FruitBat),
    ("shark", Kind::Shark),
    ("orca", Kind::Orca),
];

/// Checked in order: longer and more specific phrases first ("red panda" before "panda",
/// "dutch angel" before "dragon", "fox" before "dog").
const KEYWORDS: &[(&str, Kind)] = &[
    ("protogen", Kind::Protogen),
    ("primagen", Kind::Protogen),
    ("synth", Kind::Synth),
    ("robot", Kind::Synth),
    ("android", Kind::Synth),
    ("sergal", Kind::Sergal),
    ("avali", Kind::Avali),
    ("wickerbeast", Kind::Wickerbeast),
    ("dutch angel", Kind::DutchAngelDragon),
    ("dutchie", Kind::DutchAngelDragon),
    ("kitsune", Kind::Kitsune),
    ("nine tailed", Kind::Kitsune),
    ("manokit", Kind::Manokit),
    ("kobold", Kind::Kobold),
    ("red panda", Kind::RedPanda),
    ("lesser panda", Kind::RedPanda),
    ("maned wolf", Kind::ManedWolf),
    ("snow leopard", Kind::SnowLeopard),
    ("clouded leopard", Kind::Leopard),
    ("black panther", Kind::Panther),
    ("fruit bat", Kind::FruitBat),
    ("flying fox", Kind::FruitBat),
    ("arctic fox", Kind::ArcticFox),
    ("snow fox", Kind::ArcticFox),
    ("fennec", Kind::Fennec),
    ("border collie", Kind::BorderCollie),
    ("snowy owl", Kind::SnowyOwl),
    ("barn owl", Kind::BarnOwl),
    ("eastern dragon", Kind::EasternDragon),
    ("chinese dragon", Kind::EasternDragon),
    ("lung", Kind::EasternDragon),
    ("wyrm", Kind::EasternDragon),
    ("sea serpent", Kind::EasternDragon),
    ("dragon", Kind::WesternDragon),
    ("drake", Kind::WesternDragon),
    ("wyvern", Kind::WesternDragon),
    ("griffin", Kind::Gryphon),
    ("gryphon", Kind::Gryphon),
    ("griffon", Kind::Gryphon),
    ("hippogriff", Kind::Gryphon),
    ("killer whale", Kind::Orca),
    ("orca", Kind::Orca),
    ("dolphin", Kind::Orca),
    ("porpoise", Kind::Orca),
    ("whale", Kind::Orca),
    ("shark", Kind::Shark),
    ("fish", Kind::Shark),
    ("hyena", Kind::Hyena),
    ("hyaena", Kind::Hyena),
    ("aardwolf", Kind::Hyena),
    ("fox", Kind::RedFox),
    ("vixen", Kind::RedFox),
    ("husky", Kind::Husky),
    ("malamute", Kind::Husky),
    ("samoyed", Kind::Husky),
    ("akita", Kind::Husky),
    ("shiba", Kind::Husky),
    ("collie", Kind::BorderCollie),
    ("sheepdog", Kind::BorderCollie),
    ("australian shepherd", Kind::BorderCollie),
    ("retriever", Kind::FloppyDog),
    ("labrador", Kind::FloppyDog),
    ("beagle", Kind::FloppyDog),
    ("spaniel", Kind::FloppyDog),
    ("hound", Kind::FloppyDog),
    ("dalmatian", Kind::FloppyDog),
    ("poodle", Kind::FloppyDog),
    ("puppy", Kind::FloppyDog),
    ("wolf", Kind::Wolf),
    ("werewolf", Kind::Wolf),
    ("coyote", Kind::Wolf),
    ("jackal", Kind::Wolf),
    ("dingo", Kind::Wolf),
    ("shepherd", Kind::Wolf),
    ("dog", Kind::Wolf),
    ("canine", Kind::Wolf),
    ("lion", Kind::Lion),
    ("lioness", Kind::Lion),
    ("tiger", Kind::Tiger),
    ("lynx", Kind::Lynx),
    ("bobcat", Kind::Lynx),
    ("caracal", Kind::Lynx),
    ("leopard", Kind::Leopard),
    ("cheetah", Kind::Leopard),
    ("jaguar", Kind::Leopard),
    ("ocelot", Kind::Leopard),
    ("serval", Kind::Leopard),
    ("panther", Kind::Panther),
    ("puma", Kind::HouseCat),
    ("cougar", Kind::HouseCat),
    ("cat", Kind::HouseCat),
    ("kitten", Kind::HouseCat),
    ("tabby", Kind::HouseCat),
    ("feline", Kind::HouseCat),
    ("panda", Kind::Panda),
    ("bear", Kind::Bear),
    ("grizzly", Kind::Bear),
    ("otter", Kind::Otter),
    ("skunk", Kind::Skunk),
    ("ferret", Kind::Ferret),
    ("weasel", Kind::Ferret),
    ("stoat", Kind::Ferret),
    ("ermine", Kind::Ferret),
    ("mink", Kind::Ferret),
    ("marten", Kind::Ferret),
    ("badger", Kind::Ferret),
    ("wolverine", Kind::Ferret),
    ("raccoon", Kind::Raccoon),
    ("racoon", Kind::Raccoon),
    ("coati", Kind::Raccoon),
    ("rabbit", Kind::Rabbit),
    ("bunny", Kind::Rabbit),
    ("hare", Kind::Rabbit),
    ("jackalope", Kind::Rabbit),
    ("mouse", Kind::Mouse),
    ("mice", Kind::Mouse),
    ("rat", Kind::Mouse),
    ("hamster", Kind::Mouse),
    ("gerbil", Kind::Mouse),
    ("squirrel", Kind::Mouse),
    ("chinchilla", Kind::Mouse),
    ("rodent", Kind::Mouse),
    ("deer", Kind::Deer),
    ("stag", Kind::Deer),
    ("reindeer", Kind::Deer),
    ("caribou", Kind::Deer),
    ("elk", Kind::Deer),
    ("moose", Kind::Deer),
    ("fawn", Kind::Deer),
    ("horse", Kind::Horse),
    ("pony", Kind::Horse),
    ("unicorn", Kind::Horse),
    ("zebra", Kind::Horse),
    ("donkey", Kind::Horse),
    ("pegasus", Kind::Horse),
    ("goat", Kind::Goat),
    ("ram", Kind::Goat),
    ("sheep", Kind::Goat),
    ("ibex", Kind::Goat),
    ("bull", Kind::Goat),
    ("cow", Kind::Goat),
    ("bison", Kind::Goat),
    ("satyr", Kind::Goat),
    ("raven", Kind::Raven),
    ("crow", Kind::Raven),
    ("magpie", Kind::Raven),
    ("corvid", Kind::Raven),
    ("owl", Kind::SnowyOwl),
    ("eagle", Kind::Eagle),
    ("hawk", Kind::Eagle),
    ("falcon", Kind::Eagle),
    ("kestrel", Kind::Eagle),
    ("harpy", Kind::Eagle),
    ("phoenix", Kind::Eagle),
    ("bird", Kind::Raven),
    ("parrot", Kind::Raven),
    ("songbird", Kind::Raven),
    ("lizard", Kind::Lizard),
    ("gecko", Kind::Lizard),
    ("iguana", Kind::Lizard),
    ("crocodile", Kind::Lizard),
    ("alligator", Kind::Lizard),
    ("snake", Kind::Lizard),
    ("naga", Kind::Lizard),
    ("reptile", Kind::Lizard),
    ("dinosaur", Kind::Lizard),
    ("raptor", Kind::Lizard),
    ("bat", Kind::FruitBat),
    ("vampire", Kind::FruitBat),
];

fn plan(kind: Kind, matched: Match) -> BodyPlan {
    use Extra::*;
    use Mark::*;
    let base = |family, covering, head, ears, snout, pupils| BodyPlan {
        family,
        covering,
        head,
        ears,
        snout,
        pupils,
        extras: &[],
        marks: &[],
        tails: 1,
        matched,
    };
    let canine = base(
        Family::Canine,
        Covering::Fur,
        Head::Wedge,
        Ears::Pointed,
        Snout::Medium,
        Pupils::Round,
    );
    let vulpine = BodyPlan {
        family: Family::Vulpine,
        ..canine.clone()
    };
    let feline = base(
        Family::Feline,
        Covering::Fur,
        Head::Round,
        Ears::Cat,
        Snout::Short,
        Pupils::Slit,
    );
    let hooved = base(
        Family::Hooved,
        Covering::Fur,
        Head::Long,
        Ears::Leaf,
        Snout::Long,
        Pupils::Round,
    );
    let avian = base(
        Family::Avian,
        Covering::Feathers,
        Head::Feathered,
        Ears::None,
        Snout::Beak,
        Pupils::Round,
    );
    let dragon = base(
        Family::Dragon,
        Covering::Scales,
        Head::Angular,
        Ears::Fin,
        Snout::Reptile,
        Pupils::Slit,
    );
    let aquatic = base(
        Family::Aquatic,
        Covering::Hide,
        Head::Streamlined,
        Ears::None,
        Snout::Aquatic,
        Pupils::Round,
    );
    let robot = |family| BodyPlan {
        extras: &[Visor],
        ..base(
            family,
            Covering::Plating,
            Head::Helmet,
            Ears::Panel,
            Snout::Visor,
            Pupils::Led,
        )
    };
    match kind {
        Kind::Wolf => BodyPlan {
            extras: &[NeckRuff, CheekRuff],
            marks: &[Mask, Bib],
            ..canine
        },
        Kind::Husky => BodyPlan {
            extras: &[NeckRuff],
            marks: &[Mask, Blaze, Bib],
            ..canine
        },
        Kind::FloppyDog => BodyPlan {
            ears: Ears::Floppy,
            marks: &[Bib],
            ..canine
        },
        Kind::BorderCollie => BodyPlan {
            ears: Ears::Folded,
            marks: &[Blaze, Bib],
            extras: &[NeckRuff],
            ..canine
        },
        Kind::ManedWolf => BodyPlan {
            ears: Ears::Huge,
            extras: &[Forelock],
            marks: &[Mask, Bib],
            ..canine
        },
        Kind::RedFox => BodyPlan {
            extras: &[CheekRuff],
            marks: &[EarTips, Bib, CheekPatches],
            ..vulpine
        },
        Kind::ArcticFox => BodyPlan {
            ears: Ears::Round,
            extras: &[CheekRuff, NeckRuff],
            marks: &[Bib],
            ..vulpine
        },
        Kind::Fennec => BodyPlan {
            ears: Ears::Huge,
            extras: &[CheekRuff],
            marks: &[Bib],
            ..vulpine
        },
        Kind::Kitsune => BodyPlan {
            family: Family::Kitsune,
            extras: &[CheekRuff, Tails],
            marks: &[EarTips, Blaze, Bib],
            tails: 9,
            ..vulpine
        },
        Kind::HouseCat => BodyPlan {
            extras: &[Whiskers],
            marks: &[Stripes, Bib],
            ..feline
        },
        Kind::Lion => BodyPlan {
            ears: Ears::Round,
            snout: Snout::Blunt,
            extras: &[Mane, Whiskers],
            marks: &[Bib],
            ..feline
        },
        Kind::Tiger => BodyPlan {
            extras: &[CheekRuff, Whiskers],
            marks: &[Stripes, Bib],
            ..feline
        },
        Kind::Lynx => BodyPlan {
            extras: &[EarTufts, CheekRuff, Whiskers],
            marks: &[Spots, Bib],
            ..feline
        },
        Kind::SnowLeopard => BodyPlan {
            ears: Ears::Round,
            extras: &[Whiskers],
            marks: &[Rosettes, Bib],
            ..feline
        },
        Kind::Leopard => BodyPlan {
            extras: &[Whiskers],
            marks: &[Rosettes, Bib],
            ..feline
        },
        Kind::Panther => BodyPlan {
            extras: &[Whiskers],
            ..feline
        },
        Kind::Manokit => BodyPlan {
            family: Family::Manokit,
            ears: Ears::Huge,
            pupils: Pupils::Round,
            extras: &[EarTufts, NubHorns, CheekRuff],
            marks: &[CheekPatches, Bib],
            ..feline
        },
        Kind::Bear => BodyPlan {
            marks: &[Bib],
            ..base(
                Family::Ursine,
                Covering::Fur,
                Head::Broad,
                Ears::Round,
                Snout::Blunt,
                Pupils::Round,
            )
        },
        Kind::Panda => BodyPlan {
            marks: &[EyePatches],
            ..base(
                Family::Ursine,
                Covering::Fur,
                Head::Broad,
                Ears::Round,
                Snout::Blunt,
                Pupils::Round,
            )
        },
        Kind::Otter => BodyPlan {
            extras: &[Whiskers],
            marks: &[Bib],
            ..base(
                Family::Mustelid,
                Covering::Fur,
                Head::Round,
                Ears::Round,
                Snout::Blunt,
                Pupils::Round,
            )
        },
        Kind::Skunk => BodyPlan {
            marks: &[DorsalStripe, Blaze],
            ..base(
                Family::Mustelid,
                Covering::Fur,
                Head::Round,
                Ears::Round,
                Snout::Pointed,
                Pupils::Round,
            )
        },
        Kind::Ferret => BodyPlan {
            extras: &[Whiskers],
            marks: &[Mask, Bib],
            ..base(
                Family::Mustelid,
                Covering::Fur,
                Head::Round,
                Ears::Round,
                Snout::Pointed,
                Pupils::Round,
            )
        },
        Kind::Raccoon => BodyPlan {
            extras: &[CheekRuff, Whiskers],
            marks: &[Mask, EarTips],
            ..base(
                Family::Procyonid,
                Covering::Fur,
                Head::Wedge,
                Ears::Round,
                Snout::Pointed,
                Pupils::Round,
            )
        },
        Kind::RedPanda => BodyPlan {
            extras: &[CheekRuff, Whiskers],
            marks: &[CheekPatches, Blaze, EarTips],
            ..base(
                Family::Procyonid,
                Covering::Fur,
                Head::Round,
                Ears::Cat,
                Snout::Short,
                Pupils::Round,
            )
        },
        Kind::Rabbit => BodyPlan {
            extras: &[Whiskers],
            marks: &[Bib],
            ..base(
                Family::Lagomorph,
                Covering::Fur,
                Head::Round,
                Ears::Long,
                Snout::Short,
                Pupils::Round,
            )
        },
        Kind::Mouse => BodyPlan {
            extras: &[Whiskers],
            marks: &[Bib],
            ..base(
                Family::Rodent,
                Covering::Fur,
                Head::Round,
                Ears::Disc,
                Snout::Pointed,
                Pupils::Round,
            )
        },
        Kind::Deer => BodyPlan {
            extras: &[Antlers],
            marks: &[Freckles, Bib],
            ..hooved
        },
        Kind::Horse => BodyPlan {
            extras: &[Forelock],
            marks: &[Blaze],
            ..hooved
        },
        Kind::Goat => BodyPlan {
            extras: &[Horns, Beard],
            marks: &[Bib],
            ..hooved
        },
        Kind::Raven => BodyPlan {
            marks: &[],
            ..avian
        },
        Kind::SnowyOwl => BodyPlan {
            snout: Snout::HookedBeak,
            extras: &[FacialDisc],
            marks: &[Spots],
            ..avian
        },
        Kind::BarnOwl => BodyPlan {
            snout: Snout::HookedBeak,
            extras: &[FacialDisc],
            marks: &[Freckles],
            ..avian
        },
        Kind::Eagle => BodyPlan {
            snout: Snout::HookedBeak,
            extras: &[Crest],
            marks: &[Bib],
            ..avian
        },
        Kind::Gryphon => BodyPlan {
            snout: Snout::HookedBeak,
            ears: Ears::FeatherTufts,
            extras: &[Crest, Wings],
            marks: &[Bib],
            ..avian
        },
        Kind::WesternDragon => BodyPlan {
            extras: &[DragonHorns, Wings, Frills],
            marks: &[Scales, Bib],
            ..dragon
        },
        Kind::EasternDragon => BodyPlan {
            ears: Ears::Fin,
            extras: &[Antlers, Barbels, Mane],
            marks: &[Scales, Bib],
            ..dragon
        },
        Kind::Kobold => BodyPlan {
            family: Family::Reptile,
            ears: Ears::Fin,
            extras: &[NubHorns, Frills],
            marks: &[Scales, Bib],
            ..dragon
        },
        Kind::Lizard => BodyPlan {
            family: Family::Reptile,
            ears: Ears::None,
            extras: &[Frills],
            marks: &[Spots, Bib],
            ..dragon
        },
        Kind::Shark => BodyPlan {
            extras: &[DorsalFin, SideFins],
            marks: &[Bib],
            ..aquatic
        },
        Kind::Orca => BodyPlan {
            extras: &[DorsalFin, SideFins],
            marks: &[EyePatches, Bib],
            ..aquatic
        },
        Kind::Hyena => BodyPlan {
            extras: &[Forelock],
            marks: &[Spots],
            ..base(
                Family::Hyena,
                Covering::Fur,
                Head::Broad,
                Ears::Round,
                Snout::Medium,
                Pupils::Round,
            )
        },
        Kind::FruitBat => BodyPlan {
            extras: &[Wings, NeckRuff],
            marks: &[Bib],
            ..base(
                Family::Bat,
                Covering::Fur,
                Head::Round,
                Ears::Huge,
                Snout::Medium,
                Pupils::Round,
            )
        },
        Kind::Protogen => robot(Family::Protogen),
        Kind::Synth => BodyPlan {
            extras: &[Visor, Antenna],
            ears: Ears::Pointed,
            ..robot(Family::Synth)
        },
        Kind::Avali => BodyPlan {
            marks: &[Bib],
            ..base(
                Family::Avali,
                Covering::Feathers,
                Head::Feathered,
                Ears::FourFeathered,
                Snout::Beak,
                Pupils::Round,
            )
        },
        Kind::Sergal => BodyPlan {
            extras: &[Forelock],
            marks: &[Bib],
            ..base(
                Family::Sergal,
                Covering::Fur,
                Head::Blade,
                Ears::Swept,
                Snout::Long,
                Pupils::Round,
            )
        },
        Kind::Wickerbeast => BodyPlan {
            extras: &[Horns, NeckRuff, CheekRuff],
            marks: &[Bib],
            ..base(
                Family::Wickerbeast,
                Covering::Fur,
                Head::Wedge,
                Ears::Swept,
                Snout::Long,
                Pupils::Round,
            )
        },
        Kind::DutchAngelDragon => BodyPlan {
            extras: &[Wings, NeckRuff],
            marks: &[Blaze, Bib],
            ..base(
                Family::DutchAngelDragon,
                Covering::Fur,
                Head::Round,
                Ears::Floppy,
                Snout::Long,
                Pupils::Round,
            )
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offline_species_has_an_exact_plan() {
        for name in crate::ai::offline::species::names() {
            assert_eq!(body_plan(name).matched, Match::Exact, "{name}");
        }
    }

    #[test]
    fn unknown_text_falls_back_by_keyword_to_its_family() {
        let cases = [
            ("arctic wolf", Family::Canine),
            ("Tabby Cat", Family::Feline),
            ("snow leopard", Family::Feline),
            ("German Shepherd", Family::Canine),
            ("golden retriever", Family::Canine),
            ("dire wolf", Family::Canine),
            ("black dragon", Family::Dragon),
            ("crow", Family::Avian),
            ("red-tailed hawk", Family::Avian),
            ("ferret", Family::Mustelid),
            ("hamster", Family::Rodent),
            ("fox-dog hybrid", Family::Vulpine),
            ("great white shark", Family::Aquatic),
            ("two wolves", Family::Canine),
        ];
        for (text, family) in cases {
            let plan = body_plan(text);
            assert_eq!(plan.family, family, "{text}");
            assert_ne!(plan.matched, Match::Default, "{text}");
        }
    }

    #[test]
    fn nonsense_gets_the_default_plan_not_nothing() {
        let plan = body_plan("glorp");
        assert_eq!(plan.matched, Match::Default);
        assert_eq!(plan.family, Family::Canine);
        assert!(plan.parts().contains(&"ears"));
        assert_eq!(body_plan("").matched, Match::Default);
    }

    #[test]
    fn words_match_whole_words_only() {
        assert_ne!(body_plan("catfish person").family, Family::Feline);
        assert_eq!(body_plan("bobcat").family, Family::Feline);
        assert_eq!(body_plan("red panda").family, Family::Procyonid);
        assert_eq!(body_plan("giant panda").family, Family::Ursine);
    }

    #[test]
    fn plans_say_which_parts_they_have() {
        let lion = body_plan("lion");
        assert!(lion.has(Extra::Mane) && lion.parts().contains(&"mane"));
        let shark = body_plan("shark");
        assert!(!shark.parts().contains(&"ears") && shark.parts().contains(&"fins"));
        assert!(body_plan("deer").parts().contains(&"antlers"));
        assert!(body_plan("raven").parts().contains(&"beak"));
        assert!(body_plan("protogen").parts().contains(&"visor"));
        assert_eq!(body_plan("kitsune").tails, 9);
    }

    #[test]
    fn felines_and_dragons_have_slit_pupils_and_robots_leds() {
        assert_eq!(body_plan("tiger").pupils, Pupils::Slit);
        assert_eq!(body_plan("western dragon").pupils, Pupils::Slit);
        assert_eq!(body_plan("protogen").pupils, Pupils::Led);
        assert_eq!(body_plan("synth").pupils, Pupils::Led);
        assert_eq!(body_plan("grey wolf").pupils, Pupils::Round);
    }
}
