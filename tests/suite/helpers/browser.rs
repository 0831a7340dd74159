//! A real browser: Debian's headless Chromium, driven through chromedriver. Screenshots go to
//! `target/screenshots/`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::process::{Child, Command};

use super::{PASSWORD, TestApp, process::free_port};

const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
];

/// chromedriver and a Chromium session; both end when this is dropped.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    profile: PathBuf,
}

impl Browser {
    pub async fn start() -> Browser {
        Self::launch(true).await
    }

    /// A browser with JavaScript switched off, to check the pages work as plain HTML forms.
    pub async fn without_javascript() -> Browser {
        Self::launch(false).await
    }

    async fn launch(javascript: bool) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect(
                "chromedriver is installed (the test command installs Debian's chromium-driver)",
            );
        let profile =
            std::env::temp_dir().join(format!("fursona-chromium-{}", uuid::Uuid::new_v4()));
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| (*s).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push("--window-size=1280,900".into());
        let mut options = json!({"binary": "/usr/bin/chromium", "args": args});
        if !javascript {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let capabilities = json!({ "goog:chromeOptions": options });
        let capabilities = capabilities.as_object().expect("object").clone();
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver takes a moment to listen; retry the session until it does.
        for _ in 0..100 {
            let connected = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            if let Ok(client) = connected {
                return Browser {
                    client,
                    _driver: driver,
                    profile,
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not start a Chromium session through chromedriver");
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Waits for an element to appear: after a click, the next page may still be loading.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    /// Whether the image `css` selects has loaded (a broken or missing one has no width).
    pub async fn image_loaded(&self, css: &str) -> bool {
        self.client
            .execute(
                "const img = document.querySelector(arguments[0]); \
                 return !!img && img.complete && img.naturalWidth > 0;",
                vec![serde_json::json!(css)],
            )
            .await
            .expect("script")
            .as_bool()
            .unwrap_or(false)
    }

    /// axe-core's violations on the page as it is now (every rule axe runs by default, the
    /// best-practice ones included), one line each; empty when it finds nothing.
    pub async fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(axe_core_js()).expect("axe.min.js");
        // A full run over a long page takes a few seconds in a busy debug build.
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(120)),
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(0)),
            ))
            .await
            .expect("timeouts");
        self.client
            .execute(&source, vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 axe.run(document, {resultTypes: ['violations']}) \
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' @ ' + \
                     v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')))) \
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe.run");
        found
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The document as it is now (after scripts and swaps), serialized with its doctype.
    pub async fn dom_html(&self) -> String {
        let html = self
            .client
            .execute("return document.documentElement.outerHTML;", vec![])
            .await
            .expect("outerHTML");
        format!("<!DOCTYPE html>\n{}", html.as_str().unwrap_or_default())
    }

    /// Presses `keys` on whatever has the focus, as a keyboard would.
    /// Key actions, not "send keys to an element": those would refocus it, and typed into a
    /// file input they are taken for a file name.
    pub async fn press(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await.expect("keys");
    }

    /// Shift+Tab.
    pub async fn press_shift_tab(&self) {
        let (shift, tab) = ('\u{e008}', '\u{e004}');
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab })
            .then(KeyAction::Up { value: shift });
        self.client.perform_actions(actions).await.expect("keys");
    }

    /// Describes the focused element, and whether its focus ring shows: a non-empty outline or
    /// box shadow on it, or, for a control hidden inside a styled label (the file input, the
    /// phone menu's toggle), on that label.
    pub async fn focus_ring(&self) -> (String, bool) {
        let found = self
            .client
            .execute(
                "const e = document.activeElement; \
                 let shown = e; \
                 if (getComputedStyle(e).opacity === '0') { \
                   shown = e.closest('label') || (e.id && document.querySelector(`label[for='${e.id}']`)) || e; } \
                 const s = getComputedStyle(shown); \
                 const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; \
                 const shadow = s.boxShadow && s.boxShadow !== 'none'; \
                 const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + \
                   (e.getAttribute('href') ? `[href='${e.getAttribute('href')}']` : '') + \
                   (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''); \
                 return [name, outline || !!shadow];",
                vec![],
            )
            .await
            .expect("focus script");
        let pair = found.as_array().expect("pair");
        (
            pair[0].as_str().unwrap_or_default().to_owned(),
            pair[1].as_bool().unwrap_or(false),
        )
    }

    /// Whether the focused element matches `css`.
    pub async fn focused_is(&self, css: &str) -> bool {
        self.client
            .execute(
                "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![serde_json::json!(css)],
            )
            .await
            .expect("script")
            .as_bool()
            .unwrap_or(false)
    }

    pub async fn close(self) {
        self.client.clone().close().await.expect("close session");
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    /// Registers through the register form, as a person types it, and waits to be signed in.
    pub async fn register(&self, app: &TestApp, name: &str, email: &str) {
        self.client
            .goto(&app.url("/register"))
            .await
            .expect("register page");
        self.fill("#name", name).await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        self.click("form button[type=submit]").await;
        self.find("[data-testid=user-name]").await;
    }
}

/// axe-core's script: `AXE_CORE_JS`, set by `scripts/test`, which installs the pinned npm
/// package into `target/axe`.
fn axe_core_js() -> String {
    std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        format!(
            "{}/target/axe/node_modules/axe-core/axe.min.js",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

/// The path of a bad upload fixture, for a file input.
pub fn bad_file_path(name: &str) -> String {
    format!("{}/tests/fixtures/bad/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The path of a photo fixture, for a file input.
pub fn photo_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/photos/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}
