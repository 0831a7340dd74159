//! Whoever is looking at a page: the session, and the user if signed in. Builds the frame of
//! every page ([`Layout`]) for them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::PageError;
use super::layout::Layout;
use crate::auth::session::WebSession;
use crate::domain::usage::Usage;
use crate::error::AppError;
use crate::routes::assets::URLS;
use crate::state::AppState;
use crate::store::users::User;

/// Whoever is looking at the page: the session, and the user if signed in.
#[derive(Clone)]
pub struct Visitor {
    pub session: WebSession,
    pub user: Option<User>,
    state: AppState,
}

impl Visitor {
    /// The frame for this visitor. A CSRF token is only created for signed-in users here; pages
    /// with forms for visitors ask for one with [`WebSession::csrf_token`].
    /// Shows (and so ends) the session's one-time message, if any.
    pub async fn layout(&self) -> Result<Layout, PageError> {
        let flash = self.session.take_flash().await?;
        let Some(user) = &self.user else {
            return Ok(Layout {
                flash,
                ..Layout::anonymous()
            });
        };
        let usage = self.usage_of(user).await?;
        Ok(Layout {
            user_name: Some(user.name.clone()),
            admin: user.admin,
            usage: Some(usage.summary()),
            csrf_token: Some(self.session.csrf_token().await?),
            flash,
            assets: &URLS,
        })
    }
}

impl Visitor {
    /// The signed-in user; visitors are sent to the login page.
    pub fn signed_in(&self) -> Result<&User, AppError> {
        self.user
            .as_ref()
            .ok_or(AppError::Unauthenticated("log in to see this page"))
    }

    pub fn payments_enabled(&self) -> bool {
        self.state.subscriptions.payments_enabled()
    }

    /// Generating waits for this visitor's address to be verified.
    pub fn must_verify_email(&self) -> bool {
        self.state.emails.require_verified()
            && self
                .user
                .as_ref()
                .is_some_and(|u| u.email_verified_at.is_none())
    }

    pub fn max_upload_bytes(&self) -> usize {
        self.state.web.max_upload_bytes
    }

    pub async fn plan_of(&self, user: &User) -> Result<crate::domain::plan::Plan, PageError> {
        Ok(self.usage_of(user).await?.plan)
    }

    /// The user's plan and usage in the current period.
    pub async fn usage_of(&self, user: &User) -> Result<Usage, PageError> {
        Ok(self
            .state
            .store
            .usage(user.id, self.state.clock.moment())
            .await?)
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let session = WebSession::from_request_parts(parts, state).await?;
        let user = match session.user_id().await? {
            Some(id) => match state.store.find_user(id).await? {
                Some(user)
                    if !user.disabled && !session.began_before(user.tokens_valid_after).await? =>
                {
                    state.accounts.seen(&user).await;
                    Some(user)
                }
                _ => {
                    // The account is gone or disabled, or its password changed since: so is
                    // this session.
                    session.sign_out().await?;
                    None
                }
            },
            None => None,
        };
        Ok(Visitor {
            session,
            user,
            state: state.clone(),
        })
    }
}
