//! Teams: named groups of members inside one organisation (sharing uses them). Legal owners and
//! admins manage them; every member may list them.

use super::actor::{Actor, require_manager, standing};
use super::error::OrgError;
use super::membership::find_member;
use super::organisation::validate_name;
use crate::store::{Org, Store, Team};

/// Creates an empty team.
pub fn create(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    name: &str,
) -> Result<Team, OrgError> {
    require_manager(&standing(store, actor, org)?, org)?;
    validate_name(name)?;
    Ok(store.create_team(org.id, name)?)
}

/// Deletes a team; its members stay in the organisation.
pub fn delete(store: &dyn Store, actor: Actor<'_>, org: &Org, name: &str) -> Result<(), OrgError> {
    require_manager(&standing(store, actor, org)?, org)?;
    Ok(store.delete_team(org.id, name)?)
}

/// Puts a member of the organisation in a team.
pub fn add(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    team: &str,
    login: &str,
) -> Result<Team, OrgError> {
    let account = staffing(store, actor, org, login)?;
    Ok(store.add_team_member(org.id, team, account)?)
}

/// Takes a member out of a team.
pub fn remove(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    team: &str,
    login: &str,
) -> Result<Team, OrgError> {
    let account = staffing(store, actor, org, login)?;
    Ok(store.remove_team_member(org.id, team, account)?)
}

/// The account id of member `login` once `actor` may change who is in `org`'s teams.
fn staffing(store: &dyn Store, actor: Actor<'_>, org: &Org, login: &str) -> Result<i64, OrgError> {
    require_manager(&standing(store, actor, org)?, org)?;
    Ok(find_member(store, org, login)?.account)
}

/// The teams of an organisation, for anyone who may see it.
pub fn list(store: &dyn Store, actor: Actor<'_>, org: &Org) -> Result<Vec<Team>, OrgError> {
    standing(store, actor, org)?;
    Ok(store.teams(org.id)?)
}
