//! The week view: seven day columns with the hours down, an all-day row on top (DATE events
//! and those lasting a day or more), timed events placed by start and end, side by side where
//! they overlap. Phones get the week as a list instead (the grid is hidden by the style
//! sheet), printers the grid.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use maud::{Markup, html};

use super::Shown;
use super::agenda;
use super::events::Occurrence;
use super::links;
use super::month::{chip, mark};
use super::period::View;
use super::texts::time;

/// Minutes in a day.
const DAY_MINUTES: u32 = 1440;
/// Shortest height of an event block, minutes (a short event stays readable).
const MIN_MINUTES: u32 = 20;

/// A timed event's part on one day, in minutes from midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Index in the page's events.
    event: usize,
    from: u32,
    to: u32,
}

/// A piece with its place: lane `lane` of `lanes` side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placed {
    piece: Piece,
    lane: usize,
    lanes: usize,
}

fn minutes(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// The parts of the timed events on day `d`.
fn pieces(events: &[Occurrence], d: NaiveDate) -> Vec<Piece> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.spans_days() && e.covers(d))
        .map(|(i, e)| {
            let from = if e.first_day() == d {
                minutes(e.start.time())
            } else {
                0
            };
            let to = if e.end.date() == d {
                minutes(e.end.time())
            } else {
                DAY_MINUTES
            };
            Piece {
                event: i,
                from,
                to: to.max(from),
            }
        })
        .collect()
}

/// Places pieces in lanes: each goes in the first lane free at its start; pieces that
/// overlap, directly or through others, share their group's number of lanes.
fn place(mut pieces: Vec<Piece>) -> Vec<Placed> {
    pieces.sort_by_key(|p| (p.from, std::cmp::Reverse(p.to)));
    let visual_end = |p: &Piece| p.to.max(p.from + MIN_MINUTES);
    let mut out: Vec<Placed> = Vec::with_capacity(pieces.len());
    let mut group_start = 0;
    let mut group_end = 0;
    let mut lane_ends: Vec<u32> = Vec::new();
    for p in pieces {
        if p.from >= group_end && !lane_ends.is_empty() {
            for placed in &mut out[group_start..] {
                placed.lanes = lane_ends.len();
            }
            group_start = out.len();
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|&end| end <= p.from) {
            Some(free) => free,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = visual_end(&p);
        group_end = if group_start == out.len() {
            visual_end(&p)
        } else {
            group_end.max(visual_end(&p))
        };
        out.push(Placed {
            piece: p,
            lane,
            lanes: 1,
        });
    }
    for placed in &mut out[group_start..] {
        placed.lanes = lane_ends.len().max(1);
    }
    out
}

/// The week grid and its list form.
pub fn render(s: &Shown<'_>) -> Markup {
    let t = s.t;
    let days: Vec<NaiveDate> = s.period.dates().collect();
    html! {
        div.cal-week {
            div.wk-scroll {
                div.wk-grid {
                    div.wk-corner {}
                    @for &d in &days {
                        div.wk-day-head.today[d == s.today] aria-current=[(d == s.today).then_some("date")] {
                            a href=(links::view(View::Agenda, d, Some(1))) aria-label=(t.date(d)) {
                                span.wd { (t.weekdays_short[d.weekday().num_days_from_monday() as usize]) }
                                " "
                                span.dn { (d.day()) }
                            }
                        }
                    }
                    div.wk-allday-label { (t.all_day) }
                    @for &d in &days {
                        div.wk-allday.today[d == s.today] data-allday=(d.format("%Y-%m-%d").to_string()) {
                            @for m in s.marks_on(d) { (mark(s, m)) }
                            @for e in s.events_on(d).filter(|e| e.spans_days()) { (chip(s, e, d)) }
                        }
                    }
                    div.wk-hours aria-hidden="true" {
                        @for h in 0..24u32 { div.hour { (format!("{h:02}:00")) } }
                    }
                    @for &d in &days { (column(s, d)) }
                }
            }
            section.week-list aria-label=(t.week_as_list) {
                (agenda::days(s, &days))
            }
        }
    }
}

/// One day's column: an hour grid whose slots lead to a new event at that hour, and the
/// day's timed events.
fn column(s: &Shown<'_>, d: NaiveDate) -> Markup {
    let placed = place(pieces(s.events, d));
    html! {
        div.wk-col.today[d == s.today] data-col=(d.format("%Y-%m-%d").to_string()) {
            @for h in 0..24u32 {
                a.slot href=(links::new_event(d, NaiveTime::from_hms_opt(h, 0, 0), None))
                    tabindex="-1" aria-hidden="true" {}
            }
            @for p in &placed { (block(s, p)) }
        }
    }
}

/// A timed event's block, positioned in its column (percentages of the day, so the column
/// may be any height, on screen or on paper).
fn block(s: &Shown<'_>, p: &Placed) -> Markup {
    let e = &s.events[p.piece.event];
    let cal = &s.cals[e.cal];
    let summary = e.summary.as_deref().unwrap_or(s.t.untitled);
    let pct = |m: u32| f64::from(m) * 100.0 / f64::from(DAY_MINUTES);
    let height = (p.piece.to.max(p.piece.from + MIN_MINUTES)).min(DAY_MINUTES) - p.piece.from;
    let width = 100.0 / p.lanes as f64;
    let style = format!(
        "--c:{};top:{:.3}%;height:{:.3}%;left:{:.3}%;width:{:.3}%",
        cal.color,
        pct(p.piece.from),
        pct(height),
        width * p.lane as f64,
        width
    );
    html! {
        a.ev.timed.cancelled[e.cancelled]
            href=(links::event(&cal.name, &e.object, e.first_day()))
            data-cal=(cal.name)
            style=(style)
            title={ (summary) " · " (cal.label) } {
            span.t { (time(e.start.time())) "–" (time(e.end.time())) }
            " "
            span.s { (summary) }
            @if let Some(place) = &e.location { " " span.l { (place) } }
            @if e.cancelled { span.visually-hidden { " (" (s.t.cancelled) ")" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(event: usize, from: u32, to: u32) -> Piece {
        Piece { event, from, to }
    }

    #[test]
    fn overlapping_events_go_side_by_side_and_others_take_the_full_width() {
        let placed = place(vec![
            piece(0, 540, 600), // 09:00-10:00
            piece(1, 570, 660), // 09:30-11:00, overlaps 0
            piece(2, 600, 630), // 10:00-10:30, overlaps 1, reuses 0's lane
            piece(3, 720, 780), // 12:00-13:00, alone
            piece(4, 780, 780), // 13:00 instant: drawn 20 minutes, after 3
        ]);
        let lanes: Vec<(usize, usize, usize)> = placed
            .iter()
            .map(|p| (p.piece.event, p.lane, p.lanes))
            .collect();
        assert_eq!(
            lanes,
            [(0, 0, 2), (1, 1, 2), (2, 0, 2), (3, 0, 1), (4, 0, 1)]
        );
        assert!(place(Vec::new()).is_empty());
    }
}
