//! The organisation directory: on the plans that include it (the kSuite plans), every member
//! sees a read-only address book of the organisation's members, generated from membership.
//! This module says which directories an account sees; the cards are written by `carddav`.

use super::error::OrgError;
use super::home::plan_of;
use super::plan::Plans;
use crate::store::{Org, Store};

/// The organisations whose directory `account` sees: those it belongs to whose plan includes
/// one, in join order.
pub fn visible(store: &dyn Store, plans: &Plans, account: i64) -> Result<Vec<Org>, OrgError> {
    let mut out = Vec::new();
    for (org, _) in store.orgs_of(account)? {
        if plan_of(plans, &org)?.directory {
            out.push(org);
        }
    }
    Ok(out)
}

/// The organisation `org` if `account` sees its directory (a member, and the plan includes
/// one); `None` otherwise, whatever the reason, so nothing leaks about other organisations.
pub fn find(
    store: &dyn Store,
    plans: &Plans,
    account: i64,
    org: i64,
) -> Result<Option<Org>, OrgError> {
    let Some(o) = store.org(org)? else {
        return Ok(None);
    };
    if store.member(o.id, account)?.is_none() || !plan_of(plans, &o)?.directory {
        return Ok(None);
    }
    Ok(Some(o))
}
