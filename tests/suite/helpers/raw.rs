//! Raw TCP clients, for what reqwest cannot do: send a request's head and then its body a byte
//! at a time, half a head, or a declared length that never comes; and the page session of an
//! account as a `Cookie` header and its CSRF token, to send by hand.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use reqwest::header::SET_COOKIE;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::pages::csrf_token;
use super::{PASSWORD, TestApp};

pub const BOUNDARY: &str = "slowboundary";

/// A connection to the app from `from` (another loopback address acts as another machine).
pub async fn connect_from(app: &TestApp, from: IpAddr) -> std::io::Result<TcpStream> {
    let target = socket_addr(app);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(target).await
}

pub async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(socket_addr(app)).await.expect("connect")
}

fn socket_addr(app: &TestApp) -> SocketAddr {
    app.address
        .trim_start_matches("http://")
        .parse()
        .expect("app address")
}

/// The head of a multipart `POST` to `path` declaring `length` body bytes, with extra headers.
pub fn upload_head(path: &str, length: u64, extra: &[(&str, &str)]) -> String {
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n"
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// A client sending `head`, then the start of a multipart body one byte per second, for at most
/// `for_at_most`. Each byte sent is reported on the channel; the task ends with whatever the
/// server answered (empty when nothing came).
pub struct Drip {
    pub sent: mpsc::UnboundedReceiver<usize>,
    pub answer: JoinHandle<String>,
}

pub fn drip(stream: TcpStream, head: String, for_at_most: Duration) -> Drip {
    let (tx, sent) = mpsc::unbounded_channel();
    let answer = tokio::spawn(async move {
        let (mut reader, mut writer) = stream.into_split();
        let body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n"
        )
        .into_bytes();
        let writing = async {
            if writer.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let deadline = tokio::time::Instant::now() + for_at_most;
            for (i, byte) in body.iter().cycle().enumerate() {
                if tokio::time::Instant::now() > deadline
                    || writer.write_all(&[*byte]).await.is_err()
                {
                    return;
                }
                let _ = tx.send(i + 1);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        };
        let mut answer = Vec::new();
        let reading = async {
            let _ = tokio::time::timeout(for_at_most, reader.read_to_end(&mut answer)).await;
        };
        // The answer ends the writing: a client stops sending once answered.
        tokio::select! {
            () = reading => {},
            () = async { writing.await; std::future::pending::<()>().await } => {},
        }
        String::from_utf8_lossy(&answer).into_owned()
    });
    Drip { sent, answer }
}

impl Drip {
    /// Waits until `count` bytes of the body have gone out.
    pub async fn sent_at_least(&mut self, count: usize) {
        while let Some(sent) = self.sent.recv().await {
            if sent >= count {
                return;
            }
        }
    }
}

/// Reads what the server sends until it closes, for at most `within`; `None` if it did not
/// close by then.
pub async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut answer = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

/// The status code in an HTTP/1.1 answer's first line.
pub fn status_of(answer: &str) -> Option<u16> {
    answer.split_whitespace().nth(1)?.parse().ok()
}

/// An anonymous visitor's session cookie and the CSRF token of the login form.
pub async fn anonymous_form(app: &TestApp) -> (String, String) {
    let client = bare_client();
    let response = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page");
    let cookie = cookie_of(&response).expect("a session for the form");
    let token = csrf_token(&response.text().await.expect("html"));
    (cookie, token)
}

/// The signed-in page session of `email` (registered with the test password) as a `Cookie`
/// header value, and the CSRF token of its pages.
pub async fn signed_in_form(app: &TestApp, email: &str) -> (String, String) {
    let client = bare_client();
    let (cookie, token) = anonymous_form(app).await;
    let response = client
        .post(app.url("/login"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    assert!(response.status().is_redirection(), "signed in");
    let cookie = cookie_of(&response).unwrap_or(cookie);
    let home = client
        .get(app.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("home");
    let cookie = cookie_of(&home).unwrap_or(cookie);
    let token = csrf_token(&home.text().await.expect("html"));
    (cookie, token)
}

fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("fursona_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}
