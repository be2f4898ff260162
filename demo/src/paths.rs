//! Where the workspace and cargo's target directory are. Never assume `./target`: a user may
//! set `CARGO_TARGET_DIR` or `build.target-dir`.

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

/// The target directory this program was built into: it runs as `<target>/<profile>/demo`,
/// wherever `CARGO_TARGET_DIR` or `build.target-dir` put it. Falls back to
/// `<workspace>/target` if the program's own path cannot be read.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| workspace_root().join("target"))
}
