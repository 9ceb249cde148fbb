//! free-busy-query (RFC 4791 §7.10): a 200 text/calendar VFREEBUSY (not a multistatus) with
//! the busy periods of a calendar, transparent and cancelled events left out, tentative ones
//! typed, recurrences expanded with their exceptions and overrides; a time-range that is not a
//! closed UTC range is 403 valid-filter; another user's calendar is 403.

use std::collections::BTreeSet;

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;

/// A calendar object holding the given VEVENT property lines (UID `uid`).
fn vevent(uid: &str, lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
         BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\n{lines}END:VEVENT\r\n\
         END:VCALENDAR\r\n"
    )
}

/// Weekly on Wednesdays 08:00-09:00Z from 2025-01-01; 2025-01-15 excluded; the 2025-01-22
/// instance moved to Thursday 16:00-17:00Z; the 2025-01-29 instance cancelled by its override.
const SERIES: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VEVENT\r\nUID:fb-series\r\nDTSTAMP:20250101T000000Z\r\n\
DTSTART:20250101T080000Z\r\nDTEND:20250101T090000Z\r\nRRULE:FREQ=WEEKLY\r\n\
EXDATE:20250115T080000Z\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:fb-series\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID:20250122T080000Z\r\n\
DTSTART:20250123T160000Z\r\nDTEND:20250123T170000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:fb-series\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID:20250129T080000Z\r\n\
STATUS:CANCELLED\r\nDTSTART:20250129T080000Z\r\nDTEND:20250129T090000Z\r\nSUMMARY:Off\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";

/// A free-busy-query body for `[start, end)` as written.
fn query(start: &str, end: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8" ?>
<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav">
<C:time-range start="{start}" end="{end}"/>
</C:free-busy-query>"#
    )
}

/// What a free-busy answer says: its unfolded content lines, and its FREEBUSY periods as
/// `FBTYPE start/end` (one entry per period, FBTYPE defaulting to BUSY).
struct FreeBusy {
    lines: Vec<String>,
    periods: BTreeSet<String>,
}

/// Checks that `r` is a 200 text/calendar VFREEBUSY and reads it.
#[track_caller]
fn free_busy(r: &Resp) -> FreeBusy {
    assert_eq!(r.status, 200, "{}", r.text());
    let ct = r.header("content-type").unwrap_or_default();
    assert!(ct.starts_with("text/calendar"), "content-type {ct}");
    let text = r.text();
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "unfolded line: {text}"
    );
    let lines: Vec<String> = text
        .replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")), "{text}");
    assert_eq!(
        lines.iter().filter(|l| *l == "BEGIN:VFREEBUSY").count(),
        1,
        "{text}"
    );
    assert!(lines.iter().any(|l| l.starts_with("DTSTAMP:")), "{text}");
    let mut periods = BTreeSet::new();
    for line in lines.iter().filter(|l| l.starts_with("FREEBUSY")) {
        let (name, value) = line.split_once(':').expect("FREEBUSY line has a value");
        let fb_type = name
            .split(';')
            .find_map(|p| p.strip_prefix("FBTYPE="))
            .unwrap_or("BUSY");
        for period in value.split(',') {
            periods.insert(format!("{fb_type} {period}"));
        }
    }
    FreeBusy { lines, periods }
}

/// Busy periods as the test writes them.
fn expect(periods: &[&str]) -> BTreeSet<String> {
    periods.iter().map(|p| (*p).to_owned()).collect()
}

#[test]
fn free_busy_query_reports_busy_periods_of_a_calendar() {
    let s = Server::start();
    let u = s.new_user("fb");
    let cal = calendar_url(&u);
    let objects = [
        // Overlapping events merge.
        (
            "plain",
            vevent(
                "fb-plain",
                "DTSTART:20250106T100000Z\r\nDTEND:20250106T110000Z\r\n",
            ),
        ),
        (
            "overlap",
            vevent(
                "fb-overlap",
                "DTSTART:20250106T103000Z\r\nDTEND:20250106T120000Z\r\n",
            ),
        ),
        (
            "tentative",
            vevent(
                "fb-tentative",
                "STATUS:TENTATIVE\r\nDTSTART:20250107T090000Z\r\nDURATION:PT1H\r\n",
            ),
        ),
        (
            "transparent",
            vevent(
                "fb-transparent",
                "TRANSP:TRANSPARENT\r\nDTSTART:20250107T120000Z\r\nDTEND:20250107T130000Z\r\n",
            ),
        ),
        (
            "cancelled",
            vevent(
                "fb-cancelled",
                "STATUS:CANCELLED\r\nDTSTART:20250107T140000Z\r\nDTEND:20250107T150000Z\r\n",
            ),
        ),
        (
            "allday",
            vevent("fb-allday", "DTSTART;VALUE=DATE:20250110\r\n"),
        ),
        // Starts before the range: clipped.
        (
            "edge",
            vevent(
                "fb-edge",
                "DTSTART:20241231T230000Z\r\nDTEND:20250101T010000Z\r\n",
            ),
        ),
        (
            "outside",
            vevent(
                "fb-outside",
                "DTSTART:20250301T100000Z\r\nDTEND:20250301T110000Z\r\n",
            ),
        ),
        ("series", SERIES.to_owned()),
        // Tasks take no time in free-busy.
        (
            "todo",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\nBEGIN:VTODO\r\n\
             UID:fb-todo\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250109T100000Z\r\n\
             DUE:20250109T120000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
                .to_owned(),
        ),
    ];
    for (name, body) in &objects {
        put_created(&s, &u, &format!("{cal}{name}.ics"), body.as_bytes());
    }

    let body = query("20250101T000000Z", "20250201T000000Z");
    let r = report_req(&s, &u, &cal, Some("1"), body.as_bytes());
    let fb = free_busy(&r);
    assert!(
        fb.lines.iter().any(|l| l == "DTSTART:20250101T000000Z"),
        "{:?}",
        fb.lines
    );
    assert!(
        fb.lines.iter().any(|l| l == "DTEND:20250201T000000Z"),
        "{:?}",
        fb.lines
    );
    assert_eq!(
        fb.periods,
        expect(&[
            "BUSY 20250101T000000Z/20250101T010000Z",
            "BUSY 20250101T080000Z/20250101T090000Z",
            "BUSY 20250106T100000Z/20250106T120000Z",
            "BUSY-TENTATIVE 20250107T090000Z/20250107T100000Z",
            "BUSY 20250108T080000Z/20250108T090000Z",
            "BUSY 20250110T000000Z/20250111T000000Z",
            "BUSY 20250123T160000Z/20250123T170000Z",
        ])
    );

    // Depth is ignored (none sent here); a narrower range clips the all-day event.
    let body = query("20250110T120000Z", "20250123T163000Z");
    let r = report_req(&s, &u, &cal, None, body.as_bytes());
    assert_eq!(
        free_busy(&r).periods,
        expect(&[
            "BUSY 20250110T120000Z/20250111T000000Z",
            "BUSY 20250123T160000Z/20250123T163000Z",
        ])
    );

    // A week with nothing busy: a VFREEBUSY without FREEBUSY lines.
    let body = query("20250127T000000Z", "20250201T000000Z");
    let r = report_req(&s, &u, &cal, Some("1"), body.as_bytes());
    assert!(free_busy(&r).periods.is_empty(), "{}", r.text());

    // On one object: its own busy time only.
    let body = query("20250101T000000Z", "20250201T000000Z");
    let r = report_req(&s, &u, &format!("{cal}plain.ics"), None, body.as_bytes());
    assert_eq!(
        free_busy(&r).periods,
        expect(&["BUSY 20250106T100000Z/20250106T110000Z"])
    );

    // The calendar advertises the report.
    let pf = propfind_req(
        &s,
        &u,
        &cal,
        "0",
        &propfind_body(&[(DAV, "supported-report-set")]),
    );
    let doc = parse_xml(&pf);
    assert!(
        !descendants(&doc, CAL, "free-busy-query").is_empty(),
        "{}",
        pf.text()
    );
}

#[test]
fn free_busy_query_without_a_closed_utc_range_is_403_valid_filter() {
    let s = Server::start();
    let u = s.new_user("fb");
    let cal = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{cal}e.ics"),
        event("fb-e", "x").as_bytes(),
    );
    // CalDAVTester's body: DATE values instead of UTC DATE-TIMEs.
    let body = request_fixture("free-busy-query-date-only-range.xml");
    let r = report_req(&s, &u, &cal, Some("1"), body.as_bytes());
    assert_dav_error(&r, 403, CAL, "valid-filter");
    for body in [
        // No end.
        r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20250101T000000Z"/></C:free-busy-query>"#.to_owned(),
        // No time-range at all.
        r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>"#.to_owned(),
        // Floating, not UTC.
        query("20250101T000000", "20250201T000000"),
        // End before start.
        query("20250201T000000Z", "20250101T000000Z"),
    ] {
        let r = report_req(&s, &u, &cal, Some("1"), body.as_bytes());
        assert_dav_error(&r, 403, CAL, "valid-filter");
    }
}

#[test]
fn free_busy_query_on_another_users_calendar_is_403() {
    let s = Server::start();
    let owner = s.new_user("fb");
    let other = s.new_user("fb");
    let cal = calendar_url(&owner);
    put_created(
        &s,
        &owner,
        &format!("{cal}e.ics"),
        event("fb-private", "x").as_bytes(),
    );
    let body = query("20240101T000000Z", "20240201T000000Z");
    let r = report_req(&s, &other, &cal, Some("1"), body.as_bytes());
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(!r.text().contains("FREEBUSY"), "{}", r.text());
    // The owner sees the event (2024-01-02 10:00-11:00Z).
    let r = report_req(&s, &owner, &cal, Some("1"), body.as_bytes());
    assert_eq!(
        free_busy(&r).periods,
        expect(&["BUSY 20240102T100000Z/20240102T110000Z"])
    );
    // An address book offers no free-busy.
    let r = report_req(&s, &owner, &addressbook_url(&owner), None, body.as_bytes());
    assert_dav_error(&r, 403, DAV, "supported-report");
}

#[test]
fn free_busy_url_merges_all_calendars_of_a_home() {
    let s = Server::start();
    let u = s.new_user("fburl");
    let home = format!("/dav/calendars/{}/", u.login);
    // A second calendar: busy time from both is reported together.
    let mk = br#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work</D:displayname></D:prop></D:set></C:mkcalendar>"#;
    let r = s.request("MKCALENDAR", &format!("{home}work/"), Some(&u), &[], mk);
    assert_eq!(r.status, 201, "{}", r.text());
    put_created(
        &s,
        &u,
        &format!("{}a.ics", calendar_url(&u)),
        vevent(
            "fburl-a",
            "DTSTART:20250102T100000Z\r\nDTEND:20250102T110000Z\r\n",
        )
        .as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{home}work/b.ics"),
        vevent(
            "fburl-b",
            "DTSTART:20250103T100000Z\r\nDTEND:20250103T120000Z\r\nSTATUS:TENTATIVE\r\n",
        )
        .as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{home}work/c.ics"),
        vevent(
            "fburl-c",
            "DTSTART:20250301T100000Z\r\nDTEND:20250301T120000Z\r\n",
        )
        .as_bytes(),
    );
    let url = format!("{home}?freebusy&start=20250101T000000Z&end=20250201T000000Z");
    let fb = free_busy(&s.request("GET", &url, Some(&u), &[], b""));
    assert_eq!(
        fb.periods,
        expect(&[
            "BUSY 20250102T100000Z/20250102T110000Z",
            "BUSY-TENTATIVE 20250103T100000Z/20250103T120000Z"
        ])
    );
    assert!(
        fb.lines.iter().any(|l| l == "DTSTART:20250101T000000Z"),
        "{:?}",
        fb.lines
    );
    assert!(
        fb.lines.iter().any(|l| l == "DTEND:20250201T000000Z"),
        "{:?}",
        fb.lines
    );
    // Without start and end: eight weeks from today, so these 2025 events are not in it.
    let fb = free_busy(&s.request("GET", &format!("{home}?freebusy"), Some(&u), &[], b""));
    assert!(fb.periods.is_empty(), "{:?}", fb.periods);
    // A bad value is 400; another user's home is 403 and reveals nothing.
    let r = s.request(
        "GET",
        &format!("{home}?freebusy&start=2025-01-01"),
        Some(&u),
        &[],
        b"",
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let other = s.new_user("fbother");
    let r = s.request("GET", &url, Some(&other), &[], b"");
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(!r.text().contains("FREEBUSY"), "{}", r.text());
}

#[test]
fn free_busy_url_reads_floating_times_in_each_calendars_zone() {
    let s = Server::start();
    let u = s.new_user("fbzone");
    let home = format!("/dav/calendars/{}/", u.login);
    // A calendar in Pacific/Auckland (NZDT, +13 in January) beside the default one (UTC).
    let tz = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Pacific/Auckland\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n";
    let mk = format!(
        r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-timezone>{tz}</C:calendar-timezone></D:prop></D:set></C:mkcalendar>"#
    );
    let r = s.request(
        "MKCALENDAR",
        &format!("{home}nz/"),
        Some(&u),
        &[],
        mk.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // The same floating 10:00-11:00 on 15 January in both calendars.
    let floating = "DTSTART:20250115T100000\r\nDTEND:20250115T110000\r\n";
    put_created(
        &s,
        &u,
        &format!("{home}nz/f.ics"),
        vevent("fbzone-nz", floating).as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{}f.ics", calendar_url(&u)),
        vevent("fbzone-utc", floating).as_bytes(),
    );
    let url = format!("{home}?freebusy&start=20250114T000000Z&end=20250116T000000Z");
    let fb = free_busy(&s.request("GET", &url, Some(&u), &[], b""));
    // Auckland 10:00 NZDT is 21:00Z the day before; the default calendar's is 10:00Z.
    assert_eq!(
        fb.periods,
        expect(&[
            "BUSY 20250114T210000Z/20250114T220000Z",
            "BUSY 20250115T100000Z/20250115T110000Z"
        ])
    );
}
