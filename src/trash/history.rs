//! The version history: an object's versions, and point-in-time restores of a collection ("as
//! it was on Tuesday at 10:00") or of one object.
//!
//! The state of a collection at time t is its live members last written at or before t, plus
//! the versions that were current at t. A point-in-time restore makes the collection exactly
//! that in one transaction: members created since go to the trash, members changed since get
//! their content of then back (the content they had is kept as a version, so the restore can
//! itself be undone), and members deleted since come back. Collection properties are not
//! versioned and stay as they are.

use std::collections::{BTreeMap, HashMap};

use super::content::{index, restored_etag};
use super::paging::{Listed, Paging};
use super::restore::{deleter, limits, refused};
use super::{
    DavPath, TrashError, TrashId, check_owner, kind_of_component, kind_words, owner_named, rfc3339,
    window,
};
use crate::methods::target::{collection_href, object_href};
use crate::org::Actor;
use crate::org::plan::Plans;
use crate::store::{
    Collection, ObjectMeta, Page, PageKey, PutObject, RestorePlan, RestoreSource, RestoredObject,
    Store, StoreError, Version,
};

/// How many times a point-in-time restore is decided again when the collection changed while
/// it was being decided.
const ATTEMPTS: usize = 3;

/// One version of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionItem {
    /// The version's id (`None` for the current content).
    pub id: Option<i64>,
    /// True for the object's current content.
    pub current: bool,
    /// `event`, `task`, `contact`, ...
    pub kind: &'static str,
    /// Its UID.
    pub uid: String,
    /// Its ETag then.
    pub etag: String,
    /// Bytes.
    pub size: i64,
    /// When it was written, Unix seconds: `--at` this time restores it.
    pub from: i64,
    /// When a write or a deletion ended it (`None` for the current content).
    pub to: Option<i64>,
    /// `replaced`, `deleted` or `collection-deleted` (`None` for the current content).
    pub ended: Option<&'static str>,
}

impl VersionItem {
    fn of(v: &Version) -> VersionItem {
        VersionItem {
            id: Some(v.id),
            current: false,
            kind: kind_of_component(&v.component),
            uid: v.uid.clone(),
            etag: v.etag.clone(),
            size: v.size,
            from: v.valid_from,
            to: Some(v.valid_to),
            ended: Some(v.ended.as_str()),
        }
    }

    fn current(m: &ObjectMeta) -> VersionItem {
        VersionItem {
            id: None,
            current: true,
            kind: kind_of_component(&m.component),
            uid: m.uid.clone(),
            etag: m.etag.clone(),
            size: m.size,
            from: m.modified,
            to: None,
            ended: None,
        }
    }
}

/// The collection a path names and the actor's right to it; the path and its canonical hrefs.
struct Located {
    path: DavPath,
    collection: Collection,
    collection_href: String,
    owner: i64,
}

fn locate(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &str,
) -> Result<Located, TrashError> {
    let p = DavPath::parse(path)?;
    let owner = owner_named(store, actor, &p.login)?;
    check_owner(store, plans, actor, &owner, p.kind, path)?;
    let collection = store
        .collection(owner.id, p.kind, &p.collection)?
        .ok_or_else(|| TrashError::NotFound(path.to_owned()))?;
    let collection_href = collection_href(collection.kind, &owner.login, &collection.name);
    Ok(Located {
        path: p,
        collection,
        collection_href,
        owner: owner.id,
    })
}

/// The object `path` names; a collection's path is refused, versions being per object.
fn object_name<'a>(located: &'a Located, path: &str) -> Result<&'a str, TrashError> {
    located.path.object.as_deref().ok_or_else(|| {
        TrashError::Invalid(format!(
            "{path} is a collection; versions are kept per object (give an object's path)"
        ))
    })
}

/// A page of the versions of the object at `path`, newest first, after its current content
/// (on the first page). Restoring one is [`restore_version`] its id (or [`restore_at`] its
/// `from` time).
pub fn versions(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &str,
    paging: &Paging,
) -> Result<Listed<VersionItem>, TrashError> {
    let at = locate(store, plans, actor, path)?;
    let name = object_name(&at, path)?;
    let kept = store.versions(at.collection.id, name, &paging.page()?)?;
    let mut listed = paging.cut(kept, |v| PageKey {
        at: v.valid_to,
        collection: false,
        id: v.id,
    });
    let current = match paging.cursor {
        None => store.get_object(at.collection.id, name)?,
        Some(_) => None,
    };
    if paging.cursor.is_none() && current.is_none() && listed.items.is_empty() {
        return Err(TrashError::NotFound(path.to_owned()));
    }
    let items = current
        .map(|o| VersionItem::current(&o.meta))
        .into_iter()
        .chain(listed.items.iter().map(VersionItem::of))
        .collect();
    Ok(Listed {
        items,
        next: listed.next.take(),
    })
}

/// What a point-in-time restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointInTime {
    /// The collection or object restored.
    pub href: String,
    /// The time it was restored to, Unix seconds.
    pub at: i64,
    /// Members given back their content of then (changed or deleted since).
    pub restored: usize,
    /// Members created since, sent to the trash.
    pub deleted: usize,
    /// Members already as they were.
    pub unchanged: usize,
}

/// Restores the collection or object at `path` to what it was at `at` (Unix seconds), within
/// the owner's restore window. An object that did not exist at `at` is "not found" (a
/// collection restore removes such members; a single object restore does not delete).
pub fn restore_at(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &str,
    at: i64,
) -> Result<PointInTime, TrashError> {
    let located = locate(store, plans, actor, path)?;
    let now = store.now();
    let window = window(store, plans, located.owner)?;
    let earliest = now
        .saturating_sub(window.seconds())
        .max(store.history_since()?);
    if at < earliest {
        return Err(TrashError::OutsideWindow {
            at: rfc3339(at),
            earliest: rfc3339(earliest),
            plan: window.plan,
            days: window.days,
        });
    }
    if at > now {
        return Err(TrashError::Invalid(format!(
            "{} is in the future (it is {} now)",
            rfc3339(at),
            rfc3339(now)
        )));
    }
    if at < located.collection.created {
        return Err(before_collection(store, &located, at)?);
    }
    bring_back(store, plans, actor, located, &Point::At(at))
}

/// Gives the object at `path` back the content of its version `id` (from [`versions`]),
/// which must be one of that object's.
pub fn restore_version(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &str,
    id: i64,
) -> Result<PointInTime, TrashError> {
    let located = locate(store, plans, actor, path)?;
    let not_found = || TrashError::NotFound(format!("version {id} of {path}"));
    let name = object_name(&located, path)?;
    let (version, body) = store
        .version(id)?
        .filter(|(v, _)| v.place.live() == Some(located.collection.id) && v.name == name)
        .ok_or_else(not_found)?;
    bring_back(
        store,
        plans,
        actor,
        located,
        &Point::Version(Box::new((version, body))),
    )
}

/// What a point-in-time restore brings back.
enum Point {
    /// What the collection (or the object) was at this time.
    At(i64),
    /// This version of the object, with its body.
    Version(Box<(Version, Vec<u8>)>),
}

impl Point {
    /// The time it stands for: the version's from when it was the content.
    fn time(&self) -> i64 {
        match self {
            Point::At(at) => *at,
            Point::Version(v) => v.0.valid_from,
        }
    }
}

/// Brings `located` back to `point`, deciding again when the collection changed meanwhile.
fn bring_back(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    located: Located,
    point: &Point,
) -> Result<PointInTime, TrashError> {
    let at = point.time();
    let name = located.path.object.clone();
    let kind = located.collection.kind;
    let href = match &name {
        Some(n) => object_href(&located.collection_href, n),
        None => located.collection_href.clone(),
    };
    let limits = limits(store, plans, located.owner, kind)?;
    let mut collection = located.collection;
    for _ in 0..ATTEMPTS {
        let decided = decide(store, &collection, point, name.as_deref(), &href)?;
        if decided.plan.delete.is_empty() && decided.plan.write.is_empty() {
            return Ok(decided.outcome(&href, at));
        }
        let mut plan = decided.plan.clone();
        plan.by = Some(deleter(actor));
        plan.quota = limits.quota;
        match store.apply_restore(collection.id, &plan) {
            Ok(_) => return Ok(decided.outcome(&href, at)),
            Err(StoreError::PreconditionFailed) => {
                collection = store
                    .collection(collection.owner, kind, &collection.name)?
                    .ok_or_else(|| TrashError::NotFound(href.clone()))?;
            }
            Err(StoreError::UidConflict { uid, existing }) => {
                let object = plan
                    .write
                    .iter()
                    .find(|w| w.object.index.uid == uid)
                    .map_or_else(
                        || href.clone(),
                        |w| object_href(&located.collection_href, &w.object.name),
                    );
                return Err(TrashError::PointInTimeUidConflict {
                    object,
                    at: rfc3339(at),
                    uid,
                    existing: object_href(&located.collection_href, &existing),
                });
            }
            Err(e) => return Err(refused(e, &located.collection_href, &limits, kind, &href)),
        }
    }
    Err(TrashError::Busy(href))
}

/// The refusal of a restore to `at`, before `located`'s collection was created (it would
/// empty it): names the calendars or address books of that name in the trash, one of which
/// may be what the owner means.
fn before_collection(
    store: &dyn Store,
    located: &Located,
    at: i64,
) -> Result<TrashError, TrashError> {
    let c = &located.collection;
    let trashed: Vec<String> = store
        .trash(c.owner, &[c.kind], &Page::default())?
        .collections
        .into_iter()
        .filter(|t| t.collection.kind == c.kind && t.collection.name == c.name)
        .map(|t| {
            format!(
                "{} (deleted at {})",
                TrashId::Collection(t.id),
                rfc3339(t.deleted_at)
            )
        })
        .collect();
    let trashed = match trashed.first() {
        None => String::new(),
        Some(_) => format!(
            "; the trash holds an earlier {} of that name: {} (bring it back with \
             `trash restore ID`, or POST /api/v1/trash/ID/restore)",
            kind_words(c.kind),
            trashed.join(", ")
        ),
    };
    Ok(TrashError::BeforeCollection {
        collection: located.collection_href.clone(),
        at: rfc3339(at),
        created: rfc3339(c.created),
        trashed,
    })
}

/// A point-in-time restore decided on one snapshot of the collection.
struct Decided {
    plan: RestorePlan,
    unchanged: usize,
}

impl Decided {
    fn outcome(&self, href: &str, at: i64) -> PointInTime {
        PointInTime {
            href: href.to_owned(),
            at,
            restored: self.plan.write.len(),
            deleted: self.plan.delete.len(),
            unchanged: self.unchanged,
        }
    }
}

/// What it takes to bring `collection` (only member `name`, when given) back to `point`, as
/// a plan to apply at the collection's current revision.
fn decide(
    store: &dyn Store,
    collection: &Collection,
    point: &Point,
    name: Option<&str>,
    href: &str,
) -> Result<Decided, TrashError> {
    let at = point.time();
    let live: Vec<ObjectMeta> = match name {
        Some(n) => store
            .get_object(collection.id, n)?
            .map(|o| o.meta)
            .into_iter()
            .collect(),
        None => store.list_objects(collection.id)?,
    };
    let live: HashMap<&str, &ObjectMeta> = live.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut past: BTreeMap<String, (Version, Vec<u8>)> = BTreeMap::new();
    match point {
        Point::Version(version) => {
            let (v, body) = version.as_ref();
            past.insert(v.name.clone(), (v.clone(), body.clone()));
        }
        Point::At(_) => {
            // The version current at `at` for each name (the latest written, should a clock
            // have gone backwards); a member last written at or before `at` is its own state
            // then.
            for (v, body) in store.versions_at(collection.id, at, name)? {
                if live.get(v.name.as_str()).is_some_and(|m| m.modified <= at) {
                    continue;
                }
                past.insert(v.name.clone(), (v, body));
            }
        }
    }
    if let Some(n) = name
        && past.is_empty()
        && live.get(n).is_none_or(|m| m.modified > at)
    {
        return Err(TrashError::NotFound(format!(
            "{href} at {} (it did not exist then)",
            rfc3339(at)
        )));
    }
    let mut plan = RestorePlan {
        revision: Some(collection.revision),
        replace: true,
        at: Some(at),
        ..RestorePlan::default()
    };
    let mut unchanged = 0;
    for (n, m) in &live {
        if past.contains_key(*n) {
            continue;
        }
        if m.modified <= at {
            unchanged += 1;
        } else {
            plan.delete.push((*n).to_owned());
        }
    }
    let now = store.now();
    for (n, (v, body)) in past {
        if live.get(n.as_str()).is_some_and(|m| m.etag == v.etag) {
            unchanged += 1;
            continue;
        }
        let index = index(collection, href, &body, &v.uid, &v.component, false)?;
        // A trash entry brought back leaves the trash; a replaced version just gives its
        // content back.
        plan.write.push(RestoredObject {
            from: RestoreSource::Version(v.id),
            object: PutObject {
                name: n,
                etag: restored_etag(&body, v.id, now),
                body,
                index,
                quota: None,
            },
        });
    }
    plan.delete.sort();
    Ok(Decided { plan, unchanged })
}
