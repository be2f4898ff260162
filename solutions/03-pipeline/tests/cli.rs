//! `eo-pipeline` as a user runs it: every reproduction of issue 9 (items 9-14) as a test.
//! Each runs the program built by cargo for this test (`CARGO_BIN_EXE_eo-pipeline`).

#![cfg(unix)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ndarray::Array2;
use solution_03::{Complex64, Sink};

fn eo_pipeline() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eo-pipeline"));
    command.arg("--progress").arg("none");
    command
}

fn run(args: &[&str]) -> Output {
    eo_pipeline()
        .args(args)
        .output()
        .expect("starting eo-pipeline")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code, and standard error; fails on a panic or a signal.
fn status_and_stderr(output: &Output) -> (i32, String) {
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "eo-pipeline panicked:\n{stderr}"
    );
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{stderr}", output.status));
    (code, stderr)
}

fn scratch(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eo-cli-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("reading the directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Every entry is a complete, loadable spectrum of `shape`.
fn assert_only_complete_spectra(dir: &Path, shape: (usize, usize)) -> usize {
    let names = entries(dir);
    for name in &names {
        assert!(
            name.starts_with("spectrum-") && name.ends_with(".npy"),
            "left behind: {name} (all: {names:?})"
        );
        let spectrum: Array2<Complex64> = ndarray_npy::read_npy(dir.join(name))
            .unwrap_or_else(|e| panic!("{name} is not a complete .npy file: {e}"));
        assert_eq!(spectrum.dim(), shape, "{name}");
    }
    names.len()
}

// --- 9: --threads has an upper bound -------------------------------------------------------

#[test]
fn threads_far_above_the_cores_are_refused_with_the_limit() {
    let started = Instant::now();
    let output = run(&["--threads", "100000", "--images", "4", "--size", "8"]);
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Use at most"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_parallel_run_uses_no_more_threads_than_images() {
    let output = run(&[
        "--threads",
        "2",
        "--images",
        "1",
        "--size",
        "8",
        "--mode",
        "parallel",
    ]);
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 0, "{stderr}");
    assert!(text(&output.stdout).contains("parallel (1 threads)"));
}

// --- 10: the run's peak memory is estimated before any work --------------------------------

#[test]
fn a_run_larger_than_the_available_memory_is_refused_before_any_work() {
    // 40000² (issue: aborted allocating 12.8 GB), 2^29 square (spent 20 s and 7.3 GB
    // planning the FFT), 1 × 2^29 (the FFT plans alone), 2^20 square (52 TB).
    for shape in [
        ["--size", "200000"],
        ["--size", "536870912"],
        ["--shape", "1x536870912"],
        ["--size", "1048576"],
    ] {
        let started = Instant::now();
        let output = run(&[shape[0], shape[1], "--images", "1"]);
        let (code, stderr) = status_and_stderr(&output);
        assert_eq!(code, 1, "{shape:?}: {stderr}");
        assert!(
            stderr.contains("too large")
                && stderr.contains("needs an estimated")
                && stderr.contains("is available"),
            "{shape:?}: {stderr}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{shape:?} took {:?}",
            started.elapsed()
        );
    }
}

// --- 11: two runs into one directory -------------------------------------------------------

#[test]
fn two_concurrent_runs_into_one_directory_never_collide() {
    let dir = scratch("two-runs");
    for round in 0..5 {
        let start = || {
            eo_pipeline()
                .args(["--images", "24", "--size", "48", "--threads", "2", "--save"])
                .arg(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starting eo-pipeline")
        };
        let (first, second) = (start(), start());
        for child in [first, second] {
            let output = child.wait_with_output().expect("waiting");
            let (code, stderr) = status_and_stderr(&output);
            assert_eq!(code, 0, "round {round}: {stderr}");
        }
        assert_eq!(
            assert_only_complete_spectra(&dir, (48, 48)),
            24,
            "round {round}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// --- 13: Ctrl-C leaves no .partial files ----------------------------------------------------

#[test]
fn an_interrupted_run_leaves_only_complete_spectra() {
    let dir = scratch("sigint");
    for round in 0..6 {
        for entry in entries(&dir) {
            let _ = std::fs::remove_file(dir.join(entry));
        }
        let child = eo_pipeline()
            .args([
                "--images",
                "2000",
                "--size",
                "256",
                "--mode",
                "parallel",
                "--threads",
                "2",
            ])
            .arg("--save")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting eo-pipeline");
        // Interrupt while images are being written: after the first few are complete,
        // at a different moment each round.
        let deadline = Instant::now() + Duration::from_secs(60);
        while entries(&dir).iter().filter(|n| !n.starts_with('.')).count() < 2 + round * 3 {
            assert!(Instant::now() < deadline, "no spectrum written within 60 s");
            std::thread::sleep(Duration::from_millis(2));
        }
        // SAFETY: sends a signal to the child we started; no memory is involved.
        let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(sent, 0, "sending SIGINT");
        let output = child.wait_with_output().expect("waiting");
        let (code, stderr) = status_and_stderr(&output);
        assert_eq!(code, 130, "round {round}: {stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        let complete = assert_only_complete_spectra(&dir, (256, 256));
        assert!(complete >= 2, "round {round}: {complete} complete files");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// --- 14: documented exit codes, never a panic -------------------------------------------------

#[test]
fn a_closed_standard_output_ends_quietly_with_status_0() {
    let mut child = eo_pipeline()
        .args(["--images", "3", "--size", "32"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting eo-pipeline");
    drop(child.stdout.take()); // the reader goes away, like `| head -c 10`
    let output = child.wait_with_output().expect("waiting");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn help_into_a_closed_pipe_does_not_panic() {
    let mut child = eo_pipeline()
        .arg("--help")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting eo-pipeline");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("waiting");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_full_standard_output_is_exit_1_with_a_message() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = eo_pipeline()
        .args(["--images", "3", "--size", "32"])
        .stdout(full)
        .output()
        .expect("starting eo-pipeline");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cannot write the report to standard output"),
        "{stderr}"
    );
}

#[test]
fn non_utf8_arguments_give_the_documented_exit_codes() {
    // A directory name that is not UTF-8 is a valid path: it is used (here: missing).
    let output = eo_pipeline()
        .args(["--images", "2", "--size", "8", "--save"])
        .arg(OsStr::from_bytes(b"/nonexistent/out\xff"))
        .output()
        .expect("starting eo-pipeline");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    // A mode that is not UTF-8 is a usage error.
    let output = eo_pipeline()
        .arg("--mode")
        .arg(OsStr::from_bytes(b"\xff"))
        .output()
        .expect("starting eo-pipeline");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_non_utf8_save_directory_that_exists_receives_the_spectra() {
    let parent = scratch("non-utf8");
    let dir = parent.join(OsStr::from_bytes(b"out\xff"));
    std::fs::create_dir(&dir).expect("a directory with a non-UTF-8 name");
    let output = eo_pipeline()
        .args([
            "--images",
            "2",
            "--size",
            "8",
            "--mode",
            "sequential",
            "--save",
        ])
        .arg(&dir)
        .output()
        .expect("starting eo-pipeline");
    let (code, stderr) = status_and_stderr(&output);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(entries(&dir), [Sink::file_name(0), Sink::file_name(1)]);
    let _ = std::fs::remove_dir_all(&parent);
}
