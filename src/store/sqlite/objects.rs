//! Writes of one member inside the caller's transaction: a put (create or replace) and a
//! removal, with the checks they share. Every store method that writes members is one
//! transaction made of these (one put, a batch of puts, a move, a deletion to the trash), so a
//! PUT, an import and a MOVE keep exactly the same rules: conditions, UID uniqueness, quota,
//! the version history, query index rows, change log and revision.

use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{Context, collection_revisions, condition_holds};
use super::trash::{end_member, keep_version};
use super::{bump_collection, collection_not_found, upsert_change_row, upsert_object};
use crate::store::{PutObject, PutOutcome, StoreError, StoreResult, VersionEnd, WriteCondition};

/// Etag and size of a live member.
pub(super) fn member_state(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
) -> StoreResult<Option<(String, i64)>> {
    tx.prepare_cached("SELECT etag, size FROM objects WHERE collection = ?1 AND name = ?2")
        .and_then(|mut stmt| {
            stmt.query_row(params![collection, name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
        })
        .ctx(op)
}

/// The UID clash a write of `uid` under `name` would cause, as an error.
pub(super) fn uid_clash(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    uid: &str,
    name: &str,
) -> StoreResult<()> {
    let clash: Option<String> = tx
        .prepare_cached(
            "SELECT name FROM objects WHERE collection = ?1 AND uid = ?2 AND name <> ?3",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![collection, uid, name], |row| row.get(0))
                .optional()
        })
        .ctx(op)?;
    match clash {
        Some(existing) => Err(StoreError::UidConflict {
            uid: uid.to_owned(),
            existing,
        }),
        None => Ok(()),
    }
}

/// Bytes the owner of `collection` uses in live objects, from the per-collection counters: a
/// handful of rows.
pub(super) fn owner_usage(tx: &Transaction<'_>, op: &str, collection: i64) -> StoreResult<i64> {
    tx.prepare_cached(
        "SELECT COALESCE(SUM(used_bytes), 0) FROM collections \
         WHERE owner = (SELECT owner FROM collections WHERE id = ?1)",
    )
    .and_then(|mut stmt| stmt.query_row([collection], |row| row.get(0)))
    .ctx(op)
}

/// Creates or replaces member `object.name` of `collection` under `condition` at time `at`
/// (the store clock's), checking UID uniqueness and the quota, keeping a replaced member's
/// content as a [`VersionEnd::Replaced`] version, writing its index rows and change-log row
/// and bumping the collection revision.
///
/// Only growth of the owner's usage is refused: `freed` is what the same transaction already
/// freed of that owner's bytes (a MOVE's source in the same owner's collections), so a write
/// that keeps, shrinks or merely moves data passes even for an owner over the quota.
///
/// Every refusal (condition, UID clash, quota) happens before the first write, so a refused
/// put leaves nothing behind even inside a larger transaction: `put_objects` relies on it.
/// Keep new checks above the version and the INSERT.
#[allow(clippy::too_many_arguments)]
pub(super) fn put_in(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    object: &PutObject,
    condition: &WriteCondition,
    at: i64,
    freed: i64,
) -> StoreResult<PutOutcome> {
    let size = i64::try_from(object.body.len())
        .map_err(|_| StoreError::Backend(format!("{op}: body too large")))?;
    let (revision, _) = collection_revisions(tx, collection)
        .ctx(op)?
        .ok_or_else(|| collection_not_found(collection))?;
    let current = member_state(tx, op, collection, &object.name)?;
    let old_size = current.as_ref().map_or(0, |(_, size)| *size);
    if !condition_holds(current.as_ref().map(|(etag, _)| etag.as_str()), condition) {
        return Err(StoreError::PreconditionFailed);
    }
    uid_clash(tx, op, collection, &object.index.uid, &object.name)?;
    // Only growth is refused: an edit that keeps or shrinks the object always passes, even for
    // an owner already over the quota (a smaller plan, a lowered quota).
    if let Some(quota) = object.quota.filter(|_| size > old_size + freed) {
        let used = owner_usage(tx, op, collection)?;
        if used - old_size + size > quota {
            return Err(StoreError::QuotaExceeded { used, quota });
        }
    }
    let revision = revision + 1;
    let replacing = current.is_some();
    write_member(tx, op, collection, object, size, revision, at, replacing)?;
    bump_collection(tx, op, collection, revision, size - old_size)?;
    upsert_change_row(tx, op, collection, &object.name, revision)?;
    Ok(PutOutcome {
        created: !replacing,
        etag: object.etag.clone(),
    })
}

/// Writes member `object.name` of `collection` at `revision` and time `at`, with its index
/// rows; when `replacing`, its current content first joins the version history as
/// [`VersionEnd::Replaced`]. The caller checked conditions, UIDs and quota, and bumps the
/// collection and logs the change. Every write of a member goes through here (puts, restores),
/// so none replaces content without keeping it.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_member(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    object: &PutObject,
    size: i64,
    revision: i64,
    at: i64,
    replacing: bool,
) -> StoreResult<i64> {
    if replacing {
        keep_version(
            tx,
            op,
            collection,
            &object.name,
            VersionEnd::Replaced,
            at,
            None,
        )?;
    }
    upsert_object(tx, op, collection, object, size, revision, at, replacing)
}

/// How a removed member ends, and who removed it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Removal<'a> {
    /// [`VersionEnd::Deleted`] for a deletion (a trash entry), [`VersionEnd::Replaced`] for a
    /// member that lives on elsewhere (a MOVE's source: history, not trash).
    pub ended: VersionEnd,
    /// When, from the store clock.
    pub at: i64,
    /// Login of the account that deleted it, when known (deletions only).
    pub by: Option<&'a str>,
}

/// Removes member `name` of `collection` under `condition`: its content joins the version
/// history as `removal` says, a tombstone stays in the change log and the collection revision
/// is bumped. Returns the version's id (the trash entry's, for a deletion).
pub(super) fn remove_in(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    condition: &WriteCondition,
    removal: Removal<'_>,
) -> StoreResult<i64> {
    let (revision, _) = collection_revisions(tx, collection)
        .ctx(op)?
        .ok_or_else(|| collection_not_found(collection))?;
    let (current, size) = member_state(tx, op, collection, name)?
        .ok_or_else(|| StoreError::NotFound(format!("object {name}")))?;
    if !condition_holds(Some(&current), condition) {
        return Err(StoreError::PreconditionFailed);
    }
    let revision = revision + 1;
    let id = end_member(tx, op, collection, name, revision, removal)?;
    bump_collection(tx, op, collection, revision, -size)?;
    Ok(id)
}
