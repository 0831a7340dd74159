//! The admin console: `TestApp`'s helpers for `/api/admin` (one per endpoint) and for making
//! administrators and disabled accounts directly in the database.

use reqwest::Response;
use serde_json::Value;

use super::TestApp;

impl TestApp {
    /// Marks the account an administrator, as `fursona admin grant-admin` does.
    pub async fn make_admin(&self, email: &str) {
        self.sql_execute(&format!(
            "UPDATE users SET admin = TRUE WHERE email = '{email}'"
        ))
        .await;
    }

    /// Registers an account, makes it an administrator and returns its token.
    pub async fn admin_token(&self, email: &str) -> String {
        let token = self.register(email).await;
        self.make_admin(email).await;
        token
    }

    /// `GET /api/admin/users?{query}`.
    pub async fn admin_users(&self, token: &str, query: &str) -> Response {
        self.get_authed(&format!("/api/admin/users?{query}"), token)
            .await
    }

    /// `GET /api/admin/users/{id}`.
    pub async fn admin_user(&self, token: &str, id: &str) -> Response {
        self.get_authed(&format!("/api/admin/users/{id}"), token)
            .await
    }

    /// `PATCH /api/admin/users/{id}` with `body`.
    pub async fn admin_change(&self, token: &str, id: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(&format!("/api/admin/users/{id}")))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("patch")
    }

    /// `DELETE /api/admin/users/{id}`.
    pub async fn admin_delete(&self, token: &str, id: &str) -> Response {
        self.delete_authed(&format!("/api/admin/users/{id}"), token)
            .await
    }

    /// `POST /api/admin/users/{id}/reset-usage`.
    pub async fn admin_reset_usage(&self, token: &str, id: &str) -> Response {
        self.client
            .post(self.url(&format!("/api/admin/users/{id}/reset-usage")))
            .bearer_auth(token)
            .send()
            .await
            .expect("post")
    }

    /// `GET /api/admin/stats`, asserting 200.
    pub async fn admin_stats(&self, token: &str) -> Value {
        let response = self.get_authed("/api/admin/stats", token).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        response.json().await.expect("json")
    }

    /// `GET /api/admin/audit?{query}`, asserting 200.
    pub async fn admin_audit(&self, token: &str, query: &str) -> Value {
        let response = self
            .get_authed(&format!("/api/admin/audit?{query}"), token)
            .await;
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        response.json().await.expect("json")
    }
}
