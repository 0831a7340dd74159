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

mod parts;
mod plans;

use parts::plan;
use plans::{EXACT, KEYWORDS, Kind};

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

    /// The body parts this plan has, in the words a palette placement or a marking uses: the
    /// covering first ("coat", "scales", "plumage", "hide", "plating"), then the parts every
    /// body of the plan has, then its ears, snout, feet and extras. A generator that places
    /// colours only on these never puts gill slits on a cat or a mane on a tiger.
    pub fn parts(&self) -> Vec<&'static str> {
        let mut parts = vec![match self.covering {
            Covering::Fur => "coat",
            Covering::Scales => "scales",
            Covering::Feathers => "plumage",
            Covering::Plating => "plating",
            Covering::Hide => "hide",
        }];
        if self.covering == Covering::Plating {
            // Protogens and synths are furred under their panels.
            parts.push("fur");
        }
        parts.extend(["back", "belly", "chest", "head", "flanks"]);
        let finned = self.family == Family::Aquatic;
        parts.push(if self.has(Extra::Tails) {
            "tails"
        } else {
            "tail"
        });
        if matches!(
            self.covering,
            Covering::Fur | Covering::Scales | Covering::Plating
        ) {
            parts.push("tail tip");
        }
        if !finned {
            parts.push("legs");
        }
        if let Some(feet) = self.feet() {
            parts.push(feet);
        }
        match self.ears {
            Ears::None => {}
            Ears::FeatherTufts | Ears::FourFeathered | Ears::Fin => parts.push("ears"),
            _ => parts.extend(["ears", "ear tips", "inner ears"]),
        }
        parts.push(match self.snout {
            Snout::Beak | Snout::HookedBeak => "beak",
            Snout::Reptile | Snout::Aquatic => "snout",
            Snout::Visor => "visor",
            _ => "muzzle",
        });
        if matches!(
            self.snout,
            Snout::Short | Snout::Medium | Snout::Long | Snout::Blunt | Snout::Pointed
        ) {
            parts.push("nose");
        }
        if self.family == Family::Avian {
            // Every bird has wings, drawn or not.
            parts.push("wings");
        }
        for extra in self.extras {
            parts.push(match extra {
                Extra::Mane | Extra::Forelock => "mane",
                Extra::Antlers => "antlers",
                Extra::Horns | Extra::DragonHorns | Extra::NubHorns => "horns",
                Extra::EarTufts => "ear tufts",
                Extra::CheekRuff => "cheeks",
                Extra::NeckRuff => "ruff",
                Extra::Crest => "crest",
                Extra::DorsalFin => "dorsal fin",
                Extra::SideFins => "side fins",
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
        let mut seen = Vec::with_capacity(parts.len());
        parts.retain(|part| {
            let first = !seen.contains(part);
            seen.push(*part);
            first
        });
        parts
    }

    /// What the plan stands on, if it has feet.
    fn feet(&self) -> Option<&'static str> {
        Some(match (self.family, self.covering) {
            (Family::Aquatic, _) => return None,
            (Family::Hooved, _) => "hooves",
            (_, Covering::Feathers) => "talons",
            (_, Covering::Scales) => "claws",
            (_, Covering::Plating) => "hands",
            _ => "paws",
        })
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
        assert!(!shark.parts().contains(&"ears") && shark.parts().contains(&"dorsal fin"));
        assert!(!shark.parts().contains(&"legs") && !body_plan("tiger").parts().contains(&"mane"));
        assert!(!body_plan("kobold").parts().contains(&"wings"));
        assert!(!body_plan("house cat").parts().contains(&"dorsal fin"));
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
