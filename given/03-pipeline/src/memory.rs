//! How much memory a run needs, estimated before any work, and how much the machine has.
//! Given code (not part of the exercise).

/// Peak bytes per pixel of one image in flight: the loaded image (8), the smoothed image
/// (8), the FFT's row spectra and work buffers (16) and the spectrum (16). The reference's
/// per-thread `Workspace` holds 48 at most (image 8, smoothed 8, spectrum 16, its `FftWork`'s
/// half-width row spectra 8 and a few columns); 48 also covers an all-complex FFT's copy.
pub const PEAK_BYTES_PER_PIXEL: u128 = 48;

/// Bytes per point of an FFT length for its plan and scratch: rustfft's twiddles (16 bytes
/// per point) and, for lengths with large prime factors, Bluestein's inner transform of up
/// to 4× the length with its scratch. Planning a 536,870,912-point transform took 7.3 GB
/// before this estimate refused it.
pub const PLAN_BYTES_PER_POINT: u128 = 128;

// ANCHOR: estimate
/// The estimated peak memory of a run of images of `shape` with `in_flight` images being
/// processed at once (1 for a sequential run, the thread count for a parallel one):
///
/// `in_flight × 48 × rows × cols + (in_flight + 1) × 128 × (rows + cols)` bytes
///
/// — each image in flight ([`PEAK_BYTES_PER_PIXEL`]), and the row and column FFT plans
/// (shared) plus each thread's FFT scratch ([`PLAN_BYTES_PER_POINT`]). Computed in `u128`,
/// so it never overflows for any `usize` shape.
pub fn estimated_peak_bytes(shape: (usize, usize), in_flight: usize) -> u128 {
    let (rows, cols) = (shape.0 as u128, shape.1 as u128);
    let in_flight = in_flight.max(1) as u128;
    in_flight * PEAK_BYTES_PER_PIXEL * rows * cols
        + (in_flight + 1) * PLAN_BYTES_PER_POINT * (rows + cols)
}
// ANCHOR_END: estimate

/// The memory the machine can give a new run without swapping: `MemAvailable` in
/// `/proc/meminfo` (Linux), never more than the address space (`isize::MAX`). `None`
/// where that file does not exist or cannot be read: then only the address space limits a
/// run. A container's own limit (cgroup `memory.max`) is not read. Cost: reading one small
/// file (~20 µs).
pub fn available_bytes() -> Option<u128> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u128 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemAvailable:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some((kib * 1024).min(isize::MAX as u128))
}

/// `bytes` for a person: `12.8 GB`, `512.0 MB`, `3.1e+10 TB`.
pub fn human_bytes(bytes: u128) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        1_000_000_000..1_000_000_000_000 => format!("{:.1} GB", b / 1e9),
        _ if b < 1e18 => format!("{:.1} TB", b / 1e12),
        _ => format!("{:.1e} TB", b / 1e12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_covers_the_reference_and_never_overflows() {
        // 1000 × 1000, one image: 48 MB + plans.
        assert_eq!(
            estimated_peak_bytes((1000, 1000), 1),
            48_000_000 + 2 * 128 * 2000
        );
        assert!(estimated_peak_bytes((usize::MAX, usize::MAX), usize::MAX) > u64::MAX as u128);
    }

    #[test]
    fn available_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            let available = available_bytes().expect("MemAvailable in /proc/meminfo");
            assert!(available > 1_000_000, "{available}");
        }
    }
}
