//! Restoring a trash entry: an object back into its collection (or a chosen one of the same
//! owner and kind), possibly as a copy with a new UID; or a collection with all its objects.

use super::content::{
    check_kind, first_free, free_name, index, name_for_uid, restored_etag, with_new_uid,
};
use super::{
    DavPath, TrashError, TrashId, check_owner, kind_of_collection, kind_of_component, kind_words,
};
use crate::methods::target::{collection_href, object_href};
use crate::org::Actor;
use crate::org::home::home;
use crate::org::plan::Plans;
use crate::store::{
    Account, Collection, CollectionKind, Deleter, NewCollection, PutObject, RestorePlan,
    RestoreSource, RestoredObject, Store, StoreError, VersionEnd, VersionPlace,
};

/// What a restore brought back, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The trash entry it was.
    pub id: TrashId,
    /// `event`, `task`, `contact`, `calendar`, ... (as in the trash listing).
    pub kind: &'static str,
    /// Where it is now.
    pub href: String,
    /// The object's UID (new for a copy); `None` for a collection.
    pub uid: Option<String>,
    /// The object's new ETag; `None` for a collection.
    pub etag: Option<String>,
    /// Objects that came back with a collection; `None` for an object.
    pub objects: Option<i64>,
}

/// Restores trash entry `id` (`o12`, `c3`). An object goes back into its collection, or into
/// `into` (a collection path of the same owner and kind), under its name unless that is taken;
/// `as_copy` gives it a new UID (and a name from it), for when its UID is used again. A
/// collection comes back under its name (or `NAME-restored` when that is taken) with every
/// object it had.
pub fn restore(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    id: &str,
    into: Option<&str>,
    as_copy: bool,
) -> Result<Restored, TrashError> {
    match TrashId::parse(id)? {
        TrashId::Object(entry) => restore_object(store, plans, actor, entry, into, as_copy),
        TrashId::Collection(_) if into.is_some() || as_copy => Err(TrashError::Invalid(
            "--into and --as-copy apply to objects; a calendar or address book comes back as \
             it was, under its name (NAME-restored when the name is taken)"
                .into(),
        )),
        TrashId::Collection(entry) => restore_collection(store, plans, actor, entry),
    }
}

/// Who a restore acts for, recorded on what it sends to the trash.
pub(super) fn deleter(actor: Actor<'_>) -> Deleter {
    match actor {
        Actor::Account(user) => Deleter::Account(user.id),
        Actor::Operator => Deleter::Operator,
    }
}

/// The owner's plan name, storage quota and collection limit for `kind`.
pub(super) struct Limits {
    pub plan: String,
    pub quota: Option<i64>,
    pub collections: Option<i64>,
}

pub(super) fn limits(
    store: &dyn Store,
    plans: &Plans,
    owner: i64,
    kind: CollectionKind,
) -> Result<Limits, TrashError> {
    Ok(match home(store, plans, owner)? {
        Some(h) => Limits {
            quota: Some(h.plan.quota()),
            collections: match kind {
                CollectionKind::Calendar => h.plan.calendars,
                CollectionKind::AddressBook => h.plan.address_books,
            }
            .as_store(),
            plan: h.plan.name,
        },
        None => Limits {
            plan: "none".into(),
            quota: None,
            collections: None,
        },
    })
}

/// The store's refusals of a restore in `collection_href`, in the trash's words; `what` names
/// the trash entry restored, if any.
pub(super) fn refused(
    e: StoreError,
    collection_href: &str,
    limits: &Limits,
    kind: CollectionKind,
    what: &str,
) -> TrashError {
    match e {
        StoreError::AlreadyRestored(_) => TrashError::AlreadyRestored(what.to_owned()),
        StoreError::UidConflict { uid, existing } => TrashError::UidConflict {
            uid,
            existing: object_href(collection_href, &existing),
        },
        StoreError::QuotaExceeded { used, quota } => TrashError::QuotaExceeded {
            plan: limits.plan.clone(),
            used,
            quota,
        },
        StoreError::CollectionLimit(limit) => TrashError::CollectionLimit {
            plan: limits.plan.clone(),
            limit,
            kind: kind_words(kind),
        },
        StoreError::PreconditionFailed | StoreError::AlreadyExists(_) => {
            TrashError::Busy(collection_href.to_owned())
        }
        other => other.into(),
    }
}

/// The collection `path` names, if `owner`'s, with its href.
fn chosen_collection(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    owner: &Account,
    path: &str,
) -> Result<(Collection, String), TrashError> {
    let p = DavPath::parse(path)?;
    if p.object.is_some() {
        return Err(TrashError::Invalid(format!(
            "{path} is an object; restore into a calendar or address book"
        )));
    }
    if p.login != owner.login {
        return Err(TrashError::Invalid(format!(
            "{path} is not one of {}'s collections; an object is restored into its owner's",
            owner.login
        )));
    }
    check_owner(store, plans, actor, owner, p.kind, path)?;
    let coll = store
        .collection(owner.id, p.kind, &p.collection)?
        .ok_or_else(|| TrashError::NotFound(path.to_owned()))?;
    let href = collection_href(coll.kind, &owner.login, &coll.name);
    Ok((coll, href))
}

fn restore_object(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    entry: i64,
    into: Option<&str>,
    as_copy: bool,
) -> Result<Restored, TrashError> {
    let what = format!("trash entry {}", TrashId::Object(entry));
    let (version, body) = store
        .version(entry)?
        .filter(|(v, _)| v.ended == VersionEnd::Deleted)
        .ok_or_else(|| TrashError::NotFound(what.clone()))?;
    let owner = store
        .account_by_id(version.owner)?
        .ok_or_else(|| TrashError::NotFound(what.clone()))?;
    let kind = version.place.kind();
    check_owner(store, plans, actor, &owner, kind, &what)?;
    if version.restored {
        return Err(TrashError::AlreadyRestored(what));
    }
    let (target, target_href) = match (into, &version.place) {
        (Some(path), _) => chosen_collection(store, plans, actor, &owner, path)?,
        (None, VersionPlace::Collection { id, kind, name }) => {
            let coll = store
                .collection(owner.id, *kind, name)?
                .filter(|c| c.id == *id)
                .ok_or_else(|| TrashError::NotFound(what.clone()))?;
            let href = collection_href(coll.kind, &owner.login, &coll.name);
            (coll, href)
        }
        (None, VersionPlace::Trashed { id, kind, name }) => {
            return Err(TrashError::CollectionGone {
                collection: collection_href(*kind, &owner.login, name),
                entry: TrashId::Collection(*id).to_string(),
                kind: kind_words(*kind),
            });
        }
    };
    check_kind(kind, &target, &target_href)?;
    let back_home = version.place.live() == Some(target.id);
    let (uid, body, preferred) = if as_copy {
        let (uid, body) = with_new_uid(&body)?;
        let name = name_for_uid(&uid, target.kind);
        (uid, body, name)
    } else {
        (version.uid.clone(), body, version.name.clone())
    };
    let index = index(
        &target,
        &target_href,
        &body,
        &uid,
        &version.component,
        !back_home,
    )?;
    let name = free_name(store, target.id, &preferred)?;
    let etag = restored_etag(&body, entry, store.now());
    let limits = limits(store, plans, owner.id, target.kind)?;
    let plan = RestorePlan {
        write: vec![RestoredObject {
            from: RestoreSource::Trash(entry),
            object: PutObject {
                name: name.clone(),
                body,
                etag: etag.clone(),
                index,
                quota: None,
            },
        }],
        by: Some(deleter(actor)),
        quota: limits.quota,
        ..RestorePlan::default()
    };
    store
        .apply_restore(target.id, &plan)
        .map_err(|e| refused(e, &target_href, &limits, target.kind, &what))?;
    Ok(Restored {
        id: TrashId::Object(entry),
        kind: kind_of_component(&version.component),
        href: object_href(&target_href, &name),
        uid: Some(uid),
        etag: Some(etag),
        objects: None,
    })
}

fn restore_collection(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    entry: i64,
) -> Result<Restored, TrashError> {
    let what = format!("trash entry {}", TrashId::Collection(entry));
    let tc = store
        .trashed_collection(entry)?
        .ok_or_else(|| TrashError::NotFound(what.clone()))?;
    let old = &tc.collection;
    let owner = store
        .account_by_id(old.owner)?
        .ok_or_else(|| TrashError::NotFound(what.clone()))?;
    check_owner(store, plans, actor, &owner, old.kind, &what)?;
    let taken: Vec<String> = store
        .list_collections(owner.id, old.kind)?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let name = first_free(&old.name, "-restored", |n| {
        Ok::<_, TrashError>(taken.iter().any(|t| t == n))
    })?;
    let href = collection_href(old.kind, &owner.login, &name);
    let now = store.now();
    let mut objects = Vec::new();
    for (v, body) in store.trashed_collection_objects(entry)? {
        // Validated against the collection as it was (its components).
        let index = index(old, &href, &body, &v.uid, &v.component, false)?;
        objects.push(RestoredObject {
            from: RestoreSource::Trash(v.id),
            object: PutObject {
                name: v.name,
                etag: restored_etag(&body, v.id, now),
                body,
                index,
                quota: None,
            },
        });
    }
    let limits = limits(store, plans, owner.id, old.kind)?;
    let new = NewCollection {
        kind: old.kind,
        name,
        components: old.components.clone(),
        props: old.props.clone(),
        dead: old.dead.clone(),
        position: old.position,
        limit: limits.collections,
    };
    let count = objects.len() as i64;
    store
        .restore_collection(entry, &new, &objects, limits.quota)
        .map_err(|e| refused(e, &href, &limits, old.kind, &what))?;
    Ok(Restored {
        id: TrashId::Collection(entry),
        kind: kind_of_collection(old.kind),
        href,
        uid: None,
        etag: None,
        objects: Some(count),
    })
}
