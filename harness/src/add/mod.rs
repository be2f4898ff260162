//! Section 01 checks: naive vs vectorised add.
//!
//! The contract under test is the one documented in `solution_01`: equal lengths or
//! `AddError`, empty input allowed, two's-complement wrapping on overflow, any ndarray
//! layout accepted.

use given_01::{AddError, PyInt, PyList, PyObject};
use ndarray::{Array1, ArrayView1, ArrayViewMut1};

mod checked;
mod correctness;
mod cost;
mod random_inputs;
mod snapshot;

pub use checked::*;
pub use correctness::*;
pub use cost::*;
pub use random_inputs::*;
pub use snapshot::*;

use crate::strategies::{Laid, Layout};

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
    /// Same signature as `vectorised_add`; refuses overflow instead of wrapping.
    pub checked_add: VectorisedAddFn,
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
            checked_add: $krate::checked_add,
        }
    };
}

/// Instantiates every section 01 check as a `#[test]` for the crate `$krate`.
///
/// ```text
/// harness::add_checks!(exercise_01);
/// ```
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
            correctness_checked_add,
            properties_checked_add,
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
            Variant::Naive => crate::book::ADD_BOXED,
            Variant::Indexed => crate::book::ADD_TYPED,
            Variant::Vectorised => crate::book::ADD_VECTORISED,
            Variant::Into => crate::book::ADD_IN_PLACE,
            Variant::ParInto => crate::book::ADD_SECOND_CORE,
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
