//! Bad input to the chunked array gives a clear error, never garbage: the limits documented
//! under `# Errors` in given-05.

use ndarray::Array2;
use solution_05::{ChunkError, ChunkGrid, Executor, seeded};

#[test]
fn a_zero_chunk_size_on_a_non_empty_axis_is_an_error() {
    let err = seeded((4, 4), (0, 2), 1).err().expect("an error");
    assert_eq!(
        err,
        ChunkError::ZeroChunkSize {
            shape: (4, 4),
            chunks: (0, 2)
        }
    );
    assert!(err.to_string().contains("chunk size (0, 2)"));
    // An empty axis has no chunks, whatever their size.
    assert!(ChunkGrid::new((0, 3), (0, 1)).is_ok());
}

#[test]
fn split_every_below_two_is_an_error() {
    let array = seeded((4, 4), (2, 2), 1).expect("valid");
    assert_eq!(
        array.mean(1, Executor::Sequential),
        Err(ChunkError::SplitEveryTooSmall(1))
    );
}

#[test]
fn store_into_another_shape_is_an_error() {
    let array = seeded((4, 4), (2, 2), 1).expect("valid");
    let mut out = Array2::zeros((4, 5));
    assert_eq!(
        array.store(Executor::Rayon, out.view_mut()),
        Err(ChunkError::ShapeMismatch {
            expected: (4, 4),
            actual: (4, 5)
        })
    );
}

#[test]
fn the_grid_matches_dasks_chunks_tuples() {
    let grid = ChunkGrid::new((1200, 700), (500, 700)).expect("valid");
    assert_eq!(grid.dask_chunks(), (vec![500, 500, 200], vec![700]));
    assert_eq!(grid.len(), 3);
}

#[test]
fn a_chunk_function_of_the_wrong_shape_panics_with_the_chunk() {
    let array = solution_05::ChunkedArray::from_fn((4, 4), (2, 2), solution_05::STEPS, |_, _| {
        Array2::zeros((1, 1))
    })
    .expect("valid");
    let message = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        array.compute(Executor::Sequential)
    }))
    .err()
    .map(|p| measure::panic_message(p.as_ref()))
    .expect("a panic");
    assert!(
        message.contains("chunk (0, 0) should be (2, 2)"),
        "{message}"
    );
}

#[test]
fn a_panicking_task_on_rayon_reaches_the_caller() {
    let array = solution_05::seeded((8, 8), (2, 2), 1)
        .expect("valid")
        .map_blocks(|_| panic!("task failed on purpose"));
    let message = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        array.compute(Executor::Rayon)
    }))
    .err()
    .map(|p| measure::panic_message(p.as_ref()))
    .expect("a panic");
    assert!(message.contains("task failed on purpose"), "{message}");
}

#[test]
fn the_graph_is_drawn_with_one_box_per_task_and_one_arrow_per_input() {
    let (graph, _) = seeded((6, 6), (3, 3), 1)
        .expect("valid")
        .map_overlap(1, solution_05::Boundary::Absent, solution_05::smooth)
        .reduction(2)
        .expect("valid");
    let edges: usize = (0..graph.len()).map(|n| graph.deps(n).len()).sum();
    let dot = graph.to_dot();
    assert_eq!(dot.matches("[label=").count(), graph.len());
    assert_eq!(dot.matches(" -> ").count(), edges);
    assert!(
        dot.contains("overlap 4") && dot.contains("combine"),
        "{dot}"
    );
    let svg = graph.to_svg().expect("small enough to draw");
    assert!(
        svg.starts_with("<svg") || svg.contains("<svg"),
        "{}",
        &svg[..200.min(svg.len())]
    );
    assert!(svg.contains("overlap 4"));
}

#[test]
fn a_graph_too_large_to_draw_is_an_error() {
    let array = seeded((100, 100), (2, 2), 1).expect("valid");
    let err = array.graph().to_svg().expect_err("2500 nodes");
    assert!(err.contains("2500 nodes"), "{err}");
}
