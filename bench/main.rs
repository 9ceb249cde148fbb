//! `davsuite-bench`: measures the real `davsuite` server on the operations that decide how a
//! sync client feels with a large account.
//!
//! ```text
//! cargo build --release && cargo run --release --bin davsuite-bench [-- --events N --contacts N]
//! ```
//!
//! The benchmark starts the release `davsuite` binary that sits next to its own executable
//! (`target/release/davsuite`; `cargo run --bin davsuite-bench` does not rebuild it, hence the
//! `cargo build --release` first) as a separate process, in a fresh temporary data directory,
//! with the default configuration: `info` logging, one line per request, written to a file in
//! that directory, so the figures include the cost of logging as deployed. It then:
//!
//! 1. seeds a calendar (`/dav/calendars/admin/personal/`) with 10,000 varied VEVENTs (~600
//!    bytes, unique UIDs, one in five recurring weekly) and an address book
//!    (`/dav/addressbooks/admin/contacts/`) with 10,000 vCard 3.0 contacts (~300 bytes), by PUT
//!    over 4 concurrent keep-alive connections, and reports the PUT rate of each;
//! 2. times, 20 runs after 2 warm-ups each (min / median / p95 in ms, client-side wall time from
//!    the first byte sent to the last byte received, next to the server's own `ms=` figure from
//!    its log):
//!    - PROPFIND Depth 1 asking for `getetag` on the calendar and on the address book (checks
//!      that 10,001 responses come back),
//!    - calendar-multiget of 500 random hrefs with `getetag` and `calendar-data` (checks 500
//!      responses, none missing), and the same for addressbook-multiget,
//!    - incremental sync-collection after 10 fresh changes per run (4 modified, 3 created,
//!      3 deleted; checks exactly 10 responses, 3 of them 404);
//! 3. measures GET throughput with 16 concurrent keep-alive clients over random event hrefs
//!    (req/s, latency p50/p99);
//! 4. reads the server's peak and current resident memory (`VmHWM`, `VmRSS`).
//!
//! The results are printed as a table next to the targets (PROPFIND Depth 1 on 10,000 items
//! < 80 ms, multiget of 500 < 40 ms, incremental sync < 5 ms, GET > 10,000 req/s; latency
//! targets are judged on the median), each marked PASS or FAIL. Missing a target still exits 0:
//! this is a measurement. A failed correctness check (a wrong response count, an unexpected
//! status) exits 1; a setup failure (no server binary, server does not start) exits 2.
//!
//! With `--queries` it measures calendar-query, free-busy-query and addressbook-query on a
//! large account instead (100,000 events, 50,000 contacts, then twice as many; see
//! `queries.rs`). With `--import` it measures importing and exporting files of `--events`
//! events and `--contacts` contacts through the API and the command line (see `import.rs`).
//!
//! The client is a minimal HTTP/1.1 keep-alive client on `std::net::TcpStream` with one thread
//! per connection (see `http.rs`), so it costs little next to the server. Client and server
//! share the machine's cores: on a small machine the GET rate is bounded by both.

mod data;
mod http;
mod import;
mod qdata;
mod queries;
mod server;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use clap::Parser;

use data::Rng;
use http::{Client, Response};
use server::{LogLine, Server};

/// Calendar under test.
const CALENDAR: &str = "/dav/calendars/admin/personal/";
/// Address book under test.
const ADDRESSBOOK: &str = "/dav/addressbooks/admin/contacts/";

/// Targets.
const TARGET_PROPFIND_MS: f64 = 80.0;
const TARGET_MULTIGET_MS: f64 = 40.0;
const TARGET_SYNC_MS: f64 = 5.0;
const TARGET_GET_RPS: f64 = 10_000.0;

/// Changes made before each timed incremental sync.
const SYNC_MODIFY: usize = 4;
const SYNC_CREATE: usize = 3;
const SYNC_DELETE: usize = 3;

/// Command line.
#[derive(Debug, Parser)]
#[command(
    name = "davsuite-bench",
    about = "Benchmark the release davsuite server (build it first: cargo build --release)"
)]
struct Args {
    /// Events to seed the calendar with (at least 10).
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// Contacts to seed the address book with (at least 1).
    #[arg(long, default_value_t = 10_000)]
    contacts: usize,
    /// Timed runs per latency measurement.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Untimed warm-up runs before them.
    #[arg(long, default_value_t = 2)]
    warmups: usize,
    /// Concurrent connections used to seed with PUT.
    #[arg(long, default_value_t = 4)]
    put_clients: usize,
    /// Concurrent connections of the GET throughput test.
    #[arg(long, default_value_t = 16)]
    get_clients: usize,
    /// Total GET requests of the throughput test.
    #[arg(long, default_value_t = 20_000)]
    get_requests: usize,
    /// Hrefs per multiget.
    #[arg(long, default_value_t = 500)]
    multiget: usize,
    /// Server binary (default: `davsuite` next to this executable).
    #[arg(long)]
    server: Option<PathBuf>,
    /// Keep the temporary directory (database and server log) afterwards.
    #[arg(long)]
    keep: bool,
    /// Run the query benchmark (calendar-query, free-busy-query, addressbook-query on a large
    /// account, then on twice as much) instead of the default measurements.
    #[arg(long)]
    queries: bool,
    /// Measure importing and exporting a file of --events events and one of --contacts
    /// contacts (API, GET, command line) instead of the default measurements.
    #[arg(long)]
    import: bool,
    /// Events of the query benchmark (one in twenty recurring).
    #[arg(long, default_value_t = 100_000)]
    query_events: usize,
    /// Contacts of the query benchmark.
    #[arg(long, default_value_t = 50_000)]
    query_contacts: usize,
    /// Query benchmark: measure the given size only, not the doubled collection as well.
    #[arg(long)]
    no_double: bool,
}

/// Exit code for a failed correctness check.
const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code for a setup failure.
const EXIT_SETUP: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    if args.events < 10 || args.contacts < 1 || args.runs < 1 || args.put_clients < 1 {
        eprintln!(
            "davsuite-bench: need --events >= 10, --contacts >= 1, --runs >= 1, --put-clients >= 1"
        );
        return ExitCode::from(EXIT_SETUP);
    }
    let result = if args.queries {
        queries::run(&args)
    } else if args.import {
        import::run(&args)
    } else {
        run(&args)
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_CHECK_FAILED),
        Err(e) => {
            eprintln!("davsuite-bench: error: {e}");
            ExitCode::from(EXIT_SETUP)
        }
    }
}

/// Correctness failures collected during the run.
#[derive(Debug, Default)]
struct Checks {
    failures: Vec<String>,
}

impl Checks {
    /// Records a failure.
    fn fail(&mut self, what: String) {
        eprintln!("CHECK FAILED: {what}");
        self.failures.push(what);
    }

    /// Prints the verdict of a run; on failure keeps the server's data directory and log for
    /// inspection. True when every check passed.
    fn conclude(&self, server: &mut Server) -> bool {
        println!();
        if self.failures.is_empty() {
            println!("All correctness checks passed.");
            return true;
        }
        println!("{} correctness check(s) FAILED:", self.failures.len());
        for f in &self.failures {
            println!("  - {f}");
        }
        server.keep = true;
        println!(
            "The data directory and the server log are kept in {}",
            server.dir.display()
        );
        false
    }
}

/// One latency measurement: client-side samples and the server's own figures.
#[derive(Debug)]
struct Latency {
    /// What was measured.
    name: String,
    /// Client-side wall times of the timed runs, in ms.
    samples: Vec<f64>,
    /// Server-side `ms=` of the same requests, from the log.
    server: Vec<f64>,
    /// Average response body size, in bytes.
    bytes: usize,
    /// Upper bound on the median, if there is a target.
    target_ms: Option<f64>,
    /// False when a correctness check failed during the measurement.
    ok: bool,
}

/// min / median / p95 (nearest rank) of `samples`; zeros when empty.
fn summary(samples: &[f64]) -> (f64, f64, f64) {
    if samples.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    (s[0], median, percentile_sorted(&s, 95.0))
}

/// Nearest-rank percentile of sorted samples.
fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Median of unsorted values.
fn median(values: &[f64]) -> f64 {
    summary(values).1
}

/// Number of elements whose local name is `response` (whatever the prefix).
fn count_elements(body: &[u8], local: &str) -> usize {
    let local = local.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while let Some(off) = body[i..].iter().position(|&b| b == b'<') {
        let start = i + off + 1;
        i = start;
        let rest = &body[start..];
        if rest
            .first()
            .is_some_and(|&b| b == b'/' || b == b'?' || b == b'!')
        {
            continue;
        }
        let end = rest
            .iter()
            .position(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let name = match name.iter().position(|&b| b == b':') {
            Some(c) => &name[c + 1..],
            None => name,
        };
        if name == local {
            count += 1;
        }
    }
    count
}

/// Number of `404` statuses in a multistatus body.
fn count_404(body: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = body;
    while let Some(p) = http::find(rest, b"HTTP/1.1 404") {
        n += 1;
        rest = &rest[p + 12..];
    }
    n
}

/// The text of the first `sync-token` element.
fn sync_token_of(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let open = text.find("sync-token>")? + "sync-token>".len();
    let close = text[open..].find('<')? + open;
    Some(text[open..close].trim().to_owned())
}

/// Escapes text for XML content.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Fails unless `resp` has status `want`.
fn expect_status(resp: &Response, want: u16, what: &str) -> Result<(), String> {
    if resp.status == want {
        Ok(())
    } else {
        Err(format!("{what}: expected {want}, got {}", resp.describe()))
    }
}

fn run(args: &Args) -> Result<bool, String> {
    let binary = server::locate_binary(args.server.as_deref())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("davsuite-bench");
    if cfg!(debug_assertions) {
        println!(
            "  WARNING: the benchmark itself is a debug build; use `cargo run --release --bin davsuite-bench`"
        );
    }
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            let t: chrono::DateTime<chrono::Local> = t.into();
            t.format("%Y-%m-%d %H:%M:%S").to_string()
        })
        .unwrap_or_else(|| "?".into());
    let mut server = Server::start(&binary)?;
    server.keep = args.keep;
    println!(
        "  server  {} (built {built}), pid {}, listening on {}",
        binary.display(),
        server.pid(),
        server.addr
    );
    println!(
        "  log     {} (default `info` filter: one line per request)",
        server.log.display()
    );
    println!("  machine {cores} CPU(s), shared by the server and the benchmark's client threads");
    let password = server.admin_password.clone();
    let addr = server.addr;
    let mut checks = Checks::default();
    let mut client = Client::new(addr, "admin", &password);

    // The first request pays for the password hash; keep it out of every measurement.
    let probe = client.request("PROPFIND", CALENDAR, &[("Depth", "0")], PROPFIND_ETAG)?;
    expect_status(&probe, 207, "PROPFIND Depth 0 of the calendar")?;

    // --- Seeding -------------------------------------------------------------------------
    println!();
    println!(
        "Seeding with PUT over {} keep-alive connections",
        args.put_clients
    );
    let events: Vec<(String, Vec<u8>)> = (0..args.events)
        .map(|i| {
            (
                format!("{CALENDAR}{}", data::event_name(i)),
                data::event(i, 0).into_bytes(),
            )
        })
        .collect();
    let contacts: Vec<(String, Vec<u8>)> = (0..args.contacts)
        .map(|i| {
            (
                format!("{ADDRESSBOOK}{}", data::contact_name(i)),
                data::contact(i).into_bytes(),
            )
        })
        .collect();
    let avg_event = events.iter().map(|(_, b)| b.len()).sum::<usize>() / events.len();
    let avg_contact = contacts.iter().map(|(_, b)| b.len()).sum::<usize>() / contacts.len();
    println!(
        "  {:<10} {:>7} {:>9} {:>10} {:>12} {:>12}",
        "", "count", "avg size", "time", "rate", "server p50"
    );
    let mut put_rates = Vec::new();
    for (label, items, ct) in [
        ("events", &events, "text/calendar; charset=utf-8"),
        ("contacts", &contacts, "text/vcard; charset=utf-8"),
    ] {
        let (elapsed, server_ms) = seed(&server, addr, &password, args.put_clients, items, ct)?;
        let rate = items.len() as f64 / elapsed.as_secs_f64();
        let avg = if label == "events" {
            avg_event
        } else {
            avg_contact
        };
        println!(
            "  {:<10} {:>7} {:>7} B {:>8.2} s {:>8.0} req/s {:>9.2} ms",
            label,
            items.len(),
            avg,
            elapsed.as_secs_f64(),
            rate,
            median(&server_ms)
        );
        put_rates.push((label, rate));
    }
    let after_seed = server.memory().ok();

    // --- Latency measurements --------------------------------------------------------------
    let mut latencies: Vec<Latency> = Vec::new();
    let cal_members = args.events + 1;
    latencies.push(measure(
        &server,
        &mut client,
        &mut checks,
        &format!("PROPFIND Depth 1 getetag, calendar ({cal_members} resp.)"),
        Some(TARGET_PROPFIND_MS),
        ("PROPFIND", CALENDAR),
        args,
        |c, _| {
            let t = Instant::now();
            let r = c.request(
                "PROPFIND",
                CALENDAR,
                &[("Depth", "1"), ("Content-Type", "application/xml")],
                PROPFIND_ETAG,
            )?;
            let d = t.elapsed();
            expect_status(&r, 207, "PROPFIND Depth 1 of the calendar")?;
            let n = count_elements(&r.body, "response");
            if n != cal_members {
                return Err(format!(
                    "PROPFIND Depth 1 of the calendar: {n} responses, expected {cal_members}"
                ));
            }
            Ok((d, r.body.len()))
        },
    ));
    let ab_members = args.contacts + 1;
    latencies.push(measure(
        &server,
        &mut client,
        &mut checks,
        &format!("PROPFIND Depth 1 getetag, address book ({ab_members} resp.)"),
        Some(TARGET_PROPFIND_MS),
        ("PROPFIND", ADDRESSBOOK),
        args,
        |c, _| {
            let t = Instant::now();
            let r = c.request(
                "PROPFIND",
                ADDRESSBOOK,
                &[("Depth", "1"), ("Content-Type", "application/xml")],
                PROPFIND_ETAG,
            )?;
            let d = t.elapsed();
            expect_status(&r, 207, "PROPFIND Depth 1 of the address book")?;
            let n = count_elements(&r.body, "response");
            if n != ab_members {
                return Err(format!(
                    "PROPFIND Depth 1 of the address book: {n} responses, expected {ab_members}"
                ));
            }
            Ok((d, r.body.len()))
        },
    ));

    let k_cal = args.multiget.min(args.events);
    let mut rng = Rng::new(42);
    latencies.push(measure(
        &server,
        &mut client,
        &mut checks,
        &format!("calendar-multiget {k_cal} hrefs, getetag + calendar-data"),
        Some(TARGET_MULTIGET_MS),
        ("REPORT", CALENDAR),
        args,
        |c, _| {
            let hrefs: Vec<String> = rng
                .distinct(args.events, k_cal)
                .into_iter()
                .map(|i| format!("{CALENDAR}{}", data::event_name(i)))
                .collect();
            multiget_once(c, CALENDAR, true, &hrefs)
        },
    ));
    let k_ab = args.multiget.min(args.contacts);
    latencies.push(measure(
        &server,
        &mut client,
        &mut checks,
        &format!("addressbook-multiget {k_ab} hrefs, getetag + address-data"),
        None,
        ("REPORT", ADDRESSBOOK),
        args,
        |c, _| {
            let hrefs: Vec<String> = rng
                .distinct(args.contacts, k_ab)
                .into_iter()
                .map(|i| format!("{ADDRESSBOOK}{}", data::contact_name(i)))
                .collect();
            multiget_once(c, ADDRESSBOOK, false, &hrefs)
        },
    ));

    // Incremental sync. Events numbered from `args.events` up are created (and deleted again)
    // by the rounds; the seeded ones are only modified, so every later GET still finds them.
    let mut created: Vec<usize> = (args.events..args.events + SYNC_DELETE).collect();
    for &i in &created {
        let r = client.request(
            "PUT",
            &format!("{CALENDAR}{}", data::event_name(i)),
            &[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("If-None-Match", "*"),
            ],
            data::event(i, 0).as_bytes(),
        )?;
        expect_status(&r, 201, "PUT before the sync rounds")?;
    }
    let initial_started = Instant::now();
    let initial = client.request(
        "REPORT",
        CALENDAR,
        &[("Content-Type", "application/xml")],
        sync_body("").as_bytes(),
    )?;
    let initial_ms = initial_started.elapsed().as_secs_f64() * 1000.0;
    expect_status(&initial, 207, "initial sync-collection")?;
    let initial_members = count_elements(&initial.body, "response");
    let expected_initial = args.events + SYNC_DELETE;
    if initial_members != expected_initial {
        checks.fail(format!(
            "initial sync-collection: {initial_members} responses, expected {expected_initial}"
        ));
    }
    let mut token = sync_token_of(&initial.body)
        .ok_or("the initial sync-collection answer has no sync-token")?;
    let mut next_new = args.events + SYNC_DELETE;
    let mut round = 0u32;
    latencies.push(measure(
        &server,
        &mut client,
        &mut checks,
        &format!(
            "sync-collection after 10 changes ({SYNC_MODIFY} mod, {SYNC_CREATE} new, {SYNC_DELETE} del)"
        ),
        Some(TARGET_SYNC_MS),
        ("REPORT", CALENDAR),
        args,
        |c, _| {
            round += 1;
            for i in rng.distinct(args.events, SYNC_MODIFY) {
                let r = c.request(
                    "PUT",
                    &format!("{CALENDAR}{}", data::event_name(i)),
                    &[("Content-Type", "text/calendar; charset=utf-8")],
                    data::event(i, round).as_bytes(),
                )?;
                expect_status(&r, 204, "PUT modifying an event")?;
            }
            let mut fresh = Vec::new();
            for _ in 0..SYNC_CREATE {
                let i = next_new;
                next_new += 1;
                let r = c.request(
                    "PUT",
                    &format!("{CALENDAR}{}", data::event_name(i)),
                    &[
                        ("Content-Type", "text/calendar; charset=utf-8"),
                        ("If-None-Match", "*"),
                    ],
                    data::event(i, 0).as_bytes(),
                )?;
                expect_status(&r, 201, "PUT creating an event")?;
                fresh.push(i);
            }
            for i in created.drain(..) {
                let r = c.request("DELETE", &format!("{CALENDAR}{}", data::event_name(i)), &[], b"")?;
                expect_status(&r, 204, "DELETE of an event")?;
            }
            created = fresh;
            let body = sync_body(&token);
            let t = Instant::now();
            let r = c.request(
                "REPORT",
                CALENDAR,
                &[("Content-Type", "application/xml")],
                body.as_bytes(),
            )?;
            let d = t.elapsed();
            expect_status(&r, 207, "incremental sync-collection")?;
            let n = count_elements(&r.body, "response");
            let gone = count_404(&r.body);
            if n != 10 || gone != SYNC_DELETE {
                return Err(format!(
                    "incremental sync-collection: {n} responses with {gone} 404s, expected 10 with {SYNC_DELETE}"
                ));
            }
            token = sync_token_of(&r.body).ok_or("sync-collection answer without sync-token")?;
            Ok((d, r.body.len()))
        },
    ));

    // --- GET throughput ----------------------------------------------------------------------
    let get_from = server.log_position();
    let server_pid = server.pid().to_string();
    let cpu_before = (
        server::cpu_seconds(&server_pid),
        server::cpu_seconds("self"),
    );
    let get = get_rate(addr, &password, args, &mut checks)?;
    let cpu_after = (
        server::cpu_seconds(&server_pid),
        server::cpu_seconds("self"),
    );
    let get_server: Vec<f64> = server
        .log_requests(get_from, server.log_position())
        .iter()
        .filter(|l| l.method == "GET")
        .map(|l| l.ms)
        .collect();

    let memory = server.memory();
    let log_lines = server.log_lines();
    let alive = server.running();
    if !alive {
        checks.fail("the server exited during the benchmark".into());
    }

    // --- Report --------------------------------------------------------------------------------
    println!();
    println!(
        "Latency: {} runs after {} warm-ups; client wall time in ms (server = median of the log's ms=)",
        args.runs, args.warmups
    );
    println!(
        "  {:<58} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}  result",
        "measurement", "min", "median", "p95", "server", "resp.", "target"
    );
    for l in &latencies {
        let (min, med, p95) = summary(&l.samples);
        let target = l
            .target_ms
            .map_or_else(|| "-".to_owned(), |t| format!("< {t:.0}"));
        let result = match (l.ok, l.target_ms) {
            (false, _) => "CHECK FAILED",
            (true, Some(t)) if med < t => "PASS",
            (true, Some(_)) => "FAIL",
            (true, None) => "(info)",
        };
        println!(
            "  {:<58} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>6} KB {:>9}  {}",
            l.name,
            min,
            med,
            p95,
            median(&l.server),
            l.bytes / 1024,
            target,
            result
        );
    }
    println!(
        "  {:<58} {:>8.2} {:>8} {:>8} {:>8} {:>6} KB {:>9}  (info)",
        format!("initial sync-collection getetag ({initial_members} resp., once)"),
        initial_ms,
        "",
        "",
        "",
        initial.body.len() / 1024,
        "-",
    );

    println!();
    println!(
        "GET throughput: {} keep-alive clients, {} requests over random event hrefs",
        args.get_clients, get.requests
    );
    let get_result = if !get.ok {
        "CHECK FAILED"
    } else if get.rate > TARGET_GET_RPS {
        "PASS"
    } else {
        "FAIL"
    };
    println!(
        "  {:>10.0} req/s   latency p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms   server p50 {:.3} ms   target > {:.0} req/s   {}",
        get.rate,
        get.p50,
        get.p99,
        get.max,
        median(&get_server),
        TARGET_GET_RPS,
        get_result
    );

    if let ((Some(s0), Some(c0)), (Some(s1), Some(c1))) = (cpu_before, cpu_after) {
        let wall = get.elapsed.max(1e-9);
        println!(
            "  CPU used during the test: server {:.2} cores, benchmark clients {:.2} cores (of {cores})",
            (s1 - s0) / wall,
            (c1 - c0) / wall
        );
    }

    println!();
    match memory {
        Ok(m) => println!(
            "Server memory: peak VmHWM {:.1} MiB, VmRSS {:.1} MiB at the end{}",
            m.peak_kib as f64 / 1024.0,
            m.current_kib as f64 / 1024.0,
            after_seed.map_or_else(String::new, |s| format!(
                " ({:.1} MiB after seeding)",
                s.current_kib as f64 / 1024.0
            ))
        ),
        Err(e) => println!("Server memory: unavailable ({e})"),
    }
    println!("Server log: {log_lines} lines");

    println!();
    println!("Targets");
    for l in &latencies {
        if let Some(t) = l.target_ms {
            let (_, med, _) = summary(&l.samples);
            let verdict = if !l.ok {
                "CHECK FAILED"
            } else if med < t {
                "PASS"
            } else {
                "FAIL"
            };
            println!(
                "  {:<58} median {:>8.2} ms   target < {:>5.0} ms   {}",
                l.name, med, t, verdict
            );
        }
    }
    println!(
        "  {:<58} {:>10.0} req/s   target > {:.0} req/s   {}",
        format!("GET, {} clients", args.get_clients),
        get.rate,
        TARGET_GET_RPS,
        get_result
    );
    for (label, rate) in &put_rates {
        println!(
            "  {:<58} {:>10.0} req/s   (info)",
            format!("PUT {label}, {} clients", args.put_clients),
            rate
        );
    }

    Ok(checks.conclude(&mut server))
}

/// PROPFIND body asking for `getetag` only.
const PROPFIND_ETAG: &[u8] = br#"<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"#;

/// A calendar-multiget (or addressbook-multiget) body for `hrefs`.
/// One calendar-multiget (`calendar`) or addressbook-multiget of `hrefs` on `collection`,
/// checked to return every member with its data and no 404; (time, response bytes).
fn multiget_once(
    c: &mut Client,
    collection: &str,
    calendar: bool,
    hrefs: &[String],
) -> Result<(Duration, usize), String> {
    let (label, data_el) = if calendar {
        ("calendar-multiget", "calendar-data")
    } else {
        ("addressbook-multiget", "address-data")
    };
    let body = multiget_body(calendar, hrefs);
    let t = Instant::now();
    let r = c.request(
        "REPORT",
        collection,
        &[("Depth", "1"), ("Content-Type", "application/xml")],
        body.as_bytes(),
    )?;
    let d = t.elapsed();
    expect_status(&r, 207, label)?;
    let (n, data, missing) = (
        count_elements(&r.body, "response"),
        count_elements(&r.body, data_el),
        count_404(&r.body),
    );
    let k = hrefs.len();
    if n != k || data != k || missing != 0 {
        return Err(format!(
            "{label}: {n} responses, {data} {data_el}, {missing} 404s; expected {k}, {k}, 0"
        ));
    }
    Ok((d, r.body.len()))
}

fn multiget_body(calendar: bool, hrefs: &[String]) -> String {
    let (root, ns, data) = if calendar {
        (
            "C:calendar-multiget",
            "urn:ietf:params:xml:ns:caldav",
            "C:calendar-data",
        )
    } else {
        (
            "C:addressbook-multiget",
            "urn:ietf:params:xml:ns:carddav",
            "C:address-data",
        )
    };
    let mut body = String::with_capacity(200 + hrefs.len() * 90);
    body.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<{root} xmlns:D=\"DAV:\" xmlns:C=\"{ns}\"><D:prop><D:getetag/><{data}/></D:prop>"
    ));
    for h in hrefs {
        body.push_str("<D:href>");
        body.push_str(&xml_escape(h));
        body.push_str("</D:href>");
    }
    body.push_str(&format!("</{root}>"));
    body
}

/// A sync-collection body from `token` ("" for the initial sync) asking for `getetag`.
fn sync_body(token: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>",
        xml_escape(token)
    )
}

/// Runs `once` `warmups + runs` times and keeps the timed runs. `once` does any untimed
/// preparation itself and returns the duration of the request it timed and the response size;
/// an error is a failed correctness check and ends the measurement. Server-side figures are
/// the log lines of the timed runs whose method and path are `server_filter`.
#[allow(clippy::too_many_arguments)]
fn measure(
    server: &Server,
    client: &mut Client,
    checks: &mut Checks,
    name: &str,
    target_ms: Option<f64>,
    server_filter: (&str, &str),
    args: &Args,
    mut once: impl FnMut(&mut Client, usize) -> Result<(Duration, usize), String>,
) -> Latency {
    eprint!("measuring {name} ...");
    let mut latency = Latency {
        name: name.to_owned(),
        samples: Vec::with_capacity(args.runs),
        server: Vec::new(),
        bytes: 0,
        target_ms,
        ok: true,
    };
    let mut from = server.log_position();
    let mut bytes = 0usize;
    for run in 0..args.warmups + args.runs {
        if run == args.warmups {
            from = server.log_position();
        }
        match once(client, run) {
            Ok((d, size)) => {
                if run >= args.warmups {
                    latency.samples.push(d.as_secs_f64() * 1000.0);
                    bytes += size;
                }
            }
            Err(e) => {
                checks.fail(format!("{name}: {e}"));
                latency.ok = false;
                break;
            }
        }
    }
    latency.server = server
        .log_requests(from, server.log_position())
        .iter()
        .filter(|l: &&LogLine| {
            l.method == server_filter.0 && l.path == server_filter.1 && l.status < 400
        })
        .map(|l| l.ms)
        .collect();
    latency.bytes = bytes / latency.samples.len().max(1);
    let (_, med, _) = summary(&latency.samples);
    eprintln!(" median {med:.2} ms");
    latency
}

/// PUTs all `items` over `clients` connections and returns the wall time with the server's
/// own time for each PUT (from its log).
pub(crate) fn seed(
    server: &Server,
    addr: SocketAddr,
    password: &str,
    clients: usize,
    items: &[(String, Vec<u8>)],
    content_type: &str,
) -> Result<(Duration, Vec<f64>), String> {
    let from = server.log_position();
    let elapsed = put_all(addr, password, clients, items, content_type)?;
    let server_ms = server
        .log_requests(from, server.log_position())
        .iter()
        .filter(|l| l.method == "PUT")
        .map(|l| l.ms)
        .collect();
    Ok((elapsed, server_ms))
}

/// PUTs all `items` (path, body) over `clients` connections; every PUT must give 201.
fn put_all(
    addr: SocketAddr,
    password: &str,
    clients: usize,
    items: &[(String, Vec<u8>)],
    content_type: &str,
) -> Result<Duration, String> {
    let started = Instant::now();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|t| {
                scope.spawn(move || -> Result<(), String> {
                    let mut c = Client::new(addr, "admin", password);
                    for (path, body) in items.iter().skip(t).step_by(clients) {
                        let r = c.request(
                            "PUT",
                            path,
                            &[("Content-Type", content_type), ("If-None-Match", "*")],
                            body,
                        )?;
                        expect_status(&r, 201, &format!("PUT {path}"))?;
                        if r.etag.is_none() {
                            return Err(format!("PUT {path}: 201 without an ETag"));
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| "a PUT thread panicked".to_owned())??;
        }
        Ok::<(), String>(())
    })?;
    Ok(started.elapsed())
}

/// Result of the GET throughput test.
#[derive(Debug)]
struct GetRate {
    requests: usize,
    /// Wall time of the timed part, in seconds.
    elapsed: f64,
    rate: f64,
    p50: f64,
    p99: f64,
    max: f64,
    ok: bool,
}

/// GETs random seeded events with `args.get_clients` keep-alive connections.
fn get_rate(
    addr: SocketAddr,
    password: &str,
    args: &Args,
    checks: &mut Checks,
) -> Result<GetRate, String> {
    eprint!("measuring GET throughput ...");
    let clients = args.get_clients.max(1);
    let per_client = args.get_requests.div_ceil(clients).max(1);
    let paths: Arc<Vec<String>> = Arc::new(
        (0..args.events)
            .map(|i| format!("{CALENDAR}{}", data::event_name(i)))
            .collect(),
    );
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut handles = Vec::with_capacity(clients);
    for t in 0..clients {
        let paths = paths.clone();
        let barrier = barrier.clone();
        let password = password.to_owned();
        handles.push(std::thread::spawn(move || -> (Vec<f64>, Option<String>) {
            let mut c = Client::new(addr, "admin", &password);
            let mut rng = Rng::new(1000 + t as u64);
            // Connect and warm the connection up before the clock starts.
            let warm = (|| -> Result<(), String> {
                c.connect()?;
                for _ in 0..3 {
                    let r = c.request("GET", rng.pick(paths.as_slice()).as_str(), &[], b"")?;
                    expect_status(&r, 200, "GET of an event")?;
                }
                Ok(())
            })();
            barrier.wait();
            if let Err(e) = warm {
                return (Vec::new(), Some(e));
            }
            let mut times = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let path = rng.pick(paths.as_slice()).as_str();
                let started = Instant::now();
                match c.request("GET", path, &[], b"") {
                    Ok(r) if r.status == 200 && !r.body.is_empty() => {
                        times.push(started.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok(r) => return (times, Some(format!("GET {path}: {}", r.describe()))),
                    Err(e) => return (times, Some(e)),
                }
            }
            (times, None)
        }));
    }
    barrier.wait();
    let started = Instant::now();
    let mut all = Vec::with_capacity(per_client * clients);
    let mut ok = true;
    for h in handles {
        let (times, err) = h.join().map_err(|_| "a GET thread panicked".to_owned())?;
        all.extend(times);
        if let Some(e) = err {
            if ok {
                checks.fail(format!("GET throughput: {e}"));
            }
            ok = false;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let rate = all.len() as f64 / elapsed;
    eprintln!(" {rate:.0} req/s");
    Ok(GetRate {
        requests: all.len(),
        elapsed,
        rate,
        p50: percentile_sorted(&all, 50.0),
        p99: percentile_sorted(&all, 99.0),
        max: all.last().copied().unwrap_or(0.0),
        ok,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_elements_whatever_the_prefix() {
        let body = br#"<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href></D:response><response/><x:response xmlns:x="DAV:"></x:response><D:responsedescription/></D:multistatus>"#;
        assert_eq!(count_elements(body, "response"), 3);
        assert_eq!(count_elements(body, "href"), 1);
    }

    #[test]
    fn statistics() {
        let s: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(summary(&s), (1.0, 10.5, 19.0));
        assert_eq!(percentile_sorted(&s, 99.0), 20.0);
    }

    #[test]
    fn reads_the_sync_token() {
        let body =
            b"<D:multistatus><D:sync-token>urn:davsuite:sync:1:7</D:sync-token></D:multistatus>";
        assert_eq!(
            sync_token_of(body).as_deref(),
            Some("urn:davsuite:sync:1:7")
        );
    }
}
