//! `--import`: importing and exporting files of many objects (issue 6: 10,000 events or
//! contacts imported in under 3 seconds).
//!
//! Builds an `.ics` export of `--events` events (the generator's events in one VCALENDAR, as
//! calendar applications export them) and a `.vcf` of `--contacts` contacts, then times, each
//! once (an import is a one-off, not a latency):
//!
//! - the import of each file through the API (`POST /api/v1/.../import`, the file as the
//!   body) into the account's empty default calendar / address book, checking that every
//!   object was created and none rejected (target < 3 s);
//! - the same file again, checking that every object is reported unchanged (target < 3 s);
//! - the export of each collection by GET on its URL (streamed), checking the object count;
//! - `davsuite import FILE --into ...` of the calendar file into a second calendar (a new
//!   process on the same database while the server runs, so process start and opening the
//!   database are included);
//!
//! and the server's peak resident memory afterwards. The API takes bodies up to the server's
//! `limits.max_request_body` (10 MiB by default, about 16,000 generated events); the command
//! line has no such limit.

use std::process::Command;
use std::time::Instant;

use crate::http::Client;
use crate::server::{self, Server};
use crate::{ADDRESSBOOK, Args, CALENDAR, Checks, PROPFIND_ETAG, data, expect_status};

/// The target for importing 10,000 objects, in seconds.
const TARGET_S: f64 = 3.0;

/// The second calendar, imported into by the command line.
const CLI_CALENDAR: &str = "/dav/calendars/admin/cli-import/";

/// The generator's events as one export: one VCALENDAR holding every VEVENT.
fn calendar_file(events: usize) -> String {
    let mut file = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//bench export//EN\r\nMETHOD:PUBLISH\r\n",
    );
    for i in 0..events {
        let object = data::event(i, 0);
        let start = object.find("BEGIN:VEVENT").unwrap_or(0);
        let end = object.rfind("END:VCALENDAR").unwrap_or(object.len());
        file.push_str(&object[start..end]);
    }
    file.push_str("END:VCALENDAR\r\n");
    file
}

/// One timed step: what, seconds, whether it has the 3 s target.
struct Step {
    what: String,
    seconds: f64,
    targeted: bool,
}

/// Imports `file` into `collection` through the API; checks the report's counts.
fn import_api(
    client: &mut Client,
    collection: &str,
    file: &[u8],
    expect: (&str, usize),
    checks: &mut Checks,
) -> Result<f64, String> {
    let path = format!(
        "/api/v1/{}/import",
        collection.trim_start_matches("/dav/").trim_end_matches('/')
    );
    let started = Instant::now();
    let resp = client.request("POST", &path, &[("Content-Type", "text/calendar")], file)?;
    let seconds = started.elapsed().as_secs_f64();
    expect_status(&resp, 200, &format!("import into {collection}"))?;
    let report: serde_json::Value = serde_json::from_slice(&resp.body)
        .map_err(|e| format!("import answer is not JSON: {e}"))?;
    let (field, n) = expect;
    let rejected = report["rejected"].as_array().map_or(usize::MAX, Vec::len);
    if report[field].as_u64() != Some(n as u64) || rejected != 0 {
        checks.fail(format!(
            "import into {collection}: expected {n} {field} and none rejected, got {}",
            String::from_utf8_lossy(&resp.body)
                .chars()
                .take(300)
                .collect::<String>()
        ));
    }
    Ok(seconds)
}

/// Exports `collection` by GET; checks that it holds `n` objects (`marker` each).
fn export(
    client: &mut Client,
    collection: &str,
    marker: &[u8],
    n: usize,
    checks: &mut Checks,
) -> Result<(f64, usize), String> {
    let started = Instant::now();
    let resp = client.request("GET", collection, &[], b"")?;
    let seconds = started.elapsed().as_secs_f64();
    expect_status(&resp, 200, &format!("export of {collection}"))?;
    let found = resp
        .body
        .windows(marker.len())
        .filter(|w| *w == marker)
        .count();
    if found != n {
        checks.fail(format!(
            "export of {collection}: {found} objects, expected {n}"
        ));
    }
    Ok((seconds, resp.body.len()))
}

/// Runs the import benchmark; Ok(false) when a correctness check failed.
pub fn run(args: &Args) -> Result<bool, String> {
    let binary = server::locate_binary(args.server.as_deref())?;
    println!("davsuite-bench --import");
    if cfg!(debug_assertions) {
        println!("  WARNING: the benchmark itself is a debug build");
    }
    let mut server = Server::start(&binary)?;
    server.keep = args.keep;
    println!(
        "  server  {}, pid {}, listening on {}",
        binary.display(),
        server.pid(),
        server.addr
    );
    let mut checks = Checks::default();
    let mut client = Client::new(server.addr, "admin", &server.admin_password);
    let probe = client.request("PROPFIND", CALENDAR, &[("Depth", "0")], PROPFIND_ETAG)?;
    expect_status(&probe, 207, "PROPFIND Depth 0 of the calendar")?;

    let ics = calendar_file(args.events);
    let vcf: String = (0..args.contacts).map(data::contact).collect();
    println!(
        "  files   {} events in {:.1} MB, {} contacts in {:.1} MB",
        args.events,
        ics.len() as f64 / 1e6,
        args.contacts,
        vcf.len() as f64 / 1e6
    );
    let mut steps = Vec::new();
    let mut step = |what: String, seconds: f64, targeted: bool| {
        steps.push(Step {
            what,
            seconds,
            targeted,
        });
    };
    for (collection, file, n, marker, noun) in [
        (
            CALENDAR,
            ics.as_bytes(),
            args.events,
            &b"BEGIN:VEVENT"[..],
            "events",
        ),
        (
            ADDRESSBOOK,
            vcf.as_bytes(),
            args.contacts,
            &b"BEGIN:VCARD"[..],
            "contacts",
        ),
    ] {
        let s = import_api(&mut client, collection, file, ("created", n), &mut checks)?;
        step(format!("API import of {n} {noun}"), s, true);
        let s = import_api(&mut client, collection, file, ("skipped", n), &mut checks)?;
        step(format!("API re-import of {n} {noun} (unchanged)"), s, true);
        let (s, bytes) = export(&mut client, collection, marker, n, &mut checks)?;
        step(
            format!("GET export of {n} {noun} ({:.1} MB)", bytes as f64 / 1e6),
            s,
            false,
        );
    }

    let made = client.request("MKCALENDAR", CLI_CALENDAR, &[], b"")?;
    expect_status(&made, 201, "MKCALENDAR of the command line's calendar")?;
    let file = server.dir.join("bench-import.ics");
    std::fs::write(&file, &ics).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let started = Instant::now();
    let out = Command::new(&binary)
        .arg("import")
        .arg(&file)
        .arg("--into")
        .arg(CLI_CALENDAR)
        .arg("--data")
        .arg(server.dir.join("data"))
        .env_remove("DAVSUITE_CONFIG")
        .output()
        .map_err(|e| format!("cannot run {} import: {e}", binary.display()))?;
    let s = started.elapsed().as_secs_f64();
    let summary = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !summary.contains(&format!(": {} created,", args.events)) {
        checks.fail(format!(
            "davsuite import: {summary} {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    step(
        format!("davsuite import of {} events (new process)", args.events),
        s,
        true,
    );
    let memory = server.memory()?;

    println!();
    println!("{:<58} {:>9} {:>8}  result", "step", "seconds", "target");
    for st in &steps {
        let (target, verdict) = if st.targeted {
            let scaled = TARGET_S * (n_of(&st.what) as f64 / 10_000.0).max(1.0);
            (
                format!("< {scaled:.1}"),
                if st.seconds < scaled { "PASS" } else { "FAIL" },
            )
        } else {
            (String::from("-"), "")
        };
        println!(
            "{:<58} {:>9.3} {:>8}  {verdict}",
            st.what, st.seconds, target
        );
    }
    println!();
    println!(
        "server memory: peak {:.0} MB, now {:.0} MB",
        memory.peak_kib as f64 / 1024.0,
        memory.current_kib as f64 / 1024.0
    );
    if !checks.failures.is_empty() {
        println!("{} correctness check(s) failed", checks.failures.len());
    }
    Ok(checks.failures.is_empty())
}

/// The object count a step names (its first number).
fn n_of(what: &str) -> usize {
    what.split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(10_000)
}
