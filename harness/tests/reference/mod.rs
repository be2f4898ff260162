//! The reference solutions' APIs: the base every mutant is made from (`..REFERENCE` with one
//! function replaced). Only the harness's own tests link the solutions; the checks an
//! exercise runs never do.

#![allow(dead_code)] // each mutants file uses its own section's constant

pub const ADD: harness::add::AddApi = harness::add_api!(solution_01);
pub const SMOOTH: harness::smooth::SmoothApi = harness::smooth_api!(solution_02);
pub const PIPELINE: harness::pipeline::PipelineApi = harness::pipeline_api!(solution_03);
pub const CLUSTER: harness::local_cluster::ClusterApi = harness::local_cluster_api!(solution_04);
pub const CHUNKED: harness::chunked::ChunkedApi = harness::chunked_api!(solution_05);
pub const DISTRIBUTED: harness::distributed::DistributedApi =
    harness::distributed_api!(solution_06);
