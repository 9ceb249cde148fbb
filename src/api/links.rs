//! Public links of the caller's calendars (`/links`): creating one (counted against the
//! monthly allowance of its organisation's plan), listing, showing and revoking. Anyone
//! else's links are "not found".

use serde::Deserialize;

use super::input::parse;
use super::views::to_json;
use super::{ApiCtx, ApiResponse, ApiResult, PREFIX};
use crate::org::Actor;
use crate::org::link::{self, Validity};
use crate::org::share::CollectionPath;
use crate::store::{Account, PublicLink};
use crate::views::share::LinkView;

/// `POST /links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkInput {
    /// The calendar's DAV path.
    calendar: String,
    /// `7d`, `30d`, `6m`, `1y` or `unlimited`.
    valid: String,
}

fn link_json(ctx: &ApiCtx<'_>, status: u16, l: &PublicLink) -> ApiResponse {
    ApiResponse::json(
        status,
        to_json(&LinkView::new(l, &ctx.public_base, ctx.now())),
    )
}

/// `GET /links`: the caller's links, newest first.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    let at = ctx.now();
    let views: Vec<LinkView> = link::list(ctx.store, Actor::Account(user))?
        .iter()
        .map(|l| LinkView::new(l, &ctx.public_base, at))
        .collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `POST /links`: publishes a calendar.
pub(super) fn create(ctx: &ApiCtx<'_>, user: &Account, body: &[u8]) -> ApiResult {
    let input: LinkInput = parse(body)?;
    let path = CollectionPath::parse(&input.calendar)?;
    let validity = Validity::parse(&input.valid)?;
    let l = link::create(
        ctx.store,
        ctx.plans,
        Actor::Account(user),
        &path,
        validity,
        ctx.now(),
    )?;
    Ok(link_json(ctx, 201, &l).with("location", format!("{PREFIX}links/{}", l.id)))
}

/// `GET /links/{id}`.
pub(super) fn show(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    Ok(link_json(
        ctx,
        200,
        &link::find(ctx.store, Actor::Account(user), id)?,
    ))
}

/// `DELETE /links/{id}`: revokes the link (it answers 404 from then on).
pub(super) fn revoke(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    link::revoke(ctx.store, Actor::Account(user), id, ctx.now())?;
    Ok(ApiResponse::no_content())
}
