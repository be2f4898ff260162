//! Instructor benchmarks for section 02: `cargo bench -p solution-02`.
//!
//! 1. The three variants on the tutorial's 1000 × 1000 image, `smooth_optimised_into`
//!    into an existing array, and a plain copy of the image (the floor).
//! 2. A size sweep of the optimised kernel from cache-resident (64 × 64, 32 KB) to
//!    memory-bound (4000 × 4000, 128 MB), to see where memory bandwidth takes over.
//!
//! Throughput is reported two ways: pixels per second (criterion's "elements") and, in a
//! second group, bytes per second counting one read of the input and one write of the output
//! (16 bytes per pixel), the least any smooth must move.
//!
//! Performance goals at 1000 × 1000 (course issue 11), as ratios within one run:
//! - `optimised_into` (into an existing array, as the pipeline calls it) at most 1.3x the
//!   time of `copy`, which reads and writes the image once and so is the least any smooth
//!   must do — both are in each group, so compare their lines;
//! - `optimised` at least 5x faster than numba's steady state, which `cargo xtask compare`
//!   measures beside it (criterion has no Python side).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use measure::seeded_image;
use solution_02::{
    TUTORIAL_SHAPE, smooth_naive, smooth_optimised, smooth_optimised_into, smooth_parallel,
};

const BYTES_PER_PIXEL: u64 = 16;

fn tutorial_size(c: &mut Criterion) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let pixels = (TUTORIAL_SHAPE.0 * TUTORIAL_SHAPE.1) as u64;
    for (group_name, throughput) in [
        ("smooth_1000x1000_pixels", Throughput::Elements(pixels)),
        (
            "smooth_1000x1000_bytes",
            Throughput::Bytes(BYTES_PER_PIXEL * pixels),
        ),
    ] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(throughput);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(3));
        group.bench_function("naive", |b| {
            b.iter(|| smooth_naive(black_box(image.view())))
        });
        group.bench_function("optimised", |b| {
            b.iter(|| smooth_optimised(black_box(image.view())))
        });
        group.bench_function("parallel", |b| {
            b.iter(|| smooth_parallel(black_box(image.view())))
        });
        let (mut out, mut column_sums) = (image.clone(), Vec::new());
        group.bench_function("optimised_into", |b| {
            b.iter(|| {
                smooth_optimised_into(black_box(image.view()), out.view_mut(), &mut column_sums)
            })
        });
        group.bench_function("copy", |b| b.iter(|| out.assign(black_box(&image))));
        group.finish();
    }
}

fn size_sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("smooth_optimised_sweep");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for side in [64_usize, 256, 1000, 2000, 4000] {
        let image = seeded_image(1, (side, side));
        group.throughput(Throughput::Bytes(BYTES_PER_PIXEL * (side * side) as u64));
        group.bench_with_input(BenchmarkId::new("optimised", side), &image, |b, image| {
            b.iter(|| smooth_optimised(black_box(image.view())))
        });
        group.bench_with_input(BenchmarkId::new("parallel", side), &image, |b, image| {
            b.iter(|| smooth_parallel(black_box(image.view())))
        });
    }
    group.finish();
}

criterion_group!(benches, tutorial_size, size_sweep);
criterion_main!(benches);
