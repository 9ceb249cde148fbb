//! The web view's tasks page over plain HTTP: tasks of the person's calendars listed by due
//! date, created, edited and marked done or open again through forms, each change what DAV
//! clients then read; stale forms and read-only shares change nothing.

use crate::common::*;
use crate::web_events::{field_value, shared_name};

fn dav_text(s: &Server, u: &User, path: &str) -> String {
    let r = get_req(s, u, path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.text()
}

/// A client's task due on `due` (a DATE value) with an X- property.
fn client_task(uid: &str, summary: &str, due: &str) -> String {
    todo(uid, summary).replace(
        "END:VTODO",
        &format!("DUE;VALUE=DATE:{due}\r\nX-CLIENT-ORDER:7\r\nEND:VTODO"),
    )
}

/// The `etag` field of the toggle form of task `obj` on the tasks page.
fn toggle_etag(page: &str, obj: &str) -> String {
    let at = page
        .find(&format!("name=\"obj\" value=\"{obj}\""))
        .unwrap_or_else(|| panic!("no form for {obj}: {page}"));
    field_value(&page[at..], "etag").expect("etag")
}

#[test]
fn tasks_are_listed_by_due_date_and_overdue_ones_marked() {
    let s = Server::start();
    let u = s.new_user("tasklist");
    let cal = calendar_url(&u);
    put_created(
        &s,
        &u,
        &format!("{cal}late.ics"),
        client_task("late", "Late one", "20200101").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{cal}later.ics"),
        client_task("later", "Far away", "20990101").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{cal}soon.ics"),
        client_task("soon", "Next up", "20980101").as_bytes(),
    );
    put_created(
        &s,
        &u,
        &format!("{cal}ev.ics"),
        event("ev", "Not a task").as_bytes(),
    );
    let w = web_login(&s, &u);
    let r = w.get(&s, "/web/tasks");
    assert_eq!(r.status, 200);
    let page = r.text();
    let (late, soon, far) = (
        page.find("Late one").unwrap(),
        page.find("Next up").unwrap(),
        page.find("Far away").unwrap(),
    );
    assert!(late < soon && soon < far, "sorted by due date");
    assert!(!page.contains("Not a task"));
    assert_eq!(page.matches("Overdue").count(), 1, "{page}");
    assert!(page.contains("id=\"task-form\""), "a new-task form");
}

#[test]
fn a_new_task_is_created_and_marked_done_and_open_again() {
    let s = Server::start();
    let u = s.new_user("tasknew");
    let cal = calendar_url(&u);
    let w = web_login(&s, &u);
    let token = collection_sync_token(&s, &u, &cal);
    let r = w.post(
        &s,
        "/web/tasks/new",
        &[
            ("calendar", "personal"),
            ("summary", "Pay rent"),
            ("due_date", "2031-03-31"),
            ("due_time", "17:00"),
            ("priority", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/web/tasks?msg=created"));
    let changes = sync_changes(&s, &u, &cal, &token);
    assert_eq!(changes.len(), 1);
    let path = changes[0].0.clone();
    let obj = path.rsplit('/').next().unwrap().to_owned();
    let body = dav_text(&s, &u, &path);
    assert!(body.contains("BEGIN:VTODO") && body.contains("SUMMARY:Pay rent"));
    assert!(
        body.contains("DUE;TZID=Europe/Zurich:20310331T170000"),
        "{body}"
    );
    assert!(body.contains("BEGIN:VTIMEZONE") && body.contains("PRIORITY:1"));

    let page = w.get(&s, "/web/tasks?msg=created").text();
    assert!(page.contains("role=\"status\""));
    let etag = toggle_etag(&page, &obj);
    let token = collection_sync_token(&s, &u, &cal);
    let r = w.post(
        &s,
        "/web/tasks/toggle",
        &[
            ("cal", "personal"),
            ("obj", &obj),
            ("etag", &etag),
            ("done", "1"),
        ],
    );
    assert_eq!(r.status, 303);
    let body = dav_text(&s, &u, &path);
    assert!(body.contains("STATUS:COMPLETED") && body.contains("PERCENT-COMPLETE:100"));
    assert!(body.contains("\nCOMPLETED:"), "{body}");
    assert_eq!(sync_changes(&s, &u, &cal, &token).len(), 1);
    let page = w.get(&s, "/web/tasks").text();
    let completed = page
        .find("id=\"completed-tasks\"")
        .expect("a completed section");
    assert!(page[completed..].contains("Pay rent"));
    assert!(page.contains("aria-checked=\"true\""));

    let etag = toggle_etag(&page, &obj);
    let r = w.post(
        &s,
        "/web/tasks/toggle",
        &[
            ("cal", "personal"),
            ("obj", &obj),
            ("etag", &etag),
            ("done", "0"),
        ],
    );
    assert_eq!(r.status, 303);
    let body = dav_text(&s, &u, &path);
    assert!(body.contains("STATUS:NEEDS-ACTION"), "{body}");
    assert!(!body.contains("\nCOMPLETED:") && !body.contains("PERCENT-COMPLETE"));
}

#[test]
fn bad_task_input_is_shown_and_nothing_is_created() {
    let s = Server::start();
    let u = s.new_user("taskbad");
    let cal = calendar_url(&u);
    let w = web_login(&s, &u);
    let token = collection_sync_token(&s, &u, &cal);
    let r = w.post(
        &s,
        "/web/tasks/new",
        &[
            ("calendar", "personal"),
            ("summary", ""),
            ("due_date", "2031-13-01"),
            ("priority", "3"),
        ],
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(page.contains("role=\"alert\"") && page.contains("aria-invalid=\"true\""));
    assert_eq!(
        field_value(&page, "due_date").as_deref(),
        Some("2031-13-01")
    );
    assert!(sync_changes(&s, &u, &cal, &token).is_empty());
}

#[test]
fn editing_a_task_keeps_the_clients_lines_and_stale_forms_change_nothing() {
    let s = Server::start();
    let u = s.new_user("taskedit");
    let cal = calendar_url(&u);
    let path = format!("{cal}t.ics");
    put_created(
        &s,
        &u,
        &path,
        client_task("t", "Client task", "20300101").as_bytes(),
    );
    let w = web_login(&s, &u);
    let page = w.get(&s, "/web/tasks/edit?cal=personal&obj=t.ics").text();
    assert_eq!(
        field_value(&page, "due_date").as_deref(),
        Some("2030-01-01")
    );
    let etag = field_value(&page, "etag").unwrap();
    let r = w.post(
        &s,
        "/web/tasks/save",
        &[
            ("cal", "personal"),
            ("obj", "t.ics"),
            ("etag", &etag),
            ("summary", "Edited task"),
            ("due_date", "2030-02-01"),
            ("due_time", ""),
            ("priority", "9"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let body = dav_text(&s, &u, &path);
    assert!(body.contains("SUMMARY:Edited task") && body.contains("DUE;VALUE=DATE:20300201"));
    assert!(
        body.contains("X-CLIENT-ORDER:7") && body.contains("PRIORITY:9"),
        "{body}"
    );
    // The old ETag is stale now: a toggle with it changes nothing.
    let r = w.post(
        &s,
        "/web/tasks/toggle",
        &[
            ("cal", "personal"),
            ("obj", "t.ics"),
            ("etag", &etag),
            ("done", "1"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/web/tasks?msg=conflict"));
    assert_eq!(dav_text(&s, &u, &path), body);
    let page = w.get(&s, "/web/tasks?msg=conflict").text();
    assert!(page.contains("changed on another device"));
}

#[test]
fn a_read_only_share_lists_tasks_without_changing_them() {
    let s = Server::start();
    let alice = s.new_user_in("tro-alice", "troacme");
    let bob = s.new_user_in("tro-bob", "troacme");
    let cal = calendar_url(&alice);
    let path = format!("{cal}shared.ics");
    put_created(
        &s,
        &alice,
        &path,
        client_task("shared", "Shared chore", "20300101").as_bytes(),
    );
    share_with(&s, &cal, &bob.login, "read");
    let w = web_login(&s, &bob);
    let page = w.get(&s, "/web/tasks").text();
    assert!(page.contains("Shared chore"));
    assert!(
        !page.contains("name=\"obj\" value=\"shared.ics\""),
        "no toggle form"
    );
    let before = dav_text(&s, &alice, &path);
    let etag = get_req(&s, &alice, &path)
        .header("etag")
        .unwrap()
        .to_owned();
    let mount = shared_name(&s, &bob);
    let r = w.post(
        &s,
        "/web/tasks/toggle",
        &[
            ("cal", &mount),
            ("obj", "shared.ics"),
            ("etag", &etag),
            ("done", "1"),
        ],
    );
    assert_eq!(r.status, 403);
    let r = w.get(&s, &format!("/web/tasks/edit?cal={mount}&obj=shared.ics"));
    assert_eq!(r.status, 403);
    // Someone else's calendar is not found.
    let r = w.post(
        &s,
        "/web/tasks/toggle",
        &[
            ("cal", ".shared-999999"),
            ("obj", "shared.ics"),
            ("etag", &etag),
            ("done", "1"),
        ],
    );
    assert_eq!(r.status, 404);
    assert_eq!(dav_text(&s, &alice, &path), before);
}
