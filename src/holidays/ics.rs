//! A region's holidays as one iCalendar stream (RFC 5545) for subscribers: one VCALENDAR with a
//! name and refresh hints, each holiday an all-day, transparent VEVENT whose UID (region, date,
//! slug) stays the same in every language and every year's feed, so a client's copy of a
//! holiday is updated in place, never duplicated. The bytes depend only on the region, the
//! years, the language and [`RULES_REVISED`], so a hash of them is a stable ETag.

use std::ops::RangeInclusive;

use chrono::{Days, NaiveDate};

use super::{Lang, Region, holidays, region};
use crate::ical::write::{escape_text, fold_into};

/// Path prefix of the holiday feeds.
pub const PATH_PREFIX: &str = "/holidays/";

/// The feed's PRODID.
const PRODID: &str = "-//davsuite//holidays//EN";

/// How often subscribers should look again (RFC 7986 REFRESH-INTERVAL, and the
/// X-PUBLISHED-TTL Outlook and Apple read): the list only moves on with the year.
const REFRESH: &str = "P1D";

/// The DTSTAMP of every event: when the holiday rules last changed. Raise it with them, so
/// the stream's bytes (and ETag) change only when the holidays do.
const RULES_REVISED: &str = "20261126T000000Z";

/// The category of every event.
const CATEGORY: &str = "Holidays";

/// The path `region`'s feed is served at: `/holidays/CH-GE.ics`.
#[must_use]
pub fn feed_path(region: &Region) -> String {
    format!("{PATH_PREFIX}{}.ics", region.code)
}

/// The region whose feed `path` names (the code's ASCII case ignored), if any.
#[must_use]
pub fn feed_region(path: &str) -> Option<&'static Region> {
    let code = path.strip_prefix(PATH_PREFIX)?.strip_suffix(".ics")?;
    region(code)
}

/// The calendar's name.
fn calendar_name(region: &Region, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Public holidays: {}", region.title(lang)),
        Lang::Fr => format!("Jours fériés : {}", region.title(lang)),
    }
}

/// A date as iCalendar writes a DATE value.
fn ical_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// One VCALENDAR of `region`'s holidays in `years`, named in `lang`.
#[must_use]
pub fn calendar(region: &Region, years: RangeInclusive<i32>, lang: Lang) -> String {
    let name = escape_text(&calendar_name(region, lang));
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("NAME:{name}"),
        format!("X-WR-CALNAME:{name}"),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ] {
        fold_into(&mut out, &line);
    }
    for holiday in years.flat_map(|year| holidays(region, year)) {
        let Some(next_day) = holiday.date.checked_add_days(Days::new(1)) else {
            continue;
        };
        let start = ical_date(holiday.date);
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!(
                "UID:{}-{start}-{}@holidays.davsuite",
                region.code,
                holiday.kind.slug()
            ),
            format!("DTSTAMP:{RULES_REVISED}"),
            format!("DTSTART;VALUE=DATE:{start}"),
            format!("DTEND;VALUE=DATE:{}", ical_date(next_day)),
            format!("SUMMARY:{}", escape_text(holiday.name(lang))),
            format!("CATEGORIES:{CATEGORY}"),
            "CLASS:PUBLIC".to_owned(),
            "TRANSP:TRANSPARENT".to_owned(),
            "END:VEVENT".to_owned(),
        ] {
            fold_into(&mut out, &line);
        }
    }
    fold_into(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::split::split_calendar;
    use crate::ical::validate_calendar_object;

    fn geneva() -> &'static Region {
        region("CH-GE").expect("Geneva")
    }

    #[test]
    fn every_event_passes_the_content_rules_of_a_stored_calendar_object() {
        for r in REGIONS_UNDER_TEST
            .iter()
            .map(|c| region(c).expect("region"))
        {
            for lang in [Lang::En, Lang::Fr] {
                let body = calendar(r, 2024..=2031, lang);
                let split = split_calendar(body.as_bytes());
                assert!(split.strays.is_empty(), "{:?}", split.strays);
                let expected: usize = (2024..=2031).map(|y| holidays(r, y).len()).sum();
                assert_eq!(split.items.len(), expected, "{}", r.code);
                for item in &split.items {
                    assert!(!item.uid_added, "{}", item.uid);
                    let info = validate_calendar_object(&item.body, &["VEVENT".to_owned()])
                        .unwrap_or_else(|e| {
                            panic!("{}: {e}\n{}", r.code, String::from_utf8_lossy(&item.body))
                        });
                    assert_eq!(
                        (info.uid.as_str(), info.component.as_str()),
                        (item.uid.as_str(), "VEVENT")
                    );
                }
            }
        }
    }

    /// Regions with long names, accents and every kind of rule.
    const REGIONS_UNDER_TEST: &[&str] = &["CH-GE", "CH-AI", "CH-NE", "DE-MV", "FR", "IT"];

    #[test]
    fn lines_are_folded_crlf_and_never_longer_than_75_octets() {
        let body = calendar(region("DE-MV").expect("region"), 2025..=2025, Lang::Fr);
        assert!(body.ends_with("END:VCALENDAR\r\n"));
        assert!(!body.replace("\r\n", "").contains('\n'));
        for line in body.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        let unfolded = body.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "X-WR-CALNAME:Jours fériés : Mecklembourg-Poméranie-Occidentale (Allemagne)\r\n"
            ),
            "{unfolded}"
        );
    }

    #[test]
    fn a_holiday_is_an_all_day_transparent_event_with_a_uid_that_ignores_the_language() {
        let en = calendar(geneva(), 2025..=2025, Lang::En);
        let fr = calendar(geneva(), 2025..=2025, Lang::Fr);
        let event = "BEGIN:VEVENT\r\n\
                     UID:CH-GE-20250911-jeune-genevois@holidays.davsuite\r\n\
                     DTSTAMP:20261126T000000Z\r\n\
                     DTSTART;VALUE=DATE:20250911\r\n\
                     DTEND;VALUE=DATE:20250912\r\n\
                     SUMMARY:{}\r\n\
                     CATEGORIES:Holidays\r\n\
                     CLASS:PUBLIC\r\n\
                     TRANSP:TRANSPARENT\r\n\
                     END:VEVENT\r\n";
        assert!(en.contains(&event.replace("{}", "Geneva Fast")), "{en}");
        assert!(fr.contains(&event.replace("{}", "Jeûne genevois")), "{fr}");
        assert!(en.starts_with(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//holidays//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nNAME:Public holidays: Geneva (Switzerland)\r\n\
             X-WR-CALNAME:Public holidays: Geneva (Switzerland)\r\n\
             REFRESH-INTERVAL;VALUE=DURATION:P1D\r\nX-PUBLISHED-TTL:P1D\r\nBEGIN:VEVENT\r\n"
        ));
    }

    #[test]
    fn spans_the_years_asked_for_and_nothing_else() {
        let body = calendar(geneva(), 2025..=2027, Lang::En);
        let starts: Vec<&str> = body
            .lines()
            .filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
            .collect();
        assert_eq!(starts.first(), Some(&"20250101"));
        assert_eq!(starts.last(), Some(&"20271231"));
        let expected: usize = (2025..=2027).map(|y| holidays(geneva(), y).len()).sum();
        assert_eq!(starts.len(), expected);
        let empty = calendar(geneva(), 10_000..=10_001, Lang::En);
        assert!(!empty.contains("BEGIN:VEVENT"));
        assert!(empty.ends_with("X-PUBLISHED-TTL:P1D\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn feed_paths_name_a_region_in_any_case() {
        assert_eq!(feed_path(geneva()), "/holidays/CH-GE.ics");
        assert_eq!(
            feed_region("/holidays/CH-GE.ics").map(|r| r.code),
            Some("CH-GE")
        );
        assert_eq!(
            feed_region("/holidays/ch-ge.ics").map(|r| r.code),
            Some("CH-GE")
        );
        for path in [
            "/holidays/CH-XX.ics",
            "/holidays/CH-GE",
            "/holidays/CH-GE.ics/",
            "/holidays/",
            "/public/CH-GE.ics",
            "/holidays/../CH-GE.ics",
        ] {
            assert!(feed_region(path).is_none(), "{path}");
        }
    }
}
