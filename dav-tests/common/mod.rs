//! Test harness: starts the real `davsuite` binary on a free loopback port with a temporary
//! data directory, and speaks HTTP/1.1 to it over a plain socket (no client library between
//! the test and the bytes on the wire).

#![allow(dead_code)]

mod browser;
mod clock;
mod share;
mod web;
pub use browser::*;
pub use clock::*;
pub use share::*;
pub use web::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Path of the binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_davsuite")
}

/// A login and its password.
#[derive(Debug, Clone)]
pub struct User {
    /// Login name.
    pub login: String,
    /// Password.
    pub password: String,
}

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// Port it listens on.
    pub port: u16,
    /// Its data directory.
    pub dir: tempfile::TempDir,
    /// The account created on first start.
    pub admin: User,
    config: Option<PathBuf>,
}

/// A response as received.
#[derive(Debug, Clone)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Resp {
    /// First header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The comma-separated values of header `name` (lower-case), failing the test when the
    /// header is absent.
    #[track_caller]
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.header(name)
            .unwrap_or_else(|| {
                panic!(
                    "{} answer without {name}; headers: {:?}",
                    self.status, self.headers
                )
            })
            .split(',')
            .map(str::trim)
            .collect()
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Server {
    /// Starts a server with default configuration.
    pub fn start() -> Server {
        Server::start_with_config(None)
    }

    /// Starts a server with the given TOML configuration (data_dir and listen are overridden).
    pub fn start_with_config(config: Option<&str>) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let config_path = config.map(|c| {
            let p = dir.path().join("config.toml");
            std::fs::write(&p, c).expect("write config");
            p
        });
        let mut cmd = Command::new(binary());
        cmd.arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(dir.path().join("data"));
        if let Some(p) = &config_path {
            cmd.arg("--config").arg(p);
        }
        // The server logs one line per request to `log_path()`, shown when a test fails.
        let log = std::fs::File::create(dir.path().join("server.log")).expect("create log");
        cmd.env_remove("DAVSUITE_CONFIG").env("RUST_LOG", "info");
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start davsuite");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut admin_password = None;
        let port = loop {
            let line = lines
                .next()
                .expect("server exited before listening")
                .expect("read stdout");
            if let Some(rest) =
                line.strip_prefix("created the first account: login admin, password ")
            {
                admin_password = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("davsuite listening on http://127.0.0.1:") {
                break rest.trim_end_matches('/').parse::<u16>().expect("port");
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let admin = User {
            login: "admin".into(),
            password: admin_password.expect("first start prints a password"),
        };
        Server {
            child,
            port,
            dir,
            admin,
            config: config_path,
        }
    }

    /// Runs the CLI against this server's data directory.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        let mut cmd = Command::new(binary());
        cmd.args(args).arg("--data").arg(self.data_dir());
        if let Some(p) = &self.config {
            cmd.arg("--config").arg(p);
        }
        cmd.env_remove("DAVSUITE_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run cli");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("cli output")
    }

    /// Runs the CLI (see `cli`) and asserts that it succeeded; its output.
    #[track_caller]
    pub fn cli_ok(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        let out = self.cli(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Creates a fresh account with a unique login and returns it.
    pub fn new_user(&self, prefix: &str) -> User {
        self.new_user_with(prefix, &[])
    }

    /// Creates a fresh account with a unique login and these extra `user add` options.
    pub fn new_user_with(&self, prefix: &str, options: &[&str]) -> User {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let login = format!("{prefix}{n}");
        let password = format!("pw-{login}-secret");
        let email = format!("{login}@example.com");
        let mut args = vec!["user", "add", &login, "--password-stdin", "--email", &email];
        args.extend_from_slice(options);
        self.cli_ok(&args, Some(&password));
        User { login, password }
    }

    /// Sends a request and reads the whole response.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        user: Option<&User>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        raw_request(
            self.port,
            method,
            path,
            user.map(|u| (u.login.as_str(), u.password.as_str())),
            headers,
            body,
        )
    }

    /// Base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one HTTP/1.1 request with `Connection: close` and reads the response.
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    credentials: Option<(&str, &str)>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    use base64::Engine;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some((l, p)) = credentials {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{l}:{p}"));
        head.push_str(&format!("Authorization: Basic {token}\r\n"));
    }
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    stream.write_all(body).expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .expect("status")
        .parse()
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // Answers carry Content-Length, except streamed exports, which are chunked.
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(&raw[split + 4..])
    } else {
        raw[split + 4..].to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

/// The payload of a chunked body (RFC 9112 §7.1), failing the test when it is cut short: a
/// complete chunked body ends with a zero-size chunk.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
        raw = &raw[line_end + 2..];
        if size == 0 {
            return out;
        }
        assert!(raw.len() >= size + 2, "chunked body cut short");
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// The built-in plans, by rank.
pub const PLANS: [&str; 5] = [
    "my-ksuite",
    "my-ksuite-plus",
    "ksuite-standard",
    "ksuite-pro",
    "ksuite-enterprise",
];

/// Configuration giving every built-in plan the same `settings` (TOML lines such as
/// `max_object_size = 500`).
pub fn every_plan(settings: &str) -> String {
    PLANS
        .iter()
        .map(|p| format!("[plans.{p}]\n{settings}\n"))
        .collect()
}

/// Reads a fixture file.
pub fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// A request body from `fixtures/xml/`, as text.
pub fn request_fixture(name: &str) -> String {
    String::from_utf8(fixture(&format!("xml/{name}"))).expect("utf-8 fixture")
}

/// A minimal valid VEVENT calendar object with this UID.
pub fn event(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDTEND:20240102T110000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// `event` with COMMENT lines appended until the object is at least `min` bytes.
pub fn big_event(uid: &str, min: usize) -> String {
    let mut ev = event(uid, "Big");
    let comment = format!("COMMENT:{}\r\n", "c".repeat(60));
    while ev.len() < min {
        ev = ev.replacen("END:VEVENT", &format!("{comment}END:VEVENT"), 1);
    }
    ev
}

/// `vcard` with NOTE lines appended until the card is at least `min` bytes.
pub fn big_vcard(uid: &str, min: usize) -> String {
    let mut card = vcard(uid, "Big Card");
    let note = format!("NOTE:{}\r\n", "n".repeat(60));
    while card.len() < min {
        card = card.replacen("END:VCARD", &format!("{note}END:VCARD"), 1);
    }
    card
}

/// Sends MKCALENDAR with this body.
pub fn mkcalendar(s: &Server, u: &User, path: &str, body: &str) -> Resp {
    s.request(
        "MKCALENDAR",
        path,
        Some(u),
        &[("Content-Type", "application/xml; charset=utf-8")],
        body.as_bytes(),
    )
}

/// Sends MKCOL (extended when the body is not empty).
pub fn mkcol(s: &Server, u: &User, path: &str, body: &str) -> Resp {
    let h: &[(&str, &str)] = if body.is_empty() {
        &[]
    } else {
        &[("Content-Type", "application/xml; charset=utf-8")]
    };
    s.request("MKCOL", path, Some(u), h, body.as_bytes())
}

/// Asserts a `<D:error>` with this status and element, and a non-empty DS:message.
#[track_caller]
pub fn assert_refused(r: &Resp, status: u16, ns: &str, local: &str) {
    assert_dav_error(r, status, ns, local);
    let doc = parse_xml(r);
    let msg = doc
        .child(NS_DAVSUITE, "message")
        .unwrap_or_else(|| panic!("no DS:message: {}", r.text()));
    assert!(
        !msg.text().trim().is_empty(),
        "empty DS:message: {}",
        r.text()
    );
}

/// A minimal valid VTODO calendar object with this UID.
pub fn todo(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\nBEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:{summary}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
}

/// A minimal vCard 3.0 with this UID.
pub fn vcard(uid: &str, name: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n")
}

/// The calendar home, default calendar and default address book hrefs of a user.
pub fn calendar_url(u: &User) -> String {
    format!("/dav/calendars/{}/personal/", u.login)
}

/// The default address book href of a user.
pub fn addressbook_url(u: &User) -> String {
    format!("/dav/addressbooks/{}/contacts/", u.login)
}

// ---------------------------------------------------------------------------------------------
// Reading XML answers: parsed with the library's own namespace-resolving reader, so tests assert
// on (namespace, local name) and never on the prefixes the server happened to pick.

#[allow(unused_imports)]
pub use davsuite::dav::xml::{
    Element, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV, NS_DAVSUITE, parse_document,
};

/// Parses a response body as XML, failing the test with the body when it is not well-formed.
pub fn parse_xml(r: &Resp) -> Element {
    parse_document(&r.body)
        .unwrap_or_else(|e| panic!("response body is not XML ({e}): {}", r.text()))
}

/// Every descendant of `e` (not `e` itself) named `{ns}local`, in document order.
pub fn descendants<'a>(e: &'a Element, ns: &str, local: &str) -> Vec<&'a Element> {
    let mut out = Vec::new();
    for c in e.elements() {
        if c.is(ns, local) {
            out.push(c);
        }
        out.extend(descendants(c, ns, local));
    }
    out
}

/// The condition of a `<D:error>` body: namespace and local name of its first child that is
/// not davsuite's human-readable message. None when the body is not a DAV:error document.
pub fn error_condition(r: &Resp) -> Option<(String, String)> {
    let root = parse_document(&r.body).ok()?;
    if !root.is(NS_DAV, "error") {
        return None;
    }
    root.elements()
        .find(|e| !e.is(NS_DAVSUITE, "message"))
        .map(|e| (e.name.ns.clone(), e.name.local.clone()))
}

/// Asserts the status and the `<D:error>` condition element of a response.
#[track_caller]
pub fn assert_dav_error(r: &Resp, status: u16, ns: &str, local: &str) {
    assert_eq!(r.status, status, "status; body: {}", r.text());
    assert_eq!(
        error_condition(r),
        Some((ns.to_owned(), local.to_owned())),
        "error element; body: {}",
        r.text()
    );
}

/// The status code of a `HTTP/1.1 200 OK` status line.
pub fn status_code(line: &str) -> u16 {
    line.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"))
}

/// One `<D:propstat>`: its status and its property elements.
#[derive(Debug, Clone)]
pub struct PropStat {
    /// Status code.
    pub status: u16,
    /// The children of `<D:prop>`.
    pub props: Vec<Element>,
}

/// One `<D:response>` of a multistatus.
#[derive(Debug, Clone)]
pub struct MsResponse {
    /// The (first) href.
    pub href: String,
    /// The response-level `<D:status>`, if any.
    pub status: Option<u16>,
    /// The propstats.
    pub propstats: Vec<PropStat>,
}

impl MsResponse {
    /// The property `{ns}local` and the status of the propstat holding it.
    pub fn prop(&self, ns: &str, local: &str) -> Option<(u16, &Element)> {
        self.propstats.iter().find_map(|ps| {
            ps.props
                .iter()
                .find(|p| p.is(ns, local))
                .map(|p| (ps.status, p))
        })
    }

    /// The property `{ns}local` when it came with 200 OK.
    pub fn ok_prop(&self, ns: &str, local: &str) -> Option<&Element> {
        match self.prop(ns, local) {
            Some((200, e)) => Some(e),
            _ => None,
        }
    }

    /// Text of the `<D:href>` children of a property answered with 200.
    pub fn hrefs(&self, ns: &str, local: &str) -> Vec<String> {
        self.ok_prop(ns, local)
            .map(|p| {
                p.elements()
                    .filter(|e| e.is(NS_DAV, "href"))
                    .map(|e| e.text().trim().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether the resourcetype of a response (answered with 200) holds `{ns}local`.
pub fn has_type(m: &MsResponse, ns: &str, local: &str) -> bool {
    m.ok_prop(NS_DAV, "resourcetype")
        .is_some_and(|rt| rt.elements().any(|e| e.is(ns, local)))
}

/// Asserts the status of the propstat holding `{ns}local` in `m`, a response of `r`.
#[track_caller]
pub fn assert_propstat(r: &Resp, m: &MsResponse, ns: &str, local: &str, status: u16) {
    assert_eq!(
        m.prop(ns, local).map(|(st, _)| st),
        Some(status),
        "{{{ns}}}{local}: {}",
        r.text()
    );
}

/// Parses a 207 Multi-Status body (asserting the status and the root element).
#[track_caller]
pub fn multistatus(r: &Resp) -> Vec<MsResponse> {
    assert_eq!(r.status, 207, "expected 207; body: {}", r.text());
    let root = parse_xml(r);
    assert!(
        root.is(NS_DAV, "multistatus"),
        "root is not DAV:multistatus: {}",
        r.text()
    );
    root.elements()
        .filter(|e| e.is(NS_DAV, "response"))
        .map(|resp| MsResponse {
            href: resp
                .child(NS_DAV, "href")
                .map(|h| h.text().trim().to_owned())
                .unwrap_or_default(),
            status: resp
                .child(NS_DAV, "status")
                .map(|s| status_code(s.text().trim())),
            propstats: resp
                .elements()
                .filter(|e| e.is(NS_DAV, "propstat"))
                .map(|ps| PropStat {
                    status: ps
                        .child(NS_DAV, "status")
                        .map(|s| status_code(s.text().trim()))
                        .unwrap_or(0),
                    props: ps
                        .child(NS_DAV, "prop")
                        .map(|p| p.elements().cloned().collect())
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

/// A PROPFIND body asking for these `(namespace, local name)` properties.
pub fn propfind_body(props: &[(&str, &str)]) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>"#,
    );
    for (ns, local) in props {
        s.push_str(&format!(r#"<X:{local} xmlns:X="{ns}"/>"#));
    }
    s.push_str("</D:prop></D:propfind>");
    s.into_bytes()
}

/// A PROPFIND body asking for DAV:current-user-principal.
pub fn cup_body() -> Vec<u8> {
    propfind_body(&[(NS_DAV, "current-user-principal")])
}

/// The principal href of a user.
pub fn principal_url(u: &User) -> String {
    format!("/dav/principals/users/{}/", u.login)
}

/// The `Authorization` header value for a user.
pub fn basic_auth(u: &User) -> String {
    use base64::Engine;
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", u.login, u.password));
    format!("Basic {token}")
}

/// Writes raw bytes (a hand-made request) to the server and reads the whole response; for
/// requests `request` cannot express (chunked bodies, odd framing).
pub fn raw_exchange(port: u16, raw: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(raw).expect("write request");
    let mut out = Vec::new();
    stream.read_to_end(&mut out).expect("read response");
    parse_response(&out)
}

// ---- Small request wrappers and sync-token reading (collections, objects, sync, reports) ----

pub use davsuite::dav::xml::NS_APPLE_ICAL;

/// The `<D:sync-token>` of a sync-collection multistatus.
pub fn sync_token_of(r: &Resp) -> Option<String> {
    parse_xml(r)
        .child(NS_DAV, "sync-token")
        .map(|t| t.text().trim().to_owned())
}

/// The DAV:sync-token of a collection (PROPFIND Depth 0).
pub fn collection_sync_token(s: &Server, u: &User, coll: &str) -> String {
    let r = propfind_req(s, u, coll, "0", &propfind_body(&[(NS_DAV, "sync-token")]));
    multistatus(&r)[0]
        .ok_prop(NS_DAV, "sync-token")
        .map(|t| t.text())
        .unwrap_or_else(|| panic!("no sync-token: {}", r.text()))
}

/// (href, present?) of each member an incremental sync-collection from `token` reports:
/// `false` for a member reported deleted (404).
pub fn sync_changes(s: &Server, u: &User, coll: &str, token: &str) -> Vec<(String, bool)> {
    let body = format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let r = report_req(s, u, coll, None, body.as_bytes());
    multistatus(&r)
        .into_iter()
        .map(|m| (m.href.clone(), m.status != Some(404)))
        .collect()
}

/// Sends a PROPFIND with this Depth and body.
pub fn propfind_req(s: &Server, u: &User, path: &str, depth: &str, body: &[u8]) -> Resp {
    let h = [
        ("Depth", depth),
        ("Content-Type", "application/xml; charset=utf-8"),
    ];
    s.request("PROPFIND", path, Some(u), &h, body)
}

/// Sends a PROPFIND with a Depth header and no other (no Content-Type).
pub fn bare_propfind(s: &Server, u: &User, path: &str, depth: &str, body: &[u8]) -> Resp {
    s.request("PROPFIND", path, Some(u), &[("Depth", depth)], body)
}

/// A bare PROPFIND (see `bare_propfind`) of DAV:current-user-principal, as `user` (`None`:
/// without credentials).
pub fn cup_propfind(s: &Server, user: Option<&User>, path: &str, depth: &str) -> Resp {
    s.request("PROPFIND", path, user, &[("Depth", depth)], &cup_body())
}

/// Sends a PROPPATCH with this body and no headers.
pub fn proppatch_req(s: &Server, u: &User, path: &str, body: &[u8]) -> Resp {
    s.request("PROPPATCH", path, Some(u), &[], body)
}

/// Sends a GET.
pub fn get_req(s: &Server, u: &User, path: &str) -> Resp {
    s.request("GET", path, Some(u), &[], b"")
}

/// Sends a DELETE without conditions.
pub fn delete_req(s: &Server, u: &User, path: &str) -> Resp {
    s.request("DELETE", path, Some(u), &[], b"")
}

/// Sends a REPORT with this Depth (`None`: no header) and body.
pub fn report_req(s: &Server, u: &User, path: &str, depth: Option<&str>, body: &[u8]) -> Resp {
    let mut h = vec![("Content-Type", "application/xml; charset=utf-8")];
    if let Some(d) = depth {
        h.push(("Depth", d));
    }
    s.request("REPORT", path, Some(u), &h, body)
}

/// PUTs a body declared with this Content-Type.
pub fn put_as(s: &Server, u: &User, path: &str, content_type: &str, body: &[u8]) -> Resp {
    s.request(
        "PUT",
        path,
        Some(u),
        &[("Content-Type", content_type)],
        body,
    )
}

/// PUTs iCalendar text declared as plain `text/calendar` (no charset parameter).
pub fn put_ical(s: &Server, u: &User, path: &str, ical: &str) -> Resp {
    put_as(s, u, path, "text/calendar", ical.as_bytes())
}

/// PUTs an iCalendar (path ending in `.ics`) or vCard body with the matching Content-Type.
pub fn put_req(s: &Server, u: &User, path: &str, body: &[u8]) -> Resp {
    let ct = if path.ends_with(".ics") {
        "text/calendar; charset=utf-8"
    } else {
        "text/vcard; charset=utf-8"
    };
    put_as(s, u, path, ct, body)
}

/// PUTs like `put_req` and asserts 201 Created; the answer.
#[track_caller]
pub fn put_created(s: &Server, u: &User, path: &str, body: &[u8]) -> Resp {
    let r = put_req(s, u, path, body);
    assert_eq!(r.status, 201, "PUT {path}: {}", r.text());
    r
}

/// PROPFIND Depth 1 for DAV:getetag on a collection: the collection and its members.
pub fn getetag_listing(s: &Server, u: &User, coll: &str) -> Resp {
    propfind_req(s, u, coll, "1", &propfind_body(&[(NS_DAV, "getetag")]))
}

/// Asserts that the `data` property (calendar-data or address-data) and the getetag of `m`, a
/// REPORT response of `r`, equal what a GET of `path` answers.
#[track_caller]
pub fn assert_same_as_get(
    s: &Server,
    u: &User,
    r: &Resp,
    m: &MsResponse,
    path: &str,
    data: (&str, &str),
) {
    let g = get_req(s, u, path);
    assert_eq!(g.status, 200, "GET {path}");
    let (ns, local) = data;
    let d = m
        .ok_prop(ns, local)
        .unwrap_or_else(|| panic!("no {local} for {}: {}", m.href, r.text()));
    assert_eq!(
        d.text().as_bytes(),
        g.body.as_slice(),
        "{local} of {} differs from GET {path}",
        m.href
    );
    assert_eq!(
        m.ok_prop(NS_DAV, "getetag").map(|e| e.text()).as_deref(),
        g.header("etag"),
        "getetag of {} differs from GET {path}",
        m.href
    );
}

/// An href with its percent-escapes decoded.
pub fn decode_href(href: &str) -> String {
    percent_encoding::percent_decode_str(href)
        .decode_utf8()
        .expect("utf-8 href")
        .into_owned()
}

/// What a refused write must leave untouched: the collection's sync-token and every member's
/// href and ETag (PROPFIND Depth 1), sorted.
pub fn collection_state(s: &Server, u: &User, coll: &str) -> Vec<(String, String)> {
    let body = propfind_body(&[(NS_DAV, "getetag"), (NS_DAV, "sync-token")]);
    let r = propfind_req(s, u, coll, "1", &body);
    let mut out: Vec<(String, String)> = multistatus(&r)
        .iter()
        .map(|m| {
            let v = m
                .ok_prop(NS_DAV, "getetag")
                .or_else(|| m.ok_prop(NS_DAV, "sync-token"))
                .map(|e| e.text())
                .unwrap_or_default();
            (m.href.clone(), v)
        })
        .collect();
    out.sort();
    out
}

impl Server {
    /// The server's log file (`RUST_LOG=info`: one line per request).
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }
}

impl Server {
    /// Process id of the server (for signal tests).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `secs` for the server process to exit; its exit status if it did.
    pub fn wait_exit(&mut self, secs: u64) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

// ---- The JSON API and the command line's --json output (organisation tests) ----

pub use serde_json::{Value, json};

/// An API answer: the raw response and its body parsed as JSON (`Null` when empty).
#[derive(Debug, Clone)]
pub struct ApiResp {
    /// The response.
    pub resp: Resp,
    /// The body as JSON.
    pub json: Value,
}

impl ApiResp {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.resp.status
    }
}

/// Calls the JSON API as `user` (`None`: without credentials), with an optional JSON body.
pub fn api(
    s: &Server,
    user: Option<&User>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> ApiResp {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let headers: &[(&str, &str)] = if bytes.is_empty() {
        &[]
    } else {
        &[("Content-Type", "application/json")]
    };
    let resp = s.request(method, path, user, headers, &bytes);
    let json = if resp.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&resp.body)
            .unwrap_or_else(|e| panic!("{method} {path}: body is not JSON ({e}): {}", resp.text()))
    };
    ApiResp { resp, json }
}

/// Calls the API and asserts the status; the JSON body.
#[track_caller]
pub fn api_ok(
    s: &Server,
    user: &User,
    method: &str,
    path: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let r = api(s, Some(user), method, path, body);
    assert_eq!(r.status(), status, "{method} {path}: {}", r.resp.text());
    r.json
}

/// Asserts an API error: its status, `{"error": code}` and a non-empty message.
#[track_caller]
pub fn assert_api_error(r: &ApiResp, status: u16, code: &str) {
    assert_eq!(r.status(), status, "status; body: {}", r.resp.text());
    assert_eq!(r.json["error"], code, "error code; body: {}", r.resp.text());
    assert!(
        r.json["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message; body: {}",
        r.resp.text()
    );
    assert_eq!(r.resp.header("content-type"), Some("application/json"));
}

/// The API path of an organisation (`rest` appended, e.g. `/members`).
pub fn org_path(id: i64, rest: &str) -> String {
    format!("/api/v1/organisations/{id}{rest}")
}

/// The id of the organisation named `name` among those `user` sees.
#[track_caller]
pub fn org_id_of(s: &Server, user: &User, name: &str) -> i64 {
    let orgs = api_ok(s, user, "GET", "/api/v1/organisations", None, 200);
    orgs.as_array()
        .expect("array")
        .iter()
        .find(|o| o["name"] == name)
        .and_then(|o| o["id"].as_i64())
        .unwrap_or_else(|| panic!("{} does not see {name}: {orgs}", user.login))
}

impl Server {
    /// Runs the CLI with `--json` and asserts success; its output parsed.
    #[track_caller]
    pub fn cli_json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.cli_ok(&all, stdin);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: output is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Runs the CLI, asserts failure, and returns its error output.
    #[track_caller]
    pub fn cli_err(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.cli(args, stdin);
        assert!(
            !out.status.success(),
            "{args:?} succeeded: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs a command that must fail, with nothing on standard output, and reads its JSON
    /// error (the command line's `--json` failures are the API's error body).
    #[track_caller]
    pub fn cli_json_err(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.cli(args, stdin);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stderr is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Creates an account in organisation `org` (joined as user when it exists, created with
    /// the account as legal owner when not), with a unique login.
    pub fn new_user_in(&self, prefix: &str, org: &str) -> User {
        self.new_user_with(prefix, &["--org", org])
    }
}
