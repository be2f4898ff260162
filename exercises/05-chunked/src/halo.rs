//! §5.1 — the halo: a chunk and a border of `depth` elements from its neighbours.

use std::ops::Range;

use ndarray::{Array2, s};

use crate::{Boundary, Piece, Region};

// ANCHOR: assemble_halo
/// The block `map_overlap` hands to its function for `chunk`: the chunk widened by `depth`
/// on every side, in an array of `shape`, copied from the `pieces` (whole chunks, each with
/// its region in the array) that cover it.
///
/// At the array's edge the `boundary` decides: [`Boundary::Absent`] stops the block at the
/// edge, [`Boundary::Constant`] fills a `depth`-wide frame with its value. Chunks may be
/// smaller than `depth`, one element wide, or ragged.
pub fn assemble_halo(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    todo!(
        "assemble_halo: work out the block's rows and columns (the chunk's, widened by depth, \
         clipped to the array for Boundary::Absent, not clipped for Constant), make an array of \
         that size (filled with the constant), and copy into it the part of every piece that \
         falls inside — book §5.1 \"The halo\" (book/src/05-chunked.md)"
    )
}
// ANCHOR_END: assemble_halo
