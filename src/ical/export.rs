//! A whole calendar as one iCalendar stream (RFC 5545), for subscriptions (`webcal://`) to a
//! public link: the VCALENDAR an export writes ([`super::join::CalendarJoiner`]: every
//! component of every stored object, each VTIMEZONE once (by TZID, the first one seen wins),
//! before the first component that uses it), under a header for subscribers: the calendar's
//! name (`NAME`, `X-WR-CALNAME`), time zone (`X-WR-TIMEZONE`, which Apple, Google and Outlook
//! read), `METHOD:PUBLISH` and how often to look again.
//!
//! A link is for anyone who holds it, so it leaves out what is the owner's alone:
//! - alarms (VALARM): reminders are the owner's, and subscribers would be woken by them;
//! - everything but the busy time of a component whose CLASS is not PUBLIC (PRIVATE,
//!   CONFIDENTIAL, or a value it does not know, which RFC 5545 §3.8.1.3 says to treat as
//!   PRIVATE): only its times and recurrence, UID, status and transparency stay, with
//!   `SUMMARY:Busy`; description, location, attendees and every other property and
//!   sub-component go.
//!
//! The objects are read as unfolded content lines (a folded line is one line, whatever its
//! continuation holds) and written re-folded at 75 octets with CRLF; names, parameters, values
//! and escapes are kept as stored. Only their VCALENDAR wrapper and its properties (VERSION,
//! PRODID, CALSCALE, METHOD, X-WR-*) are replaced by the stream's own.

use super::join::CalendarJoiner;
use super::lines::{Format, unfold};
use super::write::{escape_text as escape, fold_into};

/// The stream's PRODID.
const PRODID: &str = "-//davsuite//public calendar//EN";

/// How often subscribers should look again (RFC 7986 REFRESH-INTERVAL, and the
/// X-PUBLISHED-TTL Outlook and Apple read).
const REFRESH: &str = "PT1H";

/// The upper-case name of an unfolded content line's property (before its parameters).
fn property_name(line: &str) -> String {
    line.split([';', ':'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase()
}

/// The component a `BEGIN:`/`END:` line opens or closes (upper case), if it is such a line.
fn boundary(line: &str, keyword: &str) -> Option<String> {
    let (name, value) = line.split_once(':')?;
    name.trim()
        .eq_ignore_ascii_case(keyword)
        .then(|| value.trim().to_ascii_uppercase())
}

/// The value of the first property `name` (upper case) at the top level of a component
/// (its unfolded lines, BEGIN and END included), not in its sub-components.
fn top_level_value<'l>(block: &'l [String], name: &str) -> Option<&'l str> {
    let mut depth = 0usize;
    for line in block {
        if boundary(line, "BEGIN").is_some() {
            depth += 1;
        } else if boundary(line, "END").is_some() {
            depth = depth.saturating_sub(1);
        } else if depth == 1 && property_name(line) == name {
            return line.split_once(':').map(|(_, v)| v.trim());
        }
    }
    None
}

/// The TZID of a VTIMEZONE block.
fn tzid(block: &[String]) -> Option<String> {
    top_level_value(block, "TZID").map(str::to_owned)
}

/// What a component reduced to busy time keeps (besides its BEGIN and END): when it is, how
/// it repeats, which one it is, and whether it blocks time.
const BUSY_KEEPS: [&str; 14] = [
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DUE",
    "DURATION",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "SEQUENCE",
    "STATUS",
    "TRANSP",
    "CLASS",
];

/// The summary of a component reduced to busy time: the word calendar applications use for
/// busy time, whoever looks.
const BUSY_SUMMARY: &str = "SUMMARY:Busy";

/// True when the component `block` (its unfolded lines) shows only as busy time: its CLASS,
/// at its top level, is not PUBLIC.
fn is_private(block: &[String]) -> bool {
    top_level_value(block, "CLASS").is_some_and(|class| !class.eq_ignore_ascii_case("PUBLIC"))
}

/// What of the component `block` a link shows: without its alarms; its busy time only when it
/// is private.
fn published_lines(block: Vec<String>) -> Vec<String> {
    let private = is_private(&block);
    let mut out = Vec::with_capacity(block.len());
    // Depth of the line in the component (1: its own properties), and the depth at which a
    // left-out sub-component started.
    let mut depth = 0usize;
    let mut skipping: Option<usize> = None;
    for line in block {
        let begin = boundary(&line, "BEGIN");
        let end = boundary(&line, "END").is_some();
        if let Some(name) = &begin {
            depth += 1;
            if skipping.is_none() && depth > 1 && (private || name == "VALARM") {
                skipping = Some(depth);
            }
        }
        let keep = match skipping {
            Some(_) => false,
            None if depth == 1 && private && begin.is_none() && !end => {
                BUSY_KEEPS.contains(&property_name(&line).as_str())
            }
            None => true,
        };
        if end {
            if depth == 1 && private {
                out.push(BUSY_SUMMARY.to_owned());
            }
            if skipping == Some(depth) {
                skipping = None;
            }
            depth = depth.saturating_sub(1);
        }
        if keep {
            out.push(line);
        }
    }
    out
}

/// The TZID the calendar's `calendar-timezone` (a VCALENDAR holding one VTIMEZONE) names.
fn calendar_tzid(calendar_timezone: &str) -> Option<String> {
    components(calendar_timezone.as_bytes())
        .iter()
        .find(|block| {
            block
                .first()
                .and_then(|l| boundary(l, "BEGIN"))
                .is_some_and(|n| n == "VTIMEZONE")
        })
        .and_then(|block| tzid(block))
}

/// The components of one stored object (each as its unfolded lines, BEGIN and END included),
/// without their VCALENDAR; nothing for a body that cannot be read.
fn components(body: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    let Ok(lines) = unfold(&text, Format::ICalendar) else {
        return Vec::new();
    };
    // Depth 1 is inside VCALENDAR: its properties are dropped, its components kept.
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    for line in lines {
        let line = line.text;
        if boundary(&line, "BEGIN").is_some() {
            depth += 1;
        }
        let end = boundary(&line, "END").is_some();
        if depth >= 2 {
            block.push(line);
        }
        if end {
            if depth == 2 {
                out.push(std::mem::take(&mut block));
            }
            depth = depth.saturating_sub(1);
        }
    }
    out
}

/// One VCALENDAR of what a link shows of `bodies`' components, for a calendar named `name`
/// whose `calendar-timezone` is `calendar_timezone`.
pub fn calendar_stream<'b>(
    name: &str,
    calendar_timezone: Option<&str>,
    bodies: impl IntoIterator<Item = &'b [u8]>,
) -> Vec<u8> {
    let mut out = String::new();
    let mut header = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("NAME:{}", escape(name)),
        format!("X-WR-CALNAME:{}", escape(name)),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ];
    if let Some(tzid) = calendar_timezone.and_then(calendar_tzid) {
        header.push(format!("X-WR-TIMEZONE:{}", escape(&tzid)));
    }
    for line in &header {
        fold_into(&mut out, line);
    }
    let mut out = out.into_bytes();
    let mut joiner = CalendarJoiner::filtered(published_lines);
    for body in bodies {
        joiner.push(body, &mut out);
    }
    out.extend_from_slice(CalendarJoiner::footer());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\nBEGIN:STANDARD\r\n\
        DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
        END:STANDARD\r\nEND:VTIMEZONE\r\n";

    fn object(uid: &str, extra: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\n\
             {ZONE}BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=Europe/Zurich:20250101T100000\r\n\
             SUMMARY:long text that goes on\r\n  and on\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    #[test]
    fn one_vcalendar_each_zone_once_and_every_component() {
        let a = object("a", "");
        let b = object(
            "b",
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n",
        );
        // A todo stored with LF line ends.
        let c = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTODO\nUID:c\nEND:VTODO\nEND:VCALENDAR\n";
        let out = calendar_stream(
            "Team, plans; 2025",
            None,
            [a.as_bytes(), b.as_bytes(), c.as_bytes()],
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1, "{text}");
        assert_eq!(text.matches("END:VCALENDAR").count(), 1);
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("BEGIN:VTODO").count(), 1);
        assert!(
            !text.contains("VALARM") && !text.contains("TRIGGER"),
            "{text}"
        );
        assert_eq!(text.matches("VERSION:2.0").count(), 1);
        assert!(!text.contains("PRODID:-//x//y//EN"));
        assert!(
            text.contains("X-WR-CALNAME:Team\\, plans\\; 2025\r\n"),
            "{text}"
        );
        // Unfolded and folded again: the text is the same.
        assert!(
            text.contains("SUMMARY:long text that goes on and on\r\n"),
            "{text}"
        );
        assert!(text.find("BEGIN:VTIMEZONE") < text.find("BEGIN:VEVENT"));
        assert!(!text.contains("\r\r") && !text.replace("\r\n", "").contains('\n'));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        // It parses as one calendar.
        assert!(crate::ical::tree::parse(text.as_bytes()).is_some());
    }

    /// Regression: a folded line before TZID made the zone's TZID unreadable, so the zone was
    /// sent once per object.
    #[test]
    fn a_folded_line_before_tzid_still_names_the_zone() {
        let zone = "BEGIN:VTIMEZONE\r\nX-LIC-LOCATION:Europe/Zu\r\n rich\r\nTZID:Europe/Zurich\r\n\
            BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\n\
            TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
        let object = |uid: &str| {
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{zone}BEGIN:VEVENT\r\nUID:{uid}\r\n\
                 DTSTART;TZID=Europe/Zurich:20250101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            )
        };
        let (a, b) = (object("a"), object("b"));
        let text =
            String::from_utf8(calendar_stream("Cal", None, [a.as_bytes(), b.as_bytes()])).unwrap();
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(text.contains("X-LIC-LOCATION:Europe/Zurich\r\n"), "{text}");
    }

    #[test]
    fn private_components_show_as_busy_time_only() {
        let event = |uid: &str, class: &str| {
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
                 DTSTAMP:20250101T000000Z\r\nDTSTART:20250102T100000Z\r\nDTEND:20250102T110000Z\r\n\
                 RRULE:FREQ=WEEKLY;COUNT=3\r\n{class}SUMMARY:Salary talk {uid}\r\n\
                 DESCRIPTION:Numbers\r\nLOCATION:Room 4\r\nATTENDEE;CN=Boss:mailto:boss@x\r\n\
                 ORGANIZER:mailto:me@x\r\nX-APPLE-TRAVEL-ADVISORY:1\r\nBEGIN:VALARM\r\n\
                 ACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:Alarm\r\nEND:VALARM\r\n\
                 END:VEVENT\r\nEND:VCALENDAR\r\n"
            )
        };
        let private = event("p", "CLASS:PRIVATE\r\n");
        let confidential = event("c", "CLASS:CONFIDENTIAL\r\n");
        let unknown = event("u", "CLASS:X-SECRET\r\n");
        let public = event("o", "CLASS:PUBLIC\r\n");
        let plain = event("n", "");
        let text = String::from_utf8(calendar_stream(
            "Cal",
            None,
            [&private, &confidential, &unknown, &public, &plain].map(|b| b.as_bytes()),
        ))
        .unwrap();
        assert!(crate::ical::tree::parse(text.as_bytes()).is_some());
        let events: Vec<&str> = text.split("BEGIN:VEVENT\r\n").skip(1).collect();
        assert_eq!(events.len(), 5);
        for (event, uid) in events.iter().zip(["p", "c", "u"]) {
            assert!(event.starts_with(&format!("UID:{uid}\r\n")), "{event}");
            for kept in [
                "DTSTAMP:",
                "DTSTART:",
                "DTEND:",
                "RRULE:",
                "CLASS:",
                "SUMMARY:Busy\r\nEND:VEVENT",
            ] {
                assert!(event.contains(kept), "{kept} missing: {event}");
            }
            for gone in [
                "Salary",
                "Numbers",
                "Room 4",
                "ATTENDEE",
                "ORGANIZER",
                "X-APPLE",
                "ALARM",
            ] {
                assert!(!event.contains(gone), "{gone} shown: {event}");
            }
        }
        for event in &events[3..] {
            assert!(event.contains("SUMMARY:Salary talk") && event.contains("LOCATION:Room 4"));
            assert!(!event.contains("ALARM"), "{event}");
        }
    }

    #[test]
    fn the_calendars_time_zone_is_named() {
        let timezone =
            format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{ZONE}END:VCALENDAR\r\n");
        let text = String::from_utf8(calendar_stream("Cal", Some(&timezone), [])).unwrap();
        assert!(text.contains("X-WR-TIMEZONE:Europe/Zurich\r\n"), "{text}");
        assert!(!text.contains("BEGIN:VTIMEZONE"), "named, not sent: {text}");
        let text = String::from_utf8(calendar_stream("Cal", Some("garbage"), [])).unwrap();
        assert!(!text.contains("X-WR-TIMEZONE"), "{text}");
    }

    #[test]
    fn an_empty_calendar_is_still_a_calendar() {
        let text = String::from_utf8(calendar_stream("Empty", None, [])).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.contains("BEGIN:VEVENT"));
    }
}
