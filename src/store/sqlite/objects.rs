//! Writes of one member inside the caller's transaction: a put (create or replace) and a
//! removal, with the checks they share. Every store method that writes members is one
//! transaction made of these (one put, a batch of puts, a move, a deletion to the trash), so a
//! PUT, an import and a MOVE keep exactly the same rules: conditions, UID uniqueness, quota,
//! the version history, query index rows, change log and revision.

use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::{Context, collection_revisions, condition_holds};
use super::trash::{end_member, keep_version, trim_kept};
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

/// The account that owns `collection`.
pub(super) fn collection_owner(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
) -> StoreResult<i64> {
    tx.prepare_cached("SELECT owner FROM collections WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([collection], |row| row.get(0)).optional())
        .ctx(op)?
        .ok_or_else(|| collection_not_found(collection))
}

/// Keeps the trash and history of the owner of `collection` within `cap` bytes (its plan's
/// quota, [`PutObject::quota`]) after a write of the caller's transaction added a version to
/// them: the oldest go first (`trash::trim_kept`).
pub(super) fn trim_after_write(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    cap: Option<i64>,
) -> StoreResult<()> {
    if let Some(cap) = cap {
        let owner = collection_owner(tx, op, collection)?;
        trim_kept(tx, op, owner, cap)?;
    }
    Ok(())
}

/// Creates or replaces member `object.name` of `collection` under `condition` at time `at`
/// (the store clock's), checking UID uniqueness and the quota, keeping a replaced member's
/// content as a [`VersionEnd::Replaced`] version, writing its index rows and change-log row
/// and bumping the collection revision. The owner's trash and history are then trimmed to the
/// quota ([`PutObject::quota`]) when the write added to them.
///
/// Writing the ETag the member already has (the same bytes) changes nothing at all: no
/// version, no revision, no change for sync-collection (RFC 6578 reports changed members
/// only), whichever path writes it (a PUT, an import, a COPY or MOVE, a merged contact).
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
    if current
        .as_ref()
        .is_some_and(|(etag, _)| *etag == object.etag)
    {
        // The same bytes again: nothing to keep, nothing for clients to fetch.
        return Ok(PutOutcome {
            created: false,
            etag: object.etag.clone(),
        });
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
    let replaces = if current.is_some() {
        Replaces::Content
    } else {
        Replaces::Nothing
    };
    write_member(tx, op, collection, object, size, revision, at, replaces)?;
    bump_collection(tx, op, collection, revision, size - old_size)?;
    upsert_change_row(tx, op, collection, &object.name, revision)?;
    if replaces == Replaces::Content {
        trim_after_write(tx, op, collection, object.quota)?;
    }
    Ok(PutOutcome {
        created: replaces == Replaces::Nothing,
        etag: object.etag.clone(),
    })
}

/// What a write of a member replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Replaces {
    /// Nothing: the member is new.
    Nothing,
    /// A live member, whose content the write keeps as a [`VersionEnd::Replaced`] version.
    Content,
    /// A live member whose content the caller has kept already, in the same transaction: a
    /// restore keeps everything it replaces before it parks their UIDs (`trash::park_uids`),
    /// so that the versions hold the UIDs the members had.
    KeptContent,
}

/// Writes member `object.name` of `collection` at `revision` and time `at`, with its index
/// rows; when it replaces a member's [`Replaces::Content`], that content first joins the
/// version history as [`VersionEnd::Replaced`]. The caller checked conditions, UIDs and quota,
/// and bumps the collection and logs the change. Every write of a member goes through here
/// (puts, restores), so none replaces content without keeping it.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_member(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    object: &PutObject,
    size: i64,
    revision: i64,
    at: i64,
    replaces: Replaces,
) -> StoreResult<i64> {
    if replaces == Replaces::Content {
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
    let replacing = replaces != Replaces::Nothing;
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
/// is bumped. Returns the version's id (the trash entry's, for a deletion), `None` when none
/// was kept ([`end_member`]).
pub(super) fn remove_in(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    name: &str,
    condition: &WriteCondition,
    removal: Removal<'_>,
) -> StoreResult<Option<i64>> {
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
