//! The Rust side: the course's reference solutions on the same workloads as `steps.py`,
//! with the same number of timed samples per row.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ndarray::{Array1, Array2, ArrayView1, ArrayViewMut1};
use solution_03::{
    FFT2_SWEEP_SHAPES, Fft2, FftWork, PipelineConfig, Sink, TUTORIAL_SHAPE, load_eo_data,
    run_parallel, run_sequential,
};
use solution_04::{LocalCluster, fire_and_forget, local_cluster, submit_image, wait};

use super::sweep::{Kind, SweepKey};
use super::{Step, Workload};

/// Samples of one row: its key (as `steps.py` names the Python row) and seconds per call
/// or per image.
type Row = (&'static str, Vec<f64>);

/// The tutorial's vector length: `2000*2000`.
const ADD_LEN: usize = 2000 * 2000;

/// The in-place add's other sizes, as `steps.py`'s: three arrays of 2 MiB (together well
/// inside a 32 MiB level-3 cache), and of 512 MiB (far outside any cache).
const ADD_CACHED_LEN: usize = 256 * 1024;
const ADD_LARGE_LEN: usize = 64 << 20;

/// Longest wait for one cluster run; only a hang reaches it.
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(600);

/// Seconds of `calls` timed calls of `f` after one untimed call (as `steps.py` does); each
/// result is dropped inside the timing, like Python's.
fn timed<R>(calls: u32, mut f: impl FnMut() -> R) -> Vec<f64> {
    drop(black_box(f()));
    (0..calls)
        .map(|_| {
            let start = Instant::now();
            drop(black_box(f()));
            start.elapsed().as_secs_f64()
        })
        .collect()
}

/// One round of `step`. `first_round` is the only round whose smooth call is the first
/// of the process, so only it yields a "first call" sample. Errors: a failed run, named.
pub fn run_step(step: Step, work: Workload, first_round: bool) -> Result<Vec<Row>, String> {
    Ok(match step {
        Step::Add => add(work),
        Step::Smooth => smooth(work, first_round),
        Step::Fft2Sweep => Vec::new(), // see `fft2_sweep`
        Step::Fft2 => {
            let image = load_eo_data(0, TUTORIAL_SHAPE);
            let fft = Fft2::new(TUTORIAL_SHAPE);
            vec![("fft2", timed(work.repeats, || fft.forward(image.view())))]
        }
        Step::Pipeline => pipeline(work)?,
        Step::Dask => cluster(work)?,
        Step::Bridge => bridge(work)?,
        Step::Chunked => vec![
            ("chunked", chunked(work.repeats, 1000)),
            ("chunked.small", chunked(work.slow_repeats(), 250)),
        ],
    })
}

/// The `fft2-sweep` step: `Fft2::forward_into` and `forward_half_into` at every shape of
/// `FFT2_SWEEP_SHAPES`, with the plan, work buffers and outputs reused across calls (as a
/// pipeline thread runs them); images above 4 M pixels get a fifth of the samples, as in
/// `steps.py`.
pub fn fft2_sweep(work: Workload) -> Vec<(SweepKey, Vec<f64>)> {
    let mut rows = Vec::new();
    for shape in FFT2_SWEEP_SHAPES {
        let image = load_eo_data(0, shape);
        let fft = Fft2::new(shape);
        let mut fft_work = FftWork::default();
        let calls = if shape.0 * shape.1 > 4_200_000 {
            work.slow_repeats()
        } else {
            work.repeats
        };
        let mut full = Array2::zeros(shape);
        rows.push((
            (Kind::Full, shape),
            timed(calls, || {
                fft.forward_into(image.view(), &mut fft_work, full.view_mut())
            }),
        ));
        drop(full);
        let mut half = Array2::zeros((shape.0, shape.1 / 2 + 1));
        rows.push((
            (Kind::Half, shape),
            timed(calls, || {
                fft.forward_half_into(image.view(), &mut fft_work, half.view_mut())
            }),
        ));
    }
    rows
}

fn add(work: Workload) -> Vec<Row> {
    // Two arrays, as in the tutorial (X and Y): one array twice would read half the memory.
    // numpy puts every array of 4 MiB or more on 2 MiB pages (madvise); so do these, so that
    // both sides' adds stream through the same kind of memory (book §1.4).
    let (x, y) = (
        counting_on_huge_pages(ADD_LEN),
        counting_on_huge_pages(ADD_LEN),
    );
    let (xv, yv) = (ArrayView1::from(&x), ArrayView1::from(&y));
    let (boxed_x, boxed_y) = (solution_01::py_list(&x), solution_01::py_list(&y));
    let mut out = Array1::from(solution_01::pages::vec_on_huge_pages(ADD_LEN, 0_i64));
    let mut rows = vec![
        (
            "add.list",
            timed(work.slow_repeats(), || {
                solution_01::naive_add(&boxed_x, &boxed_y)
            }),
        ),
        (
            "add.numpy",
            timed(work.repeats, || solution_01::vectorised_add(xv, yv)),
        ),
        (
            "add.inplace",
            timed(work.repeats, || {
                solution_01::add_into(xv, yv, out.view_mut())
            }),
        ),
        (
            "add.copy",
            timed(work.repeats, || {
                out.as_slice_mut().expect("contiguous").copy_from_slice(&x)
            }),
        ),
    ];
    rows.extend(add_into_at(
        ADD_CACHED_LEN,
        "add.inplace.cached",
        None,
        work.repeats,
    ));
    rows.extend(add_into_at(
        ADD_LARGE_LEN,
        "add.inplace.large",
        Some("add.copy.large"),
        work.slow_repeats(),
    ));
    rows
}

/// `0, 1, 2, …` (numpy's `np.arange(len)`), on 2 MiB pages where numpy's array would be.
fn counting_on_huge_pages(len: usize) -> Vec<i64> {
    let mut vec = solution_01::pages::vec_on_huge_pages(len, 0_i64);
    vec.iter_mut().zip(0..).for_each(|(v, i)| *v = i);
    vec
}

/// `add_into` on arrays of `len` elements (on 2 MiB pages where numpy's would be), as row
/// `key`, and, when `copy_key` is given, a plain copy of one of them as that row.
fn add_into_at(
    len: usize,
    key: &'static str,
    copy_key: Option<&'static str>,
    calls: u32,
) -> Vec<Row> {
    let (x, y) = (counting_on_huge_pages(len), counting_on_huge_pages(len));
    let mut out = solution_01::pages::vec_on_huge_pages(len, 0_i64);
    let mut rows = vec![(
        key,
        timed(calls, || {
            solution_01::add_into(
                ArrayView1::from(&x),
                ArrayView1::from(&y),
                ArrayViewMut1::from(&mut out[..]),
            )
        }),
    )];
    if let Some(copy_key) = copy_key {
        rows.push((copy_key, timed(calls, || out.copy_from_slice(&x))));
    }
    rows
}

fn smooth(work: Workload, first_round: bool) -> Vec<Row> {
    let image = load_eo_data(0, TUTORIAL_SHAPE);
    let mut rows = Vec::new();
    if first_round {
        let start = Instant::now();
        drop(black_box(solution_02::smooth_optimised(image.view())));
        rows.push(("smooth.first", vec![start.elapsed().as_secs_f64()]));
    }
    let smooth = || solution_02::smooth_optimised(image.view());
    rows.push(("smooth.steady", timed(work.repeats, smooth)));
    // The same kernel again, timed separately, as the counterpart of scipy's filter.
    rows.push(("smooth.library", timed(work.repeats, smooth)));
    rows
}

fn pipeline(work: Workload) -> Result<Vec<Row>, String> {
    let config = PipelineConfig::new(work.images, TUTORIAL_SHAPE);
    // Like steps.py, no untimed run first: a run of many images is its own warm-up.
    let per_image = (0..work.slow_repeats())
        .map(|_| {
            run_sequential(&config)
                .map(|report| report.wall.as_secs_f64() / work.images as f64)
                .map_err(|e| format!("the Rust sequential pipeline failed: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![("pipeline", per_image)])
}

/// The tutorial's last cell on the course's cluster, shaped like `steps.py`'s: start the
/// cluster, one untimed run, then timed runs of the submit loop (every save future handed
/// to `fire_and_forget` and also kept) and of the wait for all of them.
fn cluster(work: Workload) -> Result<Vec<Row>, String> {
    let failed = |e: solution_04::ClusterError| format!("the Rust cluster run failed: {e}");
    let start = Instant::now();
    let cluster = local_cluster(LocalCluster::default_workers()).map_err(failed)?;
    let startup = start.elapsed().as_secs_f64();
    let client = cluster.client();
    let fft = Arc::new(Fft2::new(TUTORIAL_SHAPE));
    let sink = Arc::new(Sink::Discard);
    let submit_loop = || -> Result<(f64, f64), solution_04::ClusterError> {
        let start = Instant::now();
        let mut saves = Vec::with_capacity(work.images as usize);
        for index in 0..work.images {
            let future = submit_image(&client, index, TUTORIAL_SHAPE, &fft, &sink)?;
            fire_and_forget(future.clone());
            saves.push(future);
        }
        let submitted = start.elapsed().as_secs_f64();
        wait(&saves, CLUSTER_TIMEOUT)?;
        let done = start.elapsed().as_secs_f64();
        for save in &saves {
            save.result_timeout(Duration::ZERO)?;
        }
        Ok((submitted, done))
    };
    let runs = submit_loop().and_then(|_cold| {
        (0..work.slow_repeats())
            .map(|_| submit_loop())
            .collect::<Result<Vec<_>, _>>()
    });
    cluster.close();
    let runs = runs.map_err(failed)?;
    let per_image = |secs: f64| secs / work.images as f64;
    Ok(vec![
        ("dask.startup", vec![startup]),
        ("dask.submit", runs.iter().map(|r| per_image(r.0)).collect()),
        ("dask.done", runs.iter().map(|r| per_image(r.1)).collect()),
    ])
}

/// The Rust counterparts of the `bridge` step: the same kernels called directly, the same
/// rayon run, and one run of the course's cluster whose per-image samples stand against
/// every Dask cluster of the step ([`CLUSTER_ROWS`](super::rows::CLUSTER_ROWS)).
fn bridge(work: Workload) -> Result<Vec<Row>, String> {
    let image = load_eo_data(0, TUTORIAL_SHAPE);
    let threads = measure::cores();
    let config = PipelineConfig::new(work.images, TUTORIAL_SHAPE);
    let mut parallel = Vec::new();
    for _ in 0..work.slow_repeats() {
        let report = run_parallel(&config, threads)
            .map_err(|e| format!("the Rust parallel pipeline failed: {e}"))?;
        parallel.push(report.wall.as_secs_f64() / work.images as f64);
    }
    let mut rows = vec![
        (
            "bridge.smooth",
            timed(work.repeats, || solution_02::smooth_optimised(image.view())),
        ),
        (
            "bridge.fft2",
            timed(work.repeats, || solution_03::fft2(image.view())),
        ),
        ("bridge.rayon", parallel),
    ];
    let on_cluster = cluster(work)?
        .into_iter()
        .find(|(key, _)| *key == "dask.done")
        .map(|(_, samples)| samples)
        .expect("cluster() reports dask.done");
    for &key in super::rows::CLUSTER_ROWS {
        rows.push((key, on_cluster.clone()));
    }
    Ok(rows)
}

/// `steps.py chunked`'s workload: 4000² f64 in `chunk`² chunks, map_overlap smooth, mean.
fn chunked(calls: u32, chunk: usize) -> Vec<f64> {
    use solution_05::{Boundary, Executor, smooth};
    timed(calls, || {
        solution_05::seeded((4000, 4000), (chunk, chunk), 5)
            .expect("positive chunks")
            .map_overlap(1, Boundary::Absent, smooth)
            .mean(8, Executor::Rayon)
            .expect("split_every >= 2")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::rows::row_key;

    #[test]
    fn every_step_gives_known_rows_with_positive_samples() {
        let work = Workload {
            repeats: 1,
            images: 2,
        };
        for step in Step::ALL {
            for (key, samples) in run_step(step, work, true).expect("the step runs") {
                assert_eq!(row_key(key), Ok(key));
                assert!(
                    !samples.is_empty() && samples.iter().all(|&s| s > 0.0),
                    "{key}"
                );
            }
        }
    }
}
