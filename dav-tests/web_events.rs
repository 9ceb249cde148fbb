//! The web view's event editor over plain HTTP: events created, edited, moved and deleted
//! through its forms are what DAV clients then read and sync; an edit keeps what a client
//! wrote; stale forms, bad input, read-only shares and other people's calendars are refused
//! with nothing changed.

use crate::common::*;

/// The decoded value of the first form field `name` of a page.
pub fn field_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    let raw = &rest[..rest.find('"')?];
    Some(
        raw.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The object name in an event page URL a redirect points to.
fn object_of(location: &str) -> String {
    let obj = location
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("obj="))
        .expect("obj in the location");
    percent_encoding::percent_decode_str(obj)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// The fields of a timed event on 2025-03-03 09:00-10:00 in Zurich, with `extra` overriding
/// or adding fields.
fn event_fields<'a>(summary: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("calendar", "personal"),
        ("summary", summary),
        ("start_date", "2025-03-03"),
        ("start_time", "09:00"),
        ("end_date", "2025-03-03"),
        ("end_time", "10:00"),
        ("tz", "Europe/Zurich"),
        ("location", ""),
        ("description", ""),
        ("repeat", "none"),
        ("interval", "1"),
        ("ends", "never"),
        ("until", ""),
        ("count", "10"),
        ("reminder", "none"),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name || *name == "weekday");
        fields.push((name, value));
    }
    fields
}

/// Creates an event through the form; its object name.
#[track_caller]
fn create(s: &Server, w: &WebSession, fields: &[(&str, &str)]) -> String {
    let r = w.post(s, "/web/calendar/event/new", fields);
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").expect("location").to_owned();
    assert!(location.contains("msg=created"), "{location}");
    object_of(&location)
}

fn dav_text(s: &Server, u: &User, path: &str) -> String {
    let r = get_req(s, u, path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.text()
}

#[test]
fn events_created_through_the_form_are_what_clients_sync() {
    let s = Server::start();
    let u = s.new_user("webev");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let token = collection_sync_token(&s, &u, &cal);

    let form = w.get(&s, "/web/calendar/event/new?date=2025-03-03&time=14:30");
    assert_eq!(form.status, 200);
    let page = form.text();
    for id in [
        "summary",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "tz",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert_eq!(field_value(&page, "start_time").as_deref(), Some("14:30"));
    assert_eq!(field_value(&page, "end_time").as_deref(), Some("15:30"));

    let single = create(&s, &w, &event_fields("Dentist", &[("location", "Bern")]));
    assert!(single.ends_with(".ics"));
    let body = dav_text(&s, &u, &format!("{cal}{single}"));
    assert!(
        body.contains("DTSTART;TZID=Europe/Zurich:20250303T090000"),
        "{body}"
    );
    assert!(body.contains("BEGIN:VTIMEZONE") && body.contains("TZID:Europe/Zurich"));
    assert!(body.contains("SUMMARY:Dentist") && body.contains("LOCATION:Bern"));
    let vevent = &body[body.find("BEGIN:VEVENT").unwrap()..];
    assert!(
        !vevent.contains("RRULE") && !vevent.contains("VALARM"),
        "{body}"
    );
    assert!(body.contains(&format!("UID:{}", single.trim_end_matches(".ics"))));

    let all_day = create(
        &s,
        &w,
        &event_fields("Holiday", &[("all_day", "on"), ("end_date", "2025-03-05")]),
    );
    let body = dav_text(&s, &u, &format!("{cal}{all_day}"));
    assert!(body.contains("DTSTART;VALUE=DATE:20250303"), "{body}");
    assert!(body.contains("DTEND;VALUE=DATE:20250306"), "{body}");

    let weekly = create(
        &s,
        &w,
        &event_fields(
            "Standup",
            &[
                ("repeat", "weekly"),
                ("weekday", "MO"),
                ("weekday", "WE"),
                ("ends", "count"),
                ("count", "8"),
                ("reminder", "15"),
            ],
        ),
    );
    let body = dav_text(&s, &u, &format!("{cal}{weekly}"));
    assert!(
        body.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8"),
        "{body}"
    );
    assert!(body.contains("BEGIN:VALARM") && body.contains("ACTION:DISPLAY"));
    assert!(body.contains("TRIGGER:-PT15M"), "{body}");
    assert!(body.contains("DTSTART;TZID=Europe/Zurich:20250303T090000"));

    // The sync-collection of the calendar reports all three.
    let changes = sync_changes(&s, &u, &cal, &token);
    for name in [&single, &all_day, &weekly] {
        assert!(
            changes
                .iter()
                .any(|(href, present)| href.ends_with(name.as_str()) && *present),
            "{name}: {changes:?}"
        );
    }

    // The event page shows it, with the form filled in.
    let page = w
        .get(
            &s,
            &format!("/web/calendar/event?cal=personal&obj={weekly}"),
        )
        .text();
    assert!(page.contains("Standup"));
    assert_eq!(field_value(&page, "summary").as_deref(), Some("Standup"));
    assert!(
        page.contains("id=\"series-note\""),
        "a series says edits apply to all"
    );
    assert!(
        page.contains("value=\"15\" selected"),
        "the reminder is shown"
    );
}

#[test]
fn bad_input_comes_back_with_messages_and_nothing_is_created() {
    let s = Server::start();
    let u = s.new_user("webbad");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let token = collection_sync_token(&s, &u, &cal);
    let r = w.post(
        &s,
        "/web/calendar/event/new",
        &event_fields(
            "",
            &[
                ("start_date", "2025-02-30"),
                ("location", "Kept <here>"),
                ("tz", "Mars/Olympus"),
            ],
        ),
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(page.contains("Enter a title."));
    assert!(page.contains("Choose a time zone from the list."));
    assert_eq!(
        field_value(&page, "location").as_deref(),
        Some("Kept <here>")
    );
    // End before start, and a calendar that is not the viewer's.
    let r = w.post(
        &s,
        "/web/calendar/event/new",
        &event_fields("x", &[("end_time", "08:00")]),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("The end is before the start."));
    let r = w.post(
        &s,
        "/web/calendar/event/new",
        &event_fields("x", &[("calendar", "nope")]),
    );
    assert_eq!(r.status, 422);
    assert!(sync_changes(&s, &u, &cal, &token).is_empty());
}

/// A client's recurring invitation with attendees, an override and X- properties.
fn client_event() -> String {
    String::from_utf8(fixture(
        "ical/ical4-invite-recurring-override-attendees.ics",
    ))
    .unwrap()
    .replace("$now.year.2:", "2027")
    .replace("$email1:", "user01@example.com")
    .replace("$cuaddrurn1:", "mailto:user01@example.com")
    .replace(
        "TRANSP:OPAQUE\nEND:VEVENT\nBEGIN:VEVENT",
        "TRANSP:OPAQUE\nX-CLIENT-FLAG;X-P=1:keep me\nEND:VEVENT\nBEGIN:VEVENT",
    )
}

#[test]
fn an_edit_keeps_attendees_overrides_and_x_properties() {
    let s = Server::start();
    let u = s.new_user("webedit");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let path = format!("{cal}invite.ics");
    put_created(&s, &u, &path, client_event().as_bytes());
    let before = dav_text(&s, &u, &path);

    let page = w
        .get(&s, "/web/calendar/event?cal=personal&obj=invite.ics")
        .text();
    let etag = field_value(&page, "etag").expect("etag field");
    assert_eq!(field_value(&page, "tz").as_deref(), None, "tz is a select");
    assert!(page.contains("id=\"series-note\""));
    assert!(
        page.contains("value=\"America/New_York\" selected"),
        "{page}"
    );
    let token = collection_sync_token(&s, &u, &cal);
    let r = w.post(
        &s,
        "/web/calendar/event/save",
        &event_fields(
            "Renamed meeting",
            &[
                ("cal", "personal"),
                ("obj", "invite.ics"),
                ("etag", &etag),
                ("start_date", "2027-11-19"),
                ("end_date", "2027-11-19"),
                ("start_time", "10:30"),
                ("end_time", "11:30"),
                ("tz", "America/New_York"),
                ("repeat", "daily"),
                ("ends", "count"),
                ("count", "20"),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r.header("location").unwrap().contains("msg=saved"));
    let after = dav_text(&s, &u, &path);
    assert!(after.contains("SUMMARY:Renamed meeting"), "{after}");
    assert!(after.contains("DTSTART;TZID=America/New_York:20271119T103000"));
    assert!(after.contains("X-CLIENT-FLAG;X-P=1:keep me"), "{after}");
    assert!(
        after.contains("RRULE:FREQ=DAILY;COUNT=20"),
        "an unchanged rule stays"
    );
    assert!(after.contains("SEQUENCE:4"), "{after}");
    let lines = |t: &str, prefix: &str| -> Vec<String> {
        t.replace("\r\n ", "")
            .replace("\n ", "")
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(|l| l.trim_end().to_owned())
            .collect()
    };
    for prefix in ["ATTENDEE", "ORGANIZER", "RECURRENCE-ID", "BEGIN:VTIMEZONE"] {
        assert_eq!(lines(&before, prefix), lines(&after, prefix), "{prefix}");
    }
    // The override is untouched: its SUMMARY and times are the client's.
    assert_eq!(after.matches("SUMMARY:New Event").count(), 1, "{after}");
    assert_eq!(sync_changes(&s, &u, &cal, &token).len(), 1);
}

#[test]
fn a_stale_form_is_a_conflict_and_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("webstale");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let path = format!("{cal}ev.ics");
    put_created(&s, &u, &path, event("ev", "First").as_bytes());
    let page = w
        .get(&s, "/web/calendar/event?cal=personal&obj=ev.ics")
        .text();
    let etag = field_value(&page, "etag").unwrap();
    // Another device changes it meanwhile.
    let r = put_req(&s, &u, &path, event("ev", "From the phone").as_bytes());
    assert_eq!(r.status, 204);
    let current = dav_text(&s, &u, &path);
    let r = w.post(
        &s,
        "/web/calendar/event/save",
        &event_fields(
            "From the browser",
            &[("cal", "personal"), ("obj", "ev.ics"), ("etag", &etag)],
        ),
    );
    assert_eq!(r.status, 409);
    let text = r.text();
    assert!(text.contains("changed on another device"), "{text}");
    assert!(text.contains("role=\"alert\""));
    assert_eq!(
        field_value(&text, "summary").as_deref(),
        Some("From the browser")
    );
    assert_eq!(dav_text(&s, &u, &path), current);
    // Deleting and moving with the stale ETag are refused too.
    let r = w.post(
        &s,
        "/web/calendar/event/delete",
        &[("cal", "personal"), ("obj", "ev.ics"), ("etag", &etag)],
    );
    assert_eq!(r.status, 409);
    assert_eq!(dav_text(&s, &u, &path), current);
}

#[test]
fn deleting_goes_to_the_trash() {
    let s = Server::start();
    let u = s.new_user("webdel");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let path = format!("{cal}gone.ics");
    put_created(&s, &u, &path, event("gone", "Old").as_bytes());
    let token = collection_sync_token(&s, &u, &cal);
    let page = w
        .get(&s, "/web/calendar/event?cal=personal&obj=gone.ics")
        .text();
    assert!(
        page.contains("data-confirm="),
        "delete asks first with script"
    );
    let etag = field_value(&page, "etag").unwrap();
    let r = w.post(
        &s,
        "/web/calendar/event/delete",
        &[("cal", "personal"), ("obj", "gone.ics"), ("etag", &etag)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/web/calendar?msg=deleted"));
    assert_eq!(get_req(&s, &u, &path).status, 404);
    assert_eq!(
        sync_changes(&s, &u, &cal, &token),
        vec![(path.clone(), false)]
    );
    let out = s.cli_ok(&["trash", "list", &u.login], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("gone.ics"), "{text}");
    // The page of a deleted event is not found.
    let r = w.get(&s, "/web/calendar/event?cal=personal&obj=gone.ics");
    assert_eq!(r.status, 404);
}

#[test]
fn moving_to_another_calendar_is_one_change_in_each() {
    let s = Server::start();
    let u = s.new_user("webmove");
    let w = web_login(&s, &u);
    let cal = calendar_url(&u);
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    put_created(
        &s,
        &u,
        &format!("{cal}m.ics"),
        event("m", "Movable").as_bytes(),
    );
    let (t1, t2) = (
        collection_sync_token(&s, &u, &cal),
        collection_sync_token(&s, &u, &work),
    );
    let page = w
        .get(&s, "/web/calendar/event?cal=personal&obj=m.ics")
        .text();
    assert!(page.contains("<option value=\"work\">"), "{page}");
    let etag = field_value(&page, "etag").unwrap();
    let r = w.post(
        &s,
        "/web/calendar/event/move",
        &[
            ("cal", "personal"),
            ("obj", "m.ics"),
            ("etag", &etag),
            ("to", "work"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r.header("location").unwrap().contains("cal=work"));
    assert_eq!(get_req(&s, &u, &format!("{cal}m.ics")).status, 404);
    assert!(dav_text(&s, &u, &format!("{work}m.ics")).contains("SUMMARY:Movable"));
    assert_eq!(sync_changes(&s, &u, &cal, &t1).len(), 1);
    assert_eq!(sync_changes(&s, &u, &work, &t2).len(), 1);
}

/// The mount name of the first calendar shared with `u`.
pub fn shared_name(s: &Server, u: &User) -> String {
    let home = format!("/dav/calendars/{}/", u.login);
    let r = propfind_req(
        s,
        u,
        &home,
        "1",
        &propfind_body(&[(NS_DAV, "resourcetype")]),
    );
    multistatus(&r)
        .into_iter()
        .map(|m| decode_href(&m.href))
        .find_map(|h| {
            h.trim_end_matches('/')
                .rsplit('/')
                .next()
                .filter(|n| n.starts_with(".shared-"))
                .map(str::to_owned)
        })
        .expect("a shared calendar")
}

#[test]
fn a_read_only_share_shows_the_event_but_refuses_changes() {
    let s = Server::start();
    let alice = s.new_user_in("ro-alice", "roacme");
    let bob = s.new_user_in("ro-bob", "roacme");
    let cal = calendar_url(&alice);
    let path = format!("{cal}team.ics");
    put_created(&s, &alice, &path, event("team", "Team lunch").as_bytes());
    share_with(&s, &cal, &bob.login, "read");
    let mount = shared_name(&s, &bob);
    let w = web_login(&s, &bob);
    let page = w
        .get(&s, &format!("/web/calendar/event?cal={mount}&obj=team.ics"))
        .text();
    assert!(page.contains("Team lunch"));
    assert!(page.contains("id=\"read-only\""));
    assert!(!page.contains("id=\"event-form\"") && !page.contains("id=\"delete-form\""));
    let before = dav_text(&s, &alice, &path);
    let etag = get_req(&s, &alice, &path)
        .header("etag")
        .unwrap()
        .to_owned();
    let r = w.post(
        &s,
        "/web/calendar/event/save",
        &event_fields(
            "Hijacked",
            &[("cal", &mount), ("obj", "team.ics"), ("etag", &etag)],
        ),
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("You cannot change this calendar."));
    for action in ["delete", "move"] {
        let r = w.post(
            &s,
            &format!("/web/calendar/event/{action}"),
            &[
                ("cal", mount.as_str()),
                ("obj", "team.ics"),
                ("etag", &etag),
                ("to", "personal"),
            ],
        );
        assert_eq!(r.status, 403, "{action}");
    }
    assert_eq!(dav_text(&s, &alice, &path), before);
    // The new-event form does not offer it, and a post naming it is refused.
    let form = w.get(&s, "/web/calendar/event/new").text();
    assert!(!form.contains(&mount), "{form}");
    let token = collection_sync_token(&s, &alice, &cal);
    let r = w.post(
        &s,
        "/web/calendar/event/new",
        &event_fields("Sneaky", &[("calendar", &mount)]),
    );
    assert_eq!(r.status, 422);
    assert!(sync_changes(&s, &alice, &cal, &token).is_empty());
}

#[test]
fn a_read_write_share_can_be_edited() {
    let s = Server::start();
    let alice = s.new_user_in("rw-alice", "rwacme");
    let bob = s.new_user_in("rw-bob", "rwacme");
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read-write");
    let mount = shared_name(&s, &bob);
    let w = web_login(&s, &bob);
    let form = w.get(&s, "/web/calendar/event/new").text();
    assert!(form.contains(&format!("value=\"{mount}\"")), "{form}");
    let obj = create(
        &s,
        &w,
        &event_fields("Shared plan", &[("calendar", &mount)]),
    );
    assert!(dav_text(&s, &alice, &format!("{cal}{obj}")).contains("SUMMARY:Shared plan"));
}

#[test]
fn another_persons_calendar_is_refused_without_leaking() {
    let s = Server::start();
    let alice = s.new_user("leak-alice");
    let mallory = s.new_user("leak-mallory");
    let cal = calendar_url(&alice);
    let path = format!("{cal}secret.ics");
    put_created(&s, &alice, &path, event("secret", "Secret plan").as_bytes());
    let before = dav_text(&s, &alice, &path);
    let etag = get_req(&s, &alice, &path)
        .header("etag")
        .unwrap()
        .to_owned();
    // Alice's calendar id is not known to mallory; try every small mount number.
    let w = web_login(&s, &mallory);
    for n in 1..6 {
        let mount = format!(".shared-{n}");
        let r = w.get(
            &s,
            &format!("/web/calendar/event?cal={mount}&obj=secret.ics"),
        );
        assert_eq!(r.status, 404, "{mount}");
        assert!(!r.text().contains("Secret plan"));
        let r = w.post(
            &s,
            "/web/calendar/event/save",
            &event_fields(
                "Mine now",
                &[("cal", &mount), ("obj", "secret.ics"), ("etag", &etag)],
            ),
        );
        assert_eq!(r.status, 404, "{mount}");
        assert!(!r.text().contains("Secret plan"));
        let r = w.post(
            &s,
            "/web/calendar/event/delete",
            &[("cal", &mount), ("obj", "secret.ics"), ("etag", &etag)],
        );
        assert_eq!(r.status, 404, "{mount}");
    }
    // Moving her own event into a calendar that is not hers is refused too.
    put_created(
        &s,
        &mallory,
        &format!("{}mine.ics", calendar_url(&mallory)),
        event("mine", "Mine").as_bytes(),
    );
    let page = w
        .get(&s, "/web/calendar/event?cal=personal&obj=mine.ics")
        .text();
    let r = w.post(
        &s,
        "/web/calendar/event/move",
        &[
            ("cal", "personal"),
            ("obj", "mine.ics"),
            ("etag", &field_value(&page, "etag").unwrap()),
            ("to", ".shared-1"),
        ],
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        get_req(&s, &mallory, &format!("{}mine.ics", calendar_url(&mallory))).status,
        200
    );
    assert_eq!(dav_text(&s, &alice, &path), before);
}

#[test]
fn the_editor_speaks_french() {
    let s = Server::start();
    let u = s.new_user("webfr");
    let w = web_login(&s, &u);
    let r = s.request(
        "GET",
        "/web/calendar/event/new?date=2025-03-03",
        None,
        &[(
            "cookie",
            &format!("{}; davsuite_lang=fr", w.cookie_header()),
        )],
        b"",
    );
    let page = r.text();
    assert!(page.contains("Nouvel événement"), "{page}");
    assert!(page.contains("Fuseau horaire"));
}
