//! The calendar pages' words in English and French, and how each language writes dates and
//! times (French: "lundi 3 mars 2025", 24-hour clock; English: "Monday 3 March 2025").

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use crate::web::dates;
use crate::web::i18n::Lang;

/// Texts of the calendar pages.
#[derive(Debug)]
pub struct Texts {
    /// Month view (switch and title).
    pub month: &'static str,
    /// Week view.
    pub week: &'static str,
    /// Agenda view.
    pub agenda: &'static str,
    /// Label of the view switch.
    pub view: &'static str,
    /// Link to the previous period.
    pub previous: &'static str,
    /// Link to the next period.
    pub next: &'static str,
    /// Link to the period holding today.
    pub today: &'static str,
    /// The new-event button.
    pub new_event: &'static str,
    /// New event on a given day (followed by the date), for screen readers.
    pub new_event_on: &'static str,
    /// Heading of the list of calendars.
    pub calendars: &'static str,
    /// Button that applies the calendars' check boxes (without script).
    pub apply: &'static str,
    /// Shared by (followed by the owner's login).
    pub shared_by: &'static str,
    /// Read-only share.
    pub read_only: &'static str,
    /// The person has no calendar it may see.
    pub no_calendars: &'static str,
    /// Column header of week numbers.
    pub week_short: &'static str,
    /// Week number (followed by the number), for screen readers.
    pub week_number: &'static str,
    /// "+N more" after the number of hidden events.
    pub more: &'static str,
    /// An event lasting all day.
    pub all_day: &'static str,
    /// An event without a summary.
    pub untitled: &'static str,
    /// A cancelled event.
    pub cancelled: &'static str,
    /// No event in the period shown.
    pub nothing: &'static str,
    /// The time zone times are shown in (followed by its name).
    pub times_in: &'static str,
    /// The events of the week as a list (phones).
    pub week_as_list: &'static str,
    /// Heading of the overlays' check boxes.
    pub also_show: &'static str,
    /// Birthdays and anniversaries (check box).
    pub birthdays: &'static str,
    /// A birthday (for screen readers).
    pub birthday: &'static str,
    /// An anniversary (for screen readers).
    pub anniversary: &'static str,
    /// Public holidays (check box).
    pub holidays: &'static str,
    /// A public holiday (for screen readers).
    pub holiday: &'static str,
    /// Label of the region picker.
    pub region: &'static str,
    /// Link to the region's holiday feed, for calendar apps to subscribe to.
    pub subscribe_holidays: &'static str,
    /// Days of the week from Monday, in full.
    pub weekdays: [&'static str; 7],
    /// Days of the week from Monday, short.
    pub weekdays_short: [&'static str; 7],
    /// Months from January.
    pub months: [&'static str; 12],
}

/// English.
pub static EN: Texts = Texts {
    month: "Month",
    week: "Week",
    agenda: "Agenda",
    view: "View",
    previous: "Previous",
    next: "Next",
    today: "Today",
    new_event: "New event",
    new_event_on: "New event on",
    calendars: "Calendars",
    apply: "Apply",
    shared_by: "shared by",
    read_only: "read only",
    no_calendars: "You have no calendar yet.",
    week_short: "Wk",
    week_number: "Week",
    more: "more",
    all_day: "All day",
    untitled: "(no title)",
    cancelled: "Cancelled",
    nothing: "No events in this period.",
    times_in: "Times in",
    week_as_list: "This week's events",
    also_show: "Also show",
    birthdays: "Birthdays",
    birthday: "Birthday",
    anniversary: "Anniversary",
    holidays: "Public holidays",
    holiday: "Public holiday",
    region: "Region",
    subscribe_holidays: "Subscribe to these holidays in a calendar app",
    weekdays: dates::WEEKDAYS_EN,
    weekdays_short: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    months: dates::MONTHS_EN,
};

/// French.
pub static FR: Texts = Texts {
    month: "Mois",
    week: "Semaine",
    agenda: "Agenda",
    view: "Affichage",
    previous: "Précédent",
    next: "Suivant",
    today: "Aujourd'hui",
    new_event: "Nouvel événement",
    new_event_on: "Nouvel événement le",
    calendars: "Calendriers",
    apply: "Appliquer",
    shared_by: "partagé par",
    read_only: "lecture seule",
    no_calendars: "Vous n'avez pas encore de calendrier.",
    week_short: "Sem.",
    week_number: "Semaine",
    more: "de plus",
    all_day: "Toute la journée",
    untitled: "(sans titre)",
    cancelled: "Annulé",
    nothing: "Aucun événement sur cette période.",
    times_in: "Heures en",
    week_as_list: "Les événements de la semaine",
    also_show: "Afficher aussi",
    birthdays: "Anniversaires",
    birthday: "Anniversaire",
    anniversary: "Anniversaire de mariage",
    holidays: "Jours fériés",
    holiday: "Jour férié",
    region: "Région",
    subscribe_holidays: "S'abonner à ces jours fériés dans une application d'agenda",
    weekdays: dates::WEEKDAYS_FR,
    weekdays_short: ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    months: dates::MONTHS_FR,
};

impl Texts {
    /// The texts of `lang`.
    pub fn of(lang: Lang) -> &'static Texts {
        match lang {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    fn month_name(&self, d: NaiveDate) -> &'static str {
        self.months[d.month0() as usize]
    }

    /// A day in full: "Monday 3 March 2025", "lundi 3 mars 2025".
    pub fn date(&self, d: NaiveDate) -> String {
        format!(
            "{} {} {} {}",
            self.weekdays[d.weekday().num_days_from_monday() as usize],
            d.day(),
            self.month_name(d),
            d.year()
        )
    }

    /// A day without its weekday or year: "3 March", "3 mars".
    pub fn day_month(&self, d: NaiveDate) -> String {
        format!("{} {}", d.day(), self.month_name(d))
    }

    /// A month: "March 2025", "mars 2025".
    pub fn month_year(&self, d: NaiveDate) -> String {
        format!("{} {}", self.month_name(d), d.year())
    }

    /// A range of days: "3 – 9 March 2025", "28 February – 6 March 2025",
    /// "29 December 2025 – 4 January 2026" (both ends included).
    pub fn range(&self, first: NaiveDate, last: NaiveDate) -> String {
        if first.year() != last.year() {
            format!(
                "{} {} – {} {}",
                self.day_month(first),
                first.year(),
                self.day_month(last),
                last.year()
            )
        } else if first.month() != last.month() {
            format!(
                "{} – {} {}",
                self.day_month(first),
                self.day_month(last),
                last.year()
            )
        } else {
            format!("{} – {} {}", first.day(), self.day_month(last), last.year())
        }
    }
}

/// A time of day on the 24-hour clock, as both languages write it here: "09:30".
pub fn time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        assert_eq!(EN.date(day(2025, 3, 3)), "Monday 3 March 2025");
        assert_eq!(FR.date(day(2025, 3, 3)), "lundi 3 mars 2025");
        assert_eq!(FR.month_year(day(2025, 8, 1)), "août 2025");
        assert_eq!(
            EN.range(day(2025, 3, 3), day(2025, 3, 9)),
            "3 – 9 March 2025"
        );
        assert_eq!(
            FR.range(day(2025, 2, 24), day(2025, 3, 2)),
            "24 février – 2 mars 2025"
        );
        assert_eq!(
            EN.range(day(2025, 12, 29), day(2026, 1, 4)),
            "29 December 2025 – 4 January 2026"
        );
        let t = NaiveTime::from_hms_opt(9, 5, 0).expect("valid time");
        assert_eq!(time(t), "09:05");
    }
}
