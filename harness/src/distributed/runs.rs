//! §6.2–6.4 — whole runs on loopback: the same checksums as section 03 for every layout,
//! every image exactly once on its own worker, and the aggregate at worker 0.

use given_06::{
    Fft2, PipelineConfig, load_eo_data, mean_summary, power_summary, run_sequential, smooth,
};

use super::loopback::{self, Finished, Request, serve_if_child};
use super::{BOOK_GATHER, BOOK_ROUTING, DistributedApi};

const SIDE: usize = 64;
const SUMMARY_SIDE: usize = 8;

fn request(processes: usize, workers: usize, images: u64) -> Request {
    Request {
        processes,
        workers,
        images,
        side: SIDE,
        summary_side: SUMMARY_SIDE,
    }
}

/// What a run that failed to report, or reported an error, says, with the likely cause.
fn run_failed(layout: &str, e: &str) -> ! {
    let hint = if e.contains("more than once") {
        "an image was processed on several workers: exchange each index to one worker, do not \
         broadcast"
    } else if e.contains("never reached worker 0") {
        "send every outcome to worker 0 (exchange with key 0) and keep what arrives there"
    } else {
        "the run did not complete"
    };
    panic!("{layout}: {e}\n  {hint}\n  read: {BOOK_GATHER}")
}

fn finished_or_fail(layout: &str, result: Result<Finished, String>) -> Finished {
    match result {
        Err(e) => run_failed(layout, &e),
        Ok(f) => match &f.error {
            Some(e) => run_failed(layout, e),
            None => f,
        },
    }
}

/// 12 images of 64 × 64 on P ∈ {1, 2, 3} processes × W ∈ {1, 2} workers, all six runs at once
/// on loopback: worker 0 gets every image's checksum, equal to section 03's sequential run.
pub fn correctness_checksums_match_sequential_on_loopback(api: &DistributedApi) {
    serve_if_child(api);
    let images = 12;
    let layouts = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)];
    let started: Vec<_> = layouts
        .iter()
        .map(|&(p, w)| loopback::start(request(p, w, images)))
        .collect();
    let expected = run_sequential(&PipelineConfig::new(images, (SIDE, SIDE)))
        .expect("section 03's sequential run")
        .checksums();
    for ((p, w), run) in layouts.into_iter().zip(started) {
        let layout = format!("{images} images on {p} process(es) x {w} worker(s)");
        let finished = finished_or_fail(&layout, loopback::finish(run, loopback::RUN_DEADLINE));
        let mut got: Vec<(u64, u64)> = finished
            .outcomes
            .iter()
            .map(|o| (o.index, o.checksum))
            .collect();
        got.sort_unstable();
        if got != expected {
            let first = expected
                .iter()
                .zip(&got)
                .find(|(e, g)| e != g)
                .map_or("the number of images".to_string(), |(e, _)| {
                    format!("image {}", e.0)
                });
            panic!(
                "{layout}: the checksums differ from section 03's sequential run, first at \
                 {first}\n  read: {BOOK_GATHER}"
            );
        }
    }
}

/// 13 images on 2 processes × 2 workers: each image reaches worker 0 exactly once, processed
/// on worker `index % 4` or so — every worker processes 3 or 4 of them — and the process it
/// names is the one that worker belongs to.
pub fn properties_every_image_once_on_its_own_worker(api: &DistributedApi) {
    serve_if_child(api);
    let (processes, workers, images) = (2, 2, 13u64);
    let layout = format!("{images} images on {processes} processes x {workers} workers");
    let finished = finished_or_fail(&layout, loopback::run(request(processes, workers, images)));
    let mut seen = vec![0u32; images as usize];
    for o in &finished.outcomes {
        if let Some(n) = seen.get_mut(o.index as usize) {
            *n += 1;
        }
    }
    if let Some(index) = seen.iter().position(|&n| n != 1) {
        run_failed(
            &layout,
            &format!("image {index} reached worker 0 {} times", seen[index])
                .replace("0 times", "never")
                .replace(" 2 times", " more than once"),
        );
    }
    let peers = processes * workers;
    let mut per_worker = vec![0u64; peers];
    for o in &finished.outcomes {
        if o.worker >= peers || o.process != o.worker / workers {
            panic!(
                "{layout}: image {} says it was processed on worker {} of process {}; there \
                 are workers 0..{peers}, {workers} per process\n  read: {BOOK_ROUTING}",
                o.index, o.worker, o.process
            );
        }
        per_worker[o.worker] += 1;
    }
    let (least, most) = (
        per_worker.iter().min().copied().unwrap_or(0),
        per_worker.iter().max().copied().unwrap_or(0),
    );
    if most - least > 1 {
        panic!(
            "{layout}: images per worker {per_worker:?}; every worker should process 3 or 4 \
             (exchange by the image index)\n  read: {BOOK_ROUTING}"
        );
    }
}

/// Relative tolerance of the aggregate. The mean of 12 positive summaries added in another
/// order differs by a few ulps (≤ 12 × 2⁻⁵³ ≈ 1.3e-15 relative); anything coarser than
/// 1e-12 is a different computation (e.g. values rounded to `f32` on the wire, ~6e-8).
pub const AGGREGATE_TOLERANCE: f64 = 1e-12;

/// 12 images on 3 processes: worker 0's mean power summary equals the mean of section 03's
/// spectra's summaries, computed here in one process, within [`AGGREGATE_TOLERANCE`].
pub fn correctness_aggregate_matches_one_process(api: &DistributedApi) {
    serve_if_child(api);
    let images = 12u64;
    let layout = format!("{images} images on 3 processes x 1 worker");
    let finished = finished_or_fail(&layout, loopback::run(request(3, 1, images)));
    let fft = Fft2::new((SIDE, SIDE));
    let summaries: Vec<Vec<f64>> = (0..images)
        .map(|i| {
            let spectrum = fft.forward(smooth(load_eo_data(i, (SIDE, SIDE)).view()).view());
            power_summary(spectrum.view(), SUMMARY_SIDE)
        })
        .collect();
    let expected = mean_summary(summaries.iter().map(Vec::as_slice));
    if finished.mean_power.len() != expected.len() {
        panic!(
            "{layout}: the mean power summary has {} values, expected {}\n  read: {BOOK_GATHER}",
            finished.mean_power.len(),
            expected.len()
        );
    }
    for (k, (got, want)) in finished.mean_power.iter().zip(&expected).enumerate() {
        let relative = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
        if relative.is_nan() || relative > AGGREGATE_TOLERANCE {
            panic!(
                "{layout}: mean power value {k} is {got:e}, one process computes {want:e} \
                 (relative difference {relative:.1e}, tolerance {AGGREGATE_TOLERANCE:e}): send \
                 each image's summary unchanged\n  read: {BOOK_GATHER}"
            );
        }
    }
}
