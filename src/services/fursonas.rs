//! A user's fursonas: one at a time, and history a page at a time (fetched one longer than asked, see [`paging`]). Every lookup is scoped to the
//! owner; another user's id is "not found", exactly like an id that does not exist.

use super::paging;
use crate::domain::account::UserId;
use time::OffsetDateTime;

use crate::domain::fursona::{Edit, FursonaId};
use crate::error::AppError;
use crate::store::Store;
use crate::store::fursonas::{EditedFursona, FursonaHead, FursonaJson, Row, StoredFursona};

/// One page of history, newest first.
pub struct Page<T = StoredFursona> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<FursonaId>,
}

impl<T> Page<T> {
    /// A page from `limit + 1` items fetched (see [`paging::cut`]).
    fn cut(items: Vec<T>, limit: u32, id: impl Fn(&T) -> FursonaId) -> Self {
        let (items, next_cursor) = paging::cut(items, limit, id);
        Page { items, next_cursor }
    }
}

/// Up to `limit` fursonas after `cursor` (the previous page's `next_cursor`), each parsed or
/// kept as JSON (`F`, see [`StoredFursona`]).
pub async fn history<F>(
    store: &Store,
    user: UserId,
    limit: u32,
    cursor: Option<FursonaId>,
) -> Result<Page<StoredFursona<F>>, AppError>
where
    StoredFursona<F>: TryFrom<Row, Error = sqlx::Error>,
{
    let items = store.list_fursonas(user, limit + 1, cursor).await?;
    Ok(Page::cut(items, limit, |f| f.id))
}

/// [`history`] without the content, for a caller that keeps what it makes of each fursona by
/// its id and revision, and asks [`by_ids`] for those it has not made yet.
pub async fn history_heads(
    store: &Store,
    user: UserId,
    limit: u32,
    cursor: Option<FursonaId>,
) -> Result<Page<FursonaHead>, AppError> {
    let items = store.list_fursona_heads(user, limit + 1, cursor).await?;
    Ok(Page::cut(items, limit, |f| f.id))
}

/// The user's fursonas among `ids`, as their stored JSON, in no particular order; an id that
/// is not the user's (or no longer exists) is left out.
pub async fn by_ids(
    store: &Store,
    user: UserId,
    ids: &[FursonaId],
) -> Result<Vec<StoredFursona<FursonaJson>>, AppError> {
    Ok(store.find_fursonas_json(user, ids).await?)
}

/// The user's fursona with this id.
pub async fn owned(store: &Store, user: UserId, id: FursonaId) -> Result<StoredFursona, AppError> {
    store
        .find_fursona(user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Changes the user's fursona by hand, checked like generated output: an invalid edit changes
/// nothing and names every invalid field. Free of charge. An edit that changes nothing leaves
/// the fursona, and its `edited_at`, as they were. Two edits at once: the last one wins whole.
pub async fn edit(
    store: &Store,
    user: UserId,
    id: FursonaId,
    edit: Edit,
    now: OffsetDateTime,
) -> Result<StoredFursona, AppError> {
    let mut stored = owned(store, user, id).await?;
    let fursona = edit
        .apply(stored.fursona.clone())
        .map_err(AppError::InvalidFursona)?;
    if fursona == stored.fursona {
        return Ok(stored);
    }
    let edited = EditedFursona {
        data: serde_json::to_string(&fursona).map_err(|e| AppError::Internal(e.into()))?,
        description: fursona.description(),
        edited_at: now,
    };
    if !store.edit_fursona(user, id, &edited).await? {
        return Err(AppError::NotFound);
    }
    stored.description = edited.description;
    stored.edited_at = Some(now);
    stored.fursona = fursona;
    Ok(stored)
}

/// Deletes the user's fursona and its photo. The generation stays counted.
pub async fn delete(store: &Store, user: UserId, id: FursonaId) -> Result<(), AppError> {
    if store.delete_fursona(user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
