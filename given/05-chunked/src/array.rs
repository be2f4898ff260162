//! The chunked array: a chunk grid, a task graph, and the node that makes each chunk. Every
//! operation returns a new array whose graph extends the old one; nothing runs until
//! [`ChunkedArray::compute`], [`ChunkedArray::store`] or a reduction.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};

use crate::execute::{Executor, Stats, execute};
use crate::graph::{Graph, Kind, NodeId, Value};
use crate::grid::{ChunkError, ChunkGrid, Region};
use crate::steps::{Boundary, Piece, Steps};
use crate::summary::Summary;

/// A 2-D array of `f64` in chunks, computed lazily (Dask's `dask.array.Array`).
#[derive(Clone)]
pub struct ChunkedArray {
    grid: ChunkGrid,
    graph: Graph,
    /// The node making each chunk, in row-major chunk order.
    chunk_nodes: Vec<NodeId>,
    steps: Steps,
}

/// Values in `[0, 1)` that depend only on `seed` and the pixel's position in the whole
/// array, so every chunking of the same array holds the same values and any chunk can be
/// made anywhere (splitmix64 of the pixel's linear index).
pub fn seeded_pixels(seed: u64, shape: (usize, usize), region: &Region) -> Array2<f64> {
    Array2::from_shape_fn(region.shape(), |(i, j)| {
        let index = ((region.rows.start + i) * shape.1 + region.cols.start + j) as u64;
        let mut z = seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(index.wrapping_add(1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    })
}

/// Where a learner reads about a wrong block shape from the halo step.
const BOOK_HALO: &str = "book §5.1 \"The halo\" (book/src/05-chunked.md)";

fn expect_shape(
    what: &str,
    chunk: (usize, usize),
    expected: (usize, usize),
    actual: (usize, usize),
) {
    let pointer = if what.contains("halo step") {
        format!("\n  read: {BOOK_HALO}")
    } else {
        String::new()
    };
    assert!(
        expected == actual,
        "{what}: {}{pointer}",
        ChunkError::ChunkShape {
            chunk,
            expected,
            actual
        }
    );
}

impl ChunkedArray {
    /// An array of `shape` in chunks of `chunks` whose chunk `index` covering `region` is
    /// `make(index, region)`. `make` runs once per chunk each time the graph runs, on any
    /// thread: it must depend only on its arguments (seeded, like section 03's loader).
    ///
    /// # Errors
    /// [`ChunkError::ZeroChunkSize`] (see [`ChunkGrid::new`]).
    pub fn from_fn(
        shape: (usize, usize),
        chunks: (usize, usize),
        steps: Steps,
        make: impl Fn((usize, usize), &Region) -> Array2<f64> + Send + Sync + 'static,
    ) -> Result<ChunkedArray, ChunkError> {
        let grid = ChunkGrid::new(shape, chunks)?;
        let make = Arc::new(make);
        let mut graph = Graph::new();
        let chunk_nodes = grid
            .indices()
            .map(|index| {
                let region = grid.region(index);
                let make = Arc::clone(&make);
                graph.add(
                    Kind::Source,
                    Vec::new(),
                    Arc::new(move |_: &[&Value]| {
                        let chunk = make(index, &region);
                        expect_shape("from_fn", index, region.shape(), chunk.dim());
                        Value::Chunk(chunk)
                    }),
                )
            })
            .collect();
        Ok(ChunkedArray {
            grid,
            graph,
            chunk_nodes,
            steps,
        })
    }

    /// [`seeded_pixels`] of `seed`, in chunks: the lesson's "load" (the same values for
    /// every chunking).
    ///
    /// # Errors
    /// [`ChunkError::ZeroChunkSize`] (see [`ChunkGrid::new`]).
    pub fn seeded(
        shape: (usize, usize),
        chunks: (usize, usize),
        steps: Steps,
        seed: u64,
    ) -> Result<ChunkedArray, ChunkError> {
        ChunkedArray::from_fn(shape, chunks, steps, move |_, region| {
            seeded_pixels(seed, shape, region)
        })
    }

    /// The in-memory `array`, in chunks (each chunk task copies its slice).
    ///
    /// # Errors
    /// [`ChunkError::ZeroChunkSize`] (see [`ChunkGrid::new`]).
    pub fn from_array(
        array: Array2<f64>,
        chunks: (usize, usize),
        steps: Steps,
    ) -> Result<ChunkedArray, ChunkError> {
        let array = Arc::new(array);
        let shape = array.dim();
        ChunkedArray::from_fn(shape, chunks, steps, move |_, region| {
            array
                .slice(s![region.rows.clone(), region.cols.clone()])
                .to_owned()
        })
    }

    /// The chunk grid.
    pub fn grid(&self) -> &ChunkGrid {
        &self.grid
    }

    /// The array's shape.
    pub fn shape(&self) -> (usize, usize) {
        self.grid.shape()
    }

    /// The task graph so far.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The node making each chunk, in row-major chunk order.
    pub fn chunk_nodes(&self) -> &[NodeId] {
        &self.chunk_nodes
    }

    /// The steps (halo, reduction, order) this array's operations use.
    pub fn steps(&self) -> Steps {
        self.steps
    }

    fn node_of(&self, (i, j): (usize, usize)) -> NodeId {
        self.chunk_nodes[i * self.grid.grid_shape().1 + j]
    }

    /// Each chunk replaced by `f(chunk)` (Dask's `map_blocks`).
    ///
    /// # Panics
    /// When the graph runs, if `f` returns an array of another shape than its chunk.
    pub fn map_blocks(
        &self,
        f: impl Fn(ArrayView2<f64>) -> Array2<f64> + Send + Sync + 'static,
    ) -> ChunkedArray {
        let f = Arc::new(f);
        let mut out = self.clone();
        out.chunk_nodes = self
            .grid
            .indices()
            .map(|index| {
                let f = Arc::clone(&f);
                out.graph.add(
                    Kind::Map,
                    vec![self.node_of(index)],
                    Arc::new(move |inputs: &[&Value]| {
                        let chunk = inputs[0].chunk();
                        let mapped = f(chunk.view());
                        expect_shape("map_blocks", index, chunk.dim(), mapped.dim());
                        Value::Chunk(mapped)
                    }),
                )
            })
            .collect();
        out
    }

    /// Each chunk replaced by the interior of `f(block)`, where `block` is the chunk widened
    /// by `depth` elements on every side from its neighbours (Dask's `map_overlap`). At the
    /// array's edge, `boundary` decides what the block holds beyond it: nothing
    /// ([`Boundary::Absent`], the block is smaller) or a constant frame. With section 02's
    /// smooth and `depth >= 1`, `map_overlap(depth, Boundary::Absent, smooth)` equals the
    /// smooth of the whole array for every chunking, bit for bit.
    ///
    /// A depth larger than the chunks is fine: the block then takes elements from chunks
    /// further away (Dask instead requires `depth` no larger than a chunk).
    ///
    /// # Panics
    /// When the graph runs, if the halo step returns a block of the wrong shape, or `f`
    /// changes the block's shape.
    pub fn map_overlap(
        &self,
        depth: usize,
        boundary: Boundary,
        f: impl Fn(ArrayView2<f64>) -> Array2<f64> + Send + Sync + 'static,
    ) -> ChunkedArray {
        let f = Arc::new(f);
        let shape = self.shape();
        let assemble = self.steps.assemble_halo;
        let mut out = self.clone();
        out.chunk_nodes = self
            .grid
            .indices()
            .map(|index| {
                let chunk = self.grid.region(index);
                let reach = Region {
                    rows: chunk.rows.start.saturating_sub(depth)..chunk.rows.end + depth,
                    cols: chunk.cols.start.saturating_sub(depth)..chunk.cols.end + depth,
                };
                let sources = self.grid.chunks_touching(&reach);
                let regions: Vec<Region> = sources.iter().map(|&c| self.grid.region(c)).collect();
                let deps = sources.iter().map(|&c| self.node_of(c)).collect();
                let f = Arc::clone(&f);
                out.graph.add(
                    Kind::Overlap,
                    deps,
                    Arc::new(move |inputs: &[&Value]| {
                        let pieces = pieces(&regions, inputs);
                        let block = assemble(shape, &chunk, depth, boundary, &pieces);
                        let (expected, (top, left)) = block_layout(shape, &chunk, depth, boundary);
                        expect_shape("map_overlap: the halo step", index, expected, block.dim());
                        let result = f(block.view());
                        expect_shape("map_overlap: the function", index, expected, result.dim());
                        let (rows, cols) = chunk.shape();
                        Value::Chunk(
                            result
                                .slice(s![top..top + rows, left..left + cols])
                                .to_owned(),
                        )
                    }),
                )
            })
            .collect();
        out
    }

    /// The same array in chunks of `chunks` (Dask's `rechunk`): each new chunk is assembled
    /// from the old chunks it overlaps, by the halo step with depth 0.
    ///
    /// # Errors
    /// [`ChunkError::ZeroChunkSize`] (see [`ChunkGrid::new`]).
    pub fn rechunk(&self, chunks: (usize, usize)) -> Result<ChunkedArray, ChunkError> {
        let grid = ChunkGrid::new(self.shape(), chunks)?;
        let shape = self.shape();
        let assemble = self.steps.assemble_halo;
        let mut graph = self.graph.clone();
        let chunk_nodes = grid
            .indices()
            .map(|index| {
                let chunk = grid.region(index);
                let sources = self.grid.chunks_touching(&chunk);
                let regions: Vec<Region> = sources.iter().map(|&c| self.grid.region(c)).collect();
                let deps = sources.iter().map(|&c| self.node_of(c)).collect();
                graph.add(
                    Kind::Overlap,
                    deps,
                    Arc::new(move |inputs: &[&Value]| {
                        let block = assemble(
                            shape,
                            &chunk,
                            0,
                            Boundary::Absent,
                            &pieces(&regions, inputs),
                        );
                        expect_shape(
                            "rechunk: the halo step with depth 0",
                            index,
                            chunk.shape(),
                            block.dim(),
                        );
                        Value::Chunk(block)
                    }),
                )
            })
            .collect();
        Ok(ChunkedArray {
            grid,
            graph,
            chunk_nodes,
            steps: self.steps,
        })
    }

    /// The graph of a reduction of the whole array: one leaf per chunk (its [`Summary`]),
    /// then the tree of the reduction step, at most `split_every` values per combine.
    /// Returns the graph and its root.
    ///
    /// # Errors
    /// [`ChunkError::SplitEveryTooSmall`] when `split_every < 2`.
    pub fn reduction(&self, split_every: usize) -> Result<(Graph, NodeId), ChunkError> {
        if split_every < 2 {
            return Err(ChunkError::SplitEveryTooSmall(split_every));
        }
        let mut graph = self.graph.clone();
        let leaves: Vec<NodeId> = self
            .chunk_nodes
            .iter()
            .map(|&n| {
                graph.add(
                    Kind::Partial,
                    vec![n],
                    Arc::new(|inputs: &[&Value]| {
                        Value::Summary(Summary::of_chunk(inputs[0].chunk().view()))
                    }),
                )
            })
            .collect();
        let root =
            (self.steps.reduction_tree)(&mut graph, &leaves, split_every, self.steps.combine);
        Ok((graph, root))
    }

    /// Sum, count, minimum and maximum of the whole array, by a tree reduction
    /// ([`reduction`](Self::reduction)) run with `executor`, with its [`Stats`].
    ///
    /// # Errors
    /// [`ChunkError::SplitEveryTooSmall`] when `split_every < 2`.
    ///
    /// # Panics
    /// If a task panics, or the order step returns an invalid order.
    pub fn summary(
        &self,
        split_every: usize,
        executor: Executor,
    ) -> Result<(Summary, Stats), ChunkError> {
        let (graph, root) = self.reduction(split_every)?;
        let order = (self.steps.execution_order)(&graph, &[root]);
        let mut result = Summary::EMPTY;
        let stats = execute(&graph, &[root], &order, executor, |_, v| {
            result = *v.summary()
        });
        Ok((result, stats))
    }

    /// The mean of the whole array (NaN when empty); see [`summary`](Self::summary).
    ///
    /// # Errors
    /// [`ChunkError::SplitEveryTooSmall`] when `split_every < 2`.
    ///
    /// # Panics
    /// As [`summary`](Self::summary).
    pub fn mean(&self, split_every: usize, executor: Executor) -> Result<f64, ChunkError> {
        Ok(self.summary(split_every, executor)?.0.mean())
    }

    /// The sum of the whole array, compensated; see [`summary`](Self::summary).
    ///
    /// # Errors
    /// [`ChunkError::SplitEveryTooSmall`] when `split_every < 2`.
    ///
    /// # Panics
    /// As [`summary`](Self::summary).
    pub fn sum(&self, split_every: usize, executor: Executor) -> Result<f64, ChunkError> {
        Ok(self.summary(split_every, executor)?.0.sum.value())
    }

    /// Writes every chunk into `out` as it is made, keeping no chunk longer than its
    /// consumers need (Dask's `store`): with a good order, the chunks held at once do not
    /// grow with the array.
    ///
    /// # Errors
    /// [`ChunkError::ShapeMismatch`] when `out` is not of the array's shape.
    ///
    /// # Panics
    /// If a task panics, or the order step returns an invalid order.
    pub fn store(
        &self,
        executor: Executor,
        mut out: ArrayViewMut2<f64>,
    ) -> Result<Stats, ChunkError> {
        if out.dim() != self.shape() {
            return Err(ChunkError::ShapeMismatch {
                expected: self.shape(),
                actual: out.dim(),
            });
        }
        let order = (self.steps.execution_order)(&self.graph, &self.chunk_nodes);
        let regions: Vec<Region> = self.grid.indices().map(|c| self.grid.region(c)).collect();
        Ok(execute(
            &self.graph,
            &self.chunk_nodes,
            &order,
            executor,
            |i, v| {
                let r = &regions[i];
                out.slice_mut(s![r.rows.clone(), r.cols.clone()])
                    .assign(v.chunk());
            },
        ))
    }

    /// The whole array in memory (Dask's `compute`).
    ///
    /// # Panics
    /// If a task panics, or the order step returns an invalid order.
    pub fn compute(&self, executor: Executor) -> Array2<f64> {
        let mut out = Array2::zeros(self.shape());
        self.store(executor, out.view_mut())
            .expect("an array of the array's own shape");
        out
    }
}

/// The inputs of a halo or rechunk task, as pieces with their regions.
fn pieces<'a>(regions: &[Region], inputs: &[&'a Value]) -> Vec<Piece<'a>> {
    regions
        .iter()
        .zip(inputs)
        .map(|(region, value)| Piece {
            region: region.clone(),
            data: value.chunk().view(),
        })
        .collect()
}

/// The shape the halo step must return for `chunk`, and where the chunk sits in it
/// (`(top, left)`): what [`Boundary`] promises.
pub fn block_layout(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
) -> ((usize, usize), (usize, usize)) {
    match boundary {
        Boundary::Absent => {
            let top = chunk.rows.start.min(depth);
            let left = chunk.cols.start.min(depth);
            let bottom = (shape.0 - chunk.rows.end).min(depth);
            let right = (shape.1 - chunk.cols.end).min(depth);
            (
                (
                    top + chunk.rows.len() + bottom,
                    left + chunk.cols.len() + right,
                ),
                (top, left),
            )
        }
        Boundary::Constant(_) => (
            (chunk.rows.len() + 2 * depth, chunk.cols.len() + 2 * depth),
            (depth, depth),
        ),
    }
}
