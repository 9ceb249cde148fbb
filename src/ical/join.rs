//! Stored objects joined into one file, object by object, so an export of any size is written
//! in pieces: a calendar becomes one VCALENDAR holding every object's components and each
//! VTIMEZONE once (RFC 5545 §3.6.5), an address book the concatenation of its cards. Lines are
//! copied as stored (only line ends become CRLF), and [`super::split`] cuts the result back
//! into the same objects. A joiner with a [`ComponentFilter`] (public links,
//! [`super::export`]) writes each component's unfolded lines through it, re-folded.

use std::collections::HashSet;

use super::blocks::{Block, Piece, Text, scan};
use super::lines::{Format, unfold};
use super::split::calendar_header;
use super::write::{escape_text, fold_into};

/// What a joiner makes of one component (its unfolded lines, BEGIN and END included) before
/// writing it: public links leave out what is the owner's alone.
pub type ComponentFilter = fn(Vec<String>) -> Vec<String>;

/// Writes calendar objects into one VCALENDAR; remembers which VTIMEZONEs are written.
#[derive(Debug, Default)]
pub struct CalendarJoiner {
    zones: HashSet<String>,
    filter: Option<ComponentFilter>,
}

impl CalendarJoiner {
    /// A joiner that has written nothing yet and copies components as stored.
    pub fn new() -> Self {
        Self::default()
    }

    /// A joiner that writes every component through `filter`, re-folded.
    pub fn filtered(filter: ComponentFilter) -> Self {
        Self {
            zones: HashSet::new(),
            filter: Some(filter),
        }
    }

    /// Writes one component: as stored, or through the filter.
    fn write(&self, text: &Text<'_>, b: &Block, out: &mut Vec<u8>) {
        let Some(filter) = self.filter else {
            text.write_raw(b.begin, b.end, out);
            return;
        };
        let mut raw = Vec::new();
        text.write_raw(b.begin, b.end, &mut raw);
        let Ok(lines) = unfold(&String::from_utf8_lossy(&raw), Format::ICalendar) else {
            return;
        };
        let mut folded = String::new();
        for line in filter(lines.into_iter().map(|l| l.text).collect()) {
            fold_into(&mut folded, &line);
        }
        out.extend_from_slice(folded.as_bytes());
    }

    /// The start of the file: the VCALENDAR header, with the calendar's name
    /// (`X-WR-CALNAME`, which calendar applications use to name an imported calendar).
    pub fn header(name: &str) -> Vec<u8> {
        let mut out = calendar_header();
        out.push_str("X-WR-CALNAME:");
        out.push_str(&escape_text(name));
        out.push_str("\r\n");
        out.into_bytes()
    }

    /// Appends the components of one stored object, after its VTIMEZONEs not written yet.
    pub fn push(&mut self, body: &[u8], out: &mut Vec<u8>) {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let Ok(text) = std::str::from_utf8(body) else {
            // Never stored: PUT and import refuse what is not UTF-8.
            return;
        };
        let text = Text::new(text);
        let mut components = Vec::new();
        for piece in scan(&text, 0, text.logical.len(), &["VCALENDAR"]) {
            let Piece::Block(calendar) = piece else {
                continue;
            };
            for inner in scan(&text, calendar.begin + 1, calendar.end, &[]) {
                let Piece::Block(b) = inner else { continue };
                if b.name != "VTIMEZONE" {
                    components.push(b);
                } else if let Some(tzid) = b.property(&text, "TZID")
                    && self.zones.insert(tzid)
                {
                    self.write(&text, &b, out);
                }
            }
        }
        for b in components {
            self.write(&text, &b, out);
        }
    }

    /// The end of the file.
    pub fn footer() -> &'static [u8] {
        b"END:VCALENDAR\r\n"
    }
}

/// Appends one stored vCard with CRLF line ends.
pub fn push_card(body: &[u8], out: &mut Vec<u8>) {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let text = Text::new(text);
    if !text.logical.is_empty() {
        text.write_raw(0, text.logical.len() - 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::split::{calendar_content, split_calendar, split_vcards};

    fn object(uid: &str, tzid: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTIMEZONE\nTZID:{tzid}\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:{uid}\nDTSTART;TZID={tzid}:20240101T090000\nEND:VEVENT\nEND:VCALENDAR\n"
        )
    }

    #[test]
    fn one_vcalendar_with_each_zone_once_that_splits_back() {
        let objects = [object("a", "Z1"), object("b", "Z1"), object("c", "Z2")];
        let mut joiner = CalendarJoiner::new();
        let mut out = CalendarJoiner::header("Work; home, etc");
        for o in &objects {
            joiner.push(o.as_bytes(), &mut out);
        }
        out.extend_from_slice(CalendarJoiner::footer());
        let file = String::from_utf8(out.clone()).unwrap();
        assert_eq!(file.matches("BEGIN:VCALENDAR").count(), 1);
        assert_eq!(file.matches("TZID:Z1").count(), 1);
        assert_eq!(file.matches("TZID:Z2").count(), 1);
        assert!(file.contains("X-WR-CALNAME:Work\\; home\\, etc\r\n"));
        assert!(
            !file.replace("\r\n", "").contains('\n'),
            "CRLF line ends only"
        );
        let split = split_calendar(&out);
        assert!(split.strays.is_empty());
        assert_eq!(split.items.len(), 3);
        for (item, original) in split.items.iter().zip(&objects) {
            assert_eq!(
                calendar_content(&item.body),
                calendar_content(original.as_bytes())
            );
        }
    }

    #[test]
    fn cards_are_concatenated_with_crlf() {
        let mut out = Vec::new();
        push_card(b"BEGIN:VCARD\nUID:1\nEND:VCARD", &mut out);
        push_card(b"BEGIN:VCARD\r\nUID:2\r\nEND:VCARD\r\n", &mut out);
        assert_eq!(
            out,
            b"BEGIN:VCARD\r\nUID:1\r\nEND:VCARD\r\nBEGIN:VCARD\r\nUID:2\r\nEND:VCARD\r\n"
        );
        assert_eq!(split_vcards(&out).items.len(), 2);
    }
}
