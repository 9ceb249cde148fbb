//! Files holding many objects, split into the objects a collection stores: an `.ics` export
//! (any number of VCALENDARs, events and tasks, a recurring series with its overrides anywhere
//! in the file) becomes one calendar object per UID with the VTIMEZONEs its components use; a
//! `.vcf` becomes one object per card. Lines are copied as written (only line ends become
//! CRLF); nothing is validated here, each object is validated as a PUT body would be.
//!
//! Decisions:
//! - Every calendar object gets the same VCALENDAR header ([`PRODID`], VERSION 2.0) and no
//!   calendar-level property of the file: METHOD (exports carry `METHOD:PUBLISH`), CALSCALE,
//!   X-WR-CALNAME and the like describe the file, not an object. So importing a file twice, or
//!   importing an export, gives the same bytes.
//! - VTIMEZONEs come first, in the order the components first use them, then the components
//!   in file order. A TZID the file defines more than once (several VCALENDARs pasted
//!   together, each with its "Custom Time Zone") is taken from the component's own
//!   VCALENDAR, else the nearest definition before it, else the first after it: the one in
//!   force where the component was written. (Exports never need this: the joiner renames a
//!   second definition, see [`super::join`].)
//! - A component or card without UID (several exporters leave it out: Outlook events,
//!   Gmail and iPhone contacts) gets one, derived from its content, so it can be stored and
//!   importing the same file again finds it: a UUID-shaped hash of its lines, written right
//!   after its `BEGIN` (after `VERSION` in a card). Such a component is an object of its own,
//!   never merged with another.

use std::collections::HashMap;
use std::ops::Range;

use super::blocks::{Block, Piece, Text, scan};

/// The product identifier written into the header of every object split from a file and of
/// every export.
pub const PRODID: &str = "-//davsuite//davsuite//EN";

/// Components that sit directly inside VCALENDAR and cannot be nested in each other.
pub(super) const CALENDAR_COMPONENTS: [&str; 6] = [
    "VEVENT",
    "VTODO",
    "VJOURNAL",
    "VFREEBUSY",
    "VTIMEZONE",
    "VCALENDAR",
];

/// One object found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// 1-based line of the file where it starts (its first `BEGIN`).
    pub line: usize,
    /// Its UID as written, or the one derived for it when it had none.
    pub uid: String,
    /// True when the file gave it no UID and [`Item::uid`] was derived from its content.
    pub uid_added: bool,
    /// True for calendar components of a UID from the file that all carry a RECURRENCE-ID:
    /// changed occurrences of a series without the series itself (an invitation update),
    /// which an import merges into the stored series of that UID.
    pub overrides_only: bool,
    /// The object: one VCALENDAR with the components of one UID and the VTIMEZONEs they
    /// use, or one VCARD; CRLF line ends.
    pub body: Vec<u8>,
    /// For each line of `body`, its 1-based line in the file (0 for the lines the split
    /// wrote: the VCALENDAR header and end, a derived UID).
    pub origin: Vec<usize>,
}

impl Item {
    /// `message` (about `body`, as validation words it) with every "line N" turned into the
    /// file's line number, so the person importing finds the line in their file.
    pub fn file_message(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(at) = rest.find("line ") {
            let (before, after) = rest.split_at(at + "line ".len());
            out.push_str(before);
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let file_line = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.origin.get(n.checked_sub(1)?))
                .filter(|n| **n > 0);
            match file_line {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str(&after[..digits]),
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }
}

/// An object being written line by line, with where each line came from.
#[derive(Default)]
struct Builder {
    body: Vec<u8>,
    origin: Vec<usize>,
}

impl Builder {
    /// Appends one line (`file_line` 0: written by the split).
    fn line(&mut self, text: &str, file_line: usize) {
        self.body.extend_from_slice(text.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self.origin.push(file_line);
    }

    /// Appends logical lines `from..=to` of `text` as written.
    fn raw(&mut self, text: &Text<'_>, from: usize, to: usize) {
        for (number, line) in text.raw_lines(from, to) {
            self.line(line, number);
        }
    }

    /// Appends a component, with `UID:uid` after its line `after` when `uid` is given.
    fn block(&mut self, text: &Text<'_>, b: &Block, uid: Option<(&str, usize)>) {
        match uid {
            Some((uid, after)) => {
                self.raw(text, b.begin, after);
                self.line(&format!("UID:{uid}"), 0);
                self.raw(text, after + 1, b.end);
            }
            None => self.raw(text, b.begin, b.end),
        }
    }
}

/// A UID for a component or card that has none: a UUID-shaped hash of its lines, so the same
/// content always gets the same UID.
fn derived_uid(text: &Text<'_>, b: &Block) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (_, line) in text.raw_lines(b.begin, b.end) {
        hash.update(line.as_bytes());
        hash.update(b"\r\n");
    }
    let h: String = hash
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Part of a file that belongs to no object: a component never closed, text outside any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    /// 1-based line where it starts.
    pub line: usize,
    /// What is wrong, for the person importing.
    pub message: String,
}

/// A file cut into objects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// The objects, in the order their first line appears.
    pub items: Vec<Item>,
    /// What could not be made into an object.
    pub strays: Vec<Stray>,
}

/// The text of a file without its byte-order mark, or the split of a file that cannot be
/// read: no object, one stray saying why.
fn decode(data: &[u8]) -> Result<&str, Split> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    std::str::from_utf8(data).map_err(|e| {
        let line = 1 + data[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        Split {
            items: Vec::new(),
            strays: vec![Stray {
                line,
                message: format!(
                    "the file is not UTF-8 (invalid byte on line {line}); save it as UTF-8 and \
                     import it again"
                ),
            }],
        }
    })
}

/// Reports runs of lines outside any component as one stray each.
fn stray_lines(text: &Text<'_>, lines: &[usize], outside: &str, strays: &mut Vec<Stray>) {
    let mut run_start: Option<usize> = None;
    for (k, &i) in lines.iter().enumerate() {
        let start = *run_start.get_or_insert(i);
        let next_follows = lines.get(k + 1) == Some(&(i + 1));
        if !next_follows {
            let (first, last) = (text.logical[start].number, text.logical[i].number);
            let at = if first == last {
                format!("line {first}")
            } else {
                format!("lines {first}-{last}")
            };
            strays.push(Stray {
                line: first,
                message: format!(
                    "{at}: \"{}\" is outside {outside} and was left out",
                    super::lines::excerpt(&text.logical[start].text)
                ),
            });
            run_start = None;
        }
    }
}

/// The components of one UID (or one component without UID), while the file is read.
struct Group {
    line: usize,
    uid: String,
    /// True when the one component had no UID and `uid` was derived.
    uid_added: bool,
    /// Whether a component without RECURRENCE-ID (the master) is among `blocks`.
    master: bool,
    /// The RECURRENCE-ID values of the overrides among `blocks`.
    recurrence_ids: Vec<String>,
    blocks: Vec<Block>,
}

impl Group {
    /// A group of one component.
    fn new(text: &Text<'_>, b: Block, uid: String, uid_added: bool) -> Group {
        let mut group = Group {
            line: b.line(text),
            uid,
            uid_added,
            master: false,
            recurrence_ids: Vec::new(),
            blocks: Vec::new(),
        };
        let id = recurrence_id(text, &b);
        group.add(b, id);
        group
    }

    /// Whether a component with `recurrence_id` (`None`: a master) belongs with this group:
    /// a series holds one master and one override per occurrence; a second one is a
    /// duplicate, an object of its own that the import refuses at its line.
    fn takes(&self, recurrence_id: Option<&String>) -> bool {
        match recurrence_id {
            None => !self.master,
            Some(id) => !self.recurrence_ids.contains(id),
        }
    }

    fn add(&mut self, b: Block, recurrence_id: Option<String>) {
        match recurrence_id {
            None => self.master = true,
            Some(id) => self.recurrence_ids.push(id),
        }
        self.blocks.push(b);
    }
}

/// The RECURRENCE-ID value of a component (parameters aside), `None` for a master.
fn recurrence_id(text: &Text<'_>, b: &Block) -> Option<String> {
    b.property(text, "RECURRENCE-ID")
}

/// Splits an iCalendar file into calendar objects, one per UID.
pub fn split_calendar(data: &[u8]) -> Split {
    let text = match decode(data) {
        Ok(text) => Text::new(text),
        Err(unreadable) => return unreadable,
    };
    let mut strays = Vec::new();
    let mut outside = Vec::new();
    let mut zones: HashMap<String, Vec<Zone>> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_uid: HashMap<String, usize> = HashMap::new();
    for piece in scan(&text, 0, text.logical.len(), &["VCALENDAR"]) {
        // The lines inside each VCALENDAR; one never closed (a truncated file) still gives
        // the complete components it holds.
        let (from, to) = match piece {
            Piece::Block(b) if b.name == "VCALENDAR" => (b.begin + 1, b.end),
            Piece::Broken {
                begin,
                resume,
                message,
            } => {
                strays.push(Stray {
                    line: text.logical[begin].number,
                    message,
                });
                (begin + 1, resume)
            }
            Piece::Block(b) => {
                outside.extend(b.begin..=b.end);
                continue;
            }
            Piece::Line(i) => {
                outside.push(i);
                continue;
            }
        };
        for inner in scan(&text, from, to, &CALENDAR_COMPONENTS) {
            match inner {
                Piece::Block(b) if b.name == "VTIMEZONE" => {
                    if let Some(tzid) = b.property(&text, "TZID") {
                        zones.entry(tzid).or_default().push(Zone {
                            calendar: from..to,
                            block: b,
                        });
                    }
                }
                Piece::Block(b) => match b.property(&text, "UID") {
                    Some(uid) => {
                        let id = recurrence_id(&text, &b);
                        match by_uid.get(&uid) {
                            Some(&g) if groups[g].takes(id.as_ref()) => groups[g].add(b, id),
                            // A second master or override: an object of its own, refused by
                            // the import as a duplicate at its own line.
                            Some(_) => groups.push(Group::new(&text, b, uid, false)),
                            None => {
                                by_uid.insert(uid.clone(), groups.len());
                                groups.push(Group::new(&text, b, uid, false));
                            }
                        }
                    }
                    None => {
                        let uid = derived_uid(&text, &b);
                        groups.push(Group::new(&text, b, uid, true));
                    }
                },
                // Properties of the VCALENDAR itself (PRODID, METHOD, X-WR-*): not content.
                Piece::Line(_) => {}
                Piece::Broken { begin, message, .. } => strays.push(Stray {
                    line: text.logical[begin].number,
                    message,
                }),
            }
        }
    }
    stray_lines(
        &text,
        &outside,
        "BEGIN:VCALENDAR ... END:VCALENDAR",
        &mut strays,
    );
    strays.sort_by_key(|s| s.line);
    let items = groups
        .into_iter()
        .map(|g| compose(&text, g, &zones))
        .collect();
    Split { items, strays }
}

/// The VCALENDAR header every split object and every export starts with.
pub fn calendar_header() -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\n")
}

/// One definition of a TZID in a file.
struct Zone {
    /// The lines of the VCALENDAR it is in.
    calendar: Range<usize>,
    block: Block,
}

/// Which of the definitions of a TZID (in file order, at least one) a component starting at
/// logical line `at` uses: the one of its own VCALENDAR (where RFC 5545 allows one per TZID),
/// else the nearest before it (files made of several calendars, each with its zones first),
/// else the first after it.
fn zone_for(definitions: &[Zone], at: usize) -> &Zone {
    definitions
        .iter()
        .find(|z| z.calendar.contains(&at))
        .or_else(|| definitions.iter().rev().find(|z| z.block.begin < at))
        .unwrap_or(&definitions[0])
}

/// One calendar object: the header, the VTIMEZONEs the group's components use (known ones,
/// in order of first use; where the file defines a TZID more than once, the definition
/// [`zone_for`] the first component using it), the components.
fn compose(text: &Text<'_>, group: Group, zones: &HashMap<String, Vec<Zone>>) -> Item {
    let mut used: Vec<(String, usize)> = Vec::new();
    for b in &group.blocks {
        for line in &text.logical[b.begin..=b.end] {
            for tzid in line.tzids() {
                if !used.iter().any(|(u, _)| *u == tzid) {
                    used.push((tzid, b.begin));
                }
            }
        }
    }
    let mut out = Builder::default();
    for line in calendar_header().lines() {
        out.line(line, 0);
    }
    for (tzid, at) in &used {
        if let Some(definitions) = zones.get(tzid).filter(|d| !d.is_empty()) {
            let zone = &zone_for(definitions, *at).block;
            out.raw(text, zone.begin, zone.end);
        }
    }
    for b in &group.blocks {
        let added = group.uid_added.then_some((group.uid.as_str(), b.begin));
        out.block(text, b, added);
    }
    out.line("END:VCALENDAR", 0);
    Item {
        line: group.line,
        uid: group.uid,
        uid_added: group.uid_added,
        // A component without UID names no series: it stays an object of its own.
        overrides_only: !group.master && !group.uid_added,
        body: out.body,
        origin: out.origin,
    }
}

/// Splits a vCard file into cards.
pub fn split_vcards(data: &[u8]) -> Split {
    let text = match decode(data) {
        Ok(text) => Text::new(text),
        Err(unreadable) => return unreadable,
    };
    let mut split = Split::default();
    let mut outside = Vec::new();
    for piece in scan(&text, 0, text.logical.len(), &["VCARD"]) {
        match piece {
            Piece::Block(b) if b.name == "VCARD" => split.items.push(card(&text, &b)),
            Piece::Block(b) => outside.extend(b.begin..=b.end),
            Piece::Line(i) => outside.push(i),
            Piece::Broken { begin, message, .. } => split.strays.push(Stray {
                line: text.logical[begin].number,
                message,
            }),
        }
    }
    stray_lines(
        &text,
        &outside,
        "BEGIN:VCARD ... END:VCARD",
        &mut split.strays,
    );
    split.strays.sort_by_key(|s| s.line);
    split
}

/// One card as written, with a derived UID after its VERSION (RFC 6350 §6.7.9 wants VERSION
/// right after BEGIN) when it has none.
fn card(text: &Text<'_>, b: &Block) -> Item {
    let mut out = Builder::default();
    let (uid, uid_added) = match b.property(text, "UID") {
        Some(uid) => {
            out.raw(text, b.begin, b.end);
            (uid, false)
        }
        None => {
            let uid = derived_uid(text, b);
            let version = b.begin + 1;
            let after = if text.logical[version].name() == "VERSION" {
                version
            } else {
                b.begin
            };
            out.block(text, b, Some((&uid, after)));
            (uid, true)
        }
    };
    Item {
        line: b.line(text),
        uid,
        uid_added,
        overrides_only: false,
        body: out.body,
        origin: out.origin,
    }
}

/// What an import compares to tell an unchanged object from a changed one: the unfolded lines
/// of its calendar components (everything but the VTIMEZONEs and the VCALENDAR's own
/// properties), line ends and folding aside. Time zone definitions are left out on purpose: an
/// object that carried none (an IANA TZID) comes back from an export with the definition
/// another object of the file carried, and must still compare equal to what it came from.
pub fn calendar_content(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    let text = Text::new(&text);
    let mut lines = Vec::new();
    for piece in scan(&text, 0, text.logical.len(), &["VCALENDAR"]) {
        let Piece::Block(calendar) = piece else {
            continue;
        };
        for inner in scan(
            &text,
            calendar.begin + 1,
            calendar.end,
            &CALENDAR_COMPONENTS,
        ) {
            if let Piece::Block(b) = inner
                && b.name != "VTIMEZONE"
            {
                lines.extend(
                    text.logical[b.begin..=b.end]
                        .iter()
                        .map(|l| l.text.clone().into_owned()),
                );
            }
        }
    }
    lines
}

/// [`calendar_content`] for a vCard: its unfolded lines.
pub fn card_content(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    Text::new(&text)
        .logical
        .into_iter()
        .map(|line| line.text.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZURICH: &str = "BEGIN:VTIMEZONE\nTZID:Europe/Zurich\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n";

    fn text(body: &[u8]) -> String {
        String::from_utf8(body.to_vec()).expect("utf-8")
    }

    #[test]
    fn a_series_and_its_overrides_become_one_object_with_its_zone() {
        let file = format!(
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:PUBLISH\nX-WR-CALNAME:Work\n\
             BEGIN:VEVENT\nUID:s\nRECURRENCE-ID;TZID=Europe/Zurich:20240108T090000\n\
             DTSTART;TZID=Europe/Zurich:20240108T100000\nEND:VEVENT\n\
             BEGIN:VTODO\nUID:t\nSUMMARY:long\n  text\nEND:VTODO\n\
             {ZURICH}\
             BEGIN:VEVENT\nUID:s\nDTSTART;TZID=Europe/Zurich:20240101T090000\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n\
             END:VCALENDAR\n"
        );
        let split = split_calendar(file.as_bytes());
        assert!(split.strays.is_empty(), "{:?}", split.strays);
        assert_eq!(split.items.len(), 2);
        let series = &split.items[0];
        assert_eq!((series.line, series.uid.as_str()), (6, "s"));
        let body = text(&series.body);
        assert!(
            body.starts_with(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//davsuite//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n"
            ),
            "{body}"
        );
        assert!(!body.contains("METHOD") && !body.contains("X-WR-CALNAME"));
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 2);
        assert!(
            body.find("RECURRENCE-ID").unwrap() < body.find("RRULE").unwrap(),
            "file order"
        );
        assert!(body.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let task = text(&split.items[1].body);
        assert!(!task.contains("VTIMEZONE"), "unused zones stay out");
        assert!(
            task.contains("SUMMARY:long\r\n  text\r\n"),
            "folding kept: {task}"
        );
    }

    #[test]
    fn a_second_master_or_override_of_a_uid_is_an_object_of_its_own_at_its_line() {
        let file = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n\
                    BEGIN:VEVENT\nUID:d1\nDTSTART:20240101T090000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:other\nDTSTART:20240101T090000Z\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:d1\nDTSTART:20240105T090000Z\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:d1\nRECURRENCE-ID:20240102T090000Z\nDTSTART:20240102T100000Z\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:d1\nRECURRENCE-ID:20240102T090000Z\nDTSTART:20240102T110000Z\nEND:VEVENT\n\
                    END:VCALENDAR\n";
        let split = split_calendar(file.as_bytes());
        let shape: Vec<(usize, &str, usize)> = split
            .items
            .iter()
            .map(|i| {
                let body = std::str::from_utf8(&i.body).expect("utf-8");
                (i.line, i.uid.as_str(), body.matches("BEGIN:VEVENT").count())
            })
            .collect();
        assert_eq!(
            shape,
            [(4, "d1", 2), (9, "other", 1), (13, "d1", 1), (22, "d1", 1)],
            "the first master keeps its override; the second master and the second override \
             of one RECURRENCE-ID stand apart, at their own lines"
        );
        assert!(!split.items[0].overrides_only && split.items[3].overrides_only);
        assert!(text(&split.items[0].body).contains("DTSTART:20240102T100000Z"));
    }

    #[test]
    fn strays_and_broken_components_are_reported_with_their_lines() {
        let file = "hello\nworld\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VEVENT\nUID:b\nEND:VEVENT\nBEGIN:VTODO\nUID:c\nEND:VCALENDAR\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:no-end\nEND:VEVENT\nBEGIN:VTODO\nUID:truncated";
        let split = split_calendar(file.as_bytes());
        let uids: Vec<_> = split.items.iter().map(|i| i.uid.as_str()).collect();
        assert_eq!(
            uids,
            ["b", "no-end"],
            "a truncated file keeps its complete components"
        );
        let lines: Vec<usize> = split.strays.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 4, 9, 12, 16], "{:?}", split.strays);
        assert!(
            split.strays[0]
                .message
                .starts_with("lines 1-2: \"hello\" is outside")
        );
        assert!(
            split.strays[1]
                .message
                .contains("not closed before BEGIN:VEVENT on line 6")
        );
        assert!(split.strays[2].message.contains("never closed"));
        assert!(
            split.strays[3]
                .message
                .contains("BEGIN:VCALENDAR on line 12 is never closed")
        );
    }

    #[test]
    fn components_without_uid_get_one_and_stay_apart_and_uids_are_case_sensitive() {
        let file = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:a\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:b\nEND:VEVENT\nBEGIN:VEVENT\nUID:X\nEND:VEVENT\nBEGIN:VEVENT\nUID:x\nEND:VEVENT\nEND:VCALENDAR\n";
        let split = split_calendar(file.as_bytes());
        let uids: Vec<(&str, bool)> = split
            .items
            .iter()
            .map(|i| (i.uid.as_str(), i.uid_added))
            .collect();
        assert_eq!(uids.len(), 4);
        assert!(uids[0].1 && uids[1].1 && uids[0].0 != uids[1].0);
        assert_eq!(uids[0].0.len(), 36, "UUID-shaped: {}", uids[0].0);
        assert_eq!(&uids[2..], [("X", false), ("x", false)]);
        let body = text(&split.items[0].body);
        assert!(
            body.contains(&format!(
                "BEGIN:VEVENT\r\nUID:{}\r\nSUMMARY:a\r\n",
                uids[0].0
            )),
            "{body}"
        );
        let again = split_calendar(file.as_bytes());
        assert_eq!(
            again.items[0].uid, split.items[0].uid,
            "derived from the content"
        );
    }

    #[test]
    fn messages_name_the_lines_of_the_file() {
        let file = "BEGIN:VCALENDAR\nPRODID:x\nMETHOD:PUBLISH\nX-WR-CALNAME:y\nCALSCALE:GREGORIAN\nBEGIN:VEVENT\nUID:a\nDTSTART:bad\nEND:VEVENT\nEND:VCALENDAR\n";
        let item = &split_calendar(file.as_bytes()).items[0];
        // The object's line 6 (after a header of 3 lines, BEGIN and UID) is the file's line 8;
        // numbers the file has no line for stay as they are.
        assert_eq!(
            item.file_message("line 6: DTSTART is bad; see line 99 and line 1"),
            "line 8: DTSTART is bad; see line 99 and line 1"
        );
    }

    #[test]
    fn splitting_is_stable_and_content_ignores_the_header_folding_and_zones() {
        let file = format!(
            "BEGIN:VCALENDAR\r\nPRODID:other\r\n{ZURICH}BEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=Europe/Zurich:20240101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let once = split_calendar(file.as_bytes());
        let twice = split_calendar(&once.items[0].body);
        assert_eq!(once.items[0].body, twice.items[0].body, "idempotent");
        let refolded = text(&once.items[0].body).replace("UID:s", "UID:\r\n s");
        assert_eq!(
            calendar_content(refolded.as_bytes()),
            calendar_content(file.as_bytes())
        );
        assert_ne!(
            calendar_content(file.replace("0900", "1000").as_bytes()),
            calendar_content(file.as_bytes())
        );
        let without_zone = file.replace(ZURICH, "");
        assert_eq!(
            calendar_content(without_zone.as_bytes()),
            calendar_content(file.as_bytes()),
            "time zone definitions are not content"
        );
    }

    #[test]
    fn a_tzid_defined_twice_takes_the_definition_in_force_where_the_component_is() {
        let zone = |offset: &str| {
            ZURICH
                .replace("Europe/Zurich", "Custom")
                .replace("+0100", offset)
        };
        let event = |uid: &str| {
            format!("BEGIN:VEVENT\nUID:{uid}\nDTSTART;TZID=Custom:20240101T090000\nEND:VEVENT\n")
        };
        let file = format!(
            "BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n\
             BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n\
             BEGIN:VCALENDAR\n{}END:VCALENDAR\n\
             BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n",
            zone("+0100"),
            event("one"),
            event("five"),
            zone("+0500"),
            event("still-five"),
            event("seven"),
            zone("+0700"),
        );
        let split = split_calendar(file.as_bytes());
        let offsets: Vec<(&str, bool, bool, bool)> = split
            .items
            .iter()
            .map(|i| {
                let body = std::str::from_utf8(&i.body).expect("utf-8");
                let to = |o: &str| body.contains(&format!("TZOFFSETTO:{o}"));
                (i.uid.as_str(), to("+0100"), to("+0500"), to("+0700"))
            })
            .collect();
        assert_eq!(
            offsets,
            [
                ("one", true, false, false),
                ("five", false, true, false),
                ("still-five", false, true, false),
                ("seven", false, false, true),
            ]
        );
    }

    #[test]
    fn vcards_are_cut_at_their_bounds() {
        let file = "\u{feff}BEGIN:VCARD\nVERSION:3.0\nUID:1\nFN:A\nEND:VCARD\n\nnoise\nBEGIN:VCARD\nVERSION:4.0\nFN:B\nBEGIN:VCARD\nUID:3\nEND:VCARD\n";
        let split = split_vcards(file.as_bytes());
        assert_eq!(split.items.len(), 2);
        assert_eq!(split.items[0].uid, "1");
        assert_eq!(
            split.items[0].body,
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:1\r\nFN:A\r\nEND:VCARD\r\n"
        );
        assert_eq!(
            (split.items[1].line, split.items[1].uid.as_str()),
            (11, "3")
        );
        let lines: Vec<usize> = split.strays.iter().map(|s| s.line).collect();
        assert_eq!(lines, [7, 8]);
        assert_eq!(
            card_content(&split.items[0].body),
            ["BEGIN:VCARD", "VERSION:3.0", "UID:1", "FN:A", "END:VCARD"]
        );
    }

    #[test]
    fn a_file_that_is_not_utf8_is_one_stray() {
        let split = split_vcards(b"BEGIN:VCARD\nFN:\xff\nEND:VCARD\n");
        assert!(split.items.is_empty());
        assert_eq!(split.strays[0].line, 2);
    }

    #[test]
    fn a_card_without_uid_gets_one_after_its_version() {
        let split = split_vcards(b"BEGIN:VCARD\nVERSION:4.0\nFN:A\nEND:VCARD\n");
        let item = &split.items[0];
        assert!(item.uid_added);
        assert_eq!(
            text(&item.body),
            format!(
                "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{}\r\nFN:A\r\nEND:VCARD\r\n",
                item.uid
            )
        );
        assert_eq!(item.origin, [1, 2, 0, 3, 4]);
    }
}
