//! A user's fursonas: one at a time, and history a page at a time (fetched one longer than asked, see [`paging`]). Every lookup is scoped to the
//! owner; another user's id is "not found", exactly like an id that does not exist.

use super::paging;
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::error::AppError;
use crate::store::Store;
use crate::store::fursonas::StoredFursona;

/// One page of history, newest first.
pub struct Page {
    pub items: Vec<StoredFursona>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<FursonaId>,
}

/// Up to `limit` fursonas after `cursor` (the previous page's `next_cursor`).
pub async fn history(
    store: &Store,
    user: UserId,
    limit: u32,
    cursor: Option<FursonaId>,
) -> Result<Page, AppError> {
    let items = store.list_fursonas(user, limit + 1, cursor).await?;
    let (items, next_cursor) = paging::cut(items, limit, |f| f.id);
    Ok(Page { items, next_cursor })
}

/// The user's fursona with this id.
pub async fn owned(store: &Store, user: UserId, id: FursonaId) -> Result<StoredFursona, AppError> {
    store
        .find_fursona(user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Deletes the user's fursona and its photo. The generation stays counted.
pub async fn delete(store: &Store, user: UserId, id: FursonaId) -> Result<(), AppError> {
    if store.delete_fursona(user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
