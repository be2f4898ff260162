//! Proof that every section 01 check can fail: each plausible wrong implementation below
//! ("mutant") must be rejected by the check named for it, while the reference passes.
//!
//! A mutant is the reference API with one function replaced (`..REFERENCE`).

use harness::add::{self, AddApi};
use reference::ADD as REFERENCE;

mod reference;
use harness::check;
use ndarray::{Array1, ArrayView1, ArrayViewMut1, Zip};
use solution_01::{AddError, PyList, PyObject, py_list, to_i64_vec};

harness::install_counting_allocator!();

// --- the mutants -------------------------------------------------------------------------

/// Forgets the last element (an off-by-one `0..len - 1`, guarded against empty input).
fn indexed_skips_last(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    let mut z: Vec<i64> = (0..len.saturating_sub(1))
        .map(|i| x[i].wrapping_add(y[i]))
        .collect();
    if len > 0 {
        z.push(0);
    }
    Ok(z)
}

/// Unrolled by 64 by hand; the remainder loop only runs when there is no full chunk, so any
/// length above 64 that is not a multiple of 64 loses its tail. Every fixed example in the
/// correctness check is shorter than 64: only random lengths find this.
fn indexed_unrolled_drops_remainder(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    let mut z = vec![0; len];
    let chunks = len / 64;
    for c in 0..chunks {
        for i in c * 64..(c + 1) * 64 {
            z[i] = x[i].wrapping_add(y[i]);
        }
    }
    if chunks == 0 {
        for i in 0..len {
            z[i] = x[i].wrapping_add(y[i]);
        }
    }
    Ok(z)
}

/// Panics on mismatched lengths instead of returning the error.
fn vectorised_panics_on_mismatch(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
) -> Result<Array1<i64>, AddError> {
    assert_eq!(x.len(), y.len(), "lengths differ");
    Ok(Zip::from(&x)
        .and(&y)
        .map_collect(|&a, &b| a.wrapping_add(b)))
}

/// Leans on ndarray's `+`, which broadcasts a length-1 operand instead of refusing it.
fn vectorised_broadcasts(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    if x.len() != y.len() && x.len() != 1 && y.len() != 1 {
        return Err(AddError::LengthMismatch {
            x: x.len(),
            y: y.len(),
        });
    }
    Ok(&x + &y)
}

/// Saturates instead of wrapping on overflow: the wrong overflow policy.
fn add_into_saturates(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    Zip::from(out)
        .and(&x)
        .and(&y)
        .for_each(|z, &a, &b| *z = a.saturating_add(b));
    Ok(())
}

/// Computes into a temporary array, then copies it into `out`: correct, but allocates.
fn add_into_via_temporary(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    mut out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    let z = Zip::from(&x)
        .and(&y)
        .map_collect(|&a, &b| a.wrapping_add(b));
    out.assign(&z);
    Ok(())
}

/// Writes into `out` before checking its length, then reports the mismatch.
fn par_add_into_writes_before_checking(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    mut out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    for (i, z) in out.iter_mut().enumerate().take(len) {
        *z = x[i].wrapping_add(y[i]);
    }
    AddError::require_output_length(len, out.len())?;
    Ok(())
}

/// Reads `x` and `y` as if they were contiguous, ignoring the views' strides.
fn par_add_into_ignores_strides(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    mut out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    // SAFETY (of the mutant's reads): every element read lies inside the backing array of
    // the strided views the harness builds (which are at least twice as long).
    let (px, py) = (x.as_ptr(), y.as_ptr());
    let sign = |v: &ArrayView1<i64>| if v.strides()[0] < 0 { -1 } else { 1 };
    let (sx, sy) = (sign(&x), sign(&y));
    for (i, z) in out.iter_mut().enumerate() {
        let i = i as isize;
        *z = unsafe { (*px.offset(sx * i)).wrapping_add(*py.offset(sy * i)) };
    }
    Ok(())
}

/// The "vectorised" add that is secretly the boxed model.
fn vectorised_secretly_boxed(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
) -> Result<Array1<i64>, AddError> {
    let bx = py_list(&x.to_vec());
    let by = py_list(&y.to_vec());
    let z = solution_01::naive_add(&bx, &by)?;
    Ok(Array1::from(to_i64_vec(&z).expect("ints in, ints out")))
}

/// Checks the lengths, then stops at the first type error without reporting it.
fn naive_ignores_type_errors(
    x: &[Box<dyn PyObject>],
    y: &[Box<dyn PyObject>],
) -> Result<PyList, AddError> {
    AddError::require_equal_lengths(x.len(), y.len())?;
    Ok(x.iter()
        .zip(y)
        .map_while(|(a, b)| a.add(b.as_ref()).ok())
        .collect())
}

// --- which check rejects which mutant ----------------------------------------------------

#[test]
fn reference_passes_every_check_it_is_compared_with_here() {
    for (name, check_fn) in [
        (
            "correctness_indexed_add",
            add::correctness_indexed_add as fn(&AddApi),
        ),
        (
            "correctness_vectorised_add",
            add::correctness_vectorised_add,
        ),
        ("correctness_par_add_into", add::correctness_par_add_into),
        ("properties_add_into", add::properties_add_into),
        (
            "mechanism_add_into_allocates_nothing",
            add::mechanism_add_into_allocates_nothing,
        ),
    ] {
        check::run(name, cfg!(debug_assertions), || check_fn(&REFERENCE));
    }
}

harness::reject!(correctness_rejects_skipping_the_last_element: add::correctness_indexed_add,
    AddApi {
        indexed_add: indexed_skips_last,
        ..REFERENCE
    },
    "first at [4]: expected 8, actual 0",
);

harness::reject!(correctness_rejects_panicking_on_mismatched_lengths: add::correctness_vectorised_add,
    AddApi {
        vectorised_add: vectorised_panics_on_mismatch,
        ..REFERENCE
    },
    "the contract says it returns Err(LengthMismatch { x: 3, y: 2 })",
);

harness::reject!(correctness_rejects_broadcasting: add::correctness_vectorised_add,
    AddApi {
        vectorised_add: vectorised_broadcasts,
        ..REFERENCE
    },
    "on lengths 1 and 3: returned Ok",
);

harness::reject!(correctness_rejects_writing_output_before_checking_it: add::correctness_par_add_into,
    AddApi {
        par_add_into: par_add_into_writes_before_checking,
        ..REFERENCE
    },
    "had already written into `out`",
);

harness::reject!(correctness_rejects_ignoring_strides: add::correctness_par_add_into,
    AddApi {
        par_add_into: par_add_into_ignores_strides,
        ..REFERENCE
    },
    "non-contiguous views",
);

harness::reject!(correctness_rejects_swallowing_type_errors: add::correctness_naive_add,
    AddApi {
        naive_add: naive_ignores_type_errors,
        ..REFERENCE
    },
    "returned Ok, expected Err(Type { index: 1, left: \"str\", right: \"int\" })",
);

harness::reject!(properties_reject_the_wrong_overflow_policy: add::properties_add_into,
    AddApi {
        add_into: add_into_saturates,
        ..REFERENCE
    },
    "proptest shrank the input",
);

harness::reject!(properties_reject_an_unrolled_loop_that_drops_its_remainder: add::properties_indexed_add,
    AddApi {
        indexed_add: indexed_unrolled_drops_remainder,
        ..REFERENCE
    },
    "layout of out = ",
);

harness::reject!(mechanism_rejects_an_in_place_add_that_allocates: add::mechanism_add_into_allocates_nothing,
    AddApi {
        add_into: add_into_via_temporary,
        ..REFERENCE
    },
    "made 1 heap allocation(s)",
);

harness::reject!(mechanism_rejects_a_vectorised_add_that_boxes: add::mechanism_vectorised_add_allocates_once,
    AddApi {
        vectorised_add: vectorised_secretly_boxed,
        ..REFERENCE
    },
    "heap allocations adding 100000 elements",
);

harness::reject!(snapshot_rejects_skipping_the_last_element: add::snapshot_tutorial_add,
    AddApi {
        indexed_add: indexed_skips_last,
        ..REFERENCE
    },
    "the summary of indexed_add's output differs",
);

harness::reject!(timing_rejects_a_vectorised_add_that_is_secretly_boxed: add::timing_vectorised_add_vs_boxed_model,
    AddApi {
        vectorised_add: vectorised_secretly_boxed,
        ..REFERENCE
    },
    "should be at least",
);

#[test]
fn properties_shrink_the_overflow_mutant_to_a_one_element_counterexample() {
    let mutant = AddApi {
        add_into: add_into_saturates,
        ..REFERENCE
    };
    let outcome = std::panic::catch_unwind(|| add::properties_add_into(&mutant));
    let payload = outcome.expect_err("the saturating add must be rejected");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    let input = message
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("(x, y)"))
        .expect("the failure names the shrunk input (x, y)");
    // Shrinking removes elements and moves values toward zero; a single overflowing pair
    // is all that should be left: `= ([a], [b])`.
    assert!(
        input.matches(',').count() <= 1,
        "counterexample not shrunk: {input}"
    );
    assert!(
        input.contains("922337203685477"),
        "the counterexample should be an overflow: {input}"
    );
}

// --- §1.6: the checked add ----------------------------------------------------------------

/// Reports the *last* overflowing index: a search that runs backwards, or keeps updating.
fn checked_reports_last_overflow(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
) -> Result<Array1<i64>, AddError> {
    let sums = solution_01::vectorised_add(x, y)?;
    let last = x
        .iter()
        .zip(&y)
        .rposition(|(a, b)| a.checked_add(*b).is_none());
    match last {
        Some(index) => Err(AddError::Overflow { index }),
        None => Ok(sums),
    }
}

/// Looks for the overflow in memory order, for speed: right for contiguous inputs, wrong
/// for a reversed or strided view (the pairs it checks are not the pairs it adds).
fn checked_searches_memory_order(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
) -> Result<Array1<i64>, AddError> {
    let sums = solution_01::vectorised_add(x, y)?;
    let in_memory = |v: ArrayView1<i64>| {
        v.as_slice_memory_order()
            .map_or_else(|| v.to_vec(), <[i64]>::to_vec)
    };
    let (xs, ys) = (in_memory(x), in_memory(y));
    match xs
        .iter()
        .zip(&ys)
        .position(|(a, b)| a.checked_add(*b).is_none())
    {
        Some(index) => Err(AddError::Overflow { index }),
        None => Ok(sums),
    }
}

harness::reject!(correctness_rejects_a_checked_add_that_wraps: add::correctness_checked_add,
    AddApi {
        checked_add: solution_01::vectorised_add,
        ..REFERENCE
    },
    "expected Err(Overflow { index: 1 })",
);

harness::reject!(correctness_rejects_reporting_the_last_overflow: add::correctness_checked_add,
    AddApi {
        checked_add: checked_reports_last_overflow,
        ..REFERENCE
    },
    "returned Err(Overflow { index: 4 }), expected Err(Overflow { index: 2 })",
);

harness::reject!(properties_rejects_searching_in_memory_order: add::properties_checked_add,
    AddApi {
        checked_add: checked_searches_memory_order,
        ..REFERENCE
    },
    "checked_add agrees with the exact (i128) oracle: property failed",
);
