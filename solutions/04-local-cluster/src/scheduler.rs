//! §4.2–4.6 — the scheduler, the five steps of the chapter: dispatch to idle workers,
//! dependency tracking, releasing results, errors, fire-and-forget and close.
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

/// The scheduler a cluster uses: `LocalCluster::with_scheduler(workers, new_scheduler)`.
pub fn new_scheduler(workers: usize) -> Box<dyn Scheduler> {
    Box::new(GraphScheduler::new(workers))
}
// ANCHOR_END: state

impl GraphScheduler {
    // ANCHOR: dispatch
    /// Hands ready tasks to idle workers, oldest submission first, until one of them runs out.
    /// Then, if closing and nothing is left to run, shuts down. Called at the end of every
    /// event.
    fn dispatch(&mut self, actions: &mut Vec<Action>) {
        while !self.idle.is_empty() {
            let Some(Reverse(task)) = self.ready.pop() else {
                break;
            };
            // Released (forgotten) or cancelled while it waited in the heap: skip it.
            let Some(info) = self.tasks.get_mut(&task) else {
                continue;
            };
            if info.state != TaskState::Ready {
                continue;
            }
            info.state = TaskState::Processing;
            let worker = self.idle.pop().expect("not empty");
            actions.push(Action::Run { task, worker });
        }
        if self.closing && self.unfinished == 0 && !self.shut_down {
            self.shut_down = true;
            actions.push(Action::Shutdown);
        }
    }
    // ANCHOR_END: dispatch

    fn info(&mut self, task: TaskId) -> &mut TaskInfo {
        self.tasks
            .get_mut(&task)
            .unwrap_or_else(|| panic!("the scheduler has no task {task}"))
    }

    // ANCHOR: fail
    /// `task` and everything downstream of it that has not run will never run, because of
    /// `cause`. An explicit work list, not recursion: a chain of a million tasks must not
    /// overflow the stack.
    fn fail(&mut self, task: TaskId, cause: TaskId, actions: &mut Vec<Action>) {
        let mut pending = vec![task];
        while let Some(t) = pending.pop() {
            // A dependant that was released before it ran is already forgotten.
            let Some(info) = self.tasks.get_mut(&t) else {
                continue;
            };
            match info.state {
                // A Ready task stays in the heap; `dispatch` skips it once it is Erred.
                TaskState::Waiting | TaskState::Ready => {}
                // Already running, done or failed: nothing to do.
                TaskState::Processing | TaskState::Memory | TaskState::Erred => continue,
            }
            info.state = TaskState::Erred;
            pending.extend(info.dependants.iter().copied());
            self.unfinished -= 1;
            actions.push(Action::Fail { task: t, cause });
            self.inputs_consumed(t, actions);
            self.forget_if_unneeded(t, actions);
        }
    }
    // ANCHOR_END: fail

    // ANCHOR: forget
    /// `task` will not run (again): its inputs are needed by one task fewer.
    fn inputs_consumed(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        for dep in self.info(task).dependencies.clone() {
            self.info(dep).needed_by -= 1;
            self.forget_if_unneeded(dep, actions);
        }
    }

    /// Forgets `task` when nothing can use it any more: no future, no dependant waiting,
    /// and either it is done or nobody asked for it to run (not fire-and-forget). A task
    /// forgotten before it ran consumes its own inputs, which may leave them unneeded in
    /// turn: an explicit work list, not recursion, so that releasing a chain of a million
    /// unstarted tasks does not overflow the stack (it may run on a worker's stack).
    fn forget_if_unneeded(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        let mut candidates = vec![task];
        while let Some(task) = candidates.pop() {
            let Some(info) = self.tasks.get_mut(&task) else {
                continue;
            };
            if info.wanted || info.needed_by > 0 {
                continue;
            }
            match info.state {
                TaskState::Memory | TaskState::Erred => {}
                TaskState::Waiting | TaskState::Ready if !info.keep => {
                    // Released before it ran: it never will (Dask does the same). A Ready
                    // task stays in the heap; `dispatch` skips it once it is forgotten.
                    self.unfinished -= 1;
                    for dep in std::mem::take(&mut info.dependencies) {
                        self.info(dep).needed_by -= 1;
                        candidates.push(dep);
                    }
                }
                _ => continue,
            }
            self.tasks.remove(&task);
            actions.push(Action::Forget { task });
        }
    }
    // ANCHOR_END: forget
}

impl Scheduler for GraphScheduler {
    // ANCHOR: submit
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        let mut waiting_on = 0;
        let mut failed_input = None;
        for &dep in deps {
            let input = self.info(dep);
            input.dependants.push(task);
            input.needed_by += 1;
            match input.state {
                TaskState::Memory => {}
                TaskState::Erred => failed_input = Some(dep),
                TaskState::Waiting | TaskState::Ready | TaskState::Processing => waiting_on += 1,
            }
        }
        self.tasks.insert(
            task,
            TaskInfo {
                state: TaskState::Waiting,
                waiting_on,
                dependencies: deps.to_vec(),
                dependants: Vec::new(),
                needed_by: 0,
                wanted: true,
                keep: false,
            },
        );
        self.unfinished += 1;
        if let Some(cause) = failed_input {
            self.fail(task, cause, actions);
        } else if waiting_on == 0 {
            self.info(task).state = TaskState::Ready;
            self.ready.push(Reverse(task));
        }
        self.dispatch(actions);
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
        self.idle.push(worker);
        self.unfinished -= 1;
        let info = self.info(task);
        if succeeded {
            info.state = TaskState::Memory;
            for dependant in info.dependants.clone() {
                // A dependant released before it ran is forgotten: skip it.
                let Some(d) = self.tasks.get_mut(&dependant) else {
                    continue;
                };
                if d.state == TaskState::Waiting {
                    d.waiting_on -= 1;
                    if d.waiting_on == 0 {
                        d.state = TaskState::Ready;
                        self.ready.push(Reverse(dependant));
                    }
                }
            }
        } else {
            info.state = TaskState::Erred;
            for dependant in info.dependants.clone() {
                self.fail(dependant, task, actions);
            }
        }
        self.inputs_consumed(task, actions);
        self.forget_if_unneeded(task, actions);
        self.dispatch(actions);
    }
    // ANCHOR_END: finished

    // ANCHOR: release
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        if let Some(info) = self.tasks.get_mut(&task) {
            info.wanted = false;
            self.forget_if_unneeded(task, actions);
        }
        self.dispatch(actions);
    }

    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        if let Some(info) = self.tasks.get_mut(&task) {
            info.keep = true;
        }
        self.dispatch(actions);
    }
    // ANCHOR_END: release

    // ANCHOR: cancel_close
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        let cancelled = matches!(
            self.tasks.get(&task).map(|info| info.state),
            Some(TaskState::Waiting | TaskState::Ready)
        );
        if cancelled {
            self.fail(task, task, actions);
        }
        self.dispatch(actions);
        cancelled
    }

    fn close(&mut self, actions: &mut Vec<Action>) {
        self.closing = true;
        self.dispatch(actions);
    }
    // ANCHOR_END: cancel_close
}
