//! Stored objects joined into one file, object by object, so an export of any size is written
//! in pieces: a calendar becomes one VCALENDAR holding every object's components and each
//! VTIMEZONE once (RFC 5545 §3.6.5), an address book the concatenation of its cards. Lines are
//! copied as stored (only line ends become CRLF), and [`super::split`] cuts the result back
//! into the same objects. A joiner with a [`ComponentFilter`] (public links,
//! [`super::export`]) writes each component's unfolded lines through it, re-folded.
//!
//! One file can hold one definition per TZID, but two objects may define the same TZID
//! differently (Outlook names many zones "Customized Time Zone"): where the definition gives
//! the times (a TZID no name resolution knows, see `vtimezone::known_by_name`), the second
//! one is written under a new TZID (`Customized Time Zone (2)`), and that object's
//! components refer to it, so every event keeps its time when the file is imported again. A
//! known name (`Europe/Paris`, whose definitions differ from one client to the next) keeps the
//! first definition met, and the objects their TZIDs.

use std::collections::HashMap;

use super::blocks::{Block, Piece, Text, rename_tzids, scan};
use super::lines::{Format, unfold};
use super::split::calendar_header;
use super::vtimezone::known_by_name;
use super::write::{escape_text, fold_into};

/// What a joiner makes of one component (its unfolded lines, BEGIN and END included) before
/// writing it: public links leave out what is the owner's alone.
pub type ComponentFilter = fn(Vec<String>) -> Vec<String>;

/// Writes calendar objects into one VCALENDAR; remembers which VTIMEZONEs are written.
#[derive(Debug, Default)]
pub struct CalendarJoiner {
    /// The VTIMEZONEs written: their TZID in the file, their definition ([`definition`]).
    zones: HashMap<String, Vec<String>>,
    filter: Option<ComponentFilter>,
}

/// What tells two definitions of a TZID apart: the unfolded lines of the VTIMEZONE but its
/// TZID and the stamps of when it was written (`DTSTAMP`, `LAST-MODIFIED`).
fn definition(text: &Text<'_>, zone: &Block) -> Vec<String> {
    text.logical[zone.begin..=zone.end]
        .iter()
        .filter(|line| !matches!(line.name().as_str(), "TZID" | "DTSTAMP" | "LAST-MODIFIED"))
        .map(|line| line.text.clone().into_owned())
        .collect()
}

impl CalendarJoiner {
    /// A joiner that has written nothing yet and copies components as stored.
    pub fn new() -> Self {
        Self::default()
    }

    /// A joiner that writes every component through `filter`, re-folded.
    pub fn filtered(filter: ComponentFilter) -> Self {
        Self {
            zones: HashMap::new(),
            filter: Some(filter),
        }
    }

    /// Writes one component: as stored, or with the time zones of `renamed` renamed and
    /// through the filter, re-folded.
    fn write(
        &self,
        text: &Text<'_>,
        b: &Block,
        renamed: &HashMap<String, String>,
        out: &mut Vec<u8>,
    ) {
        if self.filter.is_none() && renamed.is_empty() {
            text.write_raw(b.begin, b.end, out);
            return;
        }
        let mut raw = Vec::new();
        text.write_raw(b.begin, b.end, &mut raw);
        let Ok(lines) = unfold(&String::from_utf8_lossy(&raw), Format::ICalendar) else {
            return;
        };
        let mut lines: Vec<String> = lines.into_iter().map(|l| l.text).collect();
        if !renamed.is_empty() {
            lines = lines.iter().map(|l| rename_tzids(l, renamed)).collect();
        }
        if let Some(filter) = self.filter {
            lines = filter(lines);
        }
        let mut folded = String::new();
        for line in lines {
            fold_into(&mut folded, &line);
        }
        out.extend_from_slice(folded.as_bytes());
    }

    /// The TZID under which the definition `definition` of `tzid` is in the file: `tzid`
    /// itself when it is known by name or no other definition was written under it, else the
    /// first of `tzid (2)`, `tzid (3)`, ... free or holding the same definition; and whether
    /// the zone still has to be written.
    fn zone_name(&mut self, tzid: &str, definition: Vec<String>) -> (String, bool) {
        if known_by_name(tzid) {
            let unwritten = !self.zones.contains_key(tzid);
            if unwritten {
                self.zones.insert(tzid.to_owned(), definition);
            }
            return (tzid.to_owned(), unwritten);
        }
        let mut name = tzid.to_owned();
        let mut n = 1;
        loop {
            match self.zones.get(&name) {
                Some(written) if *written == definition => return (name, false),
                Some(_) => {
                    n += 1;
                    name = format!("{tzid} ({n})");
                }
                None => {
                    self.zones.insert(name.clone(), definition);
                    return (name, true);
                }
            }
        }
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
        let mut renamed = HashMap::new();
        for piece in scan(&text, 0, text.logical.len(), &["VCALENDAR"]) {
            let Piece::Block(calendar) = piece else {
                continue;
            };
            for inner in scan(&text, calendar.begin + 1, calendar.end, &[]) {
                let Piece::Block(b) = inner else { continue };
                if b.name != "VTIMEZONE" {
                    components.push(b);
                    continue;
                }
                let Some(tzid) = b.property(&text, "TZID") else {
                    continue;
                };
                let (name, unwritten) = self.zone_name(&tzid, definition(&text, &b));
                let this_zone = if name == tzid {
                    HashMap::new()
                } else {
                    HashMap::from([(tzid.clone(), name.clone())])
                };
                if unwritten {
                    self.write(&text, &b, &this_zone, out);
                }
                renamed.extend(this_zone);
            }
        }
        for b in components {
            self.write(&text, &b, &renamed, out);
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
    fn a_tzid_defined_differently_by_two_objects_is_written_under_two_names() {
        let plus5 = |uid: &str| {
            object(uid, "Custom Zone")
                .replace("+0100", "+0500")
                .replace("DTSTART;TZID=Custom Zone", "DTSTART;TZID=\"Custom Zone\"")
        };
        let stamped = object("c", "Custom Zone").replace(
            "END:STANDARD",
            "END:STANDARD\nLAST-MODIFIED:20200101T000000Z",
        );
        let objects = [object("a", "Custom Zone"), plus5("b"), stamped, plus5("d")];
        let mut joiner = CalendarJoiner::new();
        let mut out = CalendarJoiner::header("Work");
        for o in &objects {
            joiner.push(o.as_bytes(), &mut out);
        }
        out.extend_from_slice(CalendarJoiner::footer());
        let file = String::from_utf8(out.clone()).unwrap();
        assert_eq!(file.matches("BEGIN:VTIMEZONE").count(), 2, "{file}");
        assert_eq!(
            file.matches("TZID:Custom Zone (2)\r\n").count(),
            1,
            "{file}"
        );
        assert_eq!(
            file.matches("DTSTART;TZID=\"Custom Zone (2)\":20240101T090000")
                .count(),
            2,
            "{file}"
        );
        assert_eq!(
            file.matches("DTSTART;TZID=Custom Zone:").count(),
            2,
            "stamps aside, one zone"
        );
        let split = split_calendar(&out);
        assert_eq!(split.items.len(), 4);
        for (item, offset) in split.items.iter().zip(["+0100", "+0500", "+0100", "+0500"]) {
            let body = String::from_utf8(item.body.clone()).unwrap();
            assert!(body.contains(&format!("TZOFFSETTO:{offset}")), "{body}");
        }
    }

    #[test]
    fn a_tzid_known_by_name_keeps_its_name_and_its_first_definition() {
        let variant = object("b", "Europe/Paris").replace("+0100", "+0200");
        let objects = [object("a", "Europe/Paris"), variant];
        let mut joiner = CalendarJoiner::new();
        let mut out = Vec::new();
        for o in &objects {
            joiner.push(o.as_bytes(), &mut out);
        }
        let file = String::from_utf8(out).unwrap();
        assert_eq!(file.matches("BEGIN:VTIMEZONE").count(), 1, "{file}");
        assert_eq!(
            file.matches("DTSTART;TZID=Europe/Paris:").count(),
            2,
            "{file}"
        );
        assert!(!file.contains("+0200"));
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
