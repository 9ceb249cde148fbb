//! Sharing calendars and address books with people and teams: the rules, and where a shared
//! collection appears.
//!
//! - Only the owner of a collection shares it (the operator may too), with a member of one of
//!   its organisations or with a team of one of them, `read` or `read-write`; sharing again
//!   with the same person or team changes the access. A team is named `team:NAME`, or
//!   `team:ORG/NAME` when several of the owner's organisations have a team of that name (an
//!   ambiguous name is refused, listing them). The organisation is the first of the
//!   owner's organisations (in join order, so the governing one first) that the sharee or the
//!   team belongs to; the share lasts while both stay in it, and a team share reaches whoever
//!   is in the team at the time of each request.
//! - Generated collections (names starting with a dot: the organisation directory, the
//!   birthday calendar, and the mounts of collections shared with the user) are never shared.
//! - A collection shared with an account appears in that account's home under the name
//!   [`mount_name`] (`.shared-ID`): the leading dot keeps it apart from anything a client can
//!   create, and the id keeps it stable whatever the owner calls the collection.
//!
//! Collections are named by their DAV path, as clients see it ([`CollectionPath`]).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::access::{Access, Product, home_access, shared_access};
use super::actor::{Actor, owned_record};
use super::error::OrgError;
use super::home::{Home, home};
use super::plan::Plans;
use crate::href::{decode_path, encode_segment, href_path};
use crate::store::{
    Account, Collection, CollectionKind, Grantee, NewShare, Org, Share, ShareAccess, ShareFilter,
    SharedCollection, Sharee, Store, StoreError, Team,
};

/// Prefix of the name a shared collection has in a sharee's home.
pub const MOUNT_PREFIX: &str = ".shared-";

/// The name the collection `collection` has in the home of an account it is shared with.
pub fn mount_name(collection: i64) -> String {
    format!("{MOUNT_PREFIX}{collection}")
}

/// The collection id a name in a home names as a shared collection, if it is one: only the
/// name [`mount_name`] gives it (`.shared-013` or `.shared-+13` name nothing), so every
/// collection has one URL in a home.
pub fn mounted_collection(name: &str) -> Option<i64> {
    let id = name.strip_prefix(MOUNT_PREFIX)?.parse().ok()?;
    (mount_name(id) == name).then_some(id)
}

/// True for the names of generated collections, which are never shared nor published: they
/// start with a dot, which no client-created collection may.
pub fn is_generated(name: &str) -> bool {
    name.starts_with('.')
}

/// A collection named by its DAV path, `/dav/calendars/LOGIN/NAME/` or
/// `/dav/addressbooks/LOGIN/NAME/` (a full URL is accepted too, and the path without `/dav/`,
/// as the JSON API's collection routes have it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionPath {
    /// Calendar or address book.
    pub kind: CollectionKind,
    /// Login of the home it is in.
    pub login: String,
    /// Its name in that home.
    pub name: String,
}

/// The path segment under `/dav/` of the homes of `kind`.
pub fn homes_segment(kind: CollectionKind) -> &'static str {
    match kind {
        CollectionKind::Calendar => "calendars",
        CollectionKind::AddressBook => "addressbooks",
    }
}

/// The kind of collection the homes under `/dav/SEGMENT/` hold, if SEGMENT names homes.
pub fn homes_kind(segment: &str) -> Option<CollectionKind> {
    [CollectionKind::Calendar, CollectionKind::AddressBook]
        .into_iter()
        .find(|k| homes_segment(*k) == segment)
}

impl CollectionPath {
    /// Reads a collection path (or URL), with any equivalent encoding.
    pub fn parse(text: &str) -> Result<CollectionPath, OrgError> {
        let invalid = || OrgError::InvalidPath(text.to_owned());
        let path = href_path(text).split(['?', '#']).next().unwrap_or_default();
        let (segments, _) = decode_path(path).map_err(|_| invalid())?;
        let segments = segments
            .strip_prefix(&["dav".to_owned()][..])
            .unwrap_or(&segments);
        match segments {
            [homes, login, name] => Ok(CollectionPath {
                kind: homes_kind(homes).ok_or_else(invalid)?,
                login: login.clone(),
                name: name.clone(),
            }),
            _ => Err(invalid()),
        }
    }

    /// The path of the collection `name` of `kind` in `login`'s home.
    pub fn of(kind: CollectionKind, login: &str, name: &str) -> CollectionPath {
        CollectionPath {
            kind,
            login: login.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The canonical href: the one DAV clients see (`crate::href`'s encoding).
    pub fn href(&self) -> String {
        format!(
            "/dav/{}/{}/{}/",
            homes_segment(self.kind),
            encode_segment(&self.login),
            encode_segment(&self.name)
        )
    }
}

impl std::fmt::Display for CollectionPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.href())
    }
}

/// Who a share is made with, as people name them: a login, or `team:NAME` or
/// `team:ORG/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareWith {
    /// An account.
    Login(String),
    /// The account of a member of one of the owner's organisations, by e-mail address
    /// (compared without ASCII case): how calendar clients name sharees.
    Address(String),
    /// A team of one of the owner's organisations: its name, or `ORG/NAME` (see
    /// [`names_team`]).
    Team(String),
}

/// True when `spec` (what follows `team:`) names the team `team` of the organisation
/// `org`: its name, or the organisation's name, a slash and its name. Names may hold slashes
/// themselves, so every reading is tried.
pub fn names_team(spec: &str, org: &str, team: &str) -> bool {
    spec == team
        || spec
            .strip_prefix(org)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|rest| rest == team)
}

/// How a team share names its team unambiguously: `team:ORG/NAME`.
pub fn team_label(org: &str, team: &str) -> String {
    format!("team:{org}/{team}")
}

impl ShareWith {
    /// Reads `LOGIN` or `team:NAME`.
    pub fn parse(text: &str) -> Result<ShareWith, OrgError> {
        let t = text.trim();
        match t.strip_prefix("team:") {
            Some(name) if !name.trim().is_empty() => Ok(ShareWith::Team(name.trim().to_owned())),
            Some(_) => Err(OrgError::InvalidShareTarget(text.to_owned())),
            None if t.is_empty() || t.contains(char::is_whitespace) => {
                Err(OrgError::InvalidShareTarget(text.to_owned()))
            }
            None => Ok(ShareWith::Login(t.to_owned())),
        }
    }
}

impl std::fmt::Display for ShareWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareWith::Login(l) => f.write_str(l),
            ShareWith::Address(a) => write!(f, "mailto:{a}"),
            ShareWith::Team(t) => write!(f, "team:{t}"),
        }
    }
}

/// Reads an access level.
pub fn parse_access(text: &str) -> Result<ShareAccess, OrgError> {
    ShareAccess::parse(text.trim()).ok_or_else(|| OrgError::UnknownAccess(text.to_owned()))
}

/// The collection at `path` with its owner, if `actor` may share or publish it: its owner
/// (the operator too). Anything else, missing or someone else's, is "not found", so nothing
/// leaks; a generated collection is refused by name.
pub fn owned_collection(
    store: &dyn Store,
    actor: Actor<'_>,
    path: &CollectionPath,
) -> Result<(Account, Collection), OrgError> {
    let not_found = || OrgError::NotFound(format!("collection {}", path.href()));
    if is_generated(&path.name) {
        return Err(OrgError::NotShareable(path.href()));
    }
    if let Actor::Account(a) = actor
        && a.login != path.login
    {
        return Err(not_found());
    }
    let owner = store.account_by_login(&path.login)?.ok_or_else(not_found)?;
    let coll = store
        .collection(owner.id, path.kind, &path.name)?
        .ok_or_else(not_found)?;
    Ok((owner, coll))
}

/// Most changes one sharing request may make ([`apply`]): clients share with a few people at
/// a time, and a team stands for many.
pub const MAX_CHANGES: usize = 100;

/// One change of a sharing request: share with `with` (again: change the access), or stop
/// sharing with it (`access` `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareChange {
    /// Who.
    pub with: ShareWith,
    /// The access to give, or `None` to stop sharing.
    pub access: Option<ShareAccess>,
}

/// What deciding about the shares of one collection needs, read once: the collection, its
/// owner's organisations with their teams, its shares, and the accounts named by address.
struct Scope {
    owner: Account,
    coll: Collection,
    orgs: Vec<Org>,
    teams: Vec<(Org, Team)>,
    shares: Vec<Share>,
    /// Login by e-mail address in lower case, for the addresses the changes name.
    addresses: Vec<(String, String)>,
}

impl Scope {
    /// The scope of the collection at `path`, which `actor` must own; `with` are the sharees
    /// the request names (their addresses are looked up in one query).
    fn load<'w>(
        store: &dyn Store,
        actor: Actor<'_>,
        path: &CollectionPath,
        with: impl Iterator<Item = &'w ShareWith>,
    ) -> Result<Scope, OrgError> {
        let (owner, coll) = owned_collection(store, actor, path)?;
        let orgs: Vec<Org> = store
            .orgs_of(owner.id)?
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        let mut teams = Vec::new();
        for org in &orgs {
            teams.extend(store.teams(org.id)?.into_iter().map(|t| (org.clone(), t)));
        }
        let emails: Vec<String> = with
            .filter_map(|w| match w {
                ShareWith::Address(a) => Some(a.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
        let addresses = if emails.is_empty() {
            Vec::new()
        } else {
            store.co_members_by_email(owner.id, &emails)?
        };
        Ok(Scope {
            shares: store.shares(ShareFilter::Collection(coll.id))?,
            owner,
            coll,
            orgs,
            teams,
            addresses,
        })
    }

    /// The login an address names, if it is a member's.
    fn login_of(&self, address: &str) -> Result<&str, OrgError> {
        let address = address.to_ascii_lowercase();
        self.addresses
            .iter()
            .find(|(a, _)| *a == address)
            .map(|(_, login)| login.as_str())
            .ok_or_else(|| {
                OrgError::NotFound(format!(
                    "{address} as the address of a member of {}'s organisations",
                    self.owner.login
                ))
            })
    }

    /// The grantee `with` names and the organisation a share with it goes through: the
    /// first of the owner's organisations (join order) the account belongs to, or the
    /// team's. The owner itself is refused, and so is a team name several organisations
    /// have.
    fn grantee(&self, store: &dyn Store, with: &ShareWith) -> Result<(Grantee, i64), OrgError> {
        let login = match with {
            ShareWith::Login(login) => login.as_str(),
            ShareWith::Address(address) => self.login_of(address)?,
            ShareWith::Team(spec) => {
                let found: Vec<&(Org, Team)> = self
                    .teams
                    .iter()
                    .filter(|(org, team)| names_team(spec, &org.name, &team.name))
                    .collect();
                return match found.as_slice() {
                    [(org, team)] => Ok((Grantee::Team(team.id), org.id)),
                    [] => Err(OrgError::NotFound(format!(
                        "team {spec} in {}'s organisations",
                        self.owner.login
                    ))),
                    several => Err(OrgError::AmbiguousTeam {
                        team: spec.clone(),
                        orgs: several.iter().map(|(o, _)| o.name.clone()).collect(),
                    }),
                };
            }
        };
        let not_member = || {
            OrgError::NotFound(format!(
                "{login} among the members of {}'s organisations",
                self.owner.login
            ))
        };
        let sharee = store.account_by_login(login)?.ok_or_else(not_member)?;
        if sharee.id == self.owner.id {
            return Err(OrgError::SelfShare(self.owner.login.clone()));
        }
        for org in &self.orgs {
            if store.member(org.id, sharee.id)?.is_some() {
                return Ok((Grantee::Account(sharee.id), org.id));
            }
        }
        Err(not_member())
    }

    /// The grantee of the share `with` names, to stop sharing with it; `None` when there is
    /// none. A person who has the collection only through teams is refused, naming them
    /// (unsharing with the person would change nothing); a team name that fits shares with
    /// teams of several organisations is refused, listing them.
    fn removal(&self, with: &ShareWith) -> Result<Option<Grantee>, OrgError> {
        let login = match with {
            ShareWith::Login(login) => login.as_str(),
            ShareWith::Address(address) => self.login_of(address)?,
            ShareWith::Team(spec) => {
                let found: Vec<&Share> = self
                    .shares
                    .iter()
                    .filter(|s| match &s.sharee {
                        Sharee::Team { name, .. } => names_team(spec, &s.org_name, name),
                        Sharee::Account { .. } => false,
                    })
                    .collect();
                return match found.as_slice() {
                    [] => Ok(None),
                    [share] => Ok(Some(share.sharee.grantee())),
                    several => Err(OrgError::AmbiguousTeam {
                        team: spec.clone(),
                        orgs: several.iter().map(|s| s.org_name.clone()).collect(),
                    }),
                };
            }
        };
        let own = self.shares.iter().find(|s| match &s.sharee {
            Sharee::Account { login: l, .. } => l == login,
            Sharee::Team { .. } => false,
        });
        if let Some(share) = own {
            return Ok(Some(share.sharee.grantee()));
        }
        let through: Vec<String> = self
            .shares
            .iter()
            .filter_map(|s| match &s.sharee {
                Sharee::Team { id, name } => self
                    .teams
                    .iter()
                    .any(|(_, t)| t.id == *id && t.members.iter().any(|m| m == login))
                    .then(|| team_label(&s.org_name, name)),
                Sharee::Account { .. } => None,
            })
            .collect();
        if through.is_empty() {
            Ok(None)
        } else {
            Err(OrgError::SharedThroughTeam {
                login: login.to_owned(),
                teams: through,
            })
        }
    }
}

/// Shares the collection at `path` with `with` (or changes the access of the existing share);
/// `true` when the share is new.
pub fn add(
    store: &dyn Store,
    actor: Actor<'_>,
    path: &CollectionPath,
    with: &ShareWith,
    access: ShareAccess,
) -> Result<(Share, bool), OrgError> {
    let scope = Scope::load(store, actor, path, [with].into_iter())?;
    let (grantee, org) = scope.grantee(store, with)?;
    Ok(store.put_share(&NewShare {
        collection: scope.coll.id,
        org,
        grantee,
        access,
        created: store.now(),
    })?)
}

/// Stops sharing the collection at `path` with `with`.
pub fn remove(
    store: &dyn Store,
    actor: Actor<'_>,
    path: &CollectionPath,
    with: &ShareWith,
) -> Result<(), OrgError> {
    let scope = Scope::load(store, actor, path, [with].into_iter())?;
    let grantee = scope
        .removal(with)?
        .ok_or_else(|| OrgError::NotFound(format!("share of {} with {with}", scope.coll.name)))?;
    Ok(store.remove_share(scope.coll.id, grantee)?)
}

/// Applies the changes of one sharing request to the collection at `path`, all or nothing:
/// at most [`MAX_CHANGES`]; every sharee is resolved and checked before anything is written
/// (see [`add`]; stopping to share with someone it is not shared with changes nothing), a
/// grantee named several times gets its last change, and the changes are written in one
/// transaction.
pub fn apply(
    store: &dyn Store,
    actor: Actor<'_>,
    path: &CollectionPath,
    changes: &[ShareChange],
) -> Result<(), OrgError> {
    if changes.len() > MAX_CHANGES {
        return Err(OrgError::TooManyShareChanges {
            asked: changes.len(),
            max: MAX_CHANGES,
        });
    }
    let scope = Scope::load(store, actor, path, changes.iter().map(|c| &c.with))?;
    // In request order, the last change of each grantee.
    let mut decided: Vec<(Grantee, Option<(i64, ShareAccess)>)> = Vec::new();
    for change in changes {
        let decision = match change.access {
            Some(access) => {
                let (grantee, org) = scope.grantee(store, &change.with)?;
                Some((grantee, Some((org, access))))
            }
            None => scope.removal(&change.with)?.map(|g| (g, None)),
        };
        if let Some((grantee, what)) = decision {
            decided.retain(|(g, _)| *g != grantee);
            decided.push((grantee, what));
        }
    }
    let removals: Vec<Grantee> = decided
        .iter()
        .filter(|(_, what)| what.is_none())
        .map(|(g, _)| *g)
        .collect();
    let created = store.now();
    let puts: Vec<NewShare> = decided
        .iter()
        .filter_map(|(grantee, what)| {
            what.map(|(org, access)| NewShare {
                collection: scope.coll.id,
                org,
                grantee: *grantee,
                access,
                created,
            })
        })
        .collect();
    Ok(store.apply_shares(scope.coll.id, &removals, &puts)?)
}

/// The shares `actor` may see: of the collection at `path`, or all of its collections (every
/// share on the server for the operator).
pub fn list(
    store: &dyn Store,
    actor: Actor<'_>,
    path: Option<&CollectionPath>,
) -> Result<Vec<Share>, OrgError> {
    if let Some(path) = path {
        let (_, coll) = owned_collection(store, actor, path)?;
        return Ok(store.shares(ShareFilter::Collection(coll.id))?);
    }
    Ok(match actor {
        Actor::Operator => store.shares(ShareFilter::All)?,
        Actor::Account(a) => store.shares(ShareFilter::Owner(a.id))?,
    })
}

/// The share with id `id`, if `actor` owns its collection (or is the operator).
pub fn find(store: &dyn Store, actor: Actor<'_>, id: i64) -> Result<Share, OrgError> {
    owned_record(
        store.shares(ShareFilter::Id(id))?,
        actor,
        |s| s.owner,
        || format!("share {id}"),
    )
}

/// Changes the access of the share `id`.
pub fn set_access(
    store: &dyn Store,
    actor: Actor<'_>,
    id: i64,
    access: ShareAccess,
) -> Result<Share, OrgError> {
    let share = find(store, actor, id)?;
    Ok(store
        .put_share(&NewShare {
            collection: share.collection,
            org: share.org,
            grantee: share.sharee.grantee(),
            access,
            created: share.created,
        })?
        .0)
}

/// Removes the share `id`.
pub fn remove_by_id(store: &dyn Store, actor: Actor<'_>, id: i64) -> Result<(), OrgError> {
    let share = find(store, actor, id)?;
    store
        .remove_share(share.collection, share.sharee.grantee())
        .map_err(|e| match e {
            StoreError::NotFound(_) => OrgError::NotFound(format!("share {id}")),
            other => other.into(),
        })
}

/// The collections shared with `account` that its homes list, calendars first, each with the
/// access it may use: not removed by it, and available as DAV serves them (its own product is
/// on in its governing organisation, the owner's is on, and so is its own in an organisation
/// the collection is shared through: [`shared_access`]).
pub fn shared_with(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
) -> Result<Vec<(SharedCollection, ShareAccess)>, OrgError> {
    usable_shared(store, plans, account, false)
}

/// The collections shared with `account` that it declined (removed from its homes), which
/// it could accept again, with the access it would have: the ones [`shared_with`] would list
/// once accepted.
pub fn declined(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
) -> Result<Vec<(SharedCollection, ShareAccess)>, OrgError> {
    usable_shared(store, plans, account, true)
}

/// The collections shared with `account` that DAV would serve it, among the declined ones
/// (`hidden`) or the others.
fn usable_shared(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
    hidden: bool,
) -> Result<Vec<(SharedCollection, ShareAccess)>, OrgError> {
    let own = home(store, plans, account.id)?;
    let mut owners: HashMap<i64, Option<Home>> = HashMap::new();
    let mut out = Vec::new();
    for kind in [CollectionKind::Calendar, CollectionKind::AddressBook] {
        let product = Product::of(kind);
        let own_access = home_access(account, account.id, product, own.as_ref());
        for shared in store.shared_with(account.id, kind)? {
            if shared.view.hidden != hidden {
                continue;
            }
            let owner = match owners.entry(shared.owner.id) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(home(store, plans, shared.owner.id)?),
            };
            let access = shared_access(own_access.clone(), &shared.routes, product, owner.as_ref());
            if let Access::Shared(access) = access {
                out.push((shared, access));
            }
        }
    }
    Ok(out)
}

/// A collection shared with an account as its home shows it (under its mount name), with the
/// access the account has to it there: what the JSON API and the command line open such a
/// collection with, as DAV does.
#[derive(Debug, Clone)]
pub struct Mounted {
    /// The collection and its owner.
    pub shared: SharedCollection,
    /// What the account may do with it ([`shared_access`]: the owner's product on, and the
    /// strongest share made through an organisation where the account's product is on).
    pub access: Access,
    /// The owner's governing organisation, whose plan limits the collection whoever writes.
    pub owner_home: Option<Home>,
}

/// Collection `id` shared with `sharee`, if its `kind` home shows it: not declined (hidden) and
/// of that kind; `None` otherwise, so a probe learns nothing of other collections.
pub fn mounted(
    store: &dyn Store,
    plans: &Plans,
    sharee: i64,
    kind: CollectionKind,
    id: i64,
) -> Result<Option<Mounted>, OrgError> {
    let Some(shared) = store
        .shared_collection(sharee, id)?
        .filter(|s| !s.view.hidden && s.collection.kind == kind)
    else {
        return Ok(None);
    };
    let owner_home = home(store, plans, shared.owner.id)?;
    let access = shared_access(
        Access::Owner,
        &shared.routes,
        Product::of(kind),
        owner_home.as_ref(),
    );
    Ok(Some(Mounted {
        shared,
        access,
        owner_home,
    }))
}

/// Accepts (shows it in the sharee's home again) or declines (takes it out of the home: a
/// DELETE of it, a declined invitation) the collection `collection` shared with `sharee` as a
/// collection of `kind`; the share itself stays. Anything not shared with it as a `kind` is
/// "not found", so an address book is never answered through a calendar home.
pub fn reply(
    store: &dyn Store,
    sharee: &Account,
    kind: CollectionKind,
    collection: i64,
    accept: bool,
) -> Result<SharedCollection, OrgError> {
    let shared = store
        .shared_collection(sharee.id, collection)?
        .filter(|s| s.collection.kind == kind)
        .ok_or_else(|| OrgError::NotFound(format!("{kind} {collection} shared with you")))?;
    store.set_share_hidden(sharee.id, collection, !accept)?;
    Ok(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_names_round_trip() {
        assert_eq!(mounted_collection(&mount_name(42)), Some(42));
        assert_eq!(mounted_collection("personal"), None);
        assert_eq!(mounted_collection(".shared-x"), None);
        for other_spelling in [".shared-042", ".shared-+42", ".shared- 42", ".shared-42 "] {
            assert_eq!(mounted_collection(other_spelling), None, "{other_spelling}");
        }
        assert!(is_generated(&mount_name(1)));
        assert!(is_generated(".directory-3"));
        assert!(is_generated(".birthdays"));
        assert!(!is_generated("work"));
    }

    #[test]
    fn collection_paths_parse_and_print() {
        let p = CollectionPath::parse("/dav/calendars/alice/my%20cal/").unwrap();
        assert_eq!(
            p,
            CollectionPath::of(CollectionKind::Calendar, "alice", "my cal")
        );
        assert_eq!(p.href(), "/dav/calendars/alice/my%20cal/");
        assert_eq!(
            CollectionPath::parse("https://dav.example.com/dav/addressbooks/bob/contacts").unwrap(),
            CollectionPath::of(CollectionKind::AddressBook, "bob", "contacts")
        );
        assert_eq!(
            CollectionPath::parse("calendars/alice/my%20cal").unwrap(),
            CollectionPath::of(CollectionKind::Calendar, "alice", "my cal"),
            "without /dav/, as the API's collection routes"
        );
        assert_eq!(p.to_string(), p.href());
        for bad in [
            "",
            "/dav/calendars/alice/",
            "/dav/calendars/alice/cal/x.ics",
            "/dav/other/a/b/",
            "/dav/calendars/alice/..",
            "/dav/calendars/alice/%FF/",
            "/dav/calendars/al/../x/",
            "/dav/files/al/x/",
            "calendars/al/x/y",
            "dav/dav/calendars/al/x",
        ] {
            assert!(CollectionPath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn teams_are_named_alone_or_with_their_organisation() {
        assert!(names_team("crew", "acme", "crew"));
        assert!(names_team("acme/crew", "acme", "crew"));
        assert!(!names_team("beta/crew", "acme", "crew"));
        assert!(!names_team("acme/", "acme", "crew"));
        assert!(!names_team("acmecrew", "acme", "crew"));
        // Slashes in names: every reading is tried.
        assert!(names_team("a/b/c", "a/b", "c"));
        assert!(names_team("a/b/c", "a", "b/c"));
        assert!(names_team("b/c", "a", "b/c"));
        assert_eq!(team_label("acme", "crew"), "team:acme/crew");
    }

    #[test]
    fn share_targets_parse() {
        assert_eq!(
            ShareWith::parse("bob").unwrap(),
            ShareWith::Login("bob".into())
        );
        assert_eq!(
            ShareWith::parse("team:sales crew").unwrap(),
            ShareWith::Team("sales crew".into())
        );
        assert_eq!(ShareWith::Team("x".into()).to_string(), "team:x");
        assert_eq!(
            ShareWith::parse("team:acme/crew").unwrap(),
            ShareWith::Team("acme/crew".into())
        );
        for bad in ["", "team:", "two words"] {
            assert_eq!(
                ShareWith::parse(bad).unwrap_err().code(),
                "invalid-sharee",
                "{bad}"
            );
        }
        assert_eq!(parse_access("read-write").unwrap(), ShareAccess::ReadWrite);
        assert_eq!(parse_access("write").unwrap_err().code(), "unknown-access");
    }
}
