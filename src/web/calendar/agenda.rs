//! The agenda view: the events of the coming days (30 unless `days=` says otherwise), day by
//! day, each with its time, colour, summary, place and calendar. Also the week view's form on
//! phones.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::Shown;
use super::events::Occurrence;
use super::links;
use super::month::mark;
use super::overlays::Mark;
use super::texts::time;

/// The agenda of the page's period.
pub fn render(s: &Shown<'_>) -> Markup {
    let dates: Vec<NaiveDate> = s.period.dates().collect();
    html! { div.cal-agenda { (days(s, &dates)) } }
}

/// The days among `dates` that hold events, as headed lists; a message when none does.
pub fn days(s: &Shown<'_>, dates: &[NaiveDate]) -> Markup {
    let t = s.t;
    let listed: Vec<(NaiveDate, Vec<&Mark>, Vec<&Occurrence>)> = dates
        .iter()
        .map(|&d| {
            (
                d,
                s.marks_on(d).collect::<Vec<_>>(),
                s.events_on(d).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, marks, on_day)| !marks.is_empty() || !on_day.is_empty())
        .collect();
    html! {
        @if listed.is_empty() { p.empty { (t.nothing) } }
        @for (d, marks, on_day) in listed {
            section.agenda-day.today[d == s.today] data-day=(d.format("%Y-%m-%d").to_string()) {
                h2 {
                    (t.date(d))
                    @if d == s.today { " " span.badge { (t.today) } }
                }
                ul.agenda-list {
                    @for m in marks {
                        li { div.agenda-item.overlay { span.when { (t.all_day) } span.dot aria-hidden="true" {} span.what { (mark(s, m)) } } }
                    }
                    @for e in on_day { li { (line(s, e, d)) } }
                }
            }
        }
    }
}

/// One event on day `d`.
fn line(s: &Shown<'_>, e: &Occurrence, d: NaiveDate) -> Markup {
    let t = s.t;
    let cal = &s.cals[e.cal];
    let summary = e.summary.as_deref().unwrap_or(t.untitled);
    let when = if e.spans_days() || (e.first_day() < d && e.last_day() > d) {
        t.all_day.to_owned()
    } else {
        let from = if e.start.date() == d {
            time(e.start.time())
        } else {
            "00:00".to_owned()
        };
        let to = if e.end.date() == d {
            time(e.end.time())
        } else {
            "24:00".to_owned()
        };
        if from == to {
            from
        } else {
            format!("{from}–{to}")
        }
    };
    html! {
        div.agenda-item data-cal=(cal.name) style={ "--c:" (cal.color) } {
            span.when { (when) }
            span.dot aria-hidden="true" {}
            span.what {
                a.ev-link.cancelled[e.cancelled] href=(links::event(&cal.name, &e.object, e.first_day())) { (summary) }
                @if e.cancelled { " " span.muted { "(" (t.cancelled) ")" } }
                @if let Some(place) = &e.location { span.where { (place) } }
                span.in-cal { (cal.label) }
            }
        }
    }
}
