//! Public links: `GET /public/TOKEN.ics` serves a published calendar, without authentication,
//! as one `text/calendar` stream (one VCALENDAR, each VTIMEZONE once) that Apple, Google,
//! Outlook and Thunderbird subscribe to as `webcal://`.
//!
//! - A token that is unknown, revoked or expired, or whose owner has no calendar access at
//!   the moment, answers 404 with the same body: nothing tells them apart.
//! - The ETag follows the calendar's revision, name and time zone, so `If-None-Match` answers 304 without
//!   reading a single object; `Cache-Control` lets caches keep the answer five minutes (less
//!   when the link expires sooner), after which they ask again.
//! - Only GET and HEAD (and OPTIONS); anything else is 405.

use super::{Ctx, DavResponse, Headers, Method, etag_listed, etag_of};
use crate::ical::export::calendar_stream;
use crate::org::link::{published, token_of_path};
use crate::store::Collection;

/// How long caches may keep an answer, seconds.
const MAX_AGE: i64 = 300;

/// The methods a public link answers.
const ALLOW: &str = "GET, HEAD, OPTIONS";

fn not_found() -> DavResponse {
    DavResponse {
        status: 404,
        headers: vec![("content-type", "text/plain; charset=utf-8".into())],
        body: b"no such calendar\n".to_vec(),
        stream: None,
    }
}

/// The version of what a link shows of a calendar (see `ical::export`): raised whenever that
/// changes, so subscribers holding an answer fetch the new one.
const STREAM_VERSION: u32 = 2;

/// The strong ETag of a published calendar: its bytes follow from the collection, its
/// revision (every member change bumps it), its name and time zone, and [`STREAM_VERSION`].
fn etag(coll: &Collection, name: &str) -> String {
    let timezone = coll.props.timezone.as_deref().unwrap_or_default();
    etag_of(
        format!(
            "{STREAM_VERSION}:{}:{}:{name}:{timezone}",
            coll.id, coll.revision
        )
        .as_bytes(),
    )
}

/// Answers a request for `path` under the public prefix, at the time of the store's clock.
pub fn public(ctx: &Ctx<'_>, method: Method, path: &str, headers: &Headers) -> DavResponse {
    match method {
        Method::Get | Method::Head => {}
        Method::Options => return DavResponse::empty(200).with("allow", ALLOW),
        _ => {
            return DavResponse {
                status: 405,
                headers: vec![("content-type", "text/plain; charset=utf-8".into())],
                body: b"a public calendar can only be read\n".to_vec(),
                stream: None,
            }
            .with("allow", ALLOW);
        }
    }
    match serve(ctx, path, headers, ctx.now()) {
        Ok(Some(r)) => r,
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "public link failed");
            DavResponse {
                status: 500,
                headers: vec![("content-type", "text/plain; charset=utf-8".into())],
                body: b"internal error\n".to_vec(),
                stream: None,
            }
        }
    }
}

fn serve(
    ctx: &Ctx<'_>,
    path: &str,
    headers: &Headers,
    now: i64,
) -> Result<Option<DavResponse>, String> {
    let Some(token) = token_of_path(path) else {
        return Ok(None);
    };
    let Some((link, coll)) =
        published(ctx.store, ctx.plans, token, now).map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let name = coll.props.display_name.clone().unwrap_or(coll.name.clone());
    let tag = etag(&coll, &name);
    let max_age = link
        .expires
        .map_or(MAX_AGE, |e| (e - now).clamp(0, MAX_AGE));
    let cache = format!("public, max-age={max_age}");
    if let Some(h) = &headers.if_none_match
        && etag_listed(h, &tag, true)
    {
        return Ok(Some(
            DavResponse::empty(304)
                .with("etag", tag)
                .with("cache-control", cache),
        ));
    }
    let names: Vec<String> = ctx
        .store
        .list_objects(coll.id)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|m| m.name)
        .collect();
    let objects = ctx
        .store
        .get_objects(coll.id, &names)
        .map_err(|e| e.to_string())?;
    let body = calendar_stream(
        &name,
        coll.props.timezone.as_deref(),
        objects.iter().map(|o| o.body.as_slice()),
    );
    Ok(Some(
        DavResponse::calendar(body)
            .with("etag", tag)
            .with("cache-control", cache)
            // A link is for whoever holds it, not for search engines.
            .with("x-robots-tag", "noindex, nofollow"),
    ))
}
