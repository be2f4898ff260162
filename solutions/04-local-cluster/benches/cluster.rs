//! Instructor benchmarks for section 04: `cargo bench -p solution-04`.
//!
//! - `task_overhead/submit_to_result`: one trivial task, submitted and waited for: the
//!   round trip client → scheduler → worker → future. Goal: ≤ 20 µs (Dask spends ~1.8 ms of
//!   scheduler CPU per task on this machine, see the design notes).
//! - `task_throughput/100k_trivial_tasks`: 100,000 trivial tasks submitted with `map` and
//!   gathered: the cluster's per-task cost when the workers are kept busy.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use solution_04::{LocalCluster, local_cluster};

const THROUGHPUT_TASKS: u64 = 100_000;
const WAIT: Duration = Duration::from_secs(60);

fn task_overhead(c: &mut Criterion) {
    let cluster = local_cluster(LocalCluster::default_workers()).expect("a cluster");
    let client = cluster.client();

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

criterion_group!(benches, task_overhead);
criterion_main!(benches);
