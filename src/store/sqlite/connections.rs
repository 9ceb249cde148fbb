//! Opening and configuring SQLite connections, and the pool of read connections.
//!
//! Owns every per-connection setting (busy timeout, foreign keys, synchronous level, WAL check,
//! read-only guard, statement cache) so that the writer and all readers behave the same, and the
//! checkout/return logic of [`ReadPool`]. Readers never block the writer and vice versa because
//! the database runs in WAL mode: each read transaction sees a consistent snapshot.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::store::{StoreError, StoreResult};

/// How long a statement waits for a lock held by another connection (or another process such as
/// the CLI) before failing with SQLITE_BUSY. Long enough to ride out a checkpoint or a big write.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection. The backend uses about 130 distinct SQL texts
/// (the invitations', shares' and trash's included); the rusqlite default (16) would evict and
/// re-prepare them constantly. A connection only caches the statements it runs, so an unused
/// capacity costs nothing.
const STATEMENT_CACHE: usize = 192;

/// Page cache of each read connection, KiB (SQLite's default is 2 MiB). A one-month
/// calendar-query reads a few thousand rows scattered over the file, one page each; with the
/// default cache every repetition read them again through the kernel (a third of the query's
/// time). The cache fills only as pages are read, and [`SOFT_HEAP_LIMIT`] bounds all of them
/// together.
const READ_CACHE_KIB: i64 = 16_384;

/// Process-wide soft limit of SQLite's heap, bytes: past it, page caches recycle their own pages
/// instead of growing, so the read pool (up to 32 connections) cannot hold 32 full caches. It is
/// what keeps the server's memory flat under the query benchmark (issue 3: < 150 MB).
const SOFT_HEAP_LIMIT: i64 = 32_000_000;

/// Error for a failed open step, naming the step so a startup failure is self-explanatory.
fn fail(step: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("open database: {step}: {e}"))
}

/// Settings every connection needs; `foreign_keys` and `synchronous` are per connection in
/// SQLite, so forgetting them on one connection would silently skip cascades or durability rules.
fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| fail("busy_timeout", e))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| fail("foreign_keys", e))?;
    // NORMAL is durable against application crashes in WAL mode and only risks the last
    // transactions on power loss, at a fraction of FULL's fsync cost.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| fail("synchronous", e))?;
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |row| row.get(0))
        .map_err(|e| fail("foreign_keys check", e))?;
    if fk != 1 {
        return Err(StoreError::Backend(
            "open database: this SQLite build ignores foreign keys; cascades would not work".into(),
        ));
    }
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Without a stable query planner, SQLite re-prepares every cached statement whose plan
    // depended on a bound value (the LIMIT of changes_since, the dead-property lookup) at each
    // use; the benchmark measured that as a third of a GET's CPU.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(|e| fail("enable_qpsg", e))?;
    Ok(())
}

/// Opens (creating if needed) the single writer connection and switches the file to WAL mode.
///
/// WAL is what lets the read pool run concurrently with writes; if the file system cannot do WAL
/// (e.g. some network file systems) this fails loudly instead of degrading silently.
pub(super) fn open_writer(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path).map_err(|e| fail("open", e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| fail("busy_timeout", e))?;
    // Before anything writes the file: a new database frees the pages of purged rows with
    // `PRAGMA incremental_vacuum` (see `release_space`). An existing one keeps its mode until a
    // VACUUM, which then switches it (`davsuite trash purge --vacuum`).
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
        .map_err(|e| fail("auto_vacuum", e))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| fail("journal_mode", e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend(format!(
            "open database: cannot enable WAL mode on {} (journal mode is {mode})",
            path.display()
        )));
    }
    configure(&conn)?;
    // Process-wide: set once, with the writer.
    conn.pragma_update(None, "soft_heap_limit", SOFT_HEAP_LIMIT)
        .map_err(|e| fail("soft_heap_limit", e))?;
    Ok(conn)
}

/// Opens a read connection. `query_only` turns any accidental write through a reader into an
/// error, so all writes are guaranteed to go through the serialized writer.
fn open_reader(path: &Path) -> StoreResult<Connection> {
    // Not SQLITE_OPEN_READ_ONLY: a read-only connection cannot always map the WAL index (-shm);
    // a read-write handle with query_only is the robust way to get a reader.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| fail("open reader", e))?;
    configure(&conn)?;
    conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)
        .map_err(|e| fail("cache_size", e))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| fail("query_only", e))?;
    Ok(conn)
}

/// A small pool of read connections: checked out for one read, returned afterwards.
///
/// A connection is opened whenever the pool is empty, so readers never wait for each other; at most
/// `max_idle` connections are kept for reuse, which bounds file handles and page caches.
pub(super) struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    max_idle: usize,
}

impl ReadPool {
    /// Creates an empty pool; connections are opened lazily on first use.
    pub(super) fn new(path: &Path, max_idle: usize) -> Self {
        ReadPool {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::with_capacity(max_idle)),
            max_idle,
        }
    }

    /// Runs `f` on a pooled connection and returns the connection afterwards.
    ///
    /// Closure-shaped rather than a guard so the connection is always handed back (or dropped if
    /// `f` panicked) without any unwrap in a `Drop` impl.
    pub(super) fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        // A poisoned lock only means another thread panicked while pushing or popping; the Vec
        // itself is always in a valid state, so recovering the guard is safe.
        let popped = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut conn = match popped {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let result = f(&mut conn);
        self.check_in(conn);
        result
    }

    fn check_in(&self, conn: Connection) {
        // A connection still inside a transaction would hand a stale snapshot to the next user.
        if !conn.is_autocommit() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }

    /// Number of idle connections, for tests of the pool bound.
    #[cfg(test)]
    pub(super) fn idle_len(&self) -> usize {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}
