//! calendar-query and addressbook-query. The store's index answers component names and the
//! first-level time-range: exactly for single events at fixed instants, as a superset for
//! recurring and floating ones, whose instances `ical::recur` then checks (RFC 4791 §9.9,
//! overrides and exceptions included). Filters on content (prop-filter, param-filter,
//! text-match, nested components, time-ranges on VALARM and on properties) are evaluated by
//! `query` on the candidates' bodies, read in one query. Floating times and DATE values are
//! read in the query's CALDAV:timezone, else the calendar's calendar-timezone, else UTC
//! (RFC 4791 §7.8, §9.8). A time-range `query` cannot answer exactly is refused with
//! supported-filter rather than answered wrongly.

use super::write_members;
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{CardFilter, Collation, CompFilter, MatchType, PropFilter, PropRequest};
use crate::ical::alarm::ObjectTimes;
use crate::ical::fold::unicode_casemap_key;
use crate::ical::index::TEXT_PROPS;
use crate::ical::recur::{self, Zone};
use crate::ical::tree;
use crate::methods::props::PropCtx;
use crate::methods::target::collection_href;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::query::{calendar_matches, card_matches, needs_content, unsupported};
use crate::store::{Account, Candidate, Collection, ObjectFilter, ObjectMeta, TextMatchType};

/// Candidates from the index, each with whether the index already decided the first-level
/// time-range (exact spans, and recurring series whose instance table covers the window):
/// component names of a single first-level comp-filter and its time-range.
fn candidates(
    ctx: &Ctx<'_>,
    coll: &Collection,
    filter: &CompFilter,
) -> Result<Vec<Candidate>, Failure> {
    match filter.comps.as_slice() {
        [inner] if !inner.is_not_defined => {
            let range = inner.time_range.unwrap_or_default();
            let f = ObjectFilter {
                components: vec![inner.name.clone()],
                start: range.start,
                end: range.end,
            };
            Ok(ctx.store.find_candidates(coll.id, &f)?)
        }
        _ => Ok(ctx
            .store
            .list_objects(coll.id)?
            .into_iter()
            .map(|meta| Candidate {
                meta,
                decided: true,
            })
            .collect()),
    }
}

/// Keeps the candidates that `needs_check` says must be decided from their content and for
/// which `keep` then holds, plus all the others; bodies are read in one query.
fn filter_by_content(
    ctx: &Ctx<'_>,
    coll: &Collection,
    members: Vec<Candidate>,
    needs_check: impl Fn(&Candidate) -> bool,
    keep: impl Fn(&Candidate, &[u8]) -> bool,
) -> Result<Vec<ObjectMeta>, Failure> {
    let (to_check, decided): (Vec<Candidate>, Vec<Candidate>) =
        members.into_iter().partition(|c| needs_check(c));
    let mut kept: Vec<ObjectMeta> = decided.into_iter().map(|c| c.meta).collect();
    if to_check.is_empty() {
        return Ok(kept);
    }
    let names: Vec<String> = to_check.iter().map(|c| c.meta.name.clone()).collect();
    let by_name: std::collections::HashMap<&str, &Candidate> =
        to_check.iter().map(|c| (c.meta.name.as_str(), c)).collect();
    for object in ctx.store.get_objects(coll.id, &names)? {
        if by_name
            .get(object.meta.name.as_str())
            .is_some_and(|c| keep(c, &object.body))
        {
            kept.push(object.meta);
        }
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(kept)
}

/// A parsed calendar-query (RFC 4791 §7.8), as the report dispatcher hands it over.
#[derive(Debug, Clone, Copy)]
pub struct CalendarQuery<'a> {
    /// Requested properties.
    pub props: &'a PropRequest,
    /// The VCALENDAR comp-filter.
    pub filter: &'a CompFilter,
    /// CALDAV:timezone: VCALENDAR text with the VTIMEZONE floating times are read in.
    pub timezone: Option<&'a str>,
}

/// The zone of floating times and DATE values (RFC 4791 §9.8): the query's CALDAV:timezone,
/// else the calendar's CALDAV:calendar-timezone; `None` (UTC) when neither names a zone this
/// server knows. A CALDAV:timezone whose zone is unknown (not a VCALENDAR, or a custom
/// VTIMEZONE without a known name) is ignored in favour of the calendar's, not refused.
fn floating_zone(coll: &Collection, query: Option<&str>) -> Option<Zone> {
    query
        .and_then(|tz| Zone::from_calendar(tz.as_bytes()))
        .or_else(|| {
            coll.props
                .timezone
                .as_deref()
                .and_then(|tz| Zone::from_calendar(tz.as_bytes()))
        })
}

/// Answers a calendar-query on a calendar (or on one of its objects, `only`).
pub fn calendar_query(
    ctx: &Ctx<'_>,
    user: &Account,
    owner: &Account,
    coll: &Collection,
    only: Option<&str>,
    query: &CalendarQuery<'_>,
) -> Outcome {
    let (props, filter) = (query.props, query.filter);
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
        members.retain(|c| c.meta.name == name);
    }
    // The index decided the time-range for exact spans and for series its instance table
    // covers; the others, and any filter on content, are decided from the object itself.
    // With content to check, `calendar_matches` decides every time-range, the first-level one
    // included, unless the index already did.
    let range = filter.comps.first().and_then(|c| c.time_range);
    let content = needs_content(filter);
    let floating = floating_zone(coll, query.timezone);
    let members = filter_by_content(
        ctx,
        coll,
        members,
        |c| content || (range.is_some() && !c.decided),
        |c, body| {
            if content {
                // `decided` comes from the index only with one first-level comp-filter.
                let decided = c.decided && range.is_some() && filter.comps.len() == 1;
                let times = ObjectTimes::new(body, floating).overlap_known(decided);
                tree::parse(body).is_some_and(|root| calendar_matches(filter, &root, &times))
            } else {
                range.is_none_or(|r| recur::overlaps(body, r.start, r.end, floating))
            }
        },
    )?;
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    write_members(ctx, &pc, &mut ms, owner, coll, &members, props)?;
    Ok(DavResponse::xml(207, ms.finish()))
}

/// The store's text index as a prefilter for a prop-filter: Some(needle) when every card
/// the prop-filter matches has an index entry that the needle finds. That holds for an indexed
/// property with one text-match that is required (not negated, and no param-filter that could
/// match instead), under i;unicode-casemap, or under the other collations with an ASCII needle
/// (see `ical::index::TEXT_PROPS` for why).
fn indexable(p: &PropFilter) -> Option<(&str, String, TextMatchType)> {
    let [tm] = p.text_matches.as_slice() else {
        return None;
    };
    let required = p.all_of || p.params.is_empty();
    let collation_ok = tm.collation == Collation::UnicodeCasemap || tm.text.is_ascii();
    if p.is_not_defined
        || tm.negate
        || !required
        || !collation_ok
        || !TEXT_PROPS.contains(&p.name.as_str())
    {
        return None;
    }
    let how = match tm.match_type {
        MatchType::Equals => TextMatchType::Equals,
        MatchType::Contains => TextMatchType::Contains,
        MatchType::StartsWith => TextMatchType::StartsWith,
        MatchType::EndsWith => TextMatchType::EndsWith,
    };
    Some((p.name.as_str(), unicode_casemap_key(&tm.text), how))
}

/// Names of the cards that can match `filter`, from the text index (one query per prop-filter
/// used), or None when the index cannot narrow it down: with allof, one indexable prop-filter
/// suffices; with anyof, every prop-filter must be indexable and the answer is their union.
fn text_prefilter(
    ctx: &Ctx<'_>,
    coll: &Collection,
    filter: &CardFilter,
) -> Result<Option<Vec<String>>, Failure> {
    let usable: Vec<_> = filter.props.iter().map(indexable).collect();
    let lookups: Vec<(&str, String, TextMatchType)> = if filter.all_of || filter.props.len() == 1 {
        usable.into_iter().flatten().take(1).collect()
    } else if usable.iter().all(Option::is_some) {
        usable.into_iter().flatten().collect()
    } else {
        Vec::new()
    };
    if lookups.is_empty() {
        return Ok(None);
    }
    let mut names = Vec::new();
    for (prop, needle, how) in lookups {
        names.extend(ctx.store.find_by_text(coll.id, prop, &needle, how)?);
    }
    names.sort();
    names.dedup();
    Ok(Some(names))
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
    let matches = |body: &[u8]| tree::parse(body).is_some_and(|card| card_matches(filter, &card));
    let wanted = |name: &str| only.is_none_or(|o| o == name);
    let mut members: Vec<ObjectMeta> = match text_prefilter(ctx, coll, filter)? {
        // The text index named the candidates: read their bodies once and check them.
        Some(mut names) => {
            names.retain(|n| wanted(n));
            let found = ctx.store.get_objects(coll.id, &names)?;
            found
                .into_iter()
                .filter(|o| matches(&o.body))
                .map(|o| o.meta)
                .collect()
        }
        None => {
            let mut all = ctx.store.list_objects(coll.id)?;
            all.retain(|m| wanted(&m.name));
            if filter.props.is_empty() {
                all
            } else {
                let all = all
                    .into_iter()
                    .map(|meta| Candidate {
                        meta,
                        decided: false,
                    })
                    .collect();
                filter_by_content(ctx, coll, all, |_| true, |_, body| matches(body))?
            }
        }
    };
    members.sort_by(|a, b| a.name.cmp(&b.name));
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
