//! CALDAV:calendar-data shaping (RFC 4791 §9.6): expand and partial retrieval in
//! calendar-query (the corpus bodies of `fixtures/xml/`), partial retrieval in a multiget and
//! a sync-collection, plain calendar-data equal to GET, and the 403 refusals.

use crate::common::*;

const CAL: &str = NS_CALDAV;

/// The year the corpus bodies' `$now.year.1:` variable stands for in these tests.
const YEAR: &str = "2031";

/// A corpus body with its `$now.year.1:` variables replaced by [`YEAR`].
fn corpus(name: &str) -> String {
    let body = request_fixture(name).replace("$now.year.1:", YEAR);
    assert!(!body.contains('$'), "unsubstituted variable in {name}");
    body
}

/// A weekly Thursday meeting in Berlin from 2 January of [`YEAR`], six times, with an alarm,
/// the third instance moved by a day with a higher SEQUENCE.
fn weekly_berlin() -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:weekly-berlin\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:0\r\n\
DTSTART;TZID=Europe/Berlin:{YEAR}0102T100000\r\nDTEND;TZID=Europe/Berlin:{YEAR}0102T110000\r\n\
RRULE:FREQ=WEEKLY;COUNT=6\r\nSUMMARY:Weekly\r\nLOCATION:Room 1\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly-berlin\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:3\r\n\
RECURRENCE-ID;TZID=Europe/Berlin:{YEAR}0116T100000\r\n\
DTSTART;TZID=Europe/Berlin:{YEAR}0117T100000\r\nDTEND;TZID=Europe/Berlin:{YEAR}0117T110000\r\n\
SUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The calendar-data text of the only response of a 207, CRLF kept.
#[track_caller]
fn only_calendar_data(r: &Resp) -> (String, String) {
    let ms = multistatus(r);
    assert_eq!(ms.len(), 1, "{}", r.text());
    let data = ms[0]
        .ok_prop(CAL, "calendar-data")
        .unwrap_or_else(|| panic!("no calendar-data: {}", r.text()))
        .text();
    (ms[0].href.clone(), data)
}

#[test]
fn calendar_query_expand_corpus_body_lists_the_instance_in_utc() {
    let s = Server::start();
    let u = s.new_user("cde");
    let coll = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{coll}weekly.ics"),
        weekly_berlin().as_bytes(),
    );
    let other = event("elsewhere", "elsewhere").replace("20240102T", &format!("{YEAR}0301T"));
    put_created(&s, &u, &format!("{coll}other.ics"), other.as_bytes());

    let body = corpus("calendar-query-expand.xml");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let (href, data) = only_calendar_data(&r);
    assert!(href.ends_with("weekly.ics"), "{href}");
    // 9 January 10:00 in Berlin (CET) is 09:00 UTC.
    let want = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VEVENT\r\nUID:weekly-berlin\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:0\r\n\
DTSTART:{YEAR}0109T090000Z\r\nRECURRENCE-ID:{YEAR}0109T090000Z\r\nDTEND:{YEAR}0109T100000Z\r\n\
SUMMARY:Weekly\r\nLOCATION:Room 1\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    assert_eq!(data, want);
}

#[test]
fn calendar_query_expand_with_partial_comp_corpus_body() {
    let s = Server::start();
    let u = s.new_user("cde");
    let coll = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{coll}weekly.ics"),
        weekly_berlin().as_bytes(),
    );
    // Range 1 January 09:00Z to 8 January 09:00Z: the 2 January instance only.
    let body = corpus("calendar-query-expand-partial-comp.xml");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let (_, data) = only_calendar_data(&r);
    let want = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VEVENT\r\nUID:weekly-berlin\r\nDTSTART:{YEAR}0102T090000Z\r\nDTEND:{YEAR}0102T100000Z\r\n\
SUMMARY:Weekly\r\nLOCATION:Room 1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    assert_eq!(data, want);

    // The moved instance: in its new slot, with its own SEQUENCE-less selection.
    let body = body
        .replace(
            &format!("{YEAR}0101T090000Z"),
            &format!("{YEAR}0117T000000Z"),
        )
        .replace(
            &format!("{YEAR}0108T090000Z"),
            &format!("{YEAR}0118T000000Z"),
        );
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let (_, data) = only_calendar_data(&r);
    assert!(
        data.contains(&format!(
            "DTSTART:{YEAR}0117T090000Z\r\nDTEND:{YEAR}0117T100000Z\r\nSUMMARY:Moved\r\n"
        )),
        "{data}"
    );
}

#[test]
fn multiget_partial_retrieval_and_plain_calendar_data_equal_to_get() {
    let s = Server::start();
    let u = s.new_user("cde");
    let coll = calendar_url(&u);
    let a = format!("{coll}a.ics");
    let b = format!("{coll}b.ics");
    put_created(&s, &u, &a, event("cd-a", "Alpha").as_bytes());
    put_created(&s, &u, &b, weekly_berlin().as_bytes());

    let multiget = |data: &str| {
        format!(
            r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>{data}</D:prop><D:href>{a}</D:href><D:href>{b}</D:href></C:calendar-multiget>"#
        )
    };
    let partial = multiget(
        r#"<C:calendar-data content-type="text/calendar" version="2.0"><C:comp name="VCALENDAR"><C:prop name="VERSION"/><C:comp name="VEVENT"><C:prop name="UID"/><C:prop name="SUMMARY" novalue="yes"/><C:allcomp/></C:comp></C:comp></C:calendar-data>"#,
    );
    let r = report_req(&s, &u, &coll, Some("1"), partial.as_bytes());
    let ms = multistatus(&r);
    assert_eq!(ms.len(), 2, "{}", r.text());
    for m in &ms {
        let data = m
            .ok_prop(CAL, "calendar-data")
            .expect("calendar-data")
            .text();
        if m.href.ends_with("a.ics") {
            assert_eq!(
                data,
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:cd-a\r\nSUMMARY:\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            );
        } else {
            assert!(!data.contains("VTIMEZONE") && !data.contains("DTSTART"));
            assert_eq!(
                data.matches("BEGIN:VEVENT\r\nUID:weekly-berlin\r\nSUMMARY:\r\n")
                    .count(),
                2,
                "{data}"
            );
            assert_eq!(
                data.matches("BEGIN:VALARM\r\nACTION:DISPLAY").count(),
                1,
                "{data}"
            );
        }
    }

    // Plain calendar-data, in a multiget, a PROPFIND and a sync-collection: the stored bytes.
    let r = report_req(
        &s,
        &u,
        &coll,
        Some("1"),
        multiget("<C:calendar-data/>").as_bytes(),
    );
    for m in multistatus(&r) {
        let path = decode_href(&m.href);
        assert_same_as_get(&s, &u, &r, &m, &path, (CAL, "calendar-data"));
    }
    let body = propfind_body(&[(NS_DAV, "getetag"), (CAL, "calendar-data")]);
    let r = propfind_req(&s, &u, &b, "0", &body);
    let m = &multistatus(&r)[0];
    assert_same_as_get(&s, &u, &r, m, &b, (CAL, "calendar-data"));

    let sync = r#"<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/><C:calendar-data><C:limit-recurrence-set start="20310110T000000Z" end="20310112T000000Z"/></C:calendar-data></D:prop></D:sync-collection>"#;
    let r = report_req(&s, &u, &coll, None, sync.as_bytes());
    for m in multistatus(&r) {
        if m.href.ends_with("b.ics") {
            let data = m
                .ok_prop(CAL, "calendar-data")
                .expect("calendar-data")
                .text();
            assert!(
                data.contains("RRULE:") && !data.contains("SUMMARY:Moved"),
                "{data}"
            );
        }
    }
}

#[test]
fn unsupported_calendar_data_and_bad_expand_ranges_are_refused() {
    let s = Server::start();
    let u = s.new_user("cde");
    let coll = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{coll}a.ics"),
        event("cd-r", "r").as_bytes(),
    );
    let query = |data: &str| {
        format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>{data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#
        )
    };
    for data in [
        r#"<C:calendar-data content-type="application/calendar+json"/>"#,
        r#"<C:calendar-data content-type="text/calendar" version="1.0"/>"#,
    ] {
        let r = report_req(&s, &u, &coll, Some("1"), query(data).as_bytes());
        assert_dav_error(&r, 403, CAL, "supported-calendar-data");
    }
    for data in [
        r#"<C:calendar-data><C:expand start="20240101" end="20240201T000000Z"/></C:calendar-data>"#,
        r#"<C:calendar-data><C:expand start="20240101T000000Z"/></C:calendar-data>"#,
        r#"<C:calendar-data><C:expand start="20240201T000000Z" end="20240101T000000Z"/></C:calendar-data>"#,
        r#"<C:calendar-data><C:limit-recurrence-set start="20240101T000000" end="20240201T000000Z"/></C:calendar-data>"#,
    ] {
        let r = report_req(&s, &u, &coll, Some("1"), query(data).as_bytes());
        assert_dav_error(&r, 403, CAL, "valid-filter");
    }
    // The same refusal in a PROPFIND.
    let body = r#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data content-type="text/plain"/></D:prop></D:propfind>"#;
    let r = propfind_req(&s, &u, &coll, "1", body.as_bytes());
    assert_dav_error(&r, 403, CAL, "supported-calendar-data");
}
