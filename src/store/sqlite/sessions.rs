//! Web sessions for SQLite: the SQL of the `web_sessions` table (schema 009).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::rows::Context;
use crate::store::{NewSession, Session, SessionStore, StoreResult};

impl SessionStore for SqliteStore {
    fn open_session(&self, new: &NewSession) -> StoreResult<Session> {
        const OP: &str = "open_session";
        let now = self.clock.now();
        self.write(OP, |tx| {
            tx.execute(
                "DELETE FROM web_sessions WHERE expires_at <= ?1",
                params![now],
            )
            .ctx(OP)?;
            tx.execute(
                "INSERT INTO web_sessions (key, account_id, csrf, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![new.key, new.account, new.csrf, now, new.expires_at],
            )
            .ctx(OP)?;
            Ok(Session {
                account: new.account,
                csrf: new.csrf.clone(),
                created_at: now,
                expires_at: new.expires_at,
            })
        })
    }

    fn session(&self, key: &[u8]) -> StoreResult<Option<Session>> {
        const OP: &str = "session";
        let now = self.clock.now();
        self.read(OP, |tx| {
            tx.query_row(
                "SELECT account_id, csrf, created_at, expires_at FROM web_sessions \
                 WHERE key = ?1 AND expires_at > ?2",
                params![key, now],
                |row| {
                    Ok(Session {
                        account: row.get(0)?,
                        csrf: row.get(1)?,
                        created_at: row.get(2)?,
                        expires_at: row.get(3)?,
                    })
                },
            )
            .optional()
            .ctx(OP)
        })
    }

    fn close_session(&self, key: &[u8]) -> StoreResult<()> {
        const OP: &str = "close_session";
        self.write(OP, |tx| {
            tx.execute("DELETE FROM web_sessions WHERE key = ?1", params![key])
                .ctx(OP)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tempfile::TempDir;

    use super::SqliteStore;
    use crate::store::clock::ManualClock;

    fn fresh_with_clock() -> (TempDir, SqliteStore, Arc<ManualClock>) {
        let dir = TempDir::new().expect("tempdir");
        let clock = Arc::new(ManualClock::new(0));
        let store =
            SqliteStore::open_with_clock(&dir.path().join("davsuite.sqlite3"), clock.clone())
                .expect("open store");
        (dir, store, clock)
    }

    crate::store::contract::session::session_contract_tests!(fresh_with_clock);
}
