//! Exact CalDAV time-range matching (RFC 4791 §9.9) and instance expansion, recurrences
//! included.
//!
//! The index span (`span`) is a superset that lets a query skip most objects; for the
//! candidates it leaves, [`overlaps`] decides whether an instance of the calendar object
//! resource really overlaps the queried range, and [`instances`] lists the instances that do
//! (for free-busy and `CALDAV:expand`). Both run the same walk over the object's occurrences
//! (`Ctx::walk_object`) and differ only in what they do with each one. The walk expands the
//! master's RRULE/RDATE minus EXDATE itself (calcard generates the rule's dates), and does the
//! override merge itself:
//! calcard pairs overrides with instances by (SEQUENCE, RECURRENCE-ID), which leaves a ghost
//! instance when an override carries a different SEQUENCE than the master (calcard#14).
//!
//! Conventions, shared with the index span:
//! * DATE values and floating DATE-TIMEs are read in the caller's floating [`Zone`] (RFC 4791
//!   §9.8: the query's `CALDAV:timezone`, else the calendar's `CALDAV:calendar-timezone`),
//!   UTC when it passes none. A DATE lasts from local midnight to the next local midnight, so
//!   an all-day instance across a DST change lasts 23 or 25 hours.
//! * A TZID is resolved with calcard's `TzResolver` (IANA names, Windows names, VTIMEZONE
//!   `X-LIC-LOCATION`), else with the rules of the object's VTIMEZONE of that TZID
//!   (`vtimezone`); one neither resolves is read as UTC. A local time in a DST gap moves one
//!   hour on (the gap's length under VTIMEZONE rules); an ambiguous one takes the first
//!   (daylight) instant. Rule instances are generated in local time, so a series keeps its
//!   wall-clock time across the zone's DST changes.
//! * A RECURRENCE-ID suppresses the instance that starts at the same UTC instant, whatever
//!   its TZID and SEQUENCE; the override is then matched in its own slot (its own
//!   DTSTART/DTEND). A RECURRENCE-ID, EXDATE, RDATE or DTEND without TZID or UTC designator
//!   is read in the zone of the master's DTSTART. A cancelled override (STATUS:CANCELLED)
//!   still occupies its slot, as RFC 4791 asks; free-busy has to leave it out on its own.
//! * An override without DTEND/DURATION (or DUE/DURATION for a VTODO) takes the master's
//!   length; one without DTSTART starts at its RECURRENCE-ID.
//! * An EXDATE with a DATE value on a DATE-TIME series removes every instance on that local
//!   date (what libical does); any other EXDATE removes the instance at the same instant.
//!
//! Conservative answers: whenever the answer cannot be computed the result is `true` (the
//! object is reported, as the index would have): unparsable bodies, a VEVENT without
//! DTSTART, non-Gregorian RSCALE or SKIP, an RRULE calcard rejects or stops expanding, more
//! than [`INSTANCE_CAP`] rule instances examined before passing the range, and any panic.
//! A RANGE=THISANDFUTURE override is matched in its slot, and every later instance is
//! matched on the hull of its original slot and its slot shifted like the override. A
//! DTSTART that the rule does not generate still counts as an instance, on top of COUNT.
//! VFREEBUSY and other component types always match: the index alone decides for them.
//!
//! [`instances`] has no conservative answer to fall back on: in the cases above it returns
//! the instances it could compute (none for an unparsable body or a VEVENT without DTSTART,
//! those found before the expansion stopped otherwise), and none for VFREEBUSY and other
//! component types. A THISANDFUTURE override moves every later instance by its own shift
//! and gives it its own length (exact seconds) and its component.

use super::vtimezone::{ZoneRef, Zones};
use calcard::common::timezone::Tz;
use calcard::common::{CalendarScale, PartialDateTime};
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarDay, ICalendarDuration,
    ICalendarEntry, ICalendarFrequency, ICalendarMonth, ICalendarParameterName, ICalendarPeriod,
    ICalendarProperty, ICalendarRecurrenceRule, ICalendarSkip, ICalendarValue, ICalendarWeekday,
};
use calcard::{Entry, Parser};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Weekday};
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Most rule instances examined per RRULE; past it without leaving the range the answer is
/// `true` (conservative). The search starts near the range (see `Recurrence::seek`), so the
/// cap only bites for rules that cannot be fast-forwarded (COUNT with irregular periods) or
/// ranges holding thousands of excluded instances.
pub const INSTANCE_CAP: usize = 3000;

/// Instances asked of calcard in the first round; each further round asks four times more.
const FIRST_CHUNK: usize = 16;

/// Seconds in a day (the length of an all-day instance).
const DAY: i64 = 86_400;

/// Seconds in an hour: the most a DST transition moves a local time.
const HOUR: i64 = 3_600;

/// Widest UTC offset in use (UTC+14): slack for a UTC UNTIL on a floating or DATE series.
const FLOATING_SLACK: i64 = 14 * HOUR;

/// Does any instance of the calendar object resource `body` overlap the CalDAV time-range
/// `[start, end)` (Unix seconds UTC; `None` is unbounded on that side)? The rules are those of
/// RFC 4791 §9.9 for VEVENT, VTODO and VJOURNAL, applied to every recurrence instance.
///
/// `body` is a calendar object resource that passed
/// [`validate_calendar_object`](super::validate_calendar_object) (one UID). Never panics and
/// never fails: when the answer cannot be computed it is `true`, because the index already
/// narrowed the candidates and reporting one object too many is harmless, while a missing
/// one makes a client lose an appointment (see the module documentation for the cases).
#[must_use]
///
/// `floating` is the zone DATE values and floating DATE-TIMEs are read in (`None`: UTC).
pub fn overlaps(body: &[u8], start: Option<i64>, end: Option<i64>, floating: Option<Zone>) -> bool {
    let window = Window { start, end };
    let floating = floating.unwrap_or_default();
    catch_unwind(|| matches_body(body, window, floating))
        .ok()
        .and_then(Result::ok)
        .unwrap_or(true)
}

/// One instance of a calendar object resource, as [`instances`] lists it: what free-busy
/// (RFC 4791 §7.10) and `CALDAV:expand` (§9.6.5) need to know about an occurrence without
/// parsing the object again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance {
    /// Start, Unix seconds UTC (for a VTODO, the start of the RFC 4791 §9.9 row it was
    /// matched with: DTSTART, or DUE when it has no DTSTART, or COMPLETED/CREATED;
    /// `i64::MIN` for a VTODO without any date, which overlaps every range).
    pub start: i64,
    /// End, Unix seconds UTC, never before `start` (equal for an instant; `i64::MAX` for a
    /// VTODO without any date).
    pub end: i64,
    /// Which component the instance comes from: its position among the VCALENDAR's direct
    /// children, in document order, VTIMEZONEs included (the master, an override, or for a
    /// THISANDFUTURE-moved instance the override that moved it). The caller reads the
    /// instance's properties (STATUS, TRANSP, SUMMARY, ...) there.
    pub component_index: usize,
    /// The instance's RECURRENCE-ID as a UTC instant: the override's own, or for an instance
    /// of a component with RRULE or RDATE its original start (before any THISANDFUTURE
    /// shift). `None` for a component that does not recur.
    pub recurrence_id: Option<i64>,
}

/// The instances of the calendar object resource `body` that overlap `[start, end)` (Unix
/// seconds UTC) under the rules of RFC 4791 §9.9, with the same expansion and override merge
/// as [`overlaps`] (module documentation): EXDATEs and overridden instances removed, each
/// override in its own slot, duplicates (DTSTART also generated by the rule, an RDATE equal
/// to a rule instance) listed once. Sorted by start, then end, then component.
///
/// At most `cap` instances are returned; when more overlap, which ones are kept is not
/// specified (the walk visits overrides first, then the master in series order). Never
/// panics. Where the expansion cannot be completed (see the module documentation) the
/// instances found so far are returned: a caller that must not miss any should also check
/// [`overlaps`]. Cancelled overrides are listed (RFC 4791 keeps them for queries); callers
/// that must drop them (free-busy) read STATUS at `component_index`. `floating` is the zone
/// DATE values and floating DATE-TIMEs are read in (`None`: UTC).
#[must_use]
pub fn instances(
    body: &[u8],
    start: i64,
    end: i64,
    cap: usize,
    floating: Option<Zone>,
) -> Vec<Instance> {
    catch_unwind(|| parse(body))
        .ok()
        .flatten()
        .map(|ical| instances_in(&ical, start, end, cap, floating.unwrap_or_default()))
        .unwrap_or_default()
}

/// The zone floating DATE-TIMEs and DATE values are read in (RFC 4791 §9.8 and §7.8): the
/// query's `CALDAV:timezone`, else the calendar's `CALDAV:calendar-timezone`; UTC by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub(super) Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(Tz::UTC)
    }
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone(Tz::UTC);

    /// The zone of a time zone name: IANA, Windows (`W. Europe Standard Time`) and the other
    /// spellings calcard recognizes; `None` for an unknown name.
    #[must_use]
    pub fn named(name: &str) -> Option<Zone> {
        name.parse::<Tz>()
            .ok()
            .filter(|tz| !tz.is_floating())
            .map(Zone)
    }

    /// The zone of a `CALDAV:calendar-timezone` / `CALDAV:timezone` value: a VCALENDAR holding
    /// one VTIMEZONE, resolved by its TZID, `X-LIC-LOCATION` or `X-MICROSOFT-CDO-TZID`.
    /// `None` when the text is not such a VCALENDAR or its zone is unknown (a custom
    /// VTIMEZONE is not evaluated from its rules).
    #[must_use]
    pub fn from_calendar(text: &[u8]) -> Option<Zone> {
        let ical = catch_unwind(|| parse(text)).ok().flatten()?;
        let found = ical.timezones().find_map(|tz| {
            if let Some((_, zone)) = tz.timezone() {
                return Some(zone);
            }
            tz.property(&ICalendarProperty::Tzid)
                .and_then(|entry| entry.values.first())
                .and_then(|value| value.as_text())
                .and_then(|name| name.parse::<Tz>().ok())
        });
        found.filter(|tz| !tz.is_floating()).map(Zone)
    }

    /// The zone's name (`Europe/Zurich`, `Etc/UTC`, or an offset such as `+05:30`), for pages
    /// that say which zone they show times in.
    #[must_use]
    pub fn name(self) -> String {
        self.0
            .name()
            .map_or_else(|| "UTC".to_owned(), |n| n.into_owned())
    }

    /// Unix seconds of the wall-clock time `local` in this zone, with the conventions of
    /// instances (a time in a DST gap moves on, an ambiguous one takes the earlier instant):
    /// what a calendar page needs to turn the days it shows into a time range.
    #[must_use]
    pub fn instant(self, local: NaiveDateTime) -> i64 {
        instant(ZoneRef::Known(self.0), local)
    }

    /// The wall-clock time in this zone at Unix seconds `ts` (`None` past chrono's range),
    /// to show an instance where the reader lives.
    #[must_use]
    pub fn local_at(self, ts: i64) -> Option<NaiveDateTime> {
        local_at(ZoneRef::Known(self.0), ts)
    }
}

/// [`instances`] for a calendar already parsed by calcard (free-busy parses each object
/// once and then reads the instances' components).
pub(super) fn instances_in(
    ical: &ICalendar,
    start: i64,
    end: i64,
    cap: usize,
    floating: Zone,
) -> Vec<Instance> {
    let mut found = Vec::new();
    if cap == 0 {
        return found;
    }
    let window = Window {
        start: Some(start),
        end: Some(end),
    };
    let mut seen = HashSet::new();
    let mut visit = |occ: Occurrence, shifts: &[Shift]| {
        if !seen.insert((occ.component, occ.start)) {
            return ControlFlow::Continue(());
        }
        let occ = shifts
            .iter()
            .filter(|shift| occ.start >= shift.rid)
            .max_by_key(|shift| shift.rid)
            .map_or(occ, |shift| shift.apply(occ));
        if occ.hits(window) {
            found.push(Instance {
                start: occ.start,
                end: occ.end,
                component_index: occ.component,
                recurrence_id: occ.rid,
            });
            if found.len() >= cap {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    };
    // Whatever the walk found before it stopped (trouble or panic) is kept.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        walk_calendar(ical, window, floating, &mut visit)
    }));
    found.sort_unstable_by_key(|i| (i.start, i.end, i.component_index));
    found
}

/// The answer cannot be computed; the caller answers `true`.
#[derive(Debug)]
struct Trouble;

/// The queried range; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// Inclusive start.
    start: Option<i64>,
    /// Exclusive end.
    end: Option<i64>,
}

impl Window {
    /// `start < at`.
    fn start_lt(self, at: i64) -> bool {
        self.start.is_none_or(|start| start < at)
    }

    /// `start <= at`.
    fn start_le(self, at: i64) -> bool {
        self.start.is_none_or(|start| start <= at)
    }

    /// `end > at`.
    fn end_gt(self, at: i64) -> bool {
        self.end.is_none_or(|end| end > at)
    }

    /// `end >= at`.
    fn end_ge(self, at: i64) -> bool {
        self.end.is_none_or(|end| end >= at)
    }
}

/// Which row of the RFC 4791 §9.9 tables an instance `[start, end]` is tested with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    /// VEVENT and VJOURNAL, and a VTODO with DTSTART only: overlap when the instance has a
    /// length, `start <= S && end > S` when it is a point.
    Event,
    /// VTODO with DTSTART and DURATION.
    TodoDuration,
    /// VTODO with DTSTART and DUE (`end` is the DUE).
    TodoDue,
    /// VTODO with DUE only (`start` is the DUE).
    TodoDueOnly,
    /// Closed interval test: VTODO with COMPLETED (and CREATED); also the conservative hull
    /// of a THISANDFUTURE shift.
    Closed,
    /// VTODO with CREATED only: everything after it.
    After,
    /// VTODO without any date: every range.
    Always,
}

/// Whether the instance `[start, end]` matches the window under `test`.
fn hits(test: Test, start: i64, end: i64, w: Window) -> bool {
    match test {
        Test::Event if end > start => w.start_lt(end) && w.end_gt(start),
        Test::Event => w.start_le(start) && w.end_gt(start),
        Test::TodoDuration => w.start_le(end) && (w.end_gt(start) || w.end_ge(end)),
        Test::TodoDue => {
            (w.start_lt(end) || w.start_le(start)) && (w.end_gt(start) || w.end_ge(end))
        }
        Test::TodoDueOnly => w.start_lt(start) && w.end_ge(start),
        Test::Closed => w.start_le(end) && w.end_ge(start),
        Test::After => w.end_gt(start),
        Test::Always => true,
    }
}

/// The main component type, which selects the RFC 4791 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// VEVENT.
    Event,
    /// VTODO.
    Todo,
    /// VJOURNAL.
    Journal,
}

/// A date or date-time as written: its local value and the zone it is read in.
#[derive(Debug, Clone, Copy)]
struct Moment<'z> {
    /// Local date-time (midnight for a DATE).
    local: NaiveDateTime,
    /// Zone of `local`; the floating zone for DATE and floating values, a fixed offset for `Z`
    /// values.
    zone: ZoneRef<'z>,
    /// A DATE value.
    is_date: bool,
    /// A DATE or a floating DATE-TIME (read in the floating zone).
    floating: bool,
}

impl<'z> Moment<'z> {
    /// Unix seconds.
    fn ts(self) -> i64 {
        instant(self.zone, self.local)
    }

    /// The zone floating values of the same component inherit (RFC 5545: an EXDATE, RDATE or
    /// DTEND without TZID shares DTSTART's), `None` for a floating or DATE start.
    fn zoned(self) -> Option<ZoneRef<'z>> {
        (!self.floating).then_some(self.zone)
    }
}

/// The length of an instance: nominal days (added in local time, RFC 5545 §3.3.6) plus exact
/// seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Length {
    /// Nominal days.
    days: i64,
    /// Exact seconds.
    secs: i64,
}

impl Length {
    /// A point in time.
    const ZERO: Length = Length { days: 0, secs: 0 };
    /// An all-day instance.
    const ONE_DAY: Length = Length { days: 1, secs: 0 };

    /// An exact length; negative lengths (DTEND before DTSTART) become a point.
    fn exact(secs: i64) -> Length {
        Length {
            days: 0,
            secs: secs.max(0),
        }
    }

    /// A DURATION value; a negative one becomes a point.
    fn of(duration: &ICalendarDuration) -> Length {
        if duration.neg {
            return Length::ZERO;
        }
        Length {
            days: i64::from(duration.weeks) * 7 + i64::from(duration.days),
            secs: i64::from(duration.hours) * HOUR
                + i64::from(duration.minutes) * 60
                + i64::from(duration.seconds),
        }
    }

    /// Most seconds the length can span (a DST change adds at most an hour).
    fn upper(self) -> i64 {
        self.days
            .saturating_mul(DAY)
            .saturating_add(self.secs)
            .saturating_add(if self.days > 0 { HOUR } else { 0 })
    }
}

/// How the instances of one component are tested.
#[derive(Debug, Clone, Copy)]
enum Plan<'z> {
    /// Matches every range (a VTODO with no date at all).
    Always,
    /// Matches no range (a VJOURNAL without DTSTART).
    Never,
    /// One fixed occurrence (a VTODO known only by COMPLETED/CREATED).
    Once {
        /// Table row.
        test: Test,
        /// First instant.
        start: i64,
        /// Last instant.
        end: i64,
    },
    /// Occurrences at `anchor` and, if the component recurs, at its recurrence instances.
    Anchored {
        /// Table row.
        test: Test,
        /// DTSTART (or DUE, or RECURRENCE-ID) of the component.
        anchor: Moment<'z>,
        /// From an occurrence's start to its end (DTEND, DUE or DURATION).
        len: Length,
    },
}

/// A RANGE=THISANDFUTURE override: every instance from `rid` on may be moved by `delta` and
/// take up to `reach` seconds.
#[derive(Debug, Clone, Copy)]
struct Shift {
    /// The override's RECURRENCE-ID, Unix seconds.
    rid: i64,
    /// Override start minus `rid`.
    delta: i64,
    /// Longest length of the override.
    reach: i64,
    /// Length of the override's own instance, exact seconds.
    span: i64,
    /// Table row of the override.
    test: Test,
    /// Position of the override among the VCALENDAR's children.
    component: usize,
}

impl Shift {
    /// [`overlaps`]' conservative test for a later master instance: the hull of its original
    /// slot and its shifted slot meets the window.
    fn hull_hits(&self, occ: Occurrence, window: Window) -> bool {
        occ.start >= self.rid && {
            let moved = occ.start.saturating_add(self.delta);
            let low = occ.start.min(moved);
            let high = occ.end.max(moved.saturating_add(self.reach));
            hits(Test::Closed, low, high, window)
        }
    }

    /// A later master instance as the override moves it ([`instances`]): shifted, with the
    /// override's length, row and component; its RECURRENCE-ID stays the original start.
    fn apply(&self, occ: Occurrence) -> Occurrence {
        let start = occ.start.saturating_add(self.delta);
        Occurrence {
            test: self.test,
            start,
            end: start.saturating_add(self.span),
            component: self.component,
            rid: occ.rid,
        }
    }
}

/// One occurrence met by the walk, before the consumer's own test.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    /// Table row it is tested with.
    test: Test,
    /// First instant, Unix seconds.
    start: i64,
    /// Last instant (exclusive for a VEVENT with a length), Unix seconds.
    end: i64,
    /// Position of its component among the VCALENDAR's children.
    component: usize,
    /// RECURRENCE-ID instant (see [`Instance::recurrence_id`]).
    rid: Option<i64>,
}

impl Occurrence {
    /// The RFC 4791 §9.9 test of its row.
    fn hits(self, window: Window) -> bool {
        hits(self.test, self.start, self.end, window)
    }
}

/// What the walk hands each occurrence to, with the object's THISANDFUTURE overrides (none
/// for an override's own occurrences); `Break` stops the walk.
type Visit<'v> = dyn FnMut(Occurrence, &[Shift]) -> ControlFlow<()> + 'v;

/// Which component a [`Ctx::walk_plan`] walks.
#[derive(Debug, Clone, Copy)]
struct Source {
    /// Position among the VCALENDAR's children.
    component: usize,
    /// The override's RECURRENCE-ID; `None` for the master.
    rid: Option<i64>,
}

/// An EXDATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Excluded {
    /// The instance starting at this instant.
    At(i64),
    /// Every instance on this local date (a DATE EXDATE on a DATE-TIME series).
    Day(NaiveDate),
}

/// Parses and evaluates; `Err` when the answer is unknown.
fn matches_body(body: &[u8], window: Window, floating: Zone) -> Result<bool, Trouble> {
    let ical = parse(body).ok_or(Trouble)?;
    matches_ical(&ical, window, floating)
}

/// [`overlaps`] for a calendar already parsed by calcard.
pub(super) fn overlaps_in(
    ical: &ICalendar,
    start: Option<i64>,
    end: Option<i64>,
    floating: Zone,
) -> bool {
    let window = Window { start, end };
    catch_unwind(AssertUnwindSafe(|| matches_ical(ical, window, floating)))
        .ok()
        .and_then(Result::ok)
        .unwrap_or(true)
}

/// Evaluates a parsed object; `Err` when the answer is unknown.
fn matches_ical(ical: &ICalendar, window: Window, floating: Zone) -> Result<bool, Trouble> {
    let mut visit = |occ: Occurrence, shifts: &[Shift]| {
        if occ.hits(window) || shifts.iter().any(|shift| shift.hull_hits(occ, window)) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    Ok(walk_calendar(ical, window, floating, &mut visit)?.is_none_or(|flow| flow.is_break()))
}

/// Parses a calendar object resource (a leading BOM allowed); `None` when it is not UTF-8 or
/// not an iCalendar object. Shared with free-busy so both read bodies the same way.
pub(super) fn parse(body: &[u8]) -> Option<ICalendar> {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let text = std::str::from_utf8(body).ok()?;
    match Parser::new(text).entry() {
        Entry::ICalendar(ical) => Some(ical),
        _ => None,
    }
}

/// Walks the occurrences of a parsed calendar object resource that may meet `window`,
/// handing each to `visit`. `Ok(None)` when its main component is not one RFC 4791 §9.9
/// defines instances for (VFREEBUSY, ...).
fn walk_calendar(
    ical: &ICalendar,
    window: Window,
    floating: Zone,
    visit: &mut Visit<'_>,
) -> Result<Option<ControlFlow<()>>, Trouble> {
    let root = ical
        .components
        .first()
        .filter(|root| root.component_type == ICalendarComponentType::VCalendar)
        .ok_or(Trouble)?;
    let components: Vec<(usize, &ICalendarComponent)> = root
        .component_ids
        .iter()
        .enumerate()
        .filter_map(|(position, id)| {
            Some((position, ical.components.get(usize::try_from(*id).ok()?)?))
        })
        .filter(|(_, comp)| comp.component_type != ICalendarComponentType::VTimezone)
        .collect();
    let kind = match components.first().ok_or(Trouble)?.1.component_type {
        ICalendarComponentType::VEvent => Kind::Event,
        ICalendarComponentType::VTodo => Kind::Todo,
        ICalendarComponentType::VJournal => Kind::Journal,
        _ => return Ok(None),
    };
    let zones = Zones::new(ical, Tz::UTC);
    let ctx = Ctx {
        zones: &zones,
        window,
        kind,
        floating: floating.0,
    };
    ctx.walk_object(&components, visit).map(Some)
}

/// What evaluating one object needs.
struct Ctx<'a> {
    /// TZID resolution (IANA, Windows names, VTIMEZONE X-LIC-LOCATION, then the VTIMEZONE's
    /// own rules), UTC by default.
    zones: &'a Zones<'a>,
    /// The queried range.
    window: Window,
    /// The component type of the object.
    kind: Kind,
    /// The zone of DATE values and floating DATE-TIMEs.
    floating: Tz,
}

impl<'a> Ctx<'a> {
    /// Walks the occurrences of the overrides, each in its own slot, then those of the
    /// master minus the overridden ones. `components` are the VCALENDAR's children other
    /// than VTIMEZONE, with their positions.
    fn walk_object(
        &self,
        components: &[(usize, &ICalendarComponent)],
        visit: &mut Visit<'_>,
    ) -> Result<ControlFlow<()>, Trouble> {
        let is_override =
            |comp: &ICalendarComponent| comp.has_property(&ICalendarProperty::RecurrenceId);
        let master = components.iter().find(|(_, comp)| !is_override(comp));
        let master_plan = match master {
            Some((_, master)) => Some(self.plan(master, None, None)?),
            None => None,
        };
        let (inherit, master_zone) = match master_plan {
            Some(Plan::Anchored { test, anchor, len }) => (Some((test, len)), anchor.zoned()),
            _ => (None, None),
        };

        let mut suppressed = Vec::new();
        let mut shifts = Vec::new();
        for (index, comp) in components.iter().filter(|(_, comp)| is_override(comp)) {
            let entry = comp
                .property(&ICalendarProperty::RecurrenceId)
                .ok_or(Trouble)?;
            let own_zone = self
                .date(comp, &ICalendarProperty::Dtstart, None)?
                .and_then(Moment::zoned);
            let rid = match entry.values.first() {
                Some(ICalendarValue::PartialDateTime(dt)) => {
                    self.moment(dt, entry.tz_id(), master_zone.or(own_zone))
                }
                _ => None,
            }
            .ok_or(Trouble)?
            .ts();
            let plan = self.plan(comp, inherit, master_zone)?;
            let source = Source {
                component: *index,
                rid: Some(rid),
            };
            if self
                .walk_plan(comp, source, plan, &[], &[], visit)?
                .is_break()
            {
                return Ok(ControlFlow::Break(()));
            }
            suppressed.push(rid);
            if entry.has_parameter(&ICalendarParameterName::Range) {
                let Plan::Anchored { test, anchor, len } = plan else {
                    return Err(Trouble);
                };
                let start = anchor.ts();
                shifts.push(Shift {
                    rid,
                    delta: start.saturating_sub(rid),
                    reach: len.upper(),
                    span: end_of(anchor.zone, anchor.local, start, len).saturating_sub(start),
                    test,
                    component: *index,
                });
            }
        }
        match (master, master_plan) {
            (Some((index, master)), Some(plan)) => {
                let source = Source {
                    component: *index,
                    rid: None,
                };
                self.walk_plan(master, source, plan, &suppressed, &shifts, visit)
            }
            _ => Ok(ControlFlow::Continue(())),
        }
    }

    /// Reads the dates of a component into a [`Plan`]; `inherit` is the master's row and
    /// length, for an override that has no end of its own, `master_zone` the zone of the
    /// master's DTSTART, for a RECURRENCE-ID without TZID.
    fn plan(
        &self,
        comp: &ICalendarComponent,
        inherit: Option<(Test, Length)>,
        master_zone: Option<ZoneRef<'a>>,
    ) -> Result<Plan<'a>, Trouble> {
        let start = self.date(comp, &ICalendarProperty::Dtstart, None)?;
        let zone = start.and_then(Moment::zoned);
        let rid = self.date(comp, &ICalendarProperty::RecurrenceId, master_zone.or(zone))?;
        let duration = match comp.property(&ICalendarProperty::Duration) {
            None => None,
            Some(entry) => match entry.values.first() {
                Some(ICalendarValue::Duration(duration)) => Some(Length::of(duration)),
                _ => return Err(Trouble),
            },
        };
        let anchored = |test, anchor, len| Plan::Anchored { test, anchor, len };
        let point_or_day = |anchor: Moment<'a>| {
            if anchor.is_date {
                Length::ONE_DAY
            } else {
                Length::ZERO
            }
        };

        Ok(match self.kind {
            Kind::Event => {
                let anchor = start.or(rid).ok_or(Trouble)?;
                let end = self.date(comp, &ICalendarProperty::Dtend, anchor.zoned())?;
                let (test, len) = match (end, duration, inherit) {
                    (Some(end), _, _) => (
                        Test::Event,
                        Length::exact(end.ts().saturating_sub(anchor.ts())),
                    ),
                    (None, Some(len), _) => (Test::Event, len),
                    (None, None, Some(inherited)) => inherited,
                    (None, None, None) => (Test::Event, point_or_day(anchor)),
                };
                anchored(test, anchor, len)
            }
            Kind::Journal => match start.or(rid) {
                Some(anchor) => anchored(Test::Event, anchor, point_or_day(anchor)),
                None => Plan::Never,
            },
            Kind::Todo => {
                let due = self.date(comp, &ICalendarProperty::Due, zone)?;
                match (start, due) {
                    (Some(anchor), due) => {
                        let (test, len) = match (due, duration, inherit) {
                            (Some(due), _, _) => (
                                Test::TodoDue,
                                Length::exact(due.ts().saturating_sub(anchor.ts())),
                            ),
                            (None, Some(len), _) => (Test::TodoDuration, len),
                            (None, None, Some(inherited)) => inherited,
                            (None, None, None) => (Test::Event, Length::ZERO),
                        };
                        anchored(test, anchor, len)
                    }
                    (None, Some(due)) => anchored(Test::TodoDueOnly, due, Length::ZERO),
                    (None, None) => match rid {
                        Some(rid) => {
                            let (test, len) = inherit.unwrap_or((Test::Event, Length::ZERO));
                            anchored(test, rid, len)
                        }
                        None => self.todo_without_dates(comp)?,
                    },
                }
            }
        })
    }

    /// A VTODO with neither DTSTART nor DUE: the COMPLETED/CREATED rows of the table.
    fn todo_without_dates(&self, comp: &ICalendarComponent) -> Result<Plan<'a>, Trouble> {
        let completed = self
            .date(comp, &ICalendarProperty::Completed, None)?
            .map(Moment::ts);
        let created = self
            .date(comp, &ICalendarProperty::Created, None)?
            .map(Moment::ts);
        Ok(match (completed, created) {
            (Some(completed), Some(created)) => Plan::Once {
                test: Test::Closed,
                start: completed.min(created),
                end: completed.max(created),
            },
            (Some(completed), None) => Plan::Once {
                test: Test::Closed,
                start: completed,
                end: completed,
            },
            (None, Some(created)) => Plan::Once {
                test: Test::After,
                start: created,
                end: created,
            },
            (None, None) => Plan::Always,
        })
    }

    /// Walks the occurrences of one component; `suppressed` are the start instants replaced
    /// by overrides, `shifts` the THISANDFUTURE overrides (passed on to `visit`).
    fn walk_plan(
        &self,
        comp: &ICalendarComponent,
        source: Source,
        plan: Plan<'a>,
        suppressed: &[i64],
        shifts: &[Shift],
        visit: &mut Visit<'_>,
    ) -> Result<ControlFlow<()>, Trouble> {
        let once = |test, start, end| Occurrence {
            test,
            start,
            end,
            component: source.component,
            rid: source.rid,
        };
        let (test, anchor, len) = match plan {
            Plan::Always => return Ok(visit(once(Test::Always, i64::MIN, i64::MAX), &[])),
            Plan::Never => return Ok(ControlFlow::Continue(())),
            Plan::Once { test, start, end } => return Ok(visit(once(test, start, end), &[])),
            Plan::Anchored { test, anchor, len } => (test, anchor, len),
        };
        let recurs = comp.has_property(&ICalendarProperty::Rrule)
            || comp.has_property(&ICalendarProperty::Rdate);
        let excluded = self.exdates(comp, anchor);
        let mut check = |local: NaiveDateTime, start: i64, end: i64| {
            if suppressed.contains(&start)
                || excluded
                    .iter()
                    .any(|ex| *ex == Excluded::At(start) || *ex == Excluded::Day(local.date()))
            {
                return ControlFlow::Continue(());
            }
            let occurrence = Occurrence {
                test,
                start,
                end,
                component: source.component,
                rid: source.rid.or(recurs.then_some(start)),
            };
            visit(occurrence, shifts)
        };

        // The component's own occurrence (DTSTART is always an instance, RFC 5545 §3.8.5.3).
        let start = anchor.ts();
        if check(
            anchor.local,
            start,
            end_of(anchor.zone, anchor.local, start, len),
        )
        .is_break()
        {
            return Ok(ControlFlow::Break(()));
        }

        for entry in comp.properties(&ICalendarProperty::Rdate) {
            for value in &entry.values {
                let (local, start, end) = match value {
                    ICalendarValue::PartialDateTime(dt) => {
                        let at = self
                            .moment(dt, entry.tz_id(), anchor.zoned())
                            .ok_or(Trouble)?;
                        let start = at.ts();
                        (at.local, start, end_of(at.zone, at.local, start, len))
                    }
                    ICalendarValue::Period(ICalendarPeriod::Range { start, end }) => {
                        let start = self
                            .moment(start, entry.tz_id(), anchor.zoned())
                            .ok_or(Trouble)?;
                        let end = self
                            .moment(end, entry.tz_id(), anchor.zoned())
                            .ok_or(Trouble)?;
                        (start.local, start.ts(), end.ts().max(start.ts()))
                    }
                    ICalendarValue::Period(ICalendarPeriod::Duration { start, duration }) => {
                        let at = self
                            .moment(start, entry.tz_id(), anchor.zoned())
                            .ok_or(Trouble)?;
                        let start = at.ts();
                        let end = end_of(at.zone, at.local, start, Length::of(duration));
                        (at.local, start, end)
                    }
                    _ => return Err(Trouble),
                };
                if check(local, start, end).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
        }

        let lead = shifts
            .iter()
            .map(|shift| shift.delta.saturating_neg().max(0))
            .max()
            .unwrap_or(0);
        let reach = shifts
            .iter()
            .map(|shift| shift.delta.saturating_add(shift.reach))
            .fold(len.upper(), i64::max);
        for entry in comp.properties(&ICalendarProperty::Rrule) {
            let Some(ICalendarValue::RecurrenceRule(rule)) = entry.values.first() else {
                return Err(Trouble);
            };
            let bounds = Bounds {
                anchor,
                len,
                reach,
                lead,
            };
            if self.walk_rule(rule, bounds, &mut check)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Hands the instances generated by one RRULE (from the anchor on, up to the end of the
    /// window) to `check` (local start, start, end), until it says `Break`.
    fn walk_rule(
        &self,
        rule: &ICalendarRecurrenceRule,
        bounds: Bounds<'a>,
        check: &mut dyn FnMut(NaiveDateTime, i64, i64) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, Trouble> {
        let Bounds {
            anchor,
            len,
            reach,
            lead,
        } = bounds;
        if rule
            .rscale
            .as_ref()
            .is_some_and(|scale| *scale != CalendarScale::Gregorian)
            || rule.skip.is_some_and(|skip| skip != ICalendarSkip::Omit)
        {
            return Err(Trouble);
        }
        let window = self.window;
        // Rule instances are never earlier (in local time) than the anchor.
        let earliest = anchor.ts().saturating_sub(DAY);
        if window
            .end
            .is_some_and(|end| end < earliest.saturating_sub(lead))
        {
            return Ok(ControlFlow::Continue(()));
        }
        let until = match &rule.until {
            Some(until) => Some(self.until(until, anchor).ok_or(Trouble)?),
            None => None,
        };
        let count = rule.count.map(u64::from);
        let last_year = window
            .end
            .and_then(|end| local_at(anchor.zone, end.saturating_add(lead)))
            .map(|end| end.year());
        let series = Recurrence::new(rule, anchor.local, last_year)?;

        // Jump close to the range instead of walking from DTSTART.
        let mut cursor = anchor.local;
        let mut index: u64 = 0;
        let target = window
            .start
            .and_then(|start| {
                // Two hours cover a local time read on the other side of a DST change.
                local_at(
                    anchor.zone,
                    start.saturating_sub(reach).saturating_sub(2 * HOUR),
                )
            })
            .filter(|target| *target > anchor.local);
        if let Some(target) = target
            && let Some((at, skipped)) = series.seek(target, count.is_some())?
        {
            cursor = at;
            index = skipped;
        }
        if count.is_some_and(|count| index >= count) {
            return Ok(ControlFlow::Continue(()));
        }

        let mut consumed = 0usize;
        let mut limit = FIRST_CHUNK;
        loop {
            let dates = series.expand(cursor, limit)?;
            let got = dates.len();
            for local in dates.into_iter().skip(consumed) {
                consumed += 1;
                index += 1;
                if count.is_some_and(|count| index > count) {
                    return Ok(ControlFlow::Continue(()));
                }
                let start = instant(anchor.zone, local);
                if until.is_some_and(|until| start > until)
                    || window
                        .end
                        .is_some_and(|end| start.saturating_sub(lead) > end)
                {
                    return Ok(ControlFlow::Continue(()));
                }
                if check(local, start, end_of(anchor.zone, local, start, len)).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
            // calcard stopped before the asked number (it gives up on rules that rarely
            // match), or the cap is reached: the rest of the series is unknown.
            if got < limit || consumed >= INSTANCE_CAP {
                return Err(Trouble);
            }
            limit = (limit * 4).min(INSTANCE_CAP);
        }
    }

    /// The date value of a property (first value), `None` when absent; `Err` when present
    /// but not a date.
    fn date(
        &self,
        comp: &ICalendarComponent,
        prop: &ICalendarProperty,
        fallback: Option<ZoneRef<'a>>,
    ) -> Result<Option<Moment<'a>>, Trouble> {
        let Some(entry) = comp.property(prop) else {
            return Ok(None);
        };
        match entry.values.first() {
            Some(ICalendarValue::PartialDateTime(dt)) => self
                .moment(dt, entry.tz_id(), fallback)
                .map(Some)
                .ok_or(Trouble),
            _ => Err(Trouble),
        }
    }

    /// Reads a date or date-time (module conventions); `fallback` is the zone of a value
    /// without TZID and UTC designator.
    fn moment(
        &self,
        dt: &PartialDateTime,
        tzid: Option<&str>,
        fallback: Option<ZoneRef<'a>>,
    ) -> Option<Moment<'a>> {
        let value = dt.to_date_time()?;
        let local = value.date_time;
        if !dt.has_time() {
            return Some(Moment {
                local,
                zone: ZoneRef::Known(self.floating),
                is_date: true,
                floating: true,
            });
        }
        let (zone, floating) = match (value.offset, tzid, fallback) {
            (Some(offset), _, _) => (ZoneRef::Known(Tz::Fixed(offset)), false),
            (None, Some(tzid), _) => (self.zones.resolve_or_default(Some(tzid)), false),
            (None, None, Some(zone)) => (zone, false),
            (None, None, None) => (ZoneRef::Known(self.floating), true),
        };
        Some(Moment {
            local,
            zone,
            is_date: false,
            floating,
        })
    }

    /// The EXDATEs of a component. Values that are not dates are ignored (keeping an
    /// instance is the conservative side).
    fn exdates(&self, comp: &ICalendarComponent, anchor: Moment<'a>) -> Vec<Excluded> {
        let mut excluded = Vec::new();
        for entry in comp.properties(&ICalendarProperty::Exdate) {
            for value in &entry.values {
                let ICalendarValue::PartialDateTime(dt) = value else {
                    continue;
                };
                if !dt.has_time() && !anchor.is_date {
                    if let Some(value) = dt.to_date_time() {
                        excluded.push(Excluded::Day(value.date_time.date()));
                    }
                } else if let Some(at) = self.moment(dt, entry.tz_id(), anchor.zoned()) {
                    excluded.push(Excluded::At(at.ts()));
                }
            }
        }
        excluded
    }

    /// The last instant an instance may start at under UNTIL (inclusive, RFC 5545
    /// §3.3.10). A DATE UNTIL on a DATE-TIME series lasts to the end of that local day; a UTC
    /// UNTIL on a floating or DATE series gets [`FLOATING_SLACK`], both conservative.
    fn until(&self, until: &PartialDateTime, anchor: Moment<'a>) -> Option<i64> {
        let value = until.to_date_time()?;
        if !until.has_time() {
            let day = value.date_time.date();
            return Some(if anchor.is_date {
                instant(anchor.zone, day.and_hms_opt(0, 0, 0)?)
            } else {
                instant(anchor.zone, day.and_hms_opt(23, 59, 59)?)
            });
        }
        Some(match value.offset {
            Some(offset) => {
                let at = value
                    .date_time
                    .and_utc()
                    .timestamp()
                    .saturating_sub(i64::from(offset.local_minus_utc()));
                if anchor.floating {
                    at.saturating_add(FLOATING_SLACK)
                } else {
                    at
                }
            }
            None => instant(anchor.zone, value.date_time),
        })
    }
}

/// Where the instances of a series lie, for one RRULE.
#[derive(Debug, Clone, Copy)]
struct Bounds<'z> {
    /// DTSTART of the series.
    anchor: Moment<'z>,
    /// Length of each instance.
    len: Length,
    /// Most seconds an instance (with THISANDFUTURE shifts) reaches past its start.
    reach: i64,
    /// Most seconds a THISANDFUTURE shift moves an instance earlier.
    lead: i64,
}

/// One RRULE with every default calcard would take from DTSTART written out, so expansion
/// can restart at any period boundary of the series and still produce the same instances.
#[derive(Debug, Clone)]
struct Recurrence {
    /// The rule without COUNT and UNTIL (both applied by the caller) and with explicit
    /// BYxxx defaults.
    rule: ICalendarRecurrenceRule,
    /// DTSTART, local time.
    anchor: NaiveDateTime,
    /// INTERVAL (at least 1).
    interval: i64,
    /// WKST (Monday by default).
    week_start: Weekday,
    /// Local year of the end of the queried range, if bounded (see `Recurrence::expand`).
    last_year: Option<i32>,
}

impl Recurrence {
    /// Writes out the defaults RFC 5545 takes from DTSTART (as calcard's
    /// `RRule::finalize_parsed_rrule` does). `Err` for INTERVAL=0.
    fn new(
        rule: &ICalendarRecurrenceRule,
        anchor: NaiveDateTime,
        last_year: Option<i32>,
    ) -> Result<Self, Trouble> {
        let interval = i64::from(rule.interval.unwrap_or(1));
        if interval == 0 {
            return Err(Trouble);
        }
        let mut rule = rule.clone();
        rule.count = None;
        rule.until = None;
        let no_day_rule = rule.byweekno.is_empty()
            && rule.byyearday.is_empty()
            && rule.bymonthday.is_empty()
            && rule.byday.is_empty();
        if no_day_rule {
            let day = i8::try_from(anchor.day()).map_err(|_| Trouble)?;
            match rule.freq {
                ICalendarFrequency::Yearly => {
                    if rule.bymonth.is_empty() {
                        let month = u8::try_from(anchor.month()).map_err(|_| Trouble)?;
                        rule.bymonth = vec![ICalendarMonth::new(month, false)];
                    }
                    rule.bymonthday = vec![day];
                }
                ICalendarFrequency::Monthly => rule.bymonthday = vec![day],
                ICalendarFrequency::Weekly => {
                    rule.byday = vec![ICalendarDay {
                        ordwk: None,
                        weekday: ical_weekday(anchor.weekday()),
                    }];
                }
                _ => {}
            }
        }
        let field = |value: u32| u8::try_from(value).map_err(|_| Trouble);
        if rule.byhour.is_empty() && rule.freq < ICalendarFrequency::Hourly {
            rule.byhour = vec![field(anchor.hour())?];
        }
        if rule.byminute.is_empty() && rule.freq < ICalendarFrequency::Minutely {
            rule.byminute = vec![field(anchor.minute())?];
        }
        if rule.bysecond.is_empty() && rule.freq < ICalendarFrequency::Secondly {
            rule.bysecond = vec![field(anchor.second())?];
        }
        let week_start = rule.wkst.map_or(Weekday::Mon, Weekday::from);
        Ok(Recurrence {
            rule,
            anchor: anchor.with_nanosecond(0).unwrap_or(anchor),
            interval,
            week_start,
            last_year,
        })
    }

    /// Start of the `j`-th period of the series (the FREQ unit times INTERVAL); period 0
    /// holds DTSTART.
    fn period(&self, j: i64) -> Option<NaiveDateTime> {
        let steps = j.checked_mul(self.interval)?;
        let anchor = self.anchor;
        let midnight = |date: NaiveDate| date.and_hms_opt(0, 0, 0);
        match self.rule.freq {
            ICalendarFrequency::Yearly => {
                let year = i64::from(anchor.year()).checked_add(steps)?;
                midnight(NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, 1, 1)?)
            }
            ICalendarFrequency::Monthly => {
                let first = anchor.date().with_day(1)?;
                midnight(first.checked_add_months(Months::new(u32::try_from(steps).ok()?))?)
            }
            ICalendarFrequency::Weekly => {
                let start = week_start(anchor.date(), self.week_start);
                midnight(start.checked_add_signed(TimeDelta::try_weeks(steps)?)?)
            }
            ICalendarFrequency::Daily => midnight(
                anchor
                    .date()
                    .checked_add_signed(TimeDelta::try_days(steps)?)?,
            ),
            ICalendarFrequency::Hourly => anchor
                .with_minute(0)?
                .with_second(0)?
                .checked_add_signed(TimeDelta::try_hours(steps)?),
            ICalendarFrequency::Minutely => anchor
                .with_second(0)?
                .checked_add_signed(TimeDelta::try_minutes(steps)?),
            ICalendarFrequency::Secondly => {
                anchor.checked_add_signed(TimeDelta::try_seconds(steps)?)
            }
        }
    }

    /// The number of the period holding `target` (not before DTSTART).
    fn period_of(&self, target: NaiveDateTime) -> Option<i64> {
        let anchor = self.anchor;
        let start = self.period(0)?;
        let units = match self.rule.freq {
            ICalendarFrequency::Yearly => i64::from(target.year() - anchor.year()),
            ICalendarFrequency::Monthly => {
                i64::from(target.year() - anchor.year()) * 12 + i64::from(target.month())
                    - i64::from(anchor.month())
            }
            ICalendarFrequency::Weekly => (target.date() - start.date()).num_days() / 7,
            ICalendarFrequency::Daily => (target.date() - start.date()).num_days(),
            ICalendarFrequency::Hourly => (target - start).num_hours(),
            ICalendarFrequency::Minutely => (target - start).num_minutes(),
            ICalendarFrequency::Secondly => (target - start).num_seconds(),
        };
        Some(units.div_euclid(self.interval))
    }

    /// A period boundary shortly before `target` to restart expansion from, with the number
    /// of instances before it when COUNT matters (`counted`). One period of margin is kept
    /// (BYWEEKNO and BYSETPOS can place an instance just outside its period). `None` when
    /// there is nothing to skip, or when the instances before cannot be counted without
    /// walking them (COUNT with an irregular number of instances per period).
    fn seek(
        &self,
        target: NaiveDateTime,
        counted: bool,
    ) -> Result<Option<(NaiveDateTime, u64)>, Trouble> {
        let Some(k) = self.period_of(target).map(|k| k - 1).filter(|k| *k >= 1) else {
            return Ok(None);
        };
        let Some(at) = self.period(k) else {
            return Ok(None);
        };
        if !counted {
            return Ok(Some((at, 0)));
        }
        let (Some(per_period), Some(second)) = (self.per_period(), self.period(1)) else {
            return Ok(None);
        };
        // Instances in the first (partial) period: those from DTSTART before period 1.
        let ask = usize::try_from(per_period)
            .map_err(|_| Trouble)?
            .saturating_add(1);
        let first = self.expand(self.anchor, ask)?;
        if first.len() < ask {
            return Ok(None);
        }
        let first = first.iter().filter(|date| **date < second).count() as u64;
        let before = u64::try_from(k - 1)
            .ok()
            .and_then(|full| full.checked_mul(per_period))
            .and_then(|full| full.checked_add(first));
        Ok(before.map(|before| (at, before)))
    }

    /// How many instances every period holds, when that is the same for all periods (so
    /// COUNT can be tracked across a skip). `None` for rules whose periods differ (BYSETPOS,
    /// BYWEEKNO, BYYEARDAY, BYMONTH filters, day 29-31, ordinal BYDAY, ...).
    fn per_period(&self) -> Option<u64> {
        let rule = &self.rule;
        if !rule.bysetpos.is_empty() || !rule.byweekno.is_empty() || !rule.byyearday.is_empty() {
            return None;
        }
        let distinct = |values: &[u8]| {
            let mut values = values.to_vec();
            values.sort_unstable();
            values.dedup();
            values.len().max(1) as u64
        };
        let (hours, minutes, seconds) = (
            distinct(&rule.byhour),
            distinct(&rule.byminute),
            distinct(&rule.bysecond),
        );
        let times = hours * minutes * seconds;
        let regular_days =
            !rule.bymonthday.is_empty() && rule.bymonthday.iter().all(|day| (1..=28).contains(day));
        let no_date_filter =
            rule.bymonth.is_empty() && rule.bymonthday.is_empty() && rule.byday.is_empty();
        let count = match rule.freq {
            ICalendarFrequency::Yearly => {
                let mut months: Vec<u8> = rule.bymonth.iter().map(|m| m.month()).collect();
                months.sort_unstable();
                months.dedup();
                let regular = rule.byday.is_empty()
                    && !months.is_empty()
                    && rule.bymonth.iter().all(|m| !m.is_leap())
                    && regular_days;
                regular.then(|| months.len() as u64 * distinct_days(&rule.bymonthday) * times)
            }
            ICalendarFrequency::Monthly => {
                (rule.byday.is_empty() && rule.bymonth.is_empty() && regular_days)
                    .then(|| distinct_days(&rule.bymonthday) * times)
            }
            ICalendarFrequency::Weekly => {
                let mut days: Vec<Weekday> = rule
                    .byday
                    .iter()
                    .map(|day| Weekday::from(day.weekday))
                    .collect();
                days.sort_unstable_by_key(|day| day.num_days_from_monday());
                days.dedup();
                (rule.bymonth.is_empty()
                    && rule.bymonthday.is_empty()
                    && !days.is_empty()
                    && rule.byday.iter().all(|day| day.ordwk.is_none()))
                .then(|| days.len() as u64 * times)
            }
            ICalendarFrequency::Daily => no_date_filter.then_some(times),
            ICalendarFrequency::Hourly => {
                (no_date_filter && rule.byhour.is_empty()).then_some(minutes * seconds)
            }
            ICalendarFrequency::Minutely => {
                (no_date_filter && rule.byhour.is_empty() && rule.byminute.is_empty())
                    .then_some(seconds)
            }
            ICalendarFrequency::Secondly => (no_date_filter
                && rule.byhour.is_empty()
                && rule.byminute.is_empty()
                && rule.bysecond.is_empty())
            .then_some(1),
        };
        count.filter(|count| *count > 0)
    }

    /// Up to `limit` instances of the rule from `from` (a period boundary or DTSTART) on,
    /// in local time, ascending. calcard expands a synthetic one-event calendar whose
    /// DTSTART is floating, so time zones never enter its arithmetic.
    ///
    /// calcard walks periods without instances until year 10 000 (or 100 000 empty periods)
    /// before it gives up, half a second in a debug build for an impossible yearly rule. The
    /// Gregorian calendar repeats every 400 years (weekdays and ISO weeks included), so the
    /// expansion runs that many years later, close to calcard's limit but past the queried
    /// range, and the dates are moved back. Where the limit cuts the series short, fewer
    /// dates than asked come back and the caller answers conservatively.
    fn expand(&self, from: NaiveDateTime, limit: usize) -> Result<Vec<NaiveDateTime>, Trouble> {
        let needed = self
            .last_year
            .map_or(from.year().saturating_add(400), |last| {
                last.max(from.year()).saturating_add(1)
            });
        let room = 9999i32.saturating_sub(needed);
        let shift = if room >= 400 { room / 400 * 400 } else { 0 };
        let from = shift_years(from, shift).ok_or(Trouble)?;
        let year = u16::try_from(from.year()).map_err(|_| Trouble)?;
        if !(1..=9999).contains(&year) {
            return Err(Trouble);
        }
        let field = |value: u32| u8::try_from(value).ok();
        let start = PartialDateTime {
            year: Some(year),
            month: field(from.month()),
            day: field(from.day()),
            hour: field(from.hour()),
            minute: field(from.minute()),
            second: field(from.second()),
            ..PartialDateTime::default()
        };
        let event = ICalendarComponent {
            component_type: ICalendarComponentType::VEvent,
            entries: vec![
                ICalendarEntry {
                    name: ICalendarProperty::Dtstart,
                    params: Vec::new(),
                    values: vec![ICalendarValue::PartialDateTime(Box::new(start))],
                },
                ICalendarEntry {
                    name: ICalendarProperty::Rrule,
                    params: Vec::new(),
                    values: vec![ICalendarValue::RecurrenceRule(Box::new(self.rule.clone()))],
                },
            ],
            component_ids: Vec::new(),
        };
        let single = ICalendar {
            components: vec![
                ICalendarComponent {
                    component_type: ICalendarComponentType::VCalendar,
                    entries: Vec::new(),
                    component_ids: vec![1],
                },
                event,
            ],
        };
        // Date arithmetic on client-supplied rules inside calcard: never let a panic escape.
        let expansion = catch_unwind(AssertUnwindSafe(|| single.expand_dates(Tz::UTC, limit)))
            .map_err(|_| Trouble)?;
        if !expansion.errors.is_empty() {
            return Err(Trouble);
        }
        let mut dates = expansion
            .events
            .iter()
            .map(|event| shift_years(event.start.naive_local(), -shift))
            .collect::<Option<Vec<NaiveDateTime>>>()
            .ok_or(Trouble)?;
        dates.sort_unstable();
        Ok(dates)
    }
}

/// Moves a local date-time by whole years (used with multiples of 400, which keep the
/// weekday and 29 February).
fn shift_years(at: NaiveDateTime, years: i32) -> Option<NaiveDateTime> {
    let months = Months::new(years.unsigned_abs().checked_mul(12)?);
    let date = if years >= 0 {
        at.date().checked_add_months(months)?
    } else {
        at.date().checked_sub_months(months)?
    };
    Some(date.and_time(at.time()))
}

/// Distinct BYMONTHDAY values.
fn distinct_days(days: &[i8]) -> u64 {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    days.len() as u64
}

/// The first day of the week holding `date`, weeks starting on `week_start`.
fn week_start(date: NaiveDate, week_start: Weekday) -> NaiveDate {
    let back = (date.weekday().num_days_from_monday() + 7 - week_start.num_days_from_monday()) % 7;
    date - TimeDelta::days(i64::from(back))
}

/// calcard's weekday for a chrono weekday.
fn ical_weekday(day: Weekday) -> ICalendarWeekday {
    match day {
        Weekday::Mon => ICalendarWeekday::Monday,
        Weekday::Tue => ICalendarWeekday::Tuesday,
        Weekday::Wed => ICalendarWeekday::Wednesday,
        Weekday::Thu => ICalendarWeekday::Thursday,
        Weekday::Fri => ICalendarWeekday::Friday,
        Weekday::Sat => ICalendarWeekday::Saturday,
        Weekday::Sun => ICalendarWeekday::Sunday,
    }
}

/// Unix seconds of a local time in `zone` (a DST gap moves on, an ambiguous time takes the
/// earlier instant; see [`ZoneRef::instant`]).
pub(super) fn instant(zone: ZoneRef<'_>, local: NaiveDateTime) -> i64 {
    zone.instant(local)
}

/// The local time in `zone` at Unix seconds `ts`.
fn local_at(zone: ZoneRef<'_>, ts: i64) -> Option<NaiveDateTime> {
    zone.local_at(ts)
}

/// End of an instance starting at local `local` (Unix seconds `start`) with length `len`.
fn end_of(zone: ZoneRef<'_>, local: NaiveDateTime, start: i64, len: Length) -> i64 {
    let base = if len.days == 0 {
        start
    } else {
        TimeDelta::try_days(len.days)
            .and_then(|days| local.checked_add_signed(days))
            .map_or_else(
                || start.saturating_add(len.days.saturating_mul(DAY)),
                |later| instant(zone, later),
            )
    };
    base.saturating_add(len.secs).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// A wall-clock time written `YYYY-MM-DDTHH:MM`.
    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn a_zone_converts_wall_clock_times_both_ways() {
        let zurich = Zone::named("Europe/Zurich").expect("known zone");
        assert_eq!(zurich.name(), "Europe/Zurich");
        assert_eq!(Zone::UTC.name(), "Etc/UTC");
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            zurich.instant(local("2025-01-15T10:00")),
            at("2025-01-15T09:00")
        );
        assert_eq!(
            zurich.instant(local("2025-07-15T10:00")),
            at("2025-07-15T08:00")
        );
        assert_eq!(
            zurich.local_at(at("2025-07-15T08:00")),
            Some(local("2025-07-15T10:00"))
        );
        // 02:30 on 30 March 2025 does not exist in Zurich: it moves one hour on.
        assert_eq!(
            zurich.instant(local("2025-03-30T02:30")),
            at("2025-03-30T01:30")
        );
        // 02:30 on 26 October 2025 happens twice: the first (summer time) is taken.
        assert_eq!(
            zurich.instant(local("2025-10-26T02:30")),
            at("2025-10-26T00:30")
        );
        assert_eq!(zurich.local_at(i64::MAX), None);
    }

    /// Unix seconds of a UTC time written `YYYY-MM-DDTHH:MM`.
    fn at(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .unwrap_or_else(|err| panic!("{text}: {err}"))
            .and_utc()
            .timestamp()
    }

    /// The exact answer for the UTC range `[from, to)`; panics when only the conservative
    /// `true` of [`overlaps`] is available, so tests know which path answered.
    fn hit(body: &[u8], from: &str, to: &str) -> bool {
        let exact = matches_body(
            body,
            Window {
                start: Some(at(from)),
                end: Some(at(to)),
            },
            Zone::UTC,
        )
        .unwrap_or_else(|_| panic!("no exact answer for {from}..{to}"));
        assert_eq!(overlaps(body, Some(at(from)), Some(at(to)), None), exact);
        exact
    }

    /// True when [`overlaps`] can only answer conservatively for `[from, to)`.
    fn unknown(body: &[u8], from: &str, to: &str) -> bool {
        let window = Window {
            start: Some(at(from)),
            end: Some(at(to)),
        };
        matches_body(body, window, Zone::UTC).is_err()
            && overlaps(body, window.start, window.end, None)
    }

    /// A VCALENDAR around the given components.
    fn calendar(components: &str) -> Vec<u8> {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{components}END:VCALENDAR\r\n"
        )
        .into_bytes()
    }

    /// A component of type `name` with UID `u1` around the given property lines.
    fn component(name: &str, lines: &str) -> String {
        format!("BEGIN:{name}\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\n{lines}END:{name}\r\n")
    }

    /// A one-VEVENT calendar.
    fn event(lines: &str) -> Vec<u8> {
        calendar(&component("VEVENT", lines))
    }

    /// A one-VTODO calendar.
    fn todo(lines: &str) -> Vec<u8> {
        calendar(&component("VTODO", lines))
    }

    /// Bytes of `fixtures/ical/<name>`.
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/ical/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// Runs `f`, returns its result and how long it took.
    fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
        let began = Instant::now();
        let result = f();
        (result, began.elapsed())
    }

    /// Generous bound for "fast" in a debug build on a shared machine; the measured times are
    /// printed (`--nocapture`).
    const FAST: Duration = Duration::from_millis(250);

    #[test]
    fn vevent_with_dtend_or_positive_duration() {
        for body in [
            event("DTSTART:20240115T100000Z\r\nDTEND:20240115T110000Z\r\n"),
            event("DTSTART:20240115T100000Z\r\nDURATION:PT1H\r\n"),
        ] {
            // start < DTEND && end > DTSTART
            assert!(hit(&body, "2024-01-15T10:30", "2024-01-15T10:45"));
            assert!(hit(&body, "2024-01-15T09:00", "2024-01-15T10:01"));
            assert!(hit(&body, "2024-01-15T10:59", "2024-01-15T12:00"));
            assert!(hit(&body, "2024-01-01T00:00", "2024-02-01T00:00"));
            // Ends exactly at the range start; starts exactly at the range end.
            assert!(!hit(&body, "2024-01-15T11:00", "2024-01-15T12:00"));
            assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T10:00"));
            // Open-ended ranges.
            assert!(overlaps(&body, None, Some(at("2024-01-15T10:01")), None));
            assert!(!overlaps(&body, None, Some(at("2024-01-15T10:00")), None));
            assert!(overlaps(&body, Some(at("2024-01-15T10:59")), None, None));
            assert!(!overlaps(&body, Some(at("2024-01-15T11:00")), None, None));
            assert!(overlaps(&body, None, None, None));
        }
    }

    #[test]
    fn vevent_instants_and_all_day() {
        // DURATION 0, DTEND = DTSTART, and a DATE-TIME without either are instants:
        // start <= DTSTART && end > DTSTART.
        for body in [
            event("DTSTART:20240115T100000Z\r\nDURATION:PT0S\r\n"),
            event("DTSTART:20240115T100000Z\r\nDTEND:20240115T100000Z\r\n"),
            event("DTSTART:20240115T100000Z\r\n"),
        ] {
            assert!(hit(&body, "2024-01-15T10:00", "2024-01-15T11:00"));
            assert!(hit(&body, "2024-01-15T09:00", "2024-01-15T10:01"));
            assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T10:00"));
            assert!(!hit(&body, "2024-01-15T10:01", "2024-01-15T11:00"));
        }
        // DATE without DTEND/DURATION: one day (read as UTC).
        let body = event("DTSTART;VALUE=DATE:20240115\r\n");
        assert!(hit(&body, "2024-01-15T23:00", "2024-01-16T00:00"));
        assert!(hit(&body, "2024-01-14T23:00", "2024-01-15T00:01"));
        assert!(!hit(&body, "2024-01-16T00:00", "2024-01-17T00:00"));
        assert!(!hit(&body, "2024-01-14T00:00", "2024-01-15T00:00"));
        // Two-day all-day event.
        let body = event("DTSTART;VALUE=DATE:20240115\r\nDTEND;VALUE=DATE:20240117\r\n");
        assert!(hit(&body, "2024-01-16T12:00", "2024-01-16T13:00"));
        assert!(!hit(&body, "2024-01-17T00:00", "2024-01-18T00:00"));
        // A time zone: 10:00 Europe/Zurich in winter is 09:00Z.
        let body = event(
            "DTSTART;TZID=Europe/Zurich:20240115T100000\r\nDTEND;TZID=Europe/Zurich:20240115T110000\r\n",
        );
        assert!(hit(&body, "2024-01-15T09:00", "2024-01-15T09:01"));
        assert!(!hit(&body, "2024-01-15T10:00", "2024-01-15T11:00"));
        // An unknown TZID is read as UTC; a floating time too.
        let body = event("DTSTART;TZID=Mars/Olympus:20240115T100000\r\nDURATION:PT1H\r\n");
        assert!(hit(&body, "2024-01-15T10:00", "2024-01-15T10:01"));
        let body = event("DTSTART:20240115T100000\r\nDURATION:PT1H\r\n");
        assert!(hit(&body, "2024-01-15T10:59", "2024-01-15T11:01"));
        assert!(!hit(&body, "2024-01-15T11:00", "2024-01-15T11:01"));
    }

    /// Weekly on Mondays 09:00-10:00 Europe/Berlin from 2024-01-08 (SEQUENCE 2), the
    /// 2024-01-22 instance excluded, the 2024-01-29 instance moved to 14:00 by an override
    /// with SEQUENCE 3 (calcard's own merge would keep a ghost at 09:00).
    fn berlin_weekly() -> Vec<u8> {
        calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "SEQUENCE:2\r\nDTSTART;TZID=Europe/Berlin:20240108T090000\r\n\
                 DTEND;TZID=Europe/Berlin:20240108T100000\r\nRRULE:FREQ=WEEKLY\r\n\
                 EXDATE;TZID=Europe/Berlin:20240122T090000\r\n",
            ),
            component(
                "VEVENT",
                "SEQUENCE:3\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240129T090000\r\n\
                 DTSTART;TZID=Europe/Berlin:20240129T140000\r\n\
                 DTEND;TZID=Europe/Berlin:20240129T150000\r\n",
            ),
        ))
    }

    #[test]
    fn weekly_series_in_berlin() {
        let body = berlin_weekly();
        // Tuesday between two Mondays.
        assert!(!hit(&body, "2024-01-16T00:00", "2024-01-17T00:00"));
        // The Monday instance: 09:00 CET = 08:00Z.
        assert!(hit(&body, "2024-01-15T08:00", "2024-01-15T09:00"));
        assert!(hit(&body, "2024-01-15T08:59", "2024-01-15T12:00"));
        assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T12:00"));
        // A whole week holds an instance, unless its Monday is excluded.
        assert!(hit(&body, "2024-02-06T00:00", "2024-02-13T00:00"));
        assert!(!hit(&body, "2024-01-16T00:00", "2024-01-23T00:00"));
        // The EXDATE'd instance.
        assert!(!hit(&body, "2024-01-22T00:00", "2024-01-23T00:00"));
        // The moved instance: not in its old slot, found in the new one.
        assert!(!hit(&body, "2024-01-29T08:00", "2024-01-29T09:00"));
        assert!(hit(&body, "2024-01-29T13:00", "2024-01-29T14:00"));
        // Summer time: 09:00 CEST = 07:00Z.
        assert!(hit(&body, "2024-04-01T07:00", "2024-04-01T07:30"));
        assert!(!hit(&body, "2024-04-01T08:00", "2024-04-01T09:00"));
        // Before the series starts.
        assert!(!hit(&body, "2024-01-01T00:00", "2024-01-08T08:00"));
    }

    #[test]
    fn recurrence_id_in_another_zone_suppresses_the_instance() {
        // Master in Europe/Paris, 09:00 CET = 08:00Z; overrides name the instance in UTC and in
        // America/New_York (03:00 EST = 08:00Z).
        let body = calendar(&format!(
            "{}{}{}",
            component(
                "VEVENT",
                "DTSTART;TZID=Europe/Paris:20240108T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\n",
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID:20240115T080000Z\r\nDTSTART:20240117T120000Z\r\nDTEND:20240117T130000Z\r\n",
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID;TZID=America/New_York:20240122T030000\r\n\
                 DTSTART:20240124T120000Z\r\nDTEND:20240124T130000Z\r\n",
            ),
        ));
        assert!(hit(&body, "2024-01-08T08:00", "2024-01-08T09:00"));
        assert!(!hit(&body, "2024-01-15T08:00", "2024-01-15T09:00"));
        assert!(hit(&body, "2024-01-17T12:00", "2024-01-17T12:30"));
        assert!(!hit(&body, "2024-01-22T08:00", "2024-01-22T09:00"));
        assert!(hit(&body, "2024-01-24T12:59", "2024-01-24T14:00"));
        assert!(hit(&body, "2024-01-29T08:00", "2024-01-29T09:00"));
    }

    #[test]
    fn override_details() {
        // A cancelled override still occupies its slot (RFC 4791; free-busy drops it later).
        let body = calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID:20240103T090000Z\r\nSTATUS:CANCELLED\r\nDTSTART:20240103T090000Z\r\n\
                 DURATION:PT1H\r\n",
            ),
        ));
        assert!(hit(&body, "2024-01-03T09:30", "2024-01-03T09:40"));
        // An override with only a RECURRENCE-ID takes the master's length in its slot.
        let body = calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
            ),
            component("VEVENT", "RECURRENCE-ID:20240103T090000Z\r\nSUMMARY:x\r\n"),
        ));
        assert!(hit(&body, "2024-01-03T09:30", "2024-01-03T09:40"));
        // A RECURRENCE-ID without TZID is read in the master's zone (09:00 CET = 08:00Z).
        let body = calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "DTSTART;TZID=Europe/Berlin:20240101T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n",
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID:20240103T090000\r\nDTSTART:20240103T150000Z\r\nDURATION:PT1H\r\n",
            ),
        ));
        assert!(!hit(&body, "2024-01-03T08:00", "2024-01-03T09:00"));
        assert!(hit(&body, "2024-01-03T15:00", "2024-01-03T16:00"));
        assert!(hit(&body, "2024-01-04T08:00", "2024-01-04T09:00"));
        // Overrides without their master (invited to one instance only).
        let body = calendar(&component(
            "VEVENT",
            "RECURRENCE-ID:20240103T090000Z\r\nDTSTART:20240103T150000Z\r\nDURATION:PT1H\r\n",
        ));
        assert!(hit(&body, "2024-01-03T15:30", "2024-01-03T15:40"));
        assert!(!hit(&body, "2024-01-03T09:00", "2024-01-03T10:00"));
    }

    #[test]
    fn this_and_future_is_conservative() {
        // Daily 09:00-10:00Z; from 2024-01-10 on moved to 15:00-16:00Z.
        let body = calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID;RANGE=THISANDFUTURE:20240110T090000Z\r\n\
                 DTSTART:20240110T150000Z\r\nDTEND:20240110T160000Z\r\n",
            ),
        ));
        assert!(hit(&body, "2024-01-10T15:00", "2024-01-10T16:00"));
        assert!(!hit(&body, "2024-01-10T09:00", "2024-01-10T10:00"));
        // Later instances: in the shifted slot (and, conservatively, the old one).
        assert!(hit(&body, "2024-01-12T15:00", "2024-01-12T16:00"));
        assert!(hit(&body, "2034-01-12T15:00", "2034-01-12T16:00"));
        // Before the override nothing moves; outside the hull nothing matches.
        assert!(!hit(&body, "2024-01-05T15:00", "2024-01-05T16:00"));
        assert!(!hit(&body, "2024-01-12T17:00", "2024-01-12T18:00"));
    }

    #[test]
    fn all_day_yearly_series() {
        for body in [
            event("DTSTART;VALUE=DATE:20230615\r\nRRULE:FREQ=YEARLY\r\n"),
            event(
                "DTSTART;VALUE=DATE:20230615\r\nDTEND;VALUE=DATE:20230616\r\nRRULE:FREQ=YEARLY\r\n",
            ),
        ] {
            assert!(hit(&body, "2024-06-15T00:00", "2024-06-15T12:00"));
            assert!(hit(&body, "2024-06-15T23:59", "2024-06-16T12:00"));
            assert!(!hit(&body, "2024-06-16T00:00", "2024-06-17T00:00"));
            assert!(!hit(&body, "2024-06-14T00:00", "2024-06-15T00:00"));
            assert!(hit(&body, "2033-06-15T10:00", "2033-06-15T11:00"));
            assert!(!hit(&body, "2033-06-16T10:00", "2033-06-16T11:00"));
        }
        // Thunderbird: DATE with a TZID (read as UTC), daily COUNT=5 from 2006-01-02.
        let body = fixture("thunderbird-all-day-recurring.ics");
        assert!(hit(&body, "2006-01-06T12:00", "2006-01-06T13:00"));
        assert!(!hit(&body, "2006-01-07T00:00", "2006-01-08T00:00"));
        assert!(!hit(&body, "2006-01-01T00:00", "2006-01-02T00:00"));
        // UNTIL as DATE on a DATE series is inclusive.
        let body = event("DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=DAILY;UNTIL=20240105\r\n");
        assert!(hit(&body, "2024-01-05T12:00", "2024-01-05T13:00"));
        assert!(!hit(&body, "2024-01-06T12:00", "2024-01-06T13:00"));
    }

    #[test]
    fn infinite_rules_far_in_the_future_are_exact_and_fast() {
        let body = event(
            "DTSTART;TZID=Europe/Berlin:20240101T090000\r\n\
             DTEND;TZID=Europe/Berlin:20240101T100000\r\nRRULE:FREQ=DAILY\r\n",
        );
        // 2034-03-15 is CET: 09:00 = 08:00Z; 2034-07-15 is CEST: 09:00 = 07:00Z.
        let cases = [
            ("2034-03-15T08:00", "2034-03-15T09:00", true),
            ("2034-03-15T09:00", "2034-03-15T10:00", false),
            ("2034-07-15T07:00", "2034-07-15T08:00", true),
            ("2034-07-15T06:00", "2034-07-15T07:00", false),
        ];
        for (from, to, expected) in cases {
            let (result, took) = timed(|| hit(&body, from, to));
            println!("daily, ten years out, {from}: {took:?}");
            assert_eq!(result, expected, "{from}");
            assert!(took < FAST, "{from}: {took:?}");
        }
        // Sub-daily and interval rules skip ahead too.
        let cases: [(&str, &str, &str, bool); 5] = [
            // every 5 hours from 2024-01-01 00:00Z: 2034-01-01 00:00Z is 87 672 h later,
            // 87 672 = 5 * 17 534 + 2 -> instances at 2033-12-31T22:00 and 2034-01-01T03:00
            (
                "FREQ=HOURLY;INTERVAL=5",
                "2034-01-01T00:00",
                "2034-01-01T03:00",
                false,
            ),
            (
                "FREQ=HOURLY;INTERVAL=5",
                "2034-01-01T03:00",
                "2034-01-01T03:01",
                true,
            ),
            (
                "FREQ=MINUTELY;INTERVAL=7",
                "2034-01-01T00:00",
                "2034-01-01T00:10",
                true,
            ),
            (
                "FREQ=SECONDLY;INTERVAL=3600",
                "2034-01-01T00:00",
                "2034-01-01T00:01",
                true,
            ),
            // every 3rd day from 2024-01-01: 2034-01-01 is 3653 days later (3653 = 3 * 1217 + 2)
            (
                "FREQ=DAILY;INTERVAL=3",
                "2034-01-01T00:00",
                "2034-01-02T00:00",
                false,
            ),
        ];
        for (rule, from, to, expected) in cases {
            let body = event(&format!("DTSTART:20240101T000000Z\r\nRRULE:{rule}\r\n"));
            let (result, took) = timed(|| hit(&body, from, to));
            println!("{rule}, ten years out: {took:?}");
            assert_eq!(result, expected, "{rule} {from}");
            assert!(took < FAST, "{rule}: {took:?}");
        }
    }

    #[test]
    fn count_rules() {
        // Pitfall 9: COUNT=10^9 daily, queried a century out.
        let body = event("DTSTART:20240101T090000Z\r\nRRULE:FREQ=DAILY;COUNT=1000000000\r\n");
        let (result, took) = timed(|| hit(&body, "2100-03-01T09:00", "2100-03-01T09:30"));
        println!("COUNT=10^9 daily, 2100: {took:?}");
        assert!(result);
        assert!(took < FAST, "{took:?}");
        assert!(!hit(&body, "2100-03-01T10:00", "2100-03-01T11:00"));

        // COUNT is tracked across the skip: the 10th daily instance is 2024-01-10.
        let body =
            event("DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=10\r\n");
        assert!(hit(&body, "2024-01-10T09:00", "2024-01-10T10:00"));
        assert!(!hit(&body, "2024-01-11T09:00", "2024-01-11T10:00"));
        assert!(!hit(&body, "2025-01-11T09:00", "2025-01-11T10:00"));

        // Weekly MO/WE/FR from Wednesday 2024-01-03, COUNT=10: W3 F5 M8 W10 F12 M15 W17 F19
        // M22 W24.
        let body = event(
            "DTSTART:20240103T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10\r\n",
        );
        assert!(hit(&body, "2024-01-24T09:00", "2024-01-24T10:00"));
        assert!(hit(&body, "2024-01-22T09:00", "2024-01-22T10:00"));
        assert!(!hit(&body, "2024-01-23T09:00", "2024-01-23T10:00"));
        assert!(!hit(&body, "2024-01-26T09:00", "2024-01-26T10:00"));

        // COUNT with irregular periods (first Monday of the month) cannot skip ahead: exact
        // within the cap (3000 months), conservative beyond it.
        let body = event(
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=5000\r\n",
        );
        // 2030-01-01 is a Tuesday: the first Monday is 2030-01-07.
        assert!(hit(&body, "2030-01-07T09:00", "2030-01-07T10:00"));
        assert!(!hit(&body, "2030-01-08T09:00", "2030-01-08T10:00"));
        let (result, took) = timed(|| unknown(&body, "2500-01-01T00:00", "2500-01-02T00:00"));
        println!("COUNT monthly BYDAY=1MO, past the cap (twice): {took:?}");
        assert!(result, "past the cap the answer is conservative");
        // A finished COUNT is exact.
        let body = event(
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3\r\n",
        );
        assert!(hit(&body, "2024-03-04T09:00", "2024-03-04T10:00"));
        assert!(!hit(&body, "2024-04-01T09:00", "2024-04-01T10:00"));
    }

    #[test]
    fn until_and_rdate() {
        // UNTIL in UTC equal to the 2024-01-29 09:00 CET instance: inclusive.
        let body = event(
            "DTSTART;TZID=Europe/Berlin:20240108T090000\r\nDURATION:PT1H\r\n\
             RRULE:FREQ=WEEKLY;UNTIL=20240129T080000Z\r\n",
        );
        assert!(hit(&body, "2024-01-29T08:00", "2024-01-29T09:00"));
        assert!(!hit(&body, "2024-02-05T08:00", "2024-02-05T09:00"));
        // RDATE (date-time and period), EXDATE applies to RDATEs too.
        let body = event(
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRDATE:20240301T090000Z,20240302T090000Z\r\n\
             RDATE;VALUE=PERIOD:20240401T090000Z/20240401T120000Z\r\nEXDATE:20240302T090000Z\r\n",
        );
        assert!(hit(&body, "2024-03-01T09:30", "2024-03-01T09:40"));
        assert!(!hit(&body, "2024-03-02T09:30", "2024-03-02T09:40"));
        assert!(hit(&body, "2024-04-01T11:00", "2024-04-01T11:30"));
        assert!(!hit(&body, "2024-04-01T12:00", "2024-04-01T13:00"));
        assert!(!hit(&body, "2024-02-01T00:00", "2024-02-28T00:00"));
        // DTSTART itself can be excluded.
        let body = event(
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\nEXDATE:20240101T090000Z\r\n",
        );
        assert!(!hit(&body, "2024-01-01T09:00", "2024-01-01T10:00"));
        assert!(hit(&body, "2024-01-02T09:00", "2024-01-02T10:00"));
    }

    #[test]
    fn dst_gap_and_date_exdate() {
        // 02:30 does not exist in Berlin on 2024-03-31: the instance moves to 03:30 CEST = 01:30Z.
        let body = event(
            "DTSTART;TZID=Europe/Berlin:20240325T023000\r\nDURATION:PT30M\r\nRRULE:FREQ=DAILY\r\n",
        );
        assert!(hit(&body, "2024-03-31T01:30", "2024-03-31T01:45"));
        assert!(!hit(&body, "2024-03-31T00:00", "2024-03-31T01:30"));
        // Thunderbird: an EXDATE with a DATE value on a DATE-TIME series removes that day's
        // instance (daily COUNT=3 from 2013-09-01 18:00 CEST = 16:00Z).
        let body = fixture("thunderbird-mixed-date-datetime-recurrence.ics");
        assert!(hit(&body, "2013-09-01T16:00", "2013-09-01T16:30"));
        assert!(!hit(&body, "2013-09-02T16:00", "2013-09-02T16:30"));
        assert!(hit(&body, "2013-09-03T16:00", "2013-09-03T16:30"));
        assert!(!hit(&body, "2013-09-04T16:00", "2013-09-04T16:30"));
    }

    #[test]
    fn vtodo_rows() {
        // DTSTART + DUE: (start < DUE || start <= DTSTART) && (end > DTSTART || end >= DUE).
        let body = todo("DTSTART:20240115T100000Z\r\nDUE:20240115T120000Z\r\n");
        assert!(hit(&body, "2024-01-15T11:00", "2024-01-15T11:30"));
        assert!(!hit(&body, "2024-01-15T12:00", "2024-01-15T13:00"));
        assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T10:00"));
        // DTSTART + DURATION: start <= DTSTART+DURATION, so a range starting at the end matches.
        let body = todo("DTSTART:20240115T100000Z\r\nDURATION:PT1H\r\n");
        assert!(hit(&body, "2024-01-15T11:00", "2024-01-15T12:00"));
        assert!(!hit(&body, "2024-01-15T11:01", "2024-01-15T12:00"));
        assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T10:00"));
        // DTSTART only.
        let body = todo("DTSTART:20240115T100000Z\r\n");
        assert!(hit(&body, "2024-01-15T10:00", "2024-01-15T11:00"));
        assert!(!hit(&body, "2024-01-15T09:00", "2024-01-15T10:00"));
        // DUE only: start < DUE && end >= DUE.
        let body = todo("DUE:20240115T120000Z\r\n");
        assert!(hit(&body, "2024-01-15T11:00", "2024-01-15T12:00"));
        assert!(!hit(&body, "2024-01-15T12:00", "2024-01-15T13:00"));
        // COMPLETED + CREATED, COMPLETED, CREATED, nothing.
        let body = todo("CREATED:20240110T000000Z\r\nCOMPLETED:20240115T000000Z\r\n");
        assert!(hit(&body, "2024-01-12T00:00", "2024-01-13T00:00"));
        assert!(hit(&body, "2024-01-15T00:00", "2024-01-16T00:00"));
        assert!(!hit(&body, "2024-01-15T00:01", "2024-01-16T00:00"));
        let body = todo("COMPLETED:20240115T000000Z\r\n");
        assert!(hit(&body, "2024-01-14T00:00", "2024-01-15T00:00"));
        assert!(!hit(&body, "2024-01-14T00:00", "2024-01-14T23:59"));
        let body = todo("CREATED:20240110T000000Z\r\n");
        assert!(hit(&body, "2030-01-01T00:00", "2030-01-02T00:00"));
        assert!(!hit(&body, "2024-01-09T00:00", "2024-01-10T00:00"));
        let body = todo("SUMMARY:someday\r\n");
        assert!(hit(&body, "1999-01-01T00:00", "1999-01-02T00:00"));
        // DAVdroid: weekly, DUE only, a DATE (2013-09-01 00:00Z, a Sunday).
        let body = fixture("davdroid-vtodo-recurring-all-day.ics");
        assert!(hit(&body, "2013-09-07T12:00", "2013-09-08T01:00"));
        assert!(!hit(&body, "2013-09-08T01:00", "2013-09-14T00:00"));
        assert!(hit(&body, "2023-09-09T12:00", "2023-09-10T00:00"));
    }

    #[test]
    fn vjournal_and_others() {
        // No DTSTART: never.
        let body = fixture("thunderbird-vjournal-recurring.ics");
        assert!(!overlaps(&body, None, None, None));
        let body = calendar(&component("VJOURNAL", "DTSTART;VALUE=DATE:20240115\r\n"));
        assert!(hit(&body, "2024-01-15T23:00", "2024-01-16T00:00"));
        assert!(!hit(&body, "2024-01-16T00:00", "2024-01-16T01:00"));
        let body = calendar(&component("VJOURNAL", "DTSTART:20240115T100000Z\r\n"));
        assert!(hit(&body, "2024-01-15T10:00", "2024-01-15T10:01"));
        assert!(!hit(&body, "2024-01-15T10:01", "2024-01-15T11:00"));
        // VFREEBUSY is left to the index.
        let body = calendar(&component(
            "VFREEBUSY",
            "DTSTART:20240115T100000Z\r\nDTEND:20240115T110000Z\r\n",
        ));
        assert!(hit(&body, "2030-01-01T00:00", "2030-01-02T00:00"));
    }

    #[test]
    fn davx5_exdate_and_override_fixture() {
        // Weekly on Thursdays 19:30-20:30 Europe/Paris from 2024-06-06; 2024-07-04 excluded;
        // the 2024-11-28 override (SEQUENCE 1, master 3) keeps the slot.
        let body = fixture("davx5-exdate-recurrence-id-europe-paris.ics");
        assert!(hit(&body, "2024-06-06T17:30", "2024-06-06T18:00"));
        assert!(!hit(&body, "2024-07-04T17:00", "2024-07-04T19:00"));
        assert!(hit(&body, "2024-07-11T17:30", "2024-07-11T18:30"));
        assert!(!hit(&body, "2024-07-10T00:00", "2024-07-11T17:30"));
        // CET: 19:30 = 18:30Z.
        assert!(hit(&body, "2024-11-28T18:30", "2024-11-28T19:30"));
        assert!(!hit(&body, "2024-11-28T17:30", "2024-11-28T18:30"));
        assert!(hit(&body, "2024-12-05T18:30", "2024-12-05T19:00"));
        assert!(!hit(&body, "2024-12-05T19:30", "2024-12-05T20:00"));
        assert!(hit(&body, "2030-01-03T18:30", "2030-01-03T19:00"));
        assert!(!hit(&body, "2030-01-02T00:00", "2030-01-03T00:00"));
    }

    #[test]
    fn thunderbird_override_fixture() {
        // Daily 08:00-09:00 Europe/Paris (CEST = 06:00Z) from 2017-07-01; the 2017-07-03
        // instance moved to 2017-06-01 08:00 CEST = 06:00Z.
        let body = fixture("thunderbird-recurring-with-override.ics");
        assert!(hit(&body, "2017-07-01T06:00", "2017-07-01T07:00"));
        assert!(hit(&body, "2017-07-02T06:30", "2017-07-02T07:00"));
        assert!(!hit(&body, "2017-07-03T06:00", "2017-07-03T07:00"));
        assert!(hit(&body, "2017-07-04T06:00", "2017-07-04T07:00"));
        assert!(hit(&body, "2017-06-01T06:00", "2017-06-01T07:00"));
        assert!(!hit(&body, "2017-06-02T06:00", "2017-06-02T07:00"));
        // Ten years on, in winter (CET): 08:00 = 07:00Z.
        assert!(hit(&body, "2027-01-15T07:00", "2027-01-15T08:00"));
        assert!(!hit(&body, "2027-01-15T08:00", "2027-01-15T09:00"));
    }

    #[test]
    fn exchange_windows_zone_fixture() {
        // Weekly Fridays 11:00-12:00 "W. Europe Standard Time" from 2026-01-23 until
        // 2026-07-31T09:00Z; floating EXDATE 2026-04-03 11:00 (in the master's zone: 09:00Z);
        // 2026-01-30 moved to 10:30-11:30 CET = 09:30Z-10:30Z (SEQUENCE 1, master 0).
        let body = fixture("thunderbird-from-exchange-w-europe-standard-time.ics");
        assert!(hit(&body, "2026-01-23T10:00", "2026-01-23T10:30"));
        assert!(!hit(&body, "2026-01-30T10:30", "2026-01-30T11:00"));
        assert!(hit(&body, "2026-01-30T09:30", "2026-01-30T09:45"));
        assert!(!hit(&body, "2026-04-03T09:00", "2026-04-03T10:00"));
        assert!(hit(&body, "2026-04-10T09:00", "2026-04-10T09:30"));
        assert!(hit(&body, "2026-07-31T09:00", "2026-07-31T09:30"));
        assert!(!hit(&body, "2026-08-07T09:00", "2026-08-07T10:00"));
    }

    #[test]
    fn macos_bysetpos_fixture() {
        // Every other month, last weekday, 13:00-13:45 America/Los_Angeles from 2015-03-24
        // (DTSTART, 2015-03-31 and 2015-05-29 excluded; 2015-07-31 overridden in place).
        let body = fixture("macos-10.11-recurring-exdate-override-no-vtimezone.ics");
        assert!(!hit(&body, "2015-03-24T20:00", "2015-03-24T20:45"));
        assert!(!hit(&body, "2015-03-31T20:00", "2015-03-31T20:45"));
        assert!(!hit(&body, "2015-05-29T20:00", "2015-05-29T20:45"));
        assert!(hit(&body, "2015-07-31T20:00", "2015-07-31T20:45"));
        // 2015-09-30 (Wednesday) 13:00 PDT = 20:00Z.
        assert!(hit(&body, "2015-09-30T20:00", "2015-09-30T20:45"));
        assert!(!hit(&body, "2015-09-29T20:00", "2015-09-29T20:45"));
        // 2025-11-28 (Friday) 13:00 PST = 21:00Z; October is not in phase.
        assert!(hit(&body, "2025-11-28T21:00", "2025-11-28T21:30"));
        assert!(!hit(&body, "2025-10-31T21:00", "2025-10-31T21:30"));
    }

    #[test]
    fn google_weekday_series_fixture() {
        // Mondays to Fridays 14:00-14:30 Europe/Zurich from 2016-10-28 (METHOD is irrelevant
        // here); 2026-11-27 is a Friday (CET: 13:00Z), 2026-11-28 a Saturday.
        let body = fixture("google-europe-zurich-x-apple-structured-location.ics");
        assert!(hit(&body, "2016-10-28T12:00", "2016-10-28T12:30"));
        assert!(hit(&body, "2026-11-27T13:00", "2026-11-27T13:10"));
        assert!(!hit(&body, "2026-11-28T00:00", "2026-11-30T00:00"));
        assert!(!hit(&body, "2026-11-27T13:30", "2026-11-30T13:00"));
    }

    /// Skipping ahead gives the same answers as calcard's plain expansion from DTSTART.
    #[test]
    fn skipping_ahead_agrees_with_full_expansion() {
        let rules = [
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,SA",
            "FREQ=MONTHLY;INTERVAL=2;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=MONTHLY;BYDAY=2TU,-1FR",
            "FREQ=YEARLY;BYWEEKNO=1,20;BYDAY=MO",
            "FREQ=YEARLY;BYYEARDAY=1,100,-1",
            "FREQ=YEARLY;INTERVAL=2;BYMONTH=3,9;BYDAY=1WE",
            "FREQ=HOURLY;INTERVAL=7;BYHOUR=1,8,15",
            "FREQ=MINUTELY;INTERVAL=13;BYHOUR=9",
            "FREQ=DAILY;BYDAY=MO,FR;BYHOUR=8,17",
            "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=200",
            "FREQ=DAILY;INTERVAL=2;BYHOUR=9,21;COUNT=700",
            "FREQ=MONTHLY;BYMONTHDAY=15,3;COUNT=40",
            "FREQ=HOURLY;INTERVAL=5;COUNT=3000",
            "FREQ=YEARLY;COUNT=3",
        ];
        // The same in Berlin local time (09:30 CET = 08:30Z), across DST changes.
        let zoned = [
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=200",
            "FREQ=MONTHLY;BYDAY=-1SU",
        ];
        let cases = rules
            .iter()
            .map(|rule| ("DTSTART:20240103T093000Z", at("2024-01-03T09:30"), *rule))
            .chain(zoned.iter().map(|rule| {
                (
                    "DTSTART;TZID=Europe/Berlin:20240103T093000",
                    at("2024-01-03T08:30"),
                    *rule,
                )
            }));
        for (start_line, dtstart, rule) in cases {
            let body = event(&format!(
                "{start_line}\r\nDURATION:PT45M\r\nRRULE:{rule}\r\n"
            ));
            let text = std::str::from_utf8(&body).unwrap();
            let Entry::ICalendar(ical) = Parser::new(text).entry() else {
                panic!("{rule}: not parsed");
            };
            let expansion = ical.expand_dates(Tz::UTC, 10_000);
            assert!(expansion.errors.is_empty(), "{rule}");
            let mut instances: Vec<(i64, i64)> =
                expansion.events.iter().map(|e| e.timestamps()).collect();
            instances.push((dtstart, dtstart + 45 * 60));
            let horizon = if expansion.events.len() == 10_000 {
                instances.iter().map(|i| i.0).max().unwrap_or(i64::MAX)
            } else {
                i64::MAX
            };
            // Around the last instance of a COUNT series, then spread over about three years
            // at odd minutes.
            let last = instances.iter().max().copied().unwrap_or_default();
            let mut windows = Vec::new();
            if rule.contains("COUNT") {
                windows.extend([(last.0, 60), (last.0 - 60, 61), (last.1, 40 * DAY)]);
            }
            for k in 0..80i64 {
                let start = dtstart + k * 1_187_777 % (3 * 366 * DAY);
                windows.extend([(start, 60), (start, 3_600 * 7), (start, 6 * DAY)]);
            }
            let mut checked = 0;
            for (start, length) in windows {
                {
                    let end = start + length;
                    if end >= horizon {
                        continue;
                    }
                    let expected = instances.iter().any(|(s, e)| start < *e && end > *s);
                    let exact = matches_body(
                        &body,
                        Window {
                            start: Some(start),
                            end: Some(end),
                        },
                        Zone::UTC,
                    );
                    assert_eq!(exact.ok(), Some(expected), "{rule} [{start}, {end})");
                    checked += 1;
                }
            }
            assert!(checked > 100, "{rule}: {checked}");
        }
    }

    /// An instance, from UTC texts.
    fn inst(from: &str, to: &str, component_index: usize, rid: Option<&str>) -> Instance {
        Instance {
            start: at(from),
            end: at(to),
            component_index,
            recurrence_id: rid.map(at),
        }
    }

    /// The instances of `body` in the UTC range `[from, to)`, uncapped.
    fn listed(body: &[u8], from: &str, to: &str) -> Vec<Instance> {
        instances(body, at(from), at(to), usize::MAX, None)
    }

    #[test]
    fn instances_of_a_series_with_exdate_and_moved_override() {
        let body = berlin_weekly();
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2024-02-06T00:00"),
            vec![
                inst(
                    "2024-01-08T08:00",
                    "2024-01-08T09:00",
                    0,
                    Some("2024-01-08T08:00")
                ),
                inst(
                    "2024-01-15T08:00",
                    "2024-01-15T09:00",
                    0,
                    Some("2024-01-15T08:00")
                ),
                inst(
                    "2024-01-29T13:00",
                    "2024-01-29T14:00",
                    1,
                    Some("2024-01-29T08:00")
                ),
                inst(
                    "2024-02-05T08:00",
                    "2024-02-05T09:00",
                    0,
                    Some("2024-02-05T08:00")
                ),
            ]
        );
        // Overlap as in RFC 4791 §9.9: touching the range edges is not overlapping.
        assert_eq!(
            listed(&body, "2024-01-15T09:00", "2024-01-22T08:00"),
            vec![]
        );
        // A non-recurring event has no RECURRENCE-ID.
        let body = event("DTSTART:20240115T100000Z\r\nDURATION:PT1H\r\n");
        assert_eq!(
            listed(&body, "2024-01-15T10:59", "2024-01-16T00:00"),
            vec![inst("2024-01-15T10:00", "2024-01-15T11:00", 0, None)]
        );
    }

    #[test]
    fn instances_keep_cancelled_overrides_and_count_vtimezones_in_the_index() {
        let body = calendar(&format!(
            "BEGIN:VTIMEZONE\r\nTZID:Fixed\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
             TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n{}{}",
            component(
                "VEVENT",
                "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=4\r\n"
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID:20240103T090000Z\r\nSTATUS:CANCELLED\r\n\
                 DTSTART:20240103T090000Z\r\nDURATION:PT1H\r\n",
            ),
        ));
        let found = listed(&body, "2024-01-01T00:00", "2024-02-01T00:00");
        assert_eq!(
            found.iter().map(|i| i.component_index).collect::<Vec<_>>(),
            vec![1, 1, 2, 1]
        );
        assert_eq!(found[2].recurrence_id, Some(at("2024-01-03T09:00")));
        assert_eq!(found[3].start, at("2024-01-04T09:00"));
    }

    #[test]
    fn instances_follow_a_this_and_future_override() {
        // Daily 09:00-10:00Z; from 2024-01-10 on moved to 15:00-16:30Z.
        let body = calendar(&format!(
            "{}{}",
            component(
                "VEVENT",
                "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n"
            ),
            component(
                "VEVENT",
                "RECURRENCE-ID;RANGE=THISANDFUTURE:20240110T090000Z\r\n\
                 DTSTART:20240110T150000Z\r\nDTEND:20240110T163000Z\r\n",
            ),
        ));
        assert_eq!(
            listed(&body, "2024-01-09T00:00", "2024-01-12T00:00"),
            vec![
                inst(
                    "2024-01-09T09:00",
                    "2024-01-09T10:00",
                    0,
                    Some("2024-01-09T09:00")
                ),
                inst(
                    "2024-01-10T15:00",
                    "2024-01-10T16:30",
                    1,
                    Some("2024-01-10T09:00")
                ),
                inst(
                    "2024-01-11T15:00",
                    "2024-01-11T16:30",
                    1,
                    Some("2024-01-11T09:00")
                ),
            ]
        );
        // The old slot is empty; the moved one is found far ahead.
        assert_eq!(
            listed(&body, "2030-01-01T09:00", "2030-01-01T10:00"),
            vec![]
        );
        assert_eq!(
            listed(&body, "2030-01-01T16:00", "2030-01-01T17:00"),
            vec![inst(
                "2030-01-01T15:00",
                "2030-01-01T16:30",
                1,
                Some("2030-01-01T09:00")
            )]
        );
    }

    #[test]
    fn instances_are_listed_once_and_capped() {
        // DTSTART is also generated by the rule, and the RDATE repeats a rule instance.
        let body = event(
            "DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
             RDATE:20240102T090000Z,20240110T090000Z\r\n",
        );
        let starts: Vec<i64> = listed(&body, "2024-01-01T00:00", "2024-02-01T00:00")
            .iter()
            .map(|i| i.start)
            .collect();
        assert_eq!(
            starts,
            [
                "2024-01-01T09:00",
                "2024-01-02T09:00",
                "2024-01-03T09:00",
                "2024-01-10T09:00"
            ]
            .map(at)
        );
        let body = event("DTSTART:20240101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n");
        assert_eq!(
            instances(
                &body,
                at("2024-01-01T00:00"),
                at("2025-01-01T00:00"),
                5,
                None
            )
            .len(),
            5
        );
        assert_eq!(
            instances(
                &body,
                at("2024-01-01T00:00"),
                at("2025-01-01T00:00"),
                0,
                None
            ),
            vec![]
        );
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2025-01-01T00:00").len(),
            366
        );
    }

    #[test]
    fn instances_of_other_objects() {
        // All-day: a UTC day.
        let body = event("DTSTART;VALUE=DATE:20240115\r\n");
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![inst("2024-01-15T00:00", "2024-01-16T00:00", 0, None)]
        );
        // A VTODO without dates overlaps everything.
        let body = todo("SUMMARY:someday\r\n");
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![Instance {
                start: i64::MIN,
                end: i64::MAX,
                component_index: 0,
                recurrence_id: None
            }]
        );
        // VFREEBUSY, garbage, a VEVENT without DTSTART: nothing.
        let body = calendar(&component(
            "VFREEBUSY",
            "DTSTART:20240115T100000Z\r\nDTEND:20240115T110000Z\r\n",
        ));
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![]
        );
        assert_eq!(
            listed(b"\xff garbage", "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![]
        );
        let body = event("SUMMARY:no start\r\n");
        assert_eq!(
            listed(&body, "2024-01-01T00:00", "2024-02-01T00:00"),
            vec![]
        );
    }

    /// Wherever [`overlaps`] has an exact answer, [`instances`] agrees with it (same walk),
    /// THISANDFUTURE aside (overlaps then matches a hull on purpose).
    #[test]
    fn instances_agree_with_overlaps_on_the_fixtures() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ical");
        let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .expect("fixtures/ical")
            .map(|entry| std::fs::read(entry.expect("entry").path()).expect("fixture"))
            .filter(|body| {
                let text = String::from_utf8_lossy(body);
                !text.contains("THISANDFUTURE") && !text.contains("BEGIN:VFREEBUSY")
            })
            .collect();
        bodies.push(berlin_weekly());
        let mut compared = 0;
        for body in &bodies {
            for k in 0..60i64 {
                let start = at("2013-01-01T00:00") + k * 5_555_555;
                for length in [HOUR, 3 * DAY, 40 * DAY] {
                    let window = Window {
                        start: Some(start),
                        end: Some(start + length),
                    };
                    if let Ok(exact) = matches_body(body, window, Zone::UTC) {
                        let listed = instances(body, start, start + length, usize::MAX, None);
                        assert_eq!(!listed.is_empty(), exact, "[{start}, +{length})");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn odd_input_never_panics() {
        let windows = [
            (None, None),
            (Some(at("2000-01-01T00:00")), Some(at("2000-01-02T00:00"))),
            (Some(at("2024-06-01T00:00")), None),
            (None, Some(at("1990-01-01T00:00"))),
            (Some(at("2034-01-01T00:00")), Some(at("2034-01-01T01:00"))),
            (Some(i64::MIN), Some(i64::MAX)),
            (Some(i64::MAX - 1), Some(i64::MAX)),
            (Some(at("2024-01-02T00:00")), Some(at("2024-01-01T00:00"))),
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ical");
        let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .expect("fixtures/ical")
            .map(|entry| std::fs::read(entry.expect("entry").path()).expect("fixture"))
            .collect();
        assert!(bodies.len() > 40);
        for name in [
            "davx5-recurring-many-overrides-related-to.ics",
            "macos-10.11-recurring-exdate-override-no-vtimezone.ics",
        ] {
            let body = fixture(name);
            bodies.extend((0..body.len()).step_by(97).map(|end| body[..end].to_vec()));
        }
        for rule in [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=SECONDLY",
            "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=1",
            "FREQ=MONTHLY;BYSETPOS=400;BYDAY=MO",
            "FREQ=YEARLY;BYWEEKNO=53;BYDAY=-1SU",
            "FREQ=WEEKLY;UNTIL=19990101T000000Z",
            "FREQ=DAILY;COUNT=0",
            "FREQ=YEARLY;RSCALE=HEBREW",
            "FREQ=HOURLY;BYHOUR=99",
        ] {
            for start in [
                "20240101T090000Z",
                "99991231T235959Z",
                "00010101T000000",
                "20240229",
            ] {
                bodies.push(event(&format!("DTSTART:{start}\r\nRRULE:{rule}\r\n")));
            }
        }
        bodies.push(b"\xff\xfe garbage".to_vec());
        bodies.push(Vec::new());
        bodies.push(event(
            "DTSTART:20240101T090000Z\r\nDURATION:-PT1H\r\nRRULE:FREQ=DAILY\r\n",
        ));
        bodies.push(event(
            "DURATION:P9999W\r\nDTSTART:20240101T090000Z\r\nRRULE:FREQ=DAILY\r\n",
        ));
        let began = Instant::now();
        let mut slowest = Duration::ZERO;
        for body in &bodies {
            for (start, end) in windows {
                let (_, took) = timed(|| overlaps(body, start, end, None));
                slowest = slowest.max(took);
                let (from, to) = (start.unwrap_or(i64::MIN), end.unwrap_or(i64::MAX));
                let (_, took) = timed(|| instances(body, from, to, 500, None));
                slowest = slowest.max(took);
            }
        }
        println!(
            "{} bodies x {} windows: {:?}, slowest call {slowest:?}",
            bodies.len(),
            windows.len(),
            began.elapsed()
        );
        // Bodies the answer is known for.
        let body =
            event("DTSTART:20240101T090000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n");
        assert!(hit(&body, "2024-01-01T09:00", "2024-01-01T10:00"));
        assert!(unknown(&body, "2025-01-01T09:00", "2025-01-01T10:00"));
        assert!(unknown(
            b"not a calendar",
            "2025-01-01T09:00",
            "2025-01-01T10:00"
        ));
        let body = event("SUMMARY:no start\r\n");
        assert!(unknown(&body, "2025-01-01T09:00", "2025-01-01T10:00"));
        let body = event("DTSTART:20240101T090000Z\r\nRRULE:FREQ=YEARLY;RSCALE=HEBREW\r\n");
        assert!(unknown(&body, "2025-01-01T09:00", "2025-01-01T10:00"));
    }
}
