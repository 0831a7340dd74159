//! Share links: one per fursona at most, found by slug, gone when revoked or when the fursona
//! (or its account) is deleted, by the foreign key.

use time::OffsetDateTime;

use super::fursonas::{COLUMNS, FURSONAS, Row};
use super::{Store, with_pool};
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::domain::share::{ShareOptions, Slug};
use crate::store::fursonas::StoredFursona;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Share {
    pub slug: String,
    pub fursona_id: FursonaId,
    pub include_photo: bool,
    pub discoverable: bool,
    pub created_at: OffsetDateTime,
}

/// A share with what it shows, as a stranger's request finds it.
pub struct Shared {
    pub share: Share,
    pub fursona: StoredFursona,
}

/// Whether sharing made a new link or found the one that exists.
pub enum Sharing {
    Created(Share),
    Existing(Share),
}

const SHARE_COLUMNS: &str = "slug, fursona_id, include_photo, discoverable, created_at";

impl Store {
    /// Shares the user's fursona under `slug`, unless it is shared already (then that link).
    /// `None`: the user has no such fursona.
    pub async fn share_fursona(
        &self,
        user: UserId,
        fursona: FursonaId,
        slug: &Slug,
        options: ShareOptions,
        now: OffsetDateTime,
    ) -> Result<Option<Sharing>, sqlx::Error> {
        // Only the owner's fursona can be shared: the INSERT selects it by both ids.
        let inserted = with_pool!(self, |pool| sqlx::query(
            "INSERT INTO shares (slug, fursona_id, include_photo, discoverable, created_at) \
             SELECT ?, id, ?, ?, ? FROM fursonas WHERE id = ? AND user_id = ?"
        )
        .bind(slug.as_str())
        .bind(options.include_photo)
        .bind(options.discoverable)
        .bind(now)
        .bind(fursona)
        .bind(user)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
        let inserted = match inserted {
            Ok(rows) => rows == 1,
            // Shared already: the fursona's share is unique.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => false,
            Err(e) => return Err(e),
        };
        Ok(self
            .share_of(user, fursona)
            .await?
            .map(|share| match inserted {
                true => Sharing::Created(share),
                false => Sharing::Existing(share),
            }))
    }

    /// The share of the user's fursona, if it is shared.
    pub async fn share_of(
        &self,
        user: UserId,
        fursona: FursonaId,
    ) -> Result<Option<Share>, sqlx::Error> {
        let sql = format!(
            "SELECT {SHARE_COLUMNS} FROM shares WHERE fursona_id = \
             (SELECT id FROM fursonas WHERE id = ? AND user_id = ?)"
        );
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(fursona)
            .bind(user)
            .fetch_optional(pool)
            .await)
    }

    /// Every share of the user's fursonas, newest first.
    pub async fn shares_of_user(&self, user: UserId) -> Result<Vec<Share>, sqlx::Error> {
        let sql = format!(
            "SELECT {SHARE_COLUMNS} FROM shares WHERE fursona_id IN \
             (SELECT id FROM fursonas WHERE user_id = ?) ORDER BY created_at DESC, slug"
        );
        with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(user)
            .fetch_all(pool)
            .await)
    }

    /// The user's fursonas that are shared, newest first.
    pub async fn shared_fursonas(&self, user: UserId) -> Result<Vec<StoredFursona>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FURSONAS} WHERE user_id = ? \
             AND id IN (SELECT fursona_id FROM shares) ORDER BY id DESC"
        );
        let rows: Vec<Row> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(user)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(StoredFursona::try_from).collect()
    }

    /// Revokes the share of the user's fursona; true when there was one.
    pub async fn unshare_fursona(
        &self,
        user: UserId,
        fursona: FursonaId,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "DELETE FROM shares WHERE fursona_id = \
             (SELECT id FROM fursonas WHERE id = ? AND user_id = ?)"
        )
        .bind(fursona)
        .bind(user)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
    }

    /// Revokes every share of the user's; how many there were.
    pub async fn unshare_all(&self, user: UserId) -> Result<u64, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query(
            "DELETE FROM shares WHERE fursona_id IN (SELECT id FROM fursonas WHERE user_id = ?)"
        )
        .bind(user)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
    }

    /// The share with this slug and the fursona it shows, in one query.
    pub async fn shared(&self, slug: &Slug) -> Result<Option<Shared>, sqlx::Error> {
        let Some(share): Option<Share> = ({
            let sql = format!("SELECT {SHARE_COLUMNS} FROM shares WHERE slug = ?");
            with_pool!(self, |pool| sqlx::query_as(&sql)
                .bind(slug.as_str())
                .fetch_optional(pool)
                .await)?
        }) else {
            return Ok(None);
        };
        let sql = format!("SELECT {COLUMNS} FROM {FURSONAS} WHERE id = ?");
        let row: Option<Row> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(share.fursona_id)
            .fetch_optional(pool)
            .await)?;
        Ok(match row {
            Some(row) => Some(Shared {
                share,
                fursona: StoredFursona::try_from(row)?,
            }),
            None => None,
        })
    }

    /// The photo of a shared fursona, only when its owner chose to show it.
    pub async fn shared_photo(
        &self,
        slug: &Slug,
    ) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
        with_pool!(self, |pool| sqlx::query_as(
            "SELECT image, image_type FROM fursonas JOIN shares ON shares.fursona_id = fursonas.id \
             WHERE shares.slug = ? AND shares.include_photo"
        )
        .bind(slug.as_str())
        .fetch_optional(pool)
        .await)
    }
}
