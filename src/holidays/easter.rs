//! The date of Easter Sunday in the Gregorian calendar: the anchor of every movable holiday
//! (Good Friday, Easter Monday, Ascension, Whit Monday, Corpus Christi, ...).

use chrono::NaiveDate;

use super::YEARS;

/// Easter Sunday of `year` by the anonymous Gregorian computus (Meeus/Jones/Butcher, as in
/// Meeus, *Astronomical Algorithms*, ch. 8): the first Sunday after the ecclesiastical full
/// moon on or after 21 March. `None` outside [`YEARS`], where the Gregorian rule does not
/// apply (before 1583) or chrono has no date.
#[must_use]
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if !YEARS.contains(&year) {
        return None;
    }
    let a = year % 19;
    let (century, rest) = (year / 100, year % 100);
    let (d, e) = (century / 4, century % 4);
    let f = (century + 8) / 25;
    let g = (century - f + 1) / 3;
    let h = (19 * a + century - d - g + 15) % 30;
    let (i, k) = (rest / 4, rest % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n / 31).ok()?;
    let day = u32::try_from(n % 31 + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Weekday};

    use super::*;

    /// Published Easter dates (year, month, day), among them the earliest (22 March: 1818,
    /// 2285) and the latest (25 April: 1886, 1943, 2038) possible.
    const KNOWN: &[(i32, u32, u32)] = &[
        (1583, 4, 10),
        (1700, 4, 11),
        (1800, 4, 13),
        (1818, 3, 22),
        (1886, 4, 25),
        (1900, 4, 15),
        (1943, 4, 25),
        (1954, 4, 18),
        (1961, 4, 2),
        (1981, 4, 19),
        (1990, 4, 15),
        (1995, 4, 16),
        (1999, 4, 4),
        (2000, 4, 23),
        (2001, 4, 15),
        (2002, 3, 31),
        (2003, 4, 20),
        (2004, 4, 11),
        (2005, 3, 27),
        (2006, 4, 16),
        (2007, 4, 8),
        (2008, 3, 23),
        (2009, 4, 12),
        (2010, 4, 4),
        (2011, 4, 24),
        (2012, 4, 8),
        (2013, 3, 31),
        (2014, 4, 20),
        (2015, 4, 5),
        (2016, 3, 27),
        (2017, 4, 16),
        (2018, 4, 1),
        (2019, 4, 21),
        (2020, 4, 12),
        (2021, 4, 4),
        (2022, 4, 17),
        (2023, 4, 9),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2028, 4, 16),
        (2029, 4, 1),
        (2030, 4, 21),
        (2031, 4, 13),
        (2032, 3, 28),
        (2033, 4, 17),
        (2034, 4, 9),
        (2035, 3, 25),
        (2036, 4, 13),
        (2037, 4, 5),
        (2038, 4, 25),
        (2039, 4, 10),
        (2040, 4, 1),
        (2100, 3, 28),
        (2285, 3, 22),
    ];

    #[test]
    fn matches_published_easter_dates() {
        for &(year, month, day) in KNOWN {
            assert_eq!(
                easter_sunday(year),
                NaiveDate::from_ymd_opt(year, month, day),
                "Easter {year}"
            );
        }
    }

    #[test]
    fn is_always_a_sunday_between_22_march_and_25_april() {
        for year in *YEARS.start()..=*YEARS.end() {
            let easter = easter_sunday(year).expect("a date in range");
            assert_eq!(easter.weekday(), Weekday::Sun, "{easter}");
            let earliest = NaiveDate::from_ymd_opt(year, 3, 22).expect("date");
            let latest = NaiveDate::from_ymd_opt(year, 4, 25).expect("date");
            assert!((earliest..=latest).contains(&easter), "{easter}");
        }
    }

    #[test]
    fn has_no_date_outside_the_gregorian_years() {
        assert_eq!(easter_sunday(1582), None);
        assert_eq!(easter_sunday(*YEARS.end() + 1), None);
        assert_eq!(easter_sunday(i32::MIN), None);
        assert_eq!(easter_sunday(i32::MAX), None);
    }
}
