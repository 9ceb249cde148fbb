//! Evaluation of the rules of a VTIMEZONE (RFC 5545 §3.6.5), for a TZID no name-based
//! resolution knows (`custom_America/New_York`, `My Office Time`).
//!
//! A TZID is resolved first by name, with calcard's `TzResolver` (IANA names, Windows names,
//! `/mozilla.org/...` prefixes, the VTIMEZONE's `X-LIC-LOCATION` / `X-MICROSOFT-CDO-TZID`):
//! a known name wins over the rules of an embedded VTIMEZONE of the same name, so the
//! results of existing objects stay as they were. Only when no name matches are the
//! VTIMEZONE's STANDARD and DAYLIGHT observances evaluated ([`VTimezone`]); when those
//! cannot be evaluated either the TZID falls back to the caller's default (UTC).
//!
//! Evaluation: every observance has onsets (its DTSTART, the dates its RRULE generates up to
//! UNTIL or COUNT, its RDATEs), each a local time read with the observance's TZOFFSETFROM;
//! at an instant the offset in effect is the TZOFFSETTO of the latest onset at or before it,
//! and before the first onset the TZOFFSETFROM of that first onset. A local time in a gap
//! moves on by the gap's length (RFC 5545 §3.3.5), an ambiguous one takes the first (earlier)
//! instant. Observance rules are evaluated for `FREQ=YEARLY` with `INTERVAL`, `BYMONTH`,
//! `BYDAY` (`-1SU`, `2SU`, or a plain weekday with `BYMONTHDAY`), `BYMONTHDAY`, `UNTIL` and
//! `COUNT`, which is what time zone definitions use; a VTIMEZONE with any other rule, or
//! with an observance lacking DTSTART, TZOFFSETFROM or TZOFFSETTO, is not evaluated.

use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::timezone::TzResolver;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarFrequency, ICalendarPeriod,
    ICalendarProperty, ICalendarRecurrenceRule, ICalendarValue, ICalendarWeekday,
};
use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Weekday,
};
use std::collections::HashMap;

/// Whether `tzid` resolves by its name alone (IANA, Windows and `/mozilla.org/` names): then
/// the rules of an embedded VTIMEZONE of that name change no time ([`Zones::resolve`]).
pub(super) fn known_by_name(tzid: &str) -> bool {
    tzid.parse::<Tz>().is_ok_and(|tz| !tz.is_floating())
}

/// Most years searched back for the latest onset of one rule.
const YEAR_SEARCH: i32 = 400;

/// Most onsets a `COUNT` rule is expanded to.
const COUNT_LIMIT: u32 = 1000;

/// The evaluated rules of one VTIMEZONE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VTimezone {
    /// The STANDARD and DAYLIGHT sub-components; never empty.
    observances: Vec<Observance>,
    /// Every offset an observance names, for reading local times.
    offsets: Vec<i32>,
}

/// One STANDARD or DAYLIGHT sub-component.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observance {
    /// DTSTART, local time (in the offset before the onset).
    start: NaiveDateTime,
    /// TZOFFSETFROM, seconds east of UTC.
    from: i32,
    /// TZOFFSETTO, seconds east of UTC.
    to: i32,
    /// The yearly rule, if any.
    rule: Option<YearlyRule>,
    /// RDATE onsets, local time.
    rdates: Vec<NaiveDateTime>,
}

/// A `FREQ=YEARLY` observance rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearlyRule {
    /// Years between onsets.
    interval: i32,
    /// Months of the onsets (1-12).
    months: Vec<u32>,
    /// BYDAY: ordinal in the month (`None`: every such weekday) and weekday.
    days: Vec<(Option<i16>, Weekday)>,
    /// BYMONTHDAY (negative counts from the month's end).
    monthdays: Vec<i8>,
    /// Last onset allowed.
    until: Option<Limit>,
}

/// Where a rule's onsets end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// UNTIL in UTC: onsets at or before this instant.
    Utc(i64),
    /// UNTIL as a local date-time, or the last onset of a COUNT: onsets at or before it.
    Local(NaiveDateTime),
}

impl VTimezone {
    /// Reads the observances of a VTIMEZONE component of `ical`; `None` when it has none or
    /// one that cannot be evaluated (see the module documentation).
    #[must_use]
    pub fn from_component(ical: &ICalendar, tz: &ICalendarComponent) -> Option<VTimezone> {
        let mut observances = Vec::new();
        for id in &tz.component_ids {
            let comp = ical.components.get(usize::try_from(*id).ok()?)?;
            if matches!(
                comp.component_type,
                ICalendarComponentType::Standard | ICalendarComponentType::Daylight
            ) {
                observances.push(Observance::read(comp)?);
            }
        }
        if observances.is_empty() {
            return None;
        }
        let mut offsets: Vec<i32> = observances.iter().flat_map(|o| [o.from, o.to]).collect();
        offsets.sort_unstable();
        offsets.dedup();
        Some(VTimezone {
            observances,
            offsets,
        })
    }

    /// The offset (seconds east of UTC) in effect at Unix seconds `ts`.
    #[must_use]
    pub fn offset_at_utc(&self, ts: i64) -> i32 {
        let latest = self
            .observances
            .iter()
            .filter_map(|o| o.latest_onset(ts).map(|at| (at, o.to)))
            .max_by_key(|(at, _)| *at);
        match latest {
            Some((_, to)) => to,
            // Before every onset: the offset the first one changes from.
            None => self
                .observances
                .iter()
                .min_by_key(|o| o.start_utc())
                .map_or(0, |o| o.from),
        }
    }

    /// The offset to subtract from the local time `local` to get its instant: for a time in
    /// a gap the offset before the gap (the time moves on by the gap's length), for an
    /// ambiguous one the larger offset (the first instant).
    #[must_use]
    pub fn offset_at_local(&self, local: NaiveDateTime) -> i32 {
        let naive = local.and_utc().timestamp();
        let fits =
            |offset: i32| self.offset_at_utc(naive.saturating_sub(i64::from(offset))) == offset;
        // `offsets` is ascending: the last fitting offset gives the earliest instant.
        if let Some(offset) = self.offsets.iter().rev().copied().find(|o| fits(*o)) {
            return offset;
        }
        // In a gap: the offset in effect just before it.
        let widest = self.offsets.last().copied().unwrap_or(0);
        self.offset_at_utc(naive.saturating_sub(i64::from(widest)))
    }

    /// Unix seconds of a local time (gap and overlap as in [`Self::offset_at_local`]).
    #[must_use]
    pub fn instant(&self, local: NaiveDateTime) -> i64 {
        local
            .and_utc()
            .timestamp()
            .saturating_sub(i64::from(self.offset_at_local(local)))
    }

    /// The local time at Unix seconds `ts`.
    #[must_use]
    pub fn local_at(&self, ts: i64) -> Option<NaiveDateTime> {
        let local = ts.checked_add(i64::from(self.offset_at_utc(ts)))?;
        DateTime::from_timestamp(local, 0).map(|at| at.naive_utc())
    }
}

impl Observance {
    /// Reads one STANDARD or DAYLIGHT component.
    fn read(comp: &ICalendarComponent) -> Option<Observance> {
        let from = utc_offset(comp, &ICalendarProperty::Tzoffsetfrom)?;
        let to = utc_offset(comp, &ICalendarProperty::Tzoffsetto)?;
        let start = match comp.property(&ICalendarProperty::Dtstart)?.values.first()? {
            ICalendarValue::PartialDateTime(dt) => local_of(dt, from)?,
            _ => return None,
        };
        let mut rules = comp.properties(&ICalendarProperty::Rrule);
        let rule = match rules.next() {
            None => None,
            Some(entry) => match entry.values.first() {
                Some(ICalendarValue::RecurrenceRule(rule)) => Some(YearlyRule::read(rule, start)?),
                _ => return None,
            },
        };
        if rules.next().is_some() {
            return None;
        }
        let mut rdates = Vec::new();
        for entry in comp.properties(&ICalendarProperty::Rdate) {
            for value in &entry.values {
                let at = match value {
                    ICalendarValue::PartialDateTime(dt) => local_of(dt, from)?,
                    ICalendarValue::Period(
                        ICalendarPeriod::Range { start, .. }
                        | ICalendarPeriod::Duration { start, .. },
                    ) => local_of(start, from)?,
                    _ => return None,
                };
                rdates.push(at);
            }
        }
        Some(Observance {
            start,
            from,
            to,
            rule,
            rdates,
        })
    }

    /// Unix seconds of an onset written in local time.
    fn utc(&self, local: NaiveDateTime) -> i64 {
        local
            .and_utc()
            .timestamp()
            .saturating_sub(i64::from(self.from))
    }

    /// Unix seconds of DTSTART.
    fn start_utc(&self) -> i64 {
        self.utc(self.start)
    }

    /// The latest onset at or before `ts` (Unix seconds), if any.
    fn latest_onset(&self, ts: i64) -> Option<i64> {
        let fixed = std::iter::once(self.start)
            .chain(self.rdates.iter().copied())
            .map(|local| self.utc(local))
            .filter(|at| *at <= ts)
            .max();
        let ruled = self.rule.as_ref().and_then(|rule| rule.latest(self, ts));
        fixed.max(ruled)
    }
}

impl YearlyRule {
    /// Reads an observance rule; `None` for anything but the yearly forms of the module
    /// documentation.
    fn read(rule: &ICalendarRecurrenceRule, start: NaiveDateTime) -> Option<YearlyRule> {
        let unsupported = rule.freq != ICalendarFrequency::Yearly
            || !rule.bysecond.is_empty()
            || !rule.byminute.is_empty()
            || !rule.byhour.is_empty()
            || !rule.byyearday.is_empty()
            || !rule.byweekno.is_empty()
            || !rule.bysetpos.is_empty()
            || rule.rscale.is_some()
            || rule.bymonth.iter().any(|m| m.is_leap())
            || (rule.bymonth.is_empty() && rule.byday.iter().any(|d| d.ordwk.is_some()));
        if unsupported {
            return None;
        }
        let months: Vec<u32> = if rule.bymonth.is_empty() {
            vec![start.month()]
        } else {
            rule.bymonth.iter().map(|m| u32::from(m.month())).collect()
        };
        if months.iter().any(|m| !(1..=12).contains(m)) {
            return None;
        }
        let mut yearly = YearlyRule {
            interval: i32::from(rule.interval.unwrap_or(1).max(1)),
            months,
            days: rule
                .byday
                .iter()
                .map(|d| (d.ordwk, weekday(d.weekday)))
                .collect(),
            monthdays: rule.bymonthday.clone(),
            until: None,
        };
        yearly.until = match (&rule.until, rule.count) {
            (Some(until), _) => {
                let value = until.to_date_time()?;
                Some(match value.offset {
                    Some(offset) if until.has_time() => Limit::Utc(
                        value
                            .date_time
                            .and_utc()
                            .timestamp()
                            .saturating_sub(i64::from(offset.local_minus_utc())),
                    ),
                    _ if !until.has_time() => {
                        Limit::Local(value.date_time.date().and_hms_opt(23, 59, 59)?)
                    }
                    _ => Limit::Local(value.date_time),
                })
            }
            (None, Some(count)) => Some(Limit::Local(yearly.nth_onset(start, count)?)),
            (None, None) => None,
        };
        Some(yearly)
    }

    /// The local onset number `count` (1-based, DTSTART not counted unless generated) of the
    /// rule, for COUNT.
    fn nth_onset(&self, start: NaiveDateTime, count: u32) -> Option<NaiveDateTime> {
        if count == 0 || count > COUNT_LIMIT {
            return None;
        }
        let mut seen = 0;
        let mut year = start.year();
        let last_year = start.year().checked_add(
            i32::try_from(count)
                .ok()?
                .checked_mul(self.interval)?
                .checked_mul(4)?,
        )?;
        while year <= last_year {
            for at in self.onsets_in(year, start) {
                if at >= start {
                    seen += 1;
                    if seen == count {
                        return Some(at);
                    }
                }
            }
            year = year.checked_add(self.interval)?;
        }
        None
    }

    /// The local onsets the rule generates in `year` (at DTSTART's time of day), ascending,
    /// ignoring DTSTART and the end of the rule.
    fn onsets_in(&self, year: i32, start: NaiveDateTime) -> Vec<NaiveDateTime> {
        let mut found = Vec::new();
        for &month in &self.months {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            let length = days_in_month(first);
            let mut days: Vec<u32> = if self.days.is_empty() {
                if self.monthdays.is_empty() {
                    vec![start.day()]
                } else {
                    (1..=length).collect()
                }
            } else {
                self.days
                    .iter()
                    .flat_map(|&(ordwk, wd)| weekdays_in(first, length, ordwk, wd))
                    .collect()
            };
            if !self.monthdays.is_empty() {
                days.retain(|day| {
                    self.monthdays.iter().any(|&md| {
                        let md = i64::from(md);
                        let day = i64::from(*day);
                        md == day || (md < 0 && i64::from(length) + 1 + md == day)
                    })
                });
            }
            for day in days {
                if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                    found.push(date.and_time(start.time()));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The latest onset of the rule at or before `ts` (Unix seconds), from DTSTART on.
    fn latest(&self, o: &Observance, ts: i64) -> Option<i64> {
        let start_year = o.start.year();
        let ts_year = DateTime::from_timestamp(ts, 0)
            .map_or(i32::MAX, |at| at.year())
            .saturating_add(1);
        let limit_year = match self.until {
            None => i32::MAX,
            Some(Limit::Local(at)) => at.year(),
            Some(Limit::Utc(at)) => DateTime::from_timestamp(at, 0)
                .map_or(i32::MAX, |at| at.year())
                .saturating_add(1),
        };
        let high = ts_year.min(limit_year);
        if high < start_year {
            return None;
        }
        let low = start_year.max(high.saturating_sub(YEAR_SEARCH));
        let mut year = high;
        while year >= low {
            if (year - start_year) % self.interval == 0 {
                let best = self
                    .onsets_in(year, o.start)
                    .into_iter()
                    .filter(|at| *at >= o.start)
                    .filter(|at| match self.until {
                        None => true,
                        Some(Limit::Local(until)) => *at <= until,
                        Some(Limit::Utc(until)) => o.utc(*at) <= until,
                    })
                    .map(|at| o.utc(at))
                    .filter(|at| *at <= ts)
                    .max();
                if best.is_some() {
                    return best;
                }
            }
            year -= 1;
        }
        None
    }
}

/// The days of `first`'s month (of `length` days) falling on `wd`: the `ordwk`-th one
/// (negative: from the end), or all when `ordwk` is `None`.
fn weekdays_in(first: NaiveDate, length: u32, ordwk: Option<i16>, wd: Weekday) -> Vec<u32> {
    let offset = (7 + wd.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let all: Vec<u32> = (1 + offset..=length).step_by(7).collect();
    match ordwk {
        None => all,
        Some(n) if n > 0 => all
            .get(usize::try_from(n - 1).unwrap_or(usize::MAX))
            .copied()
            .into_iter()
            .collect(),
        Some(n) if n < 0 => usize::try_from(-i32::from(n))
            .ok()
            .and_then(|back| all.len().checked_sub(back))
            .and_then(|i| all.get(i))
            .copied()
            .into_iter()
            .collect(),
        Some(_) => Vec::new(),
    }
}

/// Days in the month starting at `first`.
fn days_in_month(first: NaiveDate) -> u32 {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .map_or(28, |last| last.day())
}

/// chrono's weekday of an iCalendar weekday.
fn weekday(day: ICalendarWeekday) -> Weekday {
    match day {
        ICalendarWeekday::Monday => Weekday::Mon,
        ICalendarWeekday::Tuesday => Weekday::Tue,
        ICalendarWeekday::Wednesday => Weekday::Wed,
        ICalendarWeekday::Thursday => Weekday::Thu,
        ICalendarWeekday::Friday => Weekday::Fri,
        ICalendarWeekday::Saturday => Weekday::Sat,
        ICalendarWeekday::Sunday => Weekday::Sun,
    }
}

/// A UTC-OFFSET property in seconds east of UTC.
fn utc_offset(comp: &ICalendarComponent, prop: &ICalendarProperty) -> Option<i32> {
    match comp.property(prop)?.values.first()? {
        ICalendarValue::PartialDateTime(offset) => {
            let hours = offset.tz_hour?;
            let seconds =
                i32::from(hours) * 3600 + i32::from(offset.tz_minute.unwrap_or_default()) * 60;
            (seconds < 24 * 3600).then_some(if offset.tz_minus { -seconds } else { seconds })
        }
        _ => None,
    }
}

/// The local time of an observance date (a UTC value is moved by the offset before the
/// onset, a DATE is read at midnight).
fn local_of(dt: &PartialDateTime, from: i32) -> Option<NaiveDateTime> {
    let value = dt.to_date_time()?;
    match value.offset {
        Some(offset) if dt.has_time() => value.date_time.checked_add_signed(TimeDelta::seconds(
            i64::from(from) - i64::from(offset.local_minus_utc()),
        )),
        _ => Some(value.date_time),
    }
}

/// A resolved zone: one calcard knows by name, or the evaluated rules of a VTIMEZONE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneRef<'a> {
    /// A zone resolved by name (or a fixed offset / UTC).
    Known(Tz),
    /// The rules of the object's own VTIMEZONE.
    Custom(&'a VTimezone),
}

impl ZoneRef<'_> {
    /// Unix seconds of a local time. A time in a DST gap moves on (one hour for a named
    /// zone, as before; the gap's length for a VTIMEZONE), an ambiguous time takes the
    /// earlier instant.
    #[must_use]
    pub fn instant(self, local: NaiveDateTime) -> i64 {
        match self {
            ZoneRef::Known(zone) => match zone.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.timestamp(),
                LocalResult::None => local
                    .checked_add_signed(TimeDelta::hours(1))
                    .and_then(|later| zone.from_local_datetime(&later).earliest())
                    .map_or_else(|| local.and_utc().timestamp(), |at| at.timestamp()),
            },
            ZoneRef::Custom(rules) => rules.instant(local),
        }
    }

    /// The local time at Unix seconds `ts`.
    #[must_use]
    pub fn local_at(self, ts: i64) -> Option<NaiveDateTime> {
        match self {
            ZoneRef::Known(zone) => zone
                .timestamp_opt(ts, 0)
                .single()
                .map(|at| at.naive_local()),
            ZoneRef::Custom(rules) => rules.local_at(ts),
        }
    }
}

/// TZID resolution for one calendar object: by name first (calcard's `TzResolver`), then
/// by the rules of the object's VTIMEZONE with that TZID, then the default.
pub struct Zones<'a> {
    /// Name-based resolution.
    names: TzResolver<&'a str>,
    /// Evaluated VTIMEZONEs whose TZID no name resolves.
    custom: HashMap<&'a str, VTimezone>,
    /// The zone of an unknown TZID.
    default: Tz,
}

impl std::fmt::Debug for Zones<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zones")
            .field("custom", &self.custom)
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

impl<'a> Zones<'a> {
    /// The zones of `ical`'s VTIMEZONEs; an unknown TZID resolves to `default`.
    #[must_use]
    pub fn new(ical: &'a ICalendar, default: Tz) -> Zones<'a> {
        let names = ical.build_tz_resolver().with_default(default);
        let mut custom = HashMap::new();
        for tz in ical.timezones() {
            let Some(ICalendarValue::Text(name)) = tz
                .property(&ICalendarProperty::Tzid)
                .and_then(|entry| entry.values.first())
            else {
                continue;
            };
            if names.resolve(name).is_some() || custom.contains_key(name.as_str()) {
                continue;
            }
            if let Some(rules) = VTimezone::from_component(ical, tz) {
                custom.insert(name.as_str(), rules);
            }
        }
        Zones {
            names,
            custom,
            default,
        }
    }

    /// The zone a TZID names, `None` when neither a name nor a VTIMEZONE resolves it.
    #[must_use]
    pub fn resolve(&self, tzid: &str) -> Option<ZoneRef<'_>> {
        self.names
            .resolve(tzid)
            .filter(|tz| !tz.is_floating())
            .map(ZoneRef::Known)
            .or_else(|| self.custom.get(tzid).map(ZoneRef::Custom))
    }

    /// The zone a TZID names, the default for none or an unknown one.
    #[must_use]
    pub fn resolve_or_default(&self, tzid: Option<&str>) -> ZoneRef<'_> {
        tzid.and_then(|tzid| self.resolve(tzid))
            .unwrap_or(ZoneRef::Known(self.default))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::recur::{self, parse};
    use crate::ical::span::object_span;

    /// The fixture with the full historic US Eastern rules under a custom TZID.
    const NEW_YORK: &str = include_str!("../../fixtures/ical/custom-tzid-america-new-york.ics");

    /// US Eastern rules since 2007 under a made-up name (hand-written).
    const OFFICE_US: &str = "BEGIN:VTIMEZONE\r\nTZID:My Office Time\r\n\
        BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n\
        TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n\
        BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n\
        TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

    /// A calendar holding `vtimezone` and `event` lines.
    fn calendar(vtimezone: &str, event: &str) -> ICalendar {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{vtimezone}{event}END:VCALENDAR\r\n"
        );
        parse(text.as_bytes()).expect("parses")
    }

    /// A simple event in zone `tzid`.
    fn event(tzid: &str, start: &str, extra: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID={tzid}:{start}\r\n\
             DURATION:PT1H\r\n{extra}END:VEVENT\r\n"
        )
    }

    /// The VEVENT of a calendar.
    fn first_event(ical: &ICalendar) -> &ICalendarComponent {
        ical.components
            .iter()
            .find(|c| c.component_type == ICalendarComponentType::VEvent)
            .expect("a VEVENT")
    }

    /// A local time written `YYYY-MM-DDTHH:MM`.
    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").expect("date")
    }

    /// Unix seconds of a UTC time written `YYYY-MM-DDTHH:MM`.
    fn utc(text: &str) -> i64 {
        local(text).and_utc().timestamp()
    }

    /// Unix seconds of local `at` in zone `tzid` of `ical`.
    fn instant_in(ical: &ICalendar, tzid: &str, at: &str) -> i64 {
        Zones::new(ical, Tz::UTC)
            .resolve_or_default(Some(tzid))
            .instant(local(at))
    }

    #[test]
    fn fixture_custom_new_york_summer_and_winter() {
        let ical = parse(NEW_YORK.as_bytes()).expect("parses");
        let zones = Zones::new(&ical, Tz::UTC);
        assert!(matches!(
            zones.resolve("custom_America/New_York"),
            Some(ZoneRef::Custom(_))
        ));
        let tzid = "custom_America/New_York";
        assert_eq!(
            instant_in(&ical, tzid, "2014-07-15T09:00"),
            utc("2014-07-15T13:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2014-01-15T09:00"),
            utc("2014-01-15T14:00")
        );
        // Old rules: last Sunday of April (1980-04-27), first Sunday of April (1990-04-01),
        // the 1974 onset without RRULE and the 1975 RDATE (1975-02-23).
        assert_eq!(
            instant_in(&ical, tzid, "1980-04-26T12:00"),
            utc("1980-04-26T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1980-04-28T12:00"),
            utc("1980-04-28T16:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1990-03-31T12:00"),
            utc("1990-03-31T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1990-04-02T12:00"),
            utc("1990-04-02T16:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1974-01-10T12:00"),
            utc("1974-01-10T16:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1975-02-20T12:00"),
            utc("1975-02-20T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "1975-03-01T12:00"),
            utc("1975-03-01T16:00")
        );
    }

    #[test]
    fn fixture_custom_new_york_agrees_with_iana_since_1968() {
        let ical = parse(NEW_YORK.as_bytes()).expect("parses");
        let zones = Zones::new(&ical, Tz::UTC);
        let Some(ZoneRef::Custom(rules)) = zones.resolve("custom_America/New_York") else {
            panic!("custom rules expected");
        };
        let iana = chrono_tz::America::New_York;
        let mut ts = utc("1968-01-01T00:00");
        while ts < utc("2040-01-01T00:00") {
            let expected = iana
                .offset_from_utc_datetime(&DateTime::from_timestamp(ts, 0).unwrap().naive_utc());
            let expected = chrono::Offset::fix(&expected).local_minus_utc();
            assert_eq!(rules.offset_at_utc(ts), expected, "at {ts}");
            let wall = rules.local_at(ts).unwrap();
            if let LocalResult::Single(at) = iana.from_local_datetime(&wall) {
                assert_eq!(rules.instant(wall), at.timestamp(), "local {wall}");
            }
            ts += 23 * 3600 + 17 * 60;
        }
    }

    #[test]
    fn office_time_fixed_offset_without_dst() {
        let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Office Time\r\nBEGIN:STANDARD\r\n\
            DTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n\
            TZNAME:OT\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(vtimezone, &event("Office Time", "20240115T090000", ""));
        assert_eq!(
            instant_in(&ical, "Office Time", "2024-01-15T09:00"),
            utc("2024-01-15T03:30")
        );
        assert_eq!(
            instant_in(&ical, "Office Time", "2024-07-15T09:00"),
            utc("2024-07-15T03:30")
        );
        // Before the only onset: its TZOFFSETFROM.
        assert_eq!(
            instant_in(&ical, "Office Time", "1960-07-15T09:00"),
            utc("1960-07-15T03:30")
        );
        let zones = Zones::new(&ical, Tz::UTC);
        let zone = zones.resolve("Office Time").unwrap();
        assert_eq!(
            zone.local_at(utc("2024-01-15T03:30")),
            Some(local("2024-01-15T09:00"))
        );
        let span = object_span(&ical, &[first_event(&ical)]);
        assert_eq!(span.start, Some(utc("2024-01-15T03:30")));
        assert_eq!(span.end, Some(utc("2024-01-15T04:30")));
    }

    #[test]
    fn old_and_new_dst_rules_picked_by_date() {
        // Hand-written: DST from the first Sunday of April until 2006, from the second
        // Sunday of March since 2007; standard time from the last Sunday of October until
        // 2006, from the first Sunday of November since 2007.
        let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Old New Time\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:19870405T020000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z\r\n\
            TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n\
            BEGIN:STANDARD\r\nDTSTART:19671029T020000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z\r\n\
            TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n\
            TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n\
            BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n\
            TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(vtimezone, &event("Old New Time", "20050320T120000", ""));
        let tzid = "Old New Time";
        // 2005-03-20: old rule, still standard time; 2008-03-20: new rule, daylight time.
        assert_eq!(
            instant_in(&ical, tzid, "2005-03-20T12:00"),
            utc("2005-03-20T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2008-03-20T12:00"),
            utc("2008-03-20T16:00")
        );
        // 2005-04-03 (first Sunday of April) is daylight under the old rule.
        assert_eq!(
            instant_in(&ical, tzid, "2005-04-03T12:00"),
            utc("2005-04-03T16:00")
        );
        // 2005-10-31: the old rule ended standard time on 2005-10-30; 2008-10-31 is
        // daylight until 2008-11-02.
        assert_eq!(
            instant_in(&ical, tzid, "2005-10-31T12:00"),
            utc("2005-10-31T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2008-10-31T12:00"),
            utc("2008-10-31T16:00")
        );
    }

    #[test]
    fn rule_ending_with_until_stops() {
        // Hand-written: DST only until 2010; standard time afterwards.
        let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Ended Time\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:20000326T020000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20100328T010000Z\r\n\
            TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n\
            BEGIN:STANDARD\r\nDTSTART:20001029T030000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;COUNT=11\r\n\
            TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(vtimezone, &event("Ended Time", "20090701T120000", ""));
        let tzid = "Ended Time";
        assert_eq!(
            instant_in(&ical, tzid, "2009-07-01T12:00"),
            utc("2009-07-01T10:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2010-07-01T12:00"),
            utc("2010-07-01T10:00")
        );
        // 2011: no DST onset any more, the last STANDARD onset (COUNT=11: 2010-10-31) holds.
        assert_eq!(
            instant_in(&ical, tzid, "2011-07-01T12:00"),
            utc("2011-07-01T11:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2030-07-01T12:00"),
            utc("2030-07-01T11:00")
        );
    }

    #[test]
    fn weekly_event_keeps_wall_clock_across_custom_dst_change() {
        let ical_text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{OFFICE_US}{}END:VCALENDAR\r\n",
            event(
                "My Office Time",
                "20240226T090000",
                "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
            )
        );
        let found = recur::instances(
            ical_text.as_bytes(),
            utc("2024-01-01T00:00"),
            utc("2025-01-01T00:00"),
            100,
            None,
        );
        let starts: Vec<i64> = found.iter().map(|i| i.start).collect();
        assert_eq!(
            starts,
            vec![
                utc("2024-02-26T14:00"),
                utc("2024-03-04T14:00"),
                utc("2024-03-11T13:00"),
                utc("2024-03-18T13:00"),
            ]
        );
        assert!(found.iter().all(|i| i.end - i.start == 3600));
        // The index span: the last instance (COUNT) ends 2024-03-18T14:00Z.
        let ical = parse(ical_text.as_bytes()).unwrap();
        let span = object_span(&ical, &[first_event(&ical)]);
        assert_eq!(span.start, Some(utc("2024-02-26T14:00")));
        assert_eq!(span.end, Some(utc("2024-03-18T14:00")));
        // And a time-range query in the custom zone's summer hours.
        assert!(recur::overlaps(
            ical_text.as_bytes(),
            Some(utc("2024-03-18T13:30")),
            Some(utc("2024-03-18T13:45")),
            None
        ));
        assert!(!recur::overlaps(
            ical_text.as_bytes(),
            Some(utc("2024-03-18T14:00")),
            Some(utc("2024-03-18T15:00")),
            None
        ));
    }

    #[test]
    fn expand_writes_custom_zone_instances_in_utc() {
        use crate::ical::calendar_data::{Shape, calendar_data};
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{OFFICE_US}{}END:VCALENDAR\r\n",
            event(
                "My Office Time",
                "20240304T090000",
                "RRULE:FREQ=WEEKLY;COUNT=2\r\n"
            )
        );
        let shape = Shape {
            expand: Some((utc("2024-01-01T00:00"), utc("2025-01-01T00:00"))),
            ..Shape::default()
        };
        let out = String::from_utf8(calendar_data(body.as_bytes(), &shape).into_owned()).unwrap();
        assert!(out.contains("DTSTART:20240304T140000Z"), "{out}");
        assert!(out.contains("DTSTART:20240311T130000Z"), "{out}");
        assert!(out.contains("RECURRENCE-ID:20240311T130000Z"), "{out}");
    }

    #[test]
    fn gap_moves_on_by_its_length_and_overlap_takes_first() {
        let ical = calendar(OFFICE_US, &event("My Office Time", "20240310T023000", ""));
        let tzid = "My Office Time";
        // 02:30 on 2024-03-10 does not exist: 03:30 EDT.
        assert_eq!(
            instant_in(&ical, tzid, "2024-03-10T02:30"),
            utc("2024-03-10T07:30")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-03-10T03:00"),
            utc("2024-03-10T07:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-03-10T01:59"),
            utc("2024-03-10T06:59")
        );
        // 01:30 on 2024-11-03 happens twice: the first (EDT) one.
        assert_eq!(
            instant_in(&ical, tzid, "2024-11-03T01:30"),
            utc("2024-11-03T05:30")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-11-03T02:00"),
            utc("2024-11-03T07:00")
        );

        // A 30-minute DST change (Lord Howe Island's rules, hand-written under a made-up
        // name): 02:10 in the gap moves on 30 minutes, to 02:40 at +11:00.
        let half = "BEGIN:VTIMEZONE\r\nTZID:Half Hour Time\r\n\
            BEGIN:STANDARD\r\nDTSTART:20080406T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\n\
            TZOFFSETFROM:+1100\r\nTZOFFSETTO:+1030\r\nEND:STANDARD\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:20081005T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\n\
            TZOFFSETFROM:+1030\r\nTZOFFSETTO:+1100\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(half, &event("Half Hour Time", "20241006T021000", ""));
        let tzid = "Half Hour Time";
        assert_eq!(
            instant_in(&ical, tzid, "2024-10-06T02:10"),
            utc("2024-10-05T15:40")
        );
        // 01:45 on 2024-04-07 happens twice: the first one, at +11:00.
        assert_eq!(
            instant_in(&ical, tzid, "2024-04-07T01:45"),
            utc("2024-04-06T14:45")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-04-07T02:15"),
            utc("2024-04-06T15:45")
        );
    }

    #[test]
    fn incomplete_vtimezone_falls_back_to_utc() {
        let broken = "BEGIN:VTIMEZONE\r\nTZID:Broken Time\r\nBEGIN:STANDARD\r\n\
            DTSTART:19700101T000000\r\nTZOFFSETFROM:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(broken, &event("Broken Time", "20240115T090000", ""));
        assert_eq!(Zones::new(&ical, Tz::UTC).resolve("Broken Time"), None);
        assert_eq!(
            instant_in(&ical, "Broken Time", "2024-01-15T09:00"),
            utc("2024-01-15T09:00")
        );
        let span = object_span(&ical, &[first_event(&ical)]);
        assert_eq!(span.start, Some(utc("2024-01-15T09:00")));

        // No observance at all, and an unsupported rule: not evaluated either.
        let empty = "BEGIN:VTIMEZONE\r\nTZID:Empty Time\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(empty, &event("Empty Time", "20240115T090000", ""));
        assert_eq!(Zones::new(&ical, Tz::UTC).resolve("Empty Time"), None);
        let monthly = "BEGIN:VTIMEZONE\r\nTZID:Monthly Time\r\nBEGIN:STANDARD\r\n\
            DTSTART:19700101T000000\r\nRRULE:FREQ=MONTHLY\r\nTZOFFSETFROM:+0200\r\n\
            TZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(monthly, &event("Monthly Time", "20240115T090000", ""));
        assert_eq!(Zones::new(&ical, Tz::UTC).resolve("Monthly Time"), None);
        let body = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{broken}{}END:VCALENDAR\r\n",
            event(
                "Broken Time",
                "20240115T090000",
                "RRULE:FREQ=DAILY;COUNT=2\r\n"
            )
        );
        let found = recur::instances(body.as_bytes(), 0, i64::MAX, 10, None);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].start, utc("2024-01-15T09:00"));
    }

    #[test]
    fn known_name_wins_over_embedded_rules() {
        // A VTIMEZONE named Europe/Berlin with made-up rules: the IANA zone is used.
        let bogus = "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\n\
            DTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n\
            END:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(bogus, &event("Europe/Berlin", "20240115T090000", ""));
        let zones = Zones::new(&ical, Tz::UTC);
        assert!(matches!(
            zones.resolve("Europe/Berlin"),
            Some(ZoneRef::Known(_))
        ));
        assert_eq!(
            instant_in(&ical, "Europe/Berlin", "2024-01-15T09:00"),
            utc("2024-01-15T08:00")
        );
        assert_eq!(
            instant_in(&ical, "Europe/Berlin", "2024-07-15T09:00"),
            utc("2024-07-15T07:00")
        );
    }

    #[test]
    fn monthday_and_weekday_rule_form() {
        // Older spelling of "second Sunday of March": BYMONTHDAY=8..14 with BYDAY=SU.
        let vtimezone = "BEGIN:VTIMEZONE\r\nTZID:Monthday Time\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8,9,10,11,12,13,14;BYDAY=SU\r\n\
            TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n\
            BEGIN:STANDARD\r\nDTSTART:20071104T020000\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1,2,3,4,5,6,7;BYDAY=SU\r\n\
            TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let ical = calendar(vtimezone, &event("Monthday Time", "20240310T120000", ""));
        let tzid = "Monthday Time";
        assert_eq!(
            instant_in(&ical, tzid, "2024-03-09T12:00"),
            utc("2024-03-09T17:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-03-10T12:00"),
            utc("2024-03-10T16:00")
        );
        assert_eq!(
            instant_in(&ical, tzid, "2024-11-03T12:00"),
            utc("2024-11-03T17:00")
        );
    }
}
