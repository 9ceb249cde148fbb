//! The yearly dates of a vCard (birthdays and anniversaries), read for the birthday calendar:
//! `BDAY`, vCard 4 `ANNIVERSARY` (and the `X-ANNIVERSARY` / `X-EVOLUTION-ANNIVERSARY` that
//! Thunderbird and Evolution write in 3.0), and Apple's `itemN.X-ABDATE` whose
//! `itemN.X-ABLABEL` is `_$!<Anniversary>!$_`; with the name the calendar shows (FN, else N).
//!
//! Values are read from the text as written ([`super::tree`]), not from calcard's typed
//! values: calcard reads `--04-15` as April without a day and drops the day of vCard 4's
//! `1985-04-15`, both of which clients write. Accepted forms: `19850415`, `1985-04-15`,
//! `--0415`, `--04-15`, each optionally followed by a time (`19850415T120000Z`: the date
//! part counts). Reduced accuracy (`1985-04`, `1985`, `--04`, `---15`), `VALUE=text`, a date
//! that does not exist (February 30) and anything unreadable are skipped, never an error.
//!
//! A year is dropped when it is a placeholder: the one `X-APPLE-OMIT-YEAR` names (Apple writes
//! `BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15`), or 1604 itself, which Thunderbird's CardBook
//! writes without the parameter.

use super::tree::{self, Component, Property, unescape};

/// The label Apple gives an `X-ABDATE` that is an anniversary.
const APPLE_ANNIVERSARY: &str = "_$!<Anniversary>!$_";

/// The year Apple (and CardBook after it) writes for a date whose year is unknown.
const PLACEHOLDER_YEAR: i32 = 1604;

/// A leap year, to check a date without a year: February 29 exists in some year.
const ANY_LEAP_YEAR: i32 = 2000;

/// What a yearly date of a contact celebrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateKind {
    /// `BDAY`.
    Birthday,
    /// `ANNIVERSARY` and its vendor spellings.
    Anniversary,
}

/// One yearly date of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardDate {
    /// What it celebrates.
    pub kind: DateKind,
    /// 1-12.
    pub month: u32,
    /// 1-31, a day the month has (February 29 only when the year, if known, is a leap year).
    pub day: u32,
    /// The year, when the card gives a real one (an age or a number of years can be shown).
    pub year: Option<i32>,
}

/// The dates of a card and the name to show them under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardDates {
    /// FN, else the parts of N; empty when the card has neither.
    pub label: String,
    /// Distinct dates, sorted.
    pub dates: Vec<CardDate>,
}

/// The yearly dates of a stored vCard (see the module documentation for what is read). Empty
/// for anything that is not a readable vCard.
#[must_use]
pub fn card_dates(body: &[u8]) -> CardDates {
    let Some(card) = tree::parse(body).filter(|root| root.name == "VCARD") else {
        return CardDates::default();
    };
    let mut dates: Vec<CardDate> = card
        .properties
        .iter()
        .filter_map(|p| {
            let kind = kind_of(&card, p)?;
            let (month, day, year) = date_of(p)?;
            Some(CardDate {
                kind,
                month,
                day,
                year,
            })
        })
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let label = if dates.is_empty() {
        String::new()
    } else {
        label_of(&card)
    };
    CardDates { label, dates }
}

/// What property `p` of `card` celebrates, if it is one of the dates read here.
fn kind_of(card: &Component, p: &Property) -> Option<DateKind> {
    match p.name.as_str() {
        "BDAY" => Some(DateKind::Birthday),
        "ANNIVERSARY" | "X-ANNIVERSARY" | "X-EVOLUTION-ANNIVERSARY" => Some(DateKind::Anniversary),
        "X-ABDATE" => {
            let group = p.group.as_deref()?;
            card.properties_named("X-ABLABEL")
                .any(|label| {
                    label.group.as_deref() == Some(group)
                        && label.text().trim().eq_ignore_ascii_case(APPLE_ANNIVERSARY)
                })
                .then_some(DateKind::Anniversary)
        }
        _ => None,
    }
}

/// Month, day and real year of a date property; `None` for text values, reduced accuracy and
/// dates that do not exist.
fn date_of(p: &Property) -> Option<(u32, u32, Option<i32>)> {
    let is_text = p
        .param("VALUE")
        .is_some_and(|v| v.iter().any(|v| v.trim().eq_ignore_ascii_case("text")));
    if is_text {
        return None;
    }
    let (year, month, day) = parse_date(&p.value)?;
    let omitted: Option<i32> = p
        .param("X-APPLE-OMIT-YEAR")
        .and_then(|v| v.first())
        .and_then(|v| v.trim().parse().ok());
    let year = year.filter(|y| *y != PLACEHOLDER_YEAR && Some(*y) != omitted);
    chrono::NaiveDate::from_ymd_opt(year.unwrap_or(ANY_LEAP_YEAR), month, day)?;
    Some((month, day, year))
}

/// Year (if written), month and day of a date or date-time value: `YYYYMMDD`, `YYYY-MM-DD`,
/// `--MMDD` or `--MM-DD`, optionally followed by `T` and a time. Ranges are not checked here.
fn parse_date(value: &str) -> Option<(Option<i32>, u32, u32)> {
    let date = value.trim().split(['T', 't']).next()?;
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let month_day = |s: &str| -> Option<(u32, u32)> {
        let day_at = match (s.len(), s.as_bytes().get(2)) {
            (4, _) => 2,
            (5, Some(b'-')) => 3,
            _ => return None,
        };
        Some((number(s.get(..2)?)?, number(s.get(day_at..)?)?))
    };
    if let Some(rest) = date.strip_prefix("--") {
        let (month, day) = month_day(rest)?;
        return Some((None, month, day));
    }
    let year = i32::try_from(number(date.get(..4)?)?).ok()?;
    let rest = date.get(4..)?;
    let (month, day) = match rest.strip_prefix('-') {
        Some(extended) if extended.len() == 5 => month_day(extended)?,
        Some(_) => return None,
        None => month_day(rest)?,
    };
    Some((Some(year), month, day))
}

/// The name a card's dates are shown under: FN, else the non-empty parts of N in reading order
/// (prefix, given, additional, family, suffix).
fn label_of(card: &Component) -> String {
    let formatted = card
        .properties_named("FN")
        .map(|p| p.text().trim().to_owned())
        .find(|name| !name.is_empty());
    if let Some(name) = formatted {
        return name;
    }
    let Some(n) = card.properties_named("N").next() else {
        return String::new();
    };
    let parts = structured(&n.value);
    [3, 1, 2, 0, 4]
        .iter()
        .filter_map(|i| parts.get(*i))
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The components of a structured value (N: family;given;additional;prefix;suffix), split at
/// the semicolons that are not escaped, each with its escapes resolved; a component's own
/// comma-separated list stays one string.
fn structured(raw: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ';' => {
                parts.push(unescape(&raw[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(unescape(&raw[start..]));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/vcard/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).expect("fixture")
    }

    fn card(version: &str, lines: &str) -> Vec<u8> {
        format!("BEGIN:VCARD\r\nVERSION:{version}\r\nUID:u\r\n{lines}END:VCARD\r\n").into_bytes()
    }

    fn date(kind: DateKind, year: Option<i32>, month: u32, day: u32) -> CardDate {
        CardDate {
            kind,
            month,
            day,
            year,
        }
    }

    fn birthday(year: Option<i32>, month: u32, day: u32) -> CardDate {
        date(DateKind::Birthday, year, month, day)
    }

    fn anniversary(year: Option<i32>, month: u32, day: u32) -> CardDate {
        date(DateKind::Anniversary, year, month, day)
    }

    /// The birthdays of a card made of `BDAY` line `line`.
    fn bday(version: &str, line: &str) -> Vec<CardDate> {
        card_dates(&card(version, &format!("FN:X\r\n{line}\r\n"))).dates
    }

    #[test]
    fn every_written_form_of_a_birthday_is_read() {
        let april_15 = vec![birthday(Some(1985), 4, 15)];
        let no_year = vec![birthday(None, 4, 15)];
        for version in ["3.0", "4.0"] {
            for (line, expected) in [
                ("BDAY:19850415", &april_15),
                ("BDAY:1985-04-15", &april_15),
                ("BDAY;VALUE=date:1985-04-15", &april_15),
                ("BDAY:19850415T120000Z", &april_15),
                ("BDAY:1985-04-15T12:00:00+02:00", &april_15),
                ("BDAY: 19850415 ", &april_15),
                ("BDAY:--0415", &no_year),
                ("BDAY:--04-15", &no_year),
                ("BDAY;VALUE=date:--0415", &no_year),
                ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15", &no_year),
                ("bday;x-apple-omit-year=1604:16040415", &no_year),
                ("BDAY:16040415", &no_year),
            ] {
                assert_eq!(&bday(version, line), expected, "{version} {line}");
            }
        }
        // A year other than the omitted one is real.
        assert_eq!(
            bday("3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1985-04-15"),
            vec![birthday(Some(1985), 4, 15)]
        );
    }

    #[test]
    fn reduced_accuracy_text_and_impossible_dates_are_skipped() {
        for line in [
            "BDAY:1985-04",
            "BDAY:1985",
            "BDAY:--04",
            "BDAY:---15",
            "BDAY:T1200",
            "BDAY:",
            "BDAY;VALUE=text:April 15th",
            "BDAY;VALUE=TEXT:1985-04-15",
            "BDAY:19850230",
            "BDAY:--0230",
            "BDAY:--1301",
            "BDAY:--0400",
            "BDAY:19850015",
            "BDAY:1985-4-15",
            "BDAY:85-04-15",
            "BDAY:1985-04-155",
            "BDAY:198504151",
            "BDAY:19é50415",
            "BDAY:--0é15",
            "BDAY:20230229",
        ] {
            assert_eq!(bday("4.0", line), Vec::new(), "{line}");
        }
    }

    #[test]
    fn february_29_needs_a_leap_year_only_when_the_year_is_known() {
        assert_eq!(bday("4.0", "BDAY:--0229"), vec![birthday(None, 2, 29)]);
        assert_eq!(
            bday("4.0", "BDAY:20000229"),
            vec![birthday(Some(2000), 2, 29)]
        );
        assert_eq!(bday("4.0", "BDAY:19000229"), Vec::new());
    }

    #[test]
    fn anniversaries_in_every_spelling() {
        let body = card(
            "3.0",
            "FN:Pat\r\nANNIVERSARY:20090808T1430-0500\r\nX-ANNIVERSARY:1990-04-30\r\n\
             X-EVOLUTION-ANNIVERSARY:1980-03-22\r\n\
             item1.X-ABDATE:1975-03-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n\
             item2.X-ABDATE:1970-01-02\r\nitem2.X-ABLabel:_$!<Other>!$_\r\n\
             X-ABDATE:1971-01-02\r\nitem3.X-ABLabel:_$!<Anniversary>!$_\r\n",
        );
        assert_eq!(
            card_dates(&body).dates,
            vec![
                anniversary(Some(1975), 3, 1),
                anniversary(Some(1980), 3, 22),
                anniversary(Some(1990), 4, 30),
                anniversary(Some(2009), 8, 8),
            ]
        );
    }

    #[test]
    fn real_cards_from_apple_google_thunderbird_evolution_and_the_rfc() {
        let apple = card_dates(&fixture("apple-addressbook-all-custom-fields.vcf"));
        assert_eq!(apple.label, "All Custom Fields Here");
        assert_eq!(
            apple.dates,
            vec![birthday(Some(1999), 3, 18), anniversary(Some(1995), 5, 21)]
        );
        let apple_value_date = card_dates(&fixture("apple-uid-with-colon-abperson.vcf"));
        assert_eq!(apple_value_date.dates, apple.dates);

        let google = card_dates(&fixture("google-contacts-vcard3-custom-labels.vcf"));
        assert_eq!(google.label, "Greg Dartmouth");
        assert_eq!(
            google.dates,
            vec![birthday(Some(1960), 9, 10), anniversary(Some(1970), 6, 2)]
        );
        let gmail = card_dates(&fixture("gmail-vcard3-john-doe.vcf"));
        assert_eq!(gmail.label, "Mr. John Richter, James Doe Sr.");
        assert_eq!(
            gmail.dates,
            vec![birthday(Some(1980), 3, 22), anniversary(Some(1975), 3, 1)]
        );

        let thunderbird = card_dates(&fixture("thunderbird-mfffab-vcard3-charset.vcf"));
        assert_eq!(thunderbird.label, "John Doe");
        assert_eq!(
            thunderbird.dates,
            vec![birthday(Some(1970), 9, 21), anniversary(Some(1990), 4, 30)]
        );
        let cardbook = card_dates(&fixture("thunderbird-cardbook-bday-1604-no-year.vcf"));
        assert_eq!(cardbook.dates, vec![birthday(None, 1, 1)]);

        let evolution = card_dates(&fixture("evolution-vcard3.vcf"));
        assert_eq!(evolution.label, "Mr. John Richter, James Doe Sr.");
        assert_eq!(
            evolution.dates,
            vec![birthday(Some(1980), 3, 22), anniversary(Some(1980), 3, 22)]
        );

        let rfc = card_dates(&fixture("rfc6350-example-vcard4.vcf"));
        assert_eq!(rfc.label, "Simon Perreault");
        assert_eq!(
            rfc.dates,
            vec![birthday(None, 2, 3), anniversary(Some(2009), 8, 8)]
        );

        // The same birthday twice (ALTID), once as text: one date.
        let fullcontact = card_dates(&fixture("fullcontact-vcard4-altid-multiple.vcf"));
        assert_eq!(fullcontact.dates, vec![birthday(Some(2016), 8, 1)]);

        let iphone = card_dates(&fixture("iphone-vcard3-photo-itemN-xablabel.vcf"));
        assert_eq!(iphone.dates, vec![birthday(Some(2012), 6, 6)]);
    }

    #[test]
    fn the_label_falls_back_to_n_and_cards_without_dates_have_none() {
        let body = card(
            "3.0",
            "FN: \r\nN:M\\;ller;J\\,rgen;Karl;Dr.;Jr.\r\nBDAY:--0101\r\n",
        );
        assert_eq!(card_dates(&body).label, "Dr. J,rgen Karl M;ller Jr.");
        let partial = card("3.0", "N:Doe;Jane;;;\r\nBDAY:--0101\r\n");
        assert_eq!(card_dates(&partial).label, "Jane Doe");
        let nameless = card("3.0", "BDAY:--0101\r\n");
        assert_eq!(card_dates(&nameless).label, "");
        assert_eq!(
            card_dates(&card("3.0", "FN:No dates\r\n")),
            CardDates::default()
        );
    }

    #[test]
    fn anything_unreadable_gives_nothing_and_never_panics() {
        for body in [
            &b""[..],
            b"\xff\xfe",
            b"BEGIN:VCARD\r\nBDAY:19850415\r\n",
            b"BEGIN:VCALENDAR\r\nBDAY:19850415\r\nEND:VCALENDAR\r\n",
            b"BEGIN:VCARD\r\nBDAY:\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9-\xc3\xa9\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nBDAY:--0\xc3\xa91\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nBDAY:199\xc3\xa90415\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nBDAY:99999999\r\nEND:VCARD\r\n",
        ] {
            assert_eq!(card_dates(body), CardDates::default(), "{body:?}");
        }
        // An unreadable X-APPLE-OMIT-YEAR names no year.
        assert_eq!(
            bday("3.0", "BDAY;X-APPLE-OMIT-YEAR=99999999999:1985-04-15"),
            vec![birthday(Some(1985), 4, 15)]
        );
    }
}
