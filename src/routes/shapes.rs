//! What both front doors send in the same shape: a fursona as JSON (the API's answer and the
//! page's download) with the URLs of its files, the whole account as a JSON download, and a
//! stored photo.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;
use url::Url;
use utoipa::ToSchema;

use crate::domain::account::UserId;
use crate::domain::fursona::{Fursona, FursonaId};
use crate::domain::plan::Plan;
use crate::error::AppError;
use crate::services::fursonas;
use crate::state::AppState;
use crate::store::fursonas::{FursonaHead, FursonaJson, StoredFursona};
use crate::store::shares::Share;
use crate::store::users::User;

/// Fursonas fetched per query while exporting.
const EXPORT_PAGE: u32 = 100;

/// What the kept JSON of fursonas may hold: about 4,000 of them, at 2 KB each.
pub const KEPT_JSON_BYTES: usize = 8 * 1024 * 1024;

/// Where a fursona's files live: its photo (`/image`) and its drawn pictures
/// (`/portrait.svg`, `/sheet.png`, ...), each answering to the owner's token or session.
pub fn files_url(id: FursonaId) -> String {
    format!("/api/fursona/{id}")
}

pub fn thumbnail_url(id: FursonaId) -> String {
    picture_url(id, "thumbnail.jpg")
}

pub fn picture_url(id: FursonaId, file: &str) -> String {
    format!("{}/{file}", files_url(id))
}

/// The public link of a share, absolute: it is pasted into chats and profiles.
pub fn share_url(site: &Url, slug: &str) -> String {
    format!("{}/s/{slug}", site.as_str().trim_end_matches('/'))
}

/// A file's bytes, as the OpenAPI document describes a binary answer.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(pub Vec<u8>);

#[derive(Serialize, ToSchema)]
pub struct FursonaBody {
    #[serde(flatten)]
    fursona: Fursona,
    #[serde(flatten)]
    facts: Facts,
}

/// What a fursona's JSON carries beside the fursona itself.
#[derive(Serialize, ToSchema)]
struct Facts {
    #[serde(flatten)]
    lasting: LastingFacts,
    #[serde(flatten)]
    changing: ChangingFacts,
}

/// The facts that change only with an edit, as the fursona itself does.
#[derive(Serialize, ToSchema)]
struct LastingFacts {
    id: FursonaId,
    /// A readable paragraph composed from the parts above.
    description: String,
    /// The stored photo, answered to the owner's token.
    #[schema(value_type = String)]
    image_url: FileUrl,
    /// The photo small (144 px on its long side, JPEG), for lists.
    #[schema(value_type = String)]
    thumbnail_url: FileUrl,
    /// The drawn portrait (SVG; `portrait.png?size=N` is the same as PNG).
    #[schema(value_type = String)]
    portrait_url: FileUrl,
    /// The reference sheet (PNG, 1600 x 1000; `sheet.svg` is the same as SVG).
    #[schema(value_type = String)]
    sheet_url: FileUrl,
    /// `openai` or `offline`.
    engine: String,
    model: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// When it was last changed by hand; `null` if never.
    #[serde(with = "time::serde::rfc3339::option")]
    edited_at: Option<OffsetDateTime>,
}

/// The facts that change without an edit: sharing, and deleting the original of a re-roll.
#[derive(Serialize, ToSchema)]
struct ChangingFacts {
    /// The public link, while the fursona is shared; `null` otherwise.
    share_url: Option<String>,
    /// The fursona this one was re-rolled from; `null` for a fresh generation, or once the
    /// original is deleted.
    parent_id: Option<FursonaId>,
}

/// [`picture_url`], written straight into the JSON: a page of history has four per fursona.
struct FileUrl(FursonaId, &'static str);

impl std::fmt::Display for FileUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let FileUrl(id, file) = self;
        write!(f, "/api/fursona/{id}")?;
        write!(f, "/{file}")
    }
}

impl Serialize for FileUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl LastingFacts {
    fn new<F>(stored: StoredFursona<F>) -> (F, Self) {
        let facts = LastingFacts {
            id: stored.id,
            image_url: FileUrl(stored.id, "image"),
            thumbnail_url: FileUrl(stored.id, "thumbnail.jpg"),
            portrait_url: FileUrl(stored.id, "portrait.svg"),
            sheet_url: FileUrl(stored.id, "sheet.png"),
            description: stored.description,
            engine: stored.engine,
            model: stored.model,
            created_at: stored.created_at,
            edited_at: stored.edited_at,
        };
        (stored.fursona, facts)
    }
}

impl ChangingFacts {
    fn new(share: Option<&str>, parent_id: Option<FursonaId>, site: &Url) -> Self {
        ChangingFacts {
            share_url: share.map(|slug| share_url(site, slug)),
            parent_id,
        }
    }
}

impl FursonaBody {
    /// `site` is the public URL (`APP_URL`) that share links start with.
    pub fn new(stored: StoredFursona, site: &Url) -> Self {
        let changing = ChangingFacts::new(stored.share.as_deref(), stored.parent_id, site);
        let (fursona, lasting) = LastingFacts::new(stored);
        FursonaBody {
            fursona,
            facts: Facts { lasting, changing },
        }
    }

    /// The JSON [`FursonaBody::new`] serializes to, up to the fields that change without an
    /// edit, made from the fursona's stored JSON without parsing it: an object left open, the
    /// same for as long as the fursona's id and revision are, and finished by
    /// [`FursonaBody::finish_json`].
    pub fn lasting_json(stored: StoredFursona<FursonaJson>) -> Result<Vec<u8>, AppError> {
        let (FursonaJson(fursona), facts) = LastingFacts::new(stored);
        let open = fursona
            .trim_end()
            .strip_suffix('}')
            .filter(|open| open.trim_start().starts_with('{'))
            .ok_or_else(|| AppError::internal("a stored fursona is not a JSON object"))?;
        let mut out = open.as_bytes().to_vec();
        continue_object(&mut out, &facts)?;
        Ok(out)
    }

    /// Appends `lasting` (from [`FursonaBody::lasting_json`]) finished with the head's share
    /// link and parent: the same JSON as [`FursonaBody::new`] serializes to.
    pub fn finish_json(
        lasting: &[u8],
        head: &FursonaHead,
        site: &Url,
        out: &mut Vec<u8>,
    ) -> Result<(), AppError> {
        out.extend_from_slice(lasting);
        continue_object(
            out,
            &ChangingFacts::new(head.share.as_deref(), head.parent_id, site),
        )?;
        out.push(b'}');
        Ok(())
    }
}

/// Writes `fields` as the next fields of the open object that `out` ends with, leaving it open.
fn continue_object(out: &mut Vec<u8>, fields: &impl Serialize) -> Result<(), AppError> {
    let start = out.len();
    serde_json::to_writer(&mut *out, fields).map_err(|e| AppError::Internal(e.into()))?;
    // Their own braces: the fields continue the open object.
    out.pop();
    if let Some(brace) = out.get_mut(start) {
        *brace = b',';
    }
    Ok(())
}

/// Appends the JSON of the fursonas of a page of history, comma-separated, each made once per
/// revision and kept in `state.fursona_json`: the page is then mostly copied, not written, and
/// the database sends a few bytes per fursona instead of its text. A fursona deleted since
/// the page was read is left out.
pub async fn append_history_items(
    state: &AppState,
    user: UserId,
    heads: &[FursonaHead],
    out: &mut Vec<u8>,
) -> Result<(), AppError> {
    let kept: Vec<Option<Arc<[u8]>>> = heads
        .iter()
        .map(|head| state.fursona_json.get(&(head.id, head.revision)))
        .collect();
    let missing: Vec<FursonaId> = heads
        .iter()
        .zip(&kept)
        .filter_map(|(head, kept)| kept.is_none().then_some(head.id))
        .collect();
    let mut made = HashMap::with_capacity(missing.len());
    if !missing.is_empty() {
        for stored in fursonas::by_ids(&state.store, user, &missing).await? {
            // Possibly edited since its head was read: then this is the newer revision.
            let key = (stored.id, stored.revision);
            let json: Arc<[u8]> = FursonaBody::lasting_json(stored)?.into();
            state.fursona_json.keep(key, json.clone());
            made.insert(key.0, json);
        }
    }
    let mut first = true;
    for (head, kept) in heads.iter().zip(kept) {
        let Some(lasting) = kept.or_else(|| made.remove(&head.id)) else {
            continue;
        };
        if !first {
            out.push(b',');
        }
        first = false;
        FursonaBody::finish_json(&lasting, head, &state.web.app_url, out)?;
    }
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct Export {
    account: ExportedAccount,
    subscription: ExportedSubscription,
    /// Photos are links, answered to this account's token or session.
    fursonas: Vec<FursonaBody>,
    /// The public links of the fursonas that are shared.
    shares: Vec<ShareBody>,
    #[serde(with = "time::serde::rfc3339")]
    exported_at: OffsetDateTime,
}

/// A public link to a fursona.
#[derive(Serialize, ToSchema)]
pub struct ShareBody {
    /// The link itself, absolute.
    url: String,
    /// 256 random bits, URL-safe.
    slug: String,
    fursona_id: FursonaId,
    /// The uploaded photo is shown on the public page.
    include_photo: bool,
    /// Search engines may index the page.
    discoverable: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl ShareBody {
    pub fn new(share: Share, site: &Url) -> Self {
        ShareBody {
            url: share_url(site, &share.slug),
            slug: share.slug,
            fursona_id: share.fursona_id,
            include_photo: share.include_photo,
            discoverable: share.discoverable,
            created_at: share.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct ExportedAccount {
    id: UserId,
    email: String,
    name: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
struct ExportedSubscription {
    plan: Plan,
    status: String,
    generations_used: u32,
    generations_limit: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    current_period_end: OffsetDateTime,
}

/// The whole account as a JSON download, for the API and the account page.
pub async fn export_response(state: &AppState, user: &User) -> Result<Response, AppError> {
    let usage = state.store.usage(user.id, state.clock.moment()).await?;
    let billing = state.store.billing(user.id).await?;
    let mut fursonas = Vec::new();
    let mut cursor = None;
    loop {
        let page = fursonas::history(&state.store, user.id, EXPORT_PAGE, cursor).await?;
        fursonas.extend(
            page.items
                .into_iter()
                .map(|f| FursonaBody::new(f, &state.web.app_url)),
        );
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let export = Export {
        account: ExportedAccount {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            created_at: user.created_at,
        },
        subscription: ExportedSubscription {
            plan: usage.plan,
            status: billing.status,
            generations_used: usage.used,
            generations_limit: usage.limit,
            current_period_end: usage.period_end,
        },
        fursonas,
        shares: state
            .sharing
            .shares_of(user.id)
            .await?
            .into_iter()
            .map(|share| ShareBody::new(share, &state.web.app_url))
            .collect(),
        exported_at: state.clock.now(),
    };
    json_download(&export, "fursona-account.json")
}

/// `value` as pretty JSON, offered as a file named `file_name`.
pub fn json_download(value: &impl Serialize, file_name: &str) -> Result<Response, AppError> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| AppError::Internal(e.into()))?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        json,
    )
        .into_response())
}

/// The stored photo with its real content type, cached only privately.
pub fn photo_response(bytes: Vec<u8>, content_type: &str) -> Response {
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::art::tests::sample;

    fn stored(share: Option<&str>, edited: bool) -> StoredFursona {
        let fursona = sample("red fox", "Ember \"Quote\" \\ ü");
        StoredFursona {
            id: FursonaId::new(),
            description: fursona.description(),
            fursona,
            engine: "offline".into(),
            model: "coherent-1".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            parent_id: edited.then(FursonaId::new),
            edited_at: edited.then_some(OffsetDateTime::UNIX_EPOCH),
            revision: i64::from(edited),
            share: share.map(str::to_owned),
        }
    }

    /// The same stored fursona, with `text` as its stored JSON.
    fn as_stored_json(stored: &StoredFursona, text: String) -> StoredFursona<FursonaJson> {
        StoredFursona {
            fursona: FursonaJson(text),
            id: stored.id,
            description: stored.description.clone(),
            engine: stored.engine.clone(),
            model: stored.model.clone(),
            created_at: stored.created_at,
            parent_id: stored.parent_id,
            edited_at: stored.edited_at,
            revision: stored.revision,
            share: stored.share.clone(),
        }
    }

    fn head(stored: &StoredFursona) -> FursonaHead {
        FursonaHead {
            id: stored.id,
            revision: stored.revision,
            parent_id: stored.parent_id,
            share: stored.share.clone(),
        }
    }

    #[test]
    fn the_json_joined_from_storage_is_the_json_serialized_from_the_fursona() {
        let site = Url::parse("https://fursona.example/").expect("url");
        for stored in [stored(None, false), stored(Some("slug"), true)] {
            let text = serde_json::to_string(&stored.fursona).expect("json");
            let lasting = FursonaBody::lasting_json(as_stored_json(&stored, text)).expect("made");
            // Appended after other bytes, as in a page: the join must not touch what came before.
            let mut joined = b"[".to_vec();
            FursonaBody::finish_json(&lasting, &head(&stored), &site, &mut joined).expect("joined");
            let serialized =
                serde_json::to_vec(&FursonaBody::new(stored, &site)).expect("serialized");
            assert_eq!(
                joined[1..],
                serialized,
                "{}",
                String::from_utf8_lossy(&joined)
            );
        }
    }

    #[test]
    fn the_kept_part_is_finished_with_the_share_and_parent_of_the_moment() {
        let site = Url::parse("https://fursona.example/").expect("url");
        let stored = stored(Some("old"), true);
        let text = serde_json::to_string(&stored.fursona).expect("json");
        let lasting = FursonaBody::lasting_json(as_stored_json(&stored, text)).expect("made");
        let now = FursonaHead {
            share: Some("new".into()),
            parent_id: None,
            ..head(&stored)
        };
        let mut out = Vec::new();
        FursonaBody::finish_json(&lasting, &now, &site, &mut out).expect("joined");
        let json: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(json["share_url"], "https://fursona.example/s/new");
        assert_eq!(json["parent_id"], serde_json::Value::Null);
        assert_eq!(json["id"], stored.id.to_string());
    }

    #[test]
    fn stored_text_that_is_not_an_object_is_an_error_not_broken_json() {
        let raw = as_stored_json(&stored(None, false), "[1, 2]".into());
        assert!(FursonaBody::lasting_json(raw).is_err());
    }
}
