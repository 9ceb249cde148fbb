//! Checks of the free text people type into accounts and organisations: e-mail addresses,
//! display names and legal contact details. The values end up in vCards, JSON answers and
//! command-line output, so each is bounded and free of control characters.

use super::error::OrgError;

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 100;
/// Longest postal address, in characters.
pub const MAX_ADDRESS: usize = 300;
/// Longest e-mail address, in characters (RFC 5321's limit on a path).
pub const MAX_EMAIL: usize = 254;

/// An optional field as stored: trimmed, and absent when nothing is left.
pub fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An optional free-text field as stored ([`trimmed`]), checked with [`check_text`].
pub fn text_field(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, OrgError> {
    let value = trimmed(value);
    if let Some(v) = &value {
        check_text(field, v, max)?;
    }
    Ok(value)
}

/// An optional e-mail address as stored ([`trimmed`]), checked with [`check_email`].
pub fn email_field(value: Option<&str>) -> Result<Option<String>, OrgError> {
    let value = trimmed(value);
    if let Some(v) = &value {
        check_email(v)?;
    }
    Ok(value)
}

/// True when `value` has at most `max` characters and no control character (line breaks
/// included: every field is one line wherever it is shown).
pub fn is_plain(value: &str, max: usize) -> bool {
    value.chars().count() <= max && !value.chars().any(char::is_control)
}

/// Checks a free-text field named `field` (for the message) against [`is_plain`].
pub fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), OrgError> {
    if is_plain(value, max) {
        Ok(())
    } else {
        Err(OrgError::InvalidText { field, max })
    }
}

/// Checks the shape of an e-mail address: `local@domain`, the domain with at least two
/// non-empty dot-separated labels, no space or control character, at most [`MAX_EMAIL`]
/// characters. Deliverability is not this server's business.
pub fn check_email(value: &str) -> Result<(), OrgError> {
    let shaped = is_plain(value, MAX_EMAIL)
        && !value.contains(char::is_whitespace)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|label| !label.is_empty())
        });
    if shaped {
        Ok(())
    } else {
        Err(OrgError::InvalidEmail(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_have_a_shape() {
        for ok in [
            "a@b.ch",
            "first.last+tag@mail.example.org",
            "élise@exemple.fr",
        ] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a@b..c",
            "a@.b.c",
            "a@b.c.",
            "a b@c.d",
            "a@b@c.d",
            "a\n@b.c",
            long.as_str(),
        ] {
            assert_eq!(
                check_email(bad).unwrap_err().code(),
                "invalid-email",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn free_text_is_bounded_and_has_no_control_characters() {
        assert!(check_text("address", "Rue du Lac 1, 1200 Genève", MAX_ADDRESS).is_ok());
        assert!(check_text("address", &"é".repeat(MAX_ADDRESS), MAX_ADDRESS).is_ok());
        for bad in ["line\nbreak", "bell\u{7}", "nul\0"] {
            let err = check_text("address", bad, MAX_ADDRESS).unwrap_err();
            assert_eq!(err.code(), "invalid-text", "{bad:?}");
            assert!(err.to_string().contains("address"));
        }
        assert!(check_text("address", &"x".repeat(MAX_ADDRESS + 1), MAX_ADDRESS).is_err());
    }
}
