//! Section 01 checks: naive vs vectorised add.
//!
//! The contract under test is the one documented in `solution_01`: equal lengths or
//! `AddError`, empty input allowed, two's-complement wrapping on overflow, any ndarray
//! layout accepted.

use given_01::{AddError, PyInt, PyList, PyObject, PyStr, TUTORIAL_LEN};
use ndarray::{Array1, ArrayView1, ArrayViewMut1};

use crate::allocations::count_allocations;
use crate::check::with_panic_context;
use crate::compare::{Tolerance, assert_arrays, compare};
use crate::data::{arange_i64, seeded_i64};
use crate::properties;
use crate::strategies::{Laid, Layout, any_length_pair, equal_length_pair, layout};
use crate::summary::Summary;
use crate::timing::{Speedup, interleaved};

/// Section 01's public API, as function pointers. Building one from a crate (see
/// [`add_checks!`](crate::add_checks)) fails to compile if any function is missing or has a
/// different signature from the solution's.
#[derive(Clone, Copy)]
pub struct AddApi {
    pub naive_add: NaiveAddFn,
    pub indexed_add: IndexedAddFn,
    pub vectorised_add: VectorisedAddFn,
    pub add_into: AddIntoFn,
    pub par_add_into: AddIntoFn,
}

/// The signature of `naive_add`.
pub type NaiveAddFn = fn(&[Box<dyn PyObject>], &[Box<dyn PyObject>]) -> Result<PyList, AddError>;
/// The signature of `indexed_add`.
pub type IndexedAddFn = fn(&[i64], &[i64]) -> Result<Vec<i64>, AddError>;
/// The signature of `vectorised_add`.
pub type VectorisedAddFn = fn(ArrayView1<i64>, ArrayView1<i64>) -> Result<Array1<i64>, AddError>;
/// The signature of `add_into` and `par_add_into`.
pub type AddIntoFn =
    fn(ArrayView1<i64>, ArrayView1<i64>, ArrayViewMut1<i64>) -> Result<(), AddError>;

/// Instantiates every section 01 check as a `#[test]` for the crate `$krate`.
///
/// ```ignore
/// harness::add_checks!(exercise_01);
/// ```
/// Section 01's API of the crate `$krate`, as an [`AddApi`] value. A crate whose functions
/// have other signatures does not compile here.
#[macro_export]
macro_rules! add_api {
    ($krate:ident) => {
        $crate::add::AddApi {
            naive_add: $krate::naive_add,
            indexed_add: $krate::indexed_add,
            vectorised_add: $krate::vectorised_add,
            add_into: $krate::add_into,
            par_add_into: $krate::par_add_into,
        }
    };
}

#[macro_export]
macro_rules! add_checks {
    ($krate:ident) => {
        $crate::install_counting_allocator!();
        const API: $crate::add::AddApi = $crate::add_api!($krate);
        $crate::instantiate_checks!(add, API;
            correctness_naive_add,
            correctness_indexed_add,
            correctness_vectorised_add,
            correctness_add_into,
            correctness_par_add_into,
            properties_naive_add,
            properties_indexed_add,
            properties_vectorised_add,
            properties_add_into,
            properties_par_add_into,
            mechanism_add_into_allocates_nothing,
            mechanism_vectorised_add_allocates_once,
            snapshot_tutorial_add;
            timing: timing_vectorised_add_vs_boxed_model,
        );
    };
}

/// The oracle: each sum computed exactly in `i128`, then truncated to 64 bits — which is
/// what two's-complement wrapping means — written without `wrapping_add` so that it does not
/// share code with the solution.
pub fn oracle(x: &[i64], y: &[i64]) -> Vec<i64> {
    x.iter()
        .zip(y)
        .map(|(&a, &b)| (i128::from(a) + i128::from(b)) as i64)
        .collect()
}

/// The five variants of the add, so that one check body can serve each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Naive,
    Indexed,
    Vectorised,
    Into,
    ParInto,
}

impl Variant {
    pub const ALL: [Variant; 5] = [
        Variant::Naive,
        Variant::Indexed,
        Variant::Vectorised,
        Variant::Into,
        Variant::ParInto,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Naive => "naive_add",
            Variant::Indexed => "indexed_add",
            Variant::Vectorised => "vectorised_add",
            Variant::Into => "add_into",
            Variant::ParInto => "par_add_into",
        }
    }

    /// The book section that teaches this variant.
    pub fn book(self) -> &'static str {
        match self {
            Variant::Naive => "book §1.1 \"The boxed model\" (book/src/01-add.md)",
            Variant::Indexed => "book §1.2 \"Typed, contiguous memory\" (book/src/01-add.md)",
            Variant::Vectorised => "book §1.3 \"Vectorised: X + Y\" (book/src/01-add.md)",
            Variant::Into => "book §1.4 \"In place: no allocation\" (book/src/01-add.md)",
            Variant::ParInto => "book §1.5 \"A second core\" (book/src/01-add.md)",
        }
    }

    fn writes_into_output(self) -> bool {
        matches!(self, Variant::Into | Variant::ParInto)
    }

    /// Runs this variant of `api` on `x` and `y`, presented through their layouts. In-place
    /// variants write into an output of length `out_len` laid out as `out_layout` and
    /// pre-filled with [`SENTINEL`]; on error the returned output must still be all
    /// sentinels, which [`Variant::run`] checks.
    pub fn run(
        self,
        api: &AddApi,
        x: &Laid,
        y: &Laid,
        out_layout: Layout,
        out_len: usize,
    ) -> Result<Vec<i64>, AddError> {
        match self {
            Variant::Naive => {
                let bx = given_01::py_list(&x.to_vec());
                let by = given_01::py_list(&y.to_vec());
                let z = (api.naive_add)(&bx, &by)?;
                Ok(unbox(&z))
            }
            Variant::Indexed => (api.indexed_add)(&x.to_vec(), &y.to_vec()),
            Variant::Vectorised => (api.vectorised_add)(x.view(), y.view()).map(|z| z.to_vec()),
            Variant::Into | Variant::ParInto => {
                let f = if self == Variant::Into {
                    api.add_into
                } else {
                    api.par_add_into
                };
                let mut out = Laid::new(&vec![SENTINEL; out_len], out_layout);
                match f(x.view(), y.view(), out.view_mut()) {
                    Ok(()) => Ok(out.to_vec()),
                    Err(e) => {
                        let touched = out.to_vec().iter().any(|&v| v != SENTINEL);
                        assert!(
                            !touched,
                            "{}: returned Err({e}) but had already written into `out`; the \
                             contract says `out` is untouched on error (check lengths first)\n  read: {}",
                            self.name(),
                            self.book()
                        );
                        Err(e)
                    }
                }
            }
        }
    }
}

/// What in-place outputs are filled with before a call, to see which elements were written.
pub const SENTINEL: i64 = 0x0DD_BA11;

fn unbox(list: &[Box<dyn PyObject>]) -> Vec<i64> {
    list.iter()
        .enumerate()
        .map(|(i, obj)| match obj.as_any().downcast_ref::<PyInt>() {
            Some(PyInt(v)) => *v,
            None => panic!(
                "naive_add: element {i} of the result is a '{}', expected an 'int'",
                obj.type_name()
            ),
        })
        .collect()
}

/// Runs `variant` on contiguous `x` and `y` and compares the result with the oracle.
fn expect_sum(
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
fn expect_error(
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

const CONTIGUOUS: [Layout; 3] = [Layout::Contiguous; 3];

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
