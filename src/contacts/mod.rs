//! Contact tools over an address book: groups of probable duplicate contacts and their merge
//! into one card, and contact groups with their members in either form clients write them
//! (`ical::contact`). Shared by the JSON API and the command line; the rules of who may open
//! an address book are `transfer::place`'s.
//!
//! May import `ical`, `store` and `transfer` (places, content checks, errors); never
//! `methods`, `api`, `http`, `cli` or `app`.

pub mod duplicates;
pub mod edit;
pub mod groups;
pub mod merge;
pub mod search;

use serde::Serialize;

use crate::ical::contact::{Contact, read_contact};
use crate::store::{CollectionKind, Store, WriteCondition};
use crate::transfer::TransferError;
use crate::transfer::content::{prepare, refusal};
use crate::transfer::place::Place;

/// Cards read per page when a tool goes through a whole address book.
const PAGE_OBJECTS: usize = 512;
/// Body bytes read per page.
const PAGE_BYTES: i64 = 4 << 20;

/// A card of the address book, as the tools see it.
#[derive(Debug, Clone)]
pub struct Card {
    /// Its object name.
    pub name: String,
    /// Its ETag when read.
    pub etag: String,
    /// What it says.
    pub contact: Contact,
}

/// Every card of the address book of `place`, read page by page (bodies are not kept).
pub fn cards(store: &dyn Store, place: &Place) -> Result<Vec<Card>, TransferError> {
    address_book(place)?;
    let mut out = Vec::new();
    let mut after = String::new();
    loop {
        let page = store.objects_page(place.collection.id, &after, PAGE_OBJECTS, PAGE_BYTES)?;
        let Some(last) = page.last() else {
            return Ok(out);
        };
        after = last.meta.name.clone();
        out.extend(page.into_iter().filter_map(|o| {
            Some(Card {
                contact: read_contact(&o.body)?,
                name: o.meta.name,
                etag: o.meta.etag,
            })
        }));
    }
}

/// Writes `body` over member `name` of `place` if its ETag is still `etag` (as a PUT with
/// `If-Match` does: content rules, size, quota, UID clash); the new ETag.
fn write(
    store: &dyn Store,
    place: &Place,
    name: &str,
    etag: &str,
    body: Vec<u8>,
) -> Result<String, TransferError> {
    put(
        store,
        place,
        name,
        body,
        &WriteCondition::EtagIn(vec![etag.to_owned()]),
    )
}

/// Writes `body` as member `name` of `place` under `condition`, with the checks of a PUT;
/// the new ETag.
fn put(
    store: &dyn Store,
    place: &Place,
    name: &str,
    body: Vec<u8>,
    condition: &WriteCondition,
) -> Result<String, TransferError> {
    address_book(place)?;
    let object = prepare(&place.collection, &place.plan, name, body, None)?;
    match store.put_object(place.collection.id, &object, condition) {
        Ok(outcome) => Ok(outcome.etag),
        Err(e) => {
            let e = refusal(e, place.collection.kind, &place.plan, |n| {
                place.object_href(n)
            })?;
            Err(e.into())
        }
    }
}

/// Refuses a calendar: these are tools for address books.
fn address_book(place: &Place) -> Result<(), TransferError> {
    match place.collection.kind {
        CollectionKind::AddressBook => Ok(()),
        CollectionKind::Calendar => Err(TransferError::Invalid(format!(
            "{} is a calendar; contact tools work on address books",
            place.path
        ))),
    }
}

/// A card as the API and the command line show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardView {
    /// Its DAV href.
    pub href: String,
    /// Its object name (what merge and the group queries take).
    pub name: String,
    /// UID.
    pub uid: String,
    /// FN.
    pub display_name: String,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
}

impl CardView {
    /// The view of `card`, a member of the address book of `place`.
    fn of(place: &Place, card: &Card) -> CardView {
        let c = &card.contact;
        CardView {
            href: place.object_href(&card.name),
            name: card.name.clone(),
            uid: c.uid.clone(),
            display_name: c.display_name.clone(),
            emails: c.emails.clone(),
            phones: c.phones.clone(),
        }
    }
}

/// Writing cards into the test address book of `transfer::testing`.
#[cfg(test)]
pub(crate) mod testing {
    use crate::store::{Store, WriteCondition};
    use crate::transfer::content::prepare;
    use crate::transfer::place::Place;

    /// A vCard 3.0 with these UID and FN and `extra` lines (each ending in CRLF).
    pub(crate) fn card(uid: &str, name: &str, extra: &str) -> String {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n{extra}END:VCARD\r\n")
    }

    /// Puts each `(name, card)` into the address book of `place`.
    pub(crate) fn put_cards(store: &dyn Store, place: &Place, cards: &[(&str, String)]) {
        for (name, card) in cards {
            put_card(store, place, name, card);
        }
    }

    /// Puts `card` as `name` into the address book of `place`.
    pub(crate) fn put_card(store: &dyn Store, place: &Place, name: &str, card: &str) {
        let object = prepare(
            &place.collection,
            &place.plan,
            name,
            card.as_bytes().to_vec(),
            None,
        )
        .expect("valid card");
        store
            .put_object(place.collection.id, &object, &WriteCondition::None)
            .expect("put");
    }
}
