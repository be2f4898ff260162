//! The chunk grid: how an array's shape is cut into chunks, like Dask's `chunks` tuples.

use std::fmt;
use std::ops::Range;

/// A rectangle of an array: rows `rows`, columns `cols` (half-open ranges).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region {
    pub rows: Range<usize>,
    pub cols: Range<usize>,
}

impl Region {
    /// The region's shape `(rows, cols)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows.len(), self.cols.len())
    }

    /// The part of `self` that also lies in `other` (possibly empty).
    pub fn intersect(&self, other: &Region) -> Region {
        let clip = |a: &Range<usize>, b: &Range<usize>| {
            let start = a.start.max(b.start);
            start..a.end.min(b.end).max(start)
        };
        Region {
            rows: clip(&self.rows, &other.rows),
            cols: clip(&self.cols, &other.cols),
        }
    }

    /// `true` when the region holds no element.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() || self.cols.is_empty()
    }
}

/// Why a chunked array could not be built or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkError {
    /// A chunk size of 0 along an axis that has elements: there would be no chunks to hold them.
    ZeroChunkSize {
        shape: (usize, usize),
        chunks: (usize, usize),
    },
    /// A reduction's fan-in below 2: a tree that combines one partial at a time never ends.
    SplitEveryTooSmall(usize),
    /// `store` into an array of another shape.
    ShapeMismatch {
        expected: (usize, usize),
        actual: (usize, usize),
    },
    /// A chunk function returned an array of the wrong shape for its chunk.
    ChunkShape {
        chunk: (usize, usize),
        expected: (usize, usize),
        actual: (usize, usize),
    },
}

impl fmt::Display for ChunkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkError::ZeroChunkSize { shape, chunks } => write!(
                f,
                "chunk size {chunks:?} has a 0 along an axis of the {shape:?} array that has elements"
            ),
            ChunkError::SplitEveryTooSmall(s) => {
                write!(f, "split_every must be at least 2 (got {s})")
            }
            ChunkError::ShapeMismatch { expected, actual } => {
                write!(f, "cannot store a {expected:?} array into a {actual:?} one")
            }
            ChunkError::ChunkShape {
                chunk,
                expected,
                actual,
            } => write!(
                f,
                "chunk {chunk:?} should be {expected:?} but its function returned {actual:?}"
            ),
        }
    }
}

impl std::error::Error for ChunkError {}

/// A regular grid of chunks over a 2-D shape: every chunk is `chunks` in size except the
/// last row and column of chunks, which hold what is left (Dask's `chunks=(500, 500)` on a
/// 1200-row axis gives `(500, 500, 200)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkGrid {
    shape: (usize, usize),
    chunks: (usize, usize),
}

impl ChunkGrid {
    /// The grid cutting `shape` into chunks of `chunks` (the last ones ragged).
    ///
    /// # Errors
    /// [`ChunkError::ZeroChunkSize`] when a chunk size is 0 along an axis that has
    /// elements. An empty axis with chunk size 0 is accepted: it has no chunks.
    pub fn new(shape: (usize, usize), chunks: (usize, usize)) -> Result<ChunkGrid, ChunkError> {
        if (chunks.0 == 0 && shape.0 > 0) || (chunks.1 == 0 && shape.1 > 0) {
            return Err(ChunkError::ZeroChunkSize { shape, chunks });
        }
        Ok(ChunkGrid { shape, chunks })
    }

    /// The array's shape.
    pub fn shape(&self) -> (usize, usize) {
        self.shape
    }

    /// The regular chunk size.
    pub fn chunk_size(&self) -> (usize, usize) {
        self.chunks
    }

    /// How many chunks along each axis.
    pub fn grid_shape(&self) -> (usize, usize) {
        let count = |len: usize, size: usize| if len == 0 { 0 } else { len.div_ceil(size) };
        (
            count(self.shape.0, self.chunks.0),
            count(self.shape.1, self.chunks.1),
        )
    }

    /// The number of chunks.
    pub fn len(&self) -> usize {
        let (r, c) = self.grid_shape();
        r * c
    }

    /// `true` when the array has no elements (and so no chunks).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Chunk `(i, j)`'s rows and columns in the array.
    ///
    /// # Panics
    /// If `(i, j)` lies outside [`grid_shape`](Self::grid_shape).
    pub fn region(&self, (i, j): (usize, usize)) -> Region {
        let (gr, gc) = self.grid_shape();
        assert!(
            i < gr && j < gc,
            "chunk ({i}, {j}) outside the {gr}×{gc} grid"
        );
        let (r, c) = self.chunks;
        Region {
            rows: i * r..((i + 1) * r).min(self.shape.0),
            cols: j * c..((j + 1) * c).min(self.shape.1),
        }
    }

    /// Dask's `chunks` attribute: the chunk lengths along each axis, e.g. `([500, 500, 200],
    /// [700])`.
    pub fn dask_chunks(&self) -> (Vec<usize>, Vec<usize>) {
        let (gr, gc) = self.grid_shape();
        let rows = (0..gr).map(|i| self.region((i, 0)).rows.len()).collect();
        let cols = (0..gc).map(|j| self.region((0, j)).cols.len()).collect();
        (rows, cols)
    }

    /// Every chunk index in row-major order.
    pub fn indices(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        let (gr, gc) = self.grid_shape();
        (0..gr).flat_map(move |i| (0..gc).map(move |j| (i, j)))
    }

    /// The chunks that hold some element of `region`, in row-major order.
    pub fn chunks_touching(&self, region: &Region) -> Vec<(usize, usize)> {
        let region = region.intersect(&Region {
            rows: 0..self.shape.0,
            cols: 0..self.shape.1,
        });
        if region.is_empty() {
            return Vec::new();
        }
        let (r, c) = self.chunks;
        let rows = region.rows.start / r..=(region.rows.end - 1) / r;
        let cols = region.cols.start / c..=(region.cols.end - 1) / c;
        rows.flat_map(|i| cols.clone().map(move |j| (i, j)))
            .collect()
    }
}
