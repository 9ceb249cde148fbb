//! DELETE of an object (with If-Match) or of a whole collection. Homes and principals cannot
//! be deleted. What is deleted goes to its owner's trash, with who deleted it (a read-write
//! sharee deleting an object too; see `trash`): gone from DAV at once (404, and a deletion in
//! sync-collection), restorable for the plan's window. A sharee deleting a collection shared
//! with it only takes it out of its own home (the share stays, declined, until the owner shares
//! it again); the owner's data is untouched.

use super::resource::{collection, forbidden};
use super::target::Target;
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome, write_condition};
use crate::org::access::Action;
use crate::org::share as org_share;

/// Handles DELETE.
pub fn delete(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    match &req.target {
        Target::Object(kind, login, coll, name) => {
            let (_, coll) = collection(ctx, req.user, *kind, login, coll, Action::WriteContent)?;
            ctx.store.delete_object_by(
                coll.id,
                name,
                &write_condition(&req.headers),
                Some(req.user.id),
            )?;
            Ok(DavResponse::empty(204))
        }
        Target::Collection(kind, login, name) => {
            let (mount, coll) = collection(ctx, req.user, *kind, login, name, Action::Remove)?;
            if mount.is_shared() {
                org_share::reply(ctx.store, &mount.home, coll.kind, coll.id, false)?;
            } else {
                ctx.store.delete_collection_by(coll.id, Some(req.user.id))?;
            }
            Ok(DavResponse::empty(204))
        }
        Target::Unknown => Err(Failure::Status(404, "not found".into())),
        _ => Err(forbidden()),
    }
}
