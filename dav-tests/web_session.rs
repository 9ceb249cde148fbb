//! The web view's log-in, session and CSRF rules over plain HTTP, its embedded files and its
//! language choice. (Browser tests drive the same pages in Chromium.)

use crate::common::*;

fn form_post(s: &Server, path: &str, cookie: &str, body: &str) -> Resp {
    s.request(
        "POST",
        path,
        None,
        &[
            ("cookie", cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
}

#[test]
fn a_browser_without_a_session_lands_on_the_log_in_form() {
    let s = Server::start();
    for path in ["/", "/web/calendar", "/web/", "/web/contacts"] {
        let r = s.request("GET", path, None, &[], b"");
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.header("location"), Some("/login"), "{path}");
    }
    let r = s.request("GET", "/login", None, &[], b"");
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains("name=\"login\""), "{page}");
    assert!(page.contains("name=\"password\""), "{page}");
    assert!(page.contains("type=\"submit\""), "{page}");
    let cookie = set_cookie_header(&r, "davsuite_login").expect("double-submit cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.contains("script-src 'self'")),
        "{:?}",
        r.headers
    );
}

#[test]
fn dav_clients_asking_for_the_root_still_get_dav() {
    let s = Server::start();
    let u = s.new_user("webroot");
    let r = cup_propfind(&s, Some(&u), "/", "0");
    assert_eq!(r.status, 207, "{}", r.text());
    let with_credentials = get_req(&s, &u, "/");
    assert_ne!(
        with_credentials.header("location"),
        Some("/login"),
        "a GET with credentials is a DAV client's"
    );
}

#[test]
fn a_good_log_in_opens_a_session_with_a_safe_cookie() {
    let s = Server::start();
    let u = s.new_user("weblogin");
    let r = post_login(&s, &u.login, &u.password);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/web/calendar"));
    let cookie = set_cookie_header(&r, "davsuite_session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let session = web_login(&s, &u);
    let page = session.get(&s, "/web/calendar");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("<main"), "{text}");
    assert!(text.contains(&u.login), "the page names who is logged in");
    assert_eq!(page.header("cache-control"), Some("no-store"));
    // The root leads a logged-in browser to its calendar.
    let root = session.get(&s, "/");
    assert_eq!(root.status, 303);
    let login = session.get(&s, "/login");
    assert_eq!(login.header("location"), Some("/web/calendar"));
}

#[test]
fn the_session_cookie_is_secure_behind_tls() {
    let s = Server::start_with_config(Some("[server]\npublic_url = \"https://dav.example.org\"\n"));
    let u = s.new_user("websecure");
    let r = post_login(&s, &u.login, &u.password);
    let cookie = set_cookie_header(&r, "davsuite_session").expect("session cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[test]
fn bad_log_ins_stay_on_the_form_with_a_message() {
    let s = Server::start();
    let u = s.new_user("webbad");
    let wrong = post_login(&s, &u.login, "not-the-password");
    assert_eq!(wrong.status, 401);
    assert!(wrong.text().contains("role=\"alert\""), "{}", wrong.text());
    assert!(wrong.text().contains("Wrong login name or password"));
    assert!(set_cookie_value(&wrong, "davsuite_session").is_none());

    let email = post_login(&s, &format!("{}@example.org", u.login), &u.password);
    assert_eq!(email.status, 401);
    assert!(
        email.text().contains("not your e-mail address"),
        "{}",
        email.text()
    );
    assert!(set_cookie_value(&email, "davsuite_session").is_none());

    let unknown = post_login(&s, "nobody-here", "x");
    assert_eq!(unknown.status, 401);
    // A login name echoed back is escaped.
    let script = post_login(&s, "<script>alert(1)</script>", "x");
    assert!(
        !script.text().contains("<script>alert"),
        "{}",
        script.text()
    );
}

#[test]
fn a_log_in_without_the_forms_token_is_refused() {
    let s = Server::start();
    let u = s.new_user("webcsrf");
    let body = form_body(&[("login", &u.login), ("password", &u.password)]);
    let r = form_post(&s, "/login", "", &body);
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(set_cookie_value(&r, "davsuite_session").is_none());
    let forged = form_body(&[
        ("csrf", "a-token-of-the-attacker"),
        ("login", &u.login),
        ("password", &u.password),
    ]);
    let r = form_post(&s, "/login", "davsuite_login=another-token", &forged);
    assert_eq!(r.status, 403);
    assert!(set_cookie_value(&r, "davsuite_session").is_none());
}

#[test]
fn log_out_needs_the_token_and_ends_the_session() {
    let s = Server::start();
    let u = s.new_user("weblogout");
    let session = web_login(&s, &u);
    let forged = session.post_raw(&s, "/logout", "csrf=wrong");
    assert_eq!(forged.status, 403);
    assert_eq!(
        session.get(&s, "/web/calendar").status,
        200,
        "a refused log-out leaves the session open"
    );
    let out = session.post(&s, "/logout", &[]);
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login?out=1"));
    let cleared = set_cookie_header(&out, "davsuite_session").expect("cleared cookie");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = session.get(&s, "/web/calendar");
    assert_eq!(after.status, 303, "the old cookie opens nothing");
    assert_eq!(after.header("location"), Some("/login"));
    let page = s.request("GET", "/login?out=1", None, &[], b"");
    assert!(page.text().contains("You are logged out"));
}

#[test]
fn form_posts_without_the_sessions_token_change_nothing() {
    let s = Server::start();
    let u = s.new_user("webpost");
    let session = web_login(&s, &u);
    let r = session.post_raw(&s, "/web/calendar", "x=1");
    assert_eq!(r.status, 403);
    let no_session = form_post(&s, "/web/calendar", "", &format!("csrf={}", session.csrf));
    assert_eq!(no_session.status, 403);
}

#[test]
fn sessions_expire() {
    let clock = TestClock::new(1_800_000_000);
    let s = clocked_server(&clock, "[web]\nsession_hours = 2\n");
    let u = s.new_user("webexpire");
    let session = web_login(&s, &u);
    clock.set(1_800_000_000 + 2 * 3600 - 1);
    assert_eq!(session.get(&s, "/web/calendar").status, 200);
    clock.set(1_800_000_000 + 2 * 3600);
    let r = session.get(&s, "/web/calendar");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
}

#[test]
fn a_removed_account_has_no_session() {
    let s = Server::start();
    let u = s.new_user("webremoved");
    let session = web_login(&s, &u);
    s.cli_ok(&["user", "remove", &u.login], None);
    assert_eq!(session.get(&s, "/web/calendar").status, 303);
}

#[test]
fn french_from_the_browser_or_the_switch() {
    let s = Server::start();
    let r = s.request(
        "GET",
        "/login",
        None,
        &[("accept-language", "fr-CH, fr;q=0.9, en;q=0.8")],
        b"",
    );
    assert!(r.text().contains("<html lang=\"fr\""), "{}", r.text());
    assert!(r.text().contains("Mot de passe"));
    let switch = s.request("GET", "/login?lang=en", None, &[], b"");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.header("location"), Some("/login"));
    assert_eq!(
        set_cookie_value(&switch, "davsuite_lang").as_deref(),
        Some("en")
    );
    let english = s.request(
        "GET",
        "/login",
        None,
        &[("accept-language", "fr"), ("cookie", "davsuite_lang=en")],
        b"",
    );
    assert!(english.text().contains("<html lang=\"en\""));
    assert!(english.text().contains("Password"));
}

#[test]
fn embedded_files_and_the_manifest() {
    let s = Server::start();
    let page = s.request("GET", "/login", None, &[], b"").text();
    let css = page
        .split("href=\"")
        .find(|p| p.starts_with("/web/assets/app.css"))
        .and_then(|p| p.split('"').next())
        .expect("the page links its style sheet")
        .replace("&amp;", "&");
    let r = s.request("GET", &css, None, &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        r.text().contains("@media print"),
        "print rules are part of it"
    );
    let etag = r.header("etag").expect("etag").to_owned();
    let again = s.request("GET", &css, None, &[("if-none-match", &etag)], b"");
    assert_eq!(again.status, 304);
    assert_eq!(
        s.request("GET", "/web/assets/nope.css", None, &[], b"")
            .status,
        404
    );
    assert_eq!(
        s.request("GET", "/web/assets/../../Cargo.toml", None, &[], b"")
            .status,
        404
    );
    let m = s.request("GET", "/web/manifest.webmanifest", None, &[], b"");
    assert_eq!(m.status, 200);
    let manifest: Value = serde_json::from_slice(&m.body).expect("json");
    assert_eq!(manifest["display"], "standalone");
    let icon = manifest["icons"][0]["src"].as_str().expect("icon");
    let png = s.request("GET", icon, None, &[], b"");
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), Some("image/png"));
}
