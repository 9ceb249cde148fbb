//! Calendar objects and vCards: PUT/GET/HEAD/DELETE with strong ETags and conditional headers
//! (RFC 7232, compat pitfall 4), UID uniqueness (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1, pitfall
//! 5), content validation preconditions, href round trips of awkward names (pitfall 11) and the
//! storage quota (RFC 4331).

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;
const CARD: &str = NS_CARDDAV;

/// A refusal: status, the `<D:error>` condition and a non-empty `DS:message` (urn:davsuite:ns).
#[track_caller]
fn assert_refused(r: &Resp, status: u16, ns: &str, local: &str) {
    assert_dav_error(r, status, ns, local);
    let doc = parse_xml(r);
    let msg = doc
        .child(NS_DAVSUITE, "message")
        .unwrap_or_else(|| panic!("no DS:message: {}", r.text()));
    assert!(
        !msg.text().trim().is_empty(),
        "empty DS:message: {}",
        r.text()
    );
}

fn get(s: &Server, u: &User, path: &str) -> Resp {
    s.request("GET", path, Some(u), &[], b"")
}

/// The ETag header, which must be a strong entity tag.
#[track_caller]
fn strong_etag(r: &Resp) -> String {
    let etag = r
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag on {} answer", r.status))
        .to_owned();
    assert!(!etag.starts_with("W/"), "weak ETag {etag}");
    assert!(
        etag.len() >= 2 && etag.starts_with('"') && etag.ends_with('"'),
        "ETag is not a quoted entity-tag: {etag}"
    );
    etag
}

#[test]
fn put_creates_with_strong_etag_and_get_returns_the_same_bytes() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}e1.ics", calendar_url(&u));
    let body = event("obj-e1", "Lunch");
    let r = put_req(&s, &u, &path, body.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let etag = strong_etag(&r);

    let g = get(&s, &u, &path);
    assert_eq!(g.status, 200);
    assert_eq!(g.body, body.as_bytes(), "GET must return the bytes PUT");
    assert_eq!(g.header("etag"), Some(etag.as_str()));
    let ct = g.header("content-type").expect("content-type");
    assert!(
        ct.to_ascii_lowercase().starts_with("text/calendar"),
        "content-type {ct}"
    );

    // PROPFIND reports the same ETag.
    let pf = propfind_req(&s, &u, &path, "0", &propfind_body(&[(DAV, "getetag")]));
    let rs = multistatus(&pf);
    assert_eq!(
        rs[0].ok_prop(DAV, "getetag").map(|e| e.text()),
        Some(etag.clone())
    );
}

#[test]
fn put_over_an_existing_object_is_204_with_a_new_etag() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}e1.ics", calendar_url(&u));
    let first = put_req(&s, &u, &path, event("obj-e1", "v1").as_bytes());
    assert_eq!(first.status, 201);
    let v2 = event("obj-e1", "v2");
    let second = put_req(&s, &u, &path, v2.as_bytes());
    assert_eq!(second.status, 204, "{}", second.text());
    let e2 = strong_etag(&second);
    assert_ne!(e2, strong_etag(&first));
    let g = get(&s, &u, &path);
    assert_eq!(g.body, v2.as_bytes());
    assert_eq!(g.header("etag"), Some(e2.as_str()));
}

#[test]
fn if_none_match_star_on_an_existing_object_is_412_and_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let path = format!("{coll}e1.ics");
    let v1 = event("obj-e1", "v1");
    assert_eq!(put_req(&s, &u, &path, v1.as_bytes()).status, 201);
    let before = collection_state(&s, &u, &coll);
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/calendar"), ("If-None-Match", "*")],
        event("obj-e1", "v2").as_bytes(),
    );
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get(&s, &u, &path).body, v1.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    // And on a new name it creates.
    let r = s.request(
        "PUT",
        &format!("{coll}e2.ics"),
        Some(&u),
        &[("Content-Type", "text/calendar"), ("If-None-Match", "*")],
        event("obj-e2", "new").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn if_match_stale_is_412_unchanged_and_current_is_204() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let path = format!("{coll}e1.ics");
    let stale = strong_etag(&put_req(&s, &u, &path, event("obj-e1", "v1").as_bytes()));
    let v2 = event("obj-e1", "v2");
    let current = strong_etag(&put_req(&s, &u, &path, v2.as_bytes()));
    let before = collection_state(&s, &u, &coll);

    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/calendar"), ("If-Match", &stale)],
        event("obj-e1", "v3-lost-update").as_bytes(),
    );
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get(&s, &u, &path).body, v2.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    let v3 = event("obj-e1", "v3");
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/calendar"), ("If-Match", &current)],
        v3.as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let e3 = strong_etag(&r);
    let g = get(&s, &u, &path);
    assert_eq!(g.body, v3.as_bytes());
    assert_eq!(g.header("etag"), Some(e3.as_str()));
}

#[test]
fn delete_with_stale_if_match_is_412_then_current_is_204_then_get_404() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let path = format!("{coll}e1.ics");
    let stale = strong_etag(&put_req(&s, &u, &path, event("obj-e1", "v1").as_bytes()));
    let v2 = event("obj-e1", "v2");
    let current = strong_etag(&put_req(&s, &u, &path, v2.as_bytes()));
    let before = collection_state(&s, &u, &coll);

    let r = s.request("DELETE", &path, Some(&u), &[("If-Match", &stale)], b"");
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get(&s, &u, &path).body, v2.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    let r = s.request("DELETE", &path, Some(&u), &[("If-Match", &current)], b"");
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(get(&s, &u, &path).status, 404);
}

#[test]
fn head_has_content_length_and_etag_but_no_body() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}e1.ics", calendar_url(&u));
    let body = event("obj-e1", "Head");
    let etag = strong_etag(&put_req(&s, &u, &path, body.as_bytes()));
    let r = s.request("HEAD", &path, Some(&u), &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty(), "HEAD answered with a body");
    assert_eq!(
        r.header("content-length"),
        Some(body.len().to_string().as_str())
    );
    assert_eq!(r.header("etag"), Some(etag.as_str()));
}

#[test]
fn get_with_if_none_match_of_the_current_etag_is_304() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}e1.ics", calendar_url(&u));
    let etag = strong_etag(&put_req(&s, &u, &path, event("obj-e1", "x").as_bytes()));
    let r = s.request("GET", &path, Some(&u), &[("If-None-Match", &etag)], b"");
    assert_eq!(r.status, 304, "{}", r.text());
    assert!(r.body.is_empty());
    // A different tag gets the full answer.
    let r = s.request(
        "GET",
        &path,
        Some(&u),
        &[("If-None-Match", "\"something-else\"")],
        b"",
    );
    assert_eq!(r.status, 200);
}

#[test]
fn second_object_with_the_same_uid_in_a_calendar_is_409_no_uid_conflict_naming_the_first() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let first = format!("{coll}first.ics");
    assert_eq!(
        put_req(&s, &u, &first, event("dup-uid", "one").as_bytes()).status,
        201
    );
    let before = collection_state(&s, &u, &coll);
    let second = format!("{coll}second.ics");
    let r = put_req(&s, &u, &second, event("dup-uid", "two").as_bytes());
    assert_refused(&r, 409, CAL, "no-uid-conflict");
    let doc = parse_xml(&r);
    let hrefs: Vec<String> = descendants(&doc, CAL, "no-uid-conflict")
        .iter()
        .flat_map(|c| descendants(c, DAV, "href"))
        .map(|h| h.text().trim().to_owned())
        .collect();
    assert_eq!(hrefs, vec![first.clone()], "{}", r.text());
    assert_eq!(get(&s, &u, &second).status, 404);
    assert_eq!(collection_state(&s, &u, &coll), before);
}

#[test]
fn second_vcard_with_the_same_uid_in_an_address_book_is_409_carddav_no_uid_conflict() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = addressbook_url(&u);
    let first = format!("{coll}first.vcf");
    assert_eq!(
        put_req(&s, &u, &first, vcard("dup-card", "One").as_bytes()).status,
        201
    );
    let before = collection_state(&s, &u, &coll);
    let second = format!("{coll}second.vcf");
    let r = put_req(&s, &u, &second, vcard("dup-card", "Two").as_bytes());
    assert_refused(&r, 409, CARD, "no-uid-conflict");
    let doc = parse_xml(&r);
    let hrefs: Vec<String> = descendants(&doc, CARD, "no-uid-conflict")
        .iter()
        .flat_map(|c| descendants(c, DAV, "href"))
        .map(|h| h.text().trim().to_owned())
        .collect();
    assert_eq!(hrefs, vec![first.clone()], "{}", r.text());
    assert_eq!(get(&s, &u, &second).status, 404);
    assert_eq!(collection_state(&s, &u, &coll), before);
}

/// Decision (compat pitfall 5): UIDs are unique per collection, as RFC 4791 §5.3.2.1 words it
/// ("in use in the targeted calendar collection"); the same UID in another calendar of the same
/// user is allowed (invitations and copies rely on it).
#[test]
fn same_uid_in_another_calendar_of_the_same_user_is_allowed() {
    let s = Server::start();
    let u = s.new_user("obj");
    let other = format!("/dav/calendars/{}/second/", u.login);
    let r = s.request("MKCALENDAR", &other, Some(&u), &[], b"");
    assert_eq!(r.status, 201, "{}", r.text());
    let a = format!("{}shared.ics", calendar_url(&u));
    let b = format!("{other}shared-copy.ics");
    assert_eq!(
        put_req(&s, &u, &a, event("shared-uid", "a").as_bytes()).status,
        201
    );
    let r = put_req(&s, &u, &b, event("shared-uid", "b").as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get(&s, &u, &a).status, 200);
    assert_eq!(get(&s, &u, &b).status, 200);
    // Another user may of course use it too.
    let v = s.new_user("obj");
    let c = format!("{}shared.ics", calendar_url(&v));
    assert_eq!(
        put_req(&s, &v, &c, event("shared-uid", "c").as_bytes()).status,
        201
    );
}

/// The refused PUT left nothing behind.
#[track_caller]
fn assert_not_stored(s: &Server, u: &User, coll: &str, path: &str, before: &[(String, String)]) {
    assert_eq!(get(s, u, path).status, 404, "{path} was stored");
    assert_eq!(collection_state(s, u, coll), before, "collection changed");
}

#[test]
fn malformed_icalendar_is_403_valid_calendar_data_with_a_message() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let before = collection_state(&s, &u, &coll);
    let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
    for f in [
        "malformed-broken-ical.ics",
        "malformed-broken-vevent.ics",
        "malformed-fuzz-vtimezone-lone-cr.ics",
    ] {
        bodies.push((f.to_owned(), fixture(&format!("ical/{f}"))));
    }
    bodies.push((
        "not-ical.ics".into(),
        b"hello, this is not a calendar\r\n".to_vec(),
    ));
    bodies.push(("empty.ics".into(), Vec::new()));
    bodies.push((
        "unterminated.ics".into(),
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\n".to_vec(),
    ));
    bodies.push((
        "bad-dtstart.ics".into(),
        event("bad-dt", "x")
            .replace("DTSTART:20240102T100000Z", "DTSTART:2024-01-02 at ten")
            .into_bytes(),
    ));
    for (name, body) in bodies {
        let path = format!("{coll}{name}");
        let r = put_req(&s, &u, &path, &body);
        assert_refused(&r, 403, CAL, "valid-calendar-data");
        assert_not_stored(&s, &u, &coll, &path, &before);
    }
}

/// RFC 4791 §5.3.2.1 names the precondition for breaking the §4.1 rules (no METHOD, one UID,
/// one component type) CALDAV:valid-calendar-object-resource.
#[test]
fn method_property_is_403_valid_calendar_object_resource() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let before = collection_state(&s, &u, &coll);
    let body = event("with-method", "Invite").replace(
        "PRODID:-//davsuite tests//EN\r\n",
        "PRODID:-//davsuite tests//EN\r\nMETHOD:REQUEST\r\n",
    );
    assert!(body.contains("METHOD:REQUEST"));
    let path = format!("{coll}method.ics");
    let r = put_req(&s, &u, &path, body.as_bytes());
    assert_refused(&r, 403, CAL, "valid-calendar-object-resource");
    assert_not_stored(&s, &u, &coll, &path, &before);
}

#[test]
fn two_uids_in_one_object_is_403_valid_calendar_object_resource() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let before = collection_state(&s, &u, &coll);
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VEVENT\r\nUID:uid-one\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nSUMMARY:one\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:uid-two\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240103T100000Z\r\nSUMMARY:two\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let path = format!("{coll}two-uids.ics");
    let r = put_req(&s, &u, &path, body.as_bytes());
    assert_refused(&r, 403, CAL, "valid-calendar-object-resource");
    assert_not_stored(&s, &u, &coll, &path, &before);
}

#[test]
fn vcard_without_uid_is_403_valid_address_data() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = addressbook_url(&u);
    let before = collection_state(&s, &u, &coll);
    let body = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nN:Uid;No;;;\r\nEND:VCARD\r\n";
    let path = format!("{coll}no-uid.vcf");
    let r = put_req(&s, &u, &path, body.as_bytes());
    assert_refused(&r, 403, CARD, "valid-address-data");
    assert_not_stored(&s, &u, &coll, &path, &before);
}

#[test]
fn vcalendar_into_an_address_book_is_403() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = addressbook_url(&u);
    let before = collection_state(&s, &u, &coll);
    let body = event("cal-in-ab", "x");

    // Declared as text/calendar: not a supported media type (RFC 6352 §6.3.2.1).
    let path = format!("{coll}event.ics");
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/calendar; charset=utf-8")],
        body.as_bytes(),
    );
    assert_refused(&r, 403, CARD, "supported-address-data");
    assert_not_stored(&s, &u, &coll, &path, &before);

    // Sent as text/vcard: not valid vCard data.
    let path = format!("{coll}event.vcf");
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/vcard; charset=utf-8")],
        body.as_bytes(),
    );
    assert_refused(&r, 403, CARD, "valid-address-data");
    assert_not_stored(&s, &u, &coll, &path, &before);
}

#[test]
fn text_vcard_content_type_into_a_calendar_is_403_supported_calendar_data() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let before = collection_state(&s, &u, &coll);
    let path = format!("{coll}card.ics");
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("Content-Type", "text/vcard; charset=utf-8")],
        vcard("card-in-cal", "Ann").as_bytes(),
    );
    assert_refused(&r, 403, CAL, "supported-calendar-data");
    assert_not_stored(&s, &u, &coll, &path, &before);
}

#[test]
fn put_into_a_collection_that_does_not_exist_is_409() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("/dav/calendars/{}/nowhere/e.ics", u.login);
    let r = put_req(&s, &u, &path, event("nowhere", "x").as_bytes());
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(get(&s, &u, &path).status, 404);
    let path = format!("/dav/addressbooks/{}/nowhere/c.vcf", u.login);
    let r = put_req(&s, &u, &path, vcard("nowhere", "x").as_bytes());
    assert_eq!(r.status, 409, "{}", r.text());
}

fn decode(seg: &str) -> String {
    percent_encoding::percent_decode_str(seg)
        .decode_utf8()
        .expect("utf-8 href")
        .into_owned()
}

#[test]
fn awkward_names_round_trip_through_propfind_hrefs() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    // (name as it should decode, path as sent, uid)
    let cases = [
        ("a b.ics", "a%20b.ics", "awk-space"),
        ("x@y.ics", "x@y.ics", "awk-at"),
        ("#hash.ics", "%23hash.ics", "awk-hash"),
        ("é.ics", "%C3%A9.ics", "awk-eacute"),
    ];
    for (_, sent, uid) in &cases {
        let r = put_req(&s, &u, &format!("{coll}{sent}"), event(uid, uid).as_bytes());
        assert_eq!(r.status, 201, "{sent}: {}", r.text());
    }
    let pf = propfind_req(&s, &u, &coll, "1", &propfind_body(&[(DAV, "getetag")]));
    let members: Vec<MsResponse> = multistatus(&pf)
        .into_iter()
        .filter(|m| m.href != coll)
        .collect();
    assert_eq!(members.len(), cases.len(), "{}", pf.text());
    for (name, _, uid) in &cases {
        let m = members
            .iter()
            .find(|m| decode(m.href.rsplit('/').next().unwrap()) == *name)
            .unwrap_or_else(|| panic!("{name:?} not listed: {}", pf.text()));
        assert!(m.href.starts_with(&coll), "{}", m.href);
        assert!(
            m.href.is_ascii() && !m.href.contains(' ') && !m.href[1..].contains('#'),
            "href must be a valid URI path: {:?}",
            m.href
        );
        // The href, used verbatim, reaches the object.
        let g = get(&s, &u, &m.href);
        assert_eq!(g.status, 200, "GET {}", m.href);
        assert_eq!(g.body, event(uid, uid).as_bytes(), "GET {}", m.href);
        assert_eq!(
            g.header("etag"),
            m.ok_prop(DAV, "getetag").map(|e| e.text()).as_deref()
        );
    }
}

#[test]
fn quota_exceeded_is_507_quota_not_exceeded_and_the_quota_properties_add_up() {
    const QUOTA: i64 = 2000;
    let s = Server::start_with_config(Some("[limits]\nquota_bytes = 2000\n"));
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let mut stored: i64 = 0;
    let mut refused = None;
    for i in 0..50 {
        let body = event(&format!("quota-{i}"), "filling the quota up");
        let path = format!("{coll}q{i}.ics");
        let r = put_req(&s, &u, &path, body.as_bytes());
        if r.status == 201 {
            stored += body.len() as i64;
            assert!(
                stored <= QUOTA,
                "stored {stored} bytes over a {QUOTA}-byte quota"
            );
            continue;
        }
        refused = Some((r, path, body.len() as i64));
        break;
    }
    let (r, path, size) = refused.expect("the quota was never reached");
    assert_refused(&r, 507, DAV, "quota-not-exceeded");
    assert!(stored + size > QUOTA, "refused although it fitted");
    assert_eq!(get(&s, &u, &path).status, 404);

    let home = format!("/dav/calendars/{}/", u.login);
    for target in [home.as_str(), coll.as_str()] {
        let pf = propfind_req(
            &s,
            &u,
            target,
            "0",
            &propfind_body(&[(DAV, "quota-used-bytes"), (DAV, "quota-available-bytes")]),
        );
        let rs = multistatus(&pf);
        let num = |local: &str| -> i64 {
            rs[0]
                .ok_prop(DAV, local)
                .unwrap_or_else(|| panic!("{local} missing on {target}: {}", pf.text()))
                .text()
                .trim()
                .parse()
                .expect("a number")
        };
        let used = num("quota-used-bytes");
        let available = num("quota-available-bytes");
        assert_eq!(used, stored, "{target}");
        assert_eq!(used + available, QUOTA, "{target}");
    }
}

#[test]
fn vtodo_into_the_default_calendar_is_201() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}task.ics", calendar_url(&u));
    let body = todo("task-1", "Water the plants");
    let r = put_req(&s, &u, &path, body.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let g = get(&s, &u, &path);
    assert_eq!(g.body, body.as_bytes());
    assert_eq!(g.header("etag"), Some(strong_etag(&r).as_str()));
}
