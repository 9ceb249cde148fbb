//! Which days a calendar page shows: the view (month, week or agenda), the day it was asked
//! for, and from it the first day, the number of days, and the neighbouring periods the
//! previous / next links lead to. Weeks start on Monday (ISO 8601, as both languages' users
//! expect here).

use chrono::{Datelike, Days, Months, NaiveDate};

/// Days an agenda shows when the request does not say.
pub const AGENDA_DAYS: u32 = 30;
/// Most days one agenda page shows.
pub const MAX_AGENDA_DAYS: u32 = 366;
/// Days of a month grid: six weeks, so every month fits and the grid never changes height.
const MONTH_GRID_DAYS: u32 = 42;

/// A way of showing the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Six weeks around a month, one cell per day.
    Month,
    /// Seven days, one column each, hours down.
    Week,
    /// Upcoming events, day by day.
    Agenda,
}

impl View {
    /// Every view, in the order of the switch.
    pub const ALL: [View; 3] = [View::Month, View::Week, View::Agenda];

    /// Its `view=` value.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Month => "month",
            View::Week => "week",
            View::Agenda => "agenda",
        }
    }

    /// The view a `view=` value names.
    pub fn parse(text: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

/// The days one page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The view.
    pub view: View,
    /// The day asked for (new events default to it).
    pub anchor: NaiveDate,
    /// The first day shown.
    pub first: NaiveDate,
    /// How many days are shown.
    pub days: u32,
}

/// The Monday on or before `d`.
fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

impl Period {
    /// The period of `view` holding `anchor`; `agenda_days` (bounded to 1..=366) is the
    /// length of an agenda.
    pub fn new(view: View, anchor: NaiveDate, agenda_days: u32) -> Period {
        let (first, days) = match view {
            View::Month => (
                monday_of(anchor.with_day(1).unwrap_or(anchor)),
                MONTH_GRID_DAYS,
            ),
            View::Week => (monday_of(anchor), 7),
            View::Agenda => (anchor, agenda_days.clamp(1, MAX_AGENDA_DAYS)),
        };
        Period {
            view,
            anchor,
            first,
            days,
        }
    }

    /// The day after the last one shown (the end of the time range, exclusive).
    pub fn end(&self) -> NaiveDate {
        self.first + Days::new(u64::from(self.days))
    }

    /// The last day shown.
    pub fn last(&self) -> NaiveDate {
        self.end() - Days::new(1)
    }

    /// Every day shown, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let first = self.first;
        (0..u64::from(self.days)).map(move |i| first + Days::new(i))
    }

    /// The day the previous link asks for.
    pub fn previous(&self) -> NaiveDate {
        match self.view {
            View::Month => self.month_start() - Months::new(1),
            View::Week => self.anchor - Days::new(7),
            View::Agenda => self.anchor - Days::new(u64::from(self.days)),
        }
    }

    /// The day the next link asks for.
    pub fn next(&self) -> NaiveDate {
        match self.view {
            View::Month => self.month_start() + Months::new(1),
            View::Week => self.anchor + Days::new(7),
            View::Agenda => self.anchor + Days::new(u64::from(self.days)),
        }
    }

    /// The first of the anchor's month.
    pub fn month_start(&self) -> NaiveDate {
        self.anchor.with_day(1).unwrap_or(self.anchor)
    }

    /// True when `d` is in the month of a month view (the grid's other days are dimmed).
    pub fn in_month(&self, d: NaiveDate) -> bool {
        d.year() == self.anchor.year() && d.month() == self.anchor.month()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_month_grid_starts_on_the_monday_before_the_first_and_lasts_six_weeks() {
        let p = Period::new(View::Month, day(2025, 3, 17), AGENDA_DAYS);
        assert_eq!(p.first, day(2025, 2, 24));
        assert_eq!(p.last(), day(2025, 4, 6));
        assert_eq!(p.dates().count(), 42);
        assert_eq!(p.previous(), day(2025, 2, 1));
        assert_eq!(p.next(), day(2025, 4, 1));
        assert!(p.in_month(day(2025, 3, 31)) && !p.in_month(day(2025, 4, 1)));
        // A month starting on a Monday starts the grid that day.
        assert_eq!(
            Period::new(View::Month, day(2025, 9, 30), 1).first,
            day(2025, 9, 1)
        );
        // The next of 31 January is February, not March.
        assert_eq!(
            Period::new(View::Month, day(2025, 1, 31), 1).next(),
            day(2025, 2, 1)
        );
    }

    #[test]
    fn weeks_and_agendas_move_by_their_length() {
        let w = Period::new(View::Week, day(2025, 1, 1), AGENDA_DAYS);
        assert_eq!((w.first, w.last()), (day(2024, 12, 30), day(2025, 1, 5)));
        assert_eq!(
            (w.previous(), w.next()),
            (day(2024, 12, 25), day(2025, 1, 8))
        );
        let a = Period::new(View::Agenda, day(2025, 3, 3), 10);
        assert_eq!((a.first, a.end()), (day(2025, 3, 3), day(2025, 3, 13)));
        assert_eq!(
            (a.previous(), a.next()),
            (day(2025, 2, 21), day(2025, 3, 13))
        );
        assert_eq!(Period::new(View::Agenda, day(2025, 3, 3), 0).days, 1);
        assert_eq!(Period::new(View::Agenda, day(2025, 3, 3), 9999).days, 366);
        assert_eq!(View::parse("week"), Some(View::Week));
        assert_eq!(View::parse("year"), None);
    }
}
