//! Section 05 — a chunked array. **Your exercise.**
//!
//! The machinery is given (read it in `given/05-chunked/src/`): the chunk grid, the task
//! graph, the operations and the executors. You write the three parts that decide what a
//! chunked array costs, one file each; the chapter is `book/src/05-chunked.md`:
//! - [`assemble_halo`] (§5.1): a chunk widened by `depth` from its neighbours, the boundary
//!   policy at the array's edge;
//! - [`combine`] and [`reduction_tree`] (§5.2): partial results merged without losing small
//!   terms, in a tree of fan-in `split_every`;
//! - [`execution_order`] (§5.3): an order that frees each chunk soon after it is made.
//!
//! Check your work with `cargo test -p exercise-05`, or one step at a time:
//! `cargo test -p exercise-05 halo` (step 1), `reduction` (step 2), `order` (step 3); or one
//! group: `correctness_`, `properties_`, `mechanism_`.

pub mod halo;
pub mod order;
pub mod reduction;

pub use given_05::*;

pub use halo::assemble_halo;
pub use order::execution_order;
pub use reduction::{combine, reduction_tree};

/// The steps of this crate, for [`ChunkedArray`]'s operations.
pub const STEPS: Steps = Steps {
    assemble_halo,
    combine,
    reduction_tree,
    execution_order,
};

/// [`ChunkedArray::seeded`] with this crate's steps.
///
/// # Errors
/// [`ChunkError::ZeroChunkSize`] when a chunk size is 0 along an axis that has elements.
pub fn seeded(
    shape: (usize, usize),
    chunks: (usize, usize),
    seed: u64,
) -> Result<ChunkedArray, ChunkError> {
    ChunkedArray::seeded(shape, chunks, STEPS, seed)
}

/// [`ChunkedArray::from_array`] with this crate's steps.
///
/// # Errors
/// [`ChunkError::ZeroChunkSize`] when a chunk size is 0 along an axis that has elements.
pub fn from_array(
    array: ndarray::Array2<f64>,
    chunks: (usize, usize),
) -> Result<ChunkedArray, ChunkError> {
    ChunkedArray::from_array(array, chunks, STEPS)
}
