//! Moving data into, out of and between collections: importing `.ics` and `.vcf` files,
//! exporting a collection as one file (streamed page by page), and copying or moving objects
//! between collections (WebDAV COPY/MOVE and the JSON API). Shared by `methods`, `api` and
//! `cli`, so each surface applies the same content rules, plan limits and access checks.
//!
//! May import `dav` (conditions), `ical`, `caldav`, `carddav` (content rules), `org` (access,
//! plans) and `store`; never `methods`, `api`, `http`, `cli` or `app`.

pub mod content;
pub mod export;
pub mod import;
pub mod place;
pub mod relocate;

use crate::dav::condition::DavError;
use crate::org::OrgError;
use crate::store::StoreError;

/// Why a transfer was refused. Each front end renders it its own way: DAV as the status and
/// `<D:error>` element, the API as `{"error": code, "message": ...}`, the CLI as a message.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The request itself is unusable (a collection path that names no collection).
    #[error("{0}")]
    Invalid(String),
    /// The collection or object does not exist (or is not the caller's to see).
    #[error("{0}")]
    NotFound(String),
    /// The caller may not use the collection.
    #[error("{0}")]
    Forbidden(String),
    /// A DAV precondition failed: content rules, UID conflict, size, quota, kind of collection.
    #[error("{0}")]
    Refused(DavError),
    /// An `If-Match` or `Overwrite: F` condition does not hold.
    #[error("{0}")]
    PreconditionFailed(String),
    /// The store failed.
    #[error("storage failure: {0}")]
    Store(StoreError),
}

impl TransferError {
    /// The HTTP status: a precondition's own, 400/404/403/412 for the others, 500 for
    /// failures.
    pub fn status(&self) -> u16 {
        match self {
            TransferError::Invalid(_) => 400,
            TransferError::NotFound(_) => 404,
            TransferError::Forbidden(_) => 403,
            TransferError::Refused(e) => e.status(),
            TransferError::PreconditionFailed(_) => 412,
            TransferError::Store(_) => 500,
        }
    }

    /// A stable code: the precondition's element name (`no-uid-conflict`,
    /// `valid-calendar-data`, `quota-not-exceeded`, ...) or the class of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            TransferError::Invalid(_) => "bad-request",
            TransferError::NotFound(_) => "not-found",
            TransferError::Forbidden(_) => "forbidden",
            TransferError::Refused(e) => e.condition.element().1,
            TransferError::PreconditionFailed(_) => "precondition-failed",
            TransferError::Store(_) => "internal",
        }
    }
}

impl From<StoreError> for TransferError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => TransferError::NotFound(format!("{what} not found")),
            StoreError::PreconditionFailed => TransferError::PreconditionFailed(
                "the object changed meanwhile; read it again and retry".into(),
            ),
            other => TransferError::Store(other),
        }
    }
}

impl From<DavError> for TransferError {
    fn from(e: DavError) -> Self {
        TransferError::Refused(e)
    }
}

impl From<OrgError> for TransferError {
    /// Only a collection path that names no collection, and the lookups of a collection's
    /// owner and organisation, get here.
    fn from(e: OrgError) -> Self {
        match e {
            OrgError::InvalidPath(_) => TransferError::Invalid(e.to_string()),
            OrgError::Store(store) => store.into(),
            other => TransferError::Store(StoreError::Backend(other.to_string())),
        }
    }
}

/// A store with one account holding a calendar (`cal`, VEVENT and VTODO) and an address book
/// (`book`), opened as places, for the unit tests of this module and of `contacts`.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use super::place::{Place, open};
    use crate::org::Actor;
    use crate::org::access::Action;
    use crate::org::organisation::founder;
    use crate::org::plan::Plans;
    use crate::org::share::CollectionPath;
    use crate::store::clock::ManualClock;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{
        CollectionKind, CollectionProps, LegalContact, NewAccount, NewCollection, NewOrg,
        Placement, Store,
    };

    /// The store (and the directory it lives in) with the account `al`.
    pub(crate) fn store() -> (tempfile::TempDir, SqliteStore) {
        let (dir, store, _) = store_with_clock();
        (dir, store)
    }

    /// [`store`] on a clock the test moves (what the history keeps depends on time: content
    /// replaced within the second it was written is not kept).
    pub(crate) fn store_with_clock() -> (tempfile::TempDir, SqliteStore, Arc<ManualClock>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = Arc::new(ManualClock::new(1_000_000));
        let store =
            SqliteStore::open_with_clock(&dir.path().join("db"), clock.clone()).expect("open");
        let collection = |kind, name: &str, components: &[&str]| NewCollection {
            kind,
            name: name.to_owned(),
            components: components.iter().map(|c| (*c).to_owned()).collect(),
            props: CollectionProps::default(),
            dead: Vec::new(),
            position: 0,
            limit: None,
        };
        store
            .create_account(&NewAccount {
                login: "al".into(),
                display_name: "Al".into(),
                email: None,
                password_hash: "x".into(),
                organisation: Placement::NewOrg {
                    org: NewOrg {
                        name: "al org".into(),
                        plan: "ksuite-pro".into(),
                        contact: LegalContact::default(),
                    },
                    founder: founder(),
                },
                collections: vec![
                    collection(CollectionKind::Calendar, "cal", &["VEVENT", "VTODO"]),
                    collection(CollectionKind::Calendar, "tasks", &["VTODO"]),
                    collection(CollectionKind::AddressBook, "book", &[]),
                    collection(CollectionKind::AddressBook, "other", &[]),
                ],
            })
            .expect("account");
        (dir, store, clock)
    }

    /// The collection `path` (`calendars/al/cal`, ...) opened by the operator.
    pub(crate) fn place(store: &SqliteStore, path: &str) -> Place {
        let path = CollectionPath::parse(path).expect("path");
        open(
            store,
            &Plans::builtin(),
            Actor::Operator,
            &path,
            Action::WriteContent,
        )
        .expect("open")
    }
}
