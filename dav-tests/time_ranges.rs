//! calendar-query time-ranges (RFC 4791 §9.9) row by row: VEVENT, VTODO and VJOURNAL
//! instances, VALARM trigger times, time-ranges on properties, and the zone floating times and
//! DATE values are read in (calendar-timezone, or the query's CALDAV:timezone, §7.8 / §9.8).
//! Every expected href was computed by hand; the reasoning is written next to each query.

use crate::common::*;

const CAL: &str = NS_CALDAV;

/// A VCALENDAR around `components` (CRLF lines).
fn wrap(components: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n{components}END:VCALENDAR\r\n"
    )
}

/// A component `kind` with this UID and these extra property lines (`\n`-separated).
fn comp(kind: &str, uid: &str, lines: &str) -> String {
    let mut out = format!("BEGIN:{kind}\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n");
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(&format!("END:{kind}\r\n"));
    out
}

/// PUTs `body` as `{name}.ics` into the user's calendar, expecting 201.
#[track_caller]
fn put(s: &Server, u: &User, name: &str, body: &str) {
    put_in(s, u, &calendar_url(u), name, body);
}

/// PUTs `body` as `{name}.ics` into the collection `coll`, expecting 201.
#[track_caller]
fn put_in(s: &Server, u: &User, coll: &str, name: &str, body: &str) {
    let path = format!("{coll}{name}.ics");
    let r = put_as(s, u, &path, "text/calendar; charset=utf-8", body.as_bytes());
    assert_eq!(r.status, 201, "PUT {name}: {}", r.text());
}

/// A calendar-query with this filter inside the VCALENDAR comp-filter and an optional
/// CALDAV:timezone; the names of the matching objects, sorted, without `.ics`.
#[track_caller]
fn query(s: &Server, u: &User, inner: &str, timezone: Option<&str>) -> Vec<String> {
    query_in(s, u, &calendar_url(u), inner, timezone)
}

/// [`query`] on the collection `coll`.
#[track_caller]
fn query_in(s: &Server, u: &User, coll: &str, inner: &str, timezone: Option<&str>) -> Vec<String> {
    let tz = timezone.map_or_else(String::new, |tz| {
        format!("<C:timezone>{}</C:timezone>", tz.replace('\r', "&#13;"))
    });
    let body = format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR">{inner}</C:comp-filter></C:filter>{tz}</C:calendar-query>"#
    );
    let r = report_req(s, u, coll, Some("1"), body.as_bytes());
    assert_eq!(r.status, 207, "{inner}: {}", r.text());
    let mut names: Vec<String> = multistatus(&r)
        .into_iter()
        .map(|m| {
            let last = m.href.rsplit('/').next().unwrap_or_default();
            last.strip_suffix(".ics").unwrap_or(last).to_owned()
        })
        .collect();
    names.sort();
    names
}

/// A comp-filter `kind` with a time-range.
fn range(kind: &str, start: &str, end: &str) -> String {
    format!(
        r#"<C:comp-filter name="{kind}"><C:time-range start="{start}" end="{end}"/></C:comp-filter>"#
    )
}

/// A VEVENT (or `parent`) comp-filter holding a VALARM time-range.
fn alarm_range(parent: &str, start: &str, end: &str) -> String {
    format!(
        r#"<C:comp-filter name="{parent}"><C:comp-filter name="VALARM"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter>"#
    )
}

/// Sets the calendar's CALDAV:calendar-timezone, expecting success.
#[track_caller]
fn set_calendar_timezone(s: &Server, u: &User, vcalendar: &str) {
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-timezone>{}</C:calendar-timezone></D:prop></D:set></D:propertyupdate>"#,
        vcalendar.replace('\r', "&#13;")
    );
    let r = proppatch_req(s, u, &calendar_url(u), body.as_bytes());
    let rs = multistatus(&r);
    assert_eq!(rs.len(), 1, "{}", r.text());
    assert_propstat(&r, &rs[0], CAL, "calendar-timezone", 200);
}

/// A calendar-timezone VCALENDAR for an IANA zone with one standard and one daylight rule.
fn zone_calendar(tzid: &str, std: (&str, &str, &str), dst: (&str, &str, &str)) -> String {
    let part = |kind: &str, (from, to, rule): (&str, &str, &str)| {
        format!(
            "BEGIN:{kind}\r\nDTSTART:19700101T020000\r\nRRULE:{rule}\r\nTZOFFSETFROM:{from}\r\nTZOFFSETTO:{to}\r\nEND:{kind}\r\n"
        )
    };
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{}{}END:VTIMEZONE\r\nEND:VCALENDAR\r\n",
        part("STANDARD", std),
        part("DAYLIGHT", dst)
    )
}

fn auckland() -> String {
    zone_calendar(
        "Pacific/Auckland",
        ("+1300", "+1200", "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"),
        ("+1200", "+1300", "FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU"),
    )
}

fn new_york() -> String {
    zone_calendar(
        "America/New_York",
        ("-0400", "-0500", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
        ("-0500", "-0400", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
    )
}

#[test]
fn vevent_rows_and_boundaries() {
    let s = Server::start();
    let u = s.new_user("tr");
    let ev = |uid: &str, lines: &str| wrap(&comp("VEVENT", uid, lines));
    // 10:00Z-11:00Z by DTEND, by DURATION; a point by DURATION=0 and by a lone DATE-TIME; a
    // lone DATE is the whole (UTC) day.
    put(
        &s,
        &u,
        "dtend",
        &ev("dtend", "DTSTART:20240110T100000Z\nDTEND:20240110T110000Z"),
    );
    put(
        &s,
        &u,
        "dur",
        &ev("dur", "DTSTART:20240110T100000Z\nDURATION:PT1H"),
    );
    put(
        &s,
        &u,
        "dur0",
        &ev("dur0", "DTSTART:20240110T100000Z\nDURATION:PT0S"),
    );
    put(&s, &u, "date", &ev("date", "DTSTART;VALUE=DATE:20240110"));
    put(&s, &u, "point", &ev("point", "DTSTART:20240110T100000Z"));
    let q = |start: &str, end: &str| query(&s, &u, &range("VEVENT", start, end), None);
    let all = vec!["date", "dtend", "dur", "dur0", "point"];
    assert_eq!(q("20240110T100000Z", "20240110T103000Z"), all);
    assert_eq!(q("20240110T100000Z", "20240110T100001Z"), all);
    // Ending exactly at the range start: only the all-day event is still on.
    assert_eq!(q("20240110T110000Z", "20240110T120000Z"), vec!["date"]);
    // Starting exactly at the range end: no match (points included).
    assert_eq!(q("20240110T090000Z", "20240110T100000Z"), vec!["date"]);
    // The DATE lasts to midnight, exclusive.
    assert_eq!(q("20240110T235959Z", "20240111T000000Z"), vec!["date"]);
    assert!(q("20240111T000000Z", "20240112T000000Z").is_empty());
    assert!(q("20240109T000000Z", "20240110T000000Z").is_empty());
}

#[test]
fn vtodo_rows() {
    let s = Server::start();
    let u = s.new_user("tr");
    let todo = |uid: &str, lines: &str| wrap(&comp("VTODO", uid, lines));
    put(
        &s,
        &u,
        "t_dur",
        &todo("t_dur", "DTSTART:20240110T100000Z\nDURATION:PT1H"),
    );
    put(
        &s,
        &u,
        "t_due",
        &todo("t_due", "DTSTART:20240110T100000Z\nDUE:20240110T110000Z"),
    );
    put(
        &s,
        &u,
        "t_start",
        &todo("t_start", "DTSTART:20240110T100000Z"),
    );
    put(
        &s,
        &u,
        "t_dueonly",
        &todo("t_dueonly", "DUE:20240110T110000Z"),
    );
    put(
        &s,
        &u,
        "t_cc",
        &todo(
            "t_cc",
            "COMPLETED:20240110T120000Z\nCREATED:20240101T000000Z",
        ),
    );
    put(
        &s,
        &u,
        "t_comp",
        &todo("t_comp", "COMPLETED:20240110T120000Z"),
    );
    put(
        &s,
        &u,
        "t_created",
        &todo("t_created", "CREATED:20240101T000000Z"),
    );
    put(&s, &u, "t_none", &todo("t_none", ""));
    let q = |start: &str, end: &str| query(&s, &u, &range("VTODO", start, end), None);
    // [10:30, 10:45): inside DTSTART..DUE/DURATION; after the DTSTART point; before DUE;
    // COMPLETED 12:00 is not reached, CREATED+COMPLETED spans it.
    assert_eq!(
        q("20240110T103000Z", "20240110T104500Z"),
        vec!["t_cc", "t_created", "t_due", "t_dur", "t_none"]
    );
    // [11:00, 11:30): DTSTART+DURATION keeps its end (start <= DTSTART+DURATION), DUE does
    // not (start < DUE fails).
    assert_eq!(
        q("20240110T110000Z", "20240110T113000Z"),
        vec!["t_cc", "t_created", "t_dur", "t_none"]
    );
    // [09:00, 10:00): everything dated starts at the range end.
    assert_eq!(
        q("20240110T090000Z", "20240110T100000Z"),
        vec!["t_cc", "t_created", "t_none"]
    );
    // [10:00, 11:00): DUE only matches with end >= DUE.
    assert_eq!(
        q("20240110T100000Z", "20240110T110000Z"),
        vec![
            "t_cc",
            "t_created",
            "t_due",
            "t_dueonly",
            "t_dur",
            "t_none",
            "t_start"
        ]
    );
    // [12:00, 13:00): COMPLETED is a closed test.
    assert_eq!(
        q("20240110T120000Z", "20240110T130000Z"),
        vec!["t_cc", "t_comp", "t_created", "t_none"]
    );
    // December 2023: before CREATED; only the task without dates matches.
    assert_eq!(q("20231201T000000Z", "20231231T000000Z"), vec!["t_none"]);
}

#[test]
fn vjournal_rows() {
    let s = Server::start();
    let u = s.new_user("tr");
    // The default calendar takes events and tasks; journals get their own.
    let journal = format!("/dav/calendars/{}/journal/", u.login);
    let mk = r#"<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set><C:comp name="VJOURNAL"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#;
    let r = s.request("MKCALENDAR", &journal, Some(&u), &[], mk.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let j = |uid: &str, lines: &str| wrap(&comp("VJOURNAL", uid, lines));
    put_in(
        &s,
        &u,
        &journal,
        "j_date",
        &j("j_date", "DTSTART;VALUE=DATE:20240110"),
    );
    put_in(
        &s,
        &u,
        &journal,
        "j_dt",
        &j("j_dt", "DTSTART:20240110T100000Z"),
    );
    put_in(&s, &u, &journal, "j_none", &j("j_none", "SUMMARY:no date"));
    let q =
        |start: &str, end: &str| query_in(&s, &u, &journal, &range("VJOURNAL", start, end), None);
    assert_eq!(
        q("20240110T100000Z", "20240110T103000Z"),
        vec!["j_date", "j_dt"]
    );
    assert_eq!(q("20240110T110000Z", "20240110T120000Z"), vec!["j_date"]);
    assert_eq!(q("20240110T090000Z", "20240110T100000Z"), vec!["j_date"]);
    assert!(q("20240111T000000Z", "20240112T000000Z").is_empty());
}

#[test]
fn valarm_absolute_relative_repeat_and_related_end() {
    let s = Server::start();
    let u = s.new_user("tr");
    let alarm = |trigger: &str, extra: &str| {
        format!(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\n{trigger}\r\n{extra}END:VALARM\r\n"
        )
    };
    let with_alarm = |kind: &str, uid: &str, lines: &str, alarm: &str| {
        comp(kind, uid, lines).replace(
            &format!("END:{kind}\r\n"),
            &format!("{alarm}END:{kind}\r\n"),
        )
    };
    put(
        &s,
        &u,
        "a_abs",
        &wrap(&with_alarm(
            "VEVENT",
            "a_abs",
            "DTSTART:20240110T100000Z\nDTEND:20240110T110000Z",
            &alarm("TRIGGER;VALUE=DATE-TIME:20240109T120000Z", ""),
        )),
    );
    // Daily at 10:00Z three times; alarms at 09:45, 09:50 and 09:55 of each day.
    put(
        &s,
        &u,
        "a_rel",
        &wrap(&with_alarm(
            "VEVENT",
            "a_rel",
            "DTSTART:20240110T100000Z\nDTEND:20240110T110000Z\nRRULE:FREQ=DAILY;COUNT=3",
            &alarm("TRIGGER:-PT15M", "REPEAT:2\r\nDURATION:PT5M\r\n"),
        )),
    );
    // A task due at 12:00Z alarming at its end.
    put(
        &s,
        &u,
        "a_end",
        &wrap(&with_alarm(
            "VTODO",
            "a_end",
            "DTSTART:20240110T100000Z\nDUE:20240110T120000Z",
            &alarm("TRIGGER;RELATED=END:PT0S", ""),
        )),
    );
    let ev = |start: &str, end: &str| query(&s, &u, &alarm_range("VEVENT", start, end), None);
    assert_eq!(ev("20240109T115900Z", "20240109T120100Z"), vec!["a_abs"]);
    // The event itself is not in that range.
    assert!(
        query(
            &s,
            &u,
            &range("VEVENT", "20240109T115900Z", "20240109T120100Z"),
            None
        )
        .is_empty()
    );
    assert_eq!(ev("20240112T095400Z", "20240112T095600Z"), vec!["a_rel"]);
    assert_eq!(ev("20240110T094500Z", "20240110T094501Z"), vec!["a_rel"]);
    // Between repetitions, after the last one, after COUNT.
    assert!(ev("20240111T094600Z", "20240111T095000Z").is_empty());
    assert!(ev("20240112T095600Z", "20240113T000000Z").is_empty());
    assert!(ev("20240113T090000Z", "20240113T100000Z").is_empty());
    let task = |start: &str, end: &str| query(&s, &u, &alarm_range("VTODO", start, end), None);
    assert_eq!(task("20240110T120000Z", "20240110T120001Z"), vec!["a_end"]);
    assert!(task("20240110T115959Z", "20240110T120000Z").is_empty());
}

#[test]
fn property_time_ranges() {
    let s = Server::start();
    let u = s.new_user("tr");
    put(
        &s,
        &u,
        "done",
        &wrap(&comp(
            "VTODO",
            "done",
            "COMPLETED:20240105T080000Z\nCREATED:20231201T000000Z\nLAST-MODIFIED:20240105T080000Z",
        )),
    );
    put(
        &s,
        &u,
        "open",
        &wrap(&comp("VTODO", "open", "CREATED:20240201T000000Z")),
    );
    let prop = |name: &str, start: &str, end: &str| {
        query(
            &s,
            &u,
            &format!(
                r#"<C:comp-filter name="VTODO"><C:prop-filter name="{name}"><C:time-range start="{start}" end="{end}"/></C:prop-filter></C:comp-filter>"#
            ),
            None,
        )
    };
    assert_eq!(
        prop("COMPLETED", "20240105T000000Z", "20240106T000000Z"),
        vec!["done"]
    );
    // start <= value < end.
    assert_eq!(
        prop("COMPLETED", "20240105T080000Z", "20240105T080001Z"),
        vec!["done"]
    );
    assert!(prop("COMPLETED", "20240105T070000Z", "20240105T080000Z").is_empty());
    assert_eq!(
        prop("CREATED", "20240101T000000Z", "20240301T000000Z"),
        vec!["open"]
    );
    assert_eq!(
        prop("CREATED", "20231101T000000Z", "20240301T000000Z"),
        vec!["done", "open"]
    );
    assert_eq!(
        prop("LAST-MODIFIED", "20240105T000000Z", "20240106T000000Z"),
        vec!["done"]
    );
    // DTSTAMP is 2024-01-01T00:00Z on both.
    assert_eq!(
        prop("DTSTAMP", "20240101T000000Z", "20240101T000001Z"),
        vec!["done", "open"]
    );
    assert!(prop("DTSTAMP", "20231231T000000Z", "20240101T000000Z").is_empty());
    // A time-range below VTIMEZONE's sub-components is still refused.
    let body = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTIMEZONE"><C:comp-filter name="STANDARD"><C:time-range start="20240101T000000Z"/></C:comp-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let r = report_req(&s, &u, &calendar_url(&u), Some("1"), body.as_bytes());
    assert_dav_error(&r, 403, CAL, "supported-filter");
}

#[test]
fn floating_event_in_auckland_vs_utc_and_query_timezone_override() {
    let s = Server::start();
    let u = s.new_user("tr");
    put(
        &s,
        &u,
        "float",
        &wrap(&comp(
            "VEVENT",
            "float",
            "DTSTART:20240110T100000\nDTEND:20240110T110000",
        )),
    );
    let q =
        |start: &str, end: &str, tz: Option<&str>| query(&s, &u, &range("VEVENT", start, end), tz);
    // UTC (no calendar-timezone): 10:00Z-11:00Z.
    assert_eq!(
        q("20240110T100000Z", "20240110T110000Z", None),
        vec!["float"]
    );
    assert!(q("20240109T210000Z", "20240109T220000Z", None).is_empty());
    // Auckland in January is UTC+13: 2024-01-09T21:00Z-22:00Z.
    set_calendar_timezone(&s, &u, &auckland());
    assert!(q("20240110T100000Z", "20240110T110000Z", None).is_empty());
    assert_eq!(
        q("20240109T210000Z", "20240109T220000Z", None),
        vec!["float"]
    );
    // The query's timezone (New York, UTC-5 in January: 15:00Z-16:00Z) overrides it.
    let ny = new_york();
    assert_eq!(
        q("20240110T150000Z", "20240110T160000Z", Some(&ny)),
        vec!["float"]
    );
    assert!(q("20240109T210000Z", "20240109T220000Z", Some(&ny)).is_empty());
    // A property time-range on the floating DTSTART follows the same zone.
    let prop = r#"<C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:time-range start="20240109T205959Z" end="20240109T210001Z"/></C:prop-filter></C:comp-filter>"#;
    assert_eq!(query(&s, &u, prop, None), vec!["float"]);
    assert!(query(&s, &u, prop, Some(&ny)).is_empty());
}

#[test]
fn all_day_event_across_a_dst_change_lasts_23_hours() {
    let s = Server::start();
    let u = s.new_user("tr");
    set_calendar_timezone(&s, &u, &new_york());
    // 2024-03-10 in New York: 05:00Z (EST) to 2024-03-11T04:00Z (EDT).
    put(
        &s,
        &u,
        "dst",
        &wrap(&comp(
            "VEVENT",
            "dst",
            "DTSTART;VALUE=DATE:20240310\nDTEND;VALUE=DATE:20240311",
        )),
    );
    let q = |start: &str, end: &str| query(&s, &u, &range("VEVENT", start, end), None);
    assert_eq!(q("20240311T033000Z", "20240311T043000Z"), vec!["dst"]);
    assert!(q("20240311T040000Z", "20240311T050000Z").is_empty());
    assert!(q("20240310T040000Z", "20240310T050000Z").is_empty());
    assert_eq!(q("20240310T040000Z", "20240310T050001Z"), vec!["dst"]);
}

#[test]
fn windows_tzid_as_calendar_timezone_and_in_objects() {
    let s = Server::start();
    let u = s.new_user("tr");
    let windows = String::from_utf8(fixture("ical/server-vtimezone-w-europe-standard-time.ics"))
        .expect("utf-8");
    set_calendar_timezone(&s, &u, &windows);
    // Floating 10:00 in W. Europe (Berlin, UTC+1 in January): 09:00Z.
    put(
        &s,
        &u,
        "float",
        &wrap(&comp(
            "VEVENT",
            "float",
            "DTSTART:20240110T100000\nDURATION:PT30M",
        )),
    );
    // 10:00 W. Europe Standard Time in July (UTC+2): 08:00Z.
    put(
        &s,
        &u,
        "zoned",
        &wrap(&comp(
            "VEVENT",
            "zoned",
            "DTSTART;TZID=W. Europe Standard Time:20240710T100000\nDURATION:PT30M",
        )),
    );
    let q = |start: &str, end: &str| query(&s, &u, &range("VEVENT", start, end), None);
    assert_eq!(q("20240110T090000Z", "20240110T091500Z"), vec!["float"]);
    assert!(q("20240110T100000Z", "20240110T110000Z").is_empty());
    assert_eq!(q("20240710T080000Z", "20240710T081500Z"), vec!["zoned"]);
    assert!(q("20240710T090000Z", "20240710T100000Z").is_empty());
}

#[test]
fn lightning_open_tasks_body() {
    let s = Server::start();
    let u = s.new_user("tr");
    let todo = |uid: &str, lines: &str| wrap(&comp("VTODO", uid, lines));
    put(
        &s,
        &u,
        "open",
        &todo("open", "STATUS:NEEDS-ACTION\nSUMMARY:open"),
    );
    put(&s, &u, "nostatus", &todo("nostatus", "SUMMARY:no status"));
    put(
        &s,
        &u,
        "done",
        &todo("done", "STATUS:COMPLETED\nCOMPLETED:20240105T080000Z"),
    );
    put(&s, &u, "cancelled", &todo("cancelled", "STATUS:CANCELLED"));
    put(
        &s,
        &u,
        "event",
        &wrap(&comp("VEVENT", "event", "DTSTART:20240110T100000Z")),
    );
    let body = request_fixture("lightning-calendar-query-vtodo-completed.xml");
    let r = report_req(&s, &u, &calendar_url(&u), Some("1"), body.as_bytes());
    assert_eq!(r.status, 207, "{}", r.text());
    let mut names: Vec<String> = multistatus(&r)
        .into_iter()
        .map(|m| m.href.rsplit('/').next().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    // RFC 4791 §9.7.2: a prop-filter with a text-match needs the property, so the task
    // without STATUS does not match.
    assert_eq!(names, vec!["open.ics"]);
}

#[test]
fn corpus_fixtures_at_hand_computed_ranges() {
    let s = Server::start();
    let u = s.new_user("tr");
    let text = |name: &str| String::from_utf8(fixture(&format!("ical/{name}"))).expect("utf-8");
    put(&s, &u, "tb", &text("thunderbird-all-day-recurring.ics"));
    put(
        &s,
        &u,
        "davx5",
        &text("davx5-exdate-recurrence-id-europe-paris.ics"),
    );
    // Exchange publishes with METHOD, which a calendar object resource may not carry.
    put(
        &s,
        &u,
        "exchange",
        &text("exchange2010-eastern-standard-time.ics")
            .lines()
            .filter(|line| !line.starts_with("METHOD:"))
            .map(|line| format!("{line}\r\n"))
            .collect::<String>(),
    );
    let q = |start: &str, end: &str| query(&s, &u, &range("VEVENT", start, end), None);
    // Thunderbird: all-day 2006-01-02 .. 2006-01-06 (COUNT=5), read in UTC (no
    // calendar-timezone).
    assert_eq!(q("20060106T120000Z", "20060106T130000Z"), vec!["tb"]);
    assert_eq!(q("20060102T000000Z", "20060102T000001Z"), vec!["tb"]);
    assert!(q("20060107T000000Z", "20060108T000000Z").is_empty());
    assert!(q("20060101T000000Z", "20060102T000000Z").is_empty());
    // DAVx5: Thursdays 19:30-20:30 Paris from 2024-06-06; 13 June is CEST (17:30Z).
    assert_eq!(q("20240613T173000Z", "20240613T183000Z"), vec!["davx5"]);
    // 4 July is an EXDATE.
    assert!(q("20240704T170000Z", "20240704T190000Z").is_empty());
    // 28 November is the override, CET (18:30Z); 5 December an ordinary CET instance.
    assert_eq!(q("20241128T183000Z", "20241128T193000Z"), vec!["davx5"]);
    assert_eq!(q("20241205T190000Z", "20241205T191500Z"), vec!["davx5"]);
    assert!(q("20241205T173000Z", "20241205T183000Z").is_empty());
    // Its alarms fire a day before each instance: 2024-06-12T17:30Z, but not before the
    // excluded 4 July.
    let alarm = |start: &str, end: &str| query(&s, &u, &alarm_range("VEVENT", start, end), None);
    assert_eq!(alarm("20240612T170000Z", "20240612T180000Z"), vec!["davx5"]);
    assert!(alarm("20240703T170000Z", "20240703T180000Z").is_empty());
    assert_eq!(alarm("20241127T183000Z", "20241127T183001Z"), vec!["davx5"]);
    // Exchange: 2024-10-28 17:00-18:00 Eastern Standard Time, still EDT: 21:00Z-22:00Z.
    assert_eq!(q("20241028T210000Z", "20241028T211500Z"), vec!["exchange"]);
    assert!(q("20241028T220000Z", "20241028T230000Z").is_empty());
    assert!(q("20241028T200000Z", "20241028T210000Z").is_empty());
}
