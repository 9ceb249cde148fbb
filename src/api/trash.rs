//! The caller's trash, version history and storage figures: listing, restoring, point-in-time
//! restores, and deleting a calendar, address book or object (to the trash, like DAV DELETE).
//! Only the caller's own data: other accounts' entries and paths answer 404. The JSON shapes
//! here are also the command line's `--json` output.

use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::input::parse;
use super::views::to_json;
use super::{ApiCtx, ApiRequest, ApiResponse, ApiResult};
use crate::org::{Actor, ErrorKind};
use crate::store::{Account, Purged};
use crate::trash::{
    self, Deleted, Item, Listed, Paging, PointInTime, PurgeReport, Restored, Storage, TrashError,
    VersionItem, rfc3339,
};

impl From<TrashError> for ApiError {
    /// Invalid requests are 422, product access turned off 403, unknown things 404, conflicts
    /// with the current state 409 (a UID clash, a deleted collection, the quota or the
    /// collection limit), server failures 500 (logged, with a generic message).
    fn from(e: TrashError) -> Self {
        let status = match e.kind() {
            ErrorKind::Invalid => 422,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Internal => {
                tracing::error!(error = %e, "API trash request failed");
                return ApiError::new(500, "internal", "internal error");
            }
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

/// A trash entry.
#[derive(Debug, Serialize)]
pub struct TrashItemView {
    /// Id to restore it with (`o12`: an object, `c3`: a collection).
    pub id: String,
    /// `event`, `task`, `journal`, `freebusy`, `contact`, `calendar` or `addressbook`.
    pub kind: &'static str,
    /// The object's UID (`null` for a collection).
    pub uid: Option<String>,
    /// Resource name, or the collection's name.
    pub name: String,
    /// A collection's display name.
    pub display_name: Option<String>,
    /// Where it was.
    pub href: String,
    /// The collection it was in (for a collection: its home).
    pub collection: String,
    /// When that collection is in the trash too: its trash id (restore it first, or restore
    /// this one `into` another collection).
    pub collection_deleted: Option<String>,
    /// When it was deleted, RFC 3339.
    pub deleted_at: String,
    /// Login of who deleted it, when known.
    pub deleted_by: Option<String>,
    /// When it will be purged at the latest, under the owner's plan as it is now, RFC 3339.
    pub purge_at: String,
    /// Bytes (a collection's: of its objects).
    pub size: i64,
    /// Objects that come back with a collection (`null` for an object).
    pub objects: Option<i64>,
}

impl From<&Item> for TrashItemView {
    fn from(i: &Item) -> Self {
        TrashItemView {
            id: i.id.to_string(),
            kind: i.kind,
            uid: i.uid.clone(),
            name: i.name.clone(),
            display_name: i.display_name.clone(),
            href: i.href.clone(),
            collection: i.collection.clone(),
            collection_deleted: i.collection_deleted.map(|c| c.to_string()),
            deleted_at: rfc3339(i.deleted_at),
            deleted_by: i.deleted_by.clone(),
            purge_at: rfc3339(i.purge_at),
            size: i.size,
            objects: i.objects,
        }
    }
}

/// What a restore brought back.
#[derive(Debug, Serialize)]
pub struct RestoredView {
    /// The trash id it had.
    pub id: String,
    /// Its kind, as in the trash listing.
    pub kind: &'static str,
    /// Where it is now.
    pub href: String,
    /// The object's UID (new for a copy); `null` for a collection.
    pub uid: Option<String>,
    /// The object's new ETag; `null` for a collection.
    pub etag: Option<String>,
    /// Objects that came back with a collection; `null` for an object.
    pub objects: Option<i64>,
}

impl From<&Restored> for RestoredView {
    fn from(r: &Restored) -> Self {
        RestoredView {
            id: r.id.to_string(),
            kind: r.kind,
            href: r.href.clone(),
            uid: r.uid.clone(),
            etag: r.etag.clone(),
            objects: r.objects,
        }
    }
}

/// What a point-in-time restore did.
#[derive(Debug, Serialize)]
pub struct PointInTimeView {
    /// The collection or object restored.
    pub href: String,
    /// The time it was restored to, RFC 3339.
    pub at: String,
    /// Members given back their content of then.
    pub restored: usize,
    /// Members created since, sent to the trash.
    pub deleted: usize,
    /// Members already as they were.
    pub unchanged: usize,
}

impl From<&PointInTime> for PointInTimeView {
    fn from(p: &PointInTime) -> Self {
        PointInTimeView {
            href: p.href.clone(),
            at: rfc3339(p.at),
            restored: p.restored,
            deleted: p.deleted,
            unchanged: p.unchanged,
        }
    }
}

/// One version of an object.
#[derive(Debug, Serialize)]
pub struct VersionView {
    /// The version's id, to restore it by (`null` for the current content).
    pub id: Option<i64>,
    /// True for the current content.
    pub current: bool,
    /// Its kind.
    pub kind: &'static str,
    /// UID.
    pub uid: String,
    /// ETag it had.
    pub etag: String,
    /// Bytes.
    pub size: i64,
    /// When it was written, RFC 3339: restoring `at` this time brings it back.
    pub from: String,
    /// When it was replaced or deleted, RFC 3339 (`null` for the current content).
    pub to: Option<String>,
    /// `replaced`, `deleted` or `collection-deleted` (`null` for the current content).
    pub ended: Option<&'static str>,
}

impl From<&VersionItem> for VersionView {
    fn from(v: &VersionItem) -> Self {
        VersionView {
            id: v.id,
            current: v.current,
            kind: v.kind,
            uid: v.uid.clone(),
            etag: v.etag.clone(),
            size: v.size,
            from: rfc3339(v.from),
            to: v.to.map(rfc3339),
            ended: v.ended,
        }
    }
}

/// Storage figures: live data against the quota; the trash and the history outside it.
#[derive(Debug, Serialize)]
pub struct StorageView {
    /// Bytes of live calendars and address books (what the quota counts).
    pub used_bytes: i64,
    /// The plan's quota, bytes (`null` outside any organisation).
    pub quota_bytes: Option<u64>,
    /// Bytes of deleted objects and collections (not counted against the quota).
    pub trash_bytes: i64,
    /// Bytes of earlier versions (not counted against the quota).
    pub history_bytes: i64,
    /// Days the trash and the history are kept.
    pub trash_days: u32,
    /// The plan they come from.
    pub plan: String,
}

impl From<&Storage> for StorageView {
    fn from(s: &Storage) -> Self {
        StorageView {
            used_bytes: s.used_bytes,
            quota_bytes: s.quota_bytes,
            trash_bytes: s.kept.trash_bytes,
            history_bytes: s.kept.history_bytes,
            trash_days: s.window.days,
            plan: s.window.plan.clone(),
        }
    }
}

/// What a purge removed (the command line's `trash purge --json`).
#[derive(Debug, Serialize)]
pub struct PurgeView {
    /// Accounts something was removed from.
    pub accounts: usize,
    /// Trash entries of objects.
    pub objects: i64,
    /// Trashed collections.
    pub collections: i64,
    /// Stored versions of every kind.
    pub versions: i64,
    /// Bytes freed.
    pub bytes: i64,
    /// Bytes the database file gave back to the file system.
    pub released_bytes: i64,
}

impl From<&PurgeReport> for PurgeView {
    fn from(r: &PurgeReport) -> Self {
        let Purged {
            objects,
            collections,
            versions,
            bytes,
        } = r.purged;
        PurgeView {
            accounts: r.accounts,
            objects,
            collections,
            versions,
            bytes,
            released_bytes: r.released_bytes,
        }
    }
}

/// `POST /trash/{id}/restore`; an empty body restores where it was.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreInput {
    into: Option<String>,
    #[serde(default)]
    as_copy: bool,
}

/// `POST /restore/{path}`: a time, or an object's version by id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreAtInput {
    at: Option<String>,
    version: Option<i64>,
}

/// Entries of a listing page when the request names no `limit`.
const DEFAULT_PAGE: usize = 100;
/// The most entries a listing page holds.
const MAX_PAGE: usize = 1_000;

/// The page a listing request asks for: `?limit=N` (1 to [`MAX_PAGE`], [`DEFAULT_PAGE`]
/// when absent) and `&cursor=C` (the previous page's next one); anything else is a 400.
fn paging(query: Option<&str>) -> Result<Paging, ApiError> {
    let mut paging = Paging {
        limit: Some(DEFAULT_PAGE),
        cursor: None,
    };
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("limit", n)) => {
                let n = n
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "limit={n}: a page holds 1 to {MAX_PAGE} entries"
                        ))
                    })?;
                paging.limit = Some(n);
            }
            Some(("cursor", c)) => paging.cursor = Some(c.to_owned()),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter {pair:?} (a listing takes limit and cursor)"
                )));
            }
        }
    }
    Ok(paging)
}

/// A listing page as JSON (an array), with a `Link: <...>; rel="next"` header (RFC 8288)
/// to the next page when there is one.
fn page_response<T, V>(req: &ApiRequest<'_>, paging: &Paging, listed: &Listed<T>) -> ApiResponse
where
    V: Serialize + for<'a> From<&'a T>,
{
    let views: Vec<V> = listed.items.iter().map(V::from).collect();
    let response = ApiResponse::json(200, to_json(&views));
    match (&listed.next, paging.limit) {
        (Some(next), Some(limit)) => response.with(
            "link",
            format!("<{}?limit={limit}&cursor={next}>; rel=\"next\"", req.path),
        ),
        _ => response,
    }
}

/// `GET /trash`: a page of the caller's trash, most recent deletion first.
pub(super) fn list(ctx: &ApiCtx<'_>, req: &ApiRequest<'_>) -> ApiResult {
    let paging = paging(req.query)?;
    let user = req.user;
    let listed = trash::list(
        ctx.store,
        ctx.plans,
        Actor::Account(user),
        &user.login,
        &paging,
    )?;
    Ok(page_response::<_, TrashItemView>(req, &paging, &listed))
}

/// `POST /trash/{id}/restore`.
pub(super) fn restore(ctx: &ApiCtx<'_>, user: &Account, id: &str, body: &[u8]) -> ApiResult {
    let input: RestoreInput = if body.iter().all(u8::is_ascii_whitespace) {
        RestoreInput::default()
    } else {
        parse(body)?
    };
    let done = trash::restore(
        ctx.store,
        ctx.plans,
        Actor::Account(user),
        id,
        input.into.as_deref(),
        input.as_copy,
    )?;
    Ok(ApiResponse::json(200, to_json(&RestoredView::from(&done))))
}

/// `GET /storage`: the caller's storage figures.
pub(super) fn storage(ctx: &ApiCtx<'_>, user: &Account) -> ApiResult {
    let s = trash::usage(ctx.store, ctx.plans, Actor::Account(user), &user.login)?;
    Ok(ApiResponse::json(200, to_json(&StorageView::from(&s))))
}

/// `GET /versions/{path}`: a page of an object's versions, the current one first.
pub(super) fn versions(ctx: &ApiCtx<'_>, req: &ApiRequest<'_>, path: &str) -> ApiResult {
    let paging = paging(req.query)?;
    let listed = trash::versions(
        ctx.store,
        ctx.plans,
        Actor::Account(req.user),
        path,
        &paging,
    )?;
    Ok(page_response::<_, VersionView>(req, &paging, &listed))
}

/// `POST /restore/{path}` with `{"at": TIME}` (a point-in-time restore) or `{"version": ID}`
/// (an object back to one of its versions).
pub(super) fn restore_at(ctx: &ApiCtx<'_>, user: &Account, path: &str, body: &[u8]) -> ApiResult {
    let input: RestoreAtInput = parse(body)?;
    let actor = Actor::Account(user);
    let done = match (input.at, input.version) {
        (Some(at), None) => {
            let at = trash::parse_time(&at)?;
            trash::restore_at(ctx.store, ctx.plans, actor, path, at)?
        }
        (None, Some(id)) => trash::restore_version(ctx.store, ctx.plans, actor, path, id)?,
        _ => {
            return Err(TrashError::Invalid(
                "give either \"at\" (a time) or \"version\" (an id from GET /versions/...)".into(),
            )
            .into());
        }
    };
    Ok(ApiResponse::json(
        200,
        to_json(&PointInTimeView::from(&done)),
    ))
}

/// `DELETE /resources/{path}`: to the trash; the trash entry, to offer an undo (204 in a
/// collection shared with the caller, whose owner restores what a sharee deletes).
pub(super) fn delete(ctx: &ApiCtx<'_>, user: &Account, path: &str) -> ApiResult {
    Ok(match trash::delete(ctx.store, ctx.plans, user, path)? {
        Deleted::ToTrash(item) => ApiResponse::json(200, to_json(&TrashItemView::from(&*item))),
        Deleted::Shared => ApiResponse::no_content(),
    })
}
