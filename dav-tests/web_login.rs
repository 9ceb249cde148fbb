//! Logging in and out of the web view in headless Chromium, at a desktop and a phone size:
//! what a person does, with the browser keeping the cookies and following the redirects.
//! (`web_session.rs` checks the same rules over plain HTTP.)

use crate::common::*;

/// The web view's session cookie.
const SESSION: &str = "davsuite_session";

/// The log-in form's parts: the two named fields and a submit button.
const LOGIN_FIELD: &str = "form input[name=login]";
const PASSWORD_FIELD: &str = "form input[name=password][type=password]";
const SUBMIT: &str = "form button[type=submit]";

/// Asserts that the page is laid out for the browser's width: the viewport is the window's
/// (the page declares a viewport for phones) and nothing sticks out sideways.
#[track_caller]
fn assert_fits(b: &Browser, width: u64) {
    let widths = b.script("return [window.innerWidth, document.documentElement.scrollWidth]");
    assert_eq!(
        widths,
        json!([width, width]),
        "viewport and content widths at {width} px"
    );
}

/// Opens `/` in a fresh browser, which must land on the log-in form.
#[track_caller]
fn log_in_form(b: &Browser) {
    b.goto("/");
    b.wait_for_path("/login");
    b.wait_for(LOGIN_FIELD);
    b.wait_for(PASSWORD_FIELD);
    b.wait_for(SUBMIT);
}

/// Fills the log-in form and sends it.
fn submit_log_in(b: &Browser, login: &str, password: &str) {
    b.fill("login", login);
    b.fill("password", password);
    b.click(SUBMIT);
}

/// The browser's session cookie, if it holds one.
fn session_cookie(b: &Browser) -> Option<BrowserCookie> {
    b.cookies().into_iter().find(|c| c.name == SESSION)
}

/// Asserts that `cookie` (a `Cookie` header) opens no page: the calendar leads to the form.
#[track_caller]
fn assert_no_session(s: &Server, cookie: &str) {
    let r = s.request("GET", "/web/calendar", None, &[("Cookie", cookie)], b"");
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/login"));
}

#[test]
fn the_log_in_form_at_desktop_and_phone_size() {
    let s = Server::start();
    for (b, width, name) in [
        (Browser::desktop(&s), 1280, "login-desktop"),
        (Browser::phone(&s), 390, "login-phone"),
    ] {
        log_in_form(&b);
        assert_fits(&b, width);
        assert_eq!(
            b.attribute(LOGIN_FIELD, "autocomplete").as_deref(),
            Some("username")
        );
        assert_eq!(
            b.attribute(PASSWORD_FIELD, "autocomplete").as_deref(),
            Some("current-password")
        );
        b.screenshot(name);
    }
}

#[test]
fn logging_in_and_out() {
    let s = Server::start();
    let u = s.new_user("weblogin");
    let b = Browser::desktop(&s);
    log_in_form(&b);
    submit_log_in(&b, &u.login, &u.password);
    b.wait_for_path("/web/calendar");
    b.wait_for("main");
    b.wait_for_text(&u.login);
    let cookie = session_cookie(&b).expect("a session cookie after logging in");
    assert!(cookie.http_only, "{cookie:?}");
    assert_eq!(cookie.same_site.as_deref(), Some("Lax"), "{cookie:?}");
    assert!(!cookie.secure, "Secure only behind TLS: {cookie:?}");
    // The browser's cookies are the session: the same page over plain HTTP.
    let page = b.request(&s, "GET", "/web/calendar", &[], b"");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("<main"), "{}", page.text());

    // Log-out is a form in the header, carrying the CSRF token; without it, it changes
    // nothing.
    let token = b
        .attribute("header form[action=\"/logout\"] input[name=csrf]", "value")
        .unwrap_or_default();
    assert!(!token.is_empty(), "the log-out form carries a token");
    let forged = b.request(
        &s,
        "POST",
        "/logout",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"",
    );
    assert_eq!(forged.status, 403, "{}", forged.text());
    assert_eq!(b.request(&s, "GET", "/web/calendar", &[], b"").status, 200);

    b.click("header form[action=\"/logout\"] button[type=submit]");
    b.wait_for_path("/login");
    b.wait_for("[role=status]");
    assert_eq!(session_cookie(&b), None, "the browser forgets the session");
    // The session is over on the server too, not only forgotten by the browser.
    assert_no_session(&s, &format!("{SESSION}={}", cookie.value));
    b.goto("/web/calendar");
    b.wait_for_path("/login");
}

#[test]
fn refused_log_ins_stay_on_the_form() {
    let s = Server::start();
    let u = s.new_user("webrefused");
    let b = Browser::desktop(&s);
    // A wrong password, then the right one with the e-mail address as login: both stay on
    // the form with a message, and open no session.
    for (login, password) in [
        (u.login.clone(), "not-the-password".to_owned()),
        (format!("{}@example.com", u.login), u.password.clone()),
    ] {
        log_in_form(&b);
        submit_log_in(&b, &login, &password);
        let alert = b.text_of("main [role=alert]");
        assert!(!alert.trim().is_empty(), "an error message for {login}");
        assert_eq!(b.path(), "/login");
        b.wait_for(LOGIN_FIELD);
        assert_eq!(session_cookie(&b), None, "no session for {login}");
        assert_no_session(&s, &cookie_header(&b.cookies()));
    }
    b.screenshot("login-refused-desktop");
    b.goto("/web/calendar");
    b.wait_for_path("/login");
}
