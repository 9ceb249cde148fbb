//! Creating accounts: login rules and the default collections every account starts with.

use super::{password, plan};
use crate::store::{
    Account, CollectionKind, CollectionProps, LegalContact, NewAccount, NewCollection, NewOrg,
    Placement, Store, StoreError,
};

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    /// The login name breaks the rules.
    #[error(
        "invalid login name {0:?}: use 1-64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit (an e-mail address is not a login name)"
    )]
    InvalidLogin(String),
    /// The plan is not one of the offered plans.
    #[error("unknown plan {0:?} (known: {known})", known = plan::PLANS.join(", "))]
    UnknownPlan(String),
    /// The password is unusable.
    #[error("password must be 8 to 1024 characters")]
    WeakPassword,
    /// Password hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

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
    /// E-mail address.
    pub email: Option<String>,
    /// Display name (defaults to the login).
    pub display_name: Option<String>,
    /// Plan name.
    pub plan: String,
}

/// Names of the collections every account gets.
#[derive(Debug, Clone)]
pub struct DefaultCollections {
    /// Calendar path segment and display name.
    pub calendar: (String, String),
    /// Address book path segment and display name.
    pub addressbook: (String, String),
}

/// Creates an account, its personal organisation (it is the legal owner) and its default
/// calendar (VEVENT and VTODO) and address book, in one transaction.
pub fn create_account(
    store: &dyn Store,
    spec: &AccountSpec,
    defaults: &DefaultCollections,
) -> Result<Account, OrgError> {
    validate_login(&spec.login)?;
    if !plan::is_known(&spec.plan) {
        return Err(OrgError::UnknownPlan(spec.plan.clone()));
    }
    if !(8..=1024).contains(&spec.password.len()) {
        return Err(OrgError::WeakPassword);
    }
    let hash = password::hash(&spec.password).map_err(OrgError::Hash)?;
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
        display_name: spec
            .display_name
            .clone()
            .unwrap_or_else(|| spec.login.clone()),
        email: spec.email.clone(),
        password_hash: hash,
        organisation: Placement::NewOrg(NewOrg {
            name: spec.login.clone(),
            plan: spec.plan.clone(),
            contact: LegalContact::default(),
        }),
        collections: vec![
            collection(
                CollectionKind::Calendar,
                &defaults.calendar,
                &["VEVENT", "VTODO"],
            ),
            collection(CollectionKind::AddressBook, &defaults.addressbook, &[]),
        ],
    };
    Ok(store.create_account(&new)?)
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
