//! Media types from `Content-Type` headers (RFC 9110 §8.3.1).

/// The lower-cased `type/subtype` of a Content-Type value, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_case_are_dropped() {
        assert_eq!(
            media_type("Text/Calendar; charset=utf-8; component=VEVENT"),
            "text/calendar"
        );
        assert_eq!(media_type(""), "");
    }
}
