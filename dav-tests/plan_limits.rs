//! Plan limits where clients feel them: the number of calendars and address books (403
//! davsuite:collection-limit-reached), the storage quota (507 DAV:quota-not-exceeded, RFC 4331)
//! and the object size (413 max-resource-size), each with the exact `<D:error>` and a refused
//! request changing nothing; and the quota properties following the plan.

use crate::common::*;

const MKCALENDAR_BODY: &str = r#"<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Second</D:displayname></D:prop></D:set></C:mkcalendar>"#;

const MKCOL_BOOK_BODY: &str = r#"<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;

/// An account alone in a new my kSuite organisation named after it.
fn my_ksuite_user(s: &Server, login: &str) -> User {
    let password = format!("pw-{login}-secret");
    s.cli_ok(
        &[
            "user",
            "add",
            login,
            "--password-stdin",
            "--plan",
            "my-ksuite",
            "--phone",
            "+33 6 12 34 56 78",
            "--country",
            "FR",
        ],
        Some(&password),
    );
    User {
        login: login.into(),
        password,
    }
}

/// The hrefs a Depth 1 PROPFIND lists in a home (the home itself included).
fn home_listing(s: &Server, u: &User, home: &str) -> Vec<String> {
    let r = propfind_req(s, u, home, "1", &propfind_body(&[(NS_DAV, "resourcetype")]));
    multistatus(&r).into_iter().map(|m| m.href).collect()
}

/// The text of the DS:message of a `<D:error>` answer.
fn message(r: &Resp) -> String {
    parse_xml(r)
        .child(NS_DAVSUITE, "message")
        .map(|m| m.text())
        .unwrap_or_default()
}

fn quota_props(s: &Server, u: &User, path: &str) -> (i64, i64) {
    let body = propfind_body(&[
        (NS_DAV, "quota-used-bytes"),
        (NS_DAV, "quota-available-bytes"),
    ]);
    let r = propfind_req(s, u, path, "0", &body);
    let ms = multistatus(&r);
    let num = |local: &str| -> i64 {
        ms[0]
            .ok_prop(NS_DAV, local)
            .unwrap_or_else(|| panic!("{local} missing: {}", r.text()))
            .text()
            .trim()
            .parse()
            .expect("a number")
    };
    (num("quota-used-bytes"), num("quota-available-bytes"))
}

#[test]
fn my_ksuite_allows_one_calendar_and_one_address_book() {
    let s = Server::start();
    let u = my_ksuite_user(&s, "solo");
    for (home, path, method, body) in [
        (
            "/dav/calendars/solo/",
            "/dav/calendars/solo/second/",
            "MKCALENDAR",
            MKCALENDAR_BODY,
        ),
        (
            "/dav/addressbooks/solo/",
            "/dav/addressbooks/solo/second/",
            "MKCOL",
            MKCOL_BOOK_BODY,
        ),
    ] {
        let before = home_listing(&s, &u, home);
        assert_eq!(
            before.len(),
            2,
            "the home and its default collection: {before:?}"
        );
        let r = s.request(
            method,
            path,
            Some(&u),
            &[("Content-Type", "application/xml; charset=utf-8")],
            body.as_bytes(),
        );
        assert_refused(&r, 403, NS_DAVSUITE, "collection-limit-reached");
        let text = message(&r);
        assert!(
            text.contains("my-ksuite") && text.contains("upgrade"),
            "{text}"
        );
        assert_eq!(home_listing(&s, &u, home), before, "nothing was created");
        assert_eq!(bare_propfind(&s, &u, path, "0", b"").status, 404);
    }
    // The limit counts collections: with the calendar gone, one may be created again.
    assert_eq!(delete_req(&s, &u, &calendar_url(&u)).status, 204);
    assert_eq!(
        mkcalendar(&s, &u, "/dav/calendars/solo/second/", MKCALENDAR_BODY).status,
        201
    );
    // my kSuite+ has no limit.
    s.cli_ok(&["org", "set-plan", "solo", "my-ksuite-plus"], None);
    assert_eq!(
        mkcalendar(&s, &u, "/dav/calendars/solo/third/", MKCALENDAR_BODY).status,
        201
    );
    assert_eq!(
        mkcol(&s, &u, "/dav/addressbooks/solo/second/", MKCOL_BOOK_BODY).status,
        201
    );
}

#[test]
fn ksuite_plans_have_no_collection_limit() {
    let s = Server::start();
    let u = s.new_user("many");
    for i in 0..4 {
        let path = format!("/dav/calendars/{}/cal{i}/", u.login);
        assert_eq!(
            mkcalendar(&s, &u, &path, MKCALENDAR_BODY).status,
            201,
            "{path}"
        );
    }
}

#[test]
fn the_storage_quota_is_the_plans_and_a_refusal_changes_nothing() {
    const QUOTA: i64 = 2000;
    let s = Server::start_with_config(Some(&format!("[plans.my-ksuite]\nquota_bytes = {QUOTA}\n")));
    let u = my_ksuite_user(&s, "tight");
    let cal = calendar_url(&u);
    let home = "/dav/calendars/tight/";
    assert_eq!(quota_props(&s, &u, home), (0, QUOTA));
    let first = event("q-1", "fits");
    put_created(&s, &u, &format!("{cal}q1.ics"), first.as_bytes());
    let used = first.len() as i64;
    assert_eq!(quota_props(&s, &u, &cal), (used, QUOTA - used));
    let state = collection_state(&s, &u, &cal);
    let big = big_event("q-2", (QUOTA - used) as usize + 1);
    let r = put_req(&s, &u, &format!("{cal}q2.ics"), big.as_bytes());
    assert_refused(&r, 507, NS_DAV, "quota-not-exceeded");
    assert!(message(&r).contains("my-ksuite"), "{}", message(&r));
    assert_eq!(collection_state(&s, &u, &cal), state, "nothing changed");
    assert_eq!(quota_props(&s, &u, home), (used, QUOTA - used));
    // An upgrade brings the next plan's quota.
    s.cli_ok(&["org", "set-plan", "tight", "my-ksuite-plus"], None);
    let plus: i64 = 1 << 30;
    assert_eq!(quota_props(&s, &u, home), (used, plus - used));
    put_created(&s, &u, &format!("{cal}q2.ics"), big.as_bytes());
}

#[test]
fn the_object_size_limit_is_the_plans() {
    let s = Server::start_with_config(Some("[plans.my-ksuite]\nmax_object_size = 600\n"));
    let small_plan = my_ksuite_user(&s, "small");
    let standard = s.new_user("standard");
    let (ev, card) = (big_event("big-ev", 700), big_vcard("big-card", 700));
    for (coll, ns) in [
        (calendar_url(&small_plan), NS_CALDAV),
        (addressbook_url(&small_plan), NS_CARDDAV),
    ] {
        let r = propfind_req(
            &s,
            &small_plan,
            &coll,
            "0",
            &propfind_body(&[(ns, "max-resource-size")]),
        );
        assert_eq!(
            multistatus(&r)[0]
                .ok_prop(ns, "max-resource-size")
                .map(|p| p.text()),
            Some("600".to_owned())
        );
    }
    for (coll, name, body, ns) in [
        (calendar_url(&small_plan), "big.ics", &ev, NS_CALDAV),
        (addressbook_url(&small_plan), "big.vcf", &card, NS_CARDDAV),
    ] {
        let state = collection_state(&s, &small_plan, &coll);
        let r = put_req(&s, &small_plan, &format!("{coll}{name}"), body.as_bytes());
        assert_refused(&r, 413, ns, "max-resource-size");
        assert!(message(&r).contains("600"), "{}", message(&r));
        assert_eq!(
            collection_state(&s, &small_plan, &coll),
            state,
            "nothing changed"
        );
    }
    // The same objects fit in kSuite Standard's 5 MiB.
    put_created(
        &s,
        &standard,
        &format!("{}big.ics", calendar_url(&standard)),
        ev.as_bytes(),
    );
    put_created(
        &s,
        &standard,
        &format!("{}big.vcf", addressbook_url(&standard)),
        card.as_bytes(),
    );
}

#[test]
fn the_server_refuses_to_start_while_an_organisation_has_a_plan_the_configuration_lacks() {
    let gold = "[plans.gold]\nrank = 9\npersonal = false\ndirectory = true\ncalendars = \"unlimited\"\naddress_books = \"unlimited\"\ntrash_days = 30\nquota_bytes = 1000000\nmax_object_size = 100000\npublic_links_per_month = 10\n";
    let s = Server::start_with_config(Some(gold));
    s.cli_ok(&["user", "add", "goldie", "--plan", "gold"], None);
    let without = s.dir.path().join("without-gold.toml");
    std::fs::write(&without, "").expect("write config");
    let mut child = std::process::Command::new(binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(s.data_dir())
        .arg("--config")
        .arg(&without)
        .env_remove("DAVSUITE_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start davsuite");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server started although organisation goldie has an unknown plan");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!status.success());
    assert!(
        stderr.contains("goldie") && stderr.contains("gold"),
        "names the organisation and its plan: {stderr}"
    );
    // The server that knows the plan still serves the organisation.
    let r = s.request("GET", "/api/v1/plans", Some(&s.admin), &[], b"");
    assert_eq!(r.status, 200);
}
