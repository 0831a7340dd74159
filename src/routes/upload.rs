//! Reading a photo upload, for the API and the pages alike: `multipart/form-data` field `image`,
//! or JSON `{"image": "data:image/...;base64,..."}`, read only for a signed-in user. The size
//! limit is enforced while reading, so an oversized upload is refused without being buffered, and
//! a declared oversize is refused before reading (the connection then closes).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use serde::Deserialize;
use std::borrow::Cow;

use crate::error::AppError;
use crate::services::generation::Upload;
use crate::state::AppState;
use crate::store::users::User;
use tokio::time::Instant;

pub const FIELD: &str = "image";

/// Room for the multipart framing and the other small form fields around the photo.
const FRAMING_ALLOWANCE: usize = 64 * 1024;

/// The body limit for a route that takes an upload: the photo, base64-encoded, plus framing.
pub fn body_limit(max_bytes: usize) -> usize {
    max_bytes.div_ceil(3) * 4 + FRAMING_ALLOWANCE
}

/// The photo as a data URL (the original design's form).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataUrlBody<'a> {
    /// Borrowed from the request body unless escapes make that impossible: no second copy.
    #[serde(borrow)]
    #[schema(
        value_type = String,
        pattern = "^data:image/[a-z+.-]+;base64,",
        example = "data:image/jpeg;base64,/9j/4AAQ..."
    )]
    image: Cow<'a, str>,
}

/// The photo of a signed-in user's upload. Call it only once the user is known: nobody else is
/// given a place or has a byte of the body read. A declared `Content-Length` over the limit is
/// refused at once, unread; a body slower than [`MIN_RATE`] once reading began (after
/// [`RATE_GRACE`]) or not whole within `UPLOAD_READ_TIMEOUT` (waiting for the account's turn
/// included) is cut with 408.
pub async fn receive(state: &AppState, user: &User, request: Request) -> Result<Upload, AppError> {
    let max_bytes = state.web.max_upload_bytes;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = declared.filter(|length| *length > body_limit(max_bytes) as u64) {
        // An honest mistake of a few times the limit is read and dropped, briefly, so that the
        // client sees the 413 and not a reset; an abusive size is answered at once.
        if length <= (DISCARD_FACTOR * body_limit(max_bytes)) as u64 {
            let _ = tokio::time::timeout(DISCARD_WITHIN, discard(request.into_body())).await;
        }
        return Err(AppError::UploadTooLarge { max_bytes });
    }
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let request = request.map(|body| {
        Body::from_stream(body.into_data_stream().inspect(move |chunk| {
            if let Ok(chunk) = chunk {
                counter.fetch_add(chunk.len(), Ordering::Relaxed);
            }
        }))
    });
    let upload = async {
        let slot = state.generations.upload_slot(user).await?;
        // The rate counts from the first read: waiting for the account's turn reads nothing, and
        // a client whose earlier upload is still being worked on is not a slow one.
        let started = Instant::now();
        tokio::select! {
            bytes = read(request, state, max_bytes) => Ok(slot.fill(bytes?)),
            () = too_slow(&received, started) => Err(AppError::UploadTimedOut),
        }
    };
    tokio::time::timeout(state.web.upload_read_timeout, upload)
        .await
        .unwrap_or(Err(AppError::UploadTimedOut))
}

/// How many times the limit a refused body may declare and still be read (and dropped).
const DISCARD_FACTOR: usize = 4;
/// How long that reading may take before the connection is closed anyway.
const DISCARD_WITHIN: Duration = Duration::from_secs(2);

/// Reads and drops a refused body.
async fn discard(body: Body) {
    let mut stream = body.into_data_stream();
    while let Some(Ok(_)) = stream.next().await {}
}

/// The slowest body accepted, in bytes per second on average, once [`RATE_GRACE`] has passed.
pub const MIN_RATE: usize = 1024;
/// How long a body may take to get going before its rate counts.
pub const RATE_GRACE: Duration = Duration::from_secs(5);

/// Resolves when the body has come in slower than [`MIN_RATE`] on average since `started`.
async fn too_slow(received: &AtomicUsize, started: Instant) {
    tokio::time::sleep(RATE_GRACE).await;
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    loop {
        ticks.tick().await;
        let elapsed = started.elapsed().as_secs_f64();
        if (received.load(Ordering::Relaxed) as f64) < MIN_RATE as f64 * elapsed {
            return;
        }
    }
}

async fn read(request: Request, state: &AppState, max_bytes: usize) -> Result<Vec<u8>, AppError> {
    let too_large = || AppError::UploadTooLarge { max_bytes };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| malformed(e.status(), e.body_text()))?;
        read_multipart(multipart, max_bytes).await
    } else if content_type.starts_with("application/json") {
        let body = to_bytes(request.into_body(), body_limit(max_bytes))
            .await
            .map_err(|e| {
                if is_length_limit(&e) {
                    too_large()
                } else {
                    malformed(
                        StatusCode::BAD_REQUEST,
                        "the upload was cut off or is not well-formed; send it again".into(),
                    )
                }
            })?;
        let DataUrlBody { image } = serde_json::from_slice(&body).map_err(|e| {
            malformed(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("expected {{\"image\": \"data:image/...;base64,...\"}}: {e}"),
            )
        })?;
        let bytes = decode_data_url(&image)?;
        if bytes.len() > max_bytes {
            return Err(too_large());
        }
        Ok(bytes)
    } else {
        Err(malformed(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the photo as multipart/form-data (field \"image\") or as JSON \
                 {\"image\": \"data:image/...;base64,...\"}"
                .into(),
        ))
    }
}

/// The `image` field, counted chunk by chunk; any other field is refused.
async fn read_multipart(mut multipart: Multipart, max_bytes: usize) -> Result<Vec<u8>, AppError> {
    let broken = |e: axum::extract::multipart::MultipartError| match e.status() {
        // The pages' CSRF guard refused the body's token field (routes::pages::csrf).
        _ if refused_by_body_guard(&e) => AppError::CsrfRejected,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::UploadTooLarge { max_bytes },
        // A body that breaks off or is badly framed is the client's: never a 500.
        status if status.is_server_error() => malformed(
            StatusCode::BAD_REQUEST,
            "the upload was cut off or is not well-formed; send it again".into(),
        ),
        status => malformed(status, e.body_text()),
    };
    let mut photo = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        // Exactly one field, so that nothing sent is silently ignored.
        if field.name() != Some(FIELD) || photo.is_some() {
            return Err(malformed(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the form must hold one field, \"image\", with the photo".into(),
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(AppError::UploadTooLarge { max_bytes });
            }
            bytes.extend_from_slice(&chunk);
        }
        photo = Some(bytes);
    }
    photo.ok_or_else(|| {
        malformed(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the form has no \"image\" field with a photo".into(),
        )
    })
}

/// `data:<any type>;base64,<data>`. The declared type is ignored: the bytes are sniffed later.
fn decode_data_url(url: &str) -> Result<Vec<u8>, AppError> {
    let invalid = || {
        malformed(
            StatusCode::UNPROCESSABLE_ENTITY,
            "image must be a base64 data URL: data:image/jpeg;base64,...".into(),
        )
    };
    let (meta, data) = url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
        .ok_or_else(invalid)?;
    if !meta.ends_with(";base64") {
        return Err(invalid());
    }
    STANDARD.decode(data.trim()).map_err(|_| invalid())
}

/// The body stream itself ended with a CSRF refusal, rather than breaking off.
fn refused_by_body_guard(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.downcast_ref::<AppError>()
            .is_some_and(|e| matches!(e, AppError::CsrfRejected))
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// The body went over the limit, rather than breaking off.
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

fn malformed(status: StatusCode, message: String) -> AppError {
    AppError::MalformedRequest { status, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_decode_whatever_type_they_claim() {
        assert_eq!(
            decode_data_url("data:image/png;base64,aGk=").expect("valid"),
            b"hi"
        );
        assert_eq!(
            decode_data_url("data:text/plain;base64,aGk=").expect("valid"),
            b"hi"
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "aGk=",
            "data:image/png,hi",
            "data:image/png;base64,***",
            "https://x/y.png",
        ] {
            assert!(decode_data_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_body_limit_leaves_room_for_base64() {
        assert!(body_limit(3) >= 4);
        assert_eq!(body_limit(10 * 1024 * 1024) - FRAMING_ALLOWANCE, 13_981_016);
    }
}
