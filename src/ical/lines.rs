//! Content-line checks shared by iCalendar and vCard validation.
//!
//! calcard is deliberately lenient: it accepts a missing `END`, mismatched `END` names, lines
//! without a colon, empty parameters and control characters, and its `strict()` mode rejects
//! every nested `BEGIN` (so it cannot be used for calendars). These checks run on the raw text
//! before calcard parses it and give the client a message naming the offending line.

use super::ContentError;

/// Deepest component nesting accepted (VCALENDAR > VEVENT > VALARM > VLOCATION is 4).
const MAX_DEPTH: usize = 16;

/// Longest excerpt of client data quoted in an error message, in characters.
const EXCERPT_CHARS: usize = 60;

/// Which text format is being checked; selects the root component and the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// iCalendar (RFC 5545), root `VCALENDAR`.
    ICalendar,
    /// vCard (RFC 6350 / RFC 2426), root `VCARD`.
    VCard,
}

impl Format {
    /// The component that must enclose everything.
    fn root(self) -> &'static str {
        match self {
            Format::ICalendar => "VCALENDAR",
            Format::VCard => "VCARD",
        }
    }

    /// How the data is named in messages.
    fn label(self) -> &'static str {
        match self {
            Format::ICalendar => "calendar data",
            Format::VCard => "vCard data",
        }
    }

    /// The syntax reference quoted in messages.
    fn syntax_rfc(self) -> &'static str {
        match self {
            Format::ICalendar => "RFC 5545 §3.1",
            Format::VCard => "RFC 6350 §3.3",
        }
    }

    /// The message for a second root object after the first one.
    fn several_roots(self) -> String {
        match self {
            Format::ICalendar => "the body contains more than one VCALENDAR object; a calendar \
                                  object resource holds exactly one (RFC 4791 §4.1)"
                .to_string(),
            Format::VCard => "the body contains more than one vCard; an address object resource \
                              holds exactly one (RFC 6352 §5.1)"
                .to_string(),
        }
    }
}

/// One unfolded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// 1-based number of the physical line on which it starts.
    pub number: usize,
    /// The line with folding removed and without its line break.
    pub text: String,
}

/// The parts of a content line that the structural checks need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    /// Property name without group prefix and surrounding whitespace.
    pub name: &'a str,
    /// Everything after the first colon that is not inside a quoted parameter value.
    pub value: &'a str,
}

/// Offset of the first `:` in `s` that is not inside a double-quoted parameter value: where
/// a content line's value starts (RFC 5545 §3.1, RFC 6350 §3.3).
pub(super) fn colon_outside_quotes(s: &str) -> Option<usize> {
    let mut in_quotes = false;
    s.char_indices().find_map(|(i, c)| match c {
        '"' => {
            in_quotes = !in_quotes;
            None
        }
        ':' if !in_quotes => Some(i),
        _ => None,
    })
}

/// Splits `s` at every `sep` outside double quotes (parameters at `;`, values at `,`).
pub(super) fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_quotes, mut start) = (false, 0);
    for (i, ch) in s.char_indices() {
        if ch == '"' {
            in_quotes = !in_quotes;
        } else if ch == sep && !in_quotes {
            parts.push(&s[start..i]);
            start = i + ch.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Shorthand for [`ContentError::Invalid`].
pub(super) fn invalid(message: impl Into<String>) -> ContentError {
    ContentError::Invalid(message.into())
}

/// At most [`EXCERPT_CHARS`] characters of client data, for quoting in a message.
pub(super) fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Checks the body is UTF-8 and not blank; strips one leading byte-order mark.
pub(super) fn decode(body: &[u8], format: Format) -> Result<&str, ContentError> {
    let (bom, rest) = match body.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, body),
    };
    let text = std::str::from_utf8(rest).map_err(|err| {
        invalid(format!(
            "{} is not valid UTF-8 (invalid byte at offset {}); send it encoded as UTF-8",
            format.label(),
            err.valid_up_to() + bom
        ))
    })?;
    if text.trim().is_empty() {
        return Err(invalid(format!(
            "the body is empty; expected {} starting with BEGIN:{}",
            format.label(),
            format.root()
        )));
    }
    Ok(text)
}

/// Refuses control characters other than TAB, CR and LF (RFC 5545 §3.1, RFC 6350 §3.3).
pub(super) fn check_control_characters(text: &str, format: Format) -> Result<(), ContentError> {
    let mut line = 1usize;
    for ch in text.chars() {
        match ch {
            '\n' => line += 1,
            '\t' | '\r' => {}
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                return Err(invalid(format!(
                    "line {line} contains the control character U+{:04X}, which is not allowed \
                     in {} ({})",
                    u32::from(ch),
                    format.label(),
                    format.syntax_rfc()
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Splits the text into logical lines: CRLF or LF line breaks, a line that starts with a space
/// or a tab continues the previous one (folding). Blank lines are skipped (several exporters
/// leave one before `END:VCALENDAR` or at the end of the file).
pub(super) fn unfold(text: &str, format: Format) -> Result<Vec<Line>, ContentError> {
    let mut lines: Vec<Line> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match lines.last_mut() {
                Some(previous) => previous.text.push_str(rest),
                None if rest.trim().is_empty() => {}
                None => {
                    return Err(invalid(format!(
                        "line {} starts with whitespace but there is no line before it to \
                         continue; {} must start with BEGIN:{}",
                        index + 1,
                        format.label(),
                        format.root()
                    )));
                }
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        lines.push(Line {
            number: index + 1,
            text: raw.to_string(),
        });
    }
    Ok(lines)
}

/// Splits one logical line into name and value, checking the shape
/// `[group.]NAME[;PARAM=VALUE...]:VALUE`.
///
/// Whitespace around names is tolerated (some exporters write `NAME ; PARAM = X:`). For
/// iCalendar every parameter must be `NAME=VALUE` with a name; vCard parameters are not
/// checked (vCard 3.0 exporters still write bare `TEL;CELL:` types).
pub(super) fn split_line(line: &Line, format: Format) -> Result<Parts<'_>, ContentError> {
    let text = line.text.as_str();
    let not_a_line = || {
        invalid(format!(
            "line {} is not a valid content line: \"{}\" (expected NAME[;PARAM=VALUE]:VALUE, {})",
            line.number,
            excerpt(text),
            format.syntax_rfc()
        ))
    };

    let no_colon = || {
        invalid(format!(
            "line {} has no ':' between the property name and its value: \"{}\" ({})",
            line.number,
            excerpt(text),
            format.syntax_rfc()
        ))
    };
    let name_end = text.find([';', ':']).ok_or_else(no_colon)?;
    let full_name = text.get(..name_end).ok_or_else(not_a_line)?;
    let name = match format {
        Format::VCard => full_name.rsplit('.').next().unwrap_or(full_name),
        Format::ICalendar => full_name,
    }
    .trim();
    let name_ok = !name.is_empty()
        && full_name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | ' ' | '\t')
                || (c == '.' && format == Format::VCard)
        });
    if !name_ok {
        return Err(not_a_line());
    }

    // Find the colon that ends the parameters; colons inside quoted values do not count.
    let rest = text.get(name_end..).ok_or_else(not_a_line)?;
    let colon = colon_outside_quotes(rest).ok_or_else(no_colon)?;
    let params = rest.get(..colon).ok_or_else(not_a_line)?;
    let value = rest.get(colon + 1..).ok_or_else(not_a_line)?;

    if format == Format::ICalendar
        && let Some(params) = params.strip_prefix(';')
    {
        check_ical_parameters(params, name, line.number)?;
    }

    Ok(Parts { name, value })
}

/// Each `;`-separated parameter (outside quotes) must be `NAME=VALUE` with a non-empty name.
fn check_ical_parameters(params: &str, property: &str, number: usize) -> Result<(), ContentError> {
    let mut in_quotes = false;
    let mut start = 0usize;
    let mut segments = Vec::new();
    for (offset, ch) in params.char_indices() {
        match ch {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                segments.push(params.get(start..offset).unwrap_or_default());
                start = offset + 1;
            }
            _ => {}
        }
    }
    segments.push(params.get(start..).unwrap_or_default());

    for segment in segments {
        let segment = segment.trim();
        if segment.is_empty() {
            return Err(invalid(format!(
                "line {number}: property {property} has an empty parameter (\";;\" or \";:\"); \
                 parameters must be NAME=VALUE (RFC 5545 §3.2)"
            )));
        }
        match segment.split_once('=') {
            Some((param_name, _)) if !param_name.trim().is_empty() => {}
            _ => {
                return Err(invalid(format!(
                    "line {number}: parameter \"{}\" of property {property} is not NAME=VALUE \
                     (RFC 5545 §3.2)",
                    excerpt(segment)
                )));
            }
        }
    }
    Ok(())
}

/// Checks the `BEGIN`/`END` structure: the first line opens the root component, every `END`
/// closes the innermost open component, nothing but blank lines follows the root's `END`.
/// vCards may not contain nested components; in iCalendar, VEVENT, VTODO, VJOURNAL, VFREEBUSY
/// and VTIMEZONE may only appear directly inside VCALENDAR.
pub(super) fn check_structure(lines: &[Line], format: Format) -> Result<(), ContentError> {
    let root = format.root();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut root_closed = false;

    for line in lines {
        let parts = match split_line(line, format) {
            Ok(parts) => parts,
            // Outside the root object, say what belongs there rather than how lines look.
            Err(_) if stack.is_empty() && !root_closed => {
                return Err(invalid(format!(
                    "{} must start with BEGIN:{root}, found \"{}\" on line {}",
                    format.label(),
                    excerpt(&line.text),
                    line.number
                )));
            }
            Err(_) if stack.is_empty() => {
                return Err(invalid(format!(
                    "unexpected data after END:{root} on line {}: \"{}\"; nothing may follow \
                     the {root} object",
                    line.number,
                    excerpt(&line.text)
                )));
            }
            Err(err) => return Err(err),
        };
        let is_begin = parts.name.eq_ignore_ascii_case("BEGIN");
        let is_end = parts.name.eq_ignore_ascii_case("END");
        let component = if is_begin || is_end {
            component_name(parts.value, line.number, parts.name)?
        } else {
            String::new()
        };

        if stack.is_empty() {
            if root_closed {
                if is_begin && component == root {
                    return Err(invalid(format.several_roots()));
                }
                return Err(invalid(format!(
                    "unexpected data after END:{root} on line {}: \"{}\"; nothing may follow \
                     the {root} object",
                    line.number,
                    excerpt(&line.text)
                )));
            }
            if !is_begin {
                return Err(invalid(format!(
                    "{} must start with BEGIN:{root}, found \"{}\" on line {}",
                    format.label(),
                    excerpt(&line.text),
                    line.number
                )));
            }
            if component != root {
                return Err(invalid(match (format, component.as_str()) {
                    (Format::ICalendar, "VCARD") => {
                        "this is a vCard (BEGIN:VCARD), not iCalendar data; address data \
                         belongs in an address book"
                            .to_string()
                    }
                    (Format::VCard, "VCALENDAR") => {
                        "this is iCalendar data (BEGIN:VCALENDAR), not a vCard; calendar data \
                         belongs in a calendar"
                            .to_string()
                    }
                    _ => format!(
                        "{} must start with BEGIN:{root}, found BEGIN:{component} on line {}",
                        format.label(),
                        line.number
                    ),
                }));
            }
            stack.push((component, line.number));
            continue;
        }

        if is_begin {
            let parent = stack.last().map(|(name, _)| name.as_str()).unwrap_or(root);
            if format == Format::VCard {
                return Err(invalid(format!(
                    "line {}: BEGIN:{component} inside a vCard; vCards cannot contain nested \
                     components (END:VCARD missing before it?)",
                    line.number
                )));
            }
            if component == root {
                return Err(invalid(format!(
                    "line {}: BEGIN:VCALENDAR inside {parent}; VCALENDAR objects cannot be \
                     nested (END:{parent} missing before it?)",
                    line.number
                )));
            }
            let top_level_only = matches!(
                component.as_str(),
                "VEVENT" | "VTODO" | "VJOURNAL" | "VFREEBUSY" | "VTIMEZONE"
            );
            if top_level_only && stack.len() != 1 {
                return Err(invalid(format!(
                    "line {}: BEGIN:{component} inside {parent}; {component} may only appear \
                     directly inside VCALENDAR (END:{parent} missing before it?)",
                    line.number
                )));
            }
            if stack.len() >= MAX_DEPTH {
                return Err(invalid(format!(
                    "line {}: components are nested more than {MAX_DEPTH} levels deep",
                    line.number
                )));
            }
            stack.push((component, line.number));
        } else if is_end {
            match stack.pop() {
                Some((open, _)) if open == component => {
                    if stack.is_empty() {
                        root_closed = true;
                    }
                }
                Some((open, opened_at)) => {
                    return Err(invalid(format!(
                        "line {}: END:{component} does not match BEGIN:{open} on line \
                         {opened_at} (END:{open} missing or misspelled?)",
                        line.number
                    )));
                }
                None => {
                    return Err(invalid(format!(
                        "line {}: END:{component} without a matching BEGIN",
                        line.number
                    )));
                }
            }
        }
    }

    if let Some((open, opened_at)) = stack.last() {
        return Err(invalid(format!(
            "BEGIN:{open} on line {opened_at} is never closed: END:{open} is missing (truncated \
             upload?)"
        )));
    }
    if !root_closed {
        return Err(invalid(format!(
            "{} contains no BEGIN:{root}",
            format.label()
        )));
    }
    Ok(())
}

/// The upper-cased component name of a `BEGIN`/`END` line; must be a non-empty token.
fn component_name(value: &str, number: usize, keyword: &str) -> Result<String, ContentError> {
    let value = value.trim();
    if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(invalid(format!(
            "line {number}: {} needs a component name, found \"{}\"",
            keyword.to_ascii_uppercase(),
            excerpt(value)
        )));
    }
    Ok(value.to_ascii_uppercase())
}

/// Runs every check of this module in order: UTF-8, control characters, line shape,
/// `BEGIN`/`END` structure. Returns the text without byte-order mark.
pub(super) fn check_all(body: &[u8], format: Format) -> Result<&str, ContentError> {
    let text = decode(body, format)?;
    check_control_characters(text, format)?;
    check_structure(&unfold(text, format)?, format)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_crlf_lf_space_and_tab_and_skips_blank_lines() {
        let text = "BEGIN:VCALENDAR\r\nDESCRIPTION:a\r\n b\n\tc\r\n\r\nEND:VCALENDAR";
        let lines = unfold(text, Format::ICalendar).unwrap();
        let texts: Vec<&str> = lines.iter().map(|line| line.text.as_str()).collect();
        assert_eq!(
            texts,
            ["BEGIN:VCALENDAR", "DESCRIPTION:abc", "END:VCALENDAR"]
        );
        assert_eq!(
            lines.iter().map(|line| line.number).collect::<Vec<_>>(),
            [1, 2, 6]
        );
    }

    #[test]
    fn splits_at_the_first_colon_outside_quotes() {
        let line = Line {
            number: 1,
            text: "X-APPLE-STRUCTURED-LOCATION;X-ADDRESS=\"a:b;c\";X-TITLE=x:geo:1,2".to_string(),
        };
        let parts = split_line(&line, Format::ICalendar).unwrap();
        assert_eq!(parts.name, "X-APPLE-STRUCTURED-LOCATION");
        assert_eq!(parts.value, "geo:1,2");

        let grouped = Line {
            number: 1,
            text: "item1.X-ABLabel:_$!<Anniversary>!$_".to_string(),
        };
        assert_eq!(
            split_line(&grouped, Format::VCard).unwrap().name,
            "X-ABLabel"
        );
        assert!(split_line(&grouped, Format::ICalendar).is_err());

        for bad in [
            "DTSTART;;VALUE=DATE:20240101",
            "DTSTART;TZID:20240101",
            "X;=a:b",
            ":value",
        ] {
            let line = Line {
                number: 1,
                text: bad.to_string(),
            };
            assert!(split_line(&line, Format::ICalendar).is_err(), "{bad}");
        }
    }

    #[test]
    fn excerpts_are_cut_on_character_boundaries() {
        let long = "é".repeat(100);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("short"), "short");
    }
}
