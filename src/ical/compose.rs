//! Events and tasks written from form values (the web view's editor): a new VCALENDAR with
//! one VEVENT or VTODO, or an existing object's master component patched in place.
//!
//! A patch replaces only the properties the form edits and keeps every other line as it was
//! written (ATTENDEE, ORGANIZER, X- properties, EXDATE, the overrides, the VTIMEZONEs, the
//! VALARMs the form does not show), so no client's data is lost by an edit in the browser.
//! A new object is a patch of an empty skeleton, so both paths write the same lines.
//!
//! Pure: the caller passes the UID and the current time.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::blocks::{Block, Piece, Text, scan};
use super::tz_definition::vtimezone;
use super::write::{escape_text, fold_into};

/// PRODID of the objects the server composes.
const PRODID: &str = "-//davsuite//web view//EN";

/// A date or a time as the form gives it or an object holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// An all-day date (`VALUE=DATE`).
    Date(NaiveDate),
    /// A local time in a time zone (`TZID=`).
    Zoned {
        /// The wall-clock time.
        at: NaiveDateTime,
        /// The zone's TZID.
        tzid: String,
    },
    /// A UTC time (`...Z`).
    Utc(NaiveDateTime),
    /// A floating time (no zone).
    Floating(NaiveDateTime),
}

impl When {
    /// The date part.
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::Zoned { at, .. } | When::Utc(at) | When::Floating(at) => at.date(),
        }
    }

    /// The property line `NAME;params:value` for this value.
    fn line(&self, name: &str) -> String {
        match self {
            When::Date(d) => format!("{name};VALUE=DATE:{}", d.format("%Y%m%d")),
            When::Zoned { at, tzid } => format!(
                "{name};TZID={}:{}",
                param_value(tzid),
                at.format("%Y%m%dT%H%M%S")
            ),
            When::Utc(at) => format!("{name}:{}", at.format("%Y%m%dT%H%M%SZ")),
            When::Floating(at) => format!("{name}:{}", at.format("%Y%m%dT%H%M%S")),
        }
    }

    /// The `UNTIL` value of a rule ending on `date` for a series starting at `self`: the same
    /// value type (RFC 5545 §3.3.10), the end of that day, in UTC for a zoned start.
    fn until(&self, date: NaiveDate) -> String {
        let end_of_day = date.and_hms_opt(23, 59, 59).unwrap_or_default();
        match self {
            When::Date(_) => date.format("%Y%m%d").to_string(),
            When::Floating(_) => end_of_day.format("%Y%m%dT%H%M%S").to_string(),
            When::Utc(_) => end_of_day.format("%Y%m%dT%H%M%SZ").to_string(),
            When::Zoned { tzid, .. } => {
                let utc = tzid
                    .parse::<Tz>()
                    .ok()
                    .and_then(|tz| tz.from_local_datetime(&end_of_day).latest())
                    .map_or(end_of_day, |t| t.naive_utc());
                utc.format("%Y%m%dT%H%M%SZ").to_string()
            }
        }
    }
}

/// A parameter value, quoted when it holds `:`, `;` or `,` (RFC 5545 §3.1).
fn param_value(value: &str) -> String {
    let value = value.replace('"', "");
    if value.contains([':', ';', ',']) {
        format!("\"{value}\"")
    } else {
        value
    }
}

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Every day.
    Daily,
    /// Every week (on the given weekdays).
    Weekly,
    /// Every month, on the start's day.
    Monthly,
    /// Every year, on the start's date.
    Yearly,
}

impl Frequency {
    /// The `FREQ` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// Where a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatEnd {
    /// It does not.
    Never,
    /// On this date (included).
    Until(NaiveDate),
    /// After this many instances.
    Count(u32),
}

/// A recurrence rule of the kinds the form offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// Frequency.
    pub frequency: Frequency,
    /// Every how many periods (1 or more).
    pub interval: u32,
    /// The weekdays of a weekly rule (empty: the start's weekday).
    pub weekdays: Vec<Weekday>,
    /// Where it ends.
    pub end: RepeatEnd,
}

impl Repeat {
    /// The `RRULE` line for a series starting at `start`.
    fn line(&self, start: &When) -> String {
        let mut rule = format!("RRULE:FREQ={}", self.frequency.as_str());
        if self.interval > 1 {
            rule.push_str(&format!(";INTERVAL={}", self.interval));
        }
        if self.frequency == Frequency::Weekly && !self.weekdays.is_empty() {
            let days: Vec<&str> = self.weekdays.iter().map(|d| weekday_code(*d)).collect();
            rule.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        match self.end {
            RepeatEnd::Never => {}
            RepeatEnd::Until(date) => rule.push_str(&format!(";UNTIL={}", start.until(date))),
            RepeatEnd::Count(n) => rule.push_str(&format!(";COUNT={n}")),
        }
        rule
    }
}

/// The two-letter code of a weekday (`MO` ... `SU`, RFC 5545 §3.3.10).
pub fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// What an edit does to the object's recurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// A single event: any RRULE goes.
    Single,
    /// This rule replaces any RRULE.
    Rule(Repeat),
    /// The RRULE stays as written (a rule the form cannot show, or unchanged).
    Keep,
}

/// The values of the event form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    /// SUMMARY.
    pub summary: String,
    /// LOCATION (empty: none).
    pub location: String,
    /// DESCRIPTION (empty: none).
    pub description: String,
    /// DTSTART.
    pub start: When,
    /// DTEND (for an all-day event, the day after the last day).
    pub end: When,
    /// RRULE.
    pub recurrence: Recurrence,
    /// A display reminder this many minutes before the start (0: at the start).
    pub reminder: Option<u32>,
}

/// The values of the task form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFields {
    /// SUMMARY.
    pub summary: String,
    /// DUE.
    pub due: Option<When>,
    /// PRIORITY, 1 (highest) to 9; `None`: undefined.
    pub priority: Option<u8>,
    /// Whether it is done.
    pub completed: bool,
}

/// The reminder minutes the form offers.
pub const REMINDER_MINUTES: [u32; 6] = [0, 5, 15, 30, 60, 1440];

/// Why an object could not be composed or patched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// The stored object is not readable calendar data.
    #[error("the object is not readable iCalendar data")]
    Unreadable,
    /// It has no master component of the expected type.
    #[error("the object has no {0} to edit")]
    NoMaster(&'static str),
    /// A TZID neither the object defines nor the IANA database knows.
    #[error("unknown time zone {0}")]
    UnknownZone(String),
}

/// The minutes before the start an alarm reminds of, if it is one the form shows: a DISPLAY
/// or AUDIO alarm with a duration TRIGGER relative to the start, of one of
/// [`REMINDER_MINUTES`].
pub(super) fn reminder_minutes(action: Option<&str>, trigger: &str, params: &str) -> Option<u32> {
    let action = action?.trim().to_ascii_uppercase();
    let params = params.to_ascii_uppercase();
    if !matches!(action.as_str(), "DISPLAY" | "AUDIO")
        || params.contains("RELATED=END")
        || params.contains("VALUE=DATE-TIME")
    {
        return None;
    }
    let seconds = super::duration::seconds(trigger)?;
    if seconds > 0 || seconds % 60 != 0 {
        return None;
    }
    let minutes = u32::try_from(-seconds / 60).ok()?;
    REMINDER_MINUTES.contains(&minutes).then_some(minutes)
}

/// The TRIGGER value for a reminder `minutes` before the start.
fn trigger(minutes: u32) -> String {
    match minutes {
        0 => "PT0S".into(),
        m if m % 1440 == 0 => format!("-P{}D", m / 1440),
        m if m % 60 == 0 => format!("-PT{}H", m / 60),
        m => format!("-PT{m}M"),
    }
}

/// What a patch does to the master component.
struct Patch<'a> {
    /// VEVENT or VTODO.
    component: &'static str,
    /// Names of the master's own properties to remove.
    drop: Vec<&'a str>,
    /// Property lines (unfolded) to add after the master's BEGIN line.
    lines: Vec<String>,
    /// Whether the alarm the form shows goes (to be replaced by `alarm`).
    drop_reminder: bool,
    /// Lines of a VALARM to add at the end of the master.
    alarm: Option<Vec<String>>,
    /// TZIDs the new lines use, with the year to define them for.
    zones: Vec<(String, i32)>,
}

/// Timestamps every edit sets (RFC 5545 §3.8.7.2, §3.8.7.3) and the next SEQUENCE.
fn stamps(now: DateTime<Utc>, sequence: u32) -> Vec<String> {
    let t = now.format("%Y%m%dT%H%M%SZ");
    vec![
        format!("DTSTAMP:{t}"),
        format!("LAST-MODIFIED:{t}"),
        format!("SEQUENCE:{sequence}"),
    ]
}

/// The master's own properties that stamps replace.
const STAMPED: [&str; 3] = ["DTSTAMP", "LAST-MODIFIED", "SEQUENCE"];

/// The zones `when` needs defined.
fn zone_of(when: &When) -> Option<(String, i32)> {
    match when {
        When::Zoned { at, tzid } => Some((tzid.clone(), at.year())),
        _ => None,
    }
}

/// A calendar object text whose components are found.
struct Parsed<'a> {
    text: Text<'a>,
    /// The master component.
    master: Block,
    /// Its current SEQUENCE.
    sequence: u32,
    /// The first VEVENT/VTODO/VJOURNAL block (where a new VTIMEZONE goes before).
    first_component: usize,
    /// TZIDs the object's VTIMEZONEs define.
    defined: Vec<String>,
}

fn parse<'a>(body: &'a [u8], component: &'static str) -> Result<Parsed<'a>, ComposeError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|_| ComposeError::Unreadable)?;
    let text = Text::new(text);
    let calendar = scan(&text, 0, text.logical.len(), &["VCALENDAR"])
        .into_iter()
        .find_map(|p| match p {
            Piece::Block(b) if b.name == "VCALENDAR" => Some(b),
            _ => None,
        })
        .ok_or(ComposeError::Unreadable)?;
    let inner: Vec<Block> = scan(&text, calendar.begin + 1, calendar.end, &[])
        .into_iter()
        .filter_map(|p| match p {
            Piece::Block(b) => Some(b),
            _ => None,
        })
        .collect();
    let master = inner
        .iter()
        .find(|b| b.name == component && b.property(&text, "RECURRENCE-ID").is_none())
        .cloned()
        .ok_or(ComposeError::NoMaster(component))?;
    let first_component = inner
        .iter()
        .find(|b| matches!(b.name.as_str(), "VEVENT" | "VTODO" | "VJOURNAL"))
        .map_or(master.begin, |b| b.begin);
    let defined = inner
        .iter()
        .filter(|b| b.name == "VTIMEZONE")
        .filter_map(|b| b.property(&text, "TZID"))
        .collect();
    let sequence = master
        .property(&text, "SEQUENCE")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Parsed {
        text,
        master,
        sequence,
        first_component,
        defined,
    })
}

/// The logical line range of the VALARM the form shows in `master`, if it has one.
fn shown_reminder(text: &Text<'_>, master: &Block) -> Option<(usize, usize)> {
    scan(text, master.begin + 1, master.end, &[])
        .into_iter()
        .filter_map(|p| match p {
            Piece::Block(b) if b.name == "VALARM" => Some(b),
            _ => None,
        })
        .find(|alarm| {
            let action = alarm.property(text, "ACTION");
            alarm.own_lines(text).any(|line| {
                line.name() == "TRIGGER" && {
                    let head = &line.text[..line.text.len() - line.value().len()];
                    reminder_minutes(action.as_deref(), line.value(), head).is_some()
                }
            })
        })
        .map(|b| (b.begin, b.end))
}

/// Applies `patch` to the object `body`.
fn apply(body: &[u8], patch: &Patch<'_>) -> Result<String, ComposeError> {
    let p = parse(body, patch.component)?;
    let text = &p.text;
    let mut zones = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for (tzid, year) in &patch.zones {
        if p.defined.iter().any(|d| d == tzid) || seen.contains(&tzid.as_str()) {
            continue;
        }
        seen.push(tzid);
        zones.push_str(
            &vtimezone(tzid, *year).ok_or_else(|| ComposeError::UnknownZone(tzid.clone()))?,
        );
    }
    let reminder = if patch.drop_reminder {
        shown_reminder(text, &p.master)
    } else {
        None
    };
    // The master's own lines that go: nesting depth 0 inside it, named in `drop`.
    let mut dropped = vec![false; text.logical.len()];
    let mut depth = 0usize;
    for (i, line) in text
        .logical
        .iter()
        .enumerate()
        .take(p.master.end)
        .skip(p.master.begin + 1)
    {
        match line.name().as_str() {
            "BEGIN" => depth += 1,
            "END" => depth = depth.saturating_sub(1),
            name => dropped[i] = depth == 0 && patch.drop.contains(&name),
        }
    }
    let mut out = Vec::with_capacity(text.logical.len() * 40);
    let mut new_lines = String::new();
    for line in &patch.lines {
        fold_into(&mut new_lines, line);
    }
    let mut alarm = String::new();
    for line in patch.alarm.iter().flatten() {
        fold_into(&mut alarm, line);
    }
    for (i, &gone) in dropped.iter().enumerate() {
        if i == p.first_component {
            out.extend_from_slice(zones.as_bytes());
        }
        if i == p.master.end {
            out.extend_from_slice(alarm.as_bytes());
        }
        if gone || reminder.is_some_and(|(from, to)| (from..=to).contains(&i)) {
            continue;
        }
        text.write_raw(i, i, &mut out);
        if i == p.master.begin {
            out.extend_from_slice(new_lines.as_bytes());
        }
    }
    String::from_utf8(out).map_err(|_| ComposeError::Unreadable)
}

/// An empty VCALENDAR with one `component` of UID `uid`, created `now`.
fn skeleton(component: &str, uid: &str, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        format!("PRODID:{PRODID}"),
        format!("BEGIN:{component}"),
        format!("UID:{uid}"),
        format!("CREATED:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("END:{component}"),
        "END:VCALENDAR".to_owned(),
    ] {
        fold_into(&mut out, &line);
    }
    out
}

fn event_patch(fields: &EventFields, sequence: u32, now: DateTime<Utc>) -> Patch<'static> {
    let mut drop = vec![
        "SUMMARY",
        "LOCATION",
        "DESCRIPTION",
        "DTSTART",
        "DTEND",
        "DURATION",
    ];
    drop.extend(STAMPED);
    let mut lines = vec![format!("SUMMARY:{}", escape_text(&fields.summary))];
    for (name, value) in [
        ("LOCATION", &fields.location),
        ("DESCRIPTION", &fields.description),
    ] {
        if !value.trim().is_empty() {
            lines.push(format!("{name}:{}", escape_text(value)));
        }
    }
    lines.push(fields.start.line("DTSTART"));
    lines.push(fields.end.line("DTEND"));
    match &fields.recurrence {
        Recurrence::Single => drop.push("RRULE"),
        Recurrence::Rule(rule) => {
            drop.push("RRULE");
            lines.push(rule.line(&fields.start));
        }
        Recurrence::Keep => {}
    }
    lines.extend(stamps(now, sequence));
    let alarm = fields.reminder.map(|minutes| {
        vec![
            "BEGIN:VALARM".to_owned(),
            "ACTION:DISPLAY".to_owned(),
            format!("DESCRIPTION:{}", escape_text(&fields.summary)),
            format!("TRIGGER:{}", trigger(minutes)),
            "END:VALARM".to_owned(),
        ]
    });
    Patch {
        component: "VEVENT",
        drop,
        lines,
        drop_reminder: true,
        alarm,
        zones: [&fields.start, &fields.end]
            .into_iter()
            .filter_map(zone_of)
            .collect(),
    }
}

/// A new calendar object with one VEVENT of UID `uid` from the form's values.
pub fn new_event(
    uid: &str,
    fields: &EventFields,
    now: DateTime<Utc>,
) -> Result<String, ComposeError> {
    apply(
        skeleton("VEVENT", uid, now).as_bytes(),
        &event_patch(fields, 0, now),
    )
}

/// `body` with its master VEVENT set to the form's values, everything else kept.
pub fn patch_event(
    body: &[u8],
    fields: &EventFields,
    now: DateTime<Utc>,
) -> Result<String, ComposeError> {
    let sequence = parse(body, "VEVENT")?.sequence.saturating_add(1);
    apply(body, &event_patch(fields, sequence, now))
}

/// Whether the master VTODO of a parsed object is completed.
fn is_completed(p: &Parsed<'_>) -> bool {
    p.master
        .property(&p.text, "STATUS")
        .is_some_and(|s| s.eq_ignore_ascii_case("COMPLETED"))
        || p.master.property(&p.text, "COMPLETED").is_some()
}

/// The completion lines of a task becoming done (or open again) `now`.
fn completion(completed: bool, now: DateTime<Utc>) -> Vec<String> {
    if completed {
        vec![
            "STATUS:COMPLETED".to_owned(),
            format!("COMPLETED:{}", now.format("%Y%m%dT%H%M%SZ")),
            "PERCENT-COMPLETE:100".to_owned(),
        ]
    } else {
        vec!["STATUS:NEEDS-ACTION".to_owned()]
    }
}

/// Properties a change of completion replaces.
const COMPLETION: [&str; 3] = ["STATUS", "COMPLETED", "PERCENT-COMPLETE"];

fn task_patch(
    fields: &TaskFields,
    was_completed: Option<bool>,
    sequence: u32,
    now: DateTime<Utc>,
) -> Patch<'static> {
    let mut drop = vec!["SUMMARY", "DUE", "PRIORITY"];
    drop.extend(STAMPED);
    let mut lines = vec![format!("SUMMARY:{}", escape_text(&fields.summary))];
    if let Some(due) = &fields.due {
        // DUE and DURATION exclude each other (RFC 5545 §3.6.2).
        drop.push("DURATION");
        lines.push(due.line("DUE"));
    }
    if let Some(p) = fields.priority {
        lines.push(format!("PRIORITY:{p}"));
    }
    // Completion is written only when it changes, so a task in process keeps its status.
    if was_completed != Some(fields.completed) {
        drop.extend(COMPLETION);
        lines.extend(completion(fields.completed, now));
    }
    lines.extend(stamps(now, sequence));
    Patch {
        component: "VTODO",
        drop,
        lines,
        drop_reminder: false,
        alarm: None,
        zones: fields.due.iter().filter_map(zone_of).collect(),
    }
}

/// A new calendar object with one VTODO of UID `uid` from the form's values.
pub fn new_task(
    uid: &str,
    fields: &TaskFields,
    now: DateTime<Utc>,
) -> Result<String, ComposeError> {
    apply(
        skeleton("VTODO", uid, now).as_bytes(),
        &task_patch(fields, None, 0, now),
    )
}

/// `body` with its master VTODO set to the form's values, everything else kept.
pub fn patch_task(
    body: &[u8],
    fields: &TaskFields,
    now: DateTime<Utc>,
) -> Result<String, ComposeError> {
    let p = parse(body, "VTODO")?;
    let patch = task_patch(fields, Some(is_completed(&p)), p.sequence + 1, now);
    apply(body, &patch)
}

/// `body` with its master VTODO marked done (STATUS, COMPLETED, PERCENT-COMPLETE:100) or open
/// again (STATUS:NEEDS-ACTION), nothing else changed but the timestamps.
pub fn set_completed(
    body: &[u8],
    completed: bool,
    now: DateTime<Utc>,
) -> Result<String, ComposeError> {
    let sequence = parse(body, "VTODO")?.sequence.saturating_add(1);
    let mut drop: Vec<&str> = COMPLETION.to_vec();
    drop.extend(STAMPED);
    let mut lines = completion(completed, now);
    lines.extend(stamps(now, sequence));
    apply(
        body,
        &Patch {
            component: "VTODO",
            drop,
            lines,
            drop_reminder: false,
            alarm: None,
            zones: Vec::new(),
        },
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ical::{tree, validate_calendar_object};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 8, 30, 0).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn zurich(t: NaiveDateTime) -> When {
        When::Zoned {
            at: t,
            tzid: "Europe/Zurich".into(),
        }
    }

    fn event() -> EventFields {
        EventFields {
            summary: "Team, weekly; review".into(),
            location: "Room 4".into(),
            description: "Line one\nLine two".into(),
            start: zurich(at(2025, 3, 3, 9, 0)),
            end: zurich(at(2025, 3, 3, 10, 0)),
            recurrence: Recurrence::Rule(Repeat {
                frequency: Frequency::Weekly,
                interval: 1,
                weekdays: vec![Weekday::Mon, Weekday::Wed],
                end: RepeatEnd::Until(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()),
            }),
            reminder: Some(15),
        }
    }

    /// A fixture, with CalDAVTester's template variables filled in.
    pub(in crate::ical) fn fixture(name: &str) -> Vec<u8> {
        std::fs::read_to_string(format!(
            "{}/fixtures/ical/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .replace("$now.year.2:", "2027")
        .replace("$email1:", "user01@example.com")
        .replace("$cuaddrurn1:", "mailto:user01@example.com")
        .into_bytes()
    }

    fn master(text: &str, component: &str) -> tree::Component {
        let root = tree::parse(text.as_bytes()).unwrap();
        root.components_named(component)
            .find(|c| c.properties_named("RECURRENCE-ID").next().is_none())
            .unwrap()
            .clone()
    }

    fn value(c: &tree::Component, name: &str) -> Option<String> {
        c.properties_named(name).next().map(|p| p.text())
    }

    #[test]
    fn a_new_weekly_event_has_rule_alarm_and_time_zone() {
        let text = new_event("uid-1", &event(), now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        assert!(
            text.contains("DTSTART;TZID=Europe/Zurich:20250303T090000\r\n"),
            "{text}"
        );
        assert!(text.contains("DTEND;TZID=Europe/Zurich:20250303T100000\r\n"));
        assert!(
            text.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20250630T215959Z\r\n"),
            "{text}"
        );
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n"));
        assert!(text.find("BEGIN:VTIMEZONE") < text.find("BEGIN:VEVENT"));
        assert!(text.contains(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Team\\, weekly\\; review\r\n\
             TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
        ));
        let m = master(&text, "VEVENT");
        assert_eq!(
            value(&m, "SUMMARY").as_deref(),
            Some("Team, weekly; review")
        );
        assert_eq!(
            value(&m, "DESCRIPTION").as_deref(),
            Some("Line one\nLine two")
        );
        assert_eq!(value(&m, "UID").as_deref(), Some("uid-1"));
        assert_eq!(value(&m, "SEQUENCE").as_deref(), Some("0"));
        assert_eq!(value(&m, "DTSTAMP").as_deref(), Some("20250301T083000Z"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn all_day_events_use_dates_and_date_until() {
        let mut f = event();
        f.start = When::Date(NaiveDate::from_ymd_opt(2025, 3, 3).unwrap());
        f.end = When::Date(NaiveDate::from_ymd_opt(2025, 3, 5).unwrap());
        f.recurrence = Recurrence::Rule(Repeat {
            frequency: Frequency::Yearly,
            interval: 2,
            weekdays: vec![],
            end: RepeatEnd::Until(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap()),
        });
        f.reminder = Some(1440);
        let text = new_event("u", &f, now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        assert!(text.contains("DTSTART;VALUE=DATE:20250303\r\nDTEND;VALUE=DATE:20250305\r\n"));
        assert!(text.contains("RRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20310101\r\n"));
        assert!(text.contains("TRIGGER:-P1D\r\n"));
        assert!(!text.contains("VTIMEZONE"));
    }

    #[test]
    fn a_patch_keeps_attendees_x_properties_overrides_and_other_alarms() {
        let body = fixture("ical4-invite-recurring-override-attendees.ics");
        let before = String::from_utf8(body.clone()).unwrap();
        let mut f = event();
        f.start = When::Zoned {
            at: at(2025, 3, 3, 9, 0),
            tzid: "America/New_York".into(),
        };
        f.end = When::Zoned {
            at: at(2025, 3, 3, 10, 0),
            tzid: "America/New_York".into(),
        };
        f.recurrence = Recurrence::Keep;
        let text = patch_event(&body, &f, now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        let old = tree::parse(&body).unwrap();
        let new = tree::parse(text.as_bytes()).unwrap();
        // The override and the time zone stay exactly as they were.
        assert_eq!(
            old.components_named("VEVENT").count(),
            new.components_named("VEVENT").count()
        );
        let override_of = |root: &tree::Component| {
            root.components_named("VEVENT")
                .find(|c| c.properties_named("RECURRENCE-ID").next().is_some())
                .cloned()
        };
        assert_eq!(override_of(&old), override_of(&new));
        assert_eq!(
            old.components_named("VTIMEZONE").collect::<Vec<_>>(),
            new.components_named("VTIMEZONE").collect::<Vec<_>>()
        );
        let (om, nm) = (master(&before, "VEVENT"), master(&text, "VEVENT"));
        for name in ["ATTENDEE", "ORGANIZER", "RRULE", "UID"] {
            assert_eq!(
                om.properties_named(name).collect::<Vec<_>>(),
                nm.properties_named(name).collect::<Vec<_>>(),
                "{name}"
            );
        }
        assert_eq!(
            value(&nm, "SUMMARY").as_deref(),
            Some("Team, weekly; review")
        );
        assert_eq!(nm.properties_named("SUMMARY").count(), 1);
        assert_eq!(nm.properties_named("DTSTART").count(), 1);
        let seq: u32 = value(&om, "SEQUENCE").map_or(0, |s| s.parse().unwrap());
        assert_eq!(value(&nm, "SEQUENCE"), Some((seq + 1).to_string()));
    }

    #[test]
    fn the_shown_reminder_is_replaced_and_others_stay() {
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n\
                    DTSTAMP:20250101T000000Z\r\nDTSTART:20250303T090000Z\r\nX-KEEP;P=1:v\r\n\
                    BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-PT15M\r\nSUMMARY:s\r\n\
                    DESCRIPTION:d\r\nATTENDEE:mailto:a@b\r\nEND:VALARM\r\n\
                    BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=START:-PT30M\r\n\
                    DESCRIPTION:old\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let mut f = event();
        f.start = When::Utc(at(2025, 3, 3, 9, 0));
        f.end = When::Utc(at(2025, 3, 3, 9, 30));
        f.recurrence = Recurrence::Single;
        f.reminder = Some(5);
        let text = patch_event(body.as_bytes(), &f, now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        assert!(text.contains("ACTION:EMAIL"), "{text}");
        assert!(!text.contains("-PT30M"), "{text}");
        assert!(text.contains("TRIGGER:-PT5M"));
        assert!(text.contains("X-KEEP;P=1:v\r\n"));
        assert!(text.contains("SEQUENCE:1\r\n"));
        assert_eq!(text.matches("DTSTAMP").count(), 1);
        assert!(!text.contains("VTIMEZONE"), "UTC needs none");
        f.reminder = None;
        let text = patch_event(text.as_bytes(), &f, now()).unwrap();
        assert_eq!(text.matches("BEGIN:VALARM").count(), 1, "{text}");
        assert!(text.contains("SEQUENCE:2\r\n"));
    }

    #[test]
    fn patching_corpus_events_keeps_them_valid_and_their_other_lines() {
        for name in [
            "thunderbird-recurring-with-override.ics",
            "davx5-recurring-many-overrides-related-to.ics",
            "thunderbird-alarms-x-moz-lastack.ics",
            "google-calendar-invite-weekly-attendees.ics",
            "thunderbird-from-exchange-w-europe-standard-time.ics",
            "evolution-all-day-event-alarm.ics",
            "macos-10.11-recurring-exdate-override-no-vtimezone.ics",
        ] {
            let body = fixture(name);
            let mut f = event();
            f.recurrence = Recurrence::Keep;
            let text = patch_event(&body, &f, now()).unwrap_or_else(|e| panic!("{name}: {e}"));
            validate_calendar_object(text.as_bytes(), &[])
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let old = tree::parse(&body).unwrap();
            let new = tree::parse(text.as_bytes()).unwrap();
            let kept = |root: &tree::Component| -> Vec<tree::Property> {
                root.components_named("VEVENT")
                    .flat_map(|c| c.properties.iter())
                    .filter(|p| {
                        p.name.starts_with("X-")
                            || ["ATTENDEE", "EXDATE", "RRULE"].contains(&p.name.as_str())
                    })
                    .cloned()
                    .collect()
            };
            assert_eq!(kept(&old), kept(&new), "{name}");
            assert!(
                new.components_named("VTIMEZONE").count()
                    >= old.components_named("VTIMEZONE").count(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_zone_the_object_lacks_is_added_once_and_unknown_ones_are_refused() {
        let body = fixture("macos-10.11-recurring-exdate-override-no-vtimezone.ics");
        let mut f = event();
        f.recurrence = Recurrence::Keep;
        let text = patch_event(&body, &f, now()).unwrap();
        assert_eq!(text.matches("TZID:Europe/Zurich\r\n").count(), 1, "{text}");
        f.start = When::Zoned {
            at: at(2025, 3, 3, 9, 0),
            tzid: "Mars/Olympus".into(),
        };
        assert_eq!(
            patch_event(&body, &f, now()),
            Err(ComposeError::UnknownZone("Mars/Olympus".into()))
        );
        // A zone the object defines itself is fine even if the database does not know it.
        let body = fixture("thunderbird-from-exchange-w-europe-standard-time.ics");
        f.start = When::Zoned {
            at: at(2025, 3, 3, 9, 0),
            tzid: "W. Europe Standard Time".into(),
        };
        f.end = f.start.clone();
        assert!(patch_event(&body, &f, now()).is_ok());
    }

    #[test]
    fn tasks_are_created_completed_and_reopened() {
        let fields = TaskFields {
            summary: "Pay rent".into(),
            due: Some(zurich(at(2025, 3, 31, 17, 0))),
            priority: Some(1),
            completed: false,
        };
        let text = new_task("t1", &fields, now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        assert!(text.contains("DUE;TZID=Europe/Zurich:20250331T170000\r\n"));
        assert!(
            text.contains("PRIORITY:1\r\nSTATUS:NEEDS-ACTION\r\n"),
            "{text}"
        );
        let done = set_completed(text.as_bytes(), true, now()).unwrap();
        validate_calendar_object(done.as_bytes(), &[]).unwrap();
        let m = master(&done, "VTODO");
        assert_eq!(value(&m, "STATUS").as_deref(), Some("COMPLETED"));
        assert_eq!(value(&m, "COMPLETED").as_deref(), Some("20250301T083000Z"));
        assert_eq!(value(&m, "PERCENT-COMPLETE").as_deref(), Some("100"));
        assert_eq!(m.properties_named("STATUS").count(), 1);
        let open = set_completed(done.as_bytes(), false, now()).unwrap();
        let m = master(&open, "VTODO");
        assert_eq!(value(&m, "STATUS").as_deref(), Some("NEEDS-ACTION"));
        assert_eq!(value(&m, "COMPLETED"), None);
        assert_eq!(value(&m, "PERCENT-COMPLETE"), None);
        assert_eq!(value(&m, "DUE").as_deref(), Some("20250331T170000"));
    }

    #[test]
    fn editing_a_task_in_process_keeps_its_status_and_client_lines() {
        let body = fixture("sunbird-vtodo-in-process.ics");
        let fields = TaskFields {
            summary: "Renamed".into(),
            due: Some(When::Date(NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())),
            priority: None,
            completed: false,
        };
        let text = patch_task(&body, &fields, now()).unwrap();
        validate_calendar_object(text.as_bytes(), &[]).unwrap();
        let (old, new) = (
            master(std::str::from_utf8(&body).unwrap(), "VTODO"),
            master(&text, "VTODO"),
        );
        assert_eq!(value(&new, "STATUS"), value(&old, "STATUS"));
        assert_eq!(
            value(&new, "PERCENT-COMPLETE"),
            value(&old, "PERCENT-COMPLETE")
        );
        assert_eq!(value(&new, "SUMMARY").as_deref(), Some("Renamed"));
        assert_eq!(value(&new, "DUE").as_deref(), Some("20250401"));
        assert_eq!(new.properties_named("PRIORITY").count(), 0);
        let done = patch_task(
            &body,
            &TaskFields {
                completed: true,
                ..fields
            },
            now(),
        )
        .unwrap();
        assert_eq!(
            value(&master(&done, "VTODO"), "STATUS").as_deref(),
            Some("COMPLETED")
        );
        assert!(set_completed(&fixture("sunbird-vtodo-completed.ics"), false, now()).is_ok());
    }

    #[test]
    fn objects_without_the_component_are_refused() {
        let body = fixture("thunderbird-recurring-with-override.ics");
        assert_eq!(
            set_completed(&body, true, now()),
            Err(ComposeError::NoMaster("VTODO"))
        );
        assert_eq!(
            patch_event(b"\xff\xfe", &event(), now()),
            Err(ComposeError::Unreadable)
        );
        assert_eq!(
            patch_event(b"BEGIN:VEVENT\r\n", &event(), now()),
            Err(ComposeError::Unreadable)
        );
    }

    #[test]
    fn reminders_the_form_shows() {
        assert_eq!(
            reminder_minutes(Some("DISPLAY"), "-PT15M", "TRIGGER"),
            Some(15)
        );
        assert_eq!(
            reminder_minutes(Some("AUDIO"), "-P1D", "TRIGGER"),
            Some(1440)
        );
        assert_eq!(
            reminder_minutes(Some("DISPLAY"), "PT0S", "TRIGGER"),
            Some(0)
        );
        assert_eq!(reminder_minutes(Some("DISPLAY"), "-PT10M", "TRIGGER"), None);
        assert_eq!(reminder_minutes(Some("EMAIL"), "-PT15M", "TRIGGER"), None);
        assert_eq!(
            reminder_minutes(Some("DISPLAY"), "-PT15M", "TRIGGER;RELATED=END"),
            None
        );
        assert_eq!(reminder_minutes(None, "-PT15M", "TRIGGER"), None);
        assert_eq!(trigger(60), "-PT1H");
        assert_eq!(trigger(30), "-PT30M");
    }
}
