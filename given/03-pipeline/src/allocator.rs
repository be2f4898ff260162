//! Keeping freed memory in the process, so that the next image reuses it instead of
//! page-faulting fresh memory in. Given code (not part of the exercise).

// ANCHOR: keep_freed_memory
/// Asks the C library's allocator (glibc's `malloc`) to keep freed memory for reuse
/// instead of returning it to the operating system: blocks up to 32 MiB come from the
/// heap rather than from their own `mmap`, and the heap is trimmed only once more than
/// 1 GiB of it is free.
///
/// Why: each 1000 × 1000 image allocates ~40 MB of arrays and frees them all at the end.
/// By default glibc then hands that memory back to the kernel, and the next image's
/// first write to every 4 KiB page is a page fault (~2 µs each on the course machine):
/// ~25 ms of a ~38 ms image. With this call the same image takes ~13 ms.
///
/// It changes the whole process, for good: call it once at the start of a *program*
/// (`eo-pipeline`, the demo, the bench), never from library code. Returns `true` if the
/// allocator accepted both settings, `false` where there is no glibc (other platforms
/// keep their allocator's own policy). Cost: two calls, nothing afterwards except that
/// the process keeps up to 1 GiB of freed memory.
pub fn keep_freed_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only changes two numeric parameters of the allocator; it is
        // safe to call at any time, from any thread.
        unsafe {
            let heap_not_mmap = libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
            let keep_free_heap = libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
            heap_not_mmap == 1 && keep_free_heap == 1
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}
// ANCHOR_END: keep_freed_memory
