//! The dashboard under misbehaving clients (issue 9 item 8), on 127.0.0.1 only. Every wait
//! here is bounded; the bounds catch hangs (the old server blocked for as long as a slow
//! client kept sending), they are not performance claims.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use solution_04::local_cluster;

/// `127.0.0.1:port` of a dashboard URL.
fn address(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let host = rest.split('/').next().unwrap();
    assert!(host.starts_with("127.0.0.1:"), "loopback only: {url}");
    host.to_string()
}

/// Sends `request` and reads the whole response (bounded by a 10 s read timeout).
fn exchange(address: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

/// A client that sends one byte of a request every 200 ms and never finishes, until
/// `stop` is set or the server closes the connection.
fn trickle(address: &str, stop: &Arc<AtomicBool>) -> JoinHandle<()> {
    let mut stream = TcpStream::connect(address).unwrap();
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        for byte in b"GET /counts HTTP/1.1\r\nX-Slow: ".iter().cycle() {
            if stop.load(Ordering::Relaxed) || stream.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    })
}

#[test]
fn a_slow_client_does_not_block_another_request() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let slow = trickle(&address, &stop);
    std::thread::sleep(Duration::from_millis(100));
    // Before: this waited until the slow client stopped (here: 10 s, then a read timeout).
    let response = exchange(&address, b"GET /counts HTTP/1.1\r\n\r\n");
    assert!(
        response.starts_with("HTTP/1.1 200") && response.contains("waiting 0"),
        "{response}"
    );
    assert!(!slow.is_finished(), "the slow client was still sending");
    stop.store(true, Ordering::Relaxed);
    slow.join().unwrap();
}

#[test]
fn a_slow_client_is_cut_off_at_the_request_deadline() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let start = Instant::now();
    let mut response = Vec::new();
    // One byte per 200 ms: each read is quick, only a whole-request deadline ends it.
    for byte in b"GET /counts HTTP/1.1\r\nX-Slow: ".iter().cycle() {
        if stream.write_all(&[*byte]).is_err() || start.elapsed() > Duration::from_secs(10) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        stream.set_nonblocking(true).unwrap();
        let mut chunk = [0_u8; 256];
        let read = stream.read(&mut chunk);
        stream.set_nonblocking(false).unwrap();
        match read {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
        if !response.is_empty() {
            break;
        }
    }
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 408"), "got {response:?}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "cut off after {:?}",
        start.elapsed()
    );
}

#[test]
fn close_does_not_wait_on_a_slow_client() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let slow = trickle(&address, &stop);
    std::thread::sleep(Duration::from_millis(100));
    // Before: close_timeout(2 s) returned after 11.7 s, or never.
    cluster.close_timeout(Duration::from_secs(2)).unwrap();
    assert!(
        !slow.is_finished(),
        "close returned while the slow client was still sending"
    );
    stop.store(true, Ordering::Relaxed);
    slow.join().unwrap();
}

#[test]
fn idle_connections_do_not_delay_a_request() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let idle: Vec<TcpStream> = (0..10)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    let start = Instant::now();
    let response = exchange(&address, b"GET /counts HTTP/1.1\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // Before: ~20 s (each idle connection held the only thread for its 2 s read timeout).
    assert!(start.elapsed() < HANG_BOUND, "took {:?}", start.elapsed());
    drop(idle);
}

/// Far above a healthy answer (milliseconds), far below the old behaviour (~20 s).
const HANG_BOUND: Duration = Duration::from_secs(5);

#[test]
fn a_request_line_without_end_is_refused_at_the_size_limit() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // 1 MiB without a newline: before, the server's buffer grew with it (1 GB seen).
    let line = vec![b'A'; 1 << 20];
    let _ = stream.write_all(b"GET /");
    let _ = stream.write_all(&line);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 431"), "got {response:?}");
}

#[test]
fn only_get_and_head_are_served_and_head_has_no_body() {
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let post = exchange(
        &address,
        b"POST /counts HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    assert!(post.contains("Allow: GET, HEAD"), "{post}");
    let head = exchange(&address, b"HEAD /counts HTTP/1.1\r\n\r\n");
    let get = exchange(&address, b"GET /counts HTTP/1.1\r\n\r\n");
    let (head_head, head_body) = head.split_once("\r\n\r\n").unwrap();
    let (get_head, get_body) = get.split_once("\r\n\r\n").unwrap();
    assert!(head_head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(head_body, "", "HEAD must not send a body");
    assert!(!get_body.is_empty());
    let length = |h: &str| {
        h.lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .map(str::to_string)
    };
    assert_eq!(length(head_head), length(get_head));
}

#[test]
fn connections_beyond_the_limit_are_refused_then_served_again() {
    use given_04::dashboard::{MAX_CONNECTIONS, REQUEST_DEADLINE};
    let cluster = local_cluster(1).unwrap();
    let address = address(&cluster.start_dashboard().unwrap());
    let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    // Every idle connection has its handler (the accept loop polls every 20 ms).
    std::thread::sleep(Duration::from_millis(300));
    let busy = exchange(&address, b"GET /counts HTTP/1.1\r\n\r\n");
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    // The idle handlers give up at the request deadline; then requests are served again.
    std::thread::sleep(REQUEST_DEADLINE + Duration::from_millis(500));
    let served = exchange(&address, b"GET /counts HTTP/1.1\r\n\r\n");
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    drop(idle);
}
