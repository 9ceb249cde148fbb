//! REPORT dispatch: sync-collection (RFC 6578), the multigets (RFC 4791 §7.9, RFC 6352 §8.7),
//! the queries (RFC 4791 §7.8, RFC 6352 §8.6) and free-busy-query (RFC 4791 §7.10). Each
//! report lives in its own file.

pub(super) mod free_busy;
mod multiget;
mod query;
mod sync_collection;

use super::directory;
use super::propfind::write_response;
use super::props::PropCtx;
use super::resource::{Mount, Res, Resource, resolve};
use super::{Ctx, DavRequest, Failure, Outcome};
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{PropRequest, Report, parse_report};
use crate::store::{Collection, CollectionKind, ObjectMeta};

fn unsupported(what: &str) -> Failure {
    DavError::new(
        Condition::SupportedReport,
        format!("the {what} report is not supported on this resource"),
    )
    .into()
}

/// Handles REPORT.
pub fn report(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    let report = parse_report(req.body)?;
    let res = resolve(ctx, req.user, &req.target)?;
    match &res {
        Resource::Directory(owner, dir) => {
            return directory::report(ctx, req.user, owner, dir, None, &report);
        }
        Resource::DirectoryCard(owner, dir, card) => {
            return directory::report(ctx, req.user, owner, dir, Some(card), &report);
        }
        _ => {}
    }
    let (mount, coll) = match &res {
        Resource::Collection(mount, coll) => (mount, coll),
        Resource::Object(mount, coll, _) => (mount, coll),
        _ => {
            return Err(match report {
                Report::Unsupported(q) => unsupported(&q.local),
                _ => unsupported("requested"),
            });
        }
    };
    let only = match &res {
        Resource::Object(_, _, meta) => Some(meta.name.as_str()),
        _ => None,
    };
    match report {
        Report::SyncCollection {
            token,
            props,
            limit,
        } if only.is_none() => {
            sync_collection::sync_collection(ctx, req.user, mount, coll, &token, &props, limit)
        }
        Report::Multiget {
            calendar,
            props,
            hrefs,
        } if calendar == (coll.kind == CollectionKind::Calendar) => {
            multiget::multiget(ctx, req.user, mount, coll, &props, &hrefs)
        }
        Report::CalendarQuery {
            props,
            filter,
            timezone,
        } if coll.kind == CollectionKind::Calendar => {
            let q = query::CalendarQuery {
                props: &props,
                filter: &filter,
                timezone: timezone.as_deref(),
            };
            query::calendar_query(ctx, req.user, mount, coll, only, &q)
        }
        Report::AddressbookQuery {
            props,
            filter,
            limit,
        } if coll.kind == CollectionKind::AddressBook => {
            query::addressbook_query(ctx, req.user, mount, coll, only, &props, &filter, limit)
        }
        Report::FreeBusyQuery { range } if coll.kind == CollectionKind::Calendar => {
            free_busy::free_busy_query(ctx, coll, only, range)
        }
        Report::Unsupported(q) => Err(unsupported(&q.local)),
        _ => Err(unsupported("requested")),
    }
}

/// Writes one response per member, reading bodies in one batch when the request asks for
/// calendar-data or address-data.
fn write_members(
    ctx: &Ctx<'_>,
    pc: &PropCtx<'_>,
    ms: &mut Multistatus,
    mount: &Mount,
    coll: &Collection,
    members: &[ObjectMeta],
    props: &PropRequest,
) -> Result<(), Failure> {
    let mut objects = if super::propfind::wants_bodies(props) {
        let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
        ctx.store.get_objects(coll.id, &names)?
    } else {
        Vec::new()
    };
    objects.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    ms.reserve(response_bytes(
        members.len(),
        objects.iter().map(|o| o.body.len()),
    ));
    let body = |meta: &ObjectMeta| {
        objects
            .binary_search_by(|o| o.meta.name.as_str().cmp(&meta.name))
            .ok()
            .map(|i| objects[i].body.as_slice())
    };
    write_found(
        pc,
        ms,
        mount,
        coll,
        members.iter().map(|m| (m, body(m))),
        props,
    )
}

/// About how many bytes of multistatus `members` responses take, with bodies of these sizes:
/// reserved up front so the output is not copied at each doubling of its buffer.
fn response_bytes(members: usize, bodies: impl Iterator<Item = usize>) -> usize {
    // A response's markup without its body (href, etag, status) stays under 400 bytes; a body
    // grows by its CR escapes.
    members * 400 + bodies.map(|len| len + len / 16).sum::<usize>()
}

/// Writes one response per member, with its body when the request asks for it and the
/// caller has it at hand.
fn write_found<'a>(
    pc: &PropCtx<'_>,
    ms: &mut Multistatus,
    mount: &Mount,
    coll: &Collection,
    members: impl Iterator<Item = (&'a ObjectMeta, Option<&'a [u8]>)>,
    props: &PropRequest,
) -> Result<(), Failure> {
    for (meta, body) in members {
        write_response(pc, ms, &Res::Object(mount, coll, meta), props, body)?;
    }
    Ok(())
}
