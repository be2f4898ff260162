//! Section 05, step 3: the order of work — each node once, inputs first, K chunks at most.

use super::*;

// ---------------------------------------------------------------------------------------
// Step 3: the order of work
// ---------------------------------------------------------------------------------------

/// The order is valid: exactly the nodes the outputs need, each once, inputs first; on a
/// graph that holds nodes no output needs, outputs that share inputs, and several outputs.
pub fn correctness_order_runs_each_needed_node_once_inputs_first(api: &ChunkedApi) {
    let base = ChunkedArray::seeded((9, 9), (3, 3), order_only(api), 60).expect("valid chunks");
    let smoothed = base.map_overlap(1, Boundary::Absent, given_05::smooth);
    // A second branch the outputs below do not need.
    let unused = smoothed.map_blocks(|c| c.mapv(|x| x * 2.0));
    let graph = unused.graph();
    let cases: Vec<(&str, Vec<NodeId>)> = vec![
        (
            "one smoothed chunk (needs 4 source chunks)",
            vec![smoothed.chunk_nodes()[0]],
        ),
        (
            "the centre smoothed chunk (needs all 9 sources)",
            vec![smoothed.chunk_nodes()[4]],
        ),
        (
            "every smoothed chunk, sharing sources",
            smoothed.chunk_nodes().to_vec(),
        ),
        (
            "two outputs in reverse order",
            vec![smoothed.chunk_nodes()[8], smoothed.chunk_nodes()[0]],
        ),
        ("a source chunk alone", vec![base.chunk_nodes()[3]]),
        ("no outputs", Vec::new()),
    ];
    for (what, outputs) in cases {
        let order = crate::check::with_panic_context(
            || format!("execution_order for {what}\n  read: {BOOK_ORDER}"),
            || (api.execution_order)(graph, &outputs),
        );
        if let Err(problem) = check_order(graph, &outputs, &order) {
            panic!(
                "execution_order for {what} (a {}-node graph): {problem}\n  read: {BOOK_ORDER}",
                graph.len()
            );
        }
    }
}

fn stats_of<R>(what: &str, run: impl FnOnce() -> R) -> R {
    crate::check::with_panic_context(|| format!("{what}\n  read: {BOOK_ORDER}"), run)
}

/// Chunks held at once stay under a bound that does not grow with the array: at most 3 for
/// map_blocks → reduction (a chunk, its map, nothing else) and for map_blocks → store; for
/// map_overlap → reduction at most two rows of source chunks and a few more (`2·cols + 6`),
/// however many rows. A level-by-level order (every source, then every map, …) holds them all.
///
/// The reference solution (depth first, inputs in the order listed) holds 2 chunks in the
/// first two runs and 20 = 2·8 + 4 chunks on both overlap grids (8×8 and 32×8: the bound does
/// not grow with the rows); level by level holds 64, and 64 and 256 source chunks.
pub fn mechanism_order_keeps_at_most_k_chunks(api: &ChunkedApi) {
    let bound_map = 3;
    let tall = ChunkedArray::seeded((512, 8), (8, 8), order_only(api), 61).expect("valid chunks");
    let doubled = tall.map_blocks(|c| c.mapv(|x| 2.0 * x));
    let what = "map_blocks then summary(split_every 4) over a 64×1 grid of chunks";
    let (_, stats) = stats_of(what, || {
        doubled.summary(4, Executor::Sequential).expect("s >= 2")
    });
    check_bound(what, stats.peak_chunks, bound_map, 64);

    let what = "map_blocks then store over a 64×1 grid of chunks";
    let mut out = Array2::zeros(doubled.shape());
    let stats = stats_of(what, || {
        doubled
            .store(Executor::Sequential, out.view_mut())
            .expect("same shape")
    });
    check_bound(what, stats.peak_chunks, bound_map, 64);

    for (grid_rows, grid_cols) in [(8, 8), (32, 8)] {
        let array =
            ChunkedArray::seeded((4 * grid_rows, 4 * grid_cols), (4, 4), order_only(api), 62)
                .expect("valid chunks");
        let smoothed = array.map_overlap(1, Boundary::Absent, given_05::smooth);
        let what = format!(
            "map_overlap(1) then summary(split_every 4) over a {grid_rows}×{grid_cols} grid of chunks"
        );
        let (_, stats) = stats_of(&what, || {
            smoothed.summary(4, Executor::Sequential).expect("s >= 2")
        });
        check_bound(
            &what,
            stats.peak_chunks,
            2 * grid_cols + 6,
            grid_rows * grid_cols,
        );
    }
}

fn check_bound(what: &str, peak: usize, bound: usize, chunks: usize) {
    assert!(
        peak <= bound,
        "{what}: {peak} chunks were held at once (the array has {chunks}), expected at most \
         {bound}: the order must finish what a chunk feeds before making the next (depth first), \
         so each chunk is freed soon after it is made\n  read: {BOOK_ORDER}"
    );
}

/// The sequential and rayon executors, running the learner's order, give bit-identical
/// chunks and sums on random shapes and chunkings.
pub fn properties_order_executors_agree_bit_for_bit(api: &ChunkedApi) {
    let _ = (api.execution_order)(&Graph::new(), &[]);
    properties::check(
        "the sequential and rayon executors agree bit for bit",
        BOOK_ORDER,
        &["shape", "chunks", "depth", "value (unused)"],
        overlap_case(),
        |(shape, chunks, depth, _)| {
            let array = ChunkedArray::seeded(shape, chunks, order_only(api), 63)
                .expect("valid chunks")
                .map_overlap(depth, Boundary::Absent, given_05::smooth);
            let what = format!("map_overlap smooth of a {shape:?} array in {chunks:?} chunks");
            let sequential = array.compute(Executor::Sequential);
            let parallel = array.compute(Executor::Rayon);
            compare(
                &format!("{what}: rayon vs sequential"),
                BOOK_ORDER,
                sequential.view(),
                parallel.view(),
                Tolerance::Exact,
            )?;
            let s = array.sum(3, Executor::Sequential).expect("s >= 2");
            let p = array.sum(3, Executor::Rayon).expect("s >= 2");
            if s.to_bits() != p.to_bits() {
                return Err(format!(
                    "{what}: the sum is {s:e} sequentially and {p:e} on rayon\n  read: {BOOK_ORDER}"
                ));
            }
            Ok(())
        },
    );
}
