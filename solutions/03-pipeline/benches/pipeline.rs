//! Instructor benchmarks for section 03: `cargo bench -p solution-03`.
//!
//! - `stages_1000x1000`: each stage alone on one tutorial-sized image, including both 2-D
//!   FFTs (real-input [`Fft2`] and all-complex [`ComplexFft2`]); throughput in images/s.
//! - `pipeline_16_images`: the whole pipeline, sequential vs parallel on every core.
//! - `scaling_16_images`: the parallel run with 1, 2, … threads, up to twice the cores
//!   (more threads than cores shows what oversubscription costs).
//!
//! glibc's default allocator settings throughout: the runs reuse one workspace per thread
//! and the FFT benches reuse their work buffers and output, so no iteration page-faults
//! fresh memory in (book §3.4). `fft2_planning_each_call` and `fft2_all_complex` allocate
//! their results each call, as their callers would.
//!
//! The Python side (`np.fft.fft2`, the numpy + numba pipeline) is measured on the same
//! machine, alternating with the Rust, by `cargo xtask compare`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use solution_03::{
    ComplexFft2, Fft2, FftWork, PipelineConfig, TUTORIAL_SHAPE, load_eo_data, run_parallel,
    run_sequential, smooth, spectrum_checksum,
};

const IMAGES: u64 = 16;

fn stages(c: &mut Criterion) {
    let image = load_eo_data(0, TUTORIAL_SHAPE);
    let smoothed = smooth(image.view());
    let fft = Fft2::new(TUTORIAL_SHAPE);
    let complex = ComplexFft2::new(TUTORIAL_SHAPE);
    let spectrum = fft.forward(smoothed.view());
    let mut work = FftWork::default();
    let mut out = spectrum.clone();

    let mut group = c.benchmark_group("stages_1000x1000");
    group.throughput(Throughput::Elements(1));
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("load_eo_data", |b| {
        b.iter(|| load_eo_data(black_box(7), TUTORIAL_SHAPE))
    });
    group.bench_function("smooth", |b| b.iter(|| smooth(black_box(image.view()))));
    group.bench_function("fft2_real_input (Fft2)", |b| {
        b.iter(|| fft.forward_into(black_box(smoothed.view()), &mut work, out.view_mut()))
    });
    group.bench_function("fft2_all_complex (ComplexFft2)", |b| {
        b.iter(|| complex.forward(black_box(smoothed.view())))
    });
    group.bench_function("fft2_planning_each_call", |b| {
        b.iter(|| solution_03::fft2(black_box(smoothed.view())))
    });
    group.bench_function("spectrum_checksum", |b| {
        b.iter(|| spectrum_checksum(black_box(spectrum.view())))
    });
    group.finish();
}

fn pipelines(c: &mut Criterion) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let config = PipelineConfig::new(IMAGES, TUTORIAL_SHAPE);

    let mut group = c.benchmark_group("pipeline_16_images");
    group.throughput(Throughput::Elements(IMAGES));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("sequential", |b| b.iter(|| run_sequential(&config)));
    group.bench_function(format!("parallel_{cores}_threads"), |b| {
        b.iter(|| run_parallel(&config, cores))
    });
    group.finish();

    let mut scaling = c.benchmark_group("scaling_16_images");
    scaling.throughput(Throughput::Elements(IMAGES));
    scaling.sample_size(10);
    scaling.warm_up_time(Duration::from_secs(1));
    scaling.measurement_time(Duration::from_secs(4));
    for threads in (1..=cores).chain([2 * cores, 4 * cores]) {
        scaling.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| run_parallel(&config, threads))
        });
    }
    scaling.finish();
}

criterion_group!(benches, stages, pipelines);
criterion_main!(benches);
