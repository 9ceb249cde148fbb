//! The component blocks of iCalendar or vCard text, with the physical lines they were written
//! on: what an import splits a file into and what an export copies out of stored objects, so
//! neither re-serialises anything (folding, parameters and values stay as written; only line
//! ends become CRLF).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use super::lines::{colon_outside_quotes, split_unquoted};

/// One logical (unfolded) line and where it was written.
#[derive(Debug, Clone)]
pub(super) struct Logical<'a> {
    /// 1-based number of its first physical line.
    pub number: usize,
    /// Index of its first physical line.
    pub first: usize,
    /// Index one past its last physical line.
    pub end: usize,
    /// The line with folding removed (borrowed from the text unless it was folded).
    pub text: Cow<'a, str>,
}

impl Logical<'_> {
    /// The property name: upper case, group prefix and surrounding spaces removed.
    pub fn name(&self) -> String {
        let end = self.text.find([';', ':']).unwrap_or(self.text.len());
        let full = self.text[..end].trim();
        full.rsplit('.').next().unwrap_or(full).to_ascii_uppercase()
    }

    /// The value: everything after the first colon outside quoted parameter values.
    pub fn value(&self) -> &str {
        let start = self.text.find([';', ':']).unwrap_or(self.text.len());
        let rest = &self.text[start..];
        colon_outside_quotes(rest).map_or("", |c| &rest[c + 1..])
    }

    /// The component a `BEGIN`/`END` line names, upper case; `None` for other lines.
    fn delimits(&self, keyword: &str) -> Option<String> {
        (self.name() == keyword).then(|| self.value().trim().to_ascii_uppercase())
    }

    /// The `TZID` parameter values of this line (quotes removed).
    pub fn tzids(&self) -> Vec<String> {
        tzid_params(&self.text)
            .into_iter()
            .map(|r| self.text[r].trim().trim_matches('"').to_owned())
            .collect()
    }
}

/// Where the `TZID` parameter values of an unfolded line are (byte ranges, quotes included).
fn tzid_params(line: &str) -> Vec<Range<usize>> {
    let name_end = line.find([';', ':']).unwrap_or(line.len());
    let Some(params) = line[name_end..]
        .strip_prefix(';')
        .and_then(|p| colon_outside_quotes(p).map(|c| &p[..c]))
    else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut at = name_end + 1;
    for param in split_unquoted(params, ';') {
        if let Some((name, value)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("TZID")
        {
            let start = at + name.len() + 1;
            ranges.push(start..start + value.len());
        }
        at += param.len() + 1;
    }
    ranges
}

/// An unfolded line with the time zones of `renamed` (old TZID to new) renamed: in its `TZID`
/// parameters and, for a VTIMEZONE's own `TZID` property, in its value.
pub(super) fn rename_tzids(line: &str, renamed: &HashMap<String, String>) -> String {
    let name_end = line.find([';', ':']).unwrap_or(line.len());
    if line[..name_end].trim().eq_ignore_ascii_case("TZID")
        && let Some(colon) = colon_outside_quotes(line)
        && let Some(new) = renamed.get(line[colon + 1..].trim())
    {
        return format!("{}{new}", &line[..=colon]);
    }
    let mut out = String::with_capacity(line.len());
    let mut copied = 0;
    for range in tzid_params(line) {
        let Some(new) = renamed.get(line[range.clone()].trim().trim_matches('"')) else {
            continue;
        };
        out.push_str(&line[copied..range.start]);
        out.push('"');
        out.push_str(new);
        out.push('"');
        copied = range.end;
    }
    out.push_str(&line[copied..]);
    out
}

/// A text cut into physical and logical lines.
#[derive(Debug)]
pub(super) struct Text<'a> {
    /// Physical lines without their line ends (every trailing CR removed).
    physical: Vec<&'a str>,
    /// Logical lines; blank lines belong to none.
    pub logical: Vec<Logical<'a>>,
}

impl<'a> Text<'a> {
    /// Cuts `text` into lines: a physical line starting with a space or tab continues the
    /// logical line before it (RFC 5545 §3.1, RFC 6350 §3.2); blank lines are skipped.
    pub fn new(text: &'a str) -> Text<'a> {
        let physical: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        let mut logical: Vec<Logical<'a>> = Vec::new();
        for (i, raw) in physical.iter().enumerate() {
            if let Some(rest) = raw.strip_prefix([' ', '\t'])
                && let Some(last) = logical.last_mut()
            {
                last.text.to_mut().push_str(rest);
                last.end = i + 1;
                continue;
            }
            if raw.trim().is_empty() {
                continue;
            }
            logical.push(Logical {
                number: i + 1,
                first: i,
                end: i + 1,
                text: Cow::Borrowed(*raw),
            });
        }
        Text { physical, logical }
    }

    /// The physical lines of logical lines `from..=to` with their 1-based numbers, blank
    /// lines left out.
    pub fn raw_lines(&self, from: usize, to: usize) -> impl Iterator<Item = (usize, &'a str)> {
        let range = match (self.logical.get(from), self.logical.get(to)) {
            (Some(first), Some(last)) => first.first..last.end,
            _ => 0..0,
        };
        let physical = &self.physical;
        range
            .map(move |i| (i + 1, physical[i]))
            .filter(|(_, line)| !line.trim().is_empty())
    }

    /// Appends the physical lines of logical lines `from..=to`, each ended by CRLF (blank
    /// lines left out).
    pub fn write_raw(&self, from: usize, to: usize, out: &mut Vec<u8>) {
        for (_, line) in self.raw_lines(from, to) {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
}

/// A component from its `BEGIN` to its `END` line (logical line indices, inclusive).
#[derive(Debug, Clone)]
pub(super) struct Block {
    /// Upper-case component name.
    pub name: String,
    /// Index of the `BEGIN` line.
    pub begin: usize,
    /// Index of the `END` line.
    pub end: usize,
}

impl Block {
    /// Its own properties (not those of components nested in it), as logical line indices.
    pub fn own_lines<'t>(&self, text: &'t Text<'_>) -> impl Iterator<Item = &'t Logical<'t>> {
        let mut depth = 0usize;
        text.logical[self.begin + 1..self.end]
            .iter()
            .filter(move |line| match line.name().as_str() {
                "BEGIN" => {
                    depth += 1;
                    false
                }
                "END" => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => depth == 0,
            })
    }

    /// The value of its first own property `name` (upper case), trimmed.
    pub fn property(&self, text: &Text<'_>, name: &str) -> Option<String> {
        self.own_lines(text)
            .find(|line| line.name() == name)
            .map(|line| line.value().trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// 1-based line number of its `BEGIN` line.
    pub fn line(&self, text: &Text<'_>) -> usize {
        text.logical[self.begin].number
    }
}

/// What a scan finds between two logical lines.
#[derive(Debug, Clone)]
pub(super) enum Piece {
    /// A complete component.
    Block(Block),
    /// A line that is not inside any component (logical line index).
    Line(usize),
    /// A component that does not end properly: its `BEGIN` line, the line the scan resumed at
    /// (its content is `begin + 1..resume`), and what is wrong.
    Broken {
        /// Index of its `BEGIN` line.
        begin: usize,
        /// Index of the line after what it holds.
        resume: usize,
        /// What is wrong.
        message: String,
    },
}

/// Scans logical lines `from..to` for components. `top_level` names the components that
/// cannot be nested at this level: a `BEGIN` of one of them inside an open component means
/// that component was never closed (a truncated export), so the scan resumes there instead of
/// swallowing everything after it.
pub(super) fn scan(text: &Text<'_>, from: usize, to: usize, top_level: &[&str]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut i = from;
    while i < to {
        let Some(name) = text.logical[i].delimits("BEGIN") else {
            pieces.push(Piece::Line(i));
            i += 1;
            continue;
        };
        match close_of(text, i, to, &name, top_level) {
            Ok(end) => {
                pieces.push(Piece::Block(Block {
                    name,
                    begin: i,
                    end,
                }));
                i = end + 1;
            }
            Err((resume, message)) => {
                pieces.push(Piece::Broken {
                    begin: i,
                    resume,
                    message,
                });
                i = resume;
            }
        }
    }
    pieces
}

/// The `END` line closing the component that begins at `begin`; when there is none, where to
/// resume scanning and why. Lenient inside: an `END` of an enclosing component also closes
/// the ones nested in it, and an `END` of nothing open is passed over, so one malformed
/// component does not take its neighbours down (validating the component names the fault).
fn close_of(
    text: &Text<'_>,
    begin: usize,
    to: usize,
    name: &str,
    top_level: &[&str],
) -> Result<usize, (usize, String)> {
    let opened = text.logical[begin].number;
    let mut stack = vec![name.to_owned()];
    for j in begin + 1..to {
        let line = &text.logical[j];
        if let Some(inner) = line.delimits("BEGIN") {
            if top_level.contains(&inner.as_str()) {
                return Err((
                    j,
                    format!(
                        "BEGIN:{name} on line {opened} is not closed before BEGIN:{inner} on \
                         line {} (END:{name} missing)",
                        line.number
                    ),
                ));
            }
            stack.push(inner);
        } else if let Some(closed) = line.delimits("END")
            && let Some(at) = stack.iter().rposition(|open| *open == closed)
        {
            stack.truncate(at);
            if stack.is_empty() {
                return Ok(j);
            }
        }
    }
    Err((
        to,
        format!("BEGIN:{name} on line {opened} is never closed: END:{name} is missing"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_lines_keep_their_physical_lines() {
        let t = Text::new("BEGIN:VCARD\r\nNOTE:a\r\n b\n\nEND:VCARD\r\r\n");
        let texts: Vec<&str> = t.logical.iter().map(|l| l.text.as_ref()).collect();
        assert_eq!(texts, ["BEGIN:VCARD", "NOTE:ab", "END:VCARD"]);
        assert_eq!(t.logical[2].number, 5);
        let mut out = Vec::new();
        t.write_raw(0, 2, &mut out);
        assert_eq!(out, b"BEGIN:VCARD\r\nNOTE:a\r\n b\r\nEND:VCARD\r\n");
    }

    #[test]
    fn names_values_and_tzids() {
        let t = Text::new(
            "item1.EMAIL;type=INTERNET:a@b\nDTSTART;VALUE=DATE-TIME;TZID=\"Europe/Zurich\":2024\nX;A=\"x:y\";tzid=W. Europe:v",
        );
        assert_eq!(t.logical[0].name(), "EMAIL");
        assert_eq!(t.logical[0].value(), "a@b");
        assert_eq!(t.logical[1].tzids(), ["Europe/Zurich"]);
        assert_eq!(t.logical[2].tzids(), ["W. Europe"]);
        assert_eq!(t.logical[2].value(), "v");
    }

    #[test]
    fn renamed_tzids_in_parameters_and_in_a_zone_definition() {
        let renamed = HashMap::from([("Custom Zone".to_owned(), "Custom Zone (2)".to_owned())]);
        let cases = [
            (
                "DTSTART;TZID=Custom Zone:20240101T090000",
                "DTSTART;TZID=\"Custom Zone (2)\":20240101T090000",
            ),
            (
                "EXDATE;VALUE=DATE-TIME;tzid=\"Custom Zone\";X=1:2024",
                "EXDATE;VALUE=DATE-TIME;tzid=\"Custom Zone (2)\";X=1:2024",
            ),
            ("DTEND;TZID=Other:2024", "DTEND;TZID=Other:2024"),
            ("TZID:Custom Zone", "TZID:Custom Zone (2)"),
            ("SUMMARY:TZID=Custom Zone", "SUMMARY:TZID=Custom Zone"),
        ];
        for (line, expected) in cases {
            assert_eq!(rename_tzids(line, &renamed), expected, "{line}");
        }
    }

    #[test]
    fn scan_finds_blocks_strays_and_unclosed_components() {
        let t = Text::new(
            "junk\nBEGIN:VEVENT\nUID:1\nBEGIN:VALARM\nEND:VALARM\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\nBEGIN:VTODO\nEND:VTODO\nBEGIN:VEVENT\nBEGIN:VALARM\nEND:VJOURNAL\nEND:VEVENT\nBEGIN:VEVENT",
        );
        let top = ["VEVENT", "VTODO"];
        let pieces = scan(&t, 0, t.logical.len(), &top);
        let shape: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                Piece::Block(b) => format!("{}@{}-{}", b.name, b.line(&t), t.logical[b.end].number),
                Piece::Line(i) => format!("line@{}", t.logical[*i].number),
                Piece::Broken { begin, message, .. } => {
                    format!("broken@{}: {message}", t.logical[*begin].number)
                }
            })
            .collect();
        assert_eq!(shape[0], "line@1");
        assert_eq!(shape[1], "VEVENT@2-6");
        assert!(
            shape[2].starts_with(
                "broken@7: BEGIN:VEVENT on line 7 is not closed before BEGIN:VTODO on line 9"
            ),
            "{shape:?}"
        );
        assert_eq!(shape[3], "VTODO@9-10");
        assert_eq!(
            shape[4], "VEVENT@11-14",
            "END:VEVENT closes the open VALARM too; the stray END is passed over"
        );
        assert!(shape[5].starts_with("broken@15: BEGIN:VEVENT on line 15 is never closed"));
        assert_eq!(shape.len(), 6, "{shape:?}");
        let Piece::Block(b) = &pieces[1] else {
            panic!("{shape:?}")
        };
        assert_eq!(b.property(&t, "UID").as_deref(), Some("1"));
        assert_eq!(
            b.own_lines(&t).count(),
            1,
            "VALARM lines are not the event's own"
        );
    }
}
