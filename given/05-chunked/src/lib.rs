//! Section 05 — given code: a chunked array (Dask's `dask.array`) on a lazy task graph.
//!
//! - [`ChunkGrid`]: how a shape is cut into regular chunks with ragged last ones;
//! - [`Graph`]: one node per task, an edge per input; building it computes nothing;
//! - [`ChunkedArray`]: the operations (`from_fn`, `seeded`, `from_array`, `map_blocks`,
//!   `map_overlap`, `rechunk`, reductions, `compute`, `store`), each adding nodes;
//! - [`execute()`]: the sequential and rayon executors, freeing values after their last use;
//!   [`execute_on_cluster`]: section 04's local cluster as a third executor;
//! - [`visualize`]: the task graph as DOT or SVG (`Graph::to_dot`, `Graph::to_svg`);
//! - [`zarr`]: reading and writing Zarr v3 arrays on disk, chunk by chunk;
//! - [`Summary`] and [`Compensated`]: a reduction's partial results, summed without losing
//!   the small terms.
//!
//! Three parts are the learner's and arrive as [`Steps`]: the halo of a chunk, the reduction
//! tree, and the execution order.

pub mod array;
pub mod cluster;
pub mod execute;
pub mod graph;
pub mod grid;
pub mod steps;
pub mod summary;
pub mod visualize;
pub mod zarr;

pub use array::{ChunkedArray, block_layout, seeded_pixels};
pub use cluster::{OnClusterError, execute_on_cluster};
pub use execute::{Executor, Stats, check_order, execute, in_flight_limit};
pub use graph::{Graph, Kind, Node, NodeId, Task, Value};
pub use grid::{ChunkError, ChunkGrid, Region};
pub use steps::{
    AssembleHaloFn, Boundary, CombineFn, ExecutionOrderFn, Piece, ReductionTreeFn, Steps,
};
pub use summary::{Compensated, Summary, nan_max, nan_min};
pub use zarr::ZarrError;

/// Section 02's optimised smooth (clipped 3 × 3 mean), the kernel the lesson runs on chunks.
pub use solution_02::smooth_optimised as smooth;
