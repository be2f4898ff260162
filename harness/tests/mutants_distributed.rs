//! Proof that every section 06 check group can fail: each plausible wrong dataflow below
//! ("mutant") must be rejected by the check named for it, while the reference passes.
//!
//! The runs happen in child processes of this test binary (see
//! `harness/src/distributed/loopback.rs`), so each mutant below runs as real processes.

use std::cell::RefCell;
use std::rc::Rc;

use harness::distributed::DistributedApi;
use harness::reject;
use reference::DISTRIBUTED as REFERENCE;
use solution_06::timely::dataflow::operators::vec::{Broadcast, Map, ToStream};
use solution_06::timely::dataflow::operators::{Exchange, Inspect, Probe};
use solution_06::timely::worker::Worker;
use solution_06::{
    Fft2, ImageOutcome, Placement, RunPlan, Sink, Workspace, image_route, load_eo_data,
    power_summary, process_on_worker, spectrum_checksum,
};

mod reference;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mistake {
    /// Sends every image to every worker (`broadcast`) instead of exchanging it to one.
    Broadcasts,
    /// Exchanges every image with key 0: one worker does all the work.
    EverythingOnWorkerZero,
    /// Forgets the second exchange: each worker keeps its own outcomes.
    KeepsOwnOutcomes,
    /// Rounds the power summary to `f32` before sending, to halve the bytes.
    RoundsPowerToF32,
}

/// The reference dataflow with one mistake.
fn dataflow(worker: &mut Worker, plan: &RunPlan, mistake: Mistake) -> Vec<ImageOutcome> {
    let placement = Placement::of(worker.index(), plan.workers_per_process);
    let indices = if worker.index() == 0 {
        0..plan.images
    } else {
        0..0
    };
    let received = Rc::new(RefCell::new(Vec::new()));
    let keep = Rc::clone(&received);
    let fft = Fft2::new(plan.shape);
    let mut workspace = Workspace::new(plan.shape);
    let plan = plan.clone();
    let probe = worker.dataflow::<u64, _, _>(move |scope| {
        let images = indices.to_stream(scope);
        let routed = match mistake {
            Mistake::Broadcasts => images.broadcast(),
            Mistake::EverythingOnWorkerZero => images.exchange(|_| 0),
            _ => images.exchange(image_route),
        };
        let outcomes = routed.map(move |index| {
            let mut o = process_on_worker(
                index,
                &plan,
                &fft,
                &mut workspace,
                &Sink::Discard,
                placement,
            );
            if mistake == Mistake::RoundsPowerToF32 {
                o.power = o.power.iter().map(|&v| f64::from(v as f32)).collect();
            }
            o
        });
        let gathered = if mistake == Mistake::KeepsOwnOutcomes {
            outcomes
        } else {
            outcomes.exchange(|_| 0)
        };
        gathered
            .inspect(move |o| keep.borrow_mut().push(o.clone()))
            .probe()
            .0
    });
    // Parks the thread when there is nothing to do, instead of spinning on a core that
    // another worker (or process) needs; timely wakes it when data arrives.
    while !probe.done() {
        worker.step_or_park(None);
    }
    received.take()
}

fn broadcasts(w: &mut Worker, p: &RunPlan) -> Vec<ImageOutcome> {
    dataflow(w, p, Mistake::Broadcasts)
}
fn everything_on_worker_zero(w: &mut Worker, p: &RunPlan) -> Vec<ImageOutcome> {
    dataflow(w, p, Mistake::EverythingOnWorkerZero)
}
fn keeps_own_outcomes(w: &mut Worker, p: &RunPlan) -> Vec<ImageOutcome> {
    dataflow(w, p, Mistake::KeepsOwnOutcomes)
}
fn rounds_power_to_f32(w: &mut Worker, p: &RunPlan) -> Vec<ImageOutcome> {
    dataflow(w, p, Mistake::RoundsPowerToF32)
}

/// Silences panics "to keep the output clean": when a peer is lost, timely's network thread
/// and then the workers die without a word, and nobody learns why the run failed.
fn silences_panics(w: &mut Worker, p: &RunPlan) -> Vec<ImageOutcome> {
    std::panic::set_hook(Box::new(|_| {}));
    solution_06::run_worker(w, p)
}

/// Skips the smooth stage.
fn skips_smooth(
    index: u64,
    plan: &RunPlan,
    fft: &Fft2,
    _workspace: &mut Workspace,
    _sink: &Sink,
    placement: Placement,
) -> ImageOutcome {
    let spectrum = fft.forward(load_eo_data(index, plan.shape).view());
    ImageOutcome {
        index,
        checksum: spectrum_checksum(spectrum.view()),
        stage_nanos: [0; 4],
        placement,
        power: power_summary(spectrum.view(), plan.summary_side),
        save_error: None,
    }
}

reject!(correctness_rejects_routing_by_a_constant: distributed::correctness_route_spreads_images_evenly,
    DistributedApi { image_route: |_| 0, ..REFERENCE }, "land as");
reject!(correctness_rejects_routing_by_twice_the_index: distributed::correctness_route_spreads_images_evenly,
    DistributedApi { image_route: |i| 2 * i, ..REFERENCE }, "land as");
reject!(correctness_rejects_skipping_the_smooth_stage: distributed::correctness_process_on_worker_matches_section_03,
    DistributedApi { process_on_worker: skips_smooth, ..REFERENCE }, "checksum differs");
reject!(correctness_rejects_keeping_outcomes_where_they_were_made:
    distributed::correctness_checksums_match_sequential_on_loopback,
    DistributedApi { run_worker: keeps_own_outcomes, ..REFERENCE }, "never reached worker 0");
reject!(properties_reject_broadcasting_images_to_every_worker:
    distributed::properties_every_image_once_on_its_own_worker,
    DistributedApi { run_worker: broadcasts, ..REFERENCE }, "more than once");
reject!(properties_reject_exchanging_every_image_to_worker_zero:
    distributed::properties_every_image_once_on_its_own_worker,
    DistributedApi { run_worker: everything_on_worker_zero, ..REFERENCE }, "images per worker");
reject!(correctness_rejects_rounding_the_power_summary_to_f32: distributed::correctness_aggregate_matches_one_process,
    DistributedApi { run_worker: rounds_power_to_f32, ..REFERENCE }, "relative difference");
reject!(faults_reject_silencing_panics: distributed::faults_a_killed_process_fails_the_run_fast,
    DistributedApi { run_worker: silences_panics, ..REFERENCE },
    "without saying that it lost a process");
