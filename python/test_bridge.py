"""Checks of the course's kernels as a Python module (``eo_kernels``, built from bridge/ by
``python/build-bridge``): run with ``python/.venv/bin/python -m unittest -v test_bridge``
from ``python/`` (``.ci/run`` does, with ``EO_KERNELS_REQUIRED=1``).

- its results are the Rust crate's (checksums from a Rust program without Python) and
  numpy's (``np.fft.fft2`` within 1e-12 relative);
- every call releases the GIL: another Python thread runs during a Rust call, and two
  threads finish two calls well under twice one call's time;
- bad input raises a Python exception with a clear message, never a crash.

Without the module these tests are skipped with the command that builds it, unless
``EO_KERNELS_REQUIRED=1`` (then they fail).
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import unittest
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

try:
    import eo_kernels
except ImportError as error:
    if os.environ.get("EO_KERNELS_REQUIRED") == "1":
        raise
    raise unittest.SkipTest(f"eo_kernels is not built ({error}): run python/build-bridge")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))  # dask_rust and tutorial, whatever the working directory


def rust_checksums(images, shape):
    """What ``solution_03::run_sequential`` gives, from a Rust program (no Python in it)."""
    if shutil.which("cargo") is None:
        raise unittest.SkipTest("cargo is not on PATH: cannot run the Rust crate itself")
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "eo-kernels", "--example",
         "rust_checksums", "--", str(images), str(shape[0]), str(shape[1])],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return [int(line) for line in out.split()]


class SameResultsAsTheRustCrate(unittest.TestCase):
    def check_shape(self, images, shape):
        expected = rust_checksums(images, shape)
        self.assertEqual(len(expected), images)
        self.assertEqual(eo_kernels.run_pipeline(images, shape), expected, "sequential")
        self.assertEqual(eo_kernels.run_pipeline(images, shape, threads=2), expected, "rayon")
        self.assertEqual([eo_kernels.process_image(i, shape) for i in range(images)], expected)
        # Every array through the boundary and back: numpy arrays in, numpy arrays out.
        through_numpy = [
            eo_kernels.checksum(eo_kernels.fft2(eo_kernels.smooth(eo_kernels.load_eo_data(i, shape))))
            for i in range(images)
        ]
        self.assertEqual(through_numpy, expected, "load -> smooth -> fft2 as numpy arrays")

    def test_the_tutorial_shape(self):
        self.check_shape(3, (1000, 1000))

    def test_odd_and_thin_shapes(self):
        for shape in [(7, 5), (1, 1), (1, 8), (31, 2)]:
            with self.subTest(shape=shape):
                self.check_shape(2, shape)


def mean_smooth(x):
    """The course's smooth in numpy: the mean over each pixel's 3 x 3 window clipped at the
    borders (not the tutorial's ``// 9`` with unwritten borders)."""
    padded = np.pad(x, 1)
    counts = np.pad(np.ones_like(x), 1)
    rows, cols = x.shape
    sums = sum(padded[i:i + rows, j:j + cols] for i in range(3) for j in range(3))
    pixels = sum(counts[i:i + rows, j:j + cols] for i in range(3) for j in range(3))
    return sums / pixels


class SameResultsAsNumpy(unittest.TestCase):
    SHAPES = [(1000, 1000), (1, 1), (1, 7), (6, 1), (17, 31), (64, 48), (97, 101)]

    def test_fft2_equals_numpy_fft2_within_1e_12_relative(self):
        rng = np.random.default_rng(12)
        for shape in self.SHAPES:
            with self.subTest(shape=shape):
                x = rng.random(shape) * 100 - 50
                got, want = eo_kernels.fft2(x), np.fft.fft2(x)
                self.assertEqual((got.dtype, got.shape), (np.complex128, want.shape))
                error = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300)
                # Measured: 1.2e-16 at 1000 x 1000, below 4e-16 on every shape here.
                self.assertLessEqual(error, 1e-12)

    def test_smooth_equals_the_clipped_window_mean(self):
        rng = np.random.default_rng(13)
        for shape in self.SHAPES:
            with self.subTest(shape=shape):
                x = rng.random(shape) * 100
                got = eo_kernels.smooth(x)
                self.assertEqual((got.dtype, got.shape), (np.float64, shape))
                np.testing.assert_allclose(got, mean_smooth(x), rtol=1e-13, atol=0)

    def test_inputs_are_left_alone_and_outputs_are_fresh_c_arrays(self):
        x = np.random.default_rng(14).random((40, 30))
        before = x.copy()
        x.flags.writeable = False  # read-only arrays are accepted: the kernels only read
        for out in (eo_kernels.smooth(x), eo_kernels.fft2(x)):
            self.assertTrue(out.flags.c_contiguous and out.flags.writeable)
            self.assertFalse(np.shares_memory(out, x))
        self.assertTrue(np.array_equal(x, before))

    def test_a_contiguous_slice_of_a_bigger_array_is_read_in_place(self):
        big = np.random.default_rng(15).random((50, 20))
        rows = big[10:30]  # C-contiguous, not owning its data
        np.testing.assert_allclose(eo_kernels.smooth(rows), mean_smooth(rows), rtol=1e-13)


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def gil_bound_spin(n=400_000):
    """Pure Python work: it holds the GIL all the time it runs."""
    total = 0
    for i in range(n):
        total += i
    return total


class ReleasesTheGil(unittest.TestCase):
    def test_another_python_thread_runs_during_one_rust_call(self):
        """A mechanism check that does not depend on the machine's load: a second thread
        ticks in a Python loop; if the GIL were held for the call, no tick could land
        strictly inside it (measured: thousands land inside; a GIL-holding call gets 0)."""
        ticks, stop = [], threading.Event()

        def ticker():
            while not stop.is_set():
                ticks.append(time.perf_counter())

        thread = threading.Thread(target=ticker)
        thread.start()
        time.sleep(0.05)
        start = time.perf_counter()
        eo_kernels.run_pipeline(8, (1000, 1000))  # one call, ~0.1-0.3 s
        end = time.perf_counter()
        stop.set()
        thread.join()
        margin = 0.1 * (end - start)
        inside = [t for t in ticks if start + margin < t < end - margin]
        self.assertGreater(len(inside), 100, f"only {len(inside)} ticks of another thread ran "
                           f"during a {end - start:.3f} s Rust call: is the GIL released?")

    def test_two_threads_take_well_under_twice_one_threads_time(self):
        """Two threads each run the same calls; judged as the speedup over one thread doing
        both, medians of interleaved rounds. The machine's own parallelism is measured in the
        same rounds with two processes: when it cannot give this test 2 cores (a shared,
        busy machine), the test is skipped with the numbers rather than judged on noise."""
        if cores() < 2:
            self.skipTest(f"only {cores()} core available: two threads cannot run at once")
        image = eo_kernels.load_eo_data(0)

        def calls():
            for _ in range(4):
                eo_kernels.fft2(image)

        def in_threads(work, n):
            threads = [threading.Thread(target=work) for _ in range(n)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - start

        def in_processes(pool, n):
            # 2,000,000 steps (about 70 ms): with 400,000 (14 ms) the pool's own messaging
            # and wake-ups were a large share, and the probe read 1.30-2.10x (median 1.58x
            # in this test) on a quiet machine; at 2,000,000 it read 1.78-1.96x (median
            # 1.84x) in the same minute, 2026-11-26, load 1.3.
            start = time.perf_counter()
            list(pool.map(gil_bound_spin, [2_000_000] * n))
            return time.perf_counter() - start

        rust, python, machine = [], [], []
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(gil_bound_spin, [10, 10]))  # start both workers
            for _ in range(7):
                one = in_threads(lambda: (calls(), calls()), 1)
                rust.append(one / in_threads(calls, 2))
                one = in_threads(lambda: (gil_bound_spin(), gil_bound_spin()), 1)
                python.append(one / in_threads(gil_bound_spin, 2))
                machine.append(2 * in_processes(pool, 1) / in_processes(pool, 2))
        rust, python, machine = (statistics.median(s) for s in (rust, python, machine))
        report = (f"speedup of 2 threads over 1: Rust kernels {rust:.2f}x, pure Python "
                  f"{python:.2f}x; 2 processes over 1: {machine:.2f}x; load {os.getloadavg()}")
        print(f"\n  {report}")
        # Two processes of pure Python scale 1.9-2.0x on the quiet course machine; below 1.6x
        # the machine is not giving this test two cores and a thread ratio means nothing.
        if machine < 1.6:
            self.skipTest(f"not judged, the machine is busy: {report}")
        # Threshold 1.4x: two cores give at most 2x, and two processes of pure Python reach
        # 1.8-1.9x on the quiet course machine, so 1.4x leaves headroom for noise. Judged
        # on 2026-11-26 at load 1.1-1.2 (after the probe's work was raised, above): Rust
        # kernels 1.64-1.77x in 4 runs, the probe 1.66-1.89x. The GIL-bound control shows
        # the check can fail: pure Python in two threads read 0.96-1.02x in the same runs.
        self.assertGreaterEqual(rust, 1.4, report)
        self.assertLess(python, 1.4, f"the GIL-bound control scaled: {report}")


class BadInputRaises(unittest.TestCase):
    GOOD = np.zeros((4, 5))

    CASES = [
        ("float32", GOOD.astype(np.float32), TypeError, "expected dtype float64"),
        ("int64", GOOD.astype(np.int64), TypeError, "got int64"),
        ("big-endian", GOOD.astype(">f8"), TypeError, "native byte order"),
        ("complex", GOOD.astype(np.complex128), TypeError, "expected dtype float64"),
        ("a list", [[1.0, 2.0]], TypeError, "got list"),
        ("a numpy scalar", np.float64(1.0), TypeError, "got numpy.float64"),
        ("None", None, TypeError, "got NoneType"),
        ("0-d", np.array(1.0), ValueError, "got a 0-d array"),
        ("1-d", np.zeros(5), ValueError, "got a 1-d array"),
        ("3-d", np.zeros((2, 3, 4)), ValueError, "got a 3-d array"),
        ("transposed", np.zeros((4, 5)).T, ValueError, "not C-contiguous"),
        ("strided", np.zeros((8, 5))[::2], ValueError, "not C-contiguous"),
        ("misaligned", np.frombuffer(bytes(8 * 20 + 1), np.float64, offset=1).reshape(4, 5),
         ValueError, "not aligned"),
        ("empty rows", np.zeros((0, 5)), ValueError, "is empty"),
        ("empty columns", np.zeros((5, 0)), ValueError, "is empty"),
        ("NaN", np.array([[0.0, 1.0], [np.nan, 2.0]]), ValueError, "holds NaN at [1, 0]"),
        ("infinity", np.array([[0.0, np.inf]]), ValueError, "holds inf at [0, 1]"),
    ]

    def test_each_bad_image_raises_a_clear_exception_in_each_kernel(self):
        for kernel in (eo_kernels.smooth, eo_kernels.fft2):
            for name, value, kind, text in self.CASES:
                with self.subTest(kernel=kernel.__name__, case=name):
                    with self.assertRaises(kind) as caught:
                        kernel(value)
                    self.assertIn(text, str(caught.exception))
                    self.assertTrue(str(caught.exception).startswith(kernel.__name__ + ":"))

    def test_a_huge_image_is_refused_before_it_is_read(self):
        side = int(np.sqrt(eo_kernels.MAX_PIXELS)) + 1
        huge = np.empty((side, side))  # 1.07 GB of address space, never touched
        with self.assertRaisesRegex(ValueError, "more than 134217728 pixels"):
            eo_kernels.smooth(huge)

    def test_bad_shapes_and_counts_raise(self):
        cases = [
            (lambda: eo_kernels.process_image(0, (0, 5)), ValueError, "is empty"),
            (lambda: eo_kernels.process_image(0, (10**6, 10**6)), ValueError, "more than"),
            (lambda: eo_kernels.load_eo_data(0, (2**40, 2**40)), ValueError, "more than"),
            (lambda: eo_kernels.process_image(-1), OverflowError, "negative"),
            (lambda: eo_kernels.run_pipeline(0), ValueError, "no images"),
            (lambda: eo_kernels.run_pipeline(2, (4, 4), threads=0), ValueError, "1 thread"),
            (lambda: eo_kernels.checksum(np.zeros((2, 2))), TypeError, "complex128"),
        ]
        for call, kind, text in cases:
            with self.subTest(text=text):
                with self.assertRaisesRegex(kind, text):
                    call()


class DaskLoopsWithTheKernels(unittest.TestCase):
    def test_steps_py_bridge_reports_every_row_as_json(self):
        """The rows `cargo xtask demo compare --steps bridge` reads, from 2 images per
        cluster (every Dask cluster of dask_rust.py starts, runs and closes)."""
        out = subprocess.run(
            [sys.executable, str(ROOT / "python" / "steps.py"), "--json", "--repeats", "1",
             "--images", "2", "bridge"],
            check=True, capture_output=True, text=True, cwd=ROOT / "python",
        ).stdout
        rows = {row["key"]: row for row in json.loads(out)["rows"]}
        self.assertEqual(set(rows), {
            "bridge.smooth", "bridge.fft2", "bridge.rayon", "dask.rust", "dask.threads",
            "dask.image", "dask.rust_mmap", "dask.numpy_mmap"})
        self.assertEqual(rows["dask.threads"]["threads"], 2)
        self.assertTrue(all(r["min_s"] > 0 for r in rows.values()))

    def test_keep_freed_memory_runs_in_every_worker(self):
        from dask_rust import cluster_runs

        startup, cold, runs, workers, threads = cluster_runs("rust-kept", 2, 1)
        self.assertEqual(len(runs), 1)
        self.assertGreaterEqual(workers, 1)


if __name__ == "__main__":
    unittest.main()
