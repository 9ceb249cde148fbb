//! Collections: MKCALENDAR (RFC 4791 §5.3.1), extended MKCOL (RFC 5689), PROPPATCH of
//! collection properties (RFC 4918 §9.2, RFC 4791 §5.2), DELETE of a collection, and where
//! collections may (not) be created. Real client bodies come from `fixtures/xml/`.

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;
const CARD: &str = NS_CARDDAV;
const APPLE: &str = NS_APPLE_ICAL;

/// Text of a property answered with 200 (fails the test otherwise).
#[track_caller]
fn text(m: &MsResponse, ns: &str, local: &str) -> String {
    m.ok_prop(ns, local)
        .unwrap_or_else(|| panic!("{ns}{local} not answered with 200: {m:?}"))
        .text()
}

/// Creates `path` with `create` (`mkcalendar` or `mkcol`) and this body, asserts 201, and
/// returns `props_of` the new collection.
#[track_caller]
fn create_then_props(
    s: &Server,
    u: &User,
    create: fn(&Server, &User, &str, &str) -> Resp,
    path: &str,
    body: &str,
    props: &[(&str, &str)],
) -> MsResponse {
    let r = create(s, u, path, body);
    assert_eq!(r.status, 201, "{}", r.text());
    props_of(s, u, path, props)
}

/// PROPFIND Depth 0 of `props` on `path`: the single response.
fn props_of(s: &Server, u: &User, path: &str, props: &[(&str, &str)]) -> MsResponse {
    let r = propfind_req(s, u, path, "0", &propfind_body(props));
    let mut rs = multistatus(&r);
    assert_eq!(rs.len(), 1, "{}", r.text());
    rs.remove(0)
}

/// Hrefs of the members listed by PROPFIND Depth 1 on a home (the home itself excluded).
fn home_members(s: &Server, u: &User, home: &str) -> Vec<String> {
    let r = propfind_req(s, u, home, "1", &propfind_body(&[(DAV, "resourcetype")]));
    let rs = multistatus(&r);
    rs.into_iter()
        .map(|m| m.href)
        .filter(|h| h.as_str() != home)
        .collect()
}

fn calendar_home(u: &User) -> String {
    format!("/dav/calendars/{}/", u.login)
}

fn addressbook_home(u: &User) -> String {
    format!("/dav/addressbooks/{}/", u.login)
}

/// The 200-answered `props` of `before` and `after` have the same text.
#[track_caller]
fn assert_unchanged(before: &MsResponse, after: &MsResponse, props: &[(&str, &str)]) {
    for (ns, local) in props {
        assert_eq!(text(before, ns, local), text(after, ns, local), "{local}");
    }
}

/// PROPFIND Depth 0 on `path` is 404: nothing was created there.
#[track_caller]
fn assert_absent(s: &Server, u: &User, path: &str) {
    let r = propfind_req(s, u, path, "0", &propfind_body(&[(DAV, "resourcetype")]));
    assert_eq!(r.status, 404, "{path} exists: {}", r.text());
}

/// The collection lists no member (the Depth 1 listing holds only itself).
#[track_caller]
fn assert_no_members(s: &Server, u: &User, coll: &str) {
    let listing = getetag_listing(s, u, coll);
    assert_eq!(multistatus(&listing).len(), 1, "{}", listing.text());
}

fn component_set(m: &MsResponse) -> Vec<String> {
    m.ok_prop(CAL, "supported-calendar-component-set")
        .expect("supported-calendar-component-set")
        .elements()
        .filter(|e| e.is(CAL, "comp"))
        .map(|e| e.attr("name").unwrap_or_default().to_ascii_uppercase())
        .collect()
}

#[test]
fn mkcalendar_thunderbird_body_with_default_caldav_namespace_creates_a_calendar() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}mozilla/", calendar_home(&u));
    let body = request_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
    let props = [(DAV, "displayname"), (DAV, "resourcetype")];
    let m = create_then_props(&s, &u, mkcalendar, &path, &body, &props);
    assert_eq!(m.href, path);
    assert_eq!(text(&m, DAV, "displayname"), "A Pretty Name");
    assert!(has_type(&m, DAV, "collection"), "{m:?}");
    assert!(has_type(&m, CAL, "calendar"), "{m:?}");
    assert!(home_members(&s, &u, &calendar_home(&u)).contains(&path));
}

#[test]
fn mkcalendar_sets_description_color_and_a_vtodo_only_component_set() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}tasks/", calendar_home(&u));
    let body = r##"<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
  <D:set><D:prop>
    <D:displayname>Tasks</D:displayname>
    <C:calendar-description>Things to do</C:calendar-description>
    <I:calendar-color>#FF8800FF</I:calendar-color>
    <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"##;
    let props = [
        (DAV, "displayname"),
        (CAL, "calendar-description"),
        (APPLE, "calendar-color"),
        (CAL, "supported-calendar-component-set"),
    ];
    let m = create_then_props(&s, &u, mkcalendar, &path, body, &props);
    assert_eq!(text(&m, DAV, "displayname"), "Tasks");
    assert_eq!(text(&m, CAL, "calendar-description"), "Things to do");
    assert_eq!(text(&m, APPLE, "calendar-color"), "#FF8800FF");
    assert_eq!(component_set(&m), vec!["VTODO".to_string()]);

    // RFC 4791 §5.3.2.1: a VEVENT is refused by a VTODO-only calendar, and nothing is stored.
    let ev = format!("{path}ev.ics");
    let r = put_req(&s, &u, &ev, event("ev-in-tasks", "Meeting").as_bytes());
    assert_dav_error(&r, 403, CAL, "supported-calendar-component");
    assert_eq!(get_req(&s, &u, &ev).status, 404);
    assert_no_members(&s, &u, &path);

    // The task itself is welcome.
    let task = todo("t-1", "Buy milk");
    put_created(&s, &u, &format!("{path}t.ics"), task.as_bytes());
}

#[test]
fn mkcalendar_soho_body_with_vtimezone_component_and_foreign_color_namespace() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}soho/", calendar_home(&u));
    let body = request_fixture("soho-organizer-mkcalendar-all-components.xml");
    let props = [
        (DAV, "displayname"),
        (CAL, "supported-calendar-component-set"),
        ("com.apple.ical:", "calendarcolor"),
    ];
    let m = create_then_props(&s, &u, mkcalendar, &path, &body, &props);
    assert_eq!(text(&m, DAV, "displayname"), "SOHO collection");
    let comps = component_set(&m);
    for c in ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"] {
        assert!(comps.iter().any(|x| x == c), "{c} missing from {comps:?}");
    }
    // A property in an unknown namespace set at creation is kept (RFC 4918 dead property).
    assert_eq!(text(&m, "com.apple.ical:", "calendarcolor"), "#0000FFFF");
}

#[test]
fn extended_mkcol_radicale_body_creates_a_calendar() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}radicale/", calendar_home(&u));
    let body = request_fixture("radicale-extended-mkcol-calendar.xml");
    let props = [(DAV, "resourcetype"), (APPLE, "calendar-color")];
    let m = create_then_props(&s, &u, mkcol, &path, &body, &props);
    assert!(has_type(&m, DAV, "collection"), "{m:?}");
    assert!(has_type(&m, CAL, "calendar"), "{m:?}");
    assert_eq!(text(&m, APPLE, "calendar-color"), "#BADA55");
}

#[test]
fn mkcalendar_on_an_existing_calendar_is_405_resource_must_be_null_and_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = calendar_url(&u);
    let names = [(DAV, "displayname"), (DAV, "sync-token")];
    let before = props_of(&s, &u, &path, &names);
    let body = request_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
    let r = mkcalendar(&s, &u, &path, &body);
    assert_dav_error(&r, 405, DAV, "resource-must-be-null");
    // RFC 9110 §15.5.6: a 405 response MUST carry Allow.
    assert!(
        r.header("allow").is_some(),
        "405 without Allow; headers: {:?}",
        r.headers
    );
    assert_unchanged(&before, &props_of(&s, &u, &path, &names), &names);

    // Same for an extended MKCOL on the existing address book.
    let body = request_fixture("extended-mkcol-addressbook.xml");
    let r = mkcol(&s, &u, &addressbook_url(&u), &body);
    assert_dav_error(&r, 405, DAV, "resource-must-be-null");
    let ab = props_of(&s, &u, &addressbook_url(&u), &[(DAV, "displayname")]);
    assert_ne!(text(&ab, DAV, "displayname"), "User 2's Addresses");
}

#[test]
fn mkcalendar_outside_the_calendar_home_is_403_calendar_collection_location_ok() {
    let s = Server::start();
    let u = s.new_user("coll");
    let body = request_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
    let ab_members = home_members(&s, &u, &addressbook_home(&u));

    // Inside the address-book home.
    let path = format!("{}cal-here/", addressbook_home(&u));
    let r = mkcalendar(&s, &u, &path, &body);
    assert_dav_error(&r, 403, CAL, "calendar-collection-location-ok");
    assert_eq!(home_members(&s, &u, &addressbook_home(&u)), ab_members);
    assert_absent(&s, &u, &path);

    // Inside another calendar (calendar collections must not nest, RFC 4791 §4.2).
    let cal_members = home_members(&s, &u, &calendar_home(&u));
    let nested = format!("{}nested/", calendar_url(&u));
    let r = mkcalendar(&s, &u, &nested, &body);
    assert_dav_error(&r, 403, CAL, "calendar-collection-location-ok");
    assert_eq!(home_members(&s, &u, &calendar_home(&u)), cal_members);
    assert_no_members(&s, &u, &calendar_url(&u));
}

#[test]
fn extended_mkcol_davical_body_creates_an_address_book() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}addressbook/", addressbook_home(&u));
    let body = request_fixture("extended-mkcol-addressbook.xml");
    let props = [(DAV, "resourcetype"), (DAV, "displayname")];
    let m = create_then_props(&s, &u, mkcol, &path, &body, &props);
    assert!(has_type(&m, DAV, "collection"), "{m:?}");
    assert!(has_type(&m, CARD, "addressbook"), "{m:?}");
    assert!(!has_type(&m, CAL, "calendar"), "{m:?}");
    assert_eq!(text(&m, DAV, "displayname"), "User 2's Addresses");
    assert!(home_members(&s, &u, &addressbook_home(&u)).contains(&path));
    let card = vcard("c-1", "Ann");
    put_created(&s, &u, &format!("{path}c.vcf"), card.as_bytes());
}

#[test]
fn extended_mkcol_caldavtester_body_sets_addressbook_description() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}adbktest1/", addressbook_home(&u));
    let body = request_fixture("extended-mkcol-addressbook-description.xml");
    let props = [
        (DAV, "resourcetype"),
        (DAV, "displayname"),
        (CARD, "addressbook-description"),
    ];
    let m = create_then_props(&s, &u, mkcol, &path, &body, &props);
    assert!(has_type(&m, CARD, "addressbook"), "{m:?}");
    assert_eq!(text(&m, DAV, "displayname"), "An Address Book");
    assert_eq!(
        text(&m, CARD, "addressbook-description"),
        "First CardDAV address book."
    );
}

#[test]
fn plain_mkcol_without_body_is_403_valid_resourcetype_and_creates_nothing() {
    let s = Server::start();
    let u = s.new_user("coll");
    for home in [calendar_home(&u), addressbook_home(&u)] {
        let before = home_members(&s, &u, &home);
        let path = format!("{home}plain/");
        let r = mkcol(&s, &u, &path, "");
        assert_dav_error(&r, 403, DAV, "valid-resourcetype");
        assert_eq!(home_members(&s, &u, &home), before);
        assert_absent(&s, &u, &path);
    }
}

/// A calendar-timezone value: the Calendar Server's Europe/Zurich VCALENDAR, CRs escaped as
/// `&#13;` the way Apple clients send them.
fn zurich_timezone() -> String {
    String::from_utf8(fixture("ical/server-vtimezone-europe-zurich.ics")).expect("utf-8")
}

#[test]
fn proppatch_sets_displayname_color_order_description_and_timezone() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = calendar_url(&u);
    let tz = zurich_timezone();
    let body = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
  <D:set><D:prop>
    <D:displayname>Work</D:displayname>
    <I:calendar-color>#11223344</I:calendar-color>
    <I:calendar-order>3</I:calendar-order>
    <C:calendar-description>Office hours</C:calendar-description>
    <C:calendar-timezone>{}</C:calendar-timezone>
  </D:prop></D:set>
</D:propertyupdate>"##,
        tz.replace('\r', "&#13;")
    );
    let r = proppatch_req(&s, &u, &path, body.as_bytes());
    let rs = multistatus(&r);
    assert_eq!(rs.len(), 1);
    let props = [
        (DAV, "displayname"),
        (APPLE, "calendar-color"),
        (APPLE, "calendar-order"),
        (CAL, "calendar-description"),
        (CAL, "calendar-timezone"),
    ];
    for (ns, local) in props {
        assert_propstat(&r, &rs[0], ns, local, 200);
    }

    let m = props_of(&s, &u, &path, &props);
    assert_eq!(text(&m, DAV, "displayname"), "Work");
    assert_eq!(text(&m, APPLE, "calendar-color"), "#11223344");
    assert_eq!(text(&m, APPLE, "calendar-order"), "3");
    assert_eq!(text(&m, CAL, "calendar-description"), "Office hours");
    assert_eq!(
        text(&m, CAL, "calendar-timezone").replace("\r\n", "\n"),
        tz.replace("\r\n", "\n")
    );
}

#[test]
fn proppatch_with_invalid_calendar_timezone_fails_atomically() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = calendar_url(&u);
    let names = [
        (DAV, "displayname"),
        (CAL, "calendar-timezone"),
        (DAV, "sync-token"),
    ];
    let before = props_of(&s, &u, &path, &names);
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>Renamed</D:displayname>
    <C:calendar-timezone>Europe/Zurich is not a VCALENDAR</C:calendar-timezone>
  </D:prop></D:set>
</D:propertyupdate>"#;
    let r = proppatch_req(&s, &u, &path, body.as_bytes());
    // RFC 4918 §9.2: 207 with 403 for the bad property and 424 for the others; RFC 4791
    // §5.2.2 names the precondition CALDAV:valid-calendar-data.
    let rs = multistatus(&r);
    assert_eq!(rs.len(), 1);
    assert_propstat(&r, &rs[0], CAL, "calendar-timezone", 403);
    assert_propstat(&r, &rs[0], DAV, "displayname", 424);
    let doc = parse_xml(&r);
    let errors = descendants(&doc, DAV, "error");
    assert!(
        errors
            .iter()
            .any(|e| e.child(CAL, "valid-calendar-data").is_some()),
        "no DAV:error with CALDAV:valid-calendar-data: {}",
        r.text()
    );

    let after = props_of(&s, &u, &path, &names);
    // The timezone may be unset (not 200) before and after; the others are always answered.
    let answered = [(DAV, "displayname"), (DAV, "sync-token")];
    assert_unchanged(&before, &after, &answered);
    assert_eq!(
        before.ok_prop(CAL, "calendar-timezone").map(|e| e.text()),
        after.ok_prop(CAL, "calendar-timezone").map(|e| e.text())
    );
}

#[test]
fn proppatch_ical3_body_renames_the_calendar() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = calendar_url(&u);
    let body = request_fixture("ical-3-proppatch.xml");
    let r = s.request(
        "PROPPATCH",
        &path,
        Some(&u),
        &[("Content-Type", "text/xml")],
        body.as_bytes(),
    );
    assert_propstat(&r, &multistatus(&r)[0], DAV, "displayname", 200);
    let m = props_of(&s, &u, &path, &[(DAV, "displayname")]);
    assert_eq!(text(&m, DAV, "displayname"), "iCal Calendar");
}

#[test]
fn proppatch_radicale_body_removes_color_and_sets_description_together() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = calendar_url(&u);
    let set_color = r##"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><I:calendar-color xmlns:I="http://apple.com/ns/ical/">#00FF00</I:calendar-color></D:prop></D:set></D:propertyupdate>"##;
    let r = proppatch_req(&s, &u, &path, set_color.as_bytes());
    assert_propstat(&r, &multistatus(&r)[0], APPLE, "calendar-color", 200);
    let m = props_of(&s, &u, &path, &[(APPLE, "calendar-color")]);
    assert_eq!(text(&m, APPLE, "calendar-color"), "#00FF00");

    let body = request_fixture("radicale-proppatch-set-and-remove.xml");
    let r = proppatch_req(&s, &u, &path, body.as_bytes());
    let rs = multistatus(&r);
    let props = [(APPLE, "calendar-color"), (CAL, "calendar-description")];
    for (ns, local) in props {
        assert_propstat(&r, &rs[0], ns, local, 200);
    }
    let m = props_of(&s, &u, &path, &props);
    assert_eq!(
        m.prop(APPLE, "calendar-color").map(|x| x.0),
        Some(404),
        "{m:?}"
    );
    assert_eq!(text(&m, CAL, "calendar-description"), "test2");
}

#[test]
fn delete_calendar_removes_it_and_its_objects() {
    let s = Server::start();
    let u = s.new_user("coll");
    let path = format!("{}doomed/", calendar_home(&u));
    let body = request_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
    assert_eq!(mkcalendar(&s, &u, &path, &body).status, 201);
    let objects = [format!("{path}a.ics"), format!("{path}b.ics")];
    for (i, o) in objects.iter().enumerate() {
        put_created(&s, &u, o, event(&format!("doomed-{i}"), "x").as_bytes());
    }
    assert!(home_members(&s, &u, &calendar_home(&u)).contains(&path));

    let r = delete_req(&s, &u, &path);
    assert_eq!(r.status, 204, "{}", r.text());
    for o in &objects {
        assert_eq!(get_req(&s, &u, o).status, 404, "{o}");
    }
    assert_absent(&s, &u, &path);
    assert!(!home_members(&s, &u, &calendar_home(&u)).contains(&path));
    // The default calendar is untouched.
    assert!(home_members(&s, &u, &calendar_home(&u)).contains(&calendar_url(&u)));
    // The UIDs are free again in a new calendar of the same name.
    assert_eq!(mkcalendar(&s, &u, &path, &body).status, 201);
    put_created(&s, &u, &objects[0], event("doomed-0", "again").as_bytes());
}

#[test]
fn creating_collections_in_someone_elses_home_is_403() {
    let s = Server::start();
    let owner = s.new_user("owner");
    let intruder = s.new_user("intruder");
    let cal_before = home_members(&s, &owner, &calendar_home(&owner));
    let ab_before = home_members(&s, &owner, &addressbook_home(&owner));

    let body = request_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
    let path = format!("{}planted/", calendar_home(&owner));
    let r = mkcalendar(&s, &intruder, &path, &body);
    assert_dav_error(&r, 403, DAV, "need-privileges");

    let body = request_fixture("extended-mkcol-addressbook.xml");
    let path = format!("{}planted/", addressbook_home(&owner));
    let r = mkcol(&s, &intruder, &path, &body);
    assert_dav_error(&r, 403, DAV, "need-privileges");

    assert_eq!(home_members(&s, &owner, &calendar_home(&owner)), cal_before);
    assert_eq!(
        home_members(&s, &owner, &addressbook_home(&owner)),
        ab_before
    );
    assert!(
        !home_members(&s, &intruder, &calendar_home(&intruder))
            .iter()
            .any(|h| h.contains("planted"))
    );
}

#[test]
fn propname_lists_each_property_once_and_foreign_props_read_back() {
    let s = Server::start();
    let u = s.new_user("pn");
    let r = propfind_req(
        &s,
        &u,
        &calendar_url(&u),
        "0",
        br#"<propfind xmlns="DAV:"><propname/></propfind>"#,
    );
    assert_eq!(r.status, 207, "{}", r.text());
    let root = parse_xml(&r);
    let names: Vec<String> = descendants(&root, NS_DAV, "prop")
        .iter()
        .flat_map(|p| {
            p.elements()
                .map(|e| format!("{}{}", e.name.ns, e.name.local))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        names.len(),
        unique.len(),
        "a property listed twice: {names:?}"
    );
    // An Apple calendar-color set on an address book means nothing there, but what PROPPATCH
    // accepted must read back.
    let book = addressbook_url(&u);
    let body = br#"<D:propertyupdate xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><A:calendar-color>#FF0000</A:calendar-color></D:prop></D:set></D:propertyupdate>"#;
    assert_eq!(proppatch_req(&s, &u, &book, body).status, 207);
    let r = propfind_req(
        &s,
        &u,
        &book,
        "0",
        &propfind_body(&[(NS_APPLE_ICAL, "calendar-color")]),
    );
    assert!(r.text().contains("#FF0000"), "{}", r.text());
}
