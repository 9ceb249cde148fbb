//! The URLs the calendar pages link to: their own views, and the event pages (new event,
//! an event's page) that the event editor serves under `/web/calendar/event`.

use chrono::{NaiveDate, NaiveTime};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::period::{Period, View};
use super::texts::time;

/// The calendar pages.
pub const CALENDAR: &str = "/web/calendar";
/// Where the calendars' check boxes are sent.
pub const VISIBILITY: &str = "/web/calendar/calendars";

fn enc(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `view` around day `date` (an agenda of `days` days when given).
pub fn view(view: View, date: NaiveDate, days: Option<u32>) -> String {
    let mut url = format!("{CALENDAR}?view={}&date={}", view.as_str(), ymd(date));
    if let Some(days) = days {
        url.push_str(&format!("&days={days}"));
    }
    url
}

/// The same view as `p` around day `date` (an agenda keeps its length).
pub fn same_view(p: &Period, date: NaiveDate) -> String {
    let days = (p.view == View::Agenda).then_some(p.days);
    view(p.view, date, days)
}

/// The form for a new event on `date` (at `at`, in calendar `cal`, when given).
pub fn new_event(date: NaiveDate, at: Option<NaiveTime>, cal: Option<&str>) -> String {
    let mut url = format!("{CALENDAR}/event/new?date={}", ymd(date));
    if let Some(at) = at {
        url.push_str(&format!("&time={}", enc(&time(at))));
    }
    if let Some(cal) = cal {
        url.push_str(&format!("&cal={}", enc(cal)));
    }
    url
}

/// The page of event `object` of calendar `cal` (its instance on `date`).
pub fn event(cal: &str, object: &str, date: NaiveDate) -> String {
    format!(
        "{CALENDAR}/event?cal={}&obj={}&date={}",
        enc(cal),
        enc(object),
        ymd(date)
    )
}

/// The contacts page of card `card` of address book `book` (its name in the person's home).
pub fn contact(book: &str, card: &str) -> String {
    format!("/web/contacts/card?book={}&card={}", enc(book), enc(card))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_names_and_carry_dates() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).expect("valid date");
        assert_eq!(
            event(".shared-4", "a b&c.ics", d),
            "/web/calendar/event?cal=%2Eshared%2D4&obj=a%20b%26c%2Eics&date=2025-03-03"
        );
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time");
        assert_eq!(
            new_event(d, Some(nine), Some("work")),
            "/web/calendar/event/new?date=2025-03-03&time=09%3A00&cal=work"
        );
        assert_eq!(
            view(View::Agenda, d, Some(1)),
            "/web/calendar?view=agenda&date=2025-03-03&days=1"
        );
    }
}
