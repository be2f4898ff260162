//! Section 04 — given code: the machinery of a Dask-like local cluster, everything but the
//! scheduler's decisions.
//!
//! - [`runtime`]: [`LocalCluster`], [`Client`], typed [`Future`]s, worker threads,
//!   [`fire_and_forget`], [`wait`], [`as_completed`]. It carries out what a [`Scheduler`]
//!   decides and trusts it with nothing;
//! - [`protocol`]: the [`Scheduler`] trait and its [`Action`]s — the contract between the
//!   runtime and the learner's scheduler;
//! - [`dashboard`] and [`stream`]: the status page and the task-stream picture; the
//!   dashboard reads the cluster only through the small read-only `status` interface, so
//!   it does not depend on the runtime;
//! - [`on_cluster`]: section 03's image pipeline submitted to a cluster (§4.8).
//!
//! Both `exercise-04` and `solution-04` depend on this crate and re-export it; each adds
//! its own scheduler and a `local_cluster(workers)` that uses it.

pub mod dashboard;
pub mod error;
pub mod on_cluster;
pub mod protocol;
pub mod runtime;
mod status;
pub mod stream;

pub use error::ClusterError;
pub use on_cluster::{ClusterRun, ClusterRunError, run_on_cluster, submit_image};
pub use protocol::{Action, NewScheduler, Scheduler, TaskId, WorkerId};
pub use runtime::{
    AsCompleted, Client, ClusterOptions, DEFAULT_WORKER_STACK, Future, LocalCluster, PICTURE_TASKS,
    STREAM_KEPT, StateCounts, as_completed, fire_and_forget, panic_message, wait,
};
pub use stream::{TaskRecord, task_stream_svg};
