//! Members: listing, adding (inviting an existing account, or creating a new one), changing,
//! removing one or several at once, and leaving.

use super::error::ApiError;
use super::input::{AddMemberInput, MemberPatch, RemoveInput, parse};
use super::views::{AddedView, InvitationView, MemberView, to_json};
use super::{ApiCtx, ApiResponse, ApiResult, org_of};
use crate::org::{AccountSpec, Actor, invitation, membership, password};
use crate::store::Account;

/// `GET /organisations/{id}/members`.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    let members = membership::list(ctx.store, Actor::Account(user), &org)?;
    let views: Vec<MemberView> = members.iter().map(MemberView::from).collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `POST /organisations/{id}/members`: an existing account is invited (it joins when it
/// accepts, 202); with an `account` object, a new account is created in the organisation (its
/// password generated and returned once when none is given, 201). The caller's right to add
/// this member is checked before the login is looked up, so no one else learns which exist.
pub(super) fn add(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let input: AddMemberInput = parse(body)?;
    let member = input.membership()?;
    let org = org_of(ctx, user, id)?;
    let grant =
        membership::authorise_join(ctx.store, ctx.plans, Actor::Account(user), &org, &member)?;
    let existing = ctx
        .store
        .account_by_login(&input.login)
        .map_err(crate::org::OrgError::from)?;
    match (existing, input.account) {
        (Some(account), None) => {
            let offered = invitation::invite(ctx.store, &grant, &account)?;
            Ok(ApiResponse::json(
                202,
                to_json(&InvitationView::from(&offered)),
            ))
        }
        (Some(_), Some(_)) => Err(ApiError::new(
            409,
            "already-exists",
            format!(
                "account {} already exists; leave out `account` to invite it",
                input.login
            ),
        )),
        (None, None) => Err(ApiError::new(
            404,
            "not-found",
            format!(
                "account {} not found; give an `account` object to create it",
                input.login
            ),
        )),
        (None, Some(new)) => {
            let generated = new.password.is_none();
            let spec = AccountSpec {
                login: input.login,
                password: new.password.unwrap_or_else(password::generate),
                email: new.email,
                display_name: new.display_name,
            };
            let m =
                membership::add_new_account(ctx.store, ctx.plans, &grant, &spec, &ctx.defaults)?;
            let view = AddedView {
                member: (&m).into(),
                account_created: true,
                password: generated.then_some(spec.password),
            };
            Ok(ApiResponse::json(201, to_json(&view)))
        }
    }
}

/// `PATCH /organisations/{id}/members/{login}`: role, access and notices.
pub(super) fn update(
    ctx: &ApiCtx<'_>,
    user: &Account,
    id: i64,
    login: &str,
    body: &[u8],
) -> ApiResult {
    let update = parse::<MemberPatch>(body)?.update()?;
    let org = org_of(ctx, user, id)?;
    let m = membership::update(
        ctx.store,
        ctx.plans,
        Actor::Account(user),
        &org,
        login,
        &update,
    )?;
    Ok(ApiResponse::json(200, to_json(&MemberView::from(&m))))
}

/// `DELETE /organisations/{id}/members/{login}`.
pub(super) fn remove(ctx: &ApiCtx<'_>, user: &Account, id: i64, login: &str) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    membership::remove(ctx.store, Actor::Account(user), &org, &[login.to_owned()])?;
    Ok(ApiResponse::no_content())
}

/// `POST /organisations/{id}/members/remove`: several members at once, all or none.
pub(super) fn remove_several(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let input: RemoveInput = parse(body)?;
    if input.logins.is_empty() {
        return Err(ApiError::bad_request("`logins` is empty"));
    }
    let org = org_of(ctx, user, id)?;
    membership::remove(ctx.store, Actor::Account(user), &org, &input.logins)?;
    Ok(ApiResponse::no_content())
}

/// `POST /organisations/{id}/leave`: the caller leaves.
pub(super) fn leave(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    let org = org_of(ctx, user, id)?;
    membership::leave(ctx.store, user, &org)?;
    Ok(ApiResponse::no_content())
}
