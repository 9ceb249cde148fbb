//! The trash and restores (issue 6): deletions through DAV and the API go to the trash and
//! vanish from DAV at once; restores come back as new changes with new ETags; UID clashes
//! offer a copy; deleted collections come back with their objects; point-in-time restores;
//! windows from the plan, purged by the CLI and by the server's background task; the storage
//! figures; and who sees what.
//!
//! Time is the file clock of `testing.clock_file` ([`TestClock`]), shared by the server and
//! the CLI: tests set it instead of sleeping.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;

/// 2030-03-17T17:46:40Z.
const T0: i64 = 1_900_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

fn id_of(items: &[Value], href: &str) -> String {
    trash_entry(items, href)["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// One sync-collection answer: present members (href → ETag), removed ones, the new token.
#[derive(Debug)]
struct Synced {
    present: BTreeMap<String, String>,
    removed: BTreeSet<String>,
    token: String,
}

#[track_caller]
fn sync(s: &Server, u: &User, coll: &str, token: &str) -> Synced {
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token>
<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    );
    let r = report_req(s, u, coll, Some("1"), body.as_bytes());
    let mut out = Synced {
        present: BTreeMap::new(),
        removed: BTreeSet::new(),
        token: sync_token_of(&r).unwrap_or_else(|| panic!("no token: {}", r.text())),
    };
    for m in multistatus(&r) {
        match (m.status, m.ok_prop(NS_DAV, "getetag")) {
            (Some(404), _) => {
                out.removed.insert(decode_href(&m.href));
            }
            (_, Some(etag)) => {
                out.present.insert(decode_href(&m.href), etag.text());
            }
            _ => {}
        }
    }
    out
}

fn quota_used(s: &Server, u: &User) -> i64 {
    let home = format!("/dav/calendars/{}/", u.login);
    let r = propfind_req(
        s,
        u,
        &home,
        "0",
        &propfind_body(&[(NS_DAV, "quota-used-bytes")]),
    );
    multistatus(&r)[0]
        .ok_prop(NS_DAV, "quota-used-bytes")
        .unwrap_or_else(|| panic!("no quota-used-bytes: {}", r.text()))
        .text()
        .trim()
        .parse()
        .expect("a number")
}

/// `POST /api/v1/trash/ID/restore` as `u`.
fn restore_api(s: &Server, u: &User, id: &str, body: Option<Value>) -> ApiResp {
    api(
        s,
        Some(u),
        "POST",
        &format!("/api/v1/trash/{id}/restore"),
        body,
    )
}

/// A my-ksuite account (7 days of trash).
fn my_ksuite_user(s: &Server, prefix: &str) -> User {
    s.new_user_with(
        prefix,
        &[
            "--plan",
            "my-ksuite",
            "--phone",
            "+33 6 12 34 56 78",
            "--country",
            "FR",
        ],
    )
}

#[test]
fn deleted_events_tasks_and_contacts_vanish_from_dav_into_the_trash() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("del");
    let cal = calendar_url(&u);
    let book = addressbook_url(&u);
    let ev = format!("{cal}ev.ics");
    let td = format!("{cal}todo.ics");
    let card = format!("{book}card.vcf");
    put_created(&s, &u, &ev, event("ev-uid", "Meeting").as_bytes());
    put_created(&s, &u, &td, todo("todo-uid", "Chores").as_bytes());
    put_created(&s, &u, &card, vcard("card-uid", "Ada").as_bytes());
    let cal_token = sync(&s, &u, &cal, "").token;
    let book_token = sync(&s, &u, &book, "").token;
    clock.set(T0 + HOUR);
    for path in [&ev, &td, &card] {
        assert_eq!(delete_req(&s, &u, path).status, 204, "{path}");
        assert_eq!(get_req(&s, &u, path).status, 404, "{path} is gone at once");
    }
    let after = sync(&s, &u, &cal, &cal_token);
    assert_eq!(after.removed, BTreeSet::from([ev.clone(), td.clone()]));
    assert!(after.present.is_empty());
    assert_eq!(
        sync(&s, &u, &book, &book_token).removed,
        BTreeSet::from([card.clone()])
    );
    assert!(sync(&s, &u, &cal, "").present.is_empty(), "initial sync");

    let items = trash_list(&s, &u.login);
    assert_eq!(items.len(), 3, "{items:?}");
    for (href, kind, uid, coll) in [
        (&ev, "event", "ev-uid", &cal),
        (&td, "task", "todo-uid", &cal),
        (&card, "contact", "card-uid", &book),
    ] {
        let e = trash_entry(&items, href);
        assert_eq!(e["kind"], kind);
        assert_eq!(e["uid"], uid);
        assert_eq!(&e["collection"], coll.as_str());
        assert_eq!(e["deleted_at"], rfc3339(T0 + HOUR));
        // ksuite-standard (the default plan) keeps 30 days.
        assert_eq!(e["purge_at"], rfc3339(T0 + HOUR + 30 * DAY));
        assert_eq!(e["deleted_by"], u.login.as_str());
        let id = e["id"].as_str().expect("id");
        assert!(id.starts_with('o'), "{id}");
    }
    // The API shows the caller the same entries.
    let api_items = api_ok(&s, &u, "GET", "/api/v1/trash", None, 200);
    assert_eq!(api_items.as_array().expect("array").len(), 3);
    // The human listing names each entry.
    let out = s.cli_ok(&["trash", "list", &u.login], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&ev) && text.contains("event"), "{text}");
}

#[test]
fn a_restored_object_comes_back_with_a_new_etag_as_a_new_change() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("back");
    let cal = calendar_url(&u);
    let path = format!("{cal}ev.ics");
    let body = event("back-uid", "Lunch");
    let first = put_created(&s, &u, &path, body.as_bytes());
    let old_etag = first.header("etag").expect("etag").to_owned();
    let used = quota_used(&s, &u);
    assert_eq!(delete_req(&s, &u, &path).status, 204);
    assert_eq!(
        quota_used(&s, &u),
        used - body.len() as i64,
        "deleting frees quota"
    );
    let token = sync(&s, &u, &cal, "").token;
    let id = id_of(&trash_list(&s, &u.login), &path);

    clock.set(T0 + DAY);
    let done = s.cli_json(&["trash", "restore", &id], None);
    assert_eq!(done["href"], path.as_str());
    assert_eq!(done["kind"], "event");
    let g = get_req(&s, &u, &path);
    assert_eq!(g.status, 200);
    assert_eq!(g.body, body.as_bytes(), "the same bytes");
    let new_etag = g.header("etag").expect("etag").to_owned();
    assert_ne!(new_etag, old_etag, "a new ETag");
    assert_eq!(done["etag"], new_etag.as_str());
    let next = sync(&s, &u, &cal, &token);
    assert_eq!(
        next.present,
        BTreeMap::from([(path.clone(), new_etag.clone())]),
        "reported as new"
    );
    assert!(next.removed.is_empty());
    assert_eq!(quota_used(&s, &u), used);
    assert!(trash_list(&s, &u.login).is_empty());
    // Restoring the same entry twice says it was restored already.
    let err = s.cli_err(&["trash", "restore", &id], None);
    assert!(err.contains("already restored"), "{err}");
    let r = restore_api(&s, &u, &id, None);
    assert_api_error(&r, 409, "already-restored");
}

#[test]
fn a_uid_used_again_refuses_the_restore_and_offers_a_copy() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("clash");
    let cal = calendar_url(&u);
    let old = format!("{cal}old.ics");
    let recreated = format!("{cal}recreated.ics");
    put_created(&s, &u, &old, event("same-uid", "Original").as_bytes());
    assert_eq!(delete_req(&s, &u, &old).status, 204);
    put_created(
        &s,
        &u,
        &recreated,
        event("same-uid", "Recreated").as_bytes(),
    );
    let id = id_of(&trash_list(&s, &u.login), &old);

    let err = s.cli_err(&["trash", "restore", &id], None);
    assert!(
        err.contains("same-uid") && err.contains(&recreated) && err.contains("--as-copy"),
        "{err}"
    );
    assert_eq!(get_req(&s, &u, &old).status, 404, "nothing restored");
    assert_eq!(trash_list(&s, &u.login).len(), 1, "still in the trash");
    // Through the API the refusal is a 409 with a code.
    let r = restore_api(&s, &u, &id, None);
    assert_api_error(&r, 409, "uid-conflict");

    let copy = s.cli_json(&["trash", "restore", &id, "--as-copy"], None);
    let uid = copy["uid"].as_str().expect("uid").to_owned();
    assert_ne!(uid, "same-uid");
    let href = copy["href"].as_str().expect("href").to_owned();
    assert_eq!(href, format!("{cal}{uid}.ics"));
    let g = get_req(&s, &u, &href);
    assert_eq!(g.status, 200);
    assert_eq!(g.text(), event(&uid, "Original"));
    assert_eq!(
        get_req(&s, &u, &recreated).text(),
        event("same-uid", "Recreated")
    );
}

#[test]
fn a_deleted_calendar_comes_back_with_all_its_objects() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("coll");
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    for n in 0..3 {
        put_created(
            &s,
            &u,
            &format!("{work}e{n}.ics"),
            event(&format!("work-{n}"), "Work").as_bytes(),
        );
    }
    // One deleted on its own before the calendar.
    let loose = format!("{work}loose.ics");
    put_created(&s, &u, &loose, event("loose", "Loose").as_bytes());
    assert_eq!(delete_req(&s, &u, &loose).status, 204);
    let old_token = sync(&s, &u, &work, "").token;
    clock.set(T0 + HOUR);
    assert_eq!(delete_req(&s, &u, &work).status, 204);
    assert_eq!(getetag_listing(&s, &u, &work).status, 404);
    assert_eq!(get_req(&s, &u, &format!("{work}e0.ics")).status, 404);

    let items = trash_list(&s, &u.login);
    let coll = trash_entry(&items, &work);
    assert_eq!(coll["kind"], "calendar");
    assert_eq!(coll["objects"], 3);
    assert_eq!(coll["collection"], format!("/dav/calendars/{}/", u.login));
    assert!(coll["uid"].is_null());
    let coll_id = coll["id"].as_str().expect("id").to_owned();
    assert!(coll_id.starts_with('c'));
    // The object deleted before it is its own entry, whose collection is in the trash.
    let loose_entry = trash_entry(&items, &loose);
    assert_eq!(loose_entry["collection_deleted"], coll_id.as_str());
    let loose_id = loose_entry["id"].as_str().expect("id").to_owned();
    let err = s.cli_err(&["trash", "restore", &loose_id], None);
    assert!(err.contains(&coll_id) && err.contains("--into"), "{err}");
    let r = restore_api(&s, &u, &loose_id, None);
    assert_api_error(&r, 409, "collection-deleted");

    // Restored through the API, with its three objects.
    let back = api_ok(
        &s,
        &u,
        "POST",
        &format!("/api/v1/trash/{coll_id}/restore"),
        Some(json!({})),
        200,
    );
    assert_eq!(back["href"], work.as_str());
    assert_eq!(back["objects"], 3);
    let listed: Vec<String> = multistatus(&getetag_listing(&s, &u, &work))
        .iter()
        .map(|m| decode_href(&m.href))
        .filter(|h| h != &work)
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    let r = report_req(
        &s,
        &u,
        &work,
        Some("1"),
        format!(
            r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{old_token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
        )
        .as_bytes(),
    );
    assert_dav_error(&r, 403, NS_DAV, "valid-sync-token");
    assert_eq!(sync(&s, &u, &work, "").present.len(), 3);
    // The loose object can come back now, into its calendar.
    let done = s.cli_json(&["trash", "restore", &loose_id], None);
    assert_eq!(done["href"], loose.as_str());
    assert!(trash_list(&s, &u.login).is_empty());
}

#[test]
fn an_object_whose_collection_is_gone_can_go_into_another_of_its_kind() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("into");
    let book = format!("/dav/addressbooks/{}/old/", u.login);
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;
    assert_eq!(mkcol(&s, &u, &book, body).status, 201);
    let card = format!("{book}ada.vcf");
    put_created(&s, &u, &card, vcard("ada", "Ada").as_bytes());
    assert_eq!(delete_req(&s, &u, &card).status, 204);
    assert_eq!(delete_req(&s, &u, &book).status, 204);
    let id = id_of(&trash_list(&s, &u.login), &card);
    let err = s.cli_err(
        &["trash", "restore", &id, "--into", &calendar_url(&u)],
        None,
    );
    assert!(
        err.contains("contacts"),
        "a calendar holds no contacts: {err}"
    );
    let done = s.cli_json(
        &["trash", "restore", &id, "--into", &addressbook_url(&u)],
        None,
    );
    let href = format!("{}ada.vcf", addressbook_url(&u));
    assert_eq!(done["href"], href.as_str());
    assert_eq!(get_req(&s, &u, &href).text(), vcard("ada", "Ada"));
}

#[test]
fn point_in_time_restore_of_a_calendar_and_of_one_event() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("pit");
    let cal = calendar_url(&u);
    let (a, b, c) = (
        format!("{cal}a.ics"),
        format!("{cal}b.ics"),
        format!("{cal}c.ics"),
    );
    // Monday: a and b. Tuesday: a changed, c created, b deleted.
    put_created(&s, &u, &a, event("a", "Monday").as_bytes());
    put_created(&s, &u, &b, event("b", "Monday").as_bytes());
    clock.set(T0 + DAY);
    assert_eq!(
        put_req(&s, &u, &a, event("a", "Tuesday").as_bytes()).status,
        204
    );
    put_created(&s, &u, &c, event("c", "Tuesday").as_bytes());
    assert_eq!(delete_req(&s, &u, &b).status, 204);
    let token = sync(&s, &u, &cal, "").token;

    clock.set(T0 + 2 * DAY);
    let monday = rfc3339(T0 + HOUR);
    let done = s.cli_json(&["restore", &cal, "--at", &monday], None);
    assert_eq!(done["href"], cal.as_str());
    assert_eq!(
        (&done["restored"], &done["deleted"], &done["unchanged"]),
        (&json!(2), &json!(1), &json!(0))
    );
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "Monday"));
    assert_eq!(get_req(&s, &u, &b).text(), event("b", "Monday"));
    assert_eq!(get_req(&s, &u, &c).status, 404);
    let next = sync(&s, &u, &cal, &token);
    assert_eq!(
        next.present.keys().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from([a.clone(), b.clone()])
    );
    assert_eq!(next.removed, BTreeSet::from([c.clone()]));
    // What the restore removed is in the trash: it can be undone. The command line is the
    // operator, recorded as who deleted it (no login looks like that).
    let items = trash_list(&s, &u.login);
    assert_eq!(trash_entry(&items, &c)["deleted_by"], "(operator)");

    // One event back to an earlier version, through its history.
    let versions = s.cli_json(&["versions", &a], None);
    let versions = versions.as_array().expect("array");
    assert_eq!(versions[0]["current"], true);
    let tuesday = versions
        .iter()
        .find(|v| v["from"] == rfc3339(T0 + DAY))
        .unwrap_or_else(|| panic!("Tuesday's version: {versions:?}"));
    assert_eq!(tuesday["ended"], "replaced");
    let at = tuesday["from"].as_str().expect("from");
    // A minute later (content replaced within its second is not kept as a version).
    clock.set(T0 + 2 * DAY + 60);
    let one = s.cli_json(&["restore", &a, "--at", at], None);
    assert_eq!(one["restored"], 1);
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "Tuesday"));
    assert_eq!(get_req(&s, &u, &b).status, 200, "others untouched");
    // The same through the API.
    clock.set(T0 + 2 * DAY + 120);
    let r = api_ok(
        &s,
        &u,
        "POST",
        &format!("/api/v1/restore{a}"),
        Some(json!({"at": monday})),
        200,
    );
    assert_eq!(r["restored"], 1);
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "Monday"));
    let listed = api_ok(&s, &u, "GET", &format!("/api/v1/versions{a}"), None, 200);
    assert!(listed.as_array().expect("array").len() >= 4, "{listed}");
    // Before it existed, in the future, outside the window, unreadable.
    let err = s.cli_err(&["restore", &c, "--at", &rfc3339(T0 - DAY)], None);
    assert!(
        err.contains("did not exist") || err.contains("not found"),
        "{err}"
    );
    let err = s.cli_err(&["restore", &cal, "--at", &rfc3339(T0 + 3 * DAY)], None);
    assert!(err.contains("future"), "{err}");
    let err = s.cli_err(&["restore", &cal, "--at", "last Tuesday"], None);
    assert!(err.contains("RFC 3339"), "{err}");
    let r = api(
        &s,
        Some(&u),
        "POST",
        &format!("/api/v1/restore{cal}"),
        Some(json!({"at": rfc3339(T0 - 40 * DAY)})),
    );
    assert_api_error(&r, 422, "outside-restore-window");
}

#[test]
fn the_window_expires_with_the_plan_and_the_purge_frees_the_trash() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "[trash]\npurge_interval_seconds = 0\n");
    let short = my_ksuite_user(&s, "short");
    let long = s.new_user("long");
    for u in [&short, &long] {
        let path = format!("{}ev.ics", calendar_url(u));
        put_created(
            &s,
            u,
            &path,
            big_event(&format!("{}-ev", u.login), 2_000).as_bytes(),
        );
        assert_eq!(delete_req(&s, u, &path).status, 204);
    }
    let item = &trash_list(&s, &short.login)[0];
    assert_eq!(item["purge_at"], rfc3339(T0 + 7 * DAY));
    assert!(storage(&s, &short)["trash_bytes"].as_i64().expect("bytes") >= 2_000);
    assert_eq!(storage(&s, &short)["trash_days"], 7);

    clock.set(T0 + 7 * DAY - 1);
    let none = s.cli_json(&["trash", "purge"], None);
    assert_eq!(none["objects"], 0);
    assert_eq!(trash_list(&s, &short.login).len(), 1);
    clock.set(T0 + 7 * DAY);
    let report = s.cli_json(&["trash", "purge"], None);
    assert_eq!(
        (&report["objects"], &report["accounts"]),
        (&json!(1), &json!(1))
    );
    assert!(report["bytes"].as_i64().expect("bytes") >= 2_000);
    assert!(trash_list(&s, &short.login).is_empty());
    assert_eq!(storage(&s, &short)["trash_bytes"], 0, "the purge frees it");
    assert_eq!(
        trash_list(&s, &long.login).len(),
        1,
        "30 days on ksuite-standard"
    );
    let out = s.cli_ok(&["trash", "purge"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("purged 0 object(s)"));
    // Outside the window, a point-in-time restore is refused with the window's length.
    let err = s.cli_err(
        &[
            "restore",
            &calendar_url(&short),
            "--at",
            &rfc3339(T0 - HOUR),
        ],
        None,
    );
    assert!(err.contains("7 days") && err.contains("my-ksuite"), "{err}");
}

#[test]
fn a_plan_change_recomputes_the_window() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "[trash]\npurge_interval_seconds = 0\n");
    let u = my_ksuite_user(&s, "upgrade");
    let path = format!("{}ev.ics", calendar_url(&u));
    put_created(&s, &u, &path, event("up", "Up").as_bytes());
    assert_eq!(delete_req(&s, &u, &path).status, 204);
    clock.set(T0 + 8 * DAY);
    // Past my-ksuite's 7 days, but not purged yet: an upgrade to 30 days keeps it.
    s.cli_ok(&["org", "set-plan", &u.login, "my-ksuite-plus"], None);
    assert_eq!(s.cli_json(&["trash", "purge"], None)["objects"], 0);
    let items = trash_list(&s, &u.login);
    assert_eq!(items[0]["purge_at"], rfc3339(T0 + 30 * DAY));
    let done = s.cli_json(
        &["trash", "restore", items[0]["id"].as_str().expect("id")],
        None,
    );
    assert_eq!(done["href"], path.as_str());
}

#[test]
fn the_server_purges_on_its_own() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "[trash]\npurge_interval_seconds = 1\n");
    let u = s.new_user("auto");
    let path = format!("{}ev.ics", calendar_url(&u));
    put_created(&s, &u, &path, event("auto", "Auto").as_bytes());
    assert_eq!(delete_req(&s, &u, &path).status, 204);
    assert_eq!(trash_list(&s, &u.login).len(), 1);
    clock.set(T0 + 31 * DAY);
    // The background task runs every second: wait (bounded) for it to see the new time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !trash_list(&s, &u.login).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the background purge did not run; log: {}",
            std::fs::read_to_string(s.log_path()).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(s.log_path()).unwrap_or_default();
    assert!(log.contains("trash purged"), "{log}");
}

#[test]
fn history_and_trash_stay_outside_the_quota() {
    let clock = TestClock::new(T0);
    let s = quota_server(&clock, 3000);
    let u = s.new_user("quota");
    let cal = calendar_url(&u);
    let big = format!("{cal}big.ics");
    put_created(&s, &u, &big, big_event("big", 1_000).as_bytes());
    // A new version of it (a minute later) does not count the old one.
    clock.set(T0 + 60);
    assert_eq!(
        put_req(&s, &u, &big, big_event("big", 1_100).as_bytes()).status,
        204
    );
    assert_eq!(delete_req(&s, &u, &big).status, 204);
    assert_eq!(quota_used(&s, &u), 0);
    let other = format!("{cal}other.ics");
    let filler = format!("{cal}filler.ics");
    put_created(&s, &u, &other, big_event("other", 1_200).as_bytes());
    put_created(&s, &u, &filler, big_event("filler", 800).as_bytes());
    let figures = storage(&s, &u);
    assert!(
        figures["trash_bytes"].as_i64().expect("trash") >= 1_100,
        "{figures}"
    );
    assert!(
        figures["history_bytes"].as_i64().expect("history") >= 1_000,
        "{figures}"
    );
    assert_eq!(figures["quota_bytes"], 3000);
    // A restore is a write: it must fit.
    let id = id_of(&trash_list(&s, &u.login), &big);
    let r = restore_api(&s, &u, &id, Some(json!({})));
    assert_api_error(&r, 409, "quota-exceeded");
    assert_eq!(delete_req(&s, &u, &filler).status, 204);
    assert!(
        kept_bytes(&s, &u) <= 3000,
        "kept within the quota: {}",
        storage(&s, &u)
    );
    api_ok(
        &s,
        &u,
        "POST",
        &format!("/api/v1/trash/{id}/restore"),
        None,
        200,
    );
    assert!(quota_used(&s, &u) >= 2_300);
    // The purge shrinks the kept figures, never the quota's.
    clock.set(T0 + 31 * DAY);
    let used = quota_used(&s, &u);
    s.cli_ok(&["trash", "purge"], None);
    let figures = storage(&s, &u);
    assert_eq!(
        (&figures["trash_bytes"], &figures["history_bytes"]),
        (&json!(0), &json!(0))
    );
    assert_eq!(figures["used_bytes"], used);
    assert_eq!(quota_used(&s, &u), used);
    let usage = s.cli_json(&["trash", "usage", &u.login], None);
    assert_eq!(usage["used_bytes"], used);
}

/// Regression: the history and the trash had no cap: 80 rewrites of a large event took the
/// history past the plan's quota and filled the disk. They keep at most the quota, the oldest
/// going first, whether rewrites or deletions (DAV or API) add to them.
#[test]
fn history_and_trash_keep_at_most_the_quota_oldest_first() {
    const QUOTA: i64 = 20_000;
    let clock = TestClock::new(T0);
    let s = quota_server(&clock, QUOTA);
    let u = s.new_user("capped");
    let cal = calendar_url(&u);
    let path = format!("{cal}rewritten.ics");
    let body =
        |n: i64| big_event("rewritten", 4_000).replace("SUMMARY:Big", &format!("SUMMARY:Big {n}"));
    put_created(&s, &u, &path, body(0).as_bytes());
    for n in 1..=30 {
        clock.set(T0 + n * 60);
        assert_eq!(put_req(&s, &u, &path, body(n).as_bytes()).status, 204);
        assert!(
            kept_bytes(&s, &u) <= QUOTA,
            "after {n} rewrites: {}",
            storage(&s, &u)
        );
    }
    // The newest versions are the ones kept.
    let versions = s.cli_json(&["versions", &path], None);
    let versions = versions.as_array().expect("array");
    assert!(versions.len() >= 4, "{versions:?}");
    assert_eq!(versions[1]["from"], rfc3339(T0 + 29 * 60));
    // Deleting, through DAV or the API, is capped the same way.
    for round in 0..3 {
        for n in 0..4 {
            let p = format!("{cal}d{round}-{n}.ics");
            put_created(
                &s,
                &u,
                &p,
                big_event(&format!("d{round}-{n}"), 3_000).as_bytes(),
            );
            clock.set(T0 + DAY + round * 600 + n * 60);
            if n % 2 == 0 {
                assert_eq!(delete_req(&s, &u, &p).status, 204);
            } else {
                api_ok(
                    &s,
                    &u,
                    "DELETE",
                    &format!("/api/v1/resources{p}"),
                    None,
                    200,
                );
            }
            assert!(
                kept_bytes(&s, &u) <= QUOTA,
                "round {round}: {}",
                storage(&s, &u)
            );
        }
    }
    // The latest deletion is still in the trash.
    let items = trash_list(&s, &u.login);
    assert!(
        items.iter().any(|i| i["href"] == format!("{cal}d2-3.ics")),
        "{items:?}"
    );
}

#[test]
fn the_api_deletes_to_the_trash_and_shows_each_account_only_its_own() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let al = s.new_user("al");
    let bo = s.new_user("bo");
    let path = format!("{}ev.ics", calendar_url(&al));
    put_created(&s, &al, &path, event("al-ev", "Mine").as_bytes());
    // DELETE through the API: to the trash, with its entry for an undo.
    let gone = api_ok(
        &s,
        &al,
        "DELETE",
        &format!("/api/v1/resources{path}"),
        None,
        200,
    );
    assert_eq!(gone["href"], path.as_str());
    assert_eq!(gone["deleted_by"], al.login.as_str());
    assert_eq!(get_req(&s, &al, &path).status, 404);
    let id = gone["id"].as_str().expect("id").to_owned();
    // Bob sees none of it.
    assert!(
        api_ok(&s, &bo, "GET", "/api/v1/trash", None, 200)
            .as_array()
            .expect("array")
            .is_empty()
    );
    for (method, route, body) in [
        ("POST", format!("/api/v1/trash/{id}/restore"), None),
        ("GET", format!("/api/v1/versions{path}"), None),
        (
            "POST",
            format!("/api/v1/restore{}", calendar_url(&al)),
            Some(json!({"at": rfc3339(T0)})),
        ),
        (
            "DELETE",
            format!("/api/v1/resources{}", calendar_url(&al)),
            None,
        ),
    ] {
        let r = api(&s, Some(&bo), method, &route, body);
        assert_api_error(&r, 404, "not-found");
    }
    assert!(
        s.cli_json(&["trash", "list", &bo.login], None)
            .as_array()
            .expect("array")
            .is_empty()
    );
    // Al restores it; bad requests are named.
    let r = restore_api(&s, &al, &id, Some(json!({"as_copy": false, "onto": "x"})));
    assert_api_error(&r, 400, "bad-request");
    let r = api(
        &s,
        Some(&al),
        "GET",
        &format!("/api/v1/trash/{id}/restore"),
        None,
    );
    assert_api_error(&r, 405, "method-not-allowed");
    let back = api_ok(
        &s,
        &al,
        "POST",
        &format!("/api/v1/trash/{id}/restore"),
        Some(json!({"as_copy": false})),
        200,
    );
    assert_eq!(back["href"], path.as_str());
    assert_eq!(get_req(&s, &al, &path).status, 200);
    // A whole calendar through the API.
    let gone = api_ok(
        &s,
        &al,
        "DELETE",
        &format!("/api/v1/resources{}", calendar_url(&al)),
        None,
        200,
    );
    assert_eq!(
        (&gone["kind"], &gone["objects"]),
        (&json!("calendar"), &json!(1))
    );
    assert_eq!(getetag_listing(&s, &al, &calendar_url(&al)).status, 404);
}

#[test]
fn a_product_turned_off_hides_its_trash() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let owner = s.new_user_in("boss", "Trashco");
    let u = s.new_user_in("worker", "Trashco");
    let path = format!("{}ev.ics", calendar_url(&u));
    put_created(&s, &u, &path, event("w-ev", "Work").as_bytes());
    assert_eq!(delete_req(&s, &u, &path).status, 204);
    let id = id_of(&trash_list(&s, &u.login), &path);
    s.cli_ok(
        &[
            "member",
            "set-access",
            "Trashco",
            &u.login,
            "--calendar",
            "off",
        ],
        None,
    );
    assert!(
        api_ok(&s, &u, "GET", "/api/v1/trash", None, 200)
            .as_array()
            .expect("array")
            .is_empty()
    );
    let r = restore_api(&s, &u, &id, None);
    assert_api_error(&r, 403, "product-off");
    // Admins of the organisation do not see members' trash either.
    let r = restore_api(&s, &owner, &id, None);
    assert_api_error(&r, 404, "not-found");
    // The operator still does.
    assert_eq!(trash_list(&s, &u.login).len(), 1);
}

#[test]
fn a_sharee_s_delete_goes_to_the_owner_s_trash_and_the_owner_restores_it() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let alice = s.new_user_in("alice", "sharers");
    let bob = s.new_user_in("bob", "sharers");
    let cal = calendar_url(&alice);
    let own = format!("{cal}e1.ics");
    put_created(&s, &alice, &own, event("e1", "Planning").as_bytes());
    share_with(&s, &cal, &bob.login, "read-write");
    let shared = format!("{}e1.ics", shared_path(&s, &bob));
    let token = sync(&s, &alice, &cal, "").token;
    assert_eq!(delete_req(&s, &bob, &shared).status, 204);
    assert_eq!(
        get_req(&s, &alice, &own).status,
        404,
        "gone for the owner too"
    );
    // In the owner's trash, under the owner's href, deleted by the sharee.
    let items = trash_list(&s, &alice.login);
    let e = trash_entry(&items, &own);
    assert_eq!(e["deleted_by"], bob.login.as_str());
    assert!(
        trash_list(&s, &bob.login).is_empty(),
        "not in the sharee's trash"
    );
    let id = e["id"].as_str().expect("id").to_owned();
    let r = restore_api(&s, &bob, &id, None);
    assert_api_error(&r, 404, "not-found");
    api_ok(
        &s,
        &alice,
        "POST",
        &format!("/api/v1/trash/{id}/restore"),
        None,
        200,
    );
    assert_eq!(
        get_req(&s, &bob, &shared).status,
        200,
        "back for the sharee"
    );
    assert!(sync(&s, &alice, &cal, &token).present.contains_key(&own));
    // A sharee removing the shared calendar from its home deletes nothing.
    assert_eq!(delete_req(&s, &bob, &shared_path(&s, &bob)).status, 204);
    assert!(trash_list(&s, &alice.login).is_empty());
    assert_eq!(get_req(&s, &alice, &own).status, 200);
}

/// Regression: trash ids were reused once their row was gone, so a stale `cN` restored a
/// collection deleted later, even another account's.
#[test]
fn a_stale_trash_id_never_restores_a_later_deletion() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let al = s.new_user("stale");
    let bo = s.new_user("later");
    let al_cal = calendar_url(&al);
    assert_eq!(delete_req(&s, &al, &al_cal).status, 204);
    let stale = id_of(&trash_list(&s, &al.login), &al_cal);
    s.cli_json(&["trash", "restore", &stale], None);
    let bo_cal = calendar_url(&bo);
    put_created(
        &s,
        &bo,
        &format!("{bo_cal}b.ics"),
        event("b", "Bo").as_bytes(),
    );
    assert_eq!(delete_req(&s, &bo, &bo_cal).status, 204);
    let bo_id = id_of(&trash_list(&s, &bo.login), &bo_cal);
    assert_ne!(bo_id, stale);
    let err = s.cli_err(&["trash", "restore", &stale], None);
    assert!(err.contains(&stale), "{err}");
    assert_eq!(
        getetag_listing(&s, &bo, &bo_cal).status,
        404,
        "still deleted"
    );
    assert_eq!(trash_list(&s, &bo.login).len(), 1);
}

/// Regression: two concurrent restores of one trash entry both succeeded (the check and the
/// write were separate), duplicating the object into two collections. Exactly one wins; the
/// other is 409 `already-restored` and writes nothing.
#[test]
fn concurrent_restores_of_one_entry_succeed_once() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("race");
    let cal = calendar_url(&u);
    let other = format!("/dav/calendars/{}/other/", u.login);
    assert_eq!(mkcalendar(&s, &u, &other, "").status, 201);
    for round in 0..20 {
        let path = format!("{cal}r{round}.ics");
        put_created(
            &s,
            &u,
            &path,
            event(&format!("race-{round}"), "Race").as_bytes(),
        );
        assert_eq!(delete_req(&s, &u, &path).status, 204);
        let id = id_of(&trash_list(&s, &u.login), &path);
        let start = std::sync::Barrier::new(2);
        let (home, away) = std::thread::scope(|scope| {
            let home = scope.spawn(|| {
                start.wait();
                restore_api(&s, &u, &id, Some(json!({})))
            });
            let away = scope.spawn(|| {
                start.wait();
                restore_api(&s, &u, &id, Some(json!({"into": other})))
            });
            (
                home.join().expect("home thread"),
                away.join().expect("away thread"),
            )
        });
        let mut statuses = [home.status(), away.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [200, 409],
            "round {round}: {} / {}",
            home.json,
            away.json
        );
        let loser = if home.status() == 409 { &home } else { &away };
        assert_api_error(loser, 409, "already-restored");
        let copies = [&path, &format!("{other}r{round}.ics")]
            .into_iter()
            .filter(|p| get_req(&s, &u, p).status == 200)
            .count();
        assert_eq!(copies, 1, "round {round}: restored exactly once");
    }
    assert!(trash_list(&s, &u.login).is_empty());
}

/// Regression: PUT of identical bytes wrote a version every time (80 PUTs of a large event
/// took the history past the quota); now the same bytes again are a no-op: 204 with the same
/// ETag, no version, and the sync token does not move.
#[test]
fn putting_the_same_bytes_again_keeps_no_version_and_changes_no_token() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("same");
    let cal = calendar_url(&u);
    let path = format!("{cal}big.ics");
    let body = big_event("same", 50_000);
    let etag = put_created(&s, &u, &path, body.as_bytes())
        .header("etag")
        .expect("etag")
        .to_owned();
    let token = sync(&s, &u, &cal, "").token;
    for n in 1..=20 {
        clock.set(T0 + n * HOUR);
        let r = put_req(&s, &u, &path, body.as_bytes());
        assert_eq!(r.status, 204);
        assert_eq!(r.header("etag"), Some(etag.as_str()));
    }
    let after = sync(&s, &u, &cal, &token);
    assert_eq!(after.token, token, "nothing changed");
    assert!(after.present.is_empty() && after.removed.is_empty());
    assert_eq!(storage(&s, &u)["history_bytes"], 0);
    let versions = s.cli_json(&["versions", &path], None);
    assert_eq!(versions.as_array().expect("array").len(), 1, "{versions}");
}

/// The purge gives the space of what it removed back to the file system (a new database frees
/// pages incrementally); `trash purge --vacuum` rewrites the whole database for one that does
/// not.
#[test]
fn the_purge_gives_the_space_back() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "[trash]\npurge_interval_seconds = 0\n");
    let u = s.new_user("space");
    let cal = calendar_url(&u);
    for n in 0..3 {
        let path = format!("{cal}big{n}.ics");
        put_created(
            &s,
            &u,
            &path,
            big_event(&format!("big{n}"), 300_000).as_bytes(),
        );
        assert_eq!(delete_req(&s, &u, &path).status, 204);
    }
    clock.set(T0 + 31 * DAY);
    let report = s.cli_json(&["trash", "purge"], None);
    assert_eq!(report["objects"], 3);
    assert!(
        report["released_bytes"].as_i64().expect("released") >= 600_000,
        "{report}"
    );
    let again = s.cli_json(&["trash", "purge", "--vacuum"], None);
    assert_eq!(again["objects"], 0);
    assert!(
        again["released_bytes"].as_i64().expect("released") >= 0,
        "{again}"
    );
    let out = s.cli_ok(&["trash", "purge", "--vacuum"], None);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("bytes back"),
        "{out:?}"
    );
}

/// Regression: a point-in-time restore refused with a false UID conflict when UIDs had moved
/// between members since (the first write was checked against the half-restored calendar).
#[test]
fn a_point_in_time_restore_moves_uids_back_between_members() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("moved");
    let cal = calendar_url(&u);
    let (a, b) = (format!("{cal}a.ics"), format!("{cal}b.ics"));
    put_created(&s, &u, &a, event("uid-x", "A").as_bytes());
    put_created(&s, &u, &b, event("uid-y", "B").as_bytes());
    clock.set(T0 + DAY);
    assert_eq!(
        put_req(&s, &u, &a, event("uid-z", "A").as_bytes()).status,
        204
    );
    assert_eq!(
        put_req(&s, &u, &b, event("uid-x", "B").as_bytes()).status,
        204
    );
    clock.set(T0 + 2 * DAY);
    let done = s.cli_json(&["restore", &cal, "--at", &rfc3339(T0 + HOUR)], None);
    assert_eq!(done["restored"], 2, "{done}");
    assert_eq!(get_req(&s, &u, &a).text(), event("uid-x", "A"));
    assert_eq!(get_req(&s, &u, &b).text(), event("uid-y", "B"));
}

/// Regression: the UID clash of a point-in-time restore offered `--as-copy`, which `restore`
/// does not take. It names the object that holds the UID now and what to do instead.
#[test]
fn a_point_in_time_uid_clash_names_the_holder() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("holder");
    let cal = calendar_url(&u);
    let (a, b) = (format!("{cal}a.ics"), format!("{cal}b.ics"));
    put_created(&s, &u, &a, event("shared-uid", "A then").as_bytes());
    clock.set(T0 + DAY);
    assert_eq!(
        put_req(&s, &u, &a, event("a-now", "A now").as_bytes()).status,
        204
    );
    put_created(&s, &u, &b, event("shared-uid", "B now").as_bytes());
    let token = sync(&s, &u, &cal, "").token;
    let err = s.cli_err(&["restore", &a, "--at", &rfc3339(T0 + HOUR)], None);
    assert!(
        err.contains("shared-uid") && err.contains(&b) && err.contains(&a),
        "{err}"
    );
    assert!(
        !err.contains("as-copy"),
        "restore takes no --as-copy: {err}"
    );
    let r = api(
        &s,
        Some(&u),
        "POST",
        &format!("/api/v1/restore{a}"),
        Some(json!({"at": rfc3339(T0 + HOUR)})),
    );
    assert_api_error(&r, 409, "uid-conflict");
    assert!(
        !r.json["message"]
            .as_str()
            .expect("message")
            .contains("as_copy")
    );
    assert_eq!(get_req(&s, &u, &a).text(), event("a-now", "A now"));
    assert_eq!(sync(&s, &u, &cal, &token).token, token, "nothing changed");
}

/// Regression: a point-in-time restore to before the collection existed silently emptied it
/// (nothing was there then). It is refused, naming the deleted collection of that name the
/// owner probably means.
#[test]
fn a_point_in_time_restore_to_before_the_collection_existed_is_refused() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("before");
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    put_created(
        &s,
        &u,
        &format!("{work}old.ics"),
        event("old", "Old").as_bytes(),
    );
    clock.set(T0 + HOUR);
    assert_eq!(delete_req(&s, &u, &work).status, 204);
    let old_id = id_of(&trash_list(&s, &u.login), &work);
    clock.set(T0 + 2 * HOUR);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    let new = format!("{work}new.ics");
    put_created(&s, &u, &new, event("new", "New").as_bytes());
    let token = sync(&s, &u, &work, "").token;
    clock.set(T0 + 3 * HOUR);
    let err = s.cli_err(&["restore", &work, "--at", &rfc3339(T0 + HOUR / 2)], None);
    assert!(
        err.contains("did not exist")
            && err.contains(&old_id)
            && err.contains(&rfc3339(T0 + 2 * HOUR)),
        "{err}"
    );
    let r = api(
        &s,
        Some(&u),
        "POST",
        &format!("/api/v1/restore{work}"),
        Some(json!({"at": rfc3339(T0 + HOUR / 2)})),
    );
    assert_api_error(&r, 422, "before-collection-created");
    assert_eq!(get_req(&s, &u, &new).status, 200, "not emptied");
    assert_eq!(sync(&s, &u, &work, &token).token, token, "nothing changed");
    // From its creation on, it is fine.
    let done = s.cli_json(&["restore", &work, "--at", &rfc3339(T0 + 2 * HOUR)], None);
    assert_eq!(done["unchanged"], 1, "{done}");
}

/// Versions are listed with their ids and restored by id (CLI `restore PATH --version ID`,
/// API `{"version": ID}`), which names one version whatever the times.
#[test]
fn a_version_is_restored_by_its_id() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("byid");
    let cal = calendar_url(&u);
    let (a, b) = (format!("{cal}a.ics"), format!("{cal}b.ics"));
    for (n, summary) in ["one", "two", "three"].iter().enumerate() {
        clock.set(T0 + n as i64 * HOUR);
        put_req(&s, &u, &a, event("a", summary).as_bytes());
    }
    put_created(&s, &u, &b, event("b", "B").as_bytes());
    let listed = api_ok(&s, &u, "GET", &format!("/api/v1/versions{a}"), None, 200);
    let listed = listed.as_array().expect("array");
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed[0]["id"].is_null() && listed[0]["current"] == true);
    let id_of_from = |t: i64| {
        listed
            .iter()
            .find(|v| v["from"] == rfc3339(t))
            .and_then(|v| v["id"].as_i64())
            .unwrap_or_else(|| panic!("a version from {t}: {listed:?}"))
    };
    let (one, two) = (id_of_from(T0), id_of_from(T0 + HOUR));
    let out = s.cli_ok(&["versions", &a], None);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("version {one}")),
        "{out:?}"
    );
    clock.set(T0 + 3 * HOUR);
    let done = s.cli_json(&["restore", &a, "--version", &one.to_string()], None);
    assert_eq!(
        (&done["restored"], &done["at"]),
        (&json!(1), &json!(rfc3339(T0)))
    );
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "one"));
    clock.set(T0 + 4 * HOUR);
    let r = api_ok(
        &s,
        &u,
        "POST",
        &format!("/api/v1/restore{a}"),
        Some(json!({"version": two})),
        200,
    );
    assert_eq!(r["restored"], 1);
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "two"));
    // Another object's version, a collection's path, both or neither of at/version: refused.
    let r = api(
        &s,
        Some(&u),
        "POST",
        &format!("/api/v1/restore{b}"),
        Some(json!({"version": one})),
    );
    assert_api_error(&r, 404, "not-found");
    for (path, body) in [
        (&cal, json!({"version": one})),
        (&a, json!({"version": one, "at": rfc3339(T0)})),
        (&a, json!({})),
    ] {
        let r = api(
            &s,
            Some(&u),
            "POST",
            &format!("/api/v1/restore{path}"),
            Some(body),
        );
        assert_api_error(&r, 422, "invalid-request");
    }
    let err = s.cli_err(&["restore", &a], None);
    assert!(err.contains("--at") || err.contains("--version"), "{err}");
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "two"), "unchanged");
    assert_eq!(get_req(&s, &u, &b).text(), event("b", "B"));
}

/// Regression: restoring one object to a time before its deletion left that deletion in the
/// trash, next to the live object.
#[test]
fn a_point_in_time_restore_of_a_deleted_object_takes_it_out_of_the_trash() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("stale");
    let cal = calendar_url(&u);
    let a = format!("{cal}a.ics");
    put_created(&s, &u, &a, event("a", "Monday").as_bytes());
    clock.set(T0 + DAY);
    assert_eq!(
        put_req(&s, &u, &a, event("a", "Tuesday").as_bytes()).status,
        204
    );
    clock.set(T0 + 2 * DAY);
    assert_eq!(delete_req(&s, &u, &a).status, 204);
    assert_eq!(trash_list(&s, &u.login).len(), 1);
    clock.set(T0 + 3 * DAY);
    let done = s.cli_json(&["restore", &a, "--at", &rfc3339(T0 + HOUR)], None);
    assert_eq!(done["restored"], 1);
    assert_eq!(get_req(&s, &u, &a).text(), event("a", "Monday"));
    let items = trash_list(&s, &u.login);
    assert!(items.is_empty(), "the deletion was undone: {items:?}");
}

/// Regression: a read-write sharee got 404 from `DELETE /api/v1/resources/...` although DAV
/// DELETE works for it. The API has the rights DAV has: a read-write sharee deletes an object
/// (to the owner's trash, 204: the owner restores it), a read-only one is refused (403), and a
/// sharee deleting the shared collection only takes it out of its own home.
#[test]
fn a_sharee_deletes_through_the_api_with_the_rights_of_dav() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let alice = s.new_user_in("owner", "apisharers");
    let writer = s.new_user_in("writer", "apisharers");
    let reader = s.new_user_in("reader", "apisharers");
    let cal = calendar_url(&alice);
    for n in 1..=2 {
        put_created(
            &s,
            &alice,
            &format!("{cal}e{n}.ics"),
            event(&format!("e{n}"), "Shared").as_bytes(),
        );
    }
    share_with(&s, &cal, &writer.login, "read-write");
    share_with(&s, &cal, &reader.login, "read");
    let (as_writer, as_reader) = (shared_path(&s, &writer), shared_path(&s, &reader));
    let resource = |path: &str| format!("/api/v1/resources{path}");

    let r = api(
        &s,
        Some(&reader),
        "DELETE",
        &resource(&format!("{as_reader}e1.ics")),
        None,
    );
    assert_api_error(&r, 403, "read-only-share");
    assert_eq!(
        get_req(&s, &alice, &format!("{cal}e1.ics")).status,
        200,
        "not deleted"
    );

    let r = api(
        &s,
        Some(&writer),
        "DELETE",
        &resource(&format!("{as_writer}e1.ics")),
        None,
    );
    assert_eq!(r.status(), 204, "{}", r.json);
    assert_eq!(get_req(&s, &alice, &format!("{cal}e1.ics")).status, 404);
    let items = trash_list(&s, &alice.login);
    let e = trash_entry(&items, &format!("{cal}e1.ics"));
    assert_eq!(e["deleted_by"], writer.login.as_str());
    assert!(trash_list(&s, &writer.login).is_empty());
    // Another's path stays not found, as in DAV.
    let r = api(
        &s,
        Some(&writer),
        "DELETE",
        &resource(&format!("{cal}e2.ics")),
        None,
    );
    assert_api_error(&r, 404, "not-found");

    // The shared calendar itself: out of the sharee's home, the owner's data untouched.
    let r = api(&s, Some(&writer), "DELETE", &resource(&as_writer), None);
    assert_eq!(r.status(), 204, "{}", r.json);
    assert!(shared_paths(&s, &writer).is_empty());
    assert_eq!(get_req(&s, &alice, &format!("{cal}e2.ics")).status, 200);
    assert_eq!(trash_list(&s, &alice.login).len(), 1);
}

/// The trash and version listings of the API come in pages: `?limit=N` (100 by default), and a
/// `Link: <...>; rel="next"` header to the next page while there is one.
#[test]
fn the_api_lists_the_trash_and_the_versions_in_pages() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("pages");
    let cal = calendar_url(&u);
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    for n in 0..5 {
        let path = format!("{cal}p{n}.ics");
        put_created(&s, &u, &path, event(&format!("p{n}"), "Page").as_bytes());
        clock.set(T0 + n / 2 * HOUR);
        assert_eq!(delete_req(&s, &u, &path).status, 204);
    }
    assert_eq!(delete_req(&s, &u, &work).status, 204);
    let everything: Vec<Value> = api_ok(&s, &u, "GET", "/api/v1/trash", None, 200)
        .as_array()
        .expect("array")
        .clone();
    assert_eq!(everything.len(), 6);
    let mut paged = Vec::new();
    let mut route = "/api/v1/trash?limit=2".to_owned();
    loop {
        let r = api(&s, Some(&u), "GET", &route, None);
        assert_eq!(r.status(), 200, "{}", r.json);
        let page = r.json.as_array().expect("array").clone();
        assert!(!page.is_empty() && page.len() <= 2, "{page:?}");
        paged.extend(page);
        match r.resp.header("link") {
            Some(link) => {
                let next = link
                    .strip_prefix('<')
                    .and_then(|l| l.split_once(">; rel=\"next\""))
                    .map(|(url, _)| url.to_owned())
                    .unwrap_or_else(|| panic!("a next link: {link}"));
                assert!(next.starts_with("/api/v1/trash?limit=2&cursor="), "{next}");
                route = next;
            }
            None => break,
        }
    }
    assert_eq!(
        paged, everything,
        "the pages together are the whole trash, in order"
    );
    // The versions of an object, the current content on the first page only.
    let path = format!("{cal}versioned.ics");
    for n in 0..4 {
        clock.set(T0 + DAY + n * HOUR);
        put_req(
            &s,
            &u,
            &path,
            event("versioned", &format!("v{n}")).as_bytes(),
        );
    }
    let route = format!("/api/v1/versions{path}?limit=2");
    let first = api(&s, Some(&u), "GET", &route, None);
    let items = first.json.as_array().expect("array");
    assert_eq!(
        items.len(),
        3,
        "the current content and two versions: {items:?}"
    );
    assert_eq!(items[0]["current"], true);
    let link = first.resp.header("link").expect("a next page").to_owned();
    let next = &link[1..link.find('>').expect("<url>")];
    let rest = api_ok(&s, &u, "GET", next, None, 200);
    assert_eq!(rest.as_array().expect("array").len(), 1);
    assert_eq!(rest[0]["from"], rfc3339(T0 + DAY));
    // Bad paging parameters.
    for (query, status, code) in [
        ("limit=0", 400, "bad-request"),
        ("limit=1001", 400, "bad-request"),
        ("size=2", 400, "bad-request"),
        ("cursor=yesterday", 422, "invalid-request"),
    ] {
        let r = api(&s, Some(&u), "GET", &format!("/api/v1/trash?{query}"), None);
        assert_api_error(&r, status, code);
    }
}
