//! [`TrashStore`] for SQLite: the version history, the trash of objects and collections,
//! restores and the purge (tables of `schema/006_trash.sql`).
//!
//! Owns the SQL that copies an object row into `object_versions` before it is replaced or
//! removed ([`keep_version`], [`end_member`], called by `objects.rs` for every put, delete and
//! move), the deletions of collections (to the trash), and the restores, which write objects
//! through the same helpers as `put_object` so the query indexes and the change log are kept
//! the same way.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Row, ToSql, Transaction, params};

use super::objects::{
    Removal, Replaces, member_state, owner_usage, remove_in, trim_after_write, uid_clash,
    write_member,
};
use super::rows::{
    ACCOUNT_COLUMNS, Context, account_from_row, collection_from_row, collection_revisions,
    insert_collection, json_string_array, load_collection, parse_kind,
};
use super::{SqliteStore, bump_collection, collection_not_found, upsert_change_row};
use crate::store::{
    Account, Collection, CollectionKind, DeadProp, Deleter, NewCollection, Page, Purged,
    RestoreOutcome, RestorePlan, RestoreSource, RestoredObject, StoreError, StoreResult, Trash,
    TrashStore, TrashUsage, TrashedCollection, Version, VersionEnd, VersionPlace, WriteCondition,
};

/// Columns read by [`version_from_row`], from [`VERSION_FROM`]; `v.body` is appended where a
/// query needs it (column 17).
const VERSION_COLUMNS: &str = "v.id, v.owner, v.collection, v.trashed_collection, \
     COALESCE(c.kind, t.kind), COALESCE(c.name, t.name), v.name, v.uid, v.etag, v.size, \
     v.component, v.created, v.valid_from, v.valid_to, v.ended, v.deleted_by, v.restored";

/// Versions with the collection they belong to (live or trashed).
const VERSION_FROM: &str = "object_versions v \
     LEFT JOIN collections c ON c.id = v.collection \
     LEFT JOIN trashed_collections t ON t.id = v.trashed_collection";

fn version_from_row(row: &Row<'_>) -> rusqlite::Result<Version> {
    let live: Option<i64> = row.get(2)?;
    let trashed: Option<i64> = row.get(3)?;
    let kind: String = row.get(4)?;
    let kind = parse_kind(4, &kind)?;
    let collection_name: String = row.get(5)?;
    let place = match (live, trashed) {
        (Some(id), _) => VersionPlace::Collection {
            id,
            kind,
            name: collection_name,
        },
        (None, Some(id)) => VersionPlace::Trashed {
            id,
            kind,
            name: collection_name,
        },
        (None, None) => {
            return Err(rusqlite::Error::InvalidColumnType(
                2,
                "collection".into(),
                rusqlite::types::Type::Null,
            ));
        }
    };
    let ended: String = row.get(14)?;
    let ended = VersionEnd::parse(&ended).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            14,
            rusqlite::types::Type::Text,
            format!("unknown version end {ended:?}").into(),
        )
    })?;
    Ok(Version {
        id: row.get(0)?,
        owner: row.get(1)?,
        place,
        name: row.get(6)?,
        uid: row.get(7)?,
        etag: row.get(8)?,
        size: row.get(9)?,
        component: row.get(10)?,
        created: row.get(11)?,
        valid_from: row.get(12)?,
        valid_to: row.get(13)?,
        ended,
        deleted_by: row.get(15)?,
        restored: row.get(16)?,
    })
}

fn version_with_body(row: &Row<'_>) -> rusqlite::Result<(Version, Vec<u8>)> {
    Ok((version_from_row(row)?, row.get(17)?))
}

/// Columns of a trashed collection, from `trashed_collections t`: first in the order of
/// [`collection_from_row`] (id 0, its revision as both revisions, the bytes of the objects
/// that come back with it as `used_bytes`), then the trash entry's id, when and by whom it was
/// deleted, and how many objects come back with it.
const TRASHED_COLUMNS: &str = "0, t.owner, t.kind, t.name, t.components, t.display_name, \
     t.description, t.color, t.ord, t.timezone, t.revision, t.revision, t.position, t.created, \
     (SELECT COALESCE(SUM(v.size), 0) FROM object_versions v \
      WHERE v.trashed_collection = t.id AND v.ended = 'collection-deleted'), \
     t.id, t.deleted_at, t.deleted_by, \
     (SELECT COUNT(*) FROM object_versions v \
      WHERE v.trashed_collection = t.id AND v.ended = 'collection-deleted')";

fn trashed_from_row(row: &Row<'_>) -> rusqlite::Result<TrashedCollection> {
    Ok(TrashedCollection {
        collection: collection_from_row(row)?,
        id: row.get(15)?,
        deleted_at: row.get(16)?,
        deleted_by: row.get(17)?,
        objects: row.get(18)?,
    })
}

/// Loads trashed collections matching `condition` (on `t`, binding `params`) with their dead
/// properties, most recent deletion first, at most `limit` (-1: all).
fn load_trashed(
    tx: &Transaction<'_>,
    op: &str,
    condition: &str,
    params: &[&dyn ToSql],
    limit: i64,
) -> StoreResult<Vec<TrashedCollection>> {
    let mut bound = params.to_vec();
    bound.push(&limit);
    let mut found: Vec<TrashedCollection> = tx
        .prepare_cached(&format!(
            "SELECT {TRASHED_COLUMNS} FROM trashed_collections t WHERE {condition} \
             ORDER BY t.deleted_at DESC, t.id DESC LIMIT ?{}",
            bound.len()
        ))
        .and_then(|mut stmt| {
            stmt.query_map(bound.as_slice(), trashed_from_row)?
                .collect()
        })
        .ctx(op)?;
    for trashed in &mut found {
        trashed.collection.dead = tx
            .prepare_cached(
                "SELECT namespace, name, value FROM trashed_collection_dead_props \
                 WHERE trashed_collection = ?1 ORDER BY namespace, name",
            )
            .and_then(|mut stmt| {
                stmt.query_map([trashed.id], |row| {
                    Ok(DeadProp {
                        namespace: row.get(0)?,
                        name: row.get(1)?,
                        value: row.get(2)?,
                    })
                })?
                .collect()
            })
            .ctx(op)?;
    }
    Ok(found)
}

/// The latest time there is: a page without a key starts at it. Each page's query bounds the
/// time by `<= COALESCE(?3, LAST)` (which an index seeks to, so a later page does not read
/// the earlier ones) besides the exact row-value comparison with the key.
const LAST: i64 = i64::MAX;

/// A page's key as bound parameters: time, rank (1 for a collection) and id, all NULL for
/// the first page.
fn page_after(page: &Page) -> (Option<i64>, Option<i64>, Option<i64>) {
    match page.after {
        Some(k) => (Some(k.at), Some(i64::from(k.collection)), Some(k.id)),
        None => (None, None, None),
    }
}

/// A page's limit as SQLite's LIMIT (-1: none).
fn page_limit(page: &Page) -> i64 {
    page.limit
        .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX))
}

/// What the trash records as who deleted something: an account's login, or
/// [`Deleter::OPERATOR`].
fn deleter_name(
    tx: &Transaction<'_>,
    op: &str,
    by: Option<Deleter>,
) -> StoreResult<Option<String>> {
    match by {
        Some(Deleter::Account(id)) => tx
            .prepare_cached("SELECT login FROM accounts WHERE id = ?1")
            .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)).optional())
            .ctx(op),
        Some(Deleter::Operator) => Ok(Some(Deleter::OPERATOR.to_owned())),
        None => Ok(None),
    }
}

/// Copies member `name` of `collection` into the version history as ended by `ended` at `at`
/// (by login `by`, for deletions); the id of the new version, `None` when there is no such
/// member. Runs inside the caller's write, before the member is replaced or deleted.
///
/// Content replaced in the second it was written (`valid_from == valid_to`) was the member's
/// content at no time a point-in-time restore can name: the write simply overwrites it, and
/// a client rewriting an object many times a second adds no versions. A deletion is always
/// kept (it is the trash).
pub(super) fn keep_version(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    ended: VersionEnd,
    at: i64,
    by: Option<&str>,
) -> StoreResult<Option<i64>> {
    let copied = tx
        .prepare_cached(
            "INSERT INTO object_versions (owner, collection, name, uid, etag, size, component, \
             created, valid_from, valid_to, ended, deleted_by, body) \
             SELECT c.owner, o.collection, o.name, o.uid, o.etag, o.size, o.component, \
             o.created, o.modified, ?3, ?4, ?5, o.body \
             FROM objects o JOIN collections c ON c.id = o.collection \
             WHERE o.collection = ?1 AND o.name = ?2 \
             AND (?4 <> 'replaced' OR o.modified <> ?3)",
        )
        .and_then(|mut stmt| stmt.execute(params![collection, name, at, ended.as_str(), by]))
        .ctx(op)?;
    Ok((copied > 0).then(|| tx.last_insert_rowid()))
}

/// Ends live member `name` inside the caller's write: the version row (ended as `removal`
/// says), the row's removal (its index rows cascade) and the tombstone at `revision`. Returns
/// the version's id (for a deletion, the trash entry's); `None` when no version was kept:
/// content that lives on elsewhere, removed within the second it was written (see
/// [`keep_version`]).
pub(super) fn end_member(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    revision: i64,
    removal: Removal<'_>,
) -> StoreResult<Option<i64>> {
    let id = keep_version(
        tx,
        op,
        collection,
        name,
        removal.ended,
        removal.at,
        removal.by,
    )?;
    tx.prepare_cached("DELETE FROM objects WHERE collection = ?1 AND name = ?2")
        .and_then(|mut stmt| stmt.execute(params![collection, name]))
        .ctx(op)?;
    // The change-log row stays as a tombstone: its object is gone, so changes_since reports
    // Deleted.
    upsert_change_row(tx, op, collection, name, revision)?;
    Ok(id)
}

/// What a restore does to the versions it brings back (see [`RestoreSource`]), in one
/// statement per kind whatever their number: trash entries restored as such are claimed, and
/// must all still be in the trash ([`StoreError::AlreadyRestored`] otherwise); versions of a
/// point-in-time restore leave the trash if they are in it.
fn mark_restored<'a>(
    tx: &Transaction<'_>,
    op: &str,
    restored: impl IntoIterator<Item = &'a RestoredObject>,
) -> StoreResult<()> {
    let (mut claimed, mut versions) = (Vec::new(), Vec::new());
    for r in restored {
        match r.from {
            RestoreSource::Trash(id) => claimed.push(id.to_string()),
            RestoreSource::Version(id) => versions.push(id.to_string()),
        }
    }
    for (ids, claim) in [(claimed, true), (versions, false)] {
        if ids.is_empty() {
            continue;
        }
        let marked = tx
            .prepare_cached(
                "UPDATE object_versions SET restored = 1 \
                 WHERE id IN (SELECT value FROM json_each(?1)) \
                 AND ended <> 'replaced' AND restored = 0",
            )
            .and_then(|mut stmt| stmt.execute([format!("[{}]", ids.join(","))]))
            .ctx(op)?;
        if claim && marked != ids.len() {
            return Err(StoreError::AlreadyRestored(format!(
                "trash entry among {}",
                ids.join(", ")
            )));
        }
    }
    Ok(())
}

/// Bytes `owner`'s trash and history take (the `kept_bytes` counter of schema 006).
fn kept_bytes(tx: &Transaction<'_>, op: &str, owner: i64) -> StoreResult<i64> {
    tx.prepare_cached("SELECT bytes FROM kept_bytes WHERE owner = ?1")
        .and_then(|mut stmt| stmt.query_row([owner], |row| row.get(0)).optional())
        .map(Option::unwrap_or_default)
        .ctx(op)
}

/// Brings `owner`'s trash and history within `cap` bytes inside the caller's write, and says
/// what went: the oldest history versions first (replaced content, restored deletions), then
/// the oldest trash entries, a deleted collection as one entry with everything it holds.
pub(super) fn trim_kept(
    tx: &Transaction<'_>,
    op: &str,
    owner: i64,
    cap: i64,
) -> StoreResult<Purged> {
    let mut excess = kept_bytes(tx, op, owner)?.saturating_sub(cap);
    let mut purged = Purged::default();
    if excess <= 0 {
        return Ok(purged);
    }
    let mut versions = Vec::new();
    {
        // In the order of the owner index: no sort, and only the rows that go are read.
        let mut stmt = tx
            .prepare_cached(
                "SELECT id, size FROM object_versions \
                 WHERE owner = ?1 AND (ended = 'replaced' OR restored = 1) \
                 ORDER BY valid_to, id",
            )
            .ctx(op)?;
        let mut rows = stmt.query([owner]).ctx(op)?;
        while excess > 0 {
            let Some(row) = rows.next().ctx(op)? else {
                break;
            };
            let (id, size): (i64, i64) = (row.get(0).ctx(op)?, row.get(1).ctx(op)?);
            versions.push(id);
            excess -= size;
            purged.versions += 1;
            purged.bytes += size;
        }
    }
    let mut collections = Vec::new();
    if excess > 0 {
        // The trash, oldest deletion first: deleted objects of live collections, and deleted
        // collections with what they hold (their objects deleted before them included).
        let mut stmt = tx
            .prepare_cached(
                "SELECT 0, id, size, 1, ended = 'deleted', valid_to AS at FROM object_versions \
                 WHERE owner = ?1 AND restored = 0 AND ended <> 'replaced' \
                 AND trashed_collection IS NULL \
                 UNION ALL \
                 SELECT 1, t.id, COALESCE(SUM(v.size), 0), COUNT(v.id), 0, t.deleted_at \
                 FROM trashed_collections t LEFT JOIN object_versions v \
                 ON v.trashed_collection = t.id AND v.restored = 0 AND v.ended <> 'replaced' \
                 WHERE t.owner = ?1 GROUP BY t.id \
                 ORDER BY at, 1, 2",
            )
            .ctx(op)?;
        let mut rows = stmt.query([owner]).ctx(op)?;
        while excess > 0 {
            let Some(row) = rows.next().ctx(op)? else {
                break;
            };
            let collection: bool = row.get(0).ctx(op)?;
            let id: i64 = row.get(1).ctx(op)?;
            let size: i64 = row.get(2).ctx(op)?;
            if collection {
                collections.push(id);
                purged.collections += 1;
            } else {
                versions.push(id);
                purged.objects += i64::from(row.get::<_, bool>(4).ctx(op)?);
            }
            excess -= size;
            purged.versions += row.get::<_, i64>(3).ctx(op)?;
            purged.bytes += size;
        }
    }
    for (sql, ids) in [
        ("DELETE FROM object_versions WHERE id = ?1", &versions),
        // Cascades to the rows it holds.
        (
            "DELETE FROM trashed_collections WHERE id = ?1",
            &collections,
        ),
    ] {
        let mut stmt = tx.prepare_cached(sql).ctx(op)?;
        for id in ids {
            stmt.execute([id]).ctx(op)?;
        }
    }
    Ok(purged)
}

/// Takes out of the trash the deletions of member `name` after `since`, which a
/// point-in-time restore to `since` undoes (they stay as history), inside its write.
fn undo_deletions(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    since: i64,
) -> StoreResult<()> {
    tx.prepare_cached(
        "UPDATE object_versions SET restored = 1 WHERE collection = ?1 AND name = ?2 \
         AND ended = 'deleted' AND restored = 0 AND valid_to > ?3",
    )
    .and_then(|mut stmt| stmt.execute(params![collection, name, since]))
    .ctx(op)?;
    Ok(())
}

/// Gives the live members a restore rewrites a UID no object can have (a NUL and their row
/// id) until their write, inside the restore's write. A point-in-time restore may move UIDs
/// between members (a's UID is b's now, b gets it back): this way each write's UID is checked
/// against the collection as the restore leaves it (members it does not rewrite, and those
/// already written), never against a half-restored one, and UNIQUE (collection, uid) never
/// sees a transient clash.
fn park_uids(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    writes: &[RestoredObject],
) -> StoreResult<()> {
    let mut stmt = tx
        .prepare_cached(
            "UPDATE objects SET uid = char(0) || 'restoring ' || id \
             WHERE collection = ?1 AND name = ?2",
        )
        .ctx(op)?;
    for restored in writes {
        stmt.execute(params![collection, restored.object.name])
            .ctx(op)?;
    }
    Ok(())
}

fn size_of(op: &str, object: &RestoredObject) -> StoreResult<i64> {
    i64::try_from(object.object.body.len())
        .map_err(|_| StoreError::Backend(format!("{op}: body too large")))
}

impl SqliteStore {
    /// Deletes a member to the trash; the trash entry's id (`Store::delete_object` and
    /// `TrashStore::delete_object_by`).
    pub(super) fn delete_member(
        &self,
        collection: i64,
        name: &str,
        condition: &WriteCondition,
        by: Option<Deleter>,
    ) -> StoreResult<i64> {
        const OP: &str = "delete_object";
        self.write(OP, |tx| {
            let by = deleter_name(tx, OP, by)?;
            let removal = Removal {
                ended: VersionEnd::Deleted,
                at: self.clock.now(),
                by: by.as_deref(),
            };
            // A deletion is always kept (only replaced content may not be), so this names
            // its trash entry.
            remove_in(tx, OP, collection, name, condition, removal)?
                .ok_or_else(|| StoreError::NotFound(format!("object {name}")))
        })
    }

    /// Deletes a collection to the trash with its members, history and trash entries; the
    /// trash entry's id (`Store::delete_collection` and `TrashStore::delete_collection_by`).
    pub(super) fn delete_whole_collection(&self, id: i64, by: Option<Deleter>) -> StoreResult<i64> {
        const OP: &str = "delete_collection";
        self.write(OP, |tx| {
            let at = self.clock.now();
            let by = deleter_name(tx, OP, by)?;
            let copied = tx
                .prepare_cached(
                    "INSERT INTO trashed_collections (owner, kind, name, components, \
                     display_name, description, color, ord, timezone, position, created, \
                     revision, deleted_at, deleted_by) \
                     SELECT owner, kind, name, components, display_name, description, color, \
                     ord, timezone, position, created, revision, ?2, ?3 \
                     FROM collections WHERE id = ?1",
                )
                .and_then(|mut stmt| stmt.execute(params![id, at, by]))
                .ctx(OP)?;
            if copied == 0 {
                return Err(collection_not_found(id));
            }
            let trashed = tx.last_insert_rowid();
            tx.prepare_cached(
                "INSERT INTO trashed_collection_dead_props \
                 (trashed_collection, namespace, name, value) \
                 SELECT ?2, namespace, name, value FROM collection_dead_props \
                 WHERE collection = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![id, trashed]))
            .ctx(OP)?;
            // Its history and earlier trash entries stay with it...
            tx.prepare_cached(
                "UPDATE object_versions SET collection = NULL, trashed_collection = ?2 \
                 WHERE collection = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![id, trashed]))
            .ctx(OP)?;
            // ...and its members come back with it.
            tx.prepare_cached(
                "INSERT INTO object_versions (owner, trashed_collection, name, uid, etag, size, \
                 component, created, valid_from, valid_to, ended, deleted_by, body) \
                 SELECT c.owner, ?2, o.name, o.uid, o.etag, o.size, o.component, o.created, \
                 o.modified, ?3, 'collection-deleted', ?4, o.body \
                 FROM objects o JOIN collections c ON c.id = o.collection \
                 WHERE o.collection = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![id, trashed, at, by]))
            .ctx(OP)?;
            // Cascades to the members, their index rows, dead properties and the change log.
            tx.prepare_cached("DELETE FROM collections WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute([id]))
                .ctx(OP)?;
            Ok(trashed)
        })
    }
}

impl TrashStore for SqliteStore {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn history_since(&self) -> StoreResult<i64> {
        const OP: &str = "history_since";
        self.read(OP, |tx| {
            tx.query_row("SELECT MAX(since) FROM history_start", [], |row| {
                row.get::<_, Option<i64>>(0)
            })
            .map(Option::unwrap_or_default)
            .ctx(OP)
        })
    }

    fn account_by_id(&self, id: i64) -> StoreResult<Option<Account>> {
        const OP: &str = "account_by_id";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([id], account_from_row).optional())
            .ctx(OP)
        })
    }

    fn delete_object_by(
        &self,
        collection: i64,
        name: &str,
        condition: &WriteCondition,
        by: Option<Deleter>,
    ) -> StoreResult<i64> {
        self.delete_member(collection, name, condition, by)
    }

    fn delete_collection_by(&self, id: i64, by: Option<Deleter>) -> StoreResult<i64> {
        self.delete_whole_collection(id, by)
    }

    fn trash(&self, owner: i64, kinds: &[CollectionKind], page: &Page) -> StoreResult<Trash> {
        const OP: &str = "trash";
        let kinds = json_string_array(
            &kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect::<Vec<_>>(),
        );
        let (at, rank, id) = page_after(page);
        let limit = page_limit(page);
        self.read(OP, |tx| {
            // The deleted objects of the kinds asked, after the page key: (time, 0, id), as
            // deleted collections rank above objects of the same second.
            let objects = tx
                .prepare_cached(&format!(
                    "SELECT {VERSION_COLUMNS} FROM {VERSION_FROM} \
                     WHERE v.owner = ?1 AND v.ended = 'deleted' AND v.restored = 0 \
                     AND COALESCE(c.kind, t.kind) IN (SELECT value FROM json_each(?2)) \
                     AND v.valid_to <= COALESCE(?3, {LAST}) \
                     AND (?3 IS NULL OR (v.valid_to, 0, v.id) < (?3, ?4, ?5)) \
                     ORDER BY v.valid_to DESC, v.id DESC LIMIT ?6"
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(params![owner, kinds, at, rank, id, limit], version_from_row)?
                        .collect()
                })
                .ctx(OP)?;
            let collections = load_trashed(
                tx,
                OP,
                &format!(
                    "t.owner = ?1 AND t.kind IN (SELECT value FROM json_each(?2)) \
                     AND t.deleted_at <= COALESCE(?3, {LAST}) \
                     AND (?3 IS NULL OR (t.deleted_at, 1, t.id) < (?3, ?4, ?5))"
                ),
                &[&owner, &kinds, &at, &rank, &id],
                limit,
            )?;
            Ok(Trash {
                objects,
                collections,
            })
        })
    }

    fn member_exists(&self, collection: i64, name: &str) -> StoreResult<bool> {
        const OP: &str = "member_exists";
        self.read(OP, |tx| {
            Ok(member_state(tx, OP, collection, name)?.is_some())
        })
    }

    fn version(&self, id: i64) -> StoreResult<Option<(Version, Vec<u8>)>> {
        const OP: &str = "version";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS}, v.body FROM {VERSION_FROM} WHERE v.id = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([id], version_with_body).optional())
            .ctx(OP)
        })
    }

    fn versions(&self, collection: i64, name: &str, page: &Page) -> StoreResult<Vec<Version>> {
        const OP: &str = "versions";
        let (at, _, id) = page_after(page);
        let limit = page_limit(page);
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS} FROM {VERSION_FROM} \
                 WHERE v.collection = ?1 AND v.name = ?2 \
                 AND v.valid_to <= COALESCE(?3, {LAST}) \
                 AND (?3 IS NULL OR (v.valid_to, v.id) < (?3, ?4)) \
                 ORDER BY v.valid_to DESC, v.id DESC LIMIT ?5"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![collection, name, at, id, limit], version_from_row)?
                    .collect()
            })
            .ctx(OP)
        })
    }

    fn versions_at(
        &self,
        collection: i64,
        at: i64,
        name: Option<&str>,
    ) -> StoreResult<Vec<(Version, Vec<u8>)>> {
        const OP: &str = "versions_at";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS}, v.body FROM {VERSION_FROM} \
                 WHERE v.collection = ?1 AND (?3 IS NULL OR v.name = ?3) \
                 AND v.valid_from <= ?2 AND v.valid_to > ?2 ORDER BY v.name, v.id"
            ))
            .and_then(|mut stmt| {
                stmt.query_map(params![collection, at, name], version_with_body)?
                    .collect()
            })
            .ctx(OP)
        })
    }

    fn trashed_collection(&self, id: i64) -> StoreResult<Option<TrashedCollection>> {
        const OP: &str = "trashed_collection";
        self.read(OP, |tx| {
            Ok(load_trashed(tx, OP, "t.id = ?1", &[&id], 1)?.pop())
        })
    }

    fn trashed_collection_objects(&self, id: i64) -> StoreResult<Vec<(Version, Vec<u8>)>> {
        const OP: &str = "trashed_collection_objects";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS}, v.body FROM {VERSION_FROM} \
                 WHERE v.trashed_collection = ?1 AND v.ended = 'collection-deleted' \
                 ORDER BY v.name"
            ))
            .and_then(|mut stmt| stmt.query_map([id], version_with_body)?.collect())
            .ctx(OP)
        })
    }

    fn apply_restore(&self, collection: i64, plan: &RestorePlan) -> StoreResult<RestoreOutcome> {
        const OP: &str = "apply_restore";
        self.write(OP, |tx| {
            let (revision, _) = collection_revisions(tx, collection)
                .ctx(OP)?
                .ok_or_else(|| collection_not_found(collection))?;
            if plan.revision.is_some_and(|expected| expected != revision) {
                return Err(StoreError::PreconditionFailed);
            }
            if plan.delete.is_empty() && plan.write.is_empty() {
                return Ok(RestoreOutcome {
                    revision,
                    deleted: 0,
                    written: 0,
                });
            }
            let used = owner_usage(tx, OP, collection)?;
            let at = self.clock.now();
            let by = deleter_name(tx, OP, plan.by)?;
            let revision = revision + 1;
            let mut delta = 0;
            for name in &plan.delete {
                let (_, size) = member_state(tx, OP, collection, name)?
                    .ok_or_else(|| StoreError::NotFound(format!("object {name}")))?;
                let removal = Removal {
                    ended: VersionEnd::Deleted,
                    at,
                    by: by.as_deref(),
                };
                end_member(tx, OP, collection, name, revision, removal)?;
                delta -= size;
            }
            // What each write replaces is kept first, as it is (UIDs included, before
            // `park_uids` changes them), so the writes below are told it is kept.
            let mut replaced = Vec::with_capacity(plan.write.len());
            for restored in &plan.write {
                let name = &restored.object.name;
                let current = member_state(tx, OP, collection, name)?.map(|(_, size)| size);
                if current.is_some() {
                    if !plan.replace {
                        return Err(StoreError::AlreadyExists(format!("object {name}")));
                    }
                    keep_version(tx, OP, collection, name, VersionEnd::Replaced, at, None)?;
                }
                replaced.push(current);
            }
            if plan.replace {
                park_uids(tx, OP, collection, &plan.write)?;
            }
            for (restored, current) in plan.write.iter().zip(replaced) {
                let object = &restored.object;
                let size = size_of(OP, restored)?;
                uid_clash(tx, OP, collection, &object.index.uid, &object.name)?;
                write_member(
                    tx,
                    OP,
                    collection,
                    object,
                    size,
                    revision,
                    at,
                    if current.is_some() {
                        Replaces::KeptContent
                    } else {
                        Replaces::Nothing
                    },
                )?;
                upsert_change_row(tx, OP, collection, &object.name, revision)?;
                if let Some(since) = plan.at {
                    undo_deletions(tx, OP, collection, &object.name, since)?;
                }
                delta += size - current.unwrap_or(0);
            }
            mark_restored(tx, OP, &plan.write)?;
            if let Some(quota) = plan.quota
                && delta > 0
                && used + delta > quota
            {
                return Err(StoreError::QuotaExceeded { used, quota });
            }
            bump_collection(tx, OP, collection, revision, delta)?;
            trim_after_write(tx, OP, collection, plan.quota)?;
            Ok(RestoreOutcome {
                revision,
                deleted: plan.delete.len(),
                written: plan.write.len(),
            })
        })
    }

    fn restore_collection(
        &self,
        trashed: i64,
        new: &NewCollection,
        objects: &[RestoredObject],
        quota: Option<i64>,
    ) -> StoreResult<Collection> {
        const OP: &str = "restore_collection";
        self.write(OP, |tx| {
            let (owner, created, old_revision): (i64, i64, i64) = tx
                .prepare_cached(
                    "SELECT owner, created, revision FROM trashed_collections WHERE id = ?1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row([trashed], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                        .optional()
                })
                .ctx(OP)?
                .ok_or_else(|| {
                    StoreError::AlreadyRestored(format!("trashed collection {trashed}"))
                })?;
            let id = insert_collection(tx, OP, owner, new, created)?;
            let used = owner_usage(tx, OP, id)?;
            // Above every revision a token of the deleted collection could name.
            let revision = old_revision + 1;
            tx.prepare_cached(
                "UPDATE collections SET revision = ?2, min_revision = ?2 WHERE id = ?1",
            )
            .and_then(|mut stmt| stmt.execute(params![id, revision]))
            .ctx(OP)?;
            tx.prepare_cached(
                "UPDATE object_versions SET collection = ?1, trashed_collection = NULL \
                 WHERE trashed_collection = ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![id, trashed]))
            .ctx(OP)?;
            // The collection is new and empty: names and UIDs need only be unique among the
            // objects themselves.
            let (mut names, mut uids) = (HashSet::new(), HashMap::new());
            for restored in objects {
                let object = &restored.object;
                if !names.insert(object.name.as_str()) {
                    return Err(StoreError::AlreadyExists(format!("object {}", object.name)));
                }
                if let Some(existing) = uids.insert(object.index.uid.as_str(), &object.name) {
                    return Err(StoreError::UidConflict {
                        uid: object.index.uid.clone(),
                        existing: existing.clone(),
                    });
                }
            }
            let at = self.clock.now();
            let mut size = 0;
            for restored in objects {
                let object = &restored.object;
                let bytes = size_of(OP, restored)?;
                write_member(tx, OP, id, object, bytes, revision, at, Replaces::Nothing)?;
                upsert_change_row(tx, OP, id, &object.name, revision)?;
                size += bytes;
            }
            mark_restored(tx, OP, objects)?;
            if let Some(quota) = quota
                && size > 0
                && used + size > quota
            {
                return Err(StoreError::QuotaExceeded { used, quota });
            }
            bump_collection(tx, OP, id, revision, size)?;
            // Its dead properties went with `new`; its versions were moved above.
            tx.prepare_cached("DELETE FROM trashed_collections WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute([trashed]))
                .ctx(OP)?;
            load_collection(tx, id)
                .ctx(OP)?
                .ok_or_else(|| collection_not_found(id))
        })
    }

    fn retention_owners(&self) -> StoreResult<Vec<(i64, i64)>> {
        const OP: &str = "retention_owners";
        self.read(OP, |tx| {
            tx.prepare_cached(
                "SELECT owner, MIN(oldest) FROM ( \
                 SELECT owner, MIN(valid_to) AS oldest FROM object_versions GROUP BY owner \
                 UNION ALL \
                 SELECT owner, MIN(deleted_at) FROM trashed_collections GROUP BY owner) \
                 GROUP BY owner ORDER BY owner",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .ctx(OP)
        })
    }

    fn purge(&self, owner: i64, cutoff: i64) -> StoreResult<Purged> {
        const OP: &str = "purge";
        self.write(OP, |tx| {
            let mut purged = Purged::default();
            // Versions first (each ends before its trashed collection was deleted, so a
            // trashed collection due for purging has none left afterwards)...
            let (versions, objects, bytes): (i64, i64, i64) = tx
                .prepare_cached(
                    "SELECT COUNT(*), \
                     COALESCE(SUM(ended = 'deleted' AND restored = 0), 0), \
                     COALESCE(SUM(size), 0) \
                     FROM object_versions WHERE owner = ?1 AND valid_to <= ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![owner, cutoff], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })
                })
                .ctx(OP)?;
            tx.prepare_cached("DELETE FROM object_versions WHERE owner = ?1 AND valid_to <= ?2")
                .and_then(|mut stmt| stmt.execute(params![owner, cutoff]))
                .ctx(OP)?;
            purged += Purged {
                objects,
                collections: 0,
                versions,
                bytes,
            };
            // ...then the trashed collections, with whatever rows they still hold.
            let (collections, versions, bytes): (i64, i64, i64) = tx
                .prepare_cached(
                    "SELECT COUNT(DISTINCT t.id), COUNT(v.id), COALESCE(SUM(v.size), 0) \
                     FROM trashed_collections t \
                     LEFT JOIN object_versions v ON v.trashed_collection = t.id \
                     WHERE t.owner = ?1 AND t.deleted_at <= ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![owner, cutoff], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })
                })
                .ctx(OP)?;
            tx.prepare_cached(
                "DELETE FROM trashed_collections WHERE owner = ?1 AND deleted_at <= ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![owner, cutoff]))
            .ctx(OP)?;
            purged += Purged {
                objects: 0,
                collections,
                versions,
                bytes,
            };
            Ok(purged)
        })
    }

    fn trim_kept(&self, owner: i64, cap: i64) -> StoreResult<Purged> {
        const OP: &str = "trim_kept";
        self.write(OP, |tx| trim_kept(tx, OP, owner, cap))
    }

    fn release_space(&self, full: bool) -> StoreResult<i64> {
        const OP: &str = "release_space";
        self.outside_transaction(OP, |conn| {
            let size = |conn: &rusqlite::Connection| -> StoreResult<i64> {
                let pages: i64 = conn
                    .pragma_query_value(None, "page_count", |row| row.get(0))
                    .ctx(OP)?;
                let page_size: i64 = conn
                    .pragma_query_value(None, "page_size", |row| row.get(0))
                    .ctx(OP)?;
                Ok(pages * page_size)
            };
            let before = size(conn)?;
            if full {
                conn.execute_batch("VACUUM").ctx(OP)?;
            } else {
                // 2: INCREMENTAL (0: none, 1: full, which frees pages at every commit).
                let mode: i64 = conn
                    .pragma_query_value(None, "auto_vacuum", |row| row.get(0))
                    .ctx(OP)?;
                if mode == 2 {
                    // Each step frees one page: step until done.
                    let mut stmt = conn.prepare("PRAGMA incremental_vacuum").ctx(OP)?;
                    let mut steps = stmt.query([]).ctx(OP)?;
                    while steps.next().ctx(OP)?.is_some() {}
                }
            }
            Ok(before - size(conn)?)
        })
    }

    fn trash_usage(&self, owner: i64) -> StoreResult<TrashUsage> {
        const OP: &str = "trash_usage";
        self.read(OP, |tx| {
            tx.prepare_cached(
                "SELECT \
                 COALESCE(SUM(CASE WHEN ended = 'replaced' OR restored = 1 THEN 0 ELSE size END), 0), \
                 COALESCE(SUM(CASE WHEN ended = 'replaced' OR restored = 1 THEN size ELSE 0 END), 0) \
                 FROM object_versions WHERE owner = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([owner], |row| {
                    Ok(TrashUsage {
                        trash_bytes: row.get(0)?,
                        history_bytes: row.get(1)?,
                    })
                })
            })
            .ctx(OP)
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

    crate::store::contract::trash::trash_contract_tests!(fresh_with_clock);

    /// Writes a large object `versions` times (a minute apart) and deletes it, in a new
    /// calendar of a new account of `store`; its owner.
    fn fill_history(store: &SqliteStore, clock: &ManualClock, versions: i64) -> i64 {
        use crate::store::{
            CollectionKind, CollectionProps, NewAccount, NewCollection, ObjectIndex, Placement,
            PutObject, Store, WriteCondition,
        };
        let account = store
            .create_account(&NewAccount {
                login: "filler".into(),
                display_name: "Filler".into(),
                email: None,
                password_hash: "x".into(),
                organisation: Placement::NewOrg {
                    org: crate::store::NewOrg {
                        name: "filler".into(),
                        plan: "free".into(),
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
                    name: "cal".into(),
                    components: vec!["VEVENT".into()],
                    props: CollectionProps::default(),
                    dead: Vec::new(),
                    position: 0,
                    limit: None,
                }],
            })
            .expect("account");
        let coll = store
            .collection(account.id, CollectionKind::Calendar, "cal")
            .expect("load")
            .expect("cal");
        for n in 0..versions {
            clock.set(1_000 + n * 60);
            let body = format!("{n:08}").repeat(16_384).into_bytes();
            let object = PutObject {
                name: "big.ics".into(),
                etag: format!("\"{n}\""),
                body,
                index: ObjectIndex {
                    uid: "BIG".into(),
                    component: "VEVENT".into(),
                    ..ObjectIndex::default()
                },
                quota: None,
            };
            store
                .put_object(coll.id, &object, &WriteCondition::None)
                .expect("put");
        }
        store
            .delete_object(coll.id, "big.ics", &WriteCondition::None)
            .expect("delete");
        account.id
    }

    fn freelist(store: &SqliteStore) -> i64 {
        let conn = store.writer.lock().expect("writer");
        conn.pragma_query_value(None, "freelist_count", |row| row.get(0))
            .expect("freelist_count")
    }

    /// A new database frees the pages of purged rows incrementally: the purge's space goes
    /// back to the file system at once.
    #[test]
    fn a_new_database_gives_purged_space_back() {
        use crate::store::TrashStore;
        let (_dir, store, clock) = fresh_with_clock();
        let owner = fill_history(&store, &clock, 8);
        let purged = store.purge(owner, i64::MAX).expect("purge");
        assert!(purged.bytes >= 8 * 131_072, "{purged:?}");
        assert!(freelist(&store) > 0, "purged rows leave free pages");
        let released = store.release_space(false).expect("release");
        assert!(released >= 7 * 131_072, "{released}");
        assert_eq!(freelist(&store), 0);
        assert_eq!(store.release_space(false).expect("again"), 0);
    }

    /// A database created before (no auto_vacuum) keeps its free pages until a full vacuum,
    /// which also switches it to freeing them incrementally from then on.
    #[test]
    fn an_older_database_gives_space_back_after_a_full_vacuum() {
        use crate::store::TrashStore;
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        {
            let conn = rusqlite::Connection::open(&path).expect("open");
            conn.execute_batch("PRAGMA auto_vacuum = NONE; CREATE TABLE early (x INTEGER);")
                .expect("an older file");
        }
        let clock = Arc::new(ManualClock::new(0));
        let store = SqliteStore::open_with_clock(&path, clock.clone()).expect("open");
        let owner = fill_history(&store, &clock, 8);
        store.purge(owner, i64::MAX).expect("purge");
        let free = freelist(&store);
        assert!(free > 0);
        assert_eq!(store.release_space(false).expect("release"), 0);
        assert_eq!(freelist(&store), free, "kept until a vacuum");
        assert!(store.release_space(true).expect("vacuum") > 0);
        assert_eq!(freelist(&store), 0);
        let mode: i64 = store
            .writer
            .lock()
            .expect("writer")
            .pragma_query_value(None, "auto_vacuum", |row| row.get(0))
            .expect("auto_vacuum");
        assert_eq!(mode, 2, "incremental from now on");
    }

    /// A database that already had objects before the history existed cannot answer a
    /// point-in-time restore to before the upgrade: history_since says from when it can.
    #[test]
    fn an_upgraded_database_has_history_from_the_upgrade_on() {
        use crate::store::TrashStore;
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        {
            let conn = rusqlite::Connection::open(&path).expect("open");
            for script in &super::super::migrations::MIGRATIONS[..4] {
                conn.execute_batch(script).expect("old schema");
            }
            conn.execute_batch(
                "PRAGMA user_version = 4; \
                 INSERT INTO accounts (id, login, display_name, password_hash, created) \
                 VALUES (1, 'old', 'Old', 'x', 0); \
                 INSERT INTO collections (id, owner, kind, name, created) \
                 VALUES (1, 1, 'calendar', 'cal', 0); \
                 INSERT INTO objects (collection, name, uid, etag, size, component, created, \
                 modified, revision, body) VALUES (1, 'a.ics', 'A', '\"e\"', 1, 'VEVENT', 0, 0, 1, x'41');",
            )
            .expect("old data");
        }
        let before = chrono::Utc::now().timestamp();
        let store = SqliteStore::open(&path).expect("upgrade");
        let since = store.history_since().expect("since");
        assert!(since >= before - 1, "{since} < {before}");
    }
}
