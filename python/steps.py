"""The tutorial's cells as timed steps, without Jupyter.

Usage (after ``python/setup-venv``)::

    python/.venv/bin/python python/steps.py [--repeats N] [--images N] [--json] [STEP ...]

Steps (default: all, in this order):
  add       4,000,000 int64: list comprehension over two ``range``s; numpy ``X + Y``;
            ``np.add(X, Y, out=Z)``
  smooth    the tutorial's ``smooth`` under ``numba.jit``: first call (compiles) and steady
            state; ``scipy.ndimage.uniform_filter(size=3)``, the "use a library" answer
  fft2      ``np.fft.fft2`` of a 1000 x 1000 float64 image
  pipeline  load -> smooth -> fft2 -> save over ``--images`` images, one after another
  dask      the same on ``LocalCluster()``: the tutorial's submit loop (``pure=False``,
            ``fire_and_forget``), timed to the end of the submit loop and, by also holding
            the save futures and waiting on them, to the completion of every task

Each row reports every timed sample, its median/min/max and n; ``--json`` prints one JSON
object on one line (the only thing on standard output), with the versions of Python and the
libraries and the 1/5/15-minute load average before and after.

Cost on the course's 2-core machine, with R = max(1, repeats // 5): add about 0.6 s x (1 + R)
(the list add dominates); smooth about 1 s (numba compiles); fft2 under 1 s; pipeline R runs
of images x ~35 ms; dask ~1 s of start-up and 1 + R such runs; plus ~1 s of imports.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version

import numpy as np

from tutorial import fast_smooth, load_eo_data, save

STEPS = ("add", "smooth", "fft2", "pipeline", "dask")
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
    return [
        row("add.list", "list comprehension, 4M ints", timed(list_add, slow(repeats), 0)),
        row("add.numpy", "numpy Z = X + Y, int64", timed(lambda: X + Y, repeats)),
        row("add.inplace", "np.add(X, Y, out=Z)", timed(lambda: np.add(X, Y, out=Z), repeats)),
    ]


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
    from dask.distributed import Client, LocalCluster, fire_and_forget, wait

    start = time.perf_counter()
    cluster = LocalCluster()
    client = Client(cluster)
    startup = time.perf_counter() - start
    nthreads = client.nthreads()

    def submit_loop():
        """The tutorial's cell, plus the save futures kept so the end can be awaited."""
        start = time.perf_counter()
        saves = []
        for i in range(images):
            img = client.submit(load_eo_data, pure=False)
            img = client.submit(fast_smooth, img)
            img = client.submit(np.fft.fft2, img)
            future = client.submit(save, img, "file-" + str(i) + "-.dat")
            fire_and_forget(future)
            saves.append(future)
        submitted = time.perf_counter() - start
        wait(saves)
        done = time.perf_counter() - start
        failed = [f for f in saves if f.status != "finished"]
        if failed:
            raise RuntimeError(f"{len(failed)} of {images} images failed: {failed[0].exception()}")
        return submitted, done

    try:
        # The first run also compiles numba's smooth once in every worker process.
        cold = submit_loop()
        runs = [submit_loop() for _ in range(slow(repeats))]
    finally:
        client.close()
        cluster.close()
    shape = {"workers": len(nthreads), "threads": sum(nthreads.values()), "images": images,
             "cold_run_s": cold[1]}
    what = f"LocalCluster(): {len(nthreads)} workers x {max(nthreads.values())} threads"
    return [
        row("dask.startup", f"{what}, start-up", [startup], **shape),
        row("dask.submit", f"{what}, submit loop returns, {images} images",
            [s / images for s, _ in runs], unit="image", **shape),
        row("dask.done", f"{what}, all tasks done, {images} images",
            [d / images for _, d in runs], unit="image", **shape),
    ]


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
        rows += globals()[f"step_{step}"](args.repeats, args.images)
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
