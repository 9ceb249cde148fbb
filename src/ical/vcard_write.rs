//! Writing a vCard 3.0 from plain values, for cards the server generates itself (the
//! organisation directory). vCard 3.0 because it is what every client reads, Apple's included.

use super::write::{escape_text as escape, fold_into};

/// What a generated card says.
#[derive(Debug, Clone, Copy)]
pub struct CardFields<'a> {
    /// UID.
    pub uid: &'a str,
    /// FN (and N's family name: a directory knows only the display name).
    pub full_name: &'a str,
    /// EMAIL, if any.
    pub email: Option<&'a str>,
    /// ORG, if any.
    pub org: Option<&'a str>,
    /// CATEGORIES.
    pub categories: &'a [&'a str],
}

/// The card as vCard 3.0 text, CRLF line ends, folded at 75 octets.
pub fn write_card(card: &CardFields<'_>) -> Vec<u8> {
    let name = escape(card.full_name);
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:3.0".to_owned(),
        "PRODID:-//davsuite//organisation directory//EN".to_owned(),
        format!("UID:{}", escape(card.uid)),
        format!("FN:{name}"),
        format!("N:{name};;;;"),
    ];
    if let Some(email) = card.email {
        lines.push(format!("EMAIL;TYPE=INTERNET:{}", escape(email)));
    }
    if let Some(org) = card.org {
        lines.push(format!("ORG:{}", escape(org)));
    }
    if !card.categories.is_empty() {
        let cats: Vec<String> = card.categories.iter().map(|c| escape(c)).collect();
        lines.push(format!("CATEGORIES:{}", cats.join(",")));
    }
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::validate_vcard;

    #[test]
    fn a_written_card_is_a_valid_vcard_with_escaped_values() {
        let body = write_card(&CardFields {
            uid: "urn:davsuite:member:1:2",
            full_name: "Dupont, Jean; Jr",
            email: Some("jean@example.com"),
            org: Some("Acme, Inc."),
            categories: &["legal-owner"],
        });
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(text.contains("FN:Dupont\\, Jean\\; Jr\r\n"), "{text}");
        assert!(text.contains("ORG:Acme\\, Inc.\r\n"), "{text}");
        assert!(text.contains("CATEGORIES:legal-owner\r\n"), "{text}");
        assert!(
            text.contains("EMAIL;TYPE=INTERNET:jean@example.com\r\n"),
            "{text}"
        );
        let info = validate_vcard(&body).expect("valid vCard");
        assert_eq!(info.uid, "urn:davsuite:member:1:2");
    }

    #[test]
    fn long_names_are_folded_and_absent_values_left_out() {
        let long = "x".repeat(200);
        let body = write_card(&CardFields {
            uid: "u",
            full_name: &long,
            email: None,
            org: None,
            categories: &[],
        });
        let text = String::from_utf8(body).unwrap();
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        assert!(!text.contains("EMAIL") && !text.contains("ORG") && !text.contains("CATEGORIES"));
    }
}
