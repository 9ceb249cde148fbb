//! SQLite implementation of [`Store`]: the default backend, one database file per server.
//!
//! Owns [`SqliteStore`], which serializes all writes through one connection (each write method is
//! exactly one `BEGIN IMMEDIATE` transaction) and answers reads from a small pool of connections
//! that run concurrently with the writer thanks to WAL mode. Submodules: `migrations` (schema
//! versions), `connections` (connection settings and the read pool) and `rows` (SQL text and row
//! mapping).

pub(crate) mod migrations;

mod connections;
mod dates;
mod invitations;
mod objects;
mod orgs;
mod rows;
mod sessions;
mod shares;
mod spans;
mod trash;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use self::connections::ReadPool;
use self::rows::{
    ACCOUNT_COLUMNS, CollectionFilter, Context, META_COLUMNS, META_COLUMNS_O, account_from_row,
    collection_revisions, insert_collection, insert_error, json_string_array, live_prop_update_sql,
    load_collection, load_collections, meta_from_row, now, object_from_row, principal_kind_str,
    set_dead_prop,
};
use crate::store::clock::{Clock, SystemClock};
use crate::store::{
    Account, BusyScan, Candidate, Change, Changes, Collection, CollectionKind, ConditionalPut,
    ContactDates, NewAccount, NewCollection, Object, ObjectFilter, ObjectIndex, ObjectMeta,
    ObjectMove, Placement, PrincipalKind, PropChange, PutObject, PutOutcome, Store, StoreError,
    StoreResult, TextMatchType, VersionEnd, WriteCondition,
};

/// Idle read connections kept for reuse. Requests beyond this still get a (fresh) connection,
/// which costs an open, pragmas and a schema parse; 32 covers the concurrency of many clients
/// syncing at once (the benchmark's 16 GET clients went from 4,700 to 10,000 req/s at 32).
const READ_POOL_SIZE: usize = 32;

/// The SQLite store: one writer connection and a pool of readers on the same WAL database file.
///
/// A single writer is all SQLite allows anyway; holding it behind a mutex makes writers queue in
/// the process instead of spinning on SQLITE_BUSY, while readers never wait for it.
///
/// Reads of members of an unknown collection (`list_objects`, `get_object`, `get_objects`) answer
/// empty rather than NotFound, saving a lookup callers have already done; writes and
/// `changes_since` report NotFound.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: ReadPool,
    /// The time recorded on object writes, deletions and restores (see `store::clock`).
    clock: Arc<dyn Clock>,
}

impl SqliteStore {
    /// Opens or creates the database at `path` and brings its schema up to date.
    ///
    /// The parent directory must exist (creating the data directory is the caller's job, so that
    /// permissions are decided in one place). Fails with [`StoreError::Backend`] when the file
    /// cannot be opened, cannot use WAL, or has a schema newer than this build.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        SqliteStore::open_with_clock(path, Arc::new(SystemClock))
    }

    /// [`SqliteStore::open`] with the clock the store records times from (tests move it).
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> StoreResult<SqliteStore> {
        let mut writer = connections::open_writer(path)?;
        migrations::apply(&mut writer)?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers: ReadPool::new(path, READ_POOL_SIZE),
            clock,
        })
    }

    /// Runs `f` inside one `BEGIN IMMEDIATE` transaction on the writer and commits it.
    ///
    /// IMMEDIATE takes the write lock up front, so the checks `f` makes (conditions, UID
    /// uniqueness) cannot be invalidated by another process before the write. Any error returned
    /// by `f` drops the transaction, which rolls back everything `f` did.
    fn write<T>(
        &self,
        op: &str,
        f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut conn = self.idle_writer(op)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(op)?;
        let out = f(&tx)?;
        tx.commit().ctx(op)?;
        Ok(out)
    }

    /// Runs `f` on the writer outside any transaction, for the statements SQLite refuses
    /// inside one (VACUUM), serialized with every write.
    fn outside_transaction<T>(
        &self,
        op: &str,
        f: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let conn = self.idle_writer(op)?;
        f(&conn)
    }

    /// The writer, locked, with no transaction open.
    fn idle_writer(&self, op: &str) -> StoreResult<MutexGuard<'_, Connection>> {
        // A panic while holding the lock unwinds through the Transaction's Drop, which rolls back;
        // the connection is therefore consistent and the guard can be recovered.
        let conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.is_autocommit() {
            // Defensive: never let a stray open transaction swallow this write.
            conn.execute_batch("ROLLBACK").ctx(op)?;
        }
        Ok(conn)
    }

    /// Runs `f` in a read transaction on a pooled reader, so every statement of one store call
    /// sees the same snapshot even while the writer commits.
    fn read<T>(
        &self,
        op: &str,
        f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.readers.with(|conn| {
            let tx = conn.transaction().ctx(op)?;
            let out = f(&tx)?;
            // Ending a read transaction cannot lose data; rollback is the cheapest way to end it.
            tx.rollback().ctx(op)?;
            Ok(out)
        })
    }
}

/// Error for a missing collection id.
fn collection_not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("collection {id}"))
}

/// Stores a collection's new revision (the caller computed it inside the same transaction) and
/// adjusts its `used_bytes` by what the change added or removed.
fn bump_collection(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    revision: i64,
    size_delta: i64,
) -> StoreResult<()> {
    tx.prepare_cached(
        "UPDATE collections SET revision = ?2, used_bytes = used_bytes + ?3 WHERE id = ?1",
    )
    .and_then(|mut stmt| stmt.execute(params![collection, revision, size_delta]))
    .ctx(op)?;
    Ok(())
}

/// Upserts the single change-log row of `name`.
fn upsert_change_row(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    revision: i64,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO changes (collection, name, revision) VALUES (?1, ?2, ?3) \
         ON CONFLICT (collection, name) DO UPDATE SET revision = excluded.revision",
    )
    .and_then(|mut stmt| stmt.execute(params![collection, name, revision]))
    .ctx(op)?;
    Ok(())
}

/// Inserts or replaces member `object.name` with revision and modification time given, and its
/// query index rows; `replacing`: it existed before. `created` is only written on insert, so a
/// replacement keeps the original. The caller checked conditions, UIDs and quota.
#[allow(clippy::too_many_arguments)]
fn upsert_object(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    object: &PutObject,
    size: i64,
    revision: i64,
    modified: i64,
    replacing: bool,
) -> StoreResult<i64> {
    let index = &object.index;
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO objects (collection, name, uid, etag, size, component, first_start, \
             last_end, created, modified, revision, body, span_exact) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12) \
             ON CONFLICT (collection, name) DO UPDATE SET uid = excluded.uid, \
             etag = excluded.etag, size = excluded.size, component = excluded.component, \
             first_start = excluded.first_start, last_end = excluded.last_end, \
             span_exact = excluded.span_exact, \
             modified = excluded.modified, revision = excluded.revision, body = excluded.body \
             RETURNING id",
        )
        .and_then(|mut stmt| {
            stmt.query_row(
                params![
                    collection,
                    object.name,
                    index.uid,
                    object.etag,
                    size,
                    index.component,
                    index.first_start,
                    index.last_end,
                    modified,
                    revision,
                    object.body,
                    index.span_exact,
                ],
                |row| row.get(0),
            )
        })
        .ctx(op)?;
    write_query_indexes(tx, op, collection, id, index, replacing)?;
    Ok(id)
}

/// Replaces the instance, text and date index rows of object `id` with those of `index`,
/// inside the put's transaction. `replacing`: the object existed before, so old rows may
/// exist.
fn write_query_indexes(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    id: i64,
    index: &ObjectIndex,
    replacing: bool,
) -> StoreResult<()> {
    if replacing {
        for sql in [
            "DELETE FROM object_spans WHERE object_id = ?1",
            "DELETE FROM object_series WHERE object_id = ?1",
            "DELETE FROM object_instances WHERE object_id = ?1",
            "DELETE FROM object_text WHERE object_id = ?1",
            "DELETE FROM object_text_pending WHERE object_id = ?1",
            "DELETE FROM object_dates WHERE object_id = ?1",
            "DELETE FROM object_dates_pending WHERE object_id = ?1",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut stmt| stmt.execute([id]))
                .ctx(op)?;
        }
    }
    spans::insert(tx, op, collection, id, index)?;
    dates::insert(tx, op, collection, id, index)?;
    if let Some(until) = index.instances_until {
        let max_len = index
            .instances
            .iter()
            .map(|(start, end)| end.saturating_sub(*start).max(0))
            .max()
            .unwrap_or(0);
        tx.prepare_cached(
            "INSERT INTO object_series (object_id, until, max_len, floating) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut stmt| stmt.execute(params![id, until, max_len, index.instances_floating]))
        .ctx(op)?;
        let mut stmt = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO object_instances (object_id, collection, start, ends) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .ctx(op)?;
        for (start, end) in &index.instances {
            stmt.execute(params![id, collection, start, (*end).max(*start)])
                .ctx(op)?;
        }
    }
    if !index.text.is_empty() {
        let mut stmt = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO object_text (object_id, collection, prop, folded) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .ctx(op)?;
        for (prop, folded) in &index.text {
            stmt.execute(params![id, collection, prop, folded])
                .ctx(op)?;
        }
    }
    Ok(())
}

/// Whether the span row `c` (of `spans::MEETING_WINDOW`) may meet the window `[?3, ?4)`
/// (either bound NULL: open): unknown bounds may; exact spans must overlap it strictly; other
/// spans may also touch it (a zero-length event at the start of a range matches, RFC 4791
/// §9.9). An unknown start is stored before every instant, so it always may.
const SPAN_MAY_MEET: &str = "(?3 IS NULL OR c.last_end IS NULL OR c.last_end > ?3 \
     OR (c.span_exact = 0 AND c.last_end = ?3)) \
     AND (?4 IS NULL OR c.first_start < ?4 OR (c.span_exact = 0 AND c.first_start = ?4))";

/// Whether the instance index of `object_series s` decides span row `c` over the window
/// ending at `?4`: a complete, non-floating index reaching past the window (unbounded:
/// i64::MAX). 0 for objects without a series row.
const SERIES_DECIDES: &str = "COALESCE(c.span_exact = 0 AND s.floating = 0 \
     AND COALESCE(?4, 9223372036854775807) <= s.until, 0)";

/// Whether `object_series s` lists every instance of span row `c` within the window ending
/// at `?4`, read as UTC although they are floating: each true instance then lies within
/// [`FLOATING_SLACK`] of its listed one, which bounds the answer from both sides.
const FLOATING_SERIES: &str = "COALESCE(c.span_exact = 0 AND s.floating = 1 \
     AND COALESCE(?4, 9223372036854775807) <= s.until, 0)";

/// The widest UTC offset (UTC+14, and UTC-12 plus a DST gap's hour stays within it), seconds.
const FLOATING_SLACK: i64 = 14 * 3_600;

/// The span rows meeting the window with their series rows, then (CROSS JOIN keeps this loop
/// order) the `objects` row: the conditions on `c` and `s` rule candidates out before any
/// `objects` page is read.
const SPANS_THEN_OBJECTS: &str = "FROM c LEFT JOIN object_series s ON s.object_id = c.object_id \
     CROSS JOIN objects o ON o.id = c.object_id";

/// The smallest string greater than every string that starts with `prefix`, in SQLite's BINARY
/// order (byte order of UTF-8, which is code point order); `None` when there is none (every
/// character is U+10FFFF). Turns a prefix match into the range `prefix <= value < bound`.
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=0x10_FFFF).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl Store for SqliteStore {
    fn create_account(&self, new: &NewAccount) -> StoreResult<Account> {
        const OP: &str = "create_account";
        self.write(OP, |tx| {
            let created = now();
            let kind = PrincipalKind::Individual;
            tx.prepare_cached(
                "INSERT INTO accounts (login, display_name, email, password_hash, kind, created) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    new.login,
                    new.display_name,
                    new.email,
                    new.password_hash,
                    principal_kind_str(kind),
                    created,
                ])
            })
            .map_err(insert_error(OP, format!("account {}", new.login)))?;
            let id = tx.last_insert_rowid();
            match &new.organisation {
                Placement::NewOrg { org, founder } => {
                    let org = orgs::insert_org(tx, OP, org, created)?;
                    orgs::insert_member(tx, OP, org, id, founder, None)?;
                }
                Placement::Join {
                    org,
                    member,
                    max_members,
                    by,
                } => {
                    orgs::check_authority(tx, OP, *org, *by)?;
                    orgs::insert_member(tx, OP, *org, id, member, *max_members)?;
                }
            }
            // On the store's clock, like everything a point-in-time restore compares.
            let collections_created = self.clock.now();
            for collection in &new.collections {
                insert_collection(tx, OP, id, collection, collections_created)?;
            }
            Ok(Account {
                id,
                login: new.login.clone(),
                display_name: new.display_name.clone(),
                email: new.email.clone(),
                password_hash: new.password_hash.clone(),
                kind,
                created,
            })
        })
    }

    fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>> {
        const OP: &str = "account_by_login";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE login = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([login], account_from_row).optional())
            .ctx(OP)
        })
    }

    fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        const OP: &str = "list_accounts";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY login"
            ))
            .and_then(|mut stmt| stmt.query_map([], account_from_row)?.collect())
            .ctx(OP)
        })
    }

    fn count_accounts(&self) -> StoreResult<i64> {
        const OP: &str = "count_accounts";
        self.read(OP, |tx| {
            tx.query_row("SELECT COUNT(*) FROM accounts", [], |row| row.get(0))
                .ctx(OP)
        })
    }

    fn set_password_hash(&self, login: &str, hash: &str) -> StoreResult<()> {
        const OP: &str = "set_password_hash";
        self.write(OP, |tx| {
            let updated = tx
                .prepare_cached("UPDATE accounts SET password_hash = ?2 WHERE login = ?1")
                .and_then(|mut stmt| stmt.execute(params![login, hash]))
                .ctx(OP)?;
            if updated == 0 {
                return Err(StoreError::NotFound(format!("account {login}")));
            }
            Ok(())
        })
    }

    fn remove_account(&self, login: &str) -> StoreResult<()> {
        const OP: &str = "remove_account";
        self.write(OP, |tx| {
            let id: i64 = tx
                .prepare_cached("SELECT id FROM accounts WHERE login = ?1")
                .and_then(|mut stmt| stmt.query_row([login], |row| row.get(0)).optional())
                .ctx(OP)?
                .ok_or_else(|| StoreError::NotFound(format!("account {login}")))?;
            // Organisations this account is the only member of are "everything it owns" too;
            // organisations shared with other accounts stay, each still with a legal owner, and
            // see the departure in their directory (recorded while the account still exists).
            let orgs = orgs::org_ids_of(tx, OP, id)?;
            for org in &orgs {
                orgs::touch_directory(tx, OP, *org, id, orgs::CardChange::Left)?;
            }
            tx.prepare_cached(
                "DELETE FROM organisations WHERE id IN \
                 (SELECT m.org_id FROM memberships m WHERE m.account_id = ?1) \
                 AND NOT EXISTS (SELECT 1 FROM memberships o \
                                 WHERE o.org_id = organisations.id AND o.account_id <> ?1)",
            )
            .and_then(|mut stmt| stmt.execute([id]))
            .ctx(OP)?;
            // Cascades: memberships, team memberships, collections, and through them objects,
            // dead properties and change log rows.
            tx.prepare_cached("DELETE FROM accounts WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute([id]))
                .ctx(OP)?;
            for org in orgs {
                if orgs::org_exists(tx, OP, org)? {
                    orgs::check_legal_owner_remains(tx, OP, org)?;
                }
            }
            Ok(())
        })
    }

    fn create_collection(&self, owner: i64, new: &NewCollection) -> StoreResult<Collection> {
        const OP: &str = "create_collection";
        self.write(OP, |tx| {
            orgs::check_account(tx, OP, owner)?;
            // On the store's clock, like everything a point-in-time restore compares.
            let id = insert_collection(tx, OP, owner, new, self.clock.now())?;
            load_collection(tx, id)
                .ctx(OP)?
                .ok_or_else(|| StoreError::Backend(format!("{OP}: collection {id} vanished")))
        })
    }

    fn collection(
        &self,
        owner: i64,
        kind: CollectionKind,
        name: &str,
    ) -> StoreResult<Option<Collection>> {
        const OP: &str = "collection";
        self.read(OP, |tx| {
            Ok(
                load_collections(tx, CollectionFilter::Name(owner, kind, name))
                    .ctx(OP)?
                    .pop(),
            )
        })
    }

    fn list_collections(&self, owner: i64, kind: CollectionKind) -> StoreResult<Vec<Collection>> {
        const OP: &str = "list_collections";
        self.read(OP, |tx| {
            load_collections(tx, CollectionFilter::Owner(owner, kind)).ctx(OP)
        })
    }

    fn update_collection(&self, id: i64, changes: &[PropChange]) -> StoreResult<Collection> {
        const OP: &str = "update_collection";
        self.write(OP, |tx| {
            if collection_revisions(tx, id).ctx(OP)?.is_none() {
                return Err(collection_not_found(id));
            }
            for change in changes {
                match change {
                    PropChange::Live(prop, value) => {
                        tx.prepare_cached(live_prop_update_sql(*prop))
                            .and_then(|mut stmt| stmt.execute(params![id, value]))
                            .ctx(OP)?;
                    }
                    PropChange::Dead {
                        namespace,
                        name,
                        value,
                    } => set_dead_prop(tx, id, namespace, name, value.as_deref()).ctx(OP)?,
                }
            }
            load_collection(tx, id)
                .ctx(OP)?
                .ok_or_else(|| collection_not_found(id))
        })
    }

    fn delete_collection(&self, id: i64) -> StoreResult<()> {
        // To the trash, with its members (see `trash.rs`).
        self.delete_whole_collection(id, None).map(|_| ())
    }

    fn list_objects(&self, collection: i64) -> StoreResult<Vec<ObjectMeta>> {
        const OP: &str = "list_objects";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {META_COLUMNS} FROM objects WHERE collection = ?1 ORDER BY name"
            ))
            .and_then(|mut stmt| stmt.query_map([collection], meta_from_row)?.collect())
            .ctx(OP)
        })
    }

    fn find_candidates(
        &self,
        collection: i64,
        filter: &ObjectFilter,
    ) -> StoreResult<Vec<Candidate>> {
        const OP: &str = "find_candidates";
        let components = json_string_array(&filter.components);
        // A series whose instance index decides is kept only when one of its instances meets
        // the window (RFC 4791 §9.9: overlap, or for a zero-length instance
        // `start <= t < end`); `start >= ?3 - max_len` makes that a range scan of the primary
        // key. A floating series is decided when an instance lies inside the window whatever
        // the viewer's zone, and ruled out when none can reach it. Everything else is filtered
        // by its span.
        let decided = format!(
            "COALESCE((?3 IS NULL AND ?4 IS NULL) OR c.span_exact = 1 OR {SERIES_DECIDES} \
             OR (c.contained_match = 1 AND c.first_start > ?3 AND c.last_end < ?4) \
             OR ({FLOATING_SERIES} AND EXISTS (SELECT 1 FROM object_instances i \
                 WHERE i.object_id = c.object_id AND i.start > ?3 + {FLOATING_SLACK} \
                 AND i.start < ?4 AND i.ends + {FLOATING_SLACK} < ?4)), 0)"
        );
        self.read(OP, |tx| {
            let mut found: Vec<Candidate> = tx
                .prepare_cached(&format!(
                    "WITH c AS ({meeting}) \
                     SELECT {META_COLUMNS_O}, {decided}, \
                     CASE WHEN ?5 OR NOT {decided} THEN o.body END \
                     {SPANS_THEN_OBJECTS} \
                     WHERE {SPAN_MAY_MEET} \
                     AND (NOT {SERIES_DECIDES} OR (?3 IS NULL AND ?4 IS NULL) \
                          OR EXISTS (SELECT 1 FROM object_instances i \
                              WHERE i.object_id = c.object_id \
                              AND i.start >= COALESCE(?3 - s.max_len, -9223372036854775808) \
                              AND i.start < COALESCE(?4, 9223372036854775807) \
                              AND (?3 IS NULL OR i.ends > ?3 \
                                   OR (i.ends = i.start AND i.start = ?3)))) \
                     AND (NOT {FLOATING_SERIES} \
                          OR EXISTS (SELECT 1 FROM object_instances i \
                              WHERE i.object_id = c.object_id \
                              AND i.start >= COALESCE(?3 - s.max_len - {FLOATING_SLACK}, \
                                                      -9223372036854775808) \
                              AND i.start < COALESCE(?4 + {FLOATING_SLACK}, 9223372036854775807) \
                              AND (?3 IS NULL OR i.ends + {FLOATING_SLACK} >= ?3))) \
                     AND (?2 = '[]' OR o.component IN (SELECT value FROM json_each(?2)))",
                    meeting = *spans::MEETING_WINDOW,
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(
                        params![
                            collection,
                            components,
                            filter.start,
                            filter.end,
                            filter.bodies
                        ],
                        |row| {
                            Ok(Candidate {
                                meta: meta_from_row(row)?,
                                decided: row.get(9)?,
                                body: row.get(10)?,
                            })
                        },
                    )?
                    .collect()
                })
                .ctx(OP)?;
            // Sorted here rather than by SQL, which would sort the bodies along.
            found.sort_unstable_by(|a, b| a.meta.name.cmp(&b.meta.name));
            Ok(found)
        })
    }

    fn find_busy(&self, collection: i64, start: i64, end: i64) -> StoreResult<BusyScan> {
        const OP: &str = "find_busy";
        let components = json_string_array(&["VEVENT".to_owned(), "VFREEBUSY".to_owned()]);
        let meeting = &*spans::MEETING_WINDOW;
        // ?2 (the components) is bound for every statement; the index-only ones skip it.
        let bind = params![collection, components, start, end];
        // A known busy class (only ever set for VEVENT objects) with an exact span or a
        // deciding instance index: the index answers. Free objects (busy = 0) show nothing.
        let known = format!("(c.busy IS NOT NULL AND (c.span_exact = 1 OR {SERIES_DECIDES}))");
        self.read(OP, |tx| {
            let mut scan = BusyScan::default();
            // Spans of single busy events, from the span rows alone, and the instances of busy
            // series whose instance index decides.
            let mut stmt = tx
                .prepare_cached(&format!(
                    "WITH c AS ({meeting}) SELECT c.first_start, c.last_end, c.busy FROM c \
                     WHERE c.busy IN (1, 2) AND c.span_exact = 1 AND {SPAN_MAY_MEET} \
                     UNION ALL SELECT i.start, i.ends, c.busy \
                     FROM c JOIN object_series s ON s.object_id = c.object_id \
                     JOIN object_instances i ON i.object_id = c.object_id \
                     WHERE c.busy IN (1, 2) AND {SERIES_DECIDES} \
                     AND i.start >= ?3 - s.max_len AND i.start < ?4 \
                     AND i.ends > ?3 AND i.ends > i.start"
                ))
                .ctx(OP)?;
            let mut rows = stmt.query(bind).ctx(OP)?;
            while let Some(row) = rows.next().ctx(OP)? {
                if let Some(kind) = spans::busy_from_code(row.get(2).ctx(OP)?) {
                    scan.known
                        .push((row.get(0).ctx(OP)?, row.get(1).ctx(OP)?, kind));
                }
            }
            // The bodies of the rest.
            let mut stmt = tx
                .prepare_cached(&format!(
                    "WITH c AS ({meeting}) SELECT {META_COLUMNS_O}, o.body \
                     {SPANS_THEN_OBJECTS} \
                     WHERE COALESCE(c.busy, -1) <> 0 AND NOT {known} AND {SPAN_MAY_MEET} \
                     AND o.component IN (SELECT value FROM json_each(?2))"
                ))
                .ctx(OP)?;
            scan.unknown = stmt
                .query_map(bind, object_from_row)
                .and_then(Iterator::collect)
                .ctx(OP)?;
            Ok(scan)
        })
    }

    fn find_by_text(
        &self,
        collection: i64,
        prop: &str,
        folded_needle: &str,
        how: TextMatchType,
    ) -> StoreResult<Vec<String>> {
        const OP: &str = "find_by_text";
        // Plain comparisons on the folded keys (no LIKE/GLOB), so `%`, `_`, `\`, `*` in the
        // needle are ordinary characters. Equals and starts-with are range scans of
        // object_text_search; contains and ends-with scan that index for the property only.
        let condition = match how {
            // `?4` (the prefix bound) is NULL except for starts-with.
            TextMatchType::Equals => "t.folded = ?3 AND ?4 IS NULL",
            TextMatchType::StartsWith => "t.folded >= ?3 AND (?4 IS NULL OR t.folded < ?4)",
            TextMatchType::Contains => "instr(t.folded, ?3) > 0 AND ?4 IS NULL",
            TextMatchType::EndsWith => {
                "length(t.folded) >= length(?3) \
                 AND substr(t.folded, length(t.folded) - length(?3) + 1) = ?3 AND ?4 IS NULL"
            }
        };
        let bound = match how {
            TextMatchType::StartsWith => prefix_upper_bound(folded_needle),
            _ => None,
        };
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT o.name FROM objects o WHERE o.collection = ?1 AND o.id IN \
                 (SELECT t.object_id FROM object_text t \
                  WHERE t.collection = ?1 AND t.prop = ?2 AND {condition} \
                  UNION ALL SELECT p.object_id FROM object_text_pending p \
                  WHERE p.collection = ?1) \
                 ORDER BY o.name"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![collection, prop, folded_needle, bound], |row| {
                    row.get(0)
                })?
                .collect()
            })
            .ctx(OP)
        })
    }

    fn contact_dates(&self, collections: &[i64]) -> StoreResult<ContactDates> {
        const OP: &str = "contact_dates";
        self.read(OP, |tx| dates::read(tx, OP, collections))
    }

    fn get_object(&self, collection: i64, name: &str) -> StoreResult<Option<Object>> {
        const OP: &str = "get_object";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {META_COLUMNS}, body FROM objects WHERE collection = ?1 AND name = ?2"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(params![collection, name], object_from_row)
                    .optional()
            })
            .ctx(OP)
        })
    }

    fn get_objects(&self, collection: i64, names: &[String]) -> StoreResult<Vec<Object>> {
        const OP: &str = "get_objects";
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = json_string_array(names);
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {META_COLUMNS}, body FROM objects WHERE collection = ?1 \
                 AND name IN (SELECT value FROM json_each(?2)) ORDER BY name"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![collection, wanted], object_from_row)?
                    .collect()
            })
            .ctx(OP)
        })
    }

    fn put_object(
        &self,
        collection: i64,
        object: &PutObject,
        condition: &WriteCondition,
    ) -> StoreResult<PutOutcome> {
        const OP: &str = "put_object";
        self.write(OP, |tx| {
            objects::put_in(tx, OP, collection, object, condition, self.clock.now(), 0)
        })
    }

    fn delete_object(
        &self,
        collection: i64,
        name: &str,
        condition: &WriteCondition,
    ) -> StoreResult<()> {
        // To the trash (see `trash.rs`).
        self.delete_member(collection, name, condition, None)
            .map(|_| ())
    }

    fn put_objects(
        &self,
        collection: i64,
        puts: &[ConditionalPut],
    ) -> StoreResult<Vec<StoreResult<PutOutcome>>> {
        const OP: &str = "put_objects";
        self.write(OP, |tx| {
            if collection_revisions(tx, collection).ctx(OP)?.is_none() {
                return Err(collection_not_found(collection));
            }
            let at = self.clock.now();
            let mut outcomes = Vec::with_capacity(puts.len());
            for put in puts {
                // A refused item has written nothing (put_in refuses before its first write),
                // so it needs no savepoint to leave nothing of itself; a savepoint per item
                // would copy every page it touches to a sub-journal, which costs more than the
                // writes. A backend failure ends the batch: the transaction's drop rolls it
                // back.
                let outcome =
                    match objects::put_in(tx, OP, collection, &put.object, &put.condition, at, 0) {
                        Err(StoreError::Backend(message)) => {
                            return Err(StoreError::Backend(message));
                        }
                        other => other,
                    };
                outcomes.push(outcome);
            }
            Ok(outcomes)
        })
    }

    fn move_object(&self, change: &ObjectMove<'_>) -> StoreResult<PutOutcome> {
        const OP: &str = "move_object";
        self.write(OP, |tx| {
            let at = self.clock.now();
            // The source lives on at the destination: its content joins the source
            // collection's history (so a point-in-time restore of that collection finds it),
            // not the trash.
            let removal = objects::Removal {
                ended: VersionEnd::Replaced,
                at,
                by: None,
            };
            // What the source frees of the destination owner's bytes: all of it within one
            // owner's collections, nothing from another owner's.
            let before = objects::owner_usage(tx, OP, change.to)?;
            let kept = objects::remove_in(
                tx,
                OP,
                change.from,
                change.name,
                change.from_condition,
                removal,
            )?;
            let freed = before - objects::owner_usage(tx, OP, change.to)?;
            let outcome = objects::put_in(
                tx,
                OP,
                change.to,
                change.object,
                change.to_condition,
                at,
                freed,
            )?;
            if kept.is_some() {
                objects::trim_after_write(tx, OP, change.from, change.source_quota)?;
            }
            Ok(outcome)
        })
    }

    fn objects_page(
        &self,
        collection: i64,
        after: &str,
        max_objects: usize,
        max_bytes: i64,
    ) -> StoreResult<Vec<Object>> {
        const OP: &str = "objects_page";
        let limit = i64::try_from(max_objects).unwrap_or(i64::MAX);
        self.read(OP, |tx| {
            // The running size is summed over the (collection, name) index alone; bodies are
            // read only for the members that fit.
            tx.prepare_cached(&format!(
                "SELECT {META_COLUMNS_O}, o.body FROM \
                 (SELECT id, name, SUM(size) OVER (ORDER BY name ROWS UNBOUNDED PRECEDING) \
                  - size AS before FROM objects WHERE collection = ?1 AND name > ?2 \
                  ORDER BY name LIMIT ?3) p \
                 CROSS JOIN objects o ON o.id = p.id \
                 WHERE p.before = 0 OR p.before < ?4 ORDER BY p.name"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![collection, after, limit, max_bytes],
                    object_from_row,
                )?
                .collect()
            })
            .ctx(OP)
        })
    }

    fn changes_since(
        &self,
        collection: i64,
        revision: i64,
        limit: Option<usize>,
    ) -> StoreResult<Changes> {
        const OP: &str = "changes_since";
        // Fetch one row more than asked to learn whether the answer is truncated. -1 is SQLite's
        // "no limit".
        let fetch = match limit {
            Some(limit) => i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1),
            None => -1,
        };
        self.read(OP, |tx| {
            let (current, min_revision) = collection_revisions(tx, collection)
                .ctx(OP)?
                .ok_or_else(|| collection_not_found(collection))?;
            if revision > current || (revision != 0 && revision < min_revision) {
                return Err(StoreError::InvalidSyncToken);
            }
            // One statement for the whole answer. For the initial sync (revision 0) tombstones
            // are skipped: the client has nothing to delete.
            let mut stmt = tx
                .prepare_cached(
                    "SELECT ch.name, ch.revision, o.uid, o.etag, o.size, o.component, o.modified, \
                     o.created, o.revision, o.span_exact \
                     FROM changes ch \
                     LEFT JOIN objects o ON o.collection = ch.collection AND o.name = ch.name \
                     WHERE ch.collection = ?1 AND ch.revision > ?2 \
                     AND (?2 <> 0 OR o.id IS NOT NULL) \
                     ORDER BY ch.revision LIMIT ?3",
                )
                .ctx(OP)?;
            let mut entries: Vec<(i64, Change)> = stmt
                .query_map(params![collection, revision, fetch], |row| {
                    let name: String = row.get(0)?;
                    let change_revision: i64 = row.get(1)?;
                    let uid: Option<String> = row.get(2)?;
                    let change = match uid {
                        Some(uid) => Change::Present(ObjectMeta {
                            name,
                            uid,
                            etag: row.get(3)?,
                            size: row.get(4)?,
                            component: row.get(5)?,
                            modified: row.get(6)?,
                            created: row.get(7)?,
                            revision: row.get(8)?,
                            span_exact: row.get(9)?,
                        }),
                        None => Change::Deleted(name),
                    };
                    Ok((change_revision, change))
                })
                .and_then(|rows| rows.collect())
                .ctx(OP)?;
            let truncated = match limit {
                Some(limit) if entries.len() > limit => {
                    entries.truncate(limit);
                    true
                }
                _ => false,
            };
            // A truncated answer resumes after the last entry it holds (or where the client was,
            // if the limit allowed none); a complete one brings the client to the current revision.
            let new_revision = if truncated {
                entries.last().map_or(revision, |(r, _)| *r)
            } else {
                current
            };
            Ok(Changes {
                changes: entries.into_iter().map(|(_, change)| change).collect(),
                revision: new_revision,
                truncated,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use tempfile::TempDir;

    use super::*;
    use crate::store::{CollectionProps, LiveProp, ObjectIndex};

    fn fresh() -> (TempDir, SqliteStore) {
        let dir = TempDir::new().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("davsuite.sqlite3")).expect("open store");
        (dir, store)
    }

    /// Test hook for the contract: raises min_revision, as a future pruning of the change log
    /// would.
    fn raise_min_revision(store: &SqliteStore, collection: i64, min_revision: i64) {
        store
            .writer
            .lock()
            .expect("writer")
            .execute(
                "UPDATE collections SET min_revision = ?2 WHERE id = ?1",
                params![collection, min_revision],
            )
            .expect("raise min_revision");
    }

    crate::store::contract::store_contract_tests!(fresh, raise_min_revision);
    crate::store::contract::share::share_contract_tests!(fresh);

    fn new_account(login: &str) -> NewAccount {
        NewAccount {
            login: login.to_owned(),
            display_name: login.to_owned(),
            email: None,
            password_hash: "$argon2id$test".to_owned(),
            organisation: Placement::NewOrg {
                org: crate::store::NewOrg {
                    name: format!("{login} org"),
                    plan: "free".to_owned(),
                    contact: crate::store::LegalContact::default(),
                },
                founder: crate::store::NewMember {
                    role: crate::store::Role::LegalOwner,
                    access: crate::store::ProductAccess::ALL,
                    notices: crate::store::Notices::ALL,
                },
            },
            collections: vec![NewCollection {
                kind: CollectionKind::Calendar,
                name: "default".to_owned(),
                components: vec!["VEVENT".to_owned()],
                props: CollectionProps::default(),
                dead: Vec::new(),
                position: 0,
                limit: None,
            }],
        }
    }

    fn put(name: &str, uid: &str, body: &str) -> PutObject {
        PutObject {
            name: name.to_owned(),
            body: body.as_bytes().to_vec(),
            etag: format!("\"{uid}-{}\"", body.len()),
            index: ObjectIndex {
                uid: uid.to_owned(),
                component: "VEVENT".to_owned(),
                first_start: None,
                last_end: None,
                span_exact: false,
                ..ObjectIndex::default()
            },
            quota: None,
        }
    }

    fn default_calendar(store: &SqliteStore, owner: i64) -> Collection {
        store
            .collection(owner, CollectionKind::Calendar, "default")
            .expect("collection")
            .expect("default calendar")
    }

    fn pragma_i64(conn: &Connection, name: &str) -> i64 {
        conn.pragma_query_value(None, name, |row| row.get(0))
            .expect("pragma")
    }

    #[test]
    fn open_sets_pragmas_and_schema_version() {
        let (_dir, store) = fresh();
        let writer = store.writer.lock().expect("writer");
        let mode: String = writer
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .expect("journal_mode");
        assert_eq!(mode, "wal");
        assert_eq!(pragma_i64(&writer, "foreign_keys"), 1);
        assert_eq!(pragma_i64(&writer, "synchronous"), 1, "NORMAL");
        assert!(pragma_i64(&writer, "busy_timeout") > 0);
        assert_eq!(
            migrations::current_version(&writer).expect("version"),
            migrations::latest_version()
        );
        drop(writer);
        store
            .readers
            .with(|conn| {
                assert_eq!(pragma_i64(conn, "foreign_keys"), 1);
                assert_eq!(pragma_i64(conn, "query_only"), 1);
                assert_eq!(pragma_i64(conn, "cache_size"), -16_384, "KiB");
                assert_eq!(pragma_i64(conn, "soft_heap_limit"), 32_000_000);
                assert!(conn.execute("DELETE FROM accounts", []).is_err());
                Ok(())
            })
            .expect("reader");
    }

    #[test]
    fn migrations_are_idempotent_and_data_survives_reopen() {
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        let (owner, coll) = {
            let store = SqliteStore::open(&path).expect("open");
            let account = store
                .create_account(&new_account("alice"))
                .expect("account");
            let coll = default_calendar(&store, account.id);
            store
                .put_object(
                    coll.id,
                    &put("a.ics", "A", "BEGIN:VCALENDAR"),
                    &WriteCondition::None,
                )
                .expect("put");
            (account.id, coll.id)
        };
        for _ in 0..2 {
            let store = SqliteStore::open(&path).expect("reopen");
            let version = migrations::current_version(&store.writer.lock().expect("writer"))
                .expect("version");
            assert_eq!(version, migrations::latest_version());
            let account = store
                .account_by_login("alice")
                .expect("lookup")
                .expect("alice survives");
            assert_eq!(account.id, owner);
            let coll_after = default_calendar(&store, owner);
            assert_eq!(coll_after.id, coll);
            assert_eq!(coll_after.revision, 1);
            let object = store
                .get_object(coll, "a.ics")
                .expect("get")
                .expect("object");
            assert_eq!(object.body, b"BEGIN:VCALENDAR");
        }
    }

    /// A database written at schema version 5 with `data`, then opened (so upgraded) by this
    /// build.
    fn upgraded_from_version_5(data: &str) -> (TempDir, SqliteStore) {
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        {
            let conn = Connection::open(&path).expect("raw open");
            for script in &migrations::MIGRATIONS[..5] {
                conn.execute_batch(script).expect("schema 5");
            }
            conn.pragma_update(None, "user_version", 5)
                .expect("version 5");
            conn.execute_batch(data).expect("old data");
        }
        let store = SqliteStore::open(&path).expect("upgrade");
        (dir, store)
    }

    /// Schema 008 seeds the collection id counter from the ids in use: an upgraded database
    /// never gives the highest one again.
    #[test]
    fn an_upgraded_database_never_reuses_the_highest_collection_id() {
        let (_dir, store) = upgraded_from_version_5(
            "INSERT INTO accounts (id, login, display_name, password_hash, created) \
             VALUES (1, 'old', 'Old', 'x', 0); \
             INSERT INTO collections (id, owner, kind, name, created) \
             VALUES (7, 1, 'calendar', 'cal', 0);",
        );
        store.delete_collection(7).expect("delete");
        let mut new = new_account("x").collections.remove(0);
        new.name = "again".into();
        let again = store.create_collection(1, &new).expect("create");
        assert_eq!(again.id, 8);
    }

    /// Schema 008 ends the shares version 5 kept suspended (their owner had left the
    /// organisation they were made in) and keeps the others.
    #[test]
    fn an_upgraded_database_ends_suspended_shares() {
        let (_dir, store) = upgraded_from_version_5(
            "INSERT INTO accounts (id, login, display_name, password_hash, created) \
             VALUES (1, 'owner', 'O', 'x', 0), (2, 'ann', 'A', 'x', 0); \
             INSERT INTO organisations (id, name, plan, created) \
             VALUES (1, 'left', 'pro', 0), (2, 'kept', 'pro', 0); \
             INSERT INTO memberships (account_id, org_id, role) \
             VALUES (2, 1, 'user'), (1, 2, 'legal-owner'), (2, 2, 'user'); \
             INSERT INTO collections (id, owner, kind, name, created) \
             VALUES (1, 1, 'calendar', 'gone', 0), (2, 1, 'calendar', 'stays', 0); \
             INSERT INTO shares (collection, org_id, account_id, access, created) \
             VALUES (1, 1, 2, 'read', 0), (2, 2, 2, 'read', 0); \
             INSERT INTO share_views (account_id, collection, display_name) \
             VALUES (2, 1, 'x'), (2, 2, 'y');",
        );
        let shares = crate::store::ShareStore::shares(&store, crate::store::ShareFilter::All)
            .expect("shares");
        assert_eq!(shares.len(), 1);
        assert_eq!(shares[0].collection, 2);
        let views: i64 = store
            .writer
            .lock()
            .expect("writer")
            .query_row("SELECT COUNT(*) FROM share_views", [], |row| row.get(0))
            .expect("views");
        assert_eq!(views, 1);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        drop(SqliteStore::open(&path).expect("open"));
        {
            let conn = Connection::open(&path).expect("raw open");
            conn.pragma_update(None, "user_version", migrations::latest_version() + 1)
                .expect("bump version");
        }
        match SqliteStore::open(&path) {
            Err(StoreError::Backend(message)) => assert!(message.contains("newer"), "{message}"),
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(_) => panic!("opened a database with a newer schema"),
        }
    }

    #[test]
    fn failing_update_collection_changes_nothing() {
        let (_dir, store) = fresh();
        let account = store.create_account(&new_account("bob")).expect("account");
        let coll = default_calendar(&store, account.id);
        store
            .writer
            .lock()
            .expect("writer")
            .execute_batch(
                "CREATE TRIGGER fail_boom BEFORE INSERT ON collection_dead_props \
                 WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            )
            .expect("trigger");
        let result = store.update_collection(
            coll.id,
            &[
                PropChange::Live(LiveProp::DisplayName, Some("Changed".to_owned())),
                PropChange::Dead {
                    namespace: "urn:x".to_owned(),
                    name: "ok".to_owned(),
                    value: Some("1".to_owned()),
                },
                PropChange::Dead {
                    namespace: "urn:x".to_owned(),
                    name: "boom".to_owned(),
                    value: Some("2".to_owned()),
                },
            ],
        );
        assert!(matches!(result, Err(StoreError::Backend(_))), "{result:?}");
        assert_eq!(default_calendar(&store, account.id), coll);
    }

    #[test]
    fn failing_put_object_changes_nothing() {
        let (_dir, store) = fresh();
        let account = store
            .create_account(&new_account("carol"))
            .expect("account");
        let coll = default_calendar(&store, account.id);
        store
            .writer
            .lock()
            .expect("writer")
            .execute_batch(
                "CREATE TRIGGER fail_change BEFORE INSERT ON changes \
                 WHEN NEW.name = 'bad.ics' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            )
            .expect("trigger");
        let result = store.put_object(coll.id, &put("bad.ics", "B", "x"), &WriteCondition::None);
        assert!(matches!(result, Err(StoreError::Backend(_))), "{result:?}");
        assert!(store.get_object(coll.id, "bad.ics").expect("get").is_none());
        assert_eq!(default_calendar(&store, account.id).revision, 0);
        // The writer is still usable afterwards.
        store
            .put_object(coll.id, &put("good.ics", "G", "y"), &WriteCondition::None)
            .expect("put after failure");
        assert_eq!(default_calendar(&store, account.id).revision, 1);
    }

    #[test]
    fn duplicate_login_maps_to_already_exists() {
        let (_dir, store) = fresh();
        store.create_account(&new_account("dave")).expect("first");
        assert!(matches!(
            store.create_account(&new_account("dave")),
            Err(StoreError::AlreadyExists(_))
        ));
        let orgs: i64 = store
            .writer
            .lock()
            .expect("writer")
            .query_row("SELECT COUNT(*) FROM organisations", [], |row| row.get(0))
            .expect("count");
        assert_eq!(orgs, 1, "the failed create left no organisation behind");
    }

    #[test]
    fn account_gets_legal_owner_membership_and_removal_drops_its_org() {
        let (_dir, store) = fresh();
        let account = store.create_account(&new_account("erin")).expect("account");
        let count = |sql: &str| -> i64 {
            store
                .writer
                .lock()
                .expect("writer")
                .query_row(sql, [], |row| row.get(0))
                .expect("count")
        };
        let role: String = store
            .writer
            .lock()
            .expect("writer")
            .query_row(
                "SELECT m.role FROM memberships m JOIN organisations o ON o.id = m.org_id \
                 WHERE m.account_id = ?1 AND o.name = 'erin org'",
                [account.id],
                |row| row.get(0),
            )
            .expect("membership");
        assert_eq!(role, "legal-owner");
        store.remove_account("erin").expect("remove");
        assert_eq!(count("SELECT COUNT(*) FROM organisations"), 0);
        assert_eq!(count("SELECT COUNT(*) FROM memberships"), 0);
        assert_eq!(count("SELECT COUNT(*) FROM collections"), 0);
    }

    #[test]
    fn poisoned_writer_lock_is_recovered() {
        let (_dir, store) = fresh();
        let result = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _guard = store.writer.lock();
                    panic!("poison the writer lock on purpose");
                })
                .join()
        });
        assert!(result.is_err());
        assert!(store.writer.is_poisoned());
        store
            .create_account(&new_account("frank"))
            .expect("write after poisoning");
        assert_eq!(store.count_accounts().expect("count"), 1);
    }

    #[test]
    fn read_pool_keeps_a_bounded_number_of_connections() {
        let (_dir, store) = fresh();
        // Nested reads force the pool to open more connections than it keeps.
        fn nest(store: &SqliteStore, depth: usize) {
            store
                .readers
                .with(|_conn| {
                    if depth > 0 {
                        nest(store, depth - 1);
                    }
                    Ok(())
                })
                .expect("read");
        }
        nest(&store, READ_POOL_SIZE + 3);
        assert_eq!(store.readers.idle_len(), READ_POOL_SIZE);
        store.count_accounts().expect("count");
        assert_eq!(store.readers.idle_len(), READ_POOL_SIZE);
    }

    #[test]
    fn concurrent_readers_see_consistent_snapshots_while_writing() {
        const WRITES: i64 = 200;
        let (_dir, store) = fresh();
        let store = Arc::new(store);
        let account = store.create_account(&new_account("gina")).expect("account");
        let coll = default_calendar(&store, account.id).id;
        let done = Arc::new(AtomicBool::new(false));
        // expected[r]: number of members once the collection is at revision r.
        let mut expected = vec![0_i64];
        for i in 0..WRITES {
            expected.push(expected[expected.len() - 1] + 1);
            if i % 3 == 0 {
                expected.push(expected[expected.len() - 1] - 1);
            }
        }
        let expected = Arc::new(expected);

        let writer = {
            let store = Arc::clone(&store);
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                for i in 0..WRITES {
                    let name = format!("{i:04}.ics");
                    store
                        .put_object(
                            coll,
                            &put(&name, &format!("uid-{i}"), "BODY"),
                            &WriteCondition::None,
                        )
                        .expect("put");
                    if i % 3 == 0 {
                        store
                            .delete_object(coll, &name, &WriteCondition::None)
                            .expect("delete");
                    }
                }
                done.store(true, Ordering::SeqCst);
            })
        };
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let store = Arc::clone(&store);
                let done = Arc::clone(&done);
                let expected = Arc::clone(&expected);
                std::thread::spawn(move || {
                    let mut last_revision = 0;
                    let mut reads = 0;
                    while !done.load(Ordering::SeqCst) || reads < 5 {
                        // Both statements of changes_since run in one read transaction, so the
                        // members it reports must be exactly those present at its revision.
                        let changes = store.changes_since(coll, 0, None).expect("changes");
                        assert!(changes.revision >= last_revision, "revision went backwards");
                        last_revision = changes.revision;
                        let index = usize::try_from(changes.revision).expect("revision");
                        assert_eq!(changes.changes.len() as i64, expected[index]);
                        assert!(
                            changes
                                .changes
                                .iter()
                                .all(|c| matches!(c, Change::Present(_)))
                        );
                        let listed = store.list_objects(coll).expect("list");
                        assert!(listed.windows(2).all(|w| w[0].name < w[1].name));
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        writer.join().expect("writer thread");
        for reader in readers {
            assert!(reader.join().expect("reader thread") >= 5);
        }
        let final_coll = default_calendar(&store, account.id);
        let deletes = (0..WRITES).filter(|i| i % 3 == 0).count() as i64;
        assert_eq!(final_coll.revision, WRITES + deletes);
        assert_eq!(
            store.list_objects(coll).expect("list").len() as i64,
            WRITES - deletes
        );
        assert_eq!(final_coll.used_bytes, (WRITES - deletes) * 4);
    }
}
