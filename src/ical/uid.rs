//! New UIDs, and giving a calendar object or a vCard another UID, for a restored copy that
//! must not clash with the object that holds the original UID now.
//!
//! Works on content lines, not on a re-serialization: every line but the UID lines keeps its
//! exact bytes (folding, parameters, line endings), as everywhere else in the server.

/// The components whose UID is the object's: a calendar object's VEVENT, VTODO, VJOURNAL or
/// VFREEBUSY (a series' master and overrides share it), directly inside VCALENDAR.
const CALENDAR_COMPONENTS: [&str; 4] = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];

/// A new UID: a random UUID, version 4 (lower case), for objects the server creates.
pub fn new_uid() -> String {
    let n = rand::random::<u128>();
    // Version 4, variant 10xx.
    let n = (n & !(0xf_u128 << 76)) | (0x4_u128 << 76);
    let n = (n & !(0x3_u128 << 62)) | (0x2_u128 << 62);
    let hex = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `body` with the object's UID replaced by `uid`: every UID property of the main components
/// (a VEVENT, VTODO, VJOURNAL or VFREEBUSY directly inside VCALENDAR) or of the VCARD. UIDs of nested components (a VALARM's,
/// RFC 9074) stay as they are. `None` when the body holds no such UID.
pub fn replace_uid(body: &[u8], uid: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + uid.len());
    let mut stack: Vec<String> = Vec::new();
    let mut replaced = false;
    for line in logical_lines(body) {
        let text = unfold(line);
        let (name, value) = split(&text);
        if name.eq_ignore_ascii_case("BEGIN") {
            stack.push(value.trim().to_ascii_uppercase());
        } else if name.eq_ignore_ascii_case("END") {
            stack.pop();
        } else if name.eq_ignore_ascii_case("UID") && owns_uid(&stack) {
            out.extend_from_slice(b"UID:");
            out.extend_from_slice(uid.as_bytes());
            out.extend_from_slice(if line.ends_with(b"\r\n") {
                b"\r\n"
            } else if line.ends_with(b"\n") {
                b"\n"
            } else {
                b""
            });
            replaced = true;
            continue;
        }
        out.extend_from_slice(line);
    }
    replaced.then_some(out)
}

/// Whether a UID at this nesting is the object's.
fn owns_uid(stack: &[String]) -> bool {
    match stack {
        [root] => root == "VCARD",
        [root, component] => {
            root == "VCALENDAR" && CALENDAR_COMPONENTS.contains(&component.as_str())
        }
        _ => false,
    }
}

/// The logical lines of `body`, each with its continuation lines and line breaks, as bytes.
fn logical_lines(body: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    while pos < body.len() {
        // `pos` starts a physical line; one starting with a space or a tab continues the
        // logical line before it.
        if pos > start && !matches!(body[pos], b' ' | b'\t') {
            lines.push(&body[start..pos]);
            start = pos;
        }
        pos = body[pos..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(body.len(), |i| pos + i + 1);
    }
    if start < body.len() {
        lines.push(&body[start..]);
    }
    lines
}

/// A logical line without its folding and line breaks.
fn unfold(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut out = String::with_capacity(text.len());
    for (i, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if i == 0 {
            out.push_str(physical);
        } else if let Some(rest) = physical.strip_prefix([' ', '\t']) {
            out.push_str(rest);
        }
    }
    out
}

/// The property name (without a group prefix) and the value of an unfolded line.
fn split(text: &str) -> (&str, &str) {
    let name_end = text.find([':', ';']).unwrap_or(text.len());
    let name = &text[..name_end];
    let name = name.rsplit('.').next().unwrap_or(name).trim();
    let value = text.find(':').map_or("", |i| &text[i + 1..]);
    (name, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: Option<Vec<u8>>) -> String {
        String::from_utf8(bytes.expect("replaced")).expect("utf-8")
    }

    #[test]
    fn uids_are_version_4_uuids() {
        let a = new_uid();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_ne!(a, new_uid());
    }

    #[test]
    fn a_series_gets_the_new_uid_everywhere_its_alarms_keep_theirs() {
        let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:old\r\n\
                    DTSTART:20250101T100000Z\r\nRRULE:FREQ=DAILY\r\nBEGIN:VALARM\r\n\
                    UID:alarm-1\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n\
                    BEGIN:VEVENT\r\nuid;X-P=1:old\r\nRECURRENCE-ID:20250102T100000Z\r\n\
                    END:VEVENT\r\nEND:VCALENDAR\r\n";
        let out = text(replace_uid(body.as_bytes(), "new"));
        assert_eq!(
            out,
            body.replace("UID:old", "UID:new")
                .replace("uid;X-P=1:old", "UID:new")
        );
        assert!(out.contains("UID:alarm-1"));
    }

    #[test]
    fn a_folded_uid_is_replaced_whole_and_other_folding_is_kept() {
        let body = "BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:a-very-long\n -uid\nSUMMARY:fol\n ded\n\
                    END:VTODO\nEND:VCALENDAR\n";
        assert_eq!(
            text(replace_uid(body.as_bytes(), "n")),
            "BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:n\nSUMMARY:fol\n ded\nEND:VTODO\nEND:VCALENDAR\n"
        );
    }

    #[test]
    fn vcards_with_or_without_a_group() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.UID:urn:uuid:1\r\nFN:A\r\nEND:VCARD\r\n";
        assert_eq!(
            text(replace_uid(card.as_bytes(), "2")),
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:2\r\nFN:A\r\nEND:VCARD\r\n"
        );
        let bom = "\u{feff}BEGIN:VCARD\r\nUID:x\r\nEND:VCARD";
        assert_eq!(
            text(replace_uid(bom.as_bytes(), "y")),
            "\u{feff}BEGIN:VCARD\r\nUID:y\r\nEND:VCARD"
        );
    }

    #[test]
    fn nothing_to_replace() {
        assert!(replace_uid(b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "x").is_none());
        assert!(replace_uid(b"", "x").is_none());
    }
}
