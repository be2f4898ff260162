//! [`Shared::event`]: the single path by which every event (a submission, a finished task, a
//! dropped future, a cancel, close) reaches the scheduler, has its actions carried out, and
//! leaves its garbage to be dropped outside the lock; and [`Shared::wait_until`], how
//! futures wait.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::state::{Garbage, State};
use super::worker::{Job, WorkerMessage, current_cluster};
use super::{Body, Value, panic_message};
use crate::{Action, ClusterError, Scheduler, TaskId, WorkerId};

pub(crate) struct Shared {
    /// This cluster's identity, unique in the process: futures of another cluster are
    /// refused by it (task ids alone would match the wrong task).
    pub(super) id: u64,
    state: Mutex<State>,
    /// Notified whenever a task's outcome is set or the cluster shuts down.
    changed: Condvar,
    /// Counts events: a waiter spinning before it parks (`wait_until`) watches it to know
    /// when the state may have changed, without taking the lock in a loop.
    events: AtomicU64,
    pub(super) workers: Vec<Sender<WorkerMessage>>,
    /// Time zero of the task stream.
    pub(super) epoch: Instant,
}

/// What [`Shared::event`] does with a scheduler's panic once the lock is released.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OnPanic {
    /// Re-raise it on the caller's thread: a client call, whose caller must see it.
    Raise,
    /// Let it go: every future already reports `SchedulerPanicked` (a worker reporting,
    /// a future being dropped, close).
    Absorb,
}

/// One event in progress, under the lock.
pub(super) struct Step<'a> {
    shared: &'a Shared,
    pub(super) state: &'a mut State,
    garbage: Vec<Garbage>,
    payload: Option<Box<dyn Any + Send>>,
}

impl Step<'_> {
    /// Keeps `thing` to drop after the lock is released.
    pub(super) fn discard(&mut self, thing: impl Any + Send) {
        self.garbage.push(Box::new(thing));
    }

    /// Calls the scheduler, unless it is broken or shut down, and carries out its actions.
    /// Returns its answer (false when it was not called or panicked). A panic marks it
    /// broken; [`Shared::event`] deals with the payload outside the lock.
    pub(super) fn schedule(
        &mut self,
        event: impl FnOnce(&mut dyn Scheduler, &mut Vec<Action>) -> bool,
    ) -> bool {
        if self.state.broken.is_some() || self.state.shut_down {
            return false;
        }
        let mut actions = Vec::new();
        let scheduler = self.state.scheduler.as_mut();
        match catch_unwind(AssertUnwindSafe(|| event(scheduler, &mut actions))) {
            Ok(answer) => {
                self.apply(actions);
                answer
            }
            Err(payload) => {
                self.state.broken = Some(panic_message(payload.as_ref()));
                self.payload = Some(payload);
                false
            }
        }
    }

    /// A future of `task` was dropped after the scheduler stopped (broken or shut down):
    /// no scheduler will ever say `Forget`, so the task's data is dropped now.
    pub(super) fn forget_if_unscheduled(&mut self, task: TaskId) {
        if self.state.broken.is_some() || self.state.shut_down {
            self.state.remove(task, &mut self.garbage);
        }
    }

    /// The client asked to cancel `task`: a `Fail` of it with itself as the cause is then
    /// a cancellation, not a scheduler's mistake.
    pub(super) fn note_cancel_request(&mut self, task: TaskId) {
        self.state.cancel_requested.insert(task);
    }

    /// Whether the scheduler panicked during this event.
    pub(super) fn scheduler_panicked(&self) -> bool {
        self.payload.is_some()
    }

    /// Stops the workers after their queued jobs, and resolves every task that will now
    /// never run to `Lost`.
    pub(super) fn shut_down(&mut self) {
        if self.state.shut_down {
            return;
        }
        self.state.shut_down = true;
        self.state.lose_unfinished(false);
        for worker in &self.shared.workers {
            let _ = worker.send(WorkerMessage::Stop);
        }
    }

    fn apply(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Run { task, worker } => self.run(task, worker),
                Action::Fail { task, cause } => self.fail(task, cause),
                Action::Forget { task } => {
                    self.state.cancel_requested.remove(&task);
                    self.state.remove(task, &mut self.garbage);
                }
                Action::Shutdown => self.shut_down(),
            }
        }
    }

    fn fail(&mut self, task: TaskId, cause: TaskId) {
        let state = &mut *self.state;
        let cause_key = state.key_of(cause).to_string();
        let error = if task == cause && state.cancel_requested.contains(&task) {
            ClusterError::Cancelled { task: cause_key }
        } else if task == cause {
            ClusterError::Failed {
                task: cause_key,
                message: "the scheduler failed it without a cause".into(),
            }
        } else {
            ClusterError::DependencyFailed {
                task: state.key_of(task).to_string(),
                dependency: cause_key,
            }
        };
        let body = state.update(task, |entry| {
            if entry.outcome.is_none() && entry.running_on.is_none() {
                entry.outcome = Some(Err(error));
                entry.body.take()
            } else {
                None
            }
        });
        if let Some(Some(body)) = body {
            self.discard(body);
        }
    }

    /// Sends `task` to `worker` with its inputs. A contract violation still sends a job,
    /// one that fails at once with an error naming the violation, so the task stream shows
    /// what happened and the scheduler hears back through `finished` as it expects.
    fn run(&mut self, task: TaskId, worker: WorkerId) {
        let workers = self.shared.workers.len();
        let state = &mut *self.state;
        if worker >= workers {
            // No worker can report back: fail the task here.
            state.update(task, |entry| {
                if entry.outcome.is_none() {
                    entry.outcome = Some(Err(ClusterError::Failed {
                        task: entry.key.to_string(),
                        message: format!(
                            "the scheduler sent it to worker {worker}, but the cluster has {workers} workers"
                        ),
                    }));
                }
            });
            return;
        }
        let key = state.key_of(task);
        let mut problem = None;
        let mut inputs = Vec::new();
        match state.entry(task) {
            None => {
                problem = Some(format!(
                    "the scheduler ran task #{task}, which it had forgotten"
                ))
            }
            Some(entry) if entry.body.is_none() || entry.outcome.is_some() => {
                problem = Some(format!(
                    "the scheduler ran {key} again (it already ran, failed or was cancelled)"
                ))
            }
            Some(entry) => {
                for input in &entry.inputs {
                    match state.entry(*input).and_then(|e| e.outcome.as_ref()) {
                        Some(Ok(value)) => inputs.push(Arc::clone(value)),
                        _ => {
                            problem = Some(format!(
                                "the scheduler started it before its input {} was in memory",
                                state.key_of(*input)
                            ));
                            break;
                        }
                    }
                }
            }
        }
        let body: Body = match problem {
            Some(message) => {
                self.discard(std::mem::take(&mut inputs));
                Box::new(move |_: &[Value]| Err(message))
            }
            None => state
                .update(task, |entry| {
                    entry.running_on = Some(worker);
                    entry.body.take().expect("checked above")
                })
                .expect("checked above"),
        };
        // The channel is unbounded: sending never blocks while holding the lock. A worker
        // that has stopped cannot receive; then the job is dropped later, outside the lock.
        if let Err(returned) =
            self.shared.workers[worker].send(WorkerMessage::Run(Job { task, body, inputs }))
        {
            self.discard(returned.into_inner());
        }
    }
}

impl Shared {
    pub(super) fn new(
        scheduler: Box<dyn Scheduler>,
        workers: Vec<Sender<WorkerMessage>>,
    ) -> Shared {
        static CLUSTERS: AtomicU64 = AtomicU64::new(0);
        Shared {
            id: CLUSTERS.fetch_add(1, Ordering::Relaxed),
            state: Mutex::new(State::new(scheduler, workers.len())),
            changed: Condvar::new(),
            events: AtomicU64::new(0),
            workers,
            epoch: Instant::now(),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock (scheduler calls are caught), but a
        // poisoned lock must never turn one failure into a cascade.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: event
    /// The one path of every event: takes the lock, lets `step` change the state and call
    /// the scheduler ([`Step::schedule`], which carries out its actions), wakes the
    /// threads waiting on futures, releases the lock, and only then drops what the event
    /// left over (task bodies and results may hold futures, whose `Drop` takes the lock)
    /// and re-raises a scheduler panic when `on_panic` says so.
    pub(super) fn event<R>(&self, on_panic: OnPanic, step: impl FnOnce(&mut Step<'_>) -> R) -> R {
        let (answer, garbage, payload) = {
            let mut state = self.lock();
            let mut current = Step {
                shared: self,
                state: &mut state,
                garbage: Vec::new(),
                payload: None,
            };
            let answer = step(&mut current);
            let Step {
                garbage, payload, ..
            } = current;
            self.events.fetch_add(1, Ordering::Release);
            self.notify(&state);
            (answer, garbage, payload)
        };
        drop_outside_any_event(garbage);
        match (payload, on_panic) {
            (Some(payload), OnPanic::Raise) => resume_unwind(payload),
            (payload, _) => drop(payload),
        }
        answer
    }
    // ANCHOR_END: event

    fn notify(&self, state: &State) {
        if state.waiters > 0 {
            self.changed.notify_all();
        }
    }

    /// Waits until `done` holds for the state, or `timeout` passes (`None`: forever).
    ///
    /// Called from inside a task (on one of this cluster's workers), it refuses to block
    /// when every other worker is already blocked the same way: then no worker is left to
    /// run what they all wait for, and the wait could only end by its timeout, or never.
    pub(super) fn wait_until(
        &self,
        timeout: Option<Duration>,
        mut done: impl FnMut(&State) -> bool,
    ) -> Waited {
        let deadline = timeout.map(|t| Instant::now() + t);
        if self.spin_until(deadline, &mut done) {
            return Waited::Done;
        }
        let mut state = self.lock();
        if done(&state) {
            return Waited::Done;
        }
        let on_worker = current_cluster() == Some(self.id);
        if on_worker {
            if state.workers_waiting + 1 >= self.workers.len() {
                return Waited::WouldDeadlock {
                    workers: self.workers.len(),
                };
            }
            state.workers_waiting += 1;
        }
        state.waiters += 1;
        let waited = loop {
            match deadline {
                None => {
                    state = self
                        .changed
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner)
                }
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        break Waited::TimedOut;
                    }
                    state = self
                        .changed
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
            if done(&state) {
                break Waited::Done;
            }
        };
        state.waiters -= 1;
        if on_worker {
            state.workers_waiting -= 1;
        }
        waited
    }
}

impl Shared {
    /// Before a waiter parks on the condition variable, it spins for at most [`SPIN`],
    /// re-checking `done` each time an event has happened: a short task's result then
    /// reaches it within a microsecond or so instead of after a futex wake-up (tens of µs on
    /// a busy machine). Returns whether `done` held. Costs at most [`SPIN`] of CPU per wait
    /// that does not end while spinning (book §4.7).
    fn spin_until(&self, deadline: Option<Instant>, done: &mut impl FnMut(&State) -> bool) -> bool {
        let start = Instant::now();
        let until = deadline.map_or(start + SPIN, |d| d.min(start + SPIN));
        let mut seen = self.events.load(Ordering::Acquire);
        if done(&self.lock()) {
            return true;
        }
        loop {
            let now = spin_for_change(&self.events, &mut seen, until);
            if now >= until {
                return false;
            }
            if done(&self.lock()) {
                return true;
            }
        }
    }
}

/// How long a waiter in [`Shared::wait_until`] first spins, watching for events, before it
/// parks. A round trip of a trivial task took ~7 µs with this spin and ~23 µs without it
/// (`cargo bench -p solution-04 -- task_`, 2-core VM, load average ~4, 2026-11-26): the
/// waiting client no longer needs a futex wake-up. It costs at most 50 µs of CPU per wait
/// not answered within it; a cluster with nothing to do costs nothing (an idle one measured
/// 0 ms of CPU over 2 s). Workers do not spin (see `worker_loop`).
pub(super) const SPIN: Duration = Duration::from_micros(50);

/// Spins (yielding) until `counter` differs from `*seen` (updating `*seen`) or `until`
/// passes; returns the time it stopped.
fn spin_for_change(counter: &AtomicU64, seen: &mut u64, until: Instant) -> Instant {
    loop {
        let now_seen = counter.load(Ordering::Acquire);
        if now_seen != *seen {
            *seen = now_seen;
            return Instant::now();
        }
        let now = Instant::now();
        if now >= until {
            return now;
        }
        // Yield rather than spin flat out: on a machine with more runnable threads than
        // cores, the thread that will produce the change may be waiting for this core.
        std::thread::yield_now();
    }
}

/// How [`Shared::wait_until`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Waited {
    Done,
    TimedOut,
    /// Refused: the caller is a task, and all `workers` would be waiting inside tasks.
    WouldDeadlock {
        workers: usize,
    },
}

impl Waited {
    /// The error for a wait on `task` that did not end with `Done`.
    pub(super) fn error(self, task: &str, timeout: Option<Duration>) -> ClusterError {
        match self {
            Waited::WouldDeadlock { workers } => ClusterError::WouldDeadlock {
                task: task.to_string(),
                workers,
            },
            Waited::Done | Waited::TimedOut => ClusterError::Timeout {
                task: task.to_string(),
                waited: timeout.unwrap_or_default(),
            },
        }
    }
}

thread_local! {
    /// Garbage waiting to be dropped on this thread, while some of it is being dropped.
    static DROPPING: RefCell<Option<Vec<Garbage>>> = const { RefCell::new(None) };
}

/// Drops `garbage` without recursion. Dropping a task's body can drop a future it
/// captured, whose release is an event with garbage of its own, and so on along a chain
/// of tasks that captured each other's futures: one stack frame per link, enough to
/// overflow a stack. So the outermost drop on a thread drops everything in a loop, and a
/// drop nested inside it only hands its garbage to that loop.
fn drop_outside_any_event(garbage: Vec<Garbage>) {
    if garbage.is_empty() {
        return;
    }
    let nested = DROPPING.with(|queue| match queue.borrow_mut().as_mut() {
        Some(queue) => {
            queue.push(Box::new(garbage));
            None
        }
        None => Some(garbage),
    });
    let Some(garbage) = nested else {
        return;
    };
    DROPPING.with(|queue| *queue.borrow_mut() = Some(Vec::new()));
    let mut next: Option<Garbage> = Some(Box::new(garbage));
    while let Some(item) = next {
        // A panicking `Drop` loses only its own item (the rest is still dropped).
        let _ = catch_unwind(AssertUnwindSafe(move || drop(item)));
        next = DROPPING.with(|queue| queue.borrow_mut().as_mut().and_then(Vec::pop));
    }
    DROPPING.with(|queue| *queue.borrow_mut() = None);
}
