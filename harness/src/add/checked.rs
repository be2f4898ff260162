//! Section 01, §1.6: the checked add — the same sums as `vectorised_add` when nothing
//! overflows, and otherwise `AddError::Overflow` naming the first overflowing index.

use given_01::AddError;
use ndarray::ArrayView1;

use super::AddApi;
use crate::check::with_panic_context;
use crate::compare::{Tolerance, compare};
use crate::data::seeded_i64;
use crate::properties;
use crate::strategies::{Laid, equal_length_pair, layout};

use crate::book::ADD_CHECKED as BOOK_CHECKED;

/// The oracle: every sum exactly in `i128`; the first that leaves the `i64` range is the
/// error, otherwise the sums. Written without `checked_add` so that it shares no code with
/// the solution.
pub fn checked_oracle(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    let mut sums = Vec::with_capacity(x.len());
    for (index, (&a, &b)) in x.iter().zip(y).enumerate() {
        let exact = i128::from(a) + i128::from(b);
        if exact < i128::from(i64::MIN) || exact > i128::from(i64::MAX) {
            return Err(AddError::Overflow { index });
        }
        sums.push(exact as i64);
    }
    Ok(sums)
}

fn run(api: &AddApi, x: &Laid, y: &Laid) -> Result<Vec<i64>, AddError> {
    with_panic_context(
        || {
            format!(
                "checked_add on {} elements: panicked\n  read: {BOOK_CHECKED}",
                x.view().len()
            )
        },
        || (api.checked_add)(x.view(), y.view()).map(|z| z.to_vec()),
    )
}

fn expect(api: &AddApi, what: &str, x: &[i64], y: &[i64]) {
    let contiguous = |v: &[i64]| Laid::new(v, crate::strategies::Layout::Contiguous);
    let got = run(api, &contiguous(x), &contiguous(y));
    let want = checked_oracle(x, y);
    let same = match (&got, &want) {
        (Ok(g), Ok(w)) => compare(
            &format!("checked_add on {what}"),
            BOOK_CHECKED,
            ArrayView1::from(w),
            ArrayView1::from(g),
            Tolerance::Exact,
        ),
        (Err(g), Err(w)) if g == w => Ok(()),
        _ => Err(format!(
            "checked_add on {what}: returned {}, expected {}\n  read: {BOOK_CHECKED}",
            describe(&got),
            describe(&want)
        )),
    };
    if let Err(report) = same {
        panic!("{report}");
    }
}

fn describe(result: &Result<Vec<i64>, AddError>) -> String {
    match result {
        Ok(z) if z.len() <= 8 => format!("Ok({z:?})"),
        Ok(z) => format!("Ok({} elements)", z.len()),
        Err(e) => format!("Err({e:?})"),
    }
}

/// The fixed cases: no overflow; overflow up and down; the first of several overflows;
/// an overflow in the last element of an odd length (past every SIMD width); empty input;
/// unequal lengths.
pub fn correctness_checked_add(api: &AddApi) {
    expect(api, "[1, 2] + [3, 4]", &[1, 2], &[3, 4]);
    expect(api, "empty inputs", &[], &[]);
    expect(
        api,
        "i64::MAX + 1 at index 1",
        &[0, i64::MAX, 5],
        &[0, 1, 5],
    );
    expect(api, "i64::MIN + (-1) at index 0", &[i64::MIN, 0], &[-1, 0]);
    expect(api, "i64::MAX + i64::MIN (fits)", &[i64::MAX], &[i64::MIN]);
    expect(
        api,
        "overflows at indices 2 and 4: the first is reported",
        &[0, 0, i64::MAX, 0, i64::MIN],
        &[0, 0, 1, 0, -1],
    );
    let mut x = seeded_i64(21, 37).iter().map(|v| v / 4).collect::<Vec<_>>();
    let mut y = seeded_i64(22, 37).iter().map(|v| v / 4).collect::<Vec<_>>();
    (x[36], y[36]) = (i64::MAX - 3, 4);
    expect(api, "37 elements, the last one overflowing", &x, &y);
    let mismatched = run(
        api,
        &Laid::new(&[1, 2], crate::strategies::Layout::Contiguous),
        &Laid::new(&[1], crate::strategies::Layout::Contiguous),
    );
    assert_eq!(
        mismatched,
        Err(AddError::LengthMismatch { x: 2, y: 1 }),
        "checked_add on lengths 2 and 1: the contract says LengthMismatch\n  read: {BOOK_CHECKED}"
    );
}

/// Random inputs over the whole `i64` range (about half the sums overflow) and small ones
/// (none do), in every layout: the result equals the oracle's, error or sums.
pub fn properties_checked_add(api: &AddApi) {
    expect(api, "[1] + [2]", &[1], &[2]);
    properties::check(
        "checked_add agrees with the exact (i128) oracle",
        BOOK_CHECKED,
        &["(x, y)", "layout of x", "layout of y", "values quartered"],
        (equal_length_pair(), layout(), layout(), proptest::bool::ANY),
        |((x, y), lx, ly, small)| {
            // Small values never overflow: without them, almost every case would be an error.
            let shrink = |v: &[i64]| -> Vec<i64> {
                if small {
                    v.iter().map(|e| e >> 2).collect()
                } else {
                    v.to_vec()
                }
            };
            let (x, y) = (shrink(&x), shrink(&y));
            let got = run(api, &Laid::new(&x, lx), &Laid::new(&y, ly));
            let want = checked_oracle(&x, &y);
            if got == want {
                Ok(())
            } else {
                Err(format!(
                    "with layouts x {lx:?}, y {ly:?} on {} elements: returned {}, expected {}",
                    x.len(),
                    describe(&got),
                    describe(&want)
                ))
            }
        },
    );
}
