//! §6.3 — one image on one worker: section 03's stages, the checksum and the power summary.

use given_06::spectrum_checksum;
use given_06::{Fft2, Placement, RunPlan, Sink, Workspace, load_eo_data, power_summary, smooth};

use super::{BOOK_WORKER, DistributedApi};
use crate::check::with_panic_context;

/// For three images of 24 × 40, the outcome names the image and the placement it was given,
/// and carries the checksum and the power summary of section 03's spectrum (load → smooth →
/// FFT), computed here from section 03's stages.
pub fn correctness_process_on_worker_matches_section_03(api: &DistributedApi) {
    let shape = (24, 40);
    let mut plan = RunPlan::new(3, shape, 2);
    plan.summary_side = 8;
    let fft = Fft2::new(shape);
    // One workspace for the three images, as a worker has: what one image leaves in it must
    // not leak into the next one's outcome.
    let mut workspace = Workspace::new(shape);
    for (index, placement) in [
        (
            0,
            Placement {
                process: 0,
                worker: 0,
            },
        ),
        (
            1,
            Placement {
                process: 0,
                worker: 1,
            },
        ),
        (
            7,
            Placement {
                process: 3,
                worker: 7,
            },
        ),
    ] {
        let outcome = with_panic_context(
            || format!("process_on_worker({index}, …) panicked\n  read: {BOOK_WORKER}"),
            || {
                (api.process_on_worker)(
                    index,
                    &plan,
                    &fft,
                    &mut workspace,
                    &Sink::Discard,
                    placement,
                )
            },
        );
        let spectrum = fft.forward(smooth(load_eo_data(index, shape).view()).view());
        let what = format!("process_on_worker({index}, shape {shape:?}, {placement:?})");
        let fail = |problem: String| -> ! { panic!("{what}: {problem}\n  read: {BOOK_WORKER}") };
        if outcome.index != index {
            fail(format!("returned index {}", outcome.index));
        }
        if outcome.placement != placement {
            fail(format!("returned placement {:?}", outcome.placement));
        }
        if outcome.checksum != spectrum_checksum(spectrum.view()) {
            fail(
                "the checksum differs from section 03's load → smooth → fft2 of that image".into(),
            );
        }
        if outcome.power != power_summary(spectrum.view(), plan.summary_side) {
            fail(format!(
                "the power summary differs from power_summary(spectrum, {}) of that image's \
                 spectrum",
                plan.summary_side
            ));
        }
        if outcome.save_error.is_some() {
            fail(format!(
                "reported a save error with Sink::Discard: {:?}",
                outcome.save_error
            ));
        }
    }
}
