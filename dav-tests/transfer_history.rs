//! What moves data (imports, COPY/MOVE, merges of duplicate contacts) leaves in the trash and
//! the version history (issue 6): a merge is undone by restoring from the trash and the
//! history; a MOVE is undone by a point-in-time restore of the calendar it left; what an import
//! or a COPY replaces is kept as a version. Time is the test clock, as in `trash.rs`.

use std::collections::BTreeMap;

use crate::common::*;

/// 2030-03-17T17:46:40Z.
const T0: i64 = 1_900_000_000;
const HOUR: i64 = 3_600;

/// The API path of a collection href (`/dav/calendars/a/b/` → `/api/v1/calendars/a/b`), then
/// `rest`.
fn api_path(href: &str, rest: &str) -> String {
    format!(
        "/api/v1/{}/{rest}",
        href.trim_start_matches("/dav/").trim_end_matches('/')
    )
}

/// Every member's body by href (GET), the collection itself left out.
fn bodies(s: &Server, u: &User, coll: &str) -> BTreeMap<String, String> {
    collection_state(s, u, coll)
        .into_iter()
        .filter(|(h, _)| h != coll)
        .map(|(h, _)| {
            let r = get_req(s, u, &h);
            assert_eq!(r.status, 200, "GET {h}");
            (h, r.text())
        })
        .collect()
}

/// `versions OBJECT-PATH --json`: (from, ended) of each version, the current one first.
#[track_caller]
fn versions(s: &Server, href: &str) -> Vec<(String, String)> {
    s.cli_json(&["versions", href], None)
        .as_array()
        .expect("array")
        .iter()
        .map(|v| {
            let ended = if v["current"] == true {
                "current".to_owned()
            } else {
                v["ended"].as_str().expect("ended").to_owned()
            };
            (v["from"].as_str().expect("from").to_owned(), ended)
        })
        .collect()
}

fn card(uid: &str, name: &str, extra: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n{extra}END:VCARD\r\n")
}

/// Issue 6: "merge a group into one card (...) the others go to the trash, so a merge can be
/// undone". The removed card is in the trash, deleted by whoever merged; restoring it from the
/// trash and the address book's earlier state from the history gives back exactly what there
/// was.
#[test]
fn a_duplicate_merge_is_undone_from_the_trash_and_the_history() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("merge");
    let book = addressbook_url(&u);
    let cards = [
        (
            "ann.vcf",
            card("ann", "Ann Lee", "EMAIL:ann@example.org\r\n"),
        ),
        (
            "ann-2.vcf",
            card(
                "ann-2",
                "Ann Lee",
                "EMAIL:ann@work.example\r\nTEL:+41 79 123 45 67\r\n",
            ),
        ),
        (
            "team.vcf",
            card(
                "team",
                "Team",
                "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann-2\r\n",
            ),
        ),
    ];
    for (name, body) in &cards {
        put_created(&s, &u, &format!("{book}{name}"), body.as_bytes());
    }
    let before = bodies(&s, &u, &book);

    clock.set(T0 + HOUR);
    let merged = api_ok(
        &s,
        &u,
        "POST",
        &api_path(&book, "duplicates/merge"),
        Some(json!({ "objects": ["ann.vcf", "ann-2.vcf"] })),
        200,
    );
    let removed = format!("{book}ann-2.vcf");
    assert_eq!(merged["removed"], json!([removed]));
    assert_eq!(merged["groups_updated"], json!([format!("{book}team.vcf")]));
    assert_eq!(get_req(&s, &u, &removed).status, 404);
    let kept = get_req(&s, &u, &format!("{book}ann.vcf")).text();
    assert!(kept.contains("ann@work.example"), "{kept}");

    // In the trash, deleted by whoever merged, at the merge's time.
    let items = trash_list(&s, &u.login);
    assert_eq!(items.len(), 1, "{items:?}");
    let entry = trash_entry(&items, &removed);
    assert_eq!(entry["deleted_by"], u.login.as_str());
    assert_eq!(entry["deleted_at"], rfc3339(T0 + HOUR));
    assert_eq!(entry["uid"], "ann-2");

    // Undo: the removed card from the trash...
    clock.set(T0 + 2 * HOUR);
    let id = entry["id"].as_str().expect("id");
    api_ok(
        &s,
        &u,
        "POST",
        &format!("/api/v1/trash/{id}/restore"),
        None,
        200,
    );
    assert_eq!(get_req(&s, &u, &removed).text(), cards[1].1);
    assert!(trash_list(&s, &u.login).is_empty());
    // ...and the merged card and the group as they were before the merge, from their history.
    for name in ["ann.vcf", "team.vcf"] {
        let done = api_ok(
            &s,
            &u,
            "POST",
            &format!("/api/v1/restore{book}{name}"),
            Some(json!({ "at": rfc3339(T0 + HOUR / 2) })),
            200,
        );
        assert_eq!(done["restored"], 1, "{name}: {done}");
    }
    assert_eq!(bodies(&s, &u, &book), before, "the merge is undone");
    // And the duplicates are found again.
    let found = api_ok(&s, &u, "GET", &api_path(&book, "duplicates"), None, 200);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
}

/// A MOVE takes an event out of its calendar without putting it in the trash (it lives on at
/// the destination), and a restore of that calendar to before the move brings it back there;
/// the destination's own history undoes the other half.
#[test]
fn a_move_is_undone_by_restoring_the_calendar_it_left() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("mover");
    let home = calendar_url(&u);
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    let a = format!("{home}a.ics");
    put_created(&s, &u, &a, event("uid-a", "Standup").as_bytes());
    put_created(
        &s,
        &u,
        &format!("{work}old.ics"),
        event("uid-old", "Old").as_bytes(),
    );

    clock.set(T0 + HOUR);
    let destination = format!("{}{work}a.ics", s.url());
    let r = s.request("MOVE", &a, Some(&u), &[("Destination", &destination)], b"");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get_req(&s, &u, &a).status, 404);
    assert!(
        trash_list(&s, &u.login).is_empty(),
        "a moved event is not deleted"
    );
    // A COPY over an existing event keeps the one it replaces.
    let destination = format!("{}{work}old.ics", s.url());
    let r = s.request(
        "COPY",
        &format!("{work}a.ics"),
        Some(&u),
        &[("Destination", &destination)],
        b"",
    );
    assert_eq!(r.status, 409, "the UID is in work already: {}", r.text());
    put_created(
        &s,
        &u,
        &format!("{home}b.ics"),
        event("uid-b", "Review").as_bytes(),
    );
    let r = s.request(
        "COPY",
        &format!("{home}b.ics"),
        Some(&u),
        &[("Destination", &destination)],
        b"",
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        versions(&s, &format!("{work}old.ics")),
        [
            (rfc3339(T0 + HOUR), "current".to_owned()),
            (rfc3339(T0), "replaced".to_owned())
        ]
    );

    // Back to before the move: the event is in its calendar again, as it was.
    clock.set(T0 + 2 * HOUR);
    let before_move = rfc3339(T0 + HOUR / 2);
    let done = s.cli_json(&["restore", &home, "--at", &before_move], None);
    assert_eq!(
        (&done["restored"], &done["deleted"]),
        (&json!(1), &json!(1)),
        "a back, b (created since) to the trash: {done}"
    );
    assert_eq!(get_req(&s, &u, &a).text(), event("uid-a", "Standup"));
    // The other half: work as it was, so the event is in one calendar only again.
    let done = s.cli_json(&["restore", &work, "--at", &before_move], None);
    assert_eq!(
        (&done["restored"], &done["deleted"]),
        (&json!(1), &json!(1)),
        "{done}"
    );
    assert_eq!(get_req(&s, &u, &format!("{work}a.ics")).status, 404);
    assert_eq!(
        get_req(&s, &u, &format!("{work}old.ics")).text(),
        event("uid-old", "Old")
    );
}

/// Re-importing a file whose events changed replaces them, keeping what they were: their
/// versions list it, and a restore brings it back.
#[test]
fn an_import_that_replaces_objects_keeps_their_versions() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("reimport");
    let cal = calendar_url(&u);
    let file = |summary: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//exporter//EN\r\n{}{}END:VCALENDAR\r\n",
            vevent("x", summary),
            vevent("y", "Same")
        )
    };
    let import = |summary: &str| {
        let r = s.request(
            "POST",
            &api_path(&cal, "import"),
            Some(&u),
            &[("Content-Type", "text/calendar")],
            file(summary).as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let v: Value = serde_json::from_slice(&r.body).expect("json");
        (
            v["created"].clone(),
            v["updated"].clone(),
            v["skipped"].clone(),
        )
    };
    assert_eq!(import("First"), (json!(2), json!(0), json!(0)));
    let (x, y) = (format!("{cal}x.ics"), format!("{cal}y.ics"));
    let first = get_req(&s, &u, &x).text();

    clock.set(T0 + HOUR);
    assert_eq!(import("Second"), (json!(0), json!(1), json!(1)));
    assert!(get_req(&s, &u, &x).text().contains("SUMMARY:Second"));
    assert_eq!(
        versions(&s, &x),
        [
            (rfc3339(T0 + HOUR), "current".to_owned()),
            (rfc3339(T0), "replaced".to_owned())
        ]
    );
    assert_eq!(
        versions(&s, &y),
        [(rfc3339(T0), "current".to_owned())],
        "an unchanged item is not rewritten"
    );
    assert!(trash_list(&s, &u.login).is_empty());

    clock.set(T0 + 2 * HOUR);
    let done = s.cli_json(&["restore", &x, "--at", &rfc3339(T0)], None);
    assert_eq!(done["restored"], 1, "{done}");
    assert_eq!(get_req(&s, &u, &x).text(), first);
}

/// Issue 6 review, on the paths that write besides PUT: writing the bytes a member already
/// has changes nothing (a COPY onto its twin answers 204 with no version and no new sync
/// token), and what imports, COPY and MOVE keep stays within the plan's quota, the oldest
/// going first.
#[test]
fn imports_copies_and_moves_keep_the_history_within_the_quota() {
    const QUOTA: i64 = 20_000;
    let clock = TestClock::new(T0);
    let s = quota_server(&clock, QUOTA);
    let u = s.new_user("capped");
    let home = calendar_url(&u);
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, "").status, 201);
    let kept = || kept_bytes(&s, &u);
    let copy_or_move = |method: &str, from: &str, to: &str| {
        let destination = format!("{}{to}", s.url());
        s.request(
            method,
            from,
            Some(&u),
            &[("Destination", &destination)],
            b"",
        )
    };

    // A COPY of the bytes the destination already holds.
    let a = format!("{home}a.ics");
    put_created(&s, &u, &a, event("uid-a", "A").as_bytes());
    let twin = format!("{work}a.ics");
    assert_eq!(copy_or_move("COPY", &a, &twin).status, 201);
    let token = collection_sync_token(&s, &u, &work);
    clock.set(T0 + HOUR);
    let r = copy_or_move("COPY", &a, &twin);
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        collection_sync_token(&s, &u, &work),
        token,
        "nothing changed"
    );
    assert_eq!(versions(&s, &twin), [(rfc3339(T0), "current".to_owned())]);

    // Imports rewriting a large event.
    let big =
        |n: i64| big_event("imported", 4_000).replace("SUMMARY:Big", &format!("SUMMARY:Big {n}"));
    for n in 0..12 {
        clock.set(T0 + 2 * HOUR + n * 60);
        // One VCALENDAR with the event: an import file.
        let file = big(n);
        let r = s.request(
            "POST",
            &api_path(&home, "import"),
            Some(&u),
            &[("Content-Type", "text/calendar")],
            file.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(kept() <= QUOTA, "after import {n}: {}", kept());
    }
    assert!(kept() > QUOTA / 2, "the history holds the latest rewrites");

    // A large event moved back and forth: each move keeps it in the history of the calendar
    // it left.
    let (mut from, mut to) = (format!("{home}m.ics"), format!("{work}m.ics"));
    put_created(&s, &u, &from, big_event("moved", 3_000).as_bytes());
    for n in 0..10 {
        clock.set(T0 + 3 * HOUR + n * 60);
        let r = copy_or_move("MOVE", &from, &to);
        assert_eq!(r.status, 201, "{}", r.text());
        assert!(kept() <= QUOTA, "after move {n}: {}", kept());
        std::mem::swap(&mut from, &mut to);
    }
    let moved = versions(&s, &format!("{home}m.ics"));
    assert_eq!(moved[0].1, "current", "{moved:?}");
    assert!(
        moved.len() > 1 && moved.last().expect("a version").0 != rfc3339(T0 + 3 * HOUR),
        "the newest moves are kept, the oldest went: {moved:?}"
    );
}

fn vevent(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )
}
