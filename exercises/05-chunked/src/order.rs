//! §5.3 — the order of work.

use crate::{Graph, NodeId};

// ANCHOR: execution_order
/// The nodes `outputs` need, each exactly once, every input before its consumer, in an order
/// that frees chunks early: at most a few chunks (a reduction), or a few rows of chunks (an
/// overlap), held at once, however large the array.
pub fn execution_order(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId> {
    todo!(
        "execution_order: depth first from each output — visit a node's inputs (graph.deps) \
         first, in order, then push the node; skip nodes already visited — \
         book §5.3 \"The order of work\" (book/src/05-chunked.md)"
    )
}
// ANCHOR_END: execution_order
