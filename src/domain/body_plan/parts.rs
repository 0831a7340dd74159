//! Each plan's parts: head, ears, snout, pupils, covering, extras and marks.

use super::plans::Kind;
use super::{BodyPlan, Covering, Ears, Extra, Family, Head, Mark, Match, Pupils, Snout};

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
        Kind::Corgi => BodyPlan {
            ears: Ears::Huge,
            marks: &[Blaze, Bib],
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
