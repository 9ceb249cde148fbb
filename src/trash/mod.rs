//! The trash, the version history and restores, over [`crate::store::TrashStore`]: what the
//! command line and the JSON API do with them, with their rules.
//!
//! - **Windows.** What an account deleted or replaced stays restorable for its governing plan's
//!   `trash_days`, taken from the plan *when it is used* (listing, point-in-time restore,
//!   purge), never frozen at deletion: an upgrade lengthens the window of everything already in
//!   the trash. An account in no organisation keeps the catalogue's longest window.
//! - **Who.** An account sees and restores its own trash and history only (others' entries and
//!   paths are "not found"), and only for a product its membership has on; organisation admins
//!   do not see members' trash, as they do not see their calendars. The command line is the
//!   operator and sees everything.
//! - **Restores** write objects with a new ETag (a hash of the bytes and of the restore, so a
//!   client that still knows the old ETag fetches them again), as changes the next
//!   sync-collection reports. The restored object's index is rebuilt from its content with the
//!   same validation as a PUT.
//! - **Quota.** The trash and the history do not count against the storage quota (deleting
//!   makes room at once); restores do, as writes. [`usage`] reports both figures. Together
//!   they keep at most the quota's worth (the store trims the oldest on writes; deletions and
//!   the purge call [`TrashStore::trim_kept`](crate::store::TrashStore::trim_kept)).
//!
//! May import `caldav`, `carddav`, `ical` (content), `methods::target` (canonical hrefs),
//! `org` (plans, homes, access) and `store`.

mod content;
mod delete;
mod error;
mod history;
mod paging;
mod restore;
mod scenarios;
mod title;

use std::fmt;

pub use delete::{Deleted, delete};
pub use error::TrashError;
pub use history::{PointInTime, VersionItem, restore_at, restore_version, versions};
pub use paging::{Listed, Paging};
pub use restore::{Restored, restore};
pub use title::title;
// Times are printed as everywhere else.
pub use crate::store::clock::rfc3339;

use crate::methods::target::{Target, collection_href, home_href, object_href};
use crate::org::Actor;
use crate::org::access::{Access, Product, home_access};
use crate::org::home::home;
use crate::org::plan::Plans;
use crate::store::{
    Account, CollectionKind, Purged, Store, TrashUsage, TrashedCollection, Version, VersionPlace,
};

/// Seconds in a day: windows are whole days.
const DAY: i64 = 86_400;

/// A trash entry's id as the command line and the API show it: `o` and a number for an
/// object, `c` and a number for a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrashId {
    /// A deleted object (its version's id).
    Object(i64),
    /// A deleted collection.
    Collection(i64),
}

impl TrashId {
    /// Reads `o12` or `c3`; anything else is "not found".
    pub fn parse(text: &str) -> Result<TrashId, TrashError> {
        let text = text.trim();
        let number = |rest: &str| rest.parse::<i64>().ok().filter(|n| *n > 0);
        match (text.get(..1), text.get(1..).and_then(number)) {
            (Some("o"), Some(n)) => Ok(TrashId::Object(n)),
            (Some("c"), Some(n)) => Ok(TrashId::Collection(n)),
            _ => Err(TrashError::NotFound(format!(
                "trash entry {text:?} (ids look like o12 or c3)"
            ))),
        }
    }
}

impl fmt::Display for TrashId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrashId::Object(n) => write!(f, "o{n}"),
            TrashId::Collection(n) => write!(f, "c{n}"),
        }
    }
}

/// A calendar, an address book or an object of one, named by its DAV path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DavPath {
    /// Calendar or address book.
    pub kind: CollectionKind,
    /// The owner's login.
    pub login: String,
    /// The collection's name.
    pub collection: String,
    /// The object's name, for an object path.
    pub object: Option<String>,
}

impl DavPath {
    /// Reads `/dav/calendars/LOGIN/NAME/` or `/dav/addressbooks/LOGIN/NAME/OBJECT` (as a path,
    /// a full URL, or without the leading slash).
    pub fn parse(text: &str) -> Result<DavPath, TrashError> {
        let t = text.trim();
        let t = match t.find("://") {
            Some(i) => t[i + 3..].find('/').map_or("/", |j| &t[i + 3 + j..]),
            None => t,
        };
        let path = if t.starts_with('/') {
            t.to_owned()
        } else {
            format!("/{t}")
        };
        let invalid = || TrashError::InvalidPath(text.to_owned());
        match Target::parse(&path).map_err(|_| invalid())? {
            Target::Collection(kind, login, collection) => Ok(DavPath {
                kind,
                login,
                collection,
                object: None,
            }),
            Target::Object(kind, login, collection, object) => Ok(DavPath {
                kind,
                login,
                collection,
                object: Some(object),
            }),
            _ => Err(invalid()),
        }
    }
}

/// One trash entry, as people and programs see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its id.
    pub id: TrashId,
    /// `event`, `task`, `journal`, `freebusy`, `contact`, `calendar` or `addressbook`.
    pub kind: &'static str,
    /// The object's UID (`None` for a collection).
    pub uid: Option<String>,
    /// Resource name, or the collection's name.
    pub name: String,
    /// A collection's display name.
    pub display_name: Option<String>,
    /// Where it was.
    pub href: String,
    /// The collection it was in (a collection's own: its home).
    pub collection: String,
    /// When that collection is in the trash too: its trash entry.
    pub collection_deleted: Option<TrashId>,
    /// When it was deleted, Unix seconds.
    pub deleted_at: i64,
    /// Login of who deleted it, when known.
    pub deleted_by: Option<String>,
    /// When the purge removes it at the latest, under the owner's plan as it is now.
    pub purge_at: i64,
    /// Bytes (a collection's: of its objects).
    pub size: i64,
    /// Objects that come back with a collection (`None` for an object).
    pub objects: Option<i64>,
}

/// How long an account's deleted and replaced things are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The plan it comes from (the longest in the catalogue for an account in no organisation).
    pub plan: String,
    /// Days.
    pub days: u32,
}

impl Window {
    /// The window in seconds.
    pub fn seconds(&self) -> i64 {
        i64::from(self.days) * DAY
    }
}

/// The restore window of `owner`, from its governing plan as it is now.
pub fn window(store: &dyn Store, plans: &Plans, owner: i64) -> Result<Window, TrashError> {
    if let Some(h) = home(store, plans, owner)? {
        return Ok(Window {
            plan: h.plan.name,
            days: h.plan.trash_days,
        });
    }
    Ok(plans
        .iter()
        .max_by_key(|p| p.trash_days)
        .map(|p| Window {
            plan: p.name.clone(),
            days: p.trash_days,
        })
        .unwrap_or(Window {
            plan: "none".into(),
            days: 0,
        }))
}

/// What an item of a component type is called.
pub fn kind_of_component(component: &str) -> &'static str {
    match component.to_ascii_uppercase().as_str() {
        "VEVENT" => "event",
        "VTODO" => "task",
        "VJOURNAL" => "journal",
        "VFREEBUSY" => "freebusy",
        "VCARD" => "contact",
        _ => "object",
    }
}

/// What a collection of a kind is called in the API (`calendar`, `addressbook`).
pub fn kind_of_collection(kind: CollectionKind) -> &'static str {
    kind.as_str()
}

/// What a collection of a kind is called in messages.
fn kind_words(kind: CollectionKind) -> &'static str {
    match kind {
        CollectionKind::Calendar => "calendar",
        CollectionKind::AddressBook => "address book",
    }
}

/// Reads a time: RFC 3339 (with `Z` or an offset), or a date and time without offset read as
/// UTC (`2025-01-07 10:00`, `2025-01-07T10:00:30`), or a date alone (its midnight, UTC).
pub fn parse_time(text: &str) -> Result<i64, TrashError> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return Ok(naive.and_utc().timestamp());
        }
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp());
    }
    Err(TrashError::InvalidTime(text.to_owned()))
}

/// The account named `login`, if `actor` may see its trash (its own; the operator's: any).
fn owner_named(store: &dyn Store, actor: Actor<'_>, login: &str) -> Result<Account, TrashError> {
    let not_found = || TrashError::NotFound(format!("account {login}"));
    match actor {
        Actor::Account(user) if user.login != login => Err(not_found()),
        _ => store.account_by_login(login)?.ok_or_else(not_found),
    }
}

/// Whether `actor` may act on `owner`'s `kind` data: the operator always; an account on its own
/// only, with the product on. `what` names the thing for a "not found".
fn check_owner(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    owner: &Account,
    kind: CollectionKind,
    what: &str,
) -> Result<(), TrashError> {
    let Actor::Account(user) = actor else {
        return Ok(());
    };
    if user.id != owner.id {
        return Err(TrashError::NotFound(what.to_owned()));
    }
    match home_access(
        user,
        owner.id,
        Product::of(kind),
        home(store, plans, user.id)?.as_ref(),
    ) {
        Access::Owner => Ok(()),
        Access::Denied(d) => Err(TrashError::Denied(d)),
        // Never for one's own homes; a sharee does not see the owner's trash.
        Access::Shared(_) => Err(TrashError::NotFound(what.to_owned())),
    }
}

/// The products `actor` may see of `owner`'s data (both for the operator).
fn visible_kinds(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    owner: &Account,
) -> Result<Vec<CollectionKind>, TrashError> {
    let mut kinds = Vec::new();
    for kind in [CollectionKind::Calendar, CollectionKind::AddressBook] {
        match check_owner(store, plans, actor, owner, kind, "") {
            Ok(()) => kinds.push(kind),
            Err(TrashError::Denied(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(kinds)
}

/// A page of the trash of account `login`, most recent deletion first: objects and
/// collections, each with when the purge removes it under the owner's plan as it is now.
pub fn list(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    login: &str,
    paging: &Paging,
) -> Result<Listed<Item>, TrashError> {
    let owner = owner_named(store, actor, login)?;
    let kinds = visible_kinds(store, plans, actor, &owner)?;
    let window = window(store, plans, owner.id)?.seconds();
    let trash = store.trash(owner.id, &kinds, &paging.page()?)?;
    let mut items: Vec<Item> = trash
        .objects
        .into_iter()
        .map(|v| object_item(&owner.login, v, window))
        .chain(
            trash
                .collections
                .into_iter()
                .map(|c| collection_item(&owner.login, c, window)),
        )
        .collect();
    let key = |item: &Item| paging::trash_key(item.id, item.deleted_at);
    items.sort_by_key(|item| std::cmp::Reverse(key(item)));
    Ok(paging.cut(items, key))
}

/// A deleted object of `login` as a trash item, its window `window` seconds.
fn object_item(login: &str, v: Version, window: i64) -> Item {
    let kind = v.place.kind();
    let coll = collection_href(kind, login, v.place.name());
    let collection_deleted = match v.place {
        VersionPlace::Trashed { id, .. } => Some(TrashId::Collection(id)),
        VersionPlace::Collection { .. } => None,
    };
    Item {
        id: TrashId::Object(v.id),
        kind: kind_of_component(&v.component),
        uid: Some(v.uid),
        href: object_href(&coll, &v.name),
        name: v.name,
        display_name: None,
        collection: coll,
        collection_deleted,
        deleted_at: v.valid_to,
        deleted_by: v.deleted_by,
        purge_at: v.valid_to.saturating_add(window),
        size: v.size,
        objects: None,
    }
}

/// A deleted collection of `login` as a trash item, its window `window` seconds.
fn collection_item(login: &str, t: TrashedCollection, window: i64) -> Item {
    let c = t.collection;
    Item {
        id: TrashId::Collection(t.id),
        kind: kind_of_collection(c.kind),
        uid: None,
        href: collection_href(c.kind, login, &c.name),
        name: c.name,
        display_name: c.props.display_name,
        collection: home_href(c.kind, login),
        collection_deleted: None,
        deleted_at: t.deleted_at,
        deleted_by: t.deleted_by,
        purge_at: t.deleted_at.saturating_add(window),
        size: c.used_bytes,
        objects: Some(t.objects),
    }
}

/// An account's storage figures: live data against the quota, and what the trash and the
/// history keep outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    /// Bytes of live calendars and address books (what the quota counts).
    pub used_bytes: i64,
    /// The plan's quota (`None` for an account in no organisation).
    pub quota_bytes: Option<u64>,
    /// Trash and history bytes.
    pub kept: TrashUsage,
    /// The restore window.
    pub window: Window,
}

/// Storage figures of account `login`.
pub fn usage(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    login: &str,
) -> Result<Storage, TrashError> {
    let owner = owner_named(store, actor, login)?;
    let mut used_bytes = 0;
    for kind in [CollectionKind::Calendar, CollectionKind::AddressBook] {
        used_bytes += store
            .list_collections(owner.id, kind)?
            .iter()
            .map(|c| c.used_bytes)
            .sum::<i64>();
    }
    Ok(Storage {
        used_bytes,
        quota_bytes: home(store, plans, owner.id)?.map(|h| h.plan.quota_bytes),
        kept: store.trash_usage(owner.id)?,
        window: window(store, plans, owner.id)?,
    })
}

/// What a purge run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Accounts something was removed from.
    pub accounts: usize,
    /// What was removed.
    pub purged: Purged,
    /// Bytes the database file gave back to the file system.
    pub released_bytes: i64,
}

/// Removes, for every account, what ended before its window (its plan's as it is now): trash
/// entries, trashed collections and history versions; then what takes its trash and history
/// beyond its plan's quota, oldest first (a plan change may have lowered it). The space goes
/// back to the file system when the database frees pages incrementally (see
/// [`vacuum`] for one that does not). The background task runs it on an interval;
/// `davsuite trash purge` on demand.
pub fn purge(store: &dyn Store, plans: &Plans) -> Result<PurgeReport, TrashError> {
    let now = store.now();
    let mut report = PurgeReport::default();
    for (owner, oldest) in store.retention_owners()? {
        let cutoff = now.saturating_sub(window(store, plans, owner)?.seconds());
        let mut purged = if oldest <= cutoff {
            store.purge(owner, cutoff)?
        } else {
            Purged::default()
        };
        purged += trim(store, plans, owner)?;
        if purged != Purged::default() {
            report.accounts += 1;
            report.purged += purged;
        }
    }
    if report.accounts > 0 {
        report.released_bytes = store.release_space(false)?;
    }
    Ok(report)
}

/// Rewrites the whole database to give all its free space back to the file system, and
/// switches a database created before this version to freeing it at each purge from then on;
/// the bytes released. Slow on a large database, which is blocked for writes meanwhile, and
/// needs as much free disk as it takes (`davsuite trash purge --vacuum`).
pub fn vacuum(store: &dyn Store) -> Result<i64, TrashError> {
    Ok(store.release_space(true)?)
}

/// Keeps `owner`'s trash and history within its plan's storage quota (no limit outside any
/// organisation), the oldest going first; what went. Deletions call it: they add to the trash
/// in a write that does not know the plan.
fn trim(store: &dyn Store, plans: &Plans, owner: i64) -> Result<Purged, TrashError> {
    Ok(match home(store, plans, owner)? {
        Some(h) => store.trim_kept(owner, h.plan.quota())?,
        None => Purged::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for id in [TrashId::Object(12), TrashId::Collection(3)] {
            assert_eq!(TrashId::parse(&id.to_string()).unwrap(), id);
        }
        for bad in ["", "o", "x1", "o-1", "o0", "c1.5", "12"] {
            let e = TrashId::parse(bad).unwrap_err();
            assert_eq!(e.code(), "not-found", "{bad}");
        }
    }

    #[test]
    fn times_in_every_accepted_form() {
        let t = 1_736_244_000; // 2025-01-07T10:00:00Z
        for text in [
            "2025-01-07T10:00:00Z",
            "2025-01-07T11:00:00+01:00",
            "2025-01-07 10:00",
            "2025-01-07T10:00:00",
        ] {
            assert_eq!(parse_time(text).unwrap(), t, "{text}");
        }
        assert_eq!(parse_time("2025-01-07").unwrap(), t - 10 * 3600);
        assert_eq!(parse_time("Tuesday").unwrap_err().code(), "invalid-time");
        assert_eq!(rfc3339(t), "2025-01-07T10:00:00Z");
    }

    #[test]
    fn paths_in_every_accepted_form() {
        let want = DavPath {
            kind: CollectionKind::Calendar,
            login: "al".into(),
            collection: "my cal".into(),
            object: None,
        };
        for text in [
            "/dav/calendars/al/my%20cal/",
            "dav/calendars/al/my%20cal",
            "https://dav.example.com/dav/calendars/al/my%20cal/",
        ] {
            assert_eq!(DavPath::parse(text).unwrap(), want, "{text}");
        }
        let object = DavPath::parse("/dav/addressbooks/al/contacts/x.vcf").unwrap();
        assert_eq!(
            (object.kind, object.object.as_deref()),
            (CollectionKind::AddressBook, Some("x.vcf"))
        );
        for bad in [
            "/dav/calendars/al/",
            "/api/v1/plans",
            "",
            "/dav/calendars/a/../b/",
        ] {
            assert_eq!(
                DavPath::parse(bad).unwrap_err().code(),
                "invalid-path",
                "{bad}"
            );
        }
    }

    #[test]
    fn kinds_have_names() {
        assert_eq!(kind_of_component("VEVENT"), "event");
        assert_eq!(kind_of_component("vtodo"), "task");
        assert_eq!(kind_of_component("VCARD"), "contact");
        assert_eq!(
            kind_of_collection(CollectionKind::AddressBook),
            "addressbook"
        );
    }
}
