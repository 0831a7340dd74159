//! What every page's frame needs: who is signed in, the CSRF token for its forms, asset URLs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::session::WebSession;
use crate::error::{AppError, PageError};
use crate::routes::assets::{AssetUrls, URLS};
use crate::state::AppState;
use crate::store::users::User;

pub struct Layout {
    pub user_name: Option<String>,
    /// "2 of 5 this month" for signed-in users; updated in place after each generation.
    pub usage: Option<String>,
    /// Sent by htmx on every request (`hx-headers`) and by the logout form.
    pub csrf_token: Option<String>,
    pub assets: &'static AssetUrls,
}

impl Layout {
    pub fn anonymous() -> Self {
        Layout {
            user_name: None,
            usage: None,
            csrf_token: None,
            assets: &URLS,
        }
    }
}

/// Whoever is looking at the page: the session, and the user if signed in.
pub struct Visitor {
    pub session: WebSession,
    pub user: Option<User>,
    state: AppState,
}

impl Visitor {
    /// The frame for this visitor. A CSRF token is only created for signed-in users here; pages
    /// with forms for visitors ask for one with [`WebSession::csrf_token`].
    pub async fn layout(&self) -> Result<Layout, PageError> {
        let Some(user) = &self.user else {
            return Ok(Layout::anonymous());
        };
        let usage = self.state.store.usage(user.id, self.state.moment()).await?;
        Ok(Layout {
            user_name: Some(user.name.clone()),
            usage: Some(usage.summary()),
            csrf_token: Some(self.session.csrf_token().await?),
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
        self.state.payments.is_some()
    }

    pub fn max_upload_bytes(&self) -> usize {
        self.state.config.upload.max_bytes
    }

    pub async fn plan_of(&self, user: &User) -> Result<crate::domain::plan::Plan, PageError> {
        Ok(self
            .state
            .store
            .usage(user.id, self.state.moment())
            .await?
            .plan)
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let session = WebSession::from_request_parts(parts, state).await?;
        let user = match session.user_id().await? {
            Some(id) => match state.store.find_user(id).await? {
                Some(user) if !session.began_before(user.tokens_valid_after).await? => Some(user),
                _ => {
                    // The account is gone, or its password changed since: so is this session.
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
