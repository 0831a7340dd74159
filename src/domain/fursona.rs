//! The fursona: one structured result, the same whichever generator made it, checked before it
//! is stored.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A fursona's id: a UUIDv7, unguessable (74 random bits) and ordered by creation time, which is
/// what history pagination sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct FursonaId(pub Uuid);

impl FursonaId {
    pub fn new() -> Self {
        FursonaId(Uuid::now_v7())
    }

    /// An id as written in a URL or a cursor; anything else is not one.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok().map(FursonaId)
    }
}

impl Default for FursonaId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for FursonaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One colour of the palette: "Amber", "#c98a3d", "main fur".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Swatch {
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
    #[schema(pattern = "^#[0-9a-f]{6}$", example = "#c98a3d")]
    pub hex: String,
    #[serde(rename = "where")]
    #[schema(min_length = 1, max_length = 120)]
    pub placement: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fursona {
    pub name: String,
    pub species: String,
    #[schema(min_items = 3, max_items = 6)]
    pub palette: Vec<Swatch>,
    pub markings: String,
    pub eye_color: String,
    #[schema(min_items = 3, max_items = 5)]
    pub personality: Vec<String>,
    pub backstory: String,
}

/// The fields of a fursona a person can keep when re-rolling, or change by editing; the wire
/// names are the JSON field names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Species,
    Palette,
    Markings,
    EyeColor,
    Personality,
    Backstory,
}

impl Field {
    /// In the order a fursona is shown.
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::Species,
        Field::Palette,
        Field::Markings,
        Field::EyeColor,
        Field::Personality,
        Field::Backstory,
    ];

    /// The wire name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Species => "species",
            Field::Palette => "palette",
            Field::Markings => "markings",
            Field::EyeColor => "eye_color",
            Field::Personality => "personality",
            Field::Backstory => "backstory",
        }
    }

    /// A field by its wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Field::ALL.into_iter().find(|field| field.as_str() == name)
    }
}

/// A change a person makes by hand: the fields given replace the fursona's, the rest stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 80)]
    pub species: Option<String>,
    /// The whole palette, 3 to 6 colours.
    #[schema(min_items = 3, max_items = 6)]
    pub palette: Option<Vec<Swatch>>,
    #[schema(min_length = 1, max_length = 600)]
    pub markings: Option<String>,
    #[schema(min_length = 1, max_length = 80)]
    pub eye_color: Option<String>,
    /// The whole list, 3 to 5 traits of at most 60 characters.
    #[schema(min_items = 3, max_items = 5)]
    pub personality: Option<Vec<String>>,
    #[schema(min_length = 1, max_length = 2000)]
    pub backstory: Option<String>,
}

impl Edit {
    /// `fursona` with the edit's fields in place, checked like generated output; unchanged
    /// fields are checked too, as they are stored again.
    pub fn apply(self, fursona: Fursona) -> Result<Fursona, Vec<(Field, InvalidFursona)>> {
        let kept = Kept {
            name: self.name,
            species: self.species,
            palette: self.palette,
            markings: self.markings,
            eye_color: self.eye_color,
            personality: self.personality,
            backstory: self.backstory,
        };
        kept.apply(fursona).checked()
    }
}

/// What a generation must keep from an earlier fursona: its values for the kept fields. Empty for
/// a fresh generation. Engines make the other fields anew, fitting what is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    pub name: Option<String>,
    pub species: Option<String>,
    pub palette: Option<Vec<Swatch>>,
    pub markings: Option<String>,
    pub eye_color: Option<String>,
    pub personality: Option<Vec<String>>,
    pub backstory: Option<String>,
}

impl Kept {
    /// The values of `fields` taken from `original`.
    pub fn from_fields(original: &Fursona, fields: &[Field]) -> Self {
        let keeps = |field| fields.contains(&field);
        Kept {
            name: keeps(Field::Name).then(|| original.name.clone()),
            species: keeps(Field::Species).then(|| original.species.clone()),
            palette: keeps(Field::Palette).then(|| original.palette.clone()),
            markings: keeps(Field::Markings).then(|| original.markings.clone()),
            eye_color: keeps(Field::EyeColor).then(|| original.eye_color.clone()),
            personality: keeps(Field::Personality).then(|| original.personality.clone()),
            backstory: keeps(Field::Backstory).then(|| original.backstory.clone()),
        }
    }

    /// `fursona` with every kept value put back, whatever the engine made for it.
    pub fn apply(&self, mut fursona: Fursona) -> Fursona {
        fn put<T: Clone>(slot: &mut T, kept: &Option<T>) {
            if let Some(value) = kept {
                slot.clone_from(value);
            }
        }
        put(&mut fursona.name, &self.name);
        put(&mut fursona.species, &self.species);
        put(&mut fursona.palette, &self.palette);
        put(&mut fursona.markings, &self.markings);
        put(&mut fursona.eye_color, &self.eye_color);
        put(&mut fursona.personality, &self.personality);
        put(&mut fursona.backstory, &self.backstory);
        fursona
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidFursona {
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the palette has {0} colours; 3 to 6 are needed")]
    PaletteSize(usize),
    #[error("{0:?} is not a #rrggbb colour")]
    Hex(String),
    #[error("there are {0} personality traits; 3 to 5 are needed")]
    TraitCount(usize),
}

pub const PALETTE_SIZE: std::ops::RangeInclusive<usize> = 3..=6;
pub const TRAIT_COUNT: std::ops::RangeInclusive<usize> = 3..=5;

impl Fursona {
    /// Trims every text and checks every rule; a result that fails is never stored or shown.
    pub fn validated(self) -> Result<Self, InvalidFursona> {
        self.checked()
            .map_err(|mut problems| problems.swap_remove(0).1)
    }

    /// [`Fursona::validated`], but every field is checked and each invalid one named with its
    /// first problem, so that a person editing can fix them all at once.
    pub fn checked(mut self) -> Result<Self, Vec<(Field, InvalidFursona)>> {
        let problems: Vec<(Field, InvalidFursona)> = Field::ALL
            .into_iter()
            .filter_map(|field| self.check(field).err().map(|problem| (field, problem)))
            .collect();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// Trims and checks one field.
    fn check(&mut self, field: Field) -> Result<(), InvalidFursona> {
        match field {
            Field::Name => text(&mut self.name, "name", 80),
            Field::Species => text(&mut self.species, "species", 80),
            Field::Markings => text(&mut self.markings, "markings", 600),
            Field::EyeColor => text(&mut self.eye_color, "eye_color", 80),
            Field::Backstory => text(&mut self.backstory, "backstory", 2000),
            Field::Palette => {
                if !PALETTE_SIZE.contains(&self.palette.len()) {
                    return Err(InvalidFursona::PaletteSize(self.palette.len()));
                }
                for swatch in &mut self.palette {
                    text(&mut swatch.name, "palette name", 60)?;
                    text(&mut swatch.placement, "palette where", 120)?;
                    swatch.hex = swatch.hex.trim().to_ascii_lowercase();
                    if !is_hex_colour(&swatch.hex) {
                        return Err(InvalidFursona::Hex(swatch.hex.clone()));
                    }
                }
                Ok(())
            }
            Field::Personality => {
                if !TRAIT_COUNT.contains(&self.personality.len()) {
                    return Err(InvalidFursona::TraitCount(self.personality.len()));
                }
                self.personality
                    .iter_mut()
                    .try_for_each(|t| text(t, "personality trait", 60))
            }
        }
    }

    /// The readable description of the original design's single text field, composed from the
    /// structured parts.
    pub fn description(&self) -> String {
        let colours = self
            .palette
            .iter()
            .map(|s| {
                format!(
                    "{} ({}) on the {}",
                    s.name.to_lowercase(),
                    s.hex,
                    s.placement
                )
            })
            .collect::<Vec<_>>();
        format!(
            "{name} is {article} {species} with {colours}. Markings: {markings} Eyes: {eyes}. \
             Personality: {traits}. {backstory}",
            name = self.name,
            article = article(&self.species),
            species = self.species.to_lowercase(),
            colours = join_words(&colours),
            markings = sentence(&self.markings),
            eyes = self.eye_color,
            traits = join_words(&self.personality).to_lowercase(),
            backstory = self.backstory,
        )
    }
}

fn text(value: &mut String, field: &'static str, max: usize) -> Result<(), InvalidFursona> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(InvalidFursona::Empty(field));
    }
    if trimmed.chars().count() > max {
        return Err(InvalidFursona::TooLong { field, max });
    }
    if trimmed.len() != value.len() {
        *value = trimmed.to_owned();
    }
    Ok(())
}

pub fn is_hex_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn article(word: &str) -> &'static str {
    match word.trim().chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// "a", "a and b", "a, b and c".
pub fn join_words<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> Fursona {
        Fursona {
            name: " Ember ".into(),
            species: "Arctic fox".into(),
            palette: vec![
                Swatch {
                    name: "Amber".into(),
                    hex: "#C98A3D".into(),
                    placement: "main fur".into(),
                },
                Swatch {
                    name: "Cream".into(),
                    hex: "#f3e5c8".into(),
                    placement: "chest and muzzle".into(),
                },
                Swatch {
                    name: "Soot".into(),
                    hex: "#2b2118".into(),
                    placement: "ear tips".into(),
                },
            ],
            markings: "Dark socks and a pale blaze".into(),
            eye_color: "golden".into(),
            personality: vec!["Curious".into(), "Warm".into(), "Stubborn".into()],
            backstory: "Grew up in a lighthouse.".into(),
        }
    }

    #[test]
    fn a_valid_fursona_is_trimmed_and_lower_cases_its_hex() {
        let fursona = sample().validated().expect("valid");
        assert_eq!(fursona.name, "Ember");
        assert_eq!(fursona.palette[0].hex, "#c98a3d");
    }

    #[test]
    fn every_rule_is_enforced() {
        let mut f = sample();
        f.palette.truncate(2);
        assert_eq!(f.validated(), Err(InvalidFursona::PaletteSize(2)));
        let mut f = sample();
        f.palette[1].hex = "#fff".into();
        assert!(matches!(f.validated(), Err(InvalidFursona::Hex(_))));
        let mut f = sample();
        f.personality = vec!["a".into(); 6];
        assert_eq!(f.validated(), Err(InvalidFursona::TraitCount(6)));
        let mut f = sample();
        f.backstory = "  ".into();
        assert_eq!(f.validated(), Err(InvalidFursona::Empty("backstory")));
    }

    #[test]
    fn the_description_reads_as_prose() {
        let d = sample().validated().expect("valid").description();
        assert!(
            d.starts_with("Ember is an arctic fox with amber (#c98a3d) on the main fur, "),
            "{d}"
        );
        assert!(
            d.contains("Personality: curious, warm and stubborn."),
            "{d}"
        );
        assert!(d.ends_with("Grew up in a lighthouse."));
    }

    #[test]
    fn kept_fields_survive_whatever_the_engine_made() {
        let original = sample();
        let kept = Kept::from_fields(&original, &[Field::Species, Field::Palette]);
        let mut other = sample();
        other.species = "Otter".into();
        other.palette.pop();
        other.name = "Pebble".into();
        let result = kept.apply(other);
        assert_eq!(result.species, original.species);
        assert_eq!(result.palette, original.palette);
        assert_eq!(result.name, "Pebble");
        assert_eq!(Kept::default().apply(sample()), sample());
    }

    #[test]
    fn checking_names_every_invalid_field() {
        let mut f = sample();
        f.name = " ".into();
        f.palette[0].hex = "red".into();
        f.personality.clear();
        let problems = f.checked().expect_err("invalid");
        let fields: Vec<Field> = problems.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, [Field::Name, Field::Palette, Field::Personality]);
        assert_eq!(problems[0].1, InvalidFursona::Empty("name"));
    }

    #[test]
    fn an_edit_replaces_only_the_fields_it_names() {
        let edit = Edit {
            name: Some("  Pebble ".into()),
            ..Edit::default()
        };
        let edited = edit.apply(sample()).expect("valid");
        assert_eq!(edited.name, "Pebble");
        assert_eq!(edited.species, sample().species);
        let too_few = Edit {
            personality: Some(vec!["shy".into()]),
            ..Edit::default()
        };
        assert_eq!(
            too_few.apply(sample()).expect_err("invalid"),
            vec![(Field::Personality, InvalidFursona::TraitCount(1))]
        );
    }

    #[test]
    fn field_names_are_the_json_names() {
        for field in Field::ALL {
            let json = serde_json::to_value(field).expect("json");
            assert_eq!(json, field.as_str());
            assert_eq!(Field::parse(field.as_str()), Some(field));
        }
        assert_eq!(Field::parse("colour"), None);
    }

    #[test]
    fn the_wire_format_calls_placement_where() {
        let json = serde_json::to_value(sample()).expect("json");
        assert_eq!(json["palette"][0]["where"], "main fur");
    }
}
