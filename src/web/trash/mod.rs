//! The trash area (`/web/trash`): the viewer's deleted events, tasks, contacts, calendars and
//! address books with when they were deleted and when they will be removed for good, restored
//! with one click; point-in-time restores of a whole calendar or address book; the storage
//! figures. Everything goes through `crate::trash` as the JSON API does (`src/api/trash.rs`),
//! so a restore is seen by clients at their next sync.
//!
//! - `GET /web/trash`: the page (`?ok=…` after a change says what was done).
//! - `POST /web/trash/restore`: `id` (`o12`, `c3`), optional `into` (the DAV path of one of the
//!   viewer's collections, for an object whose collection is gone) and `as_copy=1` (a new UID,
//!   after a UID clash).
//! - `POST /web/trash/restore-at`: `collection` (a name in the viewer's home), `kind`
//!   (`calendar` or `addressbook`), `at` (a `datetime-local` value in the viewer's zone) and
//!   `tz` (the browser's zone, filled in by the script; else the zone cookie's, else UTC).

mod page;
mod texts;

use chrono_tz::Tz;
use maud::html;

use super::layout::csrf_field;
use super::notice::{Notice, failure, status, with_query};
use super::{Form, Viewer, WebCtx, WebRequest, WebResponse, dates, not_found};
use crate::org::Actor;
use crate::org::share::{CollectionPath, is_generated};
use crate::store::{CollectionKind, StoreError};
use crate::trash::{self, TrashError};
use texts::texts;

/// Where the page is.
const PATH: &str = "/web/trash";

/// Routes `/web/trash/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    match (req.method, tail) {
        ("GET" | "HEAD", []) => {
            let notice = done_notice(v, req);
            let query = req.query_form();
            page::render(ctx, req, v, 200, notice, query.get("cursor"))
        }
        ("POST", ["restore"]) => restore(ctx, req, v),
        ("POST", ["restore-at"]) => restore_at(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// The message of a redirect after a change, from the fields this module put in the query.
fn done_notice(v: &Viewer, req: &WebRequest<'_>) -> Notice {
    let t = texts(v.lang);
    let q = req.query_form();
    let href = q.get("href").unwrap_or("");
    match q.get("ok") {
        Some("restored") => Notice::Done(format!("{}: {href}", t.restored)),
        Some("restored-at") => {
            let count = |name| q.get(name).and_then(|n| n.parse().ok()).unwrap_or(0);
            let at = q
                .get("at")
                .and_then(|a| a.parse().ok())
                .map(|at| dates::date_time(v.lang, at, dates::zone(req.cookies)))
                .unwrap_or_default();
            Notice::Done(format!(
                "{} {at}: {href}. {}",
                t.restored_at,
                (t.restored_at_counts)(count("restored"), count("deleted"), count("unchanged"))
            ))
        }
        _ => Notice::None,
    }
}

/// A refused trash operation: the page again with the API's status and the message, or a
/// server failure.
fn refused(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    e: TrashError,
    next: Option<maud::Markup>,
) -> Result<WebResponse, StoreError> {
    let Some(code) = status(e.kind()) else {
        return Err(internal(e));
    };
    let text = texts::refusal(v.lang, &e);
    page::render(ctx, req, v, code, Notice::Refused(text, next), None)
}

/// A trash operation's server failure, for the web view's error page.
fn internal(e: TrashError) -> StoreError {
    match e {
        TrashError::Store(s) => s,
        other => failure(other),
    }
}

/// `POST /web/trash/restore`.
fn restore(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let form = Form::parse_body(req.body);
    let id = form.get("id").unwrap_or("").trim();
    let into = form.get("into").filter(|p| !p.trim().is_empty());
    let as_copy = form.get("as_copy") == Some("1");
    match trash::restore(
        ctx.store,
        ctx.plans,
        Actor::Account(&v.account),
        id,
        into,
        as_copy,
    ) {
        Ok(done) => Ok(WebResponse::see_other(&with_query(
            PATH,
            &[("ok", "restored"), ("href", &done.href)],
        ))),
        Err(e) => {
            // A UID used again: the same entry, as a copy with a new UID.
            let next = matches!(e, TrashError::UidConflict { .. }).then(|| {
                html! {
                    form.inline method="post" action={ (PATH) "/restore" } {
                        (csrf_field(v))
                        input type="hidden" name="id" value=(id);
                        @if let Some(into) = into { input type="hidden" name="into" value=(into); }
                        input type="hidden" name="as_copy" value="1";
                        button #restore-as-copy type="submit" { (texts(v.lang).restore_as_copy) }
                    }
                }
            });
            refused(ctx, req, v, e, next)
        }
    }
}

/// `POST /web/trash/restore-at`.
fn restore_at(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let form = Form::parse_body(req.body);
    let kind = form.get("kind").and_then(CollectionKind::parse);
    let name = form.get("collection").unwrap_or("");
    let (Some(kind), false) = (kind, name.is_empty() || is_generated(name)) else {
        let notice = Notice::Refused(t.unknown_collection.into(), None);
        return page::render(ctx, req, v, 404, notice, None);
    };
    let tz = form
        .get("tz")
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or_else(|| dates::zone(req.cookies));
    let Some(at) = form.get("at").and_then(|text| dates::read_input(text, tz)) else {
        let notice = Notice::Refused(t.bad_time.into(), None);
        return page::render(ctx, req, v, 422, notice, None);
    };
    let path = CollectionPath::of(kind, &v.account.login, name).href();
    match trash::restore_at(ctx.store, ctx.plans, Actor::Account(&v.account), &path, at) {
        Ok(done) => Ok(WebResponse::see_other(&with_query(
            PATH,
            &[
                ("ok", "restored-at"),
                ("href", &done.href),
                ("at", &done.at.to_string()),
                ("restored", &done.restored.to_string()),
                ("deleted", &done.deleted.to_string()),
                ("unchanged", &done.unchanged.to_string()),
            ],
        ))),
        Err(e) => refused(ctx, req, v, e, None),
    }
}
