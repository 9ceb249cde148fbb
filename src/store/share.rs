//! Shares and public links: the records and [`ShareStore`], the part of the storage contract
//! that keeps them.
//!
//! A share grants one collection to one account or to one team of an organisation, `read` or
//! `read-write`. Who actually has access is decided from the current memberships at every
//! read (see [`ShareStore::shared_with`]): a team share reaches whoever is in the team now. A
//! share ends (is deleted) when the owner or the sharee leaves the organisation it was made
//! in, in the transaction that removes the membership.
//! A public link publishes one calendar under an unguessable token.
//!
//! The store keeps the invariants that must hold whoever asks, inside the write's transaction:
//! one share per (collection, account) and per (collection, team), and a monthly number of
//! links per organisation. Who may share what is `org::share`'s and `org::link`'s job.

use super::{
    Account, Collection, CollectionKind, DeadProp, ProductAccess, PropChange, StoreResult,
};

/// What a share allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShareAccess {
    /// Read the collection and its members; rename and recolour one's own view of it.
    Read,
    /// Read, create, change and delete members too.
    ReadWrite,
}

impl ShareAccess {
    /// Stable text form, used in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareAccess::Read => "read",
            ShareAccess::ReadWrite => "read-write",
        }
    }

    /// Reads the text form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<ShareAccess> {
        match text {
            "read" => Some(ShareAccess::Read),
            "read-write" => Some(ShareAccess::ReadWrite),
            _ => None,
        }
    }
}

/// Who a share is granted to, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grantee {
    /// One account.
    Account(i64),
    /// Every current member of one team.
    Team(i64),
}

/// Who a share is granted to, with the name people know it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharee {
    /// One account.
    Account {
        /// Account id.
        id: i64,
        /// Its login.
        login: String,
        /// Its display name.
        display_name: String,
        /// Its e-mail address (clients name sharees by it).
        email: Option<String>,
    },
    /// A team.
    Team {
        /// Team id.
        id: i64,
        /// Its name (unique in the share's organisation).
        name: String,
    },
}

impl Sharee {
    /// The grantee by id.
    pub fn grantee(&self) -> Grantee {
        match self {
            Sharee::Account { id, .. } => Grantee::Account(*id),
            Sharee::Team { id, .. } => Grantee::Team(*id),
        }
    }
}

/// One share as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// Internal id, also the id in the JSON API.
    pub id: i64,
    /// The shared collection.
    pub collection: i64,
    /// Its kind.
    pub kind: CollectionKind,
    /// Its name in the owner's home.
    pub name: String,
    /// The owner's account id.
    pub owner: i64,
    /// The owner's login.
    pub owner_login: String,
    /// The organisation the share was made in.
    pub org: i64,
    /// That organisation's name (a team's name is unique only in its organisation).
    pub org_name: String,
    /// Who it is granted to.
    pub sharee: Sharee,
    /// What it allows.
    pub access: ShareAccess,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// For a share with one account: that account removed it from its home (or declined it).
    pub declined: bool,
}

/// Input for [`ShareStore::put_share`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewShare {
    /// The collection to share.
    pub collection: i64,
    /// The organisation it is shared in: the owner and the sharee must both be members (the
    /// team must be one of its teams).
    pub org: i64,
    /// Who to share with.
    pub grantee: Grantee,
    /// What to allow.
    pub access: ShareAccess,
    /// Creation time, Unix seconds, kept only when the share is new (the caller's clock, so
    /// the times it shows agree with the ones it computes).
    pub created: i64,
}

/// Which shares [`ShareStore::shares`] lists, each ordered by collection then sharee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareFilter {
    /// One share by id.
    Id(i64),
    /// The shares of one collection.
    Collection(i64),
    /// The shares of every collection of one owner.
    Owner(i64),
    /// Every share (the operator's listing).
    All,
}

/// A sharee's own view of a collection shared with it: its name, colour and order for the
/// collection, its own dead properties, and whether it removed the collection from its home.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareView {
    /// Removed from the sharee's home (DELETE) or declined; the share itself stays.
    pub hidden: bool,
    /// DAV:displayname as the sharee set it.
    pub display_name: Option<String>,
    /// Apple calendar-color as the sharee set it.
    pub color: Option<String>,
    /// Apple calendar-order as the sharee set it.
    pub order: Option<String>,
    /// Dead properties the sharee set on its view.
    pub dead: Vec<DeadProp>,
}

/// A collection shared with an account, as that account has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedCollection {
    /// The collection (the owner's record: its revision is the one sync tokens follow).
    pub collection: Collection,
    /// Its owner.
    pub owner: Account,
    /// The strongest access any of the account's shares (direct or through teams) gives,
    /// whatever the account's product access in their organisations: what it may use is
    /// decided from [`SharedCollection::routes`] (`org::access`).
    pub access: ShareAccess,
    /// Every share that gives the account the collection now, strongest first.
    pub routes: Vec<ShareRoute>,
    /// The account's own view of it.
    pub view: ShareView,
}

/// One share through which an account has a collection (made with it or with one of its
/// teams), with what the share's organisation lets the account use: a membership's product
/// switches gate what that organisation serves the member, shares included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRoute {
    /// The share's organisation.
    pub org: i64,
    /// Its name, for messages.
    pub org_name: String,
    /// The access the share gives.
    pub access: ShareAccess,
    /// The account's product access in that organisation.
    pub member_access: ProductAccess,
}

/// A public link: one calendar published read-only under an unguessable token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicLink {
    /// Internal id, also the id in the CLI and the JSON API.
    pub id: i64,
    /// The published collection.
    pub collection: i64,
    /// Its name in the owner's home.
    pub name: String,
    /// The owner's account id.
    pub owner: i64,
    /// The owner's login.
    pub owner_login: String,
    /// The organisation whose monthly allowance the link was counted against.
    pub org: i64,
    /// The token in the link's URL.
    pub token: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// End of validity, Unix seconds (`None`: unlimited).
    pub expires: Option<i64>,
    /// When it was revoked, Unix seconds.
    pub revoked: Option<i64>,
}

impl PublicLink {
    /// True when the link answers at `now`: not revoked and not expired.
    pub fn is_active(&self, now: i64) -> bool {
        self.revoked.is_none() && self.expires.is_none_or(|e| now < e)
    }
}

/// Input for [`ShareStore::create_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    /// The calendar to publish.
    pub collection: i64,
    /// The organisation the link counts against.
    pub org: i64,
    /// The token (random, from the caller).
    pub token: String,
    /// Creation time, Unix seconds (the caller's clock: `expires` and `limit` are computed
    /// from the same time).
    pub created: i64,
    /// End of validity, Unix seconds (`None`: unlimited).
    pub expires: Option<i64>,
    /// At most `max` links of `org` created since `since` (Unix seconds), this one included;
    /// checked in the creating transaction ([`super::StoreError::PublicLinkLimit`] beyond).
    /// `None`: no limit.
    pub limit: Option<LinkLimit>,
}

/// A monthly link allowance (see [`NewLink::limit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkLimit {
    /// Start of the period, Unix seconds.
    pub since: i64,
    /// Most links created in the period.
    pub max: i64,
}

/// Which links [`ShareStore::links`] lists, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFilter {
    /// One link by id.
    Id(i64),
    /// The links of every collection of one owner.
    Owner(i64),
    /// Every link (the operator's listing).
    All,
}

/// Storage of shares, sharees' views and public links. Every method is one transaction.
pub trait ShareStore {
    /// Creates the share of `new.collection` with `new.grantee`, or changes the access of the
    /// existing one; `true` when it was created. A new share makes the collection reappear in
    /// the homes of those it reaches who had removed it; a change of access does not undo a
    /// sharee's decline. A collection, organisation, account membership or team that does not
    /// exist (or a team of another organisation, or a sharee outside the organisation) is
    /// [`super::StoreError::NotFound`].
    fn put_share(&self, new: &NewShare) -> StoreResult<(Share, bool)>;
    /// Removes the share of `collection` with `grantee` ([`super::StoreError::NotFound`] when
    /// there is none), and the views of the accounts it was their last way to the collection.
    fn remove_share(&self, collection: i64, grantee: Grantee) -> StoreResult<()>;
    /// Changes several shares of `collection` in one transaction, all or nothing: the shares
    /// of `removals` go (a grantee without one is skipped), with the views they were the last
    /// way to, then each of `puts` (shares of `collection`) is applied as by
    /// [`ShareStore::put_share`].
    fn apply_shares(
        &self,
        collection: i64,
        removals: &[Grantee],
        puts: &[NewShare],
    ) -> StoreResult<()>;
    /// The shares `filter` names.
    fn shares(&self, filter: ShareFilter) -> StoreResult<Vec<Share>>;
    /// True when `collection` has a share (declined ones count: the owner still shares it).
    fn is_shared(&self, collection: i64) -> StoreResult<bool>;
    /// The collections of `kind` shared with `account` now, through shares with it or with a
    /// team it is in, made in an organisation both it and the owner still belong to; hidden
    /// ones included (see [`ShareView::hidden`]); ordered by owner login, then name.
    fn shared_with(&self, account: i64, kind: CollectionKind)
    -> StoreResult<Vec<SharedCollection>>;
    /// The collection `collection` if it is shared with `account` now (as in
    /// [`ShareStore::shared_with`]).
    fn shared_collection(
        &self,
        account: i64,
        collection: i64,
    ) -> StoreResult<Option<SharedCollection>>;
    /// The logins of the accounts that share an organisation with `account` and have one of
    /// these e-mail addresses (compared without ASCII case), by address in lower case (the
    /// first login in order when several have it): how clients name sharees.
    fn co_members_by_email(
        &self,
        account: i64,
        emails: &[String],
    ) -> StoreResult<Vec<(String, String)>>;
    /// Hides (the sharee removed or declined it) or shows again the collection in the
    /// account's home. Only for a collection shared with it now
    /// ([`super::StoreError::NotFound`] otherwise).
    fn set_share_hidden(&self, account: i64, collection: i64, hidden: bool) -> StoreResult<()>;
    /// Applies a sharee's PROPPATCH to its own view, all together: display name, colour,
    /// order and dead properties (any other live property is a
    /// [`super::StoreError::Backend`] error: callers refuse those first). Only for a collection
    /// shared with it now ([`super::StoreError::NotFound`] otherwise).
    fn update_share_view(
        &self,
        account: i64,
        collection: i64,
        changes: &[PropChange],
    ) -> StoreResult<ShareView>;

    /// Creates a public link; [`super::StoreError::PublicLinkLimit`] when `new.limit` is
    /// reached, [`super::StoreError::NotFound`] for a missing collection or organisation.
    fn create_link(&self, new: &NewLink) -> StoreResult<PublicLink>;
    /// The links `filter` names, revoked and expired ones included.
    fn links(&self, filter: LinkFilter) -> StoreResult<Vec<PublicLink>>;
    /// The link with this token, whatever its state.
    fn link_by_token(&self, token: &str) -> StoreResult<Option<PublicLink>>;
    /// Revokes a link at `at` (Unix seconds); revoking twice keeps the first time.
    fn revoke_link(&self, id: i64, at: i64) -> StoreResult<PublicLink>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_round_trips_and_orders() {
        for a in [ShareAccess::Read, ShareAccess::ReadWrite] {
            assert_eq!(ShareAccess::parse(a.as_str()), Some(a));
        }
        assert_eq!(ShareAccess::parse("write"), None);
        assert!(ShareAccess::ReadWrite > ShareAccess::Read);
    }

    #[test]
    fn links_are_active_until_revoked_or_expired() {
        let link = PublicLink {
            id: 1,
            collection: 1,
            name: "c".into(),
            owner: 1,
            owner_login: "u".into(),
            org: 1,
            token: "t".into(),
            created: 0,
            expires: Some(100),
            revoked: None,
        };
        assert!(link.is_active(99));
        assert!(!link.is_active(100));
        let unlimited = PublicLink {
            expires: None,
            ..link.clone()
        };
        assert!(unlimited.is_active(i64::MAX));
        let revoked = PublicLink {
            revoked: Some(5),
            ..unlimited
        };
        assert!(!revoked.is_active(0));
    }
}
