//! Measuring the peak heap memory of a piece of code, across every thread it uses.
//!
//! [`PeakAllocator`] forwards to the system allocator and keeps two process-wide counters:
//! the bytes currently allocated and the highest value seen since the last reset. Unlike
//! [`crate::allocation_count`], whose counts are per thread, these include rayon's workers: that
//! is the point, since a parallel run's memory lives on its workers.
//!
//! Because the counters are process-wide, a measurement is only meaningful when nothing
//! else in the process allocates at the same time: checks that use [`peak_bytes`] end in
//! `_alone`, and [`crate::check::run`] runs them with the machine to themselves.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// The system allocator, tracking live and peak heap bytes for the whole process, and
/// counting allocations per thread as [`CountingAllocator`](crate::allocation_count::CountingAllocator) does.
pub struct PeakAllocator;

fn grow(bytes: usize) {
    // Counted per thread too, so that `allocation_count` works in a binary that installs
    // this allocator (a binary has only one).
    crate::allocation_count::count_one();
    INSTALLED.store(true, Ordering::Relaxed);
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the contract; the
// counters are plain atomics and never allocate.
unsafe impl GlobalAlloc for PeakAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrink(layout.size());
            grow(new_size);
        }
        new
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Installs [`PeakAllocator`] as the global allocator of the test binary that invokes it.
/// A binary can have only one global allocator, so a section uses either this or
/// [`install_counting_allocator!`](crate::install_counting_allocator).
#[macro_export]
macro_rules! install_peak_allocator {
    () => {
        #[global_allocator]
        static PEAK_ALLOCATOR: $crate::peak_memory::PeakAllocator =
            $crate::peak_memory::PeakAllocator;
    };
}

/// Runs `f` and returns its result with the highest number of heap bytes that were
/// allocated at any moment during the call *beyond* what was allocated when it started,
/// counting every thread of the process.
///
/// Panics if [`PeakAllocator`] is not installed (every measurement would read zero).
pub fn peak_bytes<R>(f: impl FnOnce() -> R) -> (R, usize) {
    drop(std::hint::black_box(Box::new(0_u64)));
    assert!(
        INSTALLED.load(Ordering::Relaxed),
        "harness::peak_memory: the peak allocator is not installed in this test binary \
         (use harness::install_peak_allocator!())"
    );
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = f();
    let peak = PEAK.load(Ordering::Relaxed);
    (result, peak.saturating_sub(before))
}
