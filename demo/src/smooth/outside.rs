//! What section 02 measures outside this process: how long the compiler takes to build
//! `solution-02`, and how fast the naive loop runs in an unoptimised build of this program.
//! Both need cargo, which runs this program (`CARGO`); the target directory is cargo's own,
//! wherever `CARGO_TARGET_DIR` or `build.target-dir` puts it.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::paths::cargo;

/// The measurements, or why they could not be made.
#[derive(Debug, Clone, Default)]
pub struct Outside {
    /// Median, min and max of `smooth_naive` in a debug build, in milliseconds.
    pub debug_naive_ms: Option<(f64, f64, f64)>,
    /// Seconds to compile `solution-02` alone, optimised and unoptimised.
    pub compile_s: Option<(f64, f64)>,
}

/// Makes both measurements; prints what failed and carries on without it.
pub fn measure_outside() -> Outside {
    println!("Timing the compiler and an unoptimised build first (about a minute)…");
    let compile_s = match (time_fresh_build("release"), time_fresh_build("dev")) {
        (Ok(release), Ok(dev)) => Some((release, dev)),
        (Err(e), _) | (_, Err(e)) => {
            println!("(no compiler timing: {e})");
            None
        }
    };
    let debug_naive_ms = probe_debug_naive()
        .map_err(|e| println!("(no unoptimised-build timing: {e})"))
        .ok();
    println!();
    Outside {
        debug_naive_ms,
        compile_s,
    }
}

fn run_quietly(mut command: Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Seconds to compile `solution-02` alone in `profile`, its dependencies already built.
fn time_fresh_build(profile: &str) -> Result<f64, String> {
    let mut clean = cargo();
    clean.args([
        "clean",
        "--quiet",
        "-p",
        "solution-02",
        "--profile",
        profile,
    ]);
    run_quietly(clean)?;
    // Build the dependencies first, so that only solution-02 itself is timed. (Registry
    // crates and workspace members cannot share one `-p` list: cargo then looks for the
    // registry crates among the named members' dependencies only.)
    for packages in [["ndarray", "rayon"].as_slice(), &["given-02"]] {
        let mut deps = cargo();
        deps.args(["build", "--quiet", "--profile", profile]);
        for p in packages {
            deps.args(["-p", p]);
        }
        run_quietly(deps)?;
    }
    let mut build = cargo();
    build.args([
        "build",
        "--quiet",
        "-p",
        "solution-02",
        "--profile",
        profile,
    ]);
    let start = Instant::now();
    run_quietly(build)?;
    Ok(start.elapsed().as_secs_f64())
}

/// Builds and runs this program unoptimised with `--probe-smooth-naive`.
fn probe_debug_naive() -> Result<(f64, f64, f64), String> {
    let mut probe = cargo();
    probe.args([
        "run",
        "--quiet",
        "-p",
        "demo",
        "--profile",
        "dev",
        "--",
        "--probe-smooth-naive",
    ]);
    let text = run_quietly(probe)?;
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [median, min, max] => Ok((median, min, max)),
        _ => Err(format!("the probe printed {text:?}")),
    }
}
