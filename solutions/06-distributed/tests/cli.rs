//! `eo-distributed` end to end: several processes on loopback, with ports chosen here (never
//! fixed ones, so these tests can run in parallel with each other and with other runs).

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use solution_06::free_loopback_addresses;

const PROGRAM: &str = env!("CARGO_BIN_EXE_eo-distributed");

fn run(args: &[&str]) -> Output {
    Command::new(PROGRAM)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("eo-distributed starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn two_and_three_local_processes_match_the_sequential_run() {
    for (processes, workers) in [("2", "1"), ("3", "1"), ("2", "2")] {
        let out = run(&[
            "--local",
            processes,
            "--workers",
            workers,
            "--images",
            "12",
            "--size",
            "64",
            "--check",
        ]);
        let stdout = text(&out.stdout);
        assert!(
            out.status.success(),
            "{processes}x{workers}: {stdout}{}",
            text(&out.stderr)
        );
        assert!(
            stdout.contains("checksums: identical to section 03's sequential run for all 12"),
            "{stdout}"
        );
        assert!(stdout.contains("bytes per image"), "{stdout}");
        // Standard output is the report: nothing of timely's connection set-up.
        assert!(!stdout.contains("awaiting connections"), "{stdout}");
        assert!(!stdout.contains("error connecting"), "{stdout}");
    }
}

#[test]
fn a_bad_hostfile_names_the_line() {
    let dir = std::env::temp_dir().join(format!("eo-distributed-hosts-{}", std::process::id()));
    std::fs::write(&dir, "# hosts\nnode01:2101\nnode02:http\n").unwrap();
    let out = run(&["--hostfile", dir.to_str().unwrap(), "--process", "0"]);
    let _ = std::fs::remove_file(&dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 3: 'node02:http'"), "{stderr}");
}

#[test]
fn a_process_that_cannot_connect_gives_up_within_its_timeout() {
    let addresses = free_loopback_addresses(2).unwrap().join(",");
    let started = Instant::now();
    let out = run(&[
        "--addresses",
        &addresses,
        "--process",
        "1",
        "--connect-timeout",
        "1",
        "--size",
        "16",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("could not connect to every process within 1 s"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_killed_process_makes_the_other_exit_fast() {
    let addresses = free_loopback_addresses(2).unwrap().join(",");
    let start = |k: &str| {
        Command::new(PROGRAM)
            .args([
                "--addresses",
                &addresses,
                "--process",
                k,
                "--images",
                "100000",
                "--size",
                "64",
                "--connect-timeout",
                "10",
            ])
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (zero, mut one) = (start("0"), start("1"));
    // Long enough for the two to connect (milliseconds) and start working.
    std::thread::sleep(Duration::from_millis(2500));
    one.kill().unwrap();
    let _ = one.wait();
    let killed = Instant::now();
    let out = zero.wait_with_output().unwrap();
    assert!(
        killed.elapsed() < Duration::from_secs(15),
        "took {:?}",
        killed.elapsed()
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("lost the connection to another process")
            || stderr.contains("could not connect"),
        "{stderr}"
    );
}
