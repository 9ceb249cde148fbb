//! PROPFIND (RFC 4918 §9.1): Depth 0 and 1; `Depth: infinity` is refused with
//! DAV:propfind-finite-depth. A collection's members come from one store query.

use super::props::PropCtx;
use super::resource::{Res, Resource, child_resources, resolve};
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome};
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::prop::{CalProp, CardProp, PropName};
use crate::dav::request::{PropRequest, parse_propfind};
use crate::store::CollectionKind;
use crate::{caldav, carddav};

/// The depth of a PROPFIND or REPORT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The resource only.
    Zero,
    /// The resource and its members.
    One,
}

/// Reads the Depth header. A missing header is taken as 0 (the cheap answer; every client we
/// know sends it explicitly); `infinity` is refused.
pub fn depth(header: Option<&str>) -> Result<Depth, Failure> {
    match header.map(str::trim) {
        None | Some("0") => Ok(Depth::Zero),
        Some("1") => Ok(Depth::One),
        Some(v) if v.eq_ignore_ascii_case("infinity") => Err(DavError::new(
            Condition::PropfindFiniteDepth,
            "Depth: infinity is not supported; use Depth: 0 or 1",
        )
        .into()),
        Some(other) => Err(Failure::Status(
            400,
            format!("invalid Depth header {other:?}"),
        )),
    }
}

/// True when the request asks for object bodies (calendar-data / address-data).
pub fn wants_bodies(request: &PropRequest) -> bool {
    matches!(request, PropRequest::Prop(names, ..) if names.iter().any(|n| matches!(n, PropName::Cal(CalProp::CalendarData) | PropName::Card(CardProp::AddressData))))
}

/// Writes one response element for `res` as `request` asks.
pub fn write_response(
    pc: &PropCtx<'_>,
    ms: &mut Multistatus,
    res: &Res<'_>,
    request: &PropRequest,
    body: Option<&[u8]>,
) -> Result<(), Failure> {
    let href = res.href();
    match request {
        PropRequest::PropName => {
            ms.statuses(&href, &[(200, pc.all_names(res))], None);
        }
        PropRequest::AllProp(include) => {
            let mut found = Vec::new();
            let mut names = pc.allprop_names(res);
            names.extend(include.iter().cloned());
            for name in names {
                if let Some(v) = pc.value(res, &name, body)?
                    && !found.iter().any(|(n, _)| *n == name)
                {
                    found.push((name, v));
                }
            }
            ms.props(&href, &found, &[]);
        }
        PropRequest::Prop(names, address_spec, calendar_spec) => {
            // RFC 6352 §10.4 / RFC 4791 §9.6: address-data and calendar-data shaped as the
            // request asks (partial retrieval, version conversion, expansion); without a spec
            // the stored bytes go out unchanged.
            let shaped = match (body, res) {
                (Some(b), Res::DirectoryCard(..)) => address_spec
                    .as_ref()
                    .map(|spec| carddav::address_data(b, spec)),
                (Some(b), Res::Object(_, c, _)) => match c.kind {
                    CollectionKind::AddressBook => address_spec
                        .as_ref()
                        .map(|spec| carddav::address_data(b, spec)),
                    CollectionKind::Calendar => calendar_spec
                        .as_ref()
                        .map(|spec| caldav::calendar_data(b, spec)),
                },
                _ => None,
            };
            let body = shaped.as_deref().or(body);
            let mut found = Vec::with_capacity(names.len());
            let mut missing = Vec::new();
            for name in names {
                match pc.value(res, name, body)? {
                    Some(v) => found.push((name.clone(), v)),
                    None => missing.push(name.clone()),
                }
            }
            ms.props(&href, &found, &missing);
        }
    }
    Ok(())
}

/// Handles PROPFIND.
pub fn propfind(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    let depth = depth(req.headers.depth.as_deref())?;
    let request = parse_propfind(req.body)?;
    let res = resolve(ctx, req.user, &req.target)?;
    let pc = PropCtx::new(ctx, req.user);
    let mut ms = Multistatus::new();
    let own_body = match (&res, wants_bodies(&request)) {
        (Resource::Object(_, c, o), true) => ctx.store.get_object(c.id, &o.name)?.map(|o| o.body),
        (Resource::DirectoryCard(_, _, card), true) => Some(card.body.clone()),
        _ => None,
    };
    write_response(&pc, &mut ms, &res.as_res(), &request, own_body.as_deref())?;
    if depth == Depth::One {
        if let Resource::Collection(mount, coll) = &res {
            if wants_bodies(&request) {
                let names: Vec<String> = ctx
                    .store
                    .list_objects(coll.id)?
                    .into_iter()
                    .map(|m| m.name)
                    .collect();
                for obj in ctx.store.get_objects(coll.id, &names)? {
                    write_response(
                        &pc,
                        &mut ms,
                        &Res::Object(mount, coll, &obj.meta),
                        &request,
                        Some(&obj.body),
                    )?;
                }
            } else {
                for meta in ctx.store.list_objects(coll.id)? {
                    write_response(
                        &pc,
                        &mut ms,
                        &Res::Object(mount, coll, &meta),
                        &request,
                        None,
                    )?;
                }
            }
        } else {
            for child in child_resources(ctx, req.user, &res)? {
                let body = match (&child, wants_bodies(&request)) {
                    (Resource::DirectoryCard(_, _, card), true) => Some(card.body.as_slice()),
                    _ => None,
                };
                write_response(&pc, &mut ms, &child.as_res(), &request, body)?;
            }
        }
    }
    Ok(DavResponse::xml(207, ms.finish()))
}
