//! Contact groups and who is in them. A group is a card of its own, stored as the client
//! wrote it: vCard 4 `KIND:group` + `MEMBER` or Apple's `X-ADDRESSBOOKSERVER-KIND:group` +
//! `X-ADDRESSBOOKSERVER-MEMBER` (both usually `urn:uuid:` + the member's UID). These queries
//! read both, and resolve each member to the card with that UID when the address book has it.
//! Groups are created, and members added and removed, in the form the group is written in
//! (`ical::group_compose`), each change conditional on the ETag just read.

use std::collections::HashMap;

use serde::Serialize;

use super::{Card, cards, put, write};
use crate::ical::contact::{GroupForm, member_uid};
use crate::ical::group_compose::{add_member as with_member, new_group, remove_member as without};
use crate::ical::uid::new_uid;
use crate::store::{Store, WriteCondition};
use crate::transfer::TransferError;
use crate::transfer::place::Place;

/// A contact group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupView {
    /// Its DAV href.
    pub href: String,
    /// Its object name.
    pub name: String,
    /// Its UID.
    pub uid: String,
    /// Its FN.
    pub display_name: String,
    /// `vcard4` (KIND/MEMBER) or `apple` (X-ADDRESSBOOKSERVER-KIND/-MEMBER).
    pub form: &'static str,
    /// Its members, in the order the card lists them.
    pub members: Vec<MemberView>,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberView {
    /// The reference as the group card writes it.
    pub reference: String,
    /// The UID it names.
    pub uid: String,
    /// The card with that UID, when the address book has one (`None`: a dangling reference,
    /// which clients keep and so does the server).
    pub href: Option<String>,
    /// That card's FN.
    pub display_name: Option<String>,
}

/// The groups of an address book, resolved against its cards.
struct Book {
    cards: Vec<Card>,
    /// Card index by member UID (`member_uid` of its own UID).
    by_uid: HashMap<String, usize>,
}

impl Book {
    fn read(store: &dyn Store, place: &Place) -> Result<Book, TransferError> {
        let cards = cards(store, place)?;
        let by_uid = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (member_uid(&c.contact.uid).to_owned(), i))
            .collect();
        Ok(Book { cards, by_uid })
    }

    fn view(&self, place: &Place, group: &Card) -> Option<GroupView> {
        let form = group.contact.group?;
        let members = group
            .contact
            .members
            .iter()
            .map(|reference| {
                let uid = member_uid(reference).to_owned();
                let card = self.by_uid.get(&uid).map(|&i| &self.cards[i]);
                MemberView {
                    reference: reference.clone(),
                    href: card.map(|c| place.object_href(&c.name)),
                    display_name: card.map(|c| c.contact.display_name.clone()),
                    uid,
                }
            })
            .collect();
        Some(GroupView {
            href: place.object_href(&group.name),
            name: group.name.clone(),
            uid: group.contact.uid.clone(),
            display_name: group.contact.display_name.clone(),
            form: form.as_str(),
            members,
        })
    }

    /// The card named `name` (404 when there is none).
    fn card(&self, name: &str) -> Result<&Card, TransferError> {
        self.cards
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| TransferError::NotFound(format!("{name} not found")))
    }

    fn groups(&self, place: &Place) -> Vec<GroupView> {
        self.cards
            .iter()
            .filter_map(|c| self.view(place, c))
            .collect()
    }
}

/// Every contact group of the address book of `place`, by name.
pub fn groups(store: &dyn Store, place: &Place) -> Result<Vec<GroupView>, TransferError> {
    Ok(Book::read(store, place)?.groups(place))
}

/// The group card `name`.
pub fn group(store: &dyn Store, place: &Place, name: &str) -> Result<GroupView, TransferError> {
    let book = Book::read(store, place)?;
    book.view(place, book.card(name)?)
        .ok_or_else(|| TransferError::NotFound(format!("{name} is not a contact group")))
}

/// The groups that list the card `name`.
pub fn groups_of(
    store: &dyn Store,
    place: &Place,
    name: &str,
) -> Result<Vec<GroupView>, TransferError> {
    let book = Book::read(store, place)?;
    let uid = member_uid(&book.card(name)?.contact.uid);
    Ok(book
        .groups(place)
        .into_iter()
        .filter(|g| g.members.iter().any(|m| m.uid == uid))
        .collect())
}

/// Creates a contact group named `display_name` in the address book of `place`, in the form
/// its groups are already written in (vCard 4 when all of them are; Apple's otherwise, which
/// every client reads); its object name.
pub fn create_group(
    store: &dyn Store,
    place: &Place,
    display_name: &str,
) -> Result<String, TransferError> {
    if display_name.trim().is_empty() {
        return Err(TransferError::Invalid("a group needs a name".into()));
    }
    let existing = groups(store, place)?;
    let all_v4 = !existing.is_empty() && existing.iter().all(|g| g.form == "vcard4");
    let form = if all_v4 {
        GroupForm::VCard4
    } else {
        GroupForm::Apple
    };
    let uid = new_uid();
    let name = format!("{uid}.vcf");
    let body = new_group(form, &uid, display_name);
    put(store, place, &name, body, &WriteCondition::MustNotExist)?;
    Ok(name)
}

/// Adds card `card` to group card `group` (nothing to do when it is a member already).
pub fn add_member(
    store: &dyn Store,
    place: &Place,
    group: &str,
    card: &str,
) -> Result<(), TransferError> {
    let book = Book::read(store, place)?;
    let uid = book.card(card)?.contact.uid.clone();
    change_group(store, place, group, |body| with_member(body, &uid))
}

/// Removes the member with UID `uid` (as the group lists it) from group card `group`.
pub fn remove_member(
    store: &dyn Store,
    place: &Place,
    group: &str,
    uid: &str,
) -> Result<(), TransferError> {
    change_group(store, place, group, |body| without(body, uid))
}

/// Rewrites group card `group` with `change` (`None`: nothing to change), conditional on the
/// ETag read.
fn change_group(
    store: &dyn Store,
    place: &Place,
    group: &str,
    change: impl FnOnce(&[u8]) -> Option<Vec<u8>>,
) -> Result<(), TransferError> {
    let not_group = || TransferError::NotFound(format!("{group} is not a contact group"));
    let object = store
        .get_object(place.collection.id, group)?
        .ok_or_else(not_group)?;
    if crate::ical::contact::read_contact(&object.body)
        .and_then(|c| c.group)
        .is_none()
    {
        return Err(not_group());
    }
    if let Some(body) = change(&object.body) {
        write(store, place, group, &object.meta.etag, body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_card};
    use crate::transfer::testing::{place, store};

    #[test]
    fn groups_are_created_and_members_added_and_removed() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_card(&store, &book, "ann.vcf", &card("ann", "Ann", ""));
        assert!(create_group(&store, &book, " ").is_err());
        let name = create_group(&store, &book, "Friends").expect("created");
        add_member(&store, &book, &name, "ann.vcf").expect("added");
        add_member(&store, &book, &name, "ann.vcf").expect("twice is once");
        let g = group(&store, &book, &name).expect("group");
        assert_eq!((g.form, g.display_name.as_str()), ("apple", "Friends"));
        assert_eq!(g.members.len(), 1);
        assert_eq!(
            g.members[0].href.as_deref(),
            Some("/dav/addressbooks/al/book/ann.vcf")
        );
        assert!(matches!(
            add_member(&store, &book, "ann.vcf", "ann.vcf"),
            Err(TransferError::NotFound(_))
        ));
        assert!(add_member(&store, &book, &name, "nope.vcf").is_err());
        remove_member(&store, &book, &name, &g.members[0].uid).expect("removed");
        assert!(
            group(&store, &book, &name)
                .expect("group")
                .members
                .is_empty()
        );
        // A book whose groups are all vCard 4 gets vCard 4 groups.
        let other = place(&store, "addressbooks/al/other");
        let v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:t\r\nFN:T\r\nKIND:group\r\nEND:VCARD\r\n";
        put_card(&store, &other, "t.vcf", v4);
        let made = create_group(&store, &other, "Team").expect("created");
        assert_eq!(group(&store, &other, &made).expect("group").form, "vcard4");
    }

    #[test]
    fn both_forms_resolve_their_members() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_card(&store, &book, "ann.vcf", &card("urn:uuid:ann", "Ann", ""));
        put_card(&store, &book, "bob.vcf", &card("bob", "Bob", ""));
        let v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:team\r\nFN:Team\r\nKIND:group\r\nMEMBER:urn:uuid:ann\r\nMEMBER:urn:uuid:gone\r\nEND:VCARD\r\n";
        put_card(&store, &book, "team.vcf", v4);
        let apple = card(
            "friends",
            "Friends",
            "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bob\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann\r\n",
        );
        put_card(&store, &book, "friends.vcf", &apple);
        let all = groups(&store, &book).expect("groups");
        let forms: Vec<(&str, &str)> = all.iter().map(|g| (g.name.as_str(), g.form)).collect();
        assert_eq!(forms, [("friends.vcf", "apple"), ("team.vcf", "vcard4")]);
        let team = group(&store, &book, "team.vcf").expect("team");
        assert_eq!(
            team.members[0].href.as_deref(),
            Some("/dav/addressbooks/al/book/ann.vcf")
        );
        assert_eq!(team.members[0].display_name.as_deref(), Some("Ann"));
        assert_eq!(
            (team.members[1].uid.as_str(), team.members[1].href.as_ref()),
            ("gone", None)
        );
        let of_ann: Vec<String> = groups_of(&store, &book, "ann.vcf")
            .expect("groups of ann")
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(of_ann, ["friends.vcf", "team.vcf"]);
        assert!(matches!(
            group(&store, &book, "ann.vcf"),
            Err(TransferError::NotFound(_))
        ));
        assert!(matches!(
            groups_of(&store, &book, "nope.vcf"),
            Err(TransferError::NotFound(_))
        ));
    }
}
