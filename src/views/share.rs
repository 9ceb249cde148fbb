//! The JSON shapes of shares, collections shared with someone, and public links.

use serde::Serialize;

use crate::org::link::url;
use crate::org::share::{CollectionPath, mount_name, team_label};
use crate::store::clock::rfc3339;
use crate::store::{CollectionKind, PublicLink, Share, ShareAccess, SharedCollection, Sharee};

fn kind_name(kind: CollectionKind) -> &'static str {
    match kind {
        CollectionKind::Calendar => "calendar",
        CollectionKind::AddressBook => "addressbook",
    }
}

/// A share of one of the caller's collections.
#[derive(Debug, Serialize)]
pub struct ShareItemView {
    /// Id (used in API paths).
    pub id: i64,
    /// The shared collection's DAV path.
    pub collection: String,
    /// `calendar` or `addressbook`.
    pub kind: &'static str,
    /// Who it is shared with: a login, or `team:ORG/NAME`.
    pub with: String,
    /// The organisation it is shared in.
    pub org: String,
    /// `read` or `read-write`.
    pub access: &'static str,
    /// The sharee removed the collection from its home (or declined it); always false for a
    /// team.
    pub declined: bool,
    /// Creation time, RFC 3339.
    pub created: String,
}

impl From<&Share> for ShareItemView {
    fn from(s: &Share) -> Self {
        ShareItemView {
            id: s.id,
            collection: CollectionPath::of(s.kind, &s.owner_login, &s.name).href(),
            kind: kind_name(s.kind),
            with: match &s.sharee {
                Sharee::Account { login, .. } => login.clone(),
                Sharee::Team { name, .. } => team_label(&s.org_name, name),
            },
            org: s.org_name.clone(),
            access: s.access.as_str(),
            declined: s.declined,
            created: rfc3339(s.created),
        }
    }
}

/// A collection shared with the caller, as it appears in its home.
#[derive(Debug, Serialize)]
pub struct SharedCollectionView {
    /// Its DAV path in the caller's home.
    pub path: String,
    /// `calendar` or `addressbook`.
    pub kind: &'static str,
    /// The owner's login.
    pub owner: String,
    /// `read` or `read-write`.
    pub access: &'static str,
    /// The caller's name for it, else the owner's name for it (without the owner's name that
    /// DAV clients see after it).
    pub display_name: Option<String>,
}

impl SharedCollectionView {
    /// The view of `shared` in the home of `login`, which may use it with `access`.
    pub fn new(login: &str, shared: &SharedCollection, access: ShareAccess) -> Self {
        let c = &shared.collection;
        SharedCollectionView {
            path: CollectionPath::of(c.kind, login, &mount_name(c.id)).href(),
            kind: kind_name(c.kind),
            owner: shared.owner.login.clone(),
            access: access.as_str(),
            display_name: shared
                .view
                .display_name
                .clone()
                .or_else(|| c.props.display_name.clone()),
        }
    }
}

/// A public link.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Id (used in API paths and by `davsuite link revoke`).
    pub id: i64,
    /// The published calendar's DAV path.
    pub calendar: String,
    /// The link: `BASE/public/TOKEN.ics` (calendar apps subscribe to it with the scheme
    /// replaced by `webcal://`).
    pub url: String,
    /// `active`, `expired` or `revoked`.
    pub status: &'static str,
    /// Creation time, RFC 3339.
    pub created: String,
    /// End of validity, RFC 3339; null for unlimited.
    pub expires: Option<String>,
    /// When it was revoked, RFC 3339.
    pub revoked: Option<String>,
}

impl LinkView {
    /// The view of `link` at `now`, with its URL under the public base URL `base`.
    pub fn new(link: &PublicLink, base: &str, now: i64) -> Self {
        let status = match (link.revoked, link.is_active(now)) {
            (Some(_), _) => "revoked",
            (None, true) => "active",
            (None, false) => "expired",
        };
        LinkView {
            id: link.id,
            calendar: CollectionPath::of(CollectionKind::Calendar, &link.owner_login, &link.name)
                .href(),
            url: url(base, &link.token),
            status,
            created: rfc3339(link.created),
            expires: link.expires.map(rfc3339),
            revoked: link.revoked.map(rfc3339),
        }
    }
}
