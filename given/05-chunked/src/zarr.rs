//! A chunked store on disk: Zarr v3, the format of the xarray / Open Data Cube / Pangeo world
//! for chunked arrays. One directory per array: `zarr.json` (shape, chunk grid, data type,
//! fill value, codecs) and one file per chunk (`c/<row>/<col>`), here uncompressed
//! little-endian `f64`s. Each chunk is read by its own task, so a graph that starts from a
//! Zarr array streams it: only the chunks in flight are in memory.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use ndarray::{Array2, s};
use zarrs::array::{Array, ArrayBuilder, data_type};
use zarrs::filesystem::FilesystemStore;

use crate::array::ChunkedArray;
use crate::execute::{Executor, Stats, execute};
use crate::grid::ChunkGrid;
use crate::steps::Steps;

/// Why a Zarr array could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZarrError {
    /// The store, the metadata or a chunk could not be read or written (zarrs' message).
    Store(String),
    /// The array is not two-dimensional.
    NotTwoDimensional(Vec<u64>),
    /// The array's elements are not `float64`.
    NotFloat64(String),
    /// A Zarr chunk grid needs chunks of at least one element on every axis.
    EmptyChunks((usize, usize)),
}

impl fmt::Display for ZarrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZarrError::Store(e) => write!(f, "zarr store: {e}"),
            ZarrError::NotTwoDimensional(shape) => {
                write!(
                    f,
                    "the zarr array has shape {shape:?}; only 2-D arrays are supported"
                )
            }
            ZarrError::NotFloat64(t) => {
                write!(f, "the zarr array holds {t}; only float64 is supported")
            }
            ZarrError::EmptyChunks(c) => {
                write!(
                    f,
                    "chunks of {c:?}: a zarr chunk grid needs at least 1×1 chunks"
                )
            }
        }
    }
}

impl std::error::Error for ZarrError {}

fn store_error(e: impl fmt::Display) -> ZarrError {
    ZarrError::Store(e.to_string())
}

/// The data type named in an array's metadata (`"float64"`).
fn data_type_name(array: &Array<FilesystemStore>) -> String {
    serde_json::from_str::<serde_json::Value>(&array.metadata().to_string_pretty())
        .ok()
        .and_then(|m| {
            m.get("data_type")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "an unknown data type".into())
}

impl ChunkedArray {
    /// The Zarr v3 array in the directory `path`, in its own chunks: one task per chunk
    /// reads it when the graph runs (nothing is read here but `zarr.json`). A chunk never
    /// written reads as the fill value.
    ///
    /// # Errors
    /// [`ZarrError::Store`] when the directory or its `zarr.json` cannot be opened;
    /// [`ZarrError::NotTwoDimensional`] and [`ZarrError::NotFloat64`] for other arrays.
    ///
    /// # Panics
    /// When the graph runs, if a chunk file cannot be read or decoded (the task panics with
    /// zarrs' message).
    pub fn from_zarr(path: &Path, steps: Steps) -> Result<ChunkedArray, ZarrError> {
        let store = Arc::new(FilesystemStore::new(path).map_err(store_error)?);
        let array = Array::open(store, "/").map_err(store_error)?;
        let &[rows, cols] = array.shape() else {
            return Err(ZarrError::NotTwoDimensional(array.shape().to_vec()));
        };
        let name = data_type_name(&array);
        if name != "float64" {
            return Err(ZarrError::NotFloat64(name));
        }
        let chunk = array.chunk_shape(&[0, 0]).map_err(store_error)?;
        let chunks = (chunk[0].get() as usize, chunk[1].get() as usize);
        let shape = (rows as usize, cols as usize);
        let array = Arc::new(array);
        ChunkedArray::from_fn(shape, chunks, steps, move |(i, j), region| {
            // Zarr stores every chunk at full size; an edge chunk's tail is fill.
            let full: Vec<f64> = array
                .retrieve_chunk(&[i as u64, j as u64])
                .unwrap_or_else(|e| panic!("reading zarr chunk ({i}, {j}): {e}"));
            Array2::from_shape_vec(chunks, full)
                .expect("zarrs returns a whole chunk")
                .slice(s![..region.rows.len(), ..region.cols.len()])
                .to_owned()
        })
        .map_err(|e| ZarrError::Store(e.to_string()))
    }

    /// Writes the array to a new Zarr v3 array in the directory `path`, chunk by chunk as the
    /// graph makes them, with this array's chunk grid, `float64` elements, NaN as the fill
    /// value and no compression (zarr-python reads it: `python/test_zarr.py`). Returns the run's
    /// [`Stats`]: with a depth-first order, the chunks held at once do not grow with the array.
    ///
    /// # Errors
    /// [`ZarrError::EmptyChunks`] for an array without chunks of at least 1 × 1;
    /// [`ZarrError::Store`] when the directory, the metadata or a chunk cannot be written
    /// (the first such error; the chunks after it are still computed but not written).
    ///
    /// # Panics
    /// If a task panics, or the order step returns an invalid order.
    pub fn store_zarr(&self, path: &Path, executor: Executor) -> Result<Stats, ZarrError> {
        let grid: &ChunkGrid = self.grid();
        let (cr, cc) = grid.chunk_size();
        if cr == 0 || cc == 0 {
            return Err(ZarrError::EmptyChunks((cr, cc)));
        }
        let (rows, cols) = self.shape();
        let store = Arc::new(FilesystemStore::new(path).map_err(store_error)?);
        let array = ArrayBuilder::new(
            vec![rows as u64, cols as u64],
            vec![cr as u64, cc as u64],
            data_type::float64(),
            f64::NAN,
        )
        .dimension_names(Some(["y", "x"]))
        .build(store, "/")
        .map_err(store_error)?;
        array.store_metadata().map_err(store_error)?;
        let indices: Vec<(usize, usize)> = grid.indices().collect();
        let order = (self.steps().execution_order)(self.graph(), self.chunk_nodes());
        let mut first_error = None;
        let stats = execute(
            self.graph(),
            self.chunk_nodes(),
            &order,
            executor,
            |k, value| {
                if first_error.is_some() {
                    return;
                }
                let (i, j) = indices[k];
                let mut full = Array2::from_elem((cr, cc), f64::NAN);
                let chunk = value.chunk();
                let (r, c) = chunk.dim();
                full.slice_mut(s![..r, ..c]).assign(chunk);
                let elements: Vec<f64> = full.into_raw_vec_and_offset().0;
                if let Err(e) = array.store_chunk(&[i as u64, j as u64], elements) {
                    first_error = Some(store_error(e));
                }
            },
        );
        match first_error {
            Some(e) => Err(e),
            None => Ok(stats),
        }
    }
}
