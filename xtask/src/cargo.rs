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
pub fn capture(mut command: Command) -> Result<Output, String> {
    println!("  $ {}", describe(&command));
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

/// `cargo xtask demo`: the demonstration, always built optimised.
pub fn run_demo(args: &[String]) -> Result<(), String> {
    let mut command = cargo();
    command
        .args(["run", "--quiet", "--release", "--package", "demo", "--"])
        .args(args);
    stream(command)
}
