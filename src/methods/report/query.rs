//! calendar-query and addressbook-query. The store's index answers component names and the
//! first-level time-range: exactly for single events at fixed instants, as a superset for
//! recurring and floating ones, whose instances `ical::recur` then checks (RFC 4791 §9.9,
//! overrides and exceptions included). Filters on content (prop-filter, param-filter,
//! text-match, nested components) are evaluated by `query` on the candidates' bodies, read in
//! one query. A time-range nested deeper is refused with supported-filter rather than answered
//! wrongly.

use super::write_members;
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{CardFilter, CompFilter, PropRequest};
use crate::ical::{recur, tree};
use crate::methods::props::PropCtx;
use crate::methods::target::collection_href;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::query::{calendar_matches, card_matches, needs_content, unsupported};
use crate::store::{Account, Collection, ObjectFilter, ObjectMeta};

/// Candidates from the index: component names of a single first-level comp-filter and its
/// time-range.
fn candidates(
    ctx: &Ctx<'_>,
    coll: &Collection,
    filter: &CompFilter,
) -> Result<Vec<ObjectMeta>, Failure> {
    match filter.comps.as_slice() {
        [inner] if !inner.is_not_defined => {
            let range = inner.time_range.unwrap_or_default();
            let f = ObjectFilter {
                components: vec![inner.name.clone()],
                start: range.start,
                end: range.end,
            };
            Ok(ctx.store.find_objects(coll.id, &f)?)
        }
        _ => Ok(ctx.store.list_objects(coll.id)?),
    }
}

/// Keeps the members that `needs_check` says must be decided from their content and for which
/// `keep` then holds, plus all the others; bodies are read in one query.
fn filter_by_content(
    ctx: &Ctx<'_>,
    coll: &Collection,
    members: Vec<ObjectMeta>,
    needs_check: impl Fn(&ObjectMeta) -> bool,
    keep: impl Fn(&ObjectMeta, &[u8]) -> bool,
) -> Result<Vec<ObjectMeta>, Failure> {
    let (to_check, mut decided): (Vec<ObjectMeta>, Vec<ObjectMeta>) =
        members.into_iter().partition(|m| needs_check(m));
    if to_check.is_empty() {
        return Ok(decided);
    }
    let names: Vec<String> = to_check.iter().map(|m| m.name.clone()).collect();
    decided.extend(
        ctx.store
            .get_objects(coll.id, &names)?
            .into_iter()
            .filter(|o| keep(&o.meta, &o.body))
            .map(|o| o.meta),
    );
    decided.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(decided)
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
    if let Some(what) = unsupported(filter) {
        return Err(DavError::new(
            Condition::CalSupportedFilter,
            format!("{what} is not supported yet"),
        )
        .into());
    }
    if filter.is_not_defined {
        // Every calendar object resource is a VCALENDAR.
        let ms = Multistatus::new();
        return Ok(DavResponse::xml(207, ms.finish()));
    }
    let mut members = candidates(ctx, coll, filter)?;
    if let Some(name) = only {
        members.retain(|m| m.name == name);
    }
    // The index decided the time-range for objects whose span is exact; recurring and
    // floating ones, and any filter on content, are decided from the object itself.
    let range = filter.comps.first().and_then(|c| c.time_range);
    let content = needs_content(filter);
    members = filter_by_content(
        ctx,
        coll,
        members,
        |m| content || (range.is_some() && !m.span_exact),
        |m, body| {
            let in_range =
                m.span_exact || range.is_none_or(|r| recur::overlaps(body, r.start, r.end));
            in_range
                && (!content
                    || tree::parse(body).is_some_and(|root| calendar_matches(filter, &root)))
        },
    )?;
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
    let mut members = ctx.store.list_objects(coll.id)?;
    if let Some(name) = only {
        members.retain(|m| m.name == name);
    }
    if !filter.props.is_empty() {
        members = filter_by_content(
            ctx,
            coll,
            members,
            |_| true,
            |_, body| tree::parse(body).is_some_and(|card| card_matches(filter, &card)),
        )?;
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
