//! Groups of probable duplicate contacts: cards that share a normalised e-mail address, phone
//! number or name (`ical::contact`'s keys), linked transitively (A shares an address with B,
//! B a phone number with C: one group of three). Contact groups are never duplicates.

use std::collections::HashMap;

use serde::Serialize;

use super::{Card, CardView, cards};
use crate::ical::contact::{email_key, name_key, phone_key};
use crate::store::Store;
use crate::transfer::TransferError;
use crate::transfer::place::Place;

/// Cards that are probably the same contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateGroup {
    /// The cards, by name.
    pub cards: Vec<CardView>,
    /// What they share: `e-mail ADDRESS`, `phone NUMBER`, `name NAME` (as the first card that
    /// has it writes it).
    pub reasons: Vec<String>,
}

/// The keys a card is compared by, with how each reads in a reason.
fn keys(card: &Card) -> Vec<(String, String)> {
    let c = &card.contact;
    let mut out = Vec::new();
    for email in &c.emails {
        if let Some(k) = email_key(email) {
            out.push((format!("e:{k}"), format!("e-mail {email}")));
        }
    }
    for phone in &c.phones {
        if let Some(k) = phone_key(phone) {
            out.push((format!("p:{k}"), format!("phone {phone}")));
        }
    }
    if let Some(k) = name_key(&c.display_name) {
        out.push((format!("n:{k}"), format!("name {}", c.display_name)));
    }
    out
}

/// The root of `i` in the union-find forest, compressing the path.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The groups of probable duplicates in the address book of `place`, ordered by their first
/// card's name.
pub fn duplicates(store: &dyn Store, place: &Place) -> Result<Vec<DuplicateGroup>, TransferError> {
    let cards: Vec<Card> = cards(store, place)?
        .into_iter()
        .filter(|c| c.contact.group.is_none())
        .collect();
    let mut parent: Vec<usize> = (0..cards.len()).collect();
    // Each key: the first card with it, how it reads, and how many cards have it.
    let mut seen: HashMap<String, (usize, String, usize)> = HashMap::new();
    for (i, card) in cards.iter().enumerate() {
        let mut own: Vec<(String, String)> = keys(card);
        own.sort();
        own.dedup_by(|a, b| a.0 == b.0);
        for (key, reads) in own {
            match seen.get_mut(&key) {
                Some((first, _, count)) => {
                    *count += 1;
                    let (a, b) = (root(&mut parent, i), root(&mut parent, *first));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    seen.insert(key, (i, reads, 1));
                }
            }
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..cards.len() {
        members.entry(root(&mut parent, i)).or_default().push(i);
    }
    let mut reasons: HashMap<usize, Vec<String>> = HashMap::new();
    for (first, reads, count) in seen.into_values() {
        if count > 1 {
            reasons
                .entry(root(&mut parent, first))
                .or_default()
                .push(reads);
        }
    }
    let mut groups: Vec<(usize, DuplicateGroup)> = members
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(r, m)| {
            let mut why = reasons.remove(&r).unwrap_or_default();
            why.sort();
            let group = DuplicateGroup {
                cards: m.iter().map(|&i| CardView::of(place, &cards[i])).collect(),
                reasons: why,
            };
            (m[0], group)
        })
        .collect();
    groups.sort_by_key(|(first, _)| *first);
    Ok(groups.into_iter().map(|(_, g)| g).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_cards};
    use crate::transfer::testing::{place, store};

    #[test]
    fn shared_keys_link_cards_transitively_and_groups_stay_out() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_cards(
            &store,
            &book,
            &[
                ("a.vcf", card("a", "Ann Lee", "EMAIL:ann@x.org\r\n")),
                (
                    "b.vcf",
                    card("b", "A. Lee", "EMAIL:ANN@x.org\r\nTEL:+41 79 123 45 67\r\n"),
                ),
                ("c.vcf", card("c", "Annie", "TEL:079 123 45 67\r\n")),
                ("d.vcf", card("d", "Bob", "TEL:112\r\n")),
                ("e.vcf", card("e", "bob", "")),
                ("f.vcf", card("f", "Carol", "EMAIL:carol@x.org\r\n")),
                (
                    "g.vcf",
                    card("g", "Carol", "X-ADDRESSBOOKSERVER-KIND:group\r\n"),
                ),
            ],
        );
        let groups = duplicates(&store, &book).expect("duplicates");
        let names: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.cards.iter().map(|c| c.name.as_str()).collect())
            .collect();
        assert_eq!(
            names,
            [vec!["a.vcf", "b.vcf", "c.vcf"], vec!["d.vcf", "e.vcf"]]
        );
        assert_eq!(
            groups[0].reasons,
            ["e-mail ann@x.org", "phone +41 79 123 45 67"]
        );
        assert_eq!(groups[1].reasons, ["name Bob"]);
        assert_eq!(groups[0].cards[0].href, "/dav/addressbooks/al/book/a.vcf");
    }

    #[test]
    fn calendars_are_refused() {
        let (_dir, store) = store();
        let cal = place(&store, "calendars/al/cal");
        assert!(matches!(
            duplicates(&store, &cal),
            Err(TransferError::Invalid(_))
        ));
    }
}
