//! Authentication (RFC 7617 Basic): challenges, refusals, throttling of repeated failures, and
//! the account commands of the CLI taking effect on a running server at once.

use crate::common::*;

/// PROPFIND / with these credentials.
fn login(s: &Server, user: &User) -> Resp {
    cup_propfind(s, Some(user), "/", "0")
}

fn as_user(login: &str, password: &str) -> User {
    User {
        login: login.into(),
        password: password.into(),
    }
}

#[track_caller]
fn assert_challenge(r: &Resp) {
    assert_eq!(r.status, 401, "{}", r.text());
    let challenge = r
        .header("www-authenticate")
        .unwrap_or_else(|| panic!("401 without WWW-Authenticate: {:?}", r.headers));
    let (scheme, params) = challenge.split_once(' ').unwrap_or((challenge, ""));
    assert!(
        scheme.eq_ignore_ascii_case("basic"),
        "challenge {challenge}"
    );
    assert!(
        params.to_ascii_lowercase().contains("realm=\""),
        "challenge without realm: {challenge}"
    );
}

/// A challenge (see `assert_challenge`) that does not reveal any principal.
#[track_caller]
fn assert_challenge_reveals_nothing(r: &Resp) {
    assert_challenge(r);
    assert!(!r.text().contains("/dav/principals/"), "{}", r.text());
}

#[test]
fn missing_authorization_is_challenged_with_basic() {
    let s = Server::start();
    for (method, path) in [
        ("PROPFIND", "/"),
        ("PROPFIND", "/dav/"),
        ("GET", "/dav/calendars/admin/personal/"),
        ("REPORT", "/dav/calendars/admin/personal/"),
    ] {
        let r = s.request(method, path, None, &[("Depth", "0")], &cup_body());
        assert_challenge_reveals_nothing(&r);
    }
}

#[test]
fn wrong_password_is_401() {
    let s = Server::start();
    let alice = s.new_user("alice");
    assert_challenge_reveals_nothing(&login(&s, &as_user(&alice.login, "not-the-password")));
}

#[test]
fn email_address_as_login_is_401_even_with_the_right_password() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let by_email = as_user(&format!("{}@example.com", alice.login), &alice.password);
    assert_challenge(&login(&s, &by_email));
    // The account itself works.
    assert_eq!(login(&s, &alice).status, 207);
}

#[test]
fn unknown_user_is_401() {
    let s = Server::start();
    assert_challenge(&login(&s, &as_user("nobody", "some-password-1")));
}

#[test]
fn correct_credentials_are_accepted() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let r = login(&s, &alice);
    assert_eq!(r.status, 207, "{}", r.text());
    assert!(
        r.text().contains(&principal_url(&alice)),
        "current-user-principal: {}",
        r.text()
    );
    assert_eq!(login(&s, &s.admin).status, 207);
}

const THROTTLE: &str = "[auth]\nmax_failures = 3\nfailure_window_seconds = 60\n";

#[track_caller]
fn assert_throttled(r: &Resp) {
    assert_eq!(r.status, 429, "{}", r.text());
    let retry = r
        .header("retry-after")
        .unwrap_or_else(|| panic!("429 without Retry-After: {:?}", r.headers));
    let secs: u64 = retry
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After is not delta-seconds: {retry}"));
    assert!((1..=60).contains(&secs), "Retry-After {secs}");
}

/// Three logins as `attempt(i)` (as many as THROTTLE allows), each refused with 401.
#[track_caller]
fn fail_three_logins(s: &Server, attempt: impl Fn(usize) -> User) {
    for i in 0..3 {
        let r = login(s, &attempt(i));
        assert_eq!(r.status, 401, "failure {i}: {}", r.text());
    }
}

#[test]
fn repeated_failures_throttle_the_login_even_with_the_right_password() {
    let s = Server::start_with_config(Some(THROTTLE));
    let alice = s.new_user("alice");
    fail_three_logins(&s, |_| as_user(&alice.login, "wrong-password"));
    let r = login(&s, &alice);
    assert_throttled(&r);
    assert!(!r.text().contains("/dav/principals/"), "{}", r.text());
}

#[test]
fn repeated_failures_throttle_the_client_address_for_other_logins_too() {
    // Every test client is 127.0.0.1: failures against one login also count for the address.
    let s = Server::start_with_config(Some(THROTTLE));
    let alice = s.new_user("alice");
    let bob = s.new_user("bob");
    fail_three_logins(&s, |i| as_user(&alice.login, &format!("guess-{i}")));
    assert_throttled(&login(&s, &bob));
    // Unknown logins are counted against the address like wrong passwords.
    let s = Server::start_with_config(Some(THROTTLE));
    let carol = s.new_user("carol");
    fail_three_logins(&s, |i| as_user(&format!("ghost{i}"), "whatever-pw"));
    assert_throttled(&login(&s, &carol));
}

#[test]
fn password_change_takes_effect_at_once() {
    let s = Server::start();
    let alice = s.new_user("alice");
    // A success is cached by the server; the change must still apply to the next request.
    assert_eq!(login(&s, &alice).status, 207);
    assert_eq!(login(&s, &alice).status, 207);
    let new_password = "a-brand-new-password";
    s.cli_ok(
        &["user", "passwd", &alice.login, "--password-stdin"],
        Some(&format!("{new_password}\n")),
    );
    assert_challenge(&login(&s, &alice));
    let r = login(&s, &as_user(&alice.login, new_password));
    assert_eq!(r.status, 207, "{}", r.text());
}

#[test]
fn removed_account_is_refused_at_once() {
    let s = Server::start();
    let alice = s.new_user("alice");
    assert_eq!(login(&s, &alice).status, 207);
    s.cli_ok(&["user", "remove", &alice.login], None);
    assert_challenge(&login(&s, &alice));
    let r = cup_propfind(&s, Some(&alice), &calendar_url(&alice), "0");
    assert_eq!(r.status, 401, "{}", r.text());
}

#[test]
fn user_list_shows_every_login() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let bob = s.new_user("bob");
    let out = s.cli_ok(&["user", "list"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let logins: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for want in ["admin", alice.login.as_str(), bob.login.as_str()] {
        assert!(logins.contains(&want), "user list lacks {want}: {stdout}");
    }
}

#[test]
fn user_add_without_password_stdin_prints_a_working_generated_password() {
    let s = Server::start();
    let out = s.cli(
        &["user", "add", "carol", "--email", "carol@example.com"],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no generated password printed: {stdout}"));
    assert!(
        password.len() >= 16,
        "generated password is weak: {password:?}"
    );
    let carol = as_user("carol", password);
    let r = login(&s, &carol);
    assert_eq!(r.status, 207, "{}", r.text());
    assert!(
        r.text().contains("/dav/principals/users/carol/"),
        "{}",
        r.text()
    );
}

#[test]
fn user_add_refuses_an_email_address_as_login() {
    let s = Server::start();
    let out = s.cli(
        &["user", "add", "dave@example.com", "--password-stdin"],
        Some("dave-password-1\n"),
    );
    assert!(
        !out.status.success(),
        "user add with an e-mail login succeeded"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dave@example.com") && stderr.to_lowercase().contains("login"),
        "the error names the refused login: {stderr}"
    );
    let list = s.cli(&["user", "list"], None);
    assert!(
        !String::from_utf8_lossy(&list.stdout).contains("dave"),
        "the account was created anyway"
    );
    assert_challenge(&login(&s, &as_user("dave@example.com", "dave-password-1")));
}

#[test]
fn options_needs_no_authentication() {
    let s = Server::start();
    for path in ["/", "/dav/", "/dav/calendars/admin/personal/"] {
        let r = s.request("OPTIONS", path, None, &[], b"");
        assert!(
            (200..300).contains(&r.status),
            "OPTIONS {path}: {} {}",
            r.status,
            r.text()
        );
        assert!(
            r.header("dav")
                .is_some_and(|d| d.contains("calendar-access")),
            "OPTIONS {path}: {:?}",
            r.headers
        );
        assert!(r.header("www-authenticate").is_none(), "{:?}", r.headers);
    }
}

#[test]
fn malformed_authorization_headers_are_challenged() {
    let s = Server::start();
    for value in [
        "Basic !!!not-base64!!!",
        "Basic YWxpY2U=", // "alice": no colon
        "Bearer abc.def.ghi",
        "Basic",
        "Digest username=\"admin\"",
    ] {
        let r = s.request(
            "PROPFIND",
            "/",
            None,
            &[("Depth", "0"), ("Authorization", value)],
            &cup_body(),
        );
        assert_challenge(&r);
    }
}

#[test]
fn passwords_with_colons_and_non_ascii_characters_work() {
    // RFC 7617 §2: the user-id ends at the first colon, the password may contain more; the
    // challenge announces charset="UTF-8", so UTF-8 passwords must work.
    let s = Server::start();
    for (login, password) in [("colon", "pa:ss:word:1"), ("umlaut", "pässwörd-ü€-1")] {
        s.cli_ok(
            &["user", "add", login, "--password-stdin"],
            Some(&format!("{password}\n")),
        );
        let r = login_as(&s, login, password);
        assert_eq!(r.status, 207, "{login}: {}", r.text());
        let r = login_as(&s, login, &password[..password.len() - 1]);
        assert_eq!(
            r.status,
            401,
            "{login} with a truncated password: {}",
            r.text()
        );
    }
}

fn login_as(s: &Server, l: &str, p: &str) -> Resp {
    login(s, &as_user(l, p))
}
