//! Discovery (RFC 6764, RFC 5397, RFC 4791 §6, RFC 6352 §7): well-known entry points,
//! current-user-principal wherever clients start, principal and home properties, OPTIONS, the
//! real request bodies of Apple and Thunderbird clients, allprop / propname, Depth limits, and
//! that nobody discovers anything of another user.

use std::collections::HashSet;

use crate::common::*;

/// Reduces an href (absolute URL or path) to its path, for comparisons.
fn path_of(href: &str) -> String {
    let h = href.trim();
    for scheme in ["http://", "https://"] {
        if let Some(rest) = h.strip_prefix(scheme) {
            return rest.find('/').map_or("/".into(), |i| rest[i..].to_owned());
        }
    }
    h.to_owned()
}

/// The response for `href` in a multistatus (failing the test when it is absent).
#[track_caller]
fn response_for<'a>(ms: &'a [MsResponse], href: &str) -> &'a MsResponse {
    ms.iter()
        .find(|r| path_of(&r.href) == href)
        .unwrap_or_else(|| {
            panic!(
                "no response for {href}; got {:?}",
                ms.iter().map(|r| &r.href).collect::<Vec<_>>()
            )
        })
}

/// Asserts that the current-user-principal of every response is `user`'s principal.
#[track_caller]
fn assert_current_user_principal(r: &Resp, user: &User) {
    let ms = multistatus(r);
    assert!(!ms.is_empty(), "no response: {}", r.text());
    for resp in &ms {
        let hrefs: Vec<String> = resp
            .hrefs(NS_DAV, "current-user-principal")
            .iter()
            .map(|h| path_of(h))
            .collect();
        assert_eq!(
            hrefs,
            vec![principal_url(user)],
            "current-user-principal of {}: {}",
            resp.href,
            r.text()
        );
    }
}

/// A `text/calendar` PUT of a fresh event, which must be created; the answer.
#[track_caller]
fn put_new_event(s: &Server, user: &User, path: &str, event: &str) -> Resp {
    let r = put_ical(s, user, path, event);
    assert_eq!(r.status, 201, "{}", r.text());
    r
}

fn assert_redirects_to_dav_root(s: &Server, path: &str) {
    let r = s.request("GET", path, None, &[], b"");
    assert_eq!(r.status, 301, "GET {path}: {}", r.text());
    let location = r
        .header("location")
        .unwrap_or_else(|| panic!("{path}: no Location"));
    assert_eq!(path_of(location), "/dav/", "{path}: Location {location}");
}

#[test]
fn well_known_uris_redirect_to_the_dav_root_without_authentication() {
    let s = Server::start();
    assert_redirects_to_dav_root(&s, "/.well-known/caldav");
    assert_redirects_to_dav_root(&s, "/.well-known/carddav");
}

#[test]
fn propfind_on_well_known_answers_current_user_principal_in_place() {
    // Compat pitfall: Apple clients and DAVx5 PROPFIND the well-known URL and do not follow
    // a redirect for PROPFIND.
    let s = Server::start();
    let alice = s.new_user("alice");
    for path in ["/.well-known/caldav", "/.well-known/carddav"] {
        let r = cup_propfind(&s, Some(&alice), path, "0");
        assert_current_user_principal(&r, &alice);
        // Without credentials the client is asked for them, not redirected or answered.
        let r = cup_propfind(&s, None, path, "0");
        assert_eq!(
            r.status,
            401,
            "unauthenticated PROPFIND {path}: {}",
            r.text()
        );
    }
}

#[test]
fn propfind_on_root_and_dav_root_answers_current_user_principal() {
    let s = Server::start();
    let alice = s.new_user("alice");
    // Depth 0 on each entry point; Depth 1 on the DAV root, where every listed resource
    // answers it too.
    for (path, depth) in [("/", "0"), ("/dav/", "0"), ("/dav", "0"), ("/dav/", "1")] {
        let r = cup_propfind(&s, Some(&alice), path, depth);
        assert_current_user_principal(&r, &alice);
    }
}

#[test]
fn principal_answers_urls_homes_and_calendar_user_addresses() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let body = propfind_body(&[
        (NS_DAV, "principal-URL"),
        (NS_DAV, "displayname"),
        (NS_DAV, "resourcetype"),
        (NS_CALDAV, "calendar-home-set"),
        (NS_CARDDAV, "addressbook-home-set"),
        (NS_CALDAV, "calendar-user-address-set"),
    ]);
    let r = bare_propfind(&s, &alice, &principal_url(&alice), "0", &body);
    let ms = multistatus(&r);
    assert_eq!(ms.len(), 1, "{}", r.text());
    let p = response_for(&ms, &principal_url(&alice));
    let paths =
        |ns, local| -> Vec<String> { p.hrefs(ns, local).iter().map(|h| path_of(h)).collect() };
    assert_eq!(
        paths(NS_DAV, "principal-URL"),
        vec![principal_url(&alice)],
        "{}",
        r.text()
    );
    assert_eq!(
        p.ok_prop(NS_DAV, "displayname").map(|d| d.text()),
        Some(alice.login.clone()),
        "displayname defaults to the login: {}",
        r.text()
    );
    assert!(has_type(p, NS_DAV, "principal"), "{}", r.text());
    assert_eq!(
        paths(NS_CALDAV, "calendar-home-set"),
        vec![format!("/dav/calendars/{}/", alice.login)],
        "{}",
        r.text()
    );
    assert_eq!(
        paths(NS_CARDDAV, "addressbook-home-set"),
        vec![format!("/dav/addressbooks/{}/", alice.login)],
        "{}",
        r.text()
    );
    let addresses = p.hrefs(NS_CALDAV, "calendar-user-address-set");
    assert!(
        addresses
            .iter()
            .any(|a| a == &format!("mailto:{}@example.com", alice.login)),
        "calendar-user-address-set lacks the mailto: address: {}",
        r.text()
    );
}

#[test]
fn calendar_home_lists_the_default_calendar_for_events_and_tasks() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let home = format!("/dav/calendars/{}/", alice.login);
    let body = propfind_body(&[
        (NS_DAV, "resourcetype"),
        (NS_DAV, "displayname"),
        (NS_CALDAV, "supported-calendar-component-set"),
    ]);
    let r = bare_propfind(&s, &alice, &home, "1", &body);
    let ms = multistatus(&r);
    let h = response_for(&ms, &home);
    assert!(has_type(h, NS_DAV, "collection"), "{}", r.text());
    assert!(
        !has_type(h, NS_CALDAV, "calendar"),
        "the home is no calendar: {}",
        r.text()
    );
    let cal = response_for(&ms, &calendar_url(&alice));
    assert!(has_type(cal, NS_DAV, "collection"), "{}", r.text());
    assert!(has_type(cal, NS_CALDAV, "calendar"), "{}", r.text());
    let comps: Vec<String> = cal
        .ok_prop(NS_CALDAV, "supported-calendar-component-set")
        .map(|set| {
            set.elements()
                .filter(|e| e.is(NS_CALDAV, "comp"))
                .filter_map(|e| e.attr("name").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for want in ["VEVENT", "VTODO"] {
        assert!(
            comps.iter().any(|c| c == want),
            "supported-calendar-component-set lacks {want}: {}",
            r.text()
        );
    }
}

#[test]
fn addressbook_home_lists_the_default_address_book_first() {
    // macOS Contacts only syncs the first address book of the home; a book whose name sorts
    // earlier, or the organisation directory, must not push the default one down.
    let s = Server::start();
    let alice = s.new_user("alice");
    let home = format!("/dav/addressbooks/{}/", alice.login);
    let mkcol = br#"<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>
    <D:displayname>AAA</D:displayname>
  </D:prop></D:set>
</D:mkcol>"#;
    let r = s.request("MKCOL", &format!("{home}aaa/"), Some(&alice), &[], mkcol);
    assert_eq!(r.status, 201, "MKCOL aaa: {}", r.text());
    let body = propfind_body(&[(NS_DAV, "resourcetype"), (NS_DAV, "displayname")]);
    let r = bare_propfind(&s, &alice, &home, "1", &body);
    let ms = multistatus(&r);
    let books: Vec<String> = ms
        .iter()
        .filter(|m| has_type(m, NS_CARDDAV, "addressbook"))
        .map(|m| path_of(&m.href))
        .collect();
    // The organisation directory (kSuite plans) comes after the account's own address books.
    let directory = format!("{home}.directory-{}/", org_id_of(&s, &alice, &alice.login));
    assert_eq!(
        books,
        vec![addressbook_url(&alice), format!("{home}aaa/"), directory],
        "address books in listing order: {}",
        r.text()
    );
}

#[test]
fn options_advertises_dav_classes_and_methods() {
    let s = Server::start();
    let alice = s.new_user("alice");
    for path in [
        "/",
        "/dav/",
        calendar_url(&alice).as_str(),
        addressbook_url(&alice).as_str(),
    ] {
        let r = s.request("OPTIONS", path, Some(&alice), &[], b"");
        assert!(
            (200..300).contains(&r.status),
            "OPTIONS {path}: {} {}",
            r.status,
            r.text()
        );
        let classes = r.header_values("dav");
        for want in [
            "1",
            "3",
            "calendar-access",
            "addressbook",
            "extended-mkcol",
            "access-control",
        ] {
            assert!(
                classes.contains(&want),
                "OPTIONS {path}: DAV: {classes:?} lacks {want}"
            );
        }
        let methods = r.header_values("allow");
        for want in ["OPTIONS", "PROPFIND", "REPORT", "MKCALENDAR"] {
            assert!(
                methods.contains(&want),
                "OPTIONS {path}: Allow: {methods:?} lacks {want}"
            );
        }
    }
}

/// The property names a PROPFIND fixture asks for.
fn requested_props(body: &[u8]) -> Vec<(String, String)> {
    let root = parse_document(body).expect("fixture parses");
    let prop = root.child(NS_DAV, "prop").expect("fixture has DAV:prop");
    prop.elements()
        .map(|e| (e.name.ns.clone(), e.name.local.clone()))
        .collect()
}

/// Checks a Depth 1 answer to a client's PROPFIND fixture on a home: every member once, every
/// requested property answered exactly once in every response, the unknown ones with 404,
/// nothing failing with a server error, and a getctag for the collection.
fn check_client_propfind(
    s: &Server,
    user: &User,
    fixture_name: &str,
    home: &str,
    collection: &str,
    collection_type: (&str, &str),
    unknown: &[(&str, &str)],
) {
    let body = fixture(&format!("xml/{fixture_name}"));
    let requested = requested_props(&body);
    let r = s.request(
        "PROPFIND",
        home,
        Some(user),
        &[("Depth", "1"), ("Content-Type", "text/xml; charset=utf-8")],
        &body,
    );
    let ms = multistatus(&r);
    let text = r.text();
    let mut seen = HashSet::new();
    for m in &ms {
        assert!(
            seen.insert(path_of(&m.href)),
            "{fixture_name}: {} listed twice: {text}",
            m.href
        );
    }
    response_for(&ms, home);
    for m in &ms {
        for ps in &m.propstats {
            assert!(
                ps.status < 500,
                "{fixture_name}: {} has a {} propstat: {text}",
                m.href,
                ps.status
            );
            assert!(
                !ps.props.is_empty(),
                "{fixture_name}: empty propstat: {text}"
            );
        }
        for (ns, local) in &requested {
            let n = m
                .propstats
                .iter()
                .flat_map(|ps| &ps.props)
                .filter(|p| p.is(ns, local))
                .count();
            assert_eq!(
                n, 1,
                "{fixture_name}: {{{ns}}}{local} answered {n} times for {}: {text}",
                m.href
            );
        }
        for (ns, local) in unknown {
            assert_eq!(
                m.prop(ns, local).map(|(st, _)| st),
                Some(404),
                "{fixture_name}: unknown {{{ns}}}{local} on {}: {text}",
                m.href
            );
        }
    }
    let coll = response_for(&ms, collection);
    if requested
        .iter()
        .any(|(ns, l)| ns == NS_DAV && l == "resourcetype")
    {
        assert!(
            has_type(coll, collection_type.0, collection_type.1),
            "{fixture_name}: {collection} resourcetype: {text}"
        );
    }
    let ctag = coll
        .ok_prop(NS_CALENDARSERVER, "getctag")
        .map(|c| c.text().trim().to_owned())
        .unwrap_or_default();
    assert!(
        !ctag.is_empty(),
        "{fixture_name}: no getctag for {collection}: {text}"
    );
}

#[test]
fn apple_and_thunderbird_home_propfinds_are_answered_completely() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let ev1 = format!("{}ev1.ics", calendar_url(&alice));
    put_new_event(&s, &alice, &ev1, &event("ev1", "Lunch"));
    let cal_home = format!("/dav/calendars/{}/", alice.login);
    let book_home = format!("/dav/addressbooks/{}/", alice.login);
    let cal = calendar_url(&alice);
    let book = addressbook_url(&alice);
    let caldav = (NS_CALDAV, "calendar");
    check_client_propfind(
        &s,
        &alice,
        "ical-5-calendarhome-propfind.xml",
        &cal_home,
        &cal,
        caldav,
        &[
            ("http://me.com/_namespace/", "bulk-requests"),
            (NS_CALENDARSERVER, "xmpp-server"),
            (NS_CALENDARSERVER, "xmpp-uri"),
        ],
    );
    check_client_propfind(
        &s,
        &alice,
        "ccs-ical-client-calendarhome-propfind.xml",
        &cal_home,
        &cal,
        caldav,
        &[
            (NS_CALENDARSERVER, "xmpp-server"),
            (NS_CALENDARSERVER, "subscribed-strip-alarms"),
        ],
    );
    check_client_propfind(
        &s,
        &alice,
        "thunderbird-1.5-lightning-propfind-getctag.xml",
        &cal_home,
        &cal,
        caldav,
        &[],
    );
    check_client_propfind(
        &s,
        &alice,
        "ccs-addressbook-client-getctag.xml",
        &book_home,
        &book,
        (NS_CARDDAV, "addressbook"),
        // Apple asks for addressbook-home-set in the CalendarServer namespace: not a property.
        &[(NS_CALENDARSERVER, "addressbook-home-set")],
    );
}

#[test]
fn allprop_on_a_calendar_lists_the_calendar_and_its_objects() {
    // Outlook CalDav Synchronizer sends allprop with Depth 1; an empty body means allprop too.
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let href = format!("{cal}ev1.ics");
    let put = put_new_event(&s, &alice, &href, &event("ev1", "Lunch"));
    let etag = put.header("etag").expect("PUT answers an ETag").to_owned();
    // RFC 4918 §9.1: allprop returns the dead properties too.
    let patch = br#"<D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:example:outlook"><D:set><D:prop><X:sync-state>kept</X:sync-state></D:prop></D:set></D:propertyupdate>"#;
    let r = proppatch_req(&s, &alice, &cal, patch);
    let patched = &multistatus(&r)[0];
    assert_propstat(&r, patched, "urn:example:outlook", "sync-state", 200);
    let allprop = br#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;
    for body in [&allprop[..], b""] {
        let r = bare_propfind(&s, &alice, &cal, "1", body);
        let ms = multistatus(&r);
        assert_eq!(ms.len(), 2, "calendar and one object: {}", r.text());
        let c = response_for(&ms, &cal);
        assert!(has_type(c, NS_CALDAV, "calendar"), "{}", r.text());
        assert_eq!(
            c.ok_prop("urn:example:outlook", "sync-state")
                .map(|p| p.text()),
            Some("kept".to_owned()),
            "allprop lacks the dead property: {}",
            r.text()
        );
        assert!(
            c.ok_prop(NS_CALENDARSERVER, "getctag").is_some(),
            "{}",
            r.text()
        );
        assert_eq!(
            c.ok_prop(NS_DAV, "displayname").map(|d| d.text()),
            Some("Personal".to_owned()),
            "{}",
            r.text()
        );
        let o = response_for(&ms, &href);
        assert_eq!(
            o.ok_prop(NS_DAV, "getetag")
                .map(|e| e.text().trim().to_owned()),
            Some(etag.clone()),
            "{}",
            r.text()
        );
        assert!(
            o.ok_prop(NS_DAV, "getcontenttype")
                .is_some_and(|t| t.text().starts_with("text/calendar")),
            "{}",
            r.text()
        );
        for m in &ms {
            assert!(
                m.propstats.iter().all(|ps| ps.status == 200),
                "allprop answers found properties only: {}",
                r.text()
            );
        }
    }
}

#[test]
fn propname_lists_property_names_without_values() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let body =
        br#"<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><propname/></propfind>"#;
    let r = bare_propfind(&s, &alice, &cal, "0", body);
    let ms = multistatus(&r);
    assert_eq!(ms.len(), 1, "{}", r.text());
    let c = &ms[0];
    for (ns, local) in [
        (NS_DAV, "resourcetype"),
        (NS_DAV, "displayname"),
        (NS_DAV, "sync-token"),
        (NS_CALENDARSERVER, "getctag"),
        (NS_CALDAV, "supported-calendar-component-set"),
    ] {
        let p = c
            .ok_prop(ns, local)
            .unwrap_or_else(|| panic!("propname lacks {{{ns}}}{local}: {}", r.text()));
        assert!(
            p.children.is_empty(),
            "propname gives names only, {{{ns}}}{local} has content: {}",
            r.text()
        );
    }
}

#[test]
fn depth_infinity_is_refused_with_propfind_finite_depth() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let body = propfind_body(&[(NS_DAV, "resourcetype")]);
    for path in [
        format!("/dav/calendars/{}/", alice.login),
        calendar_url(&alice),
    ] {
        let r = bare_propfind(&s, &alice, &path, "infinity", &body);
        assert_dav_error(&r, 403, NS_DAV, "propfind-finite-depth");
    }
}

#[test]
fn another_users_principal_home_calendar_and_objects_are_forbidden() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let bob = User {
        login: "bob".into(),
        password: "bobs-password-1".into(),
    };
    s.cli_ok(
        &[
            "user",
            "add",
            "bob",
            "--password-stdin",
            "--email",
            "bob.secret@example.org",
            "--display-name",
            "Bobby Hiddenname",
        ],
        Some(&bob.password),
    );
    let bob_obj = format!("{}secret-meeting.ics", calendar_url(&bob));
    let secret_event = event("secret-uid-1", "Confidential board meeting");
    put_new_event(&s, &bob, &bob_obj, &secret_event);
    let secrets = [
        "Bobby Hiddenname",
        "bob.secret@example.org",
        "secret-meeting",
        "secret-uid-1",
        "Confidential board meeting",
        "Personal",
    ];
    let body = br#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#;
    let paths = [
        principal_url(&bob),
        "/dav/calendars/bob/".into(),
        "/dav/addressbooks/bob/".into(),
        calendar_url(&bob),
        addressbook_url(&bob),
        bob_obj.clone(),
        // Existence must not leak either: a missing calendar / object answers the same.
        "/dav/calendars/bob/no-such-calendar/".into(),
        format!("{}no-such-object.ics", calendar_url(&bob)),
    ];
    for path in &paths {
        for depth in ["0", "1"] {
            let r = bare_propfind(&s, &alice, path, depth, body);
            assert_dav_error(&r, 403, NS_DAV, "need-privileges");
            let text = r.text();
            for secret in secrets {
                assert!(
                    !text.contains(secret),
                    "PROPFIND {path} leaks {secret:?}: {text}"
                );
            }
        }
    }
    let r = get_req(&s, &alice, &bob_obj);
    assert_eq!(r.status, 403, "GET {bob_obj}: {}", r.text());
    assert!(!r.text().contains("Confidential"), "{}", r.text());
}

#[test]
fn home_sets_and_principal_collection_list_only_the_users_own_entries() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let bob = s.new_user("bob");
    let body = propfind_body(&[(NS_DAV, "resourcetype")]);
    let cases = [
        (
            "/dav/calendars/".to_owned(),
            format!("/dav/calendars/{}/", alice.login),
        ),
        (
            "/dav/addressbooks/".to_owned(),
            format!("/dav/addressbooks/{}/", alice.login),
        ),
        ("/dav/principals/users/".to_owned(), principal_url(&alice)),
    ];
    for (set, own) in cases {
        let r = bare_propfind(&s, &alice, &set, "1", &body);
        let ms = multistatus(&r);
        let mut hrefs: Vec<String> = ms.iter().map(|m| path_of(&m.href)).collect();
        hrefs.sort();
        let mut want = vec![set.clone(), own];
        want.sort();
        assert_eq!(hrefs, want, "PROPFIND {set} Depth 1: {}", r.text());
        assert!(
            !r.text().contains(&bob.login),
            "{set} lists bob: {}",
            r.text()
        );
    }
}
