//! The web view's calendar pages over plain HTTP (issue 7): events written over CalDAV appear
//! on their days and hours in the month, week and agenda views, in the person's zone; own and
//! shared calendars with their colours, shown and hidden; nothing of another person's unshared
//! calendars; navigation; French texts; a large month.

use crate::common::*;

/// Wednesday 12 March 2025, 11:00 in Zurich.
const NOW: i64 = 1_741_773_600;

/// A server whose clock shows [`NOW`], and a logged-in person of organisation acme.
fn setup(prefix: &str) -> (TestClock, Server, User, WebSession) {
    let clock = TestClock::new(NOW);
    let s = clocked_server(&clock, "");
    let u = s.new_user_in(prefix, "acme");
    let session = web_login(&s, &u);
    (clock, s, u, session)
}

/// A calendar object holding `body` (components, VTIMEZONEs left to the zone names).
fn ical(body: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n{}END:VCALENDAR\r\n",
        body.lines()
            .map(|l| format!("{}\r\n", l.trim()))
            .collect::<String>()
    )
}

/// A VEVENT from `start` to `end` (UTC, `YYYYMMDDTHHMMSSZ`).
fn utc_event(uid: &str, summary: &str, start: &str, end: &str) -> String {
    format!(
        "BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20250101T000000Z\nDTSTART:{start}\nDTEND:{end}\n\
         SUMMARY:{summary}\nEND:VEVENT"
    )
}

/// Puts `body` as `name` into `u`'s default calendar.
#[track_caller]
fn put_event(s: &Server, u: &User, name: &str, body: &str) {
    put_created(
        s,
        u,
        &format!("{}{name}", calendar_url(u)),
        ical(body).as_bytes(),
    );
}

/// The markup of the element marked `attr="date"` up to the next element so marked.
#[track_caller]
fn cell<'p>(page: &'p str, attr: &str, date: &str) -> &'p str {
    let marker = format!("{attr}=\"{date}\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let rest = &page[at + marker.len()..];
    let end = rest.find(&format!("{attr}=\"")).unwrap_or(rest.len());
    &rest[..end]
}

/// GETs `path` with the session and more cookies.
fn get_with(s: &Server, session: &WebSession, path: &str, cookies: &str) -> Resp {
    let cookie = format!("{}; {cookies}", session.cookie_header());
    s.request("GET", path, None, &[("cookie", &cookie)], b"")
}

#[track_caller]
fn page(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

/// Alice's March 2025: a single event, an all-day trip, a weekly series with an EXDATE and a
/// moved instance, and a call set in New York time.
fn march(s: &Server, u: &User) {
    put_event(
        s,
        u,
        "dentist.ics",
        "BEGIN:VEVENT
         UID:dentist
         DTSTAMP:20250101T000000Z
         DTSTART;TZID=Europe/Zurich:20250305T100000
         DTEND;TZID=Europe/Zurich:20250305T110000
         SUMMARY:Dentist
         LOCATION:Bahnhofstrasse 1
         END:VEVENT",
    );
    put_event(
        s,
        u,
        "trip.ics",
        "BEGIN:VEVENT
         UID:trip
         DTSTAMP:20250101T000000Z
         DTSTART;VALUE=DATE:20250310
         DTEND;VALUE=DATE:20250312
         SUMMARY:Ski trip
         END:VEVENT",
    );
    put_event(
        s,
        u,
        "standup.ics",
        "BEGIN:VEVENT
         UID:standup
         DTSTAMP:20250101T000000Z
         DTSTART;TZID=Europe/Zurich:20250303T090000
         DTEND;TZID=Europe/Zurich:20250303T091500
         RRULE:FREQ=WEEKLY;COUNT=5
         EXDATE;TZID=Europe/Zurich:20250310T090000
         SUMMARY:Standup
         END:VEVENT
         BEGIN:VEVENT
         UID:standup
         DTSTAMP:20250101T000000Z
         RECURRENCE-ID;TZID=Europe/Zurich:20250317T090000
         DTSTART;TZID=Europe/Zurich:20250318T140000
         DTEND;TZID=Europe/Zurich:20250318T141500
         SUMMARY:Standup moved
         END:VEVENT",
    );
    put_event(
        s,
        u,
        "call.ics",
        "BEGIN:VEVENT
         UID:call
         DTSTAMP:20250101T000000Z
         DTSTART;TZID=America/New_York:20250306T090000
         DTEND;TZID=America/New_York:20250306T100000
         SUMMARY:Call New York
         END:VEVENT",
    );
}

#[test]
fn events_appear_on_their_days_in_the_month_view() {
    let (_clock, s, u, session) = setup("calmonth");
    march(&s, &u);
    // Without a date: the month of today (12 March 2025 in Zurich).
    let month = page(&session.get(&s, "/web/calendar"));
    assert!(month.contains("March 2025"), "{month}");
    assert!(cell(&month, "data-date", "2025-03-12").contains("aria-current=\"date\""));
    assert!(!cell(&month, "data-date", "2025-03-11").contains("aria-current"));
    // The grid runs from Monday 24 February to Sunday 6 April, with ISO week numbers.
    assert!(
        month.contains("data-date=\"2025-02-24\"") && month.contains("data-date=\"2025-04-06\"")
    );
    assert!(
        !month.contains("data-date=\"2025-02-23\"") && !month.contains("data-date=\"2025-04-07\"")
    );
    assert!(month.contains("Week </span>10"), "{month}");

    let day = |d: &str| cell(&month, "data-date", d).to_owned();
    assert!(day("2025-03-05").contains("Dentist") && day("2025-03-05").contains("10:00"));
    // 09:00 in New York (UTC-5 until 9 March) is 15:00 in Zurich.
    assert!(day("2025-03-06").contains("Call New York") && day("2025-03-06").contains("15:00"));
    // The all-day trip covers the 10th and 11th, not the 12th (DTEND is exclusive).
    for d in ["2025-03-10", "2025-03-11"] {
        assert!(
            day(d).contains("Ski trip") && day(d).contains("filled"),
            "{d}"
        );
    }
    assert!(!day("2025-03-12").contains("Ski trip"));
    // The series: the EXDATE removes the 10th, the override moves the 17th to the 18th.
    for d in ["2025-03-03", "2025-03-24", "2025-03-31"] {
        assert!(day(d).contains("Standup"), "{d}");
    }
    assert!(!day("2025-03-10").contains("Standup"));
    assert!(!day("2025-03-17").contains("Standup"));
    assert!(day("2025-03-18").contains("Standup moved") && day("2025-03-18").contains("14:00"));
    // Chips lead to the event's page, day numbers to the week, "+" to a new event.
    assert!(day("2025-03-05").contains(
        "href=\"/web/calendar/event?cal=personal&amp;obj=dentist%2Eics&amp;date=2025-03-05\""
    ));
    assert!(day("2025-03-18").contains("obj=standup%2Eics&amp;date=2025-03-18"));
    assert!(day("2025-03-05").contains("href=\"/web/calendar?view=week&amp;date=2025-03-05\""));
    assert!(day("2025-03-05").contains("href=\"/web/calendar/event/new?date=2025-03-05\""));
    assert!(month.contains("id=\"new-event\" href=\"/web/calendar/event/new?date=2025-03-12\""));
}

#[test]
fn the_week_view_places_timed_events_by_hour_and_all_day_ones_on_top() {
    let (_clock, s, u, session) = setup("calweek");
    march(&s, &u);
    put_event(
        &s,
        &u,
        "overlap.ics",
        "BEGIN:VEVENT
         UID:overlap
         DTSTAMP:20250101T000000Z
         DTSTART;TZID=Europe/Zurich:20250305T103000
         DTEND;TZID=Europe/Zurich:20250305T120000
         SUMMARY:Overlapping
         END:VEVENT",
    );
    let week = page(&session.get(&s, "/web/calendar?view=week&date=2025-03-05"));
    assert!(week.contains("3 – 9 March 2025"), "{week}");
    let col = |d: &str| cell(&week, "data-col", d).to_owned();
    // 10:00 is 10/24 of the day down; the overlapping event takes the other half.
    let dentist = col("2025-03-05");
    assert!(
        dentist.contains("top:41.667%;height:4.167%;left:0.000%;width:50.000%"),
        "{dentist}"
    );
    assert!(
        dentist.contains("top:43.750%;height:6.250%;left:50.000%;width:50.000%"),
        "{dentist}"
    );
    assert!(dentist.contains("10:00–11:00") && dentist.contains("Bahnhofstrasse 1"));
    assert!(col("2025-03-06").contains("15:00–16:00"));
    assert!(col("2025-03-03").contains("Standup") && col("2025-03-03").contains("width:100.000%"));
    // Hour slots lead to a new event at that hour.
    assert!(
        col("2025-03-07")
            .contains("href=\"/web/calendar/event/new?date=2025-03-07&amp;time=13%3A00\"")
    );

    let next = page(&session.get(&s, "/web/calendar?view=week&date=2025-03-10"));
    assert!(cell(&next, "data-allday", "2025-03-10").contains("Ski trip"));
    assert!(cell(&next, "data-allday", "2025-03-11").contains("Ski trip"));
    assert!(!cell(&next, "data-col", "2025-03-10").contains("Ski trip"));
    assert!(!next.contains(">Standup<"), "the 10th is excluded: {next}");
    // Phones get the same week as a list.
    assert!(cell(&next, "data-day", "2025-03-11").contains("Ski trip"));
}

#[test]
fn the_agenda_lists_the_coming_days_and_the_zone_moves_times() {
    let (_clock, s, u, session) = setup("calagenda");
    march(&s, &u);
    let agenda = page(&session.get(&s, "/web/calendar?view=agenda&date=2025-03-05"));
    assert!(agenda.contains("5 March – 3 April 2025"), "{agenda}");
    assert!(agenda.contains("Wednesday 5 March 2025"));
    let on = |d: &str| cell(&agenda, "data-day", d).to_owned();
    assert!(on("2025-03-05").contains("10:00–11:00") && on("2025-03-05").contains("Dentist"));
    assert!(on("2025-03-10").contains("All day") && on("2025-03-10").contains("Ski trip"));
    assert!(on("2025-03-18").contains("14:00–14:15"));
    assert!(on("2025-03-31").contains("Standup"));
    assert!(
        !agenda.contains("data-day=\"2025-03-17\""),
        "nothing left on the 17th"
    );
    assert!(
        !agenda.contains("data-day=\"2025-03-04\""),
        "before the agenda"
    );
    // days= shortens it.
    let two = page(&session.get(&s, "/web/calendar?view=agenda&date=2025-03-05&days=2"));
    assert!(two.contains("Call New York") && !two.contains("Ski trip"));

    // In New York, the dentist is at 04:00 and the call at 09:00; the all-day trip stays on
    // its dates.
    let ny = page(&get_with(
        &s,
        &session,
        "/web/calendar?view=agenda&date=2025-03-05",
        "davsuite_tz=America%2FNew_York",
    ));
    assert!(ny.contains("Times in America/New_York"), "{ny}");
    assert!(cell(&ny, "data-day", "2025-03-05").contains("04:00–05:00"));
    assert!(cell(&ny, "data-day", "2025-03-06").contains("09:00–10:00"));
    assert!(cell(&ny, "data-day", "2025-03-11").contains("Ski trip"));
    assert!(!ny.contains("data-day=\"2025-03-12\""));
    // An unknown zone falls back to Zurich.
    let odd = page(&session.get(
        &s,
        "/web/calendar?view=agenda&date=2025-03-05&tz=Mars%2FOlympus",
    ));
    assert!(odd.contains("Times in Europe/Zurich"));
    // An empty period says so.
    let empty = page(&session.get(&s, "/web/calendar?view=agenda&date=2030-01-01"));
    assert!(empty.contains("No events in this period."));
}

#[test]
fn floating_events_stay_at_their_wall_clock_time() {
    let (_clock, s, u, session) = setup("calfloat");
    put_event(
        &s,
        &u,
        "floating.ics",
        "BEGIN:VEVENT
         UID:floating
         DTSTAMP:20250101T000000Z
         DTSTART:20250305T080000
         DTEND:20250305T090000
         SUMMARY:Floating breakfast
         END:VEVENT",
    );
    for zone in ["Europe%2FZurich", "Asia%2FTokyo", "America%2FLos_Angeles"] {
        let r = get_with(
            &s,
            &session,
            "/web/calendar?view=agenda&date=2025-03-01",
            &format!("davsuite_tz={zone}"),
        );
        let p = page(&r);
        assert!(
            cell(&p, "data-day", "2025-03-05").contains("08:00–09:00"),
            "{zone}: {p}"
        );
    }
}

#[test]
fn navigation_moves_by_the_views_period() {
    let (_clock, s, _u, session) = setup("calnav");
    let s = &s;
    let month = page(&session.get(s, "/web/calendar?view=month&date=2025-01-31"));
    assert!(
        month.contains("id=\"cal-prev\" href=\"/web/calendar?view=month&amp;date=2024-12-01\""),
        "{month}"
    );
    assert!(
        month.contains("id=\"cal-next\" href=\"/web/calendar?view=month&amp;date=2025-02-01\"")
    );
    assert!(
        month.contains("id=\"cal-today\" href=\"/web/calendar?view=month&amp;date=2025-03-12\"")
    );
    assert!(
        month.contains("id=\"cal-view-week\" href=\"/web/calendar?view=week&amp;date=2025-01-31\"")
    );
    assert!(month.contains("id=\"cal-view-month\" href=\"/web/calendar?view=month&amp;date=2025-01-31\" aria-current=\"page\""));
    let week = page(&session.get(s, "/web/calendar?view=week&date=2025-01-01"));
    assert!(week.contains("30 December 2024 – 5 January 2025"), "{week}");
    assert!(week.contains("id=\"cal-prev\" href=\"/web/calendar?view=week&amp;date=2024-12-25\""));
    assert!(week.contains("id=\"cal-next\" href=\"/web/calendar?view=week&amp;date=2025-01-08\""));
    let agenda = page(&session.get(s, "/web/calendar?view=agenda&date=2025-01-01&days=7"));
    assert!(agenda.contains(
        "id=\"cal-next\" href=\"/web/calendar?view=agenda&amp;date=2025-01-08&amp;days=7\""
    ));
    // Bad parameters fall back to the defaults rather than failing.
    for bad in [
        "view=year",
        "date=2025-13-01",
        "date=99999-01-01",
        "days=-3",
        "date=0001-01-01",
    ] {
        let r = session.get(s, &format!("/web/calendar?{bad}"));
        assert_eq!(r.status, 200, "{bad}: {}", r.text());
    }
    let r = session.get(s, "/web/calendar?view=agenda&days=100000");
    assert!(page(&r).contains("12 March 2025 – 12 March 2026"));
    // The pages are read-only: a post is refused, and an unknown sub-page is not found.
    assert_eq!(session.post(s, "/web/calendar", &[]).status, 405);
    assert_eq!(
        session
            .post(s, "/web/calendar/calendars", &[("show", "personal")])
            .status,
        405
    );
    assert_eq!(session.get(s, "/web/calendar/nothing").status, 404);
}

#[test]
fn french_pages_write_dates_the_french_way() {
    let (_clock, s, u, session) = setup("calfr");
    march(&s, &u);
    let month = page(&get_with(
        &s,
        &session,
        "/web/calendar?date=2025-03-01",
        "davsuite_lang=fr",
    ));
    assert!(month.contains("<html lang=\"fr\""));
    assert!(
        month.contains("mars 2025") && month.contains("Nouvel événement"),
        "{month}"
    );
    assert!(month.contains("Calendriers") && month.contains("lun."));
    assert!(month.contains("aria-label=\"mercredi 5 mars 2025\""));
    let week = page(&get_with(
        &s,
        &session,
        "/web/calendar?view=week&date=2025-02-26",
        "davsuite_lang=fr",
    ));
    assert!(week.contains("24 février – 2 mars 2025"), "{week}");
    assert!(week.contains("Toute la journée"));
    let agenda = page(&get_with(
        &s,
        &session,
        "/web/calendar?view=agenda&date=2025-03-10",
        "davsuite_lang=fr",
    ));
    assert!(
        agenda.contains("lundi 10 mars 2025") && agenda.contains("Aujourd'hui"),
        "{agenda}"
    );
    assert!(agenda.contains("Heures en Europe/Zurich"));
}

#[test]
fn shared_calendars_show_in_their_colour_and_unshared_ones_never() {
    let clock = TestClock::new(NOW);
    let s = clocked_server(&clock, "");
    let alice = s.new_user_in("calalice", "acme");
    let bob = s.new_user_in("calbob", "acme");
    let carol = s.new_user_in("calcarol", "acme");
    let cal = calendar_url(&alice);
    let r = proppatch_req(
        &s,
        &alice,
        &cal,
        br##"<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Alice at work</D:displayname><A:calendar-color>#AA3377FF</A:calendar-color></D:prop></D:set></D:propertyupdate>"##,
    );
    assert_eq!(r.status, 207, "{}", r.text());
    put_event(
        &s,
        &alice,
        "plan.ics",
        &utc_event(
            "plan",
            "Planning with Alice",
            "20250312T130000Z",
            "20250312T140000Z",
        ),
    );
    put_event(
        &s,
        &carol,
        "secret.ics",
        &utc_event(
            "secret",
            "Carol secret",
            "20250312T130000Z",
            "20250312T140000Z",
        ),
    );
    share_with(&s, &cal, &bob.login, "read");
    let mount = shared_path(&s, &bob);
    let mount_name = mount
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .expect("a name")
        .to_owned();

    let session = web_login(&s, &bob);
    for view in ["month", "week", "agenda"] {
        let p = page(&session.get(&s, &format!("/web/calendar?view={view}&date=2025-03-12")));
        assert!(p.contains("Planning with Alice"), "{view}: {p}");
        assert!(!p.contains("Carol secret"), "{view}");
        assert!(!p.contains(&carol.login), "{view}");
    }
    let p = page(&session.get(&s, "/web/calendar?date=2025-03-12"));
    // The check box names the mount, the owner and the access; the colour loses its alpha.
    assert!(p.contains(&format!("value=\"{mount_name}\"")), "{p}");
    assert!(p.contains("Alice at work") && p.contains(&format!("shared by {}", alice.login)));
    assert!(p.contains("read only"));
    assert!(p.contains("--c:#aa3377"), "{p}");
    assert!(p.contains(&format!(
        "cal={}",
        mount_name.replace('.', "%2E").replace('-', "%2D")
    )));
    // Bob's own calendar has a colour from the palette.
    assert!(p.contains("value=\"personal\""));

    // Carol sees her own event and nothing of Alice's.
    let carol_session = web_login(&s, &carol);
    let p = page(&carol_session.get(&s, "/web/calendar?view=agenda&date=2025-03-12"));
    assert!(p.contains("Carol secret") && !p.contains("Planning with Alice"));
    // Unshared, Alice's calendar leaves Bob's pages.
    unshare(&s, &cal, &bob.login);
    let p = page(&session.get(&s, "/web/calendar?view=agenda&date=2025-03-12"));
    assert!(!p.contains("Planning with Alice") && !p.contains("Alice at work"));
}

#[test]
fn calendars_are_hidden_and_shown_with_the_check_boxes() {
    let (_clock, s, u, session) = setup("calhide");
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    put_event(
        &s,
        &u,
        "mine.ics",
        &utc_event(
            "mine",
            "Personal thing",
            "20250312T130000Z",
            "20250312T140000Z",
        ),
    );
    put_created(
        &s,
        &u,
        &format!("{work}job.ics"),
        ical(&utc_event(
            "job",
            "Work meeting",
            "20250312T150000Z",
            "20250312T160000Z",
        ))
        .as_bytes(),
    );
    let both = page(&session.get(&s, "/web/calendar"));
    assert!(both.contains("Personal thing") && both.contains("Work meeting"));

    // Only "personal" ticked: the cookie hides "work", and the form leads back to its view.
    let r = session.get(
        &s,
        "/web/calendar/calendars?show=personal&view=week&date=2025-03-10",
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/web/calendar?view=week&date=2025-03-10")
    );
    let set = set_cookie_header(&r, "davsuite_hidden_cals").expect("a cookie");
    assert!(
        set.starts_with("davsuite_hidden_cals=work;") && set.contains("Path=/web/"),
        "{set}"
    );
    let hidden = page(&get_with(
        &s,
        &session,
        "/web/calendar",
        "davsuite_hidden_cals=work",
    ));
    assert!(hidden.contains("Personal thing") && !hidden.contains("Work meeting"));
    assert!(
        hidden.contains("value=\"work\" id=\"cal-show-1\" data-cal=\"work\">"),
        "unticked: {hidden}"
    );
    assert!(hidden.contains("value=\"personal\" id=\"cal-show-0\" data-cal=\"personal\" checked>"));
    // Both ticked: nothing hidden.
    let r = session.get(&s, "/web/calendar/calendars?show=personal&show=work");
    assert_eq!(
        set_cookie_value(&r, "davsuite_hidden_cals").as_deref(),
        Some("")
    );
    assert_eq!(
        r.header("location"),
        Some("/web/calendar?view=month&date=2025-03-12")
    );
    // None ticked: both hidden, the page still draws.
    let r = session.get(&s, "/web/calendar/calendars");
    assert_eq!(
        set_cookie_value(&r, "davsuite_hidden_cals").as_deref(),
        Some("personal|work")
    );
    let none = page(&get_with(
        &s,
        &session,
        "/web/calendar",
        "davsuite_hidden_cals=personal|work",
    ));
    assert!(!none.contains("Personal thing") && !none.contains("Work meeting"));
}

#[test]
fn a_person_whose_calendar_product_is_off_sees_no_calendar() {
    let (_clock, s, u, session) = setup("caloff");
    put_event(
        &s,
        &u,
        "mine.ics",
        &utc_event(
            "mine",
            "Personal thing",
            "20250312T130000Z",
            "20250312T140000Z",
        ),
    );
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &u.login,
            "--calendar",
            "off",
        ],
        None,
    );
    let p = page(&session.get(&s, "/web/calendar"));
    assert!(
        !p.contains("Personal thing") && !p.contains("value=\"personal\""),
        "{p}"
    );
    assert!(p.contains("You have no calendar yet."));
}

#[test]
fn a_large_month_renders_with_its_overflow_summed_up() {
    let (_clock, s, u, session) = setup("calbig");
    // 1,200 events: 40 a day through March, and a daily series.
    let mut file =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n");
    for day in 1..=30 {
        for n in 0..40 {
            file.push_str(&format!(
                "BEGIN:VEVENT\r\nUID:big-{day}-{n}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:202503{day:02}T{:02}{:02}00Z\r\nDURATION:PT30M\r\nSUMMARY:Busy {day}-{n}\r\nEND:VEVENT\r\n",
                6 + n / 4,
                (n % 4) * 15
            ));
        }
    }
    file.push_str("BEGIN:VEVENT\r\nUID:daily\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20240101T070000Z\r\nDURATION:PT15M\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n");
    file.push_str("END:VCALENDAR\r\n");
    let path = s.data_dir().join("big.ics");
    std::fs::write(&path, file).expect("write the file");
    s.cli_ok(
        &[
            "import",
            &path.to_string_lossy(),
            "--into",
            &calendar_url(&u),
        ],
        None,
    );

    let started = std::time::Instant::now();
    let month = page(&session.get(&s, "/web/calendar?date=2025-03-01"));
    let took = started.elapsed();
    // Two chips and "+39 more" on a day of 41 events; the daily series reaches April.
    assert!(
        cell(&month, "data-date", "2025-03-10").contains("+39 more"),
        "{month}"
    );
    assert!(cell(&month, "data-date", "2025-04-06").contains("Daily"));
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    let agenda = page(&session.get(&s, "/web/calendar?view=agenda&date=2025-03-10&days=1"));
    assert_eq!(agenda.matches("class=\"agenda-item\"").count(), 41);
}

#[test]
fn birthdays_and_holidays_are_marked_and_switched_with_the_form() {
    let (_clock, s, u, session) = setup("calbday");
    put_created(
        &s,
        &u,
        &format!("{}ada.vcf", addressbook_url(&u)),
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada\r\nFN:Ada Lovelace\r\nBDAY:19850312\r\nEND:VCARD\r\n",
    );
    // Birthdays show until switched off, with the age and a link to the contact.
    let month = page(&session.get(&s, "/web/calendar?date=2025-03-01"));
    let day = cell(&month, "data-date", "2025-03-12");
    assert!(day.contains("Ada Lovelace (40)"), "{day}");
    assert!(
        day.contains("href=\"/web/contacts/card?book=contacts&amp;card=ada%2Evcf\""),
        "{day}"
    );
    assert!(month.contains("id=\"cal-birthdays\" checked"), "{month}");
    let agenda = page(&session.get(&s, "/web/calendar?view=agenda&date=2025-03-12&days=1"));
    assert!(cell(&agenda, "data-day", "2025-03-12").contains("Ada Lovelace (40)"));
    // No holidays until a region is picked; the picker starts on Zurich.
    let august = page(&session.get(&s, "/web/calendar?date=2025-08-01"));
    assert!(!august.contains("Swiss National Day"));
    assert!(
        august.contains("<option value=\"CH-ZH\" selected>"),
        "{august}"
    );

    // The form: Geneva's holidays on, birthdays off; cookies keep both.
    let r = session.get(
        &s,
        "/web/calendar/calendars?show=personal&holidays=on&region=CH-GE&view=week&date=2025-09-08",
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/web/calendar?view=week&date=2025-09-08")
    );
    assert_eq!(
        set_cookie_value(&r, "davsuite_birthdays").as_deref(),
        Some("off")
    );
    assert_eq!(
        set_cookie_value(&r, "davsuite_holidays").as_deref(),
        Some("CH-GE")
    );
    let cookies = "davsuite_birthdays=off; davsuite_holidays=CH-GE";
    let august = page(&get_with(
        &s,
        &session,
        "/web/calendar?date=2025-08-01",
        cookies,
    ));
    assert!(cell(&august, "data-date", "2025-08-01").contains("Swiss National Day"));
    assert!(august.contains("<option value=\"CH-GE\" selected>"));
    assert!(august.contains("id=\"cal-holidays\" checked"));
    // The shown region's feed is offered for calendar apps to subscribe to, and it serves.
    assert!(
        august.contains("id=\"holiday-feed\" href=\"/holidays/CH-GE.ics?lang=en\""),
        "{august}"
    );
    let feed = s.request("GET", "/holidays/CH-GE.ics?lang=en", None, &[], b"");
    assert_eq!(feed.status, 200);
    assert!(feed.text().contains("Swiss National Day"));
    // Geneva's Jeûne genevois, Thursday 11 September 2025, in the week's all-day row.
    let week = page(&get_with(
        &s,
        &session,
        "/web/calendar?view=week&date=2025-09-08",
        cookies,
    ));
    assert!(
        cell(&week, "data-allday", "2025-09-11").contains("class=\"mark holiday\""),
        "{week}"
    );
    let march = page(&get_with(
        &s,
        &session,
        "/web/calendar?date=2025-03-01",
        cookies,
    ));
    assert!(!march.contains("Ada Lovelace"));
    // French names.
    let fr = page(&get_with(
        &s,
        &session,
        "/web/calendar?view=agenda&date=2025-08-01&days=1",
        "davsuite_lang=fr; davsuite_holidays=CH-GE",
    ));
    assert!(
        fr.contains("Fête nationale") && fr.contains("Jours fériés"),
        "{fr}"
    );
    // An unknown region switches holidays off, as does an unticked box.
    let r = session.get(&s, "/web/calendar/calendars?holidays=on&region=XX");
    assert_eq!(
        set_cookie_value(&r, "davsuite_holidays").as_deref(),
        Some("")
    );
    let r = session.get(&s, "/web/calendar/calendars?region=CH-GE&birthdays=on");
    assert_eq!(
        set_cookie_value(&r, "davsuite_holidays").as_deref(),
        Some("")
    );
    assert_eq!(
        set_cookie_value(&r, "davsuite_birthdays").as_deref(),
        Some("on")
    );
    // Another person never sees these contacts' birthdays.
    let other = s.new_user_in("calother", "acme");
    let other_session = web_login(&s, &other);
    assert!(
        !page(&other_session.get(&s, "/web/calendar?date=2025-03-01")).contains("Ada Lovelace")
    );
}
