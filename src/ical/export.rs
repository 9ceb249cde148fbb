//! A whole calendar as one iCalendar stream (RFC 5545), for subscriptions (`webcal://`) to a
//! public link: one VCALENDAR holding every component of every stored object, each VTIMEZONE
//! once (by TZID, the first one seen wins), with the calendar's name.
//!
//! The objects are read as unfolded content lines (a folded line is one line, whatever its
//! continuation holds) and written re-folded at 75 octets with CRLF; names, parameters, values
//! and escapes are kept as stored. Only their VCALENDAR wrapper and its properties (VERSION,
//! PRODID, CALSCALE, METHOD, X-WR-*) are replaced by the stream's own.

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

/// The TZID of a VTIMEZONE block (its unfolded lines, BEGIN and END included): the TZID
/// property at the block's top level.
fn tzid(block: &[String]) -> Option<String> {
    let mut depth = 0usize;
    for line in block {
        if boundary(line, "BEGIN").is_some() {
            depth += 1;
        } else if boundary(line, "END").is_some() {
            depth = depth.saturating_sub(1);
        } else if depth == 1 && property_name(line) == "TZID" {
            return line.split_once(':').map(|(_, v)| v.trim().to_owned());
        }
    }
    None
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
    let mut others = String::new();
    for body in bodies {
        for block in components(body) {
            let is_zone = block
                .first()
                .and_then(|l| boundary(l, "BEGIN"))
                .is_some_and(|n| n == "VTIMEZONE");
            let target = if is_zone {
                match tzid(&block) {
                    Some(id) if zones.contains(&id) => continue,
                    Some(id) => {
                        zones.push(id);
                        &mut out
                    }
                    None => &mut out,
                }
            } else {
                &mut others
            };
            for line in &block {
                fold_into(target, line);
            }
        }
    }
    // Time zones first, so a reader meets every TZID before the times that use it.
    out.push_str(&others);
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
        let text = String::from_utf8(calendar_stream("Cal", [a.as_bytes(), b.as_bytes()])).unwrap();
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(text.contains("X-LIC-LOCATION:Europe/Zurich\r\n"), "{text}");
    }

    #[test]
    fn an_empty_calendar_is_still_a_calendar() {
        let text = String::from_utf8(calendar_stream("Empty", [])).unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.contains("BEGIN:VEVENT"));
    }
}
