//! The JSON API's delete of a calendar, address book or object, with the rights a DAV DELETE
//! has: the owner's goes to its trash (and the entry is returned, to offer an undo); in a
//! collection shared with the caller, an object goes to the owner's trash when the share is
//! read-write, and the collection itself is only taken out of the caller's home.

use super::{DavPath, Item, TrashError, check_owner, collection_item, object_item, trim, window};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::plan::Plans;
use crate::org::share::{Mounted, mounted, mounted_collection, reply};
use crate::store::{Account, Deleter, Store, WriteCondition};

/// What [`delete`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    /// The caller's own calendar, address book or object went to its trash: the entry.
    ToTrash(Box<Item>),
    /// In a collection shared with the caller: the object went to the owner's trash (the owner
    /// restores it), or the collection left the caller's home (the owner's data is untouched).
    Shared,
}

/// Deletes the calendar, address book or object at `path`, a path in `user`'s own homes (a
/// collection shared with it is there under its mount name), as a DAV DELETE by `user` would.
pub fn delete(
    store: &dyn Store,
    plans: &Plans,
    user: &Account,
    path: &str,
) -> Result<Deleted, TrashError> {
    let p = DavPath::parse(path)?;
    let not_found = || TrashError::NotFound(path.to_owned());
    if p.login != user.login {
        return Err(not_found());
    }
    check_owner(store, plans, Actor::Account(user), user, p.kind, path)?;
    if let Some(shared) = mounted_collection(&p.collection) {
        return delete_shared(store, plans, user, &p, shared, path);
    }
    let coll = store
        .collection(user.id, p.kind, &p.collection)?
        .ok_or_else(not_found)?;
    let window = window(store, plans, user.id)?.seconds();
    let by = Some(Deleter::Account(user.id));
    let item = match &p.object {
        Some(name) => {
            let id = store.delete_object_by(coll.id, name, &WriteCondition::None, by)?;
            let (v, _) = store.version(id)?.ok_or_else(not_found)?;
            object_item(&user.login, v, window)
        }
        None => {
            let id = store.delete_collection_by(coll.id, by)?;
            let c = store.trashed_collection(id)?.ok_or_else(not_found)?;
            collection_item(&user.login, c, window)
        }
    };
    trim(store, plans, user.id)?;
    Ok(Deleted::ToTrash(Box::new(item)))
}

/// [`delete`] in collection `id`, shared with `user` and seen in its home as `p`.
fn delete_shared(
    store: &dyn Store,
    plans: &Plans,
    user: &Account,
    p: &DavPath,
    id: i64,
    path: &str,
) -> Result<Deleted, TrashError> {
    let Mounted { shared, access, .. } = mounted(store, plans, user.id, p.kind, id)?
        .ok_or_else(|| TrashError::NotFound(path.to_owned()))?;
    match &p.object {
        Some(name) => {
            access
                .allows(Action::WriteContent)
                .map_err(TrashError::Denied)?;
            store.delete_object_by(
                shared.collection.id,
                name,
                &WriteCondition::None,
                Some(Deleter::Account(user.id)),
            )?;
            trim(store, plans, shared.owner.id)?;
        }
        None => {
            access.allows(Action::Remove).map_err(TrashError::Denied)?;
            // As a DAV DELETE of it: declined, out of the caller's home; the share stays.
            reply(store, user, p.kind, shared.collection.id, false)?;
        }
    }
    Ok(Deleted::Shared)
}
