//! The cluster's state behind its one lock: every task's entry, kept with its counts by
//! state. What changes it is in [`super::events`].

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use super::{Body, STREAM_KEPT, Value};
use crate::status::StateCounts;
use crate::stream::TaskRecord;
use crate::{ClusterError, Scheduler, TaskId, WorkerId};

/// Something dropped only after the lock is released: it may run user code (a task body
/// can capture futures, whose `Drop` takes the lock).
pub(crate) type Garbage = Box<dyn Any + Send>;

/// The runtime's view of a task.
pub(super) struct Entry {
    pub(super) key: Arc<str>,
    /// Its inputs, in the order the task receives them (may repeat).
    pub(super) inputs: Vec<TaskId>,
    /// The code, until it is handed to a worker (or dropped).
    pub(super) body: Option<Body>,
    /// `None` until the task finished, failed, or will never run.
    pub(super) outcome: Option<Result<Value, ClusterError>>,
    /// The worker it was sent to, while it runs.
    pub(super) running_on: Option<WorkerId>,
}

/// Which of [`StateCounts`]' columns a task is counted in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Waiting,
    Processing,
    Memory,
    Erred,
}

impl Entry {
    fn column(&self) -> Column {
        match (&self.outcome, self.running_on) {
            (_, Some(_)) => Column::Processing,
            (None, None) => Column::Waiting,
            (Some(Ok(_)), None) => Column::Memory,
            (Some(Err(_)), None) => Column::Erred,
        }
    }
}

pub(crate) struct State {
    pub(super) scheduler: Box<dyn Scheduler>,
    /// The scheduler panicked with this message; it is never called again.
    pub(super) broken: Option<String>,
    /// Private: every change goes through [`State::insert`], [`State::update`] and
    /// [`State::remove`], which keep `counts` right (so reading them is O(1)).
    tasks: HashMap<TaskId, Entry>,
    counts: StateCounts,
    /// Tasks the client asked to cancel, to tell "cancelled" from "an input failed".
    pub(super) cancel_requested: HashSet<TaskId>,
    pub(super) next_id: TaskId,
    pub(super) closing: bool,
    pub(super) shut_down: bool,
    /// Threads blocked in `wait_until`: notifying nobody would cost a system call per task.
    pub(super) waiters: usize,
    /// Of those, the workers blocked inside a task (waiting on a future).
    pub(super) workers_waiting: usize,
    pub(super) stream: Vec<TaskRecord>,
    pub(super) busy: Vec<Duration>,
}

impl State {
    pub(super) fn new(scheduler: Box<dyn Scheduler>, workers: usize) -> State {
        State {
            scheduler,
            broken: None,
            tasks: HashMap::new(),
            counts: StateCounts::default(),
            cancel_requested: HashSet::new(),
            next_id: 0,
            closing: false,
            shut_down: false,
            waiters: 0,
            workers_waiting: 0,
            stream: Vec::new(),
            busy: vec![Duration::ZERO; workers],
        }
    }

    pub(super) fn entry(&self, task: TaskId) -> Option<&Entry> {
        self.tasks.get(&task)
    }

    pub(super) fn contains(&self, task: TaskId) -> bool {
        self.tasks.contains_key(&task)
    }

    pub(super) fn counts(&self) -> StateCounts {
        self.counts
    }

    fn column_mut(&mut self, column: Column) -> &mut usize {
        match column {
            Column::Waiting => &mut self.counts.waiting,
            Column::Processing => &mut self.counts.processing,
            Column::Memory => &mut self.counts.memory,
            Column::Erred => &mut self.counts.erred,
        }
    }

    pub(super) fn insert(&mut self, task: TaskId, entry: Entry) {
        *self.column_mut(entry.column()) += 1;
        if let Some(old) = self.tasks.insert(task, entry) {
            *self.column_mut(old.column()) -= 1;
        }
    }

    /// Changes `task`'s entry, if it is still there, keeping the counts right.
    pub(super) fn update<R>(
        &mut self,
        task: TaskId,
        change: impl FnOnce(&mut Entry) -> R,
    ) -> Option<R> {
        let entry = self.tasks.get_mut(&task)?;
        let before = entry.column();
        let answer = change(entry);
        let after = entry.column();
        if before != after {
            *self.column_mut(before) -= 1;
            *self.column_mut(after) += 1;
        }
        Some(answer)
    }

    /// Forgets `task`; its body and result go to `garbage`.
    pub(super) fn remove(&mut self, task: TaskId, garbage: &mut Vec<Garbage>) {
        if let Some(entry) = self.tasks.remove(&task) {
            *self.column_mut(entry.column()) -= 1;
            self.counts.released += 1;
            garbage.push(Box::new(entry.body));
            garbage.push(Box::new(entry.outcome));
        }
    }

    /// The unfinished tasks resolved to `Lost`: those not started, and (when `running_too`)
    /// those a worker still runs. Returns how many.
    pub(super) fn lose_unfinished(&mut self, running_too: bool) -> usize {
        let mut lost = 0;
        for entry in self.tasks.values_mut() {
            if entry.outcome.is_none() && (running_too || entry.running_on.is_none()) {
                entry.outcome = Some(Err(ClusterError::Lost {
                    task: entry.key.to_string(),
                }));
                lost += 1;
                if entry.running_on.is_none() {
                    self.counts.waiting -= 1;
                    self.counts.erred += 1;
                }
            }
        }
        lost
    }

    /// Adds a finished run to the task stream and its worker's busy time. The stream keeps
    /// the last [`STREAM_KEPT`] records at least, [`STREAM_KEPT`] × 2 at most.
    pub(super) fn record_run(&mut self, record: TaskRecord) {
        self.busy[record.worker] += record.end.saturating_sub(record.start);
        self.stream.push(record);
        if self.stream.len() >= 2 * STREAM_KEPT {
            self.stream.drain(..STREAM_KEPT);
        }
    }

    pub(super) fn key_of(&self, task: TaskId) -> Arc<str> {
        self.tasks
            .get(&task)
            .map_or_else(|| Arc::from(format!("#{task}")), |e| Arc::clone(&e.key))
    }
}
