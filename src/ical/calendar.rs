//! Calendar object resources (RFC 4791 §4.1, §5.3.2.1; RFC 5545).
//!
//! A PUT body must be one VCALENDAR holding the components of one UID: a single type of
//! VEVENT/VTODO/VJOURNAL/VFREEBUSY (plus any VTIMEZONE), at most one master (no RECURRENCE-ID)
//! and overrides with distinct RECURRENCE-IDs, and no METHOD. Files with several UIDs or a
//! METHOD (iTIP messages, calendar exports) are refused here; splitting them is an import job.
//!
//! What is checked beyond calcard's lenient parse: UTF-8, control characters, line shape,
//! BEGIN/END nesting (see `lines`), and that the date-valued properties the index and the
//! recurrence rules read (DTSTART, DTEND, DUE, RECURRENCE-ID, EXDATE, RDATE, DURATION) hold
//! valid values. Not checked (real clients omit them and other servers accept that): VERSION,
//! PRODID, DTSTAMP, DTSTART of a VEVENT, VTIMEZONE for every TZID, unknown TZIDs.

use super::ContentError;
use super::lines::{self, Format, excerpt, invalid};
use super::span;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarPeriod, ICalendarProperty,
    ICalendarValue,
};
use calcard::{Entry, Parser};

/// What a valid calendar object resource contains, for the store's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarInfo {
    /// The UID shared by all components, exactly as sent (case-sensitive).
    pub uid: String,
    /// Component type in upper case: "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY" or another
    /// name (e.g. "VAVAILABILITY") if the collection accepts it.
    pub component: String,
    /// Earliest instant covered by any instance, Unix seconds UTC; `None` when unknown (the
    /// object must then be treated as starting at the beginning of time).
    pub first_start: Option<i64>,
    /// Latest instant covered by any instance, Unix seconds UTC; `None` when open-ended
    /// (infinite RRULE, or too long to expand) or unknown.
    pub last_end: Option<i64>,
    /// True when the span alone answers every CalDAV time-range query exactly, as the store
    /// compares it (`last_end > start AND first_start < end`), so the body need not be parsed
    /// again ([`super::recur::overlaps`]): one component without RRULE, RDATE or
    /// RECURRENCE-ID, no DATE or floating DTSTART/DTEND/DUE (their span is widened), and a
    /// table row of RFC 4791 §9.9 that is that strict overlap: a VEVENT, or a VTODO with
    /// DTSTART and DUE, that lasts longer than an instant. Zero-length instances and the
    /// VTODO rows with `<=`/`>=` are false.
    pub span_exact: bool,
    /// True when every time range strictly containing the span matches: one VEVENT that does
    /// not recur, with a known span (a superset of its one instance, widened for floating and
    /// DATE values, so whatever the viewer's zone the instance lies inside the range).
    pub contained_match: bool,
    /// How all its instances show in free-busy, when they show alike
    /// ([`super::freebusy::object_busy`]).
    pub busy: Option<super::freebusy::ObjectBusy>,
    /// The instance index of a recurring object ([`index::series`](super::index::Series)),
    /// filled only by [`validate_and_index`]; `None` otherwise, for objects that do not recur
    /// and when the instances cannot be listed trustworthily.
    pub series: Option<super::index::Series>,
}

/// Validates a calendar object resource body and extracts its index values.
///
/// `accepted` is the collection's supported-calendar-component-set (compared
/// case-insensitively); an empty list accepts every component type. A leading UTF-8 BOM is
/// tolerated. Never panics. Time-span problems (unknown TZID, unexpandable rule) never fail
/// validation; they only widen the span to `None`.
///
/// # Errors
///
/// [`ContentError::Invalid`] with a message for the user when the body is not one valid
/// calendar object resource; [`ContentError::UnsupportedComponent`] when it is valid but its
/// component type is not in `accepted`.
pub fn validate_calendar_object(
    body: &[u8],
    accepted: &[String],
) -> Result<CalendarInfo, ContentError> {
    validate_with(body, accepted, None)
}

/// [`validate_calendar_object`] that also lists the instances of a recurring object up to
/// `horizon` (Unix seconds; callers pass now + [`super::index::HORIZON`]) into
/// [`CalendarInfo::series`], reusing the parse validation already did.
///
/// # Errors
///
/// As [`validate_calendar_object`].
pub fn validate_and_index(
    body: &[u8],
    accepted: &[String],
    horizon: i64,
) -> Result<CalendarInfo, ContentError> {
    validate_with(body, accepted, Some(horizon))
}

/// Validation, plus the instance index when `horizon` is given.
fn validate_with(
    body: &[u8],
    accepted: &[String],
    horizon: Option<i64>,
) -> Result<CalendarInfo, ContentError> {
    let text = lines::check_all(body, Format::ICalendar)?;
    let ical = parse(text)?;

    let root = ical
        .components
        .first()
        .filter(|root| root.component_type == ICalendarComponentType::VCalendar)
        .ok_or_else(|| invalid("calendar data must start with BEGIN:VCALENDAR"))?;
    if root.has_property(&ICalendarProperty::Method) {
        return Err(object_rule(
            "METHOD is not allowed in a calendar object resource (RFC 4791 §4.1)",
        ));
    }

    let components: Vec<&ICalendarComponent> = root
        .component_ids
        .iter()
        .filter_map(|id| ical.components.get(usize::try_from(*id).ok()?))
        .filter(|comp| comp.component_type != ICalendarComponentType::VTimezone)
        .collect();
    let component = single_component_type(&components)?;

    if !accepted.is_empty()
        && !accepted
            .iter()
            .any(|name| name.trim().eq_ignore_ascii_case(&component))
    {
        return Err(ContentError::UnsupportedComponent {
            component,
            accepted: accepted.join(","),
        });
    }

    let uid = single_uid(&components, &component)?;
    check_instances(&components, &component, &uid)?;
    for comp in &components {
        check_date_values(comp, &component)?;
    }

    let span = span::object_span(&ical, &components);
    let span_exact = span_is_exact(&components, span.start, span.end);
    let contained_match = span.start.is_some()
        && span.end.is_some()
        && single_instance(&components)
            .is_some_and(|comp| comp.component_type == ICalendarComponentType::VEvent);
    let series = horizon.filter(|_| !span_exact).and_then(|horizon| {
        super::index::series(&ical, &components, span.start, span.end, horizon)
    });
    Ok(CalendarInfo {
        uid,
        component,
        first_start: span.start,
        last_end: span.end,
        span_exact,
        contained_match,
        busy: super::freebusy::object_busy(&components),
        series,
    })
}

/// The component of an object that has exactly one instance: a single component without
/// RRULE, RDATE, EXRULE or RECURRENCE-ID.
fn single_instance<'c>(components: &[&'c ICalendarComponent]) -> Option<&'c ICalendarComponent> {
    let [comp] = components else {
        return None;
    };
    let recurs = [
        ICalendarProperty::Rrule,
        ICalendarProperty::Rdate,
        ICalendarProperty::Exrule,
        ICalendarProperty::RecurrenceId,
    ]
    .iter()
    .any(|prop| comp.has_property(prop));
    (!recurs).then_some(*comp)
}

/// See [`CalendarInfo::span_exact`].
fn span_is_exact(
    components: &[&ICalendarComponent],
    first_start: Option<i64>,
    last_end: Option<i64>,
) -> bool {
    let Some(comp) = single_instance(components) else {
        return false;
    };
    let has = |prop: &ICalendarProperty| comp.has_property(prop);
    // DATE and floating values: the span is widened by the largest UTC offset.
    let fixed_instant = |prop: &ICalendarProperty| match comp.property(prop) {
        None => true,
        Some(entry) => match entry.values.first() {
            Some(ICalendarValue::PartialDateTime(dt)) => {
                dt.has_time()
                    && (entry.tz_id().is_some()
                        || dt
                            .to_date_time()
                            .is_some_and(|value| value.offset.is_some()))
            }
            _ => false,
        },
    };
    if ![
        ICalendarProperty::Dtstart,
        ICalendarProperty::Dtend,
        ICalendarProperty::Due,
    ]
    .iter()
    .all(fixed_instant)
    {
        return false;
    }
    let row_is_strict_overlap = match comp.component_type {
        ICalendarComponentType::VEvent => has(&ICalendarProperty::Dtstart),
        ICalendarComponentType::VTodo => {
            has(&ICalendarProperty::Dtstart)
                && has(&ICalendarProperty::Due)
                && !has(&ICalendarProperty::Duration)
        }
        _ => false,
    };
    row_is_strict_overlap
        && matches!((first_start, last_end), (Some(start), Some(end)) if end > start)
}

/// Parses with calcard and requires exactly one entry followed by end of input.
fn parse(text: &str) -> Result<ICalendar, ContentError> {
    let entries = std::panic::catch_unwind(|| {
        let mut parser = Parser::new(text);
        (parser.entry(), parser.entry())
    })
    .map_err(|_| invalid("calendar data could not be parsed"))?;
    match entries {
        (Entry::ICalendar(ical), Entry::Eof) => Ok(ical),
        (Entry::ICalendar(_), _) => Err(invalid(
            "unexpected data after END:VCALENDAR; a calendar object resource holds exactly one \
             VCALENDAR (RFC 4791 §4.1)",
        )),
        (Entry::VCard(_), _) => Err(invalid("this is a vCard (BEGIN:VCARD), not iCalendar data")),
        (Entry::InvalidLine(line), _) => Err(invalid(format!(
            "calendar data must start with BEGIN:VCALENDAR, found \"{}\"",
            excerpt(&line)
        ))),
        (Entry::UnexpectedComponentEnd { expected, found }, _) => Err(invalid(format!(
            "END:{} does not match BEGIN:{}",
            found.as_str(),
            expected.as_str()
        ))),
        (Entry::UnterminatedComponent(name), _) => Err(invalid(format!(
            "BEGIN:{name} is never closed: END:{name} is missing"
        ))),
        (Entry::TooManyComponents, _) => Err(invalid("calendar data has too many components")),
        (Entry::Eof, _) => Err(invalid("the body is empty; expected BEGIN:VCALENDAR")),
        _ => Err(invalid("calendar data could not be parsed")),
    }
}

/// Shorthand for [`ContentError::ObjectRule`].
fn object_rule(message: impl Into<String>) -> ContentError {
    ContentError::ObjectRule(message.into())
}

/// Upper-case name of a component type ("VEVENT", or an extension name as written).
fn type_name(comp: &ICalendarComponent) -> String {
    comp.component_type.as_str().to_ascii_uppercase()
}

/// All non-VTIMEZONE components must be of one type; returns it.
fn single_component_type(components: &[&ICalendarComponent]) -> Result<String, ContentError> {
    let first = components.first().ok_or_else(|| {
        object_rule(
            "the VCALENDAR contains no VEVENT, VTODO, VJOURNAL or VFREEBUSY; a calendar object \
             resource needs exactly one such component (time zones alone are not a calendar \
             object)",
        )
    })?;
    let component = type_name(first);
    if let Some(other) = components.iter().find(|comp| type_name(comp) != component) {
        return Err(object_rule(format!(
            "the VCALENDAR mixes {component} and {} components; a calendar object resource \
             holds one component type (RFC 4791 §4.1)",
            type_name(other)
        )));
    }
    Ok(component)
}

/// Every component needs a UID and all UIDs must be equal; returns it.
fn single_uid(components: &[&ICalendarComponent], component: &str) -> Result<String, ContentError> {
    let mut uid: Option<&str> = None;
    for comp in components {
        let this = comp
            .uid()
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| {
                object_rule(format!(
                    "{component} has no UID (RFC 5545 §3.8.4.7 and RFC 4791 §4.1 require one)"
                ))
            })?;
        match uid {
            None => uid = Some(this),
            Some(first) if first == this => {}
            Some(first) => {
                return Err(object_rule(format!(
                    "the VCALENDAR holds components with different UIDs (\"{}\" and \"{}\"); a \
                     calendar object resource holds exactly one UID (RFC 4791 §4.1), store each \
                     {component} as its own resource",
                    excerpt(first),
                    excerpt(this)
                )));
            }
        }
    }
    uid.map(str::to_string)
        .ok_or_else(|| object_rule(format!("{component} has no UID")))
}

/// At most one master (no RECURRENCE-ID) and no two overrides for the same instance.
fn check_instances(
    components: &[&ICalendarComponent],
    component: &str,
    uid: &str,
) -> Result<(), ContentError> {
    let mut masters = 0usize;
    let mut seen: Vec<String> = Vec::new();
    for comp in components {
        match comp.property(&ICalendarProperty::RecurrenceId) {
            None => {
                masters += 1;
                if masters > 1 {
                    return Err(object_rule(format!(
                        "the VCALENDAR holds more than one {component} with UID \"{}\" and no \
                         RECURRENCE-ID; only one can be the master, the others need a \
                         RECURRENCE-ID (RFC 5545 §3.8.4.4)",
                        excerpt(uid)
                    )));
                }
            }
            Some(rid) => {
                // Compare the parsed values: the same instant written the same way is a duplicate.
                let key = format!("{:?}", rid.values.first());
                if seen.contains(&key) {
                    return Err(object_rule(format!(
                        "two {component} overrides with UID \"{}\" have the same RECURRENCE-ID",
                        excerpt(uid)
                    )));
                }
                seen.push(key);
            }
        }
    }
    Ok(())
}

/// The date-valued properties read by the index and by recurrence expansion must parse.
fn check_date_values(comp: &ICalendarComponent, component: &str) -> Result<(), ContentError> {
    for entry in &comp.entries {
        let name = &entry.name;
        let single_date = matches!(
            name,
            ICalendarProperty::Dtstart
                | ICalendarProperty::Dtend
                | ICalendarProperty::Due
                | ICalendarProperty::RecurrenceId
        );
        let date_list = matches!(name, ICalendarProperty::Exdate | ICalendarProperty::Rdate);
        let is_duration = matches!(name, ICalendarProperty::Duration);
        if !(single_date || date_list || is_duration) {
            continue;
        }
        let bad = |shown: &str| {
            invalid(format!(
                "{component} property {} has an invalid value \"{}\" (expected {})",
                name.as_str(),
                excerpt(shown),
                if is_duration {
                    "a DURATION such as PT1H, RFC 5545 §3.3.6"
                } else if matches!(name, ICalendarProperty::Rdate) {
                    "DATE, DATE-TIME or PERIOD values, RFC 5545 §3.8.5.2"
                } else {
                    "a DATE or DATE-TIME such as 20240131 or 20240131T090000Z, RFC 5545 §3.3.4, \
                     §3.3.5"
                }
            ))
        };
        if entry.values.is_empty() || (single_date || is_duration) && entry.values.len() != 1 {
            return Err(bad(""));
        }
        for value in &entry.values {
            let ok = match value {
                ICalendarValue::PartialDateTime(dt) => {
                    !is_duration && dt.has_date() && dt.to_date_time().is_some()
                }
                ICalendarValue::Duration(_) => is_duration,
                ICalendarValue::Period(period) => {
                    matches!(name, ICalendarProperty::Rdate) && period_ok(period)
                }
                _ => false,
            };
            if !ok {
                let shown = match value {
                    ICalendarValue::Text(text) => text.clone(),
                    other => format!("{other:?}"),
                };
                return Err(bad(&shown));
            }
        }
    }
    Ok(())
}

/// Both ends of a PERIOD are real date-times.
fn period_ok(period: &ICalendarPeriod) -> bool {
    match period {
        ICalendarPeriod::Range { start, end } => {
            start.to_date_time().is_some() && end.to_date_time().is_some()
        }
        ICalendarPeriod::Duration { start, .. } => start.to_date_time().is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type a calendar may accept.
    fn all_types() -> Vec<String> {
        ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"]
            .map(String::from)
            .to_vec()
    }

    /// Bytes of `fixtures/ical/<name>`.
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/ical/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// Replaces the CalDAVTester template variables some fixtures keep (see fixtures/README.md).
    fn substituted(name: &str) -> Vec<u8> {
        let text = String::from_utf8(fixture(name)).expect("fixture is UTF-8");
        let text = [
            ("$now.year.0:", "2030"),
            ("$now.year.1:", "2031"),
            ("$now.year.2:", "2032"),
            ("$uid1:", "uid1"),
            ("$uidrandom:", "uidrandom-1"),
            ("$email1:", "user01@example.com"),
            ("$cuaddrurn1:", "urn:x-uid:user01"),
            ("$username1:", "User 01"),
            ("$username2:", "User 02"),
            ("$cuaddr1:", "mailto:user01@example.com"),
            ("$cuaddr2:", "mailto:user02@example.com"),
        ]
        .iter()
        .fold(text, |text, (from, to)| text.replace(from, to));
        assert!(!text.contains('$'), "{name}: unsubstituted variable left");
        text.into_bytes()
    }

    /// The body with every line starting with `prefix` removed.
    fn without_lines(body: &[u8], prefix: &str) -> Vec<u8> {
        let text = String::from_utf8(body.to_vec()).expect("fixture is UTF-8");
        text.split_inclusive('\n')
            .filter(|line| !line.starts_with(prefix))
            .collect::<String>()
            .into_bytes()
    }

    fn accept(body: &[u8]) -> CalendarInfo {
        match validate_calendar_object(body, &all_types()) {
            Ok(info) => info,
            Err(err) => panic!("refused: {err}\n{}", String::from_utf8_lossy(body)),
        }
    }

    /// Asserts an `Invalid` refusal whose message contains `needle`.
    fn refuse(body: &[u8], needle: &str) {
        match validate_calendar_object(body, &all_types()) {
            Err(ContentError::Invalid(message)) => {
                assert!(
                    message.contains(needle),
                    "message {message:?} lacks {needle:?}"
                );
            }
            other => panic!("expected Invalid containing {needle:?}, got {other:?}"),
        }
    }

    /// Asserts an `ObjectRule` refusal (RFC 4791 §4.1) whose message contains `needle`.
    fn refuse_rule(body: &[u8], needle: &str) {
        match validate_calendar_object(body, &all_types()) {
            Err(ContentError::ObjectRule(message)) => {
                assert!(
                    message.contains(needle),
                    "message {message:?} lacks {needle:?}"
                );
            }
            other => panic!("expected ObjectRule containing {needle:?}, got {other:?}"),
        }
    }

    /// (fixture, substitute CalDAVTester variables, uid, component, first_start, last_end)
    type Case = (
        &'static str,
        bool,
        &'static str,
        &'static str,
        Option<i64>,
        Option<i64>,
    );

    /// A one-event calendar around the given VEVENT property lines.
    fn event(lines: &str) -> Vec<u8> {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n\
             DTSTAMP:20240101T000000Z\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        .into_bytes()
    }

    /// The widening of floating and DATE spans: UTC offsets reach ±14 hours.
    const SLACK: i64 = 14 * 3_600;

    // Unix seconds by hand: 2024-01-15T08:00:00Z = 19737 days * 86400 + 8 * 3600.
    const ZURICH_WINTER_0900: i64 = 19_737 * 86_400 + 8 * 3_600;

    #[test]
    fn valid_single_object_fixtures_are_accepted_with_their_index_values() {
        // Spans computed by hand (local time and UTC offset of the zone on that date).
        #[rustfmt::skip]
        let cases: &[Case] = &[
            // 2018-04-20 12:00-13:00 Europe/Moscow (+03) = 09:00Z-10:00Z
            ("apple-macos-10.13-tzoffset-seconds-absolute-alarm.ics", false, "E96B9F38-8F70-4F1D-AAAC-2CD0BAC40551", "VEVENT", Some(1_524_214_800), Some(1_524_218_400)),
            // no DTSTART: span unknown
            ("attach-inline-base64-binary.ics", false, "binary-attachment-event", "VEVENT", None, None),
            // 2031-07-09 13:30 America/Vancouver (PDT, -07) = 20:30Z, DURATION PT1H
            ("attach-inline-base64-ccs.ics", true, "uid1", "VEVENT", Some(1_941_395_400), Some(1_941_399_000)),
            // 2031-01-01 10:00 US/Eastern (EST, -05) = 15:00Z, DURATION PT1H
            ("ccs-recurring-us-eastern-template.ics", true, "uid1", "VEVENT", Some(1_925_046_000), Some(1_925_049_600)),
            // TZID custom_America/New_York is unknown by name, its VTIMEZONE's rules are
            // evaluated: 2014-08-29 lies between the DAYLIGHT onset (2SU March: 2014-03-09) and
            // the STANDARD one (1SU November: 2014-11-02), so EDT (-04): 08:00-10:00 local =
            // 12:00Z-14:00Z = 16311 days * 86400 + 12 * 3600 .. + 14 * 3600
            ("custom-tzid-america-new-york.ics", false, "noend123", "VEVENT", Some(1_409_313_600), Some(1_409_320_800)),
            // DUE;VALUE=DATE:20130901 (UTC midnight, less the floating slack), weekly RRULE without end: open
            ("davdroid-vtodo-recurring-all-day.ics", false, "todo9", "VTODO", Some(1_377_993_600 - SLACK), None),
            // 2024-06-06 19:30 Europe/Paris (CEST) = 17:30Z, weekly without end
            ("davx5-exdate-recurrence-id-europe-paris.ics", false, "9fb6578a-07a6-4c61-8406-69229713d40e", "VEVENT", Some(1_717_695_000), None),
            // 2023-01-01 18:00 Europe/London (GMT), daily without end
            ("davx5-recurring-many-overrides-related-to.ics", false, "event_issue1812", "VEVENT", Some(1_672_596_000), None),
            // /softwarestudio.org/.../Pacific/Auckland 2006-11-01 10:00-11:00 NZDT (+13)
            ("evolution-1.8-event-softwarestudio-tzid.ics", false, "20061101T073000Z-10468-1000-1-7@ubu", "VEVENT", Some(1_162_328_400), Some(1_162_332_000)),
            // all-day 2025-08-06 (DTEND 2025-08-07), DATE read as UTC, widened by the slack
            ("evolution-all-day-event-alarm.ics", false, "fa915b604e6e3f36772501ff869439e6a3c5cf67", "VEVENT", Some(1_754_438_400 - SLACK), Some(1_754_524_800 + SLACK)),
            // weekly COUNT=2 from 2025-06-19 06:00 PDT = 13:00Z, 45 min: last ends 2025-06-26 13:45Z
            ("google-calendar-invite-weekly-attendees.ics", false, "1qnf39p0m9h6n1cm9qa9d8mocv@google.com", "VEVENT", Some(1_750_338_000), Some(1_750_945_500)),
            // DTSTART 2004-01-01 12:00 Pacific/Auckland (NZDT) = 2003-12-31 23:00Z, DUE DATE 2010-02-17;
            // the DATE makes the whole span floating, so both ends get the slack
            ("ical3-vtodo-due-date.ics", false, "E6BC62F3-77C6-4FB7-BDD3-6882E2F1BE74", "VTODO", Some(1_072_911_600 - SLACK), Some(1_266_364_800 + SLACK)),
            // 2011-10-19 10:00-11:00 Pacific/Auckland (NZDT) = 2011-10-18 21:00Z-22:00Z
            ("ical4-attendee-accept-partstat.ics", false, "E1A13F04-iCal-schedule", "VEVENT", Some(1_318_971_600), Some(1_318_975_200)),
            // daily COUNT=20 from 2032-11-19 10:00 America/New_York (EST) = 15:00Z;
            // last instance 2032-12-08 10:00-11:00 EST = 16:00Z end
            ("ical4-invite-recurring-override-attendees.ics", true, "DAFCEADF-A646-4D71-B6A8-E3C090849206", "VEVENT", Some(1_984_489_200), Some(1_986_134_400)),
            // 2015-03-24 13:00 America/Los_Angeles (PDT) = 20:00Z, monthly without end
            ("macos-10.11-recurring-exdate-override-no-vtimezone.ics", false, "2845D1AC-A9F0-438C-9964-C01A09C8ED47", "VEVENT", Some(1_427_227_200), None),
            // TZID "New Zealand Standard Time": 2006-10-25 09:15 NZDT = 2006-10-24 20:15Z, PT1H
            ("mulberry-put-event.ics", false, "B18CBB57295D01D7661A6DD4@D76FAF7B10D9E8D2D41F779C", "VEVENT", Some(1_161_720_900), Some(1_161_724_500)),
            // DTSTART 2026-03-19T09:00Z without DTEND/DURATION: an instant
            ("odd-whitespace-in-property-and-params.ics", false, "issue-351@example.com", "VEVENT", Some(1_773_910_800), Some(1_773_910_800)),
            // no DTSTART, DUE 2007-08-07 16:30 Antarctica/McMurdo (NZST, +12) = 04:30Z
            ("sunbird-vtodo-completed.ics", false, "0575d895-a006-4ed8-9be6-0d1b6b6b1f96", "VTODO", Some(1_186_461_000), Some(1_186_461_000)),
            // only CREATED 2007-08-05T20:15:57Z: from then on, no end (RFC 4791 §9.9)
            ("sunbird-vtodo-in-process.ics", false, "917b9e47-b748-4550-a566-657fbe672447", "VTODO", Some(1_186_344_957), None),
            // 2024-10-23 15:00-16:00 Europe/London (BST) = 14:00Z-15:00Z
            ("thunderbird-alarms-x-moz-lastack.ics", false, "b9a23b47-f109-4e7a-908c-75e925b27def", "VEVENT", Some(1_729_692_000), Some(1_729_695_600)),
            // all-day 2006-01-02 daily COUNT=5: last day 2006-01-06, ends 2006-01-07 00:00 (UTC), widened
            ("thunderbird-all-day-recurring.ics", false, "event_full_day_rrule", "VEVENT", Some(1_136_160_000 - SLACK), Some(1_136_592_000 + SLACK)),
            // 2025-09-24 13:30-14:30 Europe/Paris (CEST) = 11:30Z-12:30Z
            ("thunderbird-crlf-many-vtimezone-rdate.ics", false, "50c08af4-295c-4bea-9ea4-7402b8e82143", "VEVENT", Some(1_758_713_400), Some(1_758_717_000)),
            // "W. Europe Standard Time" 2026-01-23 11:00 (CET) = 10:00Z; UNTIL=20260731T090000Z + 1 h
            ("thunderbird-from-exchange-w-europe-standard-time.ics", false, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "VEVENT", Some(1_769_162_400), Some(1_785_492_000)),
            // daily COUNT=3 from 2013-09-01 18:00 Europe/Paris (CEST); last ends 09-03 17:00Z
            ("thunderbird-mixed-date-datetime-recurrence.ics", false, "event_mixed_datetime_and_date", "VEVENT", Some(1_378_051_200), Some(1_378_227_600)),
            // daily without end; an override moved to 2017-06-01 08:00 CEST = 06:00Z
            ("thunderbird-recurring-with-override.ics", false, "event7", "VEVENT", Some(1_496_296_800), None),
            // VJOURNAL without DTSTART: unknown
            ("thunderbird-vjournal-recurring.ics", false, "journal1", "VJOURNAL", None, None),
            // 2013-09-01 22:00 Europe/Paris (CEST) = 20:00Z, DURATION PT1H
            ("thunderbird-vtodo-no-dtstamp.ics", false, "todo", "VTODO", Some(1_378_065_600), Some(1_378_069_200)),
            // no date at all: unknown
            ("vtodo-related-to-finishtostart-gap.ics", true, "uidrandom-1", "VTODO", None, None),
            // 2030-04-01 12:00-13:00 America/St_Johns (NDT, -02:30) = 14:30Z-15:30Z
            ("x-apple-calendar-color-st-johns.ics", true, "uid1", "VEVENT", Some(1_901_284_200), Some(1_901_287_800)),
            // 2031-01-01 10:00 US/Eastern (EST) = 15:00Z, DURATION PT1H
            ("x-apple-structured-location-invite.ics", true, "uid1", "VEVENT", Some(1_925_046_000), Some(1_925_049_600)),
        ];
        // Single, non-recurring instances at fixed instants with a length: the span is exact.
        // (No DTSTART, DATE values, recurrences, overrides, zero length, VTODO DURATION/DUE-only
        // rows: not exact.)
        let exact = [
            "apple-macos-10.13-tzoffset-seconds-absolute-alarm.ics",
            "attach-inline-base64-ccs.ics",
            "ccs-recurring-us-eastern-template.ics",
            "custom-tzid-america-new-york.ics",
            "evolution-1.8-event-softwarestudio-tzid.ics",
            "ical4-attendee-accept-partstat.ics",
            "mulberry-put-event.ics",
            "thunderbird-alarms-x-moz-lastack.ics",
            "thunderbird-crlf-many-vtimezone-rdate.ics",
            "x-apple-calendar-color-st-johns.ics",
            "x-apple-structured-location-invite.ics",
        ];
        for (name, substitute, uid, component, first_start, last_end) in cases {
            let body = if *substitute {
                substituted(name)
            } else {
                fixture(name)
            };
            let info = accept(&body);
            let expected = CalendarInfo {
                uid: uid.to_string(),
                component: component.to_string(),
                first_start: *first_start,
                last_end: *last_end,
                span_exact: exact.contains(name),
                // Asserted by `contained_match_and_busy_class` below.
                contained_match: info.contained_match,
                busy: info.busy,
                series: None,
            };
            assert_eq!(info, expected, "{name}");
        }
    }

    #[test]
    fn contained_match_and_busy_class() {
        use super::super::freebusy::{FbType, ObjectBusy};
        let all_day = accept(&event("DTSTART;VALUE=DATE:20240115\r\n"));
        assert!(
            all_day.contained_match,
            "one floating instance lies inside its span"
        );
        assert_eq!(all_day.busy, Some(ObjectBusy::Shows(FbType::Busy)));
        let transparent = accept(&event(
            "DTSTART:20240115T090000Z\r\nDTEND:20240115T100000Z\r\nTRANSP:TRANSPARENT\r\n",
        ));
        assert!(transparent.contained_match);
        assert_eq!(transparent.busy, Some(ObjectBusy::Free));
        let tentative = accept(&event("DTSTART:20240115T090000Z\r\nSTATUS:TENTATIVE\r\n"));
        assert_eq!(
            tentative.busy,
            Some(ObjectBusy::Shows(FbType::BusyTentative))
        );
        let weekly = accept(&event(
            "DTSTART:20240115T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n",
        ));
        assert!(
            !weekly.contained_match,
            "a series can lose instances to EXDATEs"
        );
        assert_eq!(weekly.busy, Some(ObjectBusy::Shows(FbType::Busy)));
        let with_cancelled = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
             BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\n\
             DTSTART:20240115T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20240101T000000Z\r\n\
             RECURRENCE-ID:20240122T090000Z\r\nDTSTART:20240122T090000Z\r\n\
             STATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let mixed = accept(with_cancelled);
        assert!(!mixed.contained_match);
        assert_eq!(
            mixed.busy, None,
            "instances differ: free-busy reads the object"
        );
        let todo = accept(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VTODO\r\n\
              UID:t1\r\nDTSTAMP:20240101T000000Z\r\nDUE:20240115T090000Z\r\nEND:VTODO\r\n\
              END:VCALENDAR\r\n",
        );
        assert!(
            !todo.contained_match,
            "only VEVENT rows are known to hold inside"
        );
        assert_eq!(todo.busy, None);
    }

    #[test]
    fn zurich_winter_morning_is_eight_utc() {
        let info = accept(&event(
            "DTSTART;TZID=Europe/Zurich:20240115T090000\r\nDTEND;TZID=Europe/Zurich:20240115T100000\r\n",
        ));
        assert_eq!(info.first_start, Some(ZURICH_WINTER_0900));
        assert_eq!(info.last_end, Some(ZURICH_WINTER_0900 + 3_600));
        assert!(
            info.span_exact,
            "a plain Zurich event is answered by its span"
        );

        // The Google export (METHOD:PUBLISH removed): 2016-10-28 14:00 Europe/Zurich is still
        // summer time (CEST, +02) = 12:00Z; weekly without end.
        let body = without_lines(
            &fixture("google-europe-zurich-x-apple-structured-location.ics"),
            "METHOD:",
        );
        let info = accept(&body);
        assert_eq!(info.uid, "BFE33ADD-5553-48B5-B5A5-F9DA5CA4C393");
        assert_eq!(info.first_start, Some(1_477_656_000));
        assert_eq!(info.last_end, None);
        assert!(!info.span_exact, "a recurring event needs expansion");
    }

    #[test]
    fn span_exact_only_for_single_fixed_instances() {
        let exact = |lines: &str| accept(&event(lines)).span_exact;
        assert!(exact(
            "DTSTART;TZID=Europe/Zurich:20240115T090000\r\nDTEND;TZID=Europe/Zurich:20240115T100000\r\n"
        ));
        assert!(exact("DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\n"));
        // Recurring, overridden, all-day, floating, zero-length: the content decides.
        assert!(!exact(
            "DTSTART;TZID=Europe/Zurich:20240115T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        ));
        assert!(!exact(
            "DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\nRDATE:20240116T080000Z\r\n"
        ));
        assert!(!exact(
            "DTSTART;VALUE=DATE:20240115\r\nDTEND;VALUE=DATE:20240116\r\n"
        ));
        assert!(!exact("DTSTART:20240115T080000\r\nDURATION:PT1H\r\n"));
        assert!(!exact("DTSTART:20240115T080000Z\r\n"));
        assert!(!exact(
            "DTSTART:20240115T080000Z\r\nDTEND:20240115T080000Z\r\n"
        ));
        assert!(!accept(&fixture("thunderbird-all-day-recurring.ics")).span_exact);
        assert!(!accept(&fixture("evolution-all-day-event-alarm.ics")).span_exact);
        assert!(!accept(&fixture("thunderbird-recurring-with-override.ics")).span_exact);
        // VTODO: DTSTART+DUE is a strict overlap; DUE alone or DURATION are not.
        let todo = |lines: &str| {
            let body = String::from_utf8(event(lines))
                .unwrap()
                .replace("VEVENT", "VTODO");
            accept(body.as_bytes()).span_exact
        };
        assert!(todo("DTSTART:20240115T080000Z\r\nDUE:20240115T090000Z\r\n"));
        assert!(!todo("DUE:20240115T090000Z\r\n"));
        assert!(!todo("DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\n"));
    }

    #[test]
    fn span_rules() {
        // DATE without DTEND: one day, widened by the slack on both sides.
        let info = accept(&event("DTSTART;VALUE=DATE:20240115\r\n"));
        assert_eq!(info.first_start, Some(19_737 * 86_400 - SLACK));
        assert_eq!(info.last_end, Some(19_738 * 86_400 + SLACK));
        // Floating DATE-TIME without DTEND: an instant read as UTC, widened by the slack.
        let info = accept(&event("DTSTART:20240115T080000\r\n"));
        assert_eq!(
            (info.first_start, info.last_end),
            (
                Some(ZURICH_WINTER_0900 - SLACK),
                Some(ZURICH_WINTER_0900 + SLACK)
            )
        );
        // The same instant in UTC is exact.
        let info = accept(&event("DTSTART:20240115T080000Z\r\n"));
        assert_eq!(
            (info.first_start, info.last_end),
            (Some(ZURICH_WINTER_0900), Some(ZURICH_WINTER_0900))
        );
        // DURATION.
        let info = accept(&event("DTSTART:20240115T080000Z\r\nDURATION:PT90M\r\n"));
        assert_eq!(info.last_end, Some(ZURICH_WINTER_0900 + 5_400));
        // Unknown TZID: no error, read as UTC.
        let info = accept(&event("DTSTART;TZID=Mars/Olympus_Mons:20240115T080000\r\n"));
        assert_eq!(info.first_start, Some(ZURICH_WINTER_0900));
        // COUNT: last of 10 daily instances.
        let info = accept(&event(
            "DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=10\r\n",
        ));
        assert_eq!(info.last_end, Some(ZURICH_WINTER_0900 + 9 * 86_400 + 3_600));
        // COUNT above the expansion limit: open.
        let info = accept(&event(
            "DTSTART:20240115T080000Z\r\nRRULE:FREQ=DAILY;COUNT=5000\r\n",
        ));
        assert_eq!(info.last_end, None);
        // A rule calcard's iterator gives up on (no match within 100 000 candidates): open,
        // not a short series.
        let info = accept(&event(
            "DTSTART:20240115T080000Z\r\nRRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=1;BYMINUTE=1;COUNT=30\r\n",
        ));
        assert_eq!(info.last_end, None);
        // UNTIL bounds the starts.
        let info = accept(&event(
            "DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;UNTIL=20240205T080000Z\r\n",
        ));
        assert_eq!(
            info.last_end,
            Some(ZURICH_WINTER_0900 + 21 * 86_400 + 3_600)
        );
        // RDATE extends the span.
        let info = accept(&event(
            "DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\nRDATE:20240301T080000Z\r\n",
        ));
        assert_eq!(
            info.last_end,
            Some(ZURICH_WINTER_0900 + 46 * 86_400 + 3_600)
        );
        // DTSTART in the spring-forward gap (02:30 does not exist in Zurich on 2024-03-31).
        let info = accept(&event("DTSTART;TZID=Europe/Zurich:20240331T023000\r\n"));
        assert!(info.first_start.is_some());
    }

    #[test]
    fn malformed_fixtures_are_invalid() {
        refuse(&fixture("malformed-broken-ical.ics"), "empty parameter");
        refuse(
            &fixture("malformed-broken-vevent.ics"),
            "BEGIN:VEVENT on line 4 is never closed",
        );
        refuse(
            &fixture("malformed-fuzz-vtimezone-lone-cr.ics"),
            "control character U+000C",
        );
        // Also without the control characters it is not a calendar object (no VCALENDAR).
        refuse(
            b"BEGIN:VTIMEZONE\nTZID:X\nEND:VTIMEZONE\n",
            "must start with BEGIN:VCALENDAR",
        );
    }

    #[test]
    fn fixtures_that_are_not_a_single_calendar_object_are_refused() {
        const METHOD: &str = "METHOD is not allowed in a calendar object resource (RFC 4791 §4.1)";
        for name in [
            "davmail-vfreebusy-reply.ics",
            "etar-android-alarms.ics",
            "exchange-cdo-gmt-offset-tzid.ics",
            "exchange2010-eastern-standard-time.ics",
            "exchange2010-pacific-standard-time.ics",
            "google-europe-zurich-x-apple-structured-location.ics",
            "google-invalid-rrule-exdate.ics",
        ] {
            let result = validate_calendar_object(&fixture(name), &all_types());
            assert_eq!(
                result,
                Err(ContentError::ObjectRule(METHOD.to_string())),
                "{name}"
            );
        }
        refuse_rule(
            &fixture("two-events-uids-differ-only-in-case.ics"),
            "different UIDs",
        );
        refuse_rule(
            &fixture("missing-vtimezone-definitions.ics"),
            "mixes VEVENT and VTODO",
        );
        refuse_rule(
            &fixture("related-to-reltype-sibling-minimal.ics"),
            "VEVENT has no UID",
        );
        refuse_rule(
            &fixture("non-ascii-tzid-windows-name-crlf.ics"),
            "VEVENT has no UID",
        );
        refuse_rule(
            &fixture("server-vtimezone-europe-zurich.ics"),
            "contains no VEVENT",
        );
        refuse_rule(
            &fixture("server-vtimezone-w-europe-standard-time.ics"),
            "contains no VEVENT",
        );
        // The BOM is fine; the calendar is empty.
        refuse_rule(
            &fixture("utf8-bom-empty-vcalendar.ics"),
            "contains no VEVENT",
        );
        // Without METHOD the Google file still lacks UIDs; its empty EXDATE is invalid too.
        let body = without_lines(&fixture("google-invalid-rrule-exdate.ics"), "METHOD:");
        refuse_rule(&body, "VEVENT has no UID");
        let body = String::from_utf8(body)
            .unwrap()
            .replace("BEGIN:VEVENT\n", "BEGIN:VEVENT\nUID:x\n");
        let body = body.replacen("UID:x", "UID:x\nRECURRENCE-ID;VALUE=DATE:20080303", 1);
        refuse(body.as_bytes(), "EXDATE has an invalid value");
    }

    #[test]
    fn caldavtester_templates_with_variables_are_invalid() {
        for name in [
            "attach-inline-base64-ccs.ics",
            "ccs-recurring-us-eastern-template.ics",
            "ical4-invite-recurring-override-attendees.ics",
            "x-apple-calendar-color-st-johns.ics",
            "x-apple-structured-location-invite.ics",
        ] {
            refuse(&fixture(name), "DTSTART has an invalid value \"$now.year.");
        }
    }

    #[test]
    fn component_type_must_be_accepted() {
        let body = fixture("thunderbird-vtodo-no-dtstamp.ics");
        assert_eq!(
            validate_calendar_object(&body, &["VEVENT".to_string()]),
            Err(ContentError::UnsupportedComponent {
                component: "VTODO".to_string(),
                accepted: "VEVENT".to_string(),
            })
        );
        let accepted = ["vevent".to_string(), "vtodo".to_string()];
        assert!(validate_calendar_object(&body, &accepted).is_ok());
        assert!(validate_calendar_object(&body, &[]).is_ok());
    }

    #[test]
    fn one_uid_one_master() {
        let two_masters = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T100000Z\r\n\
                           END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240102T100000Z\r\n\
                           END:VEVENT\r\nEND:VCALENDAR\r\n";
        refuse_rule(two_masters.as_bytes(), "only one can be the master");
        let same_override = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20240102T100000Z\r\n\
                             END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20240102T100000Z\r\n\
                             END:VEVENT\r\nEND:VCALENDAR\r\n";
        refuse_rule(same_override.as_bytes(), "same RECURRENCE-ID");
        // Overrides without their master are allowed (invited to some instances only).
        let overrides = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20240102T100000Z\r\n\
                         DTSTART:20240102T110000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\n\
                         RECURRENCE-ID:20240103T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let info = accept(overrides.as_bytes());
        assert_eq!(info.uid, "a");
        assert_eq!(info.first_start, Some(1_704_193_200));
        assert_eq!(info.last_end, Some(1_704_276_000));
    }

    #[test]
    fn envelope_errors() {
        refuse(b"", "empty");
        refuse(b" \r\n\r\n", "empty");
        refuse(
            b"BEGIN:VCALENDAR\r\n\xff\xfe\r\nEND:VCALENDAR\r\n",
            "not valid UTF-8",
        );
        let vevent = String::from_utf8(event("DTSTART:20240101T100000Z\r\n")).unwrap();
        let two = format!("{vevent}{vevent}");
        refuse(two.as_bytes(), "more than one VCALENDAR");
        let trailing = format!("{vevent}X-GARBAGE:1\r\n");
        refuse(trailing.as_bytes(), "unexpected data after END:VCALENDAR");
        // Trailing blank lines and a BOM are fine.
        let padded = format!("\u{feff}{vevent}\r\n\r\n  \r\n");
        assert_eq!(accept(padded.as_bytes()).uid, "u1");
        // Lower-case names are fine.
        let lower = vevent.to_lowercase().replace("uid:u1", "uid:U1");
        assert_eq!(accept(lower.as_bytes()).uid, "U1");
        let vcard = format!(
            "{}/fixtures/vcard/minimal-vcard4.vcf",
            env!("CARGO_MANIFEST_DIR")
        );
        refuse(&std::fs::read(vcard).unwrap(), "this is a vCard");
        refuse(
            b"<html><body>Error</body></html>",
            "must start with BEGIN:VCALENDAR",
        );
        let mismatched = vevent.replace("END:VEVENT", "END:VTODO");
        refuse(
            mismatched.as_bytes(),
            "END:VTODO does not match BEGIN:VEVENT",
        );
        let nested = vevent.replace(
            "END:VEVENT\r\n",
            "BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VEVENT\r\n",
        );
        refuse(
            nested.as_bytes(),
            "may only appear directly inside VCALENDAR",
        );
        let no_colon = vevent.replace("DTSTAMP:", "DTSTAMP ");
        refuse(no_colon.as_bytes(), "no ':'");
        let bad_duration =
            String::from_utf8(event("DTSTART:20240101T100000Z\r\nDURATION:1 hour\r\n")).unwrap();
        refuse(bad_duration.as_bytes(), "DURATION has an invalid value");
        let folded_first = format!(" {vevent}");
        refuse(folded_first.as_bytes(), "starts with whitespace");
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        for name in [
            "thunderbird-from-exchange-w-europe-standard-time.ics",
            "google-calendar-invite-weekly-attendees.ics",
            "thunderbird-mixed-date-datetime-recurrence.ics",
            "non-ascii-tzid-windows-name-crlf.ics",
            "malformed-fuzz-vtimezone-lone-cr.ics",
        ] {
            let body = fixture(name);
            for end in (0..=body.len()).step_by(7) {
                let prefix = body.get(..end).unwrap_or_default();
                let result = validate_calendar_object(prefix, &all_types());
                if end < body.len() && result.is_ok() {
                    // Only a cut in the trailing whitespace can still be valid.
                    assert!(
                        body.get(end..)
                            .unwrap_or_default()
                            .iter()
                            .all(u8::is_ascii_whitespace)
                    );
                }
            }
        }
    }
}
