//! REPORTs: calendar-multiget (RFC 4791 §7.9), addressbook-multiget (RFC 6352 §8.7),
//! calendar-query comp-filter and time-range (RFC 4791 §7.8, §9.9), addressbook-query limit
//! (RFC 6352 §8.6.1), and where sync-collection is (not) offered. Real client bodies come from
//! `fixtures/xml/`; multigets follow compat pitfalls 11 and 19.

use std::collections::BTreeMap;

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;
const CARD: &str = NS_CARDDAV;

/// Responses by decoded href, failing when a resource is listed twice (pitfall 19).
#[track_caller]
fn by_decoded_href(r: &Resp) -> BTreeMap<String, MsResponse> {
    let mut out = BTreeMap::new();
    for m in multistatus(r) {
        let key = decode_href(&m.href);
        assert!(
            out.insert(key.clone(), m).is_none(),
            "{key} listed twice: {}",
            r.text()
        );
    }
    out
}

/// The response for `href` in `got`, a multiget answer `r` (failing the test when absent).
#[track_caller]
fn listed<'a>(got: &'a BTreeMap<String, MsResponse>, href: &str, r: &Resp) -> &'a MsResponse {
    got.get(href)
        .unwrap_or_else(|| panic!("no response for {href}: {}", r.text()))
}

/// An event starting at `start` (UTC, basic format) for one hour.
fn event_at(uid: &str, start: &str, end: &str) -> String {
    event(uid, uid)
        .replace("DTSTART:20240102T100000Z", &format!("DTSTART:{start}"))
        .replace("DTEND:20240102T110000Z", &format!("DTEND:{end}"))
}

#[test]
fn calendar_multiget_iphone_body_known_unknown_foreign_duplicate_and_reencoded_hrefs() {
    let s = Server::start();
    let u = s.new_user("rep");
    let other = s.new_user("rep");
    let coll = calendar_url(&u);
    // The three objects the iPhone asks for first; the third name holds an '@'.
    let names = [
        "e70576e9-c1e0-431e-a507-0386fd82f223.ics",
        "71e2ae82-7870-11db-c6d6-f6927c144649.ics",
        "da81c0ee@7871-11db.ics",
    ];
    for (i, n) in names.iter().enumerate() {
        let ev = event(&format!("mg-{i}"), n);
        put_created(&s, &u, &format!("{coll}{n}"), ev.as_bytes());
    }
    let foreign = format!("{}secret.ics", calendar_url(&other));
    let secret = event("mg-secret", "secret");
    put_created(&s, &other, &foreign, secret.as_bytes());

    let extra = format!(
        " <x1:href>{foreign}</x1:href>\n <x1:href>{coll}{}</x1:href>\n <x1:href>{coll}da81c0ee@7871-11db.ics</x1:href>\n</x0:calendar-multiget>",
        names[0]
    );
    let body = request_fixture("iphone-os3-calendar-multiget.xml")
        .replace("/caldav.php/user1/home/", &coll)
        .replace(
            "da81c0ee-7871-11db-c6d6-f6927c144649.ics",
            "da81c0ee%407871-11db.ics",
        )
        .replace("</x0:calendar-multiget>", &extra);
    let unknown = format!("{coll}AAA9318E-37D9-4319-8626-95ECD3D3B243.ics");
    assert!(body.contains(&unknown) && body.contains("%40"));

    let r = report_req(&s, &u, &coll, None, body.as_bytes());
    let got = by_decoded_href(&r);
    for n in names {
        let path = format!("{coll}{n}");
        let m = listed(&got, &decode_href(&path), &r);
        assert_same_as_get(&s, &u, &r, m, &path, (CAL, "calendar-data"));
    }
    for miss in [unknown, foreign.clone()] {
        let m = listed(&got, &decode_href(&miss), &r);
        assert_eq!(m.status, Some(404), "{miss}: {}", r.text());
        assert!(m.ok_prop(CAL, "calendar-data").is_none());
    }
    assert_eq!(got.len(), 5, "{}", r.text());
    assert!(!r.text().contains("mg-secret"), "foreign data leaked");
}

#[test]
fn addressbook_multiget_caldavtester_body_known_unknown_foreign_and_reencoded_hrefs() {
    let s = Server::start();
    let u = s.new_user("rep");
    let other = s.new_user("rep");
    let coll = addressbook_url(&u);
    let names = ["1.vcf", "2.vcf", "3.vcf", "a@b.vcf"];
    for n in names {
        let card = vcard(&format!("amg-{n}"), n);
        put_created(&s, &u, &format!("{coll}{n}"), card.as_bytes());
    }
    let foreign = format!("{}secret.vcf", addressbook_url(&other));
    let secret = vcard("amg-secret", "Secret");
    put_created(&s, &other, &foreign, secret.as_bytes());
    let extra = format!(
        "<D:href>{foreign}</D:href>\n<D:href>{coll}1.vcf</D:href>\n<D:href>{coll}a%40b.vcf</D:href>\n<D:href>{coll}a@b.vcf</D:href>\n</C:addressbook-multiget>"
    );
    let body = request_fixture("addressbook-multiget.xml")
        .replace("$addressbookpath1:", coll.trim_end_matches('/'))
        .replace("</C:addressbook-multiget>", &extra);

    let r = report_req(&s, &u, &coll, None, body.as_bytes());
    let got = by_decoded_href(&r);
    for n in names {
        let href = format!("{coll}{n}");
        let m = listed(&got, &href, &r);
        assert_same_as_get(&s, &u, &r, m, &href, (CARD, "address-data"));
    }
    for n in ["4.vcf", "11.vcf", "12.vcf"] {
        let href = format!("{coll}{n}");
        assert_eq!(listed(&got, &href, &r).status, Some(404), "{href}");
    }
    assert_eq!(got.get(&foreign).and_then(|m| m.status), Some(404));
    assert_eq!(got.len(), 8, "{}", r.text());
    assert!(!r.text().contains("amg-secret"), "foreign data leaked");
}

/// Two events and two tasks in the default calendar: (event hrefs, task hrefs).
fn events_and_tasks(s: &Server, u: &User) -> (Vec<String>, Vec<String>) {
    let coll = calendar_url(u);
    let mut events = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..2 {
        let e = format!("{coll}ev{i}.ics");
        put_created(s, u, &e, event(&format!("q-ev{i}"), "ev").as_bytes());
        events.push(e);
        let t = format!("{coll}task{i}.ics");
        put_created(s, u, &t, todo(&format!("q-task{i}"), "task").as_bytes());
        tasks.push(t);
    }
    (events, tasks)
}

fn hrefs_of(r: &Resp) -> Vec<String> {
    let mut v: Vec<String> = by_decoded_href(r).into_keys().collect();
    v.sort();
    v
}

#[test]
fn calendar_query_comp_filter_selects_events_or_tasks_only() {
    let s = Server::start();
    let u = s.new_user("rep");
    let coll = calendar_url(&u);
    let (events, tasks) = events_and_tasks(&s, &u);

    let vevent = r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>"#;
    let r = report_req(&s, &u, &coll, Some("1"), vevent.as_bytes());
    assert_eq!(hrefs_of(&r), events, "{}", r.text());

    for f in [
        "ios-5-calendar-query-vtodo.xml",
        "ios-5-calendar-query-vtodo-filter-before-prop.xml",
    ] {
        let r = report_req(&s, &u, &coll, Some("1"), request_fixture(f).as_bytes());
        assert_eq!(hrefs_of(&r), tasks, "{f}: {}", r.text());
        for m in multistatus(&r) {
            let g = get_req(&s, &u, &m.href);
            assert_eq!(
                m.ok_prop(DAV, "getetag").map(|e| e.text()).as_deref(),
                g.header("etag"),
                "{f}"
            );
            let ct = m
                .ok_prop(DAV, "getcontenttype")
                .map(|e| e.text())
                .unwrap_or_default();
            assert!(ct.starts_with("text/calendar"), "{f}: {ct}");
        }
    }
}

#[test]
fn calendar_query_time_range_returns_events_inside_and_not_outside() {
    let s = Server::start();
    let u = s.new_user("rep");
    let coll = calendar_url(&u);
    // Lightning's window: 2006-10-09 .. 2006-12-09.
    let inside = format!("{coll}inside-2006.ics");
    let outside = format!("{coll}outside-2007.ics");
    let before = format!("{coll}before-2006.ics");
    for (path, uid, start, end) in [
        (&inside, "tr-in", "20061101T100000Z", "20061101T110000Z"),
        (&outside, "tr-out", "20070115T100000Z", "20070115T110000Z"),
        (&before, "tr-before", "20060901T100000Z", "20060901T110000Z"),
    ] {
        put_created(&s, &u, path, event_at(uid, start, end).as_bytes());
    }
    let task = format!("{coll}task.ics");
    put_created(&s, &u, &task, todo("tr-task", "t").as_bytes());

    let body = request_fixture("lightning-calendar-query-time-range-calendar-data.xml");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let got = by_decoded_href(&r);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        vec![&inside],
        "{}",
        r.text()
    );
    let data = got[&inside]
        .ok_prop(CAL, "calendar-data")
        .unwrap_or_else(|| panic!("no calendar-data: {}", r.text()));
    let g = get_req(&s, &u, &inside);
    assert_eq!(data.text().as_bytes(), g.body.as_slice());

    // iOS 5's open-ended range (start only), from 2007-01-01 on.
    let body = request_fixture("ios-5-calendar-query-open-ended-time-range.xml")
        .replace("%(start-date)s", "20070101");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_eq!(hrefs_of(&r), vec![outside.clone()], "{}", r.text());
}

#[test]
fn date_only_time_range_in_a_calendar_query_is_403_valid_filter() {
    let s = Server::start();
    let u = s.new_user("rep");
    let coll = calendar_url(&u);
    let ev = event("do-1", "x");
    put_created(&s, &u, &format!("{coll}e.ics"), ev.as_bytes());
    // The time-range element exactly as CalDAVTester sends it (DATE, not UTC DATE-TIME).
    let fb = request_fixture("free-busy-query-date-only-range.xml");
    let start = fb.find("<C:time-range").expect("time-range in fixture");
    let len = fb[start..].find("/>").expect("end of time-range") + 2;
    let time_range = &fb[start..start + len];
    assert!(time_range.contains("start=\"19900101\""));
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8" ?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
{time_range}
</C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"#
    );
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_dav_error(&r, 403, CAL, "valid-filter");
}

#[test]
fn addressbook_query_with_limit_returns_two_and_a_507_for_the_collection() {
    let s = Server::start();
    let u = s.new_user("rep");
    let coll = addressbook_url(&u);
    for i in 0..5 {
        let card = vcard(&format!("lim-{i}"), "L");
        put_created(&s, &u, &format!("{coll}c{i}.vcf"), card.as_bytes());
    }
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/></D:prop>
  <C:filter/>
  <C:limit><C:nresults>2</C:nresults></C:limit>
</C:addressbook-query>"#;
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let rs = multistatus(&r);
    let members: Vec<&MsResponse> = rs.iter().filter(|m| m.href != coll).collect();
    assert_eq!(members.len(), 2, "{}", r.text());
    for m in &members {
        assert!(m.ok_prop(DAV, "getetag").is_some(), "{}", r.text());
    }
    let truncation: Vec<&MsResponse> = rs.iter().filter(|m| m.href == coll).collect();
    assert_eq!(truncation.len(), 1, "{}", r.text());
    assert_eq!(truncation[0].status, Some(507), "{}", r.text());
    let doc = parse_xml(&r);
    assert!(
        descendants(&doc, DAV, "number-of-matches-within-limits").len() == 1,
        "{}",
        r.text()
    );
}

#[test]
fn sync_collection_on_a_home_or_principal_is_403_and_not_advertised_there() {
    let s = Server::start();
    let u = s.new_user("rep");
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#;
    let targets = [
        format!("/dav/calendars/{}/", u.login),
        format!("/dav/addressbooks/{}/", u.login),
        principal_url(&u),
    ];
    for t in &targets {
        let r = report_req(&s, &u, t, Some("0"), body.as_bytes());
        assert_dav_error(&r, 403, DAV, "supported-report");
        // RFC 3253 §3.1.5: what DAV:supported-report-set advertises must be answered, so a
        // resource refusing sync-collection must not list it.
        let pf = propfind_req(
            &s,
            &u,
            t,
            "0",
            &propfind_body(&[(DAV, "supported-report-set")]),
        );
        let doc = parse_xml(&pf);
        assert!(
            descendants(&doc, DAV, "sync-collection").is_empty(),
            "{t} advertises sync-collection but refuses it: {}",
            pf.text()
        );
    }
}

/// A weekly Europe/Berlin series (Mondays 09:00, master SEQUENCE 2) with an EXDATE, an
/// instance moved to 14:00 by an override at SEQUENCE 3 whose RECURRENCE-ID is written in UTC,
/// and a plain event: compat pitfalls 6 and 7.
const SERIES: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n\
BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20250101T000000Z\r\nSEQUENCE:2\r\n\
DTSTART;TZID=Europe/Berlin:20250106T090000\r\nDTEND;TZID=Europe/Berlin:20250106T100000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/Berlin:20250113T090000\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20250101T000000Z\r\nSEQUENCE:3\r\n\
RECURRENCE-ID:20250120T080000Z\r\n\
DTSTART;TZID=Europe/Berlin:20250120T140000\r\nDTEND;TZID=Europe/Berlin:20250120T150000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn time_range_matches_recurring_instances_not_the_whole_span() {
    let s = Server::start();
    let u = s.new_user("rec");
    let cal = calendar_url(&u);
    put_created(&s, &u, &format!("{cal}series.ics"), SERIES.as_bytes());
    put_created(
        &s,
        &u,
        &format!("{cal}single.ics"),
        event_at("single", "20250107T120000Z", "20250107T130000Z").as_bytes(),
    );
    let query = |start: &str, end: &str| -> Vec<String> {
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
        );
        let mut names: Vec<String> =
            hrefs_of(&report_req(&s, &u, &cal, Some("1"), body.as_bytes()))
                .into_iter()
                .map(|h| h.rsplit('/').next().unwrap_or_default().to_owned())
                .collect();
        names.sort();
        names
    };
    // Monday 6 January 08:00Z (09:00 Berlin): an instance.
    assert_eq!(
        query("20250106T080000Z", "20250106T090000Z"),
        vec!["series.ics"]
    );
    // Tuesday 7 January: the single event only, not the series around it.
    assert_eq!(
        query("20250107T000000Z", "20250108T000000Z"),
        vec!["single.ics"]
    );
    // Monday 13 January is excluded by EXDATE.
    assert!(query("20250113T000000Z", "20250114T000000Z").is_empty());
    // Monday 20 January: the original 09:00 slot is empty (the override's SEQUENCE differs and
    // its RECURRENCE-ID is in UTC), the moved instance is found at 14:00 Berlin (13:00Z).
    assert!(query("20250120T080000Z", "20250120T090000Z").is_empty());
    assert_eq!(
        query("20250120T130000Z", "20250120T140000Z"),
        vec!["series.ics"]
    );
    // Ten years out, the infinite rule still matches on a Monday (8 January 2035, 09:00
    // Berlin) and not on the Sunday before.
    assert!(query("20350107T000000Z", "20350108T000000Z").is_empty());
    assert_eq!(
        query("20350108T080000Z", "20350108T090000Z"),
        vec!["series.ics"]
    );
}
