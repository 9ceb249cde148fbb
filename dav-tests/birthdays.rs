//! The birthday calendar lives in the web view only (issue 7): contacts with birthdays and
//! anniversaries never produce a calendar, a collection or an event over DAV, in a listing, a
//! report, a sync, an export or a public link.

use crate::common::*;

/// Cards with every kind of date the birthday calendar reads.
fn cards() -> Vec<(&'static str, String)> {
    let card = |uid: &str, name: &str, extra: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n{extra}END:VCARD\r\n")
    };
    vec![
        (
            "ann.vcf",
            card("ann", "Ann Birthday", "BDAY:1985-04-15\r\n"),
        ),
        (
            "leo.vcf",
            card(
                "leo",
                "Leo Leapling",
                "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n",
            ),
        ),
        (
            "pat.vcf",
            card(
                "pat",
                "Pat Married",
                "item1.X-ABDATE:2000-06-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n",
            ),
        ),
        (
            "sam.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:sam\r\nFN:Sam Nodate\r\nBDAY:--1231\r\n\
             ANNIVERSARY:20100601\r\nEND:VCARD\r\n"
                .to_owned(),
        ),
    ]
}

/// Nothing of a card may show up in a calendar answer.
#[track_caller]
fn assert_no_contact(r: &Resp, what: &str) {
    let text = r.text();
    for mark in [
        "Ann Birthday",
        "Leo Leapling",
        "Pat Married",
        "Sam Nodate",
        "BDAY",
        "VCARD",
        "irthday",
    ] {
        assert!(!text.contains(mark), "{what} shows {mark:?}: {text}");
    }
}

#[test]
fn contacts_with_birthdays_never_make_a_calendar_over_dav() {
    let s = Server::start_with_config(Some(
        "[server]\npublic_url = \"https://dav.example.com/\"\n",
    ));
    let u = s.new_user("bday");
    let book = addressbook_url(&u);
    for (name, body) in cards() {
        put_created(&s, &u, &format!("{book}{name}"), body.as_bytes());
    }
    let cal = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{cal}meeting.ics"),
        event("meeting", "Meeting").as_bytes(),
    );
    let meeting = format!("{cal}meeting.ics");

    // The calendar home lists the calendars the user has, and nothing generated.
    let home = format!("/dav/calendars/{}/", u.login);
    let listing = propfind_req(
        &s,
        &u,
        &home,
        "1",
        &propfind_body(&[(NS_DAV, "resourcetype"), (NS_DAV, "displayname")]),
    );
    assert_eq!(listing.status, 207, "{}", listing.text());
    let hrefs: Vec<String> = multistatus(&listing).into_iter().map(|m| m.href).collect();
    assert_eq!(hrefs, vec![home.clone(), cal.clone()]);
    assert_no_contact(&listing, "the calendar home");
    // Nor does the address book home gain a calendar.
    let books = propfind_req(
        &s,
        &u,
        &format!("/dav/addressbooks/{}/", u.login),
        "1",
        &propfind_body(&[(NS_DAV, "resourcetype")]),
    );
    assert_eq!(books.status, 207, "{}", books.text());
    assert!(
        multistatus(&books)
            .iter()
            .all(|m| !has_type(m, NS_CALDAV, "calendar")),
        "{}",
        books.text()
    );

    // A calendar-query over every year a card names finds the one event.
    let query = r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="16000101T000000Z" end="21000101T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let found = report_req(&s, &u, &cal, Some("1"), query.as_bytes());
    assert_eq!(found.status, 207, "{}", found.text());
    let hrefs: Vec<String> = multistatus(&found).into_iter().map(|m| m.href).collect();
    assert_eq!(hrefs, vec![meeting.clone()]);
    assert_no_contact(&found, "calendar-query");

    // An initial sync of the calendar lists the one event.
    let sync = r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#;
    let synced = report_req(&s, &u, &cal, None, sync.as_bytes());
    assert_eq!(synced.status, 207, "{}", synced.text());
    let hrefs: Vec<String> = multistatus(&synced).into_iter().map(|m| m.href).collect();
    assert_eq!(hrefs, vec![meeting]);
    assert_no_contact(&synced, "sync-collection");

    // The export holds the one event.
    let export = get_req(&s, &u, &cal);
    assert_eq!(export.status, 200, "{}", export.text());
    assert_eq!(export.text().matches("BEGIN:VEVENT").count(), 1);
    assert!(export.text().contains("UID:meeting"));
    assert_no_contact(&export, "the export");

    // So does a public link to it.
    let out = s.cli_ok(&["link", "create", &cal, "--valid", "7d"], None);
    let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let path = url
        .strip_prefix("https://dav.example.com")
        .unwrap_or_else(|| panic!("{url} is not under the public base URL"));
    let public = s.request("GET", path, None, &[], b"");
    assert_eq!(public.status, 200, "{}", public.text());
    assert_eq!(public.text().matches("BEGIN:VEVENT").count(), 1);
    assert_no_contact(&public, "the public link");

    // The cards themselves are still served as they were stored.
    for (name, body) in cards() {
        let r = get_req(&s, &u, &format!("{book}{name}"));
        assert_eq!((r.status, r.body), (200, body.into_bytes()), "{name}");
    }
}
