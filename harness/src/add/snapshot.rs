//! Section 01: the tutorial-sized summaries, against the committed snapshot.

use given_01::TUTORIAL_LEN;
use ndarray::ArrayView1;

use super::*;
use crate::data::{arange_i64, seeded_i64};
use crate::strategies::{Laid, Layout};
use crate::summary::Summary;

/// The summary every variant must produce: the tutorial's `arange(4M) + arange(4M)` and a
/// seeded full-range pair in which about half the sums overflow.
fn summaries(api: &AddApi, variant: Variant) -> String {
    let tutorial = arange_i64(TUTORIAL_LEN);
    let (sx, sy) = (seeded_i64(1, 1_000_003), seeded_i64(2, 1_000_003));
    let mut text = String::new();
    for (label, x, y) in [
        (
            "arange(2000 * 2000) + arange(2000 * 2000), the tutorial's X + Y",
            &tutorial,
            &tutorial,
        ),
        (
            "seeded_i64(1, 1000003) + seeded_i64(2, 1000003), wrapping",
            &sx,
            &sy,
        ),
    ] {
        let z = variant
            .run(
                api,
                &Laid::new(x, Layout::Contiguous),
                &Laid::new(y, Layout::Contiguous),
                Layout::Contiguous,
                x.len(),
            )
            .unwrap_or_else(|e| {
                panic!(
                    "{}: returned Err({e}) on valid input\n  read: {}",
                    variant.name(),
                    variant.book()
                )
            });
        text.push_str(&format!(
            "{label}\n{}\n",
            Summary::of_i64(ArrayView1::from(&z))
        ));
    }
    text
}

/// Every variant's summary matches the committed snapshot
/// `harness/src/snapshots/harness__snapshot__add_summaries.snap`.
pub fn snapshot_tutorial_add(api: &AddApi) {
    for variant in Variant::ALL {
        let text = summaries(api, variant);
        crate::snapshot::assert_summary("add_summaries", &text, variant.name(), variant.book());
    }
}
