//! The web view's trash page over plain HTTP: deleted events, tasks, contacts and collections
//! listed with their dates, restored with one click (seen over DAV with a new ETag and by the
//! next sync), UID clashes restored as copies, objects of a deleted collection restored
//! elsewhere, point-in-time restores, and nothing of anyone else's trash.

use crate::common::*;

// Sunday 17 March 2030, 17:46:40 UTC.
const T0: i64 = 1_900_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// GET `path` in the session, the browser asking for `lang`.
fn get_in(s: &Server, w: &WebSession, path: &str, lang: &str) -> Resp {
    s.request(
        "GET",
        path,
        None,
        &[("cookie", &w.cookie_header()), ("accept-language", lang)],
        b"",
    )
}

/// The trash page as `w` sees it, in English.
#[track_caller]
fn trash_page(s: &Server, w: &WebSession) -> String {
    let r = w.get(s, "/web/trash");
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

/// The trash ids (`data-id`) a page lists, in order.
fn listed_ids(page: &str) -> Vec<String> {
    page.split("data-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Follows a post's redirect to the trash page and returns it.
#[track_caller]
fn after_redirect(s: &Server, w: &WebSession, r: &Resp) -> String {
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").expect("location");
    assert!(location.starts_with("/web/trash?ok="), "{location}");
    let page = w.get(s, location);
    assert_eq!(page.status, 200);
    page.text()
}

fn etag(r: &Resp) -> String {
    r.header("etag").expect("an ETag").to_owned()
}

#[test]
fn deleted_items_are_listed_with_their_dates_and_restored_with_one_click() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("wtrash");
    let cal = calendar_url(&u);
    let book = addressbook_url(&u);
    let ev = format!("{cal}ev.ics");
    let td = format!("{cal}todo.ics");
    let card = format!("{book}card.vcf");
    put_created(
        &s,
        &u,
        &ev,
        event("ev-uid", "Planning <meeting>").as_bytes(),
    );
    put_created(&s, &u, &td, todo("todo-uid", "Chores").as_bytes());
    put_created(&s, &u, &card, vcard("card-uid", "Ada Lovelace").as_bytes());
    let old_etag = etag(&get_req(&s, &u, &ev));
    clock.set(T0 + HOUR);
    for path in [&ev, &td, &card] {
        assert_eq!(delete_req(&s, &u, path).status, 204, "{path}");
    }
    let token = collection_sync_token(&s, &u, &cal);

    let w = web_login(&s, &u);
    let page = trash_page(&s, &w);
    assert!(!page.contains("trash-empty"), "{page}");
    // Titles as people know them (escaped), each entry's kind, place and dates.
    assert!(page.contains("Planning &lt;meeting&gt;"), "{page}");
    assert!(!page.contains("Planning <meeting>"), "escaped");
    assert!(
        page.contains("Chores") && page.contains("Ada Lovelace"),
        "{page}"
    );
    for kind in ["Event", "Task", "Contact"] {
        assert!(page.contains(kind), "{kind}: {page}");
    }
    assert!(
        page.contains("Sunday 17 March 2030, 6:46 pm"),
        "deleted at: {page}"
    );
    // ksuite-standard (the default plan) keeps 30 days.
    assert!(page.contains("in 30 days"), "{page}");
    assert!(page.contains(&format!("datetime=\"{}\"", rfc3339(T0 + HOUR + 30 * DAY))));
    let items = trash_list(&s, &u.login);
    let ev_id = trash_entry(&items, &ev)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(listed_ids(&page).len(), 3, "{page}");
    assert!(listed_ids(&page).contains(&ev_id));
    assert!(page.contains(&format!("id=\"restore-{ev_id}\"")), "{page}");
    // The storage figures.
    for id in [
        "storage-used",
        "storage-trash",
        "storage-history",
        "storage-window",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }

    // Twenty-five days later (in a new session: the first one has expired), five are left.
    clock.set(T0 + HOUR + 25 * DAY);
    let w = web_login(&s, &u);
    assert!(trash_page(&s, &w).contains("in 5 days"));

    let r = w.post(&s, "/web/trash/restore", &[("id", &ev_id)]);
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains("Restored") && page.contains(&ev), "{page}");
    assert!(!listed_ids(&page).contains(&ev_id), "left the trash");
    assert_eq!(listed_ids(&page).len(), 2);
    // Back over DAV with a new ETag, and the next sync reports it.
    let back = get_req(&s, &u, &ev);
    assert_eq!(back.status, 200);
    assert!(back.text().contains("Planning <meeting>"));
    assert_ne!(etag(&back), old_etag);
    assert_eq!(sync_changes(&s, &u, &cal, &token), vec![(ev.clone(), true)]);

    // Restoring it again: restored already (409, as the API answers), nothing changes.
    let again = w.post(&s, "/web/trash/restore", &[("id", &ev_id)]);
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(
        again.text().contains("not in your trash"),
        "{}",
        again.text()
    );
    assert_eq!(etag(&get_req(&s, &u, &ev)), etag(&back));
}

#[test]
fn an_empty_trash_says_so_and_the_page_speaks_french() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("wempty");
    let w = web_login(&s, &u);
    let page = trash_page(&s, &w);
    assert!(page.contains("id=\"trash-empty\"") && page.contains("The trash is empty."));
    assert!(page.contains("name=\"csrf\""), "forms carry the token");

    let path = format!("{}ev.ics", calendar_url(&u));
    put_created(&s, &u, &path, event("fr-uid", "Réunion").as_bytes());
    clock.set(T0 + HOUR);
    assert_eq!(delete_req(&s, &u, &path).status, 204);
    let r = get_in(&s, &w, "/web/trash", "fr-CH, fr;q=0.9");
    assert_eq!(r.status, 200);
    let page = r.text();
    for text in [
        "Corbeille",
        "Événement",
        "Réunion",
        "dimanche 17 mars 2030 à 18:46",
        "dans 30 jours",
        "Restaurer",
        "Revenir à ce moment",
    ] {
        assert!(page.contains(text), "{text}: {page}");
    }
    // Times are shown in the browser's zone once the page script has set it.
    let zurich = s.request(
        "GET",
        "/web/trash",
        None,
        &[(
            "cookie",
            &format!("{}; davsuite_tz=Europe%2FZurich", w.cookie_header()),
        )],
        b"",
    );
    assert!(zurich.text().contains("Sunday 17 March 2030, 7:46 pm"));
}

#[test]
fn a_uid_used_again_offers_a_copy() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("wclash");
    let cal = calendar_url(&u);
    let first = format!("{cal}first.ics");
    let second = format!("{cal}second.ics");
    put_created(&s, &u, &first, event("same-uid", "First").as_bytes());
    clock.set(T0 + HOUR);
    assert_eq!(delete_req(&s, &u, &first).status, 204);
    put_created(&s, &u, &second, event("same-uid", "Second").as_bytes());
    let id = trash_entry(&trash_list(&s, &u.login), &first)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = collection_state(&s, &u, &cal);

    let w = web_login(&s, &u);
    let r = w.post(&s, "/web/trash/restore", &[("id", &id)]);
    assert_eq!(r.status, 409, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("role=\"alert\"") && page.contains("second.ics"),
        "{page}"
    );
    assert!(page.contains("id=\"restore-as-copy\""), "{page}");
    assert!(page.contains("name=\"as_copy\" value=\"1\""), "{page}");
    assert_eq!(collection_state(&s, &u, &cal), before, "nothing changed");
    assert!(listed_ids(&page).contains(&id), "still in the trash");

    let r = w.post(&s, "/web/trash/restore", &[("id", &id), ("as_copy", "1")]);
    after_redirect(&s, &w, &r);
    let state = collection_state(&s, &u, &cal);
    let members: Vec<&String> = state
        .iter()
        .map(|(href, _)| href)
        .filter(|h| **h != cal)
        .collect();
    assert_eq!(members.len(), 2, "{state:?}");
    let copy = members
        .into_iter()
        .find(|h| **h != second)
        .expect("the copy");
    let body = get_req(&s, &u, copy).text();
    assert!(
        body.contains("SUMMARY:First") && !body.contains("UID:same-uid"),
        "{body}"
    );
    assert!(get_req(&s, &u, &second).text().contains("SUMMARY:Second"));
}

#[test]
fn a_deleted_calendar_comes_back_with_its_events_and_objects_of_it_go_elsewhere() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("wcoll");
    let work = format!("/dav/calendars/{}/work/", u.login);
    let r = mkcalendar(&s, &u, &work, "");
    assert_eq!(r.status, 201, "{}", r.text());
    put_created(
        &s,
        &u,
        &format!("{work}a.ics"),
        event("a", "Alpha").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{work}b.ics"),
        event("b", "Beta").as_bytes(),
    );
    clock.set(T0 + HOUR);
    // One event deleted on its own, then the whole calendar.
    assert_eq!(delete_req(&s, &u, &format!("{work}b.ics")).status, 204);
    assert_eq!(delete_req(&s, &u, &work).status, 204);

    let w = web_login(&s, &u);
    let page = trash_page(&s, &w);
    assert!(
        page.contains("Calendar") && page.contains("1 items"),
        "{page}"
    );
    assert!(page.contains("deleted too"), "{page}");
    let items = trash_list(&s, &u.login);
    let coll_id = trash_entry(&items, &work)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let b_id = trash_entry(&items, &format!("{work}b.ics"))["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // The lone event offers the calendars it may go into.
    assert!(page.contains(&format!("id=\"into-{b_id}\"")), "{page}");
    assert!(
        page.contains(&format!("value=\"{}\"", calendar_url(&u))),
        "{page}"
    );

    // Without a choice it cannot go back.
    let r = w.post(&s, "/web/trash/restore", &[("id", &b_id)]);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("was deleted too"), "{}", r.text());

    let r = w.post(
        &s,
        "/web/trash/restore",
        &[("id", &b_id), ("into", &calendar_url(&u))],
    );
    after_redirect(&s, &w, &r);
    assert!(
        get_req(&s, &u, &format!("{}b.ics", calendar_url(&u)))
            .text()
            .contains("Beta")
    );

    let r = w.post(&s, "/web/trash/restore", &[("id", &coll_id)]);
    let page = after_redirect(&s, &w, &r);
    assert!(page.contains(&work), "{page}");
    assert!(
        get_req(&s, &u, &format!("{work}a.ics"))
            .text()
            .contains("Alpha")
    );
    assert!(listed_ids(&page).is_empty(), "{page}");
}

#[test]
fn an_address_book_goes_back_to_an_earlier_time() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let u = s.new_user("wpit");
    let book = addressbook_url(&u);
    let ada = format!("{book}ada.vcf");
    let bob = format!("{book}bob.vcf");
    put_created(&s, &u, &ada, vcard("ada", "Ada Lovelace").as_bytes());
    clock.set(T0 + HOUR);
    put_created(&s, &u, &bob, vcard("bob", "Bob Later").as_bytes());
    assert!(put_req(&s, &u, &ada, vcard("ada", "Ada Changed").as_bytes()).status < 300);
    clock.set(T0 + 2 * HOUR);
    let w = web_login(&s, &u);
    let page = trash_page(&s, &w);
    assert!(page.contains("id=\"at-addressbook-contacts\""), "{page}");
    assert!(
        page.contains("id=\"restore-at-addressbook-contacts\""),
        "{page}"
    );
    let before = collection_state(&s, &u, &book);

    // Refusals change nothing: a time that is no time, one outside the window, a name the
    // viewer has no collection of.
    let r = w.post(
        &s,
        "/web/trash/restore-at",
        &[
            ("collection", "contacts"),
            ("kind", "addressbook"),
            ("at", "noon"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let r = w.post(
        &s,
        "/web/trash/restore-at",
        &[
            ("collection", "contacts"),
            ("kind", "addressbook"),
            ("tz", "UTC"),
            ("at", "2029-01-01T10:00"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("outside the restore window"),
        "{}",
        r.text()
    );
    let r = w.post(
        &s,
        "/web/trash/restore-at",
        &[
            ("collection", "nope"),
            ("kind", "addressbook"),
            ("at", "2030-03-17T18:00"),
        ],
    );
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(collection_state(&s, &u, &book), before);

    // 19:16 in Zurich is 18:16 UTC, half an hour after T0.
    let r = w.post(
        &s,
        "/web/trash/restore-at",
        &[
            ("collection", "contacts"),
            ("kind", "addressbook"),
            ("tz", "Europe/Zurich"),
            ("at", "2030-03-17T19:16"),
        ],
    );
    let page = after_redirect(&s, &w, &r);
    assert!(
        page.contains("Restored to") && page.contains(&book),
        "{page}"
    );
    assert!(page.contains("1 item(s) given back"), "{page}");
    assert!(page.contains("1 created since moved"), "{page}");
    assert_eq!(get_req(&s, &u, &bob).status, 404);
    assert!(get_req(&s, &u, &ada).text().contains("FN:Ada Lovelace"));
    // Bob went to the trash: the restore can be undone.
    assert!(page.contains("Bob Later"), "{page}");
}

#[test]
fn nobody_restores_or_sees_another_person_s_trash() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let alice = s.new_user("walice");
    let bob = s.new_user("wbob");
    let path = format!("{}secret.ics", calendar_url(&bob));
    put_created(&s, &bob, &path, event("secret", "Bob's secret").as_bytes());
    clock.set(T0 + HOUR);
    assert_eq!(delete_req(&s, &bob, &path).status, 204);
    let id = trash_entry(&trash_list(&s, &bob.login), &path)["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let w = web_login(&s, &alice);
    let page = trash_page(&s, &w);
    assert!(
        page.contains("trash-empty") && !page.contains("secret"),
        "{page}"
    );
    for fields in [
        vec![("id", id.as_str())],
        vec![("id", id.as_str()), ("as_copy", "1")],
        vec![("id", id.as_str()), ("into", calendar_url(&alice).as_str())],
        vec![("id", "o999999")],
        vec![("id", "nonsense")],
    ] {
        let r = w.post(&s, "/web/trash/restore", &fields);
        assert_eq!(r.status, 404, "{fields:?}: {}", r.text());
        assert!(
            !r.text().contains("secret") && !r.text().contains(&bob.login),
            "{fields:?}"
        );
    }
    // Bob's address book named in a point-in-time restore is looked up in Alice's home.
    let r = w.post(
        &s,
        "/web/trash/restore-at",
        &[
            ("collection", "../wbob/contacts"),
            ("kind", "addressbook"),
            ("at", "2030-03-17T18:00"),
        ],
    );
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(get_req(&s, &bob, &path).status, 404, "still deleted");
    assert_eq!(trash_list(&s, &bob.login).len(), 1);
    // Without a session or a token, nothing is restored either.
    let r = s.request(
        "POST",
        "/web/trash/restore",
        None,
        &[("content-type", "application/x-www-form-urlencoded")],
        form_body(&[("id", &id)]).as_bytes(),
    );
    assert_ne!(r.status, 303);
    let w_bob = web_login(&s, &bob);
    let r = w_bob.post_raw(&s, "/web/trash/restore", &form_body(&[("id", &id)]));
    assert_ne!(r.status, 303, "no CSRF token: {}", r.text());
    assert_eq!(get_req(&s, &bob, &path).status, 404);
}
