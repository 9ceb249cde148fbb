//! Schema migrations of the SQLite backend.
//!
//! Owns the ordered list of schema scripts and the code that brings a database file up to the
//! newest version. The version lives in `PRAGMA user_version` (0 for a fresh file); script `n` in
//! [`MIGRATIONS`] (1-based) moves the schema from version `n - 1` to `n`. Everything pending runs
//! in ONE `BEGIN IMMEDIATE` transaction together with the version bump, so a crash or a failing
//! script leaves the file exactly at its old version.
//!
//! Rules for adding a migration: append a new `schema/NNN_*.sql` file to [`MIGRATIONS`], never edit
//! a shipped one. `PRAGMA foreign_keys` cannot be toggled inside a transaction, so a script that
//! rebuilds a table must follow SQLite's documented 12-step procedure with the keys still on
//! (create new table, copy, drop old, rename), which keeps cascades valid.

use rusqlite::{Connection, TransactionBehavior};

use crate::store::{StoreError, StoreResult};

/// Schema scripts in order; the schema version of a database is how many of them it has applied.
/// Kept as `include_str!` files so they can be read and reviewed as plain SQL.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("schema/001_initial.sql"),
    include_str!("schema/002_query_indexes.sql"),
    include_str!("schema/003_span_classes.sql"),
    include_str!("schema/004_organisations.sql"),
    include_str!("schema/005_shares.sql"),
    include_str!("schema/006_trash.sql"),
    include_str!("schema/007_organisation_fixes.sql"),
    include_str!("schema/008_sharing_fixes.sql"),
    include_str!("schema/009_web_sessions.sql"),
    include_str!("schema/010_contact_dates.sql"),
];

/// The schema version this build writes (the number of [`MIGRATIONS`]).
pub(crate) fn latest_version() -> i64 {
    // The list is a compile-time constant of a handful of entries; it always fits.
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Reads the schema version stored in the database header, so callers and tests can check it.
pub(crate) fn current_version(conn: &Connection) -> StoreResult<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map_err(|e| StoreError::Backend(format!("read schema version: {e}")))
}

/// Applies every pending migration in one transaction.
///
/// Refuses (with [`StoreError::Backend`]) a database whose version is newer than this build knows:
/// running old code on a newer schema could silently corrupt data.
pub(crate) fn apply(conn: &mut Connection) -> StoreResult<()> {
    let fail =
        |step: &str, e: rusqlite::Error| StoreError::Backend(format!("migrate: {step}: {e}"));
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| fail("begin", e))?;
    let current = current_version(&tx)?;
    let latest = latest_version();
    if current > latest {
        return Err(StoreError::Backend(format!(
            "database schema version {current} is newer than this build supports ({latest}); \
             upgrade davsuite"
        )));
    }
    if current < 0 {
        return Err(StoreError::Backend(format!(
            "database schema version {current} is invalid"
        )));
    }
    if current == latest {
        return Ok(());
    }
    for (index, script) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
        if version <= current {
            continue;
        }
        tx.execute_batch(script)
            .map_err(|e| fail(&format!("script {version}"), e))?;
    }
    tx.pragma_update(None, "user_version", latest)
        .map_err(|e| fail("set user_version", e))?;
    tx.commit().map_err(|e| fail("commit", e))
}
