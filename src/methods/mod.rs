//! The DAV methods, one file each, over the resource model: what each method does to which
//! resource. Synchronous: the HTTP layer runs [`handle`] on a blocking thread, so store calls
//! are plain calls. Knows nothing of hyper; takes a [`DavRequest`] and gives a [`DavResponse`].

mod copy_move;
mod delete;
mod directory;
mod get;
mod mkcol;
mod options;
mod propfind;
mod proppatch;
mod props;
pub mod public;
mod put;
mod report;
mod resource;
mod sharing;
pub mod target;

use std::cell::RefCell;
use std::collections::HashMap;

use crate::dav::condition::{Condition, DavError};
use crate::org::home::{Home, home};
use crate::org::plan::{Plan, Plans};
use crate::org::{ErrorKind, OrgError};
use crate::store::{Account, Store, StoreError, WriteCondition};
use crate::transfer::export::Export;
use crate::transfer::relocate::Mode;
use target::Target;

/// The methods the server understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// OPTIONS
    Options,
    /// GET
    Get,
    /// HEAD
    Head,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PROPFIND
    Propfind,
    /// PROPPATCH
    Proppatch,
    /// MKCOL
    Mkcol,
    /// MKCALENDAR
    Mkcalendar,
    /// REPORT
    Report,
    /// COPY (RFC 4918 §9.8)
    Copy,
    /// MOVE (RFC 4918 §9.9)
    Move,
    /// POST (sharing requests)
    Post,
    /// Anything else (405).
    Other,
}

impl Method {
    /// Classifies a method token.
    pub fn parse(token: &str) -> Method {
        match token {
            "OPTIONS" => Method::Options,
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "PROPFIND" => Method::Propfind,
            "PROPPATCH" => Method::Proppatch,
            "MKCOL" => Method::Mkcol,
            "MKCALENDAR" => Method::Mkcalendar,
            "REPORT" => Method::Report,
            "COPY" => Method::Copy,
            "MOVE" => Method::Move,
            "POST" => Method::Post,
            _ => Method::Other,
        }
    }
}

/// The `Allow` header value: what the server implements.
pub const ALLOW: &str = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, MKCALENDAR, REPORT, COPY, MOVE, \
     POST";

/// The request headers the methods look at.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    /// `Depth`, as sent.
    pub depth: Option<String>,
    /// `If-Match`, as sent.
    pub if_match: Option<String>,
    /// `If-None-Match`, as sent.
    pub if_none_match: Option<String>,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// `Destination` of a COPY or MOVE, as sent.
    pub destination: Option<String>,
    /// `Overwrite` of a COPY or MOVE, as sent.
    pub overwrite: Option<String>,
}

/// A request as the methods see it: already authenticated, body already read (and bounded).
#[derive(Debug)]
pub struct DavRequest<'a> {
    /// The method.
    pub method: Method,
    /// The parsed path.
    pub target: Target,
    /// The raw query string, if any (the free-busy URL reads its range from it).
    pub query: Option<&'a str>,
    /// The headers of interest.
    pub headers: Headers,
    /// The body.
    pub body: &'a [u8],
    /// The authenticated account.
    pub user: &'a Account,
}

/// A response before it becomes HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DavResponse {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// A collection exported as the body (instead of `body`), which the HTTP layer streams
    /// page by page.
    pub stream: Option<Export>,
}

impl DavResponse {
    /// A response with a status and no body.
    pub fn empty(status: u16) -> Self {
        DavResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            stream: None,
        }
    }

    /// An XML response (207 multistatus or similar).
    pub fn xml(status: u16, body: String) -> Self {
        DavResponse {
            status,
            headers: vec![("content-type", "application/xml; charset=utf-8".into())],
            body: body.into_bytes(),
            stream: None,
        }
    }

    /// A 200 iCalendar response: a free-busy answer, a public link, a holiday feed.
    pub fn calendar(body: Vec<u8>) -> Self {
        DavResponse {
            status: 200,
            headers: vec![("content-type", "text/calendar; charset=utf-8".into())],
            body,
            stream: None,
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl From<DavError> for DavResponse {
    fn from(e: DavError) -> Self {
        DavResponse::xml(e.status(), e.to_xml())
    }
}

/// What a handler fails with: a DAV condition, or a bare HTTP status with a reason.
#[derive(Debug)]
pub enum Failure {
    /// A precondition (rendered as `<D:error>`).
    Dav(DavError),
    /// A plain status (404, 405, 409, 412, ...) with a reason for the body.
    Status(u16, String),
}

impl From<DavError> for Failure {
    fn from(e: DavError) -> Self {
        Failure::Dav(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Failure::Status(404, format!("{what} not found")),
            StoreError::PreconditionFailed => Failure::Status(412, "precondition failed".into()),
            StoreError::AlreadyExists(what) => {
                Failure::Status(409, format!("{what} already exists"))
            }
            StoreError::InvalidSyncToken => Failure::Dav(DavError::new(
                Condition::ValidSyncToken,
                "sync token is no longer valid; resync",
            )),
            other => {
                tracing::error!(error = %other, "store failure");
                Failure::Status(500, "internal storage error".into())
            }
        }
    }
}

impl From<OrgError> for Failure {
    /// Only the organisation lookups a DAV request makes get here; a misconfigured plan is a
    /// server error, logged with the organisation it concerns.
    fn from(e: OrgError) -> Self {
        match e.kind() {
            ErrorKind::NotFound => Failure::Status(404, e.to_string()),
            ErrorKind::Forbidden => Failure::Status(403, e.to_string()),
            ErrorKind::Invalid | ErrorKind::Conflict => Failure::Status(409, e.to_string()),
            ErrorKind::Internal => {
                tracing::error!(error = %e, "organisation lookup failed");
                Failure::Status(500, "internal error".into())
            }
        }
    }
}

/// Result of a handler.
pub type Outcome = Result<DavResponse, Failure>;

/// Everything a handler needs besides the request.
pub struct Ctx<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The plan catalogue.
    pub plans: &'a Plans,
    /// Governing organisations looked up during this request, by account id: access checks,
    /// limits and properties all need them, so each is read once.
    homes: RefCell<HashMap<i64, Option<Home>>>,
}

impl<'a> Ctx<'a> {
    /// A context for one request.
    pub fn new(store: &'a dyn Store, plans: &'a Plans) -> Self {
        Ctx {
            store,
            plans,
            homes: RefCell::new(HashMap::new()),
        }
    }

    /// The current time, Unix seconds: the store's clock (`store::clock`), which tests move, so
    /// what a request records and what it compares agree.
    pub fn now(&self) -> i64 {
        self.store.now()
    }

    /// The organisation governing `account`'s data, `None` when it belongs to none.
    pub fn home(&self, account: i64) -> Result<Option<Home>, Failure> {
        if let Some(h) = self.homes.borrow().get(&account) {
            return Ok(h.clone());
        }
        let h = home(self.store, self.plans, account)?;
        self.homes.borrow_mut().insert(account, h.clone());
        Ok(h)
    }

    /// The plan that limits `owner`'s calendars and address books. An owner in no
    /// organisation has no plan, and no access either (see `org::access`).
    pub fn plan(&self, owner: &Account) -> Result<Plan, Failure> {
        self.home(owner.id)?.map(|h| h.plan).ok_or_else(|| {
            Failure::Dav(DavError::new(
                Condition::NeedPrivileges,
                crate::org::access::Denial::NoOrganisation.message(),
            ))
        })
    }
}

/// Answers OPTIONS, which needs no authentication (clients probe before they log in).
pub fn handle_options() -> DavResponse {
    options::options()
}

/// Runs one request.
pub fn handle(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> DavResponse {
    let writes = matches!(
        req.method,
        Method::Put
            | Method::Delete
            | Method::Proppatch
            | Method::Mkcol
            | Method::Mkcalendar
            | Method::Move
            | Method::Post
    );
    let outcome = match req.method {
        _ if writes && directory::is_directory_target(&req.target) => Err(directory::read_only()),
        Method::Options => Ok(options::options()),
        Method::Get | Method::Head => get::get(ctx, req),
        Method::Put => put::put(ctx, req),
        Method::Delete => delete::delete(ctx, req),
        Method::Propfind => propfind::propfind(ctx, req),
        Method::Proppatch => proppatch::proppatch(ctx, req),
        Method::Mkcol | Method::Mkcalendar => mkcol::mkcol(ctx, req),
        Method::Report => report::report(ctx, req),
        Method::Copy => copy_move::copy_move(ctx, req, Mode::Copy),
        Method::Move => copy_move::copy_move(ctx, req, Mode::Move),
        Method::Post => sharing::post(ctx, req),
        Method::Other => Err(Failure::Status(405, "method not allowed".into())),
    };
    let response = match outcome {
        Ok(r) => r,
        Err(Failure::Dav(e)) => e.into(),
        Err(Failure::Status(status, reason)) => DavResponse {
            status,
            headers: vec![("content-type", "text/plain; charset=utf-8".into())],
            body: format!("{reason}\n").into_bytes(),
            stream: None,
        },
    };
    // RFC 9110 §15.5.6: every 405 names the methods that are allowed.
    if response.status == 405 {
        response.with("allow", ALLOW)
    } else {
        response
    }
}

/// Turns `If-Match` / `If-None-Match` into the store's write condition (RFC 7232 §3.1, §3.2).
pub fn write_condition(h: &Headers) -> WriteCondition {
    match (
        h.if_match.as_deref().map(str::trim),
        h.if_none_match.as_deref().map(str::trim),
    ) {
        (Some("*"), _) => WriteCondition::MustExist,
        (Some(v), _) => WriteCondition::EtagIn(entity_tags(v, false)),
        (None, Some("*")) => WriteCondition::MustNotExist,
        (None, Some(v)) => WriteCondition::EtagNotIn(entity_tags(v, true)),
        (None, None) => WriteCondition::None,
    }
}

/// The entity tags of an If-Match / If-None-Match list. If-Match compares strongly (RFC 7232
/// §3.1), so a weak tag is kept as written and never equals a stored (strong) ETag;
/// If-None-Match compares weakly (§3.2), so `W/` is dropped.
pub fn entity_tags(list: &str, weak: bool) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .map(|t| if weak { t.trim_start_matches("W/") } else { t })
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `etag` (or `*`) is in an If-Match (`weak` false) or If-None-Match (`weak` true) list.
pub fn etag_listed(header: &str, etag: &str, weak: bool) -> bool {
    entity_tags(header, weak)
        .iter()
        .any(|t| t == "*" || t == etag)
}

/// The strong ETag of a body (the store's: see [`crate::store::etag`]), which PUT answers.
pub use crate::store::etag::etag_of;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_headers_map_to_write_conditions() {
        let h = |m: Option<&str>, n: Option<&str>| Headers {
            if_match: m.map(Into::into),
            if_none_match: n.map(Into::into),
            ..Default::default()
        };
        assert_eq!(
            write_condition(&h(None, Some("*"))),
            WriteCondition::MustNotExist
        );
        assert_eq!(
            write_condition(&h(Some("*"), None)),
            WriteCondition::MustExist
        );
        assert_eq!(
            write_condition(&h(Some("\"a\", W/\"b\""), None)),
            WriteCondition::EtagIn(vec!["\"a\"".into(), "W/\"b\"".into()]),
            "If-Match compares strongly: a weak tag never matches"
        );
        assert_eq!(
            write_condition(&h(None, Some("W/\"b\""))),
            WriteCondition::EtagNotIn(vec!["\"b\"".into()]),
            "If-None-Match compares weakly"
        );
        assert_eq!(write_condition(&h(None, None)), WriteCondition::None);
    }
}
