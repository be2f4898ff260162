//! Section 05 of the demonstration: a chunked array's map_overlap smooth + mean, sequential
//! vs rayon executor, against the same work on the whole array in memory; a chunk-size
//! sweep; and what the halo costs in extra reads.

use measure::{Sample, format_duration, interleaved, measure};
use solution_05::{Boundary, ChunkedArray, Executor, Stats, block_layout, seeded_pixels, smooth};

use crate::report::Report;
use crate::table::Table;

/// The array of the section: 4000 × 4000 f64 (128 MB), the tutorial's smooth (depth 1).
const SIDE: usize = 4000;
const DEPTH: usize = 1;
const SPLIT_EVERY: usize = 8;
const SEED: u64 = 5;

/// The lesson's pipeline: load (seeded) → map_overlap(1, smooth) → mean.
fn pipeline(chunk: usize) -> ChunkedArray {
    solution_05::seeded((SIDE, SIDE), (chunk, chunk), SEED)
        .expect("chunk sizes are positive")
        .map_overlap(DEPTH, Boundary::Absent, smooth)
}

fn mean_of(array: &ChunkedArray, executor: Executor) -> (f64, Stats) {
    let (summary, stats) = array
        .summary(SPLIT_EVERY, executor)
        .expect("split_every >= 2");
    (summary.mean(), stats)
}

/// Elements read by every halo block together, over the elements of the array, minus 1: the
/// fraction of extra reads (and copies) the overlap costs, edges included.
pub fn halo_extra_reads(side: usize, chunk: usize, depth: usize) -> f64 {
    let grid = solution_05::ChunkGrid::new((side, side), (chunk, chunk)).expect("positive chunks");
    let read: usize = grid
        .indices()
        .map(|c| {
            let ((r, k), _) = block_layout((side, side), &grid.region(c), depth, Boundary::Absent);
            r * k
        })
        .sum();
    read as f64 / (side * side) as f64 - 1.0
}

/// Times the pipeline and prints the section's tables.
pub fn run(runs: usize) -> Report {
    let mut report = Report::start(
        "05",
        &format!(
            "Section 05 — a chunked array: map_overlap(1, smooth) then mean, {SIDE}×{SIDE} f64 (128 MB)"
        ),
    );
    let runs = runs.clamp(1, 7);
    report.say(&format!(
        "Each row: 1 warm-up call, then the median of {runs} timed calls. The chunked rows \
         build the graph, make every chunk from its seed, assemble each halo, smooth, and \
         reduce (split_every {SPLIT_EVERY}); the in-memory rows make the whole array from the \
         same seed, smooth it and average it. The peak counts chunks held at once (the \
         largest over the runs)."
    ));

    let watch = measure::LoadWatch::start();
    let everything = solution_05::Region {
        rows: 0..SIDE,
        cols: 0..SIDE,
    };
    let load = || seeded_pixels(SEED, (SIDE, SIDE), &everything);
    let in_memory_mean =
        |smoothed: ndarray::Array2<f64>| solution_05::Summary::of_chunk(smoothed.view()).mean();
    let chunk = 500;
    let array = pipeline(chunk);
    // Both closures record into these; interleaved calls them one at a time.
    let stats = std::cell::RefCell::new(Vec::new());
    let means = std::cell::RefCell::new(Vec::new());
    // Each pair alternates (A-B, B-A, …) so a busy patch of the machine hits both.
    let (whole_sequential, whole_parallel) = interleaved(
        1,
        runs,
        || in_memory_mean(smooth(load().view())),
        || in_memory_mean(solution_02::smooth_parallel(load().view())),
    );
    let (chunked_sequential, chunked_rayon) = interleaved(
        1,
        runs,
        || {
            let (m, s) = mean_of(&array, Executor::Sequential);
            stats.borrow_mut().push((Executor::Sequential, s));
            means.borrow_mut().push(m);
        },
        || {
            let (m, s) = mean_of(&array, Executor::Rayon);
            stats.borrow_mut().push((Executor::Rayon, s));
            means.borrow_mut().push(m);
        },
    );
    let (cluster_sample, cluster_means) = on_cluster(&array, runs);
    let rows: Vec<(String, Sample)> = vec![
        (
            "in memory: load + smooth_optimised + mean".into(),
            whole_sequential,
        ),
        (
            "in memory: load + smooth_parallel + mean".into(),
            whole_parallel,
        ),
        (
            format!("chunked {chunk}², sequential executor"),
            chunked_sequential,
        ),
        (format!("chunked {chunk}², rayon executor"), chunked_rayon),
        (
            format!(
                "chunked {chunk}², section 04's local cluster ({} workers)",
                measure::cores()
            ),
            cluster_sample,
        ),
    ];
    let (stats, mut means) = (stats.into_inner(), means.into_inner());
    means.extend(cluster_means);
    let peak_of = |executor| {
        stats
            .iter()
            .filter(|(e, _)| *e == executor)
            .map(|(_, s)| s.peak_chunks)
            .max()
            .unwrap_or(0)
    };
    let sequential = rows[2].1.median().as_secs_f64();
    let chunk_mb = (chunk * chunk * 8) as f64 / 1e6;
    let mut table = Table::new(&[
        "variant",
        "median",
        "min",
        "max",
        "vs sequential",
        "peak chunks",
    ]);
    for (i, (name, sample)) in rows.iter().enumerate() {
        let peak = match i {
            2 | 3 => {
                let executor = if i == 2 {
                    Executor::Sequential
                } else {
                    Executor::Rayon
                };
                let peak = peak_of(executor);
                format!("{peak} ({:.0} MB)", peak as f64 * chunk_mb)
            }
            4 => "the scheduler's".into(),
            _ => "whole array (128 MB + 128 MB)".into(),
        };
        table.row(vec![
            name.clone(),
            format_duration(sample.median()),
            format_duration(sample.min()),
            format_duration(sample.max()),
            format!("{:.2}x", sequential / sample.median().as_secs_f64()),
            peak,
        ]);
    }
    report.table(&table, &watch);
    let identical = means.windows(2).all(|w| w[0].to_bits() == w[1].to_bits());
    report.say(&format!(
        "Mean {:.12} from every chunked run ({}); the whole-array mean differs from it by {:.1e}.",
        means[0],
        if identical {
            "bit-identical across the three executors"
        } else {
            "NOT bit-identical: a bug"
        },
        (means[0] - in_memory_mean(smooth(load().view()))).abs()
    ));

    let watch = measure::LoadWatch::start();
    let mut sweep = Table::new(&[
        "chunk",
        "chunks",
        "graph nodes",
        "median (rayon)",
        "per task",
        "peak chunks (MB)",
        "halo extra reads",
    ]);
    for chunk in [125, 250, 500, 1000, 2000, 4000] {
        let array = pipeline(chunk);
        let nodes = array
            .reduction(SPLIT_EVERY)
            .expect("split_every >= 2")
            .0
            .len();
        let mut last = Stats::default();
        let sample = measure(1, runs.min(5), || last = mean_of(&array, Executor::Rayon).1);
        let chunks = array.grid().len();
        sweep.row(vec![
            format!("{chunk}²"),
            chunks.to_string(),
            nodes.to_string(),
            format_duration(sample.median()),
            format_duration(sample.median() / last.tasks_run as u32),
            format!(
                "{} ({:.0})",
                last.peak_chunks,
                last.peak_chunks as f64 * (chunk * chunk * 8) as f64 / 1e6
            ),
            format!("{:.2}%", 100.0 * halo_extra_reads(SIDE, chunk, DEPTH)),
        ]);
    }
    report.say("Chunk-size sweep (rayon executor, same array and pipeline):");
    report.table(&sweep, &watch);

    let mut halo = Table::new(&["chunk side c", "depth 1", "depth 2", "depth 8"]);
    for c in [64, 125, 250, 500, 1000, 4000] {
        let mut cells = vec![format!("{c}")];
        for d in [1, 2, 8] {
            cells.push(format!(
                "{:.2}%",
                100.0 * ((1.0 + 2.0 * d as f64 / c as f64).powi(2) - 1.0)
            ));
        }
        halo.row(cells);
    }
    report.say(
        "Halo duplication of an interior chunk, (1 + 2d/c)² − 1: the extra elements each block \
         reads and copies (computed, not timed; the sweep's last column counts the real grid, \
         whose edge chunks read less):",
    );
    report.say(&halo.markdown());
    report
}

/// The same pipeline on section 04's local cluster: one cluster for all runs, like a Dask
/// `Client` kept open in a notebook. Returns the timings and the means.
fn on_cluster(array: &ChunkedArray, runs: usize) -> (Sample, Vec<f64>) {
    let cluster = solution_04::local_cluster(measure::cores()).expect("at least one core");
    let client = cluster.client();
    let mut means = Vec::new();
    let sample = measure(1, runs, || {
        let summary = array
            .summary_on_cluster(SPLIT_EVERY, &client)
            .expect("the pipeline's tasks do not fail");
        means.push(summary.mean());
    });
    cluster.close();
    (sample, means)
}
