//! The OpenAPI 3.1 document of `/api`. Each handler carries its own `#[utoipa::path]` and is
//! routed through `utoipa_axum::routes!`, so what is served and what is documented come from one
//! place; [`complete`] then adds what every operation shares: the bearer scheme and the error
//! answers of [`super::error::ErrorBody`].

use axum::Extension;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, Object, ObjectBuilder, RefOr, Response, ResponseBuilder, Type,
};
use utoipa_axum::router::OpenApiRouter;

use super::error::ErrorBody;
use crate::state::AppState;

/// The name of the security scheme that `security(("bearer" = []))` refers to.
pub const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Fursona Generator API",
        description = "Upload a photo, get a fursona. Authenticate with `Authorization: Bearer \
                       <token>` from register or login. Every error answers \
                       `{\"error\": {\"code\", \"message\", ...}}` with a stable `code`."
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "auth", description = "Accounts and tokens"),
        (name = "fursona", description = "Generation and history"),
        (name = "subscription", description = "Plans and Stripe billing"),
        (name = "account", description = "Password, export, deletion"),
        (name = "webhook", description = "Stripe events"),
        (name = "admin", description = "The admin console: accounts, statistics, audit log. \
                                          Administrators' tokens only; anyone else gets 404 \
                                          on every path, as for an unknown one"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

/// The document's frame, before the routes add their paths.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Adds the bearer scheme, and to each operation the error answers it can give without saying
/// so itself: 401 when it needs a token, the body errors when it takes JSON, 503 when the
/// database is away.
pub fn complete(doc: &mut utoipa::openapi::OpenApi) {
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    for item in doc.paths.paths.values_mut() {
        operations_mut(item).for_each(add_shared_errors);
    }
}

/// Serves `original`'s operations at `alias` too (`handler` being `original`'s), documented
/// there as copies with their own operationIds.
pub fn alias(
    mut router: OpenApiRouter<AppState>,
    alias: &str,
    original: &str,
    handler: MethodRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let paths = &mut router.get_openapi_mut().paths.paths;
    if let Some(mut item) = paths.get(original).cloned() {
        for operation in operations_mut(&mut item) {
            operation.operation_id = operation
                .operation_id
                .take()
                .map(|id| format!("{id}_original_path"));
            operation.summary = Some(format!(
                "The original implementation's path of `{original}`."
            ));
        }
        paths.insert(alias.to_owned(), item);
    }
    router.route(alias, handler)
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

fn add_shared_errors(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let takes_json = operation
        .request_body
        .as_ref()
        .is_some_and(|body| match body {
            RefOr::T(body) => body.content.contains_key("application/json"),
            RefOr::Ref(_) => false,
        });
    let mut errors = Vec::new();
    if secured {
        errors.push(("401", "No valid bearer token: missing, expired or revoked."));
    }
    if takes_json {
        errors.extend([
            ("400", "The body is not valid JSON."),
            ("413", "The body is larger than this operation accepts."),
            ("415", "The body is not of a documented content type."),
            (
                "422",
                "A field is missing, of the wrong type, or invalid (see `fields`).",
            ),
        ]);
    }
    if secured || takes_json {
        errors.push((
            "503",
            "The database is unreachable, or the server is shedding load (`busy`); retry after \
             `Retry-After` seconds.",
        ));
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(status, description));
    }
}

/// An error answer with the shared body, and `Retry-After` where the status implies a wait.
fn error_response(status: &str, description: &str) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "ErrorBody",
        ))))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", content);
    if matches!(status, "429" | "503") {
        let seconds: Object = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .build();
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(seconds))
                .description(Some("Seconds to wait before trying again"))
                .build(),
        );
    }
    RefOr::T(response.build())
}

/// The document as served, rendered once at start.
#[derive(Clone)]
pub struct Rendered(pub Bytes);

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = Object))
)]
pub async fn openapi_json(Extension(Rendered(json)): Extension<Rendered>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json)
}
