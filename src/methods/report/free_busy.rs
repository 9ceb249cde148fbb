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
use crate::dav::request::TimeRange;
use crate::ical::freebusy::{busy_periods, vfreebusy};
use crate::methods::{Ctx, DavResponse, Failure, Outcome};
use crate::store::{Collection, Object, ObjectFilter};

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
    let periods = busy_periods(objects.iter().map(|o| o.body.as_slice()), start, end);
    let body = vfreebusy(&periods, start, end, chrono::Utc::now().timestamp());
    Ok(DavResponse {
        status: 200,
        headers: vec![("content-type", "text/calendar; charset=utf-8".into())],
        body: body.into_bytes(),
    })
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
