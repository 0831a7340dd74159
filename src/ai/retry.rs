//! Retries of OpenAI calls, as a tower layer under async-openai's client: rate limits (429),
//! server errors (5xx) and connection failures are tried again after a jittered exponential
//! backoff, or after the server's `Retry-After` when it sends one. `insufficient_quota` (also a
//! 429) is final: waiting does not add credit. Jitter keeps many instances that failed together
//! from retrying together.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_openai::error::{ApiErrorResponse, OpenAIError, WrappedError};
use async_openai::middleware::HttpRequestFactory;
use rand::Rng;
use reqwest::{Response, StatusCode};
use tower::{Layer, Service, ServiceExt};

const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(8);
const INSUFFICIENT_QUOTA: &str = "insufficient_quota";

#[derive(Clone, Debug)]
pub struct RetryLayer {
    max_retries: usize,
}

impl RetryLayer {
    pub fn new(max_retries: usize) -> Self {
        RetryLayer { max_retries }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry {
            inner,
            max_retries: self.max_retries,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Retry<S> {
    inner: S,
    max_retries: usize,
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<Response, OpenAIError>> + Send>>;

impl<S> Service<HttpRequestFactory> for Retry<S>
where
    S: Service<HttpRequestFactory, Response = Response, Error = OpenAIError>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = OpenAIError;
    type Future = BoxFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), OpenAIError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequestFactory) -> BoxFuture {
        let inner = self.inner.clone();
        let max_retries = self.max_retries;
        Box::pin(async move {
            let mut attempt = 0;
            loop {
                let result = inner.clone().oneshot(request.clone()).await;
                let (outcome, retry_after) = judge(result).await;
                match outcome {
                    Outcome::Final(result) => return result,
                    Outcome::Retryable(result) if attempt >= max_retries => return result,
                    Outcome::Retryable(_) => {
                        tokio::time::sleep(delay(attempt, retry_after)).await;
                        attempt += 1;
                    }
                }
            }
        })
    }
}

enum Outcome {
    Final(Result<Response, OpenAIError>),
    /// Worth another try; returned as is when the retries are used up.
    Retryable(Result<Response, OpenAIError>),
}

async fn judge(result: Result<Response, OpenAIError>) -> (Outcome, Option<Duration>) {
    let response = match result {
        Ok(response) => response,
        Err(OpenAIError::Reqwest(e)) if e.is_connect() => {
            return (Outcome::Retryable(Err(OpenAIError::Reqwest(e))), None);
        }
        Err(e) => return (Outcome::Final(Err(e)), None),
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    if status.is_server_error() {
        return (Outcome::Retryable(Ok(response)), retry_after);
    }
    if status != StatusCode::TOO_MANY_REQUESTS {
        return (Outcome::Final(Ok(response)), None);
    }
    // A 429 is either a rate limit (retry) or an exhausted quota (never): the body says which.
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                Outcome::Retryable(Err(OpenAIError::Reqwest(e))),
                retry_after,
            );
        }
    };
    let error = match serde_json::from_slice::<WrappedError>(&bytes) {
        Ok(wrapped) => wrapped.error,
        Err(e) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            return (
                Outcome::Final(Err(OpenAIError::JSONDeserialize(e, text))),
                None,
            );
        }
    };
    let exhausted =
        [error.r#type.as_deref(), error.code.as_deref()].contains(&Some(INSUFFICIENT_QUOTA));
    let result = Err(OpenAIError::ApiError(ApiErrorResponse {
        status_code: status,
        api_error: error,
    }));
    if exhausted {
        (Outcome::Final(result), None)
    } else {
        (Outcome::Retryable(result), retry_after)
    }
}

/// The server's `Retry-After` (plus a little jitter), or exponential backoff with full jitter.
fn delay(attempt: usize, retry_after: Option<Duration>) -> Duration {
    let mut rng = rand::rng();
    match retry_after {
        Some(wait) => wait + FIRST_BACKOFF.mul_f64(rng.random_range(0.0..1.0)),
        None => {
            let ceiling = FIRST_BACKOFF
                .saturating_mul(1u32 << attempt.min(16))
                .min(MAX_BACKOFF);
            ceiling.mul_f64(rng.random_range(0.5..=1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_stays_jittered_and_is_capped() {
        for attempt in 0..12 {
            let ceiling = FIRST_BACKOFF.saturating_mul(1 << attempt).min(MAX_BACKOFF);
            let samples: Vec<Duration> = (0..50).map(|_| delay(attempt, None)).collect();
            assert!(
                samples.iter().all(|d| *d >= ceiling / 2 && *d <= ceiling),
                "attempt {attempt}"
            );
            assert!(samples.windows(2).any(|w| w[0] != w[1]), "jittered");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_only_lengthened() {
        for _ in 0..50 {
            let d = delay(0, Some(Duration::from_secs(3)));
            assert!(d >= Duration::from_secs(3) && d < Duration::from_secs(3) + FIRST_BACKOFF);
        }
    }
}
