//! Teams: named groups of members inside one organisation (sharing uses them). Legal owners and
//! admins manage them; every member may list them.

use super::actor::{Actor, require_manager, standing};
use super::error::OrgError;
use super::membership::find_member;
use super::organisation::validate_name;
use crate::store::{Authority, Org, Store, Team};

/// The authority of `actor` once it may manage `org`'s teams.
fn managing(store: &dyn Store, actor: Actor<'_>, org: &Org) -> Result<Option<Authority>, OrgError> {
    let standing = standing(store, actor, org)?;
    require_manager(&standing, org)?;
    Ok(standing.authority())
}

/// Creates an empty team.
pub fn create(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    name: &str,
) -> Result<Team, OrgError> {
    let by = managing(store, actor, org)?;
    validate_name(name)?;
    Ok(store.create_team(org.id, name, by)?)
}

/// Deletes a team; its members stay in the organisation.
pub fn delete(store: &dyn Store, actor: Actor<'_>, org: &Org, name: &str) -> Result<(), OrgError> {
    let by = managing(store, actor, org)?;
    Ok(store.delete_team(org.id, name, by)?)
}

/// Puts a member of the organisation in a team.
pub fn add(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    team: &str,
    login: &str,
) -> Result<Team, OrgError> {
    let by = managing(store, actor, org)?;
    let account = find_member(store, org, login)?.account;
    Ok(store.add_team_member(org.id, team, account, by)?)
}

/// Takes a member out of a team.
pub fn remove(
    store: &dyn Store,
    actor: Actor<'_>,
    org: &Org,
    team: &str,
    login: &str,
) -> Result<Team, OrgError> {
    let by = managing(store, actor, org)?;
    let account = find_member(store, org, login)?.account;
    Ok(store.remove_team_member(org.id, team, account, by)?)
}

/// The teams of an organisation, for anyone who may see it.
pub fn list(store: &dyn Store, actor: Actor<'_>, org: &Org) -> Result<Vec<Team>, OrgError> {
    standing(store, actor, org)?;
    Ok(store.teams(org.id)?)
}
