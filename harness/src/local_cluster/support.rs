//! The tools every section 04 check uses: a cluster that closes within a bound even when a
//! check panics, and submissions and waits that fail with a book pointer instead of hanging.

use std::time::Duration;

use given_04::{ClusterError, Future, LocalCluster, TaskRecord};

use super::{CLOSE_WAIT, ClusterApi, WAIT};

/// A cluster that closes with a bounded wait when dropped, even when a check panics
/// midway (the cluster's own `Drop` would wait without limit).
pub struct Bounded {
    pub cluster: LocalCluster,
    /// How long `Drop` waits for `close`.
    pub close_limit: Duration,
}

impl Drop for Bounded {
    fn drop(&mut self) {
        let _ = self.cluster.close_timeout(self.close_limit);
    }
}

impl std::ops::Deref for Bounded {
    type Target = LocalCluster;
    fn deref(&self) -> &LocalCluster {
        &self.cluster
    }
}

/// A cluster of `workers` workers scheduled by `api`'s scheduler, closed within
/// `close_limit` when dropped.
pub fn bounded_cluster(api: &ClusterApi, workers: usize, close_limit: Duration) -> Bounded {
    match LocalCluster::with_scheduler(workers, api.new_scheduler) {
        Ok(cluster) => Bounded {
            cluster,
            close_limit,
        },
        Err(e) => panic!("could not start a cluster of {workers} workers: {e}"),
    }
}

/// A cluster of one worker scheduled by `api`'s scheduler.
pub(crate) fn cluster_of_one(api: &ClusterApi) -> Bounded {
    cluster(api, 1)
}

/// A cluster of `workers` workers scheduled by `api`'s scheduler.
pub fn cluster(api: &ClusterApi, workers: usize) -> Bounded {
    bounded_cluster(api, workers, CLOSE_WAIT)
}

/// Submits, turning a refusal into a panic that says which task and where to read.
#[track_caller]
pub(crate) fn ok<T>(what: &str, book: &str, submitted: Result<T, ClusterError>) -> T {
    submitted.unwrap_or_else(|e| panic!("{what}: the cluster refused it: {e}\n  read: {book}"))
}

/// Waits (bounded) for a future's value and compares it with `expected`.
#[track_caller]
pub(crate) fn expect_value<T>(what: &str, book: &str, future: &Future<T>, expected: &T)
where
    T: Send + Sync + PartialEq + std::fmt::Debug + 'static,
{
    match future.result_timeout(WAIT) {
        Ok(value) if *value == *expected => {}
        Ok(value) => panic!(
            "{what} ({}): expected {expected:?}, got {value:?}\n  read: {book}",
            future.key()
        ),
        Err(e) => panic!(
            "{what} ({}): expected the value {expected:?}, got the error: {e}\n  read: {book}",
            future.key()
        ),
    }
}

/// Waits (bounded) for a future and requires exactly the error `expected`.
#[track_caller]
pub(crate) fn expect_error<T>(what: &str, book: &str, future: &Future<T>, expected: &ClusterError)
where
    T: Send + Sync + std::fmt::Debug + 'static,
{
    match future.result_timeout(WAIT) {
        Err(e) if e == *expected => {}
        Err(e) => {
            panic!("{what}: expected the error\n    {expected}\n  got\n    {e}\n  read: {book}")
        }
        Ok(value) => panic!(
            "{what}: expected the error\n    {expected}\n  but {} returned {value:?}\n  read: {book}",
            future.key()
        ),
    }
}

/// The task stream's records of `task`.
pub(crate) fn runs_of(stream: &[TaskRecord], key: &str) -> usize {
    stream.iter().filter(|r| &*r.key == key).count()
}
