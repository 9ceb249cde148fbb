//! Contact tools through the API: the groups of probable duplicates of an address book and
//! merging one, and contact groups with their members (`contacts`, shared with the command
//! line).

use super::collections::place_of;
use super::input::{MergeInput, parse};
use super::views::to_json;
use super::{ApiCtx, ApiResponse, ApiResult};
use crate::contacts::{duplicates, groups, merge};
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::store::{Account, Deleter};

/// `GET addressbooks/LOGIN/NAME/duplicates`.
pub(super) fn list_duplicates(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
) -> ApiResult {
    let place = place_of(ctx, user, path, Action::Read)?;
    let found = duplicates::duplicates(ctx.store, &place)?;
    Ok(ApiResponse::json(200, to_json(&found)))
}

/// `POST addressbooks/LOGIN/NAME/duplicates/merge`.
pub(super) fn merge_duplicates(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    body: &[u8],
) -> ApiResult {
    let input: MergeInput = parse(body)?;
    let place = place_of(ctx, user, path, Action::WriteContent)?;
    let merged = merge::merge(
        ctx.store,
        &place,
        &input.objects,
        input.keep.as_deref(),
        Deleter::Account(user.id),
    )?;
    Ok(ApiResponse::json(200, to_json(&merged)))
}

/// `GET addressbooks/LOGIN/NAME/groups`.
pub(super) fn list_groups(ctx: &ApiCtx<'_>, user: &Account, path: &CollectionPath) -> ApiResult {
    let place = place_of(ctx, user, path, Action::Read)?;
    Ok(ApiResponse::json(
        200,
        to_json(&groups::groups(ctx.store, &place)?),
    ))
}

/// `GET addressbooks/LOGIN/NAME/groups/OBJECT`.
pub(super) fn show_group(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    name: &str,
) -> ApiResult {
    let place = place_of(ctx, user, path, Action::Read)?;
    Ok(ApiResponse::json(
        200,
        to_json(&groups::group(ctx.store, &place, name)?),
    ))
}

/// `GET addressbooks/LOGIN/NAME/objects/OBJECT/groups`.
pub(super) fn groups_of(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    name: &str,
) -> ApiResult {
    let place = place_of(ctx, user, path, Action::Read)?;
    Ok(ApiResponse::json(
        200,
        to_json(&groups::groups_of(ctx.store, &place, name)?),
    ))
}
