//! The web view over plain HTTP: log in through the form, keep the session cookie, post forms
//! with the page's CSRF token. Browser tests (`browser.rs`) drive Chromium instead; these
//! helpers check what a page answers without one.

use super::*;

/// The value of cookie `name` set by a response (`Set-Cookie`), if any.
pub fn set_cookie_value(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .iter()
        .filter(|(n, _)| n == "set-cookie")
        .find_map(|(_, v)| {
            let first = v.split(';').next()?;
            let (n, value) = first.split_once('=')?;
            (n.trim() == name).then(|| value.to_owned())
        })
}

/// The whole `Set-Cookie` header setting cookie `name`.
pub fn set_cookie_header(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .iter()
        .filter(|(n, _)| n == "set-cookie")
        .find(|(_, v)| v.starts_with(&format!("{name}=")))
        .map(|(_, v)| v.clone())
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf_of(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf\"")?;
    let tail = &page[at..];
    let value = tail.split("value=\"").nth(1)?;
    Some(value.split('"').next()?.to_owned())
}

/// `application/x-www-form-urlencoded` text of `fields`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(n, v)| {
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            format!("{}={}", enc(n), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A logged-in web session.
#[derive(Debug, Clone)]
pub struct WebSession {
    /// The session cookie's value.
    pub cookie: String,
    /// The session's CSRF token, read from a page.
    pub csrf: String,
}

/// Posts the log-in form as a browser does (the form's token and cookie first).
pub fn post_login(s: &Server, login: &str, password: &str) -> Resp {
    let form = s.request("GET", "/login", None, &[], b"");
    assert_eq!(form.status, 200, "{}", form.text());
    let token = csrf_of(&form.text()).expect("the log-in form has a token");
    let cookie = format!(
        "davsuite_login={}",
        set_cookie_value(&form, "davsuite_login").expect("the log-in form sets its cookie")
    );
    let body = form_body(&[("csrf", &token), ("login", login), ("password", password)]);
    s.request(
        "POST",
        "/login",
        None,
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
}

/// Logs `u` in and reads the session's CSRF token from the calendar page.
#[track_caller]
pub fn web_login(s: &Server, u: &User) -> WebSession {
    let r = post_login(s, &u.login, &u.password);
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = set_cookie_value(&r, "davsuite_session").expect("a session cookie");
    let mut session = WebSession {
        cookie,
        csrf: String::new(),
    };
    let page = session.get(s, "/web/calendar");
    assert_eq!(page.status, 200, "{}", page.text());
    session.csrf = csrf_of(&page.text()).expect("pages carry the CSRF token");
    session
}

impl WebSession {
    /// The `Cookie` header of the session.
    pub fn cookie_header(&self) -> String {
        format!("davsuite_session={}", self.cookie)
    }

    /// GETs `path` with the session.
    pub fn get(&self, s: &Server, path: &str) -> Resp {
        s.request("GET", path, None, &[("cookie", &self.cookie_header())], b"")
    }

    /// Posts `fields` and the session's CSRF token to `path`.
    pub fn post(&self, s: &Server, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(s, path, &form_body(&all))
    }

    /// Posts a URL-encoded body as it is (no token added).
    pub fn post_raw(&self, s: &Server, path: &str, body: &str) -> Resp {
        s.request(
            "POST",
            path,
            None,
            &[
                ("cookie", &self.cookie_header()),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            body.as_bytes(),
        )
    }
}

/// An Apple configuration profile as Python's plistlib reads it (the format macOS and iOS
/// read): the check the device page's download and the browser test share.
pub fn read_plist(body: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("p.mobileconfig");
    std::fs::write(&file, body).expect("write");
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))",
        ])
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "not a property list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}
