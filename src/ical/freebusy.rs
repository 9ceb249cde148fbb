//! Free-busy time of a set of calendar object resources (RFC 4791 §7.10) and its VFREEBUSY
//! rendering (RFC 5545 §3.6.4, §3.8.2.6).
//!
//! What counts, per RFC 4791 §7.10:
//! * VEVENT instances that overlap the range (RFC 4791 §9.9, recurrences expanded with
//!   [`recur::instances`](super::recur::instances), so EXDATEs, moved and THISANDFUTURE
//!   overrides are where the query REPORT finds them). Each instance is judged on the
//!   component it comes from (master or override): TRANSP:TRANSPARENT and STATUS:CANCELLED
//!   contribute nothing (a cancelled override therefore removes its instance: the master's
//!   instance at that RECURRENCE-ID is already suppressed by the override merge),
//!   STATUS:TENTATIVE is BUSY-TENTATIVE, anything else BUSY. Instants (no length) contribute
//!   nothing.
//! * FREEBUSY periods of VFREEBUSY components, with their FBTYPE (FREE left out, an absent or
//!   unknown FBTYPE is BUSY, as RFC 5545 §3.2.9 says).
//! * VTODO, VJOURNAL and VAVAILABILITY (RFC 7953) are ignored; availability is not
//!   implemented.
//!
//! Times follow the conventions of `recur`: DATE values (all-day events) and floating
//! DATE-TIMEs are read as UTC for now (the collection's calendar-timezone is not applied yet).
//! Periods are clipped to the range and merged per type (overlapping or adjacent periods of
//! one type become one); periods of different types may overlap.
//!
//! Expansion is bounded per object by [`recur::INSTANCE_CAP`](super::recur::INSTANCE_CAP)
//! instances; a series with more instances in the range (a daily event over a decade) shows
//! only the part computed. Never panics: an object that cannot be read contributes nothing.

use super::recur::{INSTANCE_CAP, Zone, instances_in, parse};
use super::write::fold_into;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarDuration,
    ICalendarFreeBusyType, ICalendarParameterName, ICalendarParameterValue, ICalendarPeriod,
    ICalendarProperty, ICalendarStatus, ICalendarTransparency, ICalendarValue,
};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The busy kinds a free-busy answer reports (RFC 5545 §3.2.9 FBTYPE, FREE left out since
/// only busy time is listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FbType {
    /// FBTYPE=BUSY: an opaque, confirmed (or status-less) event.
    Busy,
    /// FBTYPE=BUSY-TENTATIVE: a STATUS:TENTATIVE event.
    BusyTentative,
    /// FBTYPE=BUSY-UNAVAILABLE: only from stored VFREEBUSY components.
    BusyUnavailable,
}

impl FbType {
    /// The FBTYPE parameter value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FbType::Busy => "BUSY",
            FbType::BusyTentative => "BUSY-TENTATIVE",
            FbType::BusyUnavailable => "BUSY-UNAVAILABLE",
        }
    }
}

/// How every instance of a calendar object shows in free-busy, for the index written at PUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectBusy {
    /// Not at all (transparent or cancelled everywhere).
    Free,
    /// As this type.
    Shows(FbType),
}

/// How the instances of an object made of `components` (VTIMEZONEs left out) show in
/// free-busy when that does not depend on the instance: VEVENTs only, master and overrides
/// all of one class. `None` otherwise (other components, or overrides that differ, e.g. one
/// cancelled instance), and free-busy then reads the object.
#[must_use]
pub fn object_busy(components: &[&ICalendarComponent]) -> Option<ObjectBusy> {
    let mut classes = components.iter().map(|comp| {
        (comp.component_type == ICalendarComponentType::VEvent)
            .then(|| event_busy_type(comp).map_or(ObjectBusy::Free, ObjectBusy::Shows))
    });
    let first = classes.next()??;
    classes.all(|class| class == Some(first)).then_some(first)
}

/// One busy period `[start, end)`, Unix seconds UTC, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusyPeriod {
    /// Inclusive start.
    pub start: i64,
    /// Exclusive end.
    pub end: i64,
    /// How busy.
    pub fb_type: FbType,
}

/// The busy time within `[start, end)` (Unix seconds UTC) of the periods `known` (from the
/// store's index) and of the calendar object resources `bodies`, by the rules of the module
/// documentation: clipped to the range, merged per type, sorted by start then type. Bodies
/// that cannot be parsed contribute nothing. Each body comes with the zone its DATE values
/// and floating DATE-TIMEs are read in (`None`: UTC): the calendar-timezone of the calendar
/// it belongs to, so several calendars merge in one answer.
#[must_use]
pub fn busy_periods<'a>(
    known: impl IntoIterator<Item = BusyPeriod>,
    bodies: impl Iterator<Item = (&'a [u8], Option<Zone>)>,
    start: i64,
    end: i64,
) -> Vec<BusyPeriod> {
    if start >= end {
        return Vec::new();
    }
    let mut raw: Vec<BusyPeriod> = known
        .into_iter()
        .filter_map(|p| clip(p.start, p.end, p.fb_type, start, end))
        .collect();
    for (body, floating) in bodies {
        let mut found = Vec::new();
        // Client-supplied content goes through calcard: a panic loses this object only.
        let read = catch_unwind(AssertUnwindSafe(|| {
            if let Some(ical) = parse(body) {
                object_periods(&ical, start, end, floating.unwrap_or_default(), &mut found);
            }
        }));
        if read.is_ok() {
            raw.extend(found);
        }
    }
    merge(raw)
}

/// Adds the busy periods of one parsed object, clipped to `[start, end)`.
fn object_periods(
    ical: &ICalendar,
    start: i64,
    end: i64,
    floating: Zone,
    out: &mut Vec<BusyPeriod>,
) {
    let Some(root) = ical
        .components
        .first()
        .filter(|root| root.component_type == ICalendarComponentType::VCalendar)
    else {
        return;
    };
    let child = |position: usize| {
        let id = usize::try_from(*root.component_ids.get(position)?).ok()?;
        ical.components.get(id)
    };
    let mut clipped = |from: i64, to: i64, fb_type: FbType| {
        out.extend(clip(from, to, fb_type, start, end));
    };
    let children = (0..root.component_ids.len()).filter_map(child);
    let mut has_events = false;
    for comp in children {
        match comp.component_type {
            ICalendarComponentType::VEvent => has_events = true,
            ICalendarComponentType::VFreebusy => {
                for (from, to, fb_type) in freebusy_lines(comp) {
                    clipped(from, to, fb_type);
                }
            }
            _ => {}
        }
    }
    if !has_events {
        return;
    }
    for instance in instances_in(ical, start, end, INSTANCE_CAP, floating) {
        let Some(comp) = child(instance.component_index)
            .filter(|comp| comp.component_type == ICalendarComponentType::VEvent)
        else {
            continue;
        };
        if let Some(fb_type) = event_busy_type(comp) {
            clipped(instance.start, instance.end, fb_type);
        }
    }
}

/// `[from, to)` clipped to `[start, end)`, if anything is left.
fn clip(from: i64, to: i64, fb_type: FbType, start: i64, end: i64) -> Option<BusyPeriod> {
    let (from, to) = (from.max(start), to.min(end));
    (from < to).then_some(BusyPeriod {
        start: from,
        end: to,
        fb_type,
    })
}

/// How a VEVENT (master or override) shows in free-busy; `None` when it does not.
fn event_busy_type(comp: &ICalendarComponent) -> Option<FbType> {
    let first =
        |prop: &ICalendarProperty| comp.property(prop).and_then(|entry| entry.values.first());
    let text_is = |value: &ICalendarValue, word: &str| matches!(value, ICalendarValue::Text(text) if text.trim().eq_ignore_ascii_case(word));
    if let Some(transp) = first(&ICalendarProperty::Transp)
        && (matches!(
            transp,
            ICalendarValue::Transparency(ICalendarTransparency::Transparent)
        ) || text_is(transp, "TRANSPARENT"))
    {
        return None;
    }
    match first(&ICalendarProperty::Status) {
        Some(ICalendarValue::Status(ICalendarStatus::Cancelled)) => None,
        Some(ICalendarValue::Status(ICalendarStatus::Tentative)) => Some(FbType::BusyTentative),
        Some(status) if text_is(status, "CANCELLED") => None,
        Some(status) if text_is(status, "TENTATIVE") => Some(FbType::BusyTentative),
        _ => Some(FbType::Busy),
    }
}

/// The busy FREEBUSY periods of a VFREEBUSY component (FREE ones left out; values that are
/// not periods ignored).
fn freebusy_lines(comp: &ICalendarComponent) -> Vec<(i64, i64, FbType)> {
    let mut periods = Vec::new();
    for entry in comp.properties(&ICalendarProperty::Freebusy) {
        let fb_type = match entry.parameter(&ICalendarParameterName::Fbtype) {
            Some(ICalendarParameterValue::Fbtype(ICalendarFreeBusyType::Free)) => continue,
            Some(ICalendarParameterValue::Fbtype(ICalendarFreeBusyType::BusyTentative)) => {
                FbType::BusyTentative
            }
            Some(ICalendarParameterValue::Fbtype(ICalendarFreeBusyType::BusyUnavailable)) => {
                FbType::BusyUnavailable
            }
            _ => FbType::Busy,
        };
        for value in &entry.values {
            let ICalendarValue::Period(period) = value else {
                continue;
            };
            let (from, to) = match period {
                ICalendarPeriod::Range { start, end } => (utc(start), utc(end)),
                ICalendarPeriod::Duration { start, duration } => {
                    let from = utc(start);
                    (
                        from,
                        from.zip(seconds(duration))
                            .map(|(f, d)| f.saturating_add(d)),
                    )
                }
            };
            if let (Some(from), Some(to)) = (from, to) {
                periods.push((from, to, fb_type));
            }
        }
    }
    periods
}

/// Unix seconds of a FREEBUSY period bound (UTC by RFC 5545; a floating one is read as UTC).
fn utc(at: &calcard::common::PartialDateTime) -> Option<i64> {
    let value = at.to_date_time()?;
    let local = value.date_time.and_utc().timestamp();
    Some(match value.offset {
        Some(offset) => local.saturating_sub(i64::from(offset.local_minus_utc())),
        None => local,
    })
}

/// Exact seconds of a period's DURATION (days as 24 hours: the period is in UTC); `None`
/// when negative.
fn seconds(duration: &ICalendarDuration) -> Option<i64> {
    (!duration.neg).then(|| {
        (i64::from(duration.weeks) * 7 + i64::from(duration.days)) * 86_400
            + i64::from(duration.hours) * 3_600
            + i64::from(duration.minutes) * 60
            + i64::from(duration.seconds)
    })
}

/// Merges overlapping or adjacent periods of the same type; sorted by start, then type.
fn merge(mut periods: Vec<BusyPeriod>) -> Vec<BusyPeriod> {
    periods.sort_unstable_by_key(|p| (p.fb_type, p.start, p.end));
    let mut merged: Vec<BusyPeriod> = Vec::with_capacity(periods.len());
    for period in periods {
        match merged.last_mut() {
            Some(last) if last.fb_type == period.fb_type && period.start <= last.end => {
                last.end = last.end.max(period.end);
            }
            _ => merged.push(period),
        }
    }
    merged.sort_unstable_by_key(|p| (p.start, p.fb_type, p.end));
    merged
}

/// Renders a free-busy answer (RFC 4791 §7.10): a VCALENDAR holding one VFREEBUSY with
/// DTSTAMP, DTSTART and DTEND of the queried range, and one FREEBUSY line per period with
/// its FBTYPE, all in UTC. A UID derived from the range and stamp is added because RFC 5545
/// §3.6.4 requires one. CRLF line endings, lines folded at 75 octets.
#[must_use]
pub fn vfreebusy(periods: &[BusyPeriod], start: i64, end: i64, dtstamp: i64) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//davsuite//EN".to_owned(),
        "BEGIN:VFREEBUSY".to_owned(),
        format!("UID:freebusy-{start}-{end}-{dtstamp}@davsuite"),
        format!("DTSTAMP:{}", utc_text(dtstamp)),
        format!("DTSTART:{}", utc_text(start)),
        format!("DTEND:{}", utc_text(end)),
    ];
    lines.extend(periods.iter().map(|p| {
        format!(
            "FREEBUSY;FBTYPE={}:{}/{}",
            p.fb_type.as_str(),
            utc_text(p.start),
            utc_text(p.end)
        )
    }));
    lines.push("END:VFREEBUSY".to_owned());
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// A UTC DATE-TIME (`20240101T000000Z`); instants chrono cannot represent print as the epoch
/// (they cannot come from a parsed time-range).
fn utc_text(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    /// Unix seconds of a UTC time written `YYYY-MM-DDTHH:MM`.
    fn at(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .unwrap_or_else(|err| panic!("{text}: {err}"))
            .and_utc()
            .timestamp()
    }

    /// A VCALENDAR around the given components.
    fn calendar(components: &str) -> Vec<u8> {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{components}END:VCALENDAR\r\n"
        )
        .into_bytes()
    }

    /// A VEVENT with UID `uid` around the given property lines.
    fn vevent(uid: &str, lines: &str) -> String {
        format!("BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n{lines}END:VEVENT\r\n")
    }

    /// A busy period from UTC texts.
    fn period(from: &str, to: &str, fb_type: FbType) -> BusyPeriod {
        BusyPeriod {
            start: at(from),
            end: at(to),
            fb_type,
        }
    }

    /// Free-busy of `bodies` in the UTC range `[from, to)`.
    fn busy(bodies: &[Vec<u8>], from: &str, to: &str) -> Vec<BusyPeriod> {
        busy_periods(
            [],
            bodies.iter().map(|b| (b.as_slice(), None)),
            at(from),
            at(to),
        )
    }

    #[test]
    fn overlapping_and_adjacent_periods_merge_per_type() {
        let bodies = [
            calendar(&vevent(
                "a",
                "DTSTART:20240115T090000Z\r\nDTEND:20240115T100000Z\r\n",
            )),
            // Overlaps a.
            calendar(&vevent(
                "b",
                "DTSTART:20240115T093000Z\r\nDTEND:20240115T103000Z\r\n",
            )),
            // Adjacent to b.
            calendar(&vevent(
                "c",
                "DTSTART:20240115T103000Z\r\nDURATION:PT30M\r\n",
            )),
            // Separate.
            calendar(&vevent(
                "d",
                "DTSTART:20240115T120000Z\r\nDTEND:20240115T130000Z\r\n",
            )),
            // Tentative, overlapping a: kept apart.
            calendar(&vevent(
                "e",
                "STATUS:TENTATIVE\r\nDTSTART:20240115T094500Z\r\nDTEND:20240115T111500Z\r\n",
            )),
        ];
        assert_eq!(
            busy(&bodies, "2024-01-15T00:00", "2024-01-16T00:00"),
            vec![
                period("2024-01-15T09:00", "2024-01-15T11:00", FbType::Busy),
                period(
                    "2024-01-15T09:45",
                    "2024-01-15T11:15",
                    FbType::BusyTentative
                ),
                period("2024-01-15T12:00", "2024-01-15T13:00", FbType::Busy),
            ]
        );
    }

    #[test]
    fn transparent_and_cancelled_are_left_out_tentative_is_typed() {
        let bodies = [
            calendar(&vevent(
                "t",
                "TRANSP:TRANSPARENT\r\nDTSTART:20240115T090000Z\r\nDTEND:20240115T100000Z\r\n",
            )),
            calendar(&vevent(
                "c",
                "STATUS:CANCELLED\r\nDTSTART:20240115T110000Z\r\nDTEND:20240115T120000Z\r\n",
            )),
            calendar(&vevent(
                "p",
                "STATUS:TENTATIVE\r\nDTSTART:20240115T130000Z\r\nDTEND:20240115T140000Z\r\n",
            )),
            calendar(&vevent(
                "o",
                "TRANSP:OPAQUE\r\nSTATUS:CONFIRMED\r\nDTSTART:20240115T150000Z\r\n\
                 DTEND:20240115T160000Z\r\n",
            )),
            // An instant has no busy time.
            calendar(&vevent("i", "DTSTART:20240115T170000Z\r\n")),
        ];
        assert_eq!(
            busy(&bodies, "2024-01-15T00:00", "2024-01-16T00:00"),
            vec![
                period(
                    "2024-01-15T13:00",
                    "2024-01-15T14:00",
                    FbType::BusyTentative
                ),
                period("2024-01-15T15:00", "2024-01-15T16:00", FbType::Busy),
            ]
        );
    }

    /// Weekly on Mondays 09:00-10:00Z from 2024-01-01; 2024-01-15 excluded; the 2024-01-22
    /// instance moved to Tuesday 14:00-15:30Z; the 2024-01-29 instance cancelled by its
    /// override.
    fn weekly_series() -> Vec<u8> {
        calendar(&format!(
            "{}{}{}",
            vevent(
                "w",
                "DTSTART:20240101T090000Z\r\nDTEND:20240101T100000Z\r\nRRULE:FREQ=WEEKLY\r\n\
                 EXDATE:20240115T090000Z\r\n",
            ),
            vevent(
                "w",
                "RECURRENCE-ID:20240122T090000Z\r\nDTSTART:20240123T140000Z\r\n\
                 DTEND:20240123T153000Z\r\n",
            ),
            vevent(
                "w",
                "RECURRENCE-ID:20240129T090000Z\r\nSTATUS:CANCELLED\r\n\
                 DTSTART:20240129T090000Z\r\nDTEND:20240129T100000Z\r\n",
            ),
        ))
    }

    #[test]
    fn recurring_series_with_exdate_moved_and_cancelled_overrides() {
        let bodies = [weekly_series()];
        assert_eq!(
            busy(&bodies, "2024-01-01T00:00", "2024-02-13T00:00"),
            vec![
                period("2024-01-01T09:00", "2024-01-01T10:00", FbType::Busy),
                period("2024-01-08T09:00", "2024-01-08T10:00", FbType::Busy),
                period("2024-01-23T14:00", "2024-01-23T15:30", FbType::Busy),
                period("2024-02-05T09:00", "2024-02-05T10:00", FbType::Busy),
                period("2024-02-12T09:00", "2024-02-12T10:00", FbType::Busy),
            ]
        );
        // The cancelled override alone: nothing that week, in either slot.
        assert_eq!(
            busy(&bodies, "2024-01-29T00:00", "2024-02-05T00:00"),
            vec![]
        );
    }

    #[test]
    fn all_day_events_count_as_utc_days() {
        let bodies = [calendar(&vevent(
            "d",
            "DTSTART;VALUE=DATE:20240115\r\nDTEND;VALUE=DATE:20240117\r\n",
        ))];
        assert_eq!(
            busy(&bodies, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![period("2024-01-15T00:00", "2024-01-17T00:00", FbType::Busy)]
        );
        // No DTEND: one day.
        let bodies = [calendar(&vevent("d", "DTSTART;VALUE=DATE:20240115\r\n"))];
        assert_eq!(
            busy(&bodies, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![period("2024-01-15T00:00", "2024-01-16T00:00", FbType::Busy)]
        );
    }

    #[test]
    fn periods_are_clipped_to_the_range() {
        let bodies = [
            calendar(&vevent(
                "a",
                "DTSTART:20240114T220000Z\r\nDTEND:20240115T020000Z\r\n",
            )),
            calendar(&vevent(
                "b",
                "DTSTART:20240115T230000Z\r\nDTEND:20240116T010000Z\r\n",
            )),
            // Ends exactly at the range start, starts exactly at its end.
            calendar(&vevent(
                "c",
                "DTSTART:20240114T230000Z\r\nDTEND:20240115T000000Z\r\n",
            )),
            calendar(&vevent(
                "d",
                "DTSTART:20240116T000000Z\r\nDTEND:20240116T010000Z\r\n",
            )),
        ];
        assert_eq!(
            busy(&bodies, "2024-01-15T00:00", "2024-01-16T00:00"),
            vec![
                period("2024-01-15T00:00", "2024-01-15T02:00", FbType::Busy),
                period("2024-01-15T23:00", "2024-01-16T00:00", FbType::Busy),
            ]
        );
        // An empty or inverted range has no busy time.
        assert_eq!(
            busy(&bodies, "2024-01-15T01:00", "2024-01-15T01:00"),
            vec![]
        );
        assert_eq!(
            busy(&bodies, "2024-01-16T00:00", "2024-01-15T00:00"),
            vec![]
        );
    }

    #[test]
    fn vfreebusy_components_contribute_their_busy_periods() {
        let body = calendar(
            "BEGIN:VFREEBUSY\r\nUID:f\r\nDTSTAMP:20240101T000000Z\r\n\
             DTSTART:20240115T000000Z\r\nDTEND:20240116T000000Z\r\n\
             FREEBUSY:20240115T080000Z/20240115T090000Z,20240115T100000Z/PT30M\r\n\
             FREEBUSY;FBTYPE=FREE:20240115T120000Z/20240115T130000Z\r\n\
             FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20240115T140000Z/20240115T150000Z\r\n\
             FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240115T160000Z/PT1H\r\n\
             END:VFREEBUSY\r\n",
        );
        assert_eq!(
            busy(&[body], "2024-01-15T00:00", "2024-01-16T00:00"),
            vec![
                period("2024-01-15T08:00", "2024-01-15T09:00", FbType::Busy),
                period("2024-01-15T10:00", "2024-01-15T10:30", FbType::Busy),
                period(
                    "2024-01-15T14:00",
                    "2024-01-15T15:00",
                    FbType::BusyUnavailable
                ),
                period(
                    "2024-01-15T16:00",
                    "2024-01-15T17:00",
                    FbType::BusyTentative
                ),
            ]
        );
    }

    #[test]
    fn todos_and_garbage_contribute_nothing() {
        let bodies = [
            calendar(
                "BEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20240101T000000Z\r\n\
                 DTSTART:20240115T090000Z\r\nDUE:20240115T100000Z\r\nEND:VTODO\r\n",
            ),
            b"\xff\xfe not a calendar".to_vec(),
            Vec::new(),
        ];
        assert_eq!(
            busy(&bodies, "2024-01-15T00:00", "2024-01-16T00:00"),
            vec![]
        );
    }

    #[test]
    fn vfreebusy_rendering() {
        let periods = [
            period("2024-01-15T09:00", "2024-01-15T11:00", FbType::Busy),
            period(
                "2024-01-15T09:45",
                "2024-01-15T11:15",
                FbType::BusyTentative,
            ),
        ];
        let text = vfreebusy(
            &periods,
            at("2024-01-15T00:00"),
            at("2024-01-16T00:00"),
            at("2024-01-10T12:00"),
        );
        let start = at("2024-01-15T00:00");
        let end = at("2024-01-16T00:00");
        let stamp = at("2024-01-10T12:00");
        assert_eq!(
            text,
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//EN\r\nBEGIN:VFREEBUSY\r\n\
                 UID:freebusy-{start}-{end}-{stamp}@davsuite\r\n\
                 DTSTAMP:20240110T120000Z\r\nDTSTART:20240115T000000Z\r\n\
                 DTEND:20240116T000000Z\r\n\
                 FREEBUSY;FBTYPE=BUSY:20240115T090000Z/20240115T110000Z\r\n\
                 FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240115T094500Z/20240115T111500Z\r\n\
                 END:VFREEBUSY\r\nEND:VCALENDAR\r\n"
            )
        );
        // calcard reads it back as one VFREEBUSY with the same periods.
        let back = busy_periods([], std::iter::once((text.as_bytes(), None)), start, end);
        assert_eq!(back, periods.to_vec());
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let mut out = String::new();
        let line = format!("X-LONG:{}é{}", "a".repeat(66), "b".repeat(100));
        fold_into(&mut out, &line);
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 2);
        assert!(physical.iter().all(|l| l.len() <= 75), "{physical:?}");
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, line);
    }
}
