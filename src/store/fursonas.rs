//! Stored fursonas: the structured result as JSON, its description, who made it, and the
//! re-encoded photo. Every read is scoped to the owner: another user's id finds nothing.

use time::OffsetDateTime;

use super::{Store, with_pool};
use crate::domain::account::UserId;
use crate::domain::fursona::{Fursona, FursonaId};

/// A result about to be stored with its reservation (see `Store::complete_generation`).
pub struct NewFursona<'a> {
    pub id: FursonaId,
    pub user_id: UserId,
    /// The fursona as JSON, validated before it got here.
    pub data: String,
    pub description: String,
    pub engine: &'a str,
    pub model: &'a str,
    pub tokens: Option<u32>,
    pub image: &'a [u8],
    pub image_type: &'a str,
    pub created_at: OffsetDateTime,
    /// The fursona a re-roll started from.
    pub parent_id: Option<FursonaId>,
}

/// A fursona changed by its owner, validated before it got here.
pub struct EditedFursona {
    /// The fursona as JSON.
    pub data: String,
    pub description: String,
    pub edited_at: OffsetDateTime,
}

/// The INSERT of a [`NewFursona`], bound and ready to execute on either backend's connection
/// (a macro because the query's type differs per backend).
macro_rules! insert_fursona {
    ($new:expr) => {
        sqlx::query(
            "INSERT INTO fursonas (id, user_id, data, description, engine, model, tokens_used, \
             image, image_type, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind($new.id)
        .bind($new.user_id)
        .bind($new.data.as_str())
        .bind($new.description.as_str())
        .bind($new.engine)
        .bind($new.model)
        .bind($new.tokens.map(i64::from))
        .bind($new.image)
        .bind($new.image_type)
        .bind($new.created_at)
        .bind($new.parent_id)
    };
}
pub(super) use insert_fursona;

/// A stored fursona without its photo: `F` is the fursona itself, or [`FursonaJson`] when it
/// is only passed on.
#[derive(Clone, Debug)]
pub struct StoredFursona<F = Fursona> {
    pub id: FursonaId,
    pub fursona: F,
    pub description: String,
    pub engine: String,
    pub model: String,
    pub created_at: OffsetDateTime,
    /// The fursona it was re-rolled from, while that one exists.
    pub parent_id: Option<FursonaId>,
    /// When its owner last changed it by hand.
    pub edited_at: Option<OffsetDateTime>,
    /// How many times it was edited: with the id, it names the content exactly.
    pub revision: i64,
    /// The slug of its public link, while it is shared.
    pub share: Option<String>,
}

/// What a page of history needs to know of a fursona beyond its content, which its `id` and
/// `revision` name: what can change without an edit.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FursonaHead {
    pub id: FursonaId,
    pub revision: i64,
    /// Cleared when the fursona it was re-rolled from is deleted.
    pub parent_id: Option<FursonaId>,
    /// The slug of its public link, while it is shared.
    pub share: Option<String>,
}

/// A fursona row as read; it becomes a [`StoredFursona`] with its JSON parsed or not.
#[derive(sqlx::FromRow)]
pub struct Row {
    id: FursonaId,
    data: String,
    description: String,
    engine: String,
    model: String,
    created_at: OffsetDateTime,
    parent_id: Option<FursonaId>,
    edited_at: Option<OffsetDateTime>,
    revision: i64,
    share: Option<String>,
}

/// A fursona's JSON exactly as stored: written by `serde_json` from a validated [`Fursona`]
/// (an object), so it can be sent on without parsing it again, which was a tenth of the work
/// of a history page.
#[derive(Clone, Debug)]
pub struct FursonaJson(pub String);

impl Row {
    fn with<F>(self, fursona: F) -> StoredFursona<F> {
        StoredFursona {
            id: self.id,
            fursona,
            description: self.description,
            engine: self.engine,
            model: self.model,
            created_at: self.created_at,
            parent_id: self.parent_id,
            edited_at: self.edited_at,
            revision: self.revision,
            share: self.share,
        }
    }
}

impl TryFrom<Row> for StoredFursona {
    type Error = sqlx::Error;

    fn try_from(row: Row) -> Result<Self, sqlx::Error> {
        let fursona = serde_json::from_str(&row.data).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(row.with(fursona))
    }
}

impl TryFrom<Row> for StoredFursona<FursonaJson> {
    type Error = sqlx::Error;

    fn try_from(mut row: Row) -> Result<Self, sqlx::Error> {
        let data = std::mem::take(&mut row.data);
        Ok(row.with(FursonaJson(data)))
    }
}

/// A stored fursona's columns, with the slug of its share (if any) beside them, read
/// `FROM {FURSONAS}`.
pub(super) const COLUMNS: &str = "fursonas.id, fursonas.data, fursonas.description, \
     fursonas.engine, fursonas.model, fursonas.created_at, fursonas.parent_id, \
     fursonas.edited_at, fursonas.revision, shares.slug AS share";

/// A [`FursonaHead`]'s columns, read `FROM {FURSONAS}`.
const HEAD_COLUMNS: &str =
    "fursonas.id, fursonas.revision, fursonas.parent_id, shares.slug AS share";

/// Fursonas with their share, if any: a join, which MariaDB answered a page of history with
/// about 14% faster than a subquery per row.
pub(super) const FURSONAS: &str = "fursonas LEFT JOIN shares ON shares.fursona_id = fursonas.id";

impl Store {
    /// Newest first; `before` continues after the last id of the previous page. `F` says
    /// whether each fursona is parsed or kept as its JSON.
    pub async fn list_fursonas<F>(
        &self,
        user: UserId,
        limit: u32,
        before: Option<FursonaId>,
    ) -> Result<Vec<StoredFursona<F>>, sqlx::Error>
    where
        StoredFursona<F>: TryFrom<Row, Error = sqlx::Error>,
    {
        let rows: Vec<Row> = self.page(COLUMNS, user, limit, before).await?;
        rows.into_iter().map(StoredFursona::try_from).collect()
    }

    /// [`Store::list_fursonas`] without the content: a few bytes a row instead of a few
    /// kilobytes of text.
    pub async fn list_fursona_heads(
        &self,
        user: UserId,
        limit: u32,
        before: Option<FursonaId>,
    ) -> Result<Vec<FursonaHead>, sqlx::Error> {
        self.page(HEAD_COLUMNS, user, limit, before).await
    }

    /// The user's fursonas among `ids`, in no particular order, as their stored JSON.
    pub async fn find_fursonas_json(
        &self,
        user: UserId,
        ids: &[FursonaId],
    ) -> Result<Vec<StoredFursona<FursonaJson>>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let places = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM {FURSONAS} WHERE user_id = ? AND fursonas.id IN ({places})"
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(user);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(StoredFursona::try_from).collect()
    }

    /// One page of `columns` of the user's fursonas, newest first.
    async fn page<R>(
        &self,
        columns: &str,
        user: UserId,
        limit: u32,
        before: Option<FursonaId>,
    ) -> Result<Vec<R>, sqlx::Error>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow>
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + Send
            + Unpin,
    {
        let after_cursor = if before.is_some() { " AND id < ?" } else { "" };
        let sql = format!(
            "SELECT {columns} FROM {FURSONAS} WHERE user_id = ?{after_cursor} \
             ORDER BY id DESC LIMIT ?"
        );
        with_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(user);
            if let Some(before) = before {
                query = query.bind(before);
            }
            query.bind(i64::from(limit)).fetch_all(pool).await
        })
    }

    pub async fn find_fursona(
        &self,
        user: UserId,
        id: FursonaId,
    ) -> Result<Option<StoredFursona>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM {FURSONAS} WHERE id = ? AND user_id = ?");
        let row: Option<Row> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(id)
            .bind(user)
            .fetch_optional(pool)
            .await)?;
        row.map(StoredFursona::try_from).transpose()
    }

    /// The stored photo and its content type.
    pub async fn fursona_image(
        &self,
        user: UserId,
        id: FursonaId,
    ) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT image, image_type FROM fursonas WHERE id = ? AND user_id = ?"
        )
        .bind(id)
        .bind(user)
        .fetch_optional(pool)
        .await)
    }

    /// Replaces the owner's fursona with its edited version; false when there is no such
    /// fursona of `user`.
    pub async fn edit_fursona(
        &self,
        user: UserId,
        id: FursonaId,
        edited: &EditedFursona,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE fursonas SET data = ?, description = ?, edited_at = ?, \
             revision = revision + 1 WHERE id = ? AND user_id = ?"
        )
        .bind(edited.data.as_str())
        .bind(edited.description.as_str())
        .bind(edited.edited_at)
        .bind(id)
        .bind(user)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
    }

    /// True when something was deleted. Usage is not given back: the generation happened.
    pub async fn delete_fursona(&self, user: UserId, id: FursonaId) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "DELETE FROM fursonas WHERE id = ? AND user_id = ?"
        )
        .bind(id)
        .bind(user)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
    }
}
