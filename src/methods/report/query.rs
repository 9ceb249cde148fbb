//! calendar-query and addressbook-query, answered from the store's index without parsing any
//! object: comp-filter by component name (and is-not-defined), time-range against each
//! object's indexed span (exact for single events; a recurring series matches when the window
//! falls within its first start and last end), and the addressbook-query limit. Filters the
//! index cannot answer (prop-filter, param-filter, text-match) are refused with
//! supported-filter rather than answered wrongly; full filter semantics come with the
//! calendar-and-contact-queries work.

use super::write_members;
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{CardFilter, CompFilter, PropRequest};
use crate::methods::props::PropCtx;
use crate::methods::target::collection_href;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::store::{Account, Collection, ObjectFilter, ObjectMeta};

fn unsupported_cal(what: &str) -> Failure {
    DavError::new(
        Condition::CalSupportedFilter,
        format!("{what} filters are not supported yet"),
    )
    .into()
}

/// Which members a calendar-query selects, from the component index.
fn select(
    ctx: &Ctx<'_>,
    coll: &Collection,
    filter: &CompFilter,
) -> Result<Vec<ObjectMeta>, Failure> {
    if filter.is_not_defined {
        return Ok(Vec::new()); // every calendar object resource is a VCALENDAR
    }
    if filter.time_range.is_some() {
        return Err(unsupported_cal("time-range on VCALENDAR"));
    }
    if !filter.props.is_empty() {
        return Err(unsupported_cal("prop-filter"));
    }
    match filter.comps.as_slice() {
        [] => Ok(ctx.store.list_objects(coll.id)?),
        [inner] => {
            if !inner.props.is_empty() || !inner.comps.is_empty() {
                return Err(unsupported_cal("nested prop-filter and comp-filter"));
            }
            if inner.is_not_defined {
                if inner.time_range.is_some() {
                    return Err(unsupported_cal("time-range inside is-not-defined"));
                }
                let all = ctx.store.list_objects(coll.id)?;
                return Ok(all
                    .into_iter()
                    .filter(|m| m.component != inner.name)
                    .collect());
            }
            let range = inner.time_range.unwrap_or_default();
            let filter = ObjectFilter {
                components: vec![inner.name.clone()],
                start: range.start,
                end: range.end,
            };
            Ok(ctx.store.find_objects(coll.id, &filter)?)
        }
        _ => Err(unsupported_cal("several comp-filter")),
    }
}

/// Answers a calendar-query on a calendar (or on one of its objects, `only`).
pub fn calendar_query(
    ctx: &Ctx<'_>,
    user: &Account,
    owner: &Account,
    coll: &Collection,
    only: Option<&str>,
    props: &PropRequest,
    filter: &CompFilter,
) -> Outcome {
    let mut members = select(ctx, coll, filter)?;
    if let Some(name) = only {
        members.retain(|m| m.name == name);
    }
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    write_members(ctx, &pc, &mut ms, owner, coll, &members, props)?;
    Ok(DavResponse::xml(207, ms.finish()))
}

/// Answers an addressbook-query (RFC 6352 §8.6) on an address book (or one vCard, `only`).
#[allow(clippy::too_many_arguments)]
pub fn addressbook_query(
    ctx: &Ctx<'_>,
    user: &Account,
    owner: &Account,
    coll: &Collection,
    only: Option<&str>,
    props: &PropRequest,
    filter: &CardFilter,
    limit: Option<usize>,
) -> Outcome {
    if !filter.props.is_empty() {
        return Err(DavError::new(
            Condition::CardSupportedFilter,
            "prop-filter is not supported yet",
        )
        .into());
    }
    let mut members = ctx.store.list_objects(coll.id)?;
    if let Some(name) = only {
        members.retain(|m| m.name == name);
    }
    let truncated = limit.is_some_and(|n| members.len() > n);
    if let Some(n) = limit {
        members.truncate(n);
    }
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    write_members(ctx, &pc, &mut ms, owner, coll, &members, props)?;
    if truncated {
        // RFC 6352 §8.6.1: a 507 response for the request-URI says the answer is incomplete.
        let e = DavError::new(
            Condition::NumberOfMatchesWithinLimits,
            "more results match than the limit allows",
        );
        ms.status_with_error(&collection_href(coll.kind, &owner.login, &coll.name), &e);
    }
    Ok(DavResponse::xml(207, ms.finish()))
}
