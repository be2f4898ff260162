"""Section 05's Zarr stores, opened by zarr-python: run with
``python/.venv/bin/python -m unittest -v test_zarr`` from ``python/`` (``.ci/run`` runs every
test here).

The course writes Zarr v3 with the Rust crate ``zarrs`` and says the stores are readable by
zarr-python and xarray. This checks that claim with the reference implementation: it runs
``demo 05 --size 1100 --keep`` (an 1100 × 1100 array in 1000² chunks, so three of the four
chunks are partial at the edges), opens both stores with ``zarr``, and compares what it reads with
what the stores must hold — seeded pixels in [0, 1), and their clipped-window 3 × 3 mean
computed here with numpy, independently of the Rust code.
"""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np
import zarr

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1100


def clipped_window_mean(image):
    """The 3 × 3 mean over the part of each window inside the image (section 02's contract)."""
    padded = np.pad(image, 1)
    present = np.pad(np.ones_like(image), 1)
    rows, cols = image.shape
    total = np.zeros_like(image)
    count = np.zeros_like(image)
    for di in range(3):
        for dj in range(3):
            total += padded[di:di + rows, dj:dj + cols]
            count += present[di:di + rows, dj:dj + cols]
    return total / count


class StoresWrittenByTheCourseOpenInZarrPython(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("cargo") is None:
            raise unittest.SkipTest("cargo is not on PATH: cannot run the demo that writes the stores")
        cls.dir = Path(tempfile.mkdtemp(prefix="eo-zarr-test-"))
        subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "demo", "--", "05", "--size",
             str(SIZE), "--zarr-dir", str(cls.dir), "--keep"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )
        cls.input = zarr.open_array(cls.dir / f"input-{SIZE}.zarr", mode="r")
        cls.smoothed = zarr.open_array(cls.dir / f"smoothed-{SIZE}.zarr", mode="r")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_both_stores_are_zarr_v3_float64_arrays_of_the_full_shape(self):
        for array in (self.input, self.smoothed):
            self.assertEqual(array.metadata.zarr_format, 3)
            self.assertEqual(array.shape, (SIZE, SIZE))
            self.assertEqual(array.dtype, np.dtype("float64"))
            self.assertEqual(tuple(array.metadata.dimension_names), ("y", "x"))
            self.assertTrue(np.isnan(array.fill_value), "NaN marks what was never written")

    def test_the_input_holds_seeded_pixels_and_the_edge_chunks_no_fill(self):
        image = self.input[:]
        self.assertFalse(np.isnan(image).any(), "every pixel was written, edge chunks included")
        self.assertTrue(((image >= 0.0) & (image < 1.0)).all())
        # Seeded, not constant: a stuck generator or a chunk written twice would show here.
        self.assertGreater(len(np.unique(image)), SIZE * SIZE * 0.99)

    def test_the_smoothed_store_is_the_clipped_window_mean_of_the_input(self):
        expected = clipped_window_mean(self.input[:])
        actual = self.smoothed[:]
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=0)

    def test_a_region_across_chunk_borders_reads_the_same_as_the_whole(self):
        # 1000² chunks: rows and columns 995..1005 straddle the border between chunks.
        whole = self.smoothed[:]
        np.testing.assert_array_equal(self.smoothed[995:1005, 995:1005], whole[995:1005, 995:1005])


if __name__ == "__main__":
    unittest.main()
