//! free-busy-query (RFC 4791 §7.10): the busy time of one calendar (or of one of its objects,
//! when the request-URI names it) over a closed UTC range, answered 200 with a text/calendar
//! VFREEBUSY (not a multistatus). Depth is ignored: clients send 1 (or nothing) for the
//! same question. The
//! index gives the candidates (VEVENT and VFREEBUSY objects whose span may meet the range),
//! their bodies are read in one query, and `ical::freebusy` computes the periods (which
//! components count is documented there). Access is that of the other reports: `resolve`
//! lets only those who may read the calendar get here; there is no separate
//! CALDAV:read-free-busy privilege yet.

use crate::dav::condition::{Condition, DavError};
use crate::dav::request::{TimeRange, parse_utc_datetime};
use crate::ical::freebusy::{busy_periods, vfreebusy};
use crate::ical::recur::Zone;
use crate::methods::resource::home_owner;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::store::{Account, Collection, CollectionKind, Object, ObjectFilter};

/// How far the free-busy URL looks ahead when the client gives no end: eight weeks, as
/// Outlook's Internet Free/Busy expects.
const DEFAULT_SPAN: i64 = 56 * 86_400;

/// Answers a free-busy-query on the calendar `coll` (or on its object `only`).
pub fn free_busy_query(
    ctx: &Ctx<'_>,
    coll: &Collection,
    only: Option<&str>,
    range: TimeRange,
) -> Outcome {
    let (Some(start), Some(end)) = (range.start, range.end) else {
        return Err(Failure::Dav(DavError::new(
            Condition::CalValidFilter,
            "the free-busy-query time-range needs both start and end",
        )));
    };
    let objects = candidates(ctx, coll, only, start, end)?;
    let zone = calendar_zone(coll);
    answer(
        objects.iter().map(|o| (o.body.as_slice(), zone)),
        start,
        end,
    )
}

/// The zone floating and all-day events of `coll` are busy in: its calendar-timezone
/// (RFC 4791 §7.10), else UTC.
fn calendar_zone(coll: &Collection) -> Option<Zone> {
    coll.props
        .timezone
        .as_deref()
        .and_then(|tz| Zone::from_calendar(tz.as_bytes()))
}

/// The VFREEBUSY answer for the busy time in `bodies`, each with the zone its floating times
/// are read in.
fn answer<'a>(
    bodies: impl Iterator<Item = (&'a [u8], Option<Zone>)>,
    start: i64,
    end: i64,
) -> Outcome {
    let periods = busy_periods(bodies, start, end);
    let body = vfreebusy(&periods, start, end, chrono::Utc::now().timestamp());
    Ok(DavResponse {
        status: 200,
        headers: vec![("content-type", "text/calendar; charset=utf-8".into())],
        body: body.into_bytes(),
    })
}

/// `GET /dav/calendars/LOGIN/?freebusy[&start=UTC][&end=UTC]`: the busy time over all the
/// calendars of LOGIN's home, for clients that fetch free-busy by URL instead of a REPORT.
/// Without `start` the range begins today at 00:00 UTC; without `end` it lasts eight weeks.
pub fn home_free_busy(ctx: &Ctx<'_>, user: &Account, login: &str, query: &str) -> Outcome {
    let owner = home_owner(ctx, user, CollectionKind::Calendar, login)?;
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    let parse = |name: &str| -> Result<Option<i64>, Failure> {
        param(name)
            .map(|v| {
                parse_utc_datetime(v).ok_or_else(|| {
                    Failure::Status(
                        400,
                        format!("{name}={v} is not a UTC date-time like 20250101T000000Z"),
                    )
                })
            })
            .transpose()
    };
    let today = chrono::Utc::now().timestamp().div_euclid(86_400) * 86_400;
    let start = parse("start")?.unwrap_or(today);
    let end = parse("end")?.unwrap_or(start + DEFAULT_SPAN);
    if end <= start {
        return Err(Failure::Status(400, "end must be after start".into()));
    }
    // Each calendar's objects with that calendar's zone, merged in one answer.
    let mut objects = Vec::new();
    for coll in ctx
        .store
        .list_collections(owner.id, CollectionKind::Calendar)?
    {
        let zone = calendar_zone(&coll);
        objects.extend(
            candidates(ctx, &coll, None, start, end)?
                .into_iter()
                .map(|o| (o, zone)),
        );
    }
    answer(
        objects.iter().map(|(o, zone)| (o.body.as_slice(), *zone)),
        start,
        end,
    )
}

/// The objects of `coll` (only `only`, if given) that may hold busy time in `[start, end)`:
/// VEVENT and VFREEBUSY objects whose indexed span may meet the range, bodies read in one
/// query. Kept apart from the report so a free-busy answer over several calendars (a
/// principal's free-busy URL) can collect the bodies of each and merge them in one
/// `busy_periods` call.
fn candidates(
    ctx: &Ctx<'_>,
    coll: &Collection,
    only: Option<&str>,
    start: i64,
    end: i64,
) -> Result<Vec<Object>, Failure> {
    let filter = ObjectFilter {
        components: vec!["VEVENT".to_owned(), "VFREEBUSY".to_owned()],
        start: Some(start),
        end: Some(end),
    };
    let names: Vec<String> = ctx
        .store
        .find_objects(coll.id, &filter)?
        .into_iter()
        .map(|meta| meta.name)
        .filter(|name| only.is_none_or(|only| only == name))
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(ctx.store.get_objects(coll.id, &names)?)
}
