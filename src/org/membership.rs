//! Members: who may add, change and remove them, and leaving.
//!
//! Legal owners and admins manage members; admins cannot make anyone legal owner, nor change
//! or remove a legal owner; no one raises their own role; anyone may leave; and the last legal
//! owner can neither be removed nor leave (the store refuses that in the write's transaction).
//! The rules are pure functions over roles, tested one by one; the operations below apply them
//! and then write.

use std::collections::BTreeSet;

use super::access::Product;
use super::accounts::{AccountSpec, DefaultCollections, Joining, create_account};
use super::actor::{Actor, Standing, require_manager, standing};
use super::error::OrgError;
use super::home::plan_of;
use super::organisation::{member_limit, member_limit_error};
use super::plan::Plans;
use crate::store::{
    Account, Member, MemberUpdate, NewMember, Notices, Org, ProductAccess, Role, Store, StoreError,
};

/// What a new member gets unless told otherwise: both products, and the administrative
/// notices if (and only if) it is a legal owner.
pub fn default_membership(role: Role) -> NewMember {
    NewMember {
        role,
        access: ProductAccess::ALL,
        notices: if role == Role::LegalOwner {
            Notices::ALL
        } else {
            Notices::default()
        },
    }
}

/// Whether `actor` may give the role `role` to someone: admins cannot name legal owners.
pub fn may_assign(actor: &Standing, org: &Org, role: Role) -> Result<(), OrgError> {
    require_manager(actor, org)?;
    if actor.role() == Some(Role::Admin) && role == Role::LegalOwner {
        return Err(OrgError::CannotNameLegalOwner(org.name.clone()));
    }
    Ok(())
}

/// Whether `actor` may change or remove `target` at all: managers only, and admins leave legal
/// owners alone.
pub fn may_touch(actor: &Standing, org: &Org, target: &Member) -> Result<(), OrgError> {
    require_manager(actor, org)?;
    if actor.role() == Some(Role::Admin) && target.role == Role::LegalOwner {
        return Err(OrgError::LegalOwnerProtected(target.login.clone()));
    }
    Ok(())
}

/// Whether `actor` may give `target` the role `role`: no one raises their own role, and the
/// rules of [`may_touch`] and [`may_assign`] apply.
pub fn may_change_role(
    actor: &Standing,
    org: &Org,
    target: &Member,
    role: Role,
) -> Result<(), OrgError> {
    if actor.account() == Some(target.account) && role.rank() > target.role.rank() {
        return Err(OrgError::OwnRoleRaise(target.role.as_str()));
    }
    may_touch(actor, org, target)?;
    may_assign(actor, org, role)
}

/// The products `access` has off.
pub fn off_in(access: ProductAccess) -> Vec<Product> {
    [
        (Product::Calendar, access.calendar),
        (Product::Contacts, access.contacts),
    ]
    .into_iter()
    .filter_map(|(product, on)| (!on).then_some(product))
    .collect()
}

/// Refuses switching the products `off` off in `org` for the account `account` (`login`)
/// where that would gate nothing, rather than keep a switch without effect. A membership's
/// switches gate what its organisation serves the member: the governing organisation (the
/// first joined, see `home`) its own calendars and address books, every organisation with
/// a directory that directory, and every organisation the collections shared with the member
/// through it (`access::route_access`). So `calendar` can be off only in the governing
/// organisation or one that shares a calendar with the member now, `contacts` in those that
/// share an address book, the governing one, or where the plan has a directory. An account in
/// no organisation yet is governed by the one it joins. `directory` says whether `org`'s plan
/// has one.
pub fn check_switched_off(
    store: &dyn Store,
    org: &Org,
    directory: bool,
    account: i64,
    login: &str,
    off: &[Product],
) -> Result<(), OrgError> {
    if off.is_empty() {
        return Ok(());
    }
    let governs = store
        .home_membership(account)?
        .is_none_or(|(home, _)| home.id == org.id);
    for product in off {
        let applies = governs
            || (*product == Product::Contacts && directory)
            || shares_through(store, org, account, *product)?;
        if !applies {
            return Err(OrgError::AccessNotApplicable {
                product: *product,
                login: login.to_owned(),
                org: org.name.clone(),
            });
        }
    }
    Ok(())
}

/// Whether `account` has a collection of `product` through a share made in `org` now (one it
/// removed from its home included: it can take it back).
fn shares_through(
    store: &dyn Store,
    org: &Org,
    account: i64,
    product: Product,
) -> Result<bool, OrgError> {
    Ok(store
        .shared_with(account, product.kind())?
        .iter()
        .any(|s| s.routes.iter().any(|r| r.org == org.id)))
}

/// The error for an account that is not a member.
fn not_a_member(login: &str, org: &Org) -> OrgError {
    OrgError::NotFound(format!("member {login} of {}", org.name))
}

/// The membership of the account `login` in `org`.
pub fn find_member(store: &dyn Store, org: &Org, login: &str) -> Result<Member, OrgError> {
    let account = store
        .account_by_login(login)?
        .ok_or_else(|| not_a_member(login, org))?;
    store
        .member(org.id, account.id)?
        .ok_or_else(|| not_a_member(login, org))
}

/// The members of `org`, for anyone who may see it.
pub fn list(store: &dyn Store, actor: Actor<'_>, org: &Org) -> Result<Vec<Member>, OrgError> {
    standing(store, actor, org)?;
    Ok(store.members(org.id)?)
}

/// Proof that an actor may add a member with these terms to this organisation, made only by
/// [`authorise_join`]: every way of joining takes one, so none runs unchecked.
#[derive(Debug, Clone)]
pub struct JoinGrant {
    /// The organisation.
    pub(super) org: Org,
    /// The membership's terms.
    pub(super) member: NewMember,
    /// The organisation's member limit (one account for the personal plans).
    pub(super) max_members: Option<i64>,
    /// Whether the organisation's plan has a directory.
    pub(super) directory: bool,
    /// Who grants it.
    pub(super) standing: Standing,
}

impl JoinGrant {
    /// The organisation to join.
    pub fn org(&self) -> &Org {
        &self.org
    }

    /// Refuses the grant's terms for `account` where they switch off a product that would
    /// gate nothing ([`check_switched_off`]).
    pub(super) fn check_terms_for(
        &self,
        store: &dyn Store,
        account: &Account,
    ) -> Result<(), OrgError> {
        check_switched_off(
            store,
            &self.org,
            self.directory,
            account.id,
            &account.login,
            &off_in(self.member.access),
        )
    }
}

/// Checks that `actor` may add a member with `member`'s terms to `org` (managers only; admins
/// name no legal owner) and returns the grant the joins take. Front ends call it before they
/// look up the login, so that no one else learns which logins exist.
pub fn authorise_join(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    org: &Org,
    member: &NewMember,
) -> Result<JoinGrant, OrgError> {
    let standing = standing(store, actor, org)?;
    may_assign(&standing, org, member.role)?;
    let plan = plan_of(plans, org)?;
    Ok(JoinGrant {
        org: org.clone(),
        member: *member,
        max_members: member_limit(plan),
        directory: plan.directory,
        standing,
    })
}

/// Turns the store's refusal of a join into the domain's: the member limit is the personal
/// plan's rule, naming the organisation's plan.
pub fn join_error(org: &Org, e: StoreError) -> OrgError {
    member_limit_error(org, &org.plan, e)
}

/// Extends an existing account to the organisation without asking it: the operator's power
/// alone. A member's grant is refused: an account joins on a member's say only by accepting
/// an invitation (`invitation::invite`), so no one can be made a member, let alone a legal
/// owner, of an organisation it never chose.
pub fn add(store: &dyn Store, grant: &JoinGrant, account: &Account) -> Result<Member, OrgError> {
    let org = &grant.org;
    if !matches!(grant.standing, Standing::Operator) {
        return Err(OrgError::ConsentRequired {
            login: account.login.clone(),
            org: org.name.clone(),
        });
    }
    grant.check_terms_for(store, account)?;
    store
        .add_member(org.id, account.id, &grant.member, grant.max_members)
        .map_err(|e| match e {
            StoreError::AlreadyExists(_) => OrgError::AlreadyMember {
                login: account.login.clone(),
                org: org.name.clone(),
            },
            other => join_error(org, other),
        })
}

/// Creates a new account as a member of the grant's organisation (its first organisation,
/// which governs its data), with its default collections, in one transaction.
pub fn add_new_account(
    store: &dyn Store,
    plans: &Plans,
    grant: &JoinGrant,
    spec: &AccountSpec,
    defaults: &DefaultCollections,
) -> Result<Member, OrgError> {
    let org = &grant.org;
    let joining = Joining::Existing {
        org: org.clone(),
        member: grant.member,
        by: grant.standing.authority(),
    };
    let account = create_account(store, plans, spec, &joining, defaults)?;
    store
        .member(org.id, account.id)?
        .ok_or_else(|| not_a_member(&account.login, org))
}

/// Changes one member's role, product access or notices, each part under its rule (a product
/// is switched off only where that gates something, see [`check_switched_off`]).
pub fn update(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    org: &Org,
    login: &str,
    update: &MemberUpdate,
) -> Result<Member, OrgError> {
    let standing = standing(store, actor, org)?;
    let target = find_member(store, org, login)?;
    match update.role {
        Some(role) if role != target.role => may_change_role(&standing, org, &target, role)?,
        _ => may_touch(&standing, org, &target)?,
    }
    let off = off_in(ProductAccess {
        calendar: update.calendar != Some(false),
        contacts: update.contacts != Some(false),
    });
    let directory = plan_of(plans, org)?.directory;
    check_switched_off(store, org, directory, target.account, login, &off)?;
    Ok(store.update_member(
        org.id,
        target.account,
        target.role,
        update,
        standing.authority(),
    )?)
}

/// Removes one or several members at once, all or none (a login named twice counts once).
pub fn remove(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    logins: &[String],
) -> Result<(), OrgError> {
    let standing = standing(store, actor, org)?;
    let mut seen = BTreeSet::new();
    let mut targets = Vec::with_capacity(logins.len());
    for login in logins.iter().filter(|l| seen.insert(l.as_str())) {
        let target = find_member(store, org, login)?;
        may_touch(&standing, org, &target)?;
        targets.push((target.account, target.role));
    }
    Ok(store.remove_members(org.id, &targets, standing.authority())?)
}

/// `account` leaves `org` by itself (refused only for the last legal owner).
pub fn leave(store: &dyn Store, account: &Account, org: &Org) -> Result<(), OrgError> {
    let me = store
        .member(org.id, account.id)?
        .ok_or_else(|| OrgError::NotFound(format!("organisation {}", org.id)))?;
    Ok(store.remove_members(org.id, &[(me.account, me.role)], None)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::org::fixtures::{self, member};

    fn org() -> Org {
        fixtures::org(1, "ksuite-pro")
    }

    fn as_member(account: i64, role: Role) -> Standing {
        Standing::Member(member(account, role))
    }

    const OWNER: Role = Role::LegalOwner;
    const ADMIN: Role = Role::Admin;
    const USER: Role = Role::User;

    #[test]
    fn legal_owners_and_admins_assign_roles_but_admins_never_legal_owner() {
        for role in Role::ALL {
            assert!(may_assign(&Standing::Operator, &org(), role).is_ok());
            assert!(may_assign(&as_member(1, OWNER), &org(), role).is_ok());
        }
        assert!(may_assign(&as_member(1, ADMIN), &org(), ADMIN).is_ok());
        assert!(may_assign(&as_member(1, ADMIN), &org(), USER).is_ok());
        assert_eq!(
            may_assign(&as_member(1, ADMIN), &org(), OWNER)
                .unwrap_err()
                .code(),
            "cannot-name-legal-owner"
        );
        for role in Role::ALL {
            assert_eq!(
                may_assign(&as_member(1, USER), &org(), role)
                    .unwrap_err()
                    .code(),
                "managers-only"
            );
        }
    }

    #[test]
    fn admins_leave_legal_owners_alone() {
        let owner = member(2, OWNER);
        assert!(may_touch(&as_member(1, OWNER), &org(), &owner).is_ok());
        assert!(may_touch(&Standing::Operator, &org(), &owner).is_ok());
        let err = may_touch(&as_member(1, ADMIN), &org(), &owner).unwrap_err();
        assert_eq!(err.code(), "legal-owner-protected");
        assert!(err.to_string().contains("u2"));
        assert!(may_touch(&as_member(1, ADMIN), &org(), &member(2, ADMIN)).is_ok());
        assert!(may_touch(&as_member(1, ADMIN), &org(), &member(2, USER)).is_ok());
        assert_eq!(
            may_touch(&as_member(1, USER), &org(), &member(2, USER))
                .unwrap_err()
                .code(),
            "managers-only"
        );
    }

    #[test]
    fn no_one_raises_their_own_role() {
        let err =
            may_change_role(&as_member(1, USER), &org(), &member(1, USER), ADMIN).unwrap_err();
        assert_eq!(err.code(), "own-role-raise");
        assert_eq!(
            may_change_role(&as_member(1, ADMIN), &org(), &member(1, ADMIN), OWNER)
                .unwrap_err()
                .code(),
            "own-role-raise"
        );
        // Stepping down is not raising.
        assert!(may_change_role(&as_member(1, ADMIN), &org(), &member(1, ADMIN), USER).is_ok());
        assert!(may_change_role(&as_member(1, OWNER), &org(), &member(1, OWNER), ADMIN).is_ok());
    }

    #[test]
    fn role_changes_of_others_follow_the_admin_rules() {
        let admin = as_member(1, ADMIN);
        assert!(may_change_role(&admin, &org(), &member(2, USER), ADMIN).is_ok());
        assert_eq!(
            may_change_role(&admin, &org(), &member(2, USER), OWNER)
                .unwrap_err()
                .code(),
            "cannot-name-legal-owner"
        );
        assert_eq!(
            may_change_role(&admin, &org(), &member(2, OWNER), USER)
                .unwrap_err()
                .code(),
            "legal-owner-protected"
        );
        assert!(may_change_role(&as_member(1, OWNER), &org(), &member(2, USER), OWNER).is_ok());
        assert!(may_change_role(&Standing::Operator, &org(), &member(2, USER), OWNER).is_ok());
        assert_eq!(
            may_change_role(&as_member(1, USER), &org(), &member(2, USER), USER)
                .unwrap_err()
                .code(),
            "managers-only"
        );
    }
}
