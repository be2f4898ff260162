//! §5.1 — the halo: a chunk and a border of `depth` elements from its neighbours.

use std::ops::Range;

use ndarray::{Array2, s};

use crate::{Boundary, Piece, Region};

// ANCHOR: assemble_halo
/// The block `map_overlap` hands to its function for `chunk`: the chunk widened by `depth`
/// on every side, in an array of `shape`, copied from the `pieces` that cover it.
///
/// At the array's edge the `boundary` decides: [`Boundary::Absent`] stops the block at the
/// edge (a chunk in a corner gets `depth` more rows and columns on two sides only),
/// [`Boundary::Constant`] fills a `depth`-wide frame with its value. A `depth` larger than a
/// chunk needs no special case: the block reaches into every piece it overlaps.
pub fn assemble_halo(
    shape: (usize, usize),
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
    pieces: &[Piece],
) -> Array2<f64> {
    // Signed, because a constant frame reaches past the array's edge (to row -depth).
    let widen = |r: &Range<usize>, len: usize| -> Range<isize> {
        let (start, end) = (r.start as isize - depth as isize, (r.end + depth) as isize);
        match boundary {
            Boundary::Absent => start.max(0)..end.min(len as isize),
            Boundary::Constant(_) => start..end,
        }
    };
    let rows = widen(&chunk.rows, shape.0);
    let cols = widen(&chunk.cols, shape.1);
    let fill = match boundary {
        Boundary::Absent => 0.0, // every element is overwritten by a piece
        Boundary::Constant(value) => value,
    };
    let mut block = Array2::from_elem((rows.len(), cols.len()), fill);
    let overlap = |a: &Range<isize>, b: &Range<usize>| {
        a.start.max(b.start as isize)..a.end.min(b.end as isize)
    };
    for piece in pieces {
        let (r, c) = (
            overlap(&rows, &piece.region.rows),
            overlap(&cols, &piece.region.cols),
        );
        if r.is_empty() || c.is_empty() {
            continue;
        }
        let within = |range: &Range<isize>, origin: isize| {
            (range.start - origin) as usize..(range.end - origin) as usize
        };
        let (pr, pc) = (
            piece.region.rows.start as isize,
            piece.region.cols.start as isize,
        );
        block
            .slice_mut(s![within(&r, rows.start), within(&c, cols.start)])
            .assign(&piece.data.slice(s![within(&r, pr), within(&c, pc)]));
    }
    block
}
// ANCHOR_END: assemble_halo
