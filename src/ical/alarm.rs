//! Time-range tests of a calendar-query below the first-level component (RFC 4791 §9.9):
//! VALARM trigger times and DATE / DATE-TIME property values. The first-level test itself
//! ([`ObjectTimes::overlaps`]) is that of [`recur`](super::recur).
//!
//! Conventions (those of `recur`):
//! * DATE values and floating DATE-TIMEs are read in the floating [`Zone`]; a TZID is
//!   resolved with the object's VTIMEZONEs (by name, else by their rules), IANA and Windows
//!   names; an unknown one is UTC.
//! * A DATE-TIME property value is in the range when `start <= value < end`; a DATE value
//!   when its day (local midnight to the next) overlaps the range; a PERIOD when it overlaps
//!   the range (a point period as a DATE-TIME). Properties whose value is not a date are
//!   never in a range.
//! * An alarm triggers at its absolute TRIGGER (VALUE=DATE-TIME), or at the START (default)
//!   or END of each instance of its parent (the end of a VTODO is its DUE, or DTSTART plus
//!   DURATION) plus the TRIGGER duration; REPEAT further triggers follow, DURATION apart.
//!   Days and weeks of a relative TRIGGER count as 24 hours. An alarm of a parent without
//!   any date (an undated VTODO) has no relative trigger time.
//! * Where the parent's instances cannot all be listed (more than
//!   [`INSTANCE_CAP`](super::recur::INSTANCE_CAP) in the searched window), the alarm matches:
//!   the conservative side, as `recur::overlaps` takes.

use super::duration;
use super::recur::{INSTANCE_CAP, Zone, instances_in, instant, overlaps_in, parse};
use super::tree::{Component, Property};
use super::vtimezone::{ZoneRef, Zones};
use calcard::common::timezone::Tz;
use calcard::icalendar::ICalendar;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use std::cell::OnceCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One calendar object resource for time-range tests, with the zone its floating times are
/// read in. Build it once per object and ask it every time-range of a filter: calcard parses
/// the body on the first question only (filters without time-ranges cost nothing).
pub struct ObjectTimes<'a> {
    /// The calendar object resource.
    body: &'a [u8],
    /// The object as calcard reads it (`None` inside when it cannot be parsed), once asked.
    ical: OnceCell<Option<ICalendar>>,
    /// The zone of DATE values and floating DATE-TIMEs.
    floating: Zone,
    /// The caller already knows the first-level time-range holds (the index answered it).
    overlap_known: bool,
}

impl std::fmt::Debug for ObjectTimes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectTimes")
            .field("len", &self.body.len())
            .field("floating", &self.floating)
            .field("overlap_known", &self.overlap_known)
            .finish()
    }
}

/// A property value as an interval: `(start, end, is_point)`.
type Interval = (i64, i64, bool);

impl<'a> ObjectTimes<'a> {
    /// Time-range tests on `body` (a calendar object resource); `floating` is the zone DATE
    /// values and floating DATE-TIMEs are read in (`None`: UTC).
    #[must_use]
    pub fn new(body: &'a [u8], floating: Option<Zone>) -> Self {
        ObjectTimes {
            body,
            ical: OnceCell::new(),
            floating: floating.unwrap_or_default(),
            overlap_known: false,
        }
    }

    /// Makes [`overlaps`](Self::overlaps) answer `true` without looking: for a caller whose
    /// index already decided the first-level time-range exactly.
    #[must_use]
    pub fn overlap_known(mut self, known: bool) -> Self {
        self.overlap_known = known;
        self
    }

    /// The parsed object, parsed on first use.
    fn ical(&self) -> Option<&ICalendar> {
        self.ical
            .get_or_init(|| catch_unwind(|| parse(self.body)).ok().flatten())
            .as_ref()
    }

    /// Whether an instance of the object overlaps `[start, end)` (RFC 4791 §9.9, the
    /// first-level comp-filter test); `true` when that cannot be computed, as
    /// [`recur::overlaps`](super::recur::overlaps).
    #[must_use]
    pub fn overlaps(&self, start: Option<i64>, end: Option<i64>) -> bool {
        self.overlap_known
            || self
                .ical()
                .is_none_or(|ical| overlaps_in(ical, start, end, self.floating))
    }

    /// Whether a value of the DATE or DATE-TIME (or PERIOD) property `prop` falls in
    /// `[start, end)` (module conventions); `false` for other values.
    #[must_use]
    pub fn property_in_range(&self, prop: &Property, start: Option<i64>, end: Option<i64>) -> bool {
        self.with_zone(prop.param("TZID").and_then(|v| v.first()), |zone| {
            prop.value
                .split(',')
                .filter_map(|value| interval(value.trim(), zone))
                .any(|(from, to, point)| in_range(from, to, point, start, end))
        })
    }

    /// Whether the VALARM `alarm`, child of the VCALENDAR's child at position `parent`
    /// (document order, VTIMEZONEs included), has a trigger time in `[start, end)` (module
    /// conventions).
    #[must_use]
    pub fn alarm_in_range(
        &self,
        parent: usize,
        alarm: &Component,
        start: Option<i64>,
        end: Option<i64>,
    ) -> bool {
        let Some(trigger) = alarm.properties_named("TRIGGER").next() else {
            return false;
        };
        let repeat = alarm
            .properties_named("REPEAT")
            .next()
            .and_then(|p| p.value.trim().parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
        let step = alarm
            .properties_named("DURATION")
            .next()
            .and_then(|p| duration::seconds(p.value.trim()))
            .filter(|d| *d > 0);
        let (repeat, step) = match step {
            Some(step) if repeat > 0 => (repeat, step),
            _ => (0, 0),
        };
        let fires = |first: i64| fires_in(first, step, repeat, start, end);
        let absolute = trigger
            .param("VALUE")
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME"));
        if absolute {
            return self.with_zone(trigger.param("TZID").and_then(|v| v.first()), |zone| {
                interval(trigger.value.trim(), zone).is_some_and(|(at, _, _)| fires(at))
            });
        }
        let Some(offset) = duration::seconds(trigger.value.trim()) else {
            return false;
        };
        let Some(ical) = self.ical() else {
            return true;
        };
        let from_end = trigger
            .param("RELATED")
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("END"));
        // Instances whose START (or END) lies where a trigger could fall in the range; the
        // window is widened by a second so that every row of the §9.9 tables includes them.
        let low = start.map_or(i64::MIN, |s| {
            s.saturating_sub(offset)
                .saturating_sub(repeat.saturating_mul(step))
                .saturating_sub(1)
        });
        let high = end.map_or(i64::MAX, |e| e.saturating_sub(offset).saturating_add(1));
        if low >= high {
            return false;
        }
        let found = catch_unwind(AssertUnwindSafe(|| {
            instances_in(ical, low, high, INSTANCE_CAP, self.floating)
        }));
        let Ok(found) = found else {
            return true;
        };
        if found.len() >= INSTANCE_CAP {
            return true;
        }
        found
            .iter()
            .filter(|i| i.component_index == parent)
            .filter(|i| i.start != i64::MIN && i.end != i64::MAX)
            .any(|i| fires((if from_end { i.end } else { i.start }).saturating_add(offset)))
    }

    /// Runs `f` with the zone of a value with this TZID (none: floating): by name, else by
    /// the object's VTIMEZONE of that TZID, else UTC.
    fn with_zone<R>(&self, tzid: Option<&String>, f: impl FnOnce(ZoneRef<'_>) -> R) -> R {
        let Some(name) = tzid else {
            return f(ZoneRef::Known(self.floating.0));
        };
        let zones = self.ical().map(|ical| Zones::new(ical, Tz::UTC));
        let zone = zones
            .as_ref()
            .and_then(|zones| zones.resolve(name))
            .or_else(|| Zone::named(name).map(|z| ZoneRef::Known(z.0)))
            .unwrap_or(ZoneRef::Known(Tz::UTC));
        f(zone)
    }
}

/// Whether a trigger at `first`, repeated `repeat` times `step` seconds apart, fires in
/// `[start, end)`.
fn fires_in(first: i64, step: i64, repeat: i64, start: Option<i64>, end: Option<i64>) -> bool {
    // The first repetition at or after `start`.
    let k = match start {
        Some(s) if s > first && step > 0 => {
            let gap = s.saturating_sub(first);
            gap / step + i64::from(gap % step != 0)
        }
        Some(s) if s > first => return false,
        _ => 0,
    };
    if k > repeat {
        return false;
    }
    let at = first.saturating_add(k.saturating_mul(step));
    start.is_none_or(|s| at >= s) && end.is_none_or(|e| at < e)
}

/// Whether the interval `[from, to)` (a point when `point`) meets `[start, end)`.
fn in_range(from: i64, to: i64, point: bool, start: Option<i64>, end: Option<i64>) -> bool {
    if point {
        start.is_none_or(|s| s <= from) && end.is_none_or(|e| from < e)
    } else {
        start.is_none_or(|s| s < to) && end.is_none_or(|e| from < e)
    }
}

/// Reads one DATE, DATE-TIME or PERIOD value; `zone` is that of a value without `Z`.
fn interval(value: &str, zone: ZoneRef<'_>) -> Option<Interval> {
    if let Some((from, rest)) = value.split_once('/') {
        let (start, _, _) = interval(from, zone)?;
        let end = match duration::seconds(rest) {
            Some(len) => start.saturating_add(len),
            None => interval(rest, zone)?.0,
        };
        return Some(if end > start {
            (start, end, false)
        } else {
            (start, start, true)
        });
    }
    if value.len() == 8 {
        let day = NaiveDate::parse_from_str(value, "%Y%m%d").ok()?;
        let midnight = day.and_time(NaiveTime::MIN);
        let next = midnight.checked_add_signed(TimeDelta::days(1))?;
        let from = instant(zone, midnight);
        return Some((from, instant(zone, next).max(from.saturating_add(1)), false));
    }
    let (text, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(text) => (text, true),
        None => (value, false),
    };
    let local = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").ok()?;
    let at = if utc {
        local.and_utc().timestamp()
    } else {
        instant(zone, local)
    };
    Some((at, at, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::tree;

    fn at(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn repetitions() {
        // 10:00, 10:05, 10:10.
        let t = at("2024-01-01T10:00");
        assert!(fires_in(
            t,
            300,
            2,
            Some(at("2024-01-01T10:09")),
            Some(at("2024-01-01T10:11"))
        ));
        assert!(!fires_in(t, 300, 2, Some(at("2024-01-01T10:11")), None));
        assert!(!fires_in(
            t,
            300,
            2,
            Some(at("2024-01-01T10:01")),
            Some(at("2024-01-01T10:05"))
        ));
        assert!(fires_in(t, 0, 0, None, Some(t + 1)));
        assert!(!fires_in(t, 0, 0, None, Some(t)));
    }

    const EVENT: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nDTSTAMP:20231201T000000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=END:-PT10M\r\nREPEAT:2\r\nDURATION:PT5M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn relative_alarm_on_each_instance() {
        let times = ObjectTimes::new(EVENT.as_bytes(), None);
        let root = tree::parse(EVENT.as_bytes()).unwrap();
        let alarm = &root.components[0].components[0];
        let hit =
            |from: &str, to: &str| times.alarm_in_range(0, alarm, Some(at(from)), Some(at(to)));
        // Triggers at 10:50, 10:55, 11:00 on Jan 1, 2, 3.
        assert!(hit("2024-01-03T10:59", "2024-01-03T11:01"));
        assert!(hit("2024-01-02T10:50", "2024-01-02T10:51"));
        assert!(!hit("2024-01-02T10:51", "2024-01-02T10:55"));
        assert!(!hit("2024-01-04T10:00", "2024-01-05T11:00"));
        assert!(!hit("2024-01-01T11:01", "2024-01-02T10:50"));
        assert!(hit("2024-01-01T11:00", "2024-01-02T10:50"));
    }

    #[test]
    fn property_values() {
        let times = ObjectTimes::new(EVENT.as_bytes(), None);
        let root = tree::parse(EVENT.as_bytes()).unwrap();
        let stamp = root.components[0]
            .properties_named("DTSTAMP")
            .next()
            .unwrap();
        assert!(times.property_in_range(stamp, Some(at("2023-12-01T00:00")), None));
        assert!(!times.property_in_range(stamp, None, Some(at("2023-12-01T00:00"))));
        let date = Property {
            name: "DTSTART".into(),
            group: None,
            params: vec![("VALUE".into(), vec!["DATE".into()])],
            value: "20240310".into(),
        };
        let auckland = Zone::named("Pacific/Auckland");
        let nz = ObjectTimes::new(EVENT.as_bytes(), auckland);
        // 2024-03-10 in Auckland (UTC+13) is 2024-03-09T11:00Z .. 2024-03-10T11:00Z.
        assert!(nz.property_in_range(&date, None, Some(at("2024-03-09T12:00"))));
        assert!(!times.property_in_range(&date, None, Some(at("2024-03-09T12:00"))));
        let windows = Property {
            name: "DTSTART".into(),
            group: None,
            params: vec![("TZID".into(), vec!["W. Europe Standard Time".into()])],
            value: "20240701T100000".into(),
        };
        assert!(times.property_in_range(
            &windows,
            Some(at("2024-07-01T08:00")),
            Some(at("2024-07-01T08:01"))
        ));
    }
}
