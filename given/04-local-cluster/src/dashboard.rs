//! The dashboard (given code): a status page on 127.0.0.1 (never another interface).
//!
//! Routes: `/status` (and `/`): an HTML page that refreshes itself every second, with the
//! tasks by state, each worker's busy time, and the last tasks of the task stream as an
//! SVG; `/task-stream.svg`: the whole task stream; `/counts`: the counts as plain text
//! (`waiting 3` …), for scripts and tests. `GET` and `HEAD` only.
//!
//! The request head is parsed by `httparse` (the parser under `hyper`); the sockets are the
//! standard library's. A full HTTP server crate was not worth it here: `tiny_http`, the
//! small one, has no limit on the size of a request head (its issue #56), and `hyper` brings
//! an async runtime. What the server promises, whatever a client does:
//! - each connection has its own thread, at most [`MAX_CONNECTIONS`] at once (more get
//!   `503`), so a slow or idle client delays nobody else;
//! - a whole request must arrive within [`REQUEST_DEADLINE`] (`408` after it), not merely
//!   each read: a client sending one byte a second cannot hold a connection;
//! - a request head is at most [`MAX_HEAD`] bytes (`431` beyond): no request can grow the
//!   process;
//! - stopping never waits on a client: the handlers are not joined, they notice the stop
//!   within [`POLL`], and they hold the cluster only weakly, so a closed cluster is freed;
//! - reading the cluster's status takes its lock for O(records shown), never O(tasks).

use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::status::{StatusSnapshot, StatusSource};
use crate::stream::task_stream_svg;

/// How many of the most recent tasks the status page draws.
const PAGE_TASKS: usize = 2000;
/// Connections served at once; more are answered `503` at once.
pub const MAX_CONNECTIONS: usize = 32;
/// The longest a client may take to send its whole request head.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(2);
/// The longest a client may take to read the response.
pub const RESPONSE_DEADLINE: Duration = Duration::from_secs(5);
/// The largest request head accepted (request line and headers), in bytes.
pub const MAX_HEAD: usize = 8 * 1024;
/// After refusing a request, how long and how much of the client's remaining input is read
/// and discarded so that the refusal reaches it (see `linger`).
pub const LINGER: Duration = Duration::from_millis(500);
pub const LINGER_BYTES: usize = 4 << 20;
/// How often the accept loop and the handlers look at the stop flag.
pub const POLL: Duration = Duration::from_millis(20);

/// A running dashboard; [`Dashboard::stop`] ends its accept loop.
pub(crate) struct Dashboard {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Dashboard {
    /// Binds 127.0.0.1 on a port the system picks (never another interface) and serves.
    pub(crate) fn start(source: Arc<dyn StatusSource>) -> std::io::Result<Dashboard> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        // Non-blocking accept, polled: the thread notices `stop` within `POLL`.
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let source = Arc::downgrade(&source);
        let thread = std::thread::Builder::new()
            .name("dashboard".into())
            .spawn(move || accept_loop(&listener, &source, &flag))?;
        Ok(Dashboard {
            address,
            stop,
            thread,
        })
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/status", self.address)
    }

    /// Stops accepting and tells every handler to stop; returns within about [`POLL`],
    /// whatever the clients do.
    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

fn accept_loop(listener: &TcpListener, source: &Weak<dyn StatusSource>, stop: &Arc<AtomicBool>) {
    let active = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    refuse_busy(stream);
                    continue;
                }
                active.fetch_add(1, Ordering::SeqCst);
                let (source, stop, done) = (source.clone(), Arc::clone(stop), Arc::clone(&active));
                let spawned = std::thread::Builder::new()
                    .name("dashboard-connection".into())
                    .spawn(move || {
                        // A client that misbehaves only loses its own request.
                        let _ = serve(stream, &source, &stop);
                        done.fetch_sub(1, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    active.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Too many connections: a short `503`, written without waiting on the client.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(&response_head(
        "503 Service Unavailable",
        "text/plain; charset=utf-8",
        0,
        "",
    ));
}

/// What a request asked for, or why it gets no page.
enum Head {
    Get { path: String, head_only: bool },
    Refused(&'static str),
}

/// Reads one request head within [`REQUEST_DEADLINE`] and [`MAX_HEAD`] bytes, answers it,
/// closes the connection.
fn serve(
    mut stream: TcpStream,
    source: &Weak<dyn StatusSource>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let head = read_head(&mut stream, deadline, stop)?;
    let Some(head) = head else {
        return Ok(()); // stopped, or the client went away
    };
    let refused = matches!(head, Head::Refused(_));
    let (status, content_type, body, head_only) = match head {
        Head::Refused(status) => (
            status,
            "text/plain; charset=utf-8",
            format!("{status}\n"),
            false,
        ),
        Head::Get { path, head_only } => {
            let Some(source) = source.upgrade() else {
                return Ok(()); // the cluster is gone
            };
            let (status, content_type, body) = route(&path, source.as_ref());
            (status, content_type, body, head_only)
        }
    };
    stream.set_write_timeout(Some(RESPONSE_DEADLINE))?;
    let allow = if status.starts_with("405") {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    stream.write_all(&response_head(status, content_type, body.len(), allow))?;
    if !head_only {
        stream.write_all(body.as_bytes())?;
    }
    stream.flush()?;
    if refused {
        linger(&mut stream);
    }
    Ok(())
}

/// Closing a socket with unread input makes the system reset the connection, and the
/// client may lose the refusal just written. So: end our side, then read and discard
/// what the client is still sending, for at most [`LINGER`] and [`LINGER_BYTES`].
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + LINGER;
    let mut sink = [0_u8; 16 * 1024];
    let mut drained = 0;
    while drained < LINGER_BYTES {
        let now = Instant::now();
        if now >= until || stream.set_read_timeout(Some(until - now)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

/// Reads until the head is complete. `Ok(None)`: the dashboard stopped or the client
/// closed the connection first.
fn read_head(
    stream: &mut TcpStream,
    deadline: Instant,
    stop: &AtomicBool,
) -> std::io::Result<Option<Head>> {
    let mut buffer = vec![0_u8; MAX_HEAD];
    let mut filled = 0;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buffer[..filled]) {
            Ok(httparse::Status::Complete(_)) => {
                let path = request.path.unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/").to_string();
                return Ok(Some(match request.method {
                    Some("GET") => Head::Get {
                        path,
                        head_only: false,
                    },
                    Some("HEAD") => Head::Get {
                        path,
                        head_only: true,
                    },
                    _ => Head::Refused("405 Method Not Allowed"),
                }));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Ok(Some(Head::Refused("431 Request Header Fields Too Large")));
            }
            Err(_) => return Ok(Some(Head::Refused("400 Bad Request"))),
        }
        if filled == buffer.len() {
            return Ok(Some(Head::Refused("431 Request Header Fields Too Large")));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(Some(Head::Refused("408 Request Timeout")));
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        // Short reads, so that the deadline and `stop` are looked at every `POLL`.
        stream.set_read_timeout(Some((deadline - now).min(POLL)))?;
        match stream.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(None),
            Ok(n) => filled += n,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e),
        }
    }
}

fn route(path: &str, source: &dyn StatusSource) -> (&'static str, &'static str, String) {
    match path {
        "/" | "/status" => (
            "200 OK",
            "text/html; charset=utf-8",
            status_page(&source.snapshot(PAGE_TASKS)),
        ),
        "/counts" => (
            "200 OK",
            "text/plain; charset=utf-8",
            counts_text(&source.snapshot(0)),
        ),
        "/task-stream.svg" => {
            let status = source.snapshot(usize::MAX);
            (
                "200 OK",
                "image/svg+xml",
                task_stream_svg(&status.recent, status.busy.len()),
            )
        }
        _ => (
            "404 Not Found",
            "text/plain; charset=utf-8",
            "not found\n".to_string(),
        ),
    }
}

fn response_head(status: &str, content_type: &str, length: usize, extra: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n{extra}Connection: close\r\n\r\n"
    )
    .into_bytes()
}

fn counts_text(status: &StatusSnapshot) -> String {
    let c = status.counts;
    format!(
        "waiting {}\nprocessing {}\nmemory {}\nerred {}\nreleased {}\n",
        c.waiting, c.processing, c.memory, c.erred, c.released
    )
}

fn status_page(status: &StatusSnapshot) -> String {
    let StatusSnapshot {
        counts,
        recent,
        records: total,
        busy,
        elapsed,
    } = status;
    let mut html = String::new();
    html.push_str(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"1\">\
         <title>cluster status</title><style>body{font-family:sans-serif}td,th{padding:2px 10px;text-align:right}</style>\
         </head><body><h1>Local cluster</h1>",
    );
    let _ = write!(
        html,
        "<h2>Tasks by state</h2><table><tr><th>waiting</th><th>processing</th><th>memory</th><th>erred</th><th>released</th></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></table>",
        counts.waiting, counts.processing, counts.memory, counts.erred, counts.released
    );
    html.push_str(
        "<h2>Workers</h2><table><tr><th>worker</th><th>busy time</th><th>busy share</th></tr>",
    );
    for (w, b) in busy.iter().enumerate() {
        let _ = write!(
            html,
            "<tr><td>worker {w}</td><td>{:.3} s</td><td>{:.0} %</td></tr>",
            b.as_secs_f64(),
            100.0 * b.as_secs_f64() / elapsed.as_secs_f64().max(1e-9)
        );
    }
    let _ = write!(
        html,
        "</table><h2>Task stream</h2><p>{} of {total} tasks; <a href=\"/task-stream.svg\">all</a></p>{}",
        recent.len(),
        task_stream_svg(recent, busy.len())
    );
    html.push_str("<p>served by solution-04's dashboard</p></body></html>\n");
    html
}
