//! Sharing a fursona by a public link: the owner shares and revokes; anyone with the link sees
//! the fursona. A slug that names nothing counts against the client like a failed login, so that
//! guessing links is as slow as guessing passwords.

use std::net::IpAddr;

use crate::auth::throttle::LoginThrottle;
use crate::domain::account::UserId;
use crate::domain::fursona::FursonaId;
use crate::domain::share::{ShareOptions, Slug};
use crate::domain::usage::UsageClock;
use crate::error::AppError;
use crate::store::Store;
use crate::store::fursonas::StoredFursona;
use crate::store::shares::{Share, Shared, Sharing as Outcome};

#[derive(Clone)]
pub struct Sharing {
    pub store: Store,
    pub clock: UsageClock,
    /// Unknown slugs, per client address.
    pub guesses: LoginThrottle,
}

impl Sharing {
    /// Shares the user's fursona; an existing link is returned as it is.
    pub async fn share(
        &self,
        user: UserId,
        fursona: FursonaId,
        options: ShareOptions,
    ) -> Result<Outcome, AppError> {
        self.store
            .share_fursona(user, fursona, &Slug::new(), options, self.clock.now())
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Revokes the link of the user's fursona: the slug answers 404 from now on.
    pub async fn unshare(&self, user: UserId, fursona: FursonaId) -> Result<(), AppError> {
        if self.store.unshare_fursona(user, fursona).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// As [`Sharing::unshare`], for pages: a link revoked already (in another tab, say) is
    /// what was wanted.
    pub async fn stop_sharing(&self, user: UserId, fursona: FursonaId) -> Result<(), AppError> {
        match self.unshare(user, fursona).await {
            Ok(()) | Err(AppError::NotFound) => Ok(()),
            Err(error) => Err(error),
        }
    }

    pub async fn unshare_all(&self, user: UserId) -> Result<u64, AppError> {
        Ok(self.store.unshare_all(user).await?)
    }

    /// The user's shared fursonas, for the account page.
    pub async fn shared_fursonas(&self, user: UserId) -> Result<Vec<StoredFursona>, AppError> {
        Ok(self.store.shared_fursonas(user).await?)
    }

    pub async fn shares_of(&self, user: UserId) -> Result<Vec<Share>, AppError> {
        Ok(self.store.shares_of_user(user).await?)
    }

    /// What the link `slug` shows. Unknown and revoked slugs are alike: 404, counted against
    /// `client`; past the limit, 429 before any lookup.
    pub async fn open(&self, client: IpAddr, slug: &str) -> Result<Shared, AppError> {
        self.guesses
            .check_address(client)
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        let found = match Slug::parse(slug) {
            Some(slug) => self.store.shared(&slug).await?,
            None => None,
        };
        found.ok_or_else(|| {
            self.guesses.record_address_failure(client);
            AppError::NotFound
        })
    }

    /// The photo behind a link, when its owner chose to show it: the fursona it belongs to,
    /// its bytes and content type.
    pub async fn photo(
        &self,
        client: IpAddr,
        slug: &str,
    ) -> Result<(FursonaId, Vec<u8>, String), AppError> {
        let shared = self.open(client, slug).await?;
        if !shared.share.include_photo {
            return Err(AppError::NotFound);
        }
        let slug = Slug::parse(&shared.share.slug).ok_or(AppError::NotFound)?;
        let (bytes, content_type) = self
            .store
            .shared_photo(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((shared.fursona.id, bytes, content_type))
    }
}
