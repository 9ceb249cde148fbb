//! Creating accounts: login rules, the default collections every account starts with, and the
//! organisation the account starts in (its own, or one it joins).

use super::error::OrgError;
use super::fields::{MAX_DISPLAY_NAME, email_field, text_field};
use super::home::plan_of;
use super::membership::{default_membership, join_error};
use super::organisation::{check_new_org, founder, member_limit};
use super::password;
use super::plan::Plans;
use crate::store::{
    Account, Authority, CollectionKind, CollectionProps, LegalContact, NewAccount, NewCollection,
    NewMember, NewOrg, Org, Placement, Role, Store,
};

/// Checks a login name. Logins become path segments of principal and home URLs, so they are
/// restricted to characters that never need escaping (compat pitfall 12), and an e-mail
/// address is refused: clients must log in with the login name.
pub fn validate_login(login: &str) -> Result<(), OrgError> {
    let ok = (1..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && login.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidLogin(login.to_owned()))
    }
}

/// What a new account is made of.
#[derive(Debug, Clone)]
pub struct AccountSpec {
    /// Login name.
    pub login: String,
    /// Password in clear (hashed here).
    pub password: String,
    /// E-mail address (checked for its shape).
    pub email: Option<String>,
    /// Display name (defaults to the login; one line of at most 100 characters).
    pub display_name: Option<String>,
}

/// Names of the collections every account gets.
#[derive(Debug, Clone)]
pub struct DefaultCollections {
    /// Calendar path segment and display name.
    pub calendar: (String, String),
    /// Address book path segment and display name.
    pub addressbook: (String, String),
}

/// The organisation a new account starts in.
#[derive(Debug, Clone)]
pub enum Joining {
    /// A new organisation with the account as its legal owner.
    NewOrg(NewOrg),
    /// An existing organisation, joined as `member` (the caller has checked that it may add
    /// members with that role, see `membership::authorise_join`).
    Existing {
        /// The organisation.
        org: Org,
        /// Role, access and notices.
        member: NewMember,
        /// The authority the join relies on (`None`: the operator).
        by: Option<Authority>,
    },
}

/// Creates an account, its membership (a new organisation or an existing one; the personal
/// plans' single-account rule holds) and its default calendar (VEVENT and VTODO) and address
/// book, in one transaction.
pub fn create_account(
    store: &dyn Store,
    plans: &Plans,
    spec: &AccountSpec,
    joining: &Joining,
    defaults: &DefaultCollections,
) -> Result<Account, OrgError> {
    validate_login(&spec.login)?;
    let display_name = text_field(
        "the display name",
        spec.display_name.as_deref(),
        MAX_DISPLAY_NAME,
    )?;
    let email = email_field(spec.email.as_deref())?;
    let organisation = match joining {
        Joining::NewOrg(new) => Placement::NewOrg {
            org: check_new_org(plans, new)?,
            founder: founder(),
        },
        Joining::Existing { org, member, by } => Placement::Join {
            org: org.id,
            member: *member,
            max_members: member_limit(plan_of(plans, org)?),
            by: *by,
        },
    };
    let hash = password::hash_new(&spec.password)?;
    let collection =
        |kind, (name, display): &(String, String), components: &[&str]| NewCollection {
            kind,
            name: name.clone(),
            components: components.iter().map(|c| c.to_string()).collect(),
            props: CollectionProps {
                display_name: Some(display.clone()),
                ..Default::default()
            },
            dead: Vec::new(),
            position: 0,
            limit: None,
        };
    let new = NewAccount {
        login: spec.login.clone(),
        display_name: display_name.unwrap_or_else(|| spec.login.clone()),
        email,
        password_hash: hash,
        organisation,
        collections: vec![
            collection(
                CollectionKind::Calendar,
                &defaults.calendar,
                &["VEVENT", "VTODO"],
            ),
            collection(CollectionKind::AddressBook, &defaults.addressbook, &[]),
        ],
    };
    store.create_account(&new).map_err(|e| match joining {
        Joining::Existing { org, .. } => join_error(org, e),
        Joining::NewOrg(_) => e.into(),
    })
}

/// Where `user add` puts a new account: in organisation `org` (joined as `user` when it
/// exists, created with the account as legal owner when it does not), or without `org` in a
/// new organisation named after the login (`LOGIN-2`, ... when that name is taken). `plan` and `contact` are for the organisation
/// created; naming them for an existing one is refused rather than ignored.
#[derive(Debug, Clone, Default)]
pub struct Signup {
    /// Organisation name.
    pub org: Option<String>,
    /// Plan of a created organisation (`None`: the configured default).
    pub plan: Option<String>,
    /// Legal contact of a created organisation (phone and country for the personal plans).
    pub contact: LegalContact,
}

/// Most names [`personal_org_name`] tries before giving up.
const PERSONAL_NAME_TRIES: u32 = 100;

/// The name of the organisation an account signing up alone gets: its login, or when an
/// organisation already has that name, the first free one of `LOGIN-2`, `LOGIN-3`, ...
fn personal_org_name(store: &dyn Store, login: &str) -> Result<String, OrgError> {
    let candidates = std::iter::once(login.to_owned())
        .chain((2..=PERSONAL_NAME_TRIES).map(|n| format!("{login}-{n}")));
    for name in candidates {
        if store.org_by_name(&name)?.is_none() {
            return Ok(name);
        }
    }
    Err(OrgError::AlreadyExists(format!(
        "organisation {login} and {login}-2 to {login}-{PERSONAL_NAME_TRIES}"
    )))
}

/// Signs an account up as `signup` says (the operator's `user add`): the account, its
/// organisation and whether that organisation was created.
pub fn sign_up(
    store: &dyn Store,
    plans: &Plans,
    spec: &AccountSpec,
    signup: &Signup,
    default_plan: &str,
    defaults: &DefaultCollections,
) -> Result<(Account, Org, bool), OrgError> {
    let new_org = |name: String| {
        Joining::NewOrg(NewOrg {
            name,
            plan: signup
                .plan
                .clone()
                .unwrap_or_else(|| default_plan.to_owned()),
            contact: signup.contact.clone(),
        })
    };
    let joining = match &signup.org {
        None => new_org(personal_org_name(store, &spec.login)?),
        Some(name) => match store.org_by_name(name)? {
            None => new_org(name.clone()),
            Some(org) => {
                if signup.plan.is_some() || signup.contact != LegalContact::default() {
                    return Err(OrgError::ExistingOrganisation(org.name));
                }
                Joining::Existing {
                    org,
                    member: default_membership(Role::User),
                    by: None,
                }
            }
        },
    };
    let created = matches!(joining, Joining::NewOrg(_));
    let account = create_account(store, plans, spec, &joining, defaults)?;
    let (org, _) = store
        .home_membership(account.id)?
        .ok_or_else(|| OrgError::NotFound(format!("organisation of {}", account.login)))?;
    Ok((account, org, created))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_rules() {
        for ok in ["alice", "bob.smith", "x1", "a-b_c"] {
            assert!(validate_login(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "alice@example.com",
            "Alice",
            "a b",
            "-x",
            ".x",
            "a/b",
            "é",
            &"a".repeat(65),
        ] {
            assert!(validate_login(bad).is_err(), "{bad}");
        }
    }
}
