//! A whole calendar as one iCalendar stream (RFC 5545), for subscriptions (`webcal://`) to a
//! public link: one VCALENDAR holding every component of every stored object, each VTIMEZONE
//! once (by TZID, the first one seen wins), with the calendar's name.
//!
//! The objects' own lines are copied as they are (folding and escapes included); only their
//! VCALENDAR wrapper and its properties (VERSION, PRODID, CALSCALE, METHOD, X-WR-*) are
//! replaced by the stream's own. Lines are written with CRLF whatever the stored ends were.

use super::write::{escape_text as escape, fold_into};

/// The stream's PRODID.
const PRODID: &str = "-//davsuite//public calendar//EN";

/// How often subscribers should look again (RFC 7986 REFRESH-INTERVAL, and the
/// X-PUBLISHED-TTL Outlook and Apple read).
const REFRESH: &str = "PT1H";

/// The name of a `BEGIN:`/`END:` line (upper case), if it is one.
fn boundary(line: &str, keyword: &str) -> Option<String> {
    let (name, value) = line.split_once(':')?;
    name.eq_ignore_ascii_case(keyword)
        .then(|| value.trim().to_ascii_uppercase())
}

/// The TZID of a VTIMEZONE block (its first `TZID` property at the block's top level).
fn tzid(block: &[&str]) -> Option<String> {
    let mut depth = 0usize;
    for line in block {
        if boundary(line, "BEGIN").is_some() {
            depth += 1;
        } else if boundary(line, "END").is_some() {
            depth = depth.saturating_sub(1);
        } else if depth == 1 {
            let (name, value) = line.split_once(':')?;
            if name.split(';').next()?.eq_ignore_ascii_case("TZID") {
                return Some(value.trim().to_owned());
            }
        }
    }
    None
}

/// One VCALENDAR of `bodies`' components, named `name`.
pub fn calendar_stream<'b>(name: &str, bodies: impl IntoIterator<Item = &'b [u8]>) -> Vec<u8> {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("NAME:{}", escape(name)),
        format!("X-WR-CALNAME:{}", escape(name)),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ] {
        fold_into(&mut out, &line);
    }
    let mut zones: Vec<String> = Vec::new();
    let mut components = String::new();
    for body in bodies {
        let text = String::from_utf8_lossy(body);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.is_empty())
            .collect();
        // Depth 1 is inside VCALENDAR: its properties are dropped, its components copied.
        let mut depth = 0usize;
        let mut block: Vec<&str> = Vec::new();
        for line in lines {
            let continuation = line.starts_with([' ', '\t']);
            if !continuation && boundary(line, "BEGIN").is_some() {
                depth += 1;
                if depth >= 2 {
                    block.push(line);
                }
                continue;
            }
            if !continuation && boundary(line, "END").is_some() {
                if depth >= 2 {
                    block.push(line);
                }
                if depth == 2 {
                    let is_zone = block
                        .first()
                        .and_then(|l| boundary(l, "BEGIN"))
                        .is_some_and(|n| n == "VTIMEZONE");
                    let target = if is_zone {
                        match tzid(&block) {
                            Some(id) if zones.contains(&id) => None,
                            Some(id) => {
                                zones.push(id);
                                Some(&mut out)
                            }
                            None => Some(&mut out),
                        }
                    } else {
                        Some(&mut components)
                    };
                    if let Some(target) = target {
                        for l in &block {
                            target.push_str(l);
                            target.push_str("\r\n");
                        }
                    }
                    block.clear();
                }
                depth = depth.saturating_sub(1);
                continue;
            }
            if depth >= 2 {
                block.push(line);
            }
        }
    }
    // Time zones first, so a reader meets every TZID before the times that use it.
    out.push_str(&components);
    out.push_str("END:VCALENDAR\r\n");
    out.into_bytes()
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
