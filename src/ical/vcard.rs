//! Address object resources (RFC 6352 §5.1; vCard 4.0 RFC 6350, vCard 3.0 RFC 2426).
//!
//! A PUT body must be exactly one vCard, version 3.0 or 4.0, with a UID.
//!
//! Decisions:
//! - vCard 2.1 is refused although calcard reads it: CardDAV requires 3.0 support (RFC 6352
//!   §5.1), 2.1 bodies use quoted-printable soft line breaks, bare parameters and legacy
//!   charsets that 3.0/4.0 readers on other devices choke on, and the server returns the bytes
//!   as stored. Clients that sync over CardDAV send 3.0 or 4.0.
//! - FN is required (RFC 6350 §6.2.1, RFC 2426 §3.1.1): a card without it is refused with a
//!   message saying so, as the corpus' SOGo Connector card shows clients can be told. N, which
//!   vCard 3.0 also requires, is not checked: several exporters leave it out of group cards.
//! - Groups: `KIND:group` (vCard 4.0) or Apple's `X-ADDRESSBOOKSERVER-KIND:group` (vCard 3.0).

use super::ContentError;
use super::lines::{self, Format, Line, excerpt, invalid};
use calcard::vcard::{VCard, VCardProperty};
use calcard::{Entry, Parser};

/// What a valid vCard contains, for the store's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VCardInfo {
    /// The UID, exactly as sent (may be a `urn:uuid:` URI or contain a colon).
    pub uid: String,
    /// "3.0" or "4.0".
    pub version: String,
    /// True for a group card (`KIND:group` or `X-ADDRESSBOOKSERVER-KIND:group`).
    pub kind_group: bool,
}

/// Validates an address object resource body and extracts its index values.
///
/// A leading UTF-8 BOM is tolerated. Never panics.
///
/// # Errors
///
/// [`ContentError::Invalid`] with a message for the user when the body is not exactly one
/// vCard 3.0/4.0 with a UID.
pub fn validate_vcard(body: &[u8]) -> Result<VCardInfo, ContentError> {
    let text = lines::decode(body, Format::VCard)?;
    lines::check_control_characters(text, Format::VCard)?;
    let logical = lines::unfold(text, Format::VCard)?;
    // Before the line-shape checks, so that a 2.1 card (whose quoted-printable soft breaks
    // are not content lines) gets the message that matters.
    check_version_lines(&logical)?;
    lines::check_structure(&logical, Format::VCard)?;
    let card = parse(text)?;

    let version = version(&card)?;
    let mut uids = card.properties(&VCardProperty::Uid);
    let uid = uids
        .next()
        .and_then(|entry| entry.values.first())
        .and_then(|value| value.as_text())
        .filter(|uid| !uid.trim().is_empty())
        .ok_or_else(|| invalid("vCard has no UID (RFC 6352 §5.1 requires one)"))?
        .to_string();
    if uids.next().is_some() {
        return Err(invalid(
            "vCard has more than one UID property (RFC 6350 §6.7.6 allows one)",
        ));
    }

    let has_name = card.properties(&VCardProperty::Fn).any(|entry| {
        entry
            .values
            .first()
            .and_then(|v| v.as_text())
            .is_some_and(|t| !t.trim().is_empty())
    });
    if !has_name {
        return Err(invalid(
            "vCard has no FN (formatted name); RFC 6350 §6.2.1 and RFC 2426 §3.1.1 require one",
        ));
    }

    Ok(VCardInfo {
        uid,
        version,
        kind_group: is_group(&card),
    })
}

/// Refuses vCard 2.1 (and other versions) by looking at the raw VERSION lines of a body that
/// starts like a vCard (anything else gets its message from the structure check).
fn check_version_lines(lines: &[Line]) -> Result<(), ContentError> {
    let starts_as_vcard = lines.first().is_some_and(|line| {
        line.text.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("BEGIN") && value.trim().eq_ignore_ascii_case("VCARD")
        })
    });
    if !starts_as_vcard {
        return Ok(());
    }
    for line in lines {
        let Some((name, value)) = line.text.split_once(':') else {
            continue;
        };
        let name = name.rsplit('.').next().unwrap_or(name).trim();
        if name.eq_ignore_ascii_case("VERSION") {
            check_version_value(value.trim())?;
        }
    }
    Ok(())
}

/// Only 3.0 and 4.0 are accepted.
fn check_version_value(value: &str) -> Result<(), ContentError> {
    match value {
        "3.0" | "4.0" => Ok(()),
        "2.1" => Err(invalid(format!(
            "vCard {value} is not supported; send vCard 3.0 or 4.0 (RFC 6352 §5.1)"
        ))),
        other => Err(invalid(format!(
            "unsupported vCard VERSION \"{}\"; send vCard 3.0 or 4.0",
            excerpt(other)
        ))),
    }
}

/// Parses with calcard and requires exactly one vCard followed by end of input.
fn parse(text: &str) -> Result<VCard, ContentError> {
    let entries = std::panic::catch_unwind(|| {
        let mut parser = Parser::new(text);
        (parser.entry(), parser.entry())
    })
    .map_err(|_| invalid("vCard data could not be parsed"))?;
    match entries {
        (Entry::VCard(card), Entry::Eof) => Ok(card),
        (Entry::VCard(_), _) => Err(invalid(
            "the body contains more than one vCard; an address object resource holds exactly \
             one (RFC 6352 §5.1)",
        )),
        (Entry::ICalendar(_), _) => Err(invalid(
            "this is iCalendar data (BEGIN:VCALENDAR), not a vCard",
        )),
        (Entry::InvalidLine(line), _) => Err(invalid(format!(
            "vCard data must start with BEGIN:VCARD, found \"{}\"",
            excerpt(&line)
        ))),
        (Entry::Eof, _) => Err(invalid("the body is empty; expected BEGIN:VCARD")),
        _ => Err(invalid("vCard data could not be parsed")),
    }
}

/// The VERSION, which must be present once and be 3.0 or 4.0.
fn version(card: &VCard) -> Result<String, ContentError> {
    let mut versions = card.properties(&VCardProperty::Version);
    let value = versions
        .next()
        .and_then(|entry| entry.values.first())
        .and_then(|value| value.as_text())
        .map(str::trim)
        .ok_or_else(|| {
            invalid(
                "vCard has no VERSION property; send VERSION:3.0 or VERSION:4.0 (RFC 6350 §6.7.9)",
            )
        })?;
    if versions.next().is_some() {
        return Err(invalid("vCard has more than one VERSION property"));
    }
    check_version_value(value)?;
    Ok(value.to_string())
}

/// `KIND:group` (vCard 4.0) or `X-ADDRESSBOOKSERVER-KIND:group` (Apple, vCard 3.0).
fn is_group(card: &VCard) -> bool {
    card.entries.iter().any(|entry| {
        let is_kind = match &entry.name {
            VCardProperty::Kind => true,
            VCardProperty::Other(name) => name.eq_ignore_ascii_case("X-ADDRESSBOOKSERVER-KIND"),
            _ => false,
        };
        is_kind
            && entry
                .values
                .first()
                .and_then(|value| value.as_text())
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("group"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes of `fixtures/vcard/<name>`.
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/vcard/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// Asserts an `Invalid` refusal whose message contains `needle`.
    fn refuse(body: &[u8], needle: &str) {
        match validate_vcard(body) {
            Err(ContentError::Invalid(message)) => {
                assert!(
                    message.contains(needle),
                    "message {message:?} lacks {needle:?}"
                );
            }
            other => panic!("expected Invalid containing {needle:?}, got {other:?}"),
        }
    }

    fn info(uid: &str, version: &str, kind_group: bool) -> VCardInfo {
        VCardInfo {
            uid: uid.to_string(),
            version: version.to_string(),
            kind_group,
        }
    }

    #[test]
    fn valid_cards_are_accepted() {
        #[rustfmt::skip]
        let cases = [
            // Apple 3.0 with item1./item2. groups, X-ABLabel, X-ABDATE
            ("apple-addressbook-all-custom-fields.vcf", info("AFBB77B8-0438-4825-A1DB-A75D76B6C3A8", "3.0", false)),
            ("apple-addressbook-company-card.vcf", info("FCBA0FA3-00B2-4C95-B4EC-4CCC4843F8B1", "3.0", false)),
            ("apple-addressbook-japanese-name.vcf", info("8424B7F0-C878-4722-B522-EBB07CF48AD7", "3.0", false)),
            ("apple-addressbook-latin-extended-name.vcf", info("44EE78BF-8814-4471-899C-92280CEFB098", "3.0", false)),
            // Apple 3.0 with a 76 KB folded PHOTO;BASE64
            ("apple-addressbook-photo-base64-76k.vcf", info("934731C6-1C95-4C40-BE1F-FA4215B2307B", "3.0", false)),
            // Apple groups: X-ADDRESSBOOKSERVER-KIND:group
            ("apple-group-dangling-member.vcf", info("uid6", "3.0", true)),
            ("apple-group-x-addressbookserver-kind.vcf", info("uid3", "3.0", true)),
            ("ccs-group-card-seven-members.vcf", info("78b64b6b-80b9-4b8a-bd81-8f36645d8bbf", "3.0", true)),
            // a colon inside the UID
            ("apple-uid-with-colon-abperson.vcf", info("AFBB77B8-0438-4825-A1DB-A75D76B6C3A8:ABPerson", "3.0", false)),
            ("evolution-vcard3.vcf", info("477343c8e6bf375a9bac1f96a5000837", "3.0", false)),
            ("lotus-notes-vcard3.vcf", info("0e7602cc-443e-4b82-b4b1-90f62f99a199", "3.0", false)),
            ("thunderbird-cardbook-bday-1604-no-year.vcf", info("d0bd27f0-5c7c-4540-b9b6-91314b8361f1", "3.0", false)),
            ("minimal-vcard4.vcf", info("contact1", "4.0", false)),
            ("vcard4-adr-label-caret-encoding.vcf", info("8b574c60-fd7f-4e99-b584-c5db131ae687", "4.0", false)),
            ("vcard4-photo-data-uri.vcf", info("contact", "4.0", false)),
        ];
        for (name, expected) in cases {
            assert_eq!(validate_vcard(&fixture(name)), Ok(expected), "{name}");
        }
    }

    #[test]
    fn vcard4_group_with_urn_uid() {
        let body = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n\
                    KIND:group\r\nFN:Friends\r\nMEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n\
                    END:VCARD\r\n";
        assert_eq!(
            validate_vcard(body.as_bytes()),
            Ok(info(
                "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
                "4.0",
                true
            ))
        );
        let individual = body.replace("KIND:group", "KIND:individual");
        assert!(!validate_vcard(individual.as_bytes()).unwrap().kind_group);
        // BOM and lower-case names are tolerated.
        let lower = format!("\u{feff}{}", body.to_lowercase());
        assert!(validate_vcard(lower.as_bytes()).unwrap().kind_group);
    }

    #[test]
    fn cards_without_uid_are_invalid() {
        const NO_UID: &str = "vCard has no UID (RFC 6352 §5.1 requires one)";
        for name in [
            "apple-x-abuid-abperson.vcf",
            "fullcontact-vcard4-altid-multiple.vcf",
            "gmail-vcard3-john-doe.vcf",
            "google-contacts-vcard3-custom-labels.vcf",
            "iphone-vcard3-photo-itemN-xablabel.vcf",
            "macos-addressbook-vcard3-photo.vcf",
            "rfc6350-example-vcard4.vcf",
            "thunderbird-mfffab-vcard3-charset.vcf",
        ] {
            assert_eq!(
                validate_vcard(&fixture(name)),
                Err(ContentError::Invalid(NO_UID.to_string())),
                "{name}"
            );
        }
    }

    #[test]
    fn other_refusals() {
        refuse(
            &fixture("malformed-two-vcards-no-uid.vcf"),
            "more than one vCard",
        );
        refuse(&fixture("malformed-empty-vcard.vcf"), "no VERSION");
        // SOGo Connector card with neither N nor FN.
        refuse(&fixture("malformed-broken-vcard.vcf"), "no FN");
        refuse(
            b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:a\r\nFN: \r\nEND:VCARD\r\n",
            "no FN",
        );
        for name in [
            "android-vcard21-quoted-printable-utf8.vcf",
            "blackberry-vcard21.vcf",
            "outlook-2003-vcard21.vcf",
            "outlook-vcard21-qp-photo.vcf",
        ] {
            refuse(&fixture(name), "vCard 2.1 is not supported");
        }
        refuse(b"", "empty");
        refuse(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Jos\xe9\r\nEND:VCARD\r\n",
            "not valid UTF-8",
        );
        let ics = format!(
            "{}/fixtures/ical/thunderbird-vtodo-no-dtstamp.ics",
            env!("CARGO_MANIFEST_DIR")
        );
        refuse(&std::fs::read(ics).unwrap(), "this is iCalendar data");
        refuse(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:x\r\n",
            "never closed",
        );
        refuse(
            b"BEGIN:VCARD\r\nVERSION:5.0\r\nUID:a\r\nEND:VCARD\r\n",
            "unsupported vCard VERSION",
        );
        refuse(
            b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:a\r\nUID:b\r\nEND:VCARD\r\n",
            "more than one UID",
        );
        refuse(
            b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:\r\nEND:VCARD\r\n",
            "no UID",
        );
        refuse(
            b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:a\r\nFN:x\r\nEND:VCARD\r\nNOTE:after\r\n",
            "after END:VCARD",
        );
        refuse(b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nAGENT:\r\nBEGIN:VCARD\r\nEND:VCARD\r\nEND:VCARD\r\n", "nested");
        refuse(
            b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:a\r\n<b>FN</b>:x\r\nEND:VCARD\r\n",
            "not a valid content line",
        );
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        for name in [
            "apple-addressbook-all-custom-fields.vcf",
            "vcard4-adr-label-caret-encoding.vcf",
            "fullcontact-vcard4-altid-multiple.vcf",
            "outlook-2003-vcard21.vcf",
        ] {
            let body = fixture(name);
            for end in (0..=body.len()).step_by(7) {
                let _ = validate_vcard(body.get(..end).unwrap_or_default());
            }
        }
    }
}
