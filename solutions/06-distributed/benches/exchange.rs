//! Instructor benchmarks for section 06: `cargo bench -p solution-06`.
//!
//! - `exchange/encode_decode_outcome`: one image's outcome (checksum, times, placement and
//!   a 32 × 32 power summary, 8 KiB) encoded and decoded as timely does between processes
//!   (bincode): the CPU side of sending it to worker 0.
//! - `exchange/power_summary_1000`: downsampling one 1000 × 1000 spectrum to 32 × 32: what
//!   the aggregation adds to each image's compute.
//! - `exchange/dataflow_1_process_2_workers_20_images_256`: the whole dataflow in one process
//!   on 2 workers (the exchange within a process, no network), 20 images of 256 × 256.
//!
//! `cargo xtask demo 06` measures the runs across processes (loopback) against rayon.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use solution_06::{
    Fft2, ImageOutcome, Layout, Placement, RunPlan, SUMMARY_SIDE, load_eo_data, power_summary,
    run_process, smooth,
};

fn exchange(c: &mut Criterion) {
    let shape = (1000, 1000);
    let spectrum = Fft2::new(shape).forward(smooth(load_eo_data(0, shape).view()).view());
    let outcome = ImageOutcome {
        index: 0,
        checksum: 1,
        stage_nanos: [1; 4],
        placement: Placement {
            process: 0,
            worker: 0,
        },
        power: power_summary(spectrum.view(), SUMMARY_SIDE),
        save_error: None,
    };
    let mut group = c.benchmark_group("exchange");
    group.throughput(Throughput::Bytes(outcome.wire_bytes()));
    group.bench_function("encode_decode_outcome", |b| {
        b.iter(|| ImageOutcome::from_wire(&black_box(&outcome).to_wire()))
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("power_summary_1000", |b| {
        b.iter(|| power_summary(black_box(spectrum.view()), SUMMARY_SIDE))
    });
    group.sample_size(10);
    let plan = RunPlan::new(20, (256, 256), 2);
    group.throughput(Throughput::Elements(20));
    group.bench_function("dataflow_1_process_2_workers_20_images_256", |b| {
        b.iter(|| run_process(&Layout::single(), &plan, solution_06::run_worker))
    });
    group.finish();
}

criterion_group!(benches, exchange);
criterion_main!(benches);
