//! Generated test data: realistic, varied VEVENTs (~600 bytes, some recurring weekly, some
//! all-day, some with an alarm or attendees, local times in Europe/Zurich or UTC) and vCard 3.0
//! contacts (~300 bytes). Everything is derived from the item number, so a run is reproducible
//! and every UID is unique.

use chrono::{Datelike, Duration, NaiveDate};

/// A small deterministic PRNG (SplitMix64): good enough to vary data and pick hrefs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct numbers from `0..n` (`k` <= `n`), in random order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut chosen = std::collections::HashSet::with_capacity(k);
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let x = self.below(n);
            if chosen.insert(x) {
                out.push(x);
            }
        }
        out
    }
}

pub(crate) const FIRST: &[&str] = &[
    "Anna", "Luca", "Sofia", "Noah", "Mia", "Elias", "Léa", "Jonas", "Emma", "Matteo", "Chloé",
    "David", "Sara", "Julien", "Nina", "Marco", "Zoé", "Ben", "Lina", "Tobias",
];
const LAST: &[&str] = &[
    "Müller",
    "Meier",
    "Schmid",
    "Keller",
    "Weber",
    "Huber",
    "Rossi",
    "Dubois",
    "Favre",
    "Gerber",
    "Baumann",
    "Frei",
    "Moser",
    "Bianchi",
    "Brunner",
    "Fischer",
    "Zimmermann",
    "Roth",
];
pub(crate) const ORGS: &[&str] = &[
    "Infomaniak Network SA",
    "Acme Corp",
    "Helvetia Consulting GmbH",
    "Lakeside Dental",
    "Ville de Genève",
    "Example Labs",
];
pub(crate) const CITIES: &[(&str, &str)] = &[
    ("Genève", "1204"),
    ("Zürich", "8005"),
    ("Lausanne", "1003"),
    ("Basel", "4051"),
    ("Bern", "3011"),
    ("Lugano", "6900"),
];
pub(crate) const SUMMARIES: &[&str] = &[
    "Weekly team sync",
    "Dentist appointment",
    "Quarterly planning with the design team",
    "Lunch with Marco",
    "Customer call: migration of the mail platform",
    "Yoga class",
    "Sprint review and retrospective",
    "Flight GVA → AMS",
    "Parents' evening at school",
    "1:1 with manager",
    "Board meeting",
    "Football training",
];
pub(crate) const LOCATIONS: &[&str] = &[
    "Room 3.14\\, Rue Eugène-Marziano 25\\, Genève",
    "https://meet.example.com/abc-defg-hij",
    "Café du Centre",
    "Hardturmstrasse 161\\, Zürich",
    "Home office",
];
pub(crate) const DESCRIPTIONS: &[&str] = &[
    "Agenda: status of each workstream\\, risks and blockers\\, decisions needed. Please \
     update the tracking sheet beforehand.",
    "Bring the insurance card and the X-ray from last year.",
    "Dial-in: +41 22 820 35 00\\, PIN 4711#. The slides are in the shared folder.",
    "Discuss the roadmap for next quarter\\, hiring plan and budget. Notes will be \
     circulated afterwards.",
    "",
];

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.
pub(crate) fn fold(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// A UUID-shaped UID that is unique per (`kind`, `i`).
pub(crate) fn uid(kind: u64, i: usize) -> String {
    let mut rng = Rng::new(kind.wrapping_mul(1_000_003) ^ i as u64);
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:06x}{:06x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        (b >> 48) | 0x8000,
        (b >> 24) & 0xFF_FFFF,
        i & 0xFF_FFFF,
    )
}

/// Resource name of event `i` (`UID.ics`, as most clients name them).
pub fn event_name(i: usize) -> String {
    format!("{}.ics", uid(1, i))
}

/// Resource name of contact `i`.
pub fn contact_name(i: usize) -> String {
    format!("{}.vcf", uid(2, i))
}

/// Event `i` at revision `sequence` (a higher sequence changes the title, SEQUENCE and
/// timestamps, hence the ETag).
pub fn event(i: usize, sequence: u32) -> String {
    let mut rng = Rng::new(0xE7E7 ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    let day = base + Duration::days(rng.below(3 * 365) as i64);
    let hour = 7 + rng.below(12) as u32;
    let minute = *rng.pick(&[0u32, 15, 30, 45]);
    let length_min = *rng.pick(&[30i64, 45, 60, 60, 90, 120]);
    let start = day.and_hms_opt(hour, minute, 0).expect("valid time");
    let end = start + Duration::minutes(length_min);
    let stamp = (base - Duration::days(30) + Duration::days(rng.below(400) as i64))
        .and_hms_opt(8, 30, 0)
        .expect("valid time")
        + Duration::minutes(i64::from(sequence));
    let ts = |t: chrono::NaiveDateTime| t.format("%Y%m%dT%H%M%S").to_string();
    let kind = rng.below(10);
    let summary = rng.pick(SUMMARIES);
    let organizer = (rng.pick(FIRST), rng.pick(LAST));

    let mut s = String::with_capacity(900);
    s.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//bench 1.0//EN\r\n");
    s.push_str("CALSCALE:GREGORIAN\r\nBEGIN:VEVENT\r\n");
    s.push_str(&format!("UID:{}\r\n", uid(1, i)));
    s.push_str(&format!("DTSTAMP:{}Z\r\n", ts(stamp)));
    s.push_str(&format!("CREATED:{}Z\r\n", ts(stamp - Duration::days(2))));
    s.push_str(&format!("LAST-MODIFIED:{}Z\r\n", ts(stamp)));
    s.push_str(&format!("SEQUENCE:{sequence}\r\n"));
    if sequence == 0 {
        fold(&mut s, &format!("SUMMARY:{summary}"));
    } else {
        fold(&mut s, &format!("SUMMARY:{summary} (updated {sequence})"));
    }
    match kind {
        // All-day event.
        0 => {
            s.push_str(&format!("DTSTART;VALUE=DATE:{}\r\n", day.format("%Y%m%d")));
            let next = day + Duration::days(1);
            s.push_str(&format!("DTEND;VALUE=DATE:{}\r\n", next.format("%Y%m%d")));
            s.push_str("TRANSP:TRANSPARENT\r\n");
        }
        // UTC times (what many clients send for meetings with remote guests).
        1..=3 => {
            s.push_str(&format!("DTSTART:{}Z\r\n", ts(start)));
            s.push_str(&format!("DTEND:{}Z\r\n", ts(end)));
        }
        // Local time.
        _ => {
            s.push_str(&format!("DTSTART;TZID=Europe/Zurich:{}\r\n", ts(start)));
            s.push_str(&format!("DTEND;TZID=Europe/Zurich:{}\r\n", ts(end)));
        }
    }
    // One event in five recurs weekly: with a count, until a date, or without end.
    if i.is_multiple_of(5) {
        let byday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
            [day.weekday().num_days_from_monday() as usize];
        match i % 3 {
            0 => s.push_str(&format!("RRULE:FREQ=WEEKLY;BYDAY={byday};COUNT=20\r\n")),
            1 => s.push_str(&format!(
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY={byday};UNTIL={}T235959Z\r\n",
                (day + Duration::days(180)).format("%Y%m%d")
            )),
            _ => s.push_str(&format!("RRULE:FREQ=WEEKLY;BYDAY={byday}\r\n")),
        }
    }
    fold(&mut s, &format!("LOCATION:{}", rng.pick(LOCATIONS)));
    let description = rng.pick(DESCRIPTIONS);
    if !description.is_empty() {
        fold(&mut s, &format!("DESCRIPTION:{description}"));
    }
    s.push_str("STATUS:CONFIRMED\r\n");
    if rng.below(2) == 0 {
        let (f, l) = organizer;
        fold(
            &mut s,
            &format!(
                "ORGANIZER;CN={f} {l}:mailto:{}.{}@example.com",
                f.to_lowercase(),
                l.to_lowercase()
            ),
        );
        let (f2, l2) = (rng.pick(FIRST), rng.pick(LAST));
        fold(
            &mut s,
            &format!(
                "ATTENDEE;CN={f2} {l2};PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:{}@example.com",
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

/// Contact `i` as a vCard 3.0.
pub fn contact(i: usize) -> String {
    let mut rng = Rng::new(0xCA4D ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let org = rng.pick(ORGS);
    let (city, zip) = rng.pick(CITIES);
    let mut s = String::with_capacity(400);
    s.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
    s.push_str(&format!("UID:{}\r\n", uid(2, i)));
    s.push_str(&format!("FN:{first} {last}\r\nN:{last};{first};;;\r\n"));
    s.push_str(&format!("ORG:{org}\r\n"));
    s.push_str(&format!(
        "EMAIL;TYPE=INTERNET,WORK:{}.{}{i}@example.com\r\n",
        first.to_lowercase(),
        last.to_lowercase()
    ));
    s.push_str(&format!(
        "TEL;TYPE=CELL:+41 7{} {:03} {:02} {:02}\r\n",
        rng.below(10),
        rng.below(1000),
        rng.below(100),
        rng.below(100)
    ));
    s.push_str(&format!(
        "ADR;TYPE=WORK:;;Rue du Lac {};{city};;{zip};Switzerland\r\n",
        1 + rng.below(120)
    ));
    s.push_str("REV:2025-01-10T08:30:00Z\r\nEND:VCARD\r\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_unique_and_sizes_realistic() {
        let names: std::collections::HashSet<String> = (0..20_000).map(event_name).collect();
        assert_eq!(names.len(), 20_000);
        let avg = (0..1000).map(|i| event(i, 0).len()).sum::<usize>() / 1000;
        assert!((450..750).contains(&avg), "event average {avg}");
        let avg = (0..1000).map(|i| contact(i).len()).sum::<usize>() / 1000;
        assert!((230..380).contains(&avg), "contact average {avg}");
    }
}
