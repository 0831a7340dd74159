//! The OpenAPI document at `/api/openapi.json` stays true: it is OpenAPI 3.1, it describes every
//! `/api` route the code serves, and the router serves every operation it describes.

use std::path::Path;

use reqwest::{Method, StatusCode};

use crate::helpers::openapi::{METHODS, operations};
use crate::helpers::{Backend, TestApp, client};

#[tokio::test]
async fn the_document_is_openapi_3_1_with_the_bearer_scheme_and_error_bodies() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc = app.openapi_document().await;

    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    let bearer = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(bearer["type"], "http");
    assert_eq!(bearer["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());

    let mut operation_ids = std::collections::HashSet::new();
    for (method, path) in operations(&doc) {
        let operation = &doc["paths"][&path][&method];
        let id = operation["operationId"].as_str().expect("operationId");
        assert!(operation_ids.insert(id.to_owned()), "{id} is not unique");
        let responses = operation["responses"].as_object().expect("responses");
        let success = responses.keys().filter(|s| s.starts_with('2')).count();
        assert!(success > 0, "{method} {path} documents no success");
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if secured {
            assert!(responses.contains_key("401"), "{method} {path}: 401");
        }
        for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4')) {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(
                schema, "#/components/schemas/ErrorBody",
                "{method} {path} {status} has the error body"
            );
        }
    }
}

/// Every string in the source that is an `/api/` path (route registrations, links) must be a
/// documented path: a route added without its description fails here.
#[tokio::test]
async fn every_api_path_in_the_code_is_documented() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc = app.openapi_document().await;
    let documented = doc["paths"].as_object().expect("paths");

    let mut found = Vec::new();
    collect_api_paths(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 15, "the scan finds the routes: {found:?}");
    for (file, path) in found {
        assert!(
            documented.contains_key(&path),
            "{path} (in {file}) is not in /api/openapi.json"
        );
    }
}

fn collect_api_paths(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_api_paths(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source file");
            for literal in text.split('"').skip(1).step_by(2) {
                // The prefix tests of "/api" and "/api/" themselves are not paths.
                if literal.starts_with("/api/") && literal.len() > "/api/".len() {
                    found.push((path.display().to_string(), literal.to_owned()));
                }
            }
        }
    }
}

/// Every documented operation is routed: its method is not refused, and a method it does not
/// document is refused with 405 (so the path exists and is not the 404 fallback).
#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // The console's routes exist only for an administrator: anyone else gets 404 (tested in
    // admin.rs), so they are asked with an administrator's token.
    let admin = app.admin_token("contract-admin@example.com").await;
    let doc = app.openapi_document().await;
    let operations = operations(&doc);
    assert!(operations.len() >= 20, "{operations:?}");

    for (method, path) in &operations {
        let url = app.url(&path.replace("{id}", &uuid::Uuid::new_v4().to_string()));
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let as_admin = |request: reqwest::RequestBuilder| {
            if path.starts_with("/api/admin/") {
                request.bearer_auth(&admin)
            } else {
                request
            }
        };
        let answer = as_admin(client().request(method.clone(), &url))
            .send()
            .await
            .expect("answer");
        assert_ne!(
            answer.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        let undocumented = METHODS
            .iter()
            .find(|m| doc["paths"][path].get(**m).is_none())
            .expect("some method is undocumented");
        let refused = as_admin(client().request(
            Method::from_bytes(undocumented.to_uppercase().as_bytes()).expect("method"),
            &url,
        ))
        .send()
        .await
        .expect("answer");
        assert_eq!(
            refused.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{undocumented} {path}"
        );
        assert!(refused.headers().contains_key("allow"), "{path}: Allow");
    }
}
