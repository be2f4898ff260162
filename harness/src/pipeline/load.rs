//! §3.1: `load_eo_data`, against the documented seeded recipe
//! ([`seeded_image`](crate::data::seeded_image), written once in the `measure` crate).

use ndarray::Array2;
use proptest::collection::vec;

use super::{BOOK_LOAD, PipelineApi};
use crate::check::with_panic_context;
use crate::compare::{Tolerance, compare};
use crate::data::seeded_image;
use crate::properties;

pub(super) fn load(api: &PipelineApi, index: u64, shape: (usize, usize)) -> Array2<f64> {
    with_panic_context(
        || format!("load_eo_data({index}, {shape:?}): panicked\n  read: {BOOK_LOAD}"),
        || (api.load_eo_data)(index, shape),
    )
}

/// `load_eo_data` follows the documented recipe, for every index and shape.
pub fn correctness_load_eo_data(api: &PipelineApi) {
    for (index, shape) in [(0, (3, 4)), (1, (3, 4)), (7, (1, 9)), (12345, (5, 1))] {
        let image = load(api, index, shape);
        let what = format!("load_eo_data({index}, {shape:?})");
        if let Err(report) = compare(
            &what,
            BOOK_LOAD,
            seeded_image(index, shape).view(),
            image.view(),
            Tolerance::Exact,
        ) {
            panic!(
                "{report}\n  (the recipe: Xoshiro256PlusPlus::seed_from_u64(index), one \
                 next_u64() per pixel in row-major order, (bits >> 11) as f64 * 2^-53)"
            );
        }
    }
    let (a, b) = (load(api, 0, (4, 4)), load(api, 1, (4, 4)));
    assert!(
        a != b,
        "load_eo_data: images 0 and 1 are identical; the seed must come from the index \
         (otherwise every image is the same one, the trap the tutorial avoids with Dask's \
         pure=False)\n  read: {BOOK_LOAD}"
    );
    for shape in [(0, 5), (5, 0), (0, 0)] {
        let image = load(api, 3, shape);
        assert!(
            image.dim() == shape,
            "load_eo_data(3, {shape:?}): returned shape {:?}; a zero dimension gives an empty \
             array of exactly that shape\n  read: {BOOK_LOAD}",
            image.dim()
        );
    }
}

/// Any image, loaded in any order, on any thread, twice: always the same pixels.
pub fn properties_load_is_a_function_of_the_index(api: &PipelineApi) {
    let first = load(api, 0, (2, 3));
    let again = load(api, 0, (2, 3));
    assert!(
        first == again,
        "load_eo_data(0, (2, 3)) gave different pixels on two calls; an image must be a \
         pure function of its index (no generator shared between calls)\n  read: {BOOK_LOAD}"
    );
    properties::check(
        "load_eo_data is a function of (index, shape), whatever the order and thread",
        BOOK_LOAD,
        &["indices", "rows", "cols"],
        (vec(0_u64..40, 1..8), 1_usize..6, 1_usize..6),
        |(indices, rows, cols)| {
            let shape = (rows, cols);
            let forward: Vec<Array2<f64>> = indices
                .iter()
                .map(|&i| (api.load_eo_data)(i, shape))
                .collect();
            let backward: Vec<Array2<f64>> = indices
                .iter()
                .rev()
                .map(|&i| (api.load_eo_data)(i, shape))
                .collect();
            let api = *api;
            let on_thread: Vec<Array2<f64>> = std::thread::scope(|s| {
                s.spawn(|| {
                    indices
                        .iter()
                        .map(|&i| (api.load_eo_data)(i, shape))
                        .collect()
                })
                .join()
                .expect("loading on another thread")
            });
            for (k, &index) in indices.iter().enumerate() {
                let reversed = &backward[indices.len() - 1 - k];
                if forward[k] != *reversed || forward[k] != on_thread[k] {
                    return Err(format!(
                        "image {index} came out differently depending on when or where it \
                         was loaded (call order {indices:?}, another thread)"
                    ));
                }
            }
            Ok(())
        },
    );
}
