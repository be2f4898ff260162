//! Proof that section 04's steps can be taken one at a time: each step's checks pass with a
//! scheduler that has done that step and no later one, the way a learner's does halfway
//! through the chapter.
//!
//! [`UpTo`] wraps the reference scheduler and panics (as a stub's `todo!` would) on every
//! event a later step handles: `submit` with inputs before step 2, `release` before step 3,
//! `cancel` and a failed task before step 4, `fire_and_forget` and `close` before step 5.
//! The runtime catches a scheduler's panic and marks the cluster broken, so a check that
//! needed a later step fails.

use harness::check;
use harness::local_cluster::{self, ClusterApi};
use solution_04::{Action, GraphScheduler, Scheduler, TaskId, WorkerId};

/// The reference scheduler with only steps `1..=STEP` written.
struct UpTo<const STEP: u8>(GraphScheduler);

impl<const STEP: u8> UpTo<STEP> {
    fn needs(step: u8, what: &str) {
        if STEP < step {
            let book = match step {
                2 => local_cluster::BOOK_GRAPH,
                3 => local_cluster::BOOK_RELEASE,
                4 => local_cluster::BOOK_FAILURE,
                _ => local_cluster::BOOK_CLOSE,
            };
            panic!(
                "not yet implemented: step {step}, {what} (a learner at step {STEP})\n  read: {book}"
            );
        }
    }
}

impl<const STEP: u8> Scheduler for UpTo<STEP> {
    fn submit(&mut self, task: TaskId, deps: &[TaskId], actions: &mut Vec<Action>) {
        if !deps.is_empty() {
            Self::needs(2, "a task with inputs");
        }
        self.0.submit(task, deps, actions);
    }

    fn finished(
        &mut self,
        task: TaskId,
        worker: WorkerId,
        succeeded: bool,
        actions: &mut Vec<Action>,
    ) {
        if !succeeded {
            Self::needs(4, "a failed task");
        }
        self.0.finished(task, worker, succeeded, actions);
    }

    fn release(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        Self::needs(3, "release");
        self.0.release(task, actions);
    }

    fn fire_and_forget(&mut self, task: TaskId, actions: &mut Vec<Action>) {
        Self::needs(5, "fire_and_forget");
        self.0.fire_and_forget(task, actions);
    }

    fn cancel(&mut self, task: TaskId, actions: &mut Vec<Action>) -> bool {
        Self::needs(4, "cancel");
        self.0.cancel(task, actions)
    }

    fn close(&mut self, actions: &mut Vec<Action>) {
        Self::needs(5, "close");
        self.0.close(actions);
    }
}

fn up_to<const STEP: u8>(workers: usize) -> Box<dyn Scheduler> {
    Box::new(UpTo::<STEP>(GraphScheduler::new(workers)))
}

/// A check with its name.
type Named = (&'static str, fn(&ClusterApi));

/// Runs each check with a scheduler that has done `step` (and no later step).
fn passes_at(step: u8, new_scheduler: solution_04::NewScheduler, checks: &[Named]) {
    let api = ClusterApi { new_scheduler };
    for (name, check_fn) in checks {
        assert!(
            name.contains(&format!("_step{step}_")),
            "{name} is not a step {step} check"
        );
        check::run(name, cfg!(debug_assertions), || check_fn(&api));
    }
}

/// Lists checks with their names, so that a failure says which one.
macro_rules! checks {
    ($($check:ident),* $(,)?) => {
        &[$((stringify!($check), local_cluster::$check as fn(&ClusterApi))),*]
    };
}

#[test]
fn step1_checks_pass_with_only_step1_done() {
    passes_at(
        1,
        up_to::<1>,
        checks![
            correctness_step1_independent_tasks_return_their_results,
            mechanism_step1_work_spreads_over_the_workers,
            mechanism_step1_dashboard_and_task_stream,
        ],
    );
}

#[test]
fn step2_checks_pass_with_only_steps_1_and_2_done() {
    passes_at(
        2,
        up_to::<2>,
        checks![
            correctness_step2_results_of_a_small_graph,
            mechanism_step2_oldest_ready_task_runs_first,
            mechanism_step2_ten_thousand_tasks_without_deadlock,
        ],
    );
}

#[test]
fn step3_checks_pass_with_only_steps_1_to_3_done() {
    passes_at(
        3,
        up_to::<3>,
        checks![
            mechanism_step3_dropping_a_future_releases_its_result,
            correctness_step3_pipeline_checksums_match_the_sequential_run,
        ],
    );
}

#[test]
fn step4_checks_pass_with_only_steps_1_to_4_done() {
    passes_at(
        4,
        up_to::<4>,
        checks![
            correctness_step4_a_failing_task_errors_its_dependants,
            correctness_step4_cancel_a_task_that_has_not_started,
        ],
    );
}

/// A later step's method is really needed by a later step's check: without it, the check
/// fails (so the wrapper above proves something).
#[test]
fn a_step_check_fails_without_its_step() {
    check::expect_rejection(
        "correctness_step2_results_of_a_small_graph",
        local_cluster::correctness_step2_results_of_a_small_graph,
        ClusterApi {
            new_scheduler: up_to::<1>,
        },
        "step 2, a task with inputs",
    );
    check::expect_rejection(
        "correctness_step5_close_and_zero_workers",
        local_cluster::correctness_step5_close_and_zero_workers,
        ClusterApi {
            new_scheduler: up_to::<4>,
        },
        "close",
    );
}
