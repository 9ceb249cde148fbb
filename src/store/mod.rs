//! Storage: the records the server keeps and the [`Store`] trait every backend implements.
//!
//! The store never sees XML, HTTP or iCalendar text as such: it keeps object bodies as opaque
//! bytes next to the index values it is handed, and collection properties as plain values.
//! Only `app`, `cli` and tests name [`sqlite`]; everything else goes through the trait so that a
//! PostgreSQL backend can be added without touching protocol code.

pub mod clock;
#[cfg(test)]
pub(crate) mod contract;
pub mod dates;
pub mod etag;
pub mod org;
pub mod session;
pub mod share;
pub mod sqlite;
pub mod trash;

use std::fmt;

pub use dates::{ContactDate, ContactDates, DateKind, MemberDate};
pub use etag::etag_of;
pub use org::{
    Authority, DirectoryChanges, Invitation, LegalContact, Member, MemberUpdate, NewMember, NewOrg,
    Notices, Org, OrgStore, Placement, ProductAccess, Role, Team,
};
pub use session::{NewSession, Session, SessionStore};
pub use share::{
    Grantee, LinkFilter, LinkLimit, NewLink, NewShare, PublicLink, Share, ShareAccess, ShareFilter,
    ShareRoute, ShareStore, ShareView, SharedCollection, Sharee,
};
pub use trash::{
    Deleter, Page, PageKey, Purged, RestoreOutcome, RestorePlan, RestoreSource, RestoredObject,
    Trash, TrashStore, TrashUsage, TrashedCollection, Version, VersionEnd, VersionPlace,
};

/// Which content a collection holds; decides its URL namespace and its validation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionKind {
    /// A CalDAV calendar (RFC 4791).
    Calendar,
    /// A CardDAV address book (RFC 6352).
    AddressBook,
}

impl CollectionKind {
    /// Stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CollectionKind::Calendar => "calendar",
            CollectionKind::AddressBook => "addressbook",
        }
    }

    /// Reads the text form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<CollectionKind> {
        [CollectionKind::Calendar, CollectionKind::AddressBook]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// What sort of principal an account is. Only individuals exist today; rooms and resources
/// arrive with scheduling, and the model already has room for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A person.
    Individual,
}

/// A user account: who can log in and owns calendars and address books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Internal id, never shown in URLs.
    pub id: i64,
    /// Login name, also the path segment of the principal and homes.
    pub login: String,
    /// Human name shown by clients.
    pub display_name: String,
    /// E-mail address, published as `mailto:` in calendar-user-address-set.
    pub email: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Principal kind.
    pub kind: PrincipalKind,
    /// Creation time, Unix seconds.
    pub created: i64,
}

/// Input for [`Store::create_account`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login name (already validated by the caller).
    pub login: String,
    /// Human name.
    pub display_name: String,
    /// Optional e-mail.
    pub email: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Its first organisation, created or joined with it.
    pub organisation: Placement,
    /// Collections created in the same transaction (the default calendar and address book).
    pub collections: Vec<NewCollection>,
}

/// Settable, server-understood properties of a collection. `None` means "not set".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionProps {
    /// DAV:displayname.
    pub display_name: Option<String>,
    /// CALDAV:calendar-description or CARDDAV:addressbook-description.
    pub description: Option<String>,
    /// Apple calendar-color (`#RRGGBB` or `#RRGGBBAA`).
    pub color: Option<String>,
    /// Apple calendar-order, kept as text as clients send it.
    pub order: Option<String>,
    /// CALDAV:calendar-timezone: a VCALENDAR with one VTIMEZONE, as sent.
    pub timezone: Option<String>,
}

/// A property in a namespace the server does not interpret, kept as the client sent it (RFC 4918
/// §4.3 dead properties). `value` is the serialized inner XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadProp {
    /// Namespace URI.
    pub namespace: String,
    /// Local name.
    pub name: String,
    /// Inner XML, self-contained (namespace declarations included).
    pub value: String,
}

/// A calendar or address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// Internal id.
    pub id: i64,
    /// Owner account id.
    pub owner: i64,
    /// Calendar or address book.
    pub kind: CollectionKind,
    /// Path segment in the owner's home.
    pub name: String,
    /// Component types a calendar accepts (`VEVENT`, `VTODO`, ...); empty for address books.
    pub components: Vec<String>,
    /// Live settable properties.
    pub props: CollectionProps,
    /// Dead properties.
    pub dead: Vec<DeadProp>,
    /// Current revision: bumped by every change to a member; sync tokens and getctag derive from it.
    pub revision: i64,
    /// Oldest revision a sync token may name and still be answered incrementally.
    pub min_revision: i64,
    /// Position in the home listing (the default collection is 0 so it is listed first).
    pub position: i64,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Sum of member body sizes in bytes.
    pub used_bytes: i64,
}

/// Input for creating a collection.
#[derive(Debug, Clone)]
pub struct NewCollection {
    /// Calendar or address book.
    pub kind: CollectionKind,
    /// Path segment.
    pub name: String,
    /// Accepted components (calendars only).
    pub components: Vec<String>,
    /// Initial properties.
    pub props: CollectionProps,
    /// Initial dead properties.
    pub dead: Vec<DeadProp>,
    /// Listing position.
    pub position: i64,
    /// Most collections of this kind the owner may have once this one exists (a plan limit,
    /// checked inside the creating transaction); `None`: no limit.
    pub limit: Option<i64>,
}

/// A change to one collection property in a PROPPATCH; applied all together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropChange {
    /// Set or clear (None) a live property.
    Live(LiveProp, Option<String>),
    /// Set (Some) or remove (None) a dead property.
    Dead {
        /// Namespace URI.
        namespace: String,
        /// Local name.
        name: String,
        /// Inner XML to keep, or None to remove.
        value: Option<String>,
    },
}

/// The live collection properties a client may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveProp {
    /// DAV:displayname.
    DisplayName,
    /// Calendar or address book description.
    Description,
    /// Apple calendar-color.
    Color,
    /// Apple calendar-order.
    Order,
    /// CALDAV:calendar-timezone.
    Timezone,
}

/// Metadata of a stored object: everything a listing needs without reading bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Resource name (last path segment, decoded).
    pub name: String,
    /// The UID inside the object.
    pub uid: String,
    /// Strong ETag including the quotes.
    pub etag: String,
    /// Body size in bytes.
    pub size: i64,
    /// Component type (`VEVENT`, `VTODO`, `VJOURNAL`, `VCARD`, ...).
    pub component: String,
    /// Last modification, Unix seconds.
    pub modified: i64,
    /// Creation, Unix seconds.
    pub created: i64,
    /// Collection revision at the last change.
    pub revision: i64,
    /// True when the indexed span answers time-range queries exactly (see [`ObjectIndex`]).
    pub span_exact: bool,
}

/// A stored object with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// Metadata.
    pub meta: ObjectMeta,
    /// Exactly the bytes the client stored.
    pub body: Vec<u8>,
}

/// Index values extracted from an object on write, used by queries without parsing bodies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectIndex {
    /// UID.
    pub uid: String,
    /// Main component type.
    pub component: String,
    /// Earliest instant the object covers, Unix seconds (None: unknown or no time).
    pub first_start: Option<i64>,
    /// Latest instant the object covers, Unix seconds (None: open-ended or no time).
    pub last_end: Option<i64>,
    /// True when `first_start..last_end` answers every time-range query exactly (a single
    /// instance at fixed instants); false for recurring or floating objects, which queries
    /// check against their content.
    pub span_exact: bool,
    /// UTC `[start, end)` of every instance of a recurring object (sorted, no duplicates), from
    /// its first instance up to `instances_until`; empty for other objects. A zero-length
    /// instance (`start == end`) matches a time range `[s, e)` when `s <= start < e` (RFC 4791
    /// §9.9 rows for DURATION=0 and DTSTART-only), any other instance when it overlaps it.
    /// Lets a time-range query decide a recurring object without parsing its body.
    pub instances: Vec<(i64, i64)>,
    /// How far `instances` is complete: every instance starting before this instant is listed
    /// (`Some(i64::MAX)`: the whole series is). `None`: the object is not instance-indexed
    /// (not recurring, or the expansion was not trustworthy) and queries must check its
    /// content. `None` is the default on purpose, so an index built without expansion can never
    /// make a query skip an object.
    pub instances_until: Option<i64>,
    /// True when the instances depend on the viewer's time zone (DATE or floating values):
    /// `instances` then holds them read as UTC, and queries still check the content.
    pub instances_floating: bool,
    /// True when every time range that strictly contains `first_start..last_end` (starts
    /// before it and ends after it) matches the object: one VEVENT instance, floating or not,
    /// whose span is a superset of that instance. Decides most floating and all-day events of
    /// a query without parsing them; false (the default) is always safe.
    pub contained_match: bool,
    /// How every instance shows in free-busy, when they all show alike (a VEVENT whose master
    /// and overrides have the same TRANSP/STATUS class); `None` (the default, always safe) when
    /// free-busy must read the content.
    pub busy: Option<BusyKind>,
    /// Searchable vCard text: (property name in upper case, value with escapes resolved and
    /// folded with the `i;unicode-casemap` key of RFC 5051), one entry per distinct pair. Only
    /// the properties a contacts search uses are listed (see `ical::index::TEXT_PROPS`); empty
    /// for calendar objects. Lets addressbook-query prefilter with [`Store::find_by_text`].
    pub text: Vec<(String, String)>,
    /// The yearly dates of a vCard (birthdays, anniversaries), distinct; empty for calendar
    /// objects. Lets the birthday calendar read them with [`Store::contact_dates`].
    pub dates: Vec<ContactDate>,
}

/// What must hold for a write to go ahead (HTTP conditional headers, RFC 7232).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteCondition {
    /// No condition.
    None,
    /// `If-None-Match: *`: the resource must not exist.
    MustNotExist,
    /// `If-Match: *`: the resource must exist.
    MustExist,
    /// `If-Match: "etag"`: the resource must exist with one of these ETags.
    EtagIn(Vec<String>),
    /// `If-None-Match: "etag"`: the resource must not have any of these ETags.
    EtagNotIn(Vec<String>),
}

impl WriteCondition {
    /// Whether the condition holds for a resource whose current ETag is `current` (None:
    /// absent). `If-Match` uses the strong comparison and `If-None-Match` the weak one (RFC
    /// 7232 §3.1, §3.2); stored ETags are always strong, so weak comparison only means ignoring
    /// a `W/` on the client's tag.
    pub fn holds(&self, current: Option<&str>) -> bool {
        match self {
            WriteCondition::None => true,
            WriteCondition::MustNotExist => current.is_none(),
            WriteCondition::MustExist => current.is_some(),
            WriteCondition::EtagIn(tags) => {
                current.is_some_and(|etag| tags.iter().any(|t| t == etag))
            }
            WriteCondition::EtagNotIn(tags) => current.is_none_or(|etag| {
                !tags
                    .iter()
                    .any(|t| t.strip_prefix("W/").unwrap_or(t) == etag)
            }),
        }
    }
}

/// Input for [`Store::put_object`].
#[derive(Debug, Clone)]
pub struct PutObject {
    /// Resource name.
    pub name: String,
    /// The client's bytes.
    pub body: Vec<u8>,
    /// Strong ETag for `body`, including quotes.
    pub etag: String,
    /// Extracted index.
    pub index: ObjectIndex,
    /// Most bytes the collection owner's objects (all collections) may take after this write;
    /// checked inside the write's transaction so concurrent writes cannot both slip past it.
    /// Also the most the owner's trash and history keep: the write trims them to it
    /// ([`TrashStore::trim_kept`]).
    pub quota: Option<i64>,
}

/// How the instances of a calendar object show in free-busy (RFC 4791 §7.10), as indexed at
/// write time so free-busy need not parse the objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusyKind {
    /// Not at all: TRANSP:TRANSPARENT or STATUS:CANCELLED.
    Free,
    /// FBTYPE=BUSY.
    Busy,
    /// FBTYPE=BUSY-TENTATIVE (STATUS:TENTATIVE).
    Tentative,
}

/// Which members [`Store::find_candidates`] returns, answered from the index columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFilter {
    /// Only these component types (empty: any).
    pub components: Vec<String>,
    /// Only objects whose span may reach past this instant (Unix seconds): `last_end` unknown
    /// or later than it; for spans that are not exact, also equal to it (a zero-length event
    /// at the start of a range matches, RFC 4791 §9.9).
    pub start: Option<i64>,
    /// Only objects whose span may begin before this instant: `first_start` unknown or
    /// earlier than it; for spans that are not exact, also equal to it.
    pub end: Option<i64>,
    /// Read every candidate's body too (a report that returns calendar-data); without it only
    /// the undecided candidates' bodies are read, since the caller must check those.
    pub bodies: bool,
}

/// One member [`Store::find_candidates`] could not rule out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its metadata.
    pub meta: ObjectMeta,
    /// True when the index alone has established that the object meets the filter's time
    /// range (an exact span, or a complete instance index that is not floating and covers the
    /// window), so the caller must not parse it for the time range; false when the caller has
    /// to check the content. Always true when the filter has no time range.
    pub decided: bool,
    /// The body, when the filter asked for bodies or the candidate is undecided.
    pub body: Option<Vec<u8>>,
}

/// Busy time of a calendar over a window, as [`Store::find_busy`] finds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusyScan {
    /// Busy `[start, end)` periods (Unix seconds, not clipped to the window) the index knows:
    /// the spans of single busy events and the instances of busy series.
    pub known: Vec<(i64, i64, BusyKind)>,
    /// Bodies of the objects the index cannot answer for (floating times, mixed overrides,
    /// VFREEBUSY components, series past their instance index), to be read by the caller.
    pub unknown: Vec<Object>,
}

/// How [`Store::find_by_text`] compares the folded needle with the folded values
/// (RFC 4790 §4.2 match types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatchType {
    /// The whole value equals the needle.
    Equals,
    /// The needle occurs anywhere in the value.
    Contains,
    /// The value begins with the needle.
    StartsWith,
    /// The value ends with the needle.
    EndsWith,
}

/// One write of [`Store::put_objects`]: an object and the condition it is written under.
#[derive(Debug, Clone)]
pub struct ConditionalPut {
    /// The object.
    pub object: PutObject,
    /// What must hold for this object's write (checked against the state left by the writes
    /// before it in the batch).
    pub condition: WriteCondition,
}

/// Input for [`Store::move_object`]: a member leaves one collection and arrives in another (or
/// under another name in the same one), in one transaction.
#[derive(Debug, Clone, Copy)]
pub struct ObjectMove<'a> {
    /// Collection the object leaves.
    pub from: i64,
    /// Its name there.
    pub name: &'a str,
    /// What must hold for the source (its ETag as read, or the client's `If-Match`).
    pub from_condition: &'a WriteCondition,
    /// Collection it arrives in (may be `from`).
    pub to: i64,
    /// The object as written at the destination (name, body, index checked for it, quota).
    pub object: &'a PutObject,
    /// What must hold at the destination (`Overwrite: F` is [`WriteCondition::MustNotExist`]).
    pub to_condition: &'a WriteCondition,
    /// The storage quota of the source's owner: the source's content joins that owner's
    /// history, which keeps at most this much ([`TrashStore::trim_kept`]; `None`: no limit).
    pub source_quota: Option<i64>,
}

/// Result of a successful put.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutOutcome {
    /// True when the resource did not exist before.
    pub created: bool,
    /// The new ETag.
    pub etag: String,
}

/// One entry of a change log answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The member exists now (created or modified since the token).
    Present(ObjectMeta),
    /// The member was deleted since the token.
    Deleted(String),
}

/// Answer of [`Store::changes_since`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changes in revision order, at most `limit` of them.
    pub changes: Vec<Change>,
    /// Revision the client is at after applying `changes` (the new sync token).
    pub revision: i64,
    /// True when `limit` cut the list short.
    pub truncated: bool,
}

/// Errors every store backend reports; the protocol layers map them to DAV conditions.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A login, collection name or object name that must be unique already exists.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// The referenced account, collection or object does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// Another object in the collection has the same UID.
    #[error("UID {uid} is already used by {existing}")]
    UidConflict {
        /// The clashing UID.
        uid: String,
        /// Name of the object that holds it.
        existing: String,
    },
    /// A [`WriteCondition`] did not hold, or the state an organisation change was decided on
    /// (a member's role, a plan) changed meanwhile.
    #[error("precondition failed")]
    PreconditionFailed,
    /// The change would leave an organisation with members but no legal owner.
    #[error("organisation {0} would be left without a legal owner")]
    LastLegalOwner(String),
    /// The organisation already has as many members as allowed.
    #[error("the organisation may have at most {0} member(s)")]
    MemberLimit(i64),
    /// The owner already has as many collections of the kind as [`NewCollection::limit`] allows.
    #[error("at most {0} collection(s) of this kind")]
    CollectionLimit(i64),
    /// The write would take the owner past [`PutObject::quota`].
    #[error("quota of {quota} bytes exceeded ({used} bytes used)")]
    QuotaExceeded {
        /// Bytes used before the write.
        used: i64,
        /// The quota.
        quota: i64,
    },
    /// The organisation already created as many public links this month as its plan allows.
    #[error("at most {0} public link(s) per month")]
    PublicLinkLimit(i64),
    /// A sync token names a revision the change log cannot answer.
    #[error("sync token out of range")]
    InvalidSyncToken,
    /// A restore's trash entry is no longer in the trash: another restore took it out, or the
    /// purge removed it, since it was read (see [`RestoreSource::Trash`]).
    #[error("{0} was already restored or purged")]
    AlreadyRestored(String),
    /// The backend failed (I/O, corruption, ...).
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Result type of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// The storage contract. Every method is one transaction: it either fully happens or not at all.
///
/// Synchronous on purpose: callers run on a blocking thread (the HTTP layer hands each request to
/// tokio's blocking pool), which keeps backends simple and transactions short.
pub trait Store: OrgStore + ShareStore + TrashStore + SessionStore + Send + Sync {
    /// Creates an account with its first membership (a new organisation or one it joins, see
    /// [`Placement`]) and initial collections in one transaction.
    fn create_account(&self, new: &NewAccount) -> StoreResult<Account>;
    /// Finds an account by login name.
    fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>>;
    /// All accounts ordered by login.
    fn list_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Number of accounts (the first start creates one when it is zero).
    fn count_accounts(&self) -> StoreResult<i64>;
    /// Replaces an account's password hash.
    fn set_password_hash(&self, login: &str, hash: &str) -> StoreResult<()>;
    /// Deletes an account and everything it owns, organisations it is the only member of
    /// included. Refused with [`StoreError::LastLegalOwner`] when it is the last legal owner of
    /// an organisation that has other members.
    fn remove_account(&self, login: &str) -> StoreResult<()>;

    /// Creates a collection owned by `owner`.
    fn create_collection(&self, owner: i64, new: &NewCollection) -> StoreResult<Collection>;
    /// Finds a collection by owner, kind and name.
    fn collection(
        &self,
        owner: i64,
        kind: CollectionKind,
        name: &str,
    ) -> StoreResult<Option<Collection>>;
    /// All collections of a kind owned by `owner`, by position then name.
    fn list_collections(&self, owner: i64, kind: CollectionKind) -> StoreResult<Vec<Collection>>;
    /// Applies PROPPATCH changes all together and returns the updated collection.
    fn update_collection(&self, id: i64, changes: &[PropChange]) -> StoreResult<Collection>;
    /// Deletes a collection and its members: they go to the trash together (see
    /// [`TrashStore::delete_collection_by`]).
    fn delete_collection(&self, id: i64) -> StoreResult<()>;

    /// Metadata of every member, ordered by name; no bodies are read.
    fn list_objects(&self, collection: i64) -> StoreResult<Vec<ObjectMeta>>;
    /// The members that may meet `filter`, ordered by name, each telling whether the index
    /// already decided its time range ([`Candidate::decided`]): the members of the filter's
    /// components whose indexed span may meet the window (see [`ObjectFilter`]), except that a
    /// recurring object whose complete, non-floating instance index covers the window is
    /// returned only when one of its instances meets the window, and then as decided. A window
    /// is covered when its end (unbounded: `i64::MAX`) is at most the object's
    /// `instances_until`. Exact spans, and spans with `contained_match` strictly inside a
    /// bounded window, are decided too.
    fn find_candidates(
        &self,
        collection: i64,
        filter: &ObjectFilter,
    ) -> StoreResult<Vec<Candidate>>;
    /// The busy time of the VEVENT and VFREEBUSY members over `[start, end)`: what the index
    /// answers (objects with a known [`ObjectIndex::busy`] and an exact span or an instance
    /// index covering the window; free ones contribute nothing), and the bodies of the rest.
    fn find_busy(&self, collection: i64, start: i64, end: i64) -> StoreResult<BusyScan>;
    /// Names (sorted, distinct) of the members with a text index entry for `prop` (upper case)
    /// whose folded value matches `folded_needle` under `how`, plus every member written before
    /// the text index existed (not yet indexed, so never left out). The needle must already be
    /// folded with the same key as the stored values; comparison is exact on those keys (no
    /// pattern characters). A superset of the cards a text-match on `prop` selects only under
    /// the conditions documented at `ical::index::TEXT_PROPS`.
    fn find_by_text(
        &self,
        collection: i64,
        prop: &str,
        folded_needle: &str,
        how: TextMatchType,
    ) -> StoreResult<Vec<String>>;
    /// The yearly dates of the members of `collections` (unknown ids contribute nothing), from
    /// the date index in one read, plus the cards written before that index existed, with
    /// their bodies (see [`ContactDates::unindexed`]).
    fn contact_dates(&self, collections: &[i64]) -> StoreResult<ContactDates>;
    /// One member with its body.
    fn get_object(&self, collection: i64, name: &str) -> StoreResult<Option<Object>>;
    /// Several members with bodies in one query; missing names are simply absent from the answer.
    fn get_objects(&self, collection: i64, names: &[String]) -> StoreResult<Vec<Object>>;
    /// Creates or replaces a member, checking `condition` and UID uniqueness, writing the change
    /// log row and bumping the collection revision, all in one transaction. A replaced member's
    /// previous content is kept as a [`Version`]; a new member costs nothing more. Writing the
    /// ETag the member already has (the same bytes) changes nothing at all: no version, no
    /// revision, no change for sync-collection (RFC 6578 reports changed members only).
    fn put_object(
        &self,
        collection: i64,
        object: &PutObject,
        condition: &WriteCondition,
    ) -> StoreResult<PutOutcome>;
    /// Deletes a member (with `condition`), leaving a tombstone in the change log; the member
    /// goes to the trash (see [`TrashStore::delete_object_by`]).
    fn delete_object(
        &self,
        collection: i64,
        name: &str,
        condition: &WriteCondition,
    ) -> StoreResult<()>;
    /// Writes several members in ONE transaction, each under its own condition and with the
    /// rules of [`Store::put_object`]; an item that fails (condition, UID clash, quota) leaves
    /// nothing of itself and does not stop the others. Answers one result per item, in order;
    /// the outer error is a failure of the whole batch (no collection, backend), which keeps
    /// none of it. Imports use it: writing thousands of items one transaction each would cost
    /// a commit per item. Like a put, a replaced member's previous content is kept as a
    /// [`Version`].
    fn put_objects(
        &self,
        collection: i64,
        puts: &[ConditionalPut],
    ) -> StoreResult<Vec<StoreResult<PutOutcome>>>;
    /// Moves a member (COPY's sibling, RFC 4918 §9.9) in one transaction: the source is removed
    /// (tombstone and revision bump in its collection) and the object written at the
    /// destination with the rules of [`Store::put_object`], so it is never in both places or
    /// in neither. The source is removed first, so a rename inside one collection does not
    /// clash with its own UID. It lives on at the destination, so its content is kept as a
    /// [`VersionEnd::Replaced`] version of the collection it left (history a point-in-time
    /// restore finds, trimmed to [`ObjectMove::source_quota`]), not as a trash entry; unless
    /// it was written within the same second, like any replaced content.
    fn move_object(&self, change: &ObjectMove<'_>) -> StoreResult<PutOutcome>;
    /// Members whose name sorts after `after` (`""`: from the first), by name, with their
    /// bodies: at most `max_objects`, and no more than fit in `max_bytes` except that the first
    /// is always returned. Lets an export read a collection of any size in bounded pages.
    fn objects_page(
        &self,
        collection: i64,
        after: &str,
        max_objects: usize,
        max_bytes: i64,
    ) -> StoreResult<Vec<Object>>;
    /// Members changed since `revision` (0: everything present), oldest change first, at most
    /// `limit` entries. Fails with [`StoreError::InvalidSyncToken`] when `revision` is newer than
    /// the collection or older than its `min_revision`.
    fn changes_since(
        &self,
        collection: i64,
        revision: i64,
        limit: Option<usize>,
    ) -> StoreResult<Changes>;
}

impl fmt::Display for CollectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
