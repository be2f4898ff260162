//! Section 05, step 1: the halo — map_overlap equals the whole-array smooth.

use super::*;

// ---------------------------------------------------------------------------------------
// Step 1: the halo
// ---------------------------------------------------------------------------------------

/// The oracle block: the array padded by `depth` on every side (with the constant, or with
/// NaN standing for "absent"), sliced around the chunk, with the absent rows and columns cut
/// off. Written from the definition, without rectangle arithmetic on pieces.
pub fn oracle_block(
    whole: ArrayView2<f64>,
    chunk: &Region,
    depth: usize,
    boundary: Boundary,
) -> Array2<f64> {
    let (rows, cols) = whole.dim();
    let (top, left) = (chunk.rows.start, chunk.cols.start);
    let (bottom, right) = (chunk.rows.end + 2 * depth, chunk.cols.end + 2 * depth);
    match boundary {
        Boundary::Constant(value) => {
            let mut padded = Array2::from_elem((rows + 2 * depth, cols + 2 * depth), value);
            padded
                .slice_mut(s![depth..depth + rows, depth..depth + cols])
                .assign(&whole);
            padded.slice(s![top..bottom, left..right]).to_owned()
        }
        Boundary::Absent => {
            // In padded coordinates the array starts at `depth`; clip to it.
            let r0 = top.max(depth) - depth;
            let c0 = left.max(depth) - depth;
            let r1 = (bottom.min(rows + depth)).saturating_sub(depth);
            let c1 = (right.min(cols + depth)).saturating_sub(depth);
            whole.slice(s![r0..r1, c0..c1]).to_owned()
        }
    }
}

/// Every chunk of `whole` in chunks of `chunks`, as pieces, and the grid.
fn pieces_of(
    whole: ArrayView2<'_, f64>,
    chunks: (usize, usize),
) -> (given_05::ChunkGrid, Vec<Piece<'_>>) {
    let grid = given_05::ChunkGrid::new(whole.dim(), chunks).expect("a valid chunking");
    let pieces = grid
        .indices()
        .map(|c| {
            let region = grid.region(c);
            Piece {
                data: whole.slice_move(s![region.rows.clone(), region.cols.clone()]),
                region,
            }
        })
        .collect();
    (grid, pieces)
}

/// `assemble_halo` of every chunk of `whole` against the oracle. The pieces handed over are
/// those the given `map_overlap` hands over: the chunks that touch the block.
fn expect_halos(
    api: &ChunkedApi,
    whole: ArrayView2<f64>,
    chunks: (usize, usize),
    depth: usize,
    boundary: Boundary,
) -> Result<(), String> {
    let (grid, all) = pieces_of(whole, chunks);
    for index in grid.indices() {
        let chunk = grid.region(index);
        let reach = Region {
            rows: chunk.rows.start.saturating_sub(depth)..chunk.rows.end + depth,
            cols: chunk.cols.start.saturating_sub(depth)..chunk.cols.end + depth,
        };
        let touching = grid.chunks_touching(&reach);
        let pieces: Vec<Piece> = touching
            .iter()
            .map(|&(i, j)| all[i * grid.grid_shape().1 + j].clone())
            .collect();
        let what = format!(
            "assemble_halo of chunk {index:?} (rows {:?}, cols {:?}) of a {:?} array in {chunks:?} \
             chunks, depth {depth}, {boundary:?}",
            chunk.rows,
            chunk.cols,
            whole.dim()
        );
        let actual = crate::check::with_panic_context(
            || format!("{what}\n  read: {BOOK_HALO}"),
            || (api.assemble_halo)(whole.dim(), &chunk, depth, boundary, &pieces),
        );
        compare(
            &what,
            BOOK_HALO,
            oracle_block(whole, &chunk, depth, boundary).view(),
            actual.view(),
            Tolerance::Exact,
        )?;
    }
    Ok(())
}

/// Fixed cases: interior and edge chunks, ragged last chunks, 1-wide chunks, chunks smaller
/// than the depth, depth 0, both boundaries.
pub fn correctness_halo_fixed_cases(api: &ChunkedApi) {
    let whole = array![
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0],
        [15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0],
        [22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0],
        [29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0]
    ];
    // The interior chunk of a 5×7 array in 2×3 chunks, depth 1: the chunk and one ring.
    check(expect_halos(api, whole.view(), (2, 3), 1, Boundary::Absent));
    check(expect_halos(
        api,
        whole.view(),
        (2, 3),
        1,
        Boundary::Constant(-1.0),
    ));
    for (chunks, depth) in [
        ((5, 7), 1), // one chunk: the halo is all boundary
        ((2, 3), 0), // depth 0: the chunk itself
        ((1, 1), 1), // 1-wide chunks: eight neighbours of one element each
        ((1, 2), 3), // chunks smaller than the depth: neighbours of neighbours
        ((3, 4), 2), // ragged last row and column of chunks
        ((4, 1), 5), // a depth past the whole array
    ] {
        for boundary in [Boundary::Absent, Boundary::Constant(0.5)] {
            check(expect_halos(api, whole.view(), chunks, depth, boundary));
        }
    }
    let tall = seeded_image(51, (9, 1));
    check(expect_halos(api, tall.view(), (2, 1), 1, Boundary::Absent));
}

/// A shape, a chunking of it, a depth and a constant.
pub(super) fn overlap_case() -> impl Strategy<Value = ((usize, usize), (usize, usize), usize, f64)>
{
    (1_usize..=30, 1_usize..=30).prop_flat_map(|shape| {
        (
            Just(shape),
            (1..=shape.0.min(12), 1..=shape.1.min(12)),
            1_usize..=3,
            pixel_value(),
        )
    })
}

/// `map_overlap(depth, Absent, smooth)` equals section 02's smooth of the whole array, bit
/// for bit, for every shape, chunking and depth ≥ 1 (each output's window lies in its block,
/// summed in the same order); with a constant boundary it equals the smooth of the array
/// padded with the constant.
pub fn properties_halo_map_overlap_equals_whole_array_smooth(api: &ChunkedApi) {
    // A plain call first, outside proptest, so a stub fails once with its own message.
    let first = seeded_image(52, (7, 9));
    let _ = ChunkedArray::from_array(first, (3, 4), halo_only(api))
        .expect("valid chunks")
        .map_overlap(1, Boundary::Absent, given_05::smooth)
        .compute(Executor::Sequential);
    properties::check(
        "map_overlap(depth, boundary, smooth) equals the smooth of the whole array",
        BOOK_HALO,
        &["shape", "chunks", "depth", "value"],
        overlap_case(),
        |(shape, chunks, depth, value)| {
            let whole = seeded_image(53, shape);
            let chunked = ChunkedArray::from_array(whole.clone(), chunks, halo_only(api))
                .expect("valid chunks");
            let absent = chunked
                .map_overlap(depth, Boundary::Absent, given_05::smooth)
                .compute(Executor::Sequential);
            compare(
                &format!("map_overlap({depth}, Absent, smooth) in {chunks:?} chunks vs smooth"),
                BOOK_HALO,
                given_05::smooth(whole.view()).view(),
                absent.view(),
                Tolerance::Exact,
            )?;
            let padded = oracle_block(
                whole.view(),
                &Region {
                    rows: 0..shape.0,
                    cols: 0..shape.1,
                },
                depth,
                Boundary::Constant(value),
            );
            let expected = given_05::smooth(padded.view())
                .slice(s![depth..depth + shape.0, depth..depth + shape.1])
                .to_owned();
            let constant = chunked
                .map_overlap(depth, Boundary::Constant(value), given_05::smooth)
                .compute(Executor::Sequential);
            compare(
                &format!("map_overlap({depth}, Constant({value}), smooth) in {chunks:?} chunks"),
                BOOK_HALO,
                expected.view(),
                constant.view(),
                Tolerance::Exact,
            )
        },
    );
}

/// `rechunk` (the halo step with depth 0, from the old chunks to the new) keeps every value.
pub fn properties_halo_rechunk_keeps_every_value(api: &ChunkedApi) {
    let _ = ChunkedArray::from_array(seeded_image(54, (5, 5)), (2, 2), halo_only(api))
        .expect("valid chunks")
        .rechunk((3, 3))
        .expect("valid chunks")
        .compute(Executor::Sequential);
    properties::check(
        "rechunk keeps every value",
        BOOK_HALO,
        &["shape", "from chunks", "to chunks"],
        overlap_case().prop_flat_map(|(shape, from, _, _)| {
            (Just(shape), Just(from), (1..=shape.0, 1..=shape.1))
        }),
        |(shape, from, to)| {
            let whole = seeded_image(55, shape);
            let out = ChunkedArray::from_array(whole.clone(), from, halo_only(api))
                .expect("valid chunks")
                .rechunk(to)
                .expect("valid chunks")
                .compute(Executor::Sequential);
            compare(
                &format!("rechunk from {from:?} to {to:?} chunks"),
                BOOK_HALO,
                whole.view(),
                out.view(),
                Tolerance::Exact,
            )
        },
    );
}
