//! A whole calendar as one iCalendar stream (RFC 5545), for subscriptions (`webcal://`) to a
//! public link: the VCALENDAR an export writes ([`super::join::CalendarJoiner`]: every
//! component of every stored object, each VTIMEZONE once, before the first component that
//! uses it), under a header for subscribers: the calendar's name, `METHOD:PUBLISH` and how
//! often to look again.
//!
//! The objects' own lines are copied as they are (folding and escapes included); only their
//! VCALENDAR wrapper and its properties (VERSION, PRODID, CALSCALE, METHOD, X-WR-*) are
//! replaced by the stream's own. Lines are written with CRLF whatever the stored ends were.

use super::join::{CalendarJoiner, escape_text};
use super::vcard_convert::fold_into;

/// The stream's PRODID.
const PRODID: &str = "-//davsuite//public calendar//EN";

/// How often subscribers should look again (RFC 7986 REFRESH-INTERVAL, and the
/// X-PUBLISHED-TTL Outlook and Apple read).
const REFRESH: &str = "PT1H";

/// One VCALENDAR of `bodies`' components, named `name`.
pub fn calendar_stream<'b>(name: &str, bodies: impl IntoIterator<Item = &'b [u8]>) -> Vec<u8> {
    let mut header = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("NAME:{}", escape_text(name)),
        format!("X-WR-CALNAME:{}", escape_text(name)),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ] {
        fold_into(&mut header, &line);
    }
    let mut out = header.into_bytes();
    let mut joiner = CalendarJoiner::new();
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
            [a.as_bytes(), b.as_bytes(), c.as_bytes()],
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("BEGIN:VCALENDAR").count(), 1, "{text}");
        assert_eq!(text.matches("END:VCALENDAR").count(), 1);
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("BEGIN:VTODO").count(), 1);
        assert_eq!(text.matches("BEGIN:VALARM").count(), 1);
        assert_eq!(text.matches("VERSION:2.0").count(), 1);
        assert!(!text.contains("PRODID:-//x//y//EN"));
        assert!(
            text.contains("X-WR-CALNAME:Team\\, plans\\; 2025\r\n"),
            "{text}"
        );
        assert!(text.contains("SUMMARY:long text that goes on\r\n  and on\r\n"));
        assert!(text.find("BEGIN:VTIMEZONE") < text.find("BEGIN:VEVENT"));
        assert!(!text.contains("\r\r") && !text.replace("\r\n", "").contains('\n'));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        // It parses as one calendar.
        assert!(crate::ical::tree::parse(text.as_bytes()).is_some());
    }

    #[test]
    fn an_empty_calendar_is_still_a_calendar() {
        let text = String::from_utf8(calendar_stream("Empty", [])).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.contains("BEGIN:VEVENT"));
    }
}
