//! Plans and organisations: listing, creating (the caller becomes legal owner), showing, and
//! the legal owner's changes (contact details, plan).

use super::input::{ContactInput, NewOrgInput, PlanInput, parse};
use super::views::{MemberView, OrgDetailView, OrgView, PlanView, TeamView, to_json};
use super::{ApiCtx, ApiResponse, ApiResult, PREFIX};
use crate::org::organisation::{self, find};
use crate::org::{Actor, membership, team};
use crate::store::{Account, LegalContact, NewOrg};

/// `GET /plans`.
pub(super) fn plans(ctx: &ApiCtx<'_>) -> ApiResult {
    let views: Vec<PlanView> = ctx.plans.iter().map(PlanView::from).collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `GET /organisations`: the caller's organisations, the one governing its data first.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    let orgs = organisation::visible(ctx.store, Actor::Account(user))?;
    let views: Vec<OrgView> = orgs.iter().map(OrgView::from).collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `POST /organisations`: a new organisation with the caller as legal owner.
pub(super) fn create(ctx: &ApiCtx<'_>, user: &Account, body: &[u8]) -> ApiResult {
    let input: NewOrgInput = parse(body)?;
    let new = NewOrg {
        name: input.name,
        plan: input.plan.unwrap_or_else(|| ctx.default_plan.to_owned()),
        contact: input.contact.into(),
    };
    let org = organisation::create(ctx.store, ctx.plans, user, &new)?;
    Ok(ApiResponse::json(201, to_json(&OrgView::from(&org)))
        .with("location", format!("{PREFIX}organisations/{}", org.id)))
}

/// `GET /organisations/{id}`: with members and teams, for its members.
pub(super) fn show(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let actor = Actor::Account(user);
    let (org, _) = find(ctx.store, actor, id)?;
    let members = membership::list(ctx.store, actor, &org)?;
    let teams = team::list(ctx.store, actor, &org)?;
    let view = OrgDetailView {
        org: (&org).into(),
        members: members.iter().map(MemberView::from).collect(),
        teams: teams.iter().map(TeamView::from).collect(),
    };
    Ok(ApiResponse::json(200, to_json(&view)))
}

/// `PUT /organisations/{id}/contact`: replaces the legal contact details (legal owners).
pub(super) fn set_contact(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let contact: LegalContact = parse::<ContactInput>(body)?.into();
    let actor = Actor::Account(user);
    let (org, _) = find(ctx.store, actor, id)?;
    let org = organisation::set_contact(ctx.store, ctx.plans, actor, &org, &contact)?;
    Ok(ApiResponse::json(200, to_json(&OrgView::from(&org))))
}

/// `PUT /organisations/{id}/plan`: upgrades the plan (legal owners).
pub(super) fn set_plan(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let input: PlanInput = parse(body)?;
    let actor = Actor::Account(user);
    let (org, _) = find(ctx.store, actor, id)?;
    let org = organisation::set_plan(ctx.store, ctx.plans, actor, &org, &input.plan)?;
    Ok(ApiResponse::json(200, to_json(&OrgView::from(&org))))
}
