//! Contract tests of [`crate::store::TrashStore`]: the version history, the trash of objects
//! and collections, restores and the purge. Time matters here, so each test gets the store's
//! [`ManualClock`] too: a backend runs them with [`trash_contract_tests!`].

use super::{account, calendar, names, new_collection, object, put, reload, setup, summary};
use crate::store::clock::ManualClock;
use crate::store::{
    Change, CollectionKind, ConditionalPut, Deleter, NewCollection, ObjectMove, Page, PageKey,
    PropChange, Purged, PutObject, RestorePlan, RestoreSource, RestoredObject, Store, StoreError,
    Trash, TrashedCollection, Version, VersionEnd, VersionPlace, WriteCondition,
};

/// Generates one `#[test]` per trash contract function. `$fresh` is a
/// `fn() -> (Guard, Backend, Arc<ManualClock>)`: a new empty store whose clock the test moves.
macro_rules! trash_contract_tests {
    ($fresh:path) => {
        $crate::store::contract::trash::trash_contract_tests!(@each $fresh;
            replacing_keeps_the_previous_version_creating_keeps_none,
            deleting_moves_an_object_to_the_trash,
            the_trash_does_not_count_against_the_quota,
            restore_brings_an_object_back_as_a_new_change,
            restore_refuses_uid_and_name_clashes_and_changes_nothing,
            restore_checks_the_quota,
            point_in_time_state_and_restore,
            deleting_a_collection_keeps_it_with_its_objects_and_history,
            restoring_a_collection_respects_the_collection_limit,
            purge_removes_what_ended_before_the_cutoff,
            removing_an_account_removes_its_trash,
            a_new_database_has_a_complete_history_and_finds_accounts_by_id,
            trash_ids_are_never_reused,
            a_trash_entry_is_restored_at_most_once,
            writing_the_same_bytes_again_changes_nothing,
            content_replaced_within_its_second_keeps_no_version,
            the_trash_and_history_are_capped_oldest_first,
            a_point_in_time_restore_may_move_uids_between_members,
            a_point_in_time_restore_undoes_later_deletions_of_what_it_writes,
            the_trash_and_the_versions_are_read_in_pages,
            batched_puts_keep_what_they_replace,
            a_moved_object_is_history_of_its_source_not_trash,
            a_batch_changes_nothing_for_the_same_bytes_and_is_capped,
            a_move_keeps_the_source_history_by_the_same_rules,
        );
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_keep, store, clock) = $fresh();
                $crate::store::contract::trash::$name(&store, &clock);
            }
        )*
    };
}
pub(crate) use trash_contract_tests;

const DAY: i64 = 86_400;

/// Both kinds of collection, for a listing of the whole trash.
const BOTH: [CollectionKind; 2] = [CollectionKind::Calendar, CollectionKind::AddressBook];

fn restored(from: RestoreSource, name: &str, uid: &str, body: &str) -> RestoredObject {
    let mut o = object(name, uid, body);
    // A restored object gets an ETag of its own (the trash module salts it).
    o.etag = format!("\"restored-{name}-{body}\"");
    RestoredObject { from, object: o }
}

/// The writes of a point-in-time restore of `collection` to `at`: the versions current then.
fn writes_back_to(store: &dyn Store, collection: i64, at: i64) -> Vec<RestoredObject> {
    store
        .versions_at(collection, at, None)
        .expect("versions_at")
        .into_iter()
        .map(|(v, body)| {
            restored(
                RestoreSource::Version(v.id),
                &v.name,
                &v.uid,
                std::str::from_utf8(&body).expect("utf-8"),
            )
        })
        .collect()
}

/// Every version of member `name`, newest first.
fn versions_of(store: &dyn Store, collection: i64, name: &str) -> Vec<Version> {
    store
        .versions(collection, name, &Page::default())
        .expect("versions")
}

/// The whole trash of `owner`.
fn trash_of(store: &dyn Store, owner: i64) -> Trash {
    store.trash(owner, &BOTH, &Page::default()).expect("trash")
}

fn body_of(store: &dyn Store, collection: i64, name: &str) -> Option<String> {
    store
        .get_object(collection, name)
        .expect("get")
        .map(|o| String::from_utf8(o.body).expect("utf-8"))
}

/// A fresh calendar's objects keep no history; each replacement keeps the content it replaces,
/// with when it was written and replaced.
pub(crate) fn replacing_keeps_the_previous_version_creating_keeps_none(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "version one"));
    assert!(versions_of(store, coll.id, "a.ics").is_empty());
    assert_eq!(
        store.trash_usage(coll.owner).expect("usage").history_bytes,
        0
    );
    clock.set(2_000);
    put(store, coll.id, &object("a.ics", "A", "version two"));
    let live = store.get_object(coll.id, "a.ics").expect("get").expect("a");
    assert_eq!((live.meta.modified, live.meta.created), (2_000, 1_000));
    let versions = versions_of(store, coll.id, "a.ics");
    assert_eq!(versions.len(), 1, "{versions:?}");
    let v = &versions[0];
    assert_eq!(
        (v.valid_from, v.valid_to, v.ended, v.restored),
        (1_000, 2_000, VersionEnd::Replaced, false)
    );
    assert_eq!((v.uid.as_str(), v.name.as_str()), ("A", "a.ics"));
    assert_eq!(v.etag, object("a.ics", "A", "version one").etag);
    assert_eq!(v.owner, coll.owner);
    assert_eq!(v.place.live(), Some(coll.id));
    assert!(!v.in_trash());
    let (again, body) = store.version(v.id).expect("version").expect("exists");
    assert_eq!((&again, body.as_slice()), (v, b"version one".as_slice()));
    assert!(trash_of(store, coll.owner).objects.is_empty());
    let usage = store.trash_usage(coll.owner).expect("usage");
    assert_eq!((usage.trash_bytes, usage.history_bytes), (0, 11));
    assert!(store.version(v.id + 1000).expect("version").is_none());
}

/// A deletion leaves the tombstone sync needs and a trash entry with who deleted it (by login,
/// which outlives the account) and when; the collection's bytes drop at once.
pub(crate) fn deleting_moves_an_object_to_the_trash(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "aaaa"));
    put(store, coll.id, &object("b.ics", "B", "bb"));
    let token = reload(store, &coll).revision;
    clock.set(5_000);
    let id = store
        .delete_object_by(
            coll.id,
            "a.ics",
            &WriteCondition::None,
            Some(Deleter::Account(coll.owner)),
        )
        .expect("delete");
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_none());
    let changes = store.changes_since(coll.id, token, None).expect("changes");
    assert_eq!(changes.changes, vec![Change::Deleted("a.ics".into())]);
    assert_eq!(reload(store, &coll).used_bytes, 2);
    // The plain delete goes to the trash too, its deleter unknown.
    clock.set(6_000);
    store
        .delete_object(coll.id, "b.ics", &WriteCondition::None)
        .expect("delete");
    let trash = trash_of(store, coll.owner);
    assert!(trash.collections.is_empty());
    let entries: Vec<(&str, i64, Option<&str>)> = trash
        .objects
        .iter()
        .map(|v| (v.name.as_str(), v.valid_to, v.deleted_by.as_deref()))
        .collect();
    assert_eq!(
        entries,
        vec![("b.ics", 6_000, None), ("a.ics", 5_000, Some("owner"))],
        "most recent first"
    );
    let a = &trash.objects[1];
    assert_eq!(a.id, id);
    assert!(a.in_trash());
    assert_eq!((a.uid.as_str(), a.size, a.valid_from), ("A", 4, 1_000));
    assert_eq!(
        a.place,
        VersionPlace::Collection {
            id: coll.id,
            kind: CollectionKind::Calendar,
            name: "cal".into()
        }
    );
    assert_eq!(store.trash_usage(coll.owner).expect("usage").trash_bytes, 6);
    // Conditions still apply, and a refused delete trashes nothing.
    put(store, coll.id, &object("c.ics", "C", "c"));
    assert!(matches!(
        store.delete_object_by(
            coll.id,
            "c.ics",
            &WriteCondition::EtagIn(vec!["\"other\"".into()]),
            None
        ),
        Err(StoreError::PreconditionFailed)
    ));
    assert!(matches!(
        store.delete_object_by(coll.id, "zz.ics", &WriteCondition::None, None),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(trash_of(store, coll.owner).objects.len(), 2);
    // Who deleted it is kept by name: it outlives that account.
    let helper = account(store, "helper");
    store
        .delete_object_by(
            coll.id,
            "c.ics",
            &WriteCondition::None,
            Some(Deleter::Account(helper.id)),
        )
        .expect("delete");
    store.remove_account("helper").expect("remove helper");
    let trash = trash_of(store, coll.owner);
    assert_eq!(trash.objects[0].deleted_by.as_deref(), Some("helper"));
}

/// Deleting makes room at once: the quota counts live objects only.
pub(crate) fn the_trash_does_not_count_against_the_quota(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    let mut a = object("a.ics", "A", "0123456789");
    a.quota = Some(10);
    put(store, coll.id, &a);
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete");
    let mut b = object("b.ics", "B", "9876543210");
    b.quota = Some(10);
    store
        .put_object(coll.id, &b, &WriteCondition::None)
        .expect("fits once a is in the trash");
    // A replaced version does not count either.
    let mut b2 = object("b.ics", "B", "abcdefghij");
    b2.quota = Some(10);
    store
        .put_object(coll.id, &b2, &WriteCondition::None)
        .expect("replacing keeps the old version outside the quota");
}

/// Restoring writes the object with its new ETag as a change the next sync reports, and takes
/// it out of the trash (its version stays as history).
pub(crate) fn restore_brings_an_object_back_as_a_new_change(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "aaaa"));
    let id = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    let token = reload(store, &coll).revision;
    // A plan made at an older revision changes nothing.
    let mut plan = RestorePlan {
        revision: Some(token - 1),
        write: vec![restored(RestoreSource::Trash(id), "a.ics", "A", "aaaa")],
        ..RestorePlan::default()
    };
    assert!(matches!(
        store.apply_restore(coll.id, &plan),
        Err(StoreError::PreconditionFailed)
    ));
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_none());
    plan.revision = Some(token);
    clock.set(2_000);
    let outcome = store.apply_restore(coll.id, &plan).expect("restore");
    assert_eq!(
        (outcome.revision, outcome.written, outcome.deleted),
        (token + 1, 1, 0)
    );
    let live = store
        .get_object(coll.id, "a.ics")
        .expect("get")
        .expect("back");
    assert_eq!(live.body, b"aaaa");
    assert_eq!(live.meta.etag, "\"restored-a.ics-aaaa\"");
    assert_eq!(live.meta.modified, 2_000);
    let coll_now = reload(store, &coll);
    assert_eq!((coll_now.revision, coll_now.used_bytes), (token + 1, 4));
    let changes = store.changes_since(coll.id, token, None).expect("changes");
    assert_eq!(summary(&changes), vec![("a.ics".to_owned(), true)]);
    assert!(trash_of(store, coll.owner).objects.is_empty());
    let (version, _) = store.version(id).expect("version").expect("kept");
    assert!(version.restored && !version.in_trash());
    let usage = store.trash_usage(coll.owner).expect("usage");
    assert_eq!((usage.trash_bytes, usage.history_bytes), (0, 4));
    // An empty plan changes nothing.
    let nothing = store
        .apply_restore(coll.id, &RestorePlan::default())
        .expect("empty");
    assert_eq!(nothing.revision, token + 1);
    assert!(matches!(
        store.apply_restore(coll.id + 1000, &plan),
        Err(StoreError::NotFound(_))
    ));
}

/// A UID taken since the deletion, or a name in use, refuses the restore and leaves
/// everything as it was; a copy under another UID and name goes through.
pub(crate) fn restore_refuses_uid_and_name_clashes_and_changes_nothing(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "aaaa"));
    let id = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    put(
        store,
        coll.id,
        &object("b.ics", "A", "same uid, other name"),
    );
    put(store, coll.id, &object("c.ics", "C", "c"));
    let before = reload(store, &coll);
    let plan = |name: &str, uid: &str| RestorePlan {
        write: vec![restored(RestoreSource::Trash(id), name, uid, "aaaa")],
        ..RestorePlan::default()
    };
    match store.apply_restore(coll.id, &plan("a.ics", "A")) {
        Err(StoreError::UidConflict { uid, existing }) => {
            assert_eq!((uid.as_str(), existing.as_str()), ("A", "b.ics"));
        }
        other => panic!("expected a UID conflict: {other:?}"),
    }
    match store.apply_restore(coll.id, &plan("c.ics", "X")) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("expected the name to be taken: {other:?}"),
    }
    assert_eq!(reload(store, &coll), before);
    assert_eq!(trash_of(store, coll.owner).objects.len(), 1);
    store
        .apply_restore(coll.id, &plan("copy.ics", "A-copy"))
        .expect("a copy");
    assert_eq!(names(store, coll.id), vec!["b.ics", "c.ics", "copy.ics"]);
    assert!(trash_of(store, coll.owner).objects.is_empty());
}

/// A restore that would take the owner past the quota is refused.
pub(crate) fn restore_checks_the_quota(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "0123456789"));
    let id = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    put(store, coll.id, &object("b.ics", "B", "0123456789"));
    let plan = RestorePlan {
        write: vec![restored(
            RestoreSource::Trash(id),
            "a.ics",
            "A",
            "0123456789",
        )],
        quota: Some(15),
        ..RestorePlan::default()
    };
    match store.apply_restore(coll.id, &plan) {
        Err(StoreError::QuotaExceeded {
            used: 10,
            quota: 15,
        }) => {}
        other => panic!("expected QuotaExceeded: {other:?}"),
    }
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_none());
}

/// versions_at gives the versions that were current at a time; a point-in-time plan (delete
/// what came later, rewrite what changed, bring back what was deleted) makes the collection
/// exactly that, keeping what it replaces and deletes.
pub(crate) fn point_in_time_state_and_restore(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a1"));
    put(store, coll.id, &object("b.ics", "B", "b1"));
    clock.set(2_000);
    put(store, coll.id, &object("a.ics", "A", "a2"));
    clock.set(3_000);
    store
        .delete_object(coll.id, "b.ics", &WriteCondition::None)
        .expect("delete");
    clock.set(4_000);
    put(store, coll.id, &object("c.ics", "C", "c1"));
    let at = |t: i64, name: Option<&str>| -> Vec<(String, String)> {
        store
            .versions_at(coll.id, t, name)
            .expect("versions_at")
            .into_iter()
            .map(|(v, body)| (v.name, String::from_utf8(body).expect("utf-8")))
            .collect()
    };
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(at(1_500, None), pairs(&[("a.ics", "a1"), ("b.ics", "b1")]));
    assert_eq!(
        at(2_000, None),
        pairs(&[("b.ics", "b1")]),
        "a2 is live since 2000"
    );
    assert_eq!(at(2_500, Some("b.ics")), pairs(&[("b.ics", "b1")]));
    assert!(at(3_000, None).is_empty());
    assert!(at(999, None).is_empty());
    // Back to 1500: c goes (to the trash), a is rewritten, b comes back.
    let token = reload(store, &coll).revision;
    let plan = RestorePlan {
        revision: Some(token),
        delete: vec!["c.ics".into()],
        write: writes_back_to(store, coll.id, 1_500),
        replace: true,
        at: Some(1_500),
        by: Some(Deleter::Account(coll.owner)),
        quota: None,
    };
    clock.set(5_000);
    let outcome = store.apply_restore(coll.id, &plan).expect("restore");
    assert_eq!((outcome.deleted, outcome.written), (1, 2));
    assert_eq!(names(store, coll.id), vec!["a.ics", "b.ics"]);
    assert_eq!(body_of(store, coll.id, "a.ics").as_deref(), Some("a1"));
    assert_eq!(body_of(store, coll.id, "b.ics").as_deref(), Some("b1"));
    let changes = store.changes_since(coll.id, token, None).expect("changes");
    let mut seen = summary(&changes);
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("a.ics".to_owned(), true),
            ("b.ics".to_owned(), true),
            ("c.ics".to_owned(), false)
        ]
    );
    let trash = trash_of(store, coll.owner);
    let trashed: Vec<(&str, Option<&str>)> = trash
        .objects
        .iter()
        .map(|v| (v.name.as_str(), v.deleted_by.as_deref()))
        .collect();
    assert_eq!(trashed, vec![("c.ics", Some("owner"))], "b left the trash");
    // What the restore replaced is history: the state just before it can come back.
    assert_eq!(at(4_500, None), pairs(&[("a.ics", "a2"), ("c.ics", "c1")]));
    assert_eq!(reload(store, &coll).used_bytes, 4);
}

/// A deleted collection is kept with its dead properties, its members (which come back with
/// it), its earlier trash entries and its history; restoring it gives a new collection whose
/// revision is above any token of the old one.
pub(crate) fn deleting_a_collection_keeps_it_with_its_objects_and_history(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    store
        .update_collection(
            coll.id,
            &[PropChange::Dead {
                namespace: "urn:x".into(),
                name: "colour".into(),
                value: Some("<x:c xmlns:x=\"urn:x\">red</x:c>".into()),
            }],
        )
        .expect("dead prop");
    put(store, coll.id, &object("a.ics", "A", "a1"));
    put(store, coll.id, &object("b.ics", "B", "b1"));
    clock.set(2_000);
    put(store, coll.id, &object("b.ics", "B", "b2"));
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete a");
    let old_revision = reload(store, &coll).revision;
    clock.set(3_000);
    let tid = store
        .delete_collection_by(coll.id, Some(Deleter::Account(coll.owner)))
        .expect("delete collection");
    assert!(
        store
            .collection(coll.owner, coll.kind, "cal")
            .expect("load")
            .is_none()
    );
    assert!(store.get_object(coll.id, "b.ics").expect("get").is_none());
    let trash = trash_of(store, coll.owner);
    assert_eq!(trash.collections.len(), 1);
    let tc: &TrashedCollection = &trash.collections[0];
    let was = &tc.collection;
    assert_eq!(tc.id, tid);
    assert_eq!(
        (was.name.as_str(), was.kind, tc.objects, was.used_bytes),
        ("cal", CollectionKind::Calendar, 1, 2)
    );
    assert_eq!(
        (tc.deleted_at, tc.deleted_by.as_deref()),
        (3_000, Some("owner"))
    );
    assert_eq!(
        (was.id, was.owner, was.created),
        (0, coll.owner, coll.created)
    );
    assert_eq!(was.revision, old_revision);
    assert_eq!(was.components, coll.components);
    assert_eq!(was.dead.len(), 1);
    assert_eq!(
        store.trashed_collection(tid).expect("load").as_ref(),
        Some(tc)
    );
    // a was deleted before: still its own trash entry, now in a trashed collection.
    assert_eq!(trash.objects.len(), 1);
    assert_eq!(
        trash.objects[0].place,
        VersionPlace::Trashed {
            id: tid,
            kind: CollectionKind::Calendar,
            name: "cal".into()
        }
    );
    let members = store.trashed_collection_objects(tid).expect("members");
    let members: Vec<(String, Vec<u8>)> = members.into_iter().map(|(v, b)| (v.name, b)).collect();
    assert_eq!(members, vec![("b.ics".to_owned(), b"b2".to_vec())]);
    assert_eq!(store.trash_usage(coll.owner).expect("usage").trash_bytes, 4);

    // Back, under its name, with b.
    let new = NewCollection {
        kind: was.kind,
        name: was.name.clone(),
        components: was.components.clone(),
        props: was.props.clone(),
        dead: was.dead.clone(),
        position: was.position,
        limit: None,
    };
    let (bv, body) = store
        .trashed_collection_objects(tid)
        .expect("members")
        .pop()
        .expect("b");
    clock.set(4_000);
    let back = store
        .restore_collection(
            tid,
            &new,
            &[restored(
                RestoreSource::Trash(bv.id),
                "b.ics",
                "B",
                std::str::from_utf8(&body).expect("utf-8"),
            )],
            None,
        )
        .expect("restore collection");
    assert_eq!(back.revision, old_revision + 1);
    assert_eq!(back.min_revision, old_revision + 1);
    assert_eq!((back.used_bytes, back.created), (2, coll.created));
    assert_eq!(back.dead, was.dead);
    assert_eq!(names(store, back.id), vec!["b.ics"]);
    let initial = store.changes_since(back.id, 0, None).expect("initial");
    assert_eq!(summary(&initial), vec![("b.ics".to_owned(), true)]);
    assert!(matches!(
        store.changes_since(back.id, old_revision, None),
        Err(StoreError::InvalidSyncToken)
    ));
    let trash = trash_of(store, coll.owner);
    assert!(trash.collections.is_empty());
    assert_eq!(trash.objects.len(), 1, "a stays in the trash");
    assert_eq!(trash.objects[0].place.live(), Some(back.id));
    let history = store
        .versions(back.id, "b.ics", &Page::default())
        .expect("history");
    let ended: Vec<(i64, VersionEnd, bool)> = history
        .iter()
        .map(|v| (v.valid_to, v.ended, v.restored))
        .collect();
    assert_eq!(
        ended,
        vec![
            (3_000, VersionEnd::CollectionDeleted, true),
            (2_000, VersionEnd::Replaced, false)
        ]
    );
    assert!(matches!(
        store.restore_collection(tid, &new, &[], None),
        Err(StoreError::AlreadyRestored(_))
    ));
    assert!(matches!(
        store.delete_collection_by(back.id + 1000, None),
        Err(StoreError::NotFound(_))
    ));
}

/// A collection comes back only within the owner's collection limit and under a free name.
pub(crate) fn restoring_a_collection_respects_the_collection_limit(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    let tid = store.delete_collection_by(coll.id, None).expect("delete");
    calendar(store, coll.owner, "cal");
    let mut new = new_collection(CollectionKind::Calendar, "cal", 0);
    assert!(matches!(
        store.restore_collection(tid, &new, &[], None),
        Err(StoreError::AlreadyExists(_))
    ));
    new.name = "cal-restored".into();
    new.limit = Some(1);
    assert!(matches!(
        store.restore_collection(tid, &new, &[], None),
        Err(StoreError::CollectionLimit(1))
    ));
    assert_eq!(trash_of(store, coll.owner).collections.len(), 1);
    new.limit = Some(2);
    // The objects it comes back with must have distinct names and UIDs among themselves.
    let a = restored(RestoreSource::Version(1), "a.ics", "A", "a");
    for (second, clash) in [
        (
            restored(RestoreSource::Version(2), "a.ics", "B", "b"),
            "name",
        ),
        (
            restored(RestoreSource::Version(2), "b.ics", "A", "b"),
            "uid",
        ),
    ] {
        match (
            store.restore_collection(tid, &new, &[a.clone(), second], None),
            clash,
        ) {
            (Err(StoreError::AlreadyExists(_)), "name") => {}
            (Err(StoreError::UidConflict { uid, existing }), "uid") => {
                assert_eq!((uid.as_str(), existing.as_str()), ("A", "a.ics"));
            }
            (other, _) => panic!("expected a {clash} clash: {other:?}"),
        }
    }
    assert_eq!(trash_of(store, coll.owner).collections.len(), 1);
    store
        .restore_collection(tid, &new, &[], None)
        .expect("within the limit");
    assert!(trash_of(store, coll.owner).collections.is_empty());
}

/// The purge removes every row of an owner that ended at or before the cutoff and reports it;
/// the usage figures follow.
pub(crate) fn purge_removes_what_ended_before_the_cutoff(store: &dyn Store, clock: &ManualClock) {
    clock.set(DAY);
    let coll = setup(store);
    let other = store
        .create_collection(
            coll.owner,
            &new_collection(CollectionKind::AddressBook, "book", 1),
        )
        .expect("book");
    put(store, coll.id, &object("a.ics", "A", "a1"));
    put(store, other.id, &object("x.vcf", "X", "xxxx"));
    clock.set(2 * DAY);
    put(store, coll.id, &object("a.ics", "A", "a2-longer"));
    clock.set(3 * DAY);
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete");
    clock.set(4 * DAY);
    store.delete_collection(other.id).expect("delete book");
    let bystander = account(store, "bystander");
    assert_eq!(
        store.retention_owners().expect("owners"),
        vec![(coll.owner, 2 * DAY)]
    );
    let first = store.purge(coll.owner, 2 * DAY).expect("purge");
    assert_eq!(
        (
            first.versions,
            first.objects,
            first.collections,
            first.bytes
        ),
        (1, 0, 0, 2)
    );
    assert!(versions_of(store, coll.id, "a.ics").len() == 1);
    assert_eq!(trash_of(store, coll.owner).objects.len(), 1);
    let nothing = store.purge(bystander.id, 10 * DAY).expect("purge");
    assert_eq!(nothing, crate::store::Purged::default());
    let second = store.purge(coll.owner, 4 * DAY).expect("purge");
    assert_eq!(
        (
            second.versions,
            second.objects,
            second.collections,
            second.bytes
        ),
        (2, 1, 1, 9 + 4)
    );
    let trash = trash_of(store, coll.owner);
    assert!(trash.objects.is_empty() && trash.collections.is_empty());
    assert_eq!(
        store.trash_usage(coll.owner).expect("usage"),
        crate::store::TrashUsage::default()
    );
    assert!(store.retention_owners().expect("owners").is_empty());
}

/// Removing an account removes its trash and history with it.
pub(crate) fn removing_an_account_removes_its_trash(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a1"));
    put(store, coll.id, &object("a.ics", "A", "a2"));
    put(store, coll.id, &object("b.ics", "B", "b"));
    store
        .delete_object(coll.id, "b.ics", &WriteCondition::None)
        .expect("delete");
    store.delete_collection(coll.id).expect("delete collection");
    assert!(!store.retention_owners().expect("owners").is_empty());
    store.remove_account("owner").expect("remove");
    assert!(store.retention_owners().expect("owners").is_empty());
}

/// A database created with the version history has it complete from the start; the store's
/// clock is the one given; accounts are found by id.
pub(crate) fn a_new_database_has_a_complete_history_and_finds_accounts_by_id(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_234);
    assert_eq!(store.history_since().expect("since"), 0);
    assert_eq!(store.now(), 1_234);
    let owner = account(store, "someone");
    assert_eq!(
        store.account_by_id(owner.id).expect("by id").as_ref(),
        Some(&owner)
    );
    assert!(store.account_by_id(owner.id + 1).expect("by id").is_none());
}

/// A trash id names one deletion forever: once restored or purged, its id is never given to
/// a later deletion (of the same account or another), so a stale id finds nothing rather than
/// something else.
pub(crate) fn trash_ids_are_never_reused(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    let first = store.delete_collection_by(coll.id, None).expect("delete");
    let new = new_collection(CollectionKind::Calendar, "cal", 0);
    store
        .restore_collection(first, &new, &[], None)
        .expect("restore");
    let other = account(store, "other");
    let theirs = calendar(store, other.id, "theirs");
    let second = store.delete_collection_by(theirs.id, None).expect("delete");
    assert_ne!(
        second, first,
        "a restored collection's trash id is not reused"
    );
    assert!(store.trashed_collection(first).expect("load").is_none());

    let back = store
        .collection(coll.owner, CollectionKind::Calendar, "cal")
        .expect("load")
        .expect("restored");
    put(store, back.id, &object("a.ics", "A", "a"));
    let entry = store
        .delete_object_by(back.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    clock.set(2_000);
    store.purge(coll.owner, 1_500).expect("purge");
    assert!(store.version(entry).expect("version").is_none());
    put(store, back.id, &object("b.ics", "B", "b"));
    let later = store
        .delete_object_by(back.id, "b.ics", &WriteCondition::None, None)
        .expect("delete");
    assert_ne!(later, entry, "a purged object's trash id is not reused");
}

/// A trash entry leaves the trash once: a second restore of it (into any collection), or one
/// after the purge removed it, changes nothing and says so; a point-in-time restore may bring
/// back content that was restored before.
pub(crate) fn a_trash_entry_is_restored_at_most_once(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    let elsewhere = calendar(store, coll.owner, "elsewhere");
    put(store, coll.id, &object("a.ics", "A", "aaaa"));
    let id = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    let plan = RestorePlan {
        write: vec![restored(RestoreSource::Trash(id), "a.ics", "A", "aaaa")],
        ..RestorePlan::default()
    };
    store.apply_restore(coll.id, &plan).expect("first restore");
    let before = reload(store, &elsewhere);
    match store.apply_restore(elsewhere.id, &plan) {
        Err(StoreError::AlreadyRestored(_)) => {}
        other => panic!("expected AlreadyRestored: {other:?}"),
    }
    assert_eq!(reload(store, &elsewhere), before, "nothing written");
    assert!(names(store, elsewhere.id).is_empty());
    // Content restored before can come back by a point-in-time restore.
    let again = RestorePlan {
        write: vec![restored(RestoreSource::Version(id), "a.ics", "A", "aaaa")],
        replace: true,
        ..RestorePlan::default()
    };
    store
        .apply_restore(elsewhere.id, &again)
        .expect("a version restored before");
    // An entry the purge removed is gone for good.
    put(store, coll.id, &object("b.ics", "B", "bb"));
    let purged = store
        .delete_object_by(coll.id, "b.ics", &WriteCondition::None, None)
        .expect("delete");
    clock.set(2_000);
    store.purge(coll.owner, 1_500).expect("purge");
    let late = RestorePlan {
        write: vec![restored(RestoreSource::Trash(purged), "b.ics", "B", "bb")],
        ..RestorePlan::default()
    };
    let before = reload(store, &coll);
    assert!(matches!(
        store.apply_restore(coll.id, &late),
        Err(StoreError::AlreadyRestored(_))
    ));
    assert_eq!(reload(store, &coll), before);
}

/// Regression: a PUT of the bytes a member already has kept a version (and bumped the
/// revision) every time, so a client re-sending an object filled the disk. Now it changes
/// nothing: no version, no revision, no change reported to sync.
pub(crate) fn writing_the_same_bytes_again_changes_nothing(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    let a = object("a.ics", "A", "the same bytes");
    put(store, coll.id, &a);
    let before = reload(store, &coll);
    for t in 1..=5 {
        clock.set(1_000 + t * 100);
        let outcome = store
            .put_object(coll.id, &a, &WriteCondition::None)
            .expect("put again");
        assert_eq!(
            (outcome.created, outcome.etag.as_str()),
            (false, a.etag.as_str())
        );
    }
    assert_eq!(reload(store, &coll), before);
    let changes = store
        .changes_since(coll.id, before.revision, None)
        .expect("changes");
    assert!(changes.changes.is_empty(), "{changes:?}");
    assert!(versions_of(store, coll.id, "a.ics").is_empty());
    assert_eq!(
        store.trash_usage(coll.owner).expect("usage"),
        crate::store::TrashUsage::default()
    );
    let live = store.get_object(coll.id, "a.ics").expect("get").expect("a");
    assert_eq!(live.meta.modified, 1_000, "last written at 1000");
    // Conditions still hold a no-op write to them.
    assert!(matches!(
        store.put_object(coll.id, &a, &WriteCondition::MustNotExist),
        Err(StoreError::PreconditionFailed)
    ));
    // Other bytes are a change, and the previous content is kept.
    put(store, coll.id, &object("a.ics", "A", "other bytes"));
    assert_eq!(versions_of(store, coll.id, "a.ics").len(), 1);
}

/// Content written and replaced within the same second was current at no whole second: it
/// is overwritten, not kept, so rewriting an object many times a second adds no versions. A
/// deletion in the second of the write is still kept: it is the trash.
pub(crate) fn content_replaced_within_its_second_keeps_no_version(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a1"));
    clock.set(2_000);
    for n in 2..10 {
        put(store, coll.id, &object("a.ics", "A", &format!("a{n}")));
    }
    let versions = versions_of(store, coll.id, "a.ics");
    let kept: Vec<(i64, i64)> = versions
        .iter()
        .map(|v| (v.valid_from, v.valid_to))
        .collect();
    assert_eq!(kept, vec![(1_000, 2_000)], "only a1, current 1000-2000");
    assert_eq!(
        store.trash_usage(coll.owner).expect("usage").history_bytes,
        2
    );
    assert_eq!(body_of(store, coll.id, "a.ics").as_deref(), Some("a9"));
    let id = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete");
    let (deleted, body) = store.version(id).expect("version").expect("kept");
    assert_eq!((deleted.valid_from, deleted.valid_to), (2_000, 2_000));
    assert_eq!(body, b"a9");
    assert!(deleted.in_trash());
}

/// Regression: the history and the trash had no cap, so rewriting objects filled the disk.
/// They keep at most the cap (the plan's quota): a write with a quota trims them to it, the
/// oldest history first, then the oldest trash entries (a deleted collection as one entry with
/// all it holds); `trim_kept` does the same after a deletion.
pub(crate) fn the_trash_and_history_are_capped_oldest_first(
    store: &dyn Store,
    clock: &ManualClock,
) {
    let capped = |name: &str, body: &str| {
        let mut o = object(name, &name.to_uppercase(), body);
        o.quota = Some(25);
        o
    };
    clock.set(1_000);
    let coll = setup(store);
    let owner = coll.owner;
    put(store, coll.id, &capped("a", "a1________"));
    put(store, coll.id, &capped("b", "b1________"));
    for (t, body) in [(2_000, "a2________"), (3_000, "a3________")] {
        clock.set(t);
        put(store, coll.id, &capped("a", body));
    }
    assert_eq!(store.trash_usage(owner).expect("usage").history_bytes, 20);
    // A third replacement would keep 30 bytes: the oldest version (a1) goes.
    clock.set(4_000);
    put(store, coll.id, &capped("a", "a4________"));
    let kept: Vec<i64> = versions_of(store, coll.id, "a")
        .iter()
        .map(|v| v.valid_from)
        .collect();
    assert_eq!(kept, vec![3_000, 2_000]);
    // A deletion adds to the trash; trimming after it takes the oldest history first...
    clock.set(5_000);
    store
        .delete_object(coll.id, "b", &WriteCondition::None)
        .expect("delete");
    assert_eq!(
        store.trim_kept(owner, 25).expect("trim"),
        Purged {
            objects: 0,
            collections: 0,
            versions: 1,
            bytes: 10,
        }
    );
    assert_eq!(versions_of(store, coll.id, "a").len(), 1);
    assert_eq!(trash_of(store, owner).objects.len(), 1);
    // ...then the trash, oldest first.
    assert_eq!(
        store.trim_kept(owner, 5).expect("trim"),
        Purged {
            objects: 1,
            collections: 0,
            versions: 2,
            bytes: 20,
        }
    );
    assert!(versions_of(store, coll.id, "a").is_empty());
    assert!(trash_of(store, owner).objects.is_empty());
    assert_eq!(
        store.trim_kept(owner, 5).expect("nothing to trim"),
        Purged::default()
    );
    // A deleted collection is one entry, with the objects deleted from it before.
    clock.set(6_000);
    let other = calendar(store, owner, "other");
    put(store, other.id, &object("c", "C", "c_________"));
    put(store, other.id, &object("d", "D", "d_________"));
    put(store, coll.id, &object("x", "X", "x_________"));
    clock.set(6_500);
    store
        .delete_object(other.id, "c", &WriteCondition::None)
        .expect("delete c");
    clock.set(7_000);
    store.delete_collection(other.id).expect("delete other");
    clock.set(8_000);
    store
        .delete_object(coll.id, "x", &WriteCondition::None)
        .expect("delete x");
    assert_eq!(
        store.trim_kept(owner, 10).expect("trim"),
        Purged {
            objects: 0,
            collections: 1,
            versions: 2,
            bytes: 20,
        }
    );
    let trash = trash_of(store, owner);
    assert!(trash.collections.is_empty());
    let names: Vec<&str> = trash.objects.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, vec!["x"]);
    let usage = store.trash_usage(owner).expect("usage");
    assert_eq!((usage.trash_bytes, usage.history_bytes), (10, 0));
}

/// Regression: a point-in-time restore checked each write's UID against the half-restored
/// collection, in name order, so UIDs that moved between members since (a's is b's now) made a
/// false conflict. Each write is checked against the collection as the restore leaves it; a
/// real clash with a member the restore does not rewrite is still refused, changing nothing.
pub(crate) fn a_point_in_time_restore_may_move_uids_between_members(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "X", "a had X"));
    put(store, coll.id, &object("b.ics", "Y", "b had Y"));
    clock.set(2_000);
    put(store, coll.id, &object("a.ics", "Z", "a has Z"));
    put(store, coll.id, &object("b.ics", "X", "b has X"));
    let write = writes_back_to(store, coll.id, 1_500);
    assert_eq!(write.len(), 2);
    let both = RestorePlan {
        write: write.clone(),
        replace: true,
        ..RestorePlan::default()
    };
    clock.set(3_000);
    store
        .apply_restore(coll.id, &both)
        .expect("UIDs moved back");
    let uids: Vec<(String, String)> = store
        .list_objects(coll.id)
        .expect("list")
        .into_iter()
        .map(|m| (m.name, m.uid))
        .collect();
    assert_eq!(
        uids,
        vec![("a.ics".into(), "X".into()), ("b.ics".into(), "Y".into())]
    );
    // a alone back to Z while b keeps X: a real clash, and nothing changes.
    clock.set(4_000);
    put(store, coll.id, &object("b.ics", "Z", "b takes Z"));
    let before = reload(store, &coll);
    let a_then = versions_of(store, coll.id, "a.ics")
        .into_iter()
        .find(|v| v.uid == "Z")
        .expect("a's Z version");
    let one = RestorePlan {
        write: vec![restored(
            RestoreSource::Version(a_then.id),
            "a.ics",
            "Z",
            "a has Z",
        )],
        replace: true,
        ..RestorePlan::default()
    };
    match store.apply_restore(coll.id, &one) {
        Err(StoreError::UidConflict { uid, existing }) => {
            assert_eq!((uid.as_str(), existing.as_str()), ("Z", "b.ics"));
        }
        other => panic!("expected a UID conflict: {other:?}"),
    }
    assert_eq!(reload(store, &coll), before);
    assert_eq!(body_of(store, coll.id, "a.ics").as_deref(), Some("a had X"));
}

/// Regression: a single-object point-in-time restore to before a deletion left that deletion
/// in the trash, offering to restore an object that was live again. The deletions after the
/// time restored to, of the names written, leave the trash (they stay as history); an earlier
/// deletion of another incarnation stays in the trash.
pub(crate) fn a_point_in_time_restore_undoes_later_deletions_of_what_it_writes(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "first a"));
    let early = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete the first a");
    clock.set(2_000);
    put(store, coll.id, &object("a.ics", "A", "second a"));
    clock.set(3_000);
    put(store, coll.id, &object("a.ics", "A", "second a, changed"));
    clock.set(4_000);
    let late = store
        .delete_object_by(coll.id, "a.ics", &WriteCondition::None, None)
        .expect("delete the second a");
    let plan = RestorePlan {
        write: writes_back_to(store, coll.id, 2_500),
        replace: true,
        at: Some(2_500),
        ..RestorePlan::default()
    };
    assert_eq!(plan.write.len(), 1);
    clock.set(5_000);
    store.apply_restore(coll.id, &plan).expect("restore");
    assert_eq!(
        body_of(store, coll.id, "a.ics").as_deref(),
        Some("second a")
    );
    let trash: Vec<i64> = trash_of(store, coll.owner)
        .objects
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(trash, vec![early], "the later deletion is undone");
    let (undone, _) = store.version(late).expect("version").expect("kept");
    assert!(undone.restored, "kept as history");
}

/// The trash and the versions are read a page at a time, newest first: at most `limit`
/// entries of each kind after a key (time, then deleted collections before objects, then id,
/// descending), and only the kinds of collection asked for.
pub(crate) fn the_trash_and_the_versions_are_read_in_pages(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    let owner = coll.owner;
    let first = calendar(store, owner, "first");
    let second = calendar(store, owner, "second");
    for name in ["a.ics", "b.ics", "c.ics"] {
        put(store, coll.id, &object(name, &name.to_uppercase(), name));
    }
    clock.set(2_000);
    let delete = |name: &str| {
        store
            .delete_object_by(coll.id, name, &WriteCondition::None, None)
            .expect("delete")
    };
    let a = delete("a.ics");
    let t1 = store.delete_collection_by(first.id, None).expect("delete");
    clock.set(3_000);
    let b = delete("b.ics");
    let c = delete("c.ics");
    let t2 = store.delete_collection_by(second.id, None).expect("delete");
    let page = |limit: usize, after: Option<PageKey>| {
        let trash = store
            .trash(
                owner,
                &BOTH,
                &Page {
                    limit: Some(limit),
                    after,
                },
            )
            .expect("trash");
        let objects: Vec<i64> = trash.objects.iter().map(|v| v.id).collect();
        let collections: Vec<i64> = trash.collections.iter().map(|t| t.id).collect();
        (objects, collections)
    };
    assert_eq!(page(10, None), (vec![c, b, a], vec![t2, t1]));
    assert_eq!(page(1, None), (vec![c], vec![t2]));
    // After c (3000, an object): b, and of the collections only the one deleted before.
    let after_c = PageKey {
        at: 3_000,
        collection: false,
        id: c,
    };
    assert_eq!(page(1, Some(after_c)), (vec![b], vec![t1]));
    // After the collection t2 (3000): every object of 3000 still comes, it ranks below.
    let after_t2 = PageKey {
        at: 3_000,
        collection: true,
        id: t2,
    };
    assert_eq!(page(10, Some(after_t2)), (vec![c, b, a], vec![t1]));
    let books = store
        .trash(owner, &[CollectionKind::AddressBook], &Page::default())
        .expect("trash");
    assert!(books.objects.is_empty() && books.collections.is_empty());

    // An object's versions, newest first.
    for t in [4_000, 5_000, 6_000, 7_000] {
        clock.set(t);
        put(store, coll.id, &object("v.ics", "V", &format!("v{t}")));
    }
    let versions = |page: Page| -> Vec<i64> {
        store
            .versions(coll.id, "v.ics", &page)
            .expect("versions")
            .iter()
            .map(|v| v.valid_to)
            .collect()
    };
    assert_eq!(versions(Page::default()), vec![7_000, 6_000, 5_000]);
    let newest = versions_of(store, coll.id, "v.ics");
    let after = PageKey {
        at: newest[0].valid_to,
        collection: false,
        id: newest[0].id,
    };
    assert_eq!(
        versions(Page {
            limit: Some(1),
            after: Some(after)
        }),
        vec![6_000]
    );
}

/// What an import batch replaces is kept like what a PUT replaces; what it creates, and an
/// item it refuses, keep nothing.
pub(crate) fn batched_puts_keep_what_they_replace(store: &dyn Store, clock: &ManualClock) {
    clock.set(1_000);
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a1"));
    put(store, coll.id, &object("c.ics", "C", "c1"));
    clock.set(2_000);
    let item = |name: &str, uid: &str, body: &str, condition| ConditionalPut {
        object: object(name, uid, body),
        condition,
    };
    let outcomes = store
        .put_objects(
            coll.id,
            &[
                item("a.ics", "A", "a2", WriteCondition::None),
                item("b.ics", "B", "b1", WriteCondition::MustNotExist),
                item("c.ics", "C", "c2", WriteCondition::MustNotExist),
            ],
        )
        .expect("batch");
    assert!(outcomes[0].is_ok() && outcomes[1].is_ok());
    assert!(matches!(outcomes[2], Err(StoreError::PreconditionFailed)));
    let versions = versions_of(store, coll.id, "a.ics");
    let kept: Vec<(i64, i64, VersionEnd)> = versions
        .iter()
        .map(|v| (v.valid_from, v.valid_to, v.ended))
        .collect();
    assert_eq!(kept, vec![(1_000, 2_000, VersionEnd::Replaced)]);
    for name in ["b.ics", "c.ics"] {
        assert!(versions_of(store, coll.id, name).is_empty(), "{name}");
    }
    assert!(trash_of(store, coll.owner).objects.is_empty());
    let before: Vec<(String, String)> = store
        .versions_at(coll.id, 1_500, None)
        .expect("versions_at")
        .into_iter()
        .map(|(v, body)| (v.name, String::from_utf8(body).expect("utf-8")))
        .collect();
    assert_eq!(before, vec![("a.ics".to_owned(), "a1".to_owned())]);
}

/// A move's source lives on at the destination, so it is not in the trash; it is history of
/// the collection it left (a point-in-time restore of that collection to before the move finds
/// it), and what it replaces at the destination is history there. A refused move keeps
/// nothing.
pub(crate) fn a_moved_object_is_history_of_its_source_not_trash(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let from = setup(store);
    let to = calendar(store, from.owner, "other");
    put(store, from.id, &object("x.ics", "X", "x1"));
    put(store, to.id, &object("y.ics", "Y", "y1"));
    clock.set(2_000);
    let moved = object("y.ics", "X", "x1");
    let none = WriteCondition::None;
    let stale = WriteCondition::EtagIn(vec!["\"stale\"".into()]);
    let refused = ObjectMove {
        from: from.id,
        name: "x.ics",
        from_condition: &stale,
        to: to.id,
        object: &moved,
        to_condition: &none,
        source_quota: None,
    };
    assert!(matches!(
        store.move_object(&refused),
        Err(StoreError::PreconditionFailed)
    ));
    assert!(versions_of(store, from.id, "x.ics").is_empty());
    assert!(versions_of(store, to.id, "y.ics").is_empty());
    store
        .move_object(&ObjectMove {
            from_condition: &none,
            ..refused
        })
        .expect("move");
    assert!(trash_of(store, from.owner).objects.is_empty());
    for (coll, name) in [(from.id, "x.ics"), (to.id, "y.ics")] {
        let kept: Vec<(i64, i64, VersionEnd, Option<String>)> = versions_of(store, coll, name)
            .into_iter()
            .map(|v| (v.valid_from, v.valid_to, v.ended, v.deleted_by))
            .collect();
        assert_eq!(
            kept,
            vec![(1_000, 2_000, VersionEnd::Replaced, None)],
            "{name}"
        );
    }
    let at = |coll: i64, t: i64| -> Vec<(String, String)> {
        store
            .versions_at(coll, t, None)
            .expect("versions_at")
            .into_iter()
            .map(|(v, body)| (v.name, String::from_utf8(body).expect("utf-8")))
            .collect()
    };
    assert_eq!(at(from.id, 1_500), vec![("x.ics".into(), "x1".into())]);
    assert_eq!(at(to.id, 1_500), vec![("y.ics".into(), "y1".into())]);
    assert!(at(from.id, 2_000).is_empty());
    let usage = store.trash_usage(from.owner).expect("usage");
    assert_eq!((usage.trash_bytes, usage.history_bytes), (0, 4));
}

/// The review's rules hold for batched puts (imports) as for a single put: an item of the
/// bytes a member already has changes nothing (no version, no revision, no change), and what
/// the batch replaces is trimmed to the quota, oldest first.
pub(crate) fn a_batch_changes_nothing_for_the_same_bytes_and_is_capped(
    store: &dyn Store,
    clock: &ManualClock,
) {
    let capped = |name: &str, body: &str| ConditionalPut {
        object: PutObject {
            quota: Some(25),
            ..object(name, &name.to_uppercase(), body)
        },
        condition: WriteCondition::None,
    };
    clock.set(1_000);
    let coll = setup(store);
    let batch = |items: &[ConditionalPut]| {
        for outcome in store.put_objects(coll.id, items).expect("batch") {
            outcome.expect("item");
        }
    };
    batch(&[capped("a", "a1________"), capped("b", "b1________")]);
    clock.set(2_000);
    let before = reload(store, &coll);
    let outcomes = store
        .put_objects(
            coll.id,
            &[capped("a", "a1________"), capped("b", "b2________")],
        )
        .expect("batch");
    let same = outcomes[0].as_ref().expect("the same bytes");
    assert!(!same.created);
    let changed: Vec<String> = store
        .changes_since(coll.id, before.revision, None)
        .expect("changes")
        .changes
        .into_iter()
        .map(|c| match c {
            Change::Present(meta) => meta.name,
            Change::Deleted(name) => name,
        })
        .collect();
    assert_eq!(changed, vec!["b".to_owned()], "only b changed");
    assert_eq!(reload(store, &coll).revision, before.revision + 1);
    assert!(versions_of(store, coll.id, "a").is_empty());
    // History: b1 (replaced at 2000), a1 (3000), a2 (4000): 30 bytes over the cap of 25, so
    // the oldest, b1, goes.
    for (t, body) in [(3_000, "a2________"), (4_000, "a3________")] {
        clock.set(t);
        batch(&[capped("a", body)]);
    }
    assert!(versions_of(store, coll.id, "b").is_empty(), "b1 went first");
    let kept: Vec<i64> = versions_of(store, coll.id, "a")
        .iter()
        .map(|v| v.valid_to)
        .collect();
    assert_eq!(kept, vec![4_000, 3_000]);
    assert_eq!(
        store.trash_usage(coll.owner).expect("usage").history_bytes,
        20
    );
}

/// A move's source joins the history by the rules of any replaced content: not kept when it
/// was written within the same second (the move still succeeds and leaves its tombstone), and
/// trimmed to the source owner's quota (`ObjectMove::source_quota`), oldest first.
pub(crate) fn a_move_keeps_the_source_history_by_the_same_rules(
    store: &dyn Store,
    clock: &ManualClock,
) {
    clock.set(1_000);
    let from = setup(store);
    let to = calendar(store, from.owner, "other");
    let none = WriteCondition::None;
    let x = object("x.ics", "X", "x1");
    put(store, from.id, &x);
    let before = reload(store, &from);
    store
        .move_object(&ObjectMove {
            from: from.id,
            name: "x.ics",
            from_condition: &none,
            to: to.id,
            object: &x,
            to_condition: &none,
            source_quota: None,
        })
        .expect("a move within the second of the write");
    assert!(versions_of(store, from.id, "x.ics").is_empty());
    let changes = store
        .changes_since(from.id, before.revision, None)
        .expect("changes");
    assert_eq!(changes.changes, vec![Change::Deleted("x.ics".into())]);
    assert_eq!(names(store, to.id), vec!["x.ics"]);

    put(store, from.id, &object("y.ics", "Y", "y1________"));
    clock.set(2_000);
    let y2 = object("y.ics", "Y", "y2________");
    put(store, from.id, &y2);
    clock.set(3_000);
    store
        .move_object(&ObjectMove {
            from: from.id,
            name: "y.ics",
            from_condition: &none,
            to: to.id,
            object: &y2,
            to_condition: &none,
            source_quota: Some(15),
        })
        .expect("move");
    // y1 (1000-2000) and y2 (2000-3000) take 20 bytes, over 15: y1 goes.
    let kept: Vec<(i64, i64)> = versions_of(store, from.id, "y.ics")
        .iter()
        .map(|v| (v.valid_from, v.valid_to))
        .collect();
    assert_eq!(kept, vec![(2_000, 3_000)]);
}
