//! "Make it yours" on the result and on the fursona page: lock some fields and re-roll the rest,
//! or edit by hand. Both forms work without JavaScript (a redirect to the fursona's page, or the
//! page again with each problem beside its field); with htmx the fursona's workbench (its card
//! and these forms) is swapped in place.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use super::error::PageError;
use super::layout::Layout;
use super::views::{CardView, GenerateError};
use super::visitor::Visitor;
use crate::domain::fursona::{Edit, Field, InvalidFursona, PALETTE_SIZE, Swatch, TRAIT_COUNT};
use crate::error::AppError;
use crate::routes::path::FursonaPath;
use crate::routes::respond::with_error;
use crate::services::fursonas;
use crate::state::AppState;
use crate::store::fursonas::StoredFursona;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fursonas/{id}/reroll", post(reroll))
        .route("/fursonas/{id}/edit", post(edit))
}

/// The fursona page: its workbench, and the links around it.
#[derive(Template, WebTemplate)]
#[template(path = "fursona.html")]
pub struct FursonaPage {
    pub layout: Layout,
    pub card: CardView,
    pub tools: Tools,
}

/// A workbench alone, as htmx swaps it in: after generating (with the usage counter), after a
/// re-roll (the same) or an edit.
#[derive(Template, WebTemplate)]
#[template(path = "fragments/generated.html")]
pub struct WorkbenchFragment {
    pub card: CardView,
    pub tools: Tools,
    /// The new usage, after a generation.
    pub usage: Option<String>,
}

/// The re-roll and edit forms of one fursona.
pub struct Tools {
    pub id: String,
    pub locks: Vec<Lock>,
    pub edit: EditForm,
    /// A re-roll that was refused, in plain words.
    pub reroll_error: Option<GenerateError>,
    /// "Re-rolled from" this fursona's page.
    pub parent_id: Option<String>,
    /// "27 November 2026", when it was edited by hand.
    pub edited: Option<String>,
    /// For the forms without JavaScript; htmx sends the page's token as a header.
    pub csrf_token: Option<String>,
}

/// One lock toggle: keep this field when re-rolling.
pub struct Lock {
    pub field: &'static str,
    pub label: &'static str,
    /// The value kept, shortened.
    pub value: String,
    pub locked: bool,
}

/// The edit form's values (the fursona's, or what was sent) and the problems beside them.
pub struct EditForm {
    pub open: bool,
    pub name: String,
    pub species: String,
    /// Always [`PALETTE_SIZE`]'s most rows; blank rows are left out when sent.
    pub swatches: Vec<Swatch>,
    pub markings: String,
    pub eye_color: String,
    /// Always [`TRAIT_COUNT`]'s most; blank ones are left out when sent.
    pub traits: Vec<String>,
    pub backstory: String,
    problems: Vec<(Field, String)>,
}

impl EditForm {
    /// What is wrong with `field` (its wire name), in a sentence.
    pub fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f.as_str() == field)
            .map(|(_, message)| message.as_str())
    }
}

impl Tools {
    /// The forms for `stored`, with `locked` fields' toggles on.
    pub fn new(stored: &StoredFursona, locked: &[Field], csrf_token: Option<String>) -> Self {
        let f = &stored.fursona;
        let locks = Field::ALL
            .into_iter()
            .map(|field| {
                let (label, value) = match field {
                    Field::Name => ("Name", f.name.clone()),
                    Field::Species => ("Species", f.species.clone()),
                    Field::Palette => (
                        "Palette",
                        f.palette
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Field::Markings => ("Markings", f.markings.clone()),
                    Field::EyeColor => ("Eyes", f.eye_color.clone()),
                    Field::Personality => ("Personality", f.personality.join(", ")),
                    Field::Backstory => ("Backstory", f.backstory.clone()),
                };
                Lock {
                    field: field.as_str(),
                    label,
                    value: shortened(&value, 60),
                    locked: locked.contains(&field),
                }
            })
            .collect();
        Tools {
            id: stored.id.to_string(),
            locks,
            edit: EditForm::of(stored),
            reroll_error: None,
            parent_id: stored.parent_id.map(|id| id.to_string()),
            edited: stored.edited_at.map(crate::domain::usage::calendar_date),
            csrf_token,
        }
    }
}

impl EditForm {
    fn of(stored: &StoredFursona) -> Self {
        let f = &stored.fursona;
        EditForm {
            open: false,
            name: f.name.clone(),
            species: f.species.clone(),
            swatches: padded_swatches(f.palette.clone()),
            markings: f.markings.clone(),
            eye_color: f.eye_color.clone(),
            traits: padded(f.personality.clone(), *TRAIT_COUNT.end()),
            backstory: f.backstory.clone(),
            problems: Vec::new(),
        }
    }
}

fn padded(mut items: Vec<String>, to: usize) -> Vec<String> {
    items.resize(to.max(items.len()), String::new());
    items
}

/// Empty rows to add colours in; their picker starts grey rather than black.
fn padded_swatches(mut swatches: Vec<Swatch>) -> Vec<Swatch> {
    let rows = swatches.len().max(*PALETTE_SIZE.end());
    swatches.resize(
        rows,
        Swatch {
            name: String::new(),
            hex: "#808080".to_owned(),
            placement: String::new(),
        },
    );
    swatches
}

/// `text` cut at a word to about `max` characters, with an ellipsis when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';']))
}

/// The fields whose toggles are on; a name that is not a field is refused.
fn locked_fields(form: &[(String, String)]) -> Result<Vec<Field>, AppError> {
    form.iter()
        .filter(|(key, _)| key == "keep")
        .map(|(_, name)| {
            Field::parse(name).ok_or(AppError::InvalidChoice(
                "only the fursona's own fields can be kept",
            ))
        })
        .collect()
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// The fields kept by the re-roll that led here, comma-separated, so their toggles stay on.
    keep: Option<String>,
}

impl PageQuery {
    pub fn locked(&self) -> Vec<Field> {
        self.keep
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(Field::parse)
            .collect()
    }
}

/// The fursona page with its forms.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    FursonaPath(id): FursonaPath,
    Query(query): Query<PageQuery>,
) -> Result<FursonaPage, PageError> {
    let user = visitor.signed_in()?;
    let stored = fursonas::owned(&state.store, user.id, id).await?;
    let layout = visitor.layout().await?;
    Ok(FursonaPage {
        tools: Tools::new(&stored, &query.locked(), layout.csrf_token.clone()),
        card: CardView::new(stored, &state.web.app_url, layout.csrf_token.clone())
            .on_its_own_page(),
        layout,
    })
}

/// Re-rolls what is not locked. With htmx the new fursona's workbench replaces the old one
/// (and the address bar follows); without, the browser lands on the new fursona's page.
async fn reroll(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    FursonaPath(id): FursonaPath,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let keep = locked_fields(&form)?;
    let htmx = headers.contains_key("hx-request");
    match state.generations.reroll(user, id, &keep).await {
        Ok(generated) => {
            let new_id = generated.fursona.id;
            let kept: Vec<&str> = keep.iter().map(|f| f.as_str()).collect();
            let address = if kept.is_empty() {
                format!("/fursonas/{new_id}")
            } else {
                format!("/fursonas/{new_id}?keep={}", kept.join(","))
            };
            if !htmx {
                return Ok(Redirect::to(&address).into_response());
            }
            let fragment = WorkbenchFragment {
                tools: Tools::new(&generated.fursona, &keep, None),
                card: CardView::new(generated.fursona, &state.web.app_url, None),
                usage: Some(generated.usage.summary()),
            };
            let mut response = fragment.into_response();
            if let Ok(address) = HeaderValue::from_str(&address) {
                response.headers_mut().insert("hx-push-url", address);
            }
            Ok(response)
        }
        // Not the caller's: the not-found page, whoever asks.
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(error) => {
            let stored = fursonas::owned(&state.store, user.id, id).await?;
            let mut tools = Tools::new(&stored, &keep, None);
            tools.reroll_error = Some(GenerateError::from_error(&error));
            again(&state, &visitor, htmx, stored, tools, &error).await
        }
    }
}

/// The fursona page again (or its workbench, for htmx) with a problem shown in place.
async fn again(
    state: &AppState,
    visitor: &Visitor,
    htmx: bool,
    stored: StoredFursona,
    mut tools: Tools,
    error: &AppError,
) -> Result<Response, PageError> {
    if htmx {
        let fragment = WorkbenchFragment {
            card: CardView::new(stored, &state.web.app_url, None),
            tools,
            usage: None,
        };
        return Ok(with_error(error, fragment));
    }
    let layout = visitor.layout().await?;
    tools.csrf_token = layout.csrf_token.clone();
    let page = FursonaPage {
        card: CardView::new(stored, &state.web.app_url, layout.csrf_token.clone())
            .on_its_own_page(),
        tools,
        layout,
    };
    Ok(with_error(error, page))
}

/// Saves an edit. Invalid: the form again with what was sent and each problem beside its
/// field, nothing changed.
async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    FursonaPath(id): FursonaPath,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = visitor.signed_in()?;
    let htmx = headers.contains_key("hx-request");
    let sent = sent_edit(&form);
    match fursonas::edit(&state.store, user.id, id, sent.clone(), state.clock.now()).await {
        Ok(_) if !htmx => Ok(Redirect::to(&format!("/fursonas/{id}")).into_response()),
        Ok(edited) => Ok(WorkbenchFragment {
            tools: Tools::new(&edited, &[], None),
            card: CardView::new(edited, &state.web.app_url, None),
            usage: None,
        }
        .into_response()),
        Err(AppError::InvalidFursona(problems)) => {
            let stored = fursonas::owned(&state.store, user.id, id).await?;
            let mut tools = Tools::new(&stored, &[], None);
            tools.edit = EditForm::sent(sent, &problems);
            let error = AppError::InvalidFursona(problems);
            again(&state, &visitor, htmx, stored, tools, &error).await
        }
        Err(error) => Err(error.into()),
    }
}

/// The edit form as sent: every field, the rows of colours and the traits that are not blank.
fn sent_edit(form: &[(String, String)]) -> Edit {
    let all = |key: &str| -> Vec<String> {
        form.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let one = |key: &str| all(key).into_iter().next().unwrap_or_default();
    let palette = all("swatch_name")
        .into_iter()
        .zip(all("swatch_hex"))
        .zip(all("swatch_where"))
        .filter(|((name, _), place)| !(name.trim().is_empty() && place.trim().is_empty()))
        .map(|((name, hex), placement)| Swatch {
            name,
            hex,
            placement,
        })
        .collect();
    Edit {
        name: Some(one("name")),
        species: Some(one("species")),
        palette: Some(palette),
        markings: Some(one("markings")),
        eye_color: Some(one("eye_color")),
        personality: Some(
            all("trait")
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .collect(),
        ),
        backstory: Some(one("backstory")),
    }
}

impl EditForm {
    /// The form open again with what was `sent` and a sentence beside each invalid field.
    fn sent(sent: Edit, problems: &[(Field, InvalidFursona)]) -> Self {
        EditForm {
            open: true,
            name: sent.name.unwrap_or_default(),
            species: sent.species.unwrap_or_default(),
            swatches: padded_swatches(sent.palette.unwrap_or_default()),
            markings: sent.markings.unwrap_or_default(),
            eye_color: sent.eye_color.unwrap_or_default(),
            traits: padded(sent.personality.unwrap_or_default(), *TRAIT_COUNT.end()),
            backstory: sent.backstory.unwrap_or_default(),
            problems: problems
                .iter()
                .map(|(field, problem)| (*field, advice(problem)))
                .collect(),
        }
    }
}

/// A rule broken, as a person fixing the form reads it.
fn advice(problem: &InvalidFursona) -> String {
    match problem {
        InvalidFursona::Empty("palette name" | "palette where") => {
            "Give every colour a name and a place on the body.".to_owned()
        }
        InvalidFursona::Empty("personality trait") => "A trait cannot be blank.".to_owned(),
        InvalidFursona::Empty(_) => "Fill this in.".to_owned(),
        InvalidFursona::TooLong { field, max } => {
            let what = match *field {
                "palette name" => "each colour's name",
                "palette where" => "each colour's place",
                "personality trait" => "each trait",
                _ => "this",
            };
            format!("Keep {what} to {max} characters or fewer.")
        }
        InvalidFursona::PaletteSize(n) => format!(
            "Choose {} to {} colours; there are {n}.",
            PALETTE_SIZE.start(),
            PALETTE_SIZE.end()
        ),
        InvalidFursona::Hex(hex) => format!("“{hex}” is not a colour like #c98a3d."),
        InvalidFursona::TraitCount(n) => format!(
            "List {} to {} traits; there are {n}.",
            TRAIT_COUNT.start(),
            TRAIT_COUNT.end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_at_a_word() {
        assert_eq!(shortened("short", 60), "short");
        assert_eq!(
            shortened("a cream blaze, dark socks and a ringed tail", 20),
            "a cream blaze, dark…"
        );
    }

    #[test]
    fn a_sent_form_leaves_out_blank_rows_and_traits() {
        let form: Vec<(String, String)> = [
            ("name", "Pebble"),
            ("swatch_name", "Ash"),
            ("swatch_hex", "#aabbcc"),
            ("swatch_where", "main fur"),
            ("swatch_name", " "),
            ("swatch_hex", "#808080"),
            ("swatch_where", ""),
            ("trait", "shy"),
            ("trait", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let edit = sent_edit(&form);
        assert_eq!(edit.name.as_deref(), Some("Pebble"));
        assert_eq!(edit.palette.as_ref().map(Vec::len), Some(1));
        assert_eq!(edit.personality, Some(vec!["shy".to_owned()]));
    }

    #[test]
    fn unknown_lock_names_are_refused() {
        let form = vec![("keep".to_owned(), "wings".to_owned())];
        assert!(locked_fields(&form).is_err());
        let form = vec![("keep".to_owned(), "eye_color".to_owned())];
        assert_eq!(locked_fields(&form).ok(), Some(vec![Field::EyeColor]));
    }
}
