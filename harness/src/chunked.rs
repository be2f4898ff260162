//! Section 05 checks: a chunked array's halo (step 1), reduction tree (step 2) and order of
//! work (step 3). Each check's name says its step (`…halo…`, `…reduction…`, `…order…`), so
//! `cargo test -p exercise-05 halo` runs one step.
//!
//! The oracles work on the whole array in memory: the halo is a slice of the (padded) array,
//! a reduction is a compensated sum over every element, and section 02's smooth of the whole
//! array is what `map_overlap` must reproduce.
//!
//! One file past 500 lines, like the other sections' modules: the harness's own steps (so
//! each step is checked alone), the oracles and the checks of the three steps share the
//! grid and the pieces, and a reader follows one step from its oracle to its checks here.

use given_05::{
    Boundary, ChunkedArray, Compensated, Executor, Graph, Kind, NodeId, Piece, Region, Summary,
    Value, check_order,
};
use ndarray::{Array2, ArrayView2, array, s};
use proptest::prelude::*;

use crate::compare::{Tolerance, compare};
use crate::data::seeded_image;
use crate::properties;
use crate::strategies::pixel_value;

/// Section 05's API: the learner's three steps, as the given operations call them.
pub use given_05::Steps as ChunkedApi;

/// Section 05's API of the crate `$krate`, as a [`ChunkedApi`] value.
#[macro_export]
macro_rules! chunked_api {
    ($krate:ident) => {
        $crate::chunked::ChunkedApi {
            assemble_halo: $krate::assemble_halo,
            combine: $krate::combine,
            reduction_tree: $krate::reduction_tree,
            execution_order: $krate::execution_order,
        }
    };
}

/// Instantiates every section 05 check as a `#[test]` for the crate `$krate`.
#[macro_export]
macro_rules! chunked_checks {
    ($krate:ident) => {
        const API: $crate::chunked::ChunkedApi = $crate::chunked_api!($krate);
        $crate::instantiate_checks!(chunked, API;
            correctness_halo_fixed_cases,
            properties_halo_map_overlap_equals_whole_array_smooth,
            properties_halo_rechunk_keeps_every_value,
            correctness_reduction_matches_whole_array,
            correctness_reduction_compensated_sum_on_a_large_array,
            mechanism_reduction_tree_fan_in_depth_and_size,
            properties_reduction_any_chunking,
            correctness_order_runs_each_needed_node_once_inputs_first,
            mechanism_order_keeps_at_most_k_chunks,
            properties_order_executors_agree_bit_for_bit;
            timing:
        );
    };
}

const BOOK_HALO: &str = "book §5.1 \"The halo\" (book/src/05-chunked.md)";
const BOOK_REDUCTION: &str = "book §5.2 \"The reduction tree\" (book/src/05-chunked.md)";
const BOOK_ORDER: &str = "book §5.3 \"The order of work\" (book/src/05-chunked.md)";

#[track_caller]
fn check(result: Result<(), String>) {
    if let Err(report) = result {
        panic!("{report}");
    }
}

// ---------------------------------------------------------------------------------------
// The harness's own steps, so each step's checks run with only that step of the learner's:
// a learner working on the halo is not stopped by the order's `todo!`.
// ---------------------------------------------------------------------------------------

/// Element by element: each block position looks for the piece that holds it. Slow, and
/// obviously right.
fn harness_halo(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    let (fill, clip) = match boundary {
        Boundary::Absent => (f64::NAN, true),
        Boundary::Constant(v) => (v, false),
    };
    let d = depth as isize;
    let span = |r: &std::ops::Range<usize>, len: usize| {
        let (a, b) = (r.start as isize - d, r.end as isize + d);
        if clip {
            a.max(0)..b.min(len as isize)
        } else {
            a..b
        }
    };
    let (rows, cols) = (span(&chunk.rows, shape.0), span(&chunk.cols, shape.1));
    Array2::from_shape_fn((rows.len(), cols.len()), |(i, j)| {
        let (r, c) = (rows.start + i as isize, cols.start + j as isize);
        pieces
            .iter()
            .find(|p| {
                r >= 0
                    && c >= 0
                    && p.region.rows.contains(&(r as usize))
                    && p.region.cols.contains(&(c as usize))
            })
            .map(|p| {
                p.data[(
                    r as usize - p.region.rows.start,
                    c as usize - p.region.cols.start,
                )]
            })
            .unwrap_or(fill)
    })
}

fn harness_combine(parts: &[Summary]) -> Summary {
    let mut total = Summary::EMPTY;
    for p in parts {
        total.sum.add(p.sum.sum);
        total.sum.add(p.sum.compensation);
        total.count += p.count;
        total.min = given_05::nan_min(total.min, p.min);
        total.max = given_05::nan_max(total.max, p.max);
    }
    total
}

fn harness_tree(
    graph: &mut Graph,
    leaves: &[NodeId],
    split_every: usize,
    combine: given_05::CombineFn,
) -> NodeId {
    let mut level = leaves.to_vec();
    loop {
        level = if level.is_empty() {
            vec![graph.add_combine(&[], combine)]
        } else {
            level
                .chunks(split_every)
                .map(|g| graph.add_combine(g, combine))
                .collect()
        };
        if level.len() == 1 {
            return level[0];
        }
    }
}

fn harness_order(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    fn visit(graph: &Graph, node: NodeId, seen: &mut [bool], order: &mut Vec<NodeId>) {
        if !seen[node] {
            seen[node] = true;
            for &d in graph.deps(node) {
                visit(graph, d, seen, order);
            }
            order.push(node);
        }
    }
    let (mut seen, mut order) = (vec![false; graph.len()], Vec::new());
    for &o in outputs {
        visit(graph, o, &mut seen, &mut order);
    }
    order
}

/// The harness's steps: written here, independently of the solution.
pub const HARNESS_STEPS: ChunkedApi = ChunkedApi {
    assemble_halo: harness_halo,
    combine: harness_combine,
    reduction_tree: harness_tree,
    execution_order: harness_order,
};

/// The learner's halo step, the harness's others.
fn halo_only(api: &ChunkedApi) -> ChunkedApi {
    ChunkedApi {
        assemble_halo: api.assemble_halo,
        ..HARNESS_STEPS
    }
}

/// The learner's reduction steps (combine and tree), the harness's others.
fn reduction_only(api: &ChunkedApi) -> ChunkedApi {
    ChunkedApi {
        combine: api.combine,
        reduction_tree: api.reduction_tree,
        ..HARNESS_STEPS
    }
}

/// The learner's order, the harness's others.
fn order_only(api: &ChunkedApi) -> ChunkedApi {
    ChunkedApi {
        execution_order: api.execution_order,
        ..HARNESS_STEPS
    }
}

// ---------------------------------------------------------------------------------------
// Step 1: the halo
// ---------------------------------------------------------------------------------------

/// The oracle block: the array padded by `depth` on every side (with the constant, or with
/// NaN standing for "absent"), sliced around the chunk, with the absent rows and columns cut
/// off. Written from the definition, without rectangle arithmetic on pieces.
pub fn oracle_block(
    whole: ArrayView2<f64>,
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
) -> Array2<f64> {
    let (rows, cols) = whole.dim();
    let (top, left) = (chunk.rows.start, chunk.cols.start);
    let (bottom, right) = (chunk.rows.end + 2 * depth, chunk.cols.end + 2 * depth);
    match boundary {
        Boundary::Constant(value) => {
            let mut padded = Array2::from_elem((rows + 2 * depth, cols + 2 * depth), value);
            padded
                .slice_mut(s![depth..depth + rows, depth..depth + cols])
                .assign(&whole);
            padded.slice(s![top..bottom, left..right]).to_owned()
        }
        Boundary::Absent => {
            // In padded coordinates the array starts at `depth`; clip to it.
            let r0 = top.max(depth) - depth;
            let c0 = left.max(depth) - depth;
            let r1 = (bottom.min(rows + depth)).saturating_sub(depth);
            let c1 = (right.min(cols + depth)).saturating_sub(depth);
            whole.slice(s![r0..r1, c0..c1]).to_owned()
        }
    }
}

/// Every chunk of `whole` in chunks of `chunks`, as pieces, and the grid.
fn pieces_of(
    whole: ArrayView2<'_, f64>,
    chunks: (usize, usize),
) -> (given_05::ChunkGrid, Vec<Piece<'_>>) {
    let grid = given_05::ChunkGrid::new(whole.dim(), chunks).expect("a valid chunking");
    let pieces = grid
        .indices()
        .map(|c| {
            let region = grid.region(c);
            Piece {
                data: whole.slice_move(s![region.rows.clone(), region.cols.clone()]),
                region,
            }
        })
        .collect();
    (grid, pieces)
}

/// `assemble_halo` of every chunk of `whole` against the oracle. The pieces handed over are
/// those the given `map_overlap` hands over: the chunks that touch the block.
fn expect_halos(
    api: &ChunkedApi,
    whole: ArrayView2<f64>,
    chunks: (usize, usize),
    depth: usize,
    boundary: Boundary,
) -> Result<(), String> {
    let (grid, all) = pieces_of(whole, chunks);
    for index in grid.indices() {
        let chunk = grid.region(index);
        let reach = Region {
            rows: chunk.rows.start.saturating_sub(depth)..chunk.rows.end + depth,
            cols: chunk.cols.start.saturating_sub(depth)..chunk.cols.end + depth,
        };
        let touching = grid.chunks_touching(&reach);
        let pieces: Vec<Piece> = touching
            .iter()
            .map(|&(i, j)| all[i * grid.grid_shape().1 + j].clone())
            .collect();
        let what = format!(
            "assemble_halo of chunk {index:?} (rows {:?}, cols {:?}) of a {:?} array in {chunks:?} \
             chunks, depth {depth}, {boundary:?}",
            chunk.rows,
            chunk.cols,
            whole.dim()
        );
        let actual = crate::check::with_panic_context(
            || format!("{what}\n  read: {BOOK_HALO}"),
            || (api.assemble_halo)(whole.dim(), &chunk, depth, boundary, &pieces),
        );
        compare(
            &what,
            BOOK_HALO,
            oracle_block(whole, &chunk, depth, boundary).view(),
            actual.view(),
            Tolerance::Exact,
        )?;
    }
    Ok(())
}

/// Fixed cases: interior and edge chunks, ragged last chunks, 1-wide chunks, chunks smaller
/// than the depth, depth 0, both boundaries.
pub fn correctness_halo_fixed_cases(api: &ChunkedApi) {
    let whole = array![
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0],
        [15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0],
        [22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0],
        [29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0]
    ];
    // The interior chunk of a 5×7 array in 2×3 chunks, depth 1: the chunk and one ring.
    check(expect_halos(api, whole.view(), (2, 3), 1, Boundary::Absent));
    check(expect_halos(
        api,
        whole.view(),
        (2, 3),
        1,
        Boundary::Constant(-1.0),
    ));
    for (chunks, depth) in [
        ((5, 7), 1), // one chunk: the halo is all boundary
        ((2, 3), 0), // depth 0: the chunk itself
        ((1, 1), 1), // 1-wide chunks: eight neighbours of one element each
        ((1, 2), 3), // chunks smaller than the depth: neighbours of neighbours
        ((3, 4), 2), // ragged last row and column of chunks
        ((4, 1), 5), // a depth past the whole array
    ] {
        for boundary in [Boundary::Absent, Boundary::Constant(0.5)] {
            check(expect_halos(api, whole.view(), chunks, depth, boundary));
        }
    }
    let tall = seeded_image(51, (9, 1));
    check(expect_halos(api, tall.view(), (2, 1), 1, Boundary::Absent));
}

/// A shape, a chunking of it, a depth and a constant.
fn overlap_case() -> impl Strategy<Value = ((usize, usize), (usize, usize), usize, f64)> {
    (1_usize..=30, 1_usize..=30).prop_flat_map(|shape| {
        (
            Just(shape),
            (1..=shape.0.min(12), 1..=shape.1.min(12)),
            1_usize..=3,
            pixel_value(),
        )
    })
}

/// `map_overlap(depth, Absent, smooth)` equals section 02's smooth of the whole array, bit
/// for bit, for every shape, chunking and depth ≥ 1 (each output's window lies in its block,
/// summed in the same order); with a constant boundary it equals the smooth of the array
/// padded with the constant.
pub fn properties_halo_map_overlap_equals_whole_array_smooth(api: &ChunkedApi) {
    // A plain call first, outside proptest, so a stub fails once with its own message.
    let first = seeded_image(52, (7, 9));
    let _ = ChunkedArray::from_array(first, (3, 4), halo_only(api))
        .expect("valid chunks")
        .map_overlap(1, Boundary::Absent, given_05::smooth)
        .compute(Executor::Sequential);
    properties::check(
        "map_overlap(depth, boundary, smooth) equals the smooth of the whole array",
        BOOK_HALO,
        overlap_case(),
        |(shape, chunks, depth, value)| {
            let whole = seeded_image(53, shape);
            let chunked = ChunkedArray::from_array(whole.clone(), chunks, halo_only(api))
                .expect("valid chunks");
            let absent = chunked
                .map_overlap(depth, Boundary::Absent, given_05::smooth)
                .compute(Executor::Sequential);
            compare(
                &format!("map_overlap({depth}, Absent, smooth) in {chunks:?} chunks vs smooth"),
                BOOK_HALO,
                given_05::smooth(whole.view()).view(),
                absent.view(),
                Tolerance::Exact,
            )?;
            let padded = oracle_block(
                whole.view(),
                &Region {
                    rows: 0..shape.0,
                    cols: 0..shape.1,
                },
                depth,
                Boundary::Constant(value),
            );
            let expected = given_05::smooth(padded.view())
                .slice(s![depth..depth + shape.0, depth..depth + shape.1])
                .to_owned();
            let constant = chunked
                .map_overlap(depth, Boundary::Constant(value), given_05::smooth)
                .compute(Executor::Sequential);
            compare(
                &format!("map_overlap({depth}, Constant({value}), smooth) in {chunks:?} chunks"),
                BOOK_HALO,
                expected.view(),
                constant.view(),
                Tolerance::Exact,
            )
        },
    );
}

/// `rechunk` (the halo step with depth 0, from the old chunks to the new) keeps every value.
pub fn properties_halo_rechunk_keeps_every_value(api: &ChunkedApi) {
    let _ = ChunkedArray::from_array(seeded_image(54, (5, 5)), (2, 2), halo_only(api))
        .expect("valid chunks")
        .rechunk((3, 3))
        .expect("valid chunks")
        .compute(Executor::Sequential);
    properties::check(
        "rechunk keeps every value",
        BOOK_HALO,
        overlap_case().prop_flat_map(|(shape, from, _, _)| {
            (Just(shape), Just(from), (1..=shape.0, 1..=shape.1))
        }),
        |(shape, from, to)| {
            let whole = seeded_image(55, shape);
            let out = ChunkedArray::from_array(whole.clone(), from, halo_only(api))
                .expect("valid chunks")
                .rechunk(to)
                .expect("valid chunks")
                .compute(Executor::Sequential);
            compare(
                &format!("rechunk from {from:?} to {to:?} chunks"),
                BOOK_HALO,
                whole.view(),
                out.view(),
                Tolerance::Exact,
            )
        },
    );
}

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

// ---------------------------------------------------------------------------------------
// Step 3: the order of work
// ---------------------------------------------------------------------------------------

/// The order is valid: exactly the nodes the outputs need, each once, inputs first; on a
/// graph that holds nodes no output needs, outputs that share inputs, and several outputs.
pub fn correctness_order_runs_each_needed_node_once_inputs_first(api: &ChunkedApi) {
    let base = ChunkedArray::seeded((9, 9), (3, 3), order_only(api), 60).expect("valid chunks");
    let smoothed = base.map_overlap(1, Boundary::Absent, given_05::smooth);
    // A second branch the outputs below do not need.
    let unused = smoothed.map_blocks(|c| c.mapv(|x| x * 2.0));
    let graph = unused.graph();
    let cases: Vec<(&str, Vec<NodeId>)> = vec![
        (
            "one smoothed chunk (needs 4 source chunks)",
            vec![smoothed.chunk_nodes()[0]],
        ),
        (
            "the centre smoothed chunk (needs all 9 sources)",
            vec![smoothed.chunk_nodes()[4]],
        ),
        (
            "every smoothed chunk, sharing sources",
            smoothed.chunk_nodes().to_vec(),
        ),
        (
            "two outputs in reverse order",
            vec![smoothed.chunk_nodes()[8], smoothed.chunk_nodes()[0]],
        ),
        ("a source chunk alone", vec![base.chunk_nodes()[3]]),
        ("no outputs", Vec::new()),
    ];
    for (what, outputs) in cases {
        let order = crate::check::with_panic_context(
            || format!("execution_order for {what}\n  read: {BOOK_ORDER}"),
            || (api.execution_order)(graph, &outputs),
        );
        if let Err(problem) = check_order(graph, &outputs, &order) {
            panic!(
                "execution_order for {what} (a {}-node graph): {problem}\n  read: {BOOK_ORDER}",
                graph.len()
            );
        }
    }
}

fn stats_of<R>(what: &str, run: impl FnOnce() -> R) -> R {
    crate::check::with_panic_context(|| format!("{what}\n  read: {BOOK_ORDER}"), run)
}

/// Chunks held at once stay under a bound that does not grow with the array: at most 3 for
/// map_blocks → reduction (a chunk, its map, nothing else) and for map_blocks → store; for
/// map_overlap → reduction at most two rows of source chunks and a few more (`2·cols + 6`),
/// however many rows. A level-by-level order (every source, then every map, …) holds them all.
///
/// The reference solution (depth first, inputs in the order listed) holds 2 chunks in the
/// first two runs and 20 = 2·8 + 4 chunks on both overlap grids (8×8 and 32×8: the bound does
/// not grow with the rows); level by level holds 64, and 64 and 256 source chunks.
pub fn mechanism_order_keeps_at_most_k_chunks(api: &ChunkedApi) {
    let bound_map = 3;
    let tall = ChunkedArray::seeded((512, 8), (8, 8), order_only(api), 61).expect("valid chunks");
    let doubled = tall.map_blocks(|c| c.mapv(|x| 2.0 * x));
    let what = "map_blocks then summary(split_every 4) over a 64×1 grid of chunks";
    let (_, stats) = stats_of(what, || {
        doubled.summary(4, Executor::Sequential).expect("s >= 2")
    });
    check_bound(what, stats.peak_chunks, bound_map, 64);

    let what = "map_blocks then store over a 64×1 grid of chunks";
    let mut out = Array2::zeros(doubled.shape());
    let stats = stats_of(what, || {
        doubled
            .store(Executor::Sequential, out.view_mut())
            .expect("same shape")
    });
    check_bound(what, stats.peak_chunks, bound_map, 64);

    for (grid_rows, grid_cols) in [(8, 8), (32, 8)] {
        let array =
            ChunkedArray::seeded((4 * grid_rows, 4 * grid_cols), (4, 4), order_only(api), 62)
                .expect("valid chunks");
        let smoothed = array.map_overlap(1, Boundary::Absent, given_05::smooth);
        let what = format!(
            "map_overlap(1) then summary(split_every 4) over a {grid_rows}×{grid_cols} grid of chunks"
        );
        let (_, stats) = stats_of(&what, || {
            smoothed.summary(4, Executor::Sequential).expect("s >= 2")
        });
        check_bound(
            &what,
            stats.peak_chunks,
            2 * grid_cols + 6,
            grid_rows * grid_cols,
        );
    }
}

fn check_bound(what: &str, peak: usize, bound: usize, chunks: usize) {
    assert!(
        peak <= bound,
        "{what}: {peak} chunks were held at once (the array has {chunks}), expected at most \
         {bound}: the order must finish what a chunk feeds before making the next (depth first), \
         so each chunk is freed soon after it is made\n  read: {BOOK_ORDER}"
    );
}

/// The sequential and rayon executors, running the learner's order, give bit-identical
/// chunks and sums on random shapes and chunkings.
pub fn properties_order_executors_agree_bit_for_bit(api: &ChunkedApi) {
    let _ = (api.execution_order)(&Graph::new(), &[]);
    properties::check(
        "the sequential and rayon executors agree bit for bit",
        BOOK_ORDER,
        overlap_case(),
        |(shape, chunks, depth, _)| {
            let array = ChunkedArray::seeded(shape, chunks, order_only(api), 63)
                .expect("valid chunks")
                .map_overlap(depth, Boundary::Absent, given_05::smooth);
            let what = format!("map_overlap smooth of a {shape:?} array in {chunks:?} chunks");
            let sequential = array.compute(Executor::Sequential);
            let parallel = array.compute(Executor::Rayon);
            compare(
                &format!("{what}: rayon vs sequential"),
                BOOK_ORDER,
                sequential.view(),
                parallel.view(),
                Tolerance::Exact,
            )?;
            let s = array.sum(3, Executor::Sequential).expect("s >= 2");
            let p = array.sum(3, Executor::Rayon).expect("s >= 2");
            if s.to_bits() != p.to_bits() {
                return Err(format!(
                    "{what}: the sum is {s:e} sequentially and {p:e} on rayon\n  read: {BOOK_ORDER}"
                ));
            }
            Ok(())
        },
    );
}
