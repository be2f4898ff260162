//! Running cargo (and other tools) from the tooling, with the output kept for inspection.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// `cargo` as invoked by the user (`CARGO` is set by `cargo run`).
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// What a finished command printed and whether it succeeded.
pub struct Output {
    pub success: bool,
    pub text: String,
}

/// Runs `command`, echoing it, and captures stdout and stderr together.
pub fn capture(command: Command) -> Result<Output, String> {
    println!("  $ {}", describe(&command));
    capture_quietly(command)
}

/// Runs `command` without echoing it, and captures stdout and stderr together.
pub fn capture_quietly(mut command: Command) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start {}: {e}", describe(&command)))?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(Output {
        success: output.status.success(),
        text,
    })
}

/// Runs `command` with its output streamed to the terminal; an error if it fails.
pub fn stream(mut command: Command) -> Result<(), String> {
    println!("  $ {}", describe(&command));
    let status = command
        .status()
        .map_err(|e| format!("could not start {}: {e}", describe(&command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(&command)))
    }
}

pub fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// `cargo xtask demo ARGS…`: the demonstration, always built optimised; every argument goes
/// to it unchanged (the demo parses them, so there is one list of sections and options).
pub fn run_demo(args: &[std::ffi::OsString]) -> Result<(), String> {
    let mut command = cargo();
    command
        .args(["run", "--quiet", "--release", "--package", "demo", "--"])
        .args(args);
    stream(command)
}

/// Cargo's target directory for this workspace, as cargo itself reports it (`cargo
/// metadata`): a user may set `CARGO_TARGET_DIR` or `build.target-dir`, so `./target` is
/// never assumed.
pub fn target_dir() -> Result<PathBuf, String> {
    let mut command = cargo();
    command.args(["metadata", "--format-version", "1", "--no-deps"]);
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err("cargo metadata failed".into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    json_string_field(&text, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata did not name a target directory".into())
}

/// The string value of the first `"field":"…"` in `json` (escapes `\\` and `\"` undone):
/// enough for `cargo metadata`'s paths without a JSON parser.
pub fn json_string_field(json: &str, field: &str) -> Option<String> {
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

    #[test]
    fn the_target_directory_is_cargo_s() {
        let dir = target_dir().expect("cargo metadata works in the workspace");
        assert!(dir.is_absolute(), "{}", dir.display());
    }
}
