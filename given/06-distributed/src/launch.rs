//! §6.6 — starting the processes of a run on this machine, like Dask's `LocalCluster`.

use std::net::TcpListener;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// `count` loopback addresses `127.0.0.1:PORT` whose ports the system reported free: all are
/// bound at once (so they differ), then released for timely to bind. Another program could
/// take one in between; that process then fails to start, saying it cannot listen on its
/// address (address in use), and the run with it.
///
/// # Errors
/// The system refused to bind a port.
pub fn free_loopback_addresses(count: usize) -> std::io::Result<Vec<String>> {
    let listeners = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<std::io::Result<Vec<_>>>()?;
    listeners
        .iter()
        .map(|l| l.local_addr().map(|a| a.to_string()))
        .collect()
}

/// How a supervised run of processes ended.
#[derive(Debug)]
pub struct Supervised {
    /// Each process's exit status, in process order (`None`: killed by the supervisor).
    pub statuses: Vec<Option<ExitStatus>>,
    /// The first process that failed, if any.
    pub first_failure: Option<usize>,
}

// ANCHOR: supervise
/// Waits for `children` (process K at position K). When one fails, the others get `grace`
/// to notice (their connect deadline or panic hook makes them exit) and are then killed; when `deadline` (if
/// any) passes, all are killed. Never hangs longer than `deadline` + `grace`.
pub fn supervise(
    mut children: Vec<Child>,
    deadline: Option<Duration>,
    grace: Duration,
) -> Supervised {
    let started = Instant::now();
    let mut statuses: Vec<Option<ExitStatus>> = vec![None; children.len()];
    let mut first_failure = None;
    // A year stands for "no deadline" (an `Instant` cannot be infinite).
    let mut give_up_at = started + deadline.unwrap_or(Duration::from_secs(365 * 24 * 3600));
    loop {
        for (k, child) in children.iter_mut().enumerate() {
            if statuses[k].is_none()
                && let Ok(Some(status)) = child.try_wait()
            {
                statuses[k] = Some(status);
                if !status.success() && first_failure.is_none() {
                    first_failure = Some(k);
                    give_up_at = give_up_at.min(Instant::now() + grace);
                }
            }
        }
        if statuses.iter().all(Option::is_some) {
            break;
        }
        if Instant::now() >= give_up_at {
            for (k, child) in children.iter_mut().enumerate() {
                if statuses[k].is_none() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
            if first_failure.is_none() {
                first_failure = statuses.iter().position(Option::is_none);
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Supervised {
        statuses,
        first_failure,
    }
}
// ANCHOR_END: supervise
