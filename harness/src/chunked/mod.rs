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

mod halo;
mod order;
mod reduction;
mod timing;

use halo::overlap_case;
pub use halo::*;
pub use order::*;
pub use reduction::*;
pub use timing::*;

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
            timing: timing_order_rayon_vs_sequential
        );
    };
}

use crate::book::{
    CHUNKED_HALO as BOOK_HALO, CHUNKED_ORDER as BOOK_ORDER, CHUNKED_REDUCTION as BOOK_REDUCTION,
};

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
