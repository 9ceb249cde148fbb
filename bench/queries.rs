//! `--queries`: calendar and contact queries on a large account.
//!
//! Seeds a calendar with `--query-events` events (default 100,000, one in twenty recurring,
//! see `qdata.rs`) and an address book with `--query-contacts` contacts (default 50,000) by PUT
//! over `--put-clients` keep-alive connections, then times (`--runs` after `--warmups`):
//!
//! - calendar-query VEVENT time-range over one month (2025-03) and one year (2025) asking for
//!   `getetag` and `calendar-data` (targets: < 25 ms and < 150 ms), and the same with
//!   `getetag` only (for information: what writing the data costs);
//! - free-busy-query over 2025-03 (target < 25 ms);
//! - addressbook-query `contains` on FN (a last name) and on EMAIL (`@domain.`), each matching
//!   about one card in a thousand, with `getetag` and `address-data` (target < 60 ms);
//!
//! checking every answer against the generator's ground truth (the exact set of hrefs, one
//! calendar-data / address-data per match, the total busy time). Then, unless `--no-double`,
//! it adds as many events and contacts again (the collection doubles: items `n .. 2n`) and
//! repeats the measurements. A thread samples the server's `VmRSS` every 20 ms throughout;
//! the peak of each phase and `VmHWM` are reported (target < 150 MB, judged on `VmHWM`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::http::{Client, Response};
use crate::qdata::{self, ContactSpec, EventSpec};
use crate::server::{self, Server};
use crate::{
    ADDRESSBOOK, Args, CALENDAR, Checks, Latency, count_elements, expect_status, measure, median,
    seed, summary, xml_escape,
};

/// Targets of the issue, in ms (medians) and bytes.
const TARGET_MONTH_MS: f64 = 25.0;
const TARGET_YEAR_MS: f64 = 150.0;
const TARGET_FREEBUSY_MS: f64 = 25.0;
const TARGET_CONTACTS_MS: f64 = 60.0;
const TARGET_RSS_BYTES: f64 = 150e6;

/// Last name and e-mail domain searched for (any of the 1,000 would do).
const SEARCH_LAST_NAME: usize = 123;
const SEARCH_DOMAIN: usize = 456;

/// UTC seconds of midnight at the start of a day.
fn day(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date")
        .and_utc()
        .timestamp()
}

/// `20250301T000000Z`.
fn utc_text(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The 1-minute load average, for the report.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// Samples the server's resident set size in the background.
struct Sampler {
    stop: Arc<AtomicBool>,
    /// Largest VmRSS (KiB) since the last [`Sampler::take`].
    max_kib: Arc<AtomicU64>,
    handle: Option<std::thread::JoinHandle<()>>,
}

/// VmRSS of `pid` in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

impl Sampler {
    /// Starts sampling `pid` every 20 ms.
    fn start(pid: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let max_kib = Arc::new(AtomicU64::new(0));
        let (s, m) = (stop.clone(), max_kib.clone());
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(kib) = rss_kib(pid) {
                    m.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Sampler {
            stop,
            max_kib,
            handle: Some(handle),
        }
    }

    /// The largest sample since the previous call, in KiB; starts a new period.
    fn take(&self) -> u64 {
        self.max_kib.swap(0, Ordering::Relaxed)
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Seeding figures of one kind of item.
#[derive(Debug)]
struct Seeded {
    label: &'static str,
    count: usize,
    avg_bytes: usize,
    seconds: f64,
    rate: f64,
    server_p50: f64,
}

/// What one collection size gave.
#[derive(Debug)]
struct Phase {
    events: usize,
    recurring: usize,
    contacts: usize,
    seeded: Vec<Seeded>,
    latencies: Vec<Latency>,
    /// Peak sampled VmRSS during each measurement (same order as `latencies`), KiB.
    rss_kib: Vec<u64>,
    /// Peak sampled VmRSS while seeding and while querying, KiB.
    seed_rss_kib: u64,
    query_rss_kib: u64,
    /// VmHWM and VmRSS at the end of the phase, KiB.
    hwm_kib: u64,
    rss_end_kib: u64,
    /// 1-minute load average before seeding and before the queries.
    load_seed: String,
    load_query: String,
}

/// The final path segments of the `href`s of a multistatus body.
fn href_names(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(p) = rest.find("href>") {
        let before = &rest[..p];
        rest = &rest[p + 5..];
        // An opening tag: `<href>` or `<X:href>`, not `</X:href>`.
        let tag_start = before.rfind('<').map(|s| &before[s..]);
        if tag_start.is_none_or(|t| t.starts_with("</")) {
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let href = rest[..end].trim();
        out.push(href.rsplit('/').next().unwrap_or(href).to_owned());
    }
    out
}

/// Compares the hrefs of `r` (with one `data` element each) with `expected` (sorted names).
fn check_members(r: &Response, expected: &BTreeSet<String>, data: &str) -> Result<(), String> {
    let got: BTreeSet<String> = href_names(&r.body).into_iter().collect();
    let n_data = count_elements(&r.body, data);
    if &got == expected && n_data == expected.len() {
        return Ok(());
    }
    let missing: Vec<&String> = expected.difference(&got).take(3).collect();
    let extra: Vec<&String> = got.difference(expected).take(3).collect();
    Err(format!(
        "{} hrefs and {n_data} {data} for {} expected; {} missing (e.g. {missing:?}), {} unexpected (e.g. {extra:?})",
        got.len(),
        expected.len(),
        expected.difference(&got).count(),
        got.difference(expected).count(),
    ))
}

/// Total length of the union of intervals, in seconds.
fn union_seconds(mut v: Vec<(i64, i64)>) -> i64 {
    v.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i64, i64)> = None;
    for (s, e) in v {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    total + current.map_or(0, |(s, e)| e - s)
}

/// The busy periods of a VFREEBUSY answer (unfolded, every FBTYPE).
fn freebusy_periods(body: &[u8]) -> Result<Vec<(i64, i64)>, String> {
    let text = String::from_utf8_lossy(body).replace("\r\n ", "");
    let parse = |t: &str| {
        chrono::NaiveDateTime::parse_from_str(t, "%Y%m%dT%H%M%SZ")
            .map(|d| d.and_utc().timestamp())
            .map_err(|e| format!("bad FREEBUSY time {t:?}: {e}"))
    };
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("FREEBUSY")) {
        let value = line.split_once(':').map_or("", |(_, v)| v);
        for period in value.split(',') {
            let (s, e) = period
                .split_once('/')
                .ok_or_else(|| format!("bad FREEBUSY period {period:?}"))?;
            out.push((parse(s)?, parse(e)?));
        }
    }
    Ok(out)
}

/// A calendar-query for VEVENTs meeting `[start, end)`, with calendar-data or not.
fn calendar_query_body(start: i64, end: i64, with_data: bool) -> String {
    let data = if with_data { "<C:calendar-data/>" } else { "" };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/>{data}</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"{}\" end=\"{}\"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>",
        utc_text(start),
        utc_text(end)
    )
}

/// An addressbook-query: `prop` contains `needle`, with getetag and address-data.
fn addressbook_query_body(prop: &str, needle: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<C:addressbook-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:carddav\"><D:prop><D:getetag/><C:address-data/></D:prop><C:filter><C:prop-filter name=\"{prop}\"><C:text-match collation=\"i;unicode-casemap\" match-type=\"contains\">{}</C:text-match></C:prop-filter></C:filter></C:addressbook-query>",
        xml_escape(needle)
    )
}

/// Runs the query benchmark; Ok(false) when a correctness check failed.
pub fn run(args: &Args) -> Result<bool, String> {
    let binary = server::locate_binary(args.server.as_deref())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("davsuite-bench --queries");
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
    println!("  log     {}", server.log.display());
    println!("  machine {cores} CPU(s), load average {}", load_average());
    let sampler = Sampler::start(server.pid());
    let password = server.admin_password.clone();
    let addr = server.addr;
    let mut checks = Checks::default();
    let mut client = Client::new(addr, "admin", &password);
    let probe = client.request(
        "PROPFIND",
        CALENDAR,
        &[("Depth", "0")],
        crate::PROPFIND_ETAG,
    )?;
    expect_status(&probe, 207, "PROPFIND Depth 0 of the calendar")?;

    let scales: &[usize] = if args.no_double { &[1] } else { &[1, 2] };
    let mut specs: Vec<EventSpec> = Vec::new();
    let mut cards: Vec<ContactSpec> = Vec::new();
    let mut phases = Vec::new();
    let (month, month_end) = (day(2025, 3, 1), day(2025, 4, 1));
    let (year, year_end) = (day(2025, 1, 1), day(2026, 1, 1));
    for &scale in scales {
        let n_events = args.query_events * scale;
        let n_contacts = args.query_contacts * scale;
        println!();
        println!(
            "Collection x{scale}: seeding to {n_events} events and {n_contacts} contacts with PUT over {} connections",
            args.put_clients
        );
        let load_seed = load_average();
        sampler.take();
        let mut seeded = Vec::new();
        let from_event = specs.len();
        specs.extend((from_event..n_events).map(qdata::event_spec));
        let events: Vec<(String, Vec<u8>)> = specs[from_event..]
            .iter()
            .map(|s| {
                (
                    format!("{CALENDAR}{}", qdata::event_name(s.i)),
                    s.render().into_bytes(),
                )
            })
            .collect();
        let from_contact = cards.len();
        let mut contacts = Vec::with_capacity(n_contacts - from_contact);
        for i in from_contact..n_contacts {
            let (spec, text) = qdata::contact(i);
            cards.push(spec);
            contacts.push((
                format!("{ADDRESSBOOK}{}", qdata::contact_name(i)),
                text.into_bytes(),
            ));
        }
        for (label, items, ct) in [
            ("events", &events, "text/calendar; charset=utf-8"),
            ("contacts", &contacts, "text/vcard; charset=utf-8"),
        ] {
            let (elapsed, server_ms) = seed(&server, addr, &password, args.put_clients, items, ct)?;
            let s = Seeded {
                label,
                count: items.len(),
                avg_bytes: items.iter().map(|(_, b)| b.len()).sum::<usize>() / items.len().max(1),
                seconds: elapsed.as_secs_f64(),
                rate: items.len() as f64 / elapsed.as_secs_f64(),
                server_p50: median(&server_ms),
            };
            println!(
                "  {:<9} {:>7} PUT, avg {:>4} B, {:>7.1} s, {:>6.0} req/s, server p50 {:.2} ms",
                s.label, s.count, s.avg_bytes, s.seconds, s.rate, s.server_p50
            );
            seeded.push(s);
        }
        drop(events);
        drop(contacts);
        let seed_rss_kib = sampler.take();

        // Ground truth.
        let truth_started = Instant::now();
        let names_where = |f: &dyn Fn(&EventSpec) -> bool| -> BTreeSet<String> {
            specs
                .iter()
                .filter(|s| f(s))
                .map(|s| qdata::event_name(s.i))
                .collect()
        };
        let in_month = names_where(&|s| s.overlaps(month, month_end));
        let in_year = names_where(&|s| s.overlaps(year, year_end));
        let mut busy = Vec::new();
        for s in &specs {
            s.busy(month, month_end, &mut busy);
        }
        let busy_seconds = union_seconds(busy);
        let fn_needle = qdata::last_name(SEARCH_LAST_NAME).to_lowercase();
        let email_needle = format!("@{}.", qdata::domain(SEARCH_DOMAIN));
        let cards_where = |f: &dyn Fn(&ContactSpec) -> bool| -> BTreeSet<String> {
            cards
                .iter()
                .enumerate()
                .filter(|(_, c)| f(c))
                .map(|(i, _)| qdata::contact_name(i))
                .collect()
        };
        let fn_hits = cards_where(&|c| c.full_name.to_lowercase().contains(&fn_needle));
        let email_hits = cards_where(&|c| c.email.to_lowercase().contains(&email_needle));
        let recurring = specs.iter().filter(|s| s.rule.is_some()).count();
        eprintln!(
            "ground truth in {:.1} s: month {} events, year {} events, busy {} h, FN {} cards, EMAIL {} cards",
            truth_started.elapsed().as_secs_f64(),
            in_month.len(),
            in_year.len(),
            busy_seconds / 3600,
            fn_hits.len(),
            email_hits.len()
        );

        let load_query = load_average();
        let mut latencies = Vec::new();
        let mut rss = Vec::new();
        let mut query_rss_kib = 0;
        // Peak VmRSS of the measurement just pushed (the sampler restarts for the next one).
        let mut note_rss = |latencies: &Vec<Latency>| {
            while rss.len() < latencies.len() {
                let kib = sampler.take();
                query_rss_kib = query_rss_kib.max(kib);
                rss.push(kib);
            }
        };
        for (label, start, end, expected, target, with_data) in [
            (
                "month 2025-03",
                month,
                month_end,
                &in_month,
                Some(TARGET_MONTH_MS),
                true,
            ),
            (
                "year 2025",
                year,
                year_end,
                &in_year,
                Some(TARGET_YEAR_MS),
                true,
            ),
            ("month 2025-03", month, month_end, &in_month, None, false),
            ("year 2025", year, year_end, &in_year, None, false),
        ] {
            let body = calendar_query_body(start, end, with_data);
            let props = if with_data {
                "getetag + calendar-data"
            } else {
                "getetag only"
            };
            latencies.push(measure(
                &server,
                &mut client,
                &mut checks,
                &format!("calendar-query {label}, {props} ({} match)", expected.len()),
                target,
                ("REPORT", CALENDAR),
                args,
                |c, _| {
                    let t = Instant::now();
                    let r = c.request(
                        "REPORT",
                        CALENDAR,
                        &[("Depth", "1"), ("Content-Type", "application/xml")],
                        body.as_bytes(),
                    )?;
                    let d = t.elapsed();
                    expect_status(&r, 207, "calendar-query")?;
                    if with_data {
                        check_members(&r, expected, "calendar-data")?;
                    } else {
                        check_members(&r, expected, "getetag")?;
                    }
                    Ok((d, r.body.len()))
                },
            ));
            note_rss(&latencies);
        }
        let fb_body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<C:free-busy-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:time-range start=\"{}\" end=\"{}\"/></C:free-busy-query>",
            utc_text(month),
            utc_text(month_end)
        );
        latencies.push(measure(
            &server,
            &mut client,
            &mut checks,
            &format!(
                "free-busy-query month 2025-03 ({} h busy)",
                busy_seconds / 3600
            ),
            Some(TARGET_FREEBUSY_MS),
            ("REPORT", CALENDAR),
            args,
            |c, _| {
                let t = Instant::now();
                let r = c.request(
                    "REPORT",
                    CALENDAR,
                    &[("Depth", "1"), ("Content-Type", "application/xml")],
                    fb_body.as_bytes(),
                )?;
                let d = t.elapsed();
                expect_status(&r, 200, "free-busy-query")?;
                let got = union_seconds(freebusy_periods(&r.body)?);
                if got != busy_seconds {
                    return Err(format!(
                        "{got} s busy in the answer, {busy_seconds} s expected"
                    ));
                }
                Ok((d, r.body.len()))
            },
        ));
        note_rss(&latencies);
        for (prop, needle, expected) in [
            ("FN", &fn_needle, &fn_hits),
            ("EMAIL", &email_needle, &email_hits),
        ] {
            let body = addressbook_query_body(prop, needle);
            latencies.push(measure(
                &server,
                &mut client,
                &mut checks,
                &format!(
                    "addressbook-query {prop} contains {needle:?} ({} match)",
                    expected.len()
                ),
                Some(TARGET_CONTACTS_MS),
                ("REPORT", ADDRESSBOOK),
                args,
                |c, _| {
                    let t = Instant::now();
                    let r = c.request(
                        "REPORT",
                        ADDRESSBOOK,
                        &[("Depth", "1"), ("Content-Type", "application/xml")],
                        body.as_bytes(),
                    )?;
                    let d = t.elapsed();
                    expect_status(&r, 207, "addressbook-query")?;
                    check_members(&r, expected, "address-data")?;
                    Ok((d, r.body.len()))
                },
            ));
            note_rss(&latencies);
        }
        let mem = server.memory()?;
        phases.push(Phase {
            events: n_events,
            recurring,
            contacts: n_contacts,
            seeded,
            latencies,
            rss_kib: rss,
            seed_rss_kib,
            query_rss_kib,
            hwm_kib: mem.peak_kib,
            rss_end_kib: mem.current_kib,
            load_seed,
            load_query,
        });
    }
    drop(sampler);
    if !server.running() {
        checks.fail("the server exited during the benchmark".into());
    }
    report(args, &phases);
    Ok(checks.conclude(&mut server))
}

/// Prints the figures of every phase side by side, then the targets.
fn report(args: &Args, phases: &[Phase]) {
    println!();
    println!(
        "Queries: {} runs after {} warm-ups; client wall time in ms, min / median / p95 (server = median of the log's ms=)",
        args.runs, args.warmups
    );
    for p in phases {
        println!();
        println!(
            "  {} events ({} recurring), {} contacts; load average {} (seeding) / {} (queries)",
            p.events, p.recurring, p.contacts, p.load_seed, p.load_query
        );
        for s in &p.seeded {
            println!(
                "    seeding {:<9} {:>7} PUT  {:>7.1} s  {:>6.0} req/s  server p50 {:.2} ms",
                s.label, s.count, s.seconds, s.rate, s.server_p50
            );
        }
        println!(
            "    {:<66} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>7}  result",
            "measurement", "min", "median", "p95", "server", "resp.", "peak RSS", "target"
        );
        for (l, kib) in p.latencies.iter().zip(&p.rss_kib) {
            let (min, med, p95) = summary(&l.samples);
            println!(
                "    {:<66} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>5} KB {:>5.0} MB {:>7}  {}",
                l.name,
                min,
                med,
                p95,
                median(&l.server),
                l.bytes / 1024,
                *kib as f64 * 1.024e-3,
                l.target_ms
                    .map_or_else(|| "-".to_owned(), |t| format!("< {t:.0}")),
                verdict(l)
            );
        }
        println!(
            "    server memory: peak sampled VmRSS {:.1} MB while seeding, {:.1} MB while querying; VmHWM {:.1} MB, VmRSS {:.1} MB at the end",
            p.seed_rss_kib as f64 * 1.024e-3,
            p.query_rss_kib as f64 * 1.024e-3,
            p.hwm_kib as f64 * 1.024e-3,
            p.rss_end_kib as f64 * 1.024e-3
        );
    }

    println!();
    let header: Vec<String> = phases
        .iter()
        .map(|p| format!("{}k ev / {}k ct", p.events / 1000, p.contacts / 1000))
        .collect();
    println!("Targets (medians; memory = VmHWM)");
    print!("  {:<52}", "");
    for h in &header {
        print!(" {h:>26}");
    }
    println!("  {:>10}", "target");
    if let Some(first) = phases.first() {
        for (k, l) in first.latencies.iter().enumerate() {
            let Some(t) = l.target_ms else { continue };
            let label = l.name.split(" (").next().unwrap_or(&l.name);
            print!("  {label:<52}");
            for p in phases {
                let l = &p.latencies[k];
                print!(" {:>12.2} ms {:>12}", summary(&l.samples).1, verdict(l));
            }
            println!("  {:>7.0} ms", t);
        }
    }
    print!("  {:<52}", "server memory peak (VmHWM)");
    for p in phases {
        let bytes = p.hwm_kib as f64 * 1024.0;
        let v = if bytes < TARGET_RSS_BYTES {
            "PASS"
        } else {
            "FAIL"
        };
        print!(" {:>12.1} MB {v:>12}", bytes / 1e6);
    }
    println!("  {:>7.0} MB", TARGET_RSS_BYTES / 1e6);
    for (k, label) in ["PUT events", "PUT contacts"].iter().enumerate() {
        print!("  {label:<52}");
        for p in phases {
            print!(" {:>9.0} req/s {:>12}", p.seeded[k].rate, "(info)");
        }
        println!();
    }
}

/// PASS / FAIL / CHECK FAILED / (info) of one measurement.
fn verdict(l: &Latency) -> &'static str {
    match (l.ok, l.target_ms) {
        (false, _) => "CHECK FAILED",
        (true, Some(t)) if summary(&l.samples).1 < t => "PASS",
        (true, Some(_)) => "FAIL",
        (true, None) => "(info)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hrefs_and_busy_time() {
        let body = b"<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/c/a.ics</D:href></D:response><response><href>/x/b.ics</href></response></D:multistatus>";
        assert_eq!(href_names(body), vec!["a.ics", "b.ics"]);
        let fb = b"BEGIN:VFREEBUSY\r\nFREEBUSY;FBTYPE=BUSY:20250301T080000Z/20250301T090000Z\r\nFREEBUSY;FBTYPE=BUSY:20250301T083000Z/2025030\r\n 1T100000Z\r\nEND:VFREEBUSY\r\n";
        let periods = freebusy_periods(fb).expect("parsed");
        assert_eq!(union_seconds(periods), 2 * 3600);
    }
}
