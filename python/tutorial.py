"""The tutorial's functions, as its cells define them.

Kept as written, quirks included, because the point is to time the code a learner ran:
- ``smooth`` divides with ``// 9`` (floor division), so on ``np.random.random`` pixels in
  [0, 1) every interior pixel is 0.0: it computes floor(mean), not a mean.
- ``smooth`` starts from ``np.empty_like`` and never writes the border, so the border holds
  whatever memory was there before (the Rust course fills it from a clipped window).
- ``save`` does nothing.

Importable by Dask's worker processes (spawned workers inherit the parent's ``sys.path``),
so the functions travel to them by reference, not by value.
"""

import numba
import numpy as np


def load_eo_data():
    """A fake 1000 x 1000 image: numpy's global legacy generator (MT19937), floats in [0, 1)."""
    return np.random.random((1000, 1000))


def smooth(x):
    """The tutorial's 3 x 3 smooth, in pure Python (about 1 s per image)."""
    out = np.empty_like(x)
    for i in range(1, x.shape[0] - 1):
        for j in range(1, x.shape[1] - 1):
            out[i, j] = (x[i + -1, j + -1] + x[i + -1, j + 0] + x[i + -1, j + 1] +
                         x[i +  0, j + -1] + x[i +  0, j + 0] + x[i +  0, j + 1] +
                         x[i +  1, j + -1] + x[i +  1, j + 0] + x[i +  1, j + 1]) // 9

    return out


# The tutorial's ``fast_smooth = numba.jit(smooth)``: compiled on its first call, in every
# new process (nothing is cached on disk).
fast_smooth = numba.jit(smooth)


def save(x, filename):
    pass
