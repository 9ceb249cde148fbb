//! A year's full list for the regions people here use most, checked against published dates,
//! and the rules that hold across all regions.

use std::collections::HashSet;

use chrono::{Datelike, Weekday};

use super::*;

/// `region`'s holidays in `year` as (YYYY-MM-DD, English name).
fn listed(code: &str, year: i32) -> Vec<(String, &'static str)> {
    let r = region(code).unwrap_or_else(|| panic!("no region {code}"));
    holidays(r, year)
        .iter()
        .map(|h| (h.date.to_string(), h.name(Lang::En)))
        .collect()
}

#[track_caller]
fn assert_list(code: &str, year: i32, expected: &[(&str, &str)]) {
    let expected: Vec<(String, &str)> = expected
        .iter()
        .map(|(d, n)| ((*d).to_owned(), *n))
        .collect();
    assert_eq!(listed(code, year), expected, "{code} {year}");
}

// 2025: Easter Sunday 20 April, so Good Friday 18 April, Easter Monday 21 April, Ascension
// 29 May, Whit Sunday 8 June, Whit Monday 9 June, Corpus Christi 19 June. The first Sunday of
// September is the 7th (Jeûne genevois the 11th), the third the 21st (Federal Fast).

#[test]
fn zurich_2025() {
    assert_list(
        "CH-ZH",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-02", "Berchtold's Day"),
            ("2025-04-18", "Good Friday"),
            ("2025-04-20", "Easter Sunday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-08", "Whit Sunday"),
            ("2025-06-09", "Whit Monday"),
            ("2025-08-01", "Swiss National Day"),
            (
                "2025-09-21",
                "Federal Day of Thanksgiving, Repentance and Prayer",
            ),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-26", "Saint Stephen's Day"),
        ],
    );
}

#[test]
fn geneva_2025_and_2026() {
    assert_list(
        "CH-GE",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-04-18", "Good Friday"),
            ("2025-04-20", "Easter Sunday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-08", "Whit Sunday"),
            ("2025-06-09", "Whit Monday"),
            ("2025-08-01", "Swiss National Day"),
            ("2025-09-11", "Geneva Fast"),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-31", "Restoration of the Republic (Geneva)"),
        ],
    );
    // 2026: Easter 5 April; the first Sunday of September is the 6th.
    assert_list(
        "CH-GE",
        2026,
        &[
            ("2026-01-01", "New Year's Day"),
            ("2026-04-03", "Good Friday"),
            ("2026-04-05", "Easter Sunday"),
            ("2026-04-06", "Easter Monday"),
            ("2026-05-14", "Ascension Day"),
            ("2026-05-24", "Whit Sunday"),
            ("2026-05-25", "Whit Monday"),
            ("2026-08-01", "Swiss National Day"),
            ("2026-09-10", "Geneva Fast"),
            ("2026-12-25", "Christmas Day"),
            ("2026-12-31", "Restoration of the Republic (Geneva)"),
        ],
    );
}

#[test]
fn vaud_2025() {
    assert_list(
        "CH-VD",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-02", "Berchtold's Day"),
            ("2025-04-18", "Good Friday"),
            ("2025-04-20", "Easter Sunday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-08", "Whit Sunday"),
            ("2025-06-09", "Whit Monday"),
            ("2025-08-01", "Swiss National Day"),
            (
                "2025-09-21",
                "Federal Day of Thanksgiving, Repentance and Prayer",
            ),
            ("2025-09-22", "Federal Fast Monday"),
            ("2025-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn ticino_2025() {
    assert_list(
        "CH-TI",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-06", "Epiphany"),
            ("2025-03-19", "Saint Joseph's Day"),
            ("2025-04-20", "Easter Sunday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-08", "Whit Sunday"),
            ("2025-06-09", "Whit Monday"),
            ("2025-06-19", "Corpus Christi"),
            ("2025-06-29", "Saints Peter and Paul"),
            ("2025-08-01", "Swiss National Day"),
            ("2025-08-15", "Assumption Day"),
            (
                "2025-09-21",
                "Federal Day of Thanksgiving, Repentance and Prayer",
            ),
            ("2025-11-01", "All Saints' Day"),
            ("2025-12-08", "Immaculate Conception"),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-26", "Saint Stephen's Day"),
        ],
    );
}

#[test]
fn france_2025() {
    assert_list(
        "FR",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-08", "Victory in Europe Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-09", "Whit Monday"),
            ("2025-07-14", "Bastille Day"),
            ("2025-08-15", "Assumption Day"),
            ("2025-11-01", "All Saints' Day"),
            ("2025-11-11", "Armistice Day"),
            ("2025-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn germany_2025_and_some_states() {
    let national = [
        ("2025-01-01", "New Year's Day"),
        ("2025-04-18", "Good Friday"),
        ("2025-04-21", "Easter Monday"),
        ("2025-05-01", "Labour Day"),
        ("2025-05-29", "Ascension Day"),
        ("2025-06-09", "Whit Monday"),
        ("2025-10-03", "German Unity Day"),
        ("2025-12-25", "Christmas Day"),
        ("2025-12-26", "Saint Stephen's Day"),
    ];
    assert_list("DE", 2025, &national);
    assert_list(
        "DE-BY",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-06", "Epiphany"),
            ("2025-04-18", "Good Friday"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-09", "Whit Monday"),
            ("2025-06-19", "Corpus Christi"),
            ("2025-08-15", "Assumption Day"),
            ("2025-10-03", "German Unity Day"),
            ("2025-11-01", "All Saints' Day"),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-26", "Saint Stephen's Day"),
        ],
    );
    // Saxony's Day of Repentance and Prayer: the Wednesday before 23 November.
    let saxony: Vec<_> = listed("DE-SN", 2025)
        .into_iter()
        .filter(|(d, _)| !national.iter().any(|(n, _)| n == d))
        .collect();
    assert_eq!(
        saxony,
        [
            ("2025-10-31".to_owned(), "Reformation Day"),
            ("2025-11-19".to_owned(), "Day of Repentance and Prayer"),
        ]
    );
    assert!(
        listed("DE-SN", 2026).contains(&("2026-11-18".to_owned(), "Day of Repentance and Prayer"))
    );
}

#[test]
fn italy_2025_and_saint_francis_from_2026() {
    let year_2025 = [
        ("2025-01-01", "New Year's Day"),
        ("2025-01-06", "Epiphany"),
        ("2025-04-20", "Easter Sunday"),
        ("2025-04-21", "Easter Monday"),
        ("2025-04-25", "Liberation Day"),
        ("2025-05-01", "Labour Day"),
        ("2025-06-02", "Republic Day"),
        ("2025-08-15", "Assumption Day"),
        ("2025-11-01", "All Saints' Day"),
        ("2025-12-08", "Immaculate Conception"),
        ("2025-12-25", "Christmas Day"),
        ("2025-12-26", "Saint Stephen's Day"),
    ];
    assert_list("IT", 2025, &year_2025);
    let year_2027 = listed("IT", 2027);
    assert!(year_2027.contains(&("2027-10-04".to_owned(), "Saint Francis of Assisi")));
    assert_eq!(year_2027.len(), year_2025.len() + 1);
}

#[test]
fn austria_2025() {
    assert_list(
        "AT",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-01-06", "Epiphany"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-09", "Whit Monday"),
            ("2025-06-19", "Corpus Christi"),
            ("2025-08-15", "Assumption Day"),
            ("2025-10-26", "Austrian National Day"),
            ("2025-11-01", "All Saints' Day"),
            ("2025-12-08", "Immaculate Conception"),
            ("2025-12-25", "Christmas Day"),
            ("2025-12-26", "Saint Stephen's Day"),
        ],
    );
}

#[test]
fn belgium_2025() {
    assert_list(
        "BE",
        2025,
        &[
            ("2025-01-01", "New Year's Day"),
            ("2025-04-21", "Easter Monday"),
            ("2025-05-01", "Labour Day"),
            ("2025-05-29", "Ascension Day"),
            ("2025-06-09", "Whit Monday"),
            ("2025-07-21", "Belgian National Day"),
            ("2025-08-15", "Assumption Day"),
            ("2025-11-01", "All Saints' Day"),
            ("2025-11-11", "Armistice Day"),
            ("2025-12-25", "Christmas Day"),
        ],
    );
}

#[test]
fn the_years_when_a_rule_adds_or_drops_a_day() {
    let has = |code: &str, date: &str| {
        let year = date[..4].parse().expect("year");
        listed(code, year).iter().any(|(d, _)| d == date)
    };
    // Näfelser Fahrt: the first Thursday of April, a week later when that is Maundy Thursday.
    assert!(has("CH-GL", "2025-04-03"));
    assert!(!has("CH-GL", "2026-04-02") && has("CH-GL", "2026-04-09"));
    assert!(has("CH-GL", "2024-04-04"));
    // Neuchâtel: 2 January and 26 December only on a Monday.
    assert!(has("CH-NE", "2023-01-02") && !has("CH-NE", "2025-01-02"));
    assert!(has("CH-NE", "2022-12-26") && !has("CH-NE", "2025-12-26"));
    assert!(has("CH-NE", "2025-03-01"));
    // Appenzell and Uri: 26 December unless on a Tuesday or a Saturday.
    for code in ["CH-AR", "CH-AI", "CH-UR"] {
        assert!(has(code, "2025-12-26"), "{code}"); // a Friday
        assert!(!has(code, "2023-12-26"), "{code}"); // a Tuesday
        assert!(!has(code, "2026-12-26"), "{code}"); // a Saturday
    }
    // Jura's plebiscite, Obwalden's Brother Klaus.
    assert!(has("CH-JU", "2025-06-23"));
    assert!(has("CH-OW", "2025-09-25"));
    // Days added by law in a known year.
    assert!(!has("DE-BE", "2018-03-08") && has("DE-BE", "2019-03-08"));
    assert!(!has("DE-MV", "2022-03-08") && has("DE-MV", "2023-03-08"));
    assert!(!has("DE-NI", "2017-10-31") && has("DE-NI", "2018-10-31"));
    assert!(!has("DE-TH", "2018-09-20") && has("DE-TH", "2019-09-20"));
    assert!(!has("IT", "2025-10-04") && has("IT", "2026-10-04"));
    // Good Friday is no holiday in Valais and Ticino.
    for code in ["CH-VS", "CH-TI"] {
        assert!(!has(code, "2025-04-18"), "{code}");
    }
}

#[test]
fn french_names() {
    let geneva = region("ch-ge").expect("Geneva, in any case");
    let names: Vec<(String, &str)> = holidays(geneva, 2025)
        .iter()
        .map(|h| (h.date.to_string(), h.name(Lang::Fr)))
        .collect();
    assert!(names.contains(&("2025-09-11".to_owned(), "Jeûne genevois")));
    assert!(names.contains(&("2025-12-31".to_owned(), "Restauration de la République")));
    assert!(names.contains(&("2025-04-21".to_owned(), "Lundi de Pâques")));
    assert_eq!(geneva.title(Lang::Fr), "Genève (Suisse)");
    assert_eq!(geneva.title(Lang::En), "Geneva (Switzerland)");
    assert_eq!(region("FR").expect("France").title(Lang::Fr), "France");
}

#[test]
fn the_region_table_is_complete_sorted_and_unique() {
    let codes: Vec<&str> = REGIONS.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "sorted by code, each once");
    let cantons = codes.iter().filter(|c| c.starts_with("CH-")).count();
    let states = codes.iter().filter(|c| c.starts_with("DE-")).count();
    assert_eq!((cantons, states), (26, 16));
    for country in ["AT", "BE", "CH", "DE", "FR", "IT"] {
        assert!(codes.contains(&country), "{country}");
    }
    for r in REGIONS {
        if let Some((country, _)) = r.code.split_once('-') {
            assert_eq!(r.country().map(|c| c.code), Some(country));
        }
        let kinds: Vec<HolidayKind> = r.rules().map(|rule| rule.kind).collect();
        let distinct: HashSet<_> = kinds.iter().collect();
        assert_eq!(
            distinct.len(),
            kinds.len(),
            "{} lists a holiday twice",
            r.code
        );
    }
}

#[test]
fn lists_are_sorted_and_every_holiday_falls_in_its_year() {
    for r in REGIONS {
        for year in 2000..=2060 {
            let list = holidays(r, year);
            assert!(!list.is_empty(), "{} {year}", r.code);
            assert!(
                list.windows(2).all(|w| w[0].date <= w[1].date),
                "{} {year}",
                r.code
            );
            assert!(
                list.iter().all(|h| h.date.year() == year),
                "{} {year}",
                r.code
            );
        }
    }
}

#[test]
fn a_country_lists_what_all_its_cantons_or_states_keep() {
    for (country, prefix) in [("CH", "CH-"), ("DE", "DE-")] {
        let parts: Vec<&Region> = REGIONS
            .iter()
            .filter(|r| r.code.starts_with(prefix))
            .collect();
        for year in 2020..=2035 {
            let whole: HashSet<Holiday> = holidays(region(country).expect("country"), year)
                .into_iter()
                .collect();
            let common = parts
                .iter()
                .map(|r| holidays(r, year).into_iter().collect::<HashSet<_>>())
                .reduce(|a, b| a.intersection(&b).copied().collect())
                .expect("parts");
            assert_eq!(whole, common, "{country} {year}");
        }
    }
}

#[test]
fn weekday_rules_land_on_their_weekday() {
    let kinds = [
        (HolidayKind::GoodFriday, Weekday::Fri),
        (HolidayKind::EasterMonday, Weekday::Mon),
        (HolidayKind::Ascension, Weekday::Thu),
        (HolidayKind::WhitMonday, Weekday::Mon),
        (HolidayKind::CorpusChristi, Weekday::Thu),
        (HolidayKind::NafelserFahrt, Weekday::Thu),
        (HolidayKind::JeuneGenevois, Weekday::Thu),
        (HolidayKind::FederalFast, Weekday::Sun),
        (HolidayKind::FederalFastMonday, Weekday::Mon),
        (HolidayKind::RepentanceDay, Weekday::Wed),
    ];
    for year in 1900..=2100 {
        let easter = easter_sunday(year).expect("easter");
        for (kind, weekday) in kinds {
            let date = kind.date(year, easter).expect("date");
            assert_eq!(date.weekday(), weekday, "{kind:?} {year}");
            assert_eq!(date.year(), year);
        }
    }
}

#[test]
fn slugs_are_distinct_and_names_present_in_both_languages() {
    let kinds: HashSet<HolidayKind> = REGIONS
        .iter()
        .flat_map(|r| r.rules().map(|rule| rule.kind))
        .collect();
    let slugs: HashSet<&str> = kinds.iter().map(|k| k.slug()).collect();
    assert_eq!(slugs.len(), kinds.len());
    for kind in kinds {
        assert!(
            kind.slug()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{kind:?}"
        );
        assert!(!kind.name(Lang::En).is_empty() && !kind.name(Lang::Fr).is_empty());
    }
}

#[test]
fn years_outside_the_gregorian_range_have_no_holidays() {
    let france = region("FR").expect("France");
    assert!(holidays(france, 1582).is_empty());
    assert!(holidays(france, 10_000).is_empty());
    assert!(holidays(france, i32::MIN).is_empty());
    assert_eq!(holidays(france, 9999).len(), 11);
}

#[test]
fn languages_parse_from_their_codes() {
    assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
    assert_eq!(Lang::parse("EN"), Some(Lang::En));
    assert_eq!(Lang::parse("de"), None);
    assert_eq!(Lang::parse(""), None);
}
