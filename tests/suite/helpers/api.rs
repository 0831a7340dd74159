//! `TestApp`'s helpers for the JSON API: one per endpoint, plus the generic requests they are
//! built on (for a test whose point is exactly what it sends).

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use super::{PASSWORD, TestApp, client, data_url, fixture, image_form, json};

impl TestApp {
    /// POSTs JSON without a token.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// POSTs JSON with a bearer token.
    pub async fn post_api(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// POSTs a multipart form with a bearer token.
    pub async fn post_multipart(
        &self,
        path: &str,
        token: &str,
        form: reqwest::multipart::Form,
    ) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// GETs with a bearer token.
    pub async fn get_authed(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// DELETEs with a bearer token.
    pub async fn delete_authed(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("delete")
    }

    /// `GET /health`.
    pub async fn health(&self) -> Response {
        self.get("/health").await
    }

    /// `POST /api/auth/register` with the test password and name; returns the token.
    pub async fn register(&self, email: &str) -> String {
        let response = self
            .post_json(
                "/api/auth/register",
                &json!({"email": email, "password": PASSWORD, "name": "Test User"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    /// `POST /api/auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.login_from(&self.client, email, password).await
    }

    /// `POST /api/auth/login` from another client (another machine, say).
    pub async fn login_from(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> Response {
        client
            .post(self.url("/api/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login")
    }

    /// `POST /api/auth/logout`.
    pub async fn logout(&self, token: &str) -> Response {
        self.client
            .post(self.url("/api/auth/logout"))
            .bearer_auth(token)
            .send()
            .await
            .expect("logout")
    }

    /// `GET /api/auth/me`.
    pub async fn me(&self, token: &str) -> Response {
        self.get_authed("/api/auth/me", token).await
    }

    /// The signed-in user's id, from `GET /api/auth/me`.
    pub async fn user_id(&self, token: &str) -> String {
        json(self.me(token).await).await["user"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// `POST /api/fursona/generate` with a photo as multipart field `image`, the way a browser
    /// form does.
    pub async fn generate_multipart(
        &self,
        token: &str,
        bytes: Vec<u8>,
        file_name: &str,
    ) -> Response {
        self.post_multipart("/api/fursona/generate", token, image_form(bytes, file_name))
            .await
    }

    /// `POST /api/fursona/generate` with a photo as the original design's JSON data URL.
    pub async fn generate_json(&self, token: &str, bytes: &[u8], declared_type: &str) -> Response {
        self.post_api(
            "/api/fursona/generate",
            token,
            &json!({"image": data_url(declared_type, bytes)}),
        )
        .await
    }

    /// `POST /api/fursona/generate` with the usual good photo (`photos/chelsea.webp`, as JSON).
    pub async fn generate(&self, token: &str) -> Response {
        self.generate_json(token, &fixture("photos/chelsea.webp"), "image/webp")
            .await
    }

    /// `GET /api/fursona/history?{query}` (no query string when `query` is empty).
    pub async fn history(&self, token: &str, query: &str) -> Response {
        let path = if query.is_empty() {
            "/api/fursona/history".to_owned()
        } else {
            format!("/api/fursona/history?{query}")
        };
        self.get_authed(&path, token).await
    }

    /// `GET /api/fursona/{id}`.
    pub async fn fursona(&self, token: &str, id: &str) -> Response {
        self.get_authed(&format!("/api/fursona/{id}"), token).await
    }

    /// `GET /api/fursona/{id}/image`.
    pub async fn fursona_image(&self, token: &str, id: &str) -> Response {
        self.get_authed(&format!("/api/fursona/{id}/image"), token)
            .await
    }

    /// `GET /api/fursona/{id}/{file}`: `portrait.svg`, `portrait.png?size=N`, `sheet.svg`,
    /// `sheet.png`.
    pub async fn picture(&self, token: &str, id: &str, file: &str) -> Response {
        self.get_authed(&format!("/api/fursona/{id}/{file}"), token)
            .await
    }

    /// The id of a fresh fursona of the account behind `token`.
    pub async fn generated_id(&self, token: &str) -> String {
        let body = generated(self.generate(token).await).await;
        body["fursona"]["id"].as_str().expect("id").to_owned()
    }

    /// `POST /api/fursona/{id}/reroll` keeping `keep` (field names).
    pub async fn reroll(&self, token: &str, id: &str, keep: &[&str]) -> Response {
        self.post_api(
            &format!("/api/fursona/{id}/reroll"),
            token,
            &json!({ "keep": keep }),
        )
        .await
    }

    /// `PATCH /api/fursona/{id}` with `changes` as the body.
    pub async fn edit_fursona(&self, token: &str, id: &str, changes: &Value) -> Response {
        self.client
            .patch(self.url(&format!("/api/fursona/{id}")))
            .bearer_auth(token)
            .json(changes)
            .send()
            .await
            .expect("patch")
    }

    /// `POST /api/fursona/{id}/share` with `options` as the body.
    pub async fn share(&self, token: &str, id: &str, options: &Value) -> Response {
        self.post_api(&format!("/api/fursona/{id}/share"), token, options)
            .await
    }

    /// `DELETE /api/fursona/{id}/share`.
    pub async fn unshare(&self, token: &str, id: &str) -> Response {
        self.delete_authed(&format!("/api/fursona/{id}/share"), token)
            .await
    }

    /// `GET {path}` with no cookie and no token, as a stranger opening a link.
    pub async fn get_as_stranger(&self, path: &str) -> Response {
        client().get(self.url(path)).send().await.expect("request")
    }

    /// `DELETE /api/fursona/{id}`.
    pub async fn delete_fursona(&self, token: &str, id: &str) -> Response {
        self.delete_authed(&format!("/api/fursona/{id}"), token)
            .await
    }

    /// `GET /api/subscription/current`, as JSON.
    pub async fn current_plan(&self, token: &str) -> Value {
        json(self.get_authed("/api/subscription/current", token).await).await
    }

    /// `POST /api/account/password`.
    pub async fn change_password(&self, token: &str, current: &str, new: &str) -> Response {
        self.post_api(
            "/api/account/password",
            token,
            &json!({"current_password": current, "new_password": new}),
        )
        .await
    }

    /// `POST /api/account/delete`.
    pub async fn delete_account(&self, token: &str, password: &str) -> Response {
        self.post_api("/api/account/delete", token, &json!({"password": password}))
            .await
    }

    /// `GET /api/account/export`.
    pub async fn export(&self, token: &str) -> Response {
        self.get_authed("/api/account/export", token).await
    }
}

/// Asserts a generation answered 201 Created and returns its body.
pub async fn generated(response: Response) -> Value {
    let status = response.status();
    let body = json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}
