//! The cards of the organisation directory: one vCard per member (name, e-mail, the
//! organisation, the role as a category), generated from membership on every request.

use crate::ical::vcard_write::{CardFields, write_card};
use crate::store::{Member, Org};

/// The vCard of `member` in `org`'s directory. Its UID is the membership's directory entry,
/// stable while the membership lasts (a role change updates the same card) and never given to
/// another membership.
pub fn member_card(org: &Org, member: &Member) -> Vec<u8> {
    let uid = format!("urn:davsuite:member:{}:{}", org.id, member.entry);
    // FN is required (RFC 6350 §6.2.1) and what clients list: never empty.
    let full_name = if member.display_name.trim().is_empty() {
        &member.login
    } else {
        &member.display_name
    };
    write_card(&CardFields {
        uid: &uid,
        full_name,
        email: member.email.as_deref(),
        org: Some(&org.name),
        categories: &[member.role.as_str()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Role;
    use crate::store::org::fixtures;

    #[test]
    fn the_card_names_the_member_and_its_role() {
        let mut org = fixtures::org(4, "ksuite-pro");
        org.name = "Acme".into();
        let mut member = fixtures::member(9, Role::Admin);
        member.display_name = "Ann Example".into();
        member.email = Some("ann@acme.example".into());
        let text = String::from_utf8(member_card(&org, &member)).unwrap();
        for line in [
            "UID:urn:davsuite:member:4:9",
            "FN:Ann Example",
            "EMAIL;TYPE=INTERNET:ann@acme.example",
            "ORG:Acme",
            "CATEGORIES:admin",
        ] {
            assert!(text.contains(&format!("{line}\r\n")), "{line}: {text}");
        }
    }

    #[test]
    fn a_member_without_a_display_name_is_listed_by_login() {
        let org = fixtures::org(4, "ksuite-pro");
        let mut member = fixtures::member(9, Role::User);
        member.display_name = " ".into();
        let text = String::from_utf8(member_card(&org, &member)).unwrap();
        assert!(text.contains("FN:u9\r\n"), "{text}");
    }
}
