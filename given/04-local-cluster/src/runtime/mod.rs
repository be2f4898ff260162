//! The runtime (given code): worker threads, the client, typed futures, and the glue that
//! carries out a [`Scheduler`](crate::Scheduler)'s decisions.
//!
//! Its rooms, each readable in one sitting (like rayon-core's `registry`/`job`/`latch`):
//! - `state`: what the cluster's one lock guards: every task's entry and the counts;
//! - `events`: `Shared::event`, the one path by which every
//!   event reaches the scheduler and its actions are carried out, and waiting;
//! - `worker`: the worker loop, and how a finished task is reported;
//! - `cluster`: [`LocalCluster`]: start, close, `Drop`;
//! - `client`: [`Client`] and its `submit` variants, which share one private path;
//! - `future`: [`Future`], [`wait`], [`as_completed`], [`fire_and_forget`];
//! - `view`: the narrow, read-only view of the state that futures and the dashboard use.
//!
//! One lock guards the whole cluster state (the scheduler, every task's body and result, the
//! task stream). The client takes it to submit, a worker takes it to report a finished
//! task, and a future takes it to look at its result; nobody holds it while user code runs,
//! and nothing the user wrote is dropped while it is held (a task body may capture
//! futures, whose `Drop` needs the lock). Each worker has its own crossbeam channel on
//! which it receives the tasks the scheduler assigned to it.
//!
//! The runtime trusts no scheduler: an action that breaks the contract (an input not in
//! memory, a worker number out of range, a task run twice) becomes an error on that task
//! that names the mistake, never garbage and never a hang.

use std::any::Any;
use std::sync::Arc;

mod client;
mod cluster;
mod events;
mod future;
mod state;
mod view;
mod worker;

pub use crate::status::StateCounts;
pub use client::Client;
pub use cluster::{ClusterOptions, DEFAULT_WORKER_STACK, LocalCluster};
pub use future::{AsCompleted, Future, as_completed, fire_and_forget, wait};

/// A task's result, type-erased. Shared, never copied: dependants and futures get clones of
/// the `Arc`, so a 16 MB spectrum is handed on by reference.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;
/// A task's code: takes its inputs' values, returns its value or an error message.
pub(crate) type Body = Box<dyn FnOnce(&[Value]) -> Result<Value, String> + Send>;

/// The task stream keeps at least this many of the most recent records (and at most twice
/// as many), so a long-running cluster does not grow without bound.
pub const STREAM_KEPT: usize = 100_000;
/// At most this many of the most recent tasks are drawn by `write_task_stream_svg`.
pub const PICTURE_TASKS: usize = 20_000;

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic with a non-text payload".into())
}
