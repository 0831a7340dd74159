//! What every page's frame shows: who is signed in, their usage, the CSRF token for its forms,
//! asset URLs.

use crate::routes::assets::{AssetUrls, URLS};

pub struct Layout {
    pub user_name: Option<String>,
    /// Shows the link to the admin console.
    pub admin: bool,
    /// "2 of 5 this month" for signed-in users; updated in place after each generation.
    pub usage: Option<String>,
    /// Sent by htmx on every request (`hx-headers`) and by the logout form.
    pub csrf_token: Option<String>,
    /// A one-time message about what the last form did ("Your password is changed.").
    pub flash: Option<String>,
    pub assets: &'static AssetUrls,
}

impl Layout {
    pub fn anonymous() -> Self {
        Layout {
            user_name: None,
            admin: false,
            usage: None,
            csrf_token: None,
            flash: None,
            assets: &URLS,
        }
    }
}
