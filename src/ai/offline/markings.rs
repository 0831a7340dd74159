//! The markings and the eyes, told in the palette's own colour names (lower case mid-sentence),
//! one phrase per palette colour so every colour is worn somewhere, each on the part it was
//! placed on.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::pattern::Pattern;
use super::placement::article;
use crate::domain::body_plan::Covering;

/// More details than this in one sentence stop reading as a description: the rest get a
/// second sentence.
const FIRST_SENTENCE: usize = 3;
/// How often the eyes echo a colour of the palette rather than a colour of their own.
const ECHO_EYES: f64 = 0.35;

/// A named colour in its place on the body.
pub(super) struct Worn<'a> {
    /// Lower case, as it reads mid-sentence.
    pub name: &'a str,
    /// The part it is on, as the plan (or a kept palette) names it.
    pub part: &'a str,
    /// The photo's pattern, when this colour draws it.
    pub pattern: Option<Pattern>,
    /// Vivid and clearly more so than the main colour: the one that stands out.
    pub accent: bool,
}

impl Worn<'_> {
    /// "a rust coat", "soot stripes across the back", "cream inner ears".
    fn phrase(&self, rng: &mut impl Rng) -> String {
        let part = self.part;
        let forms: &[&str] = match (self.pattern, part) {
            (Some(Pattern::Stripes), "tail" | "tails") => &["{c} rings around the {p}"],
            (Some(Pattern::Stripes), _) => &[
                "bold {c} stripes across the {p}",
                "{c} stripes down the {p}",
            ],
            (Some(Pattern::Spots), _) => {
                &["{c} spots scattered over the {p}", "{c} spots on the {p}"]
            }
            (Some(Pattern::Patches), _) => {
                &["{c} patches on the {p}", "a broad {c} patch over the {p}"]
            }
            (_, "back") => &["{a} saddle over the back", "{a} back"],
            (_, "chest") => &["{a} chest", "{a} blaze down the chest"],
            (_, "head") => &["{a} head", "{a} cap on the head"],
            (_, "flanks") => &["{c} flanks", "{c} shading on the flanks"],
            (_, "legs") => &["{c} legs", "{c} shading down the legs"],
            (_, "paws") => &["{c} paws", "{c} socks on the paws"],
            (_, "ear tips") => &["{c} ear tips", "{c} tips on the ears"],
            (_, "visor") => &["{a} visor", "a glossy {c} visor"],
            (_, "fur") => &["{c} fur between the plating"],
            (_, "plating") => &["{c} plating"],
            (_, "tail") => &["{a} tail", "{a} plume of a tail"],
            (_, p) if plural(p) => &["{c} {p}"],
            _ => &["{a} {p}"],
        };
        let form = forms.choose(rng).copied().unwrap_or("{c} {p}");
        form.replace("{a}", &format!("{} {}", article(self.name), self.name))
            .replace("{c}", self.name)
            .replace("{p}", part)
    }
}

fn plural(part: &str) -> bool {
    part.ends_with('s') || matches!(part, "plumage" | "fur")
}

/// "A rust coat with soot paws and a blaze of cream down the chest." Every colour once.
pub(super) fn describe(worn: &[Worn<'_>], rng: &mut impl Rng) -> String {
    let Some((main, rest)) = worn.split_first() else {
        return "No markings to speak of.".to_owned();
    };
    let base = main.phrase(rng);
    let details: Vec<String> = rest.iter().map(|w| w.phrase(rng)).collect();
    if details.is_empty() {
        return sentence(&base);
    }
    let (first, more) = details.split_at(details.len().min(FIRST_SENTENCE));
    let list = join_words(first);
    let opening = match rng.random_range(0..3) {
        0 => format!("{base} with {list}"),
        1 => format!("mostly {}, with {list}", main.name),
        _ => format!("{list}, set against {base}"),
    };
    if more.is_empty() {
        return sentence(&opening);
    }
    let rest = join_words(more);
    let closing = match rng.random_range(0..3) {
        0 => format!("look closer and you will find {rest}"),
        1 => format!("it also has {rest}"),
        _ => format!("{rest} finish the look"),
    };
    format!("{} {}", sentence(&opening), sentence(&closing))
}

/// Eye colour: usually from the table, sometimes the accent (or another) palette colour
/// coming back. Protogens and synths see through LED displays instead.
pub(super) fn eyes(worn: &[Worn<'_>], covering: Covering, rng: &mut impl Rng) -> String {
    let accent = worn.iter().find(|w| w.accent);
    if covering == Covering::Plating {
        return match accent {
            Some(accent) => format!("{} LED display", accent.name),
            None => pick(rng, LED_EYES).to_owned(),
        };
    }
    let standout = accent.or_else(|| worn.get(1..).and_then(|rest| rest.choose(rng)));
    match standout {
        Some(echo) if rng.random_bool(ECHO_EYES) => {
            format!("{}, like the {}", echo.name, echo.part)
        }
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

pub(super) fn sentence(text: &str) -> String {
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
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn worn(parts: &[&'static str]) -> Vec<Worn<'static>> {
        let names = ["ginger", "soot", "cream", "azure", "moss", "slate"];
        parts
            .iter()
            .zip(names)
            .enumerate()
            .map(|(index, (&part, name))| Worn {
                name,
                part,
                pattern: (index == 1).then_some(Pattern::Stripes),
                accent: name == "azure",
            })
            .collect()
    }

    #[test]
    fn markings_name_every_colour_in_at_most_two_sentences() {
        let mut rng = StdRng::seed_from_u64(5);
        let six = worn(&["coat", "back", "belly", "ear tips", "paws", "nose"]);
        for count in 1..=6 {
            for _ in 0..30 {
                let text = describe(&six[..count], &mut rng);
                for w in &six[..count] {
                    assert!(text.to_lowercase().contains(w.name), "{text}");
                }
                assert!(text.starts_with(char::is_uppercase) && text.ends_with('.'));
                assert!(
                    text.matches('.').count() <= 2 && text.len() <= 600,
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn protogen_eyes_are_displays_in_the_accent_colour() {
        let mut rng = StdRng::seed_from_u64(9);
        let worn = worn(&["plating", "back", "belly", "visor"]);
        assert_eq!(
            eyes(&worn, Covering::Plating, &mut rng),
            "azure LED display"
        );
    }

    #[test]
    fn eyes_sometimes_echo_the_palette() {
        let mut rng = StdRng::seed_from_u64(11);
        let worn = worn(&["plumage", "back", "belly", "wings"]);
        let echoed = (0..200)
            .map(|_| eyes(&worn, Covering::Feathers, &mut rng))
            .filter(|eyes| eyes == "azure, like the wings")
            .count();
        assert!((30..120).contains(&echoed), "{echoed}");
    }
}
