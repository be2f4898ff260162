//! Everything that can go wrong on the cluster, as one error type (given code).

use std::fmt;
use std::time::Duration;

/// Why a cluster call or a future gave no value. Every variant names the task it is about
/// (its key, e.g. `smooth-17`), so an error in a graph of thousands of tasks can be traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    /// `LocalCluster::new(0)`: a cluster without workers could never run anything.
    NoWorkers,
    /// `submit` after `close`: the cluster no longer accepts work.
    Closed,
    /// The task itself panicked or returned an error.
    Failed { task: String, message: String },
    /// An input of the task (directly or further up the graph) failed or was cancelled,
    /// so the task never ran.
    DependencyFailed { task: String, dependency: String },
    /// The task was cancelled before it started.
    Cancelled { task: String },
    /// The cluster shut down, or the scheduler forgot the task, before it produced a
    /// result. A correct scheduler never loses a task that is still wanted.
    Lost { task: String },
    /// A bounded wait ran out before the task finished.
    Timeout { task: String, waited: Duration },
    /// `close_timeout` ran out with `unfinished` tasks still to run; they were abandoned.
    CloseTimeout { unfinished: usize, waited: Duration },
    /// The scheduler itself panicked; the cluster stopped scheduling.
    SchedulerPanicked { message: String },
    /// A future made by another cluster was given to this one (as a task's input, or to
    /// `as_completed` together with this cluster's futures). Each cluster numbers its
    /// tasks from 0, so it could only be wired to the wrong task: it is refused.
    OtherCluster { task: String },
    /// A task waited on a future while every other worker was already waiting inside a
    /// task: no worker would be left to run what they wait for, so the wait was refused.
    WouldDeadlock { task: String, workers: usize },
    /// A worker thread could not be started (the system's thread or memory limit); the
    /// workers already started were stopped.
    WorkerSpawn { worker: usize, message: String },
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::NoWorkers => write!(f, "a cluster needs at least one worker"),
            ClusterError::Closed => write!(f, "the cluster is closed: no more work is accepted"),
            ClusterError::Failed { task, message } => write!(f, "task {task} failed: {message}"),
            ClusterError::DependencyFailed { task, dependency } => write!(
                f,
                "task {task} did not run: its input {dependency} failed or was cancelled"
            ),
            ClusterError::Cancelled { task } => write!(f, "task {task} was cancelled"),
            ClusterError::Lost { task } => write!(
                f,
                "task {task} was lost: the cluster shut down or forgot it before it ran"
            ),
            ClusterError::Timeout { task, waited } => {
                write!(f, "task {task} was not finished after waiting {waited:?}")
            }
            ClusterError::CloseTimeout { unfinished, waited } => write!(
                f,
                "close gave up after {waited:?} with {unfinished} task(s) unfinished"
            ),
            ClusterError::SchedulerPanicked { message } => {
                write!(f, "the scheduler panicked: {message}")
            }
            ClusterError::OtherCluster { task } => write!(
                f,
                "the future of task {task} belongs to another cluster: a future can only be \
                 used on the cluster that made it"
            ),
            ClusterError::WouldDeadlock { task, workers } => write!(
                f,
                "waiting for task {task} inside a task would deadlock: all {workers} worker(s) \
                 would be waiting inside tasks, none left to run it (return the future's work \
                 as a new task instead of waiting, or use more workers)"
            ),
            ClusterError::WorkerSpawn { worker, message } => write!(
                f,
                "could not start worker thread {worker}: {message} (the workers already \
                 started were stopped)"
            ),
        }
    }
}

impl std::error::Error for ClusterError {}
