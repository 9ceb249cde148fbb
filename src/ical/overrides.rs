//! Changed occurrences merged into a stored recurring series: an invitation update or an
//! export of one moved meeting carries only the override (a component with RECURRENCE-ID) of
//! a series the calendar holds, and importing it must change that occurrence, not replace the
//! whole series with it. Lines are copied as written, like [`super::split`] and
//! [`super::join`] do.

use std::collections::HashSet;

use super::blocks::{Block, Piece, Text, scan};
use super::split::CALENDAR_COMPONENTS;

/// The calendar object `stored` with the overrides of `incoming` in it: an override of
/// `stored` with the same RECURRENCE-ID is replaced where it stands, the others are added
/// after the stored components; the master, the other overrides, the calendar properties and
/// the VTIMEZONEs of `stored` stay, and a VTIMEZONE of `incoming` whose TZID `stored` lacks is
/// added before the components. `None` when either is not UTF-8 text holding a VCALENDAR
/// (neither happens to a stored object or a split item).
pub fn merge_overrides(stored: &[u8], incoming: &[u8]) -> Option<Vec<u8>> {
    let incoming_text = Text::new(std::str::from_utf8(incoming).ok()?);
    let incoming_parts = components(&incoming_text)?;
    let stored_text = Text::new(std::str::from_utf8(stored).ok()?);
    let calendar = first_calendar(&stored_text)?;
    let stored_parts = scan(
        &stored_text,
        calendar.begin + 1,
        calendar.end,
        &CALENDAR_COMPONENTS,
    );

    let stored_zones: HashSet<String> = stored_parts
        .iter()
        .filter_map(|p| match p {
            Piece::Block(b) if b.name == "VTIMEZONE" => b.property(&stored_text, "TZID"),
            _ => None,
        })
        .collect();
    let mut overrides: Vec<(String, &Block)> = Vec::new();
    let mut new_zones: Vec<&Block> = Vec::new();
    for b in &incoming_parts {
        if b.name == "VTIMEZONE" {
            if b.property(&incoming_text, "TZID")
                .is_some_and(|tzid| !stored_zones.contains(&tzid))
            {
                new_zones.push(b);
            }
        } else if let Some(id) = b.property(&incoming_text, "RECURRENCE-ID") {
            overrides.push((id, b));
        }
    }

    let mut out = Vec::new();
    stored_text.write_raw(0, calendar.begin, &mut out);
    let mut zones_written = false;
    let mut write_new_zones = |out: &mut Vec<u8>| {
        if !std::mem::replace(&mut zones_written, true) {
            for zone in &new_zones {
                incoming_text.write_raw(zone.begin, zone.end, out);
            }
        }
    };
    for piece in &stored_parts {
        match piece {
            Piece::Block(b) if b.name == "VTIMEZONE" => {
                stored_text.write_raw(b.begin, b.end, &mut out);
            }
            Piece::Block(b) => {
                write_new_zones(&mut out);
                let id = b.property(&stored_text, "RECURRENCE-ID");
                match overrides.iter().position(|(o, _)| Some(o) == id.as_ref()) {
                    Some(at) => {
                        let (_, replacement) = overrides.remove(at);
                        incoming_text.write_raw(replacement.begin, replacement.end, &mut out);
                    }
                    None => stored_text.write_raw(b.begin, b.end, &mut out),
                }
            }
            Piece::Line(i) => stored_text.write_raw(*i, *i, &mut out),
            Piece::Broken { begin, resume, .. } => {
                stored_text.write_raw(*begin, resume - 1, &mut out);
            }
        }
    }
    write_new_zones(&mut out);
    for (_, b) in overrides {
        incoming_text.write_raw(b.begin, b.end, &mut out);
    }
    stored_text.write_raw(calendar.end, stored_text.logical.len() - 1, &mut out);
    Some(out)
}

/// The first VCALENDAR of a text.
fn first_calendar(text: &Text<'_>) -> Option<Block> {
    scan(text, 0, text.logical.len(), &["VCALENDAR"])
        .into_iter()
        .find_map(|p| match p {
            Piece::Block(b) if b.name == "VCALENDAR" => Some(b),
            _ => None,
        })
}

/// The components (VTIMEZONEs included) of the first VCALENDAR of a text.
fn components(text: &Text<'_>) -> Option<Vec<Block>> {
    let calendar = first_calendar(text)?;
    Some(
        scan(text, calendar.begin + 1, calendar.end, &CALENDAR_COMPONENTS)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Block(b) => Some(b),
                _ => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(tzid: &str) -> String {
        format!(
            "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
    }

    fn occurrence(id: &str, start: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID;TZID=Z1:{id}\r\nDTSTART;TZID=Z1:{start}\r\nEND:VEVENT\r\n"
        )
    }

    const MASTER: &str = "BEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=Z1:20240101T090000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n";

    fn calendar(parts: &[String]) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:stored\r\n{}END:VCALENDAR\r\n",
            parts.concat()
        )
    }

    #[test]
    fn an_override_replaces_its_occurrence_and_keeps_the_series() {
        let stored = calendar(&[
            zone("Z1"),
            MASTER.to_owned(),
            occurrence("20240108T090000", "20240108T100000"),
            occurrence("20240115T090000", "20240115T100000"),
        ]);
        let incoming = calendar(&[
            zone("Z1").replace("+0100", "+0000"),
            zone("Z2"),
            occurrence("20240108T090000", "20240108T150000"),
        ]);
        let merged = merge_overrides(stored.as_bytes(), incoming.as_bytes()).expect("merged");
        let expected = calendar(&[
            zone("Z1"),
            zone("Z2"),
            MASTER.to_owned(),
            occurrence("20240108T090000", "20240108T150000"),
            occurrence("20240115T090000", "20240115T100000"),
        ]);
        assert_eq!(String::from_utf8(merged).expect("utf-8"), expected);
    }

    #[test]
    fn a_new_override_is_added_after_the_components() {
        let stored = calendar(&[zone("Z1"), MASTER.to_owned()]);
        let incoming = calendar(&[occurrence("20240122T090000", "20240122T080000")]);
        let merged = merge_overrides(stored.as_bytes(), incoming.as_bytes()).expect("merged");
        let expected = calendar(&[
            zone("Z1"),
            MASTER.to_owned(),
            occurrence("20240122T090000", "20240122T080000"),
        ]);
        assert_eq!(String::from_utf8(merged).expect("utf-8"), expected);
        assert_eq!(merge_overrides(b"\xff", incoming.as_bytes()), None);
        assert_eq!(merge_overrides(stored.as_bytes(), b"no calendar"), None);
    }
}
