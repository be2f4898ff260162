//! Section 04 checks: a local cluster's scheduler.
//!
//! The runtime (threads, client, futures) is given; what a learner writes is the
//! [`Scheduler`](given_04::Scheduler) the cluster runs with. So the section's API is one function pointer, the
//! scheduler's constructor, and every check builds real clusters with it and submits real
//! task graphs. Every wait is bounded ([`WAIT`], [`CLOSE_WAIT`]): a scheduler that loses a
//! task fails a check with a `Timeout` instead of hanging the test run.
//!
//! The learner writes the scheduler in five steps, one section of the chapter each: step 1
//! hands independent tasks to idle workers (§4.2), step 2 adds inputs (§4.3), step 3
//! releases results (§4.4), step 4 fails tasks (§4.5), step 5 closes (§4.6). Each check is
//! named `<group>_step<N>_…` after the step whose methods it needs, and needs none of a
//! later step's (so `cargo test -p exercise-04 step2_` passes once step 2 is done, with
//! `release`, `cancel` and `close` still `todo!`), and each step has a mutant its checks
//! reject (harness/tests/mutants_local_cluster.rs).
//!
//! The checks live by what the learner's scheduler must get right: `graphs` (results of
//! small graphs, failures), `random_graphs` (the property against a sequential oracle),
//! `dispatch` (idle workers, oldest first, no deadlock), `release` (freeing results, long
//! chains without recursion), `lifecycle` (cancel, close, fire-and-forget), `pipeline`
//! (section 03 on the cluster), `dashboard`, `timing`; `support` and `child` are their
//! tools. Every check keeps its path `harness::local_cluster::<check>`, and [`local_cluster_checks!`](crate::local_cluster_checks)
//! is the one list of them.

mod child;
mod dashboard;
mod dispatch;
mod graphs;
mod lifecycle;
mod pipeline;
mod random_graphs;
mod release;
mod support;
mod timing;

use std::time::Duration;

use given_04::NewScheduler;

// Every check and tool keeps its path `harness::local_cluster::<name>`.
pub use dashboard::*;
pub use dispatch::*;
pub use graphs::*;
pub use lifecycle::*;
pub use pipeline::*;
pub use random_graphs::*;
pub use release::*;
pub use support::{Bounded, bounded_cluster, cluster};
pub use timing::*;

/// Section 04's public API: the scheduler a cluster is built with. Building one from a
/// crate (see [`local_cluster_checks!`](crate::local_cluster_checks)) fails to compile if
/// `new_scheduler` is missing or has a different signature.
#[derive(Clone, Copy)]
pub struct ClusterApi {
    pub new_scheduler: NewScheduler,
}

/// Instantiates every section 04 check as a `#[test]` for the crate `$krate`.
///
/// ```text
/// harness::local_cluster_checks!(exercise_04);
/// ```
/// Section 04's API of the crate `$krate`, as a [`ClusterApi`] value.
#[macro_export]
macro_rules! local_cluster_api {
    ($krate:ident) => {
        $crate::local_cluster::ClusterApi {
            new_scheduler: $krate::new_scheduler,
        }
    };
}

#[macro_export]
macro_rules! local_cluster_checks {
    ($krate:ident) => {
        const API: $crate::local_cluster::ClusterApi = $crate::local_cluster_api!($krate);
        // Named `<group>_step<N>_…` after the step of the chapter whose methods they
        // need (none of a later step's): `cargo test -p exercise-04 step2_` runs step 2.
        $crate::instantiate_checks!(local_cluster, API;
            correctness_step1_independent_tasks_return_their_results,
            mechanism_step1_work_spreads_over_the_workers,
            mechanism_step1_dashboard_and_task_stream,
            correctness_step2_results_of_a_small_graph,
            mechanism_step2_oldest_ready_task_runs_first,
            mechanism_step2_ten_thousand_tasks_without_deadlock,
            mechanism_step3_dropping_a_future_releases_its_result,
            mechanism_step3_a_released_chain_is_walked_without_recursion_alone,
            correctness_step3_pipeline_checksums_match_the_sequential_run,
            correctness_step4_a_failing_task_errors_its_dependants,
            correctness_step4_cancel_a_task_that_has_not_started,
            mechanism_step4_a_cancelled_chain_is_failed_without_recursion_alone,
            correctness_step5_close_and_zero_workers,
            mechanism_step5_fire_and_forget_work_finishes_before_close,
            properties_step5_random_graphs_match_sequential_evaluation;
            timing: timing_step2_scheduler_cost_per_task_does_not_grow,
            timing_step4_releasing_ready_tasks_cost_does_not_grow,
        );
    };
}

/// Where to read about each part of the scheduler (the table is [`crate::book`]).
pub use crate::book::{
    CLUSTER_CLOSE as BOOK_CLOSE, CLUSTER_DISPATCH as BOOK_DISPATCH,
    CLUSTER_FAILURE as BOOK_FAILURE, CLUSTER_GRAPH as BOOK_GRAPH,
    CLUSTER_PIPELINE as BOOK_PIPELINE, CLUSTER_RELEASE as BOOK_RELEASE,
    CLUSTER_STREAM as BOOK_STREAM,
};

/// The longest a check waits for results. A correct scheduler needs milliseconds; this
/// only turns a lost task into a failure instead of a hang.
pub const WAIT: Duration = Duration::from_secs(20);
/// The longest a check waits for `close`.
pub const CLOSE_WAIT: Duration = Duration::from_secs(20);
/// The longest a random graph (at most 40 trivial tasks) waits for results and for
/// `close`: shorter, because proptest may run a failing graph dozens of times while it
/// shrinks it.
pub const PROPERTY_WAIT: Duration = Duration::from_secs(5);
