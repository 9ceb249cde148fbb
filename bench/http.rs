//! A small HTTP/1.1 keep-alive client over `std::net::TcpStream`.
//!
//! Why hand-written: the benchmark must measure the server, not a client stack. This client
//! sends each request with one `write` (head and body together, `TCP_NODELAY` set), reads the
//! response through one reusable buffer, and keeps only what the benchmark looks at (status,
//! `ETag`, body). It understands `Content-Length` (what davsuite always sends), chunked bodies
//! and bodies delimited by the end of the connection, so an unexpected answer is still read
//! whole and reported instead of hanging the run.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine;

/// How long a single read or write may block before the request is reported as failed.
const IO_TIMEOUT: Duration = Duration::from_secs(120);

/// Largest response head accepted, in bytes.
const MAX_HEAD: usize = 64 * 1024;

/// A response as the benchmark needs it.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The body bytes (de-chunked if needed).
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text, lossily decoded (for error messages and XML scanning).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// A short description for error messages: status and the start of the body.
    pub fn describe(&self) -> String {
        let text = self.text();
        let excerpt: String = text.chars().take(300).collect();
        format!("status {}: {}", self.status, excerpt.trim())
    }
}

/// One open connection with its read buffer.
struct Conn {
    stream: TcpStream,
    /// Read buffer; bytes `start..end` are received but not yet consumed.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// True once a response was read on this connection (a failure after that may just be
    /// the server closing an idle keep-alive connection).
    reused: bool,
}

impl Conn {
    fn open(addr: SocketAddr) -> Result<Conn, String> {
        let stream =
            TcpStream::connect(addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
        stream
            .set_nodelay(true)
            .and_then(|()| stream.set_read_timeout(Some(IO_TIMEOUT)))
            .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
            .map_err(|e| format!("cannot configure the socket to {addr}: {e}"))?;
        Ok(Conn {
            stream,
            buf: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            reused: false,
        })
    }

    /// Reads more bytes into the buffer; returns how many (0 at end of stream).
    fn fill(&mut self) -> std::io::Result<usize> {
        if self.start > 0 && self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        if self.end == self.buf.len() {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        let n = self.stream.read(&mut self.buf[self.end..])?;
        self.end += n;
        Ok(n)
    }

    /// Reads up to and including the next CRLF; returns the line without it.
    fn line(&mut self) -> Result<Vec<u8>, String> {
        loop {
            if let Some(pos) = find(&self.buf[self.start..self.end], b"\r\n") {
                let line = self.buf[self.start..self.start + pos].to_vec();
                self.start += pos + 2;
                return Ok(line);
            }
            if self.end - self.start > MAX_HEAD {
                return Err("line in the response longer than 64 KiB".into());
            }
            if self.fill().map_err(|e| format!("read: {e}"))? == 0 {
                return Err("connection closed in the middle of a response".into());
            }
        }
    }

    /// Appends exactly `n` body bytes to `out`.
    fn take(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), String> {
        let buffered = (self.end - self.start).min(n);
        out.extend_from_slice(&self.buf[self.start..self.start + buffered]);
        self.start += buffered;
        let rest = n - buffered;
        if rest > 0 {
            let at = out.len();
            out.resize(at + rest, 0);
            self.stream
                .read_exact(&mut out[at..])
                .map_err(|e| format!("reading a {n}-byte body: {e}"))?;
        }
        Ok(())
    }
}

/// Position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A keep-alive HTTP/1.1 client for one server and one account; not shared between threads
/// (each benchmark thread owns one, i.e. one connection).
pub struct Client {
    addr: SocketAddr,
    /// `Host` header value.
    host: String,
    /// `Authorization` header value.
    auth: String,
    conn: Option<Conn>,
    /// Reused buffer for the outgoing request.
    out: Vec<u8>,
}

impl Client {
    /// A client that authenticates with Basic credentials; connects on first use.
    pub fn new(addr: SocketAddr, login: &str, password: &str) -> Client {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"));
        Client {
            addr,
            host: addr.to_string(),
            auth: format!("Basic {token}"),
            conn: None,
            out: Vec::with_capacity(4096),
        }
    }

    /// Opens the connection now (so that timed requests do not pay for the handshake).
    pub fn connect(&mut self) -> Result<(), String> {
        if self.conn.is_none() {
            self.conn = Some(Conn::open(self.addr)?);
        }
        Ok(())
    }

    /// Sends one request and reads the whole response. A request that fails on a reused
    /// connection before any response byte arrived is sent once more on a new connection
    /// (the server may have closed the idle connection).
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response, String> {
        self.out.clear();
        // Writing into a Vec cannot fail.
        let _ = write!(
            self.out,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Length: {}\r\n",
            self.host,
            self.auth,
            body.len()
        );
        for (name, value) in headers {
            let _ = write!(self.out, "{name}: {value}\r\n");
        }
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(body);
        for attempt in 0..2 {
            self.connect()?;
            let conn = self.conn.as_mut().expect("connected above");
            let reused = conn.reused;
            match exchange(conn, &self.out) {
                Ok((resp, keep)) => {
                    if keep {
                        conn.reused = true;
                    } else {
                        self.conn = None;
                    }
                    return Ok(resp);
                }
                Err(Exchange::BeforeResponse(_)) if reused && attempt == 0 => {
                    self.conn = None;
                }
                Err(Exchange::BeforeResponse(e) | Exchange::During(e)) => {
                    self.conn = None;
                    return Err(format!("{method} {path}: {e}"));
                }
            }
        }
        Err(format!("{method} {path}: failed twice"))
    }
}

/// How an exchange failed.
enum Exchange {
    /// Nothing of a response was received (safe to retry on a new connection).
    BeforeResponse(String),
    /// The response was cut or malformed.
    During(String),
}

/// Writes `request` and reads one response; returns it and whether the connection stays open.
fn exchange(conn: &mut Conn, request: &[u8]) -> Result<(Response, bool), Exchange> {
    conn.stream
        .write_all(request)
        .map_err(|e| Exchange::BeforeResponse(format!("write: {e}")))?;
    // Wait for the first bytes separately, to tell "closed before answering" from the rest.
    while conn.start == conn.end {
        match conn.fill() {
            Ok(0) => {
                return Err(Exchange::BeforeResponse(
                    "connection closed before a response".into(),
                ));
            }
            Ok(_) => {}
            Err(e) => return Err(Exchange::BeforeResponse(format!("read: {e}"))),
        }
    }
    read_response(conn).map_err(Exchange::During)
}

/// Reads status line, headers and body.
fn read_response(conn: &mut Conn) -> Result<(Response, bool), String> {
    let status_line = conn.line()?;
    let status = parse_status(&status_line).ok_or_else(|| {
        format!(
            "malformed status line {:?}",
            String::from_utf8_lossy(&status_line)
        )
    })?;
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut close = status_line.starts_with(b"HTTP/1.0");
    let mut etag = None;
    loop {
        let line = conn.line()?;
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = &line[..colon];
        let value = std::str::from_utf8(&line[colon + 1..]).unwrap_or("").trim();
        if name.eq_ignore_ascii_case(b"content-length") {
            content_length = Some(
                value
                    .parse()
                    .map_err(|_| format!("bad Content-Length {value:?}"))?,
            );
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case(b"connection") {
            close = value.eq_ignore_ascii_case("close");
        } else if name.eq_ignore_ascii_case(b"etag") {
            etag = Some(value.to_owned());
        }
    }
    let mut body = Vec::new();
    if (100..200).contains(&status) || status == 204 || status == 304 {
        // No body.
    } else if chunked {
        loop {
            let size_line = conn.line()?;
            let text = String::from_utf8_lossy(&size_line);
            let hex = text.split(';').next().unwrap_or("").trim();
            let size =
                usize::from_str_radix(hex, 16).map_err(|_| format!("bad chunk size {hex:?}"))?;
            if size == 0 {
                // Trailers up to the empty line.
                while !conn.line()?.is_empty() {}
                break;
            }
            conn.take(size, &mut body)?;
            if !conn.line()?.is_empty() {
                return Err("chunk not followed by CRLF".into());
            }
        }
    } else if let Some(n) = content_length {
        body.reserve_exact(n);
        conn.take(n, &mut body)?;
    } else {
        // Delimited by the end of the connection.
        loop {
            body.extend_from_slice(&conn.buf[conn.start..conn.end]);
            conn.start = conn.end;
            if conn.fill().map_err(|e| format!("read: {e}"))? == 0 {
                break;
            }
        }
        close = true;
    }
    Ok((Response { status, etag, body }, !close))
}

/// The code of `HTTP/1.1 207 Multi-Status`.
fn parse_status(line: &[u8]) -> Option<u16> {
    if !line.starts_with(b"HTTP/1.") {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    text.split(' ').nth(1)?.parse().ok()
}
