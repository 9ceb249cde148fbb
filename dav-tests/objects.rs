//! Calendar objects and vCards: PUT/GET/HEAD/DELETE with strong ETags and conditional headers
//! (RFC 7232, compat pitfall 4), UID uniqueness (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1, pitfall
//! 5), content validation preconditions, href round trips of awkward names (pitfall 11) and the
//! storage quota (RFC 4331).

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;
const CARD: &str = NS_CARDDAV;

/// The Content-Types `put_req` declares for `.ics` and for `.vcf` paths.
const ICS: &str = "text/calendar; charset=utf-8";
const VCF: &str = "text/vcard; charset=utf-8";

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

/// GET answers 200 with exactly `body` and `etag`; the answer, for further checks.
#[track_caller]
fn assert_get_returns(s: &Server, u: &User, path: &str, body: &[u8], etag: &str) -> Resp {
    let g = get_req(s, u, path);
    assert_eq!(g.status, 200, "GET {path}");
    assert_eq!(g.body, body, "GET must return the bytes PUT");
    assert_eq!(g.header("etag"), Some(etag));
    g
}

/// A PUT declared as `text/calendar` with one conditional header (If-Match, If-None-Match).
fn conditional_put(s: &Server, u: &User, path: &str, condition: (&str, &str), body: &[u8]) -> Resp {
    let h = [("Content-Type", "text/calendar"), condition];
    s.request("PUT", path, Some(u), &h, body)
}

#[test]
fn put_creates_with_strong_etag_and_get_returns_the_same_bytes() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("{}e1.ics", calendar_url(&u));
    let body = event("obj-e1", "Lunch");
    let etag = strong_etag(&put_created(&s, &u, &path, body.as_bytes()));

    let g = assert_get_returns(&s, &u, &path, body.as_bytes(), &etag);
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
    let first = put_created(&s, &u, &path, event("obj-e1", "v1").as_bytes());
    let v2 = event("obj-e1", "v2");
    let second = put_req(&s, &u, &path, v2.as_bytes());
    assert_eq!(second.status, 204, "{}", second.text());
    let e2 = strong_etag(&second);
    assert_ne!(e2, strong_etag(&first));
    assert_get_returns(&s, &u, &path, v2.as_bytes(), &e2);
}

#[test]
fn if_none_match_star_on_an_existing_object_is_412_and_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
    let path = format!("{coll}e1.ics");
    let v1 = event("obj-e1", "v1");
    put_created(&s, &u, &path, v1.as_bytes());
    let before = collection_state(&s, &u, &coll);
    let if_none = ("If-None-Match", "*");
    let r = conditional_put(&s, &u, &path, if_none, event("obj-e1", "v2").as_bytes());
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get_req(&s, &u, &path).body, v1.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    // And on a new name it creates.
    let new = format!("{coll}e2.ics");
    let r = conditional_put(&s, &u, &new, if_none, event("obj-e2", "new").as_bytes());
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

    let lost_update = event("obj-e1", "v3-lost-update");
    let r = conditional_put(&s, &u, &path, ("If-Match", &stale), lost_update.as_bytes());
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get_req(&s, &u, &path).body, v2.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    let v3 = event("obj-e1", "v3");
    let r = conditional_put(&s, &u, &path, ("If-Match", &current), v3.as_bytes());
    assert_eq!(r.status, 204, "{}", r.text());
    assert_get_returns(&s, &u, &path, v3.as_bytes(), &strong_etag(&r));
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
    assert_eq!(get_req(&s, &u, &path).body, v2.as_bytes());
    assert_eq!(collection_state(&s, &u, &coll), before);

    let r = s.request("DELETE", &path, Some(&u), &[("If-Match", &current)], b"");
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(get_req(&s, &u, &path).status, 404);
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

/// PUTs `first_body` as `first.{ext}` into `coll`, then `second_body` (same UID) as
/// `second.{ext}`: refused with 409 and a `{ns}no-uid-conflict` naming the first href, and
/// nothing changed.
#[track_caller]
fn assert_uid_conflict(
    s: &Server,
    u: &User,
    coll: &str,
    ext: &str,
    (first_body, second_body): (String, String),
    ns: &str,
) {
    let first = format!("{coll}first.{ext}");
    put_created(s, u, &first, first_body.as_bytes());
    let before = collection_state(s, u, coll);
    let second = format!("{coll}second.{ext}");
    let r = put_req(s, u, &second, second_body.as_bytes());
    assert_refused(&r, 409, ns, "no-uid-conflict");
    let doc = parse_xml(&r);
    let hrefs: Vec<String> = descendants(&doc, ns, "no-uid-conflict")
        .iter()
        .flat_map(|c| descendants(c, DAV, "href"))
        .map(|h| h.text().trim().to_owned())
        .collect();
    assert_eq!(hrefs, vec![first], "{}", r.text());
    assert_not_stored(s, u, coll, &second, &before);
}

#[test]
fn second_object_with_the_same_uid_in_a_calendar_is_409_no_uid_conflict_naming_the_first() {
    let s = Server::start();
    let u = s.new_user("obj");
    let bodies = (event("dup-uid", "one"), event("dup-uid", "two"));
    assert_uid_conflict(&s, &u, &calendar_url(&u), "ics", bodies, CAL);
}

#[test]
fn second_vcard_with_the_same_uid_in_an_address_book_is_409_carddav_no_uid_conflict() {
    let s = Server::start();
    let u = s.new_user("obj");
    let bodies = (vcard("dup-card", "One"), vcard("dup-card", "Two"));
    assert_uid_conflict(&s, &u, &addressbook_url(&u), "vcf", bodies, CARD);
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
    put_created(&s, &u, &a, event("shared-uid", "a").as_bytes());
    put_created(&s, &u, &b, event("shared-uid", "b").as_bytes());
    assert_eq!(get_req(&s, &u, &a).status, 200);
    assert_eq!(get_req(&s, &u, &b).status, 200);
    // Another user may of course use it too.
    let v = s.new_user("obj");
    let c = format!("{}shared.ics", calendar_url(&v));
    put_created(&s, &v, &c, event("shared-uid", "c").as_bytes());
}

/// The refused PUT left nothing behind.
#[track_caller]
fn assert_not_stored(s: &Server, u: &User, coll: &str, path: &str, before: &[(String, String)]) {
    assert_eq!(get_req(s, u, path).status, 404, "{path} was stored");
    assert_eq!(collection_state(s, u, coll), before, "collection changed");
}

/// PUTs `body` as `{coll}{name}`, declared as `content_type`: refused with 403 and the
/// condition `{ns}local` (see `assert_refused`), and nothing changed (see `assert_not_stored`).
#[track_caller]
fn assert_put_refused(
    s: &Server,
    u: &User,
    coll: &str,
    name: &str,
    content_type: &str,
    body: &[u8],
    (ns, local): (&str, &str),
) {
    let before = collection_state(s, u, coll);
    let path = format!("{coll}{name}");
    let r = put_as(s, u, &path, content_type, body);
    assert_refused(&r, 403, ns, local);
    assert_not_stored(s, u, coll, &path, &before);
}

#[test]
fn malformed_icalendar_is_403_valid_calendar_data_with_a_message() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = calendar_url(&u);
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
    let cond = (CAL, "valid-calendar-data");
    for (name, body) in bodies {
        assert_put_refused(&s, &u, &coll, &name, ICS, &body, cond);
    }
}

/// RFC 4791 §5.3.2.1 names the precondition for breaking the §4.1 rules (no METHOD, one UID,
/// one component type) CALDAV:valid-calendar-object-resource.
#[test]
fn method_property_is_403_valid_calendar_object_resource() {
    let s = Server::start();
    let u = s.new_user("obj");
    let body = event("with-method", "Invite").replace(
        "PRODID:-//davsuite tests//EN\r\n",
        "PRODID:-//davsuite tests//EN\r\nMETHOD:REQUEST\r\n",
    );
    assert!(body.contains("METHOD:REQUEST"));
    let (coll, cond) = (calendar_url(&u), (CAL, "valid-calendar-object-resource"));
    assert_put_refused(&s, &u, &coll, "method.ics", ICS, body.as_bytes(), cond);
}

#[test]
fn two_uids_in_one_object_is_403_valid_calendar_object_resource() {
    let s = Server::start();
    let u = s.new_user("obj");
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite tests//EN\r\n\
BEGIN:VEVENT\r\nUID:uid-one\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nSUMMARY:one\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:uid-two\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240103T100000Z\r\nSUMMARY:two\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let (coll, cond) = (calendar_url(&u), (CAL, "valid-calendar-object-resource"));
    assert_put_refused(&s, &u, &coll, "two-uids.ics", ICS, body.as_bytes(), cond);
}

#[test]
fn vcard_without_uid_is_403_valid_address_data() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = addressbook_url(&u);
    let body = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nN:Uid;No;;;\r\nEND:VCARD\r\n";
    let cond = (CARD, "valid-address-data");
    assert_put_refused(&s, &u, &coll, "no-uid.vcf", VCF, body.as_bytes(), cond);
}

#[test]
fn vcalendar_into_an_address_book_is_403() {
    let s = Server::start();
    let u = s.new_user("obj");
    let coll = addressbook_url(&u);
    let body = event("cal-in-ab", "x");

    // Declared as text/calendar: not a supported media type (RFC 6352 §6.3.2.1).
    let cond = (CARD, "supported-address-data");
    assert_put_refused(&s, &u, &coll, "event.ics", ICS, body.as_bytes(), cond);

    // Sent as text/vcard: not valid vCard data.
    let cond = (CARD, "valid-address-data");
    assert_put_refused(&s, &u, &coll, "event.vcf", VCF, body.as_bytes(), cond);
}

#[test]
fn text_vcard_content_type_into_a_calendar_is_403_supported_calendar_data() {
    let s = Server::start();
    let u = s.new_user("obj");
    let card = vcard("card-in-cal", "Ann");
    let cond = (CAL, "supported-calendar-data");
    assert_put_refused(
        &s,
        &u,
        &calendar_url(&u),
        "card.ics",
        VCF,
        card.as_bytes(),
        cond,
    );
}

#[test]
fn put_into_a_collection_that_does_not_exist_is_409() {
    let s = Server::start();
    let u = s.new_user("obj");
    let path = format!("/dav/calendars/{}/nowhere/e.ics", u.login);
    let r = put_req(&s, &u, &path, event("nowhere", "x").as_bytes());
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(get_req(&s, &u, &path).status, 404);
    let path = format!("/dav/addressbooks/{}/nowhere/c.vcf", u.login);
    let r = put_req(&s, &u, &path, vcard("nowhere", "x").as_bytes());
    assert_eq!(r.status, 409, "{}", r.text());
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
        put_created(&s, &u, &format!("{coll}{sent}"), event(uid, uid).as_bytes());
    }
    let pf = getetag_listing(&s, &u, &coll);
    let members: Vec<MsResponse> = multistatus(&pf)
        .into_iter()
        .filter(|m| m.href != coll)
        .collect();
    assert_eq!(members.len(), cases.len(), "{}", pf.text());
    for (name, _, uid) in &cases {
        let m = members
            .iter()
            .find(|m| decode_href(m.href.rsplit('/').next().unwrap()) == *name)
            .unwrap_or_else(|| panic!("{name:?} not listed: {}", pf.text()));
        assert!(m.href.starts_with(&coll), "{}", m.href);
        assert!(
            m.href.is_ascii() && !m.href.contains(' ') && !m.href[1..].contains('#'),
            "href must be a valid URI path: {:?}",
            m.href
        );
        // The href, used verbatim, reaches the object.
        let g = get_req(&s, &u, &m.href);
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
    let s = Server::start_with_config(Some("[plans.ksuite-standard]\nquota_bytes = 2000\n"));
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
    assert_eq!(get_req(&s, &u, &path).status, 404);

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
    let r = put_created(&s, &u, &path, body.as_bytes());
    assert_get_returns(&s, &u, &path, body.as_bytes(), &strong_etag(&r));
}

#[test]
fn if_match_with_a_weak_tag_never_matches_a_strong_etag() {
    // RFC 7232 §3.1: If-Match uses the strong comparison.
    let s = Server::start();
    let u = s.new_user("weak");
    let path = format!("{}w.ics", calendar_url(&u));
    let etag = put_created(&s, &u, &path, event("weak-1", "A").as_bytes())
        .header("etag")
        .expect("etag")
        .to_owned();
    let weak = format!("W/{etag}");
    let r = s.request(
        "PUT",
        &path,
        Some(&u),
        &[("If-Match", weak.as_str())],
        event("weak-1", "B").as_bytes(),
    );
    assert_eq!(r.status, 412, "{}", r.text());
    assert_eq!(get_req(&s, &u, &path).body, event("weak-1", "A").as_bytes());
    let r = s.request(
        "DELETE",
        &path,
        Some(&u),
        &[("If-Match", weak.as_str())],
        b"",
    );
    assert_eq!(r.status, 412, "{}", r.text());
    // If-None-Match compares weakly: the weak form of the current tag means "not modified".
    let r = s.request(
        "GET",
        &path,
        Some(&u),
        &[("If-None-Match", weak.as_str())],
        b"",
    );
    assert_eq!(r.status, 304);
}
