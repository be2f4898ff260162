//! The narrow, read-only view of the cluster's state: what a future may ask about its task,
//! and what the dashboard may see ([`StatusSource`]). Nothing outside the runtime reads
//! the state's fields.

use std::sync::Arc;

use super::Value;
use super::events::Shared;
use super::state::State;
use crate::status::{StatusSnapshot, StatusSource};
use crate::{ClusterError, TaskId};

impl State {
    /// `task`'s outcome, if it has one: its value, or why there is none (a broken
    /// scheduler answers for every task; a forgotten task is `Lost`). `key` names it.
    pub(super) fn outcome(&self, task: TaskId, key: &str) -> Option<Result<Value, ClusterError>> {
        if let Some(message) = &self.broken {
            return Some(Err(ClusterError::SchedulerPanicked {
                message: message.clone(),
            }));
        }
        match self.entry(task) {
            None => Some(Err(ClusterError::Lost {
                task: key.to_string(),
            })),
            Some(entry) => entry.outcome.as_ref().map(|outcome| match outcome {
                Ok(value) => Ok(Arc::clone(value)),
                Err(e) => Err(e.clone()),
            }),
        }
    }

    /// Whether `task` has an outcome (without cloning it).
    pub(super) fn is_done(&self, task: TaskId) -> bool {
        self.broken.is_some() || self.entry(task).is_none_or(|e| e.outcome.is_some())
    }
}

impl StatusSource for Shared {
    fn snapshot(&self, recent: usize) -> StatusSnapshot {
        // Holds the lock for O(recent) copies: the counts are kept up to date as tasks
        // change state, so no task is walked here.
        let state = self.lock();
        let from = state.stream.len().saturating_sub(recent);
        StatusSnapshot {
            counts: state.counts(),
            recent: state.stream[from..].to_vec(),
            records: state.stream.len(),
            busy: state.busy.clone(),
            elapsed: self.epoch.elapsed(),
        }
    }
}
