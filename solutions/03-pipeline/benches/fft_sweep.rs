//! The 2-D FFT across sizes: `cargo bench -p solution-03 --bench fft_sweep`.
//!
//! Two groups, `fft2_sweep` ([`Fft2::forward_into`], the full spectrum) and `rfft2_sweep`
//! ([`Fft2::forward_half_into`], numpy's `rfft2` layout), each with one reused [`FftWork`]
//! and output, as a pipeline thread runs it, for each shape of [`FFT2_SWEEP_SHAPES`]; throughput in
//! bytes of input (8 per pixel), so criterion's GiB/s compare across sizes. The cost per
//! element against numpy's `np.fft.fft2`, measured alternately in one run, is `cargo xtask
//! compare --steps fft2-sweep` (a table and a chart).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;
use solution_03::{FFT2_SWEEP_SHAPES, Fft2, FftWork, load_eo_data};

fn sweep(c: &mut Criterion) {
    for half in [false, true] {
        sweep_one(c, half);
    }
}

fn sweep_one(c: &mut Criterion, half: bool) {
    let mut group = c.benchmark_group(if half { "rfft2_sweep" } else { "fft2_sweep" });
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(10);
    for shape in FFT2_SWEEP_SHAPES {
        let image = load_eo_data(0, shape);
        let fft = Fft2::new(shape);
        let mut work = FftWork::default();
        let mut out = Array2::zeros(if half {
            (shape.0, shape.1 / 2 + 1)
        } else {
            shape
        });
        group.throughput(Throughput::Bytes((shape.0 * shape.1 * 8) as u64));
        group.bench_function(
            BenchmarkId::from_parameter(format!("{}x{}", shape.0, shape.1)),
            |b| {
                b.iter(|| {
                    if half {
                        fft.forward_half_into(black_box(image.view()), &mut work, out.view_mut());
                    } else {
                        fft.forward_into(black_box(image.view()), &mut work, out.view_mut());
                    }
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
