//! free-busy-query (RFC 4791 §7.10): the busy time of one calendar (or of one of its objects,
//! when the request-URI names it) over a closed UTC range, answered 200 with a text/calendar
//! VFREEBUSY (not a multistatus). Depth is ignored: clients send 1 (or nothing) for the
//! same question. The store's index answers for most events without reading them (single
//! events and series whose TRANSP/STATUS class was indexed at PUT: their spans or listed
//! instances); the rest (floating times, overrides of mixed classes, VFREEBUSY components)
//! come as bodies, read in the same transaction, and `ical::freebusy` computes the periods
//! of both (which components count is documented there). Access is that of the other reports: `resolve`
//! lets only those who may read the calendar get here; there is no separate
//! CALDAV:read-free-busy privilege yet.

use crate::dav::condition::{Condition, DavError};
use crate::dav::request::{TimeRange, parse_utc_datetime};
use crate::ical::freebusy::{BusyPeriod, FbType, busy_periods, vfreebusy};
use crate::ical::recur::Zone;
use crate::methods::resource::home_owner;
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::store::{Account, BusyKind, BusyScan, Collection, CollectionKind};

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
    let found = scan(ctx, coll, only, start, end)?;
    answer(&[(found, calendar_zone(coll))], start, end)
}

/// The zone floating and all-day events of `coll` are busy in: its calendar-timezone
/// (RFC 4791 §7.10), else UTC.
fn calendar_zone(coll: &Collection) -> Option<Zone> {
    coll.props
        .timezone
        .as_deref()
        .and_then(|tz| Zone::from_calendar(tz.as_bytes()))
}

/// The VFREEBUSY answer for the busy time in `scans`, each with the zone the floating times
/// of its bodies are read in.
fn answer(scans: &[(BusyScan, Option<Zone>)], start: i64, end: i64) -> Outcome {
    let known = scans
        .iter()
        .flat_map(|(scan, _)| scan.known.iter().copied().filter_map(known_period));
    let bodies = scans.iter().flat_map(|(scan, zone)| {
        scan.unknown
            .iter()
            .map(move |object| (object.body.as_slice(), *zone))
    });
    let periods = busy_periods(known, bodies, start, end);
    let body = vfreebusy(&periods, start, end, chrono::Utc::now().timestamp());
    Ok(DavResponse::calendar(body.into_bytes()))
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
    // Each calendar's busy time with that calendar's zone, merged in one answer.
    let mut scans = Vec::new();
    for coll in ctx
        .store
        .list_collections(owner.id, CollectionKind::Calendar)?
    {
        scans.push((scan(ctx, &coll, None, start, end)?, calendar_zone(&coll)));
    }
    answer(&scans, start, end)
}

/// The busy time of `coll` (only its object `only`, if given) over `[start, end)`: the
/// periods the store's index knows, and the bodies left to read. Kept apart from the report
/// so a free-busy answer over several calendars (a principal's free-busy URL) can collect
/// each and merge them in one `busy_periods` call.
fn scan(
    ctx: &Ctx<'_>,
    coll: &Collection,
    only: Option<&str>,
    start: i64,
    end: i64,
) -> Result<BusyScan, Failure> {
    Ok(match only {
        Some(name) => BusyScan {
            known: Vec::new(),
            unknown: ctx.store.get_object(coll.id, name)?.into_iter().collect(),
        },
        None => ctx.store.find_busy(coll.id, start, end)?,
    })
}

/// The `ical` form of an indexed busy period; free ones show nothing.
fn known_period((start, end, kind): (i64, i64, BusyKind)) -> Option<BusyPeriod> {
    let fb_type = match kind {
        BusyKind::Free => return None,
        BusyKind::Busy => FbType::Busy,
        BusyKind::Tentative => FbType::BusyTentative,
    };
    Some(BusyPeriod {
        start,
        end,
        fb_type,
    })
}
