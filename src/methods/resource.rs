//! Resolving a [`Target`] to the resource it names, with the access check on the way: a user
//! who may not see a resource gets 403 without learning whether it exists.
//!
//! A collection is seen through a [`Mount`]: in its owner's home, or in the home of an account
//! it is shared with (under `org::share::mount_name`). Every href of a collection and its
//! members is written from the mount, so a sharee only ever sees URLs in its own home.

use super::directory::{self, Card, Directory};
use super::target::{self, Target};
use super::{Ctx, Failure};
use crate::dav::condition::{Condition, DavError};
use crate::org::access::{
    Access, Action, Denial, Product, home_access, principal_access, shared_access,
};
use crate::org::share::{mount_name, mounted_collection};
use crate::store::{Account, Collection, CollectionKind, ObjectMeta, ShareView, SharedCollection};

/// Where a collection is seen: in its owner's home, or in the home of an account it is shared
/// with.
#[derive(Debug, Clone)]
pub struct Mount {
    /// The account whose home the collection is seen in (its owner, or the sharee).
    pub home: Account,
    /// The collection's name in that home (its own name, or `.shared-ID` for a sharee).
    pub name: String,
    /// The collection's owner, whose plan limits it.
    pub owner: Account,
    /// What the user may do with it: [`Access::Owner`] or [`Access::Shared`].
    pub access: Access,
    /// The sharee's own view of it (name, colour, order, dead properties); `None` in the
    /// owner's home.
    pub view: Option<ShareView>,
}

impl Mount {
    /// A collection in its owner's home, seen by its owner.
    pub fn owned(owner: Account, coll: &Collection) -> Mount {
        Mount {
            name: coll.name.clone(),
            home: owner.clone(),
            owner,
            access: Access::Owner,
            view: None,
        }
    }

    /// A collection shared with `home`, in that account's home.
    fn shared(ctx: &Ctx<'_>, home: Account, shared: SharedCollection) -> Result<Mount, Failure> {
        let product = Product::of(shared.collection.kind);
        let owner_home = ctx.home(shared.owner.id)?;
        Ok(Mount {
            home,
            name: mount_name(shared.collection.id),
            access: shared_access(Access::Owner, &shared.routes, product, owner_home.as_ref()),
            owner: shared.owner,
            view: Some(shared.view),
        })
    }

    /// The collection's href in this mount.
    pub fn href(&self, kind: CollectionKind) -> String {
        target::collection_href(kind, &self.home.login, &self.name)
    }

    /// True for a collection shared with the home's account.
    pub fn is_shared(&self) -> bool {
        self.view.is_some()
    }

    /// Fails with 403 DAV:need-privileges unless the mount's access allows `action`.
    pub fn require(&self, action: Action) -> Result<(), Failure> {
        self.access.allows(action).map_err(|d| denied(&d))
    }
}

/// A loaded resource.
#[derive(Debug, Clone)]
pub enum Resource {
    /// `/`
    Root,
    /// `/.well-known/caldav|carddav`: answers PROPFIND like the root (compat pitfall 12).
    WellKnown(CollectionKind),
    /// `/dav/`
    DavRoot,
    /// `/dav/principals/`
    PrincipalsRoot,
    /// `/dav/principals/users/`
    PrincipalsUsers,
    /// A principal.
    Principal(Account),
    /// `/dav/calendars/` or `/dav/addressbooks/`.
    HomeSet(CollectionKind),
    /// A home and its owner.
    Home(CollectionKind, Account),
    /// A collection and where it is seen.
    Collection(Mount, Collection),
    /// An object with its collection and where that is seen.
    Object(Mount, Collection, ObjectMeta),
    /// An organisation directory in its viewer's address book home.
    Directory(Account, Directory),
    /// A card of an organisation directory.
    DirectoryCard(Account, Directory, Card),
}

/// A borrowed view of a resource, so listing 10,000 members clones nothing per member.
#[derive(Debug, Clone, Copy)]
pub enum Res<'a> {
    /// `/`
    Root,
    /// A well-known entry point.
    WellKnown(CollectionKind),
    /// `/dav/`
    DavRoot,
    /// `/dav/principals/`
    PrincipalsRoot,
    /// `/dav/principals/users/`
    PrincipalsUsers,
    /// A principal.
    Principal(&'a Account),
    /// A home set.
    HomeSet(CollectionKind),
    /// A home.
    Home(CollectionKind, &'a Account),
    /// A collection.
    Collection(&'a Mount, &'a Collection),
    /// An object.
    Object(&'a Mount, &'a Collection, &'a ObjectMeta),
    /// An organisation directory.
    Directory(&'a Account, &'a Directory),
    /// A card of an organisation directory.
    DirectoryCard(&'a Account, &'a Directory, &'a Card),
}

impl Resource {
    /// Borrowed view.
    pub fn as_res(&self) -> Res<'_> {
        match self {
            Resource::Root => Res::Root,
            Resource::WellKnown(k) => Res::WellKnown(*k),
            Resource::DavRoot => Res::DavRoot,
            Resource::PrincipalsRoot => Res::PrincipalsRoot,
            Resource::PrincipalsUsers => Res::PrincipalsUsers,
            Resource::Principal(a) => Res::Principal(a),
            Resource::HomeSet(k) => Res::HomeSet(*k),
            Resource::Home(k, a) => Res::Home(*k, a),
            Resource::Collection(a, c) => Res::Collection(a, c),
            Resource::Object(a, c, o) => Res::Object(a, c, o),
            Resource::Directory(a, d) => Res::Directory(a, d),
            Resource::DirectoryCard(a, d, c) => Res::DirectoryCard(a, d, c),
        }
    }
}

impl Res<'_> {
    /// Canonical href.
    pub fn href(&self) -> String {
        match self {
            Res::Root => "/".into(),
            Res::WellKnown(k) => target::well_known_href(*k).into(),
            Res::DavRoot => target::DAV_ROOT.into(),
            Res::PrincipalsRoot => "/dav/principals/".into(),
            Res::PrincipalsUsers => "/dav/principals/users/".into(),
            Res::Principal(a) => target::principal_href(&a.login),
            Res::HomeSet(k) => target::home_set_href(*k),
            Res::Home(k, a) => target::home_href(*k, &a.login),
            Res::Collection(m, c) => m.href(c.kind),
            Res::Object(m, c, o) => target::object_href(&m.href(c.kind), &o.name),
            Res::Directory(a, d) => d.href(a),
            Res::DirectoryCard(a, d, c) => target::object_href(&d.href(a), &c.name),
        }
    }
}

/// 403 with DAV:need-privileges, the answer to anything a user may not touch.
pub fn forbidden() -> Failure {
    denied(&Denial::NotOwner)
}

/// 403 with DAV:need-privileges and the reason access was denied.
pub fn denied(denial: &Denial) -> Failure {
    Failure::Dav(DavError::new(Condition::NeedPrivileges, denial.message()))
}

/// The account named `login`, looked up only when it is not the user (403 when unknown, so a
/// probe cannot tell missing accounts from others').
fn account_named(ctx: &Ctx<'_>, user: &Account, login: &str) -> Result<Account, Failure> {
    if login == user.login {
        Ok(user.clone())
    } else {
        ctx.store.account_by_login(login)?.ok_or_else(forbidden)
    }
}

/// The account whose principal is named `login`, if `user` may see it.
pub fn principal_owner(ctx: &Ctx<'_>, user: &Account, login: &str) -> Result<Account, Failure> {
    let owner = account_named(ctx, user, login)?;
    match principal_access(user, owner.id) {
        Access::Denied(d) => Err(denied(&d)),
        _ => Ok(owner),
    }
}

/// The account owning the `kind` home named `login`, if `user` may use it (its own, with the
/// product on in its governing organisation).
pub fn home_owner(
    ctx: &Ctx<'_>,
    user: &Account,
    kind: CollectionKind,
    login: &str,
) -> Result<Account, Failure> {
    let owner = account_named(ctx, user, login)?;
    let home = ctx.home(user.id)?;
    match home_access(user, owner.id, Product::of(kind), home.as_ref()) {
        Access::Denied(d) => Err(denied(&d)),
        _ => Ok(owner),
    }
}

/// Loads the collection `name` of the `kind` home of `login` for `user`, if the user may do
/// `action` with it: one of its own, or one shared with it (seen under its mount name in the
/// user's home). 404 when the home has no such collection, 403 DAV:need-privileges when the
/// access does not allow the action.
pub fn collection(
    ctx: &Ctx<'_>,
    user: &Account,
    kind: CollectionKind,
    login: &str,
    name: &str,
    action: Action,
) -> Result<(Mount, Collection), Failure> {
    let home = home_owner(ctx, user, kind, login)?;
    let not_found = || Failure::Status(404, format!("no {kind} named {name}"));
    let (mount, coll) = match mounted_collection(name) {
        Some(id) => {
            let shared = ctx
                .store
                .shared_collection(home.id, id)?
                .filter(|s| !s.view.hidden && s.collection.kind == kind)
                .ok_or_else(not_found)?;
            let coll = shared.collection.clone();
            (Mount::shared(ctx, home, shared)?, coll)
        }
        None => {
            let coll = ctx
                .store
                .collection(home.id, kind, name)?
                .ok_or_else(not_found)?;
            (Mount::owned(home, &coll), coll)
        }
    };
    mount.require(action)?;
    Ok((mount, coll))
}

/// The collections shared with `home`'s account that its `kind` home lists: not removed by
/// it, and available (their owner has the product on).
pub fn shared_mounts(
    ctx: &Ctx<'_>,
    home: &Account,
    kind: CollectionKind,
) -> Result<Vec<(Mount, Collection)>, Failure> {
    let mut out = Vec::new();
    for shared in ctx.store.shared_with(home.id, kind)? {
        if shared.view.hidden {
            continue;
        }
        let coll = shared.collection.clone();
        let mount = Mount::shared(ctx, home.clone(), shared)?;
        if mount.require(Action::Read).is_ok() {
            out.push((mount, coll));
        }
    }
    Ok(out)
}

/// Resolves a target to a resource the user may see.
pub fn resolve(ctx: &Ctx<'_>, user: &Account, target: &Target) -> Result<Resource, Failure> {
    Ok(match target {
        Target::Root => Resource::Root,
        Target::WellKnown(kind) => Resource::WellKnown(*kind),
        Target::DavRoot => Resource::DavRoot,
        Target::PrincipalsRoot => Resource::PrincipalsRoot,
        Target::PrincipalsUsers => Resource::PrincipalsUsers,
        Target::Principal(login) => Resource::Principal(principal_owner(ctx, user, login)?),
        Target::HomeSet(kind) => Resource::HomeSet(*kind),
        Target::Home(kind, login) => Resource::Home(*kind, home_owner(ctx, user, *kind, login)?),
        Target::Collection(CollectionKind::AddressBook, login, name)
            if directory::is_directory_name(name) =>
        {
            let (owner, dir) = directory::find(ctx, user, login, name)?;
            Resource::Directory(owner, dir)
        }
        Target::Object(CollectionKind::AddressBook, login, coll, name)
            if directory::is_directory_name(coll) =>
        {
            let (owner, dir) = directory::find(ctx, user, login, coll)?;
            let card = dir
                .card(ctx, name)?
                .ok_or_else(|| Failure::Status(404, format!("{name} not found")))?;
            Resource::DirectoryCard(owner, dir, card)
        }
        Target::Collection(kind, login, name) => {
            let (mount, coll) = collection(ctx, user, *kind, login, name, Action::Read)?;
            Resource::Collection(mount, coll)
        }
        Target::Object(kind, login, coll, name) => {
            let (mount, coll) = collection(ctx, user, *kind, login, coll, Action::Read)?;
            let obj = ctx
                .store
                .get_object(coll.id, name)?
                .ok_or_else(|| Failure::Status(404, format!("{name} not found")))?;
            Resource::Object(mount, coll, obj.meta)
        }
        Target::Unknown => return Err(Failure::Status(404, "not found".into())),
    })
}

/// The members listed at Depth 1 (collections' objects are listed by the caller from one
/// store query instead, so that no resource is built per object).
pub fn child_resources(
    ctx: &Ctx<'_>,
    user: &Account,
    res: &Resource,
) -> Result<Vec<Resource>, Failure> {
    Ok(match res {
        Resource::Root | Resource::WellKnown(_) => vec![Resource::DavRoot],
        Resource::DavRoot => vec![
            Resource::PrincipalsRoot,
            Resource::HomeSet(CollectionKind::Calendar),
            Resource::HomeSet(CollectionKind::AddressBook),
        ],
        Resource::PrincipalsRoot => vec![Resource::PrincipalsUsers],
        Resource::PrincipalsUsers => vec![Resource::Principal(user.clone())],
        Resource::HomeSet(kind) => vec![Resource::Home(*kind, user.clone())],
        Resource::Home(kind, owner) => {
            let mut children: Vec<Resource> = ctx
                .store
                .list_collections(owner.id, *kind)?
                .into_iter()
                .map(|c| Resource::Collection(Mount::owned(owner.clone(), &c), c))
                .collect();
            // Collections shared with the owner of the home, after its own.
            children.extend(
                shared_mounts(ctx, owner, *kind)?
                    .into_iter()
                    .map(|(m, c)| Resource::Collection(m, c)),
            );
            // Directories come after the account's own address books, so the default one
            // stays first (compat pitfall 13).
            if *kind == CollectionKind::AddressBook {
                children.extend(
                    directory::visible(ctx, owner)?
                        .into_iter()
                        .map(|d| Resource::Directory(owner.clone(), d)),
                );
            }
            children
        }
        Resource::Directory(owner, dir) => dir
            .cards(ctx)?
            .into_iter()
            .map(|c| Resource::DirectoryCard(owner.clone(), dir.clone(), c))
            .collect(),
        Resource::Principal(_)
        | Resource::Collection(..)
        | Resource::Object(..)
        | Resource::DirectoryCard(..) => Vec::new(),
    })
}
