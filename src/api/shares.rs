//! Shares of the caller's calendars and address books (`/shares`), and the collections shared
//! with the caller (`/shared-with-me`). Only a collection's owner lists, creates, changes and
//! removes its shares; anyone else's collections and shares are "not found".

use serde::Deserialize;

use super::input::parse;
use super::views::to_json;
use super::{ApiCtx, ApiResponse, ApiResult, PREFIX};
use crate::org::Actor;
use crate::org::share::{self, CollectionPath, ShareWith, parse_access};
use crate::store::Account;
use crate::views::share::{ShareItemView, SharedCollectionView};

/// `POST /shares`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShareInput {
    /// The collection's DAV path.
    collection: String,
    /// A login, or `team:NAME`.
    with: String,
    /// `read` (default) or `read-write`.
    access: Option<String>,
}

/// `PATCH /shares/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharePatch {
    /// `read` or `read-write`.
    access: String,
}

fn share_json(status: u16, s: &crate::store::Share) -> ApiResponse {
    ApiResponse::json(status, to_json(&ShareItemView::from(s)))
}

/// `GET /shares`: the shares of the caller's collections.
pub(super) fn list(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    let shares = share::list(ctx.store, Actor::Account(user), None)?;
    let views: Vec<ShareItemView> = shares.iter().map(ShareItemView::from).collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}

/// `POST /shares`: shares a collection (201), or changes the access of an existing share
/// with the same person or team (200).
pub(super) fn create(ctx: &ApiCtx<'_>, user: &Account, body: &[u8]) -> ApiResult {
    let input: ShareInput = parse(body)?;
    let path = CollectionPath::parse(&input.collection)?;
    let with = ShareWith::parse(&input.with)?;
    let access = parse_access(input.access.as_deref().unwrap_or("read"))?;
    let (s, created) = share::add(ctx.store, Actor::Account(user), &path, &with, access)?;
    Ok(share_json(if created { 201 } else { 200 }, &s)
        .with("location", format!("{PREFIX}shares/{}", s.id)))
}

/// `GET /shares/{id}`.
pub(super) fn show(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    Ok(share_json(
        200,
        &share::find(ctx.store, Actor::Account(user), id)?,
    ))
}

/// `PATCH /shares/{id}`: changes the access.
pub(super) fn update(ctx: &ApiCtx<'_>, user: &Account, id: i64, body: &[u8]) -> ApiResult {
    let patch: SharePatch = parse(body)?;
    let access = parse_access(&patch.access)?;
    let s = share::set_access(ctx.store, Actor::Account(user), id, access)?;
    Ok(share_json(200, &s))
}

/// `DELETE /shares/{id}`: unshares.
pub(super) fn remove(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> ApiResult {
    share::remove_by_id(ctx.store, Actor::Account(user), id)?;
    Ok(ApiResponse::no_content())
}

/// `GET /shared-with-me`: the collections shared with the caller that its homes list.
pub(super) fn shared_with_me(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    let views: Vec<SharedCollectionView> = share::shared_with(ctx.store, ctx.plans, user)?
        .iter()
        .map(|(s, access)| SharedCollectionView::new(&user.login, s, *access))
        .collect();
    Ok(ApiResponse::json(200, to_json(&views)))
}
