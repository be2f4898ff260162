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
