//! Public calendar links (issue 5): the whole calendar as one text/calendar stream under an
//! unguessable URL, with ETag / If-None-Match and caching headers; validity, revocation and
//! expiry (404, revealing nothing); the plan's monthly allowance; what can never be
//! published; the CLI and the JSON API.

use crate::common::*;

/// Every plan allows `links` public links a month; links are printed under
/// https://dav.example.com/.
fn config(links: u32) -> String {
    format!(
        "[server]\npublic_url = \"https://dav.example.com/\"\n{}",
        every_plan(&format!("public_links_per_month = {links}"))
    )
}

/// 2030-03-17T17:46:40Z: the time of the tests' clocks.
const T0: i64 = 1_900_000_000;
const DAY: i64 = 86_400;

/// [`config`] on a server (and command line) reading the time from `clock`.
fn config_at(clock: &TestClock, links: u32) -> String {
    format!("{}{}", clock.config(), config(links))
}

/// The path part of a link URL printed under https://dav.example.com.
fn path_of(url: &str) -> String {
    url.strip_prefix("https://dav.example.com")
        .unwrap_or_else(|| panic!("{url} is not under the public base URL"))
        .to_owned()
}

/// `davsuite link create PATH --valid VALID`, asserting success: the URL printed.
#[track_caller]
fn create_link(s: &Server, path: &str, valid: &str) -> String {
    let out = s.cli_ok(&["link", "create", path, "--valid", valid], None);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A public GET without credentials.
fn fetch(s: &Server, path: &str, headers: &[(&str, &str)]) -> Resp {
    s.request("GET", path, None, headers, b"")
}

fn zurich_event(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\nBEGIN:VTIMEZONE\r\n\
         TZID:Europe/Zurich\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
         TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
         END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n\
         TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
         END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n\
         DTSTART;TZID=Europe/Zurich:20240301T090000\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn a_link_serves_the_whole_calendar_as_one_vcalendar_with_etag_and_caching() {
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}a.ics"),
        zurich_event("a", "Standup").as_bytes(),
    );
    put_created(
        &s,
        &alice,
        &format!("{cal}b.ics"),
        zurich_event("b", "Retro").as_bytes(),
    );
    put_created(
        &s,
        &alice,
        &format!("{cal}t.ics"),
        todo("t", "Chores").as_bytes(),
    );
    let url = create_link(&s, &cal, "30d");
    assert!(
        url.starts_with("https://dav.example.com/public/") && url.ends_with(".ics"),
        "{url}"
    );
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    let path = path_of(&url);

    let r = fetch(&s, &path, &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let text = r.text();
    assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1, "{text}");
    assert_eq!(
        text.matches("BEGIN:VTIMEZONE").count(),
        1,
        "each zone once: {text}"
    );
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(text.matches("BEGIN:VTODO").count(), 1);
    assert!(text.contains("SUMMARY:Standup") && text.contains("SUMMARY:Retro"));
    assert!(text.contains("X-WR-CALNAME:Personal"));
    let etag = r.header("etag").expect("etag").to_owned();
    assert!(etag.starts_with('"'), "strong: {etag}");
    let cache = r.header("cache-control").expect("cache-control");
    assert!(cache.contains("max-age="), "{cache}");

    // Unchanged: 304 without a body; HEAD: headers only.
    let r = fetch(&s, &path, &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    let head = s.request("HEAD", &path, None, &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    // A change makes a new ETag.
    assert_eq!(delete_req(&s, &alice, &format!("{cal}b.ics")).status, 204);
    let r = fetch(&s, &path, &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 200);
    assert_ne!(r.header("etag"), Some(etag.as_str()));
    assert!(!r.text().contains("Retro"));
    // Read-only: no other method.
    for method in ["PUT", "DELETE", "PROPFIND", "POST"] {
        let r = s.request(method, &path, None, &[], b"");
        assert_eq!(r.status, 405, "{method}");
        assert!(r.header_values("allow").contains(&"GET"));
    }
    // The same request with credentials is the same public answer.
    assert_eq!(get_req(&s, &alice, &path).status, 200);
    // The token is the link's only key: the request log leaves it out.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let log = std::fs::read_to_string(s.log_path()).expect("log");
    assert!(log.contains("/public/(token)"), "{log}");
    assert!(!log.contains(token), "the token is in the log");
}

#[test]
fn revoked_expired_and_unknown_links_answer_the_same_404() {
    let clock = TestClock::new(T0);
    let s = Server::start_with_config(Some(&config_at(&clock, 20)));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}a.ics"),
        event("a", "Secret").as_bytes(),
    );
    let revoked = path_of(&create_link(&s, &cal, "30d"));
    let expired = path_of(&create_link(&s, &cal, "7d"));
    let links = s.cli_json(&["link", "list"], None);
    let id_of = |path: &str| {
        links
            .as_array()
            .unwrap()
            .iter()
            .find(|l| path_of(l["url"].as_str().unwrap()) == path)
            .and_then(|l| l["id"].as_i64())
            .unwrap()
    };
    let (revoked_id, expired_id) = (id_of(&revoked), id_of(&expired));
    assert_eq!(fetch(&s, &revoked, &[]).status, 200);
    assert_eq!(fetch(&s, &expired, &[]).status, 200);

    s.cli_ok(&["link", "revoke", &revoked_id.to_string()], None);
    // Valid up to the last second of its seven days.
    clock.set(T0 + 7 * DAY - 1);
    assert_eq!(fetch(&s, &expired, &[]).status, 200);
    clock.set(T0 + 7 * DAY);
    let unknown = "/public/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics";
    let answers: Vec<Resp> = [revoked.as_str(), expired.as_str(), unknown, "/public/x.ics"]
        .iter()
        .map(|p| fetch(&s, p, &[]))
        .collect();
    for r in &answers {
        assert_eq!(r.status, 404);
        assert_eq!(r.body, answers[0].body, "nothing tells them apart");
        assert!(!r.text().contains("Secret"));
    }
    let statuses: Vec<String> = s
        .cli_json(&["link", "list"], None)
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap().to_owned())
        .collect();
    assert!(statuses.contains(&"revoked".into()) && statuses.contains(&"expired".into()));
    let path = format!("/api/v1/links/{expired_id}");
    let api_view = api_ok(&s, &alice, "GET", &path, None, 200);
    assert_eq!(api_view["status"], "expired");
    assert_eq!(api_view["expires"], rfc3339(T0 + 7 * DAY).as_str());
    // Deleting the calendar ends its links too.
    let live = path_of(&create_link(&s, &cal, "unlimited"));
    assert_eq!(fetch(&s, &live, &[]).status, 200);
    assert_eq!(delete_req(&s, &alice, &cal).status, 204);
    assert_eq!(fetch(&s, &live, &[]).status, 404);
}

/// Regression: the store set a link's creation time itself while its end was computed from
/// another reading of the clock, so a link could show 6 days and 23:59:59 for "7d".
#[test]
fn validity_is_chosen_at_creation() {
    let clock = TestClock::new(T0);
    let s = Server::start_with_config(Some(&config_at(&clock, 20)));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    // From 2030-03-17T17:46:40Z: six calendar months are 184 days, a year 365.
    for (valid, days) in [
        ("7d", Some(7)),
        ("30d", Some(30)),
        ("6m", Some(184)),
        ("1y", Some(365)),
        ("unlimited", None),
    ] {
        let v = s.cli_json(&["link", "create", &cal, "--valid", valid], None);
        assert_eq!(v["created"], rfc3339(T0).as_str(), "{v}");
        match days {
            None => assert!(v["expires"].is_null(), "{v}"),
            Some(d) => assert_eq!(v["expires"], rfc3339(T0 + d * DAY).as_str(), "{valid}"),
        }
        assert_eq!(v["status"], "active");
    }
    let r = api_ok(
        &s,
        &alice,
        "POST",
        "/api/v1/links",
        Some(json!({"calendar": cal, "valid": "7d"})),
        201,
    );
    assert_eq!(
        (&r["created"], &r["expires"]),
        (&json!(rfc3339(T0)), &json!(rfc3339(T0 + 7 * DAY)))
    );
    let err = s.cli_err(&["link", "create", &cal, "--valid", "2w"], None);
    assert!(
        err.contains("unknown validity") && err.contains("7d"),
        "{err}"
    );
}

#[test]
fn the_plans_monthly_allowance_limits_link_creation() {
    let s = Server::start_with_config(Some(&config(2)));
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let cal = calendar_url(&alice);
    let first = create_link(&s, &cal, "7d");
    let links = s.cli_json(&["link", "list"], None);
    s.cli_ok(&["link", "revoke", &links[0]["id"].to_string()], None);
    assert_eq!(fetch(&s, &path_of(&first), &[]).status, 404);
    // Revoking does not give the link back; the organisation counts, not the person.
    let r = api(
        &s,
        Some(&bob),
        "POST",
        "/api/v1/links",
        Some(json!({"calendar": calendar_url(&bob), "valid": "7d"})),
    );
    assert_eq!(r.status(), 201, "{}", r.resp.text());
    let err = s.cli_err(&["link", "create", &cal, "--valid", "7d"], None);
    assert!(
        err.contains("2 public link(s) allowed per month") && err.contains("acme"),
        "{err}"
    );
    let r = api(
        &s,
        Some(&alice),
        "POST",
        "/api/v1/links",
        Some(json!({"calendar": cal, "valid": "30d"})),
    );
    assert_api_error(&r, 409, "public-link-limit");
    // Another organisation has its own allowance.
    let zed = s.new_user("zed");
    create_link(&s, &calendar_url(&zed), "7d");
}

#[test]
fn only_ones_own_stored_calendars_can_be_published() {
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    share_with(&s, &calendar_url(&alice), &bob.login, "read");
    let mount = shared_path(&s, &bob);
    let org = org_id_of(&s, &alice, "acme");
    let cases = [
        (addressbook_url(&alice), "only calendars"),
        (
            format!("/dav/addressbooks/{}/.directory-{org}/", alice.login),
            "can never be",
        ),
        (
            format!("/dav/calendars/{}/.birthdays/", alice.login),
            "can never be",
        ),
        (mount.clone(), "can never be"),
        (format!("/dav/calendars/{}/nope/", alice.login), "not found"),
    ];
    for (path, needle) in &cases {
        let err = s.cli_err(&["link", "create", path, "--valid", "7d"], None);
        assert!(err.contains(needle), "{path}: {err}");
    }
    let refuse = |u: &User, path: &str, status: u16, code: &str| {
        let r = api(
            &s,
            Some(u),
            "POST",
            "/api/v1/links",
            Some(json!({"calendar": path, "valid": "7d"})),
        );
        assert_api_error(&r, status, code);
    };
    refuse(&alice, &addressbook_url(&alice), 422, "not-a-calendar");
    refuse(&alice, &cases[1].0, 422, "not-shareable");
    refuse(&bob, &mount, 422, "not-shareable");
    // Someone else's calendar, even one shared with the caller, is not the caller's to publish.
    refuse(&bob, &calendar_url(&alice), 404, "not-found");
    assert!(
        s.cli_json(&["link", "list"], None)
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_links_api_is_for_the_owner() {
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let cal = calendar_url(&alice);
    let r = api(
        &s,
        Some(&alice),
        "POST",
        "/api/v1/links",
        Some(json!({"calendar": cal, "valid": "6m"})),
    );
    assert_eq!(r.status(), 201, "{}", r.resp.text());
    let id = r.json["id"].as_i64().unwrap();
    let url = r.json["url"].as_str().unwrap().to_owned();
    assert_eq!(r.json["calendar"], cal.as_str());
    assert_eq!(
        r.resp.header("location").map(str::to_owned),
        Some(format!("/api/v1/links/{id}"))
    );
    assert_eq!(fetch(&s, &path_of(&url), &[]).status, 200);
    let list = api_ok(&s, &alice, "GET", "/api/v1/links", None, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let path = format!("/api/v1/links/{id}");
    assert_eq!(
        api_ok(&s, &alice, "GET", &path, None, 200)["url"],
        url.as_str()
    );
    assert_eq!(
        api_ok(&s, &bob, "GET", "/api/v1/links", None, 200),
        json!([])
    );
    assert_api_error(&api(&s, Some(&bob), "GET", &path, None), 404, "not-found");
    assert_api_error(
        &api(&s, Some(&bob), "DELETE", &path, None),
        404,
        "not-found",
    );
    assert_eq!(
        fetch(&s, &path_of(&url), &[]).status,
        200,
        "bob revoked nothing"
    );
    assert_api_error(
        &api(
            &s,
            Some(&alice),
            "POST",
            "/api/v1/links",
            Some(json!({"calendar": cal, "valid": "forever"})),
        ),
        422,
        "unknown-validity",
    );
    assert_eq!(api(&s, Some(&alice), "DELETE", &path, None).status(), 204);
    assert_eq!(fetch(&s, &path_of(&url), &[]).status, 404);
    assert_eq!(
        api_ok(&s, &alice, "GET", &path, None, 200)["status"],
        "revoked"
    );
}

/// Regression: a folded line before the zone's TZID (`X-LIC-LOCATION`, as Thunderbird writes
/// it) hid the TZID, so a link sent that VTIMEZONE once per event.
#[test]
fn a_zone_with_a_folded_line_before_its_tzid_is_sent_once() {
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    for uid in ["a", "b"] {
        let body = zurich_event(uid, "Standup").replace(
            "BEGIN:VTIMEZONE\r\n",
            "BEGIN:VTIMEZONE\r\nX-LIC-LOCATION:Europe/Zu\r\n rich\r\n",
        );
        put_created(&s, &alice, &format!("{cal}{uid}.ics"), body.as_bytes());
    }
    let r = fetch(&s, &path_of(&create_link(&s, &cal, "7d")), &[]);
    assert_eq!(r.status, 200);
    let text = r.text();
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
    assert_eq!(text.matches("TZID:Europe/Zurich\r\n").count(), 1, "{text}");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
}

/// A link shows no alarms and only the busy time of private and confidential events, and
/// names the calendar's time zone.
#[test]
fn a_link_keeps_alarms_and_private_details_to_the_owner() {
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let secret = |uid: &str, class: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\nBEGIN:VEVENT\r\n\
             UID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240301T090000Z\r\n\
             DTEND:20240301T100000Z\r\n{class}SUMMARY:Doctor {uid}\r\n\
             DESCRIPTION:Results of the biopsy\r\nLOCATION:Clinic\r\n\
             ATTENDEE;CN=Dr Who:mailto:dr@example.com\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n\
             TRIGGER:-PT15M\r\nDESCRIPTION:Leave now\r\nEND:VALARM\r\nEND:VEVENT\r\n\
             END:VCALENDAR\r\n"
        )
    };
    for (uid, class) in [
        ("private", "CLASS:PRIVATE\r\n"),
        ("confidential", "CLASS:CONFIDENTIAL\r\n"),
        ("public", ""),
    ] {
        put_created(
            &s,
            &alice,
            &format!("{cal}{uid}.ics"),
            secret(uid, class).as_bytes(),
        );
    }
    let zone = zurich_event("z", "Z");
    let zone = &zone[zone.find("BEGIN:VTIMEZONE").unwrap()..zone.find("BEGIN:VEVENT").unwrap()];
    let body = format!(
        r#"<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-timezone>BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tests//EN
{}END:VCALENDAR
</C:calendar-timezone></D:prop></D:set></D:propertyupdate>"#,
        zone.replace("\r\n", "\n")
    );
    let r = proppatch_req(&s, &alice, &cal, body.as_bytes());
    assert_eq!(proppatch_status(&r), 200, "{}", r.text());

    let r = fetch(&s, &path_of(&create_link(&s, &cal, "7d")), &[]);
    assert_eq!(r.status, 200);
    let text = r.text();
    assert!(text.contains("X-WR-TIMEZONE:Europe/Zurich\r\n"), "{text}");
    assert!(
        !text.contains("VALARM") && !text.contains("Leave now"),
        "{text}"
    );
    for uid in ["private", "confidential"] {
        let event = text
            .split("BEGIN:VEVENT\r\n")
            .find(|e| e.starts_with(&format!("UID:{uid}\r\n")))
            .unwrap_or_else(|| panic!("no {uid}: {text}"));
        assert!(event.contains("DTSTART:20240301T090000Z"), "{event}");
        assert!(event.contains("DTEND:20240301T100000Z"), "{event}");
        assert!(event.contains("SUMMARY:Busy\r\n"), "{event}");
        for gone in [
            &format!("Doctor {uid}") as &str,
            "biopsy",
            "Clinic",
            "ATTENDEE",
            "dr@example.com",
        ] {
            assert!(!event.contains(gone), "{gone}: {event}");
        }
    }
    // A public event keeps its details (but not its alarm).
    assert!(text.contains("SUMMARY:Doctor public") && text.contains("LOCATION:Clinic"));
    // The owner's own copy is untouched.
    let own = get_req(&s, &alice, &format!("{cal}private.ics"));
    assert_eq!(own.body, secret("private", "CLASS:PRIVATE\r\n").as_bytes());
}

/// Regression: without `server.public_url`, `link create` and `link list` printed
/// `http://127.0.0.1:8008/...` without a word, whatever `serve --listen` the server runs with.
#[test]
fn the_cli_warns_when_no_public_url_is_configured() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    for args in [
        vec!["link", "create", cal.as_str(), "--valid", "7d"],
        vec!["link", "list"],
    ] {
        let out = s.cli_ok(&args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("warning") && stderr.contains("server.public_url"),
            "{args:?}: {stderr}"
        );
        // The output itself stays what scripts read.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("warning"), "{stdout}");
    }
    // Configured, no warning.
    let s = Server::start_with_config(Some(&config(20)));
    let alice = s.new_user("alice");
    let out = s.cli_ok(
        &["link", "create", &calendar_url(&alice), "--valid", "7d"],
        None,
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
