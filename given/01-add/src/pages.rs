//! Large arrays on 2 MiB pages, the way numpy allocates them. Given code (not part of the
//! exercise).
//!
//! Memory reaches a process in pages. Linux's default page is 4 KiB, so a 32 MB array
//! spans 7,813 pages, and the processor must translate each page's addresses through the
//! page tables before it can read it. Its cache of translations (the TLB) holds a few
//! thousand entries; streaming through three 32 MB arrays misses it every 4 KiB, and on a
//! virtual machine each miss walks two sets of page tables (the guest's and the host's).
//! A *transparent huge page* of 2 MiB covers 512 times as much: a 32 MB array then needs
//! 16 translations, and its first touch 16 page faults instead of 7,813.
//!
//! numpy asks for them: for every array of 4 MiB or more it calls `madvise(…,
//! MADV_HUGEPAGE)` on the new memory. A Rust `Vec` gets whatever the allocator hands out —
//! 4 KiB pages unless the machine's policy
//! (`/sys/kernel/mm/transparent_hugepage/enabled`) is `always`. [`vec_on_huge_pages`]
//! does what numpy does, so that the two can be compared on the same footing (book §1.4).

// ANCHOR: vec_on_huge_pages
/// A `Vec` of `len` copies of `value` whose memory was advised for 2 MiB pages
/// (`madvise(MADV_HUGEPAGE)`) before its first touch, as numpy does for arrays of 4 MiB or
/// more. Smaller vectors are allocated as usual: a huge page would waste memory on them.
///
/// The advice covers the whole 2 MiB-aligned pages inside the allocation (all of a large
/// vector but its first and last megabyte or so). Whether the kernel follows it depends
/// on the machine: with transparent huge pages `never`, or on other systems than Linux,
/// the vector is an ordinary one ([`huge_pages_policy`] says which). Either way the
/// result is a normal `Vec`, freed normally.
///
/// Cost: one system call, then writing `value` to every element (the first touch, which
/// is where the kernel hands out the pages).
pub fn vec_on_huge_pages<T: Clone>(len: usize, value: T) -> Vec<T> {
    let mut vec = Vec::with_capacity(len);
    if len.saturating_mul(size_of::<T>()) >= NUMPY_HUGE_PAGE_THRESHOLD {
        advise_huge_pages(vec.spare_capacity_mut());
    }
    vec.resize(len, value);
    vec
}
// ANCHOR_END: vec_on_huge_pages

/// numpy's threshold: arrays of at least 4 MiB get the advice.
pub const NUMPY_HUGE_PAGE_THRESHOLD: usize = 4 << 20;

/// Advises the kernel to back the 2 MiB-aligned part of `memory` with huge pages. Returns
/// whether the kernel accepted the advice (never on other systems than Linux).
fn advise_huge_pages<T>(memory: &mut [std::mem::MaybeUninit<T>]) -> bool {
    const HUGE: usize = 2 << 20;
    let start = memory.as_mut_ptr() as usize;
    let end = start + std::mem::size_of_val(memory);
    let (first, last) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
    if first >= last {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: [first, last) lies inside `memory`, which this process owns; the advice
        // changes how the kernel backs those pages, never their contents or ownership.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_HUGEPAGE,
            ) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// The machine's transparent-huge-page policy (`always`, `madvise` or `never`), or `None`
/// where Linux does not say. With `madvise`, only advised memory (numpy's arrays,
/// [`vec_on_huge_pages`]) gets huge pages; with `always`, every large allocation does.
pub fn huge_pages_policy() -> Option<String> {
    let text = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    // The file lists every mode and brackets the active one: "always [madvise] never".
    let active = text.split_once('[')?.1.split_once(']')?.0;
    Some(active.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_on_huge_pages_is_an_ordinary_vector() {
        for len in [0, 1, 1000, (NUMPY_HUGE_PAGE_THRESHOLD / 8) + 1, 5_000_000] {
            let vec = vec_on_huge_pages(len, 7_i64);
            assert_eq!(vec.len(), len);
            assert!(vec.iter().all(|&v| v == 7));
        }
    }

    #[test]
    fn memory_without_a_whole_huge_page_is_not_advised() {
        let mut small = Vec::<u8>::with_capacity(4096);
        assert!(!advise_huge_pages(small.spare_capacity_mut()));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_takes_the_advice_where_it_has_huge_pages() {
        if huge_pages_policy().is_some_and(|p| p != "never") {
            let mut big = Vec::<u8>::with_capacity(16 << 20);
            assert!(advise_huge_pages(big.spare_capacity_mut()));
        }
    }
}
