//! calendar-query and addressbook-query. The store's index answers component names and the
//! first-level time-range: exactly for single events at fixed instants, for series whose
//! instance table covers the window, for single events (floating or all-day included) whose
//! span lies strictly inside the window, and for floating series with an instance inside it
//! under every UTC offset; the rest is a superset whose instances `ical::recur` then checks
//! (RFC 4791 §9.9, overrides and exceptions included). Filters on content (prop-filter,
//! param-filter, text-match, nested components, time-ranges on VALARM and on properties) are
//! evaluated by `query` on the candidates' bodies, which come with the candidates in the same
//! query (all of them when the answer carries calendar-data). Floating times and DATE values
//! are read in the query's CALDAV:timezone, else the calendar's calendar-timezone, else UTC
//! (RFC 4791 §7.8, §9.8). A time-range `query` cannot answer exactly is refused with
//! supported-filter rather than answered wrongly.

use super::{response_bytes, write_found};
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{CardFilter, Collation, CompFilter, MatchType, PropFilter, PropRequest};
use crate::ical::alarm::ObjectTimes;
use crate::ical::fold::unicode_casemap_key;
use crate::ical::index::TEXT_PROPS;
use crate::ical::recur::{self, Zone};
use crate::ical::tree;
use crate::methods::propfind::wants_bodies;
use crate::methods::props::PropCtx;
use crate::methods::resource::Mount;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::query::{calendar_matches, card_matches, needs_content, unsupported};
use crate::store::{Account, Candidate, Collection, ObjectFilter, TextMatchType};

/// Candidates from the index, each with whether the index already decided the first-level
/// time-range (exact spans, and recurring series whose instance table covers the window):
/// component names of a single first-level comp-filter and its time-range. Bodies come along
/// for the undecided ones, and for all when `bodies`.
fn candidates(
    ctx: &Ctx<'_>,
    coll: &Collection,
    filter: &CompFilter,
    bodies: bool,
) -> Result<Vec<Candidate>, Failure> {
    match filter.comps.as_slice() {
        [inner] if !inner.is_not_defined => {
            let range = inner.time_range.unwrap_or_default();
            let f = ObjectFilter {
                components: vec![inner.name.clone()],
                start: range.start,
                end: range.end,
                bodies,
            };
            Ok(ctx.store.find_candidates(coll.id, &f)?)
        }
        _ => all_members(ctx, coll),
    }
}

/// Every member as a candidate whose content is yet to be checked (bodies not read yet).
fn all_members(ctx: &Ctx<'_>, coll: &Collection) -> Result<Vec<Candidate>, Failure> {
    Ok(ctx
        .store
        .list_objects(coll.id)?
        .into_iter()
        .map(|meta| Candidate {
            meta,
            decided: false,
            body: None,
        })
        .collect())
}

/// Reads, in one query, the bodies of the candidates for which `needed` holds and that do not
/// have theirs yet; a member deleted meanwhile keeps none.
fn fill_bodies(
    ctx: &Ctx<'_>,
    coll: &Collection,
    members: &mut [Candidate],
    needed: impl Fn(&Candidate) -> bool,
) -> Result<(), Failure> {
    let names: Vec<String> = members
        .iter()
        .filter(|c| c.body.is_none() && needed(c))
        .map(|c| c.meta.name.clone())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let mut bodies: std::collections::HashMap<String, Vec<u8>> = ctx
        .store
        .get_objects(coll.id, &names)?
        .into_iter()
        .map(|o| (o.meta.name, o.body))
        .collect();
    for c in members.iter_mut().filter(|c| c.body.is_none()) {
        c.body = bodies.remove(&c.meta.name);
    }
    Ok(())
}

/// Keeps the candidates for which `needs_check` is false, and those for which it is true and
/// `keep` holds of their body (read first where missing).
fn filter_by_content(
    ctx: &Ctx<'_>,
    coll: &Collection,
    mut members: Vec<Candidate>,
    needs_check: impl Fn(&Candidate) -> bool,
    keep: impl Fn(&Candidate, &[u8]) -> bool,
) -> Result<Vec<Candidate>, Failure> {
    fill_bodies(ctx, coll, &mut members, &needs_check)?;
    members.retain(|c| !needs_check(c) || c.body.as_deref().is_some_and(|body| keep(c, body)));
    Ok(members)
}

/// Writes the kept members, reading the bodies still missing first when the request asks for
/// calendar-data or address-data.
#[allow(clippy::too_many_arguments)]
fn write_kept(
    ctx: &Ctx<'_>,
    user: &Account,
    mount: &Mount,
    coll: &Collection,
    mut members: Vec<Candidate>,
    props: &PropRequest,
    ms: &mut Multistatus,
) -> Result<(), Failure> {
    let bodies = wants_bodies(props);
    if bodies {
        fill_bodies(ctx, coll, &mut members, |_| true)?;
    }
    ms.reserve(response_bytes(
        members.len(),
        members
            .iter()
            .filter_map(|c| c.body.as_ref().filter(|_| bodies).map(Vec::len)),
    ));
    let pc = PropCtx::new(ctx, user);
    write_found(
        &pc,
        ms,
        mount,
        coll,
        members
            .iter()
            .map(|c| (&c.meta, c.body.as_deref().filter(|_| bodies))),
        props,
    )
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
    mount: &Mount,
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
    // The index decided the time-range for exact spans and for series its instance table
    // covers; the others, and any filter on content, are decided from the object itself.
    // With content to check, `calendar_matches` decides every time-range, the first-level one
    // included, unless the index already did. Bodies the answer or the check needs are read
    // with the candidates.
    let range = filter.comps.first().and_then(|c| c.time_range);
    let content = needs_content(filter);
    let mut members = candidates(ctx, coll, filter, content || wants_bodies(props))?;
    if let Some(name) = only {
        members.retain(|c| c.meta.name == name);
    }
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
    let mut ms = Multistatus::new();
    write_kept(ctx, user, mount, coll, members, props, &mut ms)?;
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
    mount: &Mount,
    coll: &Collection,
    only: Option<&str>,
    props: &PropRequest,
    filter: &CardFilter,
    limit: Option<usize>,
) -> Outcome {
    let matches = |body: &[u8]| tree::parse(body).is_some_and(|card| card_matches(filter, &card));
    let wanted = |name: &str| only.is_none_or(|o| o == name);
    let mut members: Vec<Candidate> = match text_prefilter(ctx, coll, filter)? {
        // The text index named the candidates: read their bodies once and check them.
        Some(mut names) => {
            names.retain(|n| wanted(n));
            ctx.store
                .get_objects(coll.id, &names)?
                .into_iter()
                .filter(|o| matches(&o.body))
                .map(|o| Candidate {
                    meta: o.meta,
                    decided: true,
                    body: Some(o.body),
                })
                .collect()
        }
        None => {
            let mut all = all_members(ctx, coll)?;
            all.retain(|c| wanted(&c.meta.name));
            let check = !filter.props.is_empty();
            filter_by_content(ctx, coll, all, |_| check, |_, body| matches(body))?
        }
    };
    members.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    let truncated = limit.is_some_and(|n| members.len() > n);
    if let Some(n) = limit {
        members.truncate(n);
    }
    let mut ms = Multistatus::new();
    write_kept(ctx, user, mount, coll, members, props, &mut ms)?;
    if truncated {
        // RFC 6352 §8.6.1: a 507 response for the request-URI says the answer is incomplete.
        let e = DavError::new(
            Condition::NumberOfMatchesWithinLimits,
            "more results match than the limit allows",
        );
        ms.status_with_error(&mount.href(coll.kind), &e);
    }
    Ok(DavResponse::xml(207, ms.finish()))
}
