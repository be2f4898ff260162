//! Proof that every section 05 check can fail: each plausible wrong step below is rejected by
//! the check named for it. A mutant is the reference API with one function replaced
//! (`..REFERENCE`).

use given_05::{Boundary, CombineFn, Graph, NodeId, Piece, Region, Summary};
use harness::chunked::ChunkedApi;
use ndarray::Array2;
use reference::CHUNKED as REFERENCE;

mod reference;

// --- step 1: the halo --------------------------------------------------------------------

/// Treats a constant boundary like an absent one: the edge chunks' blocks come out small.
fn halo_ignores_constant_boundary(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    _boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    solution_05::assemble_halo(shape, chunk, depth, Boundary::Absent, pieces)
}

/// Reads only the chunk and its eight direct neighbours: right while chunks are at least
/// `depth` wide, holes (zeros) in the block once they are narrower.
fn halo_only_direct_neighbours(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    let touches = |p: &Piece| {
        p.region.rows.start <= chunk.rows.end
            && p.region.rows.end >= chunk.rows.start
            && p.region.cols.start <= chunk.cols.end
            && p.region.cols.end >= chunk.cols.start
    };
    let near: Vec<Piece> = pieces.iter().filter(|p| touches(p)).cloned().collect();
    solution_05::assemble_halo(shape, chunk, depth, boundary, &near)
}

/// Copies only the first piece: the block of a chunk whose halo spans several chunks is
/// mostly zeros (and rechunk loses every value from the other old chunks).
fn halo_first_piece_only(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    solution_05::assemble_halo(
        shape,
        chunk,
        depth,
        boundary,
        &pieces[..pieces.len().min(1)],
    )
}

/// Pads with zeros where the array ends instead of stopping there: every block has the
/// full size, as if the boundary were `Constant(0.0)`.
fn halo_pads_absent_with_zeros(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    let boundary = match boundary {
        Boundary::Absent => Boundary::Constant(0.0),
        other => other,
    };
    solution_05::assemble_halo(shape, chunk, depth, boundary, pieces)
}

harness::reject!(correctness_halo_rejects_ignoring_the_constant_boundary:
    chunked::correctness_halo_fixed_cases,
    ChunkedApi { assemble_halo: halo_ignores_constant_boundary, ..REFERENCE },
    "the result has the wrong shape");

harness::reject!(correctness_halo_rejects_reading_only_direct_neighbours:
    chunked::correctness_halo_fixed_cases,
    ChunkedApi { assemble_halo: halo_only_direct_neighbours, ..REFERENCE },
    "depth 3");

harness::reject!(properties_halo_rejects_zeros_beyond_the_edge:
    chunked::properties_halo_map_overlap_equals_whole_array_smooth,
    ChunkedApi { assemble_halo: halo_pads_absent_with_zeros, ..REFERENCE },
    "the halo step: chunk (0, 0) should be");

harness::reject!(properties_halo_rejects_rechunk_from_one_piece:
    chunked::properties_halo_rechunk_keeps_every_value,
    ChunkedApi { assemble_halo: halo_first_piece_only, ..REFERENCE },
    "rechunk from");

// --- step 2: the reduction tree ----------------------------------------------------------

/// Adds the parts' sums as plain `f64`s: every compensation is lost.
fn combine_plain_sum(parts: &[Summary]) -> Summary {
    let mut total = solution_05::combine(parts);
    total.sum.sum = parts.iter().map(|p| p.sum.value()).sum();
    total.sum.compensation = 0.0;
    total
}

/// Adds only each part's rounded sum into the compensated total, not its compensation.
fn combine_drops_compensation(parts: &[Summary]) -> Summary {
    let stripped: Vec<Summary> = parts
        .iter()
        .map(|p| {
            let mut p = *p;
            p.sum.compensation = 0.0;
            p
        })
        .collect();
    solution_05::combine(&stripped)
}

/// `f64::min` and `f64::max`: a NaN in one part disappears.
fn combine_drops_nan(parts: &[Summary]) -> Summary {
    let mut total = solution_05::combine(parts);
    total.min = parts.iter().map(|p| p.min).fold(f64::INFINITY, f64::min);
    total.max = parts
        .iter()
        .map(|p| p.max)
        .fold(f64::NEG_INFINITY, f64::max);
    total
}

/// One combine node over every leaf: ignores `split_every`.
fn tree_flat(graph: &mut Graph, leaves: &[NodeId], _s: usize, combine: CombineFn) -> NodeId {
    graph.add_combine(leaves, combine)
}

/// A chain: ((l0 + l1) + l2) + …, n − 1 levels deep.
fn tree_chain(graph: &mut Graph, leaves: &[NodeId], s: usize, combine: CombineFn) -> NodeId {
    match leaves {
        [] | [_] => solution_05::reduction_tree(graph, leaves, s, combine),
        [first, rest @ ..] => rest.iter().fold(*first, |acc, &leaf| {
            graph.add_combine(&[acc, leaf], combine)
        }),
    }
}

/// Groups with `chunks_exact`: the last, smaller group of each level is dropped.
fn tree_drops_ragged_group(
    graph: &mut Graph,
    leaves: &[NodeId],
    s: usize,
    combine: CombineFn,
) -> NodeId {
    let mut level = leaves.to_vec();
    while level.len() > 1 {
        let next: Vec<NodeId> = level
            .chunks_exact(s)
            .map(|g| graph.add_combine(g, combine))
            .collect();
        if next.is_empty() {
            break;
        }
        level = next;
    }
    graph.add_combine(&level, combine)
}

harness::reject!(correctness_reduction_rejects_a_plain_float_sum:
    chunked::correctness_reduction_compensated_sum_on_a_large_array,
    ChunkedApi { combine: combine_plain_sum, ..REFERENCE },
    "the small terms were lost");

harness::reject!(correctness_reduction_rejects_dropping_the_compensation:
    chunked::correctness_reduction_compensated_sum_on_a_large_array,
    ChunkedApi { combine: combine_drops_compensation, ..REFERENCE },
    "the small terms were lost");

harness::reject!(correctness_reduction_rejects_dropping_nan:
    chunked::correctness_reduction_matches_whole_array,
    ChunkedApi { combine: combine_drops_nan, ..REFERENCE },
    "NaN must propagate");

harness::reject!(mechanism_reduction_rejects_a_flat_tree:
    chunked::mechanism_reduction_tree_fan_in_depth_and_size,
    ChunkedApi { reduction_tree: tree_flat, ..REFERENCE },
    "more than split_every");

harness::reject!(mechanism_reduction_rejects_a_chain:
    chunked::mechanism_reduction_tree_fan_in_depth_and_size,
    ChunkedApi { reduction_tree: tree_chain, ..REFERENCE },
    "levels, expected");

harness::reject!(properties_reduction_rejects_dropping_the_ragged_group:
    chunked::properties_reduction_any_chunking,
    ChunkedApi { reduction_tree: tree_drops_ragged_group, ..REFERENCE },
    "count is");

// --- step 3: the order of work -----------------------------------------------------------

/// The needed nodes by id: a valid order, level by level (every source first).
fn order_by_id(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    let mut order = solution_05::execution_order(graph, outputs);
    order.sort_unstable();
    order
}

/// Every node of the graph, needed or not.
fn order_everything(graph: &Graph, _outputs: &[NodeId]) -> Vec<NodeId> {
    (0..graph.len()).collect()
}

/// Depth first without remembering what was visited: shared inputs run twice.
fn order_without_visited(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    fn visit(graph: &Graph, node: NodeId, order: &mut Vec<NodeId>) {
        for &d in graph.deps(node) {
            visit(graph, d, order);
        }
        order.push(node);
    }
    let mut order = Vec::new();
    for &o in outputs {
        visit(graph, o, &mut order);
    }
    order
}

/// Outputs first: pre-order instead of post-order.
fn order_consumers_first(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    let mut order = solution_05::execution_order(graph, outputs);
    order.reverse();
    order
}

harness::reject!(mechanism_order_rejects_level_by_level:
    chunked::mechanism_order_keeps_at_most_k_chunks,
    ChunkedApi { execution_order: order_by_id, ..REFERENCE },
    "chunks were held at once");

harness::reject!(correctness_order_rejects_unneeded_nodes:
    chunked::correctness_order_runs_each_needed_node_once_inputs_first,
    ChunkedApi { execution_order: order_everything, ..REFERENCE },
    "which no output needs");

harness::reject!(correctness_order_rejects_running_shared_inputs_twice:
    chunked::correctness_order_runs_each_needed_node_once_inputs_first,
    ChunkedApi { execution_order: order_without_visited, ..REFERENCE },
    "twice");

harness::reject!(properties_order_rejects_consumers_before_inputs:
    chunked::properties_order_executors_agree_bit_for_bit,
    ChunkedApi { execution_order: order_consumers_first, ..REFERENCE },
    "before its input");

// --- step 3 timed: the rayon executor's speedup ------------------------------------------

/// The executors are given code, outside the learner's steps: this mutant stands in for a
/// rayon executor that is secretly sequential (the check's fast side run by
/// `Executor::Sequential`), and proves the 1.3x threshold rejects it.
#[test]
fn timing_rejects_a_rayon_executor_that_is_secretly_sequential() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        println!("SKIPPED: the timing check is skipped on one core");
        return;
    }
    let name = "timing_order_rayon_vs_sequential";
    let outcome = std::panic::catch_unwind(|| {
        harness::check::run(name, cfg!(debug_assertions), || {
            harness::chunked::rayon_speedup_with(&REFERENCE, given_05::Executor::Sequential)
        })
    });
    if outcome.is_ok() && harness::chunked::last_timing_check_skipped() {
        println!("SKIPPED: the machine was busy, so the timing check could not judge");
        return;
    }
    harness::check::judge_rejection(name, outcome, "should be at least");
}
