//! §4.2–4.6 — the scheduler (your exercise), in five steps of the chapter, each with its own
//! checks (`cargo test -p exercise-04 step1_`, then `step2_`, …):
//!
//! 1. §4.2 *Handing out work*: `submit` (tasks without inputs), `dispatch`, `finished`
//!    (success) — independent tasks run on idle workers, oldest submission first.
//! 2. §4.3 *The task graph*: `submit` and `finished` again — a task waits for its inputs.
//! 3. §4.4 *Futures and releasing results*: `release`, and the `needed_by` / `unfinished`
//!    bookkeeping in `submit` and `finished` — results nobody can use are forgotten.
//! 4. §4.5 *When a task fails*: `cancel`, and failures in `finished` and `submit` — a failed
//!    task fails everything downstream.
//! 5. §4.6 *fire_and_forget and close*: `fire_and_forget`, `close`, and `Shutdown` in
//!    `dispatch`.
//!
//! A step's checks need none of a later step's methods: they pass while those are `todo!`.
//!
//! A state machine with no threads and no clock: the runtime calls one method per event and
//! carries out the [`Action`]s pushed. Every method costs O(1) per task and per graph edge
//! it touches — never a scan of all tasks, nor of the ready queue — because it runs once
//! per task event and its cost is the per-task overhead of the whole cluster (§4.7). And no
//! method recurses along the graph: releasing or failing a chain of a million tasks walks it
//! with a work list, on any thread's stack (§4.4, §4.5).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::{Action, Scheduler, TaskId, WorkerId};

// ANCHOR: state
/// Where a task is in its life (Dask's names in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Some input is not in memory yet (`waiting`).
    Waiting,
    /// Every input is in memory; queued until a worker is idle (`queued`).
    Ready,
    /// Running on a worker (`processing`).
    Processing,
    /// Finished; its result is held for futures and dependants (`memory`).
    Memory,
    /// Failed, or will never run because an input failed or it was cancelled (`erred`).
    Erred,
}

/// What the scheduler knows about one task.
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub state: TaskState,
    /// How many inputs are not in memory yet; the task is ready when this reaches 0.
    pub waiting_on: usize,
    /// The tasks whose results are this task's inputs.
    pub dependencies: Vec<TaskId>,
    /// The tasks that take this task's result as an input.
    pub dependants: Vec<TaskId>,
    /// How many dependants have not run (or failed) yet: while > 0, the result is needed.
    pub needed_by: usize,
    /// A future still refers to the task.
    pub wanted: bool,
    /// `fire_and_forget`: run to completion even if no future refers to it.
    pub keep: bool,
}

/// The course's scheduler.
#[derive(Debug)]
pub struct GraphScheduler {
    /// Every task the scheduler still remembers (forgotten tasks are removed).
    pub tasks: HashMap<TaskId, TaskInfo>,
    /// Ready tasks; the oldest submission comes out first (`Reverse` makes the max-heap a
    /// min-heap of task ids), so earlier work finishes before later work starts (§4.3).
    /// May also hold tasks that were released or cancelled while Ready: removing them from
    /// the middle of a heap is a scan, so `dispatch` skips them when they come out (lazy
    /// deletion; each task is pushed once, so this costs O(log n) per task in all).
    pub ready: BinaryHeap<Reverse<TaskId>>,
    /// Workers with nothing to do.
    pub idle: Vec<WorkerId>,
    /// Tasks that are Waiting, Ready or Processing.
    pub unfinished: usize,
    /// `close` was called.
    pub closing: bool,
    /// `Shutdown` was pushed.
    pub shut_down: bool,
}

impl GraphScheduler {
    /// A scheduler for `workers` workers, all idle. Cost: O(workers).
    pub fn new(workers: usize) -> GraphScheduler {
        GraphScheduler {
            tasks: HashMap::new(),
            ready: BinaryHeap::new(),
            // Reversed so that `pop` hands out worker 0 first.
            idle: (0..workers).rev().collect(),
            unfinished: 0,
            closing: false,
            shut_down: false,
        }
    }
}

// ANCHOR_END: state

/// The scheduler a cluster uses: `LocalCluster::with_scheduler(workers, new_scheduler)`.
pub fn new_scheduler(workers: usize) -> Box<dyn Scheduler> {
    Box::new(GraphScheduler::new(workers))
}

impl GraphScheduler {
    // ANCHOR: dispatch
    /// Hands ready tasks to idle workers, oldest submission first, until one of them runs out.
    /// Then, if closing and nothing is left to run, shuts down. Call it at the end of
    /// every event. (A suggestion: the helpers you write are up to you.)
    // Until you write the body, clippy cannot see that it pushes onto `actions`.
    #[allow(clippy::ptr_arg)]
    fn dispatch(&mut self, actions: &mut Vec<Action>) {
        todo!(
            "step 1, dispatch: while a worker is idle, pop the oldest submission from the ready \
             heap, mark it Processing and push Action::Run (step 3 skips tasks that are no longer \
             Ready; step 5 adds Shutdown) — book §4.2 \"Handing out work\" \
             (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: dispatch
}

impl Scheduler for GraphScheduler {
    // ANCHOR: submit
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        todo!(
            "step 1, submit: record the task (it is unfinished); step 1's tasks have no inputs, \
             so it is Ready at once (push it on the heap); then dispatch. Step 2 counts inputs — \
             book §4.2 \"Handing out work\" (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: submit

    // ANCHOR: finished
    fn finished(
        &mut self,
        task: TaskId,
        worker: WorkerId,
        succeeded: bool,
        actions: &mut Vec<Action>,
    ) {
        todo!(
            "step 1, finished: the worker is idle again, the task is in Memory (no longer \
             unfinished), then dispatch; step 2 readies its dependants, step 4 handles a \
             failure — book §4.2 \"Handing out work\" (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: finished

    // ANCHOR: release
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        todo!(
            "step 3, release: no future refers to the task any more; forget it (Action::Forget) \
             when no dependant still needs it and it is done, or it never ran and is not \
             fire-and-forget; forgetting an unstarted task may leave its inputs unneeded: walk \
             them with a work list, not recursion, and leave a Ready task in the heap — \
             book §4.4 \"Futures and releasing results\" (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: release

    // ANCHOR: fire_and_forget
    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        todo!(
            "step 5, fire_and_forget: mark the task so that release does not forget it before \
             it has run — book §4.6 \"fire_and_forget and close\" (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: fire_and_forget

    // ANCHOR: cancel
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        todo!(
            "step 4, cancel: only a task that has not started (Waiting or Ready) can be \
             cancelled: fail it with itself as the cause, and its dependants with it (a Ready \
             task stays in the heap; dispatch skips it) — book §4.5 \"When a task fails\" \
             (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: cancel

    // ANCHOR: close
    fn close(&mut self, actions: &mut Vec<Action>) {
        todo!(
            "step 5, close: remember that the cluster is closing; dispatch pushes \
             Action::Shutdown once nothing unfinished is left — \
             book §4.6 \"fire_and_forget and close\" (book/src/04-local-cluster.md)"
        )
    }
    // ANCHOR_END: close
}
