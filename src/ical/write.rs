//! Writing content lines (RFC 5545 §3.1 and §3.3.11, RFC 6350 §3.2 and §3.4): TEXT escapes and
//! folding, the same for every line the server writes itself or re-folds (the holiday feeds
//! of `holidays` included).

/// Longest physical line written, in octets without the CRLF.
pub(super) const FOLD_OCTETS: usize = 75;

/// Appends `line` with CRLF, folded so that no physical line exceeds [`FOLD_OCTETS`] octets
/// (continuations start with a space), never inside a UTF-8 sequence.
pub fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > FOLD_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// Escapes a TEXT value: backslash, comma, semicolon and newline (a CR is dropped).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        fold_into(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for physical in out.trim_end_matches("\r\n").split("\r\n") {
            assert!(physical.len() <= FOLD_OCTETS, "{physical:?}");
        }
        assert!(out.ends_with("\r\n") && out.contains("\r\n "));
        assert_eq!(
            out.replace("\r\n ", "").trim_end(),
            format!("SUMMARY:{}", "é".repeat(60))
        );
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a\\b,c;d\r\ne"), "a\\\\b\\,c\\;d\\ne");
    }
}
