"""The tutorial's cells as timed steps, without Jupyter.

Usage (after ``python/setup-venv``)::

    python/.venv/bin/python python/steps.py [--repeats N] [--images N] [--json] [STEP ...]

Steps (default: all, in this order):
  add       4,000,000 int64: list comprehension over two ``range``s; numpy ``X + Y``;
            ``np.add(X, Y, out=Z)``
  smooth    the tutorial's ``smooth`` under ``numba.jit``: first call (compiles) and steady
            state; ``scipy.ndimage.uniform_filter(size=3)``, the "use a library" answer
  fft2      ``np.fft.fft2`` of a 1000 x 1000 float64 image
  fft2-sweep ``np.fft.fft2`` and ``np.fft.rfft2`` at every shape of ``FFT2_SWEEP_SHAPES``
            (rows ``fft2.RxC`` and ``rfft2.RxC``; images above 4 M pixels get R samples)
  pipeline  load -> smooth -> fft2 -> save over ``--images`` images, one after another
  dask      the same on ``LocalCluster()``: the tutorial's submit loop (``pure=False``,
            ``fire_and_forget``), timed to the end of the submit loop and, by also holding
            the save futures and waiting on them, to the completion of every task
  chunked   a dask.array of 4000 x 4000 float64 in 1000 x 1000 chunks: ``map_overlap`` of the
            tutorial's numba smooth corrected to a true mean (depth 1, no boundary), then
            ``mean().compute()`` on Dask's default threaded scheduler
  bridge    the course's Rust kernels (``eo_kernels``, built by ``python/build-bridge``):
            smooth and fft2 called from Python; the whole pipeline on rayon threads; and the
            tutorial's Dask loop with them (``dask_rust.py``): LocalCluster() processes,
            processes=False threads, one task per image, and the workers' malloc setting

Each row reports every timed sample, its median/min/max and n; ``--json`` prints one JSON
object on one line (the only thing on standard output), with the versions of Python and the
libraries and the 1/5/15-minute load average before and after.

Cost on the course's 2-core machine, with R = max(1, repeats // 5): add about 0.6 s x (1 + R)
(the list add dominates); smooth about 1 s (numba compiles); fft2 under 1 s; pipeline R runs
of images x ~35 ms; dask ~1 s of start-up and 1 + R such runs; bridge five such clusters, in Rust; plus ~1 s of
imports.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version

import numba
import numpy as np

from tutorial import fast_smooth, load_eo_data, save

STEPS = ("add", "smooth", "fft2", "fft2-sweep", "pipeline", "dask", "bridge", "chunked")

# The same shapes as solution_03::FFT2_SWEEP_SHAPES (compare refuses a run where they differ).
FFT2_SWEEP_SHAPES = ((512, 512), (1000, 1000), (1009, 1009), (1024, 1024), (2048, 2048),
                     (4000, 4000), (1000, 1500), (4096, 256), (256, 4096))
LIBRARIES = ("numpy", "numba", "scipy", "dask", "distributed")


def row(key, what, samples, unit="call", **extra):
    """One result: every sample in seconds plus its summary. ``unit`` says what one sample
    is: one call, or one image (a run's wall time divided by its images)."""
    return {
        "key": key,
        "what": what,
        "unit": unit,
        "samples_s": samples,
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "n": len(samples),
        **extra,
    }


def timed(call, repeats, warmup=1):
    """``repeats`` wall-clock times of ``call()`` after ``warmup`` untimed calls, like
    ``%%timeit -n 1 -r repeats`` (each result is dropped before the next call)."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def slow(repeats):
    """Repeats for rows whose one sample takes seconds (list add, whole runs)."""
    return max(1, repeats // 5)


# The in-place add out of the tutorial's size: three arrays of 2 MiB (together well inside a
# 32 MiB level-3 cache) and of 512 MiB (far outside any cache).
ADD_CACHED_LEN = 256 * 1024
ADD_LARGE_LEN = 64 << 20


def step_add(repeats, images):
    size_of_vec = 2000 * 2000
    X_list = range(size_of_vec)
    Y_list = range(size_of_vec)
    X = np.arange(size_of_vec)
    Y = np.arange(size_of_vec)
    Z = np.empty_like(X)

    def list_add():
        return [X_list[i] + Y_list[i] for i in range(len(X_list))]

    # The tutorial's "Are the arrays identical?" cell, which is also the list's warm-up.
    if not (list_add() == X + Y).all():
        raise AssertionError("the list add and numpy's X + Y differ")
    rows = [
        row("add.list", "list comprehension, 4M ints", timed(list_add, slow(repeats), 0)),
        row("add.numpy", "numpy Z = X + Y, int64", timed(lambda: X + Y, repeats)),
        row("add.inplace", "np.add(X, Y, out=Z)", timed(lambda: np.add(X, Y, out=Z), repeats)),
        row("add.copy", "np.copyto(Z, X), 4M int64", timed(lambda: np.copyto(Z, X), repeats)),
    ]
    # The in-place add where its three arrays fit in the cache, and far outside it.
    small_x, small_y = np.arange(ADD_CACHED_LEN), np.arange(ADD_CACHED_LEN)
    small_out = np.empty_like(small_x)
    rows.append(row("add.inplace.cached", f"np.add(out=), {ADD_CACHED_LEN >> 10}K int64",
                    timed(lambda: np.add(small_x, small_y, out=small_out), repeats)))
    del X, Y, Z
    big_x, big_y = np.arange(ADD_LARGE_LEN), np.arange(ADD_LARGE_LEN)
    big_out = np.empty_like(big_x)
    rows.append(row("add.inplace.large", f"np.add(out=), {ADD_LARGE_LEN >> 20}M int64",
                    timed(lambda: np.add(big_x, big_y, out=big_out), slow(repeats))))
    rows.append(row("add.copy.large", f"np.copyto(Z, X), {ADD_LARGE_LEN >> 20}M int64",
                    timed(lambda: np.copyto(big_out, big_x), slow(repeats))))
    return rows


def step_smooth(repeats, images):
    from scipy import ndimage

    image = load_eo_data()
    start = time.perf_counter()
    fast_smooth(image)
    first = time.perf_counter() - start
    return [
        row("smooth.first", "numba.jit(smooth), first call (compiles)", [first]),
        row("smooth.steady", "numba.jit(smooth), steady state",
            timed(lambda: fast_smooth(image), repeats)),
        row("smooth.library", "scipy.ndimage.uniform_filter(size=3)",
            timed(lambda: ndimage.uniform_filter(image, size=3), repeats)),
    ]


def step_fft2(repeats, images):
    image = load_eo_data()
    return [row("fft2", "np.fft.fft2, 1000 x 1000 float64",
                timed(lambda: np.fft.fft2(image), repeats))]


def sweep_repeats(shape, repeats):
    """Samples per shape of the sweep: R for images above 4 M pixels (a call takes ~0.5 s)."""
    return slow(repeats) if shape[0] * shape[1] > 4_200_000 else repeats


def step_fft2_sweep(repeats, images):
    rows = []
    for shape in FFT2_SWEEP_SHAPES:
        image = np.random.default_rng(0).random(shape)
        name = f"{shape[0]}x{shape[1]}"
        n = sweep_repeats(shape, repeats)
        rows.append(row(f"fft2.{name}", f"np.fft.fft2, {name} float64",
                        timed(lambda: np.fft.fft2(image), n)))
        rows.append(row(f"rfft2.{name}", f"np.fft.rfft2, {name} float64",
                        timed(lambda: np.fft.rfft2(image), n)))
    return rows


def pipeline(images):
    """The tutorial's loop (without tqdm)."""
    for i in range(images):
        img = load_eo_data()
        img = fast_smooth(img)
        img = np.fft.fft2(img)
        save(img, "file-" + str(i) + "-.dat")


def step_pipeline(repeats, images):
    # The tutorial's second run of the cell: numba has compiled by then.
    fast_smooth(load_eo_data())
    walls = timed(lambda: pipeline(images), slow(repeats), warmup=0)
    return [row("pipeline", f"sequential load -> smooth -> fft2 -> save, {images} images",
                [w / images for w in walls], unit="image", images=images)]


def step_dask(repeats, images):
    from dask_rust import cluster_runs

    # The first run also compiles numba's smooth once in every worker process.
    startup, cold, runs, workers, threads = cluster_runs("numpy", images, slow(repeats))
    shape = {"workers": workers, "threads": threads, "images": images, "cold_run_s": cold}
    what = f"LocalCluster(): {workers} workers x {threads // workers} threads"
    return [
        row("dask.startup", f"{what}, start-up", [startup], **shape),
        row("dask.submit", f"{what}, submit loop returns, {images} images",
            [s / images for s, _ in runs], unit="image", **shape),
        row("dask.done", f"{what}, all tasks done, {images} images",
            [d / images for _, d in runs], unit="image", **shape),
    ]


def step_bridge(repeats, images):
    """The course's Rust kernels from Python (``eo_kernels``, built by python/build-bridge):
    per call, in a rayon pool, and on the Dask clusters of ``dask_rust.py``."""
    try:
        import eo_kernels
    except ImportError as error:
        raise SystemExit(f"steps.py bridge: eo_kernels is not built ({error}); "
                         "run python/build-bridge") from error
    from dask_rust import cluster_runs

    image = load_eo_data()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    walls = timed(lambda: eo_kernels.run_pipeline(images, threads=cores), slow(repeats))
    rows = [
        row("bridge.smooth", "eo_kernels.smooth (Rust), from Python",
            timed(lambda: eo_kernels.smooth(image), repeats)),
        row("bridge.fft2", "eo_kernels.fft2 (Rust), from Python",
            timed(lambda: eo_kernels.fft2(image), repeats)),
        row("bridge.rayon", f"eo_kernels.run_pipeline({images}, threads={cores}): rayon, "
            "called from Python", [w / images for w in walls], unit="image", images=images),
    ]

    def on_cluster(name, what):
        """The fields of a row of cluster ``name`` from dask_rust.py: seconds per image."""
        _, cold, runs, workers, threads = cluster_runs(name, images, slow(repeats))
        return {"what": f"{what} ({workers} workers x {threads // workers} threads), all "
                        f"tasks done, {images} images",
                "samples": [d / images for _, d in runs], "unit": "image",
                "workers": workers, "threads": threads, "images": images, "cold_run_s": cold}

    return rows + [
        row("dask.rust", **on_cluster("rust", "LocalCluster(), the tutorial's loop with "
                                      "eo_kernels.smooth and eo_kernels.fft2")),
        row("dask.threads", **on_cluster("threads", "LocalCluster(processes=False), the same "
                                         "loop")),
        row("dask.image", **on_cluster("image", "LocalCluster(), one eo_kernels.process_image "
                                       "task per image")),
        row("dask.rust_mmap", **on_cluster("rust-mmap", "LocalCluster() with the Rust kernels, "
                                           "workers' MALLOC_MMAP_THRESHOLD_=32MiB")),
        row("dask.numpy_mmap", **on_cluster("numpy-mmap", "LocalCluster(), the tutorial's loop "
                                            "as written, workers' MALLOC_MMAP_THRESHOLD_=32MiB")),
    ]


# ANCHOR: mean_smooth
@numba.jit
def mean_smooth(x):
    """The tutorial's smooth with ``/ 9``: a true 3 x 3 mean (``// 9`` floors it to 0.0 for
    pixels in [0, 1)), and a border of zeros instead of ``np.empty_like``'s garbage:
    ``map_overlap`` trims the border, except at the array's edge, where there is no halo,
    and garbage there could make the mean anything."""
    out = np.zeros_like(x)
    for i in range(1, x.shape[0] - 1):
        for j in range(1, x.shape[1] - 1):
            out[i, j] = (x[i - 1, j - 1] + x[i - 1, j] + x[i - 1, j + 1] +
                         x[i, j - 1] + x[i, j] + x[i, j + 1] +
                         x[i + 1, j - 1] + x[i + 1, j] + x[i + 1, j + 1]) / 9
    return out
# ANCHOR_END: mean_smooth


def chunked_mean(chunk=1000):
    """The dask.array pipeline of ``step_chunked``: build the graph, compute the mean."""
    import dask.array as da

    x = da.random.random((4000, 4000), chunks=(chunk, chunk))
    return x.map_overlap(mean_smooth, depth=1, boundary="none").mean().compute()


def step_chunked(repeats, images):
    """The issue's chunks (1000 x 1000, 16 of them), then 250 x 250 (256): the same work in
    16x the tasks, where the per-task cost shows. A 250 x 250 sample takes seconds."""
    mean_smooth(np.zeros((3, 3)))  # numba compiles here, outside the timing
    what = "dask.array 4000 x 4000 in {0} x {0} chunks: map_overlap(mean smooth, depth=1) -> mean().compute()"
    return [row("chunked", what.format(1000), timed(chunked_mean, repeats)),
            row("chunked.small", what.format(250),
                timed(lambda: chunked_mean(250), slow(repeats)))]


def versions():
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        found[name] = version(name)
    return found


def print_table(result):
    print(f"Python {result['versions']['python']}, "
          + ", ".join(f"{k} {v}" for k, v in result["versions"].items() if k != "python"))
    print(f"load average before {result['load_before']}, after {result['load_after']}")
    for r in result["rows"]:
        ms = [r[k] * 1e3 for k in ("median_s", "min_s", "max_s")]
        print(f"{r['key']:15} {ms[0]:10.2f} ms/{r['unit']:5}  min {ms[1]:9.2f}  "
              f"max {ms[2]:9.2f}  n {r['n']:3}  {r['what']}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("steps", nargs="*", metavar="STEP",
                        help=f"one or more of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=10,
                        help="timed calls per row (default 10, the tutorial's %%%%timeit -n 10);"
                             " rows taking seconds per sample use max(1, N // 5)")
    parser.add_argument("--images", type=int, default=100,
                        help="images per pipeline or dask run (default 100)")
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.images < 1:
        parser.error("--repeats and --images must be at least 1")
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step {unknown[0]!r}: choose from {', '.join(STEPS)}")

    load_before = os.getloadavg()
    rows = []
    for step in args.steps or STEPS:
        rows += globals()[f"step_{step.replace('-', '_')}"](args.repeats, args.images)
    result = {
        "versions": versions(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main(sys.argv[1:])
