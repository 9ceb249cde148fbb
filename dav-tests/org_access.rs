//! Product access through DAV: a member without `calendar` access gets 403 DAV:need-privileges
//! on its calendar home and everything below it (likewise `contacts` for address books); its
//! data is kept and comes back, byte for byte, when access is given back.

use crate::common::*;

/// The requests a client makes on a calendar or address book home and below; each must be
/// refused while the product is off.
fn every_kind_of_request(
    s: &Server,
    u: &User,
    home: &str,
    coll: &str,
    object: &str,
) -> Vec<(String, Resp)> {
    let new_coll = format!("{home}new/");
    let create = if home.starts_with("/dav/calendars/") {
        mkcalendar(s, u, &new_coll, "")
    } else {
        let body = r#"<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;
        mkcol(s, u, &new_coll, body)
    };
    vec![
        ("PROPFIND home".into(), bare_propfind(s, u, home, "1", b"")),
        ("PROPFIND collection".into(), bare_propfind(s, u, coll, "1", b"")),
        ("GET object".into(), get_req(s, u, object)),
        ("PUT object".into(), put_req(s, u, object, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")),
        ("DELETE object".into(), delete_req(s, u, object)),
        (
            "REPORT sync-collection".into(),
            report_req(
                s,
                u,
                coll,
                None,
                br#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#,
            ),
        ),
        ("MKCALENDAR / extended MKCOL".into(), create),
        ("DELETE collection".into(), delete_req(s, u, coll)),
    ]
}

fn set_access(s: &Server, owner: &User, org: i64, who: &User, product: &str, on: bool) {
    api_ok(
        s,
        owner,
        "PATCH",
        &org_path(org, &format!("/members/{}", who.login)),
        Some(json!({"access": {product: on}})),
        200,
    );
}

#[test]
fn without_calendar_access_the_calendar_home_is_403_and_the_data_comes_back() {
    let s = Server::start();
    let owner = s.new_user_in("owner", "acme");
    let u = s.new_user_in("member", "acme");
    let org = org_id_of(&s, &owner, "acme");
    let home = format!("/dav/calendars/{}/", u.login);
    let cal = calendar_url(&u);
    let object = format!("{cal}kept.ics");
    let body = event("kept-1", "Kept while access is off");
    let etag = put_created(&s, &u, &object, body.as_bytes())
        .header("etag")
        .map(str::to_owned);
    let card = format!("{}c.vcf", addressbook_url(&u));
    put_created(&s, &u, &card, vcard("c-1", "Carl").as_bytes());

    set_access(&s, &owner, org, &u, "calendar", false);
    for (what, r) in every_kind_of_request(&s, &u, &home, &cal, &object) {
        assert_eq!(r.status, 403, "{what}: {}", r.text());
        assert_eq!(
            error_condition(&r),
            Some((NS_DAV.to_owned(), "need-privileges".to_owned())),
            "{what}: {}",
            r.text()
        );
        let text = r.text();
        assert!(
            text.contains("calendar access is turned off") && text.contains("acme"),
            "{what}: {text}"
        );
    }
    let fb = get_req(&s, &u, &format!("{home}?freebusy"));
    assert_dav_error(&fb, 403, NS_DAV, "need-privileges");
    // Contacts are another product: still there.
    assert_eq!(get_req(&s, &u, &card).status, 200);

    set_access(&s, &owner, org, &u, "calendar", true);
    let r = get_req(&s, &u, &object);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.body, body.as_bytes(), "the data was kept as it was");
    assert_eq!(r.header("etag").map(str::to_owned), etag);
    assert_eq!(members_of(&s, &u, &cal), vec![object.clone()]);
}

fn members_of(s: &Server, u: &User, coll: &str) -> Vec<String> {
    let r = getetag_listing(s, u, coll);
    multistatus(&r)
        .into_iter()
        .map(|m| m.href)
        .filter(|h| h != coll)
        .collect()
}

#[test]
fn without_contacts_access_the_address_book_home_is_403_and_the_data_comes_back() {
    let s = Server::start();
    s.new_user_in("owner", "acme");
    let u = s.new_user_in("member", "acme");
    let home = format!("/dav/addressbooks/{}/", u.login);
    let book = addressbook_url(&u);
    let object = format!("{book}kept.vcf");
    let body = vcard("kept-2", "Kept Card");
    put_created(&s, &u, &object, body.as_bytes());

    // Through the command line this time (the operator).
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &u.login,
            "--contacts",
            "off",
        ],
        None,
    );
    for (what, r) in every_kind_of_request(&s, &u, &home, &book, &object) {
        assert_eq!(r.status, 403, "{what}: {}", r.text());
        assert!(
            r.text().contains("contacts access is turned off"),
            "{what}: {}",
            r.text()
        );
    }
    assert_eq!(
        bare_propfind(&s, &u, &calendar_url(&u), "0", b"").status,
        207,
        "calendars stay"
    );
    s.cli_ok(
        &["member", "set-access", "acme", &u.login, "--contacts", "on"],
        None,
    );
    let r = get_req(&s, &u, &object);
    assert_eq!((r.status, r.body.as_slice()), (200, body.as_bytes()));
}

/// bob, governed by his own organisation, invited to and joined acme; acme's id.
fn bob_joins_acme(s: &Server, bob: &User, owner: &User) -> i64 {
    let org = org_id_of(s, owner, "acme");
    api_ok(
        s,
        owner,
        "POST",
        &org_path(org, "/members"),
        Some(json!({"login": bob.login})),
        202,
    );
    api_ok(s, bob, "POST", &org_path(org, "/join"), None, 200);
    org
}

#[test]
fn calendar_access_is_switched_where_it_governs_and_refused_where_it_would_change_nothing() {
    // bob's own organisation governs his calendars; acme, which he joined later, serves him
    // no calendar, so switching his calendar off there is refused rather than kept without
    // effect.
    let s = Server::start();
    let bob = s.new_user("bob");
    let owner = s.new_user_in("owner", "acme");
    let org = bob_joins_acme(&s, &bob, &owner);
    let me = org_path(org, &format!("/members/{}", bob.login));
    let r = api(
        &s,
        Some(&owner),
        "PATCH",
        &me,
        Some(json!({"access": {"calendar": false}})),
    );
    assert_api_error(&r, 409, "access-not-applicable");
    assert!(
        r.json["message"]
            .as_str()
            .is_some_and(|m| m.contains("acme") && m.contains(&bob.login)),
        "{}",
        r.json
    );
    let members = api_ok(&s, &owner, "GET", &org_path(org, "/members"), None, 200);
    let bob_in_acme = members
        .as_array()
        .and_then(|m| m.iter().find(|m| m["login"] == bob.login.as_str()))
        .expect("bob");
    assert_eq!(bob_in_acme["access"]["calendar"], true, "nothing changed");
    // An invitation cannot offer it either.
    let carl = s.new_user("carl");
    let r = api(
        &s,
        Some(&owner),
        "POST",
        &org_path(org, "/members"),
        Some(json!({"login": carl.login, "access": {"calendar": false}})),
    );
    assert_api_error(&r, 409, "access-not-applicable");
    // In his own organisation it applies.
    let own = org_id_of(&s, &bob, &bob.login);
    set_access(&s, &bob, own, &bob, "calendar", false);
    let r = bare_propfind(&s, &bob, &calendar_url(&bob), "0", b"");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
}

#[test]
fn contacts_access_in_an_organisation_gates_its_directory_whichever_governs() {
    let s = Server::start();
    let bob = s.new_user("bob");
    let owner = s.new_user_in("owner", "acme");
    let org = bob_joins_acme(&s, &bob, &owner);
    let home = format!("/dav/addressbooks/{}/", bob.login);
    let directory = format!("{home}.directory-{org}/");
    let listed = |s: &Server| -> Vec<String> {
        multistatus(&bare_propfind(s, &bob, &home, "1", b""))
            .into_iter()
            .map(|m| m.href)
            .collect()
    };
    assert!(listed(&s).contains(&directory));
    set_access(&s, &owner, org, &bob, "contacts", false);
    assert!(!listed(&s).contains(&directory), "{:?}", listed(&s));
    let r = bare_propfind(&s, &bob, &directory, "0", b"");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    assert!(
        r.text().contains("contacts access is turned off") && r.text().contains("acme"),
        "{}",
        r.text()
    );
    // His own address books and his own organisation's directory stay.
    assert_eq!(
        bare_propfind(&s, &bob, &addressbook_url(&bob), "0", b"").status,
        207
    );
    let own = org_id_of(&s, &bob, &bob.login);
    assert!(listed(&s).contains(&format!("{home}.directory-{own}/")));
    set_access(&s, &owner, org, &bob, "contacts", true);
    assert_eq!(bare_propfind(&s, &bob, &directory, "0", b"").status, 207);
}

#[test]
fn contacts_access_is_refused_where_there_is_neither_home_nor_directory() {
    let s = Server::start_with_config(Some("[plans.ksuite-pro]\ndirectory = false\n"));
    let bob = s.new_user("bob");
    let owner = s.new_user_in("owner", "acme");
    s.cli_ok(&["org", "set-plan", "acme", "ksuite-pro"], None);
    let org = bob_joins_acme(&s, &bob, &owner);
    let r = api(
        &s,
        Some(&owner),
        "PATCH",
        &org_path(org, &format!("/members/{}", bob.login)),
        Some(json!({"access": {"contacts": false}})),
    );
    assert_api_error(&r, 409, "access-not-applicable");
    // The operator is held to it too.
    let err = s.cli_err(
        &[
            "member",
            "set-access",
            "acme",
            &bob.login,
            "--contacts",
            "off",
        ],
        None,
    );
    assert!(err.contains("would change nothing"), "{err}");
}

#[test]
fn calendar_access_in_an_organisation_gates_the_calendars_shared_through_it() {
    // bob is governed by his own organisation; alice shares her calendar with him through
    // acme, so acme's calendar switch for bob now gates something: that share.
    let s = Server::start();
    let bob = s.new_user("bob");
    let alice = s.new_user_in("alice", "acme");
    let org = bob_joins_acme(&s, &bob, &alice);
    let cal = calendar_url(&alice);
    let object = format!("{cal}e1.ics");
    put_created(&s, &alice, &object, event("e1", "Shared").as_bytes());
    share_with(&s, &cal, &bob.login, "read-write");
    let mount = shared_path(&s, &bob);
    let home = cal_home(&bob);
    assert!(listed(&s, &bob, &home).contains(&mount));

    set_access(&s, &alice, org, &bob, "calendar", false);
    // Left out of his home and of shared-with-me, refused when asked for, naming acme.
    assert!(!listed(&s, &bob, &home).contains(&mount));
    assert!(shared_paths(&s, &bob).is_empty());
    let new_object = format!("{mount}new.ics");
    for (what, r) in [
        ("PROPFIND", bare_propfind(&s, &bob, &mount, "0", b"")),
        ("GET", get_req(&s, &bob, &format!("{mount}e1.ics"))),
        (
            "PUT",
            put_req(&s, &bob, &new_object, event("n1", "New").as_bytes()),
        ),
    ] {
        assert_dav_error(&r, 403, NS_DAV, "need-privileges");
        let text = r.text();
        assert!(
            text.contains("calendar access is turned off") && text.contains("acme"),
            "{what}: {text}"
        );
    }
    assert_eq!(
        members_of(&s, &alice, &cal),
        vec![object.clone()],
        "nothing written"
    );
    // His own calendars are his own organisation's to gate.
    assert_eq!(
        bare_propfind(&s, &bob, &calendar_url(&bob), "0", b"").status,
        207
    );

    set_access(&s, &alice, org, &bob, "calendar", true);
    assert_eq!(shared_path(&s, &bob), mount);
    let r = get_req(&s, &bob, &format!("{mount}e1.ics"));
    assert_eq!(r.status, 200, "{}", r.text());
    // With nothing shared through acme any more, the switch would gate nothing again.
    unshare(&s, &cal, &bob.login);
    let r = api(
        &s,
        Some(&alice),
        "PATCH",
        &org_path(org, &format!("/members/{}", bob.login)),
        Some(json!({"access": {"calendar": false}})),
    );
    assert_api_error(&r, 409, "access-not-applicable");
}
