//! Instructor benchmarks for section 04: `cargo bench -p solution-04`.
//!
//! - `task_overhead/submit_to_result`: one trivial task, submitted and waited for: the
//!   round trip client → scheduler → worker → future (one worker wake-up; the client spins
//!   up to 50 µs before it parks, book §4.7). `cargo xtask
//!   compare` measures Dask's client time per submitted image beside ours.
//! - `task_throughput/100k_trivial_tasks`: 100,000 trivial tasks submitted with `map` and
//!   gathered: the cluster's per-task cost when the workers are kept busy.
//! - before those, printed: the CPU time an idle cluster uses over 2 s after a task (the
//!   price of the waiters' spin before parking, book §4.7), from
//!   `/proc/self/stat` (utime + stime, 10 ms ticks).
//! - `pipeline_100_images/{sequential,rayon,cluster}`: section 03's pipeline over 100
//!   images of 1000 × 1000, one machine core per worker or thread. Goals: the cluster within
//!   10% of rayon, and ≥ 1.7x faster than sequential on 2 cores. (`cargo xtask demo 04`
//!   runs 1000 images, alternating the three.)

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use solution_03::{PipelineConfig, TUTORIAL_SHAPE, run_parallel, run_sequential};
use solution_04::{LocalCluster, local_cluster, run_on_cluster};

const THROUGHPUT_TASKS: u64 = 100_000;
const WAIT: Duration = Duration::from_secs(60);

/// This process's CPU time so far (user + system), from `/proc/self/stat`; `None` off Linux.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // /proc reports in USER_HZ ticks, 100 per second on every Linux architecture.
    Some(Duration::from_millis(ticks * 10))
}

fn task_overhead(c: &mut Criterion) {
    let cluster = local_cluster(LocalCluster::default_workers()).expect("a cluster");
    let client = cluster.client();

    // An idle cluster must cost (almost) nothing: the spin before parking is bounded.
    let one = client.submit("noop", || 1_u64).expect("submit");
    one.result_timeout(WAIT).expect("result");
    if let Some(before) = process_cpu() {
        std::thread::sleep(Duration::from_secs(2));
        let used = process_cpu().unwrap_or(before).saturating_sub(before);
        println!(
            "idle cluster ({} workers): {:.0} ms of CPU over 2 s",
            cluster.workers(),
            used.as_secs_f64() * 1e3
        );
    }

    let mut group = c.benchmark_group("task_overhead");
    group.throughput(Throughput::Elements(1));
    group.bench_function("submit_to_result", |b| {
        b.iter(|| {
            let f = client.submit("noop", || black_box(1_u64)).expect("submit");
            *f.result_timeout(WAIT).expect("result")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("task_throughput");
    group.throughput(Throughput::Elements(THROUGHPUT_TASKS));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("100k_trivial_tasks", |b| {
        b.iter(|| {
            let futures = client
                .map("noop", |i: u64| black_box(i), 0..THROUGHPUT_TASKS)
                .expect("map");
            client.gather(&futures, WAIT).expect("gather").len()
        })
    });
    group.finish();
    cluster.close();
}

const PIPELINE_IMAGES: u64 = 100;

fn pipeline(c: &mut Criterion) {
    // As section 03's bench does (book §3.4): no page-fault storm per image.
    solution_03::keep_freed_memory();
    let workers = LocalCluster::default_workers();
    let config = PipelineConfig::new(PIPELINE_IMAGES, TUTORIAL_SHAPE);
    let cluster = local_cluster(workers).expect("a cluster");
    let mut group = c.benchmark_group("pipeline_100_images");
    group.throughput(Throughput::Elements(PIPELINE_IMAGES));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("sequential", |b| {
        b.iter(|| run_sequential(&config).expect("sequential").images.len())
    });
    group.bench_function("rayon", |b| {
        b.iter(|| run_parallel(&config, workers).expect("rayon").images.len())
    });
    group.bench_function("cluster", |b| {
        b.iter(|| {
            run_on_cluster(&cluster, &config, WAIT)
                .expect("cluster")
                .checksums
                .len()
        })
    });
    group.finish();
    cluster.close();
}

criterion_group!(benches, task_overhead, pipeline);
criterion_main!(benches);
