//! The event form: its values as typed (so a refused form comes back as it was sent), read
//! from a stored event or from a post, checked into `ical::compose::EventFields`, and drawn.

use chrono::{NaiveDate, NaiveTime, TimeDelta, TimeZone, Weekday};
use chrono_tz::Tz;
use maud::{Markup, html};

use super::calendars::Calendar;
use super::texts::{EditorTexts, clock};
use crate::ical::compose::{
    EventFields, Frequency, REMINDER_MINUTES, Recurrence, Repeat, RepeatEnd, When, weekday_code,
};
use crate::ical::editable::Editable;
use crate::ical::tz_definition::zone_names;
use crate::web::Form;

/// Repeat choices as the form posts them, in the order of `EditorTexts::repeat_choices`.
const REPEAT: [&str; 6] = ["none", "daily", "weekly", "monthly", "yearly", "keep"];
/// Ends choices, in the order of `EditorTexts::ends_choices`.
const ENDS: [&str; 3] = ["never", "until", "count"];
/// Weekdays, Monday first.
const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The form's values as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventForm {
    /// `summary`.
    pub summary: String,
    /// `calendar` (new events: where to create it).
    pub calendar: String,
    /// `all_day`.
    pub all_day: bool,
    /// `start_date` (YYYY-MM-DD).
    pub start_date: String,
    /// `start_time` (HH:MM).
    pub start_time: String,
    /// `end_date`.
    pub end_date: String,
    /// `end_time`.
    pub end_time: String,
    /// `tz`.
    pub tz: String,
    /// `location`.
    pub location: String,
    /// `description`.
    pub description: String,
    /// `repeat`: one of [`REPEAT`].
    pub repeat: String,
    /// `interval`.
    pub interval: String,
    /// `weekday` (repeated): MO ... SU.
    pub weekdays: Vec<String>,
    /// `ends`: one of [`ENDS`].
    pub ends: String,
    /// `until` (YYYY-MM-DD).
    pub until: String,
    /// `count`.
    pub count: String,
    /// `reminder`: `none` or minutes.
    pub reminder: String,
}

/// An error of one field: the field's name and the message.
pub type FieldError = (&'static str, &'static str);

impl EventForm {
    /// A new event's form on `date` at `time` (an hour long; all day without a time).
    pub fn new(date: NaiveDate, time: Option<NaiveTime>, calendar: &str, tz: &str) -> EventForm {
        let start = time.unwrap_or_else(|| NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
        let end = date.and_time(start) + TimeDelta::hours(1);
        EventForm {
            calendar: calendar.to_owned(),
            all_day: time.is_none(),
            start_date: date.to_string(),
            start_time: clock(start),
            end_date: end.date().to_string(),
            end_time: clock(end.time()),
            tz: tz.to_owned(),
            repeat: "none".into(),
            interval: "1".into(),
            ends: "never".into(),
            count: "10".into(),
            reminder: "none".into(),
            ..EventForm::default()
        }
    }

    /// The form of a stored event; times in UTC or floating are shown in `zone`.
    pub fn of(e: &Editable, zone: &str) -> EventForm {
        let local = |w: &When| -> (NaiveDate, Option<NaiveTime>, String) {
            match w {
                When::Date(d) => (*d, None, zone.to_owned()),
                When::Zoned { at, tzid } => (at.date(), Some(at.time()), tzid.clone()),
                When::Floating(at) => (at.date(), Some(at.time()), zone.to_owned()),
                When::Utc(at) => {
                    let at = zone
                        .parse::<Tz>()
                        .map_or(*at, |tz| tz.from_utc_datetime(at).naive_local());
                    (at.date(), Some(at.time()), zone.to_owned())
                }
            }
        };
        let today = chrono::Utc::now().date_naive();
        let (sd, st, tz) = e
            .start
            .as_ref()
            .map_or((today, None, zone.to_owned()), local);
        let (mut ed, et, _) = e.end.as_ref().map_or((sd, st, tz.clone()), local);
        if st.is_none() && ed > sd {
            // DTEND of an all-day event is the day after its last day.
            ed = ed.pred_opt().unwrap_or(ed);
        }
        let mut form = EventForm::new(sd, st, "", &tz);
        form.summary = e.summary.clone();
        form.location = e.location.clone();
        form.description = e.description.clone();
        form.end_date = ed.to_string();
        form.end_time = et
            .or(st)
            .map(clock)
            .unwrap_or_else(|| form.end_time.clone());
        form.reminder = e
            .reminder
            .map_or_else(|| "none".to_owned(), |m| m.to_string());
        match (&e.rrule, &e.repeat) {
            (None, _) => {}
            (Some(_), None) => form.repeat = "keep".into(),
            (Some(_), Some(r)) => {
                form.repeat = r.frequency.as_str().to_ascii_lowercase();
                form.interval = r.interval.to_string();
                form.weekdays = r
                    .weekdays
                    .iter()
                    .map(|d| weekday_code(*d).to_owned())
                    .collect();
                match r.end {
                    RepeatEnd::Never => {}
                    RepeatEnd::Until(d) => {
                        form.ends = "until".into();
                        form.until = d.to_string();
                    }
                    RepeatEnd::Count(n) => {
                        form.ends = "count".into();
                        form.count = n.to_string();
                    }
                }
            }
        }
        form
    }

    /// The values a post sends.
    pub fn posted(f: &Form) -> EventForm {
        let text = |name: &str| f.get(name).unwrap_or("").trim().to_owned();
        EventForm {
            summary: text("summary"),
            calendar: text("calendar"),
            all_day: f.get("all_day").is_some(),
            start_date: text("start_date"),
            start_time: text("start_time"),
            end_date: text("end_date"),
            end_time: text("end_time"),
            tz: text("tz"),
            location: text("location"),
            description: f.get("description").unwrap_or("").replace("\r\n", "\n"),
            repeat: text("repeat"),
            interval: text("interval"),
            weekdays: f.all("weekday").map(str::to_owned).collect(),
            ends: text("ends"),
            until: text("until"),
            count: text("count"),
            reminder: text("reminder"),
        }
    }

    /// The event's values, or the errors of its fields. `keep_zone` is a TZID the event already
    /// uses, accepted even if the list does not have it; `existing` is the stored rule as the
    /// form shows it, kept as written when the form leaves it unchanged.
    pub fn check(
        &self,
        t: &'static EditorTexts,
        keep_zone: Option<&str>,
        existing: Option<&Repeat>,
    ) -> Result<EventFields, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut err = |field, message| {
            errors.push((field, message));
        };
        if self.summary.is_empty() {
            err("summary", t.err_summary);
        }
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
        let start_date = date(&self.start_date);
        if start_date.is_none() {
            err("start_date", t.err_date);
        }
        let end_date = if self.end_date.is_empty() {
            start_date
        } else {
            date(&self.end_date)
        };
        if end_date.is_none() {
            err("end_date", t.err_date);
        }
        let zone_ok = zone_names().contains(&self.tz.as_str()) || keep_zone == Some(&self.tz);
        let (mut start_time, mut end_time) = (None, None);
        if !self.all_day {
            start_time = time(&self.start_time);
            end_time = time(&self.end_time);
            if start_time.is_none() {
                err("start_time", t.err_time);
            }
            if end_time.is_none() {
                err("end_time", t.err_time);
            }
            if !zone_ok {
                err("tz", t.err_zone);
            }
        }
        let (start, end) = match (start_date, end_date, self.all_day) {
            (Some(sd), Some(ed), true) => {
                if ed < sd {
                    err("end_date", t.err_end_before_start);
                }
                (
                    Some(When::Date(sd)),
                    Some(When::Date(ed.succ_opt().unwrap_or(ed))),
                )
            }
            (Some(sd), Some(ed), false) => match (start_time, end_time) {
                (Some(st), Some(et)) => {
                    if ed.and_time(et) < sd.and_time(st) {
                        err("end_date", t.err_end_before_start);
                    }
                    let zoned = |at| When::Zoned {
                        at,
                        tzid: self.tz.clone(),
                    };
                    (Some(zoned(sd.and_time(st))), Some(zoned(ed.and_time(et))))
                }
                _ => (None, None),
            },
            _ => (None, None),
        };
        let recurrence = self.recurrence(t, start_date, &mut err, existing);
        let reminder = match self.reminder.as_str() {
            "none" | "" => None,
            m => match m
                .parse::<u32>()
                .ok()
                .filter(|m| REMINDER_MINUTES.contains(m))
            {
                Some(m) => Some(m),
                None => {
                    err("reminder", t.err_choice);
                    None
                }
            },
        };
        match (start, end, recurrence) {
            (Some(start), Some(end), Some(recurrence)) if errors.is_empty() => Ok(EventFields {
                summary: self.summary.clone(),
                location: self.location.clone(),
                description: self.description.trim_end().to_owned(),
                start,
                end,
                recurrence,
                reminder,
            }),
            _ => Err(errors),
        }
    }

    fn recurrence(
        &self,
        t: &'static EditorTexts,
        start: Option<NaiveDate>,
        err: &mut impl FnMut(&'static str, &'static str),
        existing: Option<&Repeat>,
    ) -> Option<Recurrence> {
        let frequency = match self.repeat.as_str() {
            "none" | "" => return Some(Recurrence::Single),
            "keep" => return Some(Recurrence::Keep),
            "daily" => Frequency::Daily,
            "weekly" => Frequency::Weekly,
            "monthly" => Frequency::Monthly,
            "yearly" => Frequency::Yearly,
            _ => {
                err("repeat", t.err_choice);
                return None;
            }
        };
        let interval = match self.interval.parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => n,
            _ if self.interval.is_empty() => 1,
            _ => {
                err("interval", t.err_interval);
                return None;
            }
        };
        let mut weekdays = Vec::new();
        if frequency == Frequency::Weekly {
            for code in &self.weekdays {
                match WEEK.iter().find(|d| weekday_code(**d) == code) {
                    Some(d) if !weekdays.contains(d) => weekdays.push(*d),
                    Some(_) => {}
                    None => {
                        err("weekday", t.err_choice);
                        return None;
                    }
                }
            }
            weekdays.sort_by_key(|d| d.num_days_from_monday());
        }
        let end = match self.ends.as_str() {
            "never" | "" => RepeatEnd::Never,
            "until" => match NaiveDate::parse_from_str(&self.until, "%Y-%m-%d") {
                Ok(d) if start.is_none_or(|s| d >= s) => RepeatEnd::Until(d),
                Ok(_) => {
                    err("until", t.err_until);
                    return None;
                }
                Err(_) => {
                    err("until", t.err_date);
                    return None;
                }
            },
            "count" => match self.count.parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => RepeatEnd::Count(n),
                _ => {
                    err("count", t.err_count);
                    return None;
                }
            },
            _ => {
                err("ends", t.err_choice);
                return None;
            }
        };
        let rule = Repeat {
            frequency,
            interval,
            weekdays,
            end,
        };
        // An unchanged rule stays as the client wrote it (its UNTIL, WKST, its order).
        Some(if existing == Some(&rule) {
            Recurrence::Keep
        } else {
            Recurrence::Rule(rule)
        })
    }
}

/// What the form is for.
pub enum Purpose<'a> {
    /// A new event: a calendar select.
    Create {
        /// The calendars it may go to.
        calendars: &'a [Calendar],
    },
    /// An existing event: which one, and its ETag when the form was drawn.
    Edit {
        /// The calendar's name.
        cal: &'a str,
        /// The object's name.
        obj: &'a str,
        /// Its ETag.
        etag: &'a str,
        /// Whether it repeats (the form says edits apply to the series).
        recurring: bool,
        /// Whether it has things the form does not show (guests, overrides, other alarms).
        has_kept: bool,
    },
}

fn error_of<'e>(errors: &'e [FieldError], field: &str) -> Option<&'e str> {
    errors.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
}

/// One labelled input with its error message, `aria-invalid` and `aria-describedby`.
pub fn field(
    errors: &[FieldError],
    name: &'static str,
    label: &str,
    kind: &str,
    value: &str,
    required: bool,
) -> Markup {
    let error = error_of(errors, name);
    let error_id = format!("{name}-error");
    html! {
        div.field #{ "field-" (name) } {
            label for=(name) { (label) }
            input type=(kind) id=(name) name=(name) value=(value) required[required]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(message) = error {
                span.field-error id=(error_id) { (message) }
            }
        }
    }
}

/// The list of errors at the top of a refused form.
pub fn error_summary(t: &EditorTexts, errors: &[FieldError], other: Option<&str>) -> Markup {
    html! {
        @if !errors.is_empty() || other.is_some() {
            div.alert.error role="alert" #form-errors {
                @if let Some(message) = other {
                    p { (message) }
                }
                @if !errors.is_empty() {
                    p { (t.fix_errors) }
                    ul {
                        @for (name, message) in errors {
                            li { a href={ "#" (name) } { (message) } }
                        }
                    }
                }
            }
        }
    }
}

/// The event form: `action` is where it posts, `hidden` the fields to send back (the CSRF
/// token, which event and which ETag).
pub fn render(
    t: &'static EditorTexts,
    form: &EventForm,
    errors: &[FieldError],
    purpose: &Purpose<'_>,
    hidden: Markup,
    extra_zone: Option<&str>,
) -> Markup {
    let (action, submit) = match purpose {
        Purpose::Create { .. } => ("/web/calendar/event/new", t.create),
        Purpose::Edit { .. } => ("/web/calendar/event/save", t.save),
    };
    let zones = zone_names();
    let reminder_values: Vec<String> = std::iter::once("none".to_owned())
        .chain(REMINDER_MINUTES.iter().map(u32::to_string))
        .collect();
    html! {
        form.editor #event-form method="post" action=(action) novalidate {
            (hidden)
            @match purpose {
                Purpose::Create { calendars } => {
                    div.field {
                        label for="calendar" { (t.calendar) }
                        select #calendar name="calendar"
                            aria-invalid=[error_of(errors, "calendar").map(|_| "true")] {
                            @for c in calendars.iter() {
                                option value=(c.name) selected[c.name == form.calendar] { (c.label) }
                            }
                        }
                        @if let Some(message) = error_of(errors, "calendar") {
                            span.field-error { (message) }
                        }
                    }
                }
                Purpose::Edit { cal, obj, etag, recurring, has_kept } => {
                    input type="hidden" name="cal" value=(cal);
                    input type="hidden" name="obj" value=(obj);
                    input type="hidden" name="etag" value=(etag);
                    @if *recurring {
                        p.note #series-note { (t.whole_series) }
                    }
                    @if *has_kept {
                        p.note.muted { (t.kept_note) }
                    }
                }
            }
            (field(errors, "summary", t.summary, "text", &form.summary, true))
            label.check for="all_day" {
                input type="checkbox" #all_day name="all_day" value="on" checked[form.all_day]
                    data-all-day;
                (t.all_day)
            }
            div.when-grid {
                (field(errors, "start_date", t.start_date, "date", &form.start_date, true))
                div.timed { (field(errors, "start_time", t.start_time, "time", &form.start_time, false)) }
                (field(errors, "end_date", t.end_date, "date", &form.end_date, true))
                div.timed { (field(errors, "end_time", t.end_time, "time", &form.end_time, false)) }
            }
            div.field.timed {
                label for="tz" { (t.time_zone) }
                select #tz name="tz" aria-invalid=[error_of(errors, "tz").map(|_| "true")] {
                    @if let Some(z) = extra_zone.filter(|z| !zones.contains(z)) {
                        option value=(z) selected[form.tz == z] { (z) }
                    }
                    @for z in &zones {
                        option value=(z) selected[form.tz == *z] { (z) }
                    }
                }
                @if let Some(message) = error_of(errors, "tz") {
                    span.field-error { (message) }
                }
            }
            (field(errors, "location", t.location, "text", &form.location, false))
            div.field {
                label for="description" { (t.description) }
                textarea #description name="description" rows="4" { (form.description) }
            }
            fieldset.repeat #repeat-group {
                legend { (t.repeat) }
                div.field {
                    label for="repeat" { (t.repeat) }
                    select #repeat name="repeat" data-repeat {
                        @for (value, label) in REPEAT.iter().zip(t.repeat_choices) {
                            @if *value != "keep" || form.repeat == "keep" {
                                option value=(value) selected[form.repeat == *value] { (label) }
                            }
                        }
                    }
                }
                div.repeat-details {
                    (field(errors, "interval", t.interval, "number", &form.interval, false))
                    fieldset.weekdays #weekdays {
                        legend { (t.on_days) }
                        @for (day, name) in WEEK.iter().zip(t.weekdays) {
                            @let code = weekday_code(*day);
                            label.check for={ "weekday-" (code) } {
                                input type="checkbox" id={ "weekday-" (code) } name="weekday"
                                    value=(code) checked[form.weekdays.iter().any(|w| w == code)];
                                (name)
                            }
                        }
                    }
                    div.field {
                        label for="ends" { (t.ends) }
                        select #ends name="ends" {
                            @for (value, label) in ENDS.iter().zip(t.ends_choices) {
                                option value=(value) selected[form.ends == *value] { (label) }
                            }
                        }
                    }
                    (field(errors, "until", t.until, "date", &form.until, false))
                    (field(errors, "count", t.count, "number", &form.count, false))
                }
            }
            div.field {
                label for="reminder" { (t.reminder) }
                select #reminder name="reminder"
                    aria-invalid=[error_of(errors, "reminder").map(|_| "true")] {
                    @for (value, label) in reminder_values.iter().zip(t.reminder_choices) {
                        option value=(value) selected[form.reminder == *value] { (label) }
                    }
                }
            }
            div.actions {
                button type="submit" #event-submit { (submit) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::event::texts::EN;

    fn posted(pairs: &[(&str, &str)]) -> EventForm {
        let text: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        EventForm::posted(&Form::parse(&text.join("&")))
    }

    #[test]
    fn a_good_form_gives_the_event() {
        let f = posted(&[
            ("summary", "Standup"),
            ("start_date", "2025-03-03"),
            ("start_time", "09:00"),
            ("end_date", "2025-03-03"),
            ("end_time", "09:15"),
            ("tz", "Europe/Zurich"),
            ("repeat", "weekly"),
            ("weekday", "WE"),
            ("weekday", "MO"),
            ("ends", "count"),
            ("count", "5"),
            ("reminder", "5"),
        ]);
        let e = f.check(&EN, None, None).unwrap();
        assert_eq!(e.reminder, Some(5));
        let Recurrence::Rule(r) = e.recurrence else {
            panic!()
        };
        assert_eq!(r.weekdays, vec![Weekday::Mon, Weekday::Wed]);
        assert_eq!(r.end, RepeatEnd::Count(5));
    }

    #[test]
    fn bad_values_are_named_per_field() {
        let f = posted(&[
            ("summary", ""),
            ("start_date", "2025-02-30"),
            ("start_time", "25:00"),
            ("end_date", "2025-03-03"),
            ("end_time", "10:00"),
            ("tz", "Mars/Olympus"),
            ("reminder", "7"),
        ]);
        let errors = f.check(&EN, None, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        for name in ["summary", "start_date", "start_time", "tz", "reminder"] {
            assert!(fields.contains(&name), "{name}: {fields:?}");
        }
    }

    #[test]
    fn the_end_may_not_come_before_the_start() {
        let f = posted(&[
            ("summary", "x"),
            ("all_day", "on"),
            ("start_date", "2025-03-05"),
            ("end_date", "2025-03-03"),
        ]);
        assert_eq!(
            f.check(&EN, None, None).unwrap_err(),
            vec![("end_date", EN.err_end_before_start)]
        );
    }

    #[test]
    fn an_unchanged_rule_is_kept_as_written() {
        let f = posted(&[
            ("summary", "x"),
            ("all_day", "on"),
            ("start_date", "2025-03-05"),
            ("repeat", "daily"),
            ("interval", "2"),
        ]);
        let same = Repeat {
            frequency: Frequency::Daily,
            interval: 2,
            weekdays: vec![],
            end: RepeatEnd::Never,
        };
        assert_eq!(
            f.check(&EN, None, Some(&same)).unwrap().recurrence,
            Recurrence::Keep
        );
        assert!(matches!(
            f.check(&EN, None, None).unwrap().recurrence,
            Recurrence::Rule(_)
        ));
    }
}
