//! Where each palette colour goes on the body: the largest share is the main coat, lighter
//! colours the belly and muzzle, darker ones the tips and stripes, a vivid speck the accents.

use rand::Rng;

use super::dominant::PhotoColour;
use super::species::Covering;

/// A colour this much lighter or darker (Lab L*) than the main one counts as light or dark.
const LIGHTNESS_STEP: f32 = 10.0;
/// An accent must be strongly coloured and clearly more so than the main colour.
const ACCENT_CHROMA: f32 = 35.0;
const ACCENT_OVER_MAIN: f32 = 10.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Main,
    Secondary,
    Light,
    Dark,
    Accent,
}

/// One body part: `place` names it for the swatch, `marking` describes it in the markings
/// sentence. In `marking`, `{c}` is the colour's name and `{a}` the name with "a"/"an".
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Part {
    pub place: &'static str,
    marking: &'static str,
}

impl Part {
    pub fn marking(&self, colour: &str) -> String {
        self.marking
            .replace("{a}", &format!("{} {colour}", article(colour)))
            .replace("{c}", colour)
    }
}

pub(super) fn article(word: &str) -> &'static str {
    if word.to_lowercase().starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Each colour's role; the first (largest) colour is always the main one.
pub(super) fn roles(colours: &[PhotoColour]) -> Vec<Role> {
    let Some(main) = colours.first() else {
        return Vec::new();
    };
    let accent = colours
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| {
            c.chroma() >= ACCENT_CHROMA && c.chroma() >= main.chroma() + ACCENT_OVER_MAIN
        })
        .max_by(|a, b| a.1.chroma().total_cmp(&b.1.chroma()))
        .map(|(index, _)| index);
    colours
        .iter()
        .enumerate()
        .map(|(index, colour)| match index {
            0 => Role::Main,
            _ if Some(index) == accent => Role::Accent,
            _ if colour.lightness() > main.lightness() + LIGHTNESS_STEP => Role::Light,
            _ if colour.lightness() < main.lightness() - LIGHTNESS_STEP => Role::Dark,
            _ => Role::Secondary,
        })
        .collect()
}

/// A distinct body part for each role. Which part a role starts from is random, so the same
/// photo can be worn differently, but two colours never share a part.
pub(super) fn parts(roles: &[Role], covering: Covering, rng: &mut impl Rng) -> Vec<&'static Part> {
    let starts: [usize; 4] = std::array::from_fn(|_| rng.random_range(0..PARTS_PER_ROLE));
    let mut used = [0usize; 4];
    roles
        .iter()
        .map(|&role| {
            let table = body(covering);
            let (choices, slot) = match role {
                Role::Main => return &table.main,
                Role::Secondary => (&table.secondary, 0),
                Role::Light => (&table.light, 1),
                Role::Dark => (&table.dark, 2),
                Role::Accent => (&table.accent, 3),
            };
            let part = &choices[(starts[slot] + used[slot]) % PARTS_PER_ROLE];
            used[slot] += 1;
            part
        })
        .collect()
}

/// At most six colours, one of them main: five parts per role never run out.
const PARTS_PER_ROLE: usize = 5;

struct Body {
    main: Part,
    secondary: [Part; PARTS_PER_ROLE],
    light: [Part; PARTS_PER_ROLE],
    dark: [Part; PARTS_PER_ROLE],
    accent: [Part; PARTS_PER_ROLE],
}

const fn part(place: &'static str, marking: &'static str) -> Part {
    Part { place, marking }
}

fn body(covering: Covering) -> &'static Body {
    match covering {
        Covering::Fur => &FUR,
        Covering::Scales => &SCALES,
        Covering::Feathers => &FEATHERS,
        Covering::Plating => &PLATING,
        Covering::Hide => &HIDE,
    }
}

// Markings rarely use "and", so that a list of them still reads clearly.
const FUR: Body = Body {
    main: part("main fur", "{a} coat"),
    secondary: [
        part(
            "back and tail",
            "{a} saddle running from the shoulders to the tail",
        ),
        part("shoulders and haunches", "{c} shading over the shoulders"),
        part("outer legs", "{c} outer legs"),
        part("mane", "a shaggy {c} mane"),
        part("crown", "{a} crown between the ears"),
    ],
    light: [
        part(
            "underbelly and muzzle",
            "{a} muzzle fading into a pale belly",
        ),
        part("chest ruff", "a blaze of {c} down the chest"),
        part("inner ears", "{c} tufts inside the ears"),
        part("throat", "{a} throat patch"),
        part("forehead star", "{a} star on the forehead"),
    ],
    dark: [
        part("paws", "{c} socks"),
        part("stripes", "bold {c} stripes along the flanks"),
        part("tail tip", "{a} tail tip"),
        part("nose", "{a} nose"),
        part("eye rims", "{c} rims around the eyes"),
    ],
    accent: [
        part("cheek markings", "a flash of {c} across the cheeks"),
        part("brow spots", "two {c} spots above the eyes"),
        part("claws", "{c} claws"),
        part("collar", "a ring of {c} around the neck"),
        part("fringe streak", "a streak of {c} through the fringe"),
    ],
};

const SCALES: Body = Body {
    main: part("scales", "{c} scales"),
    secondary: [
        part("back and tail", "{c} scales along the back"),
        part("dorsal spines", "a row of {c} spines down the back"),
        part("wing membranes", "{c} wing membranes"),
        part("frills", "{c} frills framing the face"),
        part("legs", "{c} banding on the legs"),
    ],
    light: [
        part("belly plates", "{c} belly plates"),
        part("throat and jaw", "{a} jaw"),
        part("wing undersides", "{c} undersides to the wings"),
        part("tail underside", "{c} scales beneath the tail"),
        part("chest", "{a} chest plate"),
    ],
    dark: [
        part("horns and claws", "{c} horns with claws to match"),
        part("brow crest", "{a} crest over the brow"),
        part("flank stripes", "{c} stripes along the flanks"),
        part("wing bones", "{c} wing bones"),
        part("snout", "{a} snout"),
    ],
    accent: [
        part(
            "glowing veins",
            "faint {c} veins glowing between the scales",
        ),
        part("eye ridges", "glinting {c} scales over the eyes"),
        part("tail spade", "{a} tail spade"),
        part("wing spots", "{c} eyespots on the wings"),
        part("heart scale", "a single {c} scale over the heart"),
    ],
};

const FEATHERS: Body = Body {
    main: part("plumage", "{c} plumage"),
    secondary: [
        part("back and wings", "{c} wings folded over the back"),
        part("tail feathers", "long {c} tail feathers"),
        part("crest", "{a} crest"),
        part("shoulders", "{c} shoulder feathers"),
        part("wing coverts", "{c} coverts across the wings"),
    ],
    light: [
        part("breast and underwings", "{a} breast"),
        part("face", "{a} face"),
        part("throat", "{a} throat"),
        part("under-tail", "{c} down beneath the tail"),
        part("brows", "{c} brows"),
    ],
    dark: [
        part("wingtips", "{c} wingtips"),
        part("barring", "fine {c} barring across the wings"),
        part("beak and talons", "{a} beak"),
        part("eye stripe", "{a} stripe through each eye"),
        part("flight feathers", "{c} flight feathers"),
    ],
    accent: [
        part("leg bands", "{c} bands around the legs"),
        part("wing flashes", "a flash of {c} on each wing"),
        part("nape", "{a} patch at the nape"),
        part("cheek spots", "{c} cheek spots"),
        part("collar", "{a} collar of feathers"),
    ],
};

const PLATING: Body = Body {
    main: part("main fur and panels", "{a} body"),
    secondary: [
        part("ear panels", "{c} ear panels"),
        part("arm and leg plating", "{c} plating on the limbs"),
        part("tail", "{a} tail"),
        part("back panel", "{a} panel across the back"),
        part("collar", "{a} collar ring"),
    ],
    light: [
        part("chest fluff", "{c} chest fluff"),
        part("inner ears", "{c} inner ears"),
        part("muzzle plating", "{a} muzzle plate"),
        part("belly", "{a} belly"),
        part("tail tip", "{a} tail tip"),
    ],
    dark: [
        part("visor", "a glossy {c} visor"),
        part("joints and hands", "{c} joints"),
        part("faceplate trim", "{c} trim around the faceplate"),
        part("seams", "{c} seams between the panels"),
        part("claws", "{c} claws"),
    ],
    accent: [
        part("visor display and LED lines", "{c} LEDs tracing the seams"),
        part("power core", "{a} power core glowing through the chest"),
        part("shoulder lights", "{c} running lights on the shoulders"),
        part("antenna", "{a} antenna light"),
        part("cable trim", "{c} cable trim"),
    ],
};

const HIDE: Body = Body {
    main: part("hide", "{a} hide"),
    secondary: [
        part("back and dorsal fin", "{a} dorsal fin"),
        part("flanks", "{c} flanks"),
        part("head", "{a} head"),
        part("pectoral fins", "{c} pectoral fins"),
        part("saddle", "{a} saddle behind the dorsal fin"),
    ],
    light: [
        part("underside", "{c} countershading on the belly"),
        part("eye patches", "{c} patches behind the eyes"),
        part("chin", "{a} chin"),
        part("collar band", "{a} band around the neck"),
        part("throat", "{a} throat"),
    ],
    dark: [
        part("fin tips", "{c} fin tips"),
        part("spine stripe", "{a} stripe along the spine"),
        part("gill slits", "{c} gill slits"),
        part("snout", "{a} snout"),
        part("tail flukes", "{c} tail flukes"),
    ],
    accent: [
        part("glowing spots", "glowing {c} spots"),
        part("lure", "{a} glowing lure on the brow"),
        part("cheek spots", "{c} spots on the cheeks"),
        part("lateral line", "{a} line down each side"),
        part("freckles", "{c} freckles along the jaw"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::dominant::to_lab;
    use palette::Srgb;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn colour(r: u8, g: u8, b: u8) -> PhotoColour {
        let srgb = Srgb::new(r, g, b);
        PhotoColour {
            srgb,
            lab: to_lab(srgb),
            share: 0.2,
        }
    }

    const COVERINGS: [Covering; 5] = [
        Covering::Fur,
        Covering::Scales,
        Covering::Feathers,
        Covering::Plating,
        Covering::Hide,
    ];

    #[test]
    fn lighter_darker_and_vivid_colours_get_their_roles() {
        let colours = [
            colour(150, 100, 60),
            colour(240, 230, 210),
            colour(30, 25, 20),
            colour(20, 90, 240),
            colour(160, 110, 70),
        ];
        assert_eq!(
            roles(&colours),
            [
                Role::Main,
                Role::Light,
                Role::Dark,
                Role::Accent,
                Role::Secondary
            ]
        );
    }

    #[test]
    fn colours_never_share_a_part_and_every_place_fits_a_swatch() {
        let roles = [
            Role::Main,
            Role::Dark,
            Role::Dark,
            Role::Dark,
            Role::Dark,
            Role::Dark,
        ];
        let mut rng = StdRng::seed_from_u64(1);
        for covering in COVERINGS {
            for _ in 0..20 {
                let parts = parts(&roles, covering, &mut rng);
                let mut places: Vec<_> = parts.iter().map(|p| p.place).collect();
                places.sort_unstable();
                places.dedup();
                assert_eq!(places.len(), roles.len(), "{covering:?}");
            }
        }
    }

    #[test]
    fn no_part_is_listed_twice_for_a_body() {
        for covering in COVERINGS {
            let body = body(covering);
            let mut places: Vec<_> = [&body.secondary, &body.light, &body.dark, &body.accent]
                .into_iter()
                .flatten()
                .chain([&body.main])
                .map(|p| {
                    assert!(p.place.len() <= 120 && p.marking.contains(['{']));
                    p.place
                })
                .collect();
            let count = places.len();
            places.sort_unstable();
            places.dedup();
            assert_eq!(places.len(), count, "{covering:?}");
        }
    }

    #[test]
    fn markings_take_the_right_article() {
        assert_eq!(FUR.main.marking("Amber"), "an Amber coat");
        assert_eq!(FUR.main.marking("Rust"), "a Rust coat");
        assert_eq!(
            FUR.light[1].marking("Cream"),
            "a blaze of Cream down the chest"
        );
    }
}
