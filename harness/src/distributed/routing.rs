//! §6.2 — the exchange key spreads images evenly over any number of workers.

use super::{BOOK_ROUTING, DistributedApi};

/// The worker timely sends a record with exchange key `key` to, among `workers`: a mask for
/// a power of two, the remainder otherwise (timely 0.32's `DrainContainerDistributor`).
pub fn timely_target(key: u64, workers: usize) -> usize {
    let workers = workers as u64;
    if workers.is_power_of_two() {
        (key & (workers - 1)) as usize
    } else {
        (key % workers) as usize
    }
}

/// For 1 to 8 workers and 1 to 40 images, every worker gets `images / workers` images, ± 1.
/// A constant key puts all of them on one worker; a key that is always even leaves half the
/// workers idle whenever their count is a power of two.
pub fn correctness_route_spreads_images_evenly(api: &DistributedApi) {
    for workers in 1..=8usize {
        for images in 1..=40u64 {
            let mut counts = vec![0u64; workers];
            for index in 0..images {
                counts[timely_target((api.image_route)(&index), workers)] += 1;
            }
            let (least, most) = (counts.iter().min(), counts.iter().max());
            if let (Some(&least), Some(&most)) = (least, most)
                && most - least > 1
            {
                panic!(
                    "image_route: {images} images over {workers} workers land as {counts:?} \
                     (images per worker); every worker should get {} or {}: route by the \
                     image's index\n  read: {BOOK_ROUTING}",
                    images / workers as u64,
                    images.div_ceil(workers as u64)
                );
            }
        }
    }
}
