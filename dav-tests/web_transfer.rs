//! The web view's import and export page.

use crate::common::*;

/// Posts `file` as a multipart form into `collection` (`calendar:NAME`), with the session's
/// token in the form unless `csrf` says otherwise.
fn upload(s: &Server, w: &WebSession, collection: &str, file: &[u8], csrf: &str) -> Resp {
    let b = "----davsuite-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\n{collection}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    s.request(
        "POST",
        "/web/transfer/import",
        None,
        &[
            ("cookie", &w.cookie_header()),
            (
                "content-type",
                &format!("multipart/form-data; boundary={b}"),
            ),
        ],
        &body,
    )
}

fn two_events_and_a_broken_one() -> String {
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
     BEGIN:VEVENT\r\nUID:web-import-1\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250301T090000Z\r\nSUMMARY:One\r\nEND:VEVENT\r\n\
     BEGIN:VEVENT\r\nUID:web-import-2\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250302T090000Z\r\nSUMMARY:Two\r\nEND:VEVENT\r\n\
     BEGIN:VEVENT\r\nUID:web-import-3\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:not-a-date\r\nSUMMARY:Bad start\r\nEND:VEVENT\r\n\
     END:VCALENDAR\r\n"
        .to_owned()
}

#[test]
fn an_upload_imports_and_reports_each_item() {
    let s = Server::start();
    let u = s.new_user("webimport");
    let w = web_login(&s, &u);
    let page = w.get(&s, "/web/transfer");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("value=\"calendar:personal\""),
        "{}",
        page.text()
    );
    assert!(page.text().contains("value=\"addressbook:contacts\""));

    let r = upload(
        &s,
        &w,
        "calendar:personal",
        two_events_and_a_broken_one().as_bytes(),
        &w.csrf,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.text();
    assert!(
        text.contains("<strong class=\"created\">2</strong>"),
        "{text}"
    );
    assert!(
        text.contains("<strong class=\"rejected\">1</strong>"),
        "{text}"
    );
    assert!(text.contains("web-import-3"), "the rejected item is named");
    for uid in ["web-import-1", "web-import-2"] {
        let got = get_req(&s, &u, &format!("{}{uid}.ics", calendar_url(&u)));
        assert_eq!(got.status, 200, "{uid} over CalDAV");
    }
    // The same file again changes nothing.
    let again = upload(
        &s,
        &w,
        "calendar:personal",
        two_events_and_a_broken_one().as_bytes(),
        &w.csrf,
    );
    assert!(
        again
            .text()
            .contains("<strong class=\"skipped\">2</strong>"),
        "{}",
        again.text()
    );
}

#[test]
fn an_upload_without_the_token_or_into_anothers_calendar_changes_nothing() {
    let s = Server::start();
    let u = s.new_user("webimportcsrf");
    let other = s.new_user("webimportother");
    let w = web_login(&s, &u);
    let r = upload(
        &s,
        &w,
        "calendar:personal",
        event("forged", "x").as_bytes(),
        "wrong",
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        get_req(&s, &u, &format!("{}forged.ics", calendar_url(&u))).status,
        404
    );
    // A name the viewer's home does not have is refused (the form names collections in the
    // viewer's own home; another person's are out of reach).
    let r = upload(
        &s,
        &w,
        "calendar:nope",
        event("elsewhere", "x").as_bytes(),
        &w.csrf,
    );
    assert!(r.status == 404 || r.status == 403, "{}", r.status);
    assert!(r.text().contains("role=\"alert\""));
    let r = upload(&s, &w, "calendar:personal", b"", &w.csrf);
    assert_eq!(r.status, 400);
    assert_eq!(
        get_req(
            &s,
            &other,
            &format!("{}elsewhere.ics", calendar_url(&other))
        )
        .status,
        404
    );
}

#[test]
fn a_download_is_the_whole_collection() {
    let s = Server::start();
    let u = s.new_user("webexport");
    let other = s.new_user("webexportother");
    put_ical(
        &s,
        &u,
        &format!("{}a.ics", calendar_url(&u)),
        &event("exp-a", "Alpha"),
    );
    put_ical(
        &s,
        &u,
        &format!("{}b.ics", calendar_url(&u)),
        &event("exp-b", "Beta"),
    );
    let w = web_login(&s, &u);
    let r = w.get(&s, "/web/transfer/export?kind=calendar&collection=personal");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.contains("personal.ics"))
    );
    let text = r.text();
    assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1);
    assert!(
        text.contains("UID:exp-a") && text.contains("UID:exp-b"),
        "{text}"
    );
    // Another person's calendar is not reachable through the viewer's home.
    put_ical(
        &s,
        &other,
        &format!("{}x.ics", calendar_url(&other)),
        &event("secret", "Secret"),
    );
    let theirs = w.get(
        &s,
        "/web/transfer/export?kind=calendar&collection=.shared-1",
    );
    assert_eq!(theirs.status, 404);
    assert!(!theirs.text().contains("secret"));
}
