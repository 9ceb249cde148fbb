//! Teams: listing and showing (members), creating, deleting and staffing them (legal owners
//! and admins).

use super::input::{TeamInput, parse};
use super::views::{TeamView, to_json};
use super::{ApiCtx, ApiResponse, ApiResult, PREFIX, org_of};
use crate::org::{Actor, OrgError, team};
use crate::store::Account;

fn team_json(status: u16, t: &crate::store::Team) -> ApiResponse {
    ApiResponse::json(status, to_json(&TeamView::from(t)))
}

/// `GET /organisations/{id}/teams`.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    let teams = team::list(ctx.store, Actor::Account(user), &org)?;
    let views: Vec<TeamView> = teams.iter().map(TeamView::from).collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `GET /organisations/{id}/teams/{team}`.
pub(super) fn show(ctx: &ApiCtx<'_>, user: &Account, id: i64, name: &str) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    let teams = team::list(ctx.store, Actor::Account(user), &org)?;
    let t = teams
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| OrgError::NotFound(format!("team {name}")))?;
    Ok(team_json(200, t))
}

/// `POST /organisations/{id}/teams`.
pub(super) fn create(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let input: TeamInput = parse(body)?;
    let org = org_of(ctx, user, id)?;
    let t = team::create(ctx.store, Actor::Account(user), &org, &input.name)?;
    let location = format!(
        "{PREFIX}organisations/{id}/teams/{}",
        percent_encoding::utf8_percent_encode(&t.name, percent_encoding::NON_ALPHANUMERIC)
    );
    Ok(team_json(201, &t).with("location", location))
}

/// `DELETE /organisations/{id}/teams/{team}`.
pub(super) fn delete(ctx: &ApiCtx<'_>, user: &Account, id: i64, name: &str) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    team::delete(ctx.store, Actor::Account(user), &org, name)?;
    Ok(ApiResponse::no_content())
}

/// `PUT /organisations/{id}/teams/{team}/members/{login}`.
pub(super) fn add(ctx: &ApiCtx<'_>, user: &Account, id: i64, name: &str, login: &str) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    Ok(team_json(
        200,
        &team::add(ctx.store, Actor::Account(user), &org, name, login)?,
    ))
}

/// `DELETE /organisations/{id}/teams/{team}/members/{login}`.
pub(super) fn remove(
    ctx: &ApiCtx<'_>,
    user: &Account,
    id: i64,
    name: &str,
    login: &str,
) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    Ok(team_json(
        200,
        &team::remove(ctx.store, Actor::Account(user), &org, name, login)?,
    ))
}
