//! VTIMEZONE components written from the IANA database (chrono-tz), for objects the server
//! composes itself (the web view's events and tasks): RFC 5545 §3.6.5 wants a VTIMEZONE for
//! every TZID an object uses, and clients that do not know the name rely on it.
//!
//! The definition describes the zone's rules in the year the object starts: each offset
//! change of that year becomes a STANDARD or DAYLIGHT observance starting then, with a yearly
//! `BYDAY` rule when the next year's change falls on the same weekday of the month at the same
//! time (as every current daylight-saving rule does); a zone without changes that year gets
//! one STANDARD observance. The server itself resolves IANA names by name, so the definition
//! only matters to clients that do not.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::compose::weekday_code;

/// Seconds in a day, the step of the search for offset changes.
const DAY: i64 = 86_400;

/// True when `tzid` is a zone of the IANA database this module can define.
pub fn is_known_zone(tzid: &str) -> bool {
    tzid.parse::<Tz>().is_ok()
}

/// The canonical IANA zone names (`Area/City`), sorted, for a person to choose from.
pub fn zone_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| {
            n.contains('/')
                && !n.starts_with("Etc/")
                && n.split('/').next().is_some_and(|area| {
                    matches!(
                        area,
                        "Africa"
                            | "America"
                            | "Antarctica"
                            | "Asia"
                            | "Atlantic"
                            | "Australia"
                            | "Europe"
                            | "Indian"
                            | "Pacific"
                    )
                })
        })
        .collect();
    names.push("UTC");
    names.sort_unstable();
    names
}

/// An offset in effect: total seconds east of UTC, whether it is daylight time, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct InEffect {
    offset: i32,
    daylight: bool,
    name: Option<String>,
}

fn in_effect(tz: Tz, utc: NaiveDateTime) -> InEffect {
    let o = tz.offset_from_utc_datetime(&utc);
    InEffect {
        offset: o.fix().local_minus_utc(),
        daylight: o.dst_offset() != TimeDelta::zero(),
        name: o
            .abbreviation()
            .filter(|a| a.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_owned),
    }
}

/// An offset change: the UTC instant it happens and the offsets before and after.
struct Change {
    at: NaiveDateTime,
    before: InEffect,
    after: InEffect,
}

impl Change {
    /// The local time it happens, read in the offset before it (an observance's DTSTART).
    fn local(&self) -> NaiveDateTime {
        self.at + TimeDelta::seconds(i64::from(self.before.offset))
    }
}

/// The offset changes of `tz` during `year` (UTC), found day by day then to the second.
fn changes(tz: Tz, year: i32) -> Vec<Change> {
    let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut day = start;
    let mut current = in_effect(tz, day);
    while day.year() == year {
        let next = day + TimeDelta::seconds(DAY);
        let then = in_effect(tz, next);
        if then.offset != current.offset || then.daylight != current.daylight {
            // The change is in (day, next]: narrow it down to the second.
            let (mut lo, mut hi) = (0i64, DAY);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if in_effect(tz, day + TimeDelta::seconds(mid)) == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(Change {
                at: day + TimeDelta::seconds(hi),
                before: current,
                after: then.clone(),
            });
        }
        current = then;
        day = next;
    }
    out
}

/// `+HHMM` or `+HHMMSS` (RFC 5545 §3.3.14).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// The `BYDAY` ordinal of a date in its month: `-1` for the last such weekday, else 1-4.
fn ordinal_in_month(date: NaiveDate) -> i32 {
    let days_in_month = NaiveDate::from_ymd_opt(date.year(), date.month(), 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(28, |last| last.day());
    if date.day() + 7 > days_in_month {
        -1
    } else {
        ((date.day() - 1) / 7 + 1) as i32
    }
}

/// The yearly rule of `change` if the matching change of the next year (`next`) follows it.
fn yearly_rule(change: &Change, next: Option<&Change>) -> Option<String> {
    let (this, next) = (change.local(), next?.local());
    let same = this.month() == next.month()
        && this.weekday() == next.weekday()
        && this.time() == next.time()
        && ordinal_in_month(this.date()) == ordinal_in_month(next.date());
    same.then(|| {
        let day = weekday_code(this.weekday());
        format!(
            "RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={}{day}",
            this.month(),
            ordinal_in_month(this.date())
        )
    })
}

fn observance(out: &mut String, change: &Change, rule: Option<String>) {
    let kind = if change.after.daylight {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    out.push_str(&format!("BEGIN:{kind}\r\n"));
    out.push_str(&format!(
        "DTSTART:{}\r\n",
        change.local().format("%Y%m%dT%H%M%S")
    ));
    if let Some(rule) = rule {
        out.push_str(&rule);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "TZOFFSETFROM:{}\r\n",
        utc_offset(change.before.offset)
    ));
    out.push_str(&format!(
        "TZOFFSETTO:{}\r\n",
        utc_offset(change.after.offset)
    ));
    if let Some(name) = &change.after.name {
        out.push_str(&format!("TZNAME:{name}\r\n"));
    }
    out.push_str(&format!("END:{kind}\r\n"));
}

/// The VTIMEZONE (CRLF lines) of IANA zone `tzid` as its rules are in `year`; `None` for a
/// name the database does not know.
pub fn vtimezone(tzid: &str, year: i32) -> Option<String> {
    let tz: Tz = tzid.parse().ok()?;
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let this_year = changes(tz, year);
    if this_year.is_empty() {
        let jan = DateTime::<Utc>::from_timestamp(0, 0)?.naive_utc();
        let at = NaiveDate::from_ymd_opt(year, 1, 1)?.and_hms_opt(0, 0, 0)?;
        let now = in_effect(tz, at);
        observance(
            &mut out,
            &Change {
                at: jan - TimeDelta::seconds(i64::from(now.offset)),
                before: now.clone(),
                after: now,
            },
            None,
        );
    } else {
        let next_year = changes(tz, year + 1);
        for change in &this_year {
            let next = next_year.iter().find(|n| {
                n.after.daylight == change.after.daylight && n.after.offset == change.after.offset
            });
            observance(&mut out, change, yearly_rule(change, next));
        }
    }
    out.push_str("END:VTIMEZONE\r\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zurich_has_its_daylight_rules() {
        let z = vtimezone("Europe/Zurich", 2025).unwrap();
        assert!(
            z.starts_with("BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n"),
            "{z}"
        );
        assert!(
            z.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20250330T020000\r\n\
                 RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\n\
                 TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"
            ),
            "{z}"
        );
        assert!(
            z.contains(
                "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\n\
                 RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\n\
                 TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"
            ),
            "{z}"
        );
        assert!(z.ends_with("END:VTIMEZONE\r\n"));
    }

    #[test]
    fn new_york_uses_second_and_first_sundays() {
        let z = vtimezone("America/New_York", 2026).unwrap();
        assert!(z.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"), "{z}");
        assert!(z.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"), "{z}");
        assert!(z.contains("TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"), "{z}");
    }

    #[test]
    fn zones_without_changes_have_one_standard_observance() {
        let z = vtimezone("Asia/Kolkata", 2025).unwrap();
        assert_eq!(z.matches("BEGIN:STANDARD").count(), 1, "{z}");
        assert!(!z.contains("DAYLIGHT"), "{z}");
        assert!(z.contains("TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530"), "{z}");
        assert!(vtimezone("UTC", 2025).unwrap().contains("TZOFFSETTO:+0000"));
    }

    #[test]
    fn unknown_names_have_no_definition() {
        assert_eq!(vtimezone("W. Europe Standard Time", 2025), None);
        assert_eq!(vtimezone("", 2025), None);
        assert!(!is_known_zone("Mars/Olympus"));
        assert!(is_known_zone("Europe/Paris"));
    }

    #[test]
    fn offsets_with_seconds_are_written_in_full() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-12600), "-0330");
        assert_eq!(utc_offset(9017), "+023017");
    }

    #[test]
    fn the_zone_list_is_sorted_and_has_the_usual_names() {
        let names = zone_names();
        assert!(names.contains(&"Europe/Zurich") && names.contains(&"UTC"));
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("Etc/") || n.starts_with("US/"))
        );
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }
}
