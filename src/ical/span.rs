//! The time span a calendar object covers, for time-range prefiltering.
//!
//! The span is a superset of every instance: a query may skip an object whose span does not
//! overlap the queried range, everything else still goes through the exact filter. `None` on a
//! side means unbounded (or unknown) on that side. Computing a span never fails validation.
//!
//! Conventions: DATE values and floating DATE-TIMEs are read as UTC, and the span of an object
//! using them is widened by [`FLOATING_SLACK`] on each side, because their instant depends on
//! the zone of whoever asks (RFC 4791 §9.9) and UTC offsets reach ±14 hours; a TZID calcard cannot
//! resolve by name (IANA names, Windows names, `/mozilla.org/...` prefixes, VTIMEZONE with
//! X-LIC-LOCATION are resolved) is read with the rules of the object's VTIMEZONE of that TZID
//! (`vtimezone`), and falls back to UTC when those cannot be evaluated; a local time in a DST
//! gap moves one hour on (by the gap's length in a VTIMEZONE's rules).

use super::vtimezone::{ZoneRef, Zones};
use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarParameterName, ICalendarPeriod,
    ICalendarProperty, ICalendarValue,
};

/// Most recurrence instances expanded for a `COUNT` rule; above that the end is left open.
const EXPANSION_LIMIT: u32 = 3000;

/// Widest UTC offset in use (UTC+14, Line Islands), in seconds.
const FLOATING_SLACK: i64 = 14 * 3600;

/// Seconds in a day: the length of an all-day (DATE) instance.
const DAY: i64 = 86_400;

/// A closed interval in Unix seconds; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    /// Earliest instant covered.
    pub start: Option<i64>,
    /// Latest instant covered.
    pub end: Option<i64>,
}

impl Span {
    /// Unknown or unbounded on both sides.
    const ALL: Span = Span {
        start: None,
        end: None,
    };

    /// The interval `[start, end]`, with `end` clamped so it is never before `start`.
    fn between(start: i64, end: i64) -> Span {
        Span {
            start: Some(start),
            end: Some(end.max(start)),
        }
    }

    /// The smallest span containing both.
    fn union(self, other: Span) -> Span {
        Span {
            start: self.start.zip(other.start).map(|(a, b)| a.min(b)),
            end: self.end.zip(other.end).map(|(a, b)| a.max(b)),
        }
    }
}

/// A date or date-time converted to Unix seconds.
#[derive(Debug, Clone, Copy)]
struct When {
    /// Unix seconds, UTC.
    ts: i64,
    /// True for a DATE value (no time part).
    is_date: bool,
}

impl When {
    /// The instant itself for a DATE-TIME, the whole day for a DATE.
    fn span(self) -> Span {
        Span::between(self.ts, self.ts.saturating_add(self.length()))
    }

    /// Implicit length of a point value: one day for a DATE, zero for a DATE-TIME.
    fn length(self) -> i64 {
        if self.is_date { DAY } else { 0 }
    }
}

/// The span of all `components` (the top-level components of one calendar object, sharing a
/// UID). Unknown when any component's span is unknown.
pub(super) fn object_span(ical: &ICalendar, components: &[&ICalendarComponent]) -> Span {
    let zones = Zones::new(ical, Tz::UTC);
    let this_and_future = components.iter().any(|comp| {
        comp.property(&ICalendarProperty::RecurrenceId)
            .is_some_and(|rid| rid.has_parameter(&ICalendarParameterName::Range))
    });
    if this_and_future || components.is_empty() {
        // RANGE=THISANDFUTURE shifts every later instance; not worth modelling for an index.
        return Span::ALL;
    }
    let span = components
        .iter()
        .map(|comp| component_span(ical, comp, &zones))
        .reduce(Span::union)
        .unwrap_or(Span::ALL);
    if components.iter().any(|comp| uses_floating_time(comp)) {
        Span {
            start: span.start.map(|s| s.saturating_sub(FLOATING_SLACK)),
            end: span.end.map(|e| e.saturating_add(FLOATING_SLACK)),
        }
    } else {
        span
    }
}

/// True when a date property of the component is a DATE or a DATE-TIME with neither a UTC
/// designator nor a TZID: its instant depends on the viewer's time zone.
pub(super) fn uses_floating_time(comp: &ICalendarComponent) -> bool {
    [
        ICalendarProperty::Dtstart,
        ICalendarProperty::Dtend,
        ICalendarProperty::Due,
        ICalendarProperty::RecurrenceId,
    ]
    .iter()
    .filter_map(|prop| date_property(comp, prop))
    .any(|(dt, tzid)| {
        !dt.has_time() || (tzid.is_none() && dt.to_date_time().is_some_and(|v| v.offset.is_none()))
    })
}

/// The span of one component including its recurrences.
fn component_span(ical: &ICalendar, comp: &ICalendarComponent, zones: &Zones<'_>) -> Span {
    let own = instance_span(comp, zones);
    let Some(start) = own.start else {
        return Span::ALL;
    };
    let duration = own.end.map_or(0, |end| end.saturating_sub(start));
    let mut span = own;

    let start_tzid = comp
        .property(&ICalendarProperty::Dtstart)
        .and_then(|entry| entry.tz_id());

    for rule in comp.properties(&ICalendarProperty::Rrule) {
        let last_start = match rule.values.first() {
            Some(ICalendarValue::RecurrenceRule(rule)) => match (&rule.until, rule.count) {
                (Some(until), _) => {
                    // UNTIL bounds the instance starts inclusively (RFC 5545 §3.3.10).
                    to_utc(until, start_tzid, zones)
                        .map(|when| when.ts.saturating_add(when.length()))
                }
                (None, Some(count)) => expand_count(ical, comp, count, start_tzid, zones),
                (None, None) => None,
            },
            _ => None,
        };
        span = span.union(Span {
            start: span.start,
            end: last_start.map(|ts| ts.saturating_add(duration)),
        });
    }

    for rdate in comp.properties(&ICalendarProperty::Rdate) {
        let tzid = rdate.tz_id().or(start_tzid);
        for value in &rdate.values {
            let extra = match value {
                ICalendarValue::PartialDateTime(dt) => to_utc(dt, tzid, zones)
                    .map(|when| Span::between(when.ts, when.ts.saturating_add(duration))),
                ICalendarValue::Period(ICalendarPeriod::Range { start, end }) => {
                    to_utc(start, tzid, zones)
                        .zip(to_utc(end, tzid, zones))
                        .map(|(start, end)| Span::between(start.ts, end.ts))
                }
                ICalendarValue::Period(ICalendarPeriod::Duration { start, duration }) => {
                    to_utc(start, tzid, zones).map(|when| {
                        Span::between(when.ts, when.ts.saturating_add(duration.as_seconds()))
                    })
                }
                _ => None,
            };
            span = span.union(extra.unwrap_or(Span::ALL));
        }
    }
    span
}

/// The span of the component's own instance (its DTSTART-based dates, no recurrence),
/// following the time-range rules of RFC 4791 §9.9.
fn instance_span(comp: &ICalendarComponent, zones: &Zones<'_>) -> Span {
    let start_entry = date_property(comp, &ICalendarProperty::Dtstart);
    let start_tzid = start_entry.and_then(|(_, tzid)| tzid);
    let value = |prop: &ICalendarProperty| {
        date_property(comp, prop).and_then(|(dt, tzid)| to_utc(dt, tzid.or(start_tzid), zones))
    };
    let start = start_entry.and_then(|(dt, tzid)| to_utc(dt, tzid, zones));
    let duration = comp
        .property(&ICalendarProperty::Duration)
        .and_then(|entry| match entry.values.first() {
            Some(ICalendarValue::Duration(duration)) => Some(duration.as_seconds()),
            _ => None,
        });
    let end_from = |start: When, end: Option<When>| match (end, duration) {
        (Some(end), _) => Span::between(start.ts, end.ts),
        (None, Some(duration)) => Span::between(start.ts, start.ts.saturating_add(duration)),
        (None, None) => start.span(),
    };

    match comp.component_type {
        ICalendarComponentType::VTodo => {
            let due = value(&ICalendarProperty::Due);
            let completed = value(&ICalendarProperty::Completed);
            let created = value(&ICalendarProperty::Created);
            match (start, due, completed, created) {
                (Some(start), due, _, _) => end_from(start, due),
                (None, Some(due), _, _) => due.span(),
                (None, None, Some(completed), Some(created)) => {
                    Span::between(created.ts, completed.ts)
                }
                (None, None, Some(completed), None) => completed.span(),
                (None, None, None, Some(created)) => Span {
                    start: Some(created.ts),
                    end: None,
                },
                (None, None, None, None) => Span::ALL,
            }
        }
        ICalendarComponentType::VJournal => start.map_or(Span::ALL, When::span),
        ICalendarComponentType::VFreebusy => {
            let mut span = start.map(|start| end_from(start, value(&ICalendarProperty::Dtend)));
            for entry in comp.properties(&ICalendarProperty::Freebusy) {
                for period in &entry.values {
                    let period = match period {
                        ICalendarValue::Period(ICalendarPeriod::Range { start, end }) => {
                            to_utc(start, None, zones)
                                .zip(to_utc(end, None, zones))
                                .map(|(start, end)| Span::between(start.ts, end.ts))
                        }
                        ICalendarValue::Period(ICalendarPeriod::Duration { start, duration }) => {
                            to_utc(start, None, zones).map(|when| {
                                Span::between(
                                    when.ts,
                                    when.ts.saturating_add(duration.as_seconds()),
                                )
                            })
                        }
                        _ => None,
                    };
                    if let Some(period) = period {
                        span = Some(span.map_or(period, |span| span.union(period)));
                    }
                }
            }
            span.unwrap_or(Span::ALL)
        }
        _ => {
            // VEVENT and anything else with DTSTART/DTEND. An override without DTSTART starts
            // at its RECURRENCE-ID.
            let start = start.or_else(|| value(&ICalendarProperty::RecurrenceId));
            match start {
                Some(start) => end_from(start, value(&ICalendarProperty::Dtend)),
                None => Span::ALL,
            }
        }
    }
}

/// The first value of a date property with its TZID, if it is a date or date-time.
fn date_property<'a>(
    comp: &'a ICalendarComponent,
    prop: &ICalendarProperty,
) -> Option<(&'a PartialDateTime, Option<&'a str>)> {
    let entry = comp.property(prop)?;
    match entry.values.first() {
        Some(ICalendarValue::PartialDateTime(dt)) => Some((dt.as_ref(), entry.tz_id())),
        _ => None,
    }
}

/// Converts a date or date-time to Unix seconds (see the module conventions).
fn to_utc(dt: &PartialDateTime, tzid: Option<&str>, zones: &Zones<'_>) -> Option<When> {
    let value = dt.to_date_time()?;
    let naive_utc = value.date_time.and_utc().timestamp();
    if !dt.has_time() {
        return Some(When {
            ts: naive_utc,
            is_date: true,
        });
    }
    if let Some(offset) = value.offset {
        return Some(When {
            ts: naive_utc.saturating_sub(i64::from(offset.local_minus_utc())),
            is_date: false,
        });
    }
    let ts = zones.resolve_or_default(tzid).instant(value.date_time);
    Some(When { ts, is_date: false })
}

/// Expands a `COUNT`-bounded rule with calcard and returns the start of the last instance, or
/// `None` when the expansion is too long, fails, or stops early (calcard's iterator gives up
/// after 100 000 candidates without a match, which would otherwise look like a short series).
///
/// The expansion runs on a copy of the component without RDATE/EXDATE/RECURRENCE-ID, so every
/// generated date is an instance of the rule and their number must equal `count`. calcard
/// reads a TZID only a VTIMEZONE's rules resolve (`start_tzid` in `zones`) as UTC: the
/// instances' wall-clock times are then converted with those rules.
fn expand_count(
    ical: &ICalendar,
    comp: &ICalendarComponent,
    count: u32,
    start_tzid: Option<&str>,
    zones: &Zones<'_>,
) -> Option<i64> {
    if count == 0 || count > EXPANSION_LIMIT {
        return None;
    }
    let mut master = comp.clone();
    master.component_ids.clear();
    master.entries.retain(|entry| {
        !matches!(
            entry.name,
            ICalendarProperty::Rdate | ICalendarProperty::Exdate | ICalendarProperty::RecurrenceId
        )
    });
    // DATE values are read as UTC everywhere in the index, also when a TZID is attached.
    for entry in &mut master.entries {
        let date_start = entry.name == ICalendarProperty::Dtstart
            && matches!(entry.values.first(), Some(ICalendarValue::PartialDateTime(dt)) if !dt.has_time());
        if date_start {
            entry
                .params
                .retain(|param| param.name != ICalendarParameterName::Tzid);
        }
    }
    let mut components = vec![
        ICalendarComponent {
            component_type: ICalendarComponentType::VCalendar,
            entries: Vec::new(),
            component_ids: vec![1],
        },
        master,
    ];
    // Time zones are resolved by TZID, X-LIC-LOCATION and X-MICROSOFT-CDO-TZID of the
    // VTIMEZONE itself; its STANDARD/DAYLIGHT children are not needed.
    components.extend(ical.timezones().map(|tz| ICalendarComponent {
        component_type: ICalendarComponentType::VTimezone,
        entries: tz.entries.clone(),
        component_ids: Vec::new(),
    }));
    let single = ICalendar { components };

    // Date arithmetic on client-supplied values inside calcard: never let a panic escape.
    let expansion =
        std::panic::catch_unwind(|| single.expand_dates(Tz::UTC, EXPANSION_LIMIT as usize + 1))
            .ok()?;
    if !expansion.errors.is_empty() || expansion.events.len() != count as usize {
        return None;
    }
    let timed =
        date_property(comp, &ICalendarProperty::Dtstart).is_some_and(|(dt, _)| dt.has_time());
    let custom = match start_tzid
        .filter(|_| timed)
        .and_then(|tzid| zones.resolve(tzid))
    {
        Some(zone @ ZoneRef::Custom(_)) => Some(zone),
        _ => None,
    };
    expansion
        .events
        .iter()
        .map(|event| match custom {
            Some(zone) => zone.instant(event.start.naive_local()),
            None => event.start.timestamp(),
        })
        .max()
}
