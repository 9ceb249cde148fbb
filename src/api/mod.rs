//! The JSON API under `/api/v1/`: organisations, members and teams, for the members of those
//! organisations, with exactly the rules of `org` held to the caller's role (the command line
//! is the operator and skips them); the caller's shares and public links; the caller's trash,
//! version history and restores (`trash`, with the rules of the `trash` module); and the
//! caller's calendars and address books: import, export, copy and move (`transfer`), duplicate
//! contacts and contact groups (`contacts`). Authentication is the HTTP layer's (Basic,
//! throttled, as for DAV); this module sees an authenticated account. Documented in
//! `docs/openapi.yaml`. May import `transfer`, `contacts`, `org`, `store`, `config` and
//! `trash`; knows nothing of hyper or DAV.

mod collections;
mod contacts;
mod error;
mod input;
mod invitations;
mod links;
mod members;
mod orgs;
pub mod routes;
mod shares;
mod teams;
pub mod trash;
pub mod views;

pub use error::ApiError;
pub use routes::{PREFIX, is_api_path};

use crate::org::Actor;
use crate::org::accounts::DefaultCollections;
use crate::org::organisation::find;
use crate::org::plan::Plans;
use crate::store::{Account, Org, Store};
use crate::transfer::export::Export;
use routes::{ApiMethod, Route};

/// Everything a handler needs besides the request.
pub struct ApiCtx<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The plan catalogue.
    pub plans: &'a Plans,
    /// Plan of organisations created without one.
    pub default_plan: &'a str,
    /// Collections of accounts created through the API.
    pub defaults: DefaultCollections,
    /// The server's public base URL (no trailing slash), for the URLs of public links.
    pub public_base: String,
}

impl ApiCtx<'_> {
    /// The current time, Unix seconds: the store's clock (`store::clock`), which tests move.
    pub fn now(&self) -> i64 {
        self.store.now()
    }
}

/// An authenticated API request.
#[derive(Debug)]
pub struct ApiRequest<'a> {
    /// Method token.
    pub method: &'a str,
    /// Path, prefix included, without the query string.
    pub path: &'a str,
    /// The query string, without the `?` (the listings that page read `limit` and `cursor`).
    pub query: Option<&'a str>,
    /// Body (bounded by the HTTP layer).
    pub body: &'a [u8],
    /// The caller.
    pub user: &'a Account,
}

/// An answer before it becomes HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// Body (JSON, or empty for 204).
    pub body: Vec<u8>,
    /// A collection exported as the body (instead of `body`), streamed by the HTTP layer.
    pub stream: Option<Export>,
}

impl ApiResponse {
    /// A JSON answer.
    pub fn json(status: u16, body: Vec<u8>) -> Self {
        ApiResponse {
            status,
            headers: vec![("content-type", "application/json".into())],
            body,
            stream: None,
        }
    }

    /// 204 No Content.
    pub fn no_content() -> Self {
        ApiResponse {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
            stream: None,
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a handler returns.
type ApiResult = Result<ApiResponse, ApiError>;

/// The organisation `id` if the caller is a member (others are 404, as if it did not exist).
fn org_of(ctx: &ApiCtx<'_>, user: &Account, id: i64) -> Result<Org, ApiError> {
    Ok(find(ctx.store, Actor::Account(user), id)?.0)
}

/// Answers one request.
pub fn handle(ctx: &ApiCtx<'_>, req: &ApiRequest<'_>) -> ApiResponse {
    let outcome = Route::parse(req.path).and_then(|route| {
        let method = ApiMethod::parse(req.method);
        dispatch(ctx, req, &route, method).unwrap_or_else(|| {
            let e = ApiError::new(
                405,
                "method-not-allowed",
                format!(
                    "{} is not allowed here (allowed: {})",
                    req.method,
                    route.allow()
                ),
            );
            Ok(e.response().with("allow", route.allow()))
        })
    });
    outcome.unwrap_or_else(|e| e.response())
}

/// Runs the handler of `route` for `method`; `None` when the route does not answer it.
fn dispatch(
    ctx: &ApiCtx<'_>,
    req: &ApiRequest<'_>,
    route: &Route,
    method: ApiMethod,
) -> Option<ApiResult> {
    use ApiMethod::*;
    let user = req.user;
    let body = req.body;
    Some(match (route, method) {
        (Route::Plans, Get) => orgs::plans(ctx),
        (Route::Invitations, Get) => invitations::mine(ctx, user),
        (Route::Orgs, Get) => orgs::list(ctx, user),
        (Route::Orgs, Post) => orgs::create(ctx, user, body),
        (Route::Org(id), Get) => orgs::show(ctx, user, *id),
        (Route::Contact(id), Put) => orgs::set_contact(ctx, user, *id, body),
        (Route::Plan(id), Put) => orgs::set_plan(ctx, user, *id, body),
        (Route::Leave(id), Post) => members::leave(ctx, user, *id),
        (Route::Join(id), Post) => invitations::accept(ctx, user, *id),
        (Route::Decline(id), Post) => invitations::decline(ctx, user, *id),
        (Route::OrgInvitations(id), Get) => invitations::list(ctx, user, *id),
        (Route::Invitation(id, login), Delete) => invitations::withdraw(ctx, user, *id, login),
        (Route::Members(id), Get) => members::list(ctx, user, *id),
        (Route::Members(id), Post) => members::add(ctx, user, *id, body),
        (Route::RemoveMembers(id), Post) => members::remove_several(ctx, user, *id, body),
        (Route::Member(id, login), Patch) => members::update(ctx, user, *id, login, body),
        (Route::Member(id, login), Delete) => members::remove(ctx, user, *id, login),
        (Route::Teams(id), Get) => teams::list(ctx, user, *id),
        (Route::Teams(id), Post) => teams::create(ctx, user, *id, body),
        (Route::Team(id, team), Get) => teams::show(ctx, user, *id, team),
        (Route::Team(id, team), Delete) => teams::delete(ctx, user, *id, team),
        (Route::TeamMember(id, team, login), Put) => teams::add(ctx, user, *id, team, login),
        (Route::TeamMember(id, team, login), Delete) => teams::remove(ctx, user, *id, team, login),
        (Route::Shares, Get) => shares::list(ctx, user),
        (Route::Shares, Post) => shares::create(ctx, user, body),
        (Route::Share(id), Get) => shares::show(ctx, user, *id),
        (Route::Share(id), Patch) => shares::update(ctx, user, *id, body),
        (Route::Share(id), Delete) => shares::remove(ctx, user, *id),
        (Route::SharedWithMe, Get) => shares::shared_with_me(ctx, user),
        (Route::Links, Get) => links::list(ctx, user),
        (Route::Links, Post) => links::create(ctx, user, body),
        (Route::Link(id), Get) => links::show(ctx, user, *id),
        (Route::Link(id), Delete) => links::revoke(ctx, user, *id),
        (Route::Trash, Get) => trash::list(ctx, req),
        (Route::TrashRestore(id), Post) => trash::restore(ctx, user, id, body),
        (Route::Storage, Get) => trash::storage(ctx, user),
        (Route::Versions(path), Get) => trash::versions(ctx, req, path),
        (Route::RestoreAt(path), Post) => trash::restore_at(ctx, user, path, body),
        (Route::Resource(path), Delete) => trash::delete(ctx, user, path),
        (Route::Import(at), Post) => collections::import(ctx, user, at, body),
        (Route::Export(at), Get) => collections::export(ctx, user, at),
        (Route::Relocate(at, object, mode), Post) => {
            collections::relocate(ctx, user, at, object, *mode, body)
        }
        (Route::Duplicates(at), Get) => contacts::list_duplicates(ctx, user, at),
        (Route::Merge(at), Post) => contacts::merge_duplicates(ctx, user, at, body),
        (Route::Groups(at), Get) => contacts::list_groups(ctx, user, at),
        (Route::Group(at, object), Get) => contacts::show_group(ctx, user, at, object),
        (Route::ContactGroups(at, object), Get) => contacts::groups_of(ctx, user, at, object),
        _ => return None,
    })
}
