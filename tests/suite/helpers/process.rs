//! The real `fursona` binary, started as a process: with an empty environment, on a free port,
//! until it serves, and stopped with SIGTERM.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::{PASSWORD, client};

/// The binary cargo built for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_fursona");

/// The binary with an empty environment (only PATH), run in `dir`.
pub fn fursona(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// A new empty directory for a process to run in, `fursona-{name}-{uuid}` under the temp dir.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fursona-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// Spawns `command` (one from [`fursona`]) on `port`, its output captured for [`terminate`].
pub fn spawn_on(command: &mut Command, port: u16) -> Child {
    command
        .env("PORT", port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// [`spawn_on`], then [`wait_until_serving`].
pub async fn serve_on(command: &mut Command, port: u16) -> Child {
    let mut child = spawn_on(command, port);
    wait_until_serving(port, &mut child).await;
    child
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Polls `/health` until the server answers: readiness, not a fixed sleep.
pub async fn wait_until_serving(port: u16, child: &mut Child) {
    let url = format!("http://127.0.0.1:{port}/health");
    for _ in 0..300 {
        if let Ok(response) = reqwest::get(&url).await
            && response.status() == StatusCode::OK
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited early with {status}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start serving within 30 s");
}

/// Sends SIGTERM and collects the exit status and everything printed.
pub async fn terminate(child: Child) -> (std::process::ExitStatus, String) {
    sigterm(&child).await;
    terminate_wait(child).await
}

pub async fn sigterm(child: &Child) {
    let pid = child.id().expect("running");
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await
        .expect("kill");
    assert!(status.success());
}

/// Waits for a stopping server to exit, with what it printed.
pub async fn terminate_wait(mut child: Child) -> (std::process::ExitStatus, String) {
    let mut out = String::new();
    let mut err = String::new();
    let (mut stdout, mut stderr) = (
        child.stdout.take().expect("stdout"),
        child.stderr.take().expect("stderr"),
    );
    let (a, b) = tokio::join!(
        stdout.read_to_string(&mut out),
        stderr.read_to_string(&mut err)
    );
    a.and(b).expect("read output");
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("stops after SIGTERM")
        .expect("exit status");
    (status, out + &err)
}

/// Everything a finished command printed, stdout then stderr.
pub fn output_text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// Registers through the API of a server at `base` (one the test started itself) and returns
/// the token.
pub async fn register_at(base: &str, email: &str) -> String {
    let registered: Value = client()
        .post(format!("{base}/api/auth/register"))
        .json(&json!({"email": email, "password": PASSWORD, "name": "Test User"}))
        .send()
        .await
        .expect("register")
        .json()
        .await
        .expect("json");
    registered["token"].as_str().expect("token").to_owned()
}
