//! [`Client`]: turns calls into tasks. Every `submit` variant wraps its closure into a
//! type-erased body and goes through one private path, [`Client::submit_erased`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::events::{OnPanic, Shared};
use super::future::{Future, Handle};
use super::state::Entry;
use super::{Body, Value};
use crate::ClusterError;

// ANCHOR: client
/// Submits work to a cluster. Clone it freely.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}
// ANCHOR_END: client

impl Client {
    pub(super) fn new(shared: Arc<Shared>) -> Client {
        Client { shared }
    }

    /// Registers a task and tells the scheduler, in one event. Returns its future.
    fn submit_erased<T: Send + Sync + 'static>(
        &self,
        name: &str,
        inputs: &[&Handle],
        body: Body,
    ) -> Result<Future<T>, ClusterError> {
        let shared = &self.shared;
        if let Some(foreign) = inputs.iter().find(|h| h.shared.id != shared.id) {
            return Err(ClusterError::OtherCluster {
                task: foreign.key.to_string(),
            });
        }
        let inputs: Vec<_> = inputs.iter().map(|h| h.task).collect();
        shared.event(OnPanic::Raise, |step| {
            let state = &mut *step.state;
            if let Some(message) = &state.broken {
                return Err(ClusterError::SchedulerPanicked {
                    message: message.clone(),
                });
            }
            if state.closing {
                return Err(ClusterError::Closed);
            }
            if let Some(input) = inputs.iter().find(|&&input| !state.contains(input)) {
                return Err(ClusterError::Lost {
                    task: format!("#{input}"),
                });
            }
            let task = state.next_id;
            state.next_id += 1;
            let key: Arc<str> = Arc::from(format!("{name}-{task}"));
            state.insert(
                task,
                Entry {
                    key: Arc::clone(&key),
                    inputs: inputs.clone(),
                    body: Some(body),
                    outcome: None,
                    running_on: None,
                },
            );
            // The future exists before the scheduler hears of the task: if the scheduler
            // panics, the future is dropped while the panic is re-raised (outside the
            // lock), and its `Drop` removes the entry.
            let future = Future::new(Handle {
                task,
                key,
                shared: Arc::clone(shared),
            });
            let mut deps = inputs;
            deps.sort_unstable();
            deps.dedup();
            step.schedule(|s, a| {
                s.submit(task, &deps, a);
                true
            });
            Ok(future)
        })
    }

    // ANCHOR: submit
    /// Submits `f()` as a task named `name` (its key is `name-<id>`). Returns at once.
    ///
    /// Every submission is a new task, even with the same function: Dask's `pure=False`
    /// (see book §4.4). A panic inside `f` resolves the future to `Failed`.
    ///
    /// # Errors
    /// `Closed` after `close`; `SchedulerPanicked` once the scheduler has panicked. The
    /// variants that take futures also refuse, with `OtherCluster`, a future made by
    /// another cluster.
    pub fn submit<T, F>(&self, name: &str, f: F) -> Result<Future<T>, ClusterError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.submit_erased(name, &[], Box::new(move |_| Ok(Arc::new(f()) as Value)))
    }

    /// Submits `f(&a)`, where `a` is the result of the future `input`: the task runs once
    /// that result is in memory, and receives it by reference (nothing is copied).
    ///
    /// # Errors
    /// As [`Client::submit`], including `OtherCluster`.
    pub fn submit1<A, T, F>(
        &self,
        name: &str,
        f: F,
        input: &Future<A>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&A) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            &[input.handle()],
            Box::new(move |values| Ok(Arc::new(f(downcast::<A>(&values[0])?)) as Value)),
        )
    }
    // ANCHOR_END: submit

    /// Submits `f(&a, &b)` on the results of two futures (they may be the same future).
    ///
    /// # Errors
    /// As [`Client::submit`], including `OtherCluster`.
    pub fn submit2<A, B, T, F>(
        &self,
        name: &str,
        f: F,
        a: &Future<A>,
        b: &Future<B>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        B: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&A, &B) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            &[a.handle(), b.handle()],
            Box::new(move |values| {
                let (a, b) = (downcast::<A>(&values[0])?, downcast::<B>(&values[1])?);
                Ok(Arc::new(f(a, b)) as Value)
            }),
        )
    }

    /// Submits `f(&[&a, &b, …])` on the results of any number of futures of one type
    /// (fan-in: a sum, a mosaic of tiles, …). An empty `inputs` runs `f(&[])` at once.
    ///
    /// # Errors
    /// As [`Client::submit`], including `OtherCluster`.
    pub fn submit_all<A, T, F>(
        &self,
        name: &str,
        f: F,
        inputs: &[Future<A>],
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        F: FnOnce(&[&A]) -> T + Send + 'static,
    {
        self.submit_erased(
            name,
            &inputs.iter().map(Future::handle).collect::<Vec<_>>(),
            Box::new(move |values| {
                let refs = values
                    .iter()
                    .map(|v| downcast::<A>(v))
                    .collect::<Result<Vec<&A>, String>>()?;
                Ok(Arc::new(f(&refs)) as Value)
            }),
        )
    }

    /// Submits a fallible `f(&a)`: an `Err(e)` resolves the future to `Failed` with
    /// `e`'s message (and its dependants to `DependencyFailed`), like a panic would.
    ///
    /// # Errors
    /// As [`Client::submit`], including `OtherCluster`.
    pub fn try_submit1<A, T, E, F>(
        &self,
        name: &str,
        f: F,
        input: &Future<A>,
    ) -> Result<Future<T>, ClusterError>
    where
        A: Send + Sync + 'static,
        T: Send + Sync + 'static,
        E: fmt::Display,
        F: FnOnce(&A) -> Result<T, E> + Send + 'static,
    {
        self.submit_erased(
            name,
            &[input.handle()],
            Box::new(move |values| {
                let a = downcast::<A>(&values[0])?;
                f(a).map(|t| Arc::new(t) as Value)
                    .map_err(|e| e.to_string())
            }),
        )
    }

    /// Submits a fallible `f()` (see [`Client::try_submit1`]).
    ///
    /// # Errors
    /// As [`Client::submit`].
    pub fn try_submit<T, E, F>(&self, name: &str, f: F) -> Result<Future<T>, ClusterError>
    where
        T: Send + Sync + 'static,
        E: fmt::Display,
        F: FnOnce() -> Result<T, E> + Send + 'static,
    {
        self.submit_erased(
            name,
            &[],
            Box::new(move |_| f().map(|t| Arc::new(t) as Value).map_err(|e| e.to_string())),
        )
    }

    /// Submits `f(item)` for every item: Dask's `client.map`. One task per item.
    ///
    /// # Errors
    /// As [`Client::submit`].
    pub fn map<I, T, F>(
        &self,
        name: &str,
        f: F,
        items: impl IntoIterator<Item = I>,
    ) -> Result<Vec<Future<T>>, ClusterError>
    where
        I: Send + 'static,
        T: Send + Sync + 'static,
        F: Fn(I) -> T + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(name, move || f(item))
            })
            .collect()
    }

    /// Waits for every future and returns their results in order: Dask's `gather`.
    ///
    /// # Errors
    /// The first future's error in order, or `Timeout` after `timeout` in total; inside a
    /// task, `WouldDeadlock` (see [`Future::result_timeout`]).
    pub fn gather<T: Send + Sync + 'static>(
        &self,
        futures: &[Future<T>],
        timeout: Duration,
    ) -> Result<Vec<Arc<T>>, ClusterError> {
        let deadline = Instant::now() + timeout;
        futures
            .iter()
            .map(|f| f.result_timeout(deadline.saturating_duration_since(Instant::now())))
            .collect()
    }
}

fn downcast<A: 'static>(value: &Value) -> Result<&A, String> {
    value.downcast_ref::<A>().ok_or_else(|| {
        format!(
            "an input is not a {} (a runtime bug: futures are typed)",
            std::any::type_name::<A>()
        )
    })
}
