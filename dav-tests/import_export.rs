//! Import and export (issue 6): `.ics` and `.vcf` files imported through the API and the
//! command line (created / updated / unchanged / rejected with line numbers, one bad item never
//! stopping the others, re-importing changing nothing, plan limits), every real-client file of
//! `fixtures/` imported as classified below, and exports (GET on the collection, the API, the
//! command line) that import back to the same objects.

use std::collections::BTreeMap;

use crate::common::*;

/// MKCALENDAR of a calendar accepting every component the server knows.
const ALL_COMPONENTS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:displayname>Imported</D:displayname>
<C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/><C:comp name="VFREEBUSY"/></C:supported-calendar-component-set>
</D:prop></D:set></C:mkcalendar>"#;

/// Extended MKCOL of an address book.
const ADDRESS_BOOK: &str = r#"<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Imported</D:displayname></D:prop></D:set></D:mkcol>"#;

/// Creates calendar `name` of `u` accepting every component; its href.
fn new_calendar(s: &Server, u: &User, name: &str) -> String {
    let href = format!("/dav/calendars/{}/{name}/", u.login);
    let r = mkcalendar(s, u, &href, ALL_COMPONENTS);
    assert_eq!(r.status, 201, "MKCALENDAR {href}: {}", r.text());
    href
}

/// Creates address book `name` of `u`; its href.
fn new_book(s: &Server, u: &User, name: &str) -> String {
    let href = format!("/dav/addressbooks/{}/{name}/", u.login);
    let r = mkcol(s, u, &href, ADDRESS_BOOK);
    assert_eq!(r.status, 201, "MKCOL {href}: {}", r.text());
    href
}

/// The API path of a collection href (`/dav/calendars/a/b/` → `/api/v1/calendars/a/b`).
fn api_path(href: &str, rest: &str) -> String {
    format!(
        "/api/v1/{}/{rest}",
        href.trim_start_matches("/dav/").trim_end_matches('/')
    )
}

/// POSTs `file` to the collection's import through the API.
fn import_api(s: &Server, u: &User, href: &str, file: &[u8]) -> ApiResp {
    let resp = s.request(
        "POST",
        &api_path(href, "import"),
        Some(u),
        &[("Content-Type", "text/calendar")],
        file,
    );
    let json = serde_json::from_slice(&resp.body)
        .unwrap_or_else(|e| panic!("import answer is not JSON ({e}): {}", resp.text()));
    ApiResp { resp, json }
}

/// Imports through the API, asserting 200; the report.
#[track_caller]
fn import_ok(s: &Server, u: &User, href: &str, file: &[u8]) -> Value {
    let r = import_api(s, u, href, file);
    assert_eq!(r.status(), 200, "import into {href}: {}", r.resp.text());
    r.json
}

/// (created, updated, skipped, rejected) of a report.
fn counts(report: &Value) -> (i64, i64, i64, usize) {
    let n = |k: &str| report[k].as_i64().unwrap_or(-1);
    let rejected = report["rejected"].as_array().map_or(0, Vec::len);
    (n("created"), n("updated"), n("skipped"), rejected)
}

/// (line, code) of each rejected item.
fn rejections(report: &Value) -> Vec<(i64, String)> {
    report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().expect("line"),
                r["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

/// Every member's href and body, by GET.
fn contents(s: &Server, u: &User, href: &str) -> BTreeMap<String, Vec<u8>> {
    collection_state(s, u, href)
        .into_iter()
        .filter(|(h, _)| h != href)
        .map(|(h, _)| {
            let r = get_req(s, u, &h);
            assert_eq!(r.status, 200, "GET {h}");
            (h, r.body)
        })
        .collect()
}

/// Every member's body by name (the collection's href taken off).
fn members(s: &Server, u: &User, href: &str) -> BTreeMap<String, Vec<u8>> {
    contents(s, u, href)
        .into_iter()
        .map(|(h, b)| (h.trim_start_matches(href).to_owned(), b))
        .collect()
}

/// The bodies without their VTIMEZONE components.
fn without_zones(members: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    members
        .iter()
        .map(|(name, body)| {
            let mut text = String::from_utf8_lossy(body).into_owned();
            while let Some(start) = text.find("BEGIN:VTIMEZONE\r\n") {
                let end = text[start..]
                    .find("END:VTIMEZONE\r\n")
                    .expect("END:VTIMEZONE")
                    + start
                    + "END:VTIMEZONE\r\n".len();
                text.replace_range(start..end, "");
            }
            (name.clone(), text)
        })
        .collect()
}

/// A GET of the collection: its export, asserting a complete streamed answer.
#[track_caller]
fn export_get(s: &Server, u: &User, href: &str) -> Resp {
    let r = get_req(s, u, href);
    assert_eq!(r.status, 200, "GET {href}: {}", r.text());
    assert_eq!(
        r.header("transfer-encoding"),
        Some("chunked"),
        "streamed, not buffered"
    );
    r
}

fn vevent(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDTEND:20240102T110000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )
}

fn calendar_file(components: &[String]) -> Vec<u8> {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//exporter//EN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Old\r\n{}END:VCALENDAR\r\n",
        components.concat()
    )
    .into_bytes()
}

const ZURICH: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

#[test]
fn import_reports_each_item_and_reimporting_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("imp");
    let cal = calendar_url(&u);
    let series = "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Zurich:20240101T090000\r\nDTEND;TZID=Europe/Zurich:20240101T100000\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n".to_owned();
    let moved = "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Zurich:20240108T090000\r\nDTSTART;TZID=Europe/Zurich:20240108T110000\r\nDTEND;TZID=Europe/Zurich:20240108T120000\r\nSUMMARY:Weekly (moved)\r\nEND:VEVENT\r\n".to_owned();
    let task =
        "BEGIN:VTODO\r\nUID:task\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:Do it\r\nEND:VTODO\r\n"
            .to_owned();
    let bad_date = "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n".to_owned();
    let journal = "BEGIN:VJOURNAL\r\nUID:journal\r\nSUMMARY:x\r\nEND:VJOURNAL\r\n".to_owned();
    // Lines: the header is 5 lines; the override starts on line 6, the zone on 14, ...
    let file = calendar_file(&[
        moved.clone(),
        ZURICH.to_owned(),
        vevent("plain", "Plain"),
        bad_date.clone(),
        series.clone(),
        task.clone(),
        journal.clone(),
    ]);
    let report = import_ok(&s, &u, &cal, &file);
    assert_eq!(report["collection"], cal.as_str());
    assert_eq!(counts(&report), (3, 0, 0, 2), "{report}");
    // Each refusal names the line its item starts on: after the header (5 lines), the
    // override (8), the zone (15) and the plain event (7); the journal after the bad event
    // (4), the series (8) and the task (5), refused by this VEVENT/VTODO calendar.
    let bad_line = 6 + 8 + 15 + 7;
    assert_eq!(
        rejections(&report),
        [
            (bad_line, "valid-calendar-data".to_owned()),
            (
                bad_line + 4 + 8 + 5,
                "supported-calendar-component".to_owned()
            )
        ],
        "{report}"
    );
    let reason = report["rejected"][0]["reason"].as_str().expect("reason");
    assert!(reason.contains("DTSTART"), "{reason}");
    assert_eq!(report["rejected"][0]["uid"], "bad");

    // The series and its override are one object with the zone they use; METHOD and the
    // file's calendar properties are gone.
    let stored = get_req(&s, &u, &format!("{cal}series.ics"));
    assert_eq!(stored.status, 200);
    let body = stored.text();
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 2, "{body}");
    assert_eq!(body.matches("BEGIN:VTIMEZONE").count(), 1, "{body}");
    assert!(
        !body.contains("METHOD") && !body.contains("X-WR-CALNAME"),
        "{body}"
    );
    let task_body = get_req(&s, &u, &format!("{cal}task.ics")).text();
    assert!(!task_body.contains("VTIMEZONE"), "{task_body}");
    // The journal: this calendar takes VEVENT and VTODO only.
    let journal_report = import_ok(&s, &u, &cal, &calendar_file(&[journal]));
    assert_eq!(
        rejections(&journal_report)[0].1,
        "supported-calendar-component"
    );

    // The same file again: nothing changes, not even the sync token.
    let before = collection_state(&s, &u, &cal);
    let again = import_ok(&s, &u, &cal, &file);
    assert_eq!(counts(&again), (0, 0, 3, 2), "{again}");
    assert_eq!(collection_state(&s, &u, &cal), before);

    // A changed event with the same UID replaces it, under its name.
    let changed = calendar_file(&[vevent("plain", "Plain, moved")]);
    let report = import_ok(&s, &u, &cal, &changed);
    assert_eq!(counts(&report), (0, 1, 0, 0), "{report}");
    assert!(
        get_req(&s, &u, &format!("{cal}plain.ics"))
            .text()
            .contains("SUMMARY:Plain, moved")
    );
}

#[test]
fn vcards_of_both_versions_import_and_bad_ones_are_reported_by_line() {
    let s = Server::start();
    let u = s.new_user("imp");
    let book = addressbook_url(&u);
    let file = concat!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:one\r\nFN:One\r\nN:One;;;;\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:2.1\r\nUID:old\r\nFN:Old\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:two\r\nFN:Two\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:No Uid\r\nEND:VCARD\r\n",
        "stray text\r\n",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:cut\r\n"
    );
    let report = import_ok(&s, &u, &book, file.as_bytes());
    assert_eq!(counts(&report), (3, 0, 0, 3), "{report}");
    assert_eq!(report["uids_added"], 1);
    assert_eq!(
        rejections(&report),
        [
            (7, "valid-address-data".to_owned()),
            (21, "not-an-object".to_owned()),
            (22, "not-an-object".to_owned())
        ],
        "{report}"
    );
    let two = get_req(&s, &u, &format!("{book}two.vcf"));
    assert_eq!(two.status, 200, "named after the UID without urn:uuid:");
    assert_eq!(
        two.body,
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:two\r\nFN:Two\r\nEND:VCARD\r\n"
    );
    let again = import_ok(&s, &u, &book, file.as_bytes());
    assert_eq!(
        counts(&again),
        (0, 0, 3, 3),
        "the derived UID is found again: {again}"
    );
}

#[test]
fn import_respects_the_plan_and_the_owner() {
    let config = every_plan("max_object_size = 400\nquota_bytes = 500");
    let s = Server::start_with_config(Some(&config));
    let u = s.new_user("imp");
    let cal = calendar_url(&u);
    let big = format!(
        "BEGIN:VEVENT\r\nUID:big\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\n",
        "x".repeat(400)
    );
    let file = calendar_file(&[
        vevent("a", "A"),
        big,
        vevent("b", "B"),
        vevent("c", "C"),
        vevent("d", "D"),
    ]);
    let report = import_ok(&s, &u, &cal, &file);
    let codes: Vec<String> = rejections(&report).into_iter().map(|(_, c)| c).collect();
    // Each small event takes about 200 bytes: two fit in the quota, the last two do not.
    assert_eq!(
        codes,
        [
            "max-resource-size",
            "quota-not-exceeded",
            "quota-not-exceeded"
        ],
        "{report}"
    );
    assert_eq!(counts(&report).0, 2, "{report}");

    // Someone else's calendar: refused, nothing written.
    let other = s.new_user("imp");
    let theirs = calendar_url(&other);
    let before = collection_state(&s, &other, &theirs);
    let r = import_api(&s, &u, &theirs, &calendar_file(&[vevent("x", "X")]));
    assert_api_error(&r, 403, "forbidden");
    assert_eq!(collection_state(&s, &other, &theirs), before);
    // A collection that does not exist.
    let r = import_api(
        &s,
        &u,
        &format!("/dav/calendars/{}/nope/", u.login),
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    );
    assert_api_error(&r, 404, "not-found");
    // A body that is not a collection's format at all: nothing to import, all reported.
    let report = import_ok(&s, &u, &cal, b"{\"json\": true}");
    assert_eq!(counts(&report), (0, 0, 0, 1));
}

/// What importing each file of `fixtures/` into a calendar accepting every component (or an
/// address book) gives: (file, created, rejected codes in file order, why). Every file in the
/// directories must be listed; files whose only problem is a missing UID import with a derived
/// one; CalDAVTester templates are refused raw; vCard 2.1 is refused (see `src/ical/vcard.rs`).
const CORPUS: &[(&str, usize, &[&str], &str)] = &[
    (
        "apple-macos-10.13-tzoffset-seconds-absolute-alarm.ics",
        1,
        &[],
        "valid",
    ),
    (
        "attach-inline-base64-binary.ics",
        1,
        &[],
        "lenient: no DTSTAMP",
    ),
    (
        "attach-inline-base64-ccs.ics",
        0,
        &["valid-calendar-data"],
        "template $now",
    ),
    (
        "ccs-recurring-us-eastern-template.ics",
        0,
        &["valid-calendar-data"],
        "template $now",
    ),
    ("custom-tzid-america-new-york.ics", 1, &[], "valid"),
    ("davdroid-vtodo-recurring-all-day.ics", 1, &[], "valid"),
    (
        "davmail-vfreebusy-reply.ics",
        1,
        &[],
        "METHOD:REPLY dropped",
    ),
    (
        "davx5-exdate-recurrence-id-europe-paris.ics",
        1,
        &[],
        "master + override",
    ),
    (
        "davx5-recurring-many-overrides-related-to.ics",
        1,
        &[],
        "one series",
    ),
    ("etar-android-alarms.ics", 1, &[], "METHOD:PUBLISH dropped"),
    (
        "evolution-1.8-event-softwarestudio-tzid.ics",
        1,
        &[],
        "VTIMEZONE after VEVENT",
    ),
    ("evolution-all-day-event-alarm.ics", 1, &[], "valid"),
    (
        "exchange-cdo-gmt-offset-tzid.ics",
        1,
        &[],
        "METHOD dropped, UID derived",
    ),
    (
        "exchange2010-eastern-standard-time.ics",
        1,
        &[],
        "METHOD dropped",
    ),
    (
        "exchange2010-pacific-standard-time.ics",
        1,
        &[],
        "METHOD dropped",
    ),
    (
        "google-calendar-invite-weekly-attendees.ics",
        1,
        &[],
        "valid",
    ),
    (
        "google-europe-zurich-x-apple-structured-location.ics",
        1,
        &[],
        "METHOD dropped",
    ),
    (
        "google-invalid-rrule-exdate.ics",
        1,
        &["valid-calendar-data"],
        "second event: empty EXDATE",
    ),
    ("ical3-vtodo-due-date.ics", 1, &[], "valid"),
    ("ical4-attendee-accept-partstat.ics", 1, &[], "valid"),
    (
        "ical4-invite-recurring-override-attendees.ics",
        0,
        &["valid-calendar-data"],
        "template $now",
    ),
    (
        "macos-10.11-recurring-exdate-override-no-vtimezone.ics",
        1,
        &[],
        "lenient: no VTIMEZONE",
    ),
    (
        "malformed-broken-ical.ics",
        0,
        &["valid-calendar-data"],
        "empty parameter",
    ),
    (
        "malformed-broken-vevent.ics",
        0,
        &["not-an-object", "not-an-object"],
        "END lines missing",
    ),
    (
        "malformed-fuzz-vtimezone-lone-cr.ics",
        0,
        &["not-an-object"],
        "no VCALENDAR",
    ),
    (
        "missing-vtimezone-definitions.ics",
        4,
        &[],
        "four components, UIDs derived",
    ),
    ("mulberry-put-event.ics", 1, &[], "valid"),
    (
        "non-ascii-tzid-windows-name-crlf.ics",
        1,
        &[],
        "UID derived",
    ),
    (
        "odd-whitespace-in-property-and-params.ics",
        1,
        &[],
        "lenient: whitespace",
    ),
    (
        "related-to-reltype-sibling-minimal.ics",
        2,
        &[],
        "fragment, UIDs derived",
    ),
    (
        "server-vtimezone-europe-zurich.ics",
        0,
        &[],
        "only a VTIMEZONE: nothing to import",
    ),
    (
        "server-vtimezone-w-europe-standard-time.ics",
        0,
        &[],
        "only a VTIMEZONE: nothing to import",
    ),
    ("sunbird-vtodo-completed.ics", 1, &[], "valid"),
    ("sunbird-vtodo-in-process.ics", 1, &[], "valid"),
    ("thunderbird-alarms-x-moz-lastack.ics", 1, &[], "valid"),
    ("thunderbird-all-day-recurring.ics", 1, &[], "valid"),
    ("thunderbird-crlf-many-vtimezone-rdate.ics", 1, &[], "valid"),
    (
        "thunderbird-from-exchange-w-europe-standard-time.ics",
        1,
        &[],
        "valid",
    ),
    (
        "thunderbird-mixed-date-datetime-recurrence.ics",
        1,
        &[],
        "odd, accepted",
    ),
    ("thunderbird-recurring-with-override.ics", 1, &[], "valid"),
    ("thunderbird-vjournal-recurring.ics", 1, &[], "valid"),
    (
        "thunderbird-vtodo-no-dtstamp.ics",
        1,
        &[],
        "lenient: no DTSTAMP",
    ),
    (
        "two-events-uids-differ-only-in-case.ics",
        2,
        &[],
        "two UIDs: two objects",
    ),
    (
        "utf8-bom-empty-vcalendar.ics",
        0,
        &[],
        "empty: nothing to import",
    ),
    (
        "vtodo-related-to-finishtostart-gap.ics",
        1,
        &[],
        "UID \"$uidrandom:\" kept",
    ),
    (
        "x-apple-calendar-color-st-johns.ics",
        0,
        &["valid-calendar-data"],
        "template $now",
    ),
    (
        "x-apple-structured-location-invite.ics",
        0,
        &["valid-calendar-data"],
        "template $now",
    ),
    (
        "android-vcard21-quoted-printable-utf8.vcf",
        0,
        &["valid-address-data"; 6],
        "vCard 2.1",
    ),
    ("apple-addressbook-all-custom-fields.vcf", 1, &[], "valid"),
    ("apple-addressbook-company-card.vcf", 1, &[], "valid"),
    ("apple-addressbook-japanese-name.vcf", 1, &[], "valid"),
    ("apple-addressbook-latin-extended-name.vcf", 1, &[], "valid"),
    (
        "apple-addressbook-photo-base64-76k.vcf",
        1,
        &[],
        "valid, large",
    ),
    ("apple-group-dangling-member.vcf", 1, &[], "group"),
    ("apple-group-x-addressbookserver-kind.vcf", 1, &[], "group"),
    (
        "apple-uid-with-colon-abperson.vcf",
        1,
        &[],
        "UID with a colon",
    ),
    ("apple-x-abuid-abperson.vcf", 1, &[], "UID derived"),
    (
        "blackberry-vcard21.vcf",
        0,
        &["valid-address-data"],
        "vCard 2.1",
    ),
    ("ccs-group-card-seven-members.vcf", 1, &[], "group"),
    ("evolution-vcard3.vcf", 1, &[], "valid"),
    (
        "fullcontact-vcard4-altid-multiple.vcf",
        1,
        &[],
        "UID derived",
    ),
    ("gmail-vcard3-john-doe.vcf", 1, &[], "UID derived"),
    (
        "google-contacts-vcard3-custom-labels.vcf",
        1,
        &[],
        "UID derived",
    ),
    (
        "iphone-vcard3-photo-itemN-xablabel.vcf",
        1,
        &[],
        "UID derived",
    ),
    ("lotus-notes-vcard3.vcf", 1, &[], "valid"),
    ("macos-addressbook-vcard3-photo.vcf", 1, &[], "UID derived"),
    (
        "malformed-broken-vcard.vcf",
        0,
        &["valid-address-data"],
        "no FN",
    ),
    (
        "malformed-empty-vcard.vcf",
        0,
        &["valid-address-data"],
        "no VERSION",
    ),
    (
        "malformed-two-vcards-no-uid.vcf",
        1,
        &["valid-address-data"],
        "second card: no FN",
    ),
    ("minimal-vcard4.vcf", 1, &[], "valid"),
    (
        "outlook-2003-vcard21.vcf",
        0,
        &["valid-address-data"],
        "vCard 2.1",
    ),
    (
        "outlook-vcard21-qp-photo.vcf",
        0,
        &["valid-address-data"],
        "vCard 2.1",
    ),
    ("rfc6350-example-vcard4.vcf", 1, &[], "UID derived"),
    (
        "thunderbird-cardbook-bday-1604-no-year.vcf",
        1,
        &[],
        "valid",
    ),
    (
        "thunderbird-mfffab-vcard3-charset.vcf",
        1,
        &[],
        "UID derived",
    ),
    ("vcard4-adr-label-caret-encoding.vcf", 1, &[], "valid"),
    ("vcard4-photo-data-uri.vcf", 1, &[], "valid"),
];

/// Every file of `fixtures/ical` and `fixtures/vcard`, sorted.
fn corpus_files() -> Vec<String> {
    let mut names = Vec::new();
    for dir in ["ical", "vcard"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(dir);
        for entry in std::fs::read_dir(&path).expect("fixtures") {
            names.push(
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    names.sort();
    names
}

fn corpus_fixture(name: &str) -> Vec<u8> {
    let dir = if name.ends_with(".ics") {
        "ical"
    } else {
        "vcard"
    };
    fixture(&format!("{dir}/{name}"))
}

#[test]
fn every_corpus_file_imports_as_classified_and_exports_back_to_the_same_objects() {
    let mut listed: Vec<String> = CORPUS.iter().map(|(f, ..)| (*f).to_owned()).collect();
    listed.sort();
    assert_eq!(
        listed,
        corpus_files(),
        "fixtures/ and the CORPUS table must list the same files"
    );
    let s = Server::start();
    let u = s.new_user("corpus");
    // Each file into a collection of its own, then all the good ones into one.
    let all_cal = new_calendar(&s, &u, "all");
    let all_book = new_book(&s, &u, "all-cards");
    let (mut calendar_objects, mut cards) = (0, 0);
    for (i, (file, created, rejected, why)) in CORPUS.iter().enumerate() {
        let data = corpus_fixture(file);
        let ics = file.ends_with(".ics");
        let own = if ics {
            new_calendar(&s, &u, &format!("c{i}"))
        } else {
            new_book(&s, &u, &format!("b{i}"))
        };
        let report = import_ok(&s, &u, &own, &data);
        let codes: Vec<String> = rejections(&report).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            (counts(&report).0 as usize, codes.as_slice()),
            (
                *created,
                &rejected.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()[..]
            ),
            "{file} ({why}): {report}"
        );
        assert_eq!(
            collection_state(&s, &u, &own).len() - 1,
            *created,
            "{file}: members"
        );
        if *created > 0 {
            let into = if ics { &all_cal } else { &all_book };
            let report = import_ok(&s, &u, into, &data);
            assert_eq!(counts(&report).0 as usize, *created, "{file}: {report}");
            if ics {
                calendar_objects += created;
            } else {
                cards += created;
            }
        }
    }

    for (href, objects, name) in [
        (&all_cal, calendar_objects, "again"),
        (&all_book, cards, "again-cards"),
    ] {
        let export = export_get(&s, &u, href);
        let ics = href.starts_with("/dav/calendars/");
        let text = export.text();
        if ics {
            assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1);
            assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
            let mut zones: Vec<&str> = text.lines().filter(|l| l.starts_with("TZID:")).collect();
            let n = zones.len();
            zones.sort_unstable();
            zones.dedup();
            assert_eq!(zones.len(), n, "each VTIMEZONE once");
            assert!(n >= 10, "{n} zones");
        } else {
            assert_eq!(text.matches("BEGIN:VCARD").count(), objects);
        }
        // The export imports into a new collection as the same objects, under the same names:
        // the same components, with the time zones as the export defines them (each TZID once,
        // so a variant definition an object carried, or a missing one, becomes that one).
        let copy = if ics {
            new_calendar(&s, &u, name)
        } else {
            new_book(&s, &u, name)
        };
        let report = import_ok(&s, &u, &copy, &export.body);
        assert_eq!(counts(&report), (objects as i64, 0, 0, 0), "{report}");
        let first = members(&s, &u, &copy);
        assert_eq!(
            without_zones(&first),
            without_zones(&members(&s, &u, href)),
            "export → import round trip of {href}"
        );
        // From there on the round trip is exact: the copy exports to the same bytes, which
        // import into the same objects.
        let again = export_get(&s, &u, &copy);
        let second = if ics {
            new_calendar(&s, &u, &format!("{name}-2"))
        } else {
            new_book(&s, &u, &format!("{name}-2"))
        };
        import_ok(&s, &u, &second, &again.body);
        assert_eq!(members(&s, &u, &second), first);
        assert_eq!(export_get(&s, &u, &second).body, again.body);
        // And into the collection it came from: nothing changes.
        let before = collection_state(&s, &u, href);
        let report = import_ok(&s, &u, href, &export.body);
        assert_eq!(counts(&report), (0, 0, objects as i64, 0), "{report}");
        assert_eq!(collection_state(&s, &u, href), before);
    }
}

#[test]
fn objects_stored_by_clients_export_and_import_back_unchanged() {
    let s = Server::start();
    let u = s.new_user("exp");
    let cal = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{cal}a.ics"),
        event("a", "Stored").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{cal}fixture.ics"),
        &corpus_fixture("thunderbird-recurring-with-override.ics"),
    );
    let export = export_get(&s, &u, &cal);
    let text = export.text();
    assert!(text.contains("X-WR-CALNAME:Personal\r\n"), "{text}");
    // The event and the fixture's master with its two overrides.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 4, "{text}");
    // Imported back, the objects stored as the clients sent them are found unchanged.
    let before = collection_state(&s, &u, &cal);
    let report = import_ok(&s, &u, &cal, &export.body);
    assert_eq!(counts(&report), (0, 0, 2, 0), "{report}");
    assert_eq!(collection_state(&s, &u, &cal), before);
}

#[test]
fn exports_stream_every_member_in_pages_and_head_sends_no_body() {
    let s = Server::start();
    let u = s.new_user("exp");
    let cal = calendar_url(&u);
    // More than one page (256 objects) of events.
    let events: Vec<String> = (0..600).map(|i| vevent(&format!("e{i:04}"), "E")).collect();
    let report = import_ok(&s, &u, &cal, &calendar_file(&events));
    assert_eq!(counts(&report), (600, 0, 0, 0));
    let export = export_get(&s, &u, &cal);
    assert_eq!(export.text().matches("BEGIN:VEVENT").count(), 600);
    assert!(
        export
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/calendar"))
    );
    let head = s.request("HEAD", &cal, Some(&u), &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // The API's export is the same file, as an attachment named after the collection.
    let from_api = s.request("GET", &api_path(&cal, "export"), Some(&u), &[], b"");
    assert_eq!(from_api.status, 200);
    assert_eq!(
        from_api.header("content-disposition"),
        Some("attachment; filename=\"personal.ics\"")
    );
    assert_eq!(from_api.body, export.body);
    // The address book's export is its cards, in vCard's media type.
    let book = addressbook_url(&u);
    put_created(&s, &u, &format!("{book}a.vcf"), vcard("a", "A").as_bytes());
    let cards = export_get(&s, &u, &book);
    assert!(
        cards
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/vcard"))
    );
    assert_eq!(cards.body, vcard("a", "A").as_bytes());
    // Someone else's collection is not exported, by either way.
    let other = s.new_user("exp");
    assert_eq!(get_req(&s, &other, &cal).status, 403);
    let r = api(&s, Some(&other), "GET", &api_path(&cal, "export"), None);
    assert_api_error(&r, 403, "forbidden");
}

#[test]
fn cli_imports_with_a_summary_and_fails_only_when_nothing_was_imported() {
    let s = Server::start();
    let u = s.new_user("cli");
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.ics");
    std::fs::write(
        &good,
        calendar_file(&[
            vevent("a", "A"),
            "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:x\r\nEND:VEVENT\r\n".into(),
        ]),
    )
    .expect("write");
    let cal = calendar_url(&u);
    let path = good.to_string_lossy().into_owned();
    let out = s.cli_ok(&["import", &path, "--into", &cal], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{cal}: 1 created, 0 updated, 0 unchanged, 1 rejected"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("\nline 13: "), "{stdout}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains('\r'),
        "no progress bar off a terminal"
    );
    // Again, as JSON and with the short path form: unchanged, still a success.
    let short = format!("calendars/{}/personal", u.login);
    let report = s.cli_json(&["import", &path, "--into", &short], None);
    assert_eq!(counts(&report), (0, 0, 1, 1), "{report}");
    // Nothing importable: a failure that says why, and nothing written.
    let bad = dir.path().join("bad.ics");
    std::fs::write(
        &bad,
        calendar_file(&["BEGIN:VEVENT\r\nUID:b\r\nDTSTART:x\r\nEND:VEVENT\r\n".into()]),
    )
    .expect("write");
    let before = collection_state(&s, &u, &cal);
    let err = s.cli_err(&["import", &bad.to_string_lossy(), "--into", &cal], None);
    assert!(err.contains("nothing could be imported"), "{err}");
    assert_eq!(collection_state(&s, &u, &cal), before);
    // From standard input.
    let card = vcard("stdin-card", "From Stdin");
    let out = s.cli_ok(
        &["import", "-", "--into", &addressbook_url(&u)],
        Some(&card),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 created"));
    // Bad paths name the problem.
    let err = s.cli_err(
        &["import", &path, "--into", "/dav/calendars/nobody/x/"],
        None,
    );
    assert!(err.contains("no account named nobody"), "{err}");
    let err = s.cli_err(&["import", &path, "--into", "personal"], None);
    assert!(err.contains("is not a collection path"), "{err}");
}

#[test]
fn cli_exports_to_a_file_or_standard_output() {
    let s = Server::start();
    let u = s.new_user("cli");
    let book = addressbook_url(&u);
    for i in 0..3 {
        put_created(
            &s,
            &u,
            &format!("{book}{i}.vcf"),
            vcard(&format!("u{i}"), "N").as_bytes(),
        );
    }
    let out = s.cli_ok(&["export", &book], None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("BEGIN:VCARD")
            .count(),
        3
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("contacts.vcf");
    // A file of the person's own, named like a temporary one, is left alone.
    let own = dir.path().join("contacts.partial");
    std::fs::write(&own, "my notes").expect("write");
    s.cli_ok(&["export", &book, "--out", &file.to_string_lossy()], None);
    assert_eq!(std::fs::read(&file).expect("export file"), out.stdout);
    assert_eq!(std::fs::read_to_string(&own).expect("own file"), "my notes");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    // And back in through the command line: nothing changes.
    let before = collection_state(&s, &u, &book);
    s.cli_ok(&["import", &file.to_string_lossy(), "--into", &book], None);
    assert_eq!(collection_state(&s, &u, &book), before);
}

/// With `--json`, `import`, `export` and `contacts` fail with the API's error body on standard
/// error like every other command; an import with nothing to import still prints its report.
#[test]
fn cli_transfer_and_contact_failures_are_json_with_json() {
    let s = Server::start();
    let u = s.new_user("cli");
    let cal = calendar_url(&u);
    let book = addressbook_url(&u);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("one.ics");
    std::fs::write(&file, calendar_file(&[vevent("a", "A")])).expect("write");
    let file = file.to_string_lossy().into_owned();
    let missing = dir
        .path()
        .join("missing.ics")
        .to_string_lossy()
        .into_owned();
    let nobody = "/dav/calendars/nobody/x/";
    let before = (
        collection_state(&s, &u, &cal),
        collection_state(&s, &u, &book),
    );
    let failures: [(&[&str], &str); 7] = [
        (
            &["import", &file, "--into", "personal", "--json"],
            "invalid-path",
        ),
        (&["import", &file, "--into", nobody, "--json"], "not-found"),
        (&["import", &missing, "--into", &cal, "--json"], "bad-input"),
        (&["export", "personal", "--json"], "invalid-path"),
        (&["export", nobody, "--json"], "not-found"),
        (
            &["contacts", "duplicates", "personal", "--json"],
            "invalid-path",
        ),
        (
            &["contacts", "merge", &book, "a.vcf", "b.vcf", "--json"],
            "not-found",
        ),
    ];
    for (args, code) in failures {
        let err = s.cli_json_err(args, None);
        assert_eq!(err["error"], code, "{args:?}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Nothing importable: the report on standard output, the failure as JSON on standard error.
    let out = s.cli(&["import", "-", "--into", &cal, "--json"], Some(""));
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("report");
    assert_eq!(counts(&report), (0, 0, 0, 0), "{report}");
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error");
    assert_eq!(err["error"], "nothing-imported", "{err}");
    assert_eq!(
        (
            collection_state(&s, &u, &cal),
            collection_state(&s, &u, &book)
        ),
        before
    );
    // Without --json, a line for people.
    let text = s.cli_err(&["export", nobody], None);
    assert!(text.starts_with("davsuite: "), "{text}");
}

/// A shared calendar, in the sharee's home under its `.shared-ID` name, imports and exports
/// as the share allows: both sharees export it; the read sharee's import is refused with
/// nothing written; the read-write sharee's import lands in the owner's calendar under the
/// owner's plan and quota.
#[test]
fn imports_and_exports_through_a_share_follow_its_access() {
    let s = Server::start_with_config(Some(&every_plan("quota_bytes = 2500")));
    let alice = s.new_user_in("alice", "acme");
    let rita = s.new_user_in("rita", "acme");
    let walt = s.new_user_in("walt", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}pad.ics"),
        big_event("pad", 1800).as_bytes(),
    );
    share_with(&s, &cal, &rita.login, "read");
    share_with(&s, &cal, &walt.login, "read-write");
    let (rita_mount, walt_mount) = (shared_path(&s, &rita), shared_path(&s, &walt));

    for (u, mount) in [(&rita, &rita_mount), (&walt, &walt_mount)] {
        let r = s.request("GET", &api_path(mount, "export"), Some(u), &[], b"");
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.text().contains("UID:pad"), "{}", r.text());
    }

    let before = collection_state(&s, &alice, &cal);
    let r = import_api(&s, &rita, &rita_mount, &calendar_file(&[vevent("r", "R")]));
    assert_api_error(&r, 403, "forbidden");
    assert!(
        r.json["message"]
            .as_str()
            .is_some_and(|m| m.contains("read-only"))
    );
    assert_eq!(collection_state(&s, &alice, &cal), before);

    // A small event fits in what alice's plan leaves, a big one does not, though walt's own
    // storage is empty.
    let big = format!(
        "BEGIN:VEVENT\r\nUID:w2\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\n",
        "x".repeat(1000)
    );
    let report = import_ok(
        &s,
        &walt,
        &walt_mount,
        &calendar_file(&[vevent("w1", "W1"), big]),
    );
    assert_eq!(report["collection"], walt_mount.as_str(), "{report}");
    assert_eq!(counts(&report), (1, 0, 0, 1), "{report}");
    assert_eq!(
        rejections(&report)
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>(),
        ["quota-not-exceeded"]
    );
    assert_eq!(
        get_req(&s, &alice, &format!("{cal}w1.ics")).status,
        200,
        "in the owner's calendar"
    );
}

/// The hrefs a calendar-query finds with an event overlapping `start`..`end` (UTC).
fn events_between(s: &Server, u: &User, href: &str, start: &str, end: &str) -> Vec<String> {
    let query = format!(
        r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#
    );
    let r = report_req(s, u, href, Some("1"), query.as_bytes());
    assert_eq!(r.status, 207, "calendar-query: {}", r.text());
    let mut hrefs: Vec<String> = multistatus(&r).into_iter().map(|m| m.href).collect();
    hrefs.sort();
    hrefs
}

#[test]
fn a_changed_occurrence_merges_into_its_series_or_stands_alone() {
    let s = Server::start();
    let u = s.new_user("occ");
    let cal = new_calendar(&s, &u, "work");
    let master = "BEGIN:VEVENT\r\nUID:series-1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Zurich:20240101T090000\r\nDTEND;TZID=Europe/Zurich:20240101T100000\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n";
    let occurrence = |day: &str, hour: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:series-1\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Zurich:202401{day}T090000\r\nDTSTART;TZID=Europe/Zurich:202401{day}T{hour}0000\r\nDTEND;TZID=Europe/Zurich:202401{day}T{hour}3000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n"
        )
    };
    let series = calendar_file(&[ZURICH.to_owned(), master.to_owned(), occurrence("08", "11")]);
    assert_eq!(counts(&import_ok(&s, &u, &cal, &series)), (1, 0, 0, 0));

    // An invitation update: one changed occurrence, METHOD:REQUEST, its zone.
    let update = String::from_utf8(calendar_file(&[ZURICH.to_owned(), occurrence("08", "15")]))
        .expect("utf-8")
        .replace("METHOD:PUBLISH", "METHOD:REQUEST");
    assert_eq!(
        counts(&import_ok(&s, &u, &cal, update.as_bytes())),
        (0, 1, 0, 0)
    );
    let stored = get_req(&s, &u, &format!("{cal}series-1.ics")).text();
    assert!(
        stored.contains("RRULE:FREQ=WEEKLY;COUNT=10"),
        "the master stays: {stored}"
    );
    assert_eq!(stored.matches("BEGIN:VEVENT").count(), 2, "{stored}");
    assert!(stored.contains("DTSTART;TZID=Europe/Zurich:20240108T150000"));
    assert!(!stored.contains("T110000") && !stored.contains("METHOD"));
    // Series still expands: the third week, and the moved second one at 14:00 UTC.
    let found = events_between(&s, &u, &cal, "20240115T080000Z", "20240115T090000Z");
    assert_eq!(found, [format!("{cal}series-1.ics")]);
    let found = events_between(&s, &u, &cal, "20240108T140000Z", "20240108T141000Z");
    assert_eq!(found, [format!("{cal}series-1.ics")]);
    assert_eq!(
        counts(&import_ok(&s, &u, &cal, update.as_bytes())),
        (0, 0, 1, 0)
    );

    // Occurrences of a series the calendar does not hold are an object of their own, as a PUT
    // stores them (an attendee invited to one occurrence), and export back whole.
    let lone = calendar_file(&[occurrence("08", "15").replace("series-1", "lone")]);
    assert_eq!(counts(&import_ok(&s, &u, &cal, &lone)), (1, 0, 0, 0));
    let stored = get_req(&s, &u, &format!("{cal}lone.ics")).text();
    assert!(stored.contains("RECURRENCE-ID;TZID=Europe/Zurich:20240108T090000"));
    let copy = new_calendar(&s, &u, "copy");
    let export = export_get(&s, &u, &cal);
    assert_eq!(
        counts(&import_ok(&s, &u, &copy, &export.body)),
        (2, 0, 0, 0)
    );
    assert_eq!(
        without_zones(&members(&s, &u, &copy)),
        without_zones(&members(&s, &u, &cal))
    );
}

#[test]
fn a_uid_twice_in_an_ics_keeps_the_first_and_names_the_line_of_the_second() {
    let s = Server::start();
    let u = s.new_user("dup");
    let cal = new_calendar(&s, &u, "work");
    let file = calendar_file(&[
        vevent("d1", "First"),
        vevent("other", "O"),
        vevent("d1", "Second"),
    ]);
    let report = import_ok(&s, &u, &cal, &file);
    assert_eq!(counts(&report), (2, 0, 0, 1));
    assert_eq!(rejections(&report), [(20, "duplicate-uid".to_owned())]);
    let stored = get_req(&s, &u, &format!("{cal}d1.ics")).text();
    assert!(stored.contains("SUMMARY:First") && !stored.contains("Second"));
}

#[test]
fn an_export_of_two_definitions_of_one_tzid_imports_back_at_the_same_times() {
    let s = Server::start();
    let u = s.new_user("tz");
    let cal = new_calendar(&s, &u, "outlook");
    let object = |uid: &str, offset: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Custom Zone:20240301T120000\r\nDTEND;TZID=Custom Zone:20240301T130000\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    put_created(
        &s,
        &u,
        &format!("{cal}paris.ics"),
        object("paris", "+0100").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{cal}karachi.ics"),
        object("karachi", "+0500").as_bytes(),
    );
    let export = export_get(&s, &u, &cal);
    let text = export.text();
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 2, "{text}");

    let copy = new_calendar(&s, &u, "copy");
    assert_eq!(
        counts(&import_ok(&s, &u, &copy, &export.body)),
        (2, 0, 0, 0)
    );
    for c in [&cal, &copy] {
        let at_11 = events_between(&s, &u, c, "20240301T110000Z", "20240301T113000Z");
        assert_eq!(at_11, [format!("{c}paris.ics")], "12:00 at +0100");
        let at_7 = events_between(&s, &u, c, "20240301T070000Z", "20240301T073000Z");
        assert_eq!(at_7, [format!("{c}karachi.ics")], "12:00 at +0500");
    }
}
