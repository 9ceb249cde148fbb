//! Bad input: every refusal is a clear 4xx (with a `<D:error>` body where a condition applies),
//! never a 5xx, never a hang, never a partial change, and never another user's data.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use crate::common::*;

/// A 1000-byte request body limit, and 500-byte objects on every plan.
fn limits() -> String {
    format!(
        "[limits]\nmax_request_body = 1000\n{}",
        every_plan("max_object_size = 500")
    )
}

fn displayname_of(s: &Server, user: &User, path: &str) -> Option<String> {
    let body = propfind_body(&[(NS_DAV, "displayname")]);
    let r = bare_propfind(s, user, path, "0", &body);
    let ms = multistatus(&r);
    ms[0].ok_prop(NS_DAV, "displayname").map(|d| d.text())
}

fn ctag_of(s: &Server, user: &User, path: &str) -> String {
    let body = propfind_body(&[(NS_CALENDARSERVER, "getctag")]);
    let r = bare_propfind(s, user, path, "0", &body);
    let ms = multistatus(&r);
    ms[0]
        .ok_prop(NS_CALENDARSERVER, "getctag")
        .map(|c| c.text())
        .unwrap_or_else(|| panic!("no getctag on {path}: {}", r.text()))
}

/// The hrefs a Depth 1 PROPFIND lists under a collection.
fn members(s: &Server, user: &User, path: &str) -> Vec<String> {
    let r = bare_propfind(s, user, path, "1", &propfind_body(&[(NS_DAV, "getetag")]));
    multistatus(&r).into_iter().map(|m| m.href).collect()
}

/// A PROPFIND with an empty body still gets its 207: the server survived what came before.
#[track_caller]
fn assert_still_answers(s: &Server, user: &User, path: &str) {
    let r = bare_propfind(s, user, path, "0", b"");
    assert_eq!(r.status, 207, "the server no longer answers: {}", r.text());
}

/// A syntactically valid PROPFIND body of exactly `len` bytes (padded with a comment).
fn padded_propfind(len: usize) -> Vec<u8> {
    let head = r#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind><!--"#;
    let tail = "-->";
    let pad = len - head.len() - tail.len();
    format!("{head}{}{tail}", "x".repeat(pad)).into_bytes()
}

#[test]
fn malformed_xml_bodies_are_400_with_a_dav_error() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let malformed = fixture("xml/malformed-propfind-unclosed-allprops.xml");
    for (method, path) in [
        ("PROPFIND", cal.as_str()),
        ("PROPFIND", "/"),
        ("PROPPATCH", cal.as_str()),
        ("REPORT", cal.as_str()),
    ] {
        let r = s.request(method, path, Some(&alice), &[("Depth", "0")], &malformed);
        assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
    }
    // A refused MKCALENDAR creates nothing.
    let path = format!("/dav/calendars/{}/broken/", alice.login);
    let r = s.request("MKCALENDAR", &path, Some(&alice), &[], &malformed);
    assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
    let r = bare_propfind(&s, &alice, &path, "0", b"");
    assert_eq!(
        r.status, 404,
        "MKCALENDAR with a malformed body created {path}"
    );
    // Not XML at all, and a well-formed body that is not a propfind.
    for body in [
        &b"this is not xml"[..],
        b"<D:foo xmlns:D=\"DAV:\"/>",
        b"<a><b></a>",
    ] {
        let r = bare_propfind(&s, &alice, &cal, "0", body);
        assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
    }
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"#;

#[test]
fn billion_laughs_doctype_is_400_and_changes_nothing() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let propfind = format!(
        "{BILLION_LAUGHS}<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>&lol9;</D:displayname></D:prop></D:propfind>"
    );
    let r = bare_propfind(&s, &alice, &cal, "0", propfind.as_bytes());
    assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
    assert!(
        !r.text().contains("lollol"),
        "entities were expanded: {}",
        r.text()
    );
    let proppatch = format!(
        "{BILLION_LAUGHS}<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>&lol9;</D:displayname></D:prop></D:set></D:propertyupdate>"
    );
    let r = proppatch_req(&s, &alice, &cal, proppatch.as_bytes());
    assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
    assert_eq!(
        displayname_of(&s, &alice, &cal).as_deref(),
        Some("Personal")
    );
}

#[test]
fn external_entities_are_400_and_never_read() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let bodies = [
        r#"<?xml version="1.0"?><!DOCTYPE D:propfind [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&xxe;</D:displayname></D:prop></D:propfind>"#,
        r#"<?xml version="1.0"?><!DOCTYPE D:propertyupdate [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>&xxe;</D:displayname></D:prop></D:set></D:propertyupdate>"#,
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>"#,
        r#"<?xml version="1.0"?><!DOCTYPE D:propfind SYSTEM "file:///etc/passwd"><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>"#,
    ];
    for body in bodies {
        let method = if body.contains("propertyupdate") {
            "PROPPATCH"
        } else {
            "PROPFIND"
        };
        let r = s.request(
            method,
            &cal,
            Some(&alice),
            &[("Depth", "0")],
            body.as_bytes(),
        );
        assert_dav_error(&r, 400, NS_DAVSUITE, "invalid-request");
        assert!(
            !r.text().contains("root:"),
            "/etc/passwd leaked: {}",
            r.text()
        );
    }
    let body = propfind_body(&[(NS_DAV, "displayname")]);
    let r = bare_propfind(&s, &alice, &cal, "0", &body);
    assert!(!r.text().contains("root:"), "{}", r.text());
    assert_eq!(
        displayname_of(&s, &alice, &cal).as_deref(),
        Some("Personal")
    );
}

#[test]
fn request_bodies_over_the_limit_are_413() {
    let s = Server::start_with_config(Some(&limits()));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    // Control: a body under the limit is served.
    let r = bare_propfind(&s, &alice, &cal, "0", &padded_propfind(900));
    assert_eq!(r.status, 207, "{}", r.text());
    // PROPFIND over the limit, declared with Content-Length.
    let r = bare_propfind(&s, &alice, &cal, "0", &padded_propfind(2000));
    assert_eq!(r.status, 413, "{}", r.text());
    // PUT over the request limit: refused, nothing stored.
    let href = format!("{cal}huge.ics");
    let r = put_ical(&s, &alice, &href, &big_event("huge", 2000));
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(get_req(&s, &alice, &href).status, 404);
    // Chunked, with no Content-Length to look at up front.
    let body = padded_propfind(2000);
    let mut raw = format!(
        "PROPFIND {cal} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nAuthorization: {}\r\nDepth: 0\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.port,
        basic_auth(&alice)
    )
    .into_bytes();
    for chunk in body.chunks(300) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let r = raw_exchange(s.port, &raw);
    assert_eq!(r.status, 413, "chunked: {}", r.text());
    // The server is fine afterwards.
    assert_still_answers(&s, &alice, &cal);
}

#[test]
fn objects_over_max_resource_size_are_413_with_the_precondition() {
    let s = Server::start_with_config(Some(&limits()));
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let book = addressbook_url(&alice);
    // Advertised (RFC 4791 §5.2.5, RFC 6352 §6.2.3).
    for (path, ns) in [(&cal, NS_CALDAV), (&book, NS_CARDDAV)] {
        let body = propfind_body(&[(ns, "max-resource-size")]);
        let r = bare_propfind(&s, &alice, path, "0", &body);
        let ms = multistatus(&r);
        assert_eq!(
            ms[0].ok_prop(ns, "max-resource-size").map(|p| p.text()),
            Some("500".to_owned()),
            "{}",
            r.text()
        );
    }

    let small = event("small", "Small");
    assert!(small.len() < 500);
    let r = put_ical(&s, &alice, &format!("{cal}small.ics"), &small);
    assert_eq!(r.status, 201, "control PUT: {}", r.text());

    // Over the limit: refused with the precondition, nothing stored, the collection unchanged.
    let (big_ev, big_card) = (big_event("big-ev", 700), big_vcard("big-card", 700));
    for (coll, name, content_type, body, ns) in [
        (&cal, "big.ics", "text/calendar", &big_ev, NS_CALDAV),
        (&book, "big.vcf", "text/vcard", &big_card, NS_CARDDAV),
    ] {
        let ctag = ctag_of(&s, &alice, coll);
        assert!(body.len() > 500 && body.len() < 1000, "{}", body.len());
        let href = format!("{coll}{name}");
        let r = put_as(&s, &alice, &href, content_type, body.as_bytes());
        assert_dav_error(&r, 413, ns, "max-resource-size");
        assert_eq!(get_req(&s, &alice, &href).status, 404);
        assert_eq!(ctag_of(&s, &alice, coll), ctag, "{coll} changed");
    }
}

#[test]
fn hostile_paths_are_400_and_reveal_nothing() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let bob = s.new_user("bob");
    let secret = format!("{}secret.ics", calendar_url(&bob));
    let secret_event = event("bob-secret-uid", "Bob secret summary");
    let r = put_ical(&s, &bob, &secret, &secret_event);
    assert_eq!(r.status, 201, "{}", r.text());
    let (a, b) = (alice.login.as_str(), bob.login.as_str());
    let paths = [
        format!("/dav/calendars/{a}/../{b}/personal/"),
        format!("/dav/calendars/{a}/../{b}/personal/secret.ics"),
        format!("/dav/calendars/{a}/%2e%2e/{b}/personal/"),
        format!("/dav/calendars/{a}/%2E%2E/{b}/personal/secret.ics"),
        format!("/dav/calendars/{a}/personal/%2e%2e/%2e%2e/{b}/personal/"),
        format!("/dav/calendars/{a}/personal/x%00.ics"),
        format!("/dav/calendars/{b}%00/personal/"),
        format!("/dav/calendars/{a}%2F..%2F{b}/personal/"),
        format!("/dav/calendars/{a}/personal%2F..%2F..%2F{b}%2Fpersonal/secret.ics"),
        format!("/dav/calendars/{b}%2Fpersonal/"),
    ];
    let body = propfind_body(&[(NS_DAV, "displayname"), (NS_DAV, "getetag")]);
    for path in &paths {
        for (method, depth) in [("PROPFIND", "1"), ("GET", "0")] {
            let r = s.request(method, path, Some(&alice), &[("Depth", depth)], &body);
            assert_dav_error(&r, 400, NS_DAVSUITE, "valid-resource-name");
            let text = r.text();
            assert!(
                !text.contains("Bob secret") && !text.contains("bob-secret-uid"),
                "{method} {path} leaks bob's data: {text}"
            );
        }
    }
    // Writes through such paths are refused and land nowhere.
    for path in [
        format!("/dav/calendars/{a}/../{b}/personal/evil.ics"),
        format!("/dav/calendars/{a}%2F..%2F{b}/personal/evil.ics"),
    ] {
        let r = put_ical(&s, &alice, &path, &event("evil", "Evil"));
        assert_dav_error(&r, 400, NS_DAVSUITE, "valid-resource-name");
    }
    assert_eq!(
        members(&s, &bob, &calendar_url(&bob)).len(),
        2,
        "bob's calendar holds only secret.ics"
    );
    let r = get_req(&s, &bob, &secret);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Bob secret summary"));
}

#[test]
fn unknown_paths_are_404() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let paths = [
        "/nope".to_owned(),
        "/nope/deeper/".to_owned(),
        "/dav/other/".to_owned(),
        format!("/dav/calendars/{}/no-such-calendar/", alice.login),
        format!("{cal}missing.ics"),
        format!("{cal}a/b/c"),
    ];
    for path in &paths {
        for method in ["PROPFIND", "GET"] {
            let r = s.request(method, path, Some(&alice), &[("Depth", "0")], b"");
            assert_eq!(r.status, 404, "{method} {path}: {}", r.text());
        }
    }
}

#[test]
fn unknown_method_is_405_with_allow() {
    let s = Server::start();
    let alice = s.new_user("alice");
    for path in ["/dav/".to_owned(), calendar_url(&alice)] {
        let r = s.request("BREW", &path, Some(&alice), &[], b"");
        assert_eq!(r.status, 405, "BREW {path}: {}", r.text());
        let methods = r.header_values("allow");
        assert!(methods.contains(&"PROPFIND"), "Allow: {methods:?}");
        assert!(!methods.contains(&"BREW"), "Allow: {methods:?}");
    }
}

#[test]
fn unknown_report_is_403_supported_report() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let body = br#"<?xml version="1.0" encoding="utf-8"?><X:frobnicate xmlns:X="urn:example:reports" xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></X:frobnicate>"#;
    for path in [
        calendar_url(&alice),
        addressbook_url(&alice),
        format!("/dav/calendars/{}/", alice.login),
    ] {
        let r = s.request("REPORT", &path, Some(&alice), &[("Depth", "1")], body);
        assert_dav_error(&r, 403, NS_DAV, "supported-report");
    }
}

#[test]
fn proppatch_with_a_protected_property_changes_nothing() {
    // RFC 4918 §9.2: all instructions succeed or none is applied; the protected one fails with
    // 403 (DAV:cannot-modify-protected-property), the others with 424 Failed Dependency.
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let ctag = ctag_of(&s, &alice, &cal);
    let body = br#"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:example:dead">
  <D:set><D:prop>
    <D:displayname>Renamed</D:displayname>
    <X:tag>blue</X:tag>
    <D:getetag>"forged"</D:getetag>
  </D:prop></D:set>
</D:propertyupdate>"#;
    let r = proppatch_req(&s, &alice, &cal, body);
    let ms = multistatus(&r);
    assert_eq!(ms.len(), 1, "{}", r.text());
    assert_propstat(&r, &ms[0], NS_DAV, "getetag", 403);
    assert_propstat(&r, &ms[0], NS_DAV, "displayname", 424);
    assert_propstat(&r, &ms[0], "urn:example:dead", "tag", 424);
    let root = parse_xml(&r);
    assert!(
        !descendants(&root, NS_DAV, "cannot-modify-protected-property").is_empty(),
        "no DAV:cannot-modify-protected-property: {}",
        r.text()
    );
    // Nothing was applied.
    assert_eq!(
        displayname_of(&s, &alice, &cal).as_deref(),
        Some("Personal")
    );
    let body = propfind_body(&[("urn:example:dead", "tag")]);
    let r = bare_propfind(&s, &alice, &cal, "0", &body);
    // A 404 propstat: the dead property was not stored.
    assert_propstat(&r, &multistatus(&r)[0], "urn:example:dead", "tag", 404);
    assert_eq!(ctag_of(&s, &alice, &cal), ctag);
}

#[test]
fn proppatch_sets_displayname_and_keeps_dead_property_xml() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let body = br#"<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:example:dead">
  <D:set><D:prop>
    <D:displayname>Work</D:displayname>
    <X:color-tag><X:inner a="1">v &amp; w</X:inner><Y:other xmlns:Y="urn:example:other"/></X:color-tag>
  </D:prop></D:set>
</D:propertyupdate>"#;
    let r = proppatch_req(&s, &alice, &cal, body);
    let ms = multistatus(&r);
    assert_propstat(&r, &ms[0], NS_DAV, "displayname", 200);
    assert_propstat(&r, &ms[0], "urn:example:dead", "color-tag", 200);
    let props = [(NS_DAV, "displayname"), ("urn:example:dead", "color-tag")];
    let r = bare_propfind(&s, &alice, &cal, "0", &propfind_body(&props));
    let ms = multistatus(&r);
    assert_eq!(
        ms[0].ok_prop(NS_DAV, "displayname").map(|d| d.text()),
        Some("Work".to_owned()),
        "{}",
        r.text()
    );
    let tag = ms[0]
        .ok_prop("urn:example:dead", "color-tag")
        .unwrap_or_else(|| panic!("dead property not returned: {}", r.text()));
    let inner = tag
        .child("urn:example:dead", "inner")
        .unwrap_or_else(|| panic!("dead property lost its XML: {}", r.text()));
    assert_eq!(inner.attr("a"), Some("1"), "{}", r.text());
    assert_eq!(inner.text(), "v & w", "{}", r.text());
    assert!(
        tag.child("urn:example:other", "other").is_some(),
        "second namespace lost: {}",
        r.text()
    );
}

#[test]
fn truncated_request_bodies_do_not_break_the_server() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let head = format!(
        "PROPFIND {cal} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {}\r\nDepth: 0\r\nContent-Length: 1000\r\n\r\n",
        s.port,
        basic_auth(&alice)
    );
    let partial = &padded_propfind(1000)[..100];
    // Half-close: the server sees the end of the stream before the declared length.
    {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(partial).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        if !answer.is_empty() {
            let line = String::from_utf8_lossy(&answer);
            let line = line.lines().next().unwrap_or("");
            let code = status_code(line);
            assert!((400..500).contains(&code), "truncated body answered {line}");
        }
    }
    // Full close without waiting for anything.
    {
        let mut stream = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(partial).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_still_answers(&s, &alice, &cal);
}

#[test]
fn deeply_nested_and_non_utf8_bodies_are_400() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    let depth = 50_000;
    let nested = format!(
        "<D:propfind xmlns:D=\"DAV:\"><D:prop>{}{}</D:prop></D:propfind>",
        "<D:x>".repeat(depth),
        "</D:x>".repeat(depth)
    );
    let latin1 = b"<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname>M\xfcller</D:displayname></D:prop></D:propfind>";
    let undeclared = b"<D:propfind xmlns:D=\"DAV:\"><D:prop><Q:nope/></D:prop></D:propfind>";
    for (what, body) in [
        ("nested", nested.as_bytes()),
        ("latin-1", &latin1[..]),
        ("undeclared prefix", &undeclared[..]),
    ] {
        for method in ["PROPFIND", "PROPPATCH", "REPORT"] {
            let r = s.request(method, &cal, Some(&alice), &[("Depth", "0")], body);
            assert_eq!(r.status, 400, "{method} {what}: {}", r.text());
            assert!(
                error_condition(&r).is_some(),
                "{method} {what}: {}",
                r.text()
            );
        }
    }
    assert_still_answers(&s, &alice, &cal);
}

#[test]
fn invalid_depth_header_is_400() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let cal = calendar_url(&alice);
    for depth in ["2", "-1", "one", ""] {
        let r = bare_propfind(&s, &alice, &cal, depth, b"");
        assert_eq!(r.status, 400, "Depth {depth:?}: {}", r.text());
    }
}

#[test]
fn delete_of_an_unknown_path_is_404() {
    let s = Server::start();
    let u = s.new_user("delunknown");
    let r = delete_req(&s, &u, "/nothing/here");
    assert_eq!(r.status, 404, "{}", r.text());
}

#[test]
fn a_time_range_ending_before_it_starts_is_403_valid_filter() {
    let s = Server::start();
    let u = s.new_user("backwards");
    let body = br#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20250201T000000Z" end="20250101T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
    let r = s.request(
        "REPORT",
        &calendar_url(&u),
        Some(&u),
        &[("Depth", "1")],
        body,
    );
    assert_dav_error(&r, 403, NS_CALDAV, "valid-filter");
}
