//! Section 01: random inputs in every layout against the oracle.

use given_01::AddError;
use ndarray::ArrayView1;

use super::*;
use crate::compare::{Tolerance, compare};
use crate::properties;
use crate::strategies::{Laid, Layout, any_length_pair, equal_length_pair, layout};

/// Random inputs: equal lengths agree with the oracle in every layout; unequal lengths give
/// `LengthMismatch` with both lengths.
fn properties(api: &AddApi, variant: Variant) {
    // One plain call first, outside proptest: a `todo!` stub then fails with its own message
    // instead of once per generated case.
    expect_sum(api, variant, "[1] + [2]", &[1], &[2], CONTIGUOUS);

    let book = variant.book();
    properties::check(
        &format!("{} agrees with the oracle (wrapping sum)", variant.name()),
        book,
        &["(x, y)", "layout of x", "layout of y", "layout of out"],
        (equal_length_pair(), layout(), layout(), layout()),
        |((x, y), lx, ly, lo)| {
            let z = variant
                .run(api, &Laid::new(&x, lx), &Laid::new(&y, ly), lo, x.len())
                .map_err(|e| format!("returned Err({e:?}) for equal lengths {}", x.len()))?;
            let what = format!(
                "{} with layouts x {lx:?}, y {ly:?}, out {lo:?}",
                variant.name()
            );
            compare(
                &what,
                book,
                ArrayView1::from(&oracle(&x, &y)),
                ArrayView1::from(&z),
                Tolerance::Exact,
            )
        },
    );
    properties::check(
        &format!("{} rejects unequal lengths", variant.name()),
        book,
        &["x", "y"],
        any_length_pair(),
        |(x, y)| {
            let (lx, ly) = (
                Laid::new(&x, Layout::Contiguous),
                Laid::new(&y, Layout::Contiguous),
            );
            let expected = AddError::require_equal_lengths(x.len(), y.len());
            match (
                variant.run(api, &lx, &ly, Layout::Contiguous, x.len()),
                expected,
            ) {
                (Err(e), Err(want)) if e == want => Ok(()),
                (Ok(_), Ok(_)) => Ok(()),
                (got, want) => Err(format!(
                    "lengths {} and {}: got {:?}, expected {:?}",
                    x.len(),
                    y.len(),
                    got.map(|z| format!("Ok({} elements)", z.len())),
                    want.map(|_| "Ok")
                )),
            }
        },
    );
}

pub fn properties_naive_add(api: &AddApi) {
    properties(api, Variant::Naive);
}

pub fn properties_indexed_add(api: &AddApi) {
    properties(api, Variant::Indexed);
}

pub fn properties_vectorised_add(api: &AddApi) {
    properties(api, Variant::Vectorised);
}

pub fn properties_add_into(api: &AddApi) {
    properties(api, Variant::Into);
}

pub fn properties_par_add_into(api: &AddApi) {
    properties(api, Variant::ParInto);
}
