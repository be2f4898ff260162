//! §6.5 — connecting the processes of a run before timely starts, quietly and within a
//! deadline.
//!
//! timely can connect the processes itself (`CommunicationConfig::Cluster`), but then it
//! prints "awaiting connections" on standard output once a second while it waits, and
//! retries a refused connection forever, printing each error. Standard output is the run's
//! report, so this module makes the same connections — with timely's own handshake, so
//! timely cannot tell the difference — and hands them to timely
//! ([`start_workers`]). What it adds:
//! - one deadline for the whole set-up ([`Layout::connect_timeout`]), after which the
//!   process gives up with [`DistributedError::Connect`] naming the addresses;
//! - an address this process cannot listen on is an error at once ([`DistributedError::Start`]),
//!   not a retry loop;
//! - a stranger connecting to the port (a port scanner, a browser, a process of another
//!   run) is dropped, not trusted: it must say which process it is within the deadline, and
//!   be one this process is still waiting for.
//!
//! The handshake: every process listens on its own address. Process K connects to every
//! process with a smaller index and sends its index K as a big-endian `u64`; it accepts one
//! connection from every process with a larger index, which sends its index the same way.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use timely::WorkerConfig;
use timely::communication::allocator::ProcessBuilder;
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::{AllocatorBuilder, Hooks, WorkerGuards};
use timely::worker::Worker;

use crate::error::DistributedError;
use crate::run::Layout;

/// How long to wait between attempts to reach a process that is not listening yet.
const RETRY: Duration = Duration::from_millis(50);

/// One connection per other process of the run, in process order, `None` at this
/// process's own index (the layout timely expects).
///
/// # Errors
/// [`DistributedError::Start`] if this process cannot listen on its address;
/// [`DistributedError::Connect`] if some process did not connect (or could not be reached)
/// before the layout's deadline.
pub fn connect(layout: &Layout) -> Result<Vec<Option<TcpStream>>, DistributedError> {
    let me = layout.process;
    let count = layout.processes();
    let deadline = Instant::now() + layout.connect_timeout;
    let timed_out = || DistributedError::Connect {
        seconds: layout.connect_timeout.as_secs(),
        addresses: layout.addresses.clone(),
    };
    // Listen first: a process with a larger index can then connect at once, even before
    // this one gets round to accepting.
    let listener = TcpListener::bind(&layout.addresses[me]).map_err(|e| {
        DistributedError::Start(format!(
            "cannot listen on {} (process {me}'s address): {e}",
            layout.addresses[me]
        ))
    })?;
    let mut sockets: Vec<Option<TcpStream>> = (0..count).map(|_| None).collect();
    for (peer, address) in layout.addresses.iter().enumerate().take(me) {
        let mut stream = connect_before(address, deadline).ok_or_else(timed_out)?;
        stream
            .write_all(&(me as u64).to_be_bytes())
            .map_err(|_| timed_out())?;
        sockets[peer] = Some(stream);
    }
    listener.set_nonblocking(true).map_err(|e| {
        DistributedError::Start(format!("cannot poll {}: {e}", layout.addresses[me]))
    })?;
    while sockets.iter().skip(me + 1).any(Option::is_none) {
        if Instant::now() >= deadline {
            return Err(timed_out());
        }
        match listener.accept() {
            Ok((stream, _)) => {
                // A stranger is dropped; the loop goes on waiting for the real process.
                if let Some(peer) = introduction(stream.try_clone().ok(), deadline)
                    && peer > me
                    && peer < count
                    && sockets[peer].is_none()
                {
                    sockets[peer] = Some(stream);
                }
            }
            // Nothing to accept yet (WouldBlock), or a connection that failed while being
            // accepted: either way, wait and look again until the deadline.
            Err(_) => std::thread::sleep(RETRY),
        }
    }
    for stream in sockets.iter().flatten() {
        stream.set_nodelay(true).ok();
        // timely reads and writes these sockets blocking, with no timeout.
        stream.set_read_timeout(None).ok();
        stream.set_nonblocking(false).ok();
    }
    Ok(sockets)
}

/// A connection to `address`, retried every [`RETRY`] until `deadline`.
fn connect_before(address: &str, deadline: Instant) -> Option<TcpStream> {
    loop {
        let remaining = deadline.checked_duration_since(Instant::now())?;
        let attempt = address
            .to_socket_addrs()
            .ok()
            .and_then(|mut addresses| addresses.next())
            .and_then(|a| {
                TcpStream::connect_timeout(&a, remaining.min(Duration::from_secs(5))).ok()
            });
        if attempt.is_some() {
            return attempt;
        }
        std::thread::sleep(RETRY.min(remaining));
    }
}

/// The process index an accepted connection announces, if it sends 8 bytes before
/// `deadline` (at most 5 s: a silent stranger must not hold up the run).
fn introduction(stream: Option<TcpStream>, deadline: Instant) -> Option<usize> {
    let mut stream = stream?;
    let remaining = deadline.checked_duration_since(Instant::now())?;
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(
            remaining.clamp(Duration::from_millis(1), Duration::from_secs(5)),
        ))
        .ok()?;
    let mut index = [0_u8; 8];
    stream.read_exact(&mut index).ok()?;
    usize::try_from(u64::from_be_bytes(index)).ok()
}

/// Starts `workers` timely workers in this process on connections made by [`connect`], each
/// running `body`, as `timely::execute` would with `CommunicationConfig::Cluster`.
///
/// # Errors
/// Those of [`connect`]; [`DistributedError::Start`] if timely cannot set up its network
/// threads on the connections.
pub fn start_workers<T, F>(
    layout: &Layout,
    workers: usize,
    body: F,
) -> Result<WorkerGuards<T>, DistributedError>
where
    T: Send + 'static,
    F: Fn(&mut Worker) -> T + Send + Sync + 'static,
{
    let sockets = connect(layout)?;
    let hooks = Hooks::default();
    let process_allocators =
        ProcessBuilder::new_typed_vector(workers, hooks.refill.clone(), hooks.spill.clone());
    let (builders, guard) = initialize_networking_from_sockets(
        process_allocators,
        sockets,
        layout.process,
        workers,
        hooks,
    )
    .map_err(|e| DistributedError::Start(e.to_string()))?;
    let builders = builders.into_iter().map(AllocatorBuilder::Tcp).collect();
    timely::execute::execute_from(builders, Box::new(guard), WorkerConfig::default(), body)
        .map_err(DistributedError::Start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::launch::free_loopback_addresses;

    fn layout(process: usize, addresses: &[String], timeout: Duration) -> Layout {
        let mut layout = Layout::cluster(process, addresses.to_vec());
        layout.connect_timeout = timeout;
        layout
    }

    /// Connects processes `0..n` of one run, each in its own thread.
    fn connect_all(addresses: &[String]) -> Vec<Result<Vec<Option<TcpStream>>, DistributedError>> {
        let threads: Vec<_> = (0..addresses.len())
            .map(|k| {
                let layout = layout(k, addresses, Duration::from_secs(10));
                std::thread::spawn(move || connect(&layout))
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    }

    #[test]
    fn every_process_gets_one_connection_to_every_other() {
        let addresses = free_loopback_addresses(3).unwrap();
        for (k, sockets) in connect_all(&addresses).into_iter().enumerate() {
            let sockets = sockets.unwrap();
            assert_eq!(sockets.len(), 3);
            for (peer, socket) in sockets.iter().enumerate() {
                assert_eq!(socket.is_some(), peer != k, "process {k}, peer {peer}");
            }
        }
    }

    #[test]
    fn strangers_on_the_port_are_dropped_and_the_real_process_still_connects() {
        let addresses = free_loopback_addresses(2).unwrap();
        let zero = {
            let layout = layout(0, &addresses, Duration::from_secs(10));
            std::thread::spawn(move || connect(&layout))
        };
        let target = addresses[0].clone();
        let reach = || loop {
            if let Ok(stream) = TcpStream::connect(&target) {
                return stream;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // One claims to be process 7 of 2, one says nothing and hangs up, one is process 0
        // itself: none of them is the process 1 that process 0 is waiting for.
        reach().write_all(&7_u64.to_be_bytes()).unwrap();
        drop(reach());
        reach().write_all(&0_u64.to_be_bytes()).unwrap();
        let one = connect(&layout(1, &addresses, Duration::from_secs(10)));
        assert!(one.unwrap()[0].is_some());
        assert!(zero.join().unwrap().unwrap()[1].is_some());
    }

    #[test]
    fn a_process_that_never_comes_is_a_connect_error_at_the_deadline() {
        let addresses = free_loopback_addresses(2).unwrap();
        let started = Instant::now();
        for k in 0..2 {
            let error = connect(&layout(k, &addresses, Duration::from_millis(300))).unwrap_err();
            assert!(matches!(error, DistributedError::Connect { .. }), "{error}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn an_address_already_in_use_is_refused_at_once() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![
            taken.local_addr().unwrap().to_string(),
            "127.0.0.1:9".into(),
        ];
        let error = connect(&layout(0, &addresses, Duration::from_secs(30))).unwrap_err();
        assert!(
            matches!(&error, DistributedError::Start(m) if m.contains("cannot listen on")),
            "{error}"
        );
    }
}
