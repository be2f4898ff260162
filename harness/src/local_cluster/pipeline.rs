//! Step 3 (§4.8): section 03's pipeline on a cluster with the learner's scheduler (it drops
//! futures, so it needs `release`).

use given_04::run_on_cluster;
use solution_03::{PipelineConfig, run_sequential};

use super::support::cluster;
use super::{BOOK_PIPELINE, ClusterApi, WAIT};

/// Section 03's pipeline on a cluster with your scheduler gives, image by image, the same
/// spectrum checksums as section 03's sequential run.
pub fn correctness_step3_pipeline_checksums_match_the_sequential_run(api: &ClusterApi) {
    let b = BOOK_PIPELINE;
    let config = PipelineConfig::new(PIPELINE_CHECK_IMAGES, PIPELINE_CHECK_SHAPE);
    let cluster = cluster(api, 2);
    let on_cluster = run_on_cluster(&cluster, &config, WAIT)
        .unwrap_or_else(|e| panic!("the pipeline on the cluster failed: {e}\n  read: {b}"));
    let sequential = run_sequential(&config)
        .unwrap_or_else(|e| panic!("section 03's sequential run failed: {e}"))
        .checksums();
    let differ: Vec<String> = sequential
        .iter()
        .zip(&on_cluster.checksums)
        .filter(|(s, c)| s != c)
        .take(3)
        .map(|(s, c)| {
            format!(
                "image {}: sequential {:016x}, cluster {:016x} (image {})",
                s.0, s.1, c.1, c.0
            )
        })
        .collect();
    assert!(
        on_cluster.checksums.len() == sequential.len() && differ.is_empty(),
        "the pipeline on the cluster ({} images) does not match the sequential run ({} images) \
         of {PIPELINE_CHECK_IMAGES} images of {PIPELINE_CHECK_SHAPE:?}: {}\n  read: {b}",
        on_cluster.checksums.len(),
        sequential.len(),
        differ.join("; ")
    );
}

/// Images in the pipeline check: enough for both workers to take turns.
pub const PIPELINE_CHECK_IMAGES: u64 = 16;
/// A small image shape, so the check takes milliseconds (not a square: rows and columns
/// must not be swapped anywhere).
pub const PIPELINE_CHECK_SHAPE: (usize, usize) = (96, 64);
