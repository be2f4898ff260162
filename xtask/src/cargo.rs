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

/// `cargo xtask demo`: the demonstration, always built optimised. Section 02 also needs two
/// measurements that cannot be made from inside an optimised binary: how long the compiler
/// takes, and how fast the naive loop runs in an unoptimised build.
pub fn run_demo(args: &[String]) -> Result<(), String> {
    let mut extra: Vec<String> = Vec::new();
    if wants_section(args, &["02", "2", "smooth"]) {
        println!(
            "Section 02 needs the compiler's time and an unoptimised build: measuring them first."
        );
        let release = time_fresh_build("release")?;
        let dev = time_fresh_build("dev")?;
        extra.extend(["--compile-s".into(), format!("{release:.3},{dev:.3}")]);
        extra.extend(["--debug-naive-ms".into(), probe_debug_naive()?]);
        println!();
    }
    let mut command = cargo();
    command
        .args(["run", "--quiet", "--release", "--package", "demo", "--"])
        .args(args)
        .args(&extra);
    stream(command)
}

/// Every section the demo knows, by the names it accepts.
const SECTION_NAMES: [&str; 12] = [
    "01", "1", "add", "02", "2", "smooth", "03", "3", "pipeline", "04", "4", "cluster",
];

/// Whether `args` ask for the section called by any of `names` (no section named: all).
fn wants_section(args: &[String], names: &[&str]) -> bool {
    let mut named = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if OPTIONS_WITH_VALUES.contains(&arg.as_str()) {
            rest.next(); // `--images 3` names no section
        } else if SECTION_NAMES.contains(&arg.as_str()) {
            named.push(arg.as_str());
        }
    }
    named.is_empty() || named.iter().any(|a| names.contains(a))
}

/// The demo's options that take a value.
const OPTIONS_WITH_VALUES: [&str; 4] = ["--runs", "--images", "--debug-naive-ms", "--compile-s"];

/// Seconds to compile `solution-02` alone in `profile`, its dependencies already built.
fn time_fresh_build(profile: &str) -> Result<f64, String> {
    let mut clean = cargo();
    clean.args([
        "clean",
        "--quiet",
        "--package",
        "solution-02",
        "--profile",
        profile,
    ]);
    stream(clean)?;
    let mut deps = cargo();
    // Build the dependencies first, so that only solution-02 itself is timed.
    deps.args([
        "build",
        "--quiet",
        "--package",
        "ndarray",
        "--package",
        "rayon",
        "--profile",
        profile,
    ]);
    stream(deps)?;
    let mut build = cargo();
    build.args([
        "build",
        "--quiet",
        "--package",
        "solution-02",
        "--profile",
        profile,
    ]);
    let start = std::time::Instant::now();
    stream(build)?;
    Ok(start.elapsed().as_secs_f64())
}

/// Builds the demo unoptimised and runs its naive-smooth probe: `median,min,max` in ms.
fn probe_debug_naive() -> Result<String, String> {
    let mut build = cargo();
    build.args(["build", "--quiet", "--package", "demo", "--profile", "dev"]);
    stream(build)?;
    let binary = workspace_root().join("target/debug/demo");
    let mut probe = Command::new(&binary);
    probe.arg("--probe-smooth-naive");
    let out = capture(probe)?;
    let numbers: Vec<&str> = out.text.split_whitespace().collect();
    if !out.success || numbers.len() != 3 {
        return Err(format!("the debug probe failed:\n{}", out.text));
    }
    Ok(numbers.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sections_are_found_among_options() {
        assert!(wants_section(&args(&[]), &["02"]));
        assert!(wants_section(&args(&["--runs", "5"]), &["02"]));
        assert!(wants_section(&args(&["smooth"]), &["02", "smooth"]));
        assert!(!wants_section(&args(&["01"]), &["02"]));
        assert!(!wants_section(
            &args(&["--images", "3", "01"]),
            &["03", "3"]
        ));
        assert!(wants_section(&args(&["--images", "3"]), &["02"]));
    }
}
