//! What an editor shows of a stored event or task: the values of its master component that
//! the web view's forms edit, read leniently (a stored object was validated at PUT), and
//! what the forms cannot show (a rule of another shape, alarms of other kinds, overrides), so
//! the page can say it is kept.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Weekday};

use super::compose::{Frequency, Repeat, RepeatEnd, When, reminder_minutes};
use super::tree::{Component, Property, parse};

/// The editable values of an object's master VEVENT or VTODO.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Editable {
    /// `VEVENT` or `VTODO`.
    pub component: String,
    /// SUMMARY.
    pub summary: String,
    /// LOCATION.
    pub location: String,
    /// DESCRIPTION.
    pub description: String,
    /// DTSTART.
    pub start: Option<When>,
    /// DTEND, or DTSTART plus DURATION (an all-day event without either: the next day).
    pub end: Option<When>,
    /// DUE (tasks).
    pub due: Option<When>,
    /// PRIORITY 1-9 (0 or absent: none).
    pub priority: Option<u8>,
    /// STATUS:COMPLETED or a COMPLETED time.
    pub completed: bool,
    /// The RRULE as written, if any.
    pub rrule: Option<String>,
    /// The RRULE as the form shows it, when it is of a shape the form offers.
    pub repeat: Option<Repeat>,
    /// The reminder the form shows (minutes before the start).
    pub reminder: Option<u32>,
    /// Alarms the form does not show (kept on save).
    pub other_alarms: usize,
    /// Overridden instances (RECURRENCE-ID components; kept on save).
    pub overrides: usize,
    /// ATTENDEE lines (kept on save).
    pub attendees: usize,
}

/// Reads a DATE or DATE-TIME property.
fn when(p: &Property) -> Option<When> {
    let v = p.value.trim();
    if v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(When::Date);
    }
    let (local, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, true),
        None => (v, false),
    };
    let at = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").ok()?;
    Some(match (utc, p.param("TZID").and_then(|t| t.first())) {
        (true, _) => When::Utc(at),
        (false, Some(tzid)) => When::Zoned {
            at,
            tzid: tzid.clone(),
        },
        (false, None) => When::Floating(at),
    })
}

/// `when` moved by `seconds` (days for a date).
fn shifted(when: &When, seconds: i64) -> When {
    let d = TimeDelta::seconds(seconds);
    match when {
        When::Date(date) => When::Date(*date + TimeDelta::days(seconds / 86_400)),
        When::Zoned { at, tzid } => When::Zoned {
            at: *at + d,
            tzid: tzid.clone(),
        },
        When::Utc(at) => When::Utc(*at + d),
        When::Floating(at) => When::Floating(*at + d),
    }
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// The rule as the form shows it: FREQ, INTERVAL, plain weekly BYDAY, UNTIL or COUNT (WKST is
/// ignored); `None` for any other part.
pub fn repeat_of(rule: &str) -> Option<Repeat> {
    let mut frequency = None;
    let (mut interval, mut weekdays, mut end) = (1, Vec::new(), RepeatEnd::Never);
    for part in rule.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=')?;
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                frequency = Some(match value.trim().to_ascii_uppercase().as_str() {
                    "DAILY" => Frequency::Daily,
                    "WEEKLY" => Frequency::Weekly,
                    "MONTHLY" => Frequency::Monthly,
                    "YEARLY" => Frequency::Yearly,
                    _ => return None,
                });
            }
            "INTERVAL" => interval = value.trim().parse().ok().filter(|n| *n >= 1)?,
            "BYDAY" => {
                weekdays = value
                    .split(',')
                    .map(|d| weekday(&d.trim().to_ascii_uppercase()))
                    .collect::<Option<Vec<_>>>()?;
            }
            "UNTIL" => {
                end = RepeatEnd::Until(
                    NaiveDate::parse_from_str(value.trim().get(..8)?, "%Y%m%d").ok()?,
                );
            }
            "COUNT" => end = RepeatEnd::Count(value.trim().parse().ok()?),
            "WKST" => {}
            _ => return None,
        }
    }
    let frequency = frequency?;
    if !weekdays.is_empty() && frequency != Frequency::Weekly {
        return None;
    }
    Some(Repeat {
        frequency,
        interval,
        weekdays,
        end,
    })
}

fn text_of(c: &Component, name: &str) -> String {
    c.properties_named(name)
        .next()
        .map(Property::text)
        .unwrap_or_default()
}

/// The editable values of the master `component` (`VEVENT` or `VTODO`) of `body`; `None`
/// when it has none.
pub fn read(body: &[u8], component: &str) -> Option<Editable> {
    let root = parse(body)?;
    fn is_override(c: &&Component) -> bool {
        c.properties_named("RECURRENCE-ID").next().is_some()
    }
    let master = root.components_named(component).find(|c| !is_override(c))?;
    let overrides = root.components_named(component).filter(is_override).count();
    let prop = |name: &'static str| master.properties_named(name).next();
    let start = prop("DTSTART").and_then(when);
    let end = prop("DTEND").and_then(when).or_else(|| {
        let start = start.as_ref()?;
        match prop("DURATION").and_then(|d| super::duration::seconds(&d.value)) {
            Some(seconds) => Some(shifted(start, seconds)),
            None => matches!(start, When::Date(_)).then(|| shifted(start, 86_400)),
        }
    });
    let rrule = prop("RRULE").map(|p| p.value.trim().to_owned());
    let mut reminder = None;
    let mut other_alarms = 0;
    for alarm in master.components_named("VALARM") {
        let action = alarm
            .properties_named("ACTION")
            .next()
            .map(|a| a.value.as_str());
        let minutes = alarm.properties_named("TRIGGER").next().and_then(|t| {
            let params: Vec<String> = t
                .params
                .iter()
                .map(|(n, v)| format!("{n}={}", v.join(",")))
                .collect();
            reminder_minutes(action, &t.value, &params.join(";"))
        });
        match (reminder, minutes) {
            (None, Some(m)) => reminder = Some(m),
            _ => other_alarms += 1,
        }
    }
    Some(Editable {
        component: component.to_owned(),
        summary: text_of(master, "SUMMARY"),
        location: text_of(master, "LOCATION"),
        description: text_of(master, "DESCRIPTION"),
        start,
        end,
        due: prop("DUE").and_then(when),
        priority: prop("PRIORITY")
            .and_then(|p| p.value.trim().parse().ok())
            .filter(|p| (1..=9).contains(p)),
        completed: prop("STATUS").is_some_and(|s| s.value.trim().eq_ignore_ascii_case("COMPLETED"))
            || prop("COMPLETED").is_some(),
        repeat: rrule.as_deref().and_then(repeat_of),
        rrule,
        reminder,
        other_alarms,
        overrides,
        attendees: master.properties_named("ATTENDEE").count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::compose::tests::fixture;

    #[test]
    fn reads_a_recurring_invitation_with_an_override() {
        let e = read(
            &fixture("ical4-invite-recurring-override-attendees.ics"),
            "VEVENT",
        )
        .unwrap();
        assert!(!e.summary.is_empty());
        assert!(matches!(e.start, Some(When::Zoned { .. })), "{e:?}");
        assert!(e.end.is_some());
        assert!(e.rrule.is_some());
        assert_eq!(e.overrides, 1);
        assert!(e.attendees > 0);
    }

    #[test]
    fn reads_all_day_events_and_display_alarms() {
        let e = read(&fixture("evolution-all-day-event-alarm.ics"), "VEVENT").unwrap();
        assert!(matches!(e.start, Some(When::Date(_))), "{e:?}");
        assert_eq!(e.reminder, Some(30));
        assert_eq!(e.other_alarms, 0);
        let e = read(
            &fixture("google-calendar-invite-weekly-attendees.ics"),
            "VEVENT",
        )
        .unwrap();
        assert_eq!(e.reminder, None, "10 minutes is not offered");
        assert_eq!(e.other_alarms, 1);
    }

    #[test]
    fn reads_tasks() {
        let t = read(&fixture("sunbird-vtodo-completed.ics"), "VTODO").unwrap();
        assert!(t.completed);
        assert!(t.due.is_some());
        let t = read(&fixture("sunbird-vtodo-in-process.ics"), "VTODO").unwrap();
        assert!(!t.completed);
        assert_eq!(
            read(&fixture("sunbird-vtodo-in-process.ics"), "VEVENT"),
            None
        );
    }

    #[test]
    fn rules_of_the_forms_shapes_only() {
        let r = repeat_of("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=10;WKST=MO").unwrap();
        assert_eq!(r.frequency, Frequency::Weekly);
        assert_eq!(r.interval, 2);
        assert_eq!(r.weekdays, vec![Weekday::Mon, Weekday::Fri]);
        assert_eq!(r.end, RepeatEnd::Count(10));
        assert_eq!(
            repeat_of("FREQ=DAILY;UNTIL=20250630T215959Z").unwrap().end,
            RepeatEnd::Until(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())
        );
        for other in [
            "FREQ=MONTHLY;BYDAY=1MO",
            "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU",
            "FREQ=HOURLY",
            "FREQ=WEEKLY;INTERVAL=0",
            "INTERVAL=2",
            "garbage",
        ] {
            assert_eq!(repeat_of(other), None, "{other}");
        }
    }

    #[test]
    fn durations_give_the_end() {
        let body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Zurich:20250303T090000\r\nDURATION:PT90M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let e = read(body, "VEVENT").unwrap();
        assert_eq!(
            e.end,
            Some(When::Zoned {
                at: NaiveDate::from_ymd_opt(2025, 3, 3)
                    .unwrap()
                    .and_hms_opt(10, 30, 0)
                    .unwrap(),
                tzid: "Europe/Zurich".into()
            })
        );
    }
}
