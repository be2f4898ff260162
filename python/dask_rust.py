"""The tutorial's Dask loop with the course's Rust kernels (``eo_kernels``) in place of
numpy/numba, on the same ``LocalCluster()``, and the loops ``steps.py`` times.

Usage (after ``python/build-bridge``)::

    python/.venv/bin/python python/dask_rust.py [--images N] [--runs R]

prints, per cluster, the seconds per image until every task is done. The clusters:

  numpy      the tutorial as written: LocalCluster() (worker processes), numba smooth,
             np.fft.fft2
  rust       the same LocalCluster() and loop, with eo_kernels.smooth and eo_kernels.fft2
  threads    one worker process with 2 threads (processes=False): the kernels release the
             GIL, so both threads compute at once
  image      LocalCluster(), one task per image: eo_kernels.process_image(i) runs load,
             smooth and fft2 in Rust; no array crosses the boundary or the network
  rust-mmap  as rust, with MALLOC_MMAP_THRESHOLD_=32 MiB in the workers' environment
  numpy-mmap as numpy, with the same setting
  rust-kept  as rust, with client.run(eo_kernels.keep_freed_memory) once the workers are up:
             the same remedy made from inside each worker by a call (glibc's mallopt)

Why the last two: distributed starts every worker with MALLOC_TRIM_THRESHOLD_=65536, which
also switches off glibc's adaptive mmap threshold, so every 8 MB image and 16 MB spectrum is
a fresh mmap whose pages fault in one by one. The mmap threshold puts them back on the heap.
"""

import argparse
import os
import sys
import time

import numpy as np

from tutorial import fast_smooth, load_eo_data, save

# Each worker's malloc serves blocks up to this size from its heap instead of a fresh mmap.
MMAP_THRESHOLD = str(32 << 20)


def tutorial_image(client, i):
    """The tutorial's four tasks for image ``i``; returns the save future."""
    img = client.submit(load_eo_data, pure=False)
    img = client.submit(fast_smooth, img)
    img = client.submit(np.fft.fft2, img)
    return client.submit(save, img, "file-" + str(i) + "-.dat")


# ANCHOR: rust_kernels_image
def rust_kernels_image(client, i):
    """The tutorial's four tasks with the Rust kernels in place of numba and numpy."""
    import eo_kernels

    img = client.submit(load_eo_data, pure=False)
    img = client.submit(eo_kernels.smooth, img)
    img = client.submit(eo_kernels.fft2, img)
    return client.submit(save, img, "file-" + str(i) + "-.dat")


def rust_image(client, i):
    """One task for the whole image: load, smooth and fft2 in Rust, a checksum back."""
    import eo_kernels

    return client.submit(eo_kernels.process_image, i, pure=False)
# ANCHOR_END: rust_kernels_image


def keep_freed_memory_in_workers(client):
    """Runs eo_kernels.keep_freed_memory() once in every worker process."""
    import eo_kernels

    kept = client.run(eo_kernels.keep_freed_memory)
    if not all(kept.values()):
        raise RuntimeError(f"keep_freed_memory refused in some workers: {kept}")


# name: (how the cluster is made, how an image is submitted, the workers' extra environment,
#        what runs on the client once the cluster is up)
CLUSTERS = {
    "numpy": ({}, tutorial_image, {}, None),
    "rust": ({}, rust_kernels_image, {}, None),
    "threads": ({"processes": False, "n_workers": 1, "threads_per_worker": 2},
                rust_kernels_image, {}, None),
    "image": ({}, rust_image, {}, None),
    "rust-mmap": ({}, rust_kernels_image, {"MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD}, None),
    "numpy-mmap": ({}, tutorial_image, {"MALLOC_MMAP_THRESHOLD_": MMAP_THRESHOLD}, None),
    "rust-kept": ({}, rust_kernels_image, {}, keep_freed_memory_in_workers),
}


def cluster_runs(name, images, runs):
    """Starts cluster ``name``, runs its submit loop once untimed (numba compiles in every
    worker; the kernels are imported) and ``runs`` times timed, and closes it. Returns
    ``(startup_s, cold_s, [(submitted_s, done_s), ...], workers, threads)``; the times are for
    all ``images``, like the tutorial's ``%%time``, submit loop and completion separately.

    Raises RuntimeError if a task fails."""
    import dask
    from dask.distributed import Client, LocalCluster, fire_and_forget, wait

    cluster_kwargs, submit_image, worker_env, prepare = CLUSTERS[name]
    environ = {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in worker_env.items()}
    start = time.perf_counter()
    with dask.config.set(environ):
        cluster = LocalCluster(**cluster_kwargs)
    client = Client(cluster)
    if prepare is not None:
        prepare(client)
    startup = time.perf_counter() - start
    nthreads = client.nthreads()

    def submit_loop():
        """The tutorial's loop, plus the last futures kept so the end can be awaited."""
        start = time.perf_counter()
        last = []
        for i in range(images):
            future = submit_image(client, i)
            fire_and_forget(future)
            last.append(future)
        submitted = time.perf_counter() - start
        wait(last)
        done = time.perf_counter() - start
        failed = [f for f in last if f.status != "finished"]
        if failed:
            raise RuntimeError(f"{name}: {len(failed)} of {images} images failed: "
                               f"{failed[0].exception()}")
        return submitted, done

    try:
        cold = submit_loop()[1]
        timed = [submit_loop() for _ in range(runs)]
    finally:
        client.close()
        cluster.close()
    return startup, cold, timed, len(nthreads), sum(nthreads.values())


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=100, help="images per run (default 100)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per cluster (default 2)")
    parser.add_argument("clusters", nargs="*", metavar="CLUSTER",
                        help=f"one or more of {', '.join(CLUSTERS)} (default: all)")
    args = parser.parse_args(argv)
    if args.images < 1 or args.runs < 1:
        parser.error("--images and --runs must be at least 1")
    unknown = [c for c in args.clusters if c not in CLUSTERS]
    if unknown:
        parser.error(f"unknown cluster {unknown[0]!r}: choose from {', '.join(CLUSTERS)}")
    print(f"{args.images} images, {args.runs} timed runs each; load {os.getloadavg()}")
    for name in args.clusters or CLUSTERS:
        startup, cold, timed, workers, threads = cluster_runs(name, args.images, args.runs)
        per_image = sorted(done / args.images for _, done in timed)
        print(f"{name:11} {workers} workers, {threads} threads: "
              f"{per_image[len(per_image) // 2] * 1e3:7.2f} ms/image (median of {args.runs}; "
              f"start-up {startup:.2f} s, first run {cold / args.images * 1e3:.1f} ms/image)")
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main(sys.argv[1:])
