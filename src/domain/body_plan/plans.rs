//! The plans themselves: which species text names which plan, and each plan's parts.

use super::{BodyPlan, Covering, Ears, Extra, Family, Head, Mark, Match, Pupils, Snout};

/// The specific plans; several species share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) const EXACT: &[(&str, Kind)] = &[
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
pub(super) const KEYWORDS: &[(&str, Kind)] = &[
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

pub(super) fn plan(kind: Kind, matched: Match) -> BodyPlan {
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
