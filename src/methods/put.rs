//! PUT of a calendar object or vCard: validated, size- and quota-checked, stored byte for byte,
//! answered 201/204 with the strong ETag of exactly those bytes (compat pitfall 4).

use super::resource::{collection, forbidden};
use super::target::{Target, object_href};
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome, write_condition};
use crate::dav::condition::{Condition, DavError};
use crate::org::access::Action;
use crate::transfer::content::{prepare, refusal};

/// Checks a member name: not empty, no leading dot, at most 255 bytes (control characters,
/// `/` and `..` never get this far: `href::decode_path` refuses them).
pub fn valid_member_name(name: &str) -> Result<(), DavError> {
    if name.is_empty() || name.len() > 255 || name.starts_with('.') {
        return Err(DavError::new(
            Condition::ValidResourceName,
            format!(
                "{name:?} cannot be used as a resource name (1-255 bytes, not starting with '.')"
            ),
        ));
    }
    Ok(())
}

/// Handles PUT.
pub fn put(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    let Target::Object(kind, login, coll_name, name) = &req.target else {
        return match req.target {
            Target::Collection(..) | Target::Home(..) => {
                Err(Failure::Status(405, "PUT goes to a member URL".into()))
            }
            _ => Err(forbidden()),
        };
    };
    valid_member_name(name)?;
    let (mount, coll) =
        match collection(ctx, req.user, *kind, login, coll_name, Action::WriteContent) {
            Err(Failure::Status(404, _)) => {
                return Err(Failure::Status(
                    409,
                    format!("collection {coll_name} does not exist"),
                ));
            }
            other => other?,
        };
    // The owner's plan sets the object size and the storage quota, whoever writes.
    let plan = ctx.plan(&mount.owner)?;
    let ct = req.headers.content_type.as_deref();
    let put = prepare(&coll, &plan, name, req.body.to_vec(), ct)?;
    match ctx
        .store
        .put_object(coll.id, &put, &write_condition(&req.headers))
    {
        Ok(outcome) => {
            Ok(DavResponse::empty(if outcome.created { 201 } else { 204 })
                .with("etag", outcome.etag))
        }
        Err(e) => {
            let href_of = |existing: &str| object_href(&mount.href(*kind), existing);
            Err(refusal(e, *kind, &plan, href_of)?.into())
        }
    }
}
