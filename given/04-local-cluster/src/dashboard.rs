//! The dashboard (given code): a status page on 127.0.0.1, served by one thread with the
//! standard library's `TcpListener` — no web framework.
//!
//! Routes: `/status` (and `/`): an HTML page that refreshes itself every second, with the
//! tasks by state, each worker's busy time, and the last tasks of the task stream as an
//! SVG; `/task-stream.svg`: the whole task stream; `/counts`: the counts as plain text
//! (`waiting 3` …), for scripts and tests.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::status::{StatusSnapshot, StatusSource};
use crate::stream::task_stream_svg;

/// How many of the most recent tasks the status page draws.
const PAGE_TASKS: usize = 2000;

/// A running dashboard; [`Dashboard::stop`] ends its thread.
pub(crate) struct Dashboard {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Dashboard {
    /// Binds 127.0.0.1 on a port the system picks (never another interface) and serves.
    pub(crate) fn start(source: Arc<dyn StatusSource>) -> std::io::Result<Dashboard> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        // Non-blocking accept, polled: the thread notices `stop` within 20 ms.
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("dashboard".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            // A client that misbehaves only loses its own request.
                            let _ = serve(stream, source.as_ref());
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })?;
        Ok(Dashboard {
            address,
            stop,
            thread,
        })
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/status", self.address)
    }

    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

/// Answers one request: reads the request line (with a time limit), writes the response,
/// closes the connection.
fn serve(stream: TcpStream, source: &dyn StatusSource) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the headers up to the blank line, so the client is not cut off mid-request.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, content_type, body) = match path {
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
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
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
