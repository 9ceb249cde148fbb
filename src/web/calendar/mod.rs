//! The calendar area: month, week and agenda views of the person's own calendars and of those
//! shared with it, each in its colour and shown or hidden with a check box (remembered in a
//! cookie), in the person's time zone. Events are read with the store's time-range index and
//! expanded like calendar-query does ([`events`]); the event pages themselves (new, view,
//! edit) live under `/web/calendar/event`.

mod agenda;
mod calendars;
mod events;
mod links;
mod month;
mod overlays;
mod page;
mod period;
mod texts;
mod week;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use percent_encoding::percent_decode_str;

use super::dates::ZONE_COOKIE;
use super::form::cookie;
use super::{Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::ical::recur::Zone;
use crate::store::StoreError;
use calendars::Cal;
use events::Occurrence;
use overlays::Mark;
use period::{AGENDA_DAYS, Period, View};
use texts::Texts;

/// The zone of a person who has told none.
const DEFAULT_ZONE: &str = "Europe/Zurich";

/// Routes `/web/calendar/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    if !matches!(req.method, "GET" | "HEAD") && matches!(tail, [] | ["calendars"]) {
        return Ok(
            WebResponse::bytes(405, "text/plain; charset=utf-8", b"GET only\n".to_vec())
                .with("allow", "GET, HEAD"),
        );
    }
    match tail {
        [] => page::calendar(ctx, req, v),
        ["calendars"] => page::visibility(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// What a view draws: the period, today, the calendars and the events of the shown ones.
pub struct Shown<'a> {
    /// The days shown.
    pub period: Period,
    /// Today, in the person's zone.
    pub today: NaiveDate,
    /// Every calendar of the person (hidden ones included, for the check boxes).
    pub cals: &'a [Cal],
    /// The events of the shown calendars in the period, sorted by start.
    pub events: &'a [Occurrence],
    /// Birthdays, anniversaries and holidays in the period, by day.
    pub marks: &'a [Mark],
    /// The page's texts.
    pub t: &'static Texts,
}

impl Shown<'_> {
    /// The events covering day `d`, in order.
    pub fn events_on(&self, d: NaiveDate) -> impl Iterator<Item = &Occurrence> {
        self.events.iter().filter(move |e| e.covers(d))
    }

    /// The marks of day `d`.
    pub fn marks_on(&self, d: NaiveDate) -> impl Iterator<Item = &Mark> {
        self.marks.iter().filter(move |m| m.date == d)
    }
}

/// A date of a `date=` value, within years the pages can move around in.
fn parse_date(text: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&d.year()))
}

/// The zone times are shown in, and its name: the `tz=` parameter, else the browser's
/// (cookie), else the `calendar-timezone` of the person's first own calendar that has one,
/// else Europe/Zurich.
fn zone_of(req: &WebRequest<'_>, cals: &[Cal]) -> Zone {
    let query = req.query_form();
    let asked = query.get("tz").map(str::to_owned).or_else(|| {
        cookie(req.cookies, ZONE_COOKIE)
            .and_then(|c| percent_decode_str(c).decode_utf8().ok())
            .map(|c| c.into_owned())
    });
    asked
        .as_deref()
        .and_then(Zone::named)
        .or_else(|| {
            cals.iter()
                .filter(|c| c.shared_by.is_none())
                .filter_map(|c| c.collection.props.timezone.as_deref())
                .find_map(|tz| Zone::from_calendar(tz.as_bytes()))
        })
        .or_else(|| Zone::named(DEFAULT_ZONE))
        .unwrap_or(Zone::UTC)
}

/// The period a request asks for (`view=`, `date=`, `days=`), around `today` by default.
fn period_of(req: &WebRequest<'_>, today: NaiveDate) -> Period {
    let query = req.query_form();
    let view = query
        .get("view")
        .and_then(View::parse)
        .unwrap_or(View::Month);
    let date = query.get("date").and_then(parse_date).unwrap_or(today);
    let days = query
        .get("days")
        .and_then(|d| d.parse().ok())
        .unwrap_or(AGENDA_DAYS);
    Period::new(view, date, days)
}

/// Today in `zone`, by the store's clock.
fn today_in(ctx: &WebCtx<'_>, zone: Zone) -> NaiveDate {
    zone.local_at(ctx.store.now())
        .as_ref()
        .map_or_else(|| DateTime::UNIX_EPOCH.date_naive(), NaiveDateTime::date)
}
