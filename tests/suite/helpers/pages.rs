//! The HTML pages: `TestApp`'s helpers for them (with its cookie-keeping client), CSRF tokens and
//! session cookies.

use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::{Response, StatusCode};

use super::{PASSWORD, TestApp};

/// The value of the hidden CSRF field in a page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// The `Set-Cookie` header of the session cookie, if the response sets it.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("fursona_session="))
        .map(str::to_owned)
}

/// The value in a `Set-Cookie` header.
pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .expect("name=value")
        .1
        .to_owned()
}

/// The HTML at `url`, as `client` (another browser, say) gets it.
pub async fn html_at(client: &reqwest::Client, url: &str) -> String {
    client
        .get(url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

/// Signs `client` in through the login form of the server at `base`: the form's CSRF token,
/// then the form.
pub async fn log_in_through_form(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Response {
    let token = csrf_token(&html_at(client, &format!("{base}/login")).await);
    client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("login")
}

/// Signs `client` out with the log-out button of the page it sees at `/`.
pub async fn log_out_through_form(client: &reqwest::Client, base: &str) {
    let token = csrf_token(&html_at(client, &format!("{base}/")).await);
    let response = client
        .post(format!("{base}/logout"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

impl TestApp {
    /// GETs any path with this app's client (and so its cookies).
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect(path)
    }

    /// A page's HTML, whatever the status.
    pub async fn html(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("html")
    }

    /// A page's HTML, asserting it answered 200.
    pub async fn get_page(&self, path: &str) -> String {
        self.get_page_as(&self.client, path).await
    }

    /// A page's HTML as another client (another browser) sees it, asserting it answered 200.
    pub async fn get_page_as(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.expect("page");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.text().await.expect("html")
    }

    /// POSTs a form with this app's client.
    pub async fn post_form<F: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        fields: &F,
    ) -> Response {
        self.post_form_as(&self.client, path, fields).await
    }

    /// POSTs a form as another client.
    pub async fn post_form_as<F: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &F,
    ) -> Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("form post")
    }

    /// Registers "Page Person" through the register form; this app's client is then signed in.
    pub async fn register_through_form(&self, email: &str) {
        let token = csrf_token(&self.get_page("/register").await);
        let response = self
            .post_form(
                "/register",
                &[
                    ("csrf_token", token.as_str()),
                    ("name", "Page Person"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/");
    }

    /// `POST /generate` as a browser without JavaScript sends it: the CSRF token as the form's
    /// first field, then the photo.
    pub async fn generate_through_form(
        &self,
        csrf: &str,
        photo: reqwest::multipart::Part,
    ) -> Response {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.to_owned())
            .part("image", photo);
        self.client
            .post(self.url("/generate"))
            .multipart(form)
            .send()
            .await
            .expect("post")
    }

    /// `POST /generate` as htmx sends it: the CSRF token in a header.
    pub async fn generate_with_htmx(&self, csrf: &str, form: reqwest::multipart::Form) -> Response {
        self.client
            .post(self.url("/generate"))
            .header("hx-request", "true")
            .header("x-csrf-token", csrf)
            .multipart(form)
            .send()
            .await
            .expect("post")
    }
}
