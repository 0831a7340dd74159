//! The OpenAPI document the app serves, and the operations in it.

use reqwest::StatusCode;
use serde_json::Value;

use super::{TestApp, client, json};

/// The methods an OpenAPI path item can describe (of those the app could serve).
pub const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl TestApp {
    /// `GET /api/openapi.json` with a fresh client, asserting it is served as JSON.
    pub async fn openapi_document(&self) -> Value {
        let response = client()
            .get(self.url("/api/openapi.json"))
            .send()
            .await
            .expect("openapi.json answers");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/json");
        json(response).await
    }
}

/// `(method, path)` of every operation in the document.
pub fn operations(doc: &Value) -> Vec<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(|method| (method.to_string(), path.clone()))
        })
        .collect()
}
