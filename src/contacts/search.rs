//! Finding contacts by what people type in a search box: a piece of the name, an e-mail
//! address, a phone number or an organisation, in any case, through the store's
//! text index (as addressbook-query prefilters), so a search reads only the cards that can
//! match, never the whole address book.

use super::{Card, address_book};
use crate::ical::contact::read_contact;
use crate::ical::fold::unicode_casemap_key;
use crate::ical::index::card_text;
use crate::store::{Store, TextMatchType};
use crate::transfer::TransferError;
use crate::transfer::place::Place;

/// The properties a search looks in (all of them in the text index: `ical::index::TEXT_PROPS`).
const SEARCHED: [&str; 5] = ["FN", "N", "EMAIL", "TEL", "ORG"];

/// The cards of the address book of `place` with `text` in their FN, N, EMAIL, TEL or ORG
/// (compared as `i;unicode-casemap` keys, like a contacts search of a client), by name.
pub fn search(store: &dyn Store, place: &Place, text: &str) -> Result<Vec<Card>, TransferError> {
    address_book(place)?;
    let needle = unicode_casemap_key(text.trim());
    let mut names = Vec::new();
    for prop in SEARCHED {
        names.extend(store.find_by_text(
            place.collection.id,
            prop,
            &needle,
            TextMatchType::Contains,
        )?);
    }
    names.sort();
    names.dedup();
    // The index names a superset (cards written before it existed): each is checked.
    let objects = store.get_objects(place.collection.id, &names)?;
    Ok(objects
        .into_iter()
        .filter(|o| {
            card_text(&o.body)
                .iter()
                .any(|(prop, value)| SEARCHED.contains(&prop.as_str()) && value.contains(&needle))
        })
        .filter_map(|o| {
            Some(Card {
                contact: read_contact(&o.body)?,
                name: o.meta.name,
                etag: o.meta.etag,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_cards};
    use crate::transfer::testing::{place, store};

    #[test]
    fn a_search_matches_names_addresses_phones_and_organisations_in_any_case() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_cards(
            &store,
            &book,
            &[
                ("a.vcf", card("a", "Zoé Müller", "N:Müller;Zoé;;;\r\n")),
                ("b.vcf", card("b", "Bob", "EMAIL:bob@ACME.example\r\n")),
                (
                    "c.vcf",
                    card("c", "Carl", "TEL:+41 79 555 12 34\r\nORG:Acme SA\r\n"),
                ),
                ("d.vcf", card("d", "Dora", "NOTE:muller acme 555\r\n")),
            ],
        );
        let found = |q: &str| -> Vec<String> {
            search(&store, &book, q)
                .expect("search")
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        assert_eq!(found("MÜLLER"), ["a.vcf"]);
        assert_eq!(found("zoé"), ["a.vcf"]);
        assert!(
            found("muller").is_empty(),
            "accents count, as in addressbook-query"
        );
        assert_eq!(found("acme"), ["b.vcf", "c.vcf"]);
        assert_eq!(found("555 12"), ["c.vcf"]);
        assert!(found("<script>").is_empty());
        let cal = place(&store, "calendars/al/cal");
        assert!(matches!(
            search(&store, &cal, "x"),
            Err(TransferError::Invalid(_))
        ));
    }
}
