//! Reading a photo upload, for the API and the pages alike: `multipart/form-data` field `image`,
//! or JSON `{"image": "data:image/...;base64,..."}`. The size limit is enforced while reading, so
//! an oversized upload is refused without being buffered.

use axum::body::to_bytes;
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

pub const FIELD: &str = "image";

/// How much of a refused body is read (and dropped) before the connection is just closed: a
/// few times the limit covers honest mistakes without reading abusive sizes.
const DISCARD_FACTOR: usize = 4;

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

impl FromRequest<AppState> for Upload {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let max_bytes = state.web.max_upload_bytes;
        let too_large = || AppError::UploadTooLarge { max_bytes };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|length| length > body_limit(max_bytes)) {
            discard(request.into_body(), DISCARD_FACTOR * body_limit(max_bytes)).await;
            return Err(too_large());
        }
        // The place is taken before reading, so that no more bodies are held than allowed.
        let slot = state.generations.upload_slot().await?;
        let bytes = read(request, state, max_bytes).await?;
        Ok(slot.fill(bytes))
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
                drop(bytes);
                // Read (not keep) the rest, so the client gets the 413 instead of a reset.
                while let Ok(Some(_)) = field.chunk().await {}
                while let Ok(Some(_)) = multipart.next_field().await {}
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

/// Reads and drops up to `cap` more bytes of a refused body. Closing a connection with unread
/// data makes the kernel reset it, and the client would see a broken connection instead of the
/// 413. Past `cap` (an abusive size) the connection is simply closed.
async fn discard(body: axum::body::Body, cap: usize) {
    let mut stream = body.into_data_stream();
    let mut seen = 0;
    while let Some(Ok(chunk)) = stream.next().await {
        seen += chunk.len();
        if seen > cap {
            break;
        }
    }
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
