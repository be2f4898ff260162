//! Instructor benchmarks for section 01: `cargo bench -p solution-01`.
//!
//! Every variant at the tutorial's 4,000,000 elements. Throughput is reported in bytes
//! moved (two 8-byte reads and one 8-byte write per element), so the table shows how close
//! each variant gets to this machine's memory bandwidth (`cargo xtask demo 02` measures a
//! plain copy of an image beside the smooth, the nearest thing to a bandwidth figure the
//! course measures itself).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array1, ArrayView1};
use solution_01::{
    TUTORIAL_LEN, add_into, indexed_add, naive_add, par_add_into, py_list, vectorised_add,
};

const BYTES_PER_ELEMENT: u64 = 24;

fn add_variants(c: &mut Criterion) {
    let x: Vec<i64> = (0..TUTORIAL_LEN as i64).collect();
    let y = x.clone();
    let (xv, yv) = (ArrayView1::from(&x), ArrayView1::from(&y));
    let mut out = Array1::<i64>::zeros(TUTORIAL_LEN);

    let mut group = c.benchmark_group("add_4M");
    group.throughput(Throughput::Bytes(BYTES_PER_ELEMENT * TUTORIAL_LEN as u64));
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    group.bench_function("indexed_add", |b| {
        b.iter(|| indexed_add(black_box(&x), black_box(&y)))
    });
    group.bench_function("vectorised_add", |b| {
        b.iter(|| vectorised_add(black_box(xv), black_box(yv)))
    });
    group.bench_function("add_into", |b| {
        b.iter(|| add_into(black_box(xv), black_box(yv), out.view_mut()))
    });
    group.bench_function("par_add_into", |b| {
        b.iter(|| par_add_into(black_box(xv), black_box(yv), out.view_mut()))
    });
    group.finish();

    // The boxed model takes ~170 ms a call: fewer samples keep the bench under a minute.
    let (bx, by) = (py_list(&x), py_list(&y));
    let mut boxed = c.benchmark_group("add_4M_boxed");
    boxed.throughput(Throughput::Bytes(BYTES_PER_ELEMENT * TUTORIAL_LEN as u64));
    boxed.sample_size(10);
    boxed.warm_up_time(Duration::from_secs(1));
    boxed.measurement_time(Duration::from_secs(5));
    boxed.bench_function("naive_add", |b| {
        b.iter(|| naive_add(black_box(&bx), black_box(&by)))
    });
    boxed.finish();
}

criterion_group!(benches, add_variants);
criterion_main!(benches);
