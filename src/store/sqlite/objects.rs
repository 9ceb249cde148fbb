//! Writes of one member inside the caller's transaction: a put (create or replace) and a
//! delete. Every store method that writes members is one transaction made of these (one put,
//! a batch of puts, a move), so a PUT, an import and a MOVE keep exactly the same rules:
//! conditions, UID uniqueness, quota, query index rows, change log and revision.

use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{Context, collection_revisions, condition_holds, now};
use super::{bump_collection, collection_not_found, upsert_change_row, write_query_indexes};
use crate::store::{PutObject, PutOutcome, StoreError, StoreResult, WriteCondition};

/// Creates or replaces member `object.name` of `collection` under `condition`, checking UID
/// uniqueness and the quota, writing its index rows and change-log row and bumping the
/// collection revision.
///
/// Every refusal (condition, UID clash, quota) happens before the first write, so a refused
/// put leaves nothing behind even inside a larger transaction: `put_objects` relies on it.
/// Keep new checks above the INSERT.
pub(super) fn put_in(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    object: &PutObject,
    condition: &WriteCondition,
) -> StoreResult<PutOutcome> {
    let size = i64::try_from(object.body.len())
        .map_err(|_| StoreError::Backend(format!("{op}: body too large")))?;
    let (revision, _) = collection_revisions(tx, collection)
        .ctx(op)?
        .ok_or_else(|| collection_not_found(collection))?;
    let current: Option<(String, i64)> = tx
        .prepare_cached("SELECT etag, size FROM objects WHERE collection = ?1 AND name = ?2")
        .and_then(|mut stmt| {
            stmt.query_row(params![collection, object.name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
        })
        .ctx(op)?;
    let old_size = current.as_ref().map_or(0, |(_, size)| *size);
    if !condition_holds(current.as_ref().map(|(etag, _)| etag.as_str()), condition) {
        return Err(StoreError::PreconditionFailed);
    }
    let clash: Option<String> = tx
        .prepare_cached(
            "SELECT name FROM objects WHERE collection = ?1 AND uid = ?2 AND name <> ?3",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![collection, object.index.uid, object.name], |row| {
                row.get(0)
            })
            .optional()
        })
        .ctx(op)?;
    if let Some(existing) = clash {
        return Err(StoreError::UidConflict {
            uid: object.index.uid.clone(),
            existing,
        });
    }
    if let Some(quota) = object.quota {
        // The owner's usage from the per-collection counters: a handful of rows.
        let used: i64 = tx
            .prepare_cached(
                "SELECT COALESCE(SUM(used_bytes), 0) FROM collections \
                 WHERE owner = (SELECT owner FROM collections WHERE id = ?1)",
            )
            .and_then(|mut stmt| stmt.query_row(params![collection], |row| row.get(0)))
            .ctx(op)?;
        if used - old_size + size > quota {
            return Err(StoreError::QuotaExceeded { used, quota });
        }
    }
    let revision = revision + 1;
    let modified = now();
    let index = &object.index;
    // `created` is only written by the INSERT branch, so an update keeps the original.
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
    write_query_indexes(tx, op, collection, id, index, current.is_some())?;
    bump_collection(tx, op, collection, revision, size - old_size)?;
    upsert_change_row(tx, op, collection, &object.name, revision)?;
    Ok(PutOutcome {
        created: current.is_none(),
        etag: object.etag.clone(),
    })
}

/// Deletes member `name` of `collection` under `condition`, leaving a tombstone in the change
/// log and bumping the collection revision.
pub(super) fn delete_in(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    condition: &WriteCondition,
) -> StoreResult<()> {
    let (revision, _) = collection_revisions(tx, collection)
        .ctx(op)?
        .ok_or_else(|| collection_not_found(collection))?;
    let (current, size): (String, i64) = tx
        .prepare_cached("SELECT etag, size FROM objects WHERE collection = ?1 AND name = ?2")
        .and_then(|mut stmt| {
            stmt.query_row(params![collection, name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
        })
        .ctx(op)?
        .ok_or_else(|| StoreError::NotFound(format!("object {name}")))?;
    if !condition_holds(Some(&current), condition) {
        return Err(StoreError::PreconditionFailed);
    }
    tx.prepare_cached("DELETE FROM objects WHERE collection = ?1 AND name = ?2")
        .and_then(|mut stmt| stmt.execute(params![collection, name]))
        .ctx(op)?;
    let revision = revision + 1;
    bump_collection(tx, op, collection, revision, -size)?;
    // The row stays as a tombstone: its object is gone, so changes_since reports Deleted.
    upsert_change_row(tx, op, collection, name, revision)?;
    Ok(())
}
