//! The `eo-distributed` program, given the learner's dataflow: both `exercise-06` and
//! `solution-06` have a `src/bin/eo-distributed.rs` that calls [`main_with`].

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::Parser;

use crate::error::DistributedError;
use crate::hostfile::read_hostfile;
use crate::launch::{free_loopback_addresses, supervise};
use crate::outcome::RunPlan;
use crate::run::{Layout, WorkerFn, run_process};

const EXIT_STATUS: &str = "\
Exit status:
  0    the run completed (with --check: and its checksums equal section 03's sequential run)
  1    the run was refused or failed (bad hostfile, too large, a failed save, checksums differ)
  2    bad arguments
  3    another process died or could not be reached within --connect-timeout: restart the run";

/// Runs section 03's pipeline (load → smooth → fft2 → save) on timely dataflow, over several
/// processes and hosts. Worker 0 prints the report.
#[derive(Debug, Parser)]
#[command(name = "eo-distributed", version, after_help = EXIT_STATUS)]
struct Args {
    /// Images to process, numbered 0..N.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    images: u64,
    /// Square images of S × S pixels.
    #[arg(long, value_name = "S", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=65_536))]
    size: u64,
    /// Worker threads in each process.
    #[arg(long, value_name = "W", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=256))]
    workers: u64,
    /// Start P processes on this machine (loopback, free ports) and supervise them.
    #[arg(long, value_name = "P", conflicts_with_all = ["hostfile", "process", "addresses"],
          value_parser = clap::value_parser!(u64).range(1..=64))]
    local: Option<u64>,
    /// One `host:port` per line, process K on line K: run one process of a multi-host run.
    #[arg(
        long,
        value_name = "FILE",
        requires = "process",
        conflicts_with = "addresses"
    )]
    hostfile: Option<PathBuf>,
    /// This process's line in the hostfile (0-based).
    #[arg(long, value_name = "K")]
    process: Option<usize>,
    /// The processes' addresses, comma-separated (what --local passes to its processes).
    #[arg(long, value_name = "LIST", requires = "process", value_delimiter = ',')]
    addresses: Vec<String>,
    /// Each process writes the spectra of its images to DIR/spectrum-NNNNN.npy (DIR must
    /// exist on every host: a local directory per host, or shared storage).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Seconds to wait for every process to connect.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    connect_timeout: u64,
    /// Worker 0 also runs section 03's sequential pipeline and compares the checksums.
    #[arg(long)]
    check: bool,
}

/// The program: parses the arguments, starts processes (`--local`) or runs one, and prints
/// worker 0's report. `run_worker` is the dataflow (the learner's).
pub fn main_with(run_worker: WorkerFn) -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    // Like eo-pipeline (book §3.4): keep freed memory for the next image instead of
    // page-faulting it in again; every process tunes its own allocator. The reference
    // dataflow reuses one workspace per worker and does not need it; a dataflow that
    // allocates its arrays per image does.
    solution_03::keep_freed_memory();
    if let Some(processes) = args.local {
        return launch_local(processes as usize, args.connect_timeout);
    }
    match run_one(&args, run_worker) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            eprintln!("eo-distributed: {message}");
            ExitCode::from(code)
        }
    }
}

/// Why `run_one` failed, and the exit status that says so.
struct Failure {
    message: String,
    code: u8,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, code: 1 }
    }
}

impl From<DistributedError> for Failure {
    /// Another process's absence is [`EXIT_LOST_PEER`], like its death mid-run: every
    /// process of a run that could not start exits with the same status.
    fn from(e: DistributedError) -> Failure {
        let code = match e {
            DistributedError::Connect { .. } => crate::run::EXIT_LOST_PEER as u8,
            _ => 1,
        };
        Failure {
            message: e.to_string(),
            code,
        }
    }
}

fn run_one(args: &Args, run_worker: WorkerFn) -> Result<(), Failure> {
    let addresses = match &args.hostfile {
        Some(path) => read_hostfile(path).map_err(|e| e.to_string())?,
        None => args.addresses.clone(),
    };
    let process = args.process.unwrap_or(0);
    if !addresses.is_empty() && process >= addresses.len() {
        return Err(DistributedError::Layout(format!(
            "--process {process} but the hostfile lists {} address(es): use 0..{}",
            addresses.len(),
            addresses.len()
        ))
        .into());
    }
    let size = args.size as usize;
    let mut plan = RunPlan::new(args.images, (size, size), args.workers as usize);
    plan.out = args.out.clone();
    let mut layout = Layout::cluster(process, addresses);
    layout.connect_timeout = Duration::from_secs(args.connect_timeout);
    let report = run_process(&layout, &plan, run_worker)?;
    let Some(report) = report else {
        return Ok(());
    };
    let write = |e: io::Error| format!("cannot write the report: {e}");
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "eo-distributed: {} images of {size} x {size} on {} process(es) x {} worker(s)",
        args.images, report.processes, report.workers_per_process
    )
    .map_err(write)?;
    report.print(&mut out).map_err(write)?;
    if args.check {
        let sequential =
            crate::run_sequential(&crate::PipelineConfig::new(args.images, (size, size)))
                .map_err(|e| format!("the sequential run failed: {e}"))?;
        if sequential.checksums() != report.checksums() {
            return Err(String::from("checksums DIFFER from section 03's sequential run").into());
        }
        writeln!(
            out,
            "checksums: identical to section 03's sequential run for all {} images",
            args.images
        )
        .map_err(write)?;
    }
    Ok(())
}

/// Re-runs this program as `processes` processes on loopback, each with this command line
/// minus `--local P`, plus `--addresses … --process K`.
fn launch_local(processes: usize, connect_timeout: u64) -> ExitCode {
    let fail = |message: String| {
        eprintln!("eo-distributed: {message}");
        ExitCode::FAILURE
    };
    let (exe, addresses) = match (std::env::current_exe(), free_loopback_addresses(processes)) {
        (Ok(exe), Ok(addresses)) => (exe, addresses),
        (Err(e), _) | (_, Err(e)) => return fail(format!("cannot start the processes: {e}")),
    };
    let mut passed: Vec<OsString> = Vec::new();
    let mut skip_next = false;
    for arg in std::env::args_os().skip(1) {
        if skip_next {
            skip_next = false;
        } else if arg == "--local" {
            skip_next = true;
        } else if !arg.to_string_lossy().starts_with("--local=") {
            passed.push(arg);
        }
    }
    let mut children = Vec::new();
    for k in 0..processes {
        let child = Command::new(&exe)
            .args(&passed)
            .arg("--addresses")
            .arg(addresses.join(","))
            .arg("--process")
            .arg(k.to_string())
            .spawn();
        match child {
            Ok(child) => children.push(child),
            Err(e) => {
                for mut c in children {
                    let _ = c.kill();
                    let _ = c.wait();
                }
                return fail(format!("cannot start process {k}: {e}"));
            }
        }
    }
    // No run limit: a long run is not a hang (each process's connect deadline and panic
    // hook handle hangs); a failed process gets the others 2 × the connect timeout to
    // notice before they are killed.
    let supervised = supervise(
        children,
        None,
        Duration::from_secs(connect_timeout.saturating_mul(2).max(5)),
    );
    match supervised.first_failure {
        None => ExitCode::SUCCESS,
        Some(k) => fail(format!(
            "process {k} failed ({}); the run is abandoned",
            supervised.statuses[k].map_or("killed".to_string(), |s| s.to_string())
        )),
    }
}
