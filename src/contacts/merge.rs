//! Merging a group of duplicate contacts into one card: the kept card (the one asked for, else
//! the first) gains the e-mail addresses, phone numbers and postal addresses only the others
//! have (`ical::vcard_merge`) and keeps its UID; contact groups that listed the others list the
//! kept card instead, in their own form; then the others are deleted to the trash in the name
//! of whoever merged (`TrashStore::delete_object_by`), so the trash says who removed them and
//! a merge can be undone by restoring them (and the kept card's earlier version, which its
//! rewrite kept in the history).
//!
//! The steps are separate writes, each conditional on the ETag read at the start, in an order
//! that never loses data: the merged card first, then the groups, then the deletions. When a
//! card changes meanwhile the merge stops with 412 and whatever it did stays correct (the kept
//! card holds the union); merging again finishes it, since the union adds nothing twice.

use serde::Serialize;

use super::{Card, CardView, cards, write};
use crate::ical::contact::{member_uid, read_contact};
use crate::ical::vcard_merge::{merge_cards, replace_members};
use crate::store::{Deleter, Object, Store, WriteCondition};
use crate::transfer::TransferError;
use crate::transfer::place::Place;

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// The card that stays, as merged.
    pub kept: CardView,
    /// The hrefs of the cards deleted.
    pub removed: Vec<String>,
    /// The hrefs of the contact groups that now list the kept card instead.
    pub groups_updated: Vec<String>,
}

/// Merges the cards named `names` (two or more) of the address book of `place` into `keep`
/// (one of them; the first when `None`), as `by`, whom the trash names as having deleted the
/// others. The owner's trash and history then keep at most its plan's quota, as after any
/// deletion (`TrashStore::trim_kept`).
pub fn merge(
    store: &dyn Store,
    place: &Place,
    names: &[String],
    keep: Option<&str>,
    by: Deleter,
) -> Result<Merged, TransferError> {
    let keep = keep
        .or(names.first().map(String::as_str))
        .unwrap_or_default();
    let mut distinct = names.to_vec();
    distinct.sort();
    distinct.dedup();
    if distinct.len() < 2 || distinct.len() != names.len() {
        return Err(TransferError::Invalid(
            "a merge takes two or more different cards".into(),
        ));
    }
    if !names.iter().any(|n| n == keep) {
        return Err(TransferError::Invalid(format!(
            "the card to keep, {keep}, is not among the cards merged"
        )));
    }
    let objects: Vec<Object> = store.get_objects(place.collection.id, names)?;
    if let Some(missing) = names
        .iter()
        .find(|n| !objects.iter().any(|o| &o.meta.name == *n))
    {
        return Err(TransferError::NotFound(format!("{missing} not found")));
    }
    for o in &objects {
        if read_contact(&o.body).is_none_or(|c| c.group.is_some()) {
            return Err(TransferError::Invalid(format!(
                "{} is a contact group, not a contact; groups are not merged",
                o.meta.name
            )));
        }
    }
    let (kept, others): (Vec<&Object>, Vec<&Object>) =
        objects.iter().partition(|o| o.meta.name == keep);
    let kept = kept[0];
    let bodies: Vec<&[u8]> = others.iter().map(|o| o.body.as_slice()).collect();
    let merged = merge_cards(&kept.body, &bodies)
        .ok_or_else(|| TransferError::Invalid(format!("{keep} cannot be read as a vCard")))?;
    let kept_uid = kept.meta.uid.clone();
    let etag = if merged == kept.body {
        kept.meta.etag.clone()
    } else {
        write(store, place, keep, &kept.meta.etag, merged.clone())?
    };

    let gone: Vec<String> = others.iter().map(|o| o.meta.uid.clone()).collect();
    let mut groups_updated = Vec::new();
    for group in cards(store, place)?
        .into_iter()
        .filter(|c| c.contact.group.is_some() && lists_any(c, &gone))
    {
        let Some(object) = store.get_object(place.collection.id, &group.name)? else {
            continue;
        };
        if let Some(body) = replace_members(&object.body, &gone, &kept_uid) {
            write(store, place, &group.name, &object.meta.etag, body)?;
            groups_updated.push(place.object_href(&group.name));
        }
    }

    let mut removed = Vec::new();
    for other in &others {
        // To the trash, in the name of whoever merged.
        let condition = WriteCondition::EtagIn(vec![other.meta.etag.clone()]);
        store.delete_object_by(place.collection.id, &other.meta.name, &condition, Some(by))?;
        removed.push(place.object_href(&other.meta.name));
    }
    store.trim_kept(place.owner.id, place.plan.quota())?;
    let contact = read_contact(&merged).unwrap_or_default();
    Ok(Merged {
        kept: CardView::of(
            place,
            &Card {
                name: keep.to_owned(),
                etag,
                contact,
            },
        ),
        removed,
        groups_updated,
    })
}

/// Whether group card `group` lists one of the UIDs `gone`.
fn lists_any(group: &Card, gone: &[String]) -> bool {
    group
        .contact
        .members
        .iter()
        .any(|m| gone.iter().any(|g| member_uid(g) == member_uid(m)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_card, put_cards};
    use crate::store::clock::Clock;
    use crate::store::{CollectionKind, Page, TrashStore, VersionEnd};
    use crate::transfer::testing::{place, store, store_with_clock};

    fn names(store: &dyn Store, place: &Place) -> Vec<String> {
        store
            .list_objects(place.collection.id)
            .expect("list")
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn the_kept_card_gains_the_others_values_and_groups_follow() {
        let (_dir, store, clock) = store_with_clock();
        let book = place(&store, "addressbooks/al/book");
        put_cards(
            &store,
            &book,
            &[
                ("a.vcf", card("a", "Ann", "EMAIL:ann@x.org\r\n")),
                (
                    "b.vcf",
                    card("b", "Ann", "EMAIL:ann@y.org\r\nTEL:+41 79 123 45 67\r\n"),
                ),
            ],
        );
        let group = card(
            "g",
            "Team",
            "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:b\r\n",
        );
        put_card(&store, &book, "g.vcf", &group);
        let al = store.account_by_login("al").expect("al").expect("al");
        // Later than the writes, so what the merge replaces is kept (content replaced within
        // the second it was written is not).
        clock.advance(60);
        let merged = merge(
            &store,
            &book,
            &["b.vcf".into(), "a.vcf".into()],
            Some("a.vcf"),
            Deleter::Account(al.id),
        )
        .expect("merge");
        assert_eq!(merged.kept.uid, "a");
        assert_eq!(merged.kept.emails, ["ann@x.org", "ann@y.org"]);
        assert_eq!(merged.kept.phones, ["+41 79 123 45 67"]);
        assert_eq!(merged.removed, ["/dav/addressbooks/al/book/b.vcf"]);
        assert_eq!(merged.groups_updated, ["/dav/addressbooks/al/book/g.vcf"]);
        assert_eq!(names(&store, &book), ["a.vcf", "g.vcf"]);
        let g = store
            .get_object(book.collection.id, "g.vcf")
            .expect("get")
            .expect("group");
        assert!(String::from_utf8_lossy(&g.body).contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a"));
        // The removed card is in the trash, deleted by whoever merged; the kept card's and
        // the group's earlier contents are in the history.
        let trash = store
            .trash(al.id, &[CollectionKind::AddressBook], &Page::default())
            .expect("trash");
        let removed: Vec<(&str, Option<&str>)> = trash
            .objects
            .iter()
            .map(|v| (v.name.as_str(), v.deleted_by.as_deref()))
            .collect();
        assert_eq!(removed, [("b.vcf", Some("al"))]);
        for name in ["a.vcf", "g.vcf"] {
            let versions = store
                .versions(book.collection.id, name, &Page::default())
                .expect("versions");
            assert_eq!(versions.len(), 1, "{name}");
            assert_eq!(versions[0].ended, VersionEnd::Replaced, "{name}");
        }
    }

    /// Issue 6 review: the trash and the history keep at most the plan's quota. A merge's
    /// deletions add to the trash like any deletion, so the merge trims them: the oldest
    /// history goes first, the merge's own trash entry stays.
    #[test]
    fn a_merge_keeps_the_trash_and_history_within_the_quota() {
        let (_dir, store, clock) = store_with_clock();
        let mut book = place(&store, "addressbooks/al/book");
        book.plan.quota_bytes = 150;
        let b = |n: u32| card("b", "Ann", &format!("NOTE:version {n}\r\n"));
        put_cards(
            &store,
            &book,
            &[
                ("a.vcf", card("a", "Ann", "EMAIL:ann@x.org\r\n")),
                ("b.vcf", b(1)),
            ],
        );
        let first = clock.now();
        for n in [2, 3] {
            clock.advance(60);
            put_card(&store, &book, "b.vcf", &b(n));
        }
        clock.advance(60);
        let al = store.account_by_login("al").expect("al").expect("al");
        merge(
            &store,
            &book,
            &["a.vcf".into(), "b.vcf".into()],
            None,
            Deleter::Account(al.id),
        )
        .expect("merge");
        let usage = store.trash_usage(al.id).expect("usage");
        assert!(usage.trash_bytes + usage.history_bytes <= 150, "{usage:?}");
        let b_versions = store
            .versions(book.collection.id, "b.vcf", &Page::default())
            .expect("versions");
        assert_eq!(b_versions[0].ended, VersionEnd::Deleted, "{b_versions:?}");
        assert!(
            b_versions.iter().all(|v| v.valid_from > first),
            "the oldest version went first: {b_versions:?}"
        );
    }

    #[test]
    fn refusals_change_nothing() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_card(&store, &book, "a.vcf", &card("a", "Ann", ""));
        put_card(&store, &book, "g.vcf", &card("g", "G", "KIND:group\r\n"));
        let cases: [(&[&str], Option<&str>); 5] = [
            (&["a.vcf"], None),
            (&["a.vcf", "a.vcf"], None),
            (&["a.vcf", "nope.vcf"], None),
            (&["a.vcf", "g.vcf"], None),
            (&["a.vcf", "g.vcf"], Some("x.vcf")),
        ];
        for (list, keep) in cases {
            let list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
            assert!(
                merge(&store, &book, &list, keep, Deleter::Operator).is_err(),
                "{list:?}"
            );
        }
        assert_eq!(names(&store, &book), ["a.vcf", "g.vcf"]);
        assert_eq!(place(&store, "addressbooks/al/book").collection.revision, 2);
    }
}
