//! §6.5 — a process that dies ends the run everywhere, fast.

use std::time::{Duration, Instant};

use super::loopback::{self, Request, serve_if_child};
use super::{BOOK_FAILURE, DistributedApi};

/// How long the surviving process may take to notice. It needs well under a second here
/// (the broken connection is seen at once); 15 s leaves room for a loaded machine.
pub const FAIL_FAST: Duration = Duration::from_secs(15);

/// A long run on 2 processes; 3 s in, process 1 is killed (SIGKILL). Process 0 must exit
/// non-zero within [`FAIL_FAST`] saying it lost the connection (or, if the two had not yet
/// connected, that it could not connect).
pub fn faults_a_killed_process_fails_the_run_fast(api: &DistributedApi) {
    serve_if_child(api);
    let mut started = loopback::start(Request {
        processes: 2,
        workers: 1,
        images: 2_000_000,
        side: 32,
        summary_side: 1,
    });
    std::thread::sleep(Duration::from_secs(3));
    // The check judges a run that was working: both processes must still be running now.
    let already: Vec<Option<std::process::ExitStatus>> = started
        .children
        .iter_mut()
        .map(|c| c.try_wait().ok().flatten())
        .collect();
    if already.iter().any(Option::is_some) {
        for child in &mut started.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let said: Vec<String> = started
            .readers
            .into_iter()
            .enumerate()
            .map(|(k, (o, e))| {
                let _ = o.join();
                let err = e.join().unwrap_or_default();
                let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
                format!(
                    "process {k} said:\n      {}",
                    lines[lines.len().saturating_sub(6)..].join("\n      ")
                )
            })
            .collect();
        panic!(
            "2 processes on a run of 2,000,000 small images: a process had already exited 3 s \
             in ({already:?}), before process 1 was to be killed; the run must work before its \
             failure can be judged\n    {}\n  read: {BOOK_FAILURE}",
            said.join("\n    ")
        );
    }
    let _ = started.children[1].kill();
    let _ = started.children[1].wait();
    let killed = Instant::now();
    let status = loop {
        match started.children[0].try_wait() {
            Ok(Some(status)) => break Some(status),
            _ if killed.elapsed() > FAIL_FAST => {
                let _ = started.children[0].kill();
                let _ = started.children[0].wait();
                break None;
            }
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let stderr: Vec<String> = started
        .readers
        .into_iter()
        .map(|(o, e)| {
            let _ = o.join();
            e.join().unwrap_or_default()
        })
        .collect();
    let said = stderr[0]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n      ");
    let what = "2 processes; process 1 killed 3 s into the run";
    match status {
        None => panic!(
            "{what}: process 0 was still running {FAIL_FAST:?} later (a hang); it said:\n      \
             {said}\n  read: {BOOK_FAILURE}"
        ),
        Some(s) if s.success() => panic!(
            "{what}: process 0 exited successfully, as if the run had completed\n  read: \
             {BOOK_FAILURE}"
        ),
        Some(s)
            if !(said.contains("lost the connection") || said.contains("could not connect")) =>
        {
            panic!(
                "{what}: process 0 failed ({s}), but without saying that it lost a process; it \
                 said:\n      {said}\n  read: {BOOK_FAILURE}"
            )
        }
        Some(_) => {}
    }
}
