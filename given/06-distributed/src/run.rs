//! §6.5 — one process of a run: timely's configuration, the panic hook, and worker 0's report.

use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use solution_03::{PipelineConfig, Sink};
use timely::worker::Worker;
use timely::{CommunicationConfig, WorkerConfig};

use crate::error::DistributedError;
use crate::outcome::{ImageOutcome, RunPlan};
use crate::report::DistributedReport;

/// The learner's dataflow on one worker: builds it, runs it to completion and returns the
/// outcomes that reached this worker (worker 0 returns every image's; the others, nothing).
pub type WorkerFn = fn(&mut Worker, &RunPlan) -> Vec<ImageOutcome>;

/// Where this process sits in the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// This process's index, its line in `addresses`.
    pub process: usize,
    /// Every process's `host:port`, process K on line K; empty (or one address) for a run
    /// in one process.
    pub addresses: Vec<String>,
    /// How long to wait for every process to connect before giving up.
    pub connect_timeout: Duration,
}

/// How long a process waits for the others unless told otherwise.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

impl Layout {
    /// One process, no network.
    pub fn single() -> Layout {
        Layout {
            process: 0,
            addresses: Vec::new(),
            connect_timeout: CONNECT_TIMEOUT,
        }
    }

    /// Process `process` of the run whose processes listen at `addresses`.
    pub fn cluster(process: usize, addresses: Vec<String>) -> Layout {
        Layout {
            process,
            addresses,
            connect_timeout: CONNECT_TIMEOUT,
        }
    }

    /// Processes in the run.
    pub fn processes(&self) -> usize {
        self.addresses.len().max(1)
    }
}

/// The exit status of a process that gave up on the run because another process failed, or
/// could not be reached: every process of a failed run exits with it.
pub const EXIT_LOST_PEER: i32 = 3;

// ANCHOR: run_process
/// Runs this process's part of `plan` with `run_worker` on each of its
/// `plan.workers_per_process` workers, and returns worker 0's report on process 0 (`None` on
/// the others).
///
/// What timely does when another process fails, and what this adds (book §6.5):
/// - timely's own set-up retries a connection forever, once a second, and prints "awaiting
///   connections" on standard output while it waits. The processes are connected by
///   [`connect`](crate::connect::connect) instead, quietly, with timely's handshake: it
///   gives up after `layout.connect_timeout` with [`DistributedError::Connect`], and the
///   program exits with [`EXIT_LOST_PEER`].
/// - a worker that panics leaves the other workers waiting for its progress, so in a run of
///   several workers or processes the same hook ends the process (see below).
/// - when a connection breaks mid-run (a process died), timely's network thread panics with
///   "timely communication error"; the workers would then wait forever for progress from
///   the dead process. A panic hook turns any panic of a multi-process run into a message
///   and an exit with [`EXIT_LOST_PEER`], so the other processes see their connections close
///   and exit too, within a second or so. Recovery is restarting the run.
///
/// # Errors
/// [`DistributedError::Config`] (section 03's checks, before any work),
/// [`DistributedError::Layout`] for a process index outside the addresses or 0 workers,
/// [`DistributedError::Start`], [`DistributedError::Worker`] (a worker panicked, in a run
/// in one process), or what [`DistributedReport::from_outcomes`] finds wrong.
///
/// # Panics
/// Never itself. When a worker panics in a run of several workers or processes, the process
/// exits (see above) instead of hanging; in a run of one worker the panic's message is
/// returned as [`DistributedError::Worker`].
pub fn run_process(
    layout: &Layout,
    plan: &RunPlan,
    run_worker: WorkerFn,
) -> Result<Option<DistributedReport>, DistributedError> {
    let workers = plan.workers_per_process;
    if workers == 0 {
        return Err(DistributedError::Layout(
            "a process needs at least 1 worker".into(),
        ));
    }
    if layout.process >= layout.processes() {
        return Err(DistributedError::Layout(format!(
            "process {} does not exist: there are {} addresses (processes 0..{})",
            layout.process,
            layout.processes(),
            layout.processes()
        )));
    }
    let sink = plan.out.clone().map_or(Sink::Discard, Sink::NpyDir);
    let config = PipelineConfig::new(plan.images, plan.shape).with_sink(sink);
    config
        .check_memory(workers)
        .and_then(|()| config.validate())
        .map_err(DistributedError::Config)?;

    if layout.processes() > 1 || workers > 1 {
        exit_on_any_panic();
    }
    let started: Arc<Mutex<Option<Instant>>> = Arc::default();
    let (plan_for_workers, started_by_worker) = (plan.clone(), Arc::clone(&started));
    let body = move |worker: &mut Worker| {
        if worker.index() == 0 {
            *started_by_worker.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        }
        // A panic's message, not timely's `Any { .. }`, for a run in one thread.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_worker(worker, &plan_for_workers)
        }))
        .map_err(|payload| panic_text(payload.as_ref()))
    };
    let guards = if layout.processes() > 1 {
        crate::connect::start_workers(layout, workers, body)?
    } else {
        timely::execute(
            timely::Config {
                communication: CommunicationConfig::Process(workers),
                worker: WorkerConfig::default(),
            },
            body,
        )
        .map_err(DistributedError::Start)?
    };
    let mut results = guards.join().into_iter();
    let first = results.next();
    for other in results {
        other.and_then(|r| r).map_err(DistributedError::Worker)?;
    }
    let outcomes = first
        .unwrap_or_else(|| Ok(Ok(Vec::new())))
        .and_then(|r| r)
        .map_err(DistributedError::Worker)?;
    if layout.process != 0 {
        return Ok(None);
    }
    let wall = started
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .map_or(Duration::ZERO, |s| s.elapsed());
    DistributedReport::from_outcomes(plan.images, layout.processes(), workers, outcomes, wall)
        .map(Some)
}
// ANCHOR_END: run_process

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a worker panicked".into())
}

/// After the default message, any panic ends the process with [`EXIT_LOST_PEER`]: in a
/// multi-process run a dead thread (ours or timely's network thread) would otherwise leave
/// every process waiting forever.
fn exit_on_any_panic() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            default(info);
            let text = info.to_string();
            if text.contains("timely communication error") {
                eprintln!(
                    "eo-distributed: lost the connection to another process (it died, or the \
                     network failed); this process gives up. Restart the whole run."
                );
            } else {
                eprintln!("eo-distributed: a thread panicked; this process gives up.");
            }
            std::process::exit(EXIT_LOST_PEER);
        }));
    });
}
