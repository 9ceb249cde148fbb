//! Writing contact group cards: a new group in the form clients read, and a member added to or
//! removed from an existing group in the form it is written in (`MEMBER` of vCard 4, or Apple's
//! `X-ADDRESSBOOKSERVER-MEMBER`), at line level like the rest of the vCard code: every other
//! line stays as the client wrote it.

use super::blocks::Text;
use super::contact::{GroupForm, member_uid, read_contact};
use super::write::{escape_text, fold_into};

/// A new, empty group card named `name` with UID `uid`, in `form`: Apple's vCard 3.0 form
/// (what Apple Contacts, DAVx5 and most clients read) or vCard 4 `KIND:group`.
pub fn new_group(form: GroupForm, uid: &str, name: &str) -> Vec<u8> {
    let name = escape_text(name.trim());
    let uid = escape_text(uid);
    let lines = match form {
        GroupForm::Apple => vec![
            "BEGIN:VCARD".to_owned(),
            "VERSION:3.0".to_owned(),
            "PRODID:-//davsuite//web view//EN".to_owned(),
            format!("UID:{uid}"),
            format!("FN:{name}"),
            format!("N:{name};;;;"),
            "X-ADDRESSBOOKSERVER-KIND:group".to_owned(),
            "END:VCARD".to_owned(),
        ],
        GroupForm::VCard4 => vec![
            "BEGIN:VCARD".to_owned(),
            "VERSION:4.0".to_owned(),
            "PRODID:-//davsuite//web view//EN".to_owned(),
            format!("UID:{uid}"),
            format!("FN:{name}"),
            "KIND:group".to_owned(),
            "END:VCARD".to_owned(),
        ],
    };
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out.into_bytes()
}

/// `group` listing the card with UID `uid` too (as `urn:uuid:` + its UID, as clients write
/// it), before its `END`. `None` when `group` is not a group card or already lists it.
pub fn add_member(group: &[u8], uid: &str) -> Option<Vec<u8>> {
    let contact = read_contact(group)?;
    let form = contact.group?;
    let wanted = member_uid(uid);
    if contact.members.iter().any(|m| member_uid(m) == wanted) {
        return None;
    }
    let text = Text::new(std::str::from_utf8(group).ok()?);
    let end = text.logical.iter().rposition(|l| l.name() == "END")?;
    let mut out = Vec::with_capacity(group.len() + 64);
    text.write_raw(0, end - 1, &mut out);
    let mut line = String::new();
    fold_into(
        &mut line,
        &format!("{}:urn:uuid:{wanted}", form.member_property()),
    );
    out.extend_from_slice(line.as_bytes());
    text.write_raw(end, text.logical.len() - 1, &mut out);
    Some(out)
}

/// `group` without its member references to the card with UID `uid` (in either form).
/// `None` when it lists no such member.
pub fn remove_member(group: &[u8], uid: &str) -> Option<Vec<u8>> {
    let text = Text::new(std::str::from_utf8(group).ok()?);
    let gone = member_uid(uid);
    let mut out = Vec::with_capacity(group.len());
    let mut removed = false;
    for (i, line) in text.logical.iter().enumerate() {
        let name = line.name();
        let member = name == "MEMBER" || name == "X-ADDRESSBOOKSERVER-MEMBER";
        if member && member_uid(line.value()) == gone {
            removed = true;
        } else {
            text.write_raw(i, i, &mut out);
        }
    }
    removed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::validate_vcard;

    #[test]
    fn new_groups_are_valid_in_both_forms() {
        for form in [GroupForm::Apple, GroupForm::VCard4] {
            let body = new_group(form, "g1", "Club; Amis");
            validate_vcard(&body).expect("valid");
            let c = read_contact(&body).expect("a card");
            assert_eq!(c.group, Some(form));
            assert_eq!(c.display_name, "Club; Amis");
            assert!(c.members.is_empty());
        }
    }

    #[test]
    fn members_come_and_go_in_the_groups_own_form() {
        let apple = new_group(GroupForm::Apple, "g", "Team");
        let with = add_member(&apple, "urn:uuid:ann").expect("added");
        let text = String::from_utf8(with.clone()).unwrap();
        assert!(
            text.ends_with("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann\r\nEND:VCARD\r\n"),
            "{text}"
        );
        assert!(add_member(&with, "ann").is_none(), "already a member");
        let v4 = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:t\r\nFN:T\r\nKIND:group\r\nX-KEEP:1\r\nMEMBER:urn:uuid:bob\r\nEND:VCARD\r\n";
        let with = add_member(v4, "ann").expect("added");
        let text = String::from_utf8(with.clone()).unwrap();
        assert!(text.contains("X-KEEP:1\r\nMEMBER:urn:uuid:bob\r\nMEMBER:urn:uuid:ann\r\nEND"));
        let without = remove_member(&with, "urn:uuid:bob").expect("removed");
        assert_eq!(
            String::from_utf8(without).unwrap(),
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:t\r\nFN:T\r\nKIND:group\r\nX-KEEP:1\r\nMEMBER:urn:uuid:ann\r\nEND:VCARD\r\n"
        );
        assert!(remove_member(v4, "nobody").is_none());
        let person = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p\r\nFN:P\r\nEND:VCARD\r\n";
        assert!(add_member(person, "ann").is_none(), "not a group");
    }
}
