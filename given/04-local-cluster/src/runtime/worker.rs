//! The worker loop: receive a job, run it (catching a panic), report it finished.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::Receiver;

use super::events::{OnPanic, Shared};
use super::{Body, Value, panic_message};
use crate::stream::TaskRecord;
use crate::{ClusterError, TaskId, WorkerId};

/// What a worker receives on its channel.
pub(crate) enum WorkerMessage {
    Run(Job),
    Stop,
}

/// A task handed to a worker, with its inputs' values.
pub(crate) struct Job {
    pub(super) task: TaskId,
    pub(super) body: Body,
    pub(super) inputs: Vec<Value>,
}

thread_local! {
    /// The cluster whose worker this thread is, if any.
    static WORKER_OF: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The identity of the cluster the current thread works for, if it is a worker.
pub(super) fn current_cluster() -> Option<u64> {
    WORKER_OF.with(Cell::get)
}

pub(super) fn worker_loop(shared: Arc<Shared>, worker: WorkerId, jobs: Receiver<WorkerMessage>) {
    WORKER_OF.with(|cell| cell.set(Some(shared.id)));
    // Blocks at once when idle (no spin here, unlike `Shared::wait_until`): measured, a
    // worker spinning 50 µs before it parks gained nothing on a round trip (28 µs against
    // 23 µs without it, within noise) and made the scheduler-scaling timing check of
    // section 04 fail in 3 of 14 runs on a loaded 2-core machine (2026-11-26).
    while let Ok(WorkerMessage::Run(job)) = jobs.recv() {
        let Job { task, body, inputs } = job;
        let start = Instant::now();
        // A panicking task must not take the worker down: catch it, report it, carry on.
        let result =
            catch_unwind(AssertUnwindSafe(move || body(&inputs))).unwrap_or_else(|payload| {
                Err(format!("panicked: {}", panic_message(payload.as_ref())))
            });
        let end = Instant::now();
        finish(&shared, worker, task, start, end, result);
    }
}

/// A worker reports that it ran `task` between `start` and `end`. A scheduler that panics
/// here reaches every waiting future as `SchedulerPanicked`; the worker itself carries on.
fn finish(
    shared: &Shared,
    worker: WorkerId,
    task: TaskId,
    start: Instant,
    end: Instant,
    result: Result<Value, String>,
) {
    shared.event(OnPanic::Absorb, |step| {
        let succeeded = result.is_ok();
        let state = &mut *step.state;
        let key = state.key_of(task);
        state.record_run(TaskRecord {
            task,
            key: Arc::clone(&key),
            worker,
            start: start.saturating_duration_since(shared.epoch),
            end: end.saturating_duration_since(shared.epoch),
            succeeded,
        });
        let mut outcome = Some(result.map_err(|message| ClusterError::Failed {
            task: key.to_string(),
            message,
        }));
        // An outcome already set (`Lost` after `close_timeout` gave up) is final: a future
        // must never change its answer. What is not kept is dropped outside the lock.
        state.update(task, |entry| {
            entry.running_on = None;
            if entry.outcome.is_none() {
                entry.outcome = outcome.take();
            }
        });
        step.discard(outcome);
        step.schedule(|s, a| {
            s.finished(task, worker, succeeded, a);
            true
        });
    });
}
