//! Counting heap allocations, to check *that* code allocates (or not) instead of timing it.
//!
//! Whether a fresh allocation is slow depends on the allocator's state (on this machine a
//! reused block costs nothing, a fresh 32 MB block costs ~33 ms of page faults), so a timing
//! check of "in place beats allocating" cannot be made robust. Counting allocations can:
//! it is exact and deterministic.
//!
//! The section macros install [`CountingAllocator`] (or [`PeakAllocator`](crate::peak_memory::PeakAllocator),
//! which counts too) as the test binary's global allocator.
//! Counts are per thread, so checks running in parallel do not disturb each other, and
//! allocations made by other threads (rayon's workers) are not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    // `const` initialisation and a `Copy` type: no allocation and no destructor, so this is
    // safe to touch from inside the allocator.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator, counting each `alloc`, `alloc_zeroed` and `realloc` on the calling
/// thread.
pub struct CountingAllocator;

pub(crate) fn count_one() {
    // `try_with`: during thread teardown the slot may be gone; then the allocation is not
    // counted rather than aborting the process.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the contract.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Installs [`CountingAllocator`] as the global allocator of the test binary that invokes it.
/// The section macros do this; a binary can have only one.
#[macro_export]
macro_rules! install_counting_allocator {
    () => {
        #[global_allocator]
        static COUNTING_ALLOCATOR: $crate::allocation_count::CountingAllocator =
            $crate::allocation_count::CountingAllocator;
    };
}

fn current() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// The number of heap allocations made on this thread so far. Reading it allocates nothing,
/// so it can be read between the steps of code under test: the difference of two readings
/// is what happened in between. Call [`count_allocations`] around the whole measurement
/// first, which proves the counting allocator is installed.
pub fn allocations_so_far() -> u64 {
    current()
}

/// Runs `f` and returns its result with the number of heap allocations it made on this
/// thread.
///
/// Panics if the counting allocator is not installed, since every count would then read
/// zero and "allocates nothing" would pass for any code.
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before_probe = current();
    drop(std::hint::black_box(Box::new(0_u64)));
    assert!(
        current() > before_probe,
        "harness::allocation_count: the counting allocator is not installed in this test binary \
         (use harness::install_counting_allocator!())"
    );
    let before = current();
    let result = f();
    (result, current() - before)
}
