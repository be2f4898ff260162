//! [`LocalCluster`]: starting the workers, the dashboard, and closing.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::unbounded;

use super::PICTURE_TASKS;
use super::client::Client;
use super::state::{OnPanic, Shared};
use super::worker::worker_loop;
use crate::dashboard::Dashboard;
use crate::status::{StateCounts, StatusSource};
use crate::stream::TaskRecord;
use crate::{ClusterError, NewScheduler};

// ANCHOR: local_cluster
/// A cluster of worker threads in this process, with a scheduler and (optionally) a
/// dashboard. Dask's `LocalCluster`, as a teaching model: one process, no serialisation,
/// no network between workers, and a worker never dies.
pub struct LocalCluster {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    dashboard: Mutex<Option<Dashboard>>,
}
// ANCHOR_END: local_cluster

impl LocalCluster {
    /// Starts `workers` worker threads scheduled by the scheduler `new_scheduler` makes.
    ///
    /// # Errors
    /// `NoWorkers` when `workers == 0`.
    ///
    /// Cost: one thread per worker (~10 µs each).
    pub fn with_scheduler(
        workers: usize,
        new_scheduler: NewScheduler,
    ) -> Result<LocalCluster, ClusterError> {
        if workers == 0 {
            return Err(ClusterError::NoWorkers);
        }
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..workers).map(|_| unbounded()).unzip();
        let shared = Arc::new(Shared::new(new_scheduler(workers), senders));
        let threads = receivers
            .into_iter()
            .enumerate()
            .map(|(worker, jobs)| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn(move || worker_loop(shared, worker, jobs))
                    .expect("spawning a worker thread")
            })
            .collect();
        Ok(LocalCluster {
            shared,
            threads: Mutex::new(threads),
            dashboard: Mutex::new(None),
        })
    }

    /// The machine's core count: the default number of workers, as in Dask.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// A client that submits to this cluster. Cheap; clients are clones of one handle.
    pub fn client(&self) -> Client {
        Client::new(Arc::clone(&self.shared))
    }

    /// How many workers the cluster has.
    pub fn workers(&self) -> usize {
        self.shared.workers.len()
    }

    /// Starts the dashboard on 127.0.0.1 at a port the operating system picks, and returns
    /// its URL (like Dask's `http://127.0.0.1:8787/status`). Idempotent: a second call
    /// returns the same URL.
    ///
    /// # Errors
    /// The I/O error of binding the socket.
    pub fn start_dashboard(&self) -> std::io::Result<String> {
        let mut dashboard = self
            .dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(d) = dashboard.as_ref() {
            return Ok(d.url());
        }
        let source: Arc<dyn StatusSource> = Arc::clone(&self.shared) as Arc<dyn StatusSource>;
        let d = Dashboard::start(source)?;
        let url = d.url();
        *dashboard = Some(d);
        Ok(url)
    }

    /// Tasks by state, now. Cost: O(1).
    pub fn counts(&self) -> StateCounts {
        self.shared.snapshot(0).counts
    }

    /// The tasks run so far (the most recent [`STREAM_KEPT`](super::STREAM_KEPT) at least):
    /// key, worker, start and end (since the cluster started).
    pub fn task_stream(&self) -> Vec<TaskRecord> {
        self.shared.snapshot(usize::MAX).recent
    }

    /// Time each worker has spent running tasks.
    pub fn busy_time(&self) -> Vec<Duration> {
        self.shared.snapshot(0).busy
    }

    /// Writes the task stream as an SVG picture (one row per worker, one bar per task) of
    /// the most recent [`PICTURE_TASKS`] tasks. Cost: O(tasks drawn); ~150 bytes of SVG per
    /// task.
    ///
    /// # Errors
    /// The file's I/O error.
    pub fn write_task_stream_svg(&self, path: &std::path::Path) -> std::io::Result<()> {
        let records = self.shared.snapshot(PICTURE_TASKS).recent;
        let svg = crate::stream::task_stream_svg(&records, self.workers());
        std::fs::write(path, svg)
    }

    /// Closes the cluster: refuses new work, waits for every task that must still run (all
    /// tasks with a future, their inputs, and fire-and-forget tasks), then stops the workers
    /// and the dashboard. Idempotent; `Drop` calls it too. Waits without limit, like Dask:
    /// use [`LocalCluster::close_timeout`] when a hang must become an error.
    pub fn close(&self) {
        let _ = self.close_inner(None);
    }

    /// [`LocalCluster::close`], giving up after `timeout`: then every unfinished task
    /// (running or not) is resolved to `Lost`, the workers are told to stop after their
    /// current task, and `CloseTimeout` says how many tasks were abandoned.
    ///
    /// # Errors
    /// `CloseTimeout` when tasks were still unfinished after `timeout`.
    pub fn close_timeout(&self, timeout: Duration) -> Result<(), ClusterError> {
        self.close_inner(Some(timeout))
    }

    fn close_inner(&self, timeout: Option<Duration>) -> Result<(), ClusterError> {
        let shared = &self.shared;
        shared.event(OnPanic::Absorb, |step| {
            if step.state.closing {
                return;
            }
            step.state.closing = true;
            if step.state.broken.is_some() {
                step.shut_down();
                return;
            }
            step.schedule(|s, a| {
                s.close(a);
                true
            });
            // A scheduler that breaks while closing can no longer say when it is done.
            if step.scheduler_panicked() {
                step.shut_down();
            }
        });
        let finished = shared.wait_until(timeout, |s| s.shut_down || s.broken.is_some());
        let result = shared.event(OnPanic::Absorb, |step| {
            let unfinished = if finished {
                0
            } else {
                step.state.lose_unfinished(true)
            };
            step.shut_down();
            unfinished
        });
        let result = if finished {
            Ok(())
        } else {
            // The workers may be stuck in a task that never ends: let them go (detached)
            // rather than join them, so a later `close` or `Drop` cannot hang.
            self.threads
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
            Err(ClusterError::CloseTimeout {
                unfinished: result,
                waited: timeout.unwrap_or_default(),
            })
        };
        if let Some(d) = self
            .dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            d.stop();
        }
        if result.is_ok() {
            // Every worker got Stop after its queued jobs; a task still running is waited for.
            let threads =
                std::mem::take(&mut *self.threads.lock().unwrap_or_else(PoisonError::into_inner));
            for thread in threads {
                let _ = thread.join();
            }
        }
        result
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        self.close();
    }
}

impl fmt::Debug for LocalCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = self.counts();
        write!(
            f,
            "LocalCluster {{ workers: {}, tasks: {counts:?} }}",
            self.workers()
        )
    }
}
