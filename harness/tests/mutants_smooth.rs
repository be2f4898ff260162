//! Proof that every section 02 check can fail: each plausible wrong kernel below is
//! rejected by the check named for it. A mutant is the reference API with one function
//! replaced (`..REFERENCE`).

use harness::check;
use harness::reject;
use harness::smooth::{self, SmoothApi};
use reference::SMOOTH as REFERENCE;

mod reference;
use ndarray::{Array2, ArrayView2};

/// A clipped-window mean with a pluggable window, so each mutant states only its mistake.
fn clipped_mean(
    image: ArrayView2<f64>,
    window: impl Fn(usize, usize) -> (usize, usize),
    finish: impl Fn(f64, f64) -> f64,
) -> Array2<f64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let (top, bottom) = window(i, rows);
        let (left, right) = window(j, cols);
        let mut sum = 0.0;
        for r in top..=bottom {
            for c in left..=right {
                sum += image[[r, c]];
            }
        }
        finish(sum, ((bottom - top + 1) * (right - left + 1)) as f64)
    })
}

fn correct_window(index: usize, len: usize) -> (usize, usize) {
    (index.saturating_sub(1), (index + 1).min(len - 1))
}

/// The tutorial's `// 9`: floor division.
fn floor_division(image: ArrayView2<f64>) -> Array2<f64> {
    clipped_mean(image, correct_window, |sum, count| (sum / count).floor())
}

/// Off by one at the far border: the window of the last row/column stops one short.
fn off_by_one_border(image: ArrayView2<f64>) -> Array2<f64> {
    clipped_mean(
        image,
        |i, len| {
            (
                i.saturating_sub(1),
                (i + 1).min(len.saturating_sub(2)).max(i),
            )
        },
        |s, n| s / n,
    )
}

/// The tutorial's loop bounds: only the interior is computed, the border stays 0.
fn border_left_at_zero(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let mut out = Array2::zeros((rows, cols));
    for i in 1..rows.saturating_sub(1) {
        for j in 1..cols.saturating_sub(1) {
            let mut sum = 0.0;
            for r in i - 1..=i + 1 {
                for c in j - 1..=j + 1 {
                    sum += image[[r, c]];
                }
            }
            out[[i, j]] = sum / 9.0;
        }
    }
    out
}

/// Row and column indices swapped inside the window: reads `image[[c, r]]`. Same answer on a
/// symmetric image, wrong (or out of bounds) on any other.
fn swapped_indexing(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let (top, bottom) = correct_window(i, rows);
        let (left, right) = correct_window(j, cols);
        let mut sum = 0.0;
        for r in top..=bottom {
            for c in left..=right {
                sum += image.get((c, r)).copied().unwrap_or(0.0);
            }
        }
        sum / ((bottom - top + 1) * (right - left + 1)) as f64
    })
}

/// Treats the image as one flat row-major slice and reads flat offsets ±1 and ±cols: at the
/// left and right edges it reads pixels of the neighbouring row, outside the 2-D window.
fn reads_outside_the_image(image: ArrayView2<f64>) -> Array2<f64> {
    let standard = image.as_standard_layout();
    let (rows, cols) = standard.dim();
    let flat = standard.as_slice().expect("standard layout");
    let (rows_i, cols_i) = (rows as isize, cols as isize);
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let centre = (i * cols + j) as isize;
        let (mut sum, mut count) = (0.0, 0.0);
        for dr in -1_isize..=1 {
            let r = i as isize + dr;
            if r < 0 || r >= rows_i {
                continue;
            }
            for dc in -1_isize..=1 {
                let k = centre + dr * cols_i + dc;
                if k >= 0 && k < rows_i * cols_i {
                    sum += flat[k as usize];
                    count += 1.0;
                }
            }
        }
        sum / count
    })
}

/// A running (sliding-window) sum along each row: add the pixel entering the window,
/// subtract the one leaving. Fast, but `NaN - NaN` is NaN, so one NaN poisons the rest of
/// its row.
fn running_sum_spreads_nan(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let mut column_sums = Array2::<f64>::zeros((rows, cols));
    for i in 0..rows {
        let (top, bottom) = correct_window(i, rows);
        for j in 0..cols {
            column_sums[[i, j]] = (top..=bottom).map(|r| image[[r, j]]).sum();
        }
    }
    let mut out = Array2::zeros((rows, cols));
    for i in 0..rows {
        let (top, bottom) = correct_window(i, rows);
        let window_rows = (bottom - top + 1) as f64;
        let mut running = 0.0;
        for j in 0..cols.min(2) {
            running += column_sums[[i, j]];
        }
        for j in 0..cols {
            if j >= 2 {
                running -= column_sums[[i, j - 2]];
            }
            if j + 1 < cols && j >= 1 {
                running += column_sums[[i, j + 1]];
            }
            let (left, right) = correct_window(j, cols);
            out[[i, j]] = running / (window_rows * (right - left + 1) as f64);
        }
    }
    out
}

/// A sum started at `0.0` instead of `-0.0`: a window of `-0.0` comes out `+0.0`.
fn sum_from_positive_zero(image: ArrayView2<f64>) -> Array2<f64> {
    clipped_mean(image, correct_window, |sum, count| sum / count)
}

/// A summed-area table along each row: prefix sums of the column sums, and each window
/// is `prefix[right + 1] - prefix[left]` — one subtraction per pixel whatever the window,
/// but a running total across the whole row, which overflows at pixels of `f64::MAX / 16`
/// long before any 3 × 3 window would (and `inf - inf` is NaN).
fn prefix_sums_along_the_row(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let mut out = Array2::zeros((rows, cols));
    for i in 0..rows {
        let (top, bottom) = correct_window(i, rows);
        let mut prefix = vec![-0.0; cols + 1];
        for j in 0..cols {
            let column: f64 = (top..=bottom)
                .map(|r| image[[r, j]])
                .fold(-0.0, |a, b| a + b);
            prefix[j + 1] = prefix[j] + column;
        }
        for j in 0..cols {
            let (left, right) = correct_window(j, cols);
            let count = ((bottom - top + 1) * (right - left + 1)) as f64;
            out[[i, j]] = (prefix[right + 1] - prefix[left]) / count;
        }
    }
    out
}

#[test]
fn reference_passes_the_checks_used_here() {
    for (name, check_fn) in [
        (
            "correctness_smooth_naive",
            smooth::correctness_smooth_naive as fn(&SmoothApi),
        ),
        (
            "correctness_smooth_optimised",
            smooth::correctness_smooth_optimised,
        ),
        (
            "correctness_no_tutorial_defects",
            smooth::correctness_no_tutorial_defects,
        ),
        (
            "properties_smooth_parallel",
            smooth::properties_smooth_parallel,
        ),
    ] {
        check::run(name, cfg!(debug_assertions), || check_fn(&REFERENCE));
    }
}

reject!(correctness_rejects_floor_division:
    smooth::correctness_smooth_naive,
    SmoothApi { smooth_naive: floor_division, ..REFERENCE },
    "first at [0, 1]: expected 3.5, actual 3.0");

reject!(correctness_rejects_a_border_left_at_zero:
    smooth::correctness_smooth_optimised,
    SmoothApi { smooth_optimised: border_left_at_zero, ..REFERENCE },
    "first at [0, 0]: expected 3.0, actual 0.0");

reject!(correctness_rejects_a_kernel_that_reads_outside_the_image:
    smooth::correctness_smooth_parallel,
    SmoothApi { smooth_parallel: reads_outside_the_image, ..REFERENCE },
    "a 3×3 image (clipped border)");

reject!(correctness_rejects_a_running_sum_that_spreads_nan:
    smooth::correctness_smooth_optimised,
    SmoothApi { smooth_optimised: running_sum_spreads_nan, ..REFERENCE },
    "with NaN at");

reject!(correctness_rejects_a_sum_that_loses_the_sign_of_zero:
    smooth::correctness_smooth_naive,
    SmoothApi { smooth_naive: sum_from_positive_zero, ..REFERENCE },
    "on a 3×4 image of -0.0: output [0, 0] = 0.0, expected -0.0");

reject!(correctness_tutorial_defects_check_rejects_floor_division:
    smooth::correctness_no_tutorial_defects,
    SmoothApi { smooth_parallel: floor_division, ..REFERENCE },
    "floor division");

reject!(correctness_tutorial_defects_check_rejects_a_zero_border:
    smooth::correctness_no_tutorial_defects,
    SmoothApi { smooth_naive: border_left_at_zero, ..REFERENCE },
    "outside the range of its window");

reject!(properties_reject_an_off_by_one_border:
    smooth::properties_smooth_naive,
    SmoothApi { smooth_naive: off_by_one_border, ..REFERENCE },
    "property failed");

reject!(properties_reject_swapped_row_and_column_indexing:
    smooth::properties_smooth_optimised,
    SmoothApi { smooth_optimised: swapped_indexing, ..REFERENCE },
    "property failed");

reject!(properties_reject_prefix_sums_that_overflow_within_the_range:
    smooth::properties_smooth_optimised,
    SmoothApi { smooth_optimised: prefix_sums_along_the_row, ..REFERENCE },
    "with pixels up to ±f64::MAX / 16 (the contract's range)");

reject!(snapshot_rejects_floor_division:
    smooth::snapshot_tutorial_image,
    SmoothApi { smooth_optimised: floor_division, ..REFERENCE },
    "summary of smooth_optimised's output differs");

reject!(timing_rejects_an_optimised_kernel_that_is_the_naive_loop:
    smooth::timing_smooth_optimised_vs_naive,
    SmoothApi { smooth_optimised: solution_02::smooth_naive, ..REFERENCE },
    "should be at least");
