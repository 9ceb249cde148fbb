//! COPY and MOVE of calendar objects and vCards (RFC 4918 §9.8, §9.9; issue 6): Destination and
//! Overwrite, 201/204/412, 409 for a missing destination collection, UID checks at the
//! destination (CALDAV/CARDDAV no-uid-conflict), the other kind of collection refused, MOVE as
//! one change that both collections' sync tokens see; and the same through the JSON API. Every
//! refusal asserts its status, its `<D:error>` element and that nothing changed.

use crate::common::*;

const SECOND: &str = r#"<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work</D:displayname></D:prop></D:set></C:mkcalendar>"#;

const EVENTS_ONLY: &str = r#"<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#;

const SECOND_BOOK: &str = r#"<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;

/// A user with the default calendar holding `a.ics` and a second calendar `work`.
struct Setup {
    s: Server,
    u: User,
    home: String,
    work: String,
}

fn setup() -> Setup {
    let s = Server::start();
    let u = s.new_user("cm");
    let home = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{home}a.ics"),
        event("uid-a", "A").as_bytes(),
    );
    let work = format!("/dav/calendars/{}/work/", u.login);
    assert_eq!(mkcalendar(&s, &u, &work, SECOND).status, 201);
    Setup { s, u, home, work }
}

/// Sends COPY or MOVE with a Destination (absolute URL, as clients send it) and more headers.
fn relocate(
    s: &Server,
    u: &User,
    method: &str,
    from: &str,
    to: &str,
    extra: &[(&str, &str)],
) -> Resp {
    let destination = format!("{}{to}", s.url());
    let mut headers = vec![("Destination", destination.as_str())];
    headers.extend_from_slice(extra);
    s.request(method, from, Some(u), &headers, b"")
}

#[test]
fn move_between_calendars_is_one_change_seen_by_both_sync_tokens() {
    let Setup { s, u, home, work } = setup();
    let original = get_req(&s, &u, &format!("{home}a.ics"));
    let (home_token, work_token) = (
        collection_sync_token(&s, &u, &home),
        collection_sync_token(&s, &u, &work),
    );
    let r = relocate(
        &s,
        &u,
        "MOVE",
        &format!("{home}a.ics"),
        &format!("{work}moved.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.header("etag"),
        original.header("etag"),
        "same bytes, same ETag"
    );
    assert_eq!(get_req(&s, &u, &format!("{home}a.ics")).status, 404);
    let moved = get_req(&s, &u, &format!("{work}moved.ics"));
    assert_eq!(moved.body, original.body);
    assert_eq!(
        sync_changes(&s, &u, &home, &home_token),
        [(format!("{home}a.ics"), false)]
    );
    assert_eq!(
        sync_changes(&s, &u, &work, &work_token),
        [(format!("{work}moved.ics"), true)]
    );
}

#[test]
fn copy_leaves_the_source_and_overwrite_decides_about_an_existing_destination() {
    let Setup { s, u, home, work } = setup();
    let src = format!("{home}a.ics");
    let dst = format!("{work}a.ics");
    let r = relocate(&s, &u, "COPY", &src, &dst, &[]);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get_req(&s, &u, &src).status, 200);
    assert_eq!(get_req(&s, &u, &dst).body, get_req(&s, &u, &src).body);

    // Overwrite: F with the destination taken: 412, nothing changes.
    let before = (
        collection_state(&s, &u, &home),
        collection_state(&s, &u, &work),
    );
    let r = relocate(&s, &u, "COPY", &src, &dst, &[("Overwrite", "F")]);
    assert_eq!(r.status, 412, "{}", r.text());
    let r = relocate(&s, &u, "MOVE", &src, &dst, &[("Overwrite", "F")]);
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(
        (
            collection_state(&s, &u, &home),
            collection_state(&s, &u, &work)
        ),
        before
    );

    // Overwrite: T (and the default): replaced, 204.
    put_req(&s, &u, &src, event("uid-a", "A, changed").as_bytes());
    let r = relocate(&s, &u, "COPY", &src, &dst, &[("Overwrite", "T")]);
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(get_req(&s, &u, &dst).text().contains("A, changed"));
    let r = relocate(&s, &u, "MOVE", &src, &dst, &[]);
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(get_req(&s, &u, &src).status, 404);
}

#[test]
fn inside_one_collection_a_copy_clashes_with_its_uid_and_a_move_renames() {
    let Setup { s, u, home, .. } = setup();
    let src = format!("{home}a.ics");
    let before = collection_state(&s, &u, &home);
    let r = relocate(&s, &u, "COPY", &src, &format!("{home}b.ics"), &[]);
    assert_dav_error(&r, 409, NS_CALDAV, "no-uid-conflict");
    let doc = parse_xml(&r);
    let href = descendants(&doc, NS_DAV, "href");
    assert_eq!(
        href[0].text().trim(),
        src,
        "names the object holding the UID"
    );
    assert_eq!(collection_state(&s, &u, &home), before);

    // Onto itself: 403, for both methods.
    for method in ["COPY", "MOVE"] {
        let r = relocate(&s, &u, method, &src, &src, &[]);
        assert_refused(&r, 403, NS_DAVSUITE, "valid-destination");
    }
    assert_eq!(collection_state(&s, &u, &home), before);

    let r = relocate(&s, &u, "MOVE", &src, &format!("{home}renamed.ics"), &[]);
    assert_eq!(r.status, 201, "{}", r.text());
    let after = collection_state(&s, &u, &home);
    let hrefs: Vec<&str> = after.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(hrefs, [home.as_str(), &format!("{home}renamed.ics")]);
}

#[test]
fn the_destination_must_take_the_object() {
    let Setup { s, u, home, work } = setup();
    let src = format!("{home}a.ics");
    let book = addressbook_url(&u);
    put_created(
        &s,
        &u,
        &format!("{book}c.vcf"),
        vcard("uid-c", "C").as_bytes(),
    );
    let held = format!("{work}holder.ics");
    put_created(&s, &u, &held, event("uid-a", "Same UID").as_bytes());
    let todo_src = format!("{home}t.ics");
    put_created(&s, &u, &todo_src, todo("uid-t", "T").as_bytes());
    let events_only = format!("/dav/calendars/{}/events/", u.login);
    assert_eq!(mkcalendar(&s, &u, &events_only, EVENTS_ONLY).status, 201);
    let other = s.new_user("cm");
    let snapshot = |s: &Server| {
        (
            collection_state(s, &u, &home),
            collection_state(s, &u, &work),
            collection_state(s, &u, &book),
            collection_state(s, &u, &events_only),
            collection_state(s, &other, &calendar_url(&other)),
        )
    };
    let before = snapshot(&s);
    for method in ["COPY", "MOVE"] {
        // A vCard into a calendar, an event into an address book.
        let r = relocate(
            &s,
            &u,
            method,
            &format!("{book}c.vcf"),
            &format!("{home}c.ics"),
            &[],
        );
        assert_refused(&r, 403, NS_CALDAV, "supported-calendar-data");
        let r = relocate(&s, &u, method, &src, &format!("{book}a.vcf"), &[]);
        assert_refused(&r, 403, NS_CARDDAV, "supported-address-data");
        // The UID is held by another object there.
        let r = relocate(&s, &u, method, &src, &format!("{work}new.ics"), &[]);
        assert_dav_error(&r, 409, NS_CALDAV, "no-uid-conflict");
        let doc = parse_xml(&r);
        assert_eq!(descendants(&doc, NS_DAV, "href")[0].text().trim(), held);
        // A task into an events-only calendar.
        let r = relocate(
            &s,
            &u,
            method,
            &todo_src,
            &format!("{events_only}t.ics"),
            &[],
        );
        assert_refused(&r, 403, NS_CALDAV, "supported-calendar-component");
        // A collection that does not exist: 409 (RFC 4918 §9.8.5).
        let missing = format!("/dav/calendars/{}/missing/a.ics", u.login);
        let r = relocate(&s, &u, method, &src, &missing, &[]);
        assert_eq!(r.status, 409, "{}", r.text());
        // Someone else's calendar.
        let theirs = format!("{}a.ics", calendar_url(&other));
        let r = relocate(&s, &u, method, &src, &theirs, &[]);
        assert_refused(&r, 403, NS_DAV, "need-privileges");
        // Not an object URL.
        let r = relocate(&s, &u, method, &src, &work, &[]);
        assert_refused(&r, 403, NS_DAVSUITE, "valid-destination");
        // No Destination, or a bad Overwrite.
        let r = s.request(method, &src, Some(&u), &[], b"");
        assert_refused(&r, 400, NS_DAVSUITE, "invalid-request");
        let r = relocate(
            &s,
            &u,
            method,
            &src,
            &format!("{work}x.ics"),
            &[("Overwrite", "maybe")],
        );
        assert_refused(&r, 400, NS_DAVSUITE, "invalid-request");
        // A stale If-Match on the source.
        let r = relocate(
            &s,
            &u,
            method,
            &src,
            &format!("{work}x.ics"),
            &[("If-Match", "\"stale\"")],
        );
        assert_eq!(r.status, 412, "{}", r.text());
        // A missing source.
        let r = relocate(
            &s,
            &u,
            method,
            &format!("{home}nope.ics"),
            &format!("{work}x.ics"),
            &[],
        );
        assert_eq!(r.status, 404, "{}", r.text());
        assert_eq!(snapshot(&s), before, "{method} changed something");
    }
    // Collections are not copied or moved.
    let r = relocate(
        &s,
        &u,
        "MOVE",
        &work,
        &format!("/dav/calendars/{}/renamed/", u.login),
        &[],
    );
    assert_eq!(r.status, 405);
    assert!(r.header_values("allow").contains(&"MOVE"));
}

#[test]
fn contacts_move_between_address_books_and_the_quota_counts_copies() {
    let config = every_plan("quota_bytes = 150");
    let s = Server::start_with_config(Some(&config));
    let u = s.new_user("cm");
    let book = addressbook_url(&u);
    let other = format!("/dav/addressbooks/{}/other/", u.login);
    assert_eq!(mkcol(&s, &u, &other, SECOND_BOOK).status, 201);
    let card = vcard("urn:uuid:card-1", "Ann Example");
    put_created(&s, &u, &format!("{book}ann.vcf"), card.as_bytes());
    // A move takes no more room: allowed.
    let r = relocate(
        &s,
        &u,
        "MOVE",
        &format!("{book}ann.vcf"),
        &format!("{other}ann.vcf"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        get_req(&s, &u, &format!("{other}ann.vcf")).body,
        card.as_bytes()
    );
    // A copy would double it past the quota: 507.
    let before = collection_state(&s, &u, &book);
    let r = relocate(
        &s,
        &u,
        "COPY",
        &format!("{other}ann.vcf"),
        &format!("{book}ann.vcf"),
        &[],
    );
    assert_refused(&r, 507, NS_DAV, "quota-not-exceeded");
    assert_eq!(collection_state(&s, &u, &book), before);
}

#[test]
fn options_advertises_copy_and_move() {
    let s = Server::start();
    let r = s.request("OPTIONS", "/dav/", None, &[], b"");
    let allow = r.header_values("allow");
    assert!(
        allow.contains(&"COPY") && allow.contains(&"MOVE"),
        "{allow:?}"
    );
}

#[test]
fn the_api_copies_and_moves_with_the_same_rules() {
    let Setup { s, u, home, work } = setup();
    let object = |coll: &str, name: &str, verb: &str| {
        format!(
            "/api/v1/{}objects/{name}/{verb}",
            coll.trim_start_matches("/dav/")
        )
    };
    let to_work = json!({ "to": format!("calendars/{}/work", u.login) });
    let r = api_ok(
        &s,
        &u,
        "POST",
        &object(&home, "a.ics", "copy"),
        Some(to_work.clone()),
        201,
    );
    assert_eq!(r["href"], format!("{work}a.ics"));
    assert_eq!(r["created"], true);
    assert_eq!(get_req(&s, &u, &format!("{home}a.ics")).status, 200);
    // Overwrite false with the name taken: 412; the default replaces.
    let before = collection_state(&s, &u, &work);
    let keep = json!({ "to": work.clone(), "overwrite": false });
    let r = api(
        &s,
        Some(&u),
        "POST",
        &object(&home, "a.ics", "move"),
        Some(keep),
    );
    assert_api_error(&r, 412, "precondition-failed");
    assert_eq!(collection_state(&s, &u, &work), before);
    let r = api_ok(
        &s,
        &u,
        "POST",
        &object(&home, "a.ics", "move"),
        Some(to_work),
        200,
    );
    assert_eq!(r["created"], false);
    assert_eq!(get_req(&s, &u, &format!("{home}a.ics")).status, 404);
    // Into an address book: the DAV condition's name is the code.
    let to_book = json!({ "to": addressbook_url(&u) });
    let r = api(
        &s,
        Some(&u),
        "POST",
        &object(&work, "a.ics", "copy"),
        Some(to_book),
    );
    assert_api_error(&r, 403, "supported-address-data");
    // UID clash.
    put_created(
        &s,
        &u,
        &format!("{home}b.ics"),
        event("uid-a", "B").as_bytes(),
    );
    let r = api(
        &s,
        Some(&u),
        "POST",
        &object(&home, "b.ics", "copy"),
        Some(json!({ "to": work.clone() })),
    );
    assert_api_error(&r, 409, "no-uid-conflict");
    // Someone else's collections, either side, and a body the API does not understand.
    let other = s.new_user("cm");
    let move_b = |user: &User, body: Value| {
        api(
            &s,
            Some(user),
            "POST",
            &object(&home, "b.ics", "move"),
            Some(body),
        )
    };
    let to_other = json!({ "to": calendar_url(&other) });
    assert_api_error(&move_b(&other, to_other.clone()), 403, "forbidden");
    assert_api_error(&move_b(&u, to_other), 403, "forbidden");
    assert_api_error(&move_b(&u, json!({ "dest": "x" })), 400, "bad-request");
    assert_eq!(get_req(&s, &u, &format!("{home}b.ics")).status, 200);
}

#[test]
fn the_organisation_directory_is_read_only_for_copy_and_move() {
    let s = Server::start();
    let u = s.new_user_in("cm", "dir-org");
    s.cli_ok(&["org", "set-plan", "dir-org", "ksuite-pro"], None);
    let id = org_id_of(&s, &u, "dir-org");
    let dir = format!("/dav/addressbooks/{}/.directory-{id}/", u.login);
    let listing = collection_state(&s, &u, &dir);
    let card = listing
        .iter()
        .map(|(h, _)| h.clone())
        .find(|h| h.ends_with(".vcf"))
        .expect("the member's own card");
    let book = addressbook_url(&u);
    put_created(
        &s,
        &u,
        &format!("{book}c.vcf"),
        vcard("uid-c", "C").as_bytes(),
    );
    let before = (
        collection_state(&s, &u, &dir),
        collection_state(&s, &u, &book),
    );
    for method in ["COPY", "MOVE"] {
        let r = relocate(&s, &u, method, &card, &format!("{book}colleague.vcf"), &[]);
        assert_refused(&r, 403, NS_DAV, "need-privileges");
        let r = relocate(
            &s,
            &u,
            method,
            &format!("{book}c.vcf"),
            &format!("{dir}c.vcf"),
            &[],
        );
        assert_refused(&r, 403, NS_DAV, "need-privileges");
    }
    assert_eq!(
        (
            collection_state(&s, &u, &dir),
            collection_state(&s, &u, &book)
        ),
        before
    );
}

/// Through a share, COPY needs read access to the source and MOVE write access to it; the
/// destination needs write access (RFC 3744 need-privileges otherwise, nothing changed). A
/// shared collection is written under its owner's plan and quota, and hrefs stay in the
/// sharee's home.
#[test]
fn copy_and_move_through_shares_follow_the_share_s_access() {
    let s = Server::start_with_config(Some(&every_plan("quota_bytes = 5000")));
    let alice = s.new_user_in("alice", "acme");
    let rita = s.new_user_in("rita", "acme");
    let walt = s.new_user_in("walt", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}a.ics"),
        event("uid-a", "A").as_bytes(),
    );
    put_created(
        &s,
        &alice,
        &format!("{cal}b.ics"),
        event("uid-b", "B").as_bytes(),
    );
    // alice's storage is well used; her sharees' is not.
    put_created(
        &s,
        &alice,
        &format!("{cal}pad.ics"),
        big_event("uid-pad", 3000).as_bytes(),
    );
    share_with(&s, &cal, &rita.login, "read");
    share_with(&s, &cal, &walt.login, "read-write");
    let rita_mount = shared_path(&s, &rita);
    let walt_mount = shared_path(&s, &walt);
    let rita_own = calendar_url(&rita);
    let walt_own = calendar_url(&walt);
    put_created(
        &s,
        &rita,
        &format!("{rita_own}r.ics"),
        event("uid-r", "R").as_bytes(),
    );
    put_created(
        &s,
        &walt,
        &format!("{walt_own}w.ics"),
        event("uid-w", "W").as_bytes(),
    );

    // The read sharee: writing into the share or moving out of it is refused.
    let state = |u: &User, own: &str| {
        (
            collection_state(&s, &alice, &cal),
            collection_state(&s, u, own),
        )
    };
    let before = state(&rita, &rita_own);
    let r = relocate(
        &s,
        &rita,
        "COPY",
        &format!("{rita_own}r.ics"),
        &format!("{rita_mount}r.ics"),
        &[],
    );
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    assert!(r.text().contains("read-only"), "{}", r.text());
    for method in ["COPY", "MOVE"] {
        let r = relocate(
            &s,
            &rita,
            method,
            &format!("{rita_mount}b.ics"),
            &format!("{rita_mount}b2.ics"),
            &[],
        );
        assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    }
    let r = relocate(
        &s,
        &rita,
        "MOVE",
        &format!("{rita_mount}a.ics"),
        &format!("{rita_own}a.ics"),
        &[],
    );
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    let r = relocate(
        &s,
        &rita,
        "MOVE",
        &format!("{rita_own}r.ics"),
        &format!("{rita_mount}r.ics"),
        &[],
    );
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    assert_eq!(
        state(&rita, &rita_own),
        before,
        "a refusal changed something"
    );
    // Reading is enough to copy out of it.
    let r = relocate(
        &s,
        &rita,
        "COPY",
        &format!("{rita_mount}a.ics"),
        &format!("{rita_own}a.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        get_req(&s, &rita, &format!("{rita_own}a.ics")).text(),
        event("uid-a", "A")
    );
    assert_eq!(collection_state(&s, &alice, &cal), before.0);

    // The read-write sharee copies in and moves out, seen by the owner.
    let r = relocate(
        &s,
        &walt,
        "COPY",
        &format!("{walt_own}w.ics"),
        &format!("{walt_mount}w.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        get_req(&s, &alice, &format!("{cal}w.ics")).text(),
        event("uid-w", "W")
    );
    let r = relocate(
        &s,
        &walt,
        "MOVE",
        &format!("{walt_mount}b.ics"),
        &format!("{walt_own}b.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get_req(&s, &alice, &format!("{cal}b.ics")).status, 404);
    assert_eq!(
        get_req(&s, &walt, &format!("{walt_own}b.ics")).text(),
        event("uid-b", "B")
    );
    // Out of the owner's calendar, a move is a deletion by the sharee, in the owner's trash.
    let trashed = trash_list(&s, &alice.login);
    assert_eq!(trashed.len(), 1, "{trashed:?}");
    assert_eq!(
        trash_entry(&trashed, &format!("{cal}b.ics"))["deleted_by"],
        walt.login.as_str()
    );
    // A UID clash names the holder in the sharee's own home.
    put_created(
        &s,
        &walt,
        &format!("{walt_own}dup.ics"),
        event("uid-a", "Dup").as_bytes(),
    );
    let before = state(&walt, &walt_own);
    let r = relocate(
        &s,
        &walt,
        "COPY",
        &format!("{walt_own}dup.ics"),
        &format!("{walt_mount}dup.ics"),
        &[],
    );
    assert_dav_error(&r, 409, NS_CALDAV, "no-uid-conflict");
    let holder = descendants(&parse_xml(&r), NS_DAV, "href")
        .first()
        .map(|h| h.text())
        .unwrap_or_default();
    assert_eq!(holder, format!("{walt_mount}a.ics"));
    // The owner's quota, not the sharee's (whose own storage has room).
    put_created(
        &s,
        &walt,
        &format!("{walt_own}big.ics"),
        big_event("uid-big", 2500).as_bytes(),
    );
    let r = relocate(
        &s,
        &walt,
        "COPY",
        &format!("{walt_own}big.ics"),
        &format!("{walt_mount}big.ics"),
        &[],
    );
    assert_dav_error(&r, 507, NS_DAV, "quota-not-exceeded");
    let r = relocate(
        &s,
        &walt,
        "MOVE",
        &format!("{walt_own}big.ics"),
        &format!("{walt_mount}big.ics"),
        &[],
    );
    assert_dav_error(&r, 507, NS_DAV, "quota-not-exceeded");
    let after = state(&walt, &walt_own);
    assert_eq!(after.0, before.0, "the owner's calendar changed");
    assert_eq!(
        get_req(&s, &walt, &format!("{walt_own}big.ics")).status,
        200
    );
}

/// A read-write sharee's MOVE out of the owner's calendar into their own takes the event away
/// from the owner: for the owner it is a deletion by the sharee, in the owner's trash,
/// restorable. A MOVE between the owner's own calendars stays out of the trash.
#[test]
fn a_move_out_of_a_shared_calendar_puts_the_event_in_the_owner_s_trash() {
    let s = Server::start();
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}ev.ics"),
        event("uid-ev", "Ev").as_bytes(),
    );
    put_created(
        &s,
        &alice,
        &format!("{cal}own.ics"),
        event("uid-own", "Own").as_bytes(),
    );
    share_with(&s, &cal, &bob.login, "read-write");
    let mount = shared_path(&s, &bob);
    let bob_own = calendar_url(&bob);
    let r = relocate(
        &s,
        &bob,
        "MOVE",
        &format!("{mount}ev.ics"),
        &format!("{bob_own}ev.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get_req(&s, &alice, &format!("{cal}ev.ics")).status, 404);
    assert_eq!(get_req(&s, &bob, &format!("{bob_own}ev.ics")).status, 200);

    let items = trash_list(&s, &alice.login);
    assert_eq!(items.len(), 1, "{items:?}");
    let entry = trash_entry(&items, &format!("{cal}ev.ics"));
    assert_eq!(entry["deleted_by"], bob.login.as_str());
    assert!(trash_list(&s, &bob.login).is_empty());

    // Within alice's own calendars a move is no deletion.
    let other = format!("/dav/calendars/{}/other/", alice.login);
    assert_eq!(mkcalendar(&s, &alice, &other, "").status, 201);
    let r = relocate(
        &s,
        &alice,
        "MOVE",
        &format!("{cal}own.ics"),
        &format!("{other}own.ics"),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(trash_list(&s, &alice.login).len(), 1);

    // The owner restores it (the sharee holds its UID in another owner's calendar).
    let id = entry["id"].as_str().expect("id");
    let done = s.cli_json(&["trash", "restore", id], None);
    assert_eq!(done["href"], format!("{cal}ev.ics").as_str());
    assert_eq!(get_req(&s, &alice, &format!("{cal}ev.ics")).status, 200);
}
