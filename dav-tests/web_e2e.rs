//! The web view end to end in headless Chromium: what a person does on its pages (log in,
//! create a recurring event, read it in the month and week views, delete and restore it, share
//! a calendar, read contacts and birthdays, download the Apple profile), each result checked
//! where a client sees it too (CalDAV, CardDAV). The screenshots of the main views at a
//! desktop and a phone size are saved as artefacts (`target/web-screenshots/`).

use crate::common::*;

/// The zone the views are drawn in (`tz=`), the event form's default zone: times read the same
/// on the form, the views and the event, whatever the machine's zone.
const ZONE: &str = "Europe/Zurich";

/// Logs `u` in through the log-in form; the browser lands on the calendar.
#[track_caller]
fn log_in(b: &Browser, u: &User) {
    b.goto("/login");
    b.fill("login", &u.login);
    b.fill("password", &u.password);
    b.click("form button[type=submit]");
    b.wait_for_path("/web/calendar");
}

/// Opens a calendar view (`month`, `week` or `agenda`) around `date` in [`ZONE`] and waits
/// until it is drawn.
#[track_caller]
fn open_view(b: &Browser, view: &str, date: &str) {
    b.goto(&format!("/web/calendar?view={view}&date={date}&tz={ZONE}"));
    b.wait_for(&format!(
        ".cal-page[data-view=\"{view}\"][data-tz=\"{ZONE}\"]"
    ));
}

/// The selector of the month view's cell of `date` (`YYYY-MM-DD`).
fn month_cell(date: &str) -> String {
    format!("td[data-date=\"{date}\"]")
}

/// The event chips' texts in the month view's cell of `date`.
fn chips_on(b: &Browser, date: &str) -> Vec<String> {
    let js = format!(
        "return Array.from(document.querySelectorAll('{} a.ev')).map(e => e.innerText)",
        month_cell(date)
    );
    b.script(&js)
        .as_array()
        .expect("an array")
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// An event from `start` to `end` (UTC, `YYYYMMDDTHHMMSSZ`).
fn event_at(uid: &str, summary: &str, start: &str, end: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\nBEGIN:VEVENT\r\n\
         UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\n\
         SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The calendar data of every event of `u`'s default calendar, by calendar-query.
#[track_caller]
fn calendar_data(s: &Server, u: &User) -> Vec<String> {
    let r = report_req(s, u, &calendar_url(u), Some("1"), &query_body());
    assert_eq!(r.status, 207, "{}", r.text());
    multistatus(&r)
        .iter()
        .filter_map(|m| m.ok_prop(NS_CALDAV, "calendar-data").map(|e| e.text()))
        .collect()
}

#[test]
fn recurring_event_in_month_and_week_and_over_caldav() {
    let s = Server::start();
    let u = s.new_user("e2ecal");
    let b = Browser::desktop(&s);
    log_in(&b, &u);
    // Monday 2 March 2026: its "+" opens the new-event form on that day.
    open_view(&b, "month", "2026-03-01");
    b.click(&format!("{} a.add", month_cell("2026-03-02")));
    b.wait_for_path("/web/calendar/event/new");
    assert_eq!(
        b.attribute("#start_date", "value").as_deref(),
        Some("2026-03-02")
    );
    b.fill("summary", "Team standup");
    b.fill("start_time", "0930AM");
    b.fill("end_time", "1015AM");
    assert_eq!(
        b.script("return [start_time.value, end_time.value]"),
        json!(["09:30", "10:15"])
    );
    b.click("#repeat option[value=\"weekly\"]");
    b.click("#reminder option[value=\"15\"]");
    b.click("#event-submit");
    b.wait_for_path("/web/calendar/event");
    b.wait_for_text("Team standup");

    // Every Monday of March, at its time.
    open_view(&b, "month", "2026-03-01");
    for monday in [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ] {
        let chips = chips_on(&b, monday);
        assert_eq!(chips.len(), 1, "{monday}: {chips:?}");
        assert!(chips[0].contains("09:30"), "{monday}: {chips:?}");
        assert!(chips[0].contains("Team standup"), "{monday}: {chips:?}");
    }
    for other in ["2026-03-01", "2026-03-03", "2026-03-10", "2026-03-31"] {
        assert!(chips_on(&b, other).is_empty(), "{other}");
    }
    b.screenshot("month-desktop");
    open_view(&b, "week", "2026-03-11");
    let block = b.text_of(".wk-col[data-col=\"2026-03-09\"] a.ev.timed");
    assert!(block.contains("09:30–10:15"), "{block}");
    assert!(block.contains("Team standup"), "{block}");
    let blocks = b.script("return document.querySelectorAll('.wk-col a.ev.timed').length");
    assert_eq!(blocks, json!(1), "one occurrence in the week");
    b.screenshot("week-desktop");

    // A CalDAV client reads the series with its reminder.
    let objects = calendar_data(&s, &u);
    assert_eq!(objects.len(), 1, "{objects:?}");
    let ical = &objects[0];
    for line in [
        "SUMMARY:Team standup",
        "RRULE:FREQ=WEEKLY",
        "BEGIN:VALARM",
        "TRIGGER:-PT15M",
        "TZID=Europe/Zurich:20260302T093000",
    ] {
        assert!(ical.contains(line), "{line} missing from {ical}");
    }

    // The same views on a phone.
    let phone = Browser::phone(&s);
    log_in(&phone, &u);
    for (view, date, shot) in [
        ("month", "2026-03-01", "month-phone"),
        ("week", "2026-03-11", "week-phone"),
        ("agenda", "2026-03-02", "agenda-phone"),
    ] {
        open_view(&phone, view, date);
        phone.wait_for_text("Team standup");
        phone.screenshot(shot);
    }
}

#[test]
fn birthday_in_the_web_view_only() {
    let s = Server::start();
    let u = s.new_user("e2ebday");
    let book = addressbook_url(&u);
    for (uid, name, bday) in [
        ("ada", "Ada Lovelace", "19900315"),
        ("yearless", "Noyear Person", "--0704"),
    ] {
        let card = format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nBDAY:{bday}\r\nEND:VCARD\r\n"
        );
        put_created(&s, &u, &format!("{book}{uid}.vcf"), card.as_bytes());
    }
    // No DAV answer holds a birthday: the calendar home, the calendar's query, its changes
    // and the collection's GET.
    let home = format!("/dav/calendars/{}/", u.login);
    let cal = calendar_url(&u);
    let answers = [
        propfind_req(
            &s,
            &u,
            &home,
            "1",
            &propfind_body(&[(NS_DAV, "displayname")]),
        ),
        report_req(&s, &u, &cal, Some("1"), &query_body()),
        report_req(&s, &u, &cal, None, &sync_body("")),
        get_req(&s, &u, &cal),
    ];
    for r in &answers {
        assert!(r.status < 300, "{} {}", r.status, r.text());
        let text = r.text();
        for leak in ["Lovelace", "Noyear", "BDAY", "birthday"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }
    assert!(
        listed(&s, &u, &home)
            .iter()
            .all(|h| !h.contains("birthday")),
        "no birthday collection in the home"
    );
    for r in &answers[1..3] {
        assert!(
            multistatus(r).is_empty(),
            "the calendar is empty: {}",
            r.text()
        );
    }

    // The month view shows them, her age with hers.
    let b = Browser::desktop(&s);
    log_in(&b, &u);
    open_view(&b, "month", "2026-03-01");
    let cell = b.text_of(&month_cell("2026-03-15"));
    assert!(cell.contains("Ada Lovelace"), "{cell}");
    assert!(cell.contains("36"), "her age in 2026: {cell}");
    open_view(&b, "month", "2026-07-01");
    let cell = b.text_of(&month_cell("2026-07-04"));
    assert!(cell.contains("Noyear Person"), "{cell}");
}

#[test]
fn delete_and_restore_an_event() {
    let s = Server::start();
    let u = s.new_user("e2etrash");
    let href = format!("{}dentist.ics", calendar_url(&u));
    put_created(
        &s,
        &u,
        &href,
        event_at("dentist", "Dentist", "20260310T080000Z", "20260310T090000Z").as_bytes(),
    );
    let b = Browser::desktop(&s);
    log_in(&b, &u);
    open_view(&b, "month", "2026-03-01");
    b.click(&format!("{} a.ev", month_cell("2026-03-10")));
    b.wait_for_path("/web/calendar/event");
    b.wait_for_text("Dentist");
    let asked = b.click_and_confirm("#delete-submit");
    assert_eq!(asked, "Move this event to the trash?");
    b.wait_for_path("/web/calendar");
    open_view(&b, "month", "2026-03-01");
    assert!(chips_on(&b, "2026-03-10").is_empty());
    assert_eq!(get_req(&s, &u, &href).status, 404);

    // Listed in the trash, at both sizes.
    b.goto("/web/trash");
    b.wait_for_text("Dentist");
    b.screenshot("trash-desktop");
    let phone = Browser::phone(&s);
    log_in(&phone, &u);
    phone.goto("/web/trash");
    phone.wait_for_text("Dentist");
    phone.screenshot("trash-phone");

    b.click("form.restore button[type=submit]");
    b.wait_for_path("/web/trash");
    let back = get_req(&s, &u, &href);
    assert_eq!(back.status, 200, "restored over CalDAV");
    assert!(back.text().contains("SUMMARY:Dentist"), "{}", back.text());
    open_view(&b, "month", "2026-03-01");
    let chips = chips_on(&b, "2026-03-10");
    assert!(
        chips.len() == 1 && chips[0].contains("Dentist"),
        "{chips:?}"
    );
}

#[test]
fn share_a_calendar() {
    let s = Server::start();
    let alice = s.new_user_in("e2ealice", "e2eorg");
    let bob = s.new_user_in("e2ebob", "e2eorg");
    put_created(
        &s,
        &alice,
        &format!("{}planning.ics", calendar_url(&alice)),
        event_at(
            "planning",
            "Planning",
            "20260312T130000Z",
            "20260312T140000Z",
        )
        .as_bytes(),
    );
    let b = Browser::desktop(&s);
    log_in(&b, &alice);
    b.goto("/web/sharing");
    b.fill_in("#share-with-calendar-personal", &bob.login);
    b.click("#share-access-calendar-personal option[value=\"read\"]");
    b.click("#share-calendar-personal");
    b.wait_for_text("Shared.");
    b.wait_for(&format!("[data-with=\"{}\"]", bob.login));

    // Bob's CalDAV client finds it in his calendar home.
    let home = cal_home(&bob);
    let mounted = shared_path(&s, &bob);
    assert!(mounted.starts_with(&format!("{home}.shared-")), "{mounted}");
    assert!(listed(&s, &bob, &home).contains(&mounted), "{mounted}");
    let got = get_req(&s, &bob, &format!("{mounted}planning.ics"));
    assert_eq!(got.status, 200);
    assert!(got.text().contains("SUMMARY:Planning"));

    // And his month view shows it.
    let bb = Browser::desktop(&s);
    log_in(&bb, &bob);
    open_view(&bb, "month", "2026-03-01");
    let chips = chips_on(&bb, "2026-03-12");
    assert!(
        chips.len() == 1 && chips[0].contains("Planning"),
        "{chips:?}"
    );
}

#[test]
fn contacts_list_and_card() {
    let s = Server::start();
    let u = s.new_user("e2ecards");
    let book = addressbook_url(&u);
    for (uid, first, last, email, tel) in [
        (
            "ada",
            "Ada",
            "Lovelace",
            "ada@example.org",
            "+44 20 7946 0001",
        ),
        (
            "alan",
            "Alan",
            "Turing",
            "alan@example.org",
            "+44 20 7946 0002",
        ),
        (
            "grace",
            "Grace",
            "Hopper",
            "grace@example.org",
            "+1 202 555 0103",
        ),
    ] {
        let card = format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{first} {last}\r\nN:{last};{first};;;\r\n\
             EMAIL;TYPE=work:{email}\r\nTEL;TYPE=cell:{tel}\r\nEND:VCARD\r\n"
        );
        put_created(&s, &u, &format!("{book}{uid}.vcf"), card.as_bytes());
    }
    let contacts =
        "return Array.from(document.querySelectorAll('a.contact')).map(a => a.innerText)";
    let b = Browser::desktop(&s);
    log_in(&b, &u);
    b.goto("/web/contacts");
    b.wait_for("a.contact");
    let listed = b.script(contacts);
    for name in ["Lovelace", "Turing", "Hopper"] {
        assert!(listed.to_string().contains(name), "{name}: {listed}");
    }
    assert_eq!(listed.as_array().map(Vec::len), Some(3), "{listed}");
    b.screenshot("contacts-desktop");

    b.fill("q", "Turing");
    b.click("#search-button");
    b.wait_for("input[name=q][value=\"Turing\"]");
    let found = b.script(contacts);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert!(found.to_string().contains("Turing"), "{found}");
    b.click("a.contact");
    b.wait_for_path("/web/contacts/card");
    b.wait_for_text("alan@example.org");
    b.wait_for_text("+44 20 7946 0002");
    assert_eq!(
        b.attribute("dd.email a", "href").as_deref(),
        Some("mailto:alan@example.org")
    );

    let phone = Browser::phone(&s);
    log_in(&phone, &u);
    phone.goto("/web/contacts");
    phone.wait_for("a.contact");
    phone.wait_for_text("Hopper");
    phone.screenshot("contacts-phone");
}

#[test]
fn download_the_mobileconfig() {
    let s = Server::start();
    let u = s.new_user("e2eapple");
    let b = Browser::desktop(&s);
    log_in(&b, &u);
    b.goto("/web/devices");
    let link = b
        .attribute("a[href$=\".mobileconfig\"]", "href")
        .expect("the download link's target");
    b.screenshot("devices-desktop");
    let path = link.strip_prefix(&s.url()).unwrap_or(&link).to_owned();
    let r = b.request(&s, "GET", &path, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/x-apple-aspen-config")
    );
    let plist = read_plist(&r.body);
    assert_eq!(plist["PayloadType"], "Configuration");
    let payloads = plist["PayloadContent"].as_array().expect("payloads");
    for (p, proto) in payloads.iter().zip(["CalDAV", "CardDAV"]) {
        assert_eq!(p[format!("{proto}Username")], u.login.as_str(), "{p}");
    }
    assert_eq!(payloads.len(), 2);
}

#[test]
fn the_month_view_in_french() {
    let s = Server::start();
    let u = s.new_user("e2efr");
    put_created(
        &s,
        &u,
        &format!("{}marche.ics", calendar_url(&u)),
        event_at("marche", "Marché", "20260305T070000Z", "20260305T080000Z").as_bytes(),
    );
    let b = Browser::open(&s, Size::Desktop, &["fr-FR", "fr"]);
    log_in(&b, &u);
    open_view(&b, "month", "2026-03-01");
    assert_eq!(b.attribute("html", "lang").as_deref(), Some("fr"));
    let title = b.text_of("#cal-title");
    assert!(title.to_lowercase().contains("mars 2026"), "{title}");
    for label in ["Mois", "Semaine", "Agenda", "Aujourd'hui", "Calendriers"] {
        b.wait_for_text(label);
    }
    let chips = chips_on(&b, "2026-03-05");
    assert!(
        chips.len() == 1 && chips[0].contains("08:00") && chips[0].contains("Marché"),
        "{chips:?}"
    );
    b.screenshot("month-desktop-fr");
}
