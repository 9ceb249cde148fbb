//! Opening a collection named outside DAV requests (the command line's `COLLECTION-PATH`, the
//! API's paths: an `org::share::CollectionPath`) for an actor with the rules of DAV
//! (`org::access`): an account opens the collections of its own home, with the product on in
//! its organisation: its own, and those shared with it (under their mount name,
//! `org::share::mount_name`) as far as the share's access allows the action; the operator
//! opens any.

use crate::href::encode_segment;
use crate::org::Actor;
use crate::org::access::{Access, Action, Denial, Product, home_access};
use crate::org::home::home;
use crate::org::plan::{Plan, Plans};
use crate::org::share::{CollectionPath, mounted, mounted_collection};
use crate::store::{Account, Collection, Store};

use super::TransferError;

/// An open collection: where it is seen, its owner, itself, and the plan that limits it.
#[derive(Debug, Clone)]
pub struct Place {
    /// Where it is seen: in its owner's home, or under its mount name in the home of an
    /// account it is shared with (every href written from it stays in that home).
    pub path: CollectionPath,
    /// Its owner, whose plan limits it whoever writes.
    pub owner: Account,
    /// The collection.
    pub collection: Collection,
    /// The owner's plan (object size, quota).
    pub plan: Plan,
}

impl Place {
    /// The DAV href of member `name`.
    pub fn object_href(&self, name: &str) -> String {
        format!("{}{}", self.path.href(), encode_segment(name))
    }
}

/// Opens the collection at `path` for `actor` to do `action`. An account opens the
/// collections of its own home while its organisation has the product on: its own, and those
/// shared with it if the share allows `action` (and the owner has the product on); anything
/// else is forbidden, without saying whether it exists. The operator opens every collection.
pub fn open(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &CollectionPath,
    action: Action,
) -> Result<Place, TransferError> {
    let product = Product::of(path.kind);
    let holder = store.account_by_login(&path.login)?;
    let holder = match (actor, holder) {
        // Unknown accounts are forbidden like others', so a probe learns nothing.
        (Actor::Account(_), None) => {
            return Err(TransferError::Forbidden(Denial::NotOwner.message()));
        }
        (Actor::Account(user), Some(holder)) => {
            let governing = home(store, plans, user.id)?;
            match home_access(user, holder.id, product, governing.as_ref()) {
                Access::Denied(d) => return Err(TransferError::Forbidden(d.message())),
                _ => holder,
            }
        }
        (Actor::Operator, Some(holder)) => holder,
        (Actor::Operator, None) => {
            return Err(TransferError::NotFound(format!(
                "no account named {}",
                path.login
            )));
        }
    };
    let not_found = || {
        TransferError::NotFound(format!(
            "no {} named {} for {}",
            path.kind, path.name, holder.login
        ))
    };
    let (owner, collection, access, owner_home) = match mounted_collection(&path.name) {
        Some(id) => {
            let m = mounted(store, plans, holder.id, path.kind, id)?.ok_or_else(not_found)?;
            (m.shared.owner, m.shared.collection, m.access, m.owner_home)
        }
        None => {
            let collection = store
                .collection(holder.id, path.kind, &path.name)?
                .ok_or_else(not_found)?;
            let owner_home = home(store, plans, holder.id)?;
            (holder, collection, Access::Owner, owner_home)
        }
    };
    if let Actor::Account(_) = actor {
        access
            .allows(action)
            .map_err(|d| TransferError::Forbidden(d.message()))?;
    }
    let plan = owner_home.map(|h| h.plan).ok_or_else(|| {
        TransferError::Forbidden(format!(
            "{} belongs to no organisation, so it has no plan to store data under",
            owner.login
        ))
    })?;
    Ok(Place {
        path: path.clone(),
        owner,
        collection,
        plan,
    })
}
