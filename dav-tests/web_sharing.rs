//! The web view's sharing page over plain HTTP: sharing with a person (by login or e-mail) and
//! with a team, changing the access, unsharing, public links created and revoked, what is
//! shared with the viewer (removed from and added back to its list), refusals drawn as
//! messages with nothing changed, and French texts. Each change is checked over DAV or the
//! JSON API.

use crate::common::*;

/// A server with a public base URL and organisation acme: alice (owner of the shared
/// calendar, holding one event), bob and carol.
fn acme(extra: &str) -> (Server, User, User, User) {
    let s = Server::start_with_config(Some(&format!(
        "[server]\npublic_url = \"https://dav.example.com/\"\n{extra}"
    )));
    let alice = s.new_user_in("walice", "acme");
    let bob = s.new_user_in("wbob", "acme");
    let carol = s.new_user_in("wcarol", "acme");
    put_created(
        &s,
        &alice,
        &format!("{}e1.ics", calendar_url(&alice)),
        event("e1", "Planning").as_bytes(),
    );
    (s, alice, bob, carol)
}

/// The sharing page as `w` sees it.
#[track_caller]
fn sharing_page(s: &Server, w: &WebSession) -> String {
    let r = w.get(s, "/web/sharing");
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

/// Follows a post's redirect to the sharing page and returns it.
#[track_caller]
fn after_redirect(s: &Server, w: &WebSession, r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").expect("location");
    assert!(location.starts_with("/web/sharing?ok="), "{location}");
    let page = w.get(s, location);
    assert_eq!(page.status, 200);
    page.text()
}

/// The shares of `u`'s collections, from the JSON API.
fn api_shares(s: &Server, u: &User) -> Value {
    api_ok(s, u, "GET", "/api/v1/shares", None, 200)
}

/// `u`'s links, from the JSON API.
fn api_links(s: &Server, u: &User) -> Vec<Value> {
    api_ok(s, u, "GET", "/api/v1/links", None, 200)
        .as_array()
        .expect("array")
        .clone()
}

/// A PUT of a new event into `path` as `u`: its status.
fn put_status(s: &Server, u: &User, path: &str, uid: &str) -> u16 {
    put_req(
        s,
        u,
        &format!("{path}{uid}.ics"),
        event(uid, "By sharee").as_bytes(),
    )
    .status
}

fn share_fields<'a>(with: &'a str, access: &'a str) -> [(&'a str, &'a str); 4] {
    [
        ("collection", "personal"),
        ("kind", "calendar"),
        ("with", with),
        ("access", access),
    ]
}

#[test]
fn sharing_with_a_person_changing_the_access_and_unsharing() {
    let (s, alice, bob, _) = acme("");
    let w = web_login(&s, &alice);
    let page = sharing_page(&s, &w);
    for id in [
        "share-with-calendar-personal",
        "share-access-calendar-personal",
        "share-calendar-personal",
        "share-with-addressbook-contacts",
        "link-valid-calendar-personal",
        "create-link-calendar-personal",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}: {page}");
    }
    assert!(
        !page.contains("link-valid-addressbook"),
        "address books have no links"
    );

    let r = w.post(&s, "/web/sharing/share", &share_fields(&bob.login, "read"));
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("Shared."), "{page}");
    assert!(
        page.contains(&format!("data-with=\"{}\"", bob.login)),
        "{page}"
    );
    // Bob sees it in his home, read-only: his PUT is refused.
    let bob_cal = shared_path(&s, &bob);
    assert!(
        bob_cal.starts_with(&format!("{}.shared-", cal_home(&bob))),
        "{bob_cal}"
    );
    assert!(
        get_req(&s, &bob, &format!("{bob_cal}e1.ics"))
            .text()
            .contains("Planning")
    );
    let m = props_at(
        &s,
        &bob,
        &bob_cal,
        &[(NS_DAV, "current-user-privilege-set")],
    );
    assert!(
        !privileges(&m).contains(&"write-content".to_owned()),
        "{:?}",
        privileges(&m)
    );
    assert_eq!(put_status(&s, &bob, &bob_cal, "ro1"), 403);

    // Read and write: his PUT goes through.
    let r = w.post(
        &s,
        "/web/sharing/share",
        &share_fields(&bob.login, "read-write"),
    );
    assert!(after_redirect(&s, &w, &r).contains("Access changed."));
    assert_eq!(api_shares(&s, &alice)[0]["access"], "read-write");
    assert_eq!(put_status(&s, &bob, &bob_cal, "rw1"), 201);
    // Back to read only: refused again.
    let r = w.post(&s, "/web/sharing/share", &share_fields(&bob.login, "read"));
    after_redirect(&s, &w, &r);
    assert_eq!(put_status(&s, &bob, &bob_cal, "ro2"), 403);

    let r = w.post(
        &s,
        "/web/sharing/unshare",
        &[
            ("collection", "personal"),
            ("kind", "calendar"),
            ("with", &bob.login),
        ],
    );
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("No longer shared."), "{page}");
    assert!(shared_paths(&s, &bob).is_empty());
    assert_eq!(api_shares(&s, &alice), json!([]));

    // A co-member's e-mail address names him too; an address book shares the same way.
    let email = format!("{}@example.com", bob.login);
    let r = w.post(
        &s,
        "/web/sharing/share",
        &[
            ("collection", "contacts"),
            ("kind", "addressbook"),
            ("with", &email),
            ("access", "read"),
        ],
    );
    after_redirect(&s, &w, &r);
    let shared = api_shares(&s, &alice);
    assert_eq!(
        (&shared[0]["kind"], &shared[0]["with"]),
        (&json!("addressbook"), &json!(bob.login))
    );
    let path = shared_path(&s, &bob);
    assert!(
        path.starts_with(&format!("/dav/addressbooks/{}/.shared-", bob.login)),
        "{path}"
    );
}

#[test]
fn a_team_share_reaches_its_members() {
    let (s, alice, bob, carol) = acme("");
    team_of(&s, "acme", "crew", &[&bob]);
    let w = web_login(&s, &alice);
    let r = w.post(
        &s,
        "/web/sharing/share",
        &share_fields("team:crew", "read-write"),
    );
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("data-with=\"team:acme/crew\""), "{page}");
    let bob_cal = shared_path(&s, &bob);
    assert_eq!(put_status(&s, &bob, &bob_cal, "team1"), 201);
    assert!(shared_paths(&s, &carol).is_empty(), "not in the team");

    // Bob has it through the team only: unsharing with him is refused, naming the team.
    let r = w.post(
        &s,
        "/web/sharing/unshare",
        &[
            ("collection", "personal"),
            ("kind", "calendar"),
            ("with", &bob.login),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("team:acme/crew"), "{}", r.text());
    assert_eq!(shared_paths(&s, &bob).len(), 1);

    let r = w.post(
        &s,
        "/web/sharing/unshare",
        &[
            ("collection", "personal"),
            ("kind", "calendar"),
            ("with", "team:acme/crew"),
        ],
    );
    after_redirect(&s, &w, &r);
    assert!(shared_paths(&s, &bob).is_empty());
}

#[test]
fn a_public_link_serves_the_calendar_until_revoked() {
    let (s, alice, bob, _) = acme("");
    let w = web_login(&s, &alice);
    let r = w.post(
        &s,
        "/web/sharing/link",
        &[("collection", "personal"), ("valid", "30d")],
    );
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("Public link created."), "{page}");
    let links = api_links(&s, &alice);
    assert_eq!(links.len(), 1);
    let url = links[0]["url"].as_str().expect("url");
    let id = links[0]["id"].as_i64().expect("id");
    assert!(
        page.contains(&format!("value=\"{url}\"")),
        "the URL is shown: {page}"
    );
    assert!(page.contains(&format!("id=\"copy-{id}\"")) && page.contains("data-copy="));
    assert!(page.contains("Valid until"), "{page}");
    let path = url
        .strip_prefix("https://dav.example.com")
        .expect("under the base");
    let r = s.request("GET", path, None, &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("SUMMARY:Planning"), "{}", r.text());

    // Bob cannot revoke Alice's link, and learns nothing of it.
    let wb = web_login(&s, &bob);
    let r = wb.post(&s, "/web/sharing/revoke", &[("id", &id.to_string())]);
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(!r.text().contains(url));
    assert_eq!(s.request("GET", path, None, &[], b"").status, 200);

    let r = w.post(&s, "/web/sharing/revoke", &[("id", &id.to_string())]);
    let page = after_redirect(&s, &w, &r);
    assert!(
        page.contains("Link revoked.") && !page.contains(url),
        "{page}"
    );
    assert_eq!(s.request("GET", path, None, &[], b"").status, 404);
    assert_eq!(api_links(&s, &alice)[0]["status"], "revoked");
}

#[test]
fn refusals_are_messages_and_change_nothing() {
    let (s, alice, bob, _) = acme(&every_plan("public_links_per_month = 1"));
    let outsider = s.new_user_in("wout", "elsewhere");
    let w = web_login(&s, &alice);
    for (fields, status, text) in [
        (share_fields("nobody-here", "read"), 404, "not found"),
        (share_fields(&outsider.login, "read"), 404, "not found"),
        (
            share_fields(&alice.login, "read"),
            422,
            "owns this collection already",
        ),
        (share_fields("two words", "read"), 422, "two words"),
        (share_fields(&bob.login, "admin"), 422, "unknown access"),
        (share_fields("team:ghosts", "read"), 404, "team ghosts"),
    ] {
        let r = w.post(&s, "/web/sharing/share", &fields);
        assert_eq!(r.status, status, "{fields:?}: {}", r.text());
        assert!(r.text().contains("role=\"alert\""), "{fields:?}");
        assert!(r.text().contains(text), "{fields:?}: {}", r.text());
    }
    // A collection the viewer does not have, a generated one, the wrong kind for a link.
    for (path, fields, status) in [
        (
            "/web/sharing/share",
            vec![
                ("collection", "nope"),
                ("kind", "calendar"),
                ("with", bob.login.as_str()),
            ],
            404,
        ),
        (
            "/web/sharing/share",
            vec![
                ("collection", ".birthdays"),
                ("kind", "calendar"),
                ("with", bob.login.as_str()),
            ],
            422,
        ),
        (
            "/web/sharing/share",
            vec![
                ("collection", "personal"),
                ("kind", "files"),
                ("with", bob.login.as_str()),
            ],
            404,
        ),
        (
            "/web/sharing/link",
            vec![("collection", "contacts"), ("valid", "7d")],
            404,
        ),
        (
            "/web/sharing/link",
            vec![("collection", "personal"), ("valid", "forever")],
            422,
        ),
        ("/web/sharing/revoke", vec![("id", "x")], 404),
        (
            "/web/sharing/reply",
            vec![("kind", "calendar"), ("id", "1"), ("accept", "0")],
            404,
        ),
    ] {
        let r = w.post(&s, path, &fields);
        assert_eq!(r.status, status, "{path} {fields:?}: {}", r.text());
    }
    assert_eq!(api_shares(&s, &alice), json!([]));
    assert!(shared_paths(&s, &bob).is_empty());
    assert!(api_links(&s, &alice).is_empty());

    // The plan allows one link a month.
    let link = [("collection", "personal"), ("valid", "7d")];
    after_redirect(&s, &w, &w.post(&s, "/web/sharing/link", &link));
    let r = w.post(&s, "/web/sharing/link", &link);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        r.text().contains("public link(s) allowed per month"),
        "{}",
        r.text()
    );
    assert_eq!(api_links(&s, &alice).len(), 1);

    // In French.
    let r = s.request(
        "POST",
        "/web/sharing/share",
        None,
        &[
            (
                "cookie",
                &format!("{}; davsuite_lang=fr", w.cookie_header()),
            ),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        form_body(&[
            ("csrf", &w.csrf),
            ("collection", "personal"),
            ("kind", "calendar"),
            ("with", &alice.login),
            ("access", "read"),
        ])
        .as_bytes(),
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("Cette collection est déjà la vôtre"),
        "{page}"
    );
    assert!(
        page.contains("Partagés avec moi") && page.contains("Lecture seule"),
        "{page}"
    );
}

#[test]
fn what_others_share_is_listed_and_can_be_removed_and_added_back() {
    let (s, alice, bob, _) = acme("");
    share_with(&s, &calendar_url(&alice), &bob.login, "read");
    let bob_cal = shared_path(&s, &bob);
    let id = bob_cal
        .trim_end_matches('/')
        .rsplit(".shared-")
        .next()
        .expect("id")
        .to_owned();
    let w = web_login(&s, &bob);
    let page = sharing_page(&s, &w);
    assert!(page.contains(&format!("data-path=\"{bob_cal}\"")), "{page}");
    assert!(
        page.contains(&alice.login) && page.contains("Read only"),
        "{page}"
    );
    assert!(page.contains(&format!("id=\"decline-{id}\"")), "{page}");

    let r = w.post(
        &s,
        "/web/sharing/reply",
        &[("kind", "calendar"), ("id", &id), ("accept", "0")],
    );
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("Removed from your list."), "{page}");
    assert!(page.contains(&format!("id=\"accept-{id}\"")), "{page}");
    assert!(shared_paths(&s, &bob).is_empty());
    assert!(!listed(&s, &bob, &cal_home(&bob)).contains(&bob_cal));
    // Alice's page shows that he removed it.
    let wa = web_login(&s, &alice);
    assert!(sharing_page(&s, &wa).contains("removed it from their list"));

    // Asked as an address book, the calendar is not found.
    let r = w.post(
        &s,
        "/web/sharing/reply",
        &[("kind", "addressbook"), ("id", &id), ("accept", "1")],
    );
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(shared_paths(&s, &bob).is_empty());

    let r = w.post(
        &s,
        "/web/sharing/reply",
        &[("kind", "calendar"), ("id", &id), ("accept", "1")],
    );
    assert!(after_redirect(&s, &w, &r).contains("Added to your list."));
    assert_eq!(shared_paths(&s, &bob), vec![bob_cal]);
}
