//! Section 04 — a local cluster. **Your exercise: the scheduler.**
//!
//! The cluster's machinery is given (read it in `given/04-local-cluster/src/`):
//! `runtime/` runs the worker threads, the client and the futures, and carries out what
//! the scheduler decides; `dashboard.rs` and `stream.rs` show what happened; `on_cluster.rs`
//! submits section 03's pipeline to a cluster (§4.8). You write the
//! decisions, in `src/scheduler.rs`, in five steps (§4.2 to §4.6 of the chapter
//! `book/src/04-local-cluster.md`): independent tasks on idle workers, tasks with inputs,
//! releasing results, failures, and fire-and-forget and close.
//!
//! Check one step with `cargo test -p exercise-04 step1_` (then `step2_`, …): a step's
//! checks pass while the later steps' methods are still `todo!`. All checks:
//! `cargo test -p exercise-04`; one group: `correctness_`, `properties_`, `mechanism_`,
//! `timing_` (those run only with `-- --include-ignored`). Where you stand:
//! `cargo xtask progress`.
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
