//! Holiday feeds (issue 7): `/holidays/REGION.ics` serves a region's computed holidays, last
//! year to five years ahead, without authentication, as a calendar clients subscribe to;
//! `?lang=fr` names them in French. Strong ETag and 304, a day of caching, HEAD; unknown
//! regions 404, unknown languages 400, writes 405; `/holidays/` lists the regions as JSON.

use crate::common::*;

/// 2026-06-15T12:00:00Z: the feeds span 2025 to 2031.
const T0: i64 = 1_781_524_800;

/// 2027-01-01T00:00:00Z: the feeds span 2026 to 2032.
const NEXT_YEAR: i64 = 1_798_761_600;

/// A GET without credentials.
fn fetch(s: &Server, path: &str, headers: &[(&str, &str)]) -> Resp {
    s.request("GET", path, None, headers, b"")
}

/// The unfolded VEVENTs of a calendar body, each as its lines.
fn events(body: &str) -> Vec<Vec<String>> {
    let unfolded = body.replace("\r\n ", "");
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => out.extend(current.take()),
            _ => {
                if let Some(event) = current.as_mut() {
                    event.push(line.to_owned());
                }
            }
        }
    }
    out
}

/// The DTSTART date of each event whose SUMMARY is `summary`.
fn dates_of(body: &str, summary: &str) -> Vec<String> {
    events(body)
        .iter()
        .filter(|e| e.iter().any(|l| *l == format!("SUMMARY:{summary}")))
        .filter_map(|e| {
            e.iter()
                .find_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn geneva_in_french_has_the_jeune_genevois_on_the_thursday_after_the_first_september_sunday() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let r = fetch(&s, "/holidays/CH-GE.ics?lang=fr", &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(r.header("cache-control"), Some("public, max-age=86400"));
    let body = r.text();
    assert!(
        body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{body}"
    );
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    assert!(body.contains("\r\nX-WR-CALNAME:Jours fériés : Genève (Suisse)\r\n"));
    // 2025: the first Sunday of September is the 7th; 2026: the 6th.
    let fast = dates_of(&body, "Jeûne genevois");
    assert_eq!(fast.len(), 7, "one a year, 2025 to 2031: {fast:?}");
    assert_eq!(&fast[..2], ["20250911", "20260910"]);
    assert_eq!(
        dates_of(&body, "Restauration de la République")[0],
        "20251231"
    );
    assert_eq!(dates_of(&body, "Lundi de Pâques")[1], "20260406");
    // No Federal Fast in Geneva, and nothing outside the span.
    assert!(dates_of(&body, "Jeûne fédéral").is_empty());
    let starts: Vec<String> = events(&body)
        .iter()
        .filter_map(|e| {
            e.iter()
                .find_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(starts.first().map(String::as_str), Some("20250101"));
    assert_eq!(starts.last().map(String::as_str), Some("20311231"));
    for event in events(&body) {
        for needed in ["TRANSP:TRANSPARENT", "CATEGORIES:Holidays"] {
            assert!(event.iter().any(|l| l == needed), "{event:?}");
        }
        assert!(
            event.iter().any(|l| l.starts_with("UID:CH-GE-")),
            "{event:?}"
        );
    }

    // English by default, with the same UIDs.
    let en = fetch(&s, "/holidays/CH-GE.ics", &[]).text();
    assert_eq!(dates_of(&en, "Geneva Fast"), fast);
    let uids = |b: &str| -> Vec<String> {
        b.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(uids(&en), uids(&body));
    // The code's case does not matter.
    assert_eq!(fetch(&s, "/holidays/ch-ge.ics?lang=fr", &[]).body, r.body);
}

#[test]
fn etag_answers_304_head_answers_headers_and_the_new_year_changes_the_feed() {
    let clock = TestClock::new(T0);
    let s = clocked_server(&clock, "");
    let path = "/holidays/CH-ZH.ics";
    let first = fetch(&s, path, &[]);
    assert_eq!(first.status, 200);
    let tag = first.header("etag").expect("an ETag").to_owned();
    assert!(
        tag.starts_with('"') && !tag.starts_with("W/"),
        "strong: {tag}"
    );

    for matching in [tag.as_str(), "*", &format!("\"other\", {tag}")] {
        let again = fetch(&s, path, &[("If-None-Match", matching)]);
        assert_eq!(again.status, 304, "If-None-Match: {matching}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(tag.as_str()));
        assert_eq!(again.header("cache-control"), Some("public, max-age=86400"));
    }
    let stale = fetch(&s, path, &[("If-None-Match", "\"stale\"")]);
    assert_eq!((stale.status, &stale.body), (200, &first.body));

    let head = s.request("HEAD", path, None, &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(tag.as_str()));
    assert_eq!(
        head.header("content-length"),
        Some(first.body.len().to_string().as_str())
    );
    assert_eq!(
        head.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );

    // Another language is another representation.
    let fr = fetch(&s, &format!("{path}?lang=fr"), &[("If-None-Match", &tag)]);
    assert_eq!(fr.status, 200);
    assert_ne!(fr.header("etag"), Some(tag.as_str()));

    // A new year moves the span: a new ETag, 2026 to 2032.
    clock.set(NEXT_YEAR);
    let next = fetch(&s, path, &[("If-None-Match", &tag)]);
    assert_eq!(next.status, 200);
    assert_ne!(next.header("etag"), Some(tag.as_str()));
    let body = next.text();
    assert!(!body.contains("DTSTART;VALUE=DATE:2025"));
    assert!(body.contains("DTSTART;VALUE=DATE:20320101"));
}

#[test]
fn unknown_regions_and_languages_are_refused() {
    let s = Server::start();
    for path in [
        "/holidays/XX.ics",
        "/holidays/CH-XX.ics",
        "/holidays/CH-GE",
        "/holidays/CH-GE.ics/more",
        "/holidays/CH-GE.ICS",
    ] {
        let r = fetch(&s, path, &[]);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(r.text().contains("/holidays/"), "{}", r.text());
    }
    let r = fetch(&s, "/holidays/FR.ics?lang=de", &[]);
    assert_eq!(r.status, 400);
    assert!(r.text().contains("lang is en or fr"), "{}", r.text());
}

#[test]
fn writes_are_405_with_allow_and_change_nothing() {
    let s = Server::start();
    let admin = s.admin.clone();
    let path = "/holidays/CH-GE.ics";
    let before = fetch(&s, path, &[]);
    assert_eq!(before.status, 200);
    for (method, user) in [
        ("PUT", None),
        ("PUT", Some(&admin)),
        ("DELETE", None),
        ("POST", None),
        ("PROPFIND", Some(&admin)),
        ("MKCALENDAR", None),
    ] {
        let r = s.request(
            method,
            path,
            user,
            &[],
            b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        );
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(
            r.header_values("allow"),
            ["GET", "HEAD", "OPTIONS"],
            "{method}"
        );
    }
    let r = s.request("OPTIONS", path, None, &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header_values("allow"), ["GET", "HEAD", "OPTIONS"]);
    let after = fetch(&s, path, &[]);
    assert_eq!(after.body, before.body);
    assert_eq!(after.header("etag"), before.header("etag"));
}

#[test]
fn the_region_list_names_every_region_and_its_feed() {
    let s = Server::start();
    let r = fetch(&s, "/holidays/", &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let list: Value = serde_json::from_slice(&r.body).expect("JSON");
    let regions = list.as_array().expect("an array");
    assert_eq!(
        regions.len(),
        6 + 26 + 16,
        "6 countries, 26 cantons, 16 states"
    );
    let geneva = regions
        .iter()
        .find(|r| r["code"] == "CH-GE")
        .expect("Geneva");
    assert_eq!(geneva["name"]["fr"], "Genève (Suisse)");
    assert_eq!(geneva["name"]["en"], "Geneva (Switzerland)");
    assert_eq!(geneva["calendar"], "/holidays/CH-GE.ics");
    for region in regions {
        let feed = region["calendar"].as_str().expect("a path");
        assert_eq!(fetch(&s, feed, &[]).status, 200, "{feed}");
    }
}
