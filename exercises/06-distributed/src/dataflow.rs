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
    todo!("return the exchange key of an image — book §6.2 \"Routing images to workers\"")
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
pub fn process_on_worker(
    index: u64,
    plan: &RunPlan,
    fft: &Fft2,
    workspace: &mut Workspace,
    sink: &Sink,
    placement: Placement,
) -> ImageOutcome {
    todo!(
        "run section 03's stages on one image and fill an ImageOutcome — \
         book §6.3 \"The per-image operator\""
    )
}
// ANCHOR_END: process_on_worker

// ANCHOR: run_worker
/// The dataflow on one worker: worker 0 introduces the image indices `0..plan.images`;
/// they are exchanged by [`image_route`], each worker runs [`process_on_worker`] on the ones
/// it receives, and every outcome is exchanged to worker 0 (key 0), which keeps them. Steps
/// the worker until the dataflow is complete and returns what reached it (everything on
/// worker 0, nothing elsewhere).
pub fn run_worker(worker: &mut Worker, plan: &RunPlan) -> Vec<ImageOutcome> {
    let placement = Placement::of(worker.index(), plan.workers_per_process);
    todo!(
        "build the dataflow: indices → exchange → process → exchange to worker 0 → keep — \
         book §6.4 \"Gathering at worker 0\""
    )
}
// ANCHOR_END: run_worker
