//! Who asks for an organisation operation, and the role checks every operation starts with.
//!
//! The operator (the command line, run by whoever runs the server) is not a member of anything
//! and passes every role check; the data invariants (a legal owner remains, no downgrade, the
//! personal plans' rules) hold for the operator too, because the store and the plan checks
//! enforce them whoever asks. A member acting through the JSON API is held to their role.

use super::error::OrgError;
use crate::store::{Account, Authority, Member, Org, Role, Store};

/// Who asks.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// The operator: no role checks.
    Operator,
    /// An authenticated account, held to its role in the organisation.
    Account(&'a Account),
}

/// The record among `found` (what a lookup by id gave) whose owner `actor` answers for: the
/// owner itself, or the operator. Anything else is "not found" (`what`), so someone else's
/// record looks like a missing one.
pub fn owned_record<T>(
    found: Vec<T>,
    actor: Actor<'_>,
    owner: impl Fn(&T) -> i64,
    what: impl FnOnce() -> String,
) -> Result<T, OrgError> {
    found
        .into_iter()
        .find(|record| match actor {
            Actor::Operator => true,
            Actor::Account(a) => owner(record) == a.id,
        })
        .ok_or_else(|| OrgError::NotFound(what()))
}

/// What the actor is in one organisation, once it is known that it may see it.
#[derive(Debug, Clone)]
pub enum Standing {
    /// The operator.
    Operator,
    /// A member, with its membership.
    Member(Member),
}

impl Standing {
    /// The actor's role, `None` for the operator (who is above roles).
    pub fn role(&self) -> Option<Role> {
        match self {
            Standing::Operator => None,
            Standing::Member(m) => Some(m.role),
        }
    }

    /// The authority a write decided on this standing must still have when it applies
    /// (`None` for the operator, who is above roles).
    pub fn authority(&self) -> Option<Authority> {
        match self {
            Standing::Operator => None,
            Standing::Member(m) => Some(Authority {
                account: m.account,
                role: m.role,
            }),
        }
    }

    /// The actor's account id, `None` for the operator.
    pub fn account(&self) -> Option<i64> {
        match self {
            Standing::Operator => None,
            Standing::Member(m) => Some(m.account),
        }
    }
}

/// The organisation `id` as `actor` may see it: the operator sees every organisation, an
/// account only those it belongs to (others are "not found", so their existence does not leak).
pub fn standing(store: &dyn Store, actor: Actor<'_>, org: &Org) -> Result<Standing, OrgError> {
    match actor {
        Actor::Operator => Ok(Standing::Operator),
        Actor::Account(account) => store
            .member(org.id, account.id)?
            .map(Standing::Member)
            .ok_or_else(|| OrgError::NotFound(format!("organisation {}", org.id))),
    }
}

/// Legal owners (and the operator) only.
pub fn require_legal_owner(
    standing: &Standing,
    org: &Org,
    action: &'static str,
) -> Result<(), OrgError> {
    match standing.role() {
        None | Some(Role::LegalOwner) => Ok(()),
        Some(_) => Err(OrgError::LegalOwnerOnly {
            org: org.name.clone(),
            action,
        }),
    }
}

/// Legal owners and admins (and the operator) only: they manage members and teams.
pub fn require_manager(standing: &Standing, org: &Org) -> Result<(), OrgError> {
    match standing.role() {
        None | Some(Role::LegalOwner) | Some(Role::Admin) => Ok(()),
        Some(Role::User) => Err(OrgError::ManagersOnly(org.name.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::org::fixtures;

    fn org() -> Org {
        fixtures::org(1, "ksuite-pro")
    }

    fn member(account: i64, role: Role) -> Standing {
        Standing::Member(fixtures::member(account, role))
    }
    #[test]
    fn only_legal_owners_and_the_operator_do_legal_things() {
        assert!(require_legal_owner(&Standing::Operator, &org(), "x").is_ok());
        assert!(require_legal_owner(&member(1, Role::LegalOwner), &org(), "x").is_ok());
        for role in [Role::Admin, Role::User] {
            let err = require_legal_owner(&member(1, role), &org(), "edit the legal details")
                .unwrap_err();
            assert_eq!(err.code(), "legal-owner-only");
            assert!(err.to_string().contains("edit the legal details"));
        }
    }

    #[test]
    fn users_do_not_manage() {
        assert!(require_manager(&Standing::Operator, &org()).is_ok());
        assert!(require_manager(&member(1, Role::LegalOwner), &org()).is_ok());
        assert!(require_manager(&member(1, Role::Admin), &org()).is_ok());
        assert_eq!(
            require_manager(&member(1, Role::User), &org())
                .unwrap_err()
                .code(),
            "managers-only"
        );
    }
}
