//! Proof that every section 04 check group can fail: each plausible wrong scheduler below
//! ("mutant") must be rejected by the check named for it, while the reference passes.
//!
//! Most mutants wrap the reference `GraphScheduler` and get one decision wrong, the way a
//! learner's first attempt might. Each test is named `<group>_step<N>_…` after the step of
//! the check that rejects it: every check group and every step of the chapter has one.

use std::collections::{HashMap, HashSet};

use harness::check;
use harness::local_cluster::{self, ClusterApi};
use harness::reject;
use reference::CLUSTER as REFERENCE;

mod reference;
use solution_04::{Action, GraphScheduler, Scheduler, TaskId, TaskState, WorkerId};

/// A wrapper that forwards every event to the reference scheduler unless told otherwise.
struct Wrapped {
    inner: GraphScheduler,
    mistake: Mistake,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mistake {
    /// Hides a task's inputs from the scheduler: it runs as soon as a worker is idle.
    RunsBeforeInputs,
    /// `close` shuts down at once, dropping queued and fire-and-forget work.
    DropsWorkAtClose,
    /// `fire_and_forget` is ignored: the dropped future makes the task forgettable.
    IgnoresFireAndForget,
    /// Every task goes to worker 0, busy or not.
    EverythingOnWorkerZero,
    /// A failed task is reported as a success: its error is lost downstream.
    LosesErrors,
    /// `release` does nothing: results are never freed.
    NeverForgets,
    /// `release` forgets the task at once, even while a dependant still needs it.
    ForgetsNeededResults,
    /// Hands out work only when a task is submitted, never when a worker finishes: tasks
    /// that become ready later are stranded (and the scheduler believes them running).
    DispatchesOnlyOnSubmit,
}

impl Scheduler for Wrapped {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        if self.mistake == Mistake::RunsBeforeInputs {
            self.inner.submit(task, &[], actions);
        } else {
            self.inner.submit(task, deps, actions);
        }
        self.rewrite(actions);
    }

    fn finished(
        &mut self,
        task: TaskId,
        worker: WorkerId,
        succeeded: bool,
        actions: &mut Vec<Action>,
    ) {
        let succeeded = succeeded || self.mistake == Mistake::LosesErrors;
        self.inner.finished(task, worker, succeeded, actions);
        if self.mistake == Mistake::DispatchesOnlyOnSubmit {
            actions.retain(|a| !matches!(a, Action::Run { .. }));
        }
        self.rewrite(actions);
    }

    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        match self.mistake {
            Mistake::NeverForgets => {}
            Mistake::ForgetsNeededResults => {
                let done = self
                    .inner
                    .tasks
                    .get(&task)
                    .is_some_and(|t| t.state == TaskState::Memory);
                self.inner.release(task, actions);
                if done && !actions.contains(&Action::Forget { task }) {
                    actions.push(Action::Forget { task });
                }
            }
            _ => self.inner.release(task, actions),
        }
        self.rewrite(actions);
    }

    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        if self.mistake != Mistake::IgnoresFireAndForget {
            self.inner.fire_and_forget(task, actions);
        }
        self.rewrite(actions);
    }

    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        let cancelled = self.inner.cancel(task, actions);
        self.rewrite(actions);
        cancelled
    }

    fn close(&mut self, actions: &mut Vec<Action>) {
        self.inner.close(actions);
        if self.mistake == Mistake::DropsWorkAtClose && !actions.contains(&Action::Shutdown) {
            actions.push(Action::Shutdown);
        }
        self.rewrite(actions);
    }
}

impl Wrapped {
    fn rewrite(&self, actions: &mut [Action]) {
        if self.mistake == Mistake::EverythingOnWorkerZero {
            for action in actions {
                if let Action::Run { worker, .. } = action {
                    *worker = 0;
                }
            }
        }
    }
}

fn wrapped(workers: usize, mistake: Mistake) -> Box<dyn Scheduler> {
    Box::new(Wrapped {
        inner: GraphScheduler::new(workers),
        mistake,
    })
}

fn runs_before_inputs(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::RunsBeforeInputs)
}
fn drops_work_at_close(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::DropsWorkAtClose)
}
fn ignores_fire_and_forget(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::IgnoresFireAndForget)
}
fn everything_on_worker_zero(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::EverythingOnWorkerZero)
}
fn loses_errors(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::LosesErrors)
}
fn never_forgets(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::NeverForgets)
}
fn forgets_needed_results(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::ForgetsNeededResults)
}
fn dispatches_only_on_submit(workers: usize) -> Box<dyn Scheduler> {
    wrapped(workers, Mistake::DispatchesOnlyOnSubmit)
}

/// A scheduler a learner could well write first: correct, but on every event it looks
/// through the whole list of waiting tasks for ones whose inputs are all done. That makes
/// each event O(waiting tasks) and the whole graph quadratic.
#[derive(Default)]
struct ScansWaitingTasks {
    deps: HashMap<TaskId, Vec<TaskId>>,
    waiting: Vec<TaskId>,
    done: HashSet<TaskId>,
    ready: Vec<TaskId>,
    idle: Vec<WorkerId>,
    unfinished: usize,
    closing: bool,
    shut_down: bool,
}

impl ScansWaitingTasks {
    fn pump(&mut self, actions: &mut Vec<Action>) {
        let (deps, done, ready) = (&self.deps, &self.done, &mut self.ready);
        self.waiting.retain(|t| {
            if deps[t].iter().all(|d| done.contains(d)) {
                ready.push(*t);
                false
            } else {
                true
            }
        });
        while !self.ready.is_empty() && !self.idle.is_empty() {
            let task = self.ready.remove(0);
            let worker = self.idle.pop().expect("not empty");
            actions.push(Action::Run { task, worker });
        }
        if self.closing && self.unfinished == 0 && !self.shut_down {
            self.shut_down = true;
            actions.push(Action::Shutdown);
        }
    }
}

impl Scheduler for ScansWaitingTasks {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        self.deps.insert(task, deps.to_vec());
        self.waiting.push(task);
        self.unfinished += 1;
        self.pump(actions);
    }
    fn finished(&mut self, task: TaskId, worker: WorkerId, _: bool, actions: &mut Vec<Action>) {
        self.done.insert(task);
        self.idle.push(worker);
        self.unfinished -= 1;
        self.pump(actions);
    }
    fn release(&mut self, _: TaskId, actions: &mut Vec<Action>) {
        self.pump(actions);
    }
    fn fire_and_forget(&mut self, _: TaskId, actions: &mut Vec<Action>) {
        self.pump(actions);
    }
    fn cancel(&mut self, _: TaskId, _: &mut Vec<Action>) -> bool {
        false
    }
    fn close(&mut self, actions: &mut Vec<Action>) {
        self.closing = true;
        self.pump(actions);
    }
}

fn scans_waiting_tasks(workers: usize) -> Box<dyn Scheduler> {
    Box::new(ScansWaitingTasks {
        idle: (0..workers).collect(),
        ..ScansWaitingTasks::default()
    })
}

/// The reference scheduler, but a release walks the chain of unneeded tasks by recursion
/// (the reference's own release did, before issue 9): one stack frame per link.
struct RecursiveRelease(GraphScheduler);

impl RecursiveRelease {
    fn forget_if_unneeded(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        let Some(info) = self.0.tasks.get(&task) else {
            return;
        };
        if info.wanted || info.needed_by > 0 {
            return;
        }
        match info.state {
            TaskState::Memory | TaskState::Erred => {}
            TaskState::Waiting | TaskState::Ready if !info.keep => {
                self.0.unfinished -= 1;
                for dep in info.dependencies.clone() {
                    if let Some(input) = self.0.tasks.get_mut(&dep) {
                        input.needed_by -= 1;
                    }
                    self.forget_if_unneeded(dep, actions);
                }
            }
            _ => return,
        }
        self.0.tasks.remove(&task);
        actions.push(Action::Forget { task });
    }
}

impl Scheduler for RecursiveRelease {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        self.0.submit(task, deps, actions);
    }
    fn finished(&mut self, task: TaskId, worker: WorkerId, ok: bool, actions: &mut Vec<Action>) {
        self.0.finished(task, worker, ok, actions);
    }
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        if let Some(info) = self.0.tasks.get_mut(&task) {
            info.wanted = false;
            self.forget_if_unneeded(task, actions);
        }
        // The task is forgotten by now (or was kept): this only dispatches.
        self.0.release(task, actions);
    }
    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        self.0.fire_and_forget(task, actions);
    }
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        self.0.cancel(task, actions)
    }
    fn close(&mut self, actions: &mut Vec<Action>) {
        self.0.close(actions);
    }
}

fn recursive_release(workers: usize) -> Box<dyn Scheduler> {
    Box::new(RecursiveRelease(GraphScheduler::new(workers)))
}

/// The reference scheduler, but `cancel` fails the task and everything downstream by
/// recursion, one stack frame per dependant. (It also never frees the failed tasks'
/// inputs: the recursion is what the check is after.)
struct RecursiveCancel(GraphScheduler);

impl RecursiveCancel {
    fn fail(&mut self, task: TaskId, cause: TaskId, actions: &mut Vec<Action>) {
        let Some(info) = self.0.tasks.get_mut(&task) else {
            return;
        };
        if !matches!(info.state, TaskState::Waiting | TaskState::Ready) {
            return;
        }
        info.state = TaskState::Erred;
        self.0.unfinished -= 1;
        actions.push(Action::Fail { task, cause });
        for dependant in info.dependants.clone() {
            self.fail(dependant, cause, actions);
        }
    }
}

impl Scheduler for RecursiveCancel {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        self.0.submit(task, deps, actions);
    }
    fn finished(&mut self, task: TaskId, worker: WorkerId, ok: bool, actions: &mut Vec<Action>) {
        self.0.finished(task, worker, ok, actions);
    }
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        self.0.release(task, actions);
    }
    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        self.0.fire_and_forget(task, actions);
    }
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        let cancelled = matches!(
            self.0.tasks.get(&task).map(|t| t.state),
            Some(TaskState::Waiting | TaskState::Ready)
        );
        if cancelled {
            self.fail(task, task, actions);
        }
        // Only dispatches: the task is no longer Waiting or Ready.
        self.0.cancel(task, actions);
        cancelled
    }
    fn close(&mut self, actions: &mut Vec<Action>) {
        self.0.close(actions);
    }
}

fn recursive_cancel(workers: usize) -> Box<dyn Scheduler> {
    Box::new(RecursiveCancel(GraphScheduler::new(workers)))
}

/// The reference scheduler, but releasing or cancelling a Ready task removes it from the
/// ready heap with a scan (`retain`), as the reference did before issue 9.
struct ScansReadyQueue(GraphScheduler);

impl ScansReadyQueue {
    fn unqueue(&mut self, task: TaskId) {
        if self.0.tasks.get(&task).map(|t| t.state) == Some(TaskState::Ready) {
            self.0.ready.retain(|&std::cmp::Reverse(r)| r != task);
        }
    }
}

impl Scheduler for ScansReadyQueue {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        self.0.submit(task, deps, actions);
    }
    fn finished(&mut self, task: TaskId, worker: WorkerId, ok: bool, actions: &mut Vec<Action>) {
        self.0.finished(task, worker, ok, actions);
    }
    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        self.unqueue(task);
        self.0.release(task, actions);
    }
    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        self.0.fire_and_forget(task, actions);
    }
    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        self.unqueue(task);
        self.0.cancel(task, actions)
    }
    fn close(&mut self, actions: &mut Vec<Action>) {
        self.0.close(actions);
    }
}

fn scans_ready_queue(workers: usize) -> Box<dyn Scheduler> {
    Box::new(ScansReadyQueue(GraphScheduler::new(workers)))
}

const fn api(new_scheduler: solution_04::NewScheduler) -> ClusterApi {
    ClusterApi { new_scheduler }
}

// --- which check rejects which mutant ----------------------------------------------------

#[test]
fn reference_passes_the_checks_its_mutants_are_compared_with() {
    for (name, check_fn) in [
        (
            "correctness_step4_a_failing_task_errors_its_dependants",
            local_cluster::correctness_step4_a_failing_task_errors_its_dependants
                as fn(&ClusterApi),
        ),
        (
            "mechanism_step1_work_spreads_over_the_workers",
            local_cluster::mechanism_step1_work_spreads_over_the_workers,
        ),
        (
            "mechanism_step5_fire_and_forget_work_finishes_before_close",
            local_cluster::mechanism_step5_fire_and_forget_work_finishes_before_close,
        ),
    ] {
        check::run(name, cfg!(debug_assertions), || check_fn(&REFERENCE));
    }
}

reject!(correctness_step4_rejects_a_scheduler_that_loses_a_tasks_error:
    local_cluster::correctness_step4_a_failing_task_errors_its_dependants,
    api(loses_errors),
    "the dependant of a panicking task: expected the error");

reject!(properties_step5_reject_a_scheduler_that_runs_tasks_before_their_inputs:
    local_cluster::properties_step5_random_graphs_match_sequential_evaluation,
    api(runs_before_inputs),
    "before its input");

reject!(mechanism_step3_rejects_a_scheduler_that_frees_results_still_needed:
    local_cluster::mechanism_step3_dropping_a_future_releases_its_result,
    api(forgets_needed_results),
    "still needs it");

/// A stranded task must become a bounded `Timeout` failure, not a hang (~10 s: the
/// property's result wait plus its close wait).
#[test]
fn properties_step5_reject_a_scheduler_that_strands_tasks_without_hanging() {
    let start = std::time::Instant::now();
    check::expect_rejection(
        "properties_step5_random_graphs_match_sequential_evaluation",
        local_cluster::properties_step5_random_graphs_match_sequential_evaluation,
        api(dispatches_only_on_submit),
        "was not finished after waiting",
    );
    let limit = 2 * (local_cluster::PROPERTY_WAIT + local_cluster::PROPERTY_WAIT);
    assert!(
        start.elapsed() < limit,
        "rejecting a stranding scheduler took {:?} (limit {limit:?})",
        start.elapsed()
    );
}

reject!(mechanism_step5_rejects_a_scheduler_that_drops_fire_and_forget_work_at_close:
    local_cluster::mechanism_step5_fire_and_forget_work_finishes_before_close,
    api(drops_work_at_close),
    "fire-and-forget saves had run");

reject!(mechanism_step5_rejects_a_scheduler_that_ignores_fire_and_forget:
    local_cluster::mechanism_step5_fire_and_forget_work_finishes_before_close,
    api(ignores_fire_and_forget),
    "fire-and-forget saves had run");

reject!(mechanism_step1_rejects_a_scheduler_that_runs_everything_on_one_worker:
    local_cluster::mechanism_step1_work_spreads_over_the_workers,
    api(everything_on_worker_zero),
    "hand ready tasks to idle workers");

reject!(mechanism_step3_rejects_a_scheduler_that_never_frees_results:
    local_cluster::mechanism_step3_dropping_a_future_releases_its_result,
    api(never_forgets),
    "its 1 MiB result is still held");

reject!(mechanism_step3_rejects_a_scheduler_that_releases_a_chain_by_recursion:
    local_cluster::mechanism_step3_a_released_chain_is_walked_without_recursion_alone,
    api(recursive_release),
    "overflowed its stack");

reject!(mechanism_step4_rejects_a_scheduler_that_cancels_a_chain_by_recursion:
    local_cluster::mechanism_step4_a_cancelled_chain_is_failed_without_recursion_alone,
    api(recursive_cancel),
    "overflowed its stack");

reject!(mechanism_step2_rejects_a_scheduler_that_runs_ready_tasks_in_the_order_they_became_ready:
    local_cluster::mechanism_step2_oldest_ready_task_runs_first,
    api(scans_waiting_tasks),
    "chains were in flight at once");

reject!(correctness_step3_rejects_a_scheduler_that_runs_tasks_before_their_inputs_in_the_pipeline:
    local_cluster::correctness_step3_pipeline_checksums_match_the_sequential_run,
    api(runs_before_inputs),
    "the pipeline on the cluster failed");

reject!(timing_step2_rejects_a_scheduler_that_scans_every_waiting_task_per_event:
    local_cluster::timing_step2_scheduler_cost_per_task_does_not_grow,
    api(scans_waiting_tasks),
    "slower with 4000 tasks than with 1000");

reject!(timing_step4_rejects_a_scheduler_that_scans_the_ready_queue_to_release:
    local_cluster::timing_step4_releasing_ready_tasks_cost_does_not_grow,
    api(scans_ready_queue),
    "slower with 40000 ready tasks than with 5000");

reject!(correctness_step2_rejects_a_scheduler_that_runs_tasks_before_their_inputs:
    local_cluster::correctness_step2_results_of_a_small_graph,
    api(runs_before_inputs),
    "before its input");

reject!(correctness_step5_rejects_a_scheduler_that_drops_running_work_at_close:
    local_cluster::correctness_step5_close_and_zero_workers,
    api(drops_work_at_close),
    "close must wait for it");
