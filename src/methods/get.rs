//! GET and HEAD of calendar objects and vCards: the exact bytes stored, with a strong ETag,
//! and `If-None-Match` (304) / `If-Match` (412) honoured. GET of a calendar or address book
//! exports it as one file.

use super::directory;
use super::report::free_busy;
use super::resource::{Resource, collection, resolve};
use super::target::Target;
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome, etag_listed};
use crate::org::access::Action;
use crate::store::{Collection, CollectionKind};
use crate::transfer::export::Export;
use crate::{caldav, carddav};

/// A calendar or address book as one `.ics` or `.vcf` file, as several clients and servers
/// expect from a GET on a collection; streamed by the HTTP layer.
fn export(coll: &Collection) -> DavResponse {
    let export = Export::of(coll);
    DavResponse {
        status: 200,
        headers: vec![("content-type", export.content_type().into())],
        body: Vec::new(),
        stream: Some(export),
    }
}

/// Handles GET and HEAD (the HTTP layer drops the body of a HEAD answer).
pub fn get(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    if let (Target::Home(CollectionKind::Calendar, login), Some(query)) = (&req.target, req.query)
        && query
            .split('&')
            .any(|p| p == "freebusy" || p.starts_with("freebusy="))
    {
        return free_busy::home_free_busy(ctx, req.user, login, query);
    }
    let Target::Object(kind, login, coll, name) = &req.target else {
        return match resolve(ctx, req.user, &req.target)? {
            Resource::Collection(_, coll) => Ok(export(&coll)),
            _ => Ok(DavResponse {
                status: 200,
                headers: vec![("content-type", "text/plain; charset=utf-8".into())],
                body: b"davsuite: this is a CalDAV/CardDAV collection; use a calendar or contacts client.\n".to_vec(),
                stream: None,
            }),
        };
    };
    // (etag, body, content type, last modification if known)
    let (etag, body, content_type, modified) = if directory::is_directory_target(&req.target) {
        let Resource::DirectoryCard(_, _, card) = resolve(ctx, req.user, &req.target)? else {
            return Err(Failure::Status(404, format!("{name} not found")));
        };
        (card.etag, card.body, carddav::CONTENT_TYPE.to_owned(), None)
    } else {
        let (_, coll) = collection(ctx, req.user, *kind, login, coll, Action::Read)?;
        let obj = ctx
            .store
            .get_object(coll.id, name)?
            .ok_or_else(|| Failure::Status(404, format!("{name} not found")))?;
        let content_type = match kind {
            CollectionKind::Calendar => caldav::content_type(&obj.meta.component),
            CollectionKind::AddressBook => carddav::CONTENT_TYPE.to_owned(),
        };
        (
            obj.meta.etag,
            obj.body,
            content_type,
            Some(obj.meta.modified),
        )
    };
    if let Some(h) = &req.headers.if_match
        && !etag_listed(h, &etag, false)
    {
        return Err(Failure::Status(
            412,
            "If-Match does not match the current ETag".into(),
        ));
    }
    if let Some(h) = &req.headers.if_none_match
        && etag_listed(h, &etag, true)
    {
        return Ok(DavResponse::empty(304).with("etag", etag));
    }
    let response = DavResponse {
        status: 200,
        headers: vec![("content-type", content_type)],
        body,
        stream: None,
    }
    .with("etag", etag);
    Ok(match modified {
        Some(ts) => response.with(
            "last-modified",
            chrono::DateTime::from_timestamp(ts, 0)
                .unwrap_or_default()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ),
        None => response,
    })
}
