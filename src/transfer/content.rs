//! What a collection stores for a body, checked as every write path checks it (PUT, import,
//! COPY/MOVE, a merged contact): the plan's object size, then the content rules of the
//! collection's kind; and the store's refusals of such a write as DAV preconditions.

use crate::caldav;
use crate::carddav;
use crate::dav::condition::{Condition, DavError};
use crate::org::plan::Plan;
use crate::store::etag_of;
use crate::store::{Collection, CollectionKind, PutObject, StoreError};

/// The object `collection` would store under `name` for `body`, with the ETag of exactly these
/// bytes and the owner's quota. `content_type` is the declared media type, if any.
pub fn prepare(
    collection: &Collection,
    plan: &Plan,
    name: &str,
    body: Vec<u8>,
    content_type: Option<&str>,
) -> Result<PutObject, DavError> {
    let max = plan.max_object_size;
    if body.len() as u64 > max {
        let condition = match collection.kind {
            CollectionKind::Calendar => Condition::CalMaxResourceSize,
            CollectionKind::AddressBook => Condition::CardMaxResourceSize,
        };
        return Err(DavError::new(
            condition,
            format!(
                "{} bytes is more than the {max}-byte limit per object of the {} plan",
                body.len(),
                plan.name
            ),
        ));
    }
    let index = match collection.kind {
        CollectionKind::Calendar => caldav::validate(collection, &body, content_type)?,
        CollectionKind::AddressBook => carddav::validate(&body, content_type)?,
    };
    Ok(PutObject {
        name: name.to_owned(),
        etag: etag_of(&body),
        body,
        index,
        quota: Some(plan.quota()),
    })
}

/// The precondition a refused write of an object breaks (RFC 4791 §5.3.2.1 no-uid-conflict
/// with the href holding the UID, RFC 4331 quota), or the store error itself when it is not
/// one. `href_of` gives the href of a member of the collection written to.
pub fn refusal(
    error: StoreError,
    kind: CollectionKind,
    plan: &Plan,
    href_of: impl FnOnce(&str) -> String,
) -> Result<DavError, StoreError> {
    match error {
        StoreError::UidConflict { uid, existing } => {
            let href = href_of(&existing);
            let condition = match kind {
                CollectionKind::Calendar => Condition::CalNoUidConflict(href.clone()),
                CollectionKind::AddressBook => Condition::CardNoUidConflict(href.clone()),
            };
            Ok(DavError::new(
                condition,
                format!("UID {uid} is already used by {href}"),
            ))
        }
        // RFC 4331 §6: 507 with DAV:quota-not-exceeded.
        StoreError::QuotaExceeded { used, quota } => Ok(DavError::new(
            Condition::QuotaNotExceeded,
            format!(
                "the {} plan's storage quota of {quota} bytes would be exceeded ({used} bytes \
                 used)",
                plan.name
            ),
        )),
        other => Err(other),
    }
}
