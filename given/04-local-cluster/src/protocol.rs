//! The contract between the runtime (given) and a scheduler (your exercise).
//!
//! The runtime owns the threads, the task bodies and their results. The scheduler owns the
//! *decisions*: which task may run, on which worker, which task failed because of which
//! input, which result nobody needs any more, and when the cluster may shut down. It is a
//! plain single-threaded state machine: the runtime calls one method per event, under a
//! lock, and carries out the [`Action`]s the method pushes. Dask's scheduler is built the
//! same way (a table of task states and their transitions), only in a separate process.

// ANCHOR: ids
/// A task's number, unique within one cluster, in submission order.
pub type TaskId = u64;
/// A worker's number: `0..workers`.
pub type WorkerId = usize;
// ANCHOR_END: ids

// ANCHOR: action
/// What a scheduler asks the runtime to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start `task` on `worker` now. Only ask this of an idle worker (one that has no task
    /// and has not been asked to run one since it last finished), and only once every input
    /// of the task is in memory: the runtime hands the task its inputs at this moment.
    Run { task: TaskId, worker: WorkerId },
    /// `task` will never run because `cause` failed or was cancelled (`cause == task` when
    /// the task itself was cancelled). Its future resolves to an error naming `cause`.
    Fail { task: TaskId, cause: TaskId },
    /// Nobody needs `task` any more (no future refers to it, no dependant waits for it,
    /// and it is either done or was not marked fire-and-forget): drop its result, or its
    /// body if it never ran.
    Forget { task: TaskId },
    /// The cluster is closing and every task that must run has finished: stop the workers.
    Shutdown,
}
// ANCHOR_END: action

// ANCHOR: scheduler_trait
/// The scheduler's events. Each method pushes the resulting actions onto `actions`.
///
/// The runtime guarantees: task ids are new at `submit` and every dependency was submitted
/// before (and has not been forgotten); `deps` holds no duplicates; `finished` is called
/// once for each `Run` the scheduler asked for, with the worker that ran it; after
/// `Shutdown` no method is called again.
pub trait Scheduler: Send {
    /// A client submitted `task`, whose inputs are the results of `deps`. A future refers
    /// to it from now on.
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>);
    /// `worker` finished `task`: it returned a value (`succeeded`) or panicked / returned
    /// an error. The worker is idle again.
    fn finished(
        &mut self,
        task: TaskId,
        worker: WorkerId,
        succeeded: bool,
        actions: &mut Vec<Action>,
    );
    /// The last future referring to `task` was dropped.
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>);
    /// `fire_and_forget` was called on `task`: it must run to completion even when no
    /// future refers to it any more.
    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>);
    /// Cancel `task` if it has not started; returns whether it was cancelled.
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool;
    /// The cluster is closing: no more submissions will come. Shut down (push `Shutdown`)
    /// once every task that must still run has finished — at once if there is none.
    fn close(&mut self, actions: &mut Vec<Action>);
}
// ANCHOR_END: scheduler_trait

/// Makes a scheduler for a cluster of `workers` workers; how a cluster is told which
/// scheduler to use (see `LocalCluster::with_scheduler`).
pub type NewScheduler = fn(workers: usize) -> Box<dyn Scheduler>;
