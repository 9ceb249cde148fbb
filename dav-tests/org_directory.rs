//! The organisation directory of the kSuite plans: a read-only address book in every member's
//! address book home, one card per member (name, e-mail, role as CATEGORIES), generated from
//! membership, with its own sync token that moves on joins, departures and role changes;
//! writes answer 403 DAV:need-privileges and change nothing.

use crate::common::*;

/// "acme" on kSuite Pro with a legal owner, an admin and a user; each member's directory href.
struct Acme {
    owner: User,
    admin: User,
    user: User,
    id: i64,
}

impl Acme {
    fn directory(&self, u: &User) -> String {
        format!("/dav/addressbooks/{}/.directory-{}/", u.login, self.id)
    }
}

fn acme(s: &Server) -> Acme {
    let owner = s.new_user_in("owner", "acme");
    s.cli_ok(&["org", "set-plan", "acme", "ksuite-pro"], None);
    let admin = s.new_user_in("admin", "acme");
    let user = s.new_user_in("user", "acme");
    s.cli_ok(&["member", "set-role", "acme", &admin.login, "admin"], None);
    let id = org_id_of(s, &owner, "acme");
    Acme {
        owner,
        admin,
        user,
        id,
    }
}

const SYNC_BODY: &str = r#"<D:sync-collection xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:sync-token>TOKEN</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/><CR:address-data/></D:prop></D:sync-collection>"#;

/// (href, address-data) of each response of a multistatus.
fn cards_of(r: &Resp) -> Vec<(String, Option<String>)> {
    multistatus(r)
        .into_iter()
        .map(|m| {
            let card = m.ok_prop(NS_CARDDAV, "address-data").map(|d| d.text());
            (m.href, card)
        })
        .collect()
}

/// A sync-collection from `token`: (href, card text or None for a removed member), the new
/// token.
fn sync(s: &Server, u: &User, dir: &str, token: &str) -> (Vec<(String, Option<String>)>, String) {
    let r = report_req(
        s,
        u,
        dir,
        None,
        SYNC_BODY.replace("TOKEN", token).as_bytes(),
    );
    (cards_of(&r), sync_token_of(&r).expect("a sync token"))
}

/// The value of the content line `NAME:` in a card.
fn field(card: &str, name: &str) -> Option<String> {
    card.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(str::to_owned)
}

/// (FN, EMAIL, CATEGORIES) of each card, sorted.
fn people(items: &[(String, Option<String>)]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = items
        .iter()
        .filter_map(|(_, c)| c.as_deref())
        .map(|c| {
            (
                field(c, "FN").unwrap_or_default(),
                field(c, "EMAIL;TYPE=INTERNET").unwrap_or_default(),
                field(c, "CATEGORIES").unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn person(u: &User, role: &str) -> (String, String, String) {
    (
        u.login.clone(),
        format!("{}@example.com", u.login),
        role.to_owned(),
    )
}

fn ctag(s: &Server, u: &User, dir: &str) -> String {
    let r = propfind_req(
        s,
        u,
        dir,
        "0",
        &propfind_body(&[(NS_CALENDARSERVER, "getctag")]),
    );
    multistatus(&r)[0]
        .ok_prop(NS_CALENDARSERVER, "getctag")
        .map(|e| e.text())
        .unwrap_or_else(|| panic!("no getctag: {}", r.text()))
}

#[test]
fn every_member_sees_the_directory_of_its_organisation() {
    let s = Server::start();
    let a = acme(&s);
    let expected = {
        let mut v = vec![
            person(&a.owner, "legal-owner"),
            person(&a.admin, "admin"),
            person(&a.user, "user"),
        ];
        v.sort();
        v
    };
    for u in [&a.owner, &a.admin, &a.user] {
        let dir = a.directory(u);
        let home = format!("/dav/addressbooks/{}/", u.login);
        let body = propfind_body(&[
            (NS_DAV, "resourcetype"),
            (NS_DAV, "displayname"),
            (NS_DAV, "current-user-privilege-set"),
        ]);
        let r = propfind_req(&s, u, &home, "1", &body);
        let listing = multistatus(&r);
        let entry = listing
            .iter()
            .find(|m| m.href == dir)
            .unwrap_or_else(|| panic!("{dir} not in the home: {}", r.text()));
        assert!(has_type(entry, NS_CARDDAV, "addressbook"), "{}", r.text());
        assert_eq!(
            entry.ok_prop(NS_DAV, "displayname").map(|d| d.text()),
            Some("acme (directory)".to_owned())
        );
        let privileges: Vec<String> = entry
            .ok_prop(NS_DAV, "current-user-privilege-set")
            .expect("privileges")
            .elements()
            .flat_map(|p| {
                p.elements()
                    .map(|e| e.name.local.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(privileges.contains(&"read".to_owned()), "{privileges:?}");
        assert!(
            !privileges
                .iter()
                .any(|p| p.starts_with("write") || p == "bind"),
            "{privileges:?}"
        );
        assert_eq!(
            listing.last().map(|m| m.href.as_str()),
            Some(dir.as_str()),
            "after the member's own address books"
        );
        let (items, _) = sync(&s, u, &dir, "");
        assert_eq!(people(&items), expected, "{}", u.login);
    }
    // A card by GET, and its ETag as listed.
    let (items, _) = sync(&s, &a.user, &a.directory(&a.user), "");
    let (href, card) = &items[0];
    let g = get_req(&s, &a.user, href);
    assert_eq!(g.status, 200);
    assert_eq!(g.header("content-type"), Some("text/vcard; charset=utf-8"));
    assert_eq!(Some(g.text()), card.clone());
    let listing = getetag_listing(&s, &a.user, &a.directory(&a.user));
    let etag = multistatus(&listing)
        .into_iter()
        .find(|m| &m.href == href)
        .and_then(|m| m.ok_prop(NS_DAV, "getetag").map(|e| e.text()));
    assert_eq!(etag.as_deref(), g.header("etag"));
}

#[test]
fn the_sync_token_moves_on_joins_departures_and_role_changes() {
    let s = Server::start();
    let a = acme(&s);
    let dir = a.directory(&a.admin);
    let (all, t0) = sync(&s, &a.admin, &dir, "");
    assert_eq!(all.len(), 3);
    let (none, same) = sync(&s, &a.admin, &dir, &t0);
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(same, t0);
    // Product access and notices are not in the directory.
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &a.user.login,
            "--billing",
            "on",
        ],
        None,
    );
    assert_eq!(ctag(&s, &a.admin, &dir), t0);
    // A join.
    let newcomer = s.new_user_in("newcomer", "acme");
    let (joined, t1) = sync(&s, &a.admin, &dir, &t0);
    assert_eq!(people(&joined), vec![person(&newcomer, "user")]);
    assert_ne!(t1, t0);
    assert_eq!(ctag(&s, &a.admin, &dir), t1);
    // A role change.
    s.cli_ok(
        &["member", "set-role", "acme", &a.user.login, "admin"],
        None,
    );
    let (changed, t2) = sync(&s, &a.admin, &dir, &t1);
    assert_eq!(people(&changed), vec![person(&a.user, "admin")]);
    // A departure: the card's href with 404.
    let user_href = changed[0].0.clone();
    api_ok(&s, &a.user, "POST", &org_path(a.id, "/leave"), None, 204);
    let (left, t3) = sync(&s, &a.admin, &dir, &t2);
    assert_eq!(left, vec![(user_href.clone(), None)]);
    let r = report_req(
        &s,
        &a.admin,
        &dir,
        None,
        SYNC_BODY.replace("TOKEN", &t2).as_bytes(),
    );
    let gone = multistatus(&r);
    assert_eq!(gone[0].status, Some(404), "{}", r.text());
    assert_eq!(get_req(&s, &a.admin, &user_href).status, 404);
    // From the first token, the net changes.
    let (since_start, _) = sync(&s, &a.admin, &dir, &t0);
    assert_eq!(people(&since_start), vec![person(&newcomer, "user")]);
    assert!(since_start.contains(&(user_href, None)));
    // A token of another collection is refused.
    let own = sync_token_of(&report_req(
        &s,
        &a.admin,
        &addressbook_url(&a.admin),
        None,
        SYNC_BODY.replace("TOKEN", "").as_bytes(),
    ))
    .expect("token");
    let r = report_req(
        &s,
        &a.admin,
        &dir,
        None,
        SYNC_BODY.replace("TOKEN", &own).as_bytes(),
    );
    assert_dav_error(&r, 403, NS_DAV, "valid-sync-token");
    assert_ne!(t3, t2);
}

#[test]
fn writes_to_the_directory_are_403_need_privileges_and_change_nothing() {
    let s = Server::start();
    let a = acme(&s);
    let dir = a.directory(&a.owner);
    let (items, token) = sync(&s, &a.owner, &dir, "");
    let card = items[0].0.clone();
    let state = collection_state(&s, &a.owner, &dir);
    let card_body = vcard("forged", "Forged Person");
    let proppatch = br#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Mine</D:displayname></D:prop></D:set></D:propertyupdate>"#;
    for (what, r) in [
        (
            "PUT over a card",
            put_req(&s, &a.owner, &card, card_body.as_bytes()),
        ),
        (
            "PUT a new card",
            put_req(&s, &a.owner, &format!("{dir}new.vcf"), card_body.as_bytes()),
        ),
        ("DELETE a card", delete_req(&s, &a.owner, &card)),
        ("DELETE the directory", delete_req(&s, &a.owner, &dir)),
        ("PROPPATCH", proppatch_req(&s, &a.owner, &dir, proppatch)),
        ("MKCOL", mkcol(&s, &a.owner, &dir, "")),
    ] {
        assert_refused(&r, 403, NS_DAV, "need-privileges");
        assert!(r.text().contains("read-only"), "{what}: {}", r.text());
    }
    assert_eq!(
        collection_state(&s, &a.owner, &dir),
        state,
        "nothing changed"
    );
    let (none, same) = sync(&s, &a.owner, &dir, &token);
    assert!(none.is_empty());
    assert_eq!(same, token);
}

#[test]
fn personal_plans_have_no_directory_and_others_directories_are_hidden() {
    let s = Server::start();
    let a = acme(&s);
    s.cli_ok(
        &[
            "user",
            "add",
            "solo",
            "--password-stdin",
            "--plan",
            "my-ksuite",
            "--phone",
            "+41791234567",
            "--country",
            "CH",
        ],
        Some("pw-solo-secret"),
    );
    let solo = User {
        login: "solo".into(),
        password: "pw-solo-secret".into(),
    };
    let home = "/dav/addressbooks/solo/";
    let r = bare_propfind(&s, &solo, home, "1", b"");
    let hrefs: Vec<String> = multistatus(&r).into_iter().map(|m| m.href).collect();
    assert_eq!(
        hrefs,
        vec![home.to_owned(), addressbook_url(&solo)],
        "no directory on my kSuite"
    );
    let solo_org = org_id_of(&s, &solo, "solo");
    let own = format!("{home}.directory-{solo_org}/");
    assert_eq!(bare_propfind(&s, &solo, &own, "0", b"").status, 404);
    // acme's directory, in solo's home or in a member's, is not solo's to see.
    let foreign = format!("{home}.directory-{}/", a.id);
    assert_eq!(bare_propfind(&s, &solo, &foreign, "0", b"").status, 404);
    let r = bare_propfind(&s, &solo, &a.directory(&a.user), "0", b"");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    // Upgrading to kSuite brings it.
    s.cli_ok(&["org", "set-plan", "solo", "ksuite-standard"], None);
    assert_eq!(bare_propfind(&s, &solo, &own, "0", b"").status, 207);
}

#[test]
fn the_directory_answers_multiget_and_addressbook_query() {
    let s = Server::start();
    let a = acme(&s);
    let dir = a.directory(&a.user);
    let (items, _) = sync(&s, &a.user, &dir, "");
    let query = r#"<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><CR:address-data/></D:prop><CR:filter><CR:prop-filter name="CATEGORIES"><CR:text-match match-type="equals">admin</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>"#;
    let r = report_req(&s, &a.user, &dir, Some("1"), query.as_bytes());
    let found = cards_of(&r);
    assert_eq!(
        people(&found),
        vec![person(&a.admin, "admin")],
        "{}",
        r.text()
    );
    let wanted = [
        items[0].0.clone(),
        items[1].0.clone(),
        format!("{dir}member-999999.vcf"),
    ];
    let mut body = String::from(
        r#"<CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop>"#,
    );
    for h in &wanted {
        body.push_str(&format!("<D:href>{h}</D:href>"));
    }
    body.push_str("</CR:addressbook-multiget>");
    let r = report_req(&s, &a.user, &dir, Some("1"), body.as_bytes());
    let got: Vec<(String, Option<u16>)> = multistatus(&r)
        .into_iter()
        .map(|m| (m.href, m.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (wanted[0].clone(), None),
            (wanted[1].clone(), None),
            (wanted[2].clone(), Some(404))
        ],
        "{}",
        r.text()
    );
    let r = report_req(
        &s,
        &a.user,
        &dir,
        Some("1"),
        br#"<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>"#,
    );
    assert_dav_error(&r, 403, NS_DAV, "supported-report");
}

#[test]
fn the_directory_follows_contacts_access() {
    let s = Server::start();
    let a = acme(&s);
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &a.user.login,
            "--contacts",
            "off",
        ],
        None,
    );
    let r = bare_propfind(&s, &a.user, &a.directory(&a.user), "0", b"");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
    s.cli_ok(
        &[
            "member",
            "set-access",
            "acme",
            &a.user.login,
            "--contacts",
            "on",
        ],
        None,
    );
    assert_eq!(
        bare_propfind(&s, &a.user, &a.directory(&a.user), "0", b"").status,
        207
    );
}

#[test]
fn a_departure_is_reported_even_when_the_next_account_reuses_the_departed_ones_id() {
    let s = Server::start();
    let a = acme(&s);
    let dir = a.directory(&a.owner);
    // hank is the newest account: removing it frees the highest account id, which the next
    // account created takes again.
    let hank = s.new_user_in("hank", "acme");
    let (all, token) = sync(&s, &a.owner, &dir, "");
    let hank_href = all
        .iter()
        .find(|(_, card)| card.as_deref().is_some_and(|c| c.contains(&hank.login)))
        .map(|(href, _)| href.clone())
        .expect("hank's card");
    s.cli_ok(&["user", "remove", &hank.login], None);
    let ivy = s.new_user_in("ivy", "acme");
    let (changes, _) = sync(&s, &a.owner, &dir, &token);
    assert!(
        changes.contains(&(hank_href.clone(), None)),
        "hank's departure: {changes:?}"
    );
    let ivy_cards: Vec<&(String, Option<String>)> =
        changes.iter().filter(|(_, card)| card.is_some()).collect();
    assert_eq!(people(&changes), vec![person(&ivy, "user")]);
    assert_ne!(ivy_cards[0].0, hank_href, "ivy has a card of her own");
    assert_eq!(get_req(&s, &a.owner, &hank_href).status, 404);
    let uid = |card: &str| field(card, "UID").unwrap_or_default();
    let hank_uid = all
        .iter()
        .find(|(href, _)| *href == hank_href)
        .and_then(|(_, c)| c.as_deref())
        .map(uid)
        .expect("hank's UID");
    assert_ne!(uid(ivy_cards[0].1.as_deref().unwrap_or_default()), hank_uid);
}
