//! Running the learner's dataflow as P processes on loopback: this same test binary,
//! re-executed once per process, running only the current test, told by environment variables
//! to be process K of a run (see `harness/src/local_cluster/child.rs` for the same idea).
//!
//! Every check that runs the dataflow calls [`serve_if_child`] first: in a child, it runs the
//! requested process and exits; in the test itself it returns, and the check calls [`run`].
//! Process 0 prints worker 0's outcomes as marked lines, which the test parses.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use given_06::{
    DistributedReport, Layout, RunPlan, free_loopback_addresses, run_process, supervise,
};

use super::DistributedApi;

const CHILD: &str = "HARNESS_DISTRIBUTED_PROCESS";
const ADDRESSES: &str = "HARNESS_DISTRIBUTED_ADDRESSES";
const PLAN: &str = "HARNESS_DISTRIBUTED_PLAN";
const OUTCOME: &str = "harness-distributed-outcome: ";
const MEAN: &str = "harness-distributed-mean: ";
const ERROR: &str = "harness-distributed-error: ";
const DONE: &str = "harness-distributed-done";

/// The longest a whole run of the checks' size may take (they need 1–3 s: timely's processes
/// connect with a one-second retry).
pub(crate) const RUN_DEADLINE: Duration = Duration::from_secs(60);

/// A run on loopback, as the checks ask for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    pub processes: usize,
    pub workers: usize,
    pub images: u64,
    pub side: usize,
    /// The side of each image's power summary.
    pub summary_side: usize,
}

/// What process 0 reported: the outcomes in arrival order, the mean power summary, or the
/// error `run_process` returned; and the last lines every process wrote to standard error.
#[derive(Debug)]
pub(crate) struct Finished {
    pub outcomes: Vec<Outcome>,
    pub mean_power: Vec<f64>,
    pub error: Option<String>,
}

/// The parts of an `ImageOutcome` the checks judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub index: u64,
    pub checksum: u64,
    pub process: usize,
    pub worker: usize,
}

/// In a child process: runs process K of the requested run with `api.run_worker`, prints
/// process 0's results and exits. Elsewhere: returns.
pub(crate) fn serve_if_child(api: &DistributedApi) {
    let Ok(process) = std::env::var(CHILD) else {
        return;
    };
    let process: usize = process.parse().expect("a process index");
    let addresses: Vec<String> = std::env::var(ADDRESSES)
        .expect("addresses")
        .split(',')
        .map(str::to_string)
        .collect();
    let numbers: Vec<u64> = std::env::var(PLAN)
        .expect("a plan")
        .split(',')
        .map(|n| n.parse().expect("a number"))
        .collect();
    let side = numbers[2] as usize;
    let mut plan = RunPlan::new(numbers[0], (side, side), numbers[1] as usize);
    plan.summary_side = numbers[3] as usize;
    let mut layout = if addresses.len() > 1 {
        Layout::cluster(process, addresses)
    } else {
        Layout::single()
    };
    layout.connect_timeout = Duration::from_secs(10);
    let result = run_process(&layout, &plan, api.run_worker);
    // libtest has printed "test <name> ... " without a newline: start on a line of our own.
    let mut out = String::from("\n");
    match result {
        Ok(Some(report)) => print_report(&report, &mut out),
        Ok(None) => {}
        Err(e) => out.push_str(&format!("{ERROR}{}\n", e.to_string().replace('\n', " "))),
    }
    out.push_str(DONE);
    out.push('\n');
    print!("{out}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(0);
}

fn print_report(report: &DistributedReport, out: &mut String) {
    for o in &report.images {
        out.push_str(&format!(
            "{OUTCOME}{} {} {} {}\n",
            o.index, o.checksum, o.placement.process, o.placement.worker
        ));
    }
    let bits: Vec<String> = report
        .mean_power
        .iter()
        .map(|v| format!("{:x}", v.to_bits()))
        .collect();
    out.push_str(&format!("{MEAN}{}\n", bits.join(",")));
}

/// A started run: its processes and the threads reading their output.
pub(crate) struct Started {
    pub children: Vec<Child>,
    /// Each process's standard output and error, read to the end.
    pub readers: Vec<(JoinHandle<String>, JoinHandle<String>)>,
}

/// Starts the run's processes (ports chosen now).
///
/// # Panics
/// When the current test's name is unknown (a test runner that does not name its threads),
/// or a process cannot be started.
pub(crate) fn start(request: Request) -> Started {
    let test = std::thread::current()
        .name()
        .filter(|t| *t != "main")
        .map(str::to_string)
        .expect("the test's thread is named after the test (libtest does that)");
    let exe = std::env::current_exe().expect("the test binary's path");
    let addresses = if request.processes > 1 {
        free_loopback_addresses(request.processes).expect("free loopback ports")
    } else {
        vec!["127.0.0.1:0".to_string()]
    };
    let plan = format!(
        "{},{},{},{}",
        request.images, request.workers, request.side, request.summary_side
    );
    let mut children = Vec::new();
    let mut readers = Vec::new();
    for k in 0..request.processes {
        let mut child = Command::new(&exe)
            .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, k.to_string())
            .env(ADDRESSES, addresses.join(","))
            .env(PLAN, &plan)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("a child process of the test binary");
        let read = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = pipe.read_to_string(&mut text);
                text
            })
        };
        let out = read(Box::new(child.stdout.take().expect("piped")));
        let err = read(Box::new(child.stderr.take().expect("piped")));
        children.push(child);
        readers.push((out, err));
    }
    Started { children, readers }
}

/// Waits for a started run (at most `deadline`, then 10 s for the others after a failure)
/// and reads process 0's report. `Err` says what went wrong, with the last lines each process
/// wrote (a stub's `todo!` message is among them).
pub(crate) fn finish(started: Started, deadline: Duration) -> Result<Finished, String> {
    let begun = Instant::now();
    let supervised = supervise(started.children, Some(deadline), Duration::from_secs(10));
    let texts: Vec<(String, String)> = started
        .readers
        .into_iter()
        .map(|(o, e)| (o.join().unwrap_or_default(), e.join().unwrap_or_default()))
        .collect();
    let tails = || {
        texts
            .iter()
            .enumerate()
            .map(|(k, (_, err))| {
                let last: Vec<&str> = err
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with"))
                    .collect();
                let last = &last[last.len().saturating_sub(6)..];
                format!("process {k} said:\n      {}", last.join("\n      "))
            })
            .collect::<Vec<_>>()
            .join("\n    ")
    };
    let (stdout, _) = &texts[0];
    if let Some(k) = supervised.first_failure
        && !stdout.contains(DONE)
    {
        return Err(match supervised.statuses[k] {
            None => format!(
                "the run did not finish within {:?} (process {k} was killed)\n    {}",
                begun.elapsed(),
                tails()
            ),
            Some(status) => format!("process {k} failed ({status})\n    {}", tails()),
        });
    }
    if !stdout.contains(DONE) {
        return Err(format!("process 0 did not report\n    {}", tails()));
    }
    let mut finished = Finished {
        outcomes: Vec::new(),
        mean_power: Vec::new(),
        error: None,
    };
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix(OUTCOME) {
            let n: Vec<u64> = rest.split(' ').filter_map(|n| n.parse().ok()).collect();
            finished.outcomes.push(Outcome {
                index: n[0],
                checksum: n[1],
                process: n[2] as usize,
                worker: n[3] as usize,
            });
        } else if let Some(rest) = line.strip_prefix(MEAN) {
            finished.mean_power = rest
                .split(',')
                .filter(|b| !b.is_empty())
                .filter_map(|b| u64::from_str_radix(b, 16).ok().map(f64::from_bits))
                .collect();
        } else if let Some(rest) = line.strip_prefix(ERROR) {
            finished.error = Some(rest.to_string());
        }
    }
    Ok(finished)
}

/// [`start`] then [`finish`], retrying once when a port chosen for the run was taken by
/// someone else in between (timely then cannot listen: "Address already in use").
pub(crate) fn run(request: Request) -> Result<Finished, String> {
    match finish(start(request), RUN_DEADLINE) {
        Err(e) if e.contains("Address already in use") => finish(start(request), RUN_DEADLINE),
        other => other,
    }
}
