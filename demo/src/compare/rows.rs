//! The rows of the table: which `steps.py` row each is, what the Rust side runs for it, and
//! what the two sides do differently.

/// One row of the table: the `steps.py` row key, a short label (the chart's), what the
/// Rust side runs, and what the two sides do differently.
pub struct RowSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub rust: &'static str,
    pub differs: &'static str,
}

/// Every row, in table order.
pub const ROWS: &[RowSpec] = &[
    RowSpec {
        key: "add.list",
        label: "add, list",
        rust: "`naive_add` on boxed values",
        differs: "Rust models a list of boxed objects with dynamic `+`, without the \
                  interpreter, reference counts or big integers",
    },
    RowSpec {
        key: "add.numpy",
        label: "add X + Y",
        rust: "`vectorised_add`",
        differs: "same work: 4M int64 adds into a new array. X and Y on 2 MiB pages on both \
                  sides (numpy's madvise; Rust: `pages::vec_on_huge_pages`); the new result \
                  gets them in numpy, while Rust's `Vec` gets 4 KiB pages unless transparent \
                  huge pages are `always`",
    },
    RowSpec {
        key: "add.inplace",
        label: "add, in place",
        rust: "`add_into`",
        differs: "same work, into an existing array; all three arrays on 2 MiB pages on \
                  both sides (on 4 KiB pages Rust's `add_into` is slower: demo 01). Z is 32 \
                  MiB, so Rust's `add_into` writes it with streaming stores (book §1.4)",
    },
    RowSpec {
        key: "add.copy",
        label: "copy, the floor",
        rust: "`copy_from_slice`",
        differs: "no add: one array copied into another, 4M int64 on 2 MiB pages on both \
                  sides; the least an add into an existing array could move (it also reads Y). \
                  Both call the C library's `memcpy`",
    },
    RowSpec {
        key: "add.inplace.cached",
        label: "add, in place, in cache",
        rust: "`add_into`",
        differs: "as `add, in place`, on 256K int64 per array: the three arrays (6 MiB) fit \
                  in the level-3 cache, so both sides use plain stores (book §1.4)",
    },
    RowSpec {
        key: "add.inplace.large",
        label: "add, in place, 64M",
        rust: "`add_into`",
        differs: "as `add, in place`, on 64M int64 per array (512 MiB each), far outside any \
                  cache. numpy's loop stores through the cache, which first reads each line \
                  of Z; Rust's `add_into` writes outputs of 4 MiB or more with streaming \
                  stores, which skip that read (book §1.4)",
    },
    RowSpec {
        key: "add.copy.large",
        label: "copy, 64M",
        rust: "`copy_from_slice`",
        differs: "the floor for the row above: one 512 MiB array copied into another by \
                  `memcpy` on both sides, which streams copies this large",
    },
    RowSpec {
        key: "smooth.first",
        label: "smooth, 1st call",
        rust: "`smooth_optimised`, first call in the process",
        differs: "numba compiles on the first call of every process; Rust compiled at build \
                  time. Rust has one sample (only round 1 is a first call)",
    },
    RowSpec {
        key: "smooth.steady",
        label: "smooth",
        rust: "`smooth_optimised`",
        differs: "tutorial: `// 9` (floor, so 0.0 for pixels in [0, 1)) and borders left \
                  as `np.empty_like` garbage; Rust: true mean, borders over the clipped window",
    },
    RowSpec {
        key: "smooth.library",
        label: "uniform_filter",
        rust: "`smooth_optimised`",
        differs: "both a true mean; scipy reflects the image at the borders, Rust averages \
                  the clipped window",
    },
    RowSpec {
        key: "fft2",
        label: "fft2",
        rust: "`Fft2::forward`, planned once",
        differs: "numpy (pocketfft) transforms the real image as complex; Rust uses real \
                  row transforms and Hermitian symmetry. Same complex128 output layout",
    },
    RowSpec {
        key: "pipeline",
        label: "pipeline / image",
        rust: "`run_sequential`",
        differs: "pixels: numpy's MT19937 vs xoshiro256++; smooth and FFT as in the rows \
                  above; Rust reuses one workspace of arrays for every image (book §3.4), so \
                  it allocates nothing per image whatever `--malloc-default` says; Python \
                  allocates new arrays per image, with malloc's defaults but 2 MiB pages \
                  (numpy's madvise)",
    },
    RowSpec {
        key: "dask.startup",
        label: "cluster start",
        rust: "`local_cluster(cores)`",
        differs: "Dask starts a scheduler and one worker process per core; the course's \
                  cluster starts threads in this process",
    },
    RowSpec {
        key: "dask.submit",
        label: "submit / image",
        rust: "`submit_image` ×N + `fire_and_forget`",
        differs: "time until the submit loop returns (the tutorial's `%%time`), not until \
                  the work is done; Dask sends each task to the scheduler process",
    },
    RowSpec {
        key: "dask.done",
        label: "cluster / image",
        rust: "the same loop, then `wait`",
        differs: "until every task is done. Dask: worker processes, results serialised when \
                  they move; Rust: threads sharing memory",
    },
    RowSpec {
        key: "bridge.smooth",
        label: "smooth via eo_kernels",
        rust: "`smooth_optimised`",
        differs: "the same Rust kernel; Python's side adds the call from Python: checking the \
                  array, releasing the GIL, handing the result to numpy (no copies)",
    },
    RowSpec {
        key: "bridge.fft2",
        label: "fft2 via eo_kernels",
        rust: "`fft2` (plans per call)",
        differs: "the same Rust transform, planned per call on both sides; Python's side adds \
                  the boundary as for smooth",
    },
    RowSpec {
        key: "bridge.rayon",
        label: "rayon pipeline / image",
        rust: "`run_parallel(cores)`",
        differs: "the same rayon run; called from Python, whose process keeps glibc's malloc \
                  defaults (this one keeps freed memory unless `--malloc-default`)",
    },
    RowSpec {
        key: "dask.rust",
        label: "Dask + Rust kernels / image",
        rust: "the course's cluster (the `cluster / image` samples)",
        differs: "Python: the tutorial's Dask loop on `LocalCluster()` worker processes, with \
                  `eo_kernels.smooth`/`fft2` instead of numba/numpy (load still numpy); \
                  Rust: the course's cluster, threads sharing memory",
    },
    RowSpec {
        key: "dask.threads",
        label: "Dask threads + Rust / image",
        rust: "the course's cluster (the `cluster / image` samples)",
        differs: "Python: `LocalCluster(processes=False)`, 1 worker × 2 threads; the kernels \
                  release the GIL, so both threads compute; no serialisation between tasks",
    },
    RowSpec {
        key: "dask.image",
        label: "Dask, 1 Rust task / image",
        rust: "the course's cluster (the `cluster / image` samples)",
        differs: "Python: one `eo_kernels.process_image` task per image instead of four tasks: \
                  a quarter of the scheduling, and no array leaves a worker",
    },
    RowSpec {
        key: "dask.rust_mmap",
        label: "Dask + Rust, mmap 32 MiB",
        rust: "the course's cluster (the `cluster / image` samples)",
        differs: "as `Dask + Rust kernels`, with `MALLOC_MMAP_THRESHOLD_=32MiB` in the workers' \
                  environment: large arrays come from the heap, not a fresh `mmap` each",
    },
    RowSpec {
        key: "dask.numpy_mmap",
        label: "Dask + numpy, mmap 32 MiB",
        rust: "the course's cluster (the `cluster / image` samples)",
        differs: "the tutorial's Dask loop as written, with the same worker malloc setting: \
                  the allocator's share of the numpy/numba cluster's time",
    },
    RowSpec {
        key: "chunked",
        label: "chunked smooth + mean",
        rust: "`seeded` → `map_overlap(1, Absent, smooth)` → `mean`, rayon executor",
        differs: "4000² f64 in 1000² chunks on both sides. Python: `da.random.random` → \
                  `map_overlap(depth=1, boundary='none')` with the tutorial's numba kernel \
                  corrected to a true mean (`/ 9`, a border of zeros that the halo trims except \
                  at the array's edge) → `mean().compute()` on Dask's threads; Rust: seeded \
                  chunks, section 02's smooth (clipped window at the edge), compensated mean",
    },
    RowSpec {
        key: "chunked.small",
        label: "chunked, 250² chunks",
        rust: "the same pipeline in 250² chunks",
        differs: "as the row above, in 256 chunks instead of 16: the same work in 16× the \
                  tasks, so each side's per-task cost shows (book §5.4)",
    },
];

/// The rows whose Rust side is the course's cluster, measured once per round (the
/// `dask.done` run) and shown against each of them.
pub const CLUSTER_ROWS: &[&str] = &[
    "dask.rust",
    "dask.threads",
    "dask.image",
    "dask.rust_mmap",
    "dask.numpy_mmap",
];

/// The row spec's own key for a `steps.py` key. Errors: a key this program does not know
/// (`steps.py` and `compare` out of step).
pub fn row_key(key: &str) -> Result<&'static str, String> {
    ROWS.iter()
        .find(|r| r.key == key)
        .map(|r| r.key)
        .ok_or_else(|| format!("python/steps.py reported a row '{key}' that compare does not know"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_python_row_is_an_error_not_a_new_row() {
        assert_eq!(row_key("fft2"), Ok("fft2"));
        let error = row_key("fft3").unwrap_err();
        assert!(error.contains("'fft3'"), "{error}");
    }

    #[test]
    fn every_row_that_steps_py_can_report_is_known_and_the_other_way_round() {
        let script = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/steps.py"),
        )
        .expect("python/steps.py");
        // Every row steps.py makes starts with `row("KEY"`.
        let mut in_script: Vec<&str> = script
            .split("row(\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        in_script.sort_unstable();
        let mut in_table: Vec<&str> = ROWS.iter().map(|r| r.key).collect();
        in_table.sort_unstable();
        assert_eq!(in_script, in_table);
    }
}
