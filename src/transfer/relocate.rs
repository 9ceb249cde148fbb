//! COPY and MOVE of an object to a collection of the same kind (RFC 4918 §9.8, §9.9), for
//! WebDAV and the JSON API alike. The object is checked for its destination as a PUT there
//! would be (the calendar's components, the plan's size), its UID must be free there
//! (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1 `no-uid-conflict`), and a move is one store
//! transaction: the object is never in both collections or in neither, and both collections'
//! sync tokens move.

use super::TransferError;
use super::content::{prepare, refusal};
use super::place::Place;
use crate::dav::condition::{Condition, DavError};
use crate::org::access::Action;
use crate::store::{CollectionKind, ObjectMove, Store, StoreError, WriteCondition};

/// Which of the two methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The source stays.
    Copy,
    /// The source goes.
    Move,
}

impl Mode {
    /// What the caller must be allowed to do with the source's collection: read it to copy
    /// from it, change its content to move out of it. The destination always takes a write.
    pub fn source_action(self) -> Action {
        match self {
            Mode::Copy => Action::Read,
            Mode::Move => Action::WriteContent,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Mode::Copy => "copied",
            Mode::Move => "moved",
        }
    }
}

/// A copy or move to perform.
#[derive(Debug, Clone, Copy)]
pub struct Relocation<'a> {
    /// Copy or move.
    pub mode: Mode,
    /// The source collection.
    pub source: &'a Place,
    /// The object's name there.
    pub name: &'a str,
    /// What must hold for the source (the client's `If-Match`; `None` without one).
    pub source_condition: &'a WriteCondition,
    /// The destination collection.
    pub destination: &'a Place,
    /// The object's name there.
    pub target_name: &'a str,
    /// `Overwrite: T` (the default): an object at the destination is replaced; `F`: it makes
    /// the request fail with 412.
    pub overwrite: bool,
}

/// What a copy or move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relocated {
    /// True when nothing was at the destination (201), false when it was replaced (204).
    pub created: bool,
    /// The ETag of the object at the destination.
    pub etag: String,
}

/// The refusal of a source whose kind the destination does not store.
fn wrong_kind(r: &Relocation<'_>) -> TransferError {
    let source = r.source.object_href(r.name);
    let (condition, message) = match r.destination.collection.kind {
        CollectionKind::Calendar => (
            Condition::SupportedCalendarData,
            format!(
                "a calendar stores text/calendar; {source} is a vCard from an address book and \
                 cannot be {} into it",
                r.mode.verb()
            ),
        ),
        CollectionKind::AddressBook => (
            Condition::SupportedAddressData,
            format!(
                "an address book stores text/vcard; {source} is calendar data and cannot be {} \
                 into it",
                r.mode.verb()
            ),
        ),
    };
    TransferError::Refused(DavError::new(condition, message))
}

/// Performs `r`.
pub fn relocate(store: &dyn Store, r: &Relocation<'_>) -> Result<Relocated, TransferError> {
    let (from, to) = (&r.source.collection, &r.destination.collection);
    if from.kind != to.kind {
        return Err(wrong_kind(r));
    }
    // RFC 4918 §9.8.5, §9.9.4: 403 when source and destination are the same resource.
    if from.id == to.id && r.name == r.target_name {
        return Err(TransferError::Refused(DavError::new(
            Condition::ValidDestination,
            format!(
                "the destination is the source itself ({}); nothing to {}",
                r.source.object_href(r.name),
                match r.mode {
                    Mode::Copy => "copy",
                    Mode::Move => "move",
                }
            ),
        )));
    }
    let object = store
        .get_object(from.id, r.name)?
        .ok_or_else(|| TransferError::NotFound(format!("{} not found", r.name)))?;
    if !r.source_condition.holds(Some(&object.meta.etag)) {
        return Err(TransferError::PreconditionFailed(
            "If-Match does not match the source's current ETag".into(),
        ));
    }
    let exists = store.get_object(to.id, r.target_name)?.is_some();
    if exists && !r.overwrite {
        return Err(TransferError::PreconditionFailed(format!(
            "{} exists and Overwrite: F forbids replacing it",
            r.destination.object_href(r.target_name)
        )));
    }
    let put = prepare(to, &r.destination.plan, r.target_name, object.body, None)?;
    let to_condition = if r.overwrite {
        WriteCondition::None
    } else {
        WriteCondition::MustNotExist
    };
    let written = match r.mode {
        Mode::Copy => store.put_object(to.id, &put, &to_condition),
        Mode::Move => store.move_object(&ObjectMove {
            from: from.id,
            name: r.name,
            // The source as read and checked above; a change since fails the move.
            from_condition: &WriteCondition::EtagIn(vec![object.meta.etag]),
            to: to.id,
            object: &put,
            to_condition: &to_condition,
            source_quota: Some(r.source.plan.quota()),
        }),
    };
    match written {
        Ok(outcome) => Ok(Relocated {
            created: outcome.created,
            etag: outcome.etag,
        }),
        Err(StoreError::PreconditionFailed) => Err(TransferError::PreconditionFailed(
            "the source or the destination changed meanwhile; try again".into(),
        )),
        Err(e) => {
            let place = r.destination;
            let refused = refusal(e, to.kind, &place.plan, |name| place.object_href(name))?;
            Err(refused.into())
        }
    }
}
