//! Where the workspace and cargo's target directory are. Never assume `./target`: a user may
//! set `CARGO_TARGET_DIR` or `build.target-dir`, so cargo itself is asked.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (the parent of this crate's directory), as it was at build time.
pub fn workspace_root() -> PathBuf {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    demo.parent().map_or(demo.clone(), PathBuf::from)
}

/// `cargo` as invoked by the user (`CARGO` is set when cargo runs this program).
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// Cargo's target directory for this workspace, from `cargo metadata`; if cargo cannot be
/// asked, `CARGO_TARGET_DIR` or `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    let asked = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| json_string_field(&String::from_utf8_lossy(&o.stdout), "target_directory"));
    asked.map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| workspace_root().join("target"), PathBuf::from)
    })
}

/// The string value of the first `"field": "…"` in `json` (escapes `\\` and `\"` undone):
/// enough for `cargo metadata`'s paths without a JSON parser.
fn json_string_field(json: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\":\"");
    let start = json.find(&key)? + key.len();
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_string_field() {
        let json = r#"{"packages":[],"target_directory":"/tmp/a \"b\"\\c","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/tmp/a \"b\"\\c")
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }
}
