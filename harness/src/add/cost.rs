//! Section 01: what the variants cost — allocations counted, speed against the boxed model.

use given_01::{PyList, PyObject, TUTORIAL_LEN};
use ndarray::{Array1, ArrayView1};

use super::*;
use crate::allocations::count_allocations;
use crate::data::arange_i64;
use crate::timing::{Speedup, interleaved};

/// Elements per input in the vectorised-vs-boxed timing: the tutorial's size.
pub const BOXED_TIMING_LEN: usize = TUTORIAL_LEN;

/// The timing baseline: the tutorial's list comprehension on the boxed model, written here
/// rather than taken from the solution (an exercise's checks never link its answers). One
/// virtual `+`, one type check and one heap object per element.
pub fn boxed_baseline_add(x: &[Box<dyn PyObject>], y: &[Box<dyn PyObject>]) -> PyList {
    x.iter()
        .zip(y)
        .map(|(a, b)| a.add(b.as_ref()).expect("the baseline adds integers only"))
        .collect()
}

/// The learner's `vectorised_add` against the boxed baseline ([`boxed_baseline_add`]).
pub fn timing_vectorised_add_vs_boxed_model(api: &AddApi) {
    let (x, y) = (arange_i64(BOXED_TIMING_LEN), arange_i64(BOXED_TIMING_LEN));
    let (bx, by) = (given_01::py_list(&x), given_01::py_list(&y));
    let (fast, slow) = interleaved(
        1,
        7,
        || (api.vectorised_add)(ArrayView1::from(&x), ArrayView1::from(&y)),
        || boxed_baseline_add(&bx, &by),
    );
    Speedup {
        fast: "your vectorised_add",
        slow: "the boxed model (the harness's list-comprehension baseline)",
        at_least: VECTORISED_VS_BOXED_AT_LEAST,
        measured: VECTORISED_VS_BOXED_MEASURED,
        book: Variant::Vectorised.book(),
    }
    .assert(&fast, &slow);
}

/// Threshold for [`timing_vectorised_add_vs_boxed_model`]. The reference solution measured
/// 4.55x, 4.78x and 5.25x in three runs of `cargo test -p solution-01 timing_` (2-core Xeon
/// VM, 2026-11-25, 16:40), then 3.82x, 4.32x, 4.32x, 4.17x, 4.03x, 4.22x and 3.53x on a
/// quiet machine at 18:20-18:25: alternating with the boxed model, which frees ~200 MB,
/// every `vectorised_add` gets fresh pages and pays ~33-40 ms of page faults for its 32 MB
/// result (3.2 ms when memory is reused; book §1.4), so the ratio measures page faults as
/// much as boxing. First set at 2.2x; lowered to 1.75x after the 3.53x run, to keep 2x
/// headroom under the lowest ratio seen. A secretly boxed add measures 0.18x, so the check
/// still rejects it by a factor of ten. Since the baseline became the harness's own
/// [`boxed_baseline_add`] (it collects into a list of exact size, so less memory churns),
/// `vectorised_add` keeps reusing its pages and measures 48-55x (2026-11-26, three runs).
pub const VECTORISED_VS_BOXED_AT_LEAST: f64 = 1.75;
/// What the reference solution measured, quoted in failure messages.
pub const VECTORISED_VS_BOXED_MEASURED: &str =
    "the reference solution measures 48-55x here (3.5-5.3x when every result gets fresh pages)";

/// `add_into` must allocate nothing: that is its whole point. (Counted rather than timed:
/// see [`crate::allocations`] for why a timing check of this would not be robust.)
pub fn mechanism_add_into_allocates_nothing(api: &AddApi) {
    let (x, y) = (arange_i64(MECHANISM_LEN), arange_i64(MECHANISM_LEN));
    let mut out = Array1::<i64>::zeros(MECHANISM_LEN);
    let (result, allocations) = count_allocations(|| {
        (api.add_into)(ArrayView1::from(&x), ArrayView1::from(&y), out.view_mut())
    });
    if let Err(e) = result {
        panic!(
            "add_into: returned Err({e}) on valid input\n  read: {}",
            Variant::Into.book()
        );
    }
    assert!(
        allocations == 0,
        "mechanism: add_into made {allocations} heap allocation(s) adding {MECHANISM_LEN} elements; \
         an in-place add writes straight into `out` and allocates nothing\n  read: {}",
        Variant::Into.book()
    );
}

/// `vectorised_add` allocates its result once — not once per element, as the boxed model
/// does, and not through temporaries.
pub fn mechanism_vectorised_add_allocates_once(api: &AddApi) {
    let (x, y) = (arange_i64(MECHANISM_LEN), arange_i64(MECHANISM_LEN));
    let (result, allocations) =
        count_allocations(|| (api.vectorised_add)(ArrayView1::from(&x), ArrayView1::from(&y)));
    if let Err(e) = result {
        panic!(
            "vectorised_add: returned Err({e}) on valid input\n  read: {}",
            Variant::Vectorised.book()
        );
    }
    assert!(
        allocations <= 1,
        "mechanism: vectorised_add made {allocations} heap allocations adding {MECHANISM_LEN} \
         elements; it should allocate its result array once and nothing else\n  read: {}",
        Variant::Vectorised.book()
    );
}

/// Elements per input in the allocation-counting checks.
pub const MECHANISM_LEN: usize = 100_000;
