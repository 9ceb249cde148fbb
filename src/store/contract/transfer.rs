//! Contract tests of the writes and reads that move data in bulk: batched puts (imports),
//! moves between collections (MOVE), and paged reads with bodies (exports).

use super::{account, calendar, names, object, put, reload, setup, strings, summary};
use crate::store::{
    Change, ConditionalPut, ObjectMove, PutObject, Store, StoreError, WriteCondition,
};

fn item(object: PutObject, condition: WriteCondition) -> ConditionalPut {
    ConditionalPut { object, condition }
}

/// A batch writes every acceptable item in one go, refuses the others one by one, and counts a
/// revision and a change-log row per item written.
pub(crate) fn put_objects_keeps_items_apart(store: &dyn Store) {
    let cal = setup(store);
    put(store, cal.id, &object("old.ics", "old", "OLD"));
    let before = reload(store, &cal);
    let outcomes = store
        .put_objects(
            cal.id,
            &[
                item(object("a.ics", "a", "A"), WriteCondition::MustNotExist),
                // Clashes with the UID of an existing member.
                item(
                    object("dup.ics", "old", "DUP"),
                    WriteCondition::MustNotExist,
                ),
                // Clashes with the UID of an item written earlier in the same batch.
                item(object("dup2.ics", "a", "DUP2"), WriteCondition::None),
                // Replaces a member under its current ETag.
                item(
                    object("old.ics", "old", "NEW"),
                    WriteCondition::EtagIn(vec![super::etag_of(b"OLD")]),
                ),
                // Its condition does not hold.
                item(object("b.ics", "b", "B"), WriteCondition::MustExist),
                item(object("c.ics", "c", "C"), WriteCondition::None),
            ],
        )
        .expect("batch");
    assert_eq!(outcomes.len(), 6);
    assert!(matches!(&outcomes[0], Ok(o) if o.created));
    assert!(
        matches!(&outcomes[1], Err(StoreError::UidConflict { existing, .. }) if existing == "old.ics")
    );
    assert!(
        matches!(&outcomes[2], Err(StoreError::UidConflict { existing, .. }) if existing == "a.ics")
    );
    assert!(matches!(&outcomes[3], Ok(o) if !o.created));
    assert!(matches!(&outcomes[4], Err(StoreError::PreconditionFailed)));
    assert!(matches!(&outcomes[5], Ok(o) if o.created));
    assert_eq!(
        names(store, cal.id),
        strings(&["a.ics", "c.ics", "old.ics"])
    );
    let after = reload(store, &cal);
    assert_eq!(
        after.revision,
        before.revision + 3,
        "one revision per write"
    );
    assert_eq!(after.used_bytes, 1 + 1 + 3);
    let body = store
        .get_object(cal.id, "old.ics")
        .expect("get")
        .expect("old");
    assert_eq!(body.body, b"NEW");
    let changes = store
        .changes_since(cal.id, before.revision, None)
        .expect("changes");
    assert_eq!(changes.changes.len(), 3);
}

/// A batch for a collection that does not exist fails as a whole.
pub(crate) fn put_objects_needs_the_collection(store: &dyn Store) {
    let cal = setup(store);
    match store.put_objects(
        cal.id + 1000,
        &[item(object("a.ics", "a", "A"), WriteCondition::None)],
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing collection: {other:?}"),
    }
}

/// Quota is checked per item against what the earlier items of the batch added.
pub(crate) fn put_objects_respects_the_quota(store: &dyn Store) {
    let cal = setup(store);
    let mut items = Vec::new();
    for i in 0..4 {
        let mut o = object(&format!("{i}.ics"), &format!("u{i}"), "0123456789");
        o.quota = Some(25);
        items.push(item(o, WriteCondition::None));
    }
    let outcomes = store.put_objects(cal.id, &items).expect("batch");
    assert!(outcomes[0].is_ok() && outcomes[1].is_ok());
    assert!(matches!(
        outcomes[2],
        Err(StoreError::QuotaExceeded {
            used: 20,
            quota: 25
        })
    ));
    assert!(outcomes[3].is_err());
    assert_eq!(reload(store, &cal).used_bytes, 20);
}

fn mv<'a>(
    from: i64,
    name: &'a str,
    from_condition: &'a WriteCondition,
    to: i64,
    object: &'a PutObject,
    to_condition: &'a WriteCondition,
) -> ObjectMove<'a> {
    ObjectMove {
        from,
        name,
        from_condition,
        to,
        object,
        to_condition,
        source_quota: None,
    }
}

/// A move removes the source (tombstone, revision) and writes the destination (revision) in
/// one transaction.
pub(crate) fn move_object_between_collections(store: &dyn Store) {
    let a = setup(store);
    let b = calendar(store, a.owner, "other");
    put(store, a.id, &object("x.ics", "x", "X"));
    let (a0, b0) = (reload(store, &a), reload(store, &b));
    let moved = object("y.ics", "x", "X");
    let outcome = store
        .move_object(&mv(
            a.id,
            "x.ics",
            &WriteCondition::EtagIn(vec![super::etag_of(b"X")]),
            b.id,
            &moved,
            &WriteCondition::MustNotExist,
        ))
        .expect("move");
    assert!(outcome.created);
    assert!(names(store, a.id).is_empty());
    assert_eq!(names(store, b.id), strings(&["y.ics"]));
    let (a1, b1) = (reload(store, &a), reload(store, &b));
    assert_eq!(
        (a1.revision, b1.revision),
        (a0.revision + 1, b0.revision + 1)
    );
    assert_eq!((a1.used_bytes, b1.used_bytes), (0, 1));
    let changes = store
        .changes_since(a.id, a0.revision, None)
        .expect("changes");
    assert_eq!(summary(&changes), vec![("x.ics".to_owned(), false)]);
    let changes = store
        .changes_since(b.id, b0.revision, None)
        .expect("changes");
    assert!(matches!(&changes.changes[..], [Change::Present(m)] if m.name == "y.ics"));
}

/// A rename inside one collection does not clash with its own UID; a refused move (source
/// condition, destination condition, UID clash at the destination) changes nothing.
pub(crate) fn move_object_is_all_or_nothing(store: &dyn Store) {
    let a = setup(store);
    let b = calendar(store, a.owner, "other");
    put(store, a.id, &object("x.ics", "x", "X"));
    put(store, b.id, &object("taken.ics", "t", "T"));
    put(store, b.id, &object("holder.ics", "x", "H"));
    let renamed = object("renamed.ics", "x", "X");
    let onto_taken = object("taken.ics", "x", "X");
    let fresh = object("new.ics", "x", "X");
    let none = WriteCondition::None;
    let stale = WriteCondition::EtagIn(vec!["\"stale\"".into()]);
    let must_not_exist = WriteCondition::MustNotExist;
    let state = |store: &dyn Store| {
        (
            names(store, a.id),
            names(store, b.id),
            reload(store, &a).revision,
            reload(store, &b).revision,
        )
    };
    let before = state(store);
    let refusals = [
        (
            mv(a.id, "x.ics", &stale, a.id, &renamed, &none),
            "source condition",
        ),
        (
            mv(a.id, "x.ics", &none, b.id, &onto_taken, &must_not_exist),
            "destination exists",
        ),
        (
            mv(a.id, "x.ics", &none, b.id, &fresh, &none),
            "UID held at the destination",
        ),
        (
            mv(a.id, "missing.ics", &none, b.id, &renamed, &none),
            "no source",
        ),
    ];
    for (change, what) in &refusals {
        assert!(store.move_object(change).is_err(), "{what}");
        assert_eq!(state(store), before, "{what} changed something");
    }
    store
        .move_object(&mv(a.id, "x.ics", &none, a.id, &renamed, &none))
        .expect("rename");
    assert_eq!(names(store, a.id), strings(&["renamed.ics"]));
}

/// An owner over the quota (it was lowered) may still shrink objects in a batch and move
/// objects between its own collections; growth is refused, and so is a move that brings bytes
/// to another owner over its quota.
pub(crate) fn batches_and_moves_refuse_only_growth(store: &dyn Store) {
    let cal = setup(store);
    let other = calendar(store, cal.owner, "other");
    put(store, cal.id, &object("a.ics", "a", "0123456789"));
    put(store, cal.id, &object("b.ics", "b", "0123456789"));
    let quota = |mut o: PutObject| {
        o.quota = Some(5);
        o
    };
    let outcomes = store
        .put_objects(
            cal.id,
            &[
                item(quota(object("a.ics", "a", "0123")), WriteCondition::None),
                item(
                    quota(object("b.ics", "b", "0123456789ab")),
                    WriteCondition::None,
                ),
            ],
        )
        .expect("batch");
    assert!(
        outcomes[0].is_ok(),
        "shrinking over the quota: {:?}",
        outcomes[0]
    );
    assert!(matches!(
        outcomes[1],
        Err(StoreError::QuotaExceeded { used: 14, quota: 5 })
    ));
    assert_eq!(reload(store, &cal).used_bytes, 14);
    let none = WriteCondition::None;
    let moved = quota(object("b.ics", "b", "0123456789"));
    store
        .move_object(&mv(cal.id, "b.ics", &none, other.id, &moved, &none))
        .expect("a move between the owner's own collections grows nothing");
    assert_eq!(
        (
            reload(store, &cal).used_bytes,
            reload(store, &other).used_bytes
        ),
        (4, 10)
    );
    let stranger = account(store, "stranger");
    let theirs = calendar(store, stranger.id, "theirs");
    put(store, theirs.id, &object("full.ics", "f", "0123456789"));
    let before = (names(store, other.id), names(store, theirs.id));
    assert!(matches!(
        store.move_object(&mv(other.id, "b.ics", &none, theirs.id, &moved, &none)),
        Err(StoreError::QuotaExceeded { used: 10, quota: 5 })
    ));
    assert_eq!((names(store, other.id), names(store, theirs.id)), before);
    assert_eq!(reload(store, &other).used_bytes, 10);
}

/// Pages follow the name order from a cursor and stop at the byte budget, yet always hold at
/// least one member.
pub(crate) fn objects_page_is_bounded(store: &dyn Store) {
    let cal = setup(store);
    for (name, body) in [("a", "1234"), ("b", "5678"), ("c", "90ab"), ("d", "cdef")] {
        put(store, cal.id, &object(&format!("{name}.ics"), name, body));
    }
    let page_names = |after: &str, n: usize, bytes: i64| -> Vec<String> {
        store
            .objects_page(cal.id, after, n, bytes)
            .expect("page")
            .into_iter()
            .map(|o| o.meta.name)
            .collect()
    };
    assert_eq!(
        page_names("", 10, 1_000),
        strings(&["a.ics", "b.ics", "c.ics", "d.ics"])
    );
    assert_eq!(page_names("", 2, 1_000), strings(&["a.ics", "b.ics"]));
    assert_eq!(page_names("b.ics", 10, 1_000), strings(&["c.ics", "d.ics"]));
    assert_eq!(page_names("", 10, 8), strings(&["a.ics", "b.ics"]));
    assert_eq!(
        page_names("", 10, 1),
        strings(&["a.ics"]),
        "one is always read"
    );
    assert!(page_names("d.ics", 10, 1_000).is_empty());
    let page = store.objects_page(cal.id, "c.ics", 1, 100).expect("page");
    assert_eq!(page[0].body, b"cdef");
    assert_eq!(page[0].meta.uid, "d");
}
