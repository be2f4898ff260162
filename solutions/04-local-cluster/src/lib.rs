//! Section 04 — a local cluster (reference solution).
//!
//! The tutorial's last part submits the image pipeline to a Dask `LocalCluster`: a client
//! submits tasks to a scheduler, which builds a task graph and hands ready tasks to
//! workers; futures stand for results to come, and passing a future to another task adds
//! an edge to the graph. This crate is a small model of that machine inside one process:
//!
//! - the runtime (given, in `given-04`): [`LocalCluster`], [`Client`], typed [`Future`]s,
//!   worker threads, [`fire_and_forget`], [`wait`], [`as_completed`];
//! - [`scheduler`] (the exercise): [`GraphScheduler`], the state machine that decides what
//!   runs where — dependency tracking, dispatch to idle workers, error propagation,
//!   releasing results, fire-and-forget and close;
//! - the dashboard and the task stream (given): the status page and the task-stream picture;
//! - [`run_on_cluster`] (given): section 03's image pipeline submitted to the cluster.
//!
//! It is a teaching model. A real distributed engine adds separate processes and machines,
//! serialisation of tasks and results, data transfer between workers, spilling to disk,
//! and recovery when a worker dies (book §4.8).

pub mod scheduler;

pub use scheduler::{GraphScheduler, TaskInfo, TaskState, new_scheduler};

// Given code (`given-04`), re-exported so that solution and exercise share one API.
pub use given_04::{
    Action, AsCompleted, Client, ClusterError, ClusterOptions, ClusterRun, ClusterRunError,
    DEFAULT_WORKER_STACK, Future, LocalCluster, NewScheduler, PICTURE_TASKS, STREAM_KEPT,
    Scheduler, StateCounts, TaskId, TaskRecord, WorkerId, as_completed, fire_and_forget,
    panic_message, run_on_cluster, submit_image, task_stream_svg, wait,
};

/// A cluster of `workers` workers scheduled by this crate's [`new_scheduler`].
///
/// # Errors
/// `NoWorkers` when `workers == 0`; `WorkerSpawn` when a worker thread cannot be started.
pub fn local_cluster(workers: usize) -> Result<LocalCluster, ClusterError> {
    LocalCluster::with_scheduler(workers, new_scheduler)
}
