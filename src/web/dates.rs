//! Times as pages show and read them: in the viewer's time zone (the browser's, which the
//! page script keeps in the `davsuite_tz` cookie; UTC until it has), written out per language
//! ("lundi 3 mars 2025 à 14:05", "Monday 3 March 2025, 2:05 pm"), and `datetime-local` form
//! values read back in that zone.

use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;

use super::form::cookie;
use super::i18n::Lang;

/// Name of the cookie holding the browser's IANA time zone (`Europe/Zurich`).
pub const ZONE_COOKIE: &str = "davsuite_tz";

/// Format of a `datetime-local` input's value.
const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";

/// The viewer's time zone: the cookie's when it names one, else UTC.
pub fn zone(cookies: Option<&str>) -> Tz {
    cookie(cookies, ZONE_COOKIE)
        .and_then(|v| percent_encoding::percent_decode_str(v).decode_utf8().ok())
        .and_then(|name| name.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC)
}

fn local(t: i64, tz: Tz) -> DateTime<Tz> {
    DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
}

/// Days of the week from Monday, in English.
pub const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// Days of the week from Monday, in French (lower case, as French writes them).
pub const WEEKDAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
/// Months from January, in English.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Months from January, in French.
pub const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

fn weekday(lang: Lang, d: Weekday) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match lang {
        Lang::En => WEEKDAYS_EN[i],
        Lang::Fr => WEEKDAYS_FR[i],
    }
}

fn month(lang: Lang, m: u32) -> &'static str {
    let i = (m.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Fr => MONTHS_FR[i],
    }
}

/// A calendar day without a weekday, the year optional (a birthday): "17 May 1990",
/// "3 février".
pub fn day_month(lang: Lang, day: u32, m: u32, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{day} {} {y}", month(lang, m)),
        None => format!("{day} {}", month(lang, m)),
    }
}

/// The day of `t` in `tz`: "Monday 3 March 2025", "lundi 3 mars 2025".
pub fn date(lang: Lang, t: i64, tz: Tz) -> String {
    let d = local(t, tz);
    format!(
        "{} {} {} {}",
        weekday(lang, d.weekday()),
        d.day(),
        month(lang, d.month()),
        d.year()
    )
}

/// The day and time of `t` in `tz`: "Monday 3 March 2025, 2:05 pm", "lundi 3 mars 2025 à
/// 14:05" (French uses the 24-hour clock).
pub fn date_time(lang: Lang, t: i64, tz: Tz) -> String {
    let d = local(t, tz);
    match lang {
        Lang::Fr => format!("{} à {:02}:{:02}", date(lang, t, tz), d.hour(), d.minute()),
        Lang::En => {
            let (pm, hour) = d.hour12();
            let half = if pm { "pm" } else { "am" };
            format!("{}, {hour}:{:02} {half}", date(lang, t, tz), d.minute())
        }
    }
}

/// `t` as a `datetime-local` value in `tz` (`2025-03-03T14:05`).
pub fn input_value(t: i64, tz: Tz) -> String {
    local(t, tz).format(LOCAL_INPUT).to_string()
}

/// A `datetime-local` value (`2025-03-03T14:05`, seconds allowed) read in `tz`, Unix
/// seconds; `None` when it is not one, or names a time the zone skips (a clock change).
pub fn read_input(text: &str, tz: Tz) -> Option<i64> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, LOCAL_INPUT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.timestamp())
}

/// How far `t` is after `now`, in whole days rounded up ("in 5 days", "dans 5 jours");
/// "within a day" when less, "soon" once past (the purge runs on an interval).
pub fn days_from_now(lang: Lang, t: i64, now: i64) -> String {
    const DAY: i64 = 86_400;
    let left = t - now;
    let days = (left + DAY - 1).div_euclid(DAY);
    match (lang, left, days) {
        (Lang::En, ..=0, _) => "soon".into(),
        (Lang::Fr, ..=0, _) => "bientôt".into(),
        (Lang::En, _, 1) => "within a day".into(),
        (Lang::Fr, _, 1) => "dans moins d'un jour".into(),
        (Lang::En, _, n) => format!("in {n} days"),
        (Lang::Fr, _, n) => format!("dans {n} jours"),
    }
}

/// A size in bytes as people read it: "820 bytes", "1.4 MB" ("1,4 Mo" in French).
pub fn size(lang: Lang, bytes: i64) -> String {
    let units: [&str; 4] = match lang {
        Lang::En => ["bytes", "kB", "MB", "GB"],
        Lang::Fr => ["octets", "ko", "Mo", "Go"],
    };
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let text = match lang {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    };
    format!("{text} {}", units[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2025-03-03T13:05:00Z, a Monday.
    const T: i64 = 1_741_007_100;

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let zurich: Tz = "Europe/Zurich".parse().unwrap();
        assert_eq!(date(Lang::Fr, T, zurich), "lundi 3 mars 2025");
        assert_eq!(date_time(Lang::Fr, T, zurich), "lundi 3 mars 2025 à 14:05");
        assert_eq!(
            date_time(Lang::En, T, zurich),
            "Monday 3 March 2025, 2:05 pm"
        );
        assert_eq!(
            date_time(Lang::En, T - 13 * 3600, Tz::UTC),
            "Monday 3 March 2025, 12:05 am"
        );
    }

    #[test]
    fn the_zone_comes_from_the_cookie_or_is_utc() {
        assert_eq!(
            zone(Some("a=1; davsuite_tz=Europe%2FParis")).name(),
            "Europe/Paris"
        );
        assert_eq!(zone(Some("davsuite_tz=Nowhere/Else")), Tz::UTC);
        assert_eq!(zone(None), Tz::UTC);
    }

    #[test]
    fn inputs_round_trip_in_the_zone_and_skipped_times_are_refused() {
        let zurich: Tz = "Europe/Zurich".parse().unwrap();
        assert_eq!(input_value(T, zurich), "2025-03-03T14:05");
        assert_eq!(read_input("2025-03-03T14:05", zurich), Some(T));
        assert_eq!(read_input("2025-03-03T14:05:00", zurich), Some(T));
        assert_eq!(read_input("2025-03-03T13:05", Tz::UTC), Some(T));
        // 02:30 does not exist in Zurich on 30 March 2025.
        assert_eq!(read_input("2025-03-30T02:30", zurich), None);
        assert_eq!(read_input("yesterday", zurich), None);
    }

    #[test]
    fn purge_dates_are_counted_in_days() {
        assert_eq!(days_from_now(Lang::En, T + 5 * 86_400, T), "in 5 days");
        assert_eq!(
            days_from_now(Lang::Fr, T + 4 * 86_400 + 1, T),
            "dans 5 jours"
        );
        assert_eq!(days_from_now(Lang::En, T + 3600, T), "within a day");
        assert_eq!(days_from_now(Lang::Fr, T - 1, T), "bientôt");
    }

    #[test]
    fn sizes_are_short() {
        assert_eq!(size(Lang::En, 820), "820 bytes");
        assert_eq!(size(Lang::En, 1_400_000), "1.4 MB");
        assert_eq!(size(Lang::Fr, 1_400_000), "1,4 Mo");
        assert_eq!(size(Lang::Fr, 2_000_000_000), "2,0 Go");
    }
}
