"""Checks of the Python side: run with ``python/.venv/bin/python -m unittest discover python``.

They pin down what the tutorial's code computes (so that a row of the compare table is known
to time the tutorial's work) and the JSON contract ``demo compare`` reads.
"""

import json
import subprocess
import sys
import unittest
from pathlib import Path

import numpy as np

from tutorial import fast_smooth, smooth

HERE = Path(__file__).resolve().parent


class TutorialSmooth(unittest.TestCase):
    def test_numba_and_pure_python_agree_on_the_interior(self):
        x = np.random.default_rng(1).random((40, 50)) * 100
        self.assertTrue(np.array_equal(smooth(x)[1:-1, 1:-1], fast_smooth(x)[1:-1, 1:-1]))

    def test_floor_division_makes_the_interior_zero_for_pixels_below_one(self):
        x = np.random.default_rng(2).random((40, 50))
        self.assertTrue((fast_smooth(x)[1:-1, 1:-1] == 0.0).all())


class ChunkedStep(unittest.TestCase):
    def test_the_corrected_kernel_is_a_true_mean_in_the_interior(self):
        from steps import mean_smooth

        x = np.random.default_rng(3).random((6, 7))
        expected = np.array([[x[i - 1:i + 2, j - 1:j + 2].mean() for j in range(1, 6)]
                             for i in range(1, 5)])
        np.testing.assert_allclose(mean_smooth(x)[1:-1, 1:-1], expected, rtol=1e-15)

    def test_the_dask_pipeline_gives_the_mean_of_pixels_in_zero_one(self):
        from steps import chunked_mean

        self.assertAlmostEqual(chunked_mean(), 0.5, delta=0.01)


class StepsJson(unittest.TestCase):
    def test_one_step_prints_one_line_of_json_with_every_field(self):
        out = subprocess.run(
            [sys.executable, str(HERE / "steps.py"), "--json", "--repeats", "2", "fft2"],
            check=True, capture_output=True, text=True,
        ).stdout
        self.assertEqual(len(out.strip().splitlines()), 1)
        result = json.loads(out)
        self.assertEqual(set(result["versions"]),
                         {"python", "numpy", "numba", "scipy", "dask", "distributed"})
        self.assertEqual(len(result["load_before"]), 3)
        (row,) = result["rows"]
        self.assertEqual((row["key"], row["unit"], row["n"]), ("fft2", "call", 2))
        self.assertEqual(len(row["samples_s"]), 2)
        self.assertTrue(row["min_s"] <= row["median_s"] <= row["max_s"])

    def test_an_unknown_step_is_refused(self):
        run = subprocess.run([sys.executable, str(HERE / "steps.py"), "fft3"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("unknown step 'fft3'", run.stderr)


if __name__ == "__main__":
    unittest.main()
