//! Content codings: requests that name what they accept (the test client sends no
//! `Accept-Encoding` of its own and decodes nothing), and decoding what came back.

use std::io::Read;

use reqwest::{Method, Response};

use super::TestApp;

/// A response's body and the headers that describe its coding.
pub struct Coded {
    pub status: reqwest::StatusCode,
    pub content_encoding: Option<String>,
    pub vary: Option<String>,
    pub etag: Option<String>,
    pub content_length: Option<u64>,
    pub body: Vec<u8>,
}

impl Coded {
    async fn read(response: Response) -> Coded {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("ascii header").to_owned())
        };
        let content_encoding = header("content-encoding");
        // CORS adds a `Vary` of its own: read them all.
        let vary = Some(
            response
                .headers()
                .get_all("vary")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(", "),
        )
        .filter(|v| !v.is_empty());
        let etag = header("etag");
        let content_length = header("content-length").map(|v| v.parse().expect("a length"));
        let status = response.status();
        let body = response.bytes().await.expect("body").to_vec();
        Coded {
            status,
            content_encoding,
            vary,
            etag,
            content_length,
            body,
        }
    }

    /// The body with its content coding undone.
    pub fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.content_encoding.as_deref() {
            None => out.clone_from(&self.body),
            Some("br") => {
                brotli::Decompressor::new(&self.body[..], 4096)
                    .read_to_end(&mut out)
                    .expect("valid brotli");
            }
            Some("gzip") => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .expect("valid gzip");
            }
            Some(other) => panic!("unexpected coding {other}"),
        }
        out
    }

    pub fn varies_by_coding(&self) -> bool {
        self.vary
            .as_deref()
            .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    }
}

impl TestApp {
    /// `method path` with this app's client (cookies, session), `Accept-Encoding: accept` when
    /// given, and any other `headers`.
    pub async fn coded(
        &self,
        method: Method,
        path: &str,
        accept: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Coded {
        let mut request = self.client.request(method, self.url(path));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Coded::read(request.send().await.expect(path)).await
    }

    /// `GET path` accepting `accept`.
    pub async fn get_coded(&self, path: &str, accept: Option<&str>) -> Coded {
        self.coded(Method::GET, path, accept, &[]).await
    }
}
