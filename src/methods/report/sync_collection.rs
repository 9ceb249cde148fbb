//! sync-collection (RFC 6578): an empty token is an initial sync (compat pitfall 1), an unknown,
//! foreign or expired token is 403 DAV:valid-sync-token (pitfall 2), the Depth header is ignored
//! (Thunderbird sends 1, pitfall 3), deletions are 404 members (pitfall 16), and `limit`
//! truncates with a 507 response for the collection and a token to continue from (§3.6).

use super::write_members;
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::PropRequest;
use crate::methods::props::{PropCtx, parse_sync_token, sync_token};
use crate::methods::resource::Mount;
use crate::methods::target::object_href;
use crate::methods::{Ctx, DavResponse, Outcome};
use crate::store::{Account, Change, Collection, ObjectMeta};

/// Answers a sync-collection report on `coll`.
pub fn sync_collection(
    ctx: &Ctx<'_>,
    user: &Account,
    mount: &Mount,
    coll: &Collection,
    token: &str,
    props: &PropRequest,
    limit: Option<usize>,
) -> Outcome {
    let since = if token.is_empty() {
        0
    } else {
        parse_sync_token(coll, token).ok_or_else(|| {
            DavError::new(
                Condition::ValidSyncToken,
                "this sync token is not valid for this collection; resync",
            )
        })?
    };
    let changes = ctx.store.changes_since(coll.id, since, limit)?;
    let coll_href = mount.href(coll.kind);
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    let mut present: Vec<ObjectMeta> = Vec::new();
    for change in changes.changes {
        match change {
            Change::Present(meta) => present.push(meta),
            Change::Deleted(name) => ms.status(&object_href(&coll_href, &name), 404),
        }
    }
    write_members(ctx, &pc, &mut ms, mount, coll, &present, props)?;
    if changes.truncated {
        let e = DavError::new(
            Condition::NumberOfMatchesWithinLimits,
            "more changes follow; sync again with the new token",
        );
        ms.status_with_error(&coll_href, &e);
    }
    ms.sync_token(&sync_token(coll, changes.revision));
    Ok(DavResponse::xml(207, ms.finish()))
}
