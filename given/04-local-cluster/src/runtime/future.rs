//! [`Future`]: a task's result to come, and the functions over many futures: [`wait`],
//! [`as_completed`], [`fire_and_forget`].

use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::events::{OnPanic, Shared, Waited};
use crate::{ClusterError, TaskId};

/// Shared by the clones of one future; dropping the last clone releases the task.
pub(super) struct Handle {
    pub(super) task: TaskId,
    pub(super) key: Arc<str>,
    pub(super) shared: Arc<Shared>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        let task = self.task;
        // Never panic in drop (it may run while a panic unwinds): a broken scheduler
        // is simply not called.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            self.shared.event(OnPanic::Absorb, |step| {
                step.schedule(|s, a| {
                    s.release(task, a);
                    true
                });
                step.forget_if_unscheduled(task);
            });
        }));
    }
}

// ANCHOR: future
/// A task's result, to come: Dask's `Future`. Typed by the task's return type. Clone it
/// to pass it around; the result is released when the last clone is dropped (unless the
/// task was handed to [`fire_and_forget`] or another task still needs it).
pub struct Future<T> {
    handle: Arc<Handle>,
    _value: PhantomData<fn() -> T>,
}
// ANCHOR_END: future

impl<T> Clone for Future<T> {
    fn clone(&self) -> Self {
        Future {
            handle: Arc::clone(&self.handle),
            _value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Future({})", self.handle.key)
    }
}

impl<T> Future<T> {
    pub(super) fn new(handle: Handle) -> Future<T> {
        Future {
            handle: Arc::new(handle),
            _value: PhantomData,
        }
    }

    pub(super) fn handle(&self) -> &Handle {
        &self.handle
    }
}

impl<T: Send + Sync + 'static> Future<T> {
    /// The task's key: `name-<id>`.
    pub fn key(&self) -> &str {
        &self.handle.key
    }

    /// The task's number.
    pub fn id(&self) -> TaskId {
        self.handle.task
    }

    /// Whether the task has an outcome (a value or an error) yet. Never blocks long.
    pub fn done(&self) -> bool {
        self.handle.shared.lock().is_done(self.handle.task)
    }

    /// The outcome if there is one, without waiting.
    fn outcome(&self, state: &super::state::State) -> Option<Result<Arc<T>, ClusterError>> {
        let outcome = state.outcome(self.handle.task, &self.handle.key)?;
        Some(outcome.and_then(|value| {
            value.downcast::<T>().map_err(|_| ClusterError::Failed {
                task: self.handle.key.to_string(),
                message: "its value has the wrong type (a runtime bug)".into(),
            })
        }))
    }

    // ANCHOR: result_timeout
    /// Waits at most `timeout` for the result. The value is shared, not copied.
    ///
    /// # Errors
    /// The task's own error (`Failed`, `DependencyFailed`, `Cancelled`, `Lost`,
    /// `SchedulerPanicked`), or `Timeout` when it is not done in time. Inside a task,
    /// `WouldDeadlock` instead of waiting when every other worker is already waiting inside
    /// a task (no worker would be left to run the task waited for; see book §4.6).
    pub fn result_timeout(&self, timeout: Duration) -> Result<Arc<T>, ClusterError> {
        self.wait_for(Some(timeout))
    }
    // ANCHOR_END: result_timeout

    /// Waits for the result without a time limit (Dask's `future.result()`). Never hangs
    /// on a task that cannot run (those resolve to errors), but waits as long as the task
    /// itself runs.
    ///
    /// # Errors
    /// The task's own error, or `WouldDeadlock`, as for [`Future::result_timeout`].
    pub fn result(&self) -> Result<Arc<T>, ClusterError> {
        self.wait_for(None)
    }

    fn wait_for(&self, timeout: Option<Duration>) -> Result<Arc<T>, ClusterError> {
        let mut outcome = None;
        let waited = self.handle.shared.wait_until(timeout, |state| {
            outcome = self.outcome(state);
            outcome.is_some()
        });
        outcome.unwrap_or_else(|| Err(waited.error(&self.handle.key, timeout)))
    }

    /// Cancels the task if it has not started; its dependants then fail. Returns whether
    /// it was cancelled (false when it is running or done).
    ///
    /// # Panics
    /// Re-raises a panic of the scheduler.
    pub fn cancel(&self) -> bool {
        let task = self.handle.task;
        self.handle.shared.event(OnPanic::Raise, |step| {
            step.note_cancel_request(task);
            step.schedule(|s, a| s.cancel(task, a))
        })
    }
}

// ANCHOR: fire_and_forget
/// Lets go of `future` but asks the cluster to run its task (and everything it needs) to
/// completion anyway; [`LocalCluster::close`](super::LocalCluster::close) waits for it.
/// Dask's `fire_and_forget`.
///
/// # Panics
/// Re-raises a panic of the scheduler.
pub fn fire_and_forget<T>(future: Future<T>) {
    let task = future.handle.task;
    future.handle.shared.event(OnPanic::Raise, |step| {
        step.schedule(|s, a| {
            s.fire_and_forget(task, a);
            true
        })
    });
    drop(future);
}
// ANCHOR_END: fire_and_forget

/// Waits until every future is done (a value or an error), at most `timeout` in total.
/// Dask's `wait`.
///
/// # Errors
/// `Timeout` naming the first future still unfinished; `WouldDeadlock` as for
/// [`Future::result_timeout`].
pub fn wait<T: Send + Sync + 'static>(
    futures: &[Future<T>],
    timeout: Duration,
) -> Result<(), ClusterError> {
    let deadline = Instant::now() + timeout;
    for f in futures {
        let left = deadline.saturating_duration_since(Instant::now());
        let shared = &f.handle.shared;
        let waited = shared.wait_until(Some(left), |state| state.is_done(f.handle.task));
        if waited != Waited::Done {
            return Err(waited.error(f.key(), Some(timeout)));
        }
    }
    Ok(())
}

/// Yields the futures in the order they finish: Dask's `as_completed`. Each item is a
/// future that is done; after `timeout` in total the iterator yields one `Timeout` error
/// and ends. Cost: a scan of the unfinished futures per wake-up.
///
/// # Errors
/// The futures must all come from one cluster: otherwise the first item is an
/// `OtherCluster` error naming the first future of another cluster, and the iterator ends.
/// Like a timeout, a `WouldDeadlock` (see [`Future::result_timeout`]) is yielded once and
/// ends the iterator.
pub fn as_completed<T: Send + Sync + 'static>(
    futures: Vec<Future<T>>,
    timeout: Duration,
) -> AsCompleted<T> {
    let foreign = futures
        .iter()
        .find(|f| f.handle.shared.id != futures[0].handle.shared.id)
        .map(|f| ClusterError::OtherCluster {
            task: f.key().to_string(),
        });
    AsCompleted {
        pending: futures,
        deadline: Instant::now() + timeout,
        timeout,
        timed_out: false,
        refused: foreign,
    }
}

/// The iterator of [`as_completed`].
pub struct AsCompleted<T> {
    pending: Vec<Future<T>>,
    deadline: Instant,
    timeout: Duration,
    timed_out: bool,
    /// Futures of two clusters were mixed: yielded once, then the iterator ends.
    refused: Option<ClusterError>,
}

impl<T: Send + Sync + 'static> Iterator for AsCompleted<T> {
    type Item = Result<Future<T>, ClusterError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.refused.take() {
            self.timed_out = true;
            return Some(Err(error));
        }
        if self.pending.is_empty() || self.timed_out {
            return None;
        }
        let shared = Arc::clone(&self.pending[0].handle.shared);
        let mut found = None;
        let left = self.deadline.saturating_duration_since(Instant::now());
        let waited = shared.wait_until(Some(left), |state| {
            found = self
                .pending
                .iter()
                .position(|f| state.is_done(f.handle.task));
            found.is_some()
        });
        match found {
            Some(i) => Some(Ok(self.pending.swap_remove(i))),
            None => {
                self.timed_out = true;
                Some(Err(waited.error(self.pending[0].key(), Some(self.timeout))))
            }
        }
    }
}
