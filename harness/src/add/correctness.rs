//! Section 01: the fixed examples every variant must get right.

use given_01::{AddError, PyInt, PyList, PyStr};
use ndarray::ArrayView1;

use super::*;
use crate::check::with_panic_context;
use crate::compare::{Tolerance, assert_arrays};
use crate::data::{arange_i64, seeded_i64};
use crate::strategies::{Laid, Layout};

/// Runs `variant` on contiguous `x` and `y` and compares the result with the oracle.
pub(super) fn expect_sum(
    api: &AddApi,
    variant: Variant,
    case: &str,
    x: &[i64],
    y: &[i64],
    layouts: [Layout; 3],
) {
    let (lx, ly) = (Laid::new(x, layouts[0]), Laid::new(y, layouts[1]));
    let what = format!("{} on {case}", variant.name());
    let result = with_panic_context(
        || {
            format!(
                "{what}: panicked; it should return the element-wise sum\n  read: {}",
                variant.book()
            )
        },
        || variant.run(api, &lx, &ly, layouts[2], x.len()),
    );
    match result {
        Ok(z) => assert_arrays(
            &what,
            variant.book(),
            ArrayView1::from(&oracle(x, y)),
            ArrayView1::from(&z),
            Tolerance::Exact,
        ),
        Err(e) => panic!(
            "{what}: returned Err({e:?}) for valid inputs of length {}\n  read: {}",
            x.len(),
            variant.book()
        ),
    }
}

/// Runs `variant` on inputs that break the contract and expects exactly `expected`.
pub(super) fn expect_error(
    api: &AddApi,
    variant: Variant,
    case: &str,
    x: &[i64],
    y: &[i64],
    out_len: usize,
    expected: AddError,
) {
    let (lx, ly) = (
        Laid::new(x, Layout::Contiguous),
        Laid::new(y, Layout::Contiguous),
    );
    let what = format!("{} on {case}", variant.name());
    let result = with_panic_context(
        || {
            format!(
                "{what}: panicked; the contract says it returns Err({expected:?})\n  read: {}",
                variant.book()
            )
        },
        || variant.run(api, &lx, &ly, Layout::Contiguous, out_len),
    );
    match result {
        Err(e) if e == expected => {}
        Err(e) => panic!(
            "{what}: returned Err({e:?}), expected Err({expected:?})\n  read: {}",
            variant.book()
        ),
        Ok(z) => panic!(
            "{what}: returned Ok with {} elements, expected Err({expected:?}) — \"{expected}\"\n  read: {}",
            z.len(),
            variant.book()
        ),
    }
}

pub(super) const CONTIGUOUS: [Layout; 3] = [Layout::Contiguous; 3];

/// The fixed examples every variant must get right.
fn correctness(api: &AddApi, variant: Variant) {
    // The tutorial's computation, small enough to read in a failure message.
    let arange5 = arange_i64(5);
    expect_sum(
        api,
        variant,
        "arange(5) + arange(5)",
        &arange5,
        &arange5,
        CONTIGUOUS,
    );
    expect_sum(api, variant, "empty inputs", &[], &[], CONTIGUOUS);
    expect_sum(api, variant, "one element", &[40], &[2], CONTIGUOUS);
    // An odd length past every SIMD width, so a remainder loop is needed.
    let odd = seeded_i64(11, 37);
    let odd2 = seeded_i64(12, 37);
    expect_sum(api, variant, "37 elements", &odd, &odd2, CONTIGUOUS);
    expect_sum(
        api,
        variant,
        "sums that overflow (they must wrap, like numpy's int64)",
        &[i64::MAX, i64::MIN, -1, i64::MAX],
        &[1, -1, i64::MIN, i64::MAX],
        CONTIGUOUS,
    );
    expect_error(
        api,
        variant,
        "lengths 3 and 2",
        &[1, 2, 3],
        &[1, 2],
        3,
        AddError::LengthMismatch { x: 3, y: 2 },
    );
    // ndarray (like numpy) would broadcast a length-1 array; the contract refuses.
    expect_error(
        api,
        variant,
        "lengths 1 and 3",
        &[1],
        &[1, 2, 3],
        1,
        AddError::LengthMismatch { x: 1, y: 3 },
    );
    expect_error(
        api,
        variant,
        "lengths 0 and 1",
        &[],
        &[7],
        0,
        AddError::LengthMismatch { x: 0, y: 1 },
    );

    match variant {
        Variant::Naive => naive_type_error(api),
        Variant::Vectorised | Variant::Into | Variant::ParInto => {
            for layouts in [
                [Layout::Strided, Layout::Contiguous, Layout::Contiguous],
                [Layout::Contiguous, Layout::Reversed, Layout::Strided],
                [Layout::Reversed, Layout::Strided, Layout::Reversed],
            ] {
                let case = format!("non-contiguous views {layouts:?} (x, y, out)");
                expect_sum(api, variant, &case, &odd, &odd2, layouts);
            }
        }
        Variant::Indexed => {}
    }
    if variant.writes_into_output() {
        expect_error(
            api,
            variant,
            "an output one element too short",
            &[1, 2, 3],
            &[4, 5, 6],
            2,
            AddError::OutputLengthMismatch { inputs: 3, out: 2 },
        );
        expect_error(
            api,
            variant,
            "an output one element too long",
            &[1, 2, 3],
            &[4, 5, 6],
            4,
            AddError::OutputLengthMismatch { inputs: 3, out: 4 },
        );
    }
    if variant == Variant::ParInto {
        // Large enough that rayon really splits the work between threads.
        let (x, y) = (seeded_i64(21, 1_000_003), seeded_i64(22, 1_000_003));
        expect_sum(
            api,
            variant,
            "1,000,003 elements (split across threads)",
            &x,
            &y,
            CONTIGUOUS,
        );
    }
}

/// `"a" + 1` must be reported as a `TypeError` at the right index, as Python would.
fn naive_type_error(api: &AddApi) {
    let x: PyList = vec![
        Box::new(PyInt(1)),
        Box::new(PyStr("a".into())),
        Box::new(PyInt(3)),
    ];
    let y: PyList = vec![Box::new(PyInt(1)), Box::new(PyInt(2)), Box::new(PyInt(3))];
    let expected = AddError::Type {
        index: 1,
        left: "str",
        right: "int",
    };
    let book = Variant::Naive.book();
    let result = with_panic_context(
        || {
            format!(
                "naive_add on [1, \"a\", 3] + [1, 2, 3]: panicked; expected Err({expected:?})\n  read: {book}"
            )
        },
        || (api.naive_add)(&x, &y),
    );
    match result {
        Err(e) if e == expected => {}
        Err(e) => panic!(
            "naive_add on [1, \"a\", 3] + [1, 2, 3]: returned Err({e:?}), expected Err({expected:?})\n  read: {book}"
        ),
        Ok(_) => panic!(
            "naive_add on [1, \"a\", 3] + [1, 2, 3]: returned Ok, expected Err({expected:?})\n  read: {book}"
        ),
    }
}

pub fn correctness_naive_add(api: &AddApi) {
    correctness(api, Variant::Naive);
}

pub fn correctness_indexed_add(api: &AddApi) {
    correctness(api, Variant::Indexed);
}

pub fn correctness_vectorised_add(api: &AddApi) {
    correctness(api, Variant::Vectorised);
}

pub fn correctness_add_into(api: &AddApi) {
    correctness(api, Variant::Into);
}

pub fn correctness_par_add_into(api: &AddApi) {
    correctness(api, Variant::ParInto);
}
