//! sync-collection (RFC 6578) and CS:getctag: initial and incremental syncs, deletions as 404
//! members, invalid tokens (compat pitfalls 1, 2, 3, 16), truncation with `limit` (§3.6) and
//! bodies in the answer equal to GET. Real client bodies come from `fixtures/xml/`.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;

const DAV: &str = NS_DAV;
const CAL: &str = NS_CALDAV;
const CS: &str = NS_CALENDARSERVER;

/// OS X 10.7 iCal's sync-collection (no sync-level; getetag + getcontenttype).
fn macos_sync_body(token: &str) -> String {
    request_fixture("macos-10.7-calendar-sync-collection-no-level.xml")
        .replace("%(sync-token)s", token)
}

/// CalDAVTester's sync-collection with sync-level 1 and an empty `<D:prop/>`.
fn empty_prop_sync_body(token: &str) -> String {
    request_fixture("sync-collection-token-empty-prop.xml").replace("$synctoken1:", token)
}

/// A sync-collection asking for getetag (+ calendar-data when `data`), with an optional limit.
fn sync_body(token: &str, data: bool, limit: Option<usize>) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:sync-token>{token}</D:sync-token>
  <D:sync-level>1</D:sync-level>
  {}
  <D:prop><D:getetag/>{}</D:prop>
</D:sync-collection>"#,
        limit
            .map(|n| format!("<D:limit><D:nresults>{n}</D:nresults></D:limit>"))
            .unwrap_or_default(),
        if data { "<C:calendar-data/>" } else { "" }
    )
}

/// One sync answer: members present (href → getetag), members removed, whether the
/// collection reported truncation (507), and the new token.
#[derive(Debug)]
struct SyncAnswer {
    present: BTreeMap<String, String>,
    removed: BTreeSet<String>,
    truncated: bool,
    token: String,
    raw: String,
}

#[track_caller]
fn sync(s: &Server, u: &User, coll: &str, depth: Option<&str>, body: &str) -> SyncAnswer {
    let r = report_req(s, u, coll, depth, body.as_bytes());
    let rs = multistatus(&r);
    let token = sync_token_of(&r).unwrap_or_else(|| panic!("no sync-token: {}", r.text()));
    assert!(!token.is_empty(), "empty sync-token: {}", r.text());
    let mut a = SyncAnswer {
        present: BTreeMap::new(),
        removed: BTreeSet::new(),
        truncated: false,
        token,
        raw: r.text(),
    };
    for m in rs {
        if m.href == coll {
            assert_eq!(m.status, Some(507), "collection response: {}", r.text());
            a.truncated = true;
            continue;
        }
        assert!(m.href.starts_with(coll), "{} outside {coll}", m.href);
        assert!(
            !a.present.contains_key(&m.href) && !a.removed.contains(&m.href),
            "{} listed twice: {}",
            m.href,
            r.text()
        );
        match m.status {
            Some(404) => {
                a.removed.insert(m.href.clone());
            }
            Some(other) => panic!(
                "{} has status {other}: a changed member MUST carry a propstat and no status \
                 (RFC 6578 §3.2): {}",
                m.href,
                r.text()
            ),
            None => {
                assert!(
                    !m.propstats.is_empty(),
                    "{} has no propstat (RFC 6578 §3.2): {}",
                    m.href,
                    r.text()
                );
                let etag = m
                    .ok_prop(DAV, "getetag")
                    .map(|e| e.text())
                    .unwrap_or_default();
                a.present.insert(m.href.clone(), etag);
            }
        }
    }
    a
}

/// `sync` with OS X iCal's body (see `macos_sync_body`) and Depth 0.
#[track_caller]
fn macos_sync(s: &Server, u: &User, coll: &str, token: &str) -> SyncAnswer {
    sync(s, u, coll, Some("0"), &macos_sync_body(token))
}

fn put_event(s: &Server, u: &User, path: &str, uid: &str, summary: &str) -> String {
    let r = put_req(s, u, path, event(uid, summary).as_bytes());
    assert!(matches!(r.status, 201 | 204), "{path}: {}", r.text());
    r.header("etag").expect("etag").to_owned()
}

/// `put_event` for every `(href, uid)`: href → ETag.
fn put_events(
    s: &Server,
    u: &User,
    events: impl IntoIterator<Item = (String, String)>,
    summary: &str,
) -> BTreeMap<String, String> {
    events
        .into_iter()
        .map(|(href, uid)| {
            let etag = put_event(s, u, &href, &uid, summary);
            (href, etag)
        })
        .collect()
}

/// DELETEs `path`, which must exist.
#[track_caller]
fn delete(s: &Server, u: &User, path: &str) {
    let r = delete_req(s, u, path);
    assert_eq!(r.status, 204, "DELETE {path}: {}", r.text());
}

#[test]
fn empty_sync_token_returns_every_member_and_a_token() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let members = (0..3).map(|i| (format!("{coll}m{i}.ics"), format!("sync-m{i}")));
    let etags = put_events(&s, &u, members, "x");
    let a = macos_sync(&s, &u, &coll, "");
    assert_eq!(a.present, etags, "{}", a.raw);
    assert!(a.removed.is_empty(), "{}", a.raw);
    assert!(!a.truncated);
}

#[test]
fn incremental_sync_reports_exactly_the_ten_changes() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let old: Vec<String> = (0..6).map(|i| format!("{coll}old{i}.ics")).collect();
    for (i, h) in old.iter().enumerate() {
        put_event(&s, &u, h, &format!("old-{i}"), "v1");
    }
    let t1 = macos_sync(&s, &u, &coll, "").token;

    let new = (0..4).map(|i| (format!("{coll}new{i}.ics"), format!("new-{i}")));
    let mut expected = put_events(&s, &u, new, "fresh");
    for (i, h) in old.iter().enumerate().take(3) {
        expected.insert(h.clone(), put_event(&s, &u, h, &format!("old-{i}"), "v2"));
    }
    for h in &old[3..] {
        delete(&s, &u, h);
    }

    let a = macos_sync(&s, &u, &coll, &t1);
    assert_eq!(a.present, expected, "{}", a.raw);
    assert_eq!(
        a.removed,
        old[3..].iter().cloned().collect::<BTreeSet<_>>(),
        "{}",
        a.raw
    );
    assert!(!a.truncated);
    assert_ne!(a.token, t1);
}

/// CalDAVTester's body asks for no property at all (`<D:prop/>`); changed members are still
/// answered with a propstat and no status, removed ones with a 404 status (RFC 6578 §3.2).
#[test]
fn empty_prop_body_lists_changed_members_with_a_propstat_and_removed_ones_with_404() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let hrefs: Vec<String> = (0..3).map(|i| format!("{coll}e{i}.ics")).collect();
    for (i, h) in hrefs.iter().enumerate() {
        put_event(&s, &u, h, &format!("empty-prop-{i}"), "x");
    }
    let a = sync(&s, &u, &coll, None, &empty_prop_sync_body(""));
    assert_eq!(
        a.present.keys().cloned().collect::<Vec<_>>(),
        hrefs,
        "{}",
        a.raw
    );
    put_event(&s, &u, &hrefs[0], "empty-prop-0", "changed");
    delete(&s, &u, &hrefs[1]);
    let b = sync(&s, &u, &coll, None, &empty_prop_sync_body(&a.token));
    assert_eq!(
        b.present.keys().cloned().collect::<Vec<_>>(),
        vec![hrefs[0].clone()],
        "{}",
        b.raw
    );
    assert_eq!(b.removed, BTreeSet::from([hrefs[1].clone()]), "{}", b.raw);
}

#[test]
fn sync_with_the_latest_token_and_no_changes_has_no_responses() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    put_event(&s, &u, &format!("{coll}a.ics"), "quiet-a", "x");
    let t = macos_sync(&s, &u, &coll, "").token;
    // A read in between is not a change.
    assert_eq!(get_req(&s, &u, &format!("{coll}a.ics")).status, 200);
    let a = macos_sync(&s, &u, &coll, &t);
    assert!(a.present.is_empty() && a.removed.is_empty(), "{}", a.raw);
    let b = macos_sync(&s, &u, &coll, &a.token);
    assert!(b.present.is_empty() && b.removed.is_empty(), "{}", b.raw);
}

#[test]
fn unknown_foreign_and_garbage_tokens_are_403_valid_sync_token() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    put_event(&s, &u, &format!("{coll}a.ics"), "tok-a", "x");
    let current = macos_sync(&s, &u, &coll, "").token;
    let foreign = sync(
        &s,
        &u,
        &addressbook_url(&u),
        Some("0"),
        &empty_prop_sync_body(""),
    )
    .token;
    assert_ne!(foreign, current);
    let other_user = s.new_user("sync");
    let other_users = macos_sync(&s, &other_user, &calendar_url(&other_user), "").token;
    // A token this collection never handed out: a revision from the future.
    let future = match current.rsplit_once(':') {
        Some((prefix, _)) => format!("{prefix}:999999"),
        None => format!("{current}999999"),
    };
    for bad in [
        "urn:davsuite:sync:999:1".to_owned(),
        foreign,
        other_users,
        future,
        "garbage".to_owned(),
        "0".to_owned(),
        "http://example.com/ns/sync/1".to_owned(),
    ] {
        let r = report_req(&s, &u, &coll, Some("0"), macos_sync_body(&bad).as_bytes());
        assert_dav_error(&r, 403, DAV, "valid-sync-token");
    }
}

#[test]
fn thunderbird_depth_1_on_sync_collection_still_works() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let etag = put_event(&s, &u, &format!("{coll}tb.ics"), "tb-1", "x");
    let a = sync(&s, &u, &coll, Some("1"), &sync_body("", false, None));
    assert_eq!(
        a.present,
        BTreeMap::from([(format!("{coll}tb.ics"), etag)]),
        "{}",
        a.raw
    );
    let etag2 = put_event(&s, &u, &format!("{coll}tb2.ics"), "tb-2", "x");
    let b = sync(&s, &u, &coll, Some("1"), &sync_body(&a.token, false, None));
    assert_eq!(
        b.present,
        BTreeMap::from([(format!("{coll}tb2.ics"), etag2)]),
        "{}",
        b.raw
    );
}

#[test]
fn limit_truncates_with_507_and_the_token_continues_without_repeats() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let members = (0..10).map(|i| (format!("{coll}p{i:02}.ics"), format!("page-{i}")));
    let all = put_events(&s, &u, members, "x");
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages <= 10, "paging does not end");
        let a = sync(&s, &u, &coll, Some("0"), &sync_body(&token, false, Some(3)));
        assert!(a.present.len() + a.removed.len() <= 3, "{}", a.raw);
        assert!(a.removed.is_empty(), "{}", a.raw);
        if pages == 1 {
            assert_eq!(a.present.len(), 3, "{}", a.raw);
            assert!(
                a.truncated,
                "first page of 10 with limit 3 must say 507: {}",
                a.raw
            );
        }
        for (h, e) in a.present {
            assert!(seen.insert(h.clone(), e).is_none(), "{h} on two pages");
        }
        token = a.token;
        if !a.truncated {
            break;
        }
    }
    assert_eq!(seen, all);
    assert!(
        pages >= 4,
        "10 members in pages of 3 need 4 pages, got {pages}"
    );
}

fn getctag(s: &Server, u: &User, coll: &str) -> String {
    let r = propfind_req(s, u, coll, "0", &propfind_body(&[(CS, "getctag")]));
    multistatus(&r)[0]
        .ok_prop(CS, "getctag")
        .unwrap_or_else(|| panic!("no getctag: {}", r.text()))
        .text()
}

#[test]
fn getctag_changes_after_put_and_delete_but_not_after_get() {
    let s = Server::start();
    let u = s.new_user("sync");
    for (coll, path, body) in [
        (
            calendar_url(&u),
            format!("{}c.ics", calendar_url(&u)),
            event("ctag-1", "x"),
        ),
        (
            addressbook_url(&u),
            format!("{}c.vcf", addressbook_url(&u)),
            vcard("ctag-2", "x"),
        ),
    ] {
        let c0 = getctag(&s, &u, &coll);
        put_created(&s, &u, &path, body.as_bytes());
        let c1 = getctag(&s, &u, &coll);
        assert_ne!(c0, c1, "PUT did not change getctag of {coll}");
        assert_eq!(get_req(&s, &u, &path).status, 200);
        assert_eq!(getetag_listing(&s, &u, &coll).status, 207);
        assert_eq!(
            getctag(&s, &u, &coll),
            c1,
            "a read changed getctag of {coll}"
        );
        delete(&s, &u, &path);
        let c2 = getctag(&s, &u, &coll);
        assert_ne!(c2, c1, "DELETE did not change getctag of {coll}");
        assert_ne!(c2, c0);
    }
}

#[test]
fn sync_collection_calendar_data_is_identical_to_get() {
    let s = Server::start();
    let u = s.new_user("sync");
    let coll = calendar_url(&u);
    let bodies = [
        (
            "crlf.ics",
            fixture("ical/thunderbird-crlf-many-vtimezone-rdate.ics"),
        ),
        (
            "cyrillic-lf.ics",
            fixture("ical/apple-macos-10.13-tzoffset-seconds-absolute-alarm.ics"),
        ),
        (
            "plain.ics",
            event("sync-data-1", "a < b & c > d").into_bytes(),
        ),
    ];
    for (name, body) in &bodies {
        put_created(&s, &u, &format!("{coll}{name}"), body);
    }
    let body = sync_body("", true, None);
    let r = report_req(&s, &u, &coll, Some("0"), body.as_bytes());
    let rs = multistatus(&r);
    assert_eq!(rs.len(), bodies.len(), "{}", r.text());
    for m in &rs {
        assert_same_as_get(&s, &u, &r, m, &m.href, (CAL, "calendar-data"));
    }
}
