//! What the contact tools read in a vCard: the keys that make two cards probable duplicates
//! (an e-mail address, a phone number, a name, each normalised), whether the card is a contact
//! group, and a group's members. Groups come in two forms, both kept as written: vCard 4
//! (`KIND:group`, `MEMBER`, RFC 6350 §6.1.4, §6.6.5) and Apple's vCard 3
//! (`X-ADDRESSBOOKSERVER-KIND:group`, `X-ADDRESSBOOKSERVER-MEMBER`).

use super::fold::unicode_casemap_key;
use super::tree::{Property, parse};

/// Shortest phone number (in digits) that identifies anyone: shorter ones are extensions and
/// service numbers, which many unrelated cards share.
const MIN_PHONE_DIGITS: usize = 6;

/// How many trailing digits of a phone number are compared: enough to tell numbers apart,
/// few enough that `+41 79 123 45 67` and `079 123 45 67` (the national form) compare equal.
const PHONE_DIGITS_COMPARED: usize = 9;

/// Which form a group card is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupForm {
    /// `KIND:group` with `MEMBER` (vCard 4).
    VCard4,
    /// `X-ADDRESSBOOKSERVER-KIND:group` with `X-ADDRESSBOOKSERVER-MEMBER` (Apple, vCard 3).
    Apple,
}

impl GroupForm {
    /// The property naming a member in this form.
    pub fn member_property(self) -> &'static str {
        match self {
            GroupForm::VCard4 => "MEMBER",
            GroupForm::Apple => "X-ADDRESSBOOKSERVER-MEMBER",
        }
    }

    /// The name used in the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupForm::VCard4 => "vcard4",
            GroupForm::Apple => "apple",
        }
    }
}

/// A card as the contact tools see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// UID.
    pub uid: String,
    /// FN.
    pub display_name: String,
    /// E-mail addresses as written.
    pub emails: Vec<String>,
    /// Phone numbers as written.
    pub phones: Vec<String>,
    /// The form of a group card; `None` for anything else.
    pub group: Option<GroupForm>,
    /// A group's members as written (`urn:uuid:...`, or another URI).
    pub members: Vec<String>,
}

/// Reads a stored card; `None` when it is not one.
pub fn read_contact(body: &[u8]) -> Option<Contact> {
    let card = parse(body)?;
    if card.name != "VCARD" {
        return None;
    }
    let texts = |name: &str| -> Vec<String> {
        card.properties_named(name)
            .map(Property::text)
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let is_group = |name: &str| {
        card.properties_named(name)
            .any(|p| p.text().trim().eq_ignore_ascii_case("group"))
    };
    let group = if is_group("KIND") {
        Some(GroupForm::VCard4)
    } else if is_group("X-ADDRESSBOOKSERVER-KIND") {
        Some(GroupForm::Apple)
    } else {
        None
    };
    let members = match group {
        Some(_) => [texts("MEMBER"), texts("X-ADDRESSBOOKSERVER-MEMBER")].concat(),
        None => Vec::new(),
    };
    Some(Contact {
        uid: texts("UID").into_iter().next().unwrap_or_default(),
        display_name: texts("FN").into_iter().next().unwrap_or_default(),
        emails: texts("EMAIL"),
        phones: texts("TEL"),
        group,
        members,
    })
}

/// The UID a member reference names: the reference without its `urn:uuid:` prefix (Apple
/// writes `urn:uuid:` + the member's UID; a vCard 4 UID is often `urn:uuid:...` itself).
pub fn member_uid(reference: &str) -> &str {
    let r = reference.trim();
    r.get(..9)
        .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        .map_or(r, |_| &r[9..])
}

/// The comparison key of an e-mail address: without `mailto:`, in lower case; `None` when it
/// is not an address.
pub fn email_key(value: &str) -> Option<String> {
    let v = value.trim();
    let v = v
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map_or(v, |_| &v[7..]);
    v.contains('@').then(|| v.to_lowercase())
}

/// The comparison key of a phone number: its last digits (see [`PHONE_DIGITS_COMPARED`]);
/// `None` for numbers too short to identify anyone.
pub fn phone_key(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < MIN_PHONE_DIGITS {
        return None;
    }
    Some(digits[digits.len().saturating_sub(PHONE_DIGITS_COMPARED)..].to_owned())
}

/// Letters and digits of `text`, case-folded without accents, in words.
fn words(text: &str) -> Vec<String> {
    let folded: String = unicode_casemap_key(text)
        .chars()
        // NFKD has split accented letters; the combining marks go.
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_owned).collect()
}

/// The comparison key of a name: its words folded, without accents and in any order, so
/// "Müller, Anna" and "anna muller" compare equal; `None` when it has no letters or digits.
pub fn name_key(name: &str) -> Option<String> {
    let mut words = words(name);
    words.sort_unstable();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The key a list of contacts is sorted by: the name's words folded, without accents, in
/// their order, so "Émile" files under E beside "emma".
pub fn sort_key(name: &str) -> String {
    words(name).join(" ")
}

/// The comparison key of an ADR value: its non-empty components' words.
pub fn address_key(value: &str) -> Option<String> {
    let words = words(value);
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_what_people_write_differently() {
        assert_eq!(
            email_key(" MAILTO:Ann@Example.COM "),
            email_key("ann@example.com")
        );
        assert_eq!(email_key("not an address"), None);
        assert_eq!(phone_key("+41 79 123 45 67"), phone_key("079 123 45 67"));
        assert_eq!(phone_key("tel:+41-79-123-45-67"), Some("791234567".into()));
        assert_eq!(phone_key("112"), None);
        assert_ne!(phone_key("+41 79 123 45 67"), phone_key("+41 79 123 45 68"));
        assert_eq!(name_key("Müller, Anna"), name_key("anna  MULLER"));
        assert_eq!(name_key("--"), None);
        assert_eq!(sort_key("Émile  Zola"), sort_key("emile zola"));
        assert!(sort_key("Émile") < sort_key("Emma"));
        assert_eq!(
            address_key(";;Rue du Lac 1;Genève;;1204;CH"),
            address_key(";;rue du lac 1;GENEVE;;1204;ch")
        );
        assert_eq!(member_uid("urn:uuid:abc"), "abc");
        assert_eq!(member_uid("URN:UUID:abc"), "abc");
        assert_eq!(member_uid("abc"), "abc");
    }

    #[test]
    fn groups_are_read_in_both_forms() {
        let v4 = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g\r\nFN:Team\r\nKIND:group\r\nMEMBER:urn:uuid:a\r\nMEMBER:urn:uuid:b\r\nEND:VCARD\r\n";
        let c = read_contact(v4).unwrap();
        assert_eq!(c.group, Some(GroupForm::VCard4));
        assert_eq!(c.members, ["urn:uuid:a", "urn:uuid:b"]);
        let apple = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nFN:Team\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a\r\nEND:VCARD\r\n";
        let c = read_contact(apple).unwrap();
        assert_eq!(c.group, Some(GroupForm::Apple));
        assert_eq!(c.members, ["urn:uuid:a"]);
        let person = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:P\r\nitem1.EMAIL:p@x\r\nTEL:1\r\nEND:VCARD\r\n";
        let c = read_contact(person).unwrap();
        assert_eq!(
            (c.group, c.emails.as_slice()),
            (None, &["p@x".to_owned()][..])
        );
        assert!(read_contact(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_none());
    }
}
