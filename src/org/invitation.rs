//! Invitations: how an existing account joins an organisation on a member's say. A legal owner
//! or admin offers a membership under the rules of adding one (`membership::authorise_join`);
//! the account joins with those terms only when it accepts, and may decline; a manager may
//! withdraw the offer (admins not one naming a legal owner). Only the operator adds an existing
//! account directly (`membership::add`).

use super::actor::{Actor, require_manager, standing};
use super::error::OrgError;
use super::home::plan_of;
use super::membership::{JoinGrant, join_error, may_assign};
use super::organisation::member_limit;
use super::plan::Plans;
use crate::store::{Account, Invitation, Member, Org, Store, StoreError};

/// The error for an invitation that is not there (or not the caller's to see).
fn not_invited(org: i64) -> OrgError {
    OrgError::NotFound(format!("invitation to organisation {org}"))
}

/// Offers `account` the membership `grant` allows; it joins only by accepting.
pub fn invite(
    store: &dyn Store,
    grant: &JoinGrant,
    account: &Account,
) -> Result<Invitation, OrgError> {
    let org = &grant.org;
    let already_member = || OrgError::AlreadyMember {
        login: account.login.clone(),
        org: org.name.clone(),
    };
    if store.member(org.id, account.id)?.is_some() {
        return Err(already_member());
    }
    grant.check_terms_for(store, account)?;
    store
        .invite(
            org.id,
            account.id,
            &grant.member,
            grant.max_members,
            grant.standing.authority(),
        )
        .map_err(|e| match e {
            StoreError::AlreadyExists(_) => OrgError::AlreadyInvited {
                login: account.login.clone(),
                org: org.name.clone(),
            },
            other => join_error(org, other),
        })
}

/// The invitations waiting for `account`'s answer.
pub fn pending(store: &dyn Store, account: &Account) -> Result<Vec<Invitation>, OrgError> {
    Ok(store.invitations_of(account.id)?)
}

/// The invitations `org` has pending, for its managers.
pub fn pending_to(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
) -> Result<Vec<Invitation>, OrgError> {
    require_manager(&standing(store, actor, org)?, org)?;
    Ok(store.invitations_to(org.id)?)
}

/// `account` accepts its invitation to organisation `org` and joins it with the terms offered.
pub fn accept(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
    org: i64,
) -> Result<Member, OrgError> {
    let offered = store
        .invitation(org, account.id)?
        .ok_or_else(|| not_invited(org))?;
    let org = store
        .org(offered.org)?
        .ok_or_else(|| not_invited(offered.org))?;
    store
        .accept_invitation(org.id, account.id, member_limit(plan_of(plans, &org)?))
        .map_err(|e| match e {
            StoreError::NotFound(_) => not_invited(org.id),
            other => join_error(&org, other),
        })
}

/// `account` declines its invitation to organisation `org`.
pub fn decline(store: &dyn Store, account: &Account, org: i64) -> Result<(), OrgError> {
    store
        .delete_invitation(org, account.id, None)
        .map_err(|e| match e {
            StoreError::NotFound(_) => not_invited(org),
            other => other.into(),
        })
}

/// Withdraws the invitation of `login` to `org`: managers only, and admins leave an offer of
/// the legal-owner role alone.
pub fn withdraw(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    login: &str,
) -> Result<(), OrgError> {
    let standing = standing(store, actor, org)?;
    require_manager(&standing, org)?;
    let missing = || OrgError::NotFound(format!("invitation of {login} to {}", org.name));
    let account = store.account_by_login(login)?.ok_or_else(missing)?;
    let offered = store.invitation(org.id, account.id)?.ok_or_else(missing)?;
    may_assign(&standing, org, offered.member.role)?;
    store
        .delete_invitation(org.id, account.id, standing.authority())
        .map_err(|e| match e {
            StoreError::NotFound(_) => missing(),
            other => other.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::accounts::{AccountSpec, DefaultCollections, Signup, sign_up};
    use crate::org::membership::{add, authorise_join, default_membership};
    use crate::store::sqlite::SqliteStore;
    use crate::store::{OrgStore, Role};

    /// A store with the accounts `logins`, each in an organisation of its own.
    fn store_with(logins: &[&str]) -> (tempfile::TempDir, SqliteStore, Vec<(Account, Org)>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
        let plans = Plans::builtin();
        let defaults = DefaultCollections {
            calendar: ("personal".into(), "Personal".into()),
            addressbook: ("contacts".into(), "Contacts".into()),
        };
        let accounts = logins
            .iter()
            .map(|login| {
                let spec = AccountSpec {
                    login: (*login).to_owned(),
                    password: "a long password".into(),
                    email: None,
                    display_name: None,
                };
                let (account, org, _) = sign_up(
                    &store,
                    &plans,
                    &spec,
                    &Signup::default(),
                    "ksuite-pro",
                    &defaults,
                )
                .expect("sign up");
                (account, org)
            })
            .collect();
        (dir, store, accounts)
    }

    #[test]
    fn a_member_cannot_add_an_existing_account_without_its_consent() {
        let (_dir, store, accounts) = store_with(&["mallory", "carol"]);
        let plans = Plans::builtin();
        let [(mallory, trap), (carol, _)] = &accounts[..] else {
            panic!("two accounts");
        };
        let owner = default_membership(Role::LegalOwner);
        let grant =
            authorise_join(&store, &plans, Actor::Account(mallory), trap, &owner).expect("grant");
        let err = add(&store, &grant, carol).expect_err("no consent");
        assert_eq!(err.code(), "consent-required");
        assert!(store.member(trap.id, carol.id).expect("lookup").is_none());
        let offered = invite(&store, &grant, carol).expect("invite");
        assert_eq!(offered.member.role, Role::LegalOwner);
        assert!(store.member(trap.id, carol.id).expect("lookup").is_none());
        assert_eq!(
            invite(&store, &grant, carol).expect_err("twice").code(),
            "already-invited"
        );
        decline(&store, carol, trap.id).expect("decline");
        assert_eq!(
            accept(&store, &plans, carol, trap.id)
                .expect_err("declined")
                .code(),
            "not-found"
        );
        // The operator extends the account directly.
        let by_operator =
            authorise_join(&store, &plans, Actor::Operator, trap, &owner).expect("grant");
        assert_eq!(
            add(&store, &by_operator, carol).expect("add").role,
            Role::LegalOwner
        );
    }
}
