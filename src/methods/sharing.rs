//! Sharing over DAV: the CalendarServer sharing properties clients read (`CS:invite`,
//! `CS:shared-url`, `CS:allowed-sharing-modes`, and `CS:shared-owner` / `CS:shared` in the
//! resourcetype, written by `props`), and the sharing POSTs:
//!
//! - `CS:share` (caldav-sharing, Apple Calendar) and `DAV:share-resource`
//!   (draft-pot-webdav-resource-sharing, sabre/dav) on a collection: its owner adds, changes or
//!   removes sharees, named by `mailto:` address (a member of one of the owner's organisations),
//!   by principal URL, or as `urn:davsuite:team:NAME` (`urn:davsuite:team:ORG/NAME`) for a
//!   team. All or nothing, at most `org::share::MAX_CHANGES` changes (403
//!   `DS:share-changes-within-limits` beyond): a sharee it cannot be shared with refuses the
//!   whole request with 403 `DS:valid-sharee`, and so does removing a person who has the
//!   collection only through a team (it would change nothing).
//! - `CS:invite` lists the shares as the owner made them: each person shared with (with its
//!   address, access and whether it declined), and each team as `urn:davsuite:team:ORG/NAME`,
//!   not its members; so whatever it lists can be removed, and removing it changes what it
//!   lists.
//! - `CS:invite-reply` on the sharee's calendar or address book home: accepting shows the
//!   shared collection in the home again (answered with `CS:shared-as`), declining removes it
//!   from there (like a DELETE of it). Shares are accepted from the start: a new share appears
//!   in the sharee's home at once, as in Nextcloud, since the owner and the sharee belong to
//!   the same organisation.
//!
//! Who may do what is `org::access` and `org::share`'s; this module reads and writes the XML.

use super::resource::{Mount, collection, home_owner};
use super::target::{Target, collection_href, principal_href};
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome};
use crate::dav::condition::{Condition, DavError};
use crate::dav::prop::{CsProp, PropValue, XmlNode};
use crate::dav::request::parse_body;
use crate::dav::xml::{Element, NS_CALENDARSERVER, NS_DAV, XmlWriter};
use crate::href::href_path;
use crate::org::Actor;
use crate::org::access::{Access, Action};
use crate::org::share::{
    self as org_share, CollectionPath, ShareChange, ShareWith, mounted_collection,
};
use crate::org::{ErrorKind, OrgError};
use crate::store::{Account, Collection, CollectionKind, ShareAccess, ShareFilter, Sharee};

const CS: &str = NS_CALENDARSERVER;

/// How a sharee or an organizer is named in `CS:invite`: its `mailto:` address when it has
/// one, else its principal URL.
fn address(login: &str, email: Option<&str>) -> String {
    email.map_or_else(|| principal_href(login), |e| format!("mailto:{e}"))
}

fn access_node(access: ShareAccess) -> XmlNode {
    let level = match access {
        ShareAccess::Read => "read",
        ShareAccess::ReadWrite => "read-write",
    };
    XmlNode::parent(CS, "access", vec![XmlNode::empty(CS, level)])
}

/// How a team is named in `CS:invite` and in sharing requests.
const TEAM_URN: &str = "urn:davsuite:team:";

/// One `CS:user` of `CS:invite`: its href, name, access and whether it declined.
fn user_node(href: String, name: &str, access: ShareAccess, hidden: bool) -> XmlNode {
    XmlNode::parent(
        CS,
        "user",
        vec![
            XmlNode::text(NS_DAV, "href", href),
            XmlNode::text(CS, "common-name", name),
            XmlNode::empty(
                CS,
                if hidden {
                    "invite-declined"
                } else {
                    "invite-accepted"
                },
            ),
            access_node(access),
        ],
    )
}

/// The sharing property `prop` of `coll` seen through `mount` by `user`; `None` where the
/// collection does not have it.
pub fn prop(
    ctx: &Ctx<'_>,
    user: &Account,
    mount: &Mount,
    coll: &Collection,
    prop: CsProp,
) -> Result<Option<PropValue>, Failure> {
    let owner = &mount.owner;
    let organizer = XmlNode::parent(
        CS,
        "organizer",
        vec![
            XmlNode::text(
                NS_DAV,
                "href",
                address(&owner.login, owner.email.as_deref()),
            ),
            XmlNode::text(CS, "common-name", &owner.display_name),
        ],
    );
    Ok(match (prop, &mount.access) {
        (CsProp::Invite, Access::Owner) => {
            let shares = ctx.store.shares(ShareFilter::Collection(coll.id))?;
            if shares.is_empty() {
                return Ok(None);
            }
            let mut nodes = vec![organizer];
            nodes.extend(shares.iter().map(|s| match &s.sharee {
                Sharee::Account {
                    login,
                    display_name,
                    email,
                    ..
                } => user_node(
                    address(login, email.as_deref()),
                    display_name,
                    s.access,
                    s.declined,
                ),
                Sharee::Team { name, .. } => user_node(
                    format!("{TEAM_URN}{}/{name}", s.org_name),
                    &format!("{name} ({})", s.org_name),
                    s.access,
                    false,
                ),
            }));
            Some(PropValue::Tree(nodes))
        }
        // A sharee sees who shares it and itself, not who else it is shared with.
        (CsProp::Invite, Access::Shared(access)) => Some(PropValue::Tree(vec![
            organizer,
            user_node(
                address(&user.login, user.email.as_deref()),
                &user.display_name,
                *access,
                false,
            ),
        ])),
        (CsProp::SharedUrl, Access::Shared(_)) => Some(PropValue::Href(collection_href(
            coll.kind,
            &owner.login,
            &coll.name,
        ))),
        (CsProp::AllowedSharingModes, Access::Owner) if coll.kind == CollectionKind::Calendar => {
            Some(PropValue::Elements(vec![(CS, "can-be-shared")]))
        }
        _ => None,
    })
}

/// Handles POST: the sharing requests on a collection or a home; anything else is 405.
pub fn post(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    match &req.target {
        Target::Collection(kind, login, name) => {
            let root = parse_body(req.body)?;
            let changes = if root.is(CS, "share") {
                cs_share(&root)?
            } else if root.is(NS_DAV, "share-resource") {
                share_resource(&root)?
            } else {
                return Err(invalid(
                    "POST on a collection takes a CS:share or DAV:share-resource document",
                ));
            };
            let (mount, coll) = collection(ctx, req.user, *kind, login, name, Action::Administer)?;
            share(ctx, req.user, &mount, &coll, &changes)
        }
        Target::Home(kind, login) => {
            let root = parse_body(req.body)?;
            if !root.is(CS, "invite-reply") {
                return Err(invalid("POST on a home takes a CS:invite-reply document"));
            }
            let home = home_owner(ctx, req.user, *kind, login)?;
            invite_reply(ctx, &home, *kind, &root)
        }
        _ => Err(Failure::Status(
            405,
            "POST is only for sharing requests on collections and homes".into(),
        )),
    }
}

fn invalid(message: &str) -> Failure {
    DavError::new(Condition::InvalidRequest, message).into()
}

/// One change a sharing request asks for: `None` access removes the sharee.
type Change = (String, Option<ShareAccess>);

/// Reads a CalendarServer `share` document: `set` (href, `read` or `read-write`) and `remove`
/// (href) elements.
fn cs_share(root: &Element) -> Result<Vec<Change>, Failure> {
    let mut out = Vec::new();
    for e in root.elements() {
        let href = || {
            e.child(NS_DAV, "href")
                .map(|h| h.text().trim().to_owned())
                .filter(|h| !h.is_empty())
                .ok_or_else(|| invalid("every CS:set and CS:remove needs a DAV:href"))
        };
        if e.is(CS, "set") {
            let access = if e.child(CS, "read-write").is_some() {
                ShareAccess::ReadWrite
            } else {
                ShareAccess::Read
            };
            out.push((href()?, Some(access)));
        } else if e.is(CS, "remove") {
            out.push((href()?, None));
        }
    }
    Ok(out)
}

/// Reads a `DAV:share-resource` document: `sharee` elements with an href and a
/// `share-access` of `read`, `read-write` or `no-access` (removal).
fn share_resource(root: &Element) -> Result<Vec<Change>, Failure> {
    let mut out = Vec::new();
    for e in root.elements().filter(|e| e.is(NS_DAV, "sharee")) {
        let href = e
            .child(NS_DAV, "href")
            .map(|h| h.text().trim().to_owned())
            .filter(|h| !h.is_empty())
            .ok_or_else(|| invalid("every DAV:sharee needs a DAV:href"))?;
        let level = e
            .child(NS_DAV, "share-access")
            .and_then(|a| a.elements().next())
            .map(|l| l.name.local.clone())
            .unwrap_or_default();
        let access = match level.as_str() {
            "read" => Some(ShareAccess::Read),
            "read-write" => Some(ShareAccess::ReadWrite),
            "no-access" => None,
            other => {
                return Err(invalid(&format!(
                    "share-access {other:?} is not read, read-write or no-access"
                )));
            }
        };
        out.push((href, access));
    }
    Ok(out)
}

fn bad_sharee(message: impl Into<String>) -> Failure {
    DavError::new(Condition::ValidSharee, message).into()
}

/// The account or team an href names.
fn sharee(href: &str) -> Result<ShareWith, Failure> {
    if let Some(email) = href
        .strip_prefix("mailto:")
        .or_else(|| href.strip_prefix("MAILTO:"))
    {
        return Ok(ShareWith::Address(email.trim().to_owned()));
    }
    if let Some(team) = href.strip_prefix(TEAM_URN) {
        return Ok(ShareWith::Team(team.to_owned()));
    }
    match Target::parse(href_path(href)) {
        Ok(Target::Principal(login)) => Ok(ShareWith::Login(login)),
        _ => Err(bad_sharee(format!(
            "{href} names no one: use a mailto: address or a principal URL"
        ))),
    }
}

/// Applies a sharing request of the owner to `coll`, all or nothing (see `org::share::apply`).
fn share(
    ctx: &Ctx<'_>,
    user: &Account,
    mount: &Mount,
    coll: &Collection,
    changes: &[Change],
) -> Outcome {
    let path = CollectionPath::of(coll.kind, &mount.owner.login, &coll.name);
    let changes = changes
        .iter()
        .map(|(href, access)| {
            Ok(ShareChange {
                with: sharee(href)?,
                access: *access,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    org_share::apply(ctx.store, Actor::Account(user), &path, &changes).map_err(sharing_error)?;
    Ok(DavResponse::empty(200))
}

/// A refused share, as a DAV answer.
fn sharing_error(e: OrgError) -> Failure {
    match e {
        OrgError::TooManyShareChanges { .. } => {
            DavError::new(Condition::ShareChangesWithinLimits, e.to_string()).into()
        }
        e if matches!(
            e.kind(),
            ErrorKind::Invalid | ErrorKind::NotFound | ErrorKind::Conflict
        ) =>
        {
            bad_sharee(e.to_string())
        }
        e => e.into(),
    }
}

/// Accepts or declines a collection shared with `home`'s account.
fn invite_reply(ctx: &Ctx<'_>, home: &Account, kind: CollectionKind, root: &Element) -> Outcome {
    let accepted = if root.child(CS, "invite-accepted").is_some() {
        true
    } else if root.child(CS, "invite-declined").is_some() {
        false
    } else {
        return Err(invalid(
            "CS:invite-reply needs CS:invite-accepted or CS:invite-declined",
        ));
    };
    let host = root
        .child(CS, "hosturl")
        .and_then(|h| h.child(NS_DAV, "href"))
        .map(|h| h.text().trim().to_owned())
        .ok_or_else(|| {
            invalid("CS:invite-reply needs CS:hosturl with the collection's DAV:href")
        })?;
    let no_invitation = || Failure::Status(404, format!("no invitation to {host}"));
    // The shared collection, named by the owner's URL of it or by its place in this home.
    let id = match Target::parse(href_path(&host)) {
        Ok(Target::Collection(k, login, name)) if k == kind => {
            match (login == home.login, mounted_collection(&name)) {
                (true, Some(id)) => id,
                _ => {
                    let owner = ctx
                        .store
                        .account_by_login(&login)?
                        .ok_or_else(no_invitation)?;
                    ctx.store
                        .collection(owner.id, kind, &name)?
                        .ok_or_else(no_invitation)?
                        .id
                }
            }
        }
        _ => return Err(no_invitation()),
    };
    let shared =
        org_share::reply(ctx.store, home, kind, id, accepted).map_err(|e| match e.kind() {
            ErrorKind::NotFound => no_invitation(),
            _ => e.into(),
        })?;
    if !accepted {
        return Ok(DavResponse::empty(204));
    }
    let mut w = XmlWriter::new();
    w.open(CS, "shared-as");
    w.text_element(
        NS_DAV,
        "href",
        &collection_href(
            kind,
            &home.login,
            &org_share::mount_name(shared.collection.id),
        ),
    );
    w.close();
    Ok(DavResponse::xml(200, w.finish()))
}
