//! DELETE of an object (with If-Match) or of a whole collection. Homes and principals cannot
//! be deleted. What is deleted goes to its owner's trash, with who deleted it (a read-write
//! sharee deleting an object too; see `trash`): gone from DAV at once (404, and a deletion in
//! sync-collection), restorable for the plan's window. A sharee deleting a collection shared
//! with it only takes it out of its own home (the share stays, declined, until the owner shares
//! it again); the owner's data is untouched. The owner's trash and history stay within its
//! plan's quota: a deletion trims the oldest of them when it takes them beyond.

use super::resource::{collection, forbidden};
use super::target::Target;
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome, write_condition};
use crate::org::access::Action;
use crate::org::share as org_share;
use crate::store::{Account, Deleter};

/// Handles DELETE.
pub fn delete(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    match &req.target {
        Target::Object(kind, login, coll, name) => {
            let (mount, coll) =
                collection(ctx, req.user, *kind, login, coll, Action::WriteContent)?;
            ctx.store.delete_object_by(
                coll.id,
                name,
                &write_condition(&req.headers),
                Some(Deleter::Account(req.user.id)),
            )?;
            trim_trash(ctx, &mount.owner);
            Ok(DavResponse::empty(204))
        }
        Target::Collection(kind, login, name) => {
            let (mount, coll) = collection(ctx, req.user, *kind, login, name, Action::Remove)?;
            if mount.is_shared() {
                org_share::reply(ctx.store, &mount.home, coll.kind, coll.id, false)?;
            } else {
                ctx.store
                    .delete_collection_by(coll.id, Some(Deleter::Account(req.user.id)))?;
                trim_trash(ctx, &mount.owner);
            }
            Ok(DavResponse::empty(204))
        }
        Target::Unknown => Err(Failure::Status(404, "not found".into())),
        _ => Err(forbidden()),
    }
}

/// Keeps `owner`'s trash and history within its plan's quota after a deletion added to them.
/// The deletion is done by then, so a failure here is logged, not answered: the next write or
/// the purge trims again.
fn trim_trash(ctx: &Ctx<'_>, owner: &Account) {
    let trimmed = ctx.home(owner.id).and_then(|home| match home {
        Some(h) => Ok(ctx.store.trim_kept(owner.id, h.plan.quota()).map(drop)?),
        None => Ok(()),
    });
    if let Err(e) = trimmed {
        tracing::error!(owner = %owner.login, error = ?e, "trimming the trash failed");
    }
}
