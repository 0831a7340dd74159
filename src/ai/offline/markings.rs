//! The markings sentence and the eyes, both told in the palette's own colour names.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::placement::{Part, Role};
use super::species::Covering;

/// More than three details in one sentence stops reading as a description.
const MOST_DETAILS: usize = 3;
/// How often the eyes echo a colour of the palette rather than a colour of their own.
const ECHO_EYES: f64 = 0.35;

/// A named colour in its place on the body.
pub(super) struct Worn<'a> {
    pub name: &'a str,
    pub role: Role,
    pub part: &'static Part,
}

/// "A Ginger coat with Soot socks and a blaze of Cream down the chest."
pub(super) fn describe(worn: &[Worn<'_>], rng: &mut impl Rng) -> String {
    let Some((main, rest)) = worn.split_first() else {
        return "No markings to speak of.".to_owned();
    };
    let base = main.part.marking(main.name);
    let details: Vec<String> = rest
        .iter()
        .take(MOST_DETAILS)
        .map(|w| w.part.marking(w.name))
        .collect();
    if details.is_empty() {
        return sentence(&base);
    }
    let list = join_words(&details);
    let text = match rng.random_range(0..3) {
        0 => format!("{base} with {list}"),
        1 => format!("mostly {}, with {list}", main.name),
        _ => format!("{list}, set against {base}"),
    };
    sentence(&text)
}

/// Eye colour: usually from the table, sometimes the accent (or another) palette colour
/// coming back. Protogens and synths see through LED displays instead.
pub(super) fn eyes(worn: &[Worn<'_>], covering: Covering, rng: &mut impl Rng) -> String {
    let standout = worn
        .iter()
        .find(|w| w.role == Role::Accent)
        .or_else(|| worn.get(1..).and_then(|rest| rest.choose(rng)));
    if covering == Covering::Plating {
        return match standout.filter(|w| w.role == Role::Accent) {
            Some(accent) => format!("{} LED display", accent.name.to_lowercase()),
            None => pick(rng, LED_EYES).to_owned(),
        };
    }
    match standout {
        Some(echo) if rng.random_bool(ECHO_EYES) => format!(
            "{}, echoing the {}",
            echo.name.to_lowercase(),
            echo.part.place
        ),
        _ => pick(rng, EYES).to_owned(),
    }
}

fn pick(rng: &mut impl Rng, table: &'static [&'static str]) -> &'static str {
    table.choose(rng).copied().unwrap_or("bright")
}

const EYES: &[&str] = &[
    "amber",
    "molten gold",
    "moss green",
    "ice blue",
    "hazel",
    "deep brown",
    "violet",
    "burnished copper",
    "storm grey",
    "emerald",
    "sea green",
    "honey gold",
    "silver",
    "crimson",
    "one blue, one gold",
    "pale lilac",
    "ink black",
    "cornflower blue",
    "teal",
    "warm chestnut",
    "sunset orange",
    "frosted mint",
];

const LED_EYES: &[&str] = &[
    "cyan LED display",
    "green LED display",
    "magenta LED display",
    "amber LED display",
    "white LED display",
    "shifting rainbow LED display",
];

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let capitalised: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{capitalised}.")
}

/// "a", "a and b", "a, b and c".
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::offline::placement::parts;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn worn(covering: Covering, rng: &mut StdRng) -> Vec<Worn<'static>> {
        let roles = [Role::Main, Role::Dark, Role::Light, Role::Accent];
        let names = ["Ginger", "Soot", "Cream", "Azure"];
        parts(&roles, covering, rng)
            .into_iter()
            .zip(roles)
            .zip(names)
            .map(|((part, role), name)| Worn { name, role, part })
            .collect()
    }

    #[test]
    fn markings_name_the_palette_and_read_as_one_sentence() {
        let mut rng = StdRng::seed_from_u64(5);
        for _ in 0..50 {
            let text = describe(&worn(Covering::Fur, &mut rng), &mut rng);
            for name in ["Ginger", "Soot", "Cream", "Azure"] {
                assert!(text.contains(name), "{text}");
            }
            assert!(
                text.starts_with(char::is_uppercase) && text.ends_with('.'),
                "{text}"
            );
            assert_eq!(text.matches('.').count(), 1, "{text}");
            assert!(text.len() <= 600);
        }
    }

    #[test]
    fn protogen_eyes_are_displays_in_the_accent_colour() {
        let mut rng = StdRng::seed_from_u64(9);
        let worn = worn(Covering::Plating, &mut rng);
        assert_eq!(
            eyes(&worn, Covering::Plating, &mut rng),
            "azure LED display"
        );
    }

    #[test]
    fn eyes_sometimes_echo_the_palette() {
        let mut rng = StdRng::seed_from_u64(11);
        let worn = worn(Covering::Feathers, &mut rng);
        let echoed = (0..200)
            .map(|_| eyes(&worn, Covering::Feathers, &mut rng))
            .filter(|eyes| eyes.starts_with("azure, echoing the "))
            .count();
        assert!((30..120).contains(&echoed), "{echoed}");
    }
}
