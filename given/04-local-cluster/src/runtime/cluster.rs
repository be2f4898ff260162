//! [`LocalCluster`]: starting the workers, the dashboard, and closing.

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::unbounded;

use super::PICTURE_TASKS;
use super::client::Client;
use super::events::{OnPanic, Shared, Waited};
use super::worker::{WorkerMessage, worker_loop};
use crate::dashboard::Dashboard;
use crate::status::{StateCounts, StatusSource};
use crate::stream::TaskRecord;
use crate::{ClusterError, NewScheduler};

/// Each worker thread's stack unless [`ClusterOptions::worker_stack`] says otherwise: 8 MiB,
/// the main thread's default on Linux, so that code that runs on the main thread also runs
/// in a task (Rust's own default for spawned threads is 2 MiB).
pub const DEFAULT_WORKER_STACK: usize = 8 << 20;

/// How to build a cluster, beyond its worker count and scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterOptions {
    /// Bytes of stack for each worker thread (reserved address space; pages are used
    /// only as deep as the tasks go). A task that recurses deeper overflows it, which
    /// aborts the whole process.
    pub worker_stack: usize,
}

impl Default for ClusterOptions {
    fn default() -> ClusterOptions {
        ClusterOptions {
            worker_stack: DEFAULT_WORKER_STACK,
        }
    }
}

// ANCHOR: local_cluster
/// A cluster of worker threads in this process, with a scheduler and (optionally) a
/// dashboard. Dask's `LocalCluster`, as a teaching model: one process, no serialisation,
/// no network between workers.
///
/// # What a task may do
/// - return a value, return an error (`try_submit…`) or panic: the worker catches the
///   panic, the future resolves to `Failed`, and the worker carries on;
/// - submit more work (capture a [`Client`]) and wait on futures, as long as one worker
///   stays free: a wait that would leave every worker waiting inside a task fails at once
///   with `WouldDeadlock` instead of hanging (Dask's `secede` would add a worker instead);
/// - recurse as deep as its worker's stack allows ([`ClusterOptions::worker_stack`],
///   8 MiB by default).
///
/// What no cluster in one process can survive, and a task must not do: overflow its stack
/// or run out of memory (Rust aborts the whole process, and every future is lost with
/// it), or close its own cluster. A task that never returns keeps `close` waiting: use
/// [`LocalCluster::close_timeout`].
pub struct LocalCluster {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    dashboard: Mutex<Option<Dashboard>>,
}
// ANCHOR_END: local_cluster

/// Starts one thread: what [`LocalCluster::with_options`] uses, replaced in tests by one
/// that fails on purpose.
type Spawn = fn(std::thread::Builder, Box<dyn FnOnce() + Send>) -> io::Result<JoinHandle<()>>;

impl LocalCluster {
    /// Starts `workers` worker threads scheduled by the scheduler `new_scheduler` makes,
    /// with the default [`ClusterOptions`].
    ///
    /// # Errors
    /// `NoWorkers` when `workers == 0`; `WorkerSpawn` when a thread cannot be started.
    ///
    /// Cost: one thread per worker (~10 µs each).
    pub fn with_scheduler(
        workers: usize,
        new_scheduler: NewScheduler,
    ) -> Result<LocalCluster, ClusterError> {
        LocalCluster::with_options(workers, new_scheduler, ClusterOptions::default())
    }

    /// [`LocalCluster::with_scheduler`] with `options` (e.g. a larger worker stack).
    ///
    /// # Errors
    /// `NoWorkers` when `workers == 0`; `WorkerSpawn` when a thread cannot be started (the
    /// system's limit on threads or memory, or a stack size it cannot reserve): the
    /// workers already started are stopped and joined first, so nothing leaks.
    pub fn with_options(
        workers: usize,
        new_scheduler: NewScheduler,
        options: ClusterOptions,
    ) -> Result<LocalCluster, ClusterError> {
        LocalCluster::start(workers, new_scheduler, options, |builder, body| {
            builder.spawn(body)
        })
    }

    fn start(
        workers: usize,
        new_scheduler: NewScheduler,
        options: ClusterOptions,
        spawn: Spawn,
    ) -> Result<LocalCluster, ClusterError> {
        if workers == 0 {
            return Err(ClusterError::NoWorkers);
        }
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..workers).map(|_| unbounded()).unzip();
        let shared = Arc::new(Shared::new(new_scheduler(workers), senders));
        let mut threads = Vec::with_capacity(workers);
        for (worker, jobs) in receivers.into_iter().enumerate() {
            let builder = std::thread::Builder::new()
                .name(format!("worker-{worker}"))
                .stack_size(options.worker_stack);
            let for_worker = Arc::clone(&shared);
            match spawn(
                builder,
                Box::new(move || worker_loop(for_worker, worker, jobs)),
            ) {
                Ok(thread) => threads.push(thread),
                Err(e) => {
                    // Each running worker holds the shared state (and so every channel's
                    // sender): it must be told to stop, or it waits forever.
                    for sender in &shared.workers[..threads.len()] {
                        let _ = sender.send(WorkerMessage::Stop);
                    }
                    for thread in threads {
                        let _ = thread.join();
                    }
                    return Err(ClusterError::WorkerSpawn {
                        worker,
                        message: e.to_string(),
                    });
                }
            }
        }
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
        let finished =
            shared.wait_until(timeout, |s| s.shut_down || s.broken.is_some()) == Waited::Done;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, Scheduler, TaskId, WorkerId};

    struct Idle;
    impl Scheduler for Idle {
        fn submit(&mut self, _: TaskId, _: &[TaskId], _: &mut Vec<Action>) {}
        fn finished(&mut self, _: TaskId, _: WorkerId, _: bool, _: &mut Vec<Action>) {}
        fn release(&mut self, _: TaskId, _: &mut Vec<Action>) {}
        fn fire_and_forget(&mut self, _: TaskId, _: &mut Vec<Action>) {}
        fn cancel(&mut self, _: TaskId, _: &mut Vec<Action>) -> bool {
            false
        }
        fn close(&mut self, actions: &mut Vec<Action>) {
            actions.push(Action::Shutdown);
        }
    }

    fn idle(_: usize) -> Box<dyn Scheduler> {
        Box::new(Idle)
    }

    /// Issue 9 item 4: `local_cluster(5000)` under a low `ulimit -v` panicked and leaked the
    /// ~489 threads already started. The fourth spawn fails here; the three started workers
    /// must have ended (their `Arc<Shared>` clones dropped) when the error comes back.
    #[test]
    fn a_failed_spawn_stops_the_workers_already_started() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SPAWNED: AtomicUsize = AtomicUsize::new(0);
        static ENDED: AtomicUsize = AtomicUsize::new(0);
        fn fourth_fails(
            builder: std::thread::Builder,
            body: Box<dyn FnOnce() + Send>,
        ) -> io::Result<JoinHandle<()>> {
            if SPAWNED.fetch_add(1, Ordering::SeqCst) == 3 {
                return Err(io::Error::other("no more threads (test)"));
            }
            builder.spawn(move || {
                body();
                ENDED.fetch_add(1, Ordering::SeqCst);
            })
        }
        match LocalCluster::start(8, idle, ClusterOptions::default(), fourth_fails) {
            Err(ClusterError::WorkerSpawn { worker: 3, message }) => {
                assert!(message.contains("no more threads"), "{message}")
            }
            other => panic!("expected WorkerSpawn for worker 3, got {other:?}"),
        }
        assert_eq!(
            ENDED.load(Ordering::SeqCst),
            3,
            "every started worker ended"
        );
    }
}
