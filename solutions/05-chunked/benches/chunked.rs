//! Instructor benchmarks for section 05: `cargo bench -p solution-05`.
//!
//! 1. The lesson's pipeline — seeded load → map_overlap(1, smooth) → mean — on a 4000 × 4000
//!    f64 array (128 MB) in 500 × 500 chunks: the sequential executor vs the rayon executor.
//! 2. A chunk-size sweep with the rayon executor (250² … 4000²): small chunks pay the
//!    per-task overhead and the halo, large ones leave cores idle (one 4000² chunk is one task).
//!
//! The 20,000² run (3.2 GB) is left to the demo's larger-than-RAM mode, which is not
//! written yet: a criterion sample of it would take minutes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use solution_05::{Boundary, ChunkedArray, Executor, smooth};

const SIDE: usize = 4000;

fn pipeline(chunk: usize) -> ChunkedArray {
    solution_05::seeded((SIDE, SIDE), (chunk, chunk), 5)
        .expect("positive chunks")
        .map_overlap(1, Boundary::Absent, smooth)
}

fn executors(c: &mut Criterion) {
    let array = pipeline(500);
    let mut group = c.benchmark_group("overlap_smooth_mean_4000x4000_chunks_500");
    group.throughput(Throughput::Elements((SIDE * SIDE) as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    for (name, executor) in [
        ("sequential", Executor::Sequential),
        ("rayon", Executor::Rayon),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(array.mean(8, executor).expect("split_every >= 2")))
        });
    }
    group.finish();
}

fn chunk_sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlap_smooth_mean_4000x4000_rayon_by_chunk");
    group.throughput(Throughput::Elements((SIDE * SIDE) as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for chunk in [250, 500, 1000, 2000, 4000] {
        let array = pipeline(chunk);
        group.bench_with_input(BenchmarkId::from_parameter(chunk), &array, |b, array| {
            b.iter(|| black_box(array.mean(8, Executor::Rayon).expect("split_every >= 2")))
        });
    }
    group.finish();
}

criterion_group!(benches, executors, chunk_sweep);
criterion_main!(benches);
