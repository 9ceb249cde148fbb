//! Invitations: the caller's own (listing, accepting by joining, declining) and an
//! organisation's pending ones (listing, withdrawing; legal owners and admins). An existing
//! account is invited by `POST /organisations/{id}/members` (see `members`).

use super::views::{InvitationView, MemberView, to_json};
use super::{ApiCtx, ApiResponse, ApiResult, org_of};
use crate::org::{Actor, invitation};
use crate::store::{Account, Invitation};

fn invitations_json(invitations: &[Invitation]) -> ApiResponse {
    let views: Vec<InvitationView> = invitations.iter().map(InvitationView::from).collect();
    ApiResponse::json(200, to_json(&views))
}

/// `GET /invitations`: the invitations waiting for the caller's answer.
pub(super) fn mine(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    Ok(invitations_json(&invitation::pending(ctx.store, user)?))
}

/// `POST /organisations/{id}/join`: the caller accepts its invitation and becomes a member.
pub(super) fn accept(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let member = invitation::accept(ctx.store, ctx.plans, user, id)?;
    Ok(ApiResponse::json(200, to_json(&MemberView::from(&member))))
}

/// `POST /organisations/{id}/decline`: the caller declines its invitation.
pub(super) fn decline(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    invitation::decline(ctx.store, user, id)?;
    Ok(ApiResponse::no_content())
}

/// `GET /organisations/{id}/invitations`: the organisation's pending invitations.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    Ok(invitations_json(&invitation::pending_to(
        ctx.store,
        Actor::Account(user),
        &org,
    )?))
}

/// `DELETE /organisations/{id}/invitations/{login}`: withdraws an invitation.
pub(super) fn withdraw(ctx: &ApiCtx<'_>, user: &Account, id: i64, login: &str) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    invitation::withdraw(ctx.store, Actor::Account(user), &org, login)?;
    Ok(ApiResponse::no_content())
}
