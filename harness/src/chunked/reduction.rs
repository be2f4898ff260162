//! Section 05, step 2: the reduction tree — fan-in, depth, and a compensated sum.

use super::*;

// ---------------------------------------------------------------------------------------
// Step 2: the reduction tree
// ---------------------------------------------------------------------------------------

/// The oracle: one compensated sum over every element in row-major order, and the count,
/// minimum and maximum (NaN propagating).
pub fn oracle_summary(whole: ArrayView2<f64>) -> Summary {
    let mut sum = Compensated::default();
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in whole.iter() {
        sum.add(x);
        if x.is_nan() || min.is_nan() {
            min = f64::NAN;
            max = f64::NAN;
        } else {
            min = min.min(x);
            max = max.max(x);
        }
    }
    Summary {
        sum,
        count: whole.len() as u64,
        min,
        max,
    }
}

/// How close a chunked sum must be to the oracle's: both are compensated sums, accurate to
/// a few ulps of the true sum whatever the order, so `4ε · Σ|x|` (plus a tiny absolute term
/// for sums that cancel to 0) covers them; a plain `f64` sum over n values may be off by
/// `n·ε · Σ|x|`.
fn sum_tolerance(whole: ArrayView2<f64>) -> f64 {
    4.0 * f64::EPSILON * whole.iter().map(|x| x.abs()).sum::<f64>() + 1e-300
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn expect_summary(what: &str, whole: ArrayView2<f64>, actual: &Summary) -> Result<(), String> {
    let expected = oracle_summary(whole);
    let (e, a) = (expected.sum.value(), actual.sum.value());
    let tolerance = sum_tolerance(whole);
    if actual.count != expected.count {
        return Err(format!(
            "{what}: count is {}, expected {} — is every chunk's partial combined exactly once?\n  read: {BOOK_REDUCTION}",
            actual.count, expected.count
        ));
    }
    let sum_ok = same(e, a) || (e - a).abs() <= tolerance;
    if !sum_ok {
        return Err(format!(
            "{what}: sum is {a:e}, expected {e:e} (tolerance {tolerance:e}; off by {:e})\n  read: {BOOK_REDUCTION}",
            (e - a).abs()
        ));
    }
    if !same(actual.min, expected.min) || !same(actual.max, expected.max) {
        return Err(format!(
            "{what}: min/max are {:e}/{:e}, expected {:e}/{:e} (NaN must propagate, as numpy's np.min)\n  read: {BOOK_REDUCTION}",
            actual.min, actual.max, expected.min, expected.max
        ));
    }
    Ok(())
}

fn summary_of(
    api: &ChunkedApi,
    whole: &Array2<f64>,
    chunks: (usize, usize),
    split_every: usize,
) -> Summary {
    ChunkedArray::from_array(whole.clone(), chunks, reduction_only(api))
        .expect("valid chunks")
        .summary(split_every, Executor::Sequential)
        .expect("split_every >= 2")
        .0
}

/// Fixed cases: one chunk, a ragged grid, fan-ins from 2 to more than the chunks, NaN,
/// infinities, an empty array.
pub fn correctness_reduction_matches_whole_array(api: &ChunkedApi) {
    let whole = seeded_image(56, (13, 11));
    for chunks in [(13, 11), (4, 3), (1, 1), (5, 11)] {
        for split_every in [2, 3, 4, 8, 1000] {
            let actual = summary_of(api, &whole, chunks, split_every);
            check(expect_summary(
                &format!(
                    "the summary of a 13×11 array in {chunks:?} chunks, split_every {split_every}"
                ),
                whole.view(),
                &actual,
            ));
        }
    }
    let mut with_nan = seeded_image(57, (6, 6));
    with_nan[(4, 5)] = f64::NAN;
    check(expect_summary(
        "the summary of a 6×6 array with one NaN, in 2×2 chunks",
        with_nan.view(),
        &summary_of(api, &with_nan, (2, 2), 3),
    ));
    let mut with_inf = seeded_image(58, (6, 6));
    with_inf[(0, 0)] = f64::INFINITY;
    check(expect_summary(
        "the summary of a 6×6 array with +inf, in 2×2 chunks",
        with_inf.view(),
        &summary_of(api, &with_inf, (2, 2), 2),
    ));
    let empty = Array2::<f64>::zeros((0, 4));
    check(expect_summary(
        "the summary of a 0×4 array (no chunks)",
        empty.view(),
        &summary_of(api, &empty, (2, 2), 4),
    ));
}

/// A 2000 × 2000 array of ones with ±1e16 in some chunks: the true sum is the number of
/// ones. A plain `f64` sum of the partials loses them: at 1e16 an `f64` steps by 2, so every
/// 1.0 added to a running sum of 1e16 rounds away. Dask's `sum` (numpy's pairwise sum inside
/// a chunk, plain adds between chunks) gets this wrong too; compensated partials do not.
pub fn correctness_reduction_compensated_sum_on_a_large_array(api: &ChunkedApi) {
    // First `combine` alone, on three partials: 1e16 + 1 rounds back to 1e16 in an f64.
    let parts = [[1e16], [1.0], [-1e16]].map(|v| Summary::of_chunk(array![v].view()));
    let direct = crate::check::with_panic_context(
        || format!("combine of the partials of [1e16], [1.0], [-1e16]\n  read: {BOOK_REDUCTION}"),
        || (api.combine)(&parts),
    );
    assert!(
        direct.sum.value() == 1.0,
        "combine of the partials of [1e16], [1.0], [-1e16] has sum {}, expected exactly 1: the \
         small terms were lost — add each part's sum and its compensation into one Compensated \
         (a plain f64 sum gives 0)\n  read: {BOOK_REDUCTION}",
        direct.sum.value()
    );
    let (n, chunk) = (2000, 250);
    let mut whole = Array2::from_elem((n, n), 1.0);
    // A huge value and its negation in different chunks, so they only meet when partials
    // are combined; the ones they replace are subtracted from the expected count.
    let huge = [
        ((0, 0), 1e16),
        ((1999, 1999), -1e16),
        ((600, 10), 3e16),
        ((10, 1500), -3e16),
    ];
    for &(at, v) in &huge {
        whole[at] = v;
    }
    let expected = (n * n - huge.len()) as f64;
    for split_every in [2, 8, 64] {
        let actual = summary_of(api, &whole, (chunk, chunk), split_every)
            .sum
            .value();
        assert!(
            actual == expected,
            "the sum of a 2000×2000 array of ones with ±1e16 and ±3e16 in four 250×250 chunks \
             (split_every {split_every}) is {actual}, expected exactly {expected}: the small terms \
             were lost when partial results were combined — add each part's sum *and* its \
             compensation into one Compensated (a plain f64 sum here is off by up to ~4e6)\n  read: {BOOK_REDUCTION}"
        );
    }
}

/// Leaves that are constants, so the tree can be checked without any chunk.
fn constant_leaves(graph: &mut Graph, values: &[f64]) -> Vec<NodeId> {
    values
        .iter()
        .map(|&v| {
            graph.add(
                Kind::Partial,
                Vec::new(),
                std::sync::Arc::new(move |_: &[&Value]| {
                    Value::Summary(Summary::of_chunk(array![[v]].view()))
                }),
            )
        })
        .collect()
}

/// The tree's shape: every combine reads at most `split_every` nodes, every leaf is read
/// exactly once, there are `⌈log_s n⌉` levels (at least one), and the graph grows by at most
/// `⌈n / (s − 1)⌉ + levels` nodes: its size is O(chunks). And it computes the right sum.
pub fn mechanism_reduction_tree_fan_in_depth_and_size(api: &ChunkedApi) {
    for n in [0_usize, 1, 2, 3, 7, 8, 9, 64, 100] {
        for s in [2_usize, 3, 4, 8] {
            let mut graph = Graph::new();
            let values: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
            let leaves = constant_leaves(&mut graph, &values);
            let root = crate::check::with_panic_context(
                || {
                    format!(
                        "reduction_tree over {n} leaves, split_every {s}\n  read: {BOOK_REDUCTION}"
                    )
                },
                || (api.reduction_tree)(&mut graph, &leaves, s, api.combine),
            );
            let case = format!("reduction_tree over {n} leaves with split_every {s}");
            let mut reads = vec![0_usize; graph.len()];
            let mut depth = vec![0_usize; graph.len()];
            for id in n..graph.len() {
                let deps = graph.deps(id);
                assert!(
                    deps.len() <= s,
                    "{case}: node {id} combines {} values, more than split_every = {s} (Dask's \
                     split_every bounds the fan-in of every node of the tree)\n  read: {BOOK_REDUCTION}",
                    deps.len()
                );
                for &d in deps {
                    reads[d] += 1;
                }
                depth[id] = 1 + deps.iter().map(|&d| depth[d]).max().unwrap_or(0);
            }
            if let Some(leaf) = (0..n).find(|&l| reads[l] != 1) {
                panic!(
                    "{case}: leaf {leaf} is read by {} combine nodes, expected exactly 1\n  read: {BOOK_REDUCTION}",
                    reads[leaf]
                );
            }
            let mut levels = 1;
            while s.pow(levels) < n {
                levels += 1;
            }
            assert!(
                root < graph.len() && graph.node(root).kind == Kind::Combine,
                "{case}: the root {root} is not a combine node added by the tree\n  read: {BOOK_REDUCTION}"
            );
            assert!(
                depth[root] as u32 == levels,
                "{case}: the tree has {} levels, expected ⌈log_{s}({n})⌉ = {levels} (at least 1): \
                 a chain of combines is as slow as a plain loop and a single node ignores split_every\n  read: {BOOK_REDUCTION}",
                depth[root]
            );
            let added = graph.len() - n;
            // Level k holds ⌈n / s^k⌉ combines: fewer than n/(s-1) + one per level.
            let bound = n.div_ceil(s - 1) + levels as usize;
            assert!(
                added <= bound,
                "{case}: the tree added {added} nodes, expected at most ⌈n/(s-1)⌉ + levels = {bound}: \
                 a graph that grows faster than the chunks costs more to schedule than to run\n  read: {BOOK_REDUCTION}"
            );
            let order = harness_order(&graph, &[root]);
            let mut result = None;
            given_05::execute(&graph, &[root], &order, Executor::Sequential, |_, v| {
                result = Some(*v.summary())
            });
            let result = result.expect("the root is an output");
            let expected: f64 = values.iter().sum();
            assert!(
                result.sum.value() == expected && result.count == n as u64,
                "{case}: the tree's root holds sum {} and count {}, expected {expected} and {n}\n  read: {BOOK_REDUCTION}",
                result.sum.value(),
                result.count
            );
        }
    }
}

/// Random shapes, chunkings, fan-ins and values: the tree's summary equals the whole
/// array's within the stated tolerance, and both executors agree bit for bit.
pub fn properties_reduction_any_chunking(api: &ChunkedApi) {
    let _ = summary_of(api, &seeded_image(59, (4, 4)), (2, 2), 2);
    properties::check(
        "the chunked summary equals the whole array's",
        BOOK_REDUCTION,
        &["whole", "chunks", "split_every"],
        overlap_case().prop_flat_map(|(shape, chunks, _, _)| {
            (
                crate::strategies::image_of(shape),
                Just(chunks),
                2_usize..=6,
            )
        }),
        |(whole, chunks, split_every)| {
            let chunked = ChunkedArray::from_array(whole.clone(), chunks, reduction_only(api))
                .expect("valid chunks");
            let (sequential, _) = chunked
                .summary(split_every, Executor::Sequential)
                .expect("s >= 2");
            expect_summary(
                &format!("the summary in {chunks:?} chunks, split_every {split_every}"),
                whole.view(),
                &sequential,
            )
        },
    );
}
