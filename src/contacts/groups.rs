//! Contact groups and who is in them. A group is a card of its own, stored as the client
//! wrote it: vCard 4 `KIND:group` + `MEMBER` or Apple's `X-ADDRESSBOOKSERVER-KIND:group` +
//! `X-ADDRESSBOOKSERVER-MEMBER` (both usually `urn:uuid:` + the member's UID). These queries
//! read both, and resolve each member to the card with that UID when the address book has it.

use std::collections::HashMap;

use serde::Serialize;

use super::{Card, cards};
use crate::ical::contact::member_uid;
use crate::store::Store;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_card};
    use crate::transfer::testing::{place, store};

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
