//! Web sessions: the session cookie, the key the store keeps for it, and CSRF tokens.
//!
//! - The cookie holds a 192-bit random token (`org::link::new_token`); the store keeps only
//!   its SHA-256 (`SessionStore`), so a copy of the database opens no session.
//! - The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (not sent with cross-site
//!   form posts) and `Secure` when the server is reached over TLS (`server.public_url` is
//!   `https://…`).
//! - Every state-changing request of a session carries the session's CSRF token (a hidden
//!   `csrf` field or an `X-CSRF-Token` header), compared in constant time. The log-in form,
//!   which has no session yet, uses a double-submit token: a cookie and a field that must match.

use sha2::{Digest, Sha256};

use super::form::cookie;
use crate::org::OrgError;
use crate::org::link::{is_token, new_token};
use crate::store::{NewSession, Session, Store, StoreError};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "davsuite_session";
/// Name of the log-in form's double-submit cookie.
pub const LOGIN_COOKIE: &str = "davsuite_login";
/// Name of the hidden form field carrying a CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// Why a session could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No randomness for a token.
    #[error("{0}")]
    Random(#[from] OrgError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The key the store keeps for a session token.
fn key_of(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Opens a session for `account` lasting `hours`; returns the cookie token and the session.
pub fn open(
    store: &dyn Store,
    account: i64,
    hours: u32,
) -> Result<(String, Session), SessionError> {
    let token = new_token()?;
    let new = NewSession {
        key: key_of(&token),
        account,
        csrf: new_token()?,
        expires_at: store.now().saturating_add(i64::from(hours) * 3600),
    };
    let session = store.open_session(&new)?;
    Ok((token, session))
}

/// The session token of a request's `Cookie` header, when it has the form of one.
pub fn token(cookies: Option<&str>) -> Option<&str> {
    cookie(cookies, SESSION_COOKIE).filter(|t| is_token(t))
}

/// The open session of `token`, if any.
pub fn find(store: &dyn Store, token: &str) -> Result<Option<Session>, StoreError> {
    store.session(&key_of(token))
}

/// Ends the session of `token`.
pub fn close(store: &dyn Store, token: &str) -> Result<(), StoreError> {
    store.close_session(&key_of(token))
}

/// A new random token for the log-in form's double submit.
pub fn login_token() -> Result<String, SessionError> {
    Ok(new_token()?)
}

/// True when both tokens are present and equal, compared in time independent of where they
/// differ.
pub fn same_token(expected: &str, given: Option<&str>) -> bool {
    let Some(given) = given else {
        return false;
    };
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// A `Set-Cookie` value for cookie `name` holding `value` for `max_age` seconds (0 deletes it).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", Some("abc")));
        assert!(!same_token("abc", Some("abd")));
        assert!(!same_token("abc", Some("ab")));
        assert!(!same_token("abc", None));
        assert!(!same_token("", Some("")));
    }

    #[test]
    fn only_well_formed_session_tokens_are_looked_up() {
        let t = new_token().expect("token");
        let header = format!("x=1; {SESSION_COOKIE}={t}");
        assert_eq!(token(Some(&header)), Some(t.as_str()));
        assert_eq!(token(Some("davsuite_session=short")), None);
        assert_ne!(key_of(&t), t.as_bytes(), "the store never sees the token");
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_tls() {
        let c = set_cookie(SESSION_COOKIE, "v", 60, true);
        assert_eq!(
            c,
            "davsuite_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!set_cookie(SESSION_COOKIE, "v", 0, false).contains("Secure"));
    }
}
