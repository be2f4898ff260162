//! What the cluster looks like now, read-only: tasks by state, the task stream and each
//! worker's busy time. The dashboard and reports read the cluster only through
//! [`StatusSource`], so they depend on this small interface, not on the runtime's state.

use std::time::Duration;

use crate::stream::TaskRecord;

/// How many tasks are in each state, for the dashboard and reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Submitted and not started: waiting for inputs or for an idle worker.
    pub waiting: usize,
    /// Running on a worker.
    pub processing: usize,
    /// Finished, result held in memory.
    pub memory: usize,
    /// Failed, cancelled, or failed because an input did.
    pub erred: usize,
    /// Forgotten: no future and no dependant needed it any more.
    pub released: usize,
}

/// A copy of what the status page shows, taken in one short look at the cluster.
#[derive(Debug, Clone, Default)]
pub(crate) struct StatusSnapshot {
    pub(crate) counts: StateCounts,
    /// The most recent records of the task stream, oldest first.
    pub(crate) recent: Vec<TaskRecord>,
    /// How many records the task stream holds in all.
    pub(crate) records: usize,
    /// Each worker's time spent running tasks.
    pub(crate) busy: Vec<Duration>,
    /// Time since the cluster started.
    pub(crate) elapsed: Duration,
}

/// Something whose status can be shown: the running cluster.
pub(crate) trait StatusSource: Send + Sync + 'static {
    /// The status now, with at most `recent` records of the task stream. Cost: O(recent),
    /// never O(tasks): the cluster keeps its counts up to date as tasks change state.
    fn snapshot(&self, recent: usize) -> StatusSnapshot;
}
