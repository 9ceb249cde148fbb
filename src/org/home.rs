//! The organisation that governs an account's own calendars and address books: the first one
//! it joined and still belongs to (normally the one created or joined with the account). Its
//! plan sets the account's limits, its membership the account's product access.

use super::error::OrgError;
use super::plan::{Plan, Plans};
use crate::store::{Member, Org, Store};

/// An account's governing organisation, its membership there, and that organisation's plan.
#[derive(Debug, Clone)]
pub struct Home {
    /// The organisation.
    pub org: Org,
    /// The account's membership of it.
    pub member: Member,
    /// Its plan (a copy: a home outlives no request, and a plan is a few fields).
    pub plan: Plan,
}

/// The governing organisation of `account`; `None` when it belongs to none (it left them all).
pub fn home(store: &dyn Store, plans: &Plans, account: i64) -> Result<Option<Home>, OrgError> {
    let Some((org, member)) = store.home_membership(account)? else {
        return Ok(None);
    };
    let plan = plan_of(plans, &org)?.clone();
    Ok(Some(Home { org, member, plan }))
}

/// The catalogue's entry for an organisation's plan; a plan the configuration no longer
/// defines is a server error naming both.
pub fn plan_of<'p>(plans: &'p Plans, org: &Org) -> Result<&'p Plan, OrgError> {
    plans
        .get(&org.plan)
        .ok_or_else(|| OrgError::UnconfiguredPlan {
            org: org.name.clone(),
            plan: org.plan.clone(),
        })
}
