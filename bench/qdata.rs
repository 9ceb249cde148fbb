//! Data of the query benchmark (`--queries`), with its ground truth.
//!
//! Events are spread uniformly over 2020-01-01 .. 2030-12-31 (~600 bytes each): one in ten
//! all-day (transparent, one to three days), three in ten at UTC times, six in ten at local
//! times in Europe/Zurich. One event in twenty recurs: daily, weekly (every week or every
//! second week) or monthly (on a day of month <= 28), each ending after a COUNT, at an UNTIL
//! or never. Contacts (vCard 3.0, ~300 bytes) have FN, N, EMAIL, TEL, ORG and ADR; their last
//! names come from 1,000 synthetic ones and their e-mail domains from 1,000 others, so a
//! `contains` on a whole last name or on `@domain.` matches about one card in a thousand.
//!
//! Every item is derived from its number, so the collection can be doubled by adding items
//! `n .. 2n`, and [`EventSpec::overlaps`] / [`EventSpec::busy`] compute, independently of the
//! server, which events a time-range selects (RFC 4791 §9.9) and their busy time.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};

use crate::data::{DESCRIPTIONS, FIRST, LOCATIONS, ORGS, Rng, SUMMARIES, fold, uid};

/// UID namespace of the query benchmark's events (distinct from the latency benchmark's).
const EVENT_KIND: u64 = 3;
/// UID namespace of its contacts.
const CONTACT_KIND: u64 = 4;

/// First day events are placed on.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date")
}

/// Days in 2020-01-01 .. 2030-12-31.
const SPREAD_DAYS: usize = 4018;

/// How an event's start is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `DTSTART;VALUE=DATE` (floating: read as UTC, the calendar has no calendar-timezone).
    AllDay(NaiveDate),
    /// `DTSTART:...Z`.
    Utc(NaiveDateTime),
    /// `DTSTART;TZID=Europe/Zurich:...`.
    Zurich(NaiveDateTime),
}

/// Recurrence frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    /// FREQ=DAILY.
    Daily,
    /// FREQ=WEEKLY.
    Weekly,
    /// FREQ=MONTHLY (day of month <= 28, so every month has it).
    Monthly,
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// COUNT=n.
    Count(u32),
    /// UNTIL=date (`T235959Z` for timed events, a DATE for all-day ones).
    Until(NaiveDate),
    /// No end.
    Never,
}

/// A recurrence rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Frequency.
    pub freq: Freq,
    /// INTERVAL (1 is not written).
    pub interval: u32,
    /// End of the series.
    pub end: End,
}

/// Everything that decides whether an event matches a time-range, plus what varies its text.
#[derive(Debug, Clone)]
pub struct EventSpec {
    /// Item number.
    pub i: usize,
    /// Start of the first instance.
    pub start: Start,
    /// Length in minutes (a multiple of 1440 for all-day events).
    pub minutes: i64,
    /// The recurrence, if any.
    pub rule: Option<Rule>,
}

/// Resource name of query event `i`.
pub fn event_name(i: usize) -> String {
    format!("{}.ics", uid(EVENT_KIND, i))
}

/// Resource name of query contact `i`.
pub fn contact_name(i: usize) -> String {
    format!("{}.vcf", uid(CONTACT_KIND, i))
}

/// The spec of event `i`.
pub fn event_spec(i: usize) -> EventSpec {
    let mut rng = Rng::new(0x9E4E ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut day = first_day() + Duration::days(rng.below(SPREAD_DAYS) as i64);
    if i.is_multiple_of(20) && day.day() > 28 {
        // A monthly series on the 29th-31st would skip months; keep the rules simple.
        day -= Duration::days(3);
    }
    let kind = rng.below(10);
    let hour = 7 + rng.below(12) as u32;
    let minute = *rng.pick(&[0u32, 15, 30, 45]);
    let at = day.and_hms_opt(hour, minute, 0).expect("valid time");
    let (start, minutes) = match kind {
        0 => (Start::AllDay(day), 1440 * (1 + (rng.below(6) / 4) as i64)),
        1..=3 => (Start::Utc(at), *rng.pick(&[30i64, 45, 60, 60, 90, 120])),
        _ => (Start::Zurich(at), *rng.pick(&[30i64, 45, 60, 60, 90, 120])),
    };
    // All-day series last one day (a multi-day daily series would overlap itself).
    let minutes = if i.is_multiple_of(20) && kind == 0 {
        1440
    } else {
        minutes
    };
    let rule = i.is_multiple_of(20).then(|| {
        let freq = [Freq::Daily, Freq::Weekly, Freq::Monthly][rng.below(3)];
        let interval = if freq == Freq::Weekly && rng.below(4) == 0 {
            2
        } else {
            1
        };
        let end = match rng.below(3) {
            0 => End::Count(match freq {
                Freq::Daily => 5 + rng.below(56) as u32,
                Freq::Weekly => 4 + rng.below(49) as u32,
                Freq::Monthly => 3 + rng.below(22) as u32,
            }),
            1 => End::Until(day + Duration::days(30 + rng.below(700) as i64)),
            _ => End::Never,
        };
        Rule {
            freq,
            interval,
            end,
        }
    });
    EventSpec {
        i,
        start,
        minutes,
        rule,
    }
}

/// UTC seconds of a Europe/Zurich wall time (the earlier one when ambiguous).
fn zurich_utc(t: NaiveDateTime) -> i64 {
    chrono_tz::Europe::Zurich
        .from_local_datetime(&t)
        .earliest()
        .map_or_else(|| t.and_utc().timestamp(), |d| d.timestamp())
}

/// The local date-time of occurrence `k` of a series starting at `t`.
fn nth(t: NaiveDateTime, freq: Freq, interval: u32, k: u32) -> NaiveDateTime {
    let step = i64::from(interval) * i64::from(k);
    match freq {
        Freq::Daily => t + Duration::days(step),
        Freq::Weekly => t + Duration::days(7 * step),
        Freq::Monthly => {
            let months = i64::from(t.month0()) + step;
            let year = t.year() + (months / 12) as i32;
            let month = (months % 12) as u32 + 1;
            NaiveDate::from_ymd_opt(year, month, t.day())
                .expect("day of month <= 28")
                .and_time(t.time())
        }
    }
}

impl EventSpec {
    /// Start of occurrence `k` as a local (or UTC) wall time, and its UTC seconds.
    fn occurrence(&self, k: u32) -> (NaiveDateTime, i64) {
        let (t, utc) = match self.start {
            Start::AllDay(d) => (d.and_hms_opt(0, 0, 0).expect("midnight"), true),
            Start::Utc(t) => (t, true),
            Start::Zurich(t) => (t, false),
        };
        let local = match self.rule {
            Some(r) => nth(t, r.freq, r.interval, k),
            None => t,
        };
        let secs = if utc {
            local.and_utc().timestamp()
        } else {
            zurich_utc(local)
        };
        (local, secs)
    }

    /// Calls `f(start, end)` (UTC seconds) for every instance starting before `before`, in
    /// order; stops early when `f` returns false.
    fn instances(&self, before: i64, mut f: impl FnMut(i64, i64) -> bool) {
        let len = self.minutes * 60;
        let Some(rule) = self.rule else {
            let (_, s) = self.occurrence(0);
            if s < before {
                f(s, s + len);
            }
            return;
        };
        for k in 0.. {
            if let End::Count(n) = rule.end
                && k >= n
            {
                return;
            }
            let (local, s) = self.occurrence(k);
            if let End::Until(u) = rule.end {
                // UNTIL is inclusive: a DATE for all-day events, else 23:59:59 UTC that day.
                let past = match self.start {
                    Start::AllDay(_) => local.date() > u,
                    _ => {
                        s > u
                            .and_hms_opt(23, 59, 59)
                            .expect("valid")
                            .and_utc()
                            .timestamp()
                    }
                };
                if past {
                    return;
                }
            }
            if s >= before || !f(s, s + len) {
                return;
            }
        }
    }

    /// True when an instance overlaps `[start, end)` (RFC 4791 §9.9; instances have a length).
    pub fn overlaps(&self, start: i64, end: i64) -> bool {
        let mut hit = false;
        self.instances(end, |s, e| {
            hit = e > start && s < end;
            !hit
        });
        hit
    }

    /// Busy intervals within `[start, end)`, clipped; none for all-day (transparent) events.
    pub fn busy(&self, start: i64, end: i64, out: &mut Vec<(i64, i64)>) {
        if matches!(self.start, Start::AllDay(_)) {
            return;
        }
        self.instances(end, |s, e| {
            if e > start && s < end {
                out.push((s.max(start), e.min(end)));
            }
            true
        });
    }

    /// The iCalendar text of the event (~600 bytes).
    pub fn render(&self) -> String {
        let i = self.i;
        let mut rng = Rng::new(0xB0D1 ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let stamp = NaiveDate::from_ymd_opt(2019, 12, 1)
            .expect("valid date")
            .and_hms_opt(8, 30, 0)
            .expect("valid time")
            + Duration::days(rng.below(1500) as i64);
        let ts = |t: NaiveDateTime| t.format("%Y%m%dT%H%M%S").to_string();
        let mut s = String::with_capacity(900);
        s.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//bench 1.0//EN\r\n");
        s.push_str("CALSCALE:GREGORIAN\r\nBEGIN:VEVENT\r\n");
        s.push_str(&format!("UID:{}\r\n", uid(EVENT_KIND, i)));
        s.push_str(&format!("DTSTAMP:{}Z\r\n", ts(stamp)));
        s.push_str(&format!("CREATED:{}Z\r\n", ts(stamp - Duration::days(2))));
        s.push_str(&format!("LAST-MODIFIED:{}Z\r\n", ts(stamp)));
        s.push_str("SEQUENCE:0\r\n");
        fold(&mut s, &format!("SUMMARY:{}", rng.pick(SUMMARIES)));
        match self.start {
            Start::AllDay(d) => {
                let end = d + Duration::days(self.minutes / 1440);
                s.push_str(&format!("DTSTART;VALUE=DATE:{}\r\n", d.format("%Y%m%d")));
                s.push_str(&format!("DTEND;VALUE=DATE:{}\r\n", end.format("%Y%m%d")));
                s.push_str("TRANSP:TRANSPARENT\r\n");
            }
            Start::Utc(t) => {
                s.push_str(&format!("DTSTART:{}Z\r\n", ts(t)));
                let end = t + Duration::minutes(self.minutes);
                s.push_str(&format!("DTEND:{}Z\r\n", ts(end)));
            }
            Start::Zurich(t) => {
                s.push_str(&format!("DTSTART;TZID=Europe/Zurich:{}\r\n", ts(t)));
                let end = t + Duration::minutes(self.minutes);
                s.push_str(&format!("DTEND;TZID=Europe/Zurich:{}\r\n", ts(end)));
            }
        }
        if let Some(rule) = self.rule {
            let freq = match rule.freq {
                Freq::Daily => "DAILY",
                Freq::Weekly => "WEEKLY",
                Freq::Monthly => "MONTHLY",
            };
            let mut line = format!("RRULE:FREQ={freq}");
            if rule.interval != 1 {
                line.push_str(&format!(";INTERVAL={}", rule.interval));
            }
            match rule.end {
                End::Count(n) => line.push_str(&format!(";COUNT={n}")),
                End::Until(u) if matches!(self.start, Start::AllDay(_)) => {
                    line.push_str(&format!(";UNTIL={}", u.format("%Y%m%d")));
                }
                End::Until(u) => line.push_str(&format!(";UNTIL={}T235959Z", u.format("%Y%m%d"))),
                End::Never => {}
            }
            line.push_str("\r\n");
            s.push_str(&line);
        }
        fold(&mut s, &format!("LOCATION:{}", rng.pick(LOCATIONS)));
        let description = rng.pick(DESCRIPTIONS);
        if !description.is_empty() {
            fold(&mut s, &format!("DESCRIPTION:{description}"));
        }
        s.push_str("STATUS:CONFIRMED\r\n");
        if rng.below(2) == 0 {
            let (f, l) = (rng.pick(FIRST), rng.pick(FIRST));
            fold(
                &mut s,
                &format!(
                    "ORGANIZER;CN={f} {l}:mailto:{}.{}@example.com",
                    f.to_lowercase(),
                    l.to_lowercase()
                ),
            );
            let f2 = rng.pick(FIRST);
            fold(
                &mut s,
                &format!(
                    "ATTENDEE;CN={f2};PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:{}@example.com",
                    f2.to_lowercase()
                ),
            );
        } else {
            s.push_str(&format!(
                "CATEGORIES:{}\r\n",
                rng.pick(&["Work", "Personal", "Family"])
            ));
        }
        if rng.below(3) == 0 {
            s.push_str("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\n");
            s.push_str("DESCRIPTION:Reminder\r\nEND:VALARM\r\n");
        }
        s.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
        s
    }
}

const NAME_A: [&str; 10] = [
    "Ber", "Kal", "Mon", "Tor", "Vel", "Dra", "Fen", "Gul", "Hau", "Lin",
];
const NAME_B: [&str; 10] = ["an", "el", "or", "un", "is", "ab", "et", "om", "ir", "uz"];
const NAME_C: [&str; 10] = [
    "thal", "berg", "mann", "ger", "ini", "ard", "sen", "ova", "ez", "ley",
];
const DOMAIN_A: [&str; 10] = [
    "nor", "sol", "qua", "zen", "pix", "lum", "tek", "vio", "cor", "mer",
];
const DOMAIN_B: [&str; 10] = ["ta", "ri", "lo", "va", "ne", "xo", "ca", "du", "fi", "ge"];
const DOMAIN_C: [&str; 10] = [
    "tech", "soft", "bank", "labs", "med", "works", "net", "data", "care", "group",
];

/// Synthetic last name number `n` (< 1000).
pub fn last_name(n: usize) -> String {
    format!(
        "{}{}{}",
        NAME_A[n / 100],
        NAME_B[n / 10 % 10],
        NAME_C[n % 10]
    )
}

/// Synthetic e-mail domain number `n` (< 1000), without the `.ch`.
pub fn domain(n: usize) -> String {
    format!(
        "{}{}{}",
        DOMAIN_A[n / 100],
        DOMAIN_B[n / 10 % 10],
        DOMAIN_C[n % 10]
    )
}

/// The searchable values of a contact, as the generator wrote them.
#[derive(Debug, Clone)]
pub struct ContactSpec {
    /// FN.
    pub full_name: String,
    /// EMAIL.
    pub email: String,
}

/// Contact `i`: its searchable values and its vCard 3.0 text (~300 bytes).
pub fn contact(i: usize) -> (ContactSpec, String) {
    let mut rng = Rng::new(0xC0DE ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let first = *rng.pick(FIRST);
    let last = last_name(rng.below(1000));
    let dom = domain(rng.below(1000));
    let org = rng.pick(ORGS);
    let spec = ContactSpec {
        full_name: format!("{first} {last}"),
        email: format!(
            "{}.{}{i}@{dom}.ch",
            first.to_lowercase(),
            last.to_lowercase()
        ),
    };
    let mut s = String::with_capacity(400);
    s.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    s.push_str(&format!("UID:{}\r\n", uid(CONTACT_KIND, i)));
    s.push_str(&format!("FN:{}\r\nN:{last};{first};;;\r\n", spec.full_name));
    s.push_str(&format!("ORG:{org}\r\n"));
    s.push_str(&format!("EMAIL;TYPE=INTERNET,WORK:{}\r\n", spec.email));
    s.push_str(&format!(
        "TEL;TYPE=CELL:+41 7{} {:03} {:02} {:02}\r\n",
        rng.below(10),
        rng.below(1000),
        rng.below(100),
        rng.below(100)
    ));
    s.push_str(&format!(
        "ADR;TYPE=WORK:;;Bahnhofstrasse {};Zürich;;8001;Switzerland\r\n",
        1 + rng.below(120)
    ));
    s.push_str("REV:2025-01-10T08:30:00Z\r\nEND:VCARD\r\n");
    (spec, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid")
            .and_utc()
            .timestamp()
    }

    #[test]
    fn sizes_are_realistic_and_one_in_twenty_recurs() {
        let avg = (0..1000)
            .map(|i| event_spec(i).render().len())
            .sum::<usize>()
            / 1000;
        assert!((450..750).contains(&avg), "event average {avg}");
        let avg = (0..1000).map(|i| contact(i).1.len()).sum::<usize>() / 1000;
        assert!((230..380).contains(&avg), "contact average {avg}");
        let recurring = (0..1000).filter(|&i| event_spec(i).rule.is_some()).count();
        assert_eq!(recurring, 50);
    }

    #[test]
    fn instances_follow_the_rule() {
        let spec = EventSpec {
            i: 0,
            start: Start::Utc(
                NaiveDate::from_ymd_opt(2025, 1, 31)
                    .and_then(|d| d.and_hms_opt(10, 0, 0))
                    .expect("valid"),
            ),
            minutes: 60,
            rule: Some(Rule {
                freq: Freq::Weekly,
                interval: 2,
                end: End::Until(NaiveDate::from_ymd_opt(2025, 3, 14).expect("valid")),
            }),
        };
        // Jan 31, Feb 14, Feb 28, Mar 14 (the UNTIL day itself is included).
        assert!(spec.overlaps(utc(2025, 3, 14), utc(2025, 3, 15)));
        assert!(!spec.overlaps(utc(2025, 3, 1), utc(2025, 3, 14)));
        assert!(!spec.overlaps(utc(2025, 3, 15), utc(2026, 1, 1)));
        let mut busy = Vec::new();
        spec.busy(utc(2025, 2, 1), utc(2025, 3, 1), &mut busy);
        assert_eq!(busy.len(), 2);
    }
}
