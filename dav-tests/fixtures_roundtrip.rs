//! Every real-client file in `fixtures/ical/` and `fixtures/vcard/`, PUT to the server: the
//! valid single-object ones round-trip byte for byte with the PUT ETag equal to GET's (compat
//! pitfall 4); the invalid ones are refused with the right precondition and leave nothing
//! behind. The classification is explicit below (one line per file, with the reason), and a
//! file added to the directories without a line here fails the test until someone decides.
//!
//! Preconditions: RFC 4791 §5.3.2.1 separates CALDAV:valid-calendar-data (not valid
//! iCalendar) from CALDAV:valid-calendar-object-resource (valid iCalendar breaking the §4.1
//! rules: METHOD present, several UIDs, several component types). RFC 6352 §6.3.2.1 has
//! CARDDAV:valid-address-data and CARDDAV:supported-address-data (media type / version). Where
//! a file breaks several rules at once, any of the matching conditions is accepted.

use crate::common::*;

const VCD: (&str, &str) = (NS_CALDAV, "valid-calendar-data");
const VCOR: (&str, &str) = (NS_CALDAV, "valid-calendar-object-resource");
const SCC: (&str, &str) = (NS_CALDAV, "supported-calendar-component");
const VAD: (&str, &str) = (NS_CARDDAV, "valid-address-data");
const SAD: (&str, &str) = (NS_CARDDAV, "supported-address-data");

/// What the server must do with a fixture.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Valid: PUT 201, GET byte-identical, same ETag.
    Valid,
    /// Valid after substituting CalDAVTester `$variables:`; then as `Valid`.
    Template,
    /// Not strictly conforming, but sent by real clients and accepted by the server's
    /// documented decision (`src/ical/calendar.rs`: DTSTAMP, DTSTART and VTIMEZONE for every
    /// TZID are not required; `src/ical/lines.rs`: whitespace around names is tolerated); then
    /// as `Valid`.
    Lenient,
    /// Refused with this status and one of these condition elements.
    Refused(u16, &'static [(&'static str, &'static str)]),
}

use Expect::*;

/// fixtures/ical: (file, expectation, why).
const ICAL: &[(&str, Expect, &str)] = &[
    (
        "apple-macos-10.13-tzoffset-seconds-absolute-alarm.ics",
        Valid,
        "seconds in UTC offsets are legal",
    ),
    (
        "attach-inline-base64-binary.ics",
        Lenient,
        "no DTSTAMP/DTSTART (RFC 5545 requires them)",
    ),
    (
        "attach-inline-base64-ccs.ics",
        Template,
        "CalDAVTester $now/$uid",
    ),
    (
        "ccs-recurring-us-eastern-template.ics",
        Template,
        "CalDAVTester $now/$uid",
    ),
    (
        "custom-tzid-america-new-york.ics",
        Valid,
        "custom TZID with its VTIMEZONE",
    ),
    (
        "davdroid-vtodo-recurring-all-day.ics",
        Valid,
        "VTODO DUE;VALUE=DATE + RRULE",
    ),
    (
        "davmail-vfreebusy-reply.ics",
        Refused(403, &[VCOR]),
        "METHOD:REPLY (RFC 4791 §4.1)",
    ),
    (
        "davx5-exdate-recurrence-id-europe-paris.ics",
        Valid,
        "EXDATE without RRULE is legal",
    ),
    (
        "davx5-recurring-many-overrides-related-to.ics",
        Valid,
        "master + overrides, one UID",
    ),
    (
        "etar-android-alarms.ics",
        Refused(403, &[VCOR]),
        "METHOD:PUBLISH (RFC 4791 §4.1)",
    ),
    (
        "evolution-1.8-event-softwarestudio-tzid.ics",
        Valid,
        "VTIMEZONE after VEVENT is legal",
    ),
    (
        "evolution-all-day-event-alarm.ics",
        Valid,
        "all-day event with alarm",
    ),
    (
        "exchange-cdo-gmt-offset-tzid.ics",
        Refused(403, &[VCOR, VCD]),
        "METHOD:REQUEST and no UID",
    ),
    (
        "exchange2010-eastern-standard-time.ics",
        Refused(403, &[VCOR]),
        "METHOD (RFC 4791 §4.1)",
    ),
    (
        "exchange2010-pacific-standard-time.ics",
        Refused(403, &[VCOR]),
        "METHOD (RFC 4791 §4.1)",
    ),
    (
        "google-calendar-invite-weekly-attendees.ics",
        Valid,
        "Google invite as stored",
    ),
    (
        "google-europe-zurich-x-apple-structured-location.ics",
        Refused(403, &[VCOR]),
        "METHOD:PUBLISH (RFC 4791 §4.1)",
    ),
    (
        "google-invalid-rrule-exdate.ics",
        Refused(403, &[VCOR, VCD]),
        "METHOD, no UIDs, empty EXDATE",
    ),
    ("ical3-vtodo-due-date.ics", Valid, "iCal 3 VTODO"),
    (
        "ical4-attendee-accept-partstat.ics",
        Valid,
        "iCal 4 attendee copy",
    ),
    (
        "ical4-invite-recurring-override-attendees.ics",
        Template,
        "CalDAVTester $now/$email/$cuaddrurn",
    ),
    (
        "macos-10.11-recurring-exdate-override-no-vtimezone.ics",
        Lenient,
        "TZID without VTIMEZONE (Apple, RFC 7809 style)",
    ),
    (
        "malformed-broken-ical.ics",
        Refused(403, &[VCD]),
        "empty parameter (;;)",
    ),
    (
        "malformed-broken-vevent.ics",
        Refused(403, &[VCD]),
        "END:VEVENT/END:VCALENDAR missing",
    ),
    (
        "malformed-fuzz-vtimezone-lone-cr.ics",
        Refused(403, &[VCD]),
        "not a VCALENDAR; control characters",
    ),
    (
        "missing-vtimezone-definitions.ics",
        Refused(403, &[VCOR, VCD]),
        "VEVENT+VTODO mixed, no UIDs",
    ),
    ("mulberry-put-event.ics", Valid, "Mulberry PUT body"),
    (
        "non-ascii-tzid-windows-name-crlf.ics",
        Refused(403, &[VCD, VCOR]),
        "VEVENT without UID",
    ),
    (
        "odd-whitespace-in-property-and-params.ics",
        Lenient,
        "whitespace around names and parameters, as some exporters write (the corpus calls it odd, not malformed); tolerated by src/ical/lines.rs and stored as sent",
    ),
    (
        "related-to-reltype-sibling-minimal.ics",
        Refused(403, &[VCD, VCOR]),
        "fragment: no UID, no VERSION/PRODID",
    ),
    (
        "server-vtimezone-europe-zurich.ics",
        Refused(403, &[VCOR, SCC]),
        "only a VTIMEZONE: valid iCalendar but no calendar component (RFC 4791 §4.1)",
    ),
    (
        "server-vtimezone-w-europe-standard-time.ics",
        Refused(403, &[VCOR, SCC]),
        "only a VTIMEZONE: valid iCalendar but no calendar component (RFC 4791 §4.1)",
    ),
    (
        "sunbird-vtodo-completed.ics",
        Valid,
        "Mozilla TZID with its VTIMEZONE",
    ),
    ("sunbird-vtodo-in-process.ics", Valid, "Sunbird VTODO"),
    (
        "thunderbird-alarms-x-moz-lastack.ics",
        Valid,
        "several VALARMs",
    ),
    ("thunderbird-all-day-recurring.ics", Valid, "all-day RRULE"),
    (
        "thunderbird-crlf-many-vtimezone-rdate.ics",
        Valid,
        "large VTIMEZONE history",
    ),
    (
        "thunderbird-from-exchange-w-europe-standard-time.ics",
        Valid,
        "unfolded long lines are only a SHOULD NOT",
    ),
    (
        "thunderbird-mixed-date-datetime-recurrence.ics",
        Valid,
        "EXDATE;VALUE=DATE with DATE-TIME DTSTART",
    ),
    (
        "thunderbird-recurring-with-override.ics",
        Valid,
        "master + override",
    ),
    (
        "thunderbird-vjournal-recurring.ics",
        Valid,
        "VJOURNAL (default calendars accept it)",
    ),
    (
        "thunderbird-vtodo-no-dtstamp.ics",
        Lenient,
        "VTODO without DTSTAMP (Thunderbird sends it)",
    ),
    (
        "two-events-uids-differ-only-in-case.ics",
        Refused(403, &[VCOR]),
        "two UIDs (UIDs are case-sensitive)",
    ),
    (
        "utf8-bom-empty-vcalendar.ics",
        Refused(403, &[VCD, VCOR]),
        "no component, no VERSION/PRODID",
    ),
    (
        "vtodo-related-to-finishtostart-gap.ics",
        Template,
        "CalDAVTester $uidrandom",
    ),
    (
        "x-apple-calendar-color-st-johns.ics",
        Template,
        "CalDAVTester $now/$uid",
    ),
    (
        "x-apple-structured-location-invite.ics",
        Template,
        "CalDAVTester $now/$uid/$cuaddr",
    ),
];

/// fixtures/vcard: (file, expectation, why).
const VCARD: &[(&str, Expect, &str)] = &[
    (
        "android-vcard21-quoted-printable-utf8.vcf",
        Refused(403, &[VAD, SAD]),
        "vCard 2.1, six cards, no UID",
    ),
    (
        "apple-addressbook-all-custom-fields.vcf",
        Valid,
        "Apple custom fields",
    ),
    ("apple-addressbook-company-card.vcf", Valid, "company card"),
    (
        "apple-addressbook-japanese-name.vcf",
        Valid,
        "double-byte names",
    ),
    (
        "apple-addressbook-latin-extended-name.vcf",
        Valid,
        "Latin-extended names",
    ),
    (
        "apple-addressbook-photo-base64-76k.vcf",
        Valid,
        "76 KB inline photo",
    ),
    (
        "apple-group-dangling-member.vcf",
        Valid,
        "group with unknown member (syntax is valid)",
    ),
    (
        "apple-group-x-addressbookserver-kind.vcf",
        Valid,
        "Apple group card",
    ),
    ("apple-uid-with-colon-abperson.vcf", Valid, "':' inside UID"),
    (
        "apple-x-abuid-abperson.vcf",
        Refused(403, &[VAD]),
        "no UID (RFC 6352 §5.1 requires one)",
    ),
    (
        "blackberry-vcard21.vcf",
        Refused(403, &[VAD, SAD]),
        "vCard 2.1, no UID",
    ),
    ("ccs-group-card-seven-members.vcf", Valid, "group card"),
    ("evolution-vcard3.vcf", Valid, "Evolution export"),
    (
        "fullcontact-vcard4-altid-multiple.vcf",
        Refused(403, &[VAD]),
        "no UID",
    ),
    ("gmail-vcard3-john-doe.vcf", Refused(403, &[VAD]), "no UID"),
    (
        "google-contacts-vcard3-custom-labels.vcf",
        Refused(403, &[VAD]),
        "no UID",
    ),
    (
        "iphone-vcard3-photo-itemN-xablabel.vcf",
        Refused(403, &[VAD]),
        "no UID",
    ),
    ("lotus-notes-vcard3.vcf", Valid, "Lotus Notes export"),
    (
        "macos-addressbook-vcard3-photo.vcf",
        Refused(403, &[VAD]),
        "no UID",
    ),
    (
        "malformed-broken-vcard.vcf",
        Refused(403, &[VAD]),
        "no FN (RFC 6350 §6.2.1 / RFC 2426 require it)",
    ),
    (
        "malformed-empty-vcard.vcf",
        Refused(403, &[VAD]),
        "empty card",
    ),
    (
        "malformed-two-vcards-no-uid.vcf",
        Refused(403, &[VAD]),
        "two cards, second without UID",
    ),
    ("minimal-vcard4.vcf", Valid, "minimal vCard 4"),
    (
        "outlook-2003-vcard21.vcf",
        Refused(403, &[VAD, SAD]),
        "vCard 2.1, no UID",
    ),
    (
        "outlook-vcard21-qp-photo.vcf",
        Refused(403, &[VAD, SAD]),
        "vCard 2.1, no UID",
    ),
    ("rfc6350-example-vcard4.vcf", Refused(403, &[VAD]), "no UID"),
    (
        "thunderbird-cardbook-bday-1604-no-year.vcf",
        Valid,
        "1604 placeholder year",
    ),
    (
        "thunderbird-mfffab-vcard3-charset.vcf",
        Refused(403, &[VAD]),
        "no UID",
    ),
    (
        "vcard4-adr-label-caret-encoding.vcf",
        Valid,
        "RFC 6868 caret encoding",
    ),
    ("vcard4-photo-data-uri.vcf", Valid, "data: URI photo"),
];

/// Replaces CalDAVTester `$variables:` with fixed values.
fn substitute(stem: &str, text: &str) -> String {
    let mut out = text.to_owned();
    for n in 0..5 {
        out = out.replace(&format!("$now.year.{n}:"), &(2026 + n).to_string());
    }
    for (var, value) in [
        ("$uid1:", format!("ccs-{stem}")),
        ("$uidrandom:", format!("ccs-random-{stem}")),
        ("$email1:", "user01@example.com".to_owned()),
        ("$cuaddrurn1:", "urn:x-uid:user01".to_owned()),
        ("$cuaddr1:", "mailto:user01@example.com".to_owned()),
        ("$cuaddr2:", "mailto:user02@example.com".to_owned()),
        ("$username1:", "User 01".to_owned()),
        ("$username2:", "User 02".to_owned()),
    ] {
        out = out.replace(var, &value);
    }
    assert!(!out.contains('$'), "{stem}: unsubstituted variable left");
    out
}

fn listing(dir: &str) -> Vec<String> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut v: Vec<String> = std::fs::read_dir(&p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".ics") || n.ends_with(".vcf"))
        .collect();
    v.sort();
    v
}

fn assert_classified(dir: &str, table: &[(&str, Expect, &str)]) {
    let files = listing(dir);
    let mut listed: Vec<String> = table.iter().map(|(f, _, _)| f.to_string()).collect();
    listed.sort();
    let unlisted: Vec<&String> = files.iter().filter(|f| !listed.contains(f)).collect();
    let missing: Vec<&String> = listed.iter().filter(|f| !files.contains(f)).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "fixtures/{dir}: files without a decision {unlisted:?}; decisions without a file {missing:?}"
    );
    for f in &files {
        if f.starts_with("malformed-") {
            let (_, e, _) = table.iter().find(|(n, _, _)| n == f).unwrap();
            assert!(
                matches!(e, Refused(..)),
                "{f} is named malformed but expected to pass"
            );
        }
    }
}

/// PUTs every fixture of `table` and returns one line per file that did not behave.
fn run(dir: &str, table: &[(&str, Expect, &str)]) -> Vec<String> {
    let calendar = dir == "ical";
    let s = Server::start();
    let u = s.new_user("fx");
    let mut failures = Vec::new();
    for (i, (file, expect, why)) in table.iter().enumerate() {
        let raw = fixture(&format!("{dir}/{file}"));
        let body = match expect {
            Template => substitute(
                file.trim_end_matches(".ics"),
                std::str::from_utf8(&raw).expect("utf-8 template"),
            )
            .into_bytes(),
            _ => raw,
        };
        // Each file gets a fresh collection so UIDs shared between fixtures do not clash.
        let coll = if calendar {
            format!("/dav/calendars/{}/fx{i}/", u.login)
        } else {
            format!("/dav/addressbooks/{}/fx{i}/", u.login)
        };
        let mk = if calendar {
            s.request("MKCALENDAR", &coll, Some(&u), &[], b"")
        } else {
            let b = r#"<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;
            s.request("MKCOL", &coll, Some(&u), &[], b.as_bytes())
        };
        assert_eq!(mk.status, 201, "{coll}: {}", mk.text());
        let path = format!("{coll}{file}");
        let r = put_req(&s, &u, &path, &body);
        let excerpt = r.text().chars().take(400).collect::<String>();
        match expect {
            Valid | Template | Lenient => {
                if r.status != 201 {
                    failures.push(format!(
                        "{file} ({why}): expected 201, got {}: {excerpt}",
                        r.status
                    ));
                    continue;
                }
                let put_etag = r.header("etag").map(str::to_owned);
                let g = get_req(&s, &u, &path);
                if g.status != 200 || g.body != body {
                    failures.push(format!(
                        "{file}: GET {} does not return the PUT bytes ({} vs {} bytes)",
                        g.status,
                        g.body.len(),
                        body.len()
                    ));
                }
                match (&put_etag, g.header("etag")) {
                    (Some(p), Some(g)) if p == g && !p.starts_with("W/") => {}
                    (p, g) => failures.push(format!(
                        "{file}: ETag from PUT {p:?} differs from GET {g:?} or is weak"
                    )),
                }
            }
            Refused(status, conds) => {
                let cond = error_condition(&r);
                let ok_cond = cond
                    .as_ref()
                    .is_some_and(|(ns, l)| conds.iter().any(|(n, x)| n == ns && x == l));
                let message = parse_document(&r.body)
                    .ok()
                    .and_then(|d| d.child(NS_DAVSUITE, "message").map(|m| m.text()))
                    .unwrap_or_default();
                if r.status != *status || !ok_cond || message.trim().is_empty() {
                    failures.push(format!(
                        "{file} ({why}): expected {status} with one of {:?} and a DS:message, got {} {cond:?}: {excerpt}",
                        conds.iter().map(|(_, l)| *l).collect::<Vec<_>>(),
                        r.status
                    ));
                }
                let g = get_req(&s, &u, &path);
                if g.status != 404 {
                    failures.push(format!("{file}: refused but GET answers {}", g.status));
                }
                if multistatus(&getetag_listing(&s, &u, &coll)).len() != 1 {
                    failures.push(format!("{file}: refused but the collection is not empty"));
                }
            }
        }
    }
    failures
}

/// `run` finds no file of `table` misbehaving; `what` names the format in the failure message.
#[track_caller]
fn assert_all_behave(dir: &str, table: &[(&str, Expect, &str)], what: &str) {
    let failures = run(dir, table);
    assert!(
        failures.is_empty(),
        "{} problems among the {} {what} fixtures:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_has_a_decision() {
    assert_classified("ical", ICAL);
    assert_classified("vcard", VCARD);
}

#[test]
fn ical_fixtures_round_trip_or_are_refused_with_the_right_condition() {
    assert_all_behave("ical", ICAL, "iCalendar");
}

#[test]
fn vcard_fixtures_round_trip_or_are_refused_with_the_right_condition() {
    assert_all_behave("vcard", VCARD, "vCard");
}
