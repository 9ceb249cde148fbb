//! The trash and the version history: the records and [`TrashStore`], the part of the storage
//! contract that keeps them.
//!
//! Every replacement or deletion of an object keeps the object's previous state as a
//! [`Version`]; a deletion's version is a trash entry until it is restored or purged. A deleted
//! collection is kept as a [`TrashedCollection`] with its objects. The store keeps these and
//! applies restores atomically; how long they are kept (the plan's window), who may see them and
//! how a restore is decided (names, UIDs, target collection) is the `trash` module's business.
//! Times come from the store's [`super::clock::Clock`].

use super::{Account, CollectionKind, NewCollection, PutObject, StoreResult};

/// How a version stopped being the object's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionEnd {
    /// A later write replaced it (version history).
    Replaced,
    /// The object was deleted (a trash entry, unless restored).
    Deleted,
    /// Its collection was deleted (comes back with the collection).
    CollectionDeleted,
}

impl VersionEnd {
    /// Stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionEnd::Replaced => "replaced",
            VersionEnd::Deleted => "deleted",
            VersionEnd::CollectionDeleted => "collection-deleted",
        }
    }

    /// Reads the text form back.
    pub fn parse(text: &str) -> Option<VersionEnd> {
        [
            VersionEnd::Replaced,
            VersionEnd::Deleted,
            VersionEnd::CollectionDeleted,
        ]
        .into_iter()
        .find(|e| e.as_str() == text)
    }
}

/// Where a version belongs: a live collection, or one in the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionPlace {
    /// A live collection.
    Collection {
        /// Its id.
        id: i64,
        /// Its kind.
        kind: CollectionKind,
        /// Its name.
        name: String,
    },
    /// A collection in the trash.
    Trashed {
        /// The trashed collection's id.
        id: i64,
        /// Its kind.
        kind: CollectionKind,
        /// Its name when it was deleted.
        name: String,
    },
}

impl VersionPlace {
    /// Kind of the collection.
    pub fn kind(&self) -> CollectionKind {
        match self {
            VersionPlace::Collection { kind, .. } | VersionPlace::Trashed { kind, .. } => *kind,
        }
    }

    /// Name of the collection.
    pub fn name(&self) -> &str {
        match self {
            VersionPlace::Collection { name, .. } | VersionPlace::Trashed { name, .. } => name,
        }
    }

    /// The live collection's id, `None` when it is in the trash.
    pub fn live(&self) -> Option<i64> {
        match self {
            VersionPlace::Collection { id, .. } => Some(*id),
            VersionPlace::Trashed { .. } => None,
        }
    }
}

/// One earlier state of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Id (also the trash entry's id when this is a deletion).
    pub id: i64,
    /// Owner account id.
    pub owner: i64,
    /// The collection it belongs to.
    pub place: VersionPlace,
    /// Resource name.
    pub name: String,
    /// UID.
    pub uid: String,
    /// ETag it had.
    pub etag: String,
    /// Body size in bytes.
    pub size: i64,
    /// Component type (`VEVENT`, `VTODO`, `VCARD`, ...).
    pub component: String,
    /// When the object was created, Unix seconds.
    pub created: i64,
    /// When this version was written, Unix seconds.
    pub valid_from: i64,
    /// When a write or a deletion ended it (the deletion time for a trash entry).
    pub valid_to: i64,
    /// How it ended.
    pub ended: VersionEnd,
    /// Login of the account that deleted it (deletions only; `None` when unknown).
    pub deleted_by: Option<String>,
    /// A deletion undone by a restore: history now, no longer in the trash.
    pub restored: bool,
}

impl Version {
    /// True for a trash entry: a deletion of this object alone, not restored.
    pub fn in_trash(&self) -> bool {
        self.ended == VersionEnd::Deleted && !self.restored
    }
}

/// A deleted calendar or address book, restorable with its objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashedCollection {
    /// Id of the trash entry (not the id the collection had).
    pub id: i64,
    /// The collection as it was when deleted, with its dead properties. Its `id` is 0 (it has
    /// none while in the trash), `revision` and `min_revision` are the revision it had, and
    /// `used_bytes` what the objects that come back with it take.
    pub collection: super::Collection,
    /// When it was deleted.
    pub deleted_at: i64,
    /// Login of the account that deleted it.
    pub deleted_by: Option<String>,
    /// Objects that come back with it.
    pub objects: i64,
}

/// Where an entry stands in a newest-first listing: listings are ordered by `at` (when it
/// was deleted or replaced), then deleted collections before deleted objects, then `id`, all
/// descending, so a page can resume after the last entry of the previous one (the field
/// order is that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageKey {
    /// The entry's time, Unix seconds.
    pub at: i64,
    /// A deleted collection (ids of collections and of versions are apart).
    pub collection: bool,
    /// Its id.
    pub id: i64,
}

/// A page of a newest-first listing ([`TrashStore::trash`], [`TrashStore::versions`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// At most this many entries (of each kind, for the trash); `None`: all.
    pub limit: Option<usize>,
    /// Only the entries after this one.
    pub after: Option<PageKey>,
}

/// An account's trash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trash {
    /// Deleted objects (trash entries), most recent deletion first.
    pub objects: Vec<Version>,
    /// Deleted collections, most recent deletion first.
    pub collections: Vec<TrashedCollection>,
}

/// The version a restored object brings back, and what the restore does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreSource {
    /// A trash entry restored as such (an object, or a member of a trashed collection): it must
    /// still be in the trash when the restore is applied, and leaves it; otherwise nothing is
    /// done and the answer is [`super::StoreError::AlreadyRestored`]. This is what makes two
    /// concurrent restores of one entry (or a restore racing the purge) succeed at most once.
    Trash(i64),
    /// A version a point-in-time restore brings back: a deletion still in the trash leaves
    /// it; a replaced version, or a deletion restored before, stays as it is (a point-in-time
    /// restore may legitimately bring back content restored before).
    Version(i64),
}

/// Who deletes, recorded on what goes to the trash (a deletion, or what a restore or a
/// contact merge deletes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleter {
    /// An account (recorded by its login).
    Account(i64),
    /// The operator, on the command line (recorded as [`Deleter::OPERATOR`]).
    Operator,
}

impl Deleter {
    /// What the trash records as who deleted something the operator deleted: no login can
    /// be this (logins have no parentheses), so it never names an account.
    pub const OPERATOR: &'static str = "(operator)";
}

/// An object a restore writes.
#[derive(Debug, Clone)]
pub struct RestoredObject {
    /// The version it brings back.
    pub from: RestoreSource,
    /// Name, body, ETag and index to write (`quota` is ignored: the plan's is).
    pub object: PutObject,
}

/// A restore in one collection, applied all at once by [`TrashStore::apply_restore`].
#[derive(Debug, Clone, Default)]
pub struct RestorePlan {
    /// The collection revision the plan was decided at; when the collection has changed since,
    /// nothing is done and the answer is [`super::StoreError::PreconditionFailed`].
    pub revision: Option<i64>,
    /// Members to delete (to the trash), before the writes.
    pub delete: Vec<String>,
    /// Objects to write. Each must keep UIDs unique in the collection
    /// ([`super::StoreError::UidConflict`]).
    pub write: Vec<RestoredObject>,
    /// Whether a write may replace a live member of the same name (a point-in-time restore);
    /// otherwise a name in use is [`super::StoreError::AlreadyExists`].
    pub replace: bool,
    /// The time a point-in-time restore brings its members back to: the deletions of the names
    /// it writes that happened after it are undone, so their trash entries leave the trash
    /// (they stay in the history) instead of offering to restore what is live again.
    pub at: Option<i64>,
    /// Who does it (recorded on what `delete` sends to the trash; `None`: unknown).
    pub by: Option<Deleter>,
    /// Most bytes the owner's live objects may take afterwards
    /// ([`super::StoreError::QuotaExceeded`]); also the most its trash and history keep
    /// ([`TrashStore::trim_kept`]).
    pub quota: Option<i64>,
}

/// What [`TrashStore::apply_restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreOutcome {
    /// The collection's revision afterwards.
    pub revision: i64,
    /// Members deleted.
    pub deleted: usize,
    /// Members written.
    pub written: usize,
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Trash entries of objects.
    pub objects: i64,
    /// Trashed collections.
    pub collections: i64,
    /// Version rows of every kind (history, trash entries, collections' objects).
    pub versions: i64,
    /// Bytes freed.
    pub bytes: i64,
}

impl std::ops::AddAssign for Purged {
    fn add_assign(&mut self, other: Purged) {
        self.objects += other.objects;
        self.collections += other.collections;
        self.versions += other.versions;
        self.bytes += other.bytes;
    }
}

/// What an account's trash and history take. Neither counts against the storage quota (see
/// README "Trash and restore"): they are reported here, and shrink when purged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrashUsage {
    /// Bytes of deleted objects and collections (the trash).
    pub trash_bytes: i64,
    /// Bytes of earlier versions (the history, restored deletions included).
    pub history_bytes: i64,
}

/// Storage of the trash and the version history. Every method is one transaction.
pub trait TrashStore {
    /// The store's clock: the time it records on every write, Unix seconds.
    fn now(&self) -> i64;
    /// Since when the version history is complete (0: always was).
    fn history_since(&self) -> StoreResult<i64>;
    /// An account by id (trash entries name their owner by id).
    fn account_by_id(&self, id: i64) -> StoreResult<Option<Account>>;

    /// Deletes a member like [`super::Store::delete_object`] (which does the same with `by`
    /// unknown), recording who did; returns the trash entry's id.
    fn delete_object_by(
        &self,
        collection: i64,
        name: &str,
        condition: &super::WriteCondition,
        by: Option<Deleter>,
    ) -> StoreResult<i64>;
    /// Deletes a collection like [`super::Store::delete_collection`], recording who did;
    /// returns the trash entry's id.
    fn delete_collection_by(&self, id: i64, by: Option<Deleter>) -> StoreResult<i64>;

    /// A page of an account's trash, of the collections of `kinds` only: each list newest
    /// first and at most `page.limit` long (the caller merges them).
    fn trash(&self, owner: i64, kinds: &[CollectionKind], page: &Page) -> StoreResult<Trash>;
    /// Whether a live collection has a member called `name` (a restore looking for a free
    /// name asks this of each candidate, rather than listing the collection).
    fn member_exists(&self, collection: i64, name: &str) -> StoreResult<bool>;
    /// One version with its body.
    fn version(&self, id: i64) -> StoreResult<Option<(Version, Vec<u8>)>>;
    /// A page of the versions of member `name` of a live collection, newest first (no
    /// bodies).
    fn versions(&self, collection: i64, name: &str, page: &Page) -> StoreResult<Vec<Version>>;
    /// The versions (with bodies) that were the content of a live collection's members at
    /// time `at` (valid_from <= at < valid_to), only member `name` when given, by name.
    fn versions_at(
        &self,
        collection: i64,
        at: i64,
        name: Option<&str>,
    ) -> StoreResult<Vec<(Version, Vec<u8>)>>;
    /// One trashed collection.
    fn trashed_collection(&self, id: i64) -> StoreResult<Option<TrashedCollection>>;
    /// The objects (with bodies) that come back with a trashed collection, by name.
    fn trashed_collection_objects(&self, id: i64) -> StoreResult<Vec<(Version, Vec<u8>)>>;

    /// Applies a restore in a live collection: deletes, then writes, bumping the revision once
    /// and logging every change, all or nothing.
    fn apply_restore(&self, collection: i64, plan: &RestorePlan) -> StoreResult<RestoreOutcome>;
    /// Brings a trashed collection back as `new` (its name may differ; `new.limit` is checked)
    /// with `objects`, and moves its history and remaining trash entries to it. Its revision
    /// starts above the one it had, so sync tokens from before the deletion are refused. A
    /// trashed collection that is gone (restored or purged meanwhile) is
    /// [`super::StoreError::AlreadyRestored`].
    fn restore_collection(
        &self,
        trashed: i64,
        new: &NewCollection,
        objects: &[RestoredObject],
        quota: Option<i64>,
    ) -> StoreResult<super::Collection>;

    /// Accounts with anything kept, each with the time its oldest row ended (the earliest a
    /// purge could remove something).
    fn retention_owners(&self) -> StoreResult<Vec<(i64, i64)>>;
    /// Removes everything of `owner` that ended at or before `cutoff`: versions, trash entries
    /// and trashed collections with their objects.
    fn purge(&self, owner: i64, cutoff: i64) -> StoreResult<Purged>;
    /// Brings `owner`'s trash and history within `cap` bytes (its plan's storage quota, see
    /// README "Trash and restore"), and says what went: the oldest history versions first,
    /// then the oldest trash entries (a deleted collection as one, with all it holds).
    /// `put_object` ([`super::PutObject::quota`]) and `apply_restore` ([`RestorePlan::quota`])
    /// do the same inside their write; a deletion cannot (it does not know the plan), so
    /// whoever deletes calls this afterwards, and the purge does for every account.
    fn trim_kept(&self, owner: i64, cap: i64) -> StoreResult<Purged>;
    /// What an account's trash and history take.
    fn trash_usage(&self, owner: i64) -> StoreResult<TrashUsage>;
    /// Gives the space of removed rows back to the file system; the bytes the database shrank
    /// by. Without `full` only a database that frees pages incrementally does (every database
    /// this version creates), which is cheap; with `full` the whole database is rewritten
    /// (VACUUM: it takes a while, blocks writes meanwhile and needs as much free disk as the
    /// database), which also switches an older database to freeing pages incrementally.
    fn release_space(&self, full: bool) -> StoreResult<i64>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_ends_round_trip() {
        for end in [
            VersionEnd::Replaced,
            VersionEnd::Deleted,
            VersionEnd::CollectionDeleted,
        ] {
            assert_eq!(VersionEnd::parse(end.as_str()), Some(end));
        }
        assert_eq!(VersionEnd::parse("gone"), None);
    }
}
