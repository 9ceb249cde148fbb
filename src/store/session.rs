//! Web sessions: the record and [`SessionStore`], the part of the storage contract that keeps
//! them.
//!
//! The store keeps sessions so that several stateless server instances can share them. It never
//! sees a session's cookie: the web layer hands it a key derived from the cookie (a hash), so a
//! copy of the database does not let anyone log in.

use super::StoreResult;

/// A session to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The key the web layer derives from the session cookie.
    pub key: Vec<u8>,
    /// The account logged in.
    pub account: i64,
    /// The token every state-changing form of the session must carry (CSRF protection).
    pub csrf: String,
    /// Unix seconds after which the session is over.
    pub expires_at: i64,
}

/// An open session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The account logged in.
    pub account: i64,
    /// The session's CSRF token.
    pub csrf: String,
    /// Unix seconds the session was opened (the store's clock).
    pub created_at: i64,
    /// Unix seconds after which the session is over.
    pub expires_at: i64,
}

/// Keeps web sessions. Every method is one transaction.
pub trait SessionStore {
    /// Opens a session, dated by the store's clock; expired sessions of every account are
    /// dropped in the same transaction, so the table never grows with old logins.
    fn open_session(&self, new: &NewSession) -> StoreResult<Session>;
    /// The session with `key`, unless it has expired by the store's clock.
    fn session(&self, key: &[u8]) -> StoreResult<Option<Session>>;
    /// Ends the session with `key` (nothing happens when there is none).
    fn close_session(&self, key: &[u8]) -> StoreResult<()>;
}
