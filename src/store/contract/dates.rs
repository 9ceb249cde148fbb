//! Contract tests of the date index of contacts: every write path keeps it, removals take it
//! away, and a read covers exactly the collections asked for.

use super::{account, new_collection, object_with, put};
use crate::store::{
    Collection, CollectionKind, ConditionalPut, ContactDate, ContactDates, DateKind, MemberDate,
    ObjectMove, PutObject, RestorePlan, RestoreSource, RestoredObject, Store, WriteCondition,
};

fn address_book(store: &dyn Store, owner: i64, name: &str) -> Collection {
    store
        .create_collection(owner, &new_collection(CollectionKind::AddressBook, name, 1))
        .expect("address book")
}

fn birthday(label: &str, year: Option<i32>, month: u32, day: u32) -> ContactDate {
    ContactDate {
        kind: DateKind::Birthday,
        month,
        day,
        year,
        label: label.to_owned(),
    }
}

fn anniversary(label: &str, year: Option<i32>, month: u32, day: u32) -> ContactDate {
    ContactDate {
        kind: DateKind::Anniversary,
        ..birthday(label, year, month, day)
    }
}

/// A card `name` (UID `name`) whose index holds `dates`; `body` sets its bytes.
fn card(name: &str, body: &str, dates: Vec<ContactDate>) -> PutObject {
    let mut object = object_with(name, name, "VCARD", body);
    object.index.first_start = None;
    object.index.last_end = None;
    object.index.span_exact = false;
    object.index.dates = dates;
    object
}

fn member(collection: &Collection, name: &str, date: ContactDate) -> MemberDate {
    MemberDate {
        collection: collection.id,
        name: name.to_owned(),
        date,
    }
}

fn dates_of(store: &dyn Store, collections: &[&Collection]) -> Vec<MemberDate> {
    let ids: Vec<i64> = collections.iter().map(|c| c.id).collect();
    let found = store.contact_dates(&ids).expect("contact dates");
    assert!(found.unindexed.is_empty(), "every card here is indexed");
    found.dates
}

/// Puts, batches, replacements and deletions keep exactly the dates of the live cards, each
/// read only for the collections asked for.
pub(crate) fn contact_dates_follow_puts_batches_and_deletions(store: &dyn Store) {
    let owner = account(store, "alice").id;
    let book = address_book(store, owner, "contacts");
    let other = address_book(store, owner, "other");
    let ann = birthday("Ann", Some(1985), 4, 15);
    let ann_wedding = anniversary("Ann", None, 6, 1);
    put(
        store,
        book.id,
        &card("ann.vcf", "ANN", vec![ann.clone(), ann_wedding.clone()]),
    );
    put(store, book.id, &card("nobody.vcf", "NOBODY", Vec::new()));
    let outcomes = store
        .put_objects(
            other.id,
            &[ConditionalPut {
                object: card("bob.vcf", "BOB", vec![birthday("Bob", None, 2, 29)]),
                condition: WriteCondition::MustNotExist,
            }],
        )
        .expect("batch");
    assert!(outcomes.iter().all(Result::is_ok));

    assert_eq!(
        dates_of(store, &[&book, &other]),
        vec![
            member(&book, "ann.vcf", ann.clone()),
            member(&book, "ann.vcf", ann_wedding.clone()),
            member(&other, "bob.vcf", birthday("Bob", None, 2, 29)),
        ]
    );
    assert_eq!(
        dates_of(store, &[&book]),
        vec![
            member(&book, "ann.vcf", ann.clone()),
            member(&book, "ann.vcf", ann_wedding),
        ]
    );
    assert_eq!(
        store.contact_dates(&[]).expect("none"),
        ContactDates::default()
    );
    assert_eq!(
        store.contact_dates(&[other.id + 1000]).expect("unknown"),
        ContactDates::default()
    );

    // A replacement replaces the dates (label included); one without dates removes them.
    let renamed = birthday("Ann B.", Some(1985), 4, 16);
    put(
        store,
        book.id,
        &card("ann.vcf", "ANN2", vec![renamed.clone()]),
    );
    assert_eq!(
        dates_of(store, &[&book]),
        vec![member(&book, "ann.vcf", renamed)]
    );
    put(store, book.id, &card("ann.vcf", "ANN3", Vec::new()));
    assert!(dates_of(store, &[&book]).is_empty());

    store
        .delete_object(other.id, "bob.vcf", &WriteCondition::None)
        .expect("delete");
    assert!(dates_of(store, &[&book, &other]).is_empty());
}

/// A move takes the dates along, a restore from the trash brings them back, and a deleted
/// collection takes its dates with it.
pub(crate) fn contact_dates_follow_moves_restores_and_collections(store: &dyn Store) {
    let owner = account(store, "alice").id;
    let book = address_book(store, owner, "contacts");
    let other = address_book(store, owner, "other");
    let ann = birthday("Ann", Some(1985), 4, 15);
    let original = card("ann.vcf", "ANN", vec![ann.clone()]);
    put(store, book.id, &original);

    let moved = card("moved.vcf", "ANN", vec![ann.clone()]);
    store
        .move_object(&ObjectMove {
            from: book.id,
            name: "ann.vcf",
            from_condition: &WriteCondition::None,
            to: other.id,
            object: &moved,
            to_condition: &WriteCondition::MustNotExist,
            source_quota: None,
        })
        .expect("move");
    assert_eq!(
        dates_of(store, &[&book, &other]),
        vec![member(&other, "moved.vcf", ann.clone())]
    );

    let trashed = store
        .delete_object_by(other.id, "moved.vcf", &WriteCondition::None, None)
        .expect("delete");
    assert!(dates_of(store, &[&other]).is_empty());
    let revision = store
        .collection(owner, CollectionKind::AddressBook, "other")
        .expect("load")
        .expect("exists")
        .revision;
    store
        .apply_restore(
            other.id,
            &RestorePlan {
                revision: Some(revision),
                write: vec![RestoredObject {
                    from: RestoreSource::Trash(trashed),
                    object: moved,
                }],
                ..RestorePlan::default()
            },
        )
        .expect("restore");
    assert_eq!(
        dates_of(store, &[&other]),
        vec![member(&other, "moved.vcf", ann)]
    );

    store
        .delete_collection(other.id)
        .expect("delete collection");
    assert!(dates_of(store, &[&book, &other]).is_empty());
}
