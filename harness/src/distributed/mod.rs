//! Section 06 checks: the pipeline as a timely dataflow over processes.
//!
//! What a learner writes is the dataflow: the exchange key ([`routing`]), the per-image
//! operator ([`worker`]), and the dataflow that routes, processes and gathers at worker 0
//! ([`runs`]; [`faults`] for a process that dies). Every run of the dataflow happens in child
//! processes — this same test binary, re-executed as P processes on loopback with ports chosen
//! at that moment ([`loopback`]) — so a stub's panic, a hang or a lost peer is a failed check
//! with a deadline, never a hung test run, and checks can run in parallel.

mod faults;
mod loopback;
mod routing;
mod runs;
mod worker;

pub use faults::*;
pub use routing::*;
pub use runs::*;
pub use worker::*;

use given_06::{Fft2, ImageOutcome, Placement, RunPlan, Sink, WorkerFn, Workspace};

/// Section 06's public API: the three parts of the dataflow a learner writes.
#[derive(Clone, Copy)]
pub struct DistributedApi {
    /// The exchange key of an image index.
    pub image_route: fn(&u64) -> u64,
    /// Section 03's stages on one image, on one worker.
    pub process_on_worker:
        fn(u64, &RunPlan, &Fft2, &mut Workspace, &Sink, Placement) -> ImageOutcome,
    /// The dataflow on one worker.
    pub run_worker: WorkerFn,
}

/// Section 06's API of the crate `$krate`, as a [`DistributedApi`] value.
#[macro_export]
macro_rules! distributed_api {
    ($krate:ident) => {
        $crate::distributed::DistributedApi {
            image_route: $krate::image_route,
            process_on_worker: $krate::process_on_worker,
            run_worker: $krate::run_worker,
        }
    };
}

/// Instantiates every section 06 check as a `#[test]` for the crate `$krate`.
///
/// ```text
/// harness::distributed_checks!(exercise_06);
/// ```
#[macro_export]
macro_rules! distributed_checks {
    ($krate:ident) => {
        const API: $crate::distributed::DistributedApi = $crate::distributed_api!($krate);
        $crate::instantiate_checks!(distributed, API;
            correctness_route_spreads_images_evenly,
            correctness_process_on_worker_matches_section_03,
            correctness_checksums_match_sequential_on_loopback,
            properties_every_image_once_on_its_own_worker,
            correctness_aggregate_matches_one_process,
            faults_a_killed_process_fails_the_run_fast;
            timing:
        );
    };
}

/// Where to read about each part (the table is [`crate::book`]).
pub use crate::book::{
    DISTRIBUTED_FAILURE as BOOK_FAILURE, DISTRIBUTED_GATHER as BOOK_GATHER,
    DISTRIBUTED_ROUTING as BOOK_ROUTING, DISTRIBUTED_WORKER as BOOK_WORKER,
};
