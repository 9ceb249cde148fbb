//! Why a trash, restore or history operation was refused: each variant has a stable code, a
//! message a person can act on, and an [`ErrorKind`] from which each front end picks a status.

use crate::org::access::Denial;
use crate::org::{ErrorKind, OrgError};
use crate::store::StoreError;

/// A refused trash, restore or history operation.
#[derive(Debug, thiserror::Error)]
pub enum TrashError {
    /// Nothing by that name or id (or not the actor's to see).
    #[error("{0} not found")]
    NotFound(String),
    /// A path that names no calendar, address book or object of one.
    #[error(
        "{0:?} is not a calendar or address book path: use /dav/calendars/LOGIN/NAME/ or \
         /dav/addressbooks/LOGIN/NAME/ (an object's path adds its name)"
    )]
    InvalidPath(String),
    /// A time that cannot be read.
    #[error(
        "{0:?} is not a time: use RFC 3339 (2025-01-07T10:00:00Z or with an offset, \
         2025-01-07T10:00:00+01:00), or a date and time in UTC (2025-01-07 10:00)"
    )]
    InvalidTime(String),
    /// A request that cannot be done as asked.
    #[error("{0}")]
    Invalid(String),
    /// The actor may not: its product access is off, or a share does not allow it.
    #[error("{}", .0.message())]
    Denied(Denial),
    /// The UID is used by another object of the collection, created since the deletion.
    #[error(
        "UID {uid} is already used by {existing}, created since; restore it as a copy with a \
         new UID (--as-copy on the command line, \"as_copy\": true in the API)"
    )]
    UidConflict {
        /// The UID.
        uid: String,
        /// Href of the object that holds it.
        existing: String,
    },
    /// A point-in-time restore would give an object back a UID another object holds now.
    #[error(
        "{object} as it was at {at} has UID {uid}, which {existing} has now: change or delete \
         {existing} first, or restore the whole collection to that time (each member gets back \
         the UID it had then)"
    )]
    PointInTimeUidConflict {
        /// Href of the object restored.
        object: String,
        /// The time restored to (RFC 3339).
        at: String,
        /// The UID.
        uid: String,
        /// Href of the object that holds it now.
        existing: String,
    },
    /// The object's collection is in the trash and no other was chosen.
    #[error(
        "{collection} was deleted too: restore it first (trash entry {entry}), or choose \
         another {kind} to restore into (--into, or \"into\" in the API)"
    )]
    CollectionGone {
        /// Href the collection had.
        collection: String,
        /// The collection's trash entry id.
        entry: String,
        /// "calendar" or "address book".
        kind: &'static str,
    },
    /// The chosen collection cannot hold the object.
    #[error("{collection} cannot hold this object: {reason}")]
    Unsupported {
        /// Href of the collection.
        collection: String,
        /// Why not.
        reason: String,
    },
    /// A point-in-time restore before the window or before the history began.
    #[error(
        "{at} is outside the restore window: the {plan} plan keeps {days} days of history, \
         so the earliest time is {earliest}"
    )]
    OutsideWindow {
        /// The time asked for (RFC 3339).
        at: String,
        /// The earliest time possible (RFC 3339).
        earliest: String,
        /// The owner's plan.
        plan: String,
        /// Its window in days.
        days: u32,
    },
    /// A point-in-time restore to before the collection was created.
    #[error("{collection} did not exist at {at}: it was created at {created}{trashed}")]
    BeforeCollection {
        /// Href of the collection.
        collection: String,
        /// The time asked for (RFC 3339).
        at: String,
        /// When it was created (RFC 3339).
        created: String,
        /// What the trash holds of that name: empty, or a sentence naming the entries.
        trashed: String,
    },
    /// The restore would exceed the owner's storage quota.
    #[error(
        "restoring would exceed the {plan} plan's storage quota of {quota} bytes ({used} bytes \
         used): delete something first"
    )]
    QuotaExceeded {
        /// The plan.
        plan: String,
        /// Bytes used.
        used: i64,
        /// The quota.
        quota: i64,
    },
    /// The owner already has as many collections of the kind as the plan allows.
    #[error(
        "the {plan} plan allows {limit} {kind}(s) per account: delete one before restoring this one"
    )]
    CollectionLimit {
        /// The plan.
        plan: String,
        /// The limit.
        limit: i64,
        /// "calendar" or "address book".
        kind: &'static str,
    },
    /// The trash entry was restored already, or purged (possibly by a concurrent request).
    #[error("{0} was already restored or purged")]
    AlreadyRestored(String),
    /// The collection kept changing while a restore was being decided.
    #[error("{0} kept changing during the restore; try again")]
    Busy(String),
    /// An organisation lookup failed.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for TrashError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => TrashError::NotFound(what),
            other => TrashError::Store(other),
        }
    }
}

impl TrashError {
    /// Stable code, for programs (the JSON API's `error` member).
    pub fn code(&self) -> &'static str {
        use TrashError::*;
        match self {
            NotFound(_) => "not-found",
            InvalidPath(_) => "invalid-path",
            InvalidTime(_) => "invalid-time",
            Invalid(_) => "invalid-request",
            Denied(Denial::ReadOnlyShare) => "read-only-share",
            Denied(Denial::OwnerOnly) => "owner-only",
            Denied(Denial::OwnerUnavailable { .. }) => "owner-unavailable",
            Denied(_) => "product-off",
            UidConflict { .. } | PointInTimeUidConflict { .. } => "uid-conflict",
            CollectionGone { .. } => "collection-deleted",
            Unsupported { .. } => "unsupported-content",
            OutsideWindow { .. } => "outside-restore-window",
            BeforeCollection { .. } => "before-collection-created",
            QuotaExceeded { .. } => "quota-exceeded",
            CollectionLimit { .. } => "collection-limit-reached",
            AlreadyRestored(_) => "already-restored",
            Busy(_) => "changed-meanwhile",
            Org(e) => e.code(),
            Store(_) => "internal",
        }
    }

    /// The class of the refusal.
    pub fn kind(&self) -> ErrorKind {
        use TrashError::*;
        match self {
            NotFound(_) => ErrorKind::NotFound,
            InvalidPath(_)
            | InvalidTime(_)
            | Invalid(_)
            | Unsupported { .. }
            | OutsideWindow { .. }
            | BeforeCollection { .. } => ErrorKind::Invalid,
            Denied(_) => ErrorKind::Forbidden,
            UidConflict { .. }
            | PointInTimeUidConflict { .. }
            | CollectionGone { .. }
            | QuotaExceeded { .. }
            | CollectionLimit { .. }
            | AlreadyRestored(_)
            | Busy(_) => ErrorKind::Conflict,
            Org(e) => e.kind(),
            Store(_) => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uid_clash_offers_a_copy() {
        let e = TrashError::UidConflict {
            uid: "u1".into(),
            existing: "/dav/calendars/al/personal/x.ics".into(),
        };
        assert_eq!((e.code(), e.kind()), ("uid-conflict", ErrorKind::Conflict));
        let text = e.to_string();
        assert!(text.contains("u1") && text.contains("x.ics") && text.contains("--as-copy"));
    }

    #[test]
    fn a_point_in_time_uid_clash_names_the_holder_and_offers_no_copy() {
        let e = TrashError::PointInTimeUidConflict {
            object: "/dav/calendars/al/personal/a.ics".into(),
            at: "2025-01-07T10:00:00Z".into(),
            uid: "u1".into(),
            existing: "/dav/calendars/al/personal/b.ics".into(),
        };
        assert_eq!((e.code(), e.kind()), ("uid-conflict", ErrorKind::Conflict));
        let text = e.to_string();
        assert!(text.contains("u1") && text.contains("b.ics") && text.contains("a.ics"));
        assert!(
            !text.contains("as-copy") && !text.contains("as_copy"),
            "{text}"
        );
    }

    #[test]
    fn store_failures_are_internal_and_missing_things_not_found() {
        let e: TrashError = StoreError::Backend("disk".into()).into();
        assert_eq!((e.code(), e.kind()), ("internal", ErrorKind::Internal));
        let e: TrashError = StoreError::NotFound("trash entry o1".into()).into();
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }
}
