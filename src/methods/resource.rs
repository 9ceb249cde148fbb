//! Resolving a [`Target`] to the resource it names, with the access check on the way: a user
//! who may not see a resource gets 403 without learning whether it exists.

use super::directory::{self, Card, Directory};
use super::target::{self, Target};
use super::{Ctx, Failure};
use crate::dav::condition::{Condition, DavError};
use crate::org::access::{Access, Denial, Product, home_access, principal_access};
use crate::store::{Account, Collection, CollectionKind, ObjectMeta};

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
    /// A collection and its owner.
    Collection(Account, Collection),
    /// An object with its owner and collection.
    Object(Account, Collection, ObjectMeta),
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
    Collection(&'a Account, &'a Collection),
    /// An object.
    Object(&'a Account, &'a Collection, &'a ObjectMeta),
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
            Res::Collection(a, c) => target::collection_href(c.kind, &a.login, &c.name),
            Res::Object(a, c, o) => {
                target::object_href(&target::collection_href(c.kind, &a.login, &c.name), &o.name)
            }
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
pub(super) fn denied(denial: &Denial) -> Failure {
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
        Access::Owner => Ok(owner),
        Access::Denied(d) => Err(denied(&d)),
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
        Access::Owner => Ok(owner),
        Access::Denied(d) => Err(denied(&d)),
    }
}

/// Loads a collection the user may use (404 when it does not exist).
pub fn collection(
    ctx: &Ctx<'_>,
    user: &Account,
    kind: CollectionKind,
    login: &str,
    name: &str,
) -> Result<(Account, Collection), Failure> {
    let owner = home_owner(ctx, user, kind, login)?;
    let coll = ctx
        .store
        .collection(owner.id, kind, name)?
        .ok_or_else(|| Failure::Status(404, format!("no {kind} named {name}")))?;
    Ok((owner, coll))
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
            let (owner, coll) = collection(ctx, user, *kind, login, name)?;
            Resource::Collection(owner, coll)
        }
        Target::Object(kind, login, coll, name) => {
            let (owner, coll) = collection(ctx, user, *kind, login, coll)?;
            let obj = ctx
                .store
                .get_object(coll.id, name)?
                .ok_or_else(|| Failure::Status(404, format!("{name} not found")))?;
            Resource::Object(owner, coll, obj.meta)
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
                .map(|c| Resource::Collection(owner.clone(), c))
                .collect();
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
