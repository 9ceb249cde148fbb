//! Sharing calendars and address books with people and teams (issue 5): where a shared
//! collection appears, what each access allows, the sharee's own view, sync between owner and
//! sharees, unsharing, teams, Apple's sharing POSTs, free-busy, and the CLI and JSON API.

use crate::common::*;

/// A server with organisation acme: alice (owner), bob and carol; alice's calendar holds one
/// event `e1.ics`.
fn acme() -> (Server, User, User, User) {
    let s = Server::start();
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let carol = s.new_user_in("carol", "acme");
    put_created(
        &s,
        &alice,
        &format!("{}e1.ics", calendar_url(&alice)),
        event("e1", "Planning").as_bytes(),
    );
    (s, alice, bob, carol)
}

const SHARING_PROPS: [(&str, &str); 7] = [
    (NS_DAV, "resourcetype"),
    (NS_DAV, "displayname"),
    (NS_DAV, "owner"),
    (NS_DAV, "current-user-privilege-set"),
    (CS, "invite"),
    (CS, "shared-url"),
    (CS, "allowed-sharing-modes"),
];

/// The `CS:user` entries of a `CS:invite`: (href, access, accepted).
fn invitees(m: &MsResponse) -> Vec<(String, String, bool)> {
    let Some(invite) = m.ok_prop(CS, "invite") else {
        return Vec::new();
    };
    invite
        .elements()
        .filter(|e| e.is(CS, "user"))
        .map(|u| {
            let href = u
                .child(NS_DAV, "href")
                .map(|h| h.text())
                .unwrap_or_default();
            let access = u
                .child(CS, "access")
                .and_then(|a| a.elements().next())
                .map(|e| e.name.local.clone())
                .unwrap_or_default();
            (href, access, u.child(CS, "invite-accepted").is_some())
        })
        .collect()
}

#[test]
fn a_shared_calendar_appears_in_the_sharees_home_with_the_shares_rights() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    share_with(&s, &cal, &carol.login, "read-write");

    // Ordinary discovery: the calendar home lists it after the sharee's own calendar.
    let bob_cal = shared_path(&s, &bob);
    assert!(bob_cal.starts_with(&cal_home(&bob)), "{bob_cal}");
    assert_eq!(
        listed(&s, &bob, &cal_home(&bob)),
        vec![calendar_url(&bob), bob_cal.clone()]
    );
    let r = propfind_req(
        &s,
        &bob,
        &cal_home(&bob),
        "1",
        &propfind_body(&SHARING_PROPS),
    );
    let m = multistatus(&r)
        .into_iter()
        .find(|m| m.href == bob_cal)
        .expect("listed");
    assert!(has_type(&m, NS_CALDAV, "calendar") && has_type(&m, CS, "shared"));
    assert_eq!(m.hrefs(NS_DAV, "owner"), vec![principal_url(&alice)]);
    let read = privileges(&m);
    assert!(read.contains(&"read".into()) && read.contains(&"write-properties".into()));
    for p in ["write", "write-content", "bind", "unbind"] {
        assert!(
            !read.contains(&p.to_owned()),
            "read-only share has {p}: {read:?}"
        );
    }
    assert_eq!(m.hrefs(CS, "shared-url"), vec![cal.clone()]);
    let invite = invitees(&m);
    assert_eq!(invite.len(), 1, "a sharee sees itself only: {}", r.text());
    assert_eq!(invite[0].1, "read");
    let name = prop_text(&m, NS_DAV, "displayname").unwrap();
    assert!(
        name.starts_with("Personal (") && name.contains(&alice.login),
        "{name}"
    );

    let carol_cal = shared_path(&s, &carol);
    let m = props_at(&s, &carol, &carol_cal, &SHARING_PROPS);
    let rw = privileges(&m);
    for p in ["read", "write", "write-content", "bind", "unbind"] {
        assert!(
            rw.contains(&p.to_owned()),
            "read-write share lacks {p}: {rw:?}"
        );
    }

    // The owner sees its calendar shared, with every sharee.
    let m = props_at(&s, &alice, &cal, &SHARING_PROPS);
    assert!(has_type(&m, CS, "shared-owner"));
    assert!(!has_type(&m, CS, "shared"));
    let mut invite = invitees(&m);
    invite.sort();
    assert_eq!(invite.len(), 2);
    assert!(invite.iter().all(|(_, _, accepted)| *accepted));
    let accesses: Vec<&str> = invite.iter().map(|(_, a, _)| a.as_str()).collect();
    assert!(accesses.contains(&"read") && accesses.contains(&"read-write"));
    assert!(
        m.ok_prop(CS, "allowed-sharing-modes")
            .is_some_and(|p| p.child(CS, "can-be-shared").is_some())
    );
    assert_eq!(privileges(&m).len(), 7, "the owner has everything");

    // The members read through the sharee's URLs.
    let g = get_req(&s, &bob, &format!("{bob_cal}e1.ics"));
    assert_eq!(g.status, 200);
    assert_eq!(g.body, event("e1", "Planning").as_bytes());
    // The owner's own URL stays the owner's.
    assert_dav_error(&get_req(&s, &bob, &cal), 403, NS_DAV, "need-privileges");
    assert_dav_error(
        &get_req(&s, &bob, &format!("{cal}e1.ics")),
        403,
        NS_DAV,
        "need-privileges",
    );
}

#[test]
fn a_read_only_sharee_cannot_write_and_the_owners_data_is_unchanged() {
    let (s, alice, bob, _) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    let mount = shared_path(&s, &bob);
    let before = collection_state(&s, &alice, &cal);
    let refusals = [
        (
            "PUT new",
            put_req(
                &s,
                &bob,
                &format!("{mount}new.ics"),
                event("n", "New").as_bytes(),
            ),
        ),
        (
            "PUT over",
            put_req(
                &s,
                &bob,
                &format!("{mount}e1.ics"),
                event("e1", "Changed").as_bytes(),
            ),
        ),
        (
            "DELETE member",
            delete_req(&s, &bob, &format!("{mount}e1.ics")),
        ),
    ];
    for (what, r) in refusals {
        assert_dav_error(&r, 403, NS_DAV, "need-privileges");
        assert!(r.text().contains("read-only"), "{what}: {}", r.text());
    }
    // The owner's properties are the owner's, even to a read-write sharee.
    let r = proppatch_req(
        &s,
        &bob,
        &mount,
        &proppatch_body(NS_CALDAV, "calendar-description", "mine"),
    );
    assert_eq!(proppatch_status(&r), 403, "{}", r.text());
    assert!(r.text().contains("need-privileges"), "{}", r.text());
    assert_eq!(collection_state(&s, &alice, &cal), before);
}

#[test]
fn a_sharee_renames_and_recolours_its_own_view_only() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    share_with(&s, &cal, &carol.login, "read-write");
    let bob_cal = shared_path(&s, &bob);
    let body = br#"<D:propertyupdate xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Alice's plans</D:displayname><A:calendar-color>#FF0000FF</A:calendar-color><A:calendar-order>7</A:calendar-order><X:mine xmlns:X="urn:x">1</X:mine></D:prop></D:set></D:propertyupdate>"#;
    let r = proppatch_req(&s, &bob, &bob_cal, body);
    assert_eq!(proppatch_status(&r), 200, "{}", r.text());
    let props = [
        (NS_DAV, "displayname"),
        (NS_APPLE_ICAL, "calendar-color"),
        (NS_APPLE_ICAL, "calendar-order"),
        ("urn:x", "mine"),
    ];
    let m = props_at(&s, &bob, &bob_cal, &props);
    assert_eq!(
        prop_text(&m, NS_DAV, "displayname").as_deref(),
        Some("Alice's plans")
    );
    assert_eq!(
        prop_text(&m, NS_APPLE_ICAL, "calendar-color").as_deref(),
        Some("#FF0000FF")
    );
    assert_eq!(
        prop_text(&m, NS_APPLE_ICAL, "calendar-order").as_deref(),
        Some("7")
    );
    assert!(m.ok_prop("urn:x", "mine").is_some());
    // Not the owner's, nor another sharee's.
    let m = props_at(&s, &alice, &cal, &props);
    assert_eq!(
        prop_text(&m, NS_DAV, "displayname").as_deref(),
        Some("Personal")
    );
    assert!(m.ok_prop(NS_APPLE_ICAL, "calendar-color").is_none());
    assert!(m.ok_prop("urn:x", "mine").is_none());
    let m = props_at(&s, &carol, &shared_path(&s, &carol), &props);
    assert_ne!(
        prop_text(&m, NS_DAV, "displayname").as_deref(),
        Some("Alice's plans")
    );
    assert!(m.ok_prop(NS_APPLE_ICAL, "calendar-color").is_none());
    // The owner renaming its calendar does not undo the sharee's name.
    let r = proppatch_req(
        &s,
        &alice,
        &cal,
        &proppatch_body(NS_DAV, "displayname", "Work"),
    );
    assert_eq!(proppatch_status(&r), 200);
    let m = props_at(&s, &bob, &bob_cal, &props);
    assert_eq!(
        prop_text(&m, NS_DAV, "displayname").as_deref(),
        Some("Alice's plans")
    );
}

#[test]
fn changes_by_a_read_write_sharee_reach_the_owner_and_other_sharees() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read-write");
    share_with(&s, &cal, &carol.login, "read");
    let (bob_cal, carol_cal) = (shared_path(&s, &bob), shared_path(&s, &carol));
    let ctag = |u: &User, path: &str| {
        prop_text(&props_at(&s, u, path, &[(CS, "getctag")]), CS, "getctag").expect("getctag")
    };
    let sync = |u: &User, path: &str, token: &str| {
        let r = report_req(&s, u, path, None, &sync_body(token));
        assert_eq!(r.status, 207, "{}", r.text());
        r
    };
    let owner_token = token_of(&sync(&alice, &cal, ""));
    let carol_token = token_of(&sync(&carol, &carol_cal, ""));
    let owner_ctag = ctag(&alice, &cal);
    assert_eq!(ctag(&bob, &bob_cal), owner_ctag, "one collection, one ctag");

    put_created(
        &s,
        &bob,
        &format!("{bob_cal}by-bob.ics"),
        event("bb", "From Bob").as_bytes(),
    );
    let r = put_req(
        &s,
        &bob,
        &format!("{bob_cal}e1.ics"),
        event("e1", "Moved").as_bytes(),
    );
    assert_eq!(r.status, 204);

    assert_ne!(ctag(&alice, &cal), owner_ctag);
    assert_eq!(ctag(&alice, &cal), ctag(&carol, &carol_cal));
    let r = sync(&alice, &cal, &owner_token);
    let mut changed = hrefs_with(&r, 200);
    changed.sort();
    assert_eq!(
        changed,
        vec![format!("{cal}by-bob.ics"), format!("{cal}e1.ics")]
    );
    let r = sync(&carol, &carol_cal, &carol_token);
    let mut changed = hrefs_with(&r, 200);
    changed.sort();
    assert_eq!(
        changed,
        vec![
            format!("{carol_cal}by-bob.ics"),
            format!("{carol_cal}e1.ics")
        ],
        "each sees the change under its own URL"
    );
    assert_eq!(
        get_req(&s, &alice, &format!("{cal}e1.ics")).body,
        event("e1", "Moved").as_bytes()
    );
    // A deletion by the sharee is a 404 in the owner's next sync.
    let token = token_of(&sync(&alice, &cal, ""));
    assert_eq!(
        delete_req(&s, &bob, &format!("{bob_cal}by-bob.ics")).status,
        204
    );
    assert_eq!(
        hrefs_with(&sync(&alice, &cal, &token), 404),
        vec![format!("{cal}by-bob.ics")]
    );
}

#[test]
fn deleting_the_shared_calendar_removes_it_for_the_sharee_only() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read-write");
    share_with(&s, &cal, &carol.login, "read");
    let bob_cal = shared_path(&s, &bob);
    let before = collection_state(&s, &alice, &cal);
    assert_eq!(delete_req(&s, &bob, &bob_cal).status, 204);
    assert_eq!(listed(&s, &bob, &cal_home(&bob)), vec![calendar_url(&bob)]);
    assert_eq!(
        bare_propfind(&s, &bob, &bob_cal, "0", b"").status,
        404,
        "gone from bob's home"
    );
    assert_eq!(
        collection_state(&s, &alice, &cal),
        before,
        "the owner's data stays"
    );
    assert_eq!(shared_paths(&s, &carol).len(), 1, "carol keeps it");
    let list = s.cli_json(&["share", "list", &cal], None);
    let bob_share = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["with"] == bob.login.as_str())
        .unwrap()
        .clone();
    assert_eq!(bob_share["declined"], true);
    // A new share brings it back.
    unshare(&s, &cal, &bob.login);
    share_with(&s, &cal, &bob.login, "read-write");
    assert_eq!(shared_paths(&s, &bob), vec![bob_cal]);
}

#[test]
fn unsharing_removes_it_from_the_sharees_home_and_its_next_sync_fails() {
    let (s, alice, bob, _) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    let bob_cal = shared_path(&s, &bob);
    let r = report_req(&s, &bob, &bob_cal, None, &sync_body(""));
    let token = token_of(&r);
    unshare(&s, &cal, &bob.login);
    assert_eq!(listed(&s, &bob, &cal_home(&bob)), vec![calendar_url(&bob)]);
    assert!(shared_paths(&s, &bob).is_empty());
    let r = report_req(&s, &bob, &bob_cal, None, &sync_body(&token));
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(!r.text().contains("Planning"));
    assert_eq!(get_req(&s, &bob, &format!("{bob_cal}e1.ics")).status, 404);
    // Removing it again says so.
    let err = s.cli_err(&["share", "remove", &cal, "--with", &bob.login], None);
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn a_team_share_follows_the_team() {
    let (s, alice, bob, carol) = acme();
    let dave = s.new_user_in("dave", "acme");
    team_of(&s, "acme", "crew", &[&bob]);
    let cal = calendar_url(&alice);
    share_with(&s, &cal, "team:crew", "read-write");
    assert_eq!(shared_paths(&s, &bob).len(), 1);
    assert!(shared_paths(&s, &carol).is_empty());
    // Joining later gets it; leaving loses it.
    s.cli_ok(&["team", "add", "acme", "crew", &carol.login], None);
    let carol_cal = shared_path(&s, &carol);
    put_created(
        &s,
        &carol,
        &format!("{carol_cal}c.ics"),
        event("c", "Carol").as_bytes(),
    );
    s.cli_ok(&["team", "remove", "acme", "crew", &carol.login], None);
    assert!(shared_paths(&s, &carol).is_empty());
    assert_eq!(bare_propfind(&s, &carol, &carol_cal, "0", b"").status, 404);
    assert!(shared_paths(&s, &dave).is_empty());
    // A member also shared with directly keeps the stronger of both.
    share_with(&s, &cal, &bob.login, "read");
    let m = props_at(
        &s,
        &bob,
        &shared_path(&s, &bob),
        &[(NS_DAV, "current-user-privilege-set")],
    );
    assert!(privileges(&m).contains(&"write-content".to_owned()));
    // Removing the team share leaves bob his own read share.
    unshare(&s, &cal, "team:crew");
    let m = props_at(
        &s,
        &bob,
        &shared_path(&s, &bob),
        &[(NS_DAV, "current-user-privilege-set")],
    );
    assert!(!privileges(&m).contains(&"write-content".to_owned()));
}

#[test]
fn an_address_book_is_shared_like_a_calendar() {
    let (s, alice, bob, _) = acme();
    let book = addressbook_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{book}c.vcf"),
        vcard("c1", "Carl").as_bytes(),
    );
    share_with(&s, &book, &bob.login, "read");
    let bob_book = shared_path(&s, &bob);
    assert!(bob_book.starts_with(&card_home(&bob)));
    assert!(listed(&s, &bob, &card_home(&bob)).contains(&bob_book));
    assert!(!listed(&s, &bob, &cal_home(&bob)).contains(&bob_book));
    let g = get_req(&s, &bob, &format!("{bob_book}c.vcf"));
    assert_eq!(g.body, vcard("c1", "Carl").as_bytes());
    assert_dav_error(
        &put_req(
            &s,
            &bob,
            &format!("{bob_book}d.vcf"),
            vcard("d", "D").as_bytes(),
        ),
        403,
        NS_DAV,
        "need-privileges",
    );
    // No calendar sharing modes on an address book, and a calendar URL does not reach it.
    let m = props_at(&s, &alice, &book, &[(CS, "allowed-sharing-modes")]);
    assert!(m.ok_prop(CS, "allowed-sharing-modes").is_none());
    let as_calendar = bob_book.replace("/addressbooks/", "/calendars/");
    assert_eq!(bare_propfind(&s, &bob, &as_calendar, "0", b"").status, 404);
}

#[test]
fn free_busy_of_a_shared_calendar_follows_the_share() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    let bob_cal = shared_path(&s, &bob);
    let r = report_req(&s, &bob, &bob_cal, Some("1"), &free_busy_body());
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("FREEBUSY") && r.text().contains("20240102T100000Z"),
        "{}",
        r.text()
    );
    // Not to anyone else, not on the owner's URL, and not as the sharee's own busy time.
    assert_dav_error(
        &report_req(&s, &carol, &cal, Some("1"), &free_busy_body()),
        403,
        NS_DAV,
        "need-privileges",
    );
    assert_dav_error(
        &report_req(&s, &bob, &cal, Some("1"), &free_busy_body()),
        403,
        NS_DAV,
        "need-privileges",
    );
    let own = get_req(
        &s,
        &bob,
        &format!(
            "{}?freebusy&start=20240101T000000Z&end=20250101T000000Z",
            cal_home(&bob)
        ),
    );
    assert_eq!(own.status, 200);
    assert!(!own.text().contains("20240102T100000Z"), "{}", own.text());
    let alices = get_req(&s, &bob, &format!("{}?freebusy", cal_home(&alice)));
    assert_dav_error(&alices, 403, NS_DAV, "need-privileges");
    unshare(&s, &cal, &bob.login);
    assert_eq!(
        report_req(&s, &bob, &bob_cal, Some("1"), &free_busy_body()).status,
        404
    );
}

#[test]
fn a_shared_calendar_is_unavailable_while_its_owner_has_no_calendar_access() {
    let (s, alice, bob, _) = acme();
    let admin = s.new_user_in("boss", "boss-org");
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    let bob_cal = shared_path(&s, &bob);
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &alice.login,
            "--calendar",
            "off",
        ],
        None,
    );
    let r = bare_propfind(&s, &bob, &bob_cal, "0", b"");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    assert!(r.text().contains("owner"), "{}", r.text());
    assert_eq!(listed(&s, &bob, &cal_home(&bob)), vec![calendar_url(&bob)]);
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &alice.login,
            "--calendar",
            "on",
        ],
        None,
    );
    assert_eq!(bare_propfind(&s, &bob, &bob_cal, "0", b"").status, 207);
    // Sharing stops at the organisation: someone outside it cannot be a sharee.
    let err = s.cli_err(&["share", "add", &cal, "--with", &admin.login], None);
    assert!(err.contains("not found"), "{err}");
}

fn post_xml(s: &Server, u: &User, path: &str, body: &str) -> Resp {
    s.request(
        "POST",
        path,
        Some(u),
        &[("Content-Type", "application/xml; charset=utf-8")],
        body.as_bytes(),
    )
}

#[test]
fn apple_shares_with_the_calendarserver_post_and_replies_to_invites() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    let options = s.request("OPTIONS", &cal, None, &[], b"");
    assert!(
        options
            .header_values("dav")
            .contains(&"calendarserver-sharing")
    );
    assert!(options.header_values("allow").contains(&"POST"));

    // Apple Calendar names sharees by mailto: address; a principal URL works too.
    let share = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
  <CS:set><D:href>mailto:{}@EXAMPLE.com</D:href><CS:summary>Planning</CS:summary><CS:read-write/></CS:set>
  <CS:set><D:href>{}</D:href><CS:read/></CS:set>
</CS:share>"#,
        bob.login,
        principal_url(&carol)
    );
    let r = post_xml(&s, &alice, &cal, &share);
    assert_eq!(r.status, 200, "{}", r.text());
    let bob_cal = shared_path(&s, &bob);
    let m = props_at(
        &s,
        &bob,
        &bob_cal,
        &[(NS_DAV, "current-user-privilege-set")],
    );
    assert!(privileges(&m).contains(&"write-content".to_owned()));
    assert_eq!(shared_paths(&s, &carol).len(), 1);

    // All or nothing: an unknown sharee refuses the request and changes nothing.
    let bad = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>mailto:{}@example.com</D:href></CS:remove><CS:set><D:href>mailto:nobody@example.com</D:href><CS:read/></CS:set></CS:share>"#,
        bob.login
    );
    assert_refused(
        &post_xml(&s, &alice, &cal, &bad),
        403,
        NS_DAVSUITE,
        "valid-sharee",
    );
    assert_eq!(shared_paths(&s, &bob).len(), 1);
    // Sharing is the owner's.
    assert_dav_error(
        &post_xml(&s, &bob, &bob_cal, &share),
        403,
        NS_DAV,
        "need-privileges",
    );
    assert_dav_error(
        &post_xml(&s, &bob, &cal, &share),
        403,
        NS_DAV,
        "need-privileges",
    );

    // The sharee declines (it leaves its home), then accepts (it comes back).
    let reply = |status: &str, host: &str| invite_reply(&alice, status, host);
    let r = post_xml(&s, &bob, &cal_home(&bob), &reply("invite-declined", &cal));
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(shared_paths(&s, &bob).is_empty());
    let m = props_at(&s, &alice, &cal, &[(CS, "invite")]);
    assert!(
        invitees(&m)
            .iter()
            .any(|(h, _, accepted)| h.contains(&bob.login) && !accepted)
    );
    let r = post_xml(&s, &bob, &cal_home(&bob), &reply("invite-accepted", &cal));
    assert_eq!(r.status, 200, "{}", r.text());
    let shared_as = parse_xml(&r);
    assert!(shared_as.is(CS, "shared-as"));
    assert_eq!(
        shared_as.child(NS_DAV, "href").map(|h| h.text()),
        Some(bob_cal.clone())
    );
    assert_eq!(shared_paths(&s, &bob), vec![bob_cal.clone()]);
    // No invitation, no reply.
    let dave = s.new_user_in("dave", "acme");
    let r = post_xml(&s, &dave, &cal_home(&dave), &reply("invite-accepted", &cal));
    assert_eq!(r.status, 404);

    // Removal by CS:remove, and the draft's DAV:share-resource.
    let remove = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>mailto:{}@example.com</D:href></CS:remove></CS:share>"#,
        bob.login
    );
    assert_eq!(post_xml(&s, &alice, &cal, &remove).status, 200);
    assert!(shared_paths(&s, &bob).is_empty());
    let resource = format!(
        r#"<D:share-resource xmlns:D="DAV:"><D:sharee><D:href>{}</D:href><D:share-access><D:read/></D:share-access></D:sharee><D:sharee><D:href>{}</D:href><D:share-access><D:no-access/></D:share-access></D:sharee></D:share-resource>"#,
        principal_url(&dave),
        principal_url(&carol)
    );
    assert_eq!(post_xml(&s, &alice, &cal, &resource).status, 200);
    assert_eq!(shared_paths(&s, &dave).len(), 1);
    assert!(shared_paths(&s, &carol).is_empty());
    // A POST that is no sharing request.
    assert_refused(
        &post_xml(&s, &alice, &cal, "<D:propfind xmlns:D=\"DAV:\"/>"),
        400,
        NS_DAVSUITE,
        "invalid-request",
    );
    assert_eq!(
        post_xml(&s, &alice, &format!("{cal}e1.ics"), &remove).status,
        405
    );
}

#[test]
fn the_share_cli_adds_changes_lists_and_removes() {
    let (s, alice, bob, _) = acme();
    let outsider = s.new_user("out");
    team_of(&s, "acme", "crew", &[&bob]);
    let cal = calendar_url(&alice);
    let out = s.cli_ok(
        &[
            "share", "add", &cal, "--with", &bob.login, "--access", "read",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("shared") && text.contains(&bob.login),
        "{text}"
    );
    // Adding again changes the access: still one share.
    let v = s.cli_json(
        &[
            "share",
            "add",
            &cal,
            "--with",
            &bob.login,
            "--access",
            "read-write",
        ],
        None,
    );
    assert_eq!(v["access"], "read-write");
    assert_eq!(v["collection"], cal.as_str());
    s.cli_ok(
        &[
            "share",
            "add",
            &addressbook_url(&alice),
            "--with",
            "team:crew",
        ],
        None,
    );
    let all = s.cli_json(&["share", "list"], None);
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let one = s.cli_json(&["share", "list", &cal], None);
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["with"], bob.login.as_str());
    assert_eq!(one[0]["kind"], "calendar");
    let text = String::from_utf8_lossy(&s.cli_ok(&["share", "list"], None).stdout).into_owned();
    assert!(
        text.contains("team:acme/crew") && text.contains(&cal),
        "{text}"
    );
    s.cli_ok(&["share", "remove", &cal, "--with", &bob.login], None);
    assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));

    for (args, needle) in [
        (
            vec!["share", "add", &cal, "--with", outsider.login.as_str()],
            "not found",
        ),
        (
            vec!["share", "add", &cal, "--with", alice.login.as_str()],
            "owns",
        ),
        (
            vec!["share", "add", &cal, "--with", "team:nope"],
            "team nope",
        ),
        (
            vec![
                "share", "add", &cal, "--with", &bob.login, "--access", "write",
            ],
            "unknown access",
        ),
        (
            vec!["share", "add", "/dav/calendars/x/", "--with", &bob.login],
            "not the path",
        ),
        (
            vec![
                "share",
                "add",
                "/dav/calendars/nobody/cal/",
                "--with",
                &bob.login,
            ],
            "not found",
        ),
    ] {
        let err = s.cli_err(&args, None);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let directory = format!("/dav/addressbooks/{}/.directory-1/", alice.login);
    let err = s.cli_err(&["share", "add", &directory, "--with", &bob.login], None);
    assert!(err.contains("can never be shared"), "{err}");
}

#[test]
fn the_share_api_is_for_the_owner() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    let body = json!({"collection": cal, "with": bob.login, "access": "read"});
    let r = api(
        &s,
        Some(&alice),
        "POST",
        "/api/v1/shares",
        Some(body.clone()),
    );
    assert_eq!(r.status(), 201, "{}", r.resp.text());
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(
        r.resp.header("location").map(str::to_owned),
        Some(format!("/api/v1/shares/{id}"))
    );
    let again = api_ok(
        &s,
        &alice,
        "POST",
        "/api/v1/shares",
        Some(json!({"collection": cal, "with": bob.login, "access": "read-write"})),
        200,
    );
    assert_eq!(
        (again["id"].as_i64(), &again["access"]),
        (Some(id), &json!("read-write"))
    );
    let list = api_ok(&s, &alice, "GET", "/api/v1/shares", None, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let path = format!("/api/v1/shares/{id}");
    let patched = api_ok(
        &s,
        &alice,
        "PATCH",
        &path,
        Some(json!({"access": "read"})),
        200,
    );
    assert_eq!(patched["access"], "read");
    let mine = api_ok(&s, &bob, "GET", "/api/v1/shared-with-me", None, 200);
    assert_eq!(mine[0]["owner"], alice.login.as_str());
    assert_eq!(mine[0]["access"], "read");
    assert_eq!(mine[0]["kind"], "calendar");

    // Not the sharee's nor anyone else's to see or change.
    for u in [&bob, &carol] {
        assert_api_error(&api(&s, Some(u), "GET", &path, None), 404, "not-found");
        assert_api_error(
            &api(
                &s,
                Some(u),
                "PATCH",
                &path,
                Some(json!({"access": "read-write"})),
            ),
            404,
            "not-found",
        );
        assert_api_error(&api(&s, Some(u), "DELETE", &path, None), 404, "not-found");
        assert_api_error(
            &api(&s, Some(u), "POST", "/api/v1/shares", Some(body.clone())),
            404,
            "not-found",
        );
        assert_eq!(api_ok(&s, u, "GET", "/api/v1/shares", None, 200), json!([]));
    }
    assert_api_error(
        &api(
            &s,
            Some(&alice),
            "POST",
            "/api/v1/shares",
            Some(json!({"collection": "x", "with": bob.login})),
        ),
        422,
        "invalid-path",
    );
    assert_api_error(
        &api(
            &s,
            Some(&alice),
            "POST",
            "/api/v1/shares",
            Some(json!({"collection": cal, "with": alice.login})),
        ),
        422,
        "self-share",
    );
    assert_api_error(
        &api(
            &s,
            Some(&alice),
            "POST",
            "/api/v1/shares",
            Some(json!({"collection": cal, "with": bob.login, "acces": "read"})),
        ),
        400,
        "bad-request",
    );
    assert_api_error(
        &api(&s, None, "GET", "/api/v1/shares", None),
        401,
        "unauthorized",
    );
    let r = api(&s, Some(&alice), "PUT", &path, None);
    assert_api_error(&r, 405, "method-not-allowed");
    assert_eq!(r.resp.header("allow"), Some("GET, HEAD, PATCH, DELETE"));
    assert_eq!(api(&s, Some(&alice), "DELETE", &path, None).status(), 204);
    assert_eq!(
        api_ok(&s, &bob, "GET", "/api/v1/shared-with-me", None, 200),
        json!([])
    );
}

#[test]
fn a_sharees_writes_count_against_the_owners_plan() {
    let s = Server::start_with_config(Some(&every_plan("quota_bytes = 3000")));
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}a.ics"),
        big_event("a", 1500).as_bytes(),
    );
    share_with(&s, &cal, &bob.login, "read-write");
    let mount = shared_path(&s, &bob);
    // bob's own storage is empty, alice's is not: the share writes into alice's.
    let r = put_req(
        &s,
        &bob,
        &format!("{mount}b.ics"),
        big_event("b", 2000).as_bytes(),
    );
    assert_dav_error(&r, 507, NS_DAV, "quota-not-exceeded");
    put_created(
        &s,
        &bob,
        &format!("{}b.ics", calendar_url(&bob)),
        big_event("b", 2000).as_bytes(),
    );
    put_created(
        &s,
        &bob,
        &format!("{mount}c.ics"),
        event("c", "Small").as_bytes(),
    );
}

/// Regression: collection ids were reused, so after alice deleted her shared calendar, the
/// next calendar created (carol's) took its id: bob's old sync token was accepted on it (a
/// delta instead of 403 `DAV:valid-sync-token`) and it came back under the same name in his
/// home.
#[test]
fn a_deleted_shared_calendars_sync_token_is_refused_on_later_calendars() {
    let (s, alice, bob, carol) = acme();
    let project = format!("{}project/", cal_home(&alice));
    assert_eq!(mkcalendar(&s, &alice, &project, "").status, 201);
    put_created(
        &s,
        &alice,
        &format!("{project}p.ics"),
        event("p", "Plan").as_bytes(),
    );
    share_with(&s, &project, &bob.login, "read");
    let old_mount = shared_path(&s, &bob);
    let token = token_of(&report_req(&s, &bob, &old_mount, None, &sync_body("")));
    assert_eq!(delete_req(&s, &alice, &project).status, 204);

    let fresh = format!("{}fresh/", cal_home(&carol));
    assert_eq!(mkcalendar(&s, &carol, &fresh, "").status, 201);
    put_created(
        &s,
        &carol,
        &format!("{fresh}c.ics"),
        event("c", "Carol's").as_bytes(),
    );
    share_with(&s, &fresh, &bob.login, "read");
    let new_mount = shared_path(&s, &bob);
    assert_ne!(new_mount, old_mount, "a new place in bob's home");
    assert_eq!(bare_propfind(&s, &bob, &old_mount, "0", b"").status, 404);
    let r = report_req(&s, &bob, &new_mount, None, &sync_body(&token));
    assert_dav_error(&r, 403, NS_DAV, "valid-sync-token");
    // Nor on carol's own URL.
    let r = report_req(&s, &carol, &fresh, None, &sync_body(&token));
    assert_dav_error(&r, 403, NS_DAV, "valid-sync-token");
}

/// Regression: `.shared-ID` accepted any spelling of the number, so one shared collection had
/// many URLs in a home.
#[test]
fn a_shared_collection_has_one_url_in_the_sharees_home() {
    let (s, alice, bob, _) = acme();
    share_with(&s, &calendar_url(&alice), &bob.login, "read");
    let mount = shared_path(&s, &bob);
    assert_eq!(bare_propfind(&s, &bob, &mount, "0", b"").status, 207);
    let id = mount
        .trim_end_matches('/')
        .rsplit("-")
        .next()
        .expect("id")
        .to_owned();
    for spelling in [format!("0{id}"), format!("+{id}"), format!("00{id}")] {
        let other = mount.replace(&format!("-{id}/"), &format!("-{spelling}/"));
        assert_ne!(other, mount);
        assert_eq!(
            bare_propfind(&s, &bob, &other, "0", b"").status,
            404,
            "{other}"
        );
        let r = get_req(&s, &bob, &format!("{other}e1.ics"));
        assert_eq!(r.status, 404, "{other}");
    }
}

/// A CS:invite-reply to `owner`'s invitation to the collection at `host`.
fn invite_reply(owner: &User, status: &str, host: &str) -> String {
    format!(
        r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:href>mailto:{}@example.com</D:href><CS:{status}/><CS:hosturl><D:href>{host}</D:href></CS:hosturl><CS:in-reply-to>x</CS:in-reply-to></CS:invite-reply>"#,
        owner.login
    )
}

/// Regression: an invite-reply on the calendar home naming `.shared-ID` of an address book
/// declined the address book (or accepted it, answering a calendar URL that did not exist).
#[test]
fn an_invite_reply_answers_only_collections_of_its_homes_kind() {
    let (s, alice, bob, _) = acme();
    share_with(&s, &addressbook_url(&alice), &bob.login, "read");
    let book = shared_path(&s, &bob);
    let as_calendar = book.replace("/addressbooks/", "/calendars/");
    for status in ["invite-declined", "invite-accepted"] {
        let r = post_xml(
            &s,
            &bob,
            &cal_home(&bob),
            &invite_reply(&alice, status, &as_calendar),
        );
        assert_eq!(r.status, 404, "{status}: {}", r.text());
        assert_eq!(shared_paths(&s, &bob), vec![book.clone()], "{status}");
    }
    // Through the address book home, it is answered.
    let r = post_xml(
        &s,
        &bob,
        &card_home(&bob),
        &invite_reply(&alice, "invite-declined", &book),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(shared_paths(&s, &bob).is_empty());
}

/// Regression: an owner changing the access of a share (CLI, API, CS:share) brought back a
/// collection the sharee had declined.
#[test]
fn changing_the_access_keeps_a_sharees_decline() {
    let (s, alice, bob, _) = acme();
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    let mount = shared_path(&s, &bob);
    let r = post_xml(
        &s,
        &bob,
        &cal_home(&bob),
        &invite_reply(&alice, "invite-declined", &mount),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    share_with(&s, &cal, &bob.login, "read-write");
    let id = s.cli_json(&["share", "list", &cal], None)[0]["id"]
        .as_i64()
        .expect("id");
    api_ok(
        &s,
        &alice,
        "PATCH",
        &format!("/api/v1/shares/{id}"),
        Some(json!({"access": "read"})),
        200,
    );
    let cs_set = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:set><D:href>{}</D:href><CS:read-write/></CS:set></CS:share>"#,
        principal_url(&bob)
    );
    assert_eq!(post_xml(&s, &alice, &cal, &cs_set).status, 200);
    assert!(shared_paths(&s, &bob).is_empty(), "still declined");
    assert_eq!(listed(&s, &bob, &cal_home(&bob)), vec![calendar_url(&bob)]);
    let share = &s.cli_json(&["share", "list", &cal], None)[0];
    assert_eq!(share["declined"], true);
    assert_eq!(share["access"], "read-write");
    // Shared anew, it is back.
    unshare(&s, &cal, &bob.login);
    share_with(&s, &cal, &bob.login, "read");
    assert_eq!(shared_paths(&s, &bob), vec![mount]);
}

/// Regression: a team name two of the owner's organisations have resolved to the first one
/// (join order) without a word, and listings named teams without their organisation.
#[test]
fn a_team_name_several_organisations_have_must_name_its_organisation() {
    let (s, alice, bob, carol) = acme();
    let bea = s.new_user_in("bea", "beta");
    for u in [&alice, &carol] {
        s.cli_ok(&["member", "add", "beta", &u.login], None);
    }
    team_of(&s, "acme", "crew", &[&bob]);
    team_of(&s, "beta", "crew", &[&carol]);
    let cal = calendar_url(&alice);

    // CLI
    let err = s.cli_err(&["share", "add", &cal, "--with", "team:crew"], None);
    assert!(
        err.contains("ambiguous") && err.contains("acme") && err.contains("beta"),
        "{err}"
    );
    assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));
    share_with(&s, &cal, "team:beta/crew", "read");
    let listed = s.cli_json(&["share", "list", &cal], None);
    assert_eq!(listed[0]["with"], "team:beta/crew", "{listed}");
    assert_eq!(listed[0]["org"], "beta");
    assert!(shared_paths(&s, &bob).is_empty());
    assert_eq!(shared_paths(&s, &carol).len(), 1);
    let text =
        String::from_utf8_lossy(&s.cli_ok(&["share", "list", &cal], None).stdout).into_owned();
    assert!(text.contains("team:beta/crew"), "{text}");

    // API
    let r = api(
        &s,
        Some(&alice),
        "POST",
        "/api/v1/shares",
        Some(json!({"collection": cal, "with": "team:crew", "access": "read"})),
    );
    assert_api_error(&r, 422, "ambiguous-team");
    assert!(
        r.json["message"].as_str().unwrap().contains("beta"),
        "{}",
        r.json
    );
    let made = api_ok(
        &s,
        &alice,
        "POST",
        "/api/v1/shares",
        Some(json!({"collection": cal, "with": "team:acme/crew", "access": "read"})),
        201,
    );
    assert_eq!(
        (&made["with"], &made["org"]),
        (&json!("team:acme/crew"), &json!("acme"))
    );
    assert_eq!(shared_paths(&s, &bob).len(), 1);

    // Removing by the bare name is ambiguous too, now that both are shared.
    let err = s.cli_err(&["share", "remove", &cal, "--with", "team:crew"], None);
    assert!(err.contains("ambiguous"), "{err}");
    assert_eq!(
        s.cli_json(&["share", "list", &cal], None)
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // DAV: urn:davsuite:team:NAME is refused with the organisations, ORG/NAME is taken.
    let remove = |spec: &str| {
        format!(
            r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>urn:davsuite:team:{spec}</D:href></CS:remove></CS:share>"#
        )
    };
    let r = post_xml(&s, &alice, &cal, &remove("crew"));
    assert_refused(&r, 403, NS_DAVSUITE, "valid-sharee");
    assert!(
        r.text().contains("acme") && r.text().contains("beta"),
        "{}",
        r.text()
    );
    assert_eq!(
        s.cli_json(&["share", "list", &cal], None)
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(post_xml(&s, &alice, &cal, &remove("acme/crew")).status, 200);
    assert!(shared_paths(&s, &bob).is_empty());
    assert_eq!(shared_paths(&s, &carol).len(), 1);
    // A name only one organisation has needs no organisation.
    team_of(&s, "beta", "solo", &[&bea]);
    share_with(&s, &cal, "team:solo", "read");
    assert_eq!(shared_paths(&s, &bea).len(), 1);
}

/// The `CS:user` hrefs of the owner's `CS:invite` of `cal`.
fn invite_hrefs(s: &Server, owner: &User, cal: &str) -> Vec<String> {
    let mut hrefs: Vec<String> = invitees(&props_at(s, owner, cal, &[(CS, "invite")]))
        .into_iter()
        .map(|(href, _, _)| href)
        .collect();
    hrefs.sort();
    hrefs
}

/// Regression: removing a sharee who has the collection through a team answered 200 and
/// changed nothing, and CS:invite listed the team's members as if each had a share. Now
/// CS:invite lists the shares (teams as teams), and removing a person reached only through a
/// team is refused, naming the team.
#[test]
fn a_person_reached_through_a_team_is_not_removed_in_its_place() {
    let (s, alice, bob, _) = acme();
    team_of(&s, "acme", "crew", &[&bob]);
    let cal = calendar_url(&alice);
    share_with(&s, &cal, "team:crew", "read-write");
    let team_href = "urn:davsuite:team:acme/crew".to_owned();
    assert_eq!(invite_hrefs(&s, &alice, &cal), vec![team_href.clone()]);
    let m = props_at(&s, &alice, &cal, &[(CS, "invite")]);
    let invite = m.ok_prop(CS, "invite").expect("invite");
    let team = invite
        .elements()
        .find(|u| u.is(CS, "user"))
        .expect("the team");
    assert_eq!(
        team.child(CS, "common-name").map(|n| n.text()),
        Some("crew (acme)".to_owned())
    );

    let remove_bob = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>mailto:{}@example.com</D:href></CS:remove></CS:share>"#,
        bob.login
    );
    let before = s.cli_json(&["share", "list", &cal], None);
    let r = post_xml(&s, &alice, &cal, &remove_bob);
    assert_refused(&r, 403, NS_DAVSUITE, "valid-sharee");
    assert!(r.text().contains("team:acme/crew"), "{}", r.text());
    assert_eq!(s.cli_json(&["share", "list", &cal], None), before);
    assert_eq!(shared_paths(&s, &bob).len(), 1);
    let err = s.cli_err(&["share", "remove", &cal, "--with", &bob.login], None);
    assert!(err.contains("team:acme/crew"), "{err}");

    // A share of bob's own is listed and removed on its own; the team's stays.
    share_with(&s, &cal, &bob.login, "read");
    let bob_href = format!("mailto:{}@example.com", bob.login);
    assert_eq!(
        invite_hrefs(&s, &alice, &cal),
        vec![bob_href, team_href.clone()]
    );
    assert_eq!(post_xml(&s, &alice, &cal, &remove_bob).status, 200);
    assert_eq!(invite_hrefs(&s, &alice, &cal), vec![team_href.clone()]);
    assert_eq!(shared_paths(&s, &bob).len(), 1, "still through crew");
    // Removing the team is what takes it away.
    let remove_team = format!(
        r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:remove><D:href>{team_href}</D:href></CS:remove></CS:share>"#
    );
    assert_eq!(post_xml(&s, &alice, &cal, &remove_team).status, 200);
    assert!(shared_paths(&s, &bob).is_empty());
    let m = props_at(
        &s,
        &alice,
        &cal,
        &[(NS_DAV, "resourcetype"), (CS, "invite")],
    );
    assert!(m.ok_prop(CS, "invite").is_none() && !has_type(&m, CS, "shared-owner"));
}

/// Regression: a CS:share of 20,000 entries took seconds, wrote one transaction per entry and
/// was not all or nothing. Requests are capped, duplicates collapse, and the changes are
/// written together.
#[test]
fn sharing_requests_are_capped_deduplicated_and_written_together() {
    let (s, alice, bob, carol) = acme();
    let cal = calendar_url(&alice);
    let cs_share = |entries: &str| {
        format!(
            r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">{entries}</CS:share>"#
        )
    };
    let set = |href: &str, access: &str| {
        format!("<CS:set><D:href>{href}</D:href><CS:{access}/></CS:set>")
    };
    let bob_mail = format!("mailto:{}@example.com", bob.login);
    for n in [101, 20_000] {
        let body = cs_share(&set(&bob_mail, "read").repeat(n));
        let started = std::time::Instant::now();
        let r = post_xml(&s, &alice, &cal, &body);
        assert_refused(&r, 403, NS_DAVSUITE, "share-changes-within-limits");
        assert!(r.text().contains("at most 100"), "{}", r.text());
        assert!(
            started.elapsed().as_secs() < 5,
            "{n}: {:?}",
            started.elapsed()
        );
        assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));
    }
    // 100 entries naming bob both ways and carol: one share each, the last access wins.
    let mut entries = String::new();
    for i in 0..49 {
        let access = if i % 2 == 0 { "read" } else { "read-write" };
        entries.push_str(&set(&bob_mail, access));
        entries.push_str(&set(&principal_url(&bob), access));
    }
    entries.push_str(&set(&principal_url(&carol), "read"));
    entries.push_str(&set(&bob_mail, "read"));
    let r = post_xml(&s, &alice, &cal, &cs_share(&entries));
    assert_eq!(r.status, 200, "{}", r.text());
    let shares = s.cli_json(&["share", "list", &cal], None);
    let mut got: Vec<(String, String)> = shares
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["with"].as_str().unwrap().to_owned(),
                v["access"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        (bob.login.clone(), "read".to_owned()),
        (carol.login.clone(), "read".to_owned()),
    ];
    want.sort();
    assert_eq!(got, want);
    // Setting and removing the same person: the last one wins.
    let body = cs_share(&format!(
        "{}<CS:remove><D:href>{bob_mail}</D:href></CS:remove>",
        set(&bob_mail, "read-write")
    ));
    assert_eq!(post_xml(&s, &alice, &cal, &body).status, 200);
    assert!(shared_paths(&s, &bob).is_empty());
}

/// Regression: when the owner left the organisation a share was made in, the share was only
/// suspended: `share list` and `GET /shares` still showed it, the owner's calendar kept
/// `CS:shared-owner` with an empty `CS:invite`, and it came back when the owner rejoined. A
/// share lasts while both stay: it ends when either leaves.
#[test]
fn a_share_ends_when_its_owner_leaves_the_organisation() {
    let (s, alice, bob, carol) = acme();
    s.new_user_in("bea", "beta");
    s.cli_ok(&["member", "add", "beta", &alice.login], None);
    s.cli_ok(
        &["member", "set-role", "acme", &bob.login, "legal-owner"],
        None,
    );
    team_of(&s, "acme", "crew", &[&carol]);
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read");
    share_with(&s, &cal, "team:crew", "read");
    let bob_cal = shared_path(&s, &bob);
    let token = token_of(&report_req(&s, &bob, &bob_cal, None, &sync_body("")));

    let r = api(
        &s,
        Some(&alice),
        "POST",
        &org_path(org_id_of(&s, &alice, "acme"), "/leave"),
        None,
    );
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    for u in [&bob, &carol] {
        assert!(shared_paths(&s, u).is_empty(), "{}", u.login);
        assert_eq!(listed(&s, u, &cal_home(u)), vec![calendar_url(u)]);
    }
    assert_eq!(
        report_req(&s, &bob, &bob_cal, None, &sync_body(&token)).status,
        404
    );
    assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));
    assert_eq!(
        api_ok(&s, &alice, "GET", "/api/v1/shares", None, 200),
        json!([])
    );
    let m = props_at(
        &s,
        &alice,
        &cal,
        &[(NS_DAV, "resourcetype"), (CS, "invite")],
    );
    assert!(!has_type(&m, CS, "shared-owner"), "no share left");
    assert!(m.ok_prop(CS, "invite").is_none());

    // Coming back brings nothing back.
    s.cli_ok(&["member", "add", "acme", &alice.login], None);
    assert!(shared_paths(&s, &bob).is_empty());
    assert!(shared_paths(&s, &carol).is_empty());
    assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));
}

/// A sharee leaving the organisation loses the collection, also when it comes back, and the
/// owner's listings forget it.
#[test]
fn a_share_ends_when_its_sharee_leaves_the_organisation() {
    let (s, alice, bob, carol) = acme();
    team_of(&s, "acme", "crew", &[&carol]);
    let cal = calendar_url(&alice);
    share_with(&s, &cal, &bob.login, "read-write");
    share_with(&s, &cal, "team:crew", "read");
    let bob_cal = shared_path(&s, &bob);
    let carol_cal = shared_path(&s, &carol);
    for u in [&bob, &carol] {
        let r = api(
            &s,
            Some(u),
            "POST",
            &org_path(org_id_of(&s, u, "acme"), "/leave"),
            None,
        );
        assert_eq!(r.status(), 204, "{}", r.resp.text());
    }
    let before = collection_state(&s, &alice, &cal);
    for (u, mount) in [(&bob, &bob_cal), (&carol, &carol_cal)] {
        // Out of every organisation, it has no home at all; back in one, no share.
        s.cli_ok(&["member", "add", "acme", &u.login], None);
        assert!(shared_paths(&s, u).is_empty(), "{}", u.login);
        assert_eq!(bare_propfind(&s, u, mount, "0", b"").status, 404);
        let r = put_req(&s, u, &format!("{mount}x.ics"), event("x", "X").as_bytes());
        assert_eq!(r.status, 409, "{}", r.text());
    }
    assert_eq!(collection_state(&s, &alice, &cal), before);
    // Only the team share is left: carol left the team with the organisation.
    let shares = s.cli_json(&["share", "list", &cal], None);
    assert_eq!(shares.as_array().unwrap().len(), 1, "{shares}");
    assert_eq!(shares[0]["with"], "team:acme/crew");
    assert!(
        !invite_hrefs(&s, &alice, &cal)
            .iter()
            .any(|h| h.contains(&bob.login))
    );
}

/// Deleting a team takes the collection from its members and the share from the listings.
#[test]
fn deleting_a_team_ends_its_shares() {
    let (s, alice, bob, _) = acme();
    team_of(&s, "acme", "crew", &[&bob]);
    let cal = calendar_url(&alice);
    share_with(&s, &cal, "team:crew", "read-write");
    let bob_cal = shared_path(&s, &bob);
    let token = token_of(&report_req(&s, &bob, &bob_cal, None, &sync_body("")));
    s.cli_ok(&["team", "delete", "acme", "crew"], None);
    assert!(shared_paths(&s, &bob).is_empty());
    assert_eq!(
        report_req(&s, &bob, &bob_cal, None, &sync_body(&token)).status,
        404
    );
    assert_eq!(s.cli_json(&["share", "list", &cal], None), json!([]));
    let m = props_at(&s, &alice, &cal, &[(NS_DAV, "resourcetype")]);
    assert!(!has_type(&m, CS, "shared-owner"));
}

/// Regression: `GET /api/v1/shared-with-me` listed collections DAV does not serve: those whose
/// owner has the product off, and those of a product the caller has off.
#[test]
fn shared_with_me_lists_what_dav_serves() {
    let (s, alice, bob, _) = acme();
    share_with(&s, &calendar_url(&alice), &bob.login, "read");
    share_with(&s, &addressbook_url(&alice), &bob.login, "read");
    let kinds = |u: &User| -> Vec<String> {
        let v = api_ok(&s, u, "GET", "/api/v1/shared-with-me", None, 200);
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(kinds(&bob), vec!["calendar", "addressbook"]);
    let switch = |who: &User, product: &str, state: &str| {
        s.cli_ok(
            &["member", "set-access", "acme", &who.login, product, state],
            None,
        );
    };
    switch(&alice, "--calendar", "off");
    assert_eq!(
        kinds(&bob),
        vec!["addressbook"],
        "the owner's calendars are off"
    );
    assert_eq!(listed(&s, &bob, &cal_home(&bob)), vec![calendar_url(&bob)]);
    switch(&alice, "--calendar", "on");
    switch(&bob, "--contacts", "off");
    assert_eq!(
        kinds(&bob),
        vec!["calendar"],
        "the caller's contacts are off"
    );
}

/// Shares are dated by the server's clock (`testing.clock_file` in tests), whichever way they
/// are made, and a change of access keeps the date.
#[test]
fn shares_are_dated_by_the_servers_clock() {
    let t0 = 1_900_000_000;
    let clock = TestClock::new(t0);
    let s = Server::start_with_config(Some(&clock.config()));
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let carol = s.new_user_in("carol", "acme");
    let cal = calendar_url(&alice);
    let created = |with: &str| -> String {
        s.cli_json(&["share", "list", &cal], None)
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["with"] == with)
            .map(|v| v["created"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no share with {with}"))
    };
    share_with(&s, &cal, &bob.login, "read");
    assert_eq!(created(&bob.login), rfc3339(t0));
    clock.set(t0 + 60);
    let v = api_ok(
        &s,
        &alice,
        "POST",
        "/api/v1/shares",
        Some(json!({"collection": cal, "with": carol.login})),
        201,
    );
    assert_eq!(v["created"], rfc3339(t0 + 60).as_str());
    clock.set(t0 + 120);
    share_with(&s, &cal, &bob.login, "read-write");
    assert_eq!(created(&bob.login), rfc3339(t0), "a change keeps the date");
}
