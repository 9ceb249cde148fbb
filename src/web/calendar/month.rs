//! The month view: six weeks of seven days with ISO week numbers, each day's events as
//! chips in their calendar's colour (time and summary), "+N more" when a day holds more than
//! fit, today marked. A day's number leads to its week, its "+" to a new event that day.

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use super::Shown;
use super::events::Occurrence;
use super::links;
use super::overlays::{Mark, MarkKind};
use super::period::View;
use super::texts::time;

/// Chips a day shows before "+N more".
const CHIPS_PER_DAY: usize = 3;

/// One event as a chip on day `d`: a link to its page, in its calendar's colour; all-day and
/// multi-day events filled, timed ones with their start time when they start that day.
pub fn chip(s: &Shown<'_>, e: &Occurrence, d: NaiveDate) -> Markup {
    let cal = &s.cals[e.cal];
    let summary = e.summary.as_deref().unwrap_or(s.t.untitled);
    let filled = e.spans_days();
    let at = (!filled && e.first_day() == d).then(|| time(e.start.time()));
    html! {
        a.ev.filled[filled].cancelled[e.cancelled]
            href=(links::event(&cal.name, &e.object, e.first_day()))
            data-cal=(cal.name)
            style={ "--c:" (cal.color) }
            title={ (summary) " · " (cal.label) } {
            @if let Some(at) = at { span.t { (at) } " " }
            span.s { (summary) }
            @if e.cancelled { span.visually-hidden { " (" (s.t.cancelled) ")" } }
        }
    }
}

/// A birthday, anniversary or holiday: a chip (a link to the contact's page for the first
/// two) with the age or years where known.
pub fn mark(s: &Shown<'_>, m: &Mark) -> Markup {
    let (class, what) = match m.kind {
        MarkKind::Birthday => ("birthday", s.t.birthday),
        MarkKind::Anniversary => ("anniversary", s.t.anniversary),
        MarkKind::Holiday => ("holiday", s.t.holiday),
    };
    let text = match m.years {
        Some(years) => format!("{} ({years})", m.label),
        None => m.label.clone(),
    };
    let inner = html! { span.visually-hidden { (what) ": " } span.s { (text) } };
    html! {
        @if let Some(link) = &m.link {
            a.mark.(class) href=(link) title={ (what) ": " (text) } data-overlay=(class) { (inner) }
        } @else {
            span.mark.(class) title={ (what) ": " (text) } data-overlay=(class) { (inner) }
        }
    }
}

/// The month grid.
pub fn render(s: &Shown<'_>) -> Markup {
    let t = s.t;
    let days: Vec<NaiveDate> = s.period.dates().collect();
    html! {
        table.cal-month aria-labelledby="cal-title" {
            thead {
                tr {
                    th.wk scope="col" abbr=(t.week_number) { (t.week_short) }
                    @for (i, name) in t.weekdays_short.iter().enumerate() {
                        th scope="col" abbr=(t.weekdays[i]) { (name) }
                    }
                }
            }
            tbody {
                @for week in days.chunks(7) {
                    tr {
                        th.wk scope="row" {
                            span.visually-hidden { (t.week_number) " " }
                            (week[0].iso_week().week())
                        }
                        @for &d in week { (day(s, d)) }
                    }
                }
            }
        }
    }
}

/// One day's cell.
fn day(s: &Shown<'_>, d: NaiveDate) -> Markup {
    let t = s.t;
    let marks: Vec<&Mark> = s.marks_on(d).collect();
    let on_day: Vec<&Occurrence> = s.events_on(d).collect();
    // A full day keeps its last line for "+N more".
    let shown = if on_day.len() > CHIPS_PER_DAY {
        CHIPS_PER_DAY - 1
    } else {
        on_day.len()
    };
    let more = on_day.len() - shown;
    html! {
        td.today[d == s.today].outside[!s.period.in_month(d)]
            data-date=(d.format("%Y-%m-%d").to_string())
            aria-current=[(d == s.today).then_some("date")] {
            div.day-head {
                a.daynum href=(links::view(View::Week, d, None)) aria-label=(t.date(d)) { (d.day()) }
                a.add href=(links::new_event(d, None, None)) aria-label={ (t.new_event_on) " " (t.date(d)) } { "+" }
            }
            @if !marks.is_empty() {
                ul.chips.marks {
                    @for m in &marks { li { (mark(s, m)) } }
                }
            }
            @if !on_day.is_empty() {
                ul.chips {
                    @for e in &on_day[..shown] { li { (chip(s, e, d)) } }
                }
            }
            @if more > 0 {
                a.more href=(links::view(View::Agenda, d, Some(1))) { "+" (more) " " (t.more) }
            }
        }
    }
}
