//! The organisation directory: on the plans that include it (the kSuite plans), every member
//! sees a read-only address book of the organisation's members, generated from membership.
//! This module says which directories an account sees; the cards are written by `carddav`.
//!
//! A directory is what an organisation serves its members' contacts product, so a member sees
//! it only while its `contacts` access in that organisation is on, whichever organisation
//! governs the member's own address books.

use super::access::{Denial, Product};
use super::error::OrgError;
use super::home::plan_of;
use super::plan::Plans;
use crate::store::{Member, Org, Store};

/// What an account gets when it asks for an organisation's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The directory of this organisation.
    Visible(Org),
    /// A member whose `contacts` access there is off: refused, for this reason.
    Denied(Denial),
    /// No such directory for this account (not a member, no directory on the plan, or no such
    /// organisation: the same answer, so nothing leaks about other organisations).
    Missing,
}

/// Whether `member` of `org` sees its directory: the plan must include one and the member's
/// contacts access there be on.
fn lookup(plans: &Plans, org: Org, member: &Member) -> Result<Lookup, OrgError> {
    Ok(if !plan_of(plans, &org)?.directory {
        Lookup::Missing
    } else if !member.access.contacts {
        Lookup::Denied(Denial::ProductOff {
            product: Product::Contacts,
            org: org.name,
        })
    } else {
        Lookup::Visible(org)
    })
}

/// The organisations whose directory `account` sees, in join order.
pub fn visible(store: &dyn Store, plans: &Plans, account: i64) -> Result<Vec<Org>, OrgError> {
    let mut out = Vec::new();
    for (org, member) in store.orgs_of(account)? {
        if let Lookup::Visible(org) = lookup(plans, org, &member)? {
            out.push(org);
        }
    }
    Ok(out)
}

/// The directory of organisation `org` as `account` may use it.
pub fn find(store: &dyn Store, plans: &Plans, account: i64, org: i64) -> Result<Lookup, OrgError> {
    let Some(o) = store.org(org)? else {
        return Ok(Lookup::Missing);
    };
    match store.member(o.id, account)? {
        Some(member) => lookup(plans, o, &member),
        None => Ok(Lookup::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Role;
    use crate::store::org::fixtures;

    #[test]
    fn a_member_sees_the_directory_while_its_contacts_access_there_is_on() {
        let plans = Plans::builtin();
        let org = fixtures::org(1, "ksuite-pro");
        let mut member = fixtures::member(2, Role::User);
        assert_eq!(
            lookup(&plans, org.clone(), &member).expect("lookup"),
            Lookup::Visible(org.clone())
        );
        member.access.contacts = false;
        assert_eq!(
            lookup(&plans, org.clone(), &member).expect("lookup"),
            Lookup::Denied(Denial::ProductOff {
                product: Product::Contacts,
                org: "acme".into()
            })
        );
        let personal = fixtures::org(1, "my-ksuite");
        assert_eq!(
            lookup(&plans, personal, &member).expect("lookup"),
            Lookup::Missing,
            "no directory on the plan, whatever the access"
        );
    }
}
