//! The runtime (given code): worker threads, the client, typed futures, and the glue that
//! carries out a [`Scheduler`]'s decisions.
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
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::stream::TaskRecord;
use crate::{Action, ClusterError, NewScheduler, Scheduler, TaskId, WorkerId};

/// A task's result, type-erased. Shared, never copied: dependants and futures get clones of
/// the `Arc`, so a 16 MB spectrum is handed on by reference.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;
/// A task's code: takes its inputs' values, returns its value or an error message.
type Body = Box<dyn FnOnce(&[Value]) -> Result<Value, String> + Send>;

/// The task stream keeps at least this many of the most recent records (and at most twice
/// as many), so a long-running cluster does not grow without bound.
pub const STREAM_KEPT: usize = 100_000;
/// At most this many of the most recent tasks are drawn by `write_task_stream_svg`.
pub const PICTURE_TASKS: usize = 20_000;

/// What a worker receives.
enum WorkerMessage {
    Run(Job),
    Stop,
}

struct Job {
    task: TaskId,
    body: Body,
    inputs: Vec<Value>,
}

/// The runtime's view of a task.
struct Entry {
    key: Arc<str>,
    /// Its inputs, in the order the task receives them (may repeat).
    inputs: Vec<TaskId>,
    /// The code, until it is handed to a worker (or dropped).
    body: Option<Body>,
    /// `None` until the task finished, failed, or will never run.
    outcome: Option<Result<Value, ClusterError>>,
    /// The worker it was sent to, while it runs.
    running_on: Option<WorkerId>,
}

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

pub(crate) struct State {
    scheduler: Box<dyn Scheduler>,
    /// The scheduler panicked with this message; it is never called again.
    broken: Option<String>,
    tasks: HashMap<TaskId, Entry>,
    /// Tasks the client asked to cancel, to tell "cancelled" from "an input failed".
    cancel_requested: HashSet<TaskId>,
    next_id: TaskId,
    closing: bool,
    shut_down: bool,
    released: usize,
    /// Threads blocked in `wait_until`: notifying nobody would cost a system call per task.
    waiters: usize,
    pub(crate) stream: Vec<TaskRecord>,
    pub(crate) busy: Vec<Duration>,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    /// Notified whenever a task's outcome is set or the cluster shuts down.
    changed: Condvar,
    workers: Vec<Sender<WorkerMessage>>,
    /// Time zero of the task stream.
    pub(crate) epoch: Instant,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock (scheduler calls are caught), but a
        // poisoned lock must never turn one failure into a cascade.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Calls the scheduler, unless it is broken. A panic marks it broken and is returned,
    /// so the caller can re-raise it outside the lock.
    fn call(
        state: &mut State,
        event: impl FnOnce(&mut dyn Scheduler, &mut Vec<Action>) -> bool,
    ) -> (Vec<Action>, bool, Option<Box<dyn Any + Send>>) {
        let mut actions = Vec::new();
        if state.broken.is_some() || state.shut_down {
            return (actions, false, None);
        }
        let scheduler = state.scheduler.as_mut();
        match catch_unwind(AssertUnwindSafe(|| event(scheduler, &mut actions))) {
            Ok(answer) => (actions, answer, None),
            Err(payload) => {
                state.broken = Some(panic_message(payload.as_ref()));
                (Vec::new(), false, Some(payload))
            }
        }
    }

    /// Carries out `actions`. Returns what must be dropped after the lock is released.
    fn apply(&self, state: &mut State, actions: Vec<Action>) -> Vec<Box<dyn Any + Send>> {
        let mut garbage: Vec<Box<dyn Any + Send>> = Vec::new();
        for action in actions {
            match action {
                Action::Run { task, worker } => self.run(state, task, worker, &mut garbage),
                Action::Fail { task, cause } => {
                    let cause_key = key_of(state, cause);
                    let error = if task == cause && state.cancel_requested.contains(&task) {
                        ClusterError::Cancelled {
                            task: cause_key.to_string(),
                        }
                    } else if task == cause {
                        ClusterError::Failed {
                            task: cause_key.to_string(),
                            message: "the scheduler failed it without a cause".into(),
                        }
                    } else {
                        ClusterError::DependencyFailed {
                            task: key_of(state, task).to_string(),
                            dependency: cause_key.to_string(),
                        }
                    };
                    if let Some(entry) = state.tasks.get_mut(&task)
                        && entry.outcome.is_none()
                        && entry.running_on.is_none()
                    {
                        entry.outcome = Some(Err(error));
                        if let Some(body) = entry.body.take() {
                            garbage.push(Box::new(body));
                        }
                    }
                }
                Action::Forget { task } => {
                    state.cancel_requested.remove(&task);
                    if let Some(entry) = state.tasks.remove(&task) {
                        state.released += 1;
                        garbage.push(Box::new(entry.body));
                        garbage.push(Box::new(entry.outcome));
                    }
                }
                Action::Shutdown => self.shut_down(state),
            }
        }
        self.notify(state);
        garbage
    }

    fn notify(&self, state: &State) {
        if state.waiters > 0 {
            self.changed.notify_all();
        }
    }

    /// Sends `task` to `worker` with its inputs. A contract violation still sends a job,
    /// one that fails at once with an error naming the violation, so the task stream shows
    /// what happened and the scheduler hears back through `finished` as it expects.
    fn run(
        &self,
        state: &mut State,
        task: TaskId,
        worker: WorkerId,
        garbage: &mut Vec<Box<dyn Any + Send>>,
    ) {
        if worker >= self.workers.len() {
            // No worker can report back: fail the task here.
            if let Some(entry) = state.tasks.get_mut(&task)
                && entry.outcome.is_none()
            {
                entry.outcome = Some(Err(ClusterError::Failed {
                    task: entry.key.to_string(),
                    message: format!(
                        "the scheduler sent it to worker {worker}, but the cluster has {} workers",
                        self.workers.len()
                    ),
                }));
            }
            return;
        }
        let key = key_of(state, task);
        let mut problem = None;
        let mut inputs = Vec::new();
        match state.tasks.get(&task) {
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
                    match state.tasks.get(input).and_then(|e| e.outcome.as_ref()) {
                        Some(Ok(value)) => inputs.push(Arc::clone(value)),
                        _ => {
                            problem = Some(format!(
                                "the scheduler started it before its input {} was in memory",
                                key_of(state, *input)
                            ));
                            break;
                        }
                    }
                }
            }
        }
        let body: Body = match problem {
            Some(message) => {
                garbage.push(Box::new(std::mem::take(&mut inputs)));
                Box::new(move |_: &[Value]| Err(message))
            }
            None => {
                let entry = state.tasks.get_mut(&task).expect("checked above");
                entry.running_on = Some(worker);
                entry.body.take().expect("checked above")
            }
        };
        // The channel is unbounded: sending never blocks while holding the lock. A worker
        // that has stopped cannot receive; then the job is dropped later, outside the lock.
        if let Err(returned) =
            self.workers[worker].send(WorkerMessage::Run(Job { task, body, inputs }))
        {
            garbage.push(Box::new(returned.into_inner()));
        }
    }

    /// Stops the workers after their queued jobs, and resolves every task that will now
    /// never run to `Lost`.
    fn shut_down(&self, state: &mut State) {
        if state.shut_down {
            return;
        }
        state.shut_down = true;
        for entry in state.tasks.values_mut() {
            if entry.outcome.is_none() && entry.running_on.is_none() {
                entry.outcome = Some(Err(ClusterError::Lost {
                    task: entry.key.to_string(),
                }));
            }
        }
        for worker in &self.workers {
            let _ = worker.send(WorkerMessage::Stop);
        }
        self.notify(state);
    }

    /// A worker reports that it ran `task` between `start` and `end`.
    fn finish(
        &self,
        worker: WorkerId,
        task: TaskId,
        start: Instant,
        end: Instant,
        result: Result<Value, String>,
    ) {
        let (garbage, payload) = {
            let mut state = self.lock();
            let succeeded = result.is_ok();
            let key = key_of(&state, task);
            state.stream.push(TaskRecord {
                task,
                key: Arc::clone(&key),
                worker,
                start: start.saturating_duration_since(self.epoch),
                end: end.saturating_duration_since(self.epoch),
                succeeded,
            });
            state.busy[worker] += end.saturating_duration_since(start);
            if state.stream.len() >= 2 * STREAM_KEPT {
                state.stream.drain(..STREAM_KEPT);
            }
            let mut garbage: Vec<Box<dyn Any + Send>> = Vec::new();
            if let Some(entry) = state.tasks.get_mut(&task) {
                entry.running_on = None;
                let outcome = result.map_err(|message| ClusterError::Failed {
                    task: key.to_string(),
                    message,
                });
                if let Some(old) = entry.outcome.replace(outcome) {
                    garbage.push(Box::new(old));
                }
            } else {
                garbage.push(Box::new(result));
            }
            let (actions, _, payload) = Shared::call(&mut state, |s, a| {
                s.finished(task, worker, succeeded, a);
                true
            });
            garbage.extend(self.apply(&mut state, actions));
            (garbage, payload)
        };
        drop(garbage);
        // A scheduler that panics on a worker thread: the error reaches every waiting
        // future as `SchedulerPanicked`; the worker itself carries on.
        drop(payload);
    }

    /// Calls the scheduler for a client event and carries out its actions; re-raises a
    /// scheduler panic on the caller's thread, outside the lock.
    fn client_event(
        &self,
        event: impl FnOnce(&mut dyn Scheduler, &mut Vec<Action>) -> bool,
    ) -> bool {
        let (garbage, answer, payload) = {
            let mut state = self.lock();
            let (actions, answer, payload) = Shared::call(&mut state, event);
            let garbage = self.apply(&mut state, actions);
            (garbage, answer, payload)
        };
        drop(garbage);
        if let Some(payload) = payload {
            resume_unwind(payload);
        }
        answer
    }

    /// Waits until `done` holds for the state, or `timeout` passes (`None`: forever).
    fn wait_until(&self, timeout: Option<Duration>, mut done: impl FnMut(&State) -> bool) -> bool {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut state = self.lock();
        if done(&state) {
            return true;
        }
        state.waiters += 1;
        let finished = loop {
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
                        break false;
                    }
                    state = self
                        .changed
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
            if done(&state) {
                break true;
            }
        };
        state.waiters -= 1;
        finished
    }

    pub(crate) fn counts(&self) -> StateCounts {
        let state = self.lock();
        let mut counts = StateCounts {
            released: state.released,
            ..StateCounts::default()
        };
        for entry in state.tasks.values() {
            match (&entry.outcome, entry.running_on) {
                (_, Some(_)) => counts.processing += 1,
                (None, None) => counts.waiting += 1,
                (Some(Ok(_)), None) => counts.memory += 1,
                (Some(Err(_)), None) => counts.erred += 1,
            }
        }
        counts
    }
}

fn key_of(state: &State, task: TaskId) -> Arc<str> {
    state
        .tasks
        .get(&task)
        .map_or_else(|| Arc::from(format!("#{task}")), |e| Arc::clone(&e.key))
}

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic with a non-text payload".into())
}

fn worker_loop(shared: Arc<Shared>, worker: WorkerId, jobs: Receiver<WorkerMessage>) {
    while let Ok(WorkerMessage::Run(job)) = jobs.recv() {
        let Job { task, body, inputs } = job;
        let start = Instant::now();
        // A panicking task must not take the worker down: catch it, report it, carry on.
        let result =
            catch_unwind(AssertUnwindSafe(move || body(&inputs))).unwrap_or_else(|payload| {
                Err(format!("panicked: {}", panic_message(payload.as_ref())))
            });
        let end = Instant::now();
        shared.finish(worker, task, start, end, result);
    }
}

// ANCHOR: local_cluster
/// A cluster of worker threads in this process, with a scheduler and (optionally) a
/// dashboard. Dask's `LocalCluster`, as a teaching model: one process, no serialisation,
/// no network between workers, and a worker never dies.
pub struct LocalCluster {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    dashboard: Mutex<Option<crate::dashboard::Dashboard>>,
}
// ANCHOR_END: local_cluster

impl LocalCluster {
    /// Starts `workers` worker threads scheduled by the scheduler `new_scheduler` makes.
    ///
    /// Errors: `NoWorkers` when `workers == 0`. Cost: one thread per worker (~10 µs each).
    pub fn with_scheduler(
        workers: usize,
        new_scheduler: NewScheduler,
    ) -> Result<LocalCluster, ClusterError> {
        if workers == 0 {
            return Err(ClusterError::NoWorkers);
        }
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..workers).map(|_| unbounded()).unzip();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                scheduler: new_scheduler(workers),
                broken: None,
                tasks: HashMap::new(),
                cancel_requested: HashSet::new(),
                next_id: 0,
                closing: false,
                shut_down: false,
                released: 0,
                waiters: 0,
                stream: Vec::new(),
                busy: vec![Duration::ZERO; workers],
            }),
            changed: Condvar::new(),
            workers: senders,
            epoch: Instant::now(),
        });
        let threads = receivers
            .into_iter()
            .enumerate()
            .map(|(worker, jobs)| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn(move || worker_loop(shared, worker, jobs))
                    .expect("spawning a worker thread")
            })
            .collect();
        Ok(LocalCluster {
            shared,
            threads: Mutex::new(threads),
            dashboard: Mutex::new(None),
        })
    }

    /// The machine's core count: the default number of workers, as in Dask.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// A client that submits to this cluster. Cheap; clients are clones of one handle.
    pub fn client(&self) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
        }
    }

    /// How many workers the cluster has.
    pub fn workers(&self) -> usize {
        self.shared.workers.len()
    }

    /// Starts the dashboard on 127.0.0.1 at a port the operating system picks, and returns
    /// its URL (like Dask's `http://127.0.0.1:8787/status`). Idempotent: a second call
    /// returns the same URL. Errors: the I/O error of binding the socket.
    pub fn start_dashboard(&self) -> std::io::Result<String> {
        let mut dashboard = self
            .dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(d) = dashboard.as_ref() {
            return Ok(d.url());
        }
        let d = crate::dashboard::Dashboard::start(Arc::clone(&self.shared))?;
        let url = d.url();
        *dashboard = Some(d);
        Ok(url)
    }

    /// Tasks by state, now.
    pub fn counts(&self) -> StateCounts {
        self.shared.counts()
    }

    /// The tasks run so far (the most recent [`STREAM_KEPT`] at least): key, worker, start
    /// and end (since the cluster started).
    pub fn task_stream(&self) -> Vec<TaskRecord> {
        self.shared.lock().stream.clone()
    }

    /// Time each worker has spent running tasks.
    pub fn busy_time(&self) -> Vec<Duration> {
        self.shared.lock().busy.clone()
    }

    /// Writes the task stream as an SVG picture (one row per worker, one bar per task) of
    /// the most recent [`PICTURE_TASKS`] tasks. Errors: the file's I/O error. Cost: O(tasks
    /// drawn); ~150 bytes of SVG per task.
    pub fn write_task_stream_svg(&self, path: &std::path::Path) -> std::io::Result<()> {
        let records = {
            let state = self.shared.lock();
            state.stream[state.stream.len().saturating_sub(PICTURE_TASKS)..].to_vec()
        };
        let svg = crate::stream::task_stream_svg(&records, self.workers());
        std::fs::write(path, svg)
    }

    /// Closes the cluster: refuses new work, waits for every task that must still run (all
    /// tasks with a future, their inputs, and fire-and-forget tasks), then stops the workers
    /// and the dashboard. Idempotent; `Drop` calls it too. Waits without limit, like Dask:
    /// use [`LocalCluster::close_timeout`] when a hang must become an error.
    pub fn close(&self) {
        let _ = self.close_inner(None);
    }

    /// [`LocalCluster::close`], giving up after `timeout`: then the unfinished tasks are
    /// resolved to `Lost`, the workers are told to stop after their current task, and
    /// `CloseTimeout` says how many tasks were abandoned.
    pub fn close_timeout(&self, timeout: Duration) -> Result<(), ClusterError> {
        self.close_inner(Some(timeout))
    }

    fn close_inner(&self, timeout: Option<Duration>) -> Result<(), ClusterError> {
        let shared = &self.shared;
        let (garbage, payload) = {
            let mut state = shared.lock();
            if state.closing {
                (Vec::new(), None)
            } else {
                state.closing = true;
                if state.broken.is_some() {
                    shared.shut_down(&mut state);
                    (Vec::new(), None)
                } else {
                    let (actions, _, payload) = Shared::call(&mut state, |s, a| {
                        s.close(a);
                        true
                    });
                    if payload.is_some() {
                        shared.shut_down(&mut state);
                        shared.notify(&state);
                    }
                    (shared.apply(&mut state, actions), payload)
                }
            }
        };
        drop(garbage);
        drop(payload);
        // A scheduler that breaks while closing can no longer say when it is done.
        let finished = shared.wait_until(timeout, |s| s.shut_down || s.broken.is_some());
        let result = if finished {
            let mut state = shared.lock();
            shared.shut_down(&mut state);
            Ok(())
        } else {
            let mut state = shared.lock();
            let unfinished = state.tasks.values().filter(|e| e.outcome.is_none()).count();
            shared.shut_down(&mut state);
            shared.notify(&state);
            // The workers may be stuck in a task that never ends: let them go (detached)
            // rather than join them, so a later `close` or `Drop` cannot hang.
            self.threads
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
            Err(ClusterError::CloseTimeout {
                unfinished,
                waited: timeout.unwrap_or_default(),
            })
        };
        if let Some(d) = self
            .dashboard
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            d.stop();
        }
        if result.is_ok() {
            // Every worker got Stop after its queued jobs; a task still running is waited for.
            let threads =
                std::mem::take(&mut *self.threads.lock().unwrap_or_else(PoisonError::into_inner));
            for thread in threads {
                let _ = thread.join();
            }
        }
        result
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        self.close();
    }
}

impl fmt::Debug for LocalCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = self.counts();
        write!(
            f,
            "LocalCluster {{ workers: {}, tasks: {counts:?} }}",
            self.workers()
        )
    }
}

// ANCHOR: client
/// Submits work to a cluster. Clone it freely.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}
// ANCHOR_END: client

impl Client {
    /// Registers a task and tells the scheduler. Returns its future.
    fn submit_erased<T: Send + Sync + 'static>(
        &self,
        name: &str,
        inputs: Vec<TaskId>,
        body: Body,
    ) -> Result<Future<T>, ClusterError> {
        let shared = &self.shared;
        let (task, key) = {
            let mut state = shared.lock();
            if let Some(message) = &state.broken {
                return Err(ClusterError::SchedulerPanicked {
                    message: message.clone(),
                });
            }
            if state.closing {
                return Err(ClusterError::Closed);
            }
            for input in &inputs {
                if !state.tasks.contains_key(input) {
                    return Err(ClusterError::Lost {
                        task: format!("#{input}"),
                    });
                }
            }
            let task = state.next_id;
            state.next_id += 1;
            let key: Arc<str> = Arc::from(format!("{name}-{task}"));
            state.tasks.insert(
                task,
                Entry {
                    key: Arc::clone(&key),
                    inputs: inputs.clone(),
                    body: Some(body),
                    outcome: None,
                    running_on: None,
                },
            );
            (task, key)
        };
        // The future exists before the scheduler hears of the task, so that if the
        // scheduler panics, dropping it does not leave the entry behind.
        let future = Future {
            handle: Arc::new(Handle {
                task,
                key,
                shared: Arc::clone(shared),
            }),
            _value: PhantomData,
        };
        let mut deps = inputs;
        deps.sort_unstable();
        deps.dedup();
        shared.client_event(|s, a| {
            s.submit(task, &deps, a);
            true
        });
        Ok(future)
    }

    // ANCHOR: submit
    /// Submits `f()` as a task named `name` (its key is `name-<id>`). Returns at once.
    ///
    /// Every submission is a new task, even with the same function: Dask's `pure=False`
    /// (see book §4.4). Errors: `Closed` after `close`; `SchedulerPanicked` once the
    /// scheduler has panicked. A panic inside `f` resolves the future to `Failed`.
    pub fn submit<T, F>(&self, name: &str, f: F) -> Result<Future<T>, ClusterError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            Vec::new(),
            Box::new(move |_| Ok(Arc::new(f()) as Value)),
        )
    }

    /// Submits `f(&a)`, where `a` is the result of the future `input`: the task runs once
    /// that result is in memory, and receives it by reference (nothing is copied).
    pub fn submit1<A, T, F>(
        &self,
        name: &str,
        f: F,
        input: &Future<A>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&A) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            vec![input.id()],
            Box::new(move |values| Ok(Arc::new(f(downcast::<A>(&values[0])?)) as Value)),
        )
    }
    // ANCHOR_END: submit

    /// Submits `f(&a, &b)` on the results of two futures (they may be the same future).
    pub fn submit2<A, B, T, F>(
        &self,
        name: &str,
        f: F,
        a: &Future<A>,
        b: &Future<B>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        B: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&A, &B) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            vec![a.id(), b.id()],
            Box::new(move |values| {
                let (a, b) = (downcast::<A>(&values[0])?, downcast::<B>(&values[1])?);
                Ok(Arc::new(f(a, b)) as Value)
            }),
        )
    }

    /// Submits `f(&[&a, &b, …])` on the results of any number of futures of one type
    /// (fan-in: a sum, a mosaic of tiles, …). An empty `inputs` runs `f(&[])` at once.
    pub fn submit_all<A, T, F>(
        &self,
        name: &str,
        f: F,
        inputs: &[Future<A>],
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&[&A]) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            inputs.iter().map(Future::id).collect(),
            Box::new(move |values| {
                let refs = values
                    .iter()
                    .map(|v| downcast::<A>(v))
                    .collect::<Result<Vec<&A>, String>>()?;
                Ok(Arc::new(f(&refs)) as Value)
            }),
        )
    }

    /// Submits a fallible `f(&a)`: an `Err(e)` resolves the future to `Failed` with
    /// `e`'s message (and its dependants to `DependencyFailed`), like a panic would.
    pub fn try_submit1<A, T, E, F>(
        &self,
        name: &str,
        f: F,
        input: &Future<A>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        E: fmt::Display,
        F: FnOnce(&A) -> Result<T, E> + Send + 'static,
    {
        self.submit_erased(
            name,
            vec![input.id()],
            Box::new(move |values| {
                let a = downcast::<A>(&values[0])?;
                f(a).map(|t| Arc::new(t) as Value)
                    .map_err(|e| e.to_string())
            }),
        )
    }

    /// Submits a fallible `f()` (see [`Client::try_submit1`]).
    pub fn try_submit<T, E, F>(&self, name: &str, f: F) -> Result<Future<T>, ClusterError>
    where
        T: Send + Sync + 'static,
        E: fmt::Display,
        F: FnOnce() -> Result<T, E> + Send + 'static,
    {
        self.submit_erased(
            name,
            Vec::new(),
            Box::new(move |_| f().map(|t| Arc::new(t) as Value).map_err(|e| e.to_string())),
        )
    }

    /// Submits `f(item)` for every item: Dask's `client.map`. One task per item.
    pub fn map<I, T, F>(
        &self,
        name: &str,
        f: F,
        items: impl IntoIterator<Item = I>,
    ) -> Result<Vec<Future<T>>, ClusterError>
    where
        I: Send + 'static,
        T: Send + Sync + 'static,
        F: Fn(I) -> T + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(name, move || f(item))
            })
            .collect()
    }

    /// Waits for every future and returns their results in order: Dask's `gather`.
    /// Errors: the first future's error in order, or `Timeout` after `timeout` in total.
    pub fn gather<T: Send + Sync + 'static>(
        &self,
        futures: &[Future<T>],
        timeout: Duration,
    ) -> Result<Vec<Arc<T>>, ClusterError> {
        let deadline = Instant::now() + timeout;
        futures
            .iter()
            .map(|f| f.result_timeout(deadline.saturating_duration_since(Instant::now())))
            .collect()
    }
}

fn downcast<A: 'static>(value: &Value) -> Result<&A, String> {
    value.downcast_ref::<A>().ok_or_else(|| {
        format!(
            "an input is not a {} (a runtime bug: futures are typed)",
            std::any::type_name::<A>()
        )
    })
}

/// Shared by the clones of one future; dropping the last clone releases the task.
struct Handle {
    task: TaskId,
    key: Arc<str>,
    shared: Arc<Shared>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        let task = self.task;
        // Never panic in drop (it may run while a panic unwinds): a broken scheduler
        // is simply not called.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            let garbage = {
                let mut state = self.shared.lock();
                let (actions, _, _) = Shared::call(&mut state, |s, a| {
                    s.release(task, a);
                    true
                });
                let mut garbage = self.shared.apply(&mut state, actions);
                if state.broken.is_some() || state.shut_down {
                    // No scheduler to ask any more: drop the task's data now.
                    if let Some(entry) = state.tasks.remove(&task) {
                        garbage.push(Box::new(entry.body));
                        garbage.push(Box::new(entry.outcome));
                    }
                }
                garbage
            };
            drop(garbage);
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
        let state = self.handle.shared.lock();
        state.broken.is_some()
            || state
                .tasks
                .get(&self.handle.task)
                .is_none_or(|e| e.outcome.is_some())
    }

    /// The outcome if there is one, without waiting.
    fn outcome(&self, state: &State) -> Option<Result<Arc<T>, ClusterError>> {
        if let Some(message) = &state.broken {
            return Some(Err(ClusterError::SchedulerPanicked {
                message: message.clone(),
            }));
        }
        match state.tasks.get(&self.handle.task) {
            None => Some(Err(ClusterError::Lost {
                task: self.handle.key.to_string(),
            })),
            Some(entry) => entry.outcome.as_ref().map(|outcome| match outcome {
                Ok(value) => Arc::clone(value)
                    .downcast::<T>()
                    .map_err(|_| ClusterError::Failed {
                        task: self.handle.key.to_string(),
                        message: "its value has the wrong type (a runtime bug)".into(),
                    }),
                Err(e) => Err(e.clone()),
            }),
        }
    }

    // ANCHOR: result_timeout
    /// Waits at most `timeout` for the result. The value is shared, not copied.
    ///
    /// Errors: the task's own error (`Failed`, `DependencyFailed`, `Cancelled`, `Lost`,
    /// `SchedulerPanicked`), or `Timeout` when it is not done in time.
    pub fn result_timeout(&self, timeout: Duration) -> Result<Arc<T>, ClusterError> {
        let mut outcome = None;
        self.handle.shared.wait_until(Some(timeout), |state| {
            outcome = self.outcome(state);
            outcome.is_some()
        });
        outcome.unwrap_or_else(|| {
            Err(ClusterError::Timeout {
                task: self.handle.key.to_string(),
                waited: timeout,
            })
        })
    }
    // ANCHOR_END: result_timeout

    /// Waits for the result without a time limit (Dask's `future.result()`). Never hangs
    /// on a task that cannot run (those resolve to errors), but waits as long as the task
    /// itself runs.
    pub fn result(&self) -> Result<Arc<T>, ClusterError> {
        let mut outcome = None;
        self.handle.shared.wait_until(None, |state| {
            outcome = self.outcome(state);
            outcome.is_some()
        });
        outcome.expect("wait_until(None) returns only when done")
    }

    /// Cancels the task if it has not started; its dependants then fail. Returns whether
    /// it was cancelled (false when it is running or done). Re-raises a scheduler panic.
    pub fn cancel(&self) -> bool {
        let task = self.handle.task;
        {
            let mut state = self.handle.shared.lock();
            state.cancel_requested.insert(task);
        }
        self.handle.shared.client_event(|s, a| s.cancel(task, a))
    }
}

// ANCHOR: fire_and_forget
/// Lets go of `future` but asks the cluster to run its task (and everything it needs) to
/// completion anyway; [`LocalCluster::close`] waits for it. Dask's `fire_and_forget`.
/// Re-raises a scheduler panic.
pub fn fire_and_forget<T>(future: Future<T>) {
    let task = future.handle.task;
    future.handle.shared.client_event(|s, a| {
        s.fire_and_forget(task, a);
        true
    });
    drop(future);
}
// ANCHOR_END: fire_and_forget

/// Waits until every future is done (a value or an error), at most `timeout` in total.
/// Errors: `Timeout` naming the first future still unfinished. Dask's `wait`.
pub fn wait<T: Send + Sync + 'static>(
    futures: &[Future<T>],
    timeout: Duration,
) -> Result<(), ClusterError> {
    let deadline = Instant::now() + timeout;
    for f in futures {
        let left = deadline.saturating_duration_since(Instant::now());
        let shared = &f.handle.shared;
        if !shared.wait_until(Some(left), |state| f.outcome(state).is_some()) {
            return Err(ClusterError::Timeout {
                task: f.key().to_string(),
                waited: timeout,
            });
        }
    }
    Ok(())
}

/// Yields the futures in the order they finish: Dask's `as_completed`. Each item is a
/// future that is done; after `timeout` in total the iterator yields one `Timeout` error
/// and ends. Cost: a scan of the unfinished futures per wake-up.
pub fn as_completed<T: Send + Sync + 'static>(
    futures: Vec<Future<T>>,
    timeout: Duration,
) -> AsCompleted<T> {
    AsCompleted {
        pending: futures,
        deadline: Instant::now() + timeout,
        timeout,
        timed_out: false,
    }
}

/// The iterator of [`as_completed`].
pub struct AsCompleted<T> {
    pending: Vec<Future<T>>,
    deadline: Instant,
    timeout: Duration,
    timed_out: bool,
}

impl<T: Send + Sync + 'static> Iterator for AsCompleted<T> {
    type Item = Result<Future<T>, ClusterError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pending.is_empty() || self.timed_out {
            return None;
        }
        let shared = Arc::clone(&self.pending[0].handle.shared);
        let mut found = None;
        let left = self.deadline.saturating_duration_since(Instant::now());
        shared.wait_until(Some(left), |state| {
            found = self.pending.iter().position(|f| f.outcome(state).is_some());
            found.is_some()
        });
        match found {
            Some(i) => Some(Ok(self.pending.swap_remove(i))),
            None => {
                self.timed_out = true;
                Some(Err(ClusterError::Timeout {
                    task: self.pending[0].key().to_string(),
                    waited: self.timeout,
                }))
            }
        }
    }
}
