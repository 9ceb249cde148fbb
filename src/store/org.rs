//! Organisations, memberships, teams and the organisation directory's change log: the records
//! and [`OrgStore`], the part of the storage contract that keeps them.
//!
//! The store knows nothing of who may do what (that is `org`'s job); it keeps the invariants
//! that must hold whoever asks, inside the write's transaction: an organisation always has a
//! legal owner, a member count limit holds, and a change decided on a snapshot
//! (a member's role, an organisation's plan) only applies when that snapshot is still current.

use super::StoreResult;

/// A member's role in an organisation, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Legally responsible for the organisation; the only role that edits its legal details.
    LegalOwner,
    /// Manages members, except legal owners.
    Admin,
    /// An ordinary member.
    User,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::LegalOwner, Role::Admin, Role::User];

    /// Stable text form, used in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::LegalOwner => "legal-owner",
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    /// Reads the text form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Power of the role: a higher number may do more. Lets "raising a role" be a comparison.
    pub fn rank(self) -> u8 {
        match self {
            Role::LegalOwner => 3,
            Role::Admin => 2,
            Role::User => 1,
        }
    }
}

/// An organisation's legal contact details. `None`: not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalContact {
    /// Postal address, free text.
    pub address: Option<String>,
    /// Phone number (a mobile number for the personal plans).
    pub phone: Option<String>,
    /// Contact e-mail address.
    pub email: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: Option<String>,
}

/// An organisation: the legal entity accounts belong to, with one plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// Internal id, also the id in the JSON API.
    pub id: i64,
    /// Unique name, how the command line names it.
    pub name: String,
    /// Plan name (limits come from configuration).
    pub plan: String,
    /// Legal contact details.
    pub contact: LegalContact,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Revision of the organisation directory: bumped by every join, departure and role
    /// change, so directory sync tokens derive from it.
    pub directory_revision: i64,
}

/// Input for creating an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    /// Unique name.
    pub name: String,
    /// Plan name.
    pub plan: String,
    /// Legal contact details.
    pub contact: LegalContact,
}

/// Which products a member may use. Data is kept while a product is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductAccess {
    /// Calendars (CalDAV).
    pub calendar: bool,
    /// Address books (CardDAV).
    pub contacts: bool,
}

impl ProductAccess {
    /// Both products on, what a new member gets unless told otherwise.
    pub const ALL: ProductAccess = ProductAccess {
        calendar: true,
        contacts: true,
    };
}

/// Which administrative notices a member receives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Notices {
    /// Invoices and payment.
    pub billing: bool,
    /// Maintenance and incidents.
    pub technical: bool,
    /// Security alerts.
    pub security: bool,
}

impl Notices {
    /// Every notice, what a legal owner receives by default.
    pub const ALL: Notices = Notices {
        billing: true,
        technical: true,
        security: true,
    };
}

/// One account's membership of one organisation, with the account's public details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Organisation id.
    pub org: i64,
    /// Account id.
    pub account: i64,
    /// The account's login.
    pub login: String,
    /// The account's display name.
    pub display_name: String,
    /// The account's e-mail address.
    pub email: Option<String>,
    /// Role in the organisation.
    pub role: Role,
    /// Product access in the organisation.
    pub access: ProductAccess,
    /// Notices received from the organisation.
    pub notices: Notices,
    /// The membership's directory entry: a key never given to another membership (it names
    /// the member's card in the organisation directory) and increasing with every join (it
    /// orders an account's memberships).
    pub entry: i64,
}

/// Input for adding a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewMember {
    /// Role.
    pub role: Role,
    /// Product access.
    pub access: ProductAccess,
    /// Notices.
    pub notices: Notices,
}

/// A change to one membership; `None` fields stay as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberUpdate {
    /// New role.
    pub role: Option<Role>,
    /// Calendar access on or off.
    pub calendar: Option<bool>,
    /// Contacts access on or off.
    pub contacts: Option<bool>,
    /// Billing notices on or off.
    pub billing: Option<bool>,
    /// Technical notices on or off.
    pub technical: Option<bool>,
    /// Security notices on or off.
    pub security: Option<bool>,
}

impl MemberUpdate {
    /// `member` with this change applied.
    pub fn apply(&self, member: NewMember) -> NewMember {
        let (a, n) = (member.access, member.notices);
        NewMember {
            role: self.role.unwrap_or(member.role),
            access: ProductAccess {
                calendar: self.calendar.unwrap_or(a.calendar),
                contacts: self.contacts.unwrap_or(a.contacts),
            },
            notices: Notices {
                billing: self.billing.unwrap_or(n.billing),
                technical: self.technical.unwrap_or(n.technical),
                security: self.security.unwrap_or(n.security),
            },
        }
    }
}

/// Where a new account's first membership goes, created in the account's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A new organisation with the account as its first member, normally its legal owner
    /// (signing up alone; the membership is the domain's choice, see `org::organisation`).
    NewOrg {
        /// The organisation.
        org: NewOrg,
        /// The account's membership of it.
        founder: NewMember,
    },
    /// An existing organisation, joined as `member`; refused with
    /// [`super::StoreError::MemberLimit`] when it already has `max_members` members.
    Join {
        /// Organisation id.
        org: i64,
        /// The membership.
        member: NewMember,
        /// Most members the organisation may have before this one joins (`None`: no limit).
        max_members: Option<i64>,
        /// Who adds the account, see [`Authority`].
        by: Option<Authority>,
    },
}

/// An invitation of an existing account to an organisation: the membership it would get,
/// waiting for the account to accept (an account joins only by its own consent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Organisation id.
    pub org: i64,
    /// The organisation's name, for the invitee.
    pub org_name: String,
    /// Account id of the invitee.
    pub account: i64,
    /// The invitee's login.
    pub login: String,
    /// The membership offered: role, product access, notices.
    pub member: NewMember,
    /// Login of the member who invited (`None`: the operator, or an account removed since).
    pub invited_by: Option<String>,
    /// Creation time, Unix seconds.
    pub created: i64,
}

/// A named group of members inside one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Internal id.
    pub id: i64,
    /// Organisation id.
    pub org: i64,
    /// Name, unique in the organisation.
    pub name: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Logins of the members, sorted.
    pub members: Vec<String>,
}

/// The member on whose authority a change is made, with the role the decision was taken on.
/// A write given one applies only while that member still has that role in the organisation
/// ([`super::StoreError::PreconditionFailed`] otherwise), checked in the write's transaction,
/// so a role taken away meanwhile cannot be used. `None` where a write takes an
/// `Option<Authority>`: no role is relied on (the operator, who is above roles, or a member
/// acting on itself, such as leaving).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    /// The acting member's account id.
    pub account: i64,
    /// Its role when the decision was taken.
    pub role: Role,
}

/// Answer of [`OrgStore::directory_changes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryChanges {
    /// Members that joined or changed role since the revision (all members for revision 0),
    /// ordered by login.
    pub present: Vec<Member>,
    /// Directory entries ([`Member::entry`]) of members that left since the revision (none
    /// for revision 0).
    pub removed: Vec<i64>,
    /// The directory revision after these changes.
    pub revision: i64,
}

/// Storage of organisations, memberships and teams. Every method is one transaction. The writes
/// a member decides on by its role take its [`Authority`] (`by`).
pub trait OrgStore {
    /// Creates an organisation with `owner` as its first member (normally its legal owner).
    /// A taken name is [`super::StoreError::AlreadyExists`].
    fn create_org(&self, new: &NewOrg, owner: i64, member: &NewMember) -> StoreResult<Org>;
    /// An organisation by id.
    fn org(&self, id: i64) -> StoreResult<Option<Org>>;
    /// An organisation by name.
    fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>>;
    /// Every organisation, by name.
    fn list_orgs(&self) -> StoreResult<Vec<Org>>;
    /// The organisations an account belongs to with its membership, the one it joined first
    /// first (that one governs the account's own data, see [`OrgStore::home_membership`]).
    fn orgs_of(&self, account: i64) -> StoreResult<Vec<(Org, Member)>>;
    /// The organisation an account joined first, still a member of, with that membership:
    /// its plan and product access govern the account's calendars and address books.
    fn home_membership(&self, account: i64) -> StoreResult<Option<(Org, Member)>>;
    /// Changes the plan from `from` to `to`. Fails with
    /// [`super::StoreError::PreconditionFailed`] when the plan is no longer `from`, and with
    /// [`super::StoreError::MemberLimit`] when the organisation has more than `max_members`.
    fn set_plan(
        &self,
        org: i64,
        from: &str,
        to: &str,
        max_members: Option<i64>,
        by: Option<Authority>,
    ) -> StoreResult<Org>;
    /// Replaces the legal contact details.
    fn set_legal_contact(
        &self,
        org: i64,
        contact: &LegalContact,
        by: Option<Authority>,
    ) -> StoreResult<Org>;

    /// Members of an organisation, by login.
    fn members(&self, org: i64) -> StoreResult<Vec<Member>>;
    /// One membership.
    fn member(&self, org: i64, account: i64) -> StoreResult<Option<Member>>;
    /// The membership of `org` whose directory entry is `entry` ([`Member::entry`]).
    fn member_by_entry(&self, org: i64, entry: i64) -> StoreResult<Option<Member>>;
    /// Adds an existing account to an organisation (and drops its invitation there, if any),
    /// as only the operator may without the account's consent. Already a member:
    /// [`super::StoreError::AlreadyExists`]; `max_members` members already:
    /// [`super::StoreError::MemberLimit`].
    fn add_member(
        &self,
        org: i64,
        account: i64,
        member: &NewMember,
        max_members: Option<i64>,
    ) -> StoreResult<Member>;
    /// Changes one membership, provided the member still has the role `expected`
    /// ([`super::StoreError::PreconditionFailed`] otherwise). Taking the legal-owner role from
    /// the last legal owner is [`super::StoreError::LastLegalOwner`].
    fn update_member(
        &self,
        org: i64,
        account: i64,
        expected: Role,
        update: &MemberUpdate,
        by: Option<Authority>,
    ) -> StoreResult<Member>;
    /// Removes several members at once, all or none: each must still be a member with the role
    /// given ([`super::StoreError::NotFound`], [`super::StoreError::PreconditionFailed`]), and a
    /// legal owner must remain ([`super::StoreError::LastLegalOwner`]). Their team memberships
    /// go with them.
    fn remove_members(
        &self,
        org: i64,
        members: &[(i64, Role)],
        by: Option<Authority>,
    ) -> StoreResult<()>;

    /// Invites an existing account to join `org` as `member`, on the authority `by` (whose
    /// login the invitation shows). An invitation already pending is
    /// [`super::StoreError::AlreadyExists`]; an account that is a member meanwhile
    /// [`super::StoreError::PreconditionFailed`]; `max_members` members already
    /// [`super::StoreError::MemberLimit`].
    fn invite(
        &self,
        org: i64,
        account: i64,
        member: &NewMember,
        max_members: Option<i64>,
        by: Option<Authority>,
    ) -> StoreResult<Invitation>;
    /// The pending invitation of `account` to `org`.
    fn invitation(&self, org: i64, account: i64) -> StoreResult<Option<Invitation>>;
    /// The invitations pending for an account, oldest first.
    fn invitations_of(&self, account: i64) -> StoreResult<Vec<Invitation>>;
    /// The invitations an organisation has pending, by login.
    fn invitations_to(&self, org: i64) -> StoreResult<Vec<Invitation>>;
    /// Accepts the invitation of `account` to `org`: the membership it offers is created and
    /// the invitation deleted. None pending: [`super::StoreError::NotFound`]; `max_members`
    /// members already: [`super::StoreError::MemberLimit`].
    fn accept_invitation(
        &self,
        org: i64,
        account: i64,
        max_members: Option<i64>,
    ) -> StoreResult<Member>;
    /// Deletes the invitation of `account` to `org` (declined by the invitee, `by` `None`, or
    /// withdrawn on the authority `by`). None pending: [`super::StoreError::NotFound`].
    fn delete_invitation(&self, org: i64, account: i64, by: Option<Authority>) -> StoreResult<()>;

    /// Creates an empty team. A taken name is [`super::StoreError::AlreadyExists`].
    fn create_team(&self, org: i64, name: &str, by: Option<Authority>) -> StoreResult<Team>;
    /// Deletes a team (not its members).
    fn delete_team(&self, org: i64, name: &str, by: Option<Authority>) -> StoreResult<()>;
    /// The teams of an organisation with their members, by name.
    fn teams(&self, org: i64) -> StoreResult<Vec<Team>>;
    /// Adds a member of the organisation to one of its teams; an account that is not a member
    /// is [`super::StoreError::NotFound`], one already in the team
    /// [`super::StoreError::AlreadyExists`].
    fn add_team_member(
        &self,
        org: i64,
        team: &str,
        account: i64,
        by: Option<Authority>,
    ) -> StoreResult<Team>;
    /// Takes a member out of a team.
    fn remove_team_member(
        &self,
        org: i64,
        team: &str,
        account: i64,
        by: Option<Authority>,
    ) -> StoreResult<Team>;

    /// Directory changes since `revision` (0: every member). A revision newer than the
    /// directory's, or older than the oldest it can answer, is
    /// [`super::StoreError::InvalidSyncToken`].
    fn directory_changes(&self, org: i64, revision: i64) -> StoreResult<DirectoryChanges>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_changes_only_what_it_names() {
        let before = NewMember {
            role: Role::User,
            access: ProductAccess::ALL,
            notices: Notices::default(),
        };
        let after = MemberUpdate {
            contacts: Some(false),
            security: Some(true),
            ..MemberUpdate::default()
        }
        .apply(before);
        assert_eq!(after.role, Role::User);
        assert_eq!(
            after.access,
            ProductAccess {
                calendar: true,
                contacts: false
            }
        );
        assert_eq!(
            after.notices,
            Notices {
                security: true,
                ..Notices::default()
            }
        );
        assert_eq!(MemberUpdate::default().apply(before), before);
    }

    #[test]
    fn roles_round_trip_and_rank() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
        assert!(Role::LegalOwner.rank() > Role::Admin.rank());
        assert!(Role::Admin.rank() > Role::User.rank());
    }
}

/// Records for the unit tests of the layers above: an organisation and a membership with the
/// values that do not matter to them filled in.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// Organisation `id` named "acme" on `plan`, without contact details.
    pub(crate) fn org(id: i64, plan: &str) -> Org {
        Org {
            id,
            name: "acme".into(),
            plan: plan.into(),
            contact: LegalContact::default(),
            created: 0,
            directory_revision: 0,
        }
    }

    /// Account `account` (login `uACCOUNT`) in organisation 1 with `role`, both products on and
    /// no notices.
    pub(crate) fn member(account: i64, role: Role) -> Member {
        Member {
            org: 1,
            account,
            login: format!("u{account}"),
            display_name: String::new(),
            email: None,
            role,
            access: ProductAccess::ALL,
            notices: Notices::default(),
            entry: account,
        }
    }
}
