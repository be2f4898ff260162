//! §6.2–6.4 — the dataflow: route by index, process, gather at worker 0.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use given_06::StageTimes;
use given_06::timely::dataflow::operators::vec::{Map, ToStream};
use given_06::timely::dataflow::operators::{Exchange, Inspect, Probe};
use given_06::timely::worker::Worker;
use given_06::{
    Fft2, ImageOutcome, Placement, RunPlan, Sink, Workspace, load_eo_data_into, power_summary,
    smooth_into, spectrum_checksum, stage_nanos,
};

// ANCHOR: image_route
/// The exchange key of image `index`: timely sends the record to worker `key % workers`
/// (`key & (workers - 1)` when the count is a power of two), so consecutive images go to
/// consecutive workers and every worker gets `images / workers` of them, ± 1.
pub fn image_route(index: &u64) -> u64 {
    *index
}
// ANCHOR_END: image_route

// ANCHOR: process_on_worker
/// Section 03's four stages on image `index`, on the worker at `placement`: load, smooth,
/// FFT with `fft` (planned for `plan.shape`), save to `sink`; then the checksum and the
/// power summary of the spectrum. A failed save is recorded in the outcome, not raised: the
/// run fails at worker 0, which names the image.
///
/// Every stage writes into `workspace` (made once per worker for `plan.shape`, as section
/// 03's threads do), so a worker allocates nothing per image but the outcome itself.
///
/// # Panics
/// If `fft` was planned for another shape.
pub fn process_on_worker(
    index: u64,
    plan: &RunPlan,
    fft: &Fft2,
    workspace: &mut Workspace,
    sink: &Sink,
    placement: Placement,
) -> ImageOutcome {
    let started = Instant::now();
    load_eo_data_into(index, workspace.image.view_mut());
    let loaded = Instant::now();
    smooth_into(
        workspace.image.view(),
        workspace.smoothed.view_mut(),
        &mut workspace.smooth_scratch,
    );
    let smoothed_at = Instant::now();
    fft.forward_into(
        workspace.smoothed.view(),
        &mut workspace.fft,
        workspace.spectrum.view_mut(),
    );
    let transformed = Instant::now();
    let spectrum = workspace.spectrum.view();
    let save_error = sink.save(index, spectrum).err().map(|e| e.to_string());
    let saved = Instant::now();
    ImageOutcome {
        index,
        checksum: spectrum_checksum(spectrum),
        stage_nanos: stage_nanos(&StageTimes {
            load: loaded - started,
            smooth: smoothed_at - loaded,
            fft2: transformed - smoothed_at,
            save: saved - transformed,
        }),
        placement,
        power: power_summary(spectrum, plan.summary_side),
        save_error,
    }
}
// ANCHOR_END: process_on_worker

// ANCHOR: run_worker
/// The dataflow on one worker: worker 0 introduces the image indices `0..plan.images`;
/// they are exchanged by [`image_route`], each worker runs [`process_on_worker`] on the ones
/// it receives, and every outcome is exchanged to worker 0 (key 0), which keeps them. Steps
/// the worker until the dataflow is complete and returns what reached it (everything on
/// worker 0, nothing elsewhere).
///
/// # Panics
/// If a worker's saving panics (it does not: save errors are recorded in the outcome).
pub fn run_worker(worker: &mut Worker, plan: &RunPlan) -> Vec<ImageOutcome> {
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
    let sink = plan.out.clone().map_or(Sink::Discard, Sink::NpyDir);
    let plan = plan.clone();
    let probe = worker.dataflow::<u64, _, _>(move |scope| {
        indices
            .to_stream(scope)
            .exchange(image_route)
            .map(move |index| {
                process_on_worker(index, &plan, &fft, &mut workspace, &sink, placement)
            })
            .exchange(|_| 0)
            .inspect(move |outcome| keep.borrow_mut().push(outcome.clone()))
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
// ANCHOR_END: run_worker
