//! Instructor benchmarks for section 05: `cargo bench -p solution-05`.
//!
//! The lesson's pipeline — seeded load → map_overlap(1, smooth) → mean — on a 20,000 ×
//! 20,000 f64 array (3.2 GB if it were in memory; it never is, every chunk is made, smoothed
//! and reduced in turn):
//! 1. in 1,000² chunks, the three executors: sequential, rayon, and section 04's local
//!    cluster (one cluster of `cores` workers for every sample, like a Dask `Client` kept open);
//! 2. a chunk-size sweep with the rayon executor, 250² … 4,000²: small chunks pay the per-task
//!    overhead (25,600 tasks of 250² on top of the reduction tree), large ones leave cores
//!    idle at the end and hold more memory (25 chunks of 4,000², 128 MB each).
//!
//! One sample takes seconds, so each group takes criterion's minimum of 10 samples: the
//! whole run takes about 10 minutes on a 2-core machine. For a short run, set
//! `CHUNKED_BENCH_SIDE` (e.g. `CHUNKED_BENCH_SIDE=8000 cargo bench -p solution-05`): the same
//! groups on a smaller array (the group names say the side).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use solution_05::{Boundary, ChunkedArray, Executor, smooth};

/// The side, unless `CHUNKED_BENCH_SIDE` asks for another.
fn side() -> usize {
    std::env::var("CHUNKED_BENCH_SIDE")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&s| s > 0)
        .unwrap_or(20_000)
}

const SPLIT_EVERY: usize = 8;

fn pipeline(side: usize, chunk: usize) -> ChunkedArray {
    solution_05::seeded((side, side), (chunk, chunk), 5)
        .expect("positive chunks")
        .map_overlap(1, Boundary::Absent, smooth)
}

fn big_group<'a>(
    c: &'a mut Criterion,
    name: &str,
    side: usize,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(format!("{name}_{side}x{side}"));
    group.throughput(Throughput::Bytes((side * side * 8) as u64));
    // Criterion's minimum; a sample of the 20,000² pipeline takes seconds.
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group
}

fn executors(c: &mut Criterion) {
    let side = side();
    let array = pipeline(side, 1000);
    let mut group = big_group(c, "overlap_smooth_mean_chunks_1000", side);
    for (name, executor) in [
        ("sequential", Executor::Sequential),
        ("rayon", Executor::Rayon),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(array.mean(SPLIT_EVERY, executor).expect("split_every >= 2")))
        });
    }
    let cluster = solution_04::local_cluster(measure::cores()).expect("at least one core");
    let client = cluster.client();
    group.bench_function("local_cluster", |b| {
        b.iter(|| {
            black_box(
                array
                    .summary_on_cluster(SPLIT_EVERY, &client)
                    .expect("the pipeline's tasks do not fail")
                    .mean(),
            )
        })
    });
    group.finish();
    cluster.close();
}

fn chunk_sweep(c: &mut Criterion) {
    let side = side();
    let mut group = big_group(c, "overlap_smooth_mean_rayon_by_chunk", side);
    for chunk in [250, 500, 1000, 2000, 4000] {
        let array = pipeline(side, chunk);
        group.bench_with_input(BenchmarkId::from_parameter(chunk), &array, |b, array| {
            b.iter(|| {
                black_box(
                    array
                        .mean(SPLIT_EVERY, Executor::Rayon)
                        .expect("split_every >= 2"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, executors, chunk_sweep);
criterion_main!(benches);
