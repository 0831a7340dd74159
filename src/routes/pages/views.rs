//! What the fursona templates show, prepared from stored results.

use askama::Template;
use askama_web::WebTemplate;
use url::Url;

use super::error::capitalized;
use crate::ai::made_by;
use crate::domain::fursona::Fursona;
use crate::domain::usage::calendar_date;
use crate::error::AppError;
use crate::routes::shapes::{files_url, picture_url, share_url, thumbnail_url};
use crate::services::pictures;
use crate::store::fursonas::StoredFursona;

pub struct CardView {
    pub id: String,
    pub fursona: Fursona,
    pub thumbnail_url: String,
    /// With the pictures' version, so an edit shows at once (see [`pictures::version`]).
    pub portrait_url: String,
    /// Where the drawn pictures live: `{files}/portrait.svg`, `{files}/sheet.png`, ...
    pub files: String,
    /// A file name for downloads: the fursona's name, made safe.
    pub file_stem: String,
    pub share: SharePanel,
    pub created: String,
    /// "OpenAI (gpt-...)" or "the offline generator".
    pub made_by: String,
    /// The level of the name's heading: 1 on the fursona's own page, 2 inside another page.
    pub heading: u8,
}

impl CardView {
    /// The card of `stored` on a page of `site`; `csrf_token` for its forms without JavaScript.
    pub fn new(stored: StoredFursona, site: &Url, csrf_token: Option<String>) -> Self {
        let made_by = made_by(&stored.engine, &stored.model);
        CardView {
            id: stored.id.to_string(),
            thumbnail_url: thumbnail_url(stored.id),
            portrait_url: format!(
                "{}?v={}",
                picture_url(stored.id, "portrait.svg"),
                pictures::version(&stored)
            ),
            files: files_url(stored.id),
            file_stem: file_stem(&stored.fursona.name),
            share: SharePanel {
                id: stored.id.to_string(),
                name: stored.fursona.name.clone(),
                url: stored.share.as_deref().map(|slug| share_url(site, slug)),
                csrf_token,
                heading: 3,
            },
            created: calendar_date(stored.created_at),
            made_by,
            fursona: stored.fursona,
            heading: 2,
        }
    }

    /// The card as the page's main content: its name is the page's `h1`.
    pub fn on_its_own_page(mut self) -> Self {
        self.heading = 1;
        self.share.heading = 2;
        self
    }
}

/// The share panel alone, as htmx swaps it in after sharing or revoking.
#[derive(Template, WebTemplate)]
#[template(path = "partials/share_panel.html")]
pub struct SharePanelFragment {
    pub share: SharePanel,
}

/// The share panel of one fursona: its link while shared, else the form that shares it.
pub struct SharePanel {
    pub id: String,
    pub name: String,
    /// The public link, while shared.
    pub url: Option<String>,
    /// For the forms without JavaScript; htmx sends the page's token as a header.
    pub csrf_token: Option<String>,
    /// The level of its heading, one below the card's name; its forms send it back so the
    /// panel swapped in after sharing keeps it.
    pub heading: u8,
}

impl SharePanel {
    /// The heading level a share form sent back: 2 or 3.
    pub fn heading_from(sent: Option<u8>) -> u8 {
        sent.unwrap_or(3).clamp(2, 3)
    }
}

/// "Ember Vale" → "ember-vale"; letters and digits only, so it is a safe file name anywhere.
fn file_stem(name: &str) -> String {
    let stem: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    if stem.is_empty() {
        "fursona".to_owned()
    } else {
        stem.join("-")
    }
}

/// A refused generation, in plain words.
pub struct GenerateError {
    pub message: String,
    /// At the plan's limit: offer the plans instead.
    pub upgrade: bool,
}

impl GenerateError {
    pub fn from_error(error: &AppError) -> Self {
        GenerateError {
            message: format!("{}.", capitalized(&error.to_string())),
            upgrade: matches!(error, AppError::LimitReached(_)),
        }
    }
}
