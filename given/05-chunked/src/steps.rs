//! The three parts of the chunked array the learner writes, as function pointers: the given
//! operations ([`crate::ChunkedArray`]) call them, so the same machinery runs the exercise,
//! the solution and the harness's mutants.

use ndarray::{Array2, ArrayView2};

use crate::graph::{Graph, NodeId};
use crate::grid::Region;
use crate::summary::Summary;

// ANCHOR: boundary
/// What lies beyond the array's edge when a chunk's halo reaches it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Boundary {
    /// Nothing: the halo stops at the edge, so a chunk on the edge gets a smaller block.
    /// This is section 02's contract (the 3 × 3 window is clipped to the image), and what
    /// makes `map_overlap(1, Absent, smooth)` equal `smooth` on the whole array.
    Absent,
    /// A frame of this value, `depth` wide, all around the array (Dask's `boundary=0.0`):
    /// every block is the chunk plus `depth` on each side.
    Constant(f64),
}
// ANCHOR_END: boundary

// ANCHOR: piece
/// A chunk handed to [`AssembleHaloFn`]: its values and where they lie in the whole array.
#[derive(Debug, Clone)]
pub struct Piece<'a> {
    /// The rows and columns of the whole array this piece covers.
    pub region: Region,
    /// Its values, of shape `region.shape()`.
    pub data: ArrayView2<'a, f64>,
}
// ANCHOR_END: piece

/// Step 1: the block a chunk is computed from, `chunk` widened by `depth` on every side, from
/// the `pieces` (whole chunks) that cover it. See the exercise's `assemble_halo`.
pub type AssembleHaloFn = fn(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64>;

/// Step 2a: merges partial results of a reduction into one.
pub type CombineFn = fn(parts: &[Summary]) -> Summary;

/// Step 2b: adds the inner nodes of a reduction tree over `leaves` to `graph`, no node
/// combining more than `split_every` values, and returns the root.
pub type ReductionTreeFn =
    fn(graph: &mut Graph, leaves: &[NodeId], split_every: usize, combine: CombineFn) -> NodeId;

/// Step 3: the order to run the nodes `outputs` need, each once, inputs first.
pub type ExecutionOrderFn = fn(graph: &Graph, outputs: &[NodeId]) -> Vec<NodeId>;

/// The learner's three steps, as the given operations call them. Also the harness's
/// `ChunkedApi`: a mutant is the reference with one field replaced.
#[derive(Clone, Copy)]
pub struct Steps {
    pub assemble_halo: AssembleHaloFn,
    pub combine: CombineFn,
    pub reduction_tree: ReductionTreeFn,
    pub execution_order: ExecutionOrderFn,
}
