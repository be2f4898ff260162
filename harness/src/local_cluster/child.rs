//! Running one step of a check in a child process, so that a fault that kills the process (a
//! stack overflow aborts it; no `catch_unwind` can stop that) becomes a check failure with a
//! book pointer instead of ending the whole test run with `SIGABRT`.
//!
//! The child is this same test binary, running only the current test (libtest names each
//! test's thread after the test), told by an environment variable to run the step itself.
//! It prints a marker once the step is done; the parent reads its output.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in a child process: run every step directly.
const CHILD: &str = "HARNESS_CLUSTER_CHILD_STEP";
/// Printed by the child when its step returned.
const DONE: &str = "harness-cluster-child-step-done: ";

/// Runs `step` in a child process and waits at most `limit` for it. `Ok` when the step
/// returned; `Err` describes how the child died (a signal, a panic, the last lines it
/// printed) or that it ran out of time. Where the current test's name is not known (a test
/// runner that does not name its threads), runs `step` in this process instead.
pub(crate) fn in_child_process(
    label: &str,
    limit: Duration,
    step: impl FnOnce(),
) -> Result<(), String> {
    if std::env::var_os(CHILD).is_some() {
        step();
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{DONE}{label}");
        let _ = out.flush();
        return Ok(());
    }
    let test = std::thread::current().name().map(str::to_string);
    let (Some(test), Ok(exe)) = (test.filter(|t| t != "main"), std::env::current_exe()) else {
        step();
        return Ok(());
    };
    let mut child = Command::new(exe)
        .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, label)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start a child process to run it in: {e}"))?;
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("piped")));
    let stderr = read(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    if stdout.contains(&format!("{DONE}{label}")) {
        return Ok(());
    }
    let last: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(4)
        .collect();
    let last: Vec<&str> = last.into_iter().rev().collect();
    Err(match status {
        None => format!("did not finish within {limit:?}"),
        Some(status) => format!(
            "killed the process ({status}); it said:\n      {}",
            last.join("\n      ")
        ),
    })
}
