//! addressbook-query (RFC 6352 §8.6, §10.5): every match type under each collation
//! (`i;unicode-casemap` per RFC 5051 is the default), `test="anyof|allof"` on the filter and on
//! prop-filters, param-filter, is-not-defined, negate-condition, limit/nresults with its 507,
//! the corpus bodies, a non-ASCII search, and address-data partial retrieval and version
//! conversion (RFC 6352 §10.4) in addressbook-query, addressbook-multiget, sync-collection and
//! PROPFIND.

use crate::common::*;

const DAV: &str = NS_DAV;
const CARD: &str = NS_CARDDAV;

/// A vCard 3.0 with these extra content lines (CRLF-terminated).
fn card(uid: &str, fn_: &str, extra: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn_}\r\n{extra}END:VCARD\r\n")
}

/// A server with four cards: anna (`Anna MÜLLER`, work email, nickname KARORA), hans
/// (`Hans Müller`, home email), zoe (`Zoë Straße`, email without TYPE) and dora (no email).
fn four_cards() -> (Server, User, String) {
    let s = Server::start();
    let u = s.new_user("abq");
    let coll = addressbook_url(&u);
    let cards = [
        (
            "anna",
            card(
                "anna",
                "Anna MÜLLER",
                "N:MÜLLER;Anna;;;\r\nNICKNAME:KARORA\r\nEMAIL;TYPE=work:anna@firma.ch\r\n\
                 TEL;TYPE=cell:+41 79 000 00 00\r\nNOTE:not part of partial answers\r\n",
            ),
        ),
        (
            "hans",
            card("hans", "Hans Müller", "EMAIL;TYPE=home:hans@home.de\r\n"),
        ),
        (
            "zoe",
            card("zoe", "Zoë Straße", "EMAIL:zoe@example.org\r\n"),
        ),
        ("dora", card("dora", "Dora Dupont", "NICKNAME:dodo\r\n")),
    ];
    for (name, body) in &cards {
        put_created(&s, &u, &format!("{coll}{name}.vcf"), body.as_bytes());
    }
    (s, u, coll)
}

/// The member names (without `.vcf`) of a multistatus, sorted; the collection's own
/// response (the 507 of a truncated answer) is left out.
#[track_caller]
fn names(r: &Resp, coll: &str) -> Vec<String> {
    let mut out: Vec<String> = multistatus(r)
        .into_iter()
        .filter(|m| m.href != coll)
        .map(|m| {
            let href = decode_href(&m.href);
            href.rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".vcf")
                .to_owned()
        })
        .collect();
    out.sort();
    out
}

/// Runs an addressbook-query with this `<C:filter>` attribute text and content.
fn query(s: &Server, u: &User, coll: &str, filter_attrs: &str, inner: &str) -> Resp {
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/></D:prop>
  <C:filter {filter_attrs}>{inner}</C:filter>
</C:addressbook-query>"#
    );
    report_req(s, u, coll, Some("1"), body.as_bytes())
}

/// Asserts which cards a filter selects.
#[track_caller]
fn expect(s: &Server, u: &User, coll: &str, filter_attrs: &str, inner: &str, want: &[&str]) {
    let r = query(s, u, coll, filter_attrs, inner);
    assert_eq!(names(&r, coll), want, "filter {inner}: {}", r.text());
}

/// A prop-filter on FN with one text-match.
fn fn_match(attrs: &str, text: &str) -> String {
    format!(
        r#"<C:prop-filter name="FN"><C:text-match {attrs}>{text}</C:text-match></C:prop-filter>"#
    )
}

#[test]
fn match_types_under_each_collation_and_non_ascii_search() {
    let (s, u, coll) = four_cards();
    let e = |inner: &str, want: &[&str]| expect(&s, &u, &coll, "", inner, want);
    // Default collation i;unicode-casemap: "müller" finds "MÜLLER" and "Müller".
    e(&fn_match("", "müller"), &["anna", "hans"]);
    e(
        &fn_match(r#"match-type="contains""#, "MÜLLER"),
        &["anna", "hans"],
    );
    e(
        &fn_match(r#"match-type="equals""#, "anna müller"),
        &["anna"],
    );
    e(&fn_match(r#"match-type="equals""#, "anna"), &[]);
    e(&fn_match(r#"match-type="starts-with""#, "HANS"), &["hans"]);
    e(
        &fn_match(r#"match-type="ends-with""#, "Müller"),
        &["anna", "hans"],
    );
    e(
        &fn_match(
            r#"match-type="equals" collation="i;unicode-casemap""#,
            "ZOË STRAßE",
        ),
        &["zoe"],
    );
    // RFC 5051 uses simple mappings only: ß is not SS.
    e(&fn_match("", "strasse"), &[]);
    // i;ascii-casemap folds ASCII letters only.
    let ascii = r#"collation="i;ascii-casemap""#;
    e(&fn_match(ascii, "müller"), &["hans"]);
    e(&fn_match(ascii, "MÜLLER"), &["anna"]);
    e(
        &fn_match(&format!(r#"{ascii} match-type="equals""#), "HANS MüLLER"),
        &["hans"],
    );
    e(
        &fn_match(&format!(r#"{ascii} match-type="starts-with""#), "dora"),
        &["dora"],
    );
    e(
        &fn_match(&format!(r#"{ascii} match-type="ends-with""#), "dupont"),
        &["dora"],
    );
    // i;octet is exact.
    let octet = r#"collation="i;octet""#;
    e(&fn_match(octet, "Müller"), &["hans"]);
    e(&fn_match(octet, "müller"), &[]);
    e(
        &fn_match(&format!(r#"{octet} match-type="equals""#), "Anna MÜLLER"),
        &["anna"],
    );
    e(
        &fn_match(&format!(r#"{octet} match-type="starts-with""#), "anna"),
        &[],
    );
    e(
        &fn_match(&format!(r#"{octet} match-type="ends-with""#), "Straße"),
        &["zoe"],
    );
    // negate-condition.
    e(
        &fn_match(r#"negate-condition="yes""#, "müller"),
        &["dora", "zoe"],
    );
    e(
        &fn_match(
            &format!(r#"{octet} match-type="equals" negate-condition="yes""#),
            "Anna MÜLLER",
        ),
        &["dora", "hans", "zoe"],
    );
    // An unknown collation is refused.
    let r = query(&s, &u, &coll, "", &fn_match(r#"collation="x;nope""#, "a"));
    assert_dav_error(&r, 403, CARD, "supported-collation");
}

#[test]
fn anyof_and_allof_on_the_filter_and_on_prop_filters() {
    let (s, u, coll) = four_cards();
    let e = |attrs: &str, inner: &str, want: &[&str]| expect(&s, &u, &coll, attrs, inner, want);
    let nick_karora =
        r#"<C:prop-filter name="NICKNAME"><C:text-match>karora</C:text-match></C:prop-filter>"#;
    let email_home =
        r#"<C:prop-filter name="EMAIL"><C:text-match>home.de</C:text-match></C:prop-filter>"#;
    let fn_mueller = fn_match("", "müller");
    let email_firma =
        r#"<C:prop-filter name="EMAIL"><C:text-match>firma</C:text-match></C:prop-filter>"#;
    // Filter level: anyof is the default.
    e("", &format!("{nick_karora}{email_home}"), &["anna", "hans"]);
    e(
        r#"test="anyof""#,
        &format!("{nick_karora}{email_home}"),
        &["anna", "hans"],
    );
    e(
        r#"test="allof""#,
        &format!("{nick_karora}{email_home}"),
        &[],
    );
    e(
        r#"test="allof""#,
        &format!("{fn_mueller}{email_firma}"),
        &["anna"],
    );
    // Existence tests: a prop-filter without children.
    e(
        r#"test="allof""#,
        r#"<C:prop-filter name="NICKNAME"/><C:prop-filter name="EMAIL"/>"#,
        &["anna"],
    );
    e(
        r#"test="anyof""#,
        r#"<C:prop-filter name="NICKNAME"/><C:prop-filter name="EMAIL"/>"#,
        &["anna", "dora", "hans", "zoe"],
    );
    // Prop-filter level: anyof (default) and allof over its text-matches and param-filters.
    let two = "<C:text-match>anna</C:text-match><C:text-match>müller</C:text-match>";
    e(
        "",
        &format!(r#"<C:prop-filter name="FN">{two}</C:prop-filter>"#),
        &["anna", "hans"],
    );
    e(
        "",
        &format!(r#"<C:prop-filter name="FN" test="allof">{two}</C:prop-filter>"#),
        &["anna"],
    );
    let mixed = r#"<C:text-match>firma</C:text-match><C:param-filter name="TYPE"><C:text-match match-type="equals">home</C:text-match></C:param-filter>"#;
    e(
        "",
        &format!(r#"<C:prop-filter name="EMAIL" test="anyof">{mixed}</C:prop-filter>"#),
        &["anna", "hans"],
    );
    e(
        "",
        &format!(r#"<C:prop-filter name="EMAIL" test="allof">{mixed}</C:prop-filter>"#),
        &[],
    );
}

#[test]
fn param_filter_is_not_defined_and_negation() {
    let (s, u, coll) = four_cards();
    let e = |inner: &str, want: &[&str]| expect(&s, &u, &coll, "", inner, want);
    e(
        r#"<C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:text-match match-type="equals">WORK</C:text-match></C:param-filter></C:prop-filter>"#,
        &["anna"],
    );
    e(
        r#"<C:prop-filter name="EMAIL"><C:param-filter name="type"><C:text-match match-type="equals" negate-condition="yes">work</C:text-match></C:param-filter></C:prop-filter>"#,
        &["hans"],
    );
    e(
        r#"<C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:is-not-defined/></C:param-filter></C:prop-filter>"#,
        &["zoe"],
    );
    e(
        r#"<C:prop-filter name="EMAIL"><C:is-not-defined/></C:prop-filter>"#,
        &["dora"],
    );
    e(
        r#"<C:prop-filter name="nickname"><C:is-not-defined/></C:prop-filter>"#,
        &["hans", "zoe"],
    );
    e(
        r#"<C:prop-filter name="EMAIL"><C:text-match negate-condition="yes">example.org</C:text-match></C:prop-filter>"#,
        &["anna", "hans"],
    );
}

#[test]
fn limit_truncates_with_a_507_for_the_collection() {
    let (s, u, coll) = four_cards();
    let limited = |n: usize| {
        let body = format!(
            r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/></D:prop>
  <C:filter>{}</C:filter>
  <C:limit><C:nresults>{n}</C:nresults></C:limit>
</C:addressbook-query>"#,
            fn_match("", "müller")
        );
        report_req(&s, &u, &coll, Some("1"), body.as_bytes())
    };
    let r = limited(1);
    let rs = multistatus(&r);
    assert_eq!(names(&r, &coll).len(), 1, "{}", r.text());
    let own: Vec<&MsResponse> = rs.iter().filter(|m| m.href == coll).collect();
    assert_eq!(own.len(), 1, "{}", r.text());
    assert_eq!(own[0].status, Some(507), "{}", r.text());
    assert_eq!(
        descendants(&parse_xml(&r), DAV, "number-of-matches-within-limits").len(),
        1,
        "{}",
        r.text()
    );
    // Within the limit: every match and no 507.
    let r = limited(2);
    assert_eq!(names(&r, &coll), ["anna", "hans"], "{}", r.text());
    assert!(
        multistatus(&r).iter().all(|m| m.href != coll),
        "{}",
        r.text()
    );
}

/// The unfolded content lines of an address-data value.
fn content_lines(data: &str) -> Vec<String> {
    data.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The address-data of the response for `name`.vcf, as text.
#[track_caller]
fn address_data_of(r: &Resp, name: &str) -> String {
    multistatus(r)
        .iter()
        .find(|m| m.href.ends_with(&format!("/{name}.vcf")))
        .and_then(|m| m.ok_prop(CARD, "address-data"))
        .map(|e| e.text())
        .unwrap_or_else(|| panic!("no address-data for {name}: {}", r.text()))
}

/// Every physical line is at most 75 octets and ends with CRLF.
#[track_caller]
fn assert_folded_crlf(data: &str) {
    assert!(data.ends_with("\r\n"), "{data:?}");
    for line in data.trim_end_matches("\r\n").split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
    }
}

#[test]
fn corpus_bodies_text_match_with_partial_data_and_is_not_defined() {
    let (s, u, coll) = four_cards();
    // DAViCal's body: NICKNAME equals "karora" under i;unicode-casemap, partial address-data.
    let body = request_fixture("addressbook-query-text-match.xml");
    assert!(!body.contains('$'), "no template variables expected");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_eq!(names(&r, &coll), ["anna"], "{}", r.text());
    let m = &multistatus(&r)[0];
    assert!(m.ok_prop(DAV, "getetag").is_some(), "{}", r.text());
    assert!(m.ok_prop(DAV, "getlastmodified").is_some(), "{}", r.text());
    let data = address_data_of(&r, "anna");
    assert_folded_crlf(&data);
    assert_eq!(
        content_lines(&data),
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "UID:anna",
            "FN:Anna MÜLLER",
            "N:MÜLLER;Anna;;;",
            "NICKNAME:KARORA",
            "EMAIL;TYPE=work:anna@firma.ch",
            "END:VCARD"
        ],
        "{data}"
    );
    // CCS tester's body: UID defined OR FN not defined (anyof): every card, as stored.
    let body = request_fixture("addressbook-query-is-not-defined.xml");
    assert!(!body.contains('$'), "no template variables expected");
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_eq!(
        names(&r, &coll),
        ["anna", "dora", "hans", "zoe"],
        "{}",
        r.text()
    );
    for m in multistatus(&r) {
        let path = decode_href(&m.href);
        assert_same_as_get(&s, &u, &r, &m, &path, (CARD, "address-data"));
    }
    // The same filter with test="allof": FN is always defined, so nothing.
    let allof = body.replace("<C:filter>", r#"<C:filter test="allof">"#);
    let r = report_req(&s, &u, &coll, Some("1"), allof.as_bytes());
    assert_eq!(names(&r, &coll), Vec::<String>::new(), "{}", r.text());
}

/// A server holding the iPhone 3.0 card (with a UID added: the fixture has none), the 4.0
/// card with a data: URI photo, and Apple's 3.0 group card.
fn conversion_cards() -> (Server, User, String) {
    let s = Server::start();
    let u = s.new_user("abc");
    let coll = addressbook_url(&u);
    let iphone = String::from_utf8(fixture("vcard/iphone-vcard3-photo-itemN-xablabel.vcf"))
        .expect("utf-8")
        .replace("\r\r\n", "\r\n")
        .replacen("VERSION:3.0\r\n", "VERSION:3.0\r\nUID:iphone-1\r\n", 1);
    put_created(&s, &u, &format!("{coll}iphone.vcf"), iphone.as_bytes());
    let v4 = fixture("vcard/vcard4-photo-data-uri.vcf");
    put_created(&s, &u, &format!("{coll}v4.vcf"), &v4);
    let group = fixture("vcard/apple-group-x-addressbookserver-kind.vcf");
    put_created(&s, &u, &format!("{coll}group.vcf"), &group);
    (s, u, coll)
}

#[test]
fn address_data_partial_retrieval_and_conversion_in_every_report_and_propfind() {
    let (s, u, coll) = conversion_cards();
    // addressbook-query: the 3.0 iPhone card as 4.0, FN, EMAIL and PHOTO only.
    let body = r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data content-type="text/vcard" version="4.0"><C:prop name="FN"/><C:prop name="EMAIL"/><C:prop name="PHOTO"/></C:address-data></D:prop>
  <C:filter><C:prop-filter name="FN"><C:text-match>john</C:text-match></C:prop-filter></C:filter>
</C:addressbook-query>"#;
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_eq!(names(&r, &coll), ["iphone"], "{}", r.text());
    let data = address_data_of(&r, "iphone");
    assert_folded_crlf(&data);
    let lines = content_lines(&data);
    assert_eq!(
        lines[..3],
        ["BEGIN:VCARD", "VERSION:4.0", "UID:iphone-1"],
        "{data}"
    );
    assert_eq!(lines.last().map(String::as_str), Some("END:VCARD"));
    assert!(
        lines.contains(&"item1.EMAIL;type=INTERNET;PREF=1:john.doe@ibm.com".to_owned()),
        "{data}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("PHOTO:data:image/jpeg;base64,/9j/4AAQ")),
        "{data}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("TEL") || l.contains("TYPE=JPEG")),
        "{data}"
    );
    assert_eq!(lines.len(), 7, "{data}");

    // addressbook-multiget: the 4.0 card as 3.0 (all properties); the 3.0 group as stored.
    let body = format!(
        r#"<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data version="3.0"><C:allprop/></C:address-data></D:prop>
  <D:href>{coll}v4.vcf</D:href><D:href>{coll}group.vcf</D:href>
</C:addressbook-multiget>"#
    );
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let data = address_data_of(&r, "v4");
    assert_folded_crlf(&data);
    let lines = content_lines(&data);
    assert_eq!(lines[1], "VERSION:3.0", "{data}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo")),
        "{data}"
    );
    assert!(lines.contains(&"NICKNAME:test".to_owned()), "{data}");
    let group = multistatus(&r)
        .into_iter()
        .find(|m| m.href.ends_with("/group.vcf"))
        .expect("group response");
    assert_same_as_get(
        &s,
        &u,
        &r,
        &group,
        &format!("{coll}group.vcf"),
        (CARD, "address-data"),
    );

    // sync-collection: the Apple group as 4.0 has KIND and MEMBER.
    let body = r#"<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:sync-token/><D:sync-level>1</D:sync-level>
  <D:prop><D:getetag/><C:address-data version="4.0"/></D:prop></D:sync-collection>"#;
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    let data = address_data_of(&r, "group");
    let lines = content_lines(&data);
    assert!(lines.contains(&"KIND:group".to_owned()), "{data}");
    assert!(lines.contains(&"MEMBER:urn:uuid:uid4".to_owned()), "{data}");
    assert!(!data.contains("X-ADDRESSBOOKSERVER"), "{data}");
    // The 4.0 card is already 4.0: the stored bytes.
    assert_eq!(
        address_data_of(&r, "v4").as_bytes(),
        get_req(&s, &u, &format!("{coll}v4.vcf")).body.as_slice()
    );

    // PROPFIND Depth 1 with partial retrieval: FN (and what always stays) only.
    let body = br#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data><C:prop name="FN"/></C:address-data></D:prop></D:propfind>"#;
    let r = propfind_req(&s, &u, &coll, "1", body);
    for (name, fn_) in [
        ("iphone", "FN:Mr. John Richter James Doe Sr."),
        ("v4", "FN:Contact"),
        ("group", "FN:Shared Group"),
    ] {
        let data = address_data_of(&r, name);
        assert_folded_crlf(&data);
        let lines = content_lines(&data);
        assert_eq!(lines.len(), 5, "{name}: {data}");
        assert_eq!(lines[0], "BEGIN:VCARD");
        assert!(lines[1].starts_with("VERSION:"), "{data}");
        assert!(lines[2].starts_with("UID:"), "{data}");
        assert_eq!(lines[3], fn_, "{data}");
        assert_eq!(lines[4], "END:VCARD");
    }

    // A plain address-data element: the stored bytes, unchanged.
    let body = br#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop></D:propfind>"#;
    let path = format!("{coll}iphone.vcf");
    let r = propfind_req(&s, &u, &path, "0", body);
    let m = &multistatus(&r)[0];
    assert_same_as_get(&s, &u, &r, m, &path, (CARD, "address-data"));
}

#[test]
fn unsupported_address_data_conversion_is_403() {
    let (s, u, coll) = conversion_cards();
    let body = format!(
        r#"<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><C:address-data version="2.1"/></D:prop><D:href>{coll}v4.vcf</D:href>
</C:addressbook-multiget>"#
    );
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_dav_error(&r, 403, CARD, "supported-address-data-conversion");
    let body = br#"<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data content-type="application/vcard+json" version="4.0"/></D:prop></D:propfind>"#;
    let r = propfind_req(&s, &u, &coll, "1", body);
    assert_dav_error(&r, 403, CARD, "supported-address-data-conversion");
    let body = r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data content-type="text/x-vcard"/></D:prop><C:filter/></C:addressbook-query>"#;
    let r = report_req(&s, &u, &coll, Some("1"), body.as_bytes());
    assert_dav_error(&r, 403, CARD, "supported-address-data-conversion");
}
