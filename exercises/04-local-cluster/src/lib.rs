//! Section 04 — a local cluster. **Your exercise: the scheduler.**
//!
//! The cluster's machinery is given (read it in `given/04-local-cluster/src/`):
//! `runtime/` runs the worker threads, the client and the futures, and carries out what
//! the scheduler decides; `dashboard.rs` and `stream.rs` show what happened; `on_cluster.rs`
//! submits section 03's pipeline to a cluster (§4.8). You write the
//! decisions, in `src/scheduler.rs`, method by method:
//! [`Scheduler::submit`] (§4.2), [`Scheduler::finished`] (§4.3), [`Scheduler::release`] (§4.4),
//! [`Scheduler::cancel`] (§4.5), [`Scheduler::fire_and_forget`] and [`Scheduler::close`] (§4.6).
//! The book chapter is `book/src/04-local-cluster.md`.
//!
//! Check your work with `cargo test -p exercise-04` (all checks) or one group at a time:
//! `cargo test -p exercise-04 correctness_`, `properties_`, `mechanism_`, `timing_`.
//! Every check bounds its waits, so a scheduler that loses a task fails a check instead of
//! hanging it.

pub mod scheduler;

// Given: the runtime, the scheduler protocol, the dashboard and the task stream.
pub use given_04::{
    Action, AsCompleted, Client, ClusterError, ClusterOptions, ClusterRun, ClusterRunError,
    DEFAULT_WORKER_STACK, Future, LocalCluster, NewScheduler, PICTURE_TASKS, STREAM_KEPT,
    Scheduler, StateCounts, TaskId, TaskRecord, WorkerId, as_completed, fire_and_forget,
    panic_message, run_on_cluster, submit_image, task_stream_svg, wait,
};

pub use scheduler::{GraphScheduler, TaskInfo, TaskState, new_scheduler};

/// A cluster of `workers` workers scheduled by **your** [`new_scheduler`].
///
/// # Errors
/// `NoWorkers` when `workers == 0`; `WorkerSpawn` when a worker thread cannot be started.
pub fn local_cluster(workers: usize) -> Result<LocalCluster, ClusterError> {
    LocalCluster::with_scheduler(workers, new_scheduler)
}
