//! Helpers of the sharing, public link and authorisation tests.

use super::*;

/// The CalendarServer namespace.
pub const CS: &str = NS_CALENDARSERVER;

/// `davsuite share add PATH --with WITH --access ACCESS`, asserting success.
#[track_caller]
pub fn share_with(s: &Server, path: &str, with: &str, access: &str) {
    s.cli_ok(
        &["share", "add", path, "--with", with, "--access", access],
        None,
    );
}

/// `davsuite share remove PATH --with WITH`, asserting success.
#[track_caller]
pub fn unshare(s: &Server, path: &str, with: &str) {
    s.cli_ok(&["share", "remove", path, "--with", with], None);
}

/// `davsuite team create ORG TEAM` and `team add` of each login.
#[track_caller]
pub fn team_of(s: &Server, org: &str, team: &str, members: &[&User]) {
    s.cli_ok(&["team", "create", org, team], None);
    for m in members {
        s.cli_ok(&["team", "add", org, team, &m.login], None);
    }
}

/// The paths (in `u`'s homes) of the collections shared with `u`, from the JSON API.
#[track_caller]
pub fn shared_paths(s: &Server, u: &User) -> Vec<String> {
    api_ok(s, u, "GET", "/api/v1/shared-with-me", None, 200)
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v["path"].as_str().expect("path").to_owned())
        .collect()
}

/// The path in `u`'s home of the only collection shared with it.
#[track_caller]
pub fn shared_path(s: &Server, u: &User) -> String {
    let paths = shared_paths(s, u);
    assert_eq!(paths.len(), 1, "{} has {paths:?}", u.login);
    paths[0].clone()
}

/// The hrefs a PROPFIND Depth 1 of `home` lists as `u` (the home itself left out).
#[track_caller]
pub fn listed(s: &Server, u: &User, home: &str) -> Vec<String> {
    let r = propfind_req(s, u, home, "1", &propfind_body(&[(NS_DAV, "resourcetype")]));
    multistatus(&r)
        .into_iter()
        .map(|m| m.href)
        .filter(|h| h != home)
        .collect()
}

/// The privileges of `current-user-privilege-set` in a response (local names).
pub fn privileges(m: &MsResponse) -> Vec<String> {
    m.ok_prop(NS_DAV, "current-user-privilege-set")
        .map(|p| {
            p.elements()
                .filter(|e| e.is(NS_DAV, "privilege"))
                .filter_map(|e| e.elements().next())
                .map(|e| e.name.local.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// PROPFIND Depth 0 of `path` for these properties, as `u`; the one response.
#[track_caller]
pub fn props_at(s: &Server, u: &User, path: &str, props: &[(&str, &str)]) -> MsResponse {
    let r = propfind_req(s, u, path, "0", &propfind_body(props));
    multistatus(&r).into_iter().next().expect("one response")
}

/// The text of a property answered with 200.
pub fn prop_text(m: &MsResponse, ns: &str, local: &str) -> Option<String> {
    m.ok_prop(ns, local).map(|e| e.text())
}

/// A sync-collection body from `token` (empty: initial) asking for getetag.
pub fn sync_body(token: &str) -> Vec<u8> {
    format!(
        r#"<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"#
    )
    .into_bytes()
}

/// A calendar-multiget body for these hrefs, asking for getetag and calendar-data.
pub fn multiget_body(hrefs: &[&str]) -> Vec<u8> {
    let mut b = String::from(
        r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>"#,
    );
    for h in hrefs {
        b.push_str(&format!("<D:href>{h}</D:href>"));
    }
    b.push_str("</C:calendar-multiget>");
    b.into_bytes()
}

/// A calendar-query body for every VEVENT, with calendar-data.
pub fn query_body() -> Vec<u8> {
    br#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>"#.to_vec()
}

/// A free-busy-query body over 2024.
pub fn free_busy_body() -> Vec<u8> {
    br#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="20250101T000000Z"/></C:free-busy-query>"#.to_vec()
}

/// A PROPPATCH body setting one property to `value`.
pub fn proppatch_body(ns: &str, local: &str, value: &str) -> Vec<u8> {
    format!(
        r#"<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><X:{local} xmlns:X="{ns}">{value}</X:{local}></D:prop></D:set></D:propertyupdate>"#
    )
    .into_bytes()
}

/// The status of the propstat holding the first property of a PROPPATCH answer.
#[track_caller]
pub fn proppatch_status(r: &Resp) -> u16 {
    multistatus(r)
        .first()
        .and_then(|m| m.propstats.first())
        .map(|p| p.status)
        .unwrap_or_else(|| panic!("no propstat: {}", r.text()))
}

/// The sync token of a sync-collection answer, failing the test without one.
#[track_caller]
pub fn token_of(r: &Resp) -> String {
    sync_token_of(r).unwrap_or_else(|| panic!("no sync-token: {}", r.text()))
}

/// The hrefs of a multistatus answered with `status` (on the response or its first propstat).
pub fn hrefs_with(r: &Resp, status: u16) -> Vec<String> {
    multistatus(r)
        .into_iter()
        .filter(|m| m.status.or_else(|| m.propstats.first().map(|p| p.status)) == Some(status))
        .map(|m| m.href)
        .collect()
}

/// `u`'s calendar home.
pub fn cal_home(u: &User) -> String {
    format!("/dav/calendars/{}/", u.login)
}

/// `u`'s address book home.
pub fn card_home(u: &User) -> String {
    format!("/dav/addressbooks/{}/", u.login)
}
