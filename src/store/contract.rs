//! Backend-agnostic contract tests for [`Store`].
//!
//! Owns the behaviour every backend must show, written once against `&dyn Store` so the SQLite
//! backend today and a PostgreSQL backend later are held to exactly the same rules. A backend
//! runs the whole suite with [`store_contract_tests!`], which turns every function here into its
//! own `#[test]`; each test gets a fresh, empty store.
//!
//! The trait has no way to raise `min_revision` (no change-log pruning yet), so the one test that
//! needs it takes a backend-specific hook.

mod dates;
mod org;
pub(crate) mod session;
pub(crate) mod share;
mod transfer;
pub(crate) mod trash;

pub(crate) use self::dates::*;
pub(crate) use self::org::*;
pub(crate) use self::transfer::*;
use crate::store::{
    Account, BusyKind, Change, Changes, Collection, CollectionKind, CollectionProps, DeadProp,
    LegalContact, LiveProp, NewAccount, NewCollection, NewMember, NewOrg, Notices, ObjectFilter,
    ObjectIndex, Placement, ProductAccess, PropChange, PutObject, Role, Store, StoreError,
    WriteCondition, etag_of,
};

/// Generates one `#[test]` per contract function for a backend.
///
/// `$fresh` is a `fn() -> (Guard, Backend)` returning a new empty store plus whatever must live
/// as long as it (e.g. a temporary directory); `$raise_min_revision` is a
/// `fn(&Backend, collection_id, min_revision)` used by the one test the trait cannot set up.
macro_rules! store_contract_tests {
    ($fresh:path, $raise_min_revision:path) => {
        $crate::store::contract::store_contract_tests!(@each $fresh;
            accounts_create_lookup_list_count,
            account_creates_initial_collections,
            account_creation_is_atomic,
            set_password_hash_replaces_and_reports_missing,
            remove_account_cascades,
            collections_create_duplicate_and_missing_owner,
            collections_listed_by_position_then_name,
            collection_props_and_dead_props_round_trip,
            update_collection_applies_all_changes,
            delete_collection_removes_members,
            collection_ids_are_never_reused,
            put_creates_then_updates,
            put_conditions,
            delete_conditions_and_tombstones,
            uid_conflict_leaves_nothing_changed,
            revisions_are_per_collection,
            list_objects_sorted_and_filtered_by_component,
            find_candidates_by_time_span,
            find_candidates_across_span_lengths,
            find_candidates_reads_the_bodies_it_must,
            contained_spans_decide_strictly_inside_windows,
            floating_series_decided_within_the_widest_offset,
            find_busy_answers_from_the_index_where_it_can,
            quota_refuses_growth_but_allows_shrinking,
            get_objects_skips_missing_names,
            used_bytes_tracks_members,
            changes_initial_sync,
            changes_incremental_and_deletions,
            changes_limit_truncation_continues,
            changes_invalid_tokens,
            instance_rows_replaced_on_update_and_gone_on_delete,
            find_candidates_decides_only_what_the_index_knows,
            find_by_text_match_types_and_metacharacters,
            contact_dates_follow_puts_batches_and_deletions,
            contact_dates_follow_moves_restores_and_collections,
            orgs_create_find_and_list,
            account_placement_creates_or_joins_atomically,
            home_membership_is_the_first_joined,
            update_member_is_partial_and_guarded,
            remove_members_is_all_or_nothing,
            plan_change_compares_and_limits_members,
            legal_contact_round_trips,
            teams_hold_only_members_of_their_organisation,
            directory_changes_follow_joins_roles_and_departures,
            directory_entries_are_never_reused,
            remove_account_keeps_a_legal_owner_in_shared_organisations,
            collection_limit_counts_one_kind,
            put_objects_keeps_items_apart,
            put_objects_needs_the_collection,
            put_objects_respects_the_quota,
            move_object_between_collections,
            move_object_is_all_or_nothing,
            objects_page_is_bounded,
            batches_and_moves_refuse_only_growth,
            writes_need_the_authority_they_were_decided_on,
            invitations_wait_for_consent,
        );
        #[test]
        fn changes_below_min_revision() {
            let (_keep, store) = $fresh();
            $crate::store::contract::changes_below_min_revision(&store, &|collection, min| {
                $raise_min_revision(&store, collection, min)
            });
        }
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_keep, store) = $fresh();
                $crate::store::contract::$name(&store);
            }
        )*
    };
}
pub(crate) use store_contract_tests;

// ---------------------------------------------------------------------------------------------
// Helpers

fn new_account(login: &str, collections: Vec<NewCollection>) -> NewAccount {
    NewAccount {
        login: login.to_owned(),
        display_name: format!("{login} Example"),
        email: Some(format!("{login}@example.org")),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1${login}"),
        organisation: Placement::NewOrg {
            org: NewOrg {
                name: format!("{login}'s organisation"),
                plan: "standard".to_owned(),
                contact: LegalContact::default(),
            },
            founder: NewMember {
                role: Role::LegalOwner,
                access: ProductAccess::ALL,
                notices: Notices::ALL,
            },
        },
        collections,
    }
}

fn new_collection(kind: CollectionKind, name: &str, position: i64) -> NewCollection {
    NewCollection {
        kind,
        name: name.to_owned(),
        components: match kind {
            CollectionKind::Calendar => vec!["VEVENT".to_owned(), "VTODO".to_owned()],
            CollectionKind::AddressBook => Vec::new(),
        },
        props: CollectionProps::default(),
        dead: Vec::new(),
        position,
        limit: None,
    }
}

fn account(store: &dyn Store, login: &str) -> Account {
    store
        .create_account(&new_account(login, Vec::new()))
        .expect("create account")
}

fn calendar(store: &dyn Store, owner: i64, name: &str) -> Collection {
    store
        .create_collection(owner, &new_collection(CollectionKind::Calendar, name, 0))
        .expect("create calendar")
}

/// An account with one empty calendar, the setup of most object tests.
fn setup(store: &dyn Store) -> Collection {
    let owner = account(store, "owner");
    calendar(store, owner.id, "cal")
}

fn object(name: &str, uid: &str, body: &str) -> PutObject {
    object_with(name, uid, "VEVENT", body)
}

fn object_with(name: &str, uid: &str, component: &str, body: &str) -> PutObject {
    PutObject {
        name: name.to_owned(),
        body: body.as_bytes().to_vec(),
        etag: etag_of(body.as_bytes()),
        index: ObjectIndex {
            uid: uid.to_owned(),
            component: component.to_owned(),
            first_start: Some(1_700_000_000),
            last_end: Some(1_700_003_600),
            span_exact: true,
            ..ObjectIndex::default()
        },
        quota: None,
    }
}

fn put(store: &dyn Store, collection: i64, object: &PutObject) {
    store
        .put_object(collection, object, &WriteCondition::None)
        .expect("put object");
}

fn reload(store: &dyn Store, collection: &Collection) -> Collection {
    store
        .collection(collection.owner, collection.kind, &collection.name)
        .expect("load collection")
        .expect("collection exists")
}

fn names(store: &dyn Store, collection: i64) -> Vec<String> {
    store
        .list_objects(collection)
        .expect("list objects")
        .into_iter()
        .map(|m| m.name)
        .collect()
}

/// Changes as (name, present?) pairs, which is what most assertions care about.
fn summary(changes: &Changes) -> Vec<(String, bool)> {
    changes
        .changes
        .iter()
        .map(|c| match c {
            Change::Present(meta) => (meta.name.clone(), true),
            Change::Deleted(name) => (name.clone(), false),
        })
        .collect()
}

fn pairs(items: &[(&str, bool)]) -> Vec<(String, bool)> {
    items.iter().map(|(n, p)| ((*n).to_owned(), *p)).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// Accounts

/// Accounts can be created, found by login, listed by login and counted.
pub(crate) fn accounts_create_lookup_list_count(store: &dyn Store) {
    assert_eq!(store.count_accounts().expect("count"), 0);
    assert!(store.list_accounts().expect("list").is_empty());
    let bob = account(store, "bob");
    let alice = account(store, "alice");
    assert_ne!(alice.id, bob.id);
    assert_eq!(alice.login, "alice");
    assert_eq!(alice.display_name, "alice Example");
    assert_eq!(alice.email.as_deref(), Some("alice@example.org"));
    assert!(alice.created > 1_600_000_000, "created is Unix seconds");

    let found = store
        .account_by_login("alice")
        .expect("lookup")
        .expect("alice");
    assert_eq!(found, alice);
    assert!(store.account_by_login("nobody").expect("lookup").is_none());
    // Logins are exact, not case-folded, at the store level.
    assert!(store.account_by_login("Alice").expect("lookup").is_none());

    let mut no_mail = new_account("carol", Vec::new());
    no_mail.email = None;
    let carol = store.create_account(&no_mail).expect("create");
    assert_eq!(
        store.account_by_login("carol").expect("lookup"),
        Some(carol)
    );

    let listed: Vec<String> = store
        .list_accounts()
        .expect("list")
        .into_iter()
        .map(|a| a.login)
        .collect();
    assert_eq!(listed, strings(&["alice", "bob", "carol"]));
    assert_eq!(store.count_accounts().expect("count"), 3);

    match store.create_account(&new_account("bob", Vec::new())) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate login: {other:?}"),
    }
    assert_eq!(store.count_accounts().expect("count"), 3);
    assert_eq!(store.account_by_login("bob").expect("lookup"), Some(bob));
}

/// The collections named in NewAccount exist right after create_account.
pub(crate) fn account_creates_initial_collections(store: &dyn Store) {
    let mut cal = new_collection(CollectionKind::Calendar, "default", 0);
    cal.props.display_name = Some("Personal".to_owned());
    let book = new_collection(CollectionKind::AddressBook, "contacts", 0);
    let account = store
        .create_account(&new_account("dana", vec![cal, book]))
        .expect("create");
    let cals = store
        .list_collections(account.id, CollectionKind::Calendar)
        .expect("calendars");
    assert_eq!(cals.len(), 1);
    assert_eq!(cals[0].name, "default");
    assert_eq!(cals[0].owner, account.id);
    assert_eq!(cals[0].props.display_name.as_deref(), Some("Personal"));
    assert_eq!(cals[0].components, strings(&["VEVENT", "VTODO"]));
    assert_eq!(cals[0].revision, 0);
    let books = store
        .list_collections(account.id, CollectionKind::AddressBook)
        .expect("address books");
    assert_eq!(books.len(), 1);
    assert_eq!(books[0].name, "contacts");
    assert!(books[0].components.is_empty());
}

/// A create_account that fails half-way (duplicate initial collection) creates nothing.
pub(crate) fn account_creation_is_atomic(store: &dyn Store) {
    let twice = vec![
        new_collection(CollectionKind::Calendar, "default", 0),
        new_collection(CollectionKind::Calendar, "default", 1),
    ];
    match store.create_account(&new_account("erin", twice)) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate initial collection: {other:?}"),
    }
    assert!(store.account_by_login("erin").expect("lookup").is_none());
    assert_eq!(store.count_accounts().expect("count"), 0);
    // The login is still free afterwards.
    let ok = vec![new_collection(CollectionKind::Calendar, "default", 0)];
    store
        .create_account(&new_account("erin", ok))
        .expect("create after failure");
}

/// set_password_hash replaces the hash and reports unknown logins.
pub(crate) fn set_password_hash_replaces_and_reports_missing(store: &dyn Store) {
    let frank = account(store, "frank");
    store
        .set_password_hash("frank", "$argon2id$new")
        .expect("set hash");
    let after = store
        .account_by_login("frank")
        .expect("lookup")
        .expect("frank");
    assert_eq!(after.password_hash, "$argon2id$new");
    assert_eq!(after.id, frank.id);
    match store.set_password_hash("nobody", "x") {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing account: {other:?}"),
    }
}

/// remove_account deletes the account with its collections and objects, and nothing else.
pub(crate) fn remove_account_cascades(store: &dyn Store) {
    let gone = store
        .create_account(&new_account(
            "gone",
            vec![
                new_collection(CollectionKind::Calendar, "default", 0),
                new_collection(CollectionKind::AddressBook, "contacts", 0),
            ],
        ))
        .expect("create");
    let stays = store
        .create_account(&new_account(
            "stays",
            vec![new_collection(CollectionKind::Calendar, "default", 0)],
        ))
        .expect("create");
    let gone_cal = store
        .collection(gone.id, CollectionKind::Calendar, "default")
        .expect("load")
        .expect("calendar");
    let stays_cal = store
        .collection(stays.id, CollectionKind::Calendar, "default")
        .expect("load")
        .expect("calendar");
    put(store, gone_cal.id, &object("a.ics", "A", "gone body"));
    put(store, stays_cal.id, &object("a.ics", "A", "stays body"));

    store.remove_account("gone").expect("remove");
    assert!(store.account_by_login("gone").expect("lookup").is_none());
    assert_eq!(store.count_accounts().expect("count"), 1);
    assert!(
        store
            .list_collections(gone.id, CollectionKind::Calendar)
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .list_collections(gone.id, CollectionKind::AddressBook)
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .get_object(gone_cal.id, "a.ics")
            .expect("get")
            .is_none()
    );
    assert!(store.list_objects(gone_cal.id).expect("list").is_empty());

    assert_eq!(reload(store, &stays_cal).used_bytes, 10);
    assert!(
        store
            .get_object(stays_cal.id, "a.ics")
            .expect("get")
            .is_some()
    );

    match store.remove_account("gone") {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("removing twice: {other:?}"),
    }
    // The login can be reused.
    account(store, "gone");
}

// ---------------------------------------------------------------------------------------------
// Collections

/// Duplicate names are rejected per owner and kind; unknown owners are NotFound.
pub(crate) fn collections_create_duplicate_and_missing_owner(store: &dyn Store) {
    let a = account(store, "hana");
    let b = account(store, "ivan");
    let created = calendar(store, a.id, "work");
    assert_eq!(created.owner, a.id);
    assert_eq!(created.kind, CollectionKind::Calendar);
    assert_eq!(created.revision, 0);
    assert_eq!(created.min_revision, 0);
    assert_eq!(created.used_bytes, 0);
    assert!(created.created > 1_600_000_000);
    assert_eq!(
        store
            .collection(a.id, CollectionKind::Calendar, "work")
            .expect("load"),
        Some(created.clone())
    );

    match store.create_collection(a.id, &new_collection(CollectionKind::Calendar, "work", 5)) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate collection: {other:?}"),
    }
    // Same name, other kind or other owner: fine.
    store
        .create_collection(
            a.id,
            &new_collection(CollectionKind::AddressBook, "work", 0),
        )
        .expect("same name, other kind");
    calendar(store, b.id, "work");
    assert!(
        store
            .collection(a.id, CollectionKind::Calendar, "missing")
            .expect("load")
            .is_none()
    );
    assert_eq!(
        reload(store, &created),
        created,
        "the failed create changed nothing"
    );

    match store.create_collection(
        a.id + b.id + 1000,
        &new_collection(CollectionKind::Calendar, "x", 0),
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("unknown owner: {other:?}"),
    }
}

/// list_collections orders by position, then name, and only returns the asked kind.
pub(crate) fn collections_listed_by_position_then_name(store: &dyn Store) {
    let a = account(store, "jane");
    for (name, position) in [("zeta", 0), ("beta", 2), ("alpha", 2), ("gamma", 1)] {
        store
            .create_collection(
                a.id,
                &new_collection(CollectionKind::Calendar, name, position),
            )
            .expect("create");
    }
    store
        .create_collection(
            a.id,
            &new_collection(CollectionKind::AddressBook, "book", 0),
        )
        .expect("create");
    let listed: Vec<String> = store
        .list_collections(a.id, CollectionKind::Calendar)
        .expect("list")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(listed, strings(&["zeta", "gamma", "alpha", "beta"]));
    let books = store
        .list_collections(a.id, CollectionKind::AddressBook)
        .expect("list");
    assert_eq!(books.len(), 1);
    assert!(
        store
            .list_collections(a.id + 1000, CollectionKind::Calendar)
            .expect("list")
            .is_empty()
    );
}

/// Every initial live and dead property comes back as stored.
pub(crate) fn collection_props_and_dead_props_round_trip(store: &dyn Store) {
    let a = account(store, "kim");
    let props = CollectionProps {
        display_name: Some("Work ✓".to_owned()),
        description: Some("Meetings & <things>".to_owned()),
        color: Some("#FF8800FF".to_owned()),
        order: Some("3".to_owned()),
        timezone: Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_owned()),
    };
    let dead = vec![
        DeadProp {
            namespace: "urn:a".to_owned(),
            name: "one".to_owned(),
            value: "<x:v xmlns:x=\"urn:a\">1</x:v>".to_owned(),
        },
        DeadProp {
            namespace: "urn:b".to_owned(),
            name: "two".to_owned(),
            value: "2".to_owned(),
        },
    ];
    let mut new = new_collection(CollectionKind::Calendar, "work", 0);
    new.props = props.clone();
    new.dead = dead.clone();
    new.components = strings(&["VTODO"]);
    let created = store.create_collection(a.id, &new).expect("create");
    assert_eq!(created.props, props);
    assert_eq!(created.dead, dead);
    assert_eq!(created.components, strings(&["VTODO"]));
    let loaded = reload(store, &created);
    assert_eq!(loaded, created);
    let listed = store
        .list_collections(a.id, CollectionKind::Calendar)
        .expect("list");
    assert_eq!(listed, vec![created]);
}

/// update_collection applies every change of one call, returns the result, and never bumps the
/// revision (properties are not members).
pub(crate) fn update_collection_applies_all_changes(store: &dyn Store) {
    let a = account(store, "lena");
    let mut new = new_collection(CollectionKind::Calendar, "cal", 0);
    new.props.color = Some("#000000".to_owned());
    new.props.description = Some("old".to_owned());
    new.dead = vec![DeadProp {
        namespace: "urn:x".to_owned(),
        name: "remove-me".to_owned(),
        value: "1".to_owned(),
    }];
    let coll = store.create_collection(a.id, &new).expect("create");
    put(store, coll.id, &object("a.ics", "A", "body"));
    let before = reload(store, &coll);

    let changes = vec![
        PropChange::Live(LiveProp::DisplayName, Some("New name".to_owned())),
        PropChange::Live(LiveProp::Description, None),
        PropChange::Live(LiveProp::Color, Some("#112233".to_owned())),
        PropChange::Live(LiveProp::Order, Some("7".to_owned())),
        PropChange::Live(LiveProp::Timezone, Some("TZ".to_owned())),
        PropChange::Dead {
            namespace: "urn:x".to_owned(),
            name: "remove-me".to_owned(),
            value: None,
        },
        PropChange::Dead {
            namespace: "urn:y".to_owned(),
            name: "added".to_owned(),
            value: Some("first".to_owned()),
        },
        // A later change in the same call wins.
        PropChange::Dead {
            namespace: "urn:y".to_owned(),
            name: "added".to_owned(),
            value: Some("second".to_owned()),
        },
        // Removing something that is not there is not an error.
        PropChange::Dead {
            namespace: "urn:z".to_owned(),
            name: "never-set".to_owned(),
            value: None,
        },
    ];
    let updated = store.update_collection(coll.id, &changes).expect("update");
    let expected_props = CollectionProps {
        display_name: Some("New name".to_owned()),
        description: None,
        color: Some("#112233".to_owned()),
        order: Some("7".to_owned()),
        timezone: Some("TZ".to_owned()),
    };
    assert_eq!(updated.props, expected_props);
    assert_eq!(
        updated.dead,
        vec![DeadProp {
            namespace: "urn:y".to_owned(),
            name: "added".to_owned(),
            value: "second".to_owned(),
        }]
    );
    assert_eq!(
        updated.revision, before.revision,
        "properties are not members"
    );
    assert_eq!(updated.used_bytes, before.used_bytes);
    assert_eq!(reload(store, &coll), updated);

    // An empty change list is a no-op that still returns the collection.
    assert_eq!(
        store.update_collection(coll.id, &[]).expect("noop"),
        updated
    );

    match store.update_collection(coll.id + 1000, &changes) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("unknown collection: {other:?}"),
    }
    assert_eq!(reload(store, &coll), updated);
}

/// A deleted collection's id is never given to another one, not even after the deletion of the
/// collection with the highest id, nor of its owner: sync tokens and sharees' mount names name
/// collections by id.
pub(crate) fn collection_ids_are_never_reused(store: &dyn Store) {
    let owner = account(store, "owner");
    let first = calendar(store, owner.id, "first");
    let last = calendar(store, owner.id, "last");
    store.delete_collection(last.id).expect("delete last");
    let next = calendar(store, owner.id, "next");
    assert!(next.id > last.id, "{} reused {}", next.id, last.id);
    let other = account(store, "other");
    let theirs = calendar(store, other.id, "theirs");
    store.remove_account("other").expect("remove other");
    let after = calendar(store, owner.id, "after");
    assert!(after.id > theirs.id && first.id < last.id);
}

/// delete_collection removes the collection and its members; the name can be reused from scratch.
pub(crate) fn delete_collection_removes_members(store: &dyn Store) {
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a"));
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete");
    put(store, coll.id, &object("b.ics", "B", "b"));
    store.delete_collection(coll.id).expect("delete collection");
    assert!(
        store
            .collection(coll.owner, coll.kind, &coll.name)
            .expect("load")
            .is_none()
    );
    assert!(store.get_object(coll.id, "b.ics").expect("get").is_none());
    match store.changes_since(coll.id, 0, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("changes of a deleted collection: {other:?}"),
    }
    match store.delete_collection(coll.id) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("deleting twice: {other:?}"),
    }
    let again = calendar(store, coll.owner, &coll.name);
    assert_eq!(again.revision, 0);
    assert_eq!(again.used_bytes, 0);
    let initial = store.changes_since(again.id, 0, None).expect("changes");
    assert!(
        initial.changes.is_empty(),
        "no leftover change log: {initial:?}"
    );
    put(store, again.id, &object("b.ics", "B", "b"));
}

// ---------------------------------------------------------------------------------------------
// Objects

/// A put creates, a second put of the same name updates; bodies, metadata and revisions follow.
pub(crate) fn put_creates_then_updates(store: &dyn Store) {
    let coll = setup(store);
    let first = object(
        "event.ics",
        "UID-1",
        "BEGIN:VCALENDAR\r\nv1\r\nEND:VCALENDAR\r\n",
    );
    let outcome = store
        .put_object(coll.id, &first, &WriteCondition::None)
        .expect("create");
    assert!(outcome.created);
    assert_eq!(outcome.etag, first.etag);
    let stored = store
        .get_object(coll.id, "event.ics")
        .expect("get")
        .expect("object");
    assert_eq!(stored.body, first.body);
    assert_eq!(stored.meta.name, "event.ics");
    assert_eq!(stored.meta.uid, "UID-1");
    assert_eq!(stored.meta.etag, first.etag);
    assert_eq!(stored.meta.component, "VEVENT");
    assert_eq!(stored.meta.size, first.body.len() as i64);
    assert_eq!(stored.meta.revision, 1);
    assert!(stored.meta.created > 1_600_000_000);
    assert_eq!(stored.meta.modified, stored.meta.created);
    assert_eq!(reload(store, &coll).revision, 1);

    // Let the clock move so that keeping `created` is observable.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = object_with(
        "event.ics",
        "UID-1",
        "VTODO",
        "v2, longer than the first body",
    );
    let outcome = store
        .put_object(coll.id, &second, &WriteCondition::None)
        .expect("update");
    assert!(!outcome.created);
    assert_eq!(outcome.etag, second.etag);
    let updated = store
        .get_object(coll.id, "event.ics")
        .expect("get")
        .expect("object");
    assert_eq!(updated.body, second.body);
    assert_eq!(updated.meta.etag, second.etag);
    assert_eq!(updated.meta.component, "VTODO");
    assert_eq!(updated.meta.size, second.body.len() as i64);
    assert_eq!(updated.meta.revision, 2);
    assert_eq!(updated.meta.created, stored.meta.created, "created is kept");
    assert!(
        updated.meta.modified > stored.meta.modified,
        "modified moves"
    );
    assert_eq!(reload(store, &coll).revision, 2);
    assert_eq!(names(store, coll.id), strings(&["event.ics"]));

    // Binary-safe bodies.
    let mut binary = object("bin.ics", "UID-2", "");
    binary.body = vec![0, 159, 146, 150, 255, b'\r', b'\n'];
    put(store, coll.id, &binary);
    let got = store
        .get_object(coll.id, "bin.ics")
        .expect("get")
        .expect("object");
    assert_eq!(got.body, binary.body);

    assert!(
        store
            .get_object(coll.id, "missing.ics")
            .expect("get")
            .is_none()
    );
    match store.put_object(coll.id + 1000, &first, &WriteCondition::None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("put into unknown collection: {other:?}"),
    }
}

/// Every WriteCondition variant on put, for existing and missing resources; a failed condition
/// changes nothing.
pub(crate) fn put_conditions(store: &dyn Store) {
    let coll = setup(store);
    let v1 = object("a.ics", "A", "version 1");
    let v2 = object("a.ics", "A", "version 2");
    let fails = |target: &PutObject, condition: WriteCondition| {
        let before = reload(store, &coll).revision;
        match store.put_object(coll.id, target, &condition) {
            Err(StoreError::PreconditionFailed) => {}
            other => panic!("{condition:?} should fail: {other:?}"),
        }
        assert_eq!(
            reload(store, &coll).revision,
            before,
            "{condition:?} bumped the revision"
        );
    };

    // Missing resource.
    fails(&v1, WriteCondition::MustExist);
    fails(&v1, WriteCondition::EtagIn(vec![v1.etag.clone()]));
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_none());
    store
        .put_object(
            coll.id,
            &v1,
            &WriteCondition::EtagNotIn(vec![v1.etag.clone()]),
        )
        .expect("If-None-Match etag on a missing resource");
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete");
    let outcome = store
        .put_object(coll.id, &v1, &WriteCondition::MustNotExist)
        .expect("If-None-Match * on a missing resource");
    assert!(outcome.created);

    // Existing resource with etag v1.
    fails(&v2, WriteCondition::MustNotExist);
    fails(
        &v2,
        WriteCondition::EtagIn(vec![v2.etag.clone(), "\"other\"".to_owned()]),
    );
    fails(
        &v2,
        WriteCondition::EtagNotIn(vec!["\"other\"".to_owned(), v1.etag.clone()]),
    );
    let current = store
        .get_object(coll.id, "a.ics")
        .expect("get")
        .expect("object");
    assert_eq!(current.body, v1.body, "failed conditions changed nothing");

    store
        .put_object(coll.id, &v2, &WriteCondition::MustExist)
        .expect("If-Match *");
    let v3 = object("a.ics", "A", "version 3");
    store
        .put_object(
            coll.id,
            &v3,
            &WriteCondition::EtagIn(vec!["\"other\"".to_owned(), v2.etag.clone()]),
        )
        .expect("If-Match with the current etag");
    let v4 = object("a.ics", "A", "version 4");
    let outcome = store
        .put_object(
            coll.id,
            &v4,
            &WriteCondition::EtagNotIn(vec![v1.etag.clone()]),
        )
        .expect("If-None-Match with an old etag");
    assert!(!outcome.created);
    let current = store
        .get_object(coll.id, "a.ics")
        .expect("get")
        .expect("object");
    assert_eq!(current.body, v4.body);
    assert_eq!(current.meta.etag, v4.etag);
}

/// delete_object honours conditions, reports missing members and leaves a tombstone.
pub(crate) fn delete_conditions_and_tombstones(store: &dyn Store) {
    let coll = setup(store);
    let a = object("a.ics", "A", "a body");
    put(store, coll.id, &a);
    let token = reload(store, &coll).revision;

    for condition in [
        WriteCondition::MustNotExist,
        WriteCondition::EtagIn(vec!["\"other\"".to_owned()]),
        WriteCondition::EtagNotIn(vec![a.etag.clone()]),
    ] {
        match store.delete_object(coll.id, "a.ics", &condition) {
            Err(StoreError::PreconditionFailed) => {}
            other => panic!("{condition:?} should fail: {other:?}"),
        }
    }
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_some());
    assert_eq!(reload(store, &coll).revision, token);

    store
        .delete_object(
            coll.id,
            "a.ics",
            &WriteCondition::EtagIn(vec![a.etag.clone()]),
        )
        .expect("delete");
    assert!(store.get_object(coll.id, "a.ics").expect("get").is_none());
    assert_eq!(reload(store, &coll).revision, token + 1);
    let changes = store.changes_since(coll.id, token, None).expect("changes");
    assert_eq!(changes.changes, vec![Change::Deleted("a.ics".to_owned())]);
    assert_eq!(changes.revision, token + 1);

    for condition in [WriteCondition::None, WriteCondition::MustExist] {
        match store.delete_object(coll.id, "a.ics", &condition) {
            Err(StoreError::NotFound(_)) => {}
            other => panic!("deleting a missing member with {condition:?}: {other:?}"),
        }
    }
    assert_eq!(reload(store, &coll).revision, token + 1);
    match store.delete_object(coll.id + 1000, "a.ics", &WriteCondition::None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("delete in unknown collection: {other:?}"),
    }

    // Re-creating the name turns the tombstone back into a present member.
    put(store, coll.id, &object("a.ics", "A", "reborn"));
    let changes = store.changes_since(coll.id, token, None).expect("changes");
    assert_eq!(summary(&changes), pairs(&[("a.ics", true)]));
    let initial = store.changes_since(coll.id, 0, None).expect("changes");
    assert_eq!(summary(&initial), pairs(&[("a.ics", true)]));
}

/// A second object with a used UID is refused and changes nothing; UIDs are per collection.
pub(crate) fn uid_conflict_leaves_nothing_changed(store: &dyn Store) {
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "SAME", "a"));
    let before = reload(store, &coll);

    match store.put_object(
        coll.id,
        &object("b.ics", "SAME", "b"),
        &WriteCondition::None,
    ) {
        Err(StoreError::UidConflict { uid, existing }) => {
            assert_eq!(uid, "SAME");
            assert_eq!(existing, "a.ics");
        }
        other => panic!("UID conflict expected: {other:?}"),
    }
    assert!(store.get_object(coll.id, "b.ics").expect("get").is_none());
    assert_eq!(
        reload(store, &before),
        before,
        "revision and used_bytes unchanged"
    );
    let changes = store
        .changes_since(coll.id, before.revision, None)
        .expect("changes");
    assert!(changes.changes.is_empty());

    // Updating the holder itself with the same UID is fine.
    put(store, coll.id, &object("a.ics", "SAME", "a2"));
    // Another collection may use the UID.
    let other = calendar(store, coll.owner, "other");
    put(store, other.id, &object("b.ics", "SAME", "b"));
    // Once a.ics moves to a new UID, the old one is free.
    put(store, coll.id, &object("a.ics", "NEW", "a3"));
    put(store, coll.id, &object("b.ics", "SAME", "b"));
    // And after a delete too.
    store
        .delete_object(coll.id, "a.ics", &WriteCondition::None)
        .expect("delete");
    put(store, coll.id, &object("c.ics", "NEW", "c"));
}

/// Each collection has its own revision counter.
pub(crate) fn revisions_are_per_collection(store: &dyn Store) {
    let coll = setup(store);
    let other = calendar(store, coll.owner, "other");
    put(store, coll.id, &object("a.ics", "A", "a"));
    put(store, coll.id, &object("b.ics", "B", "b"));
    put(store, other.id, &object("a.ics", "A", "a"));
    assert_eq!(reload(store, &coll).revision, 2);
    assert_eq!(reload(store, &other).revision, 1);
    let meta = store.list_objects(other.id).expect("list");
    assert_eq!(meta[0].revision, 1);
}

/// list_objects is ordered by name; the component filter keeps only the listed components.
pub(crate) fn list_objects_sorted_and_filtered_by_component(store: &dyn Store) {
    let coll = setup(store);
    put(store, coll.id, &object_with("c.ics", "C", "VEVENT", "c"));
    put(store, coll.id, &object_with("a.ics", "A", "VTODO", "a"));
    put(store, coll.id, &object_with("b.ics", "B", "VJOURNAL", "b"));
    put(store, coll.id, &object_with("d.ics", "D", "VEVENT", "dd"));
    let all = store.list_objects(coll.id).expect("list");
    let listed: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(listed, vec!["a.ics", "b.ics", "c.ics", "d.ics"]);
    assert_eq!(all[3].size, 2);
    assert_eq!(all[3].uid, "D");
    assert_eq!(all[3].component, "VEVENT");

    let filter = |components: &[&str]| -> Vec<String> {
        let f = ObjectFilter {
            components: strings(components),
            ..Default::default()
        };
        store
            .find_candidates(coll.id, &f)
            .expect("by component")
            .into_iter()
            .map(|c| c.meta.name)
            .collect()
    };
    assert_eq!(filter(&["VEVENT"]), strings(&["c.ics", "d.ics"]));
    assert_eq!(filter(&["VTODO", "VJOURNAL"]), strings(&["a.ics", "b.ics"]));
    assert!(filter(&["VFREEBUSY"]).is_empty());
    assert_eq!(
        filter(&[]).len(),
        4,
        "no component restriction selects every member"
    );
    assert!(store.list_objects(coll.id + 1000).expect("list").is_empty());
}

/// get_objects returns the existing members among the names asked, with bodies; missing names,
/// duplicates and awkward characters are handled.
pub(crate) fn get_objects_skips_missing_names(store: &dyn Store) {
    let coll = setup(store);
    let odd = "we\"ird \\ näme\t'; DROP TABLE objects; --.ics";
    put(store, coll.id, &object("a.ics", "A", "a body"));
    put(store, coll.id, &object("b.ics", "B", "b body"));
    put(store, coll.id, &object(odd, "ODD", "odd body"));
    let other = calendar(store, coll.owner, "other");
    put(store, other.id, &object("c.ics", "C", "other collection"));

    let got = store
        .get_objects(
            coll.id,
            &strings(&["missing.ics", "b.ics", odd, "a.ics", "c.ics", "b.ics"]),
        )
        .expect("get objects");
    let mut found: Vec<(String, Vec<u8>)> = got
        .iter()
        .map(|o| (o.meta.name.clone(), o.body.clone()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("a.ics".to_owned(), b"a body".to_vec()),
            ("b.ics".to_owned(), b"b body".to_vec()),
            (odd.to_owned(), b"odd body".to_vec()),
        ]
    );
    assert!(store.get_objects(coll.id, &[]).expect("empty").is_empty());
    assert!(
        store
            .get_objects(coll.id, &strings(&["nope"]))
            .expect("none")
            .is_empty()
    );
    assert_eq!(names(store, coll.id).len(), 3, "the odd name did no harm");
}

/// used_bytes is the sum of member body sizes, everywhere a collection is returned.
pub(crate) fn used_bytes_tracks_members(store: &dyn Store) {
    let coll = setup(store);
    let empty_book = store
        .create_collection(
            coll.owner,
            &new_collection(CollectionKind::Calendar, "empty", 1),
        )
        .expect("create");
    put(store, coll.id, &object("a.ics", "A", "12345"));
    put(store, coll.id, &object("b.ics", "B", "1234567890"));
    assert_eq!(reload(store, &coll).used_bytes, 15);
    put(store, coll.id, &object("a.ics", "A", "1"));
    assert_eq!(reload(store, &coll).used_bytes, 11);
    store
        .delete_object(coll.id, "b.ics", &WriteCondition::None)
        .expect("delete");
    assert_eq!(reload(store, &coll).used_bytes, 1);
    let listed = store
        .list_collections(coll.owner, CollectionKind::Calendar)
        .expect("list");
    let bytes: Vec<(String, i64)> = listed.into_iter().map(|c| (c.name, c.used_bytes)).collect();
    assert_eq!(bytes, vec![("cal".to_owned(), 1), ("empty".to_owned(), 0)]);
    let updated = store
        .update_collection(
            coll.id,
            &[PropChange::Live(
                LiveProp::DisplayName,
                Some("x".to_owned()),
            )],
        )
        .expect("update");
    assert_eq!(updated.used_bytes, 1);
    assert_eq!(reload(store, &empty_book).used_bytes, 0);
}

// ---------------------------------------------------------------------------------------------
// Change log

/// Revision 0 lists every present member (no tombstones) and returns the current revision.
pub(crate) fn changes_initial_sync(store: &dyn Store) {
    let coll = setup(store);
    let empty = store.changes_since(coll.id, 0, None).expect("empty");
    assert_eq!(
        empty,
        Changes {
            changes: Vec::new(),
            revision: 0,
            truncated: false
        }
    );
    put(store, coll.id, &object("a.ics", "A", "a"));
    put(store, coll.id, &object("b.ics", "B", "b"));
    put(store, coll.id, &object("c.ics", "C", "c"));
    store
        .delete_object(coll.id, "b.ics", &WriteCondition::None)
        .expect("delete");
    put(store, coll.id, &object("a.ics", "A", "a2"));
    let initial = store.changes_since(coll.id, 0, None).expect("initial");
    assert_eq!(
        summary(&initial),
        pairs(&[("c.ics", true), ("a.ics", true)])
    );
    assert_eq!(initial.revision, 5);
    assert!(!initial.truncated);
    match &initial.changes[1] {
        Change::Present(meta) => {
            assert_eq!(meta.revision, 5);
            assert_eq!(meta.size, 2);
            assert_eq!(meta.etag, etag_of(b"a2"));
            assert_eq!(meta.uid, "A");
        }
        other => panic!("present expected: {other:?}"),
    }
}

/// A token returns what changed after it, oldest first, each member once, deletions included.
pub(crate) fn changes_incremental_and_deletions(store: &dyn Store) {
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a"));
    put(store, coll.id, &object("b.ics", "B", "b"));
    put(store, coll.id, &object("c.ics", "C", "c"));
    let token = reload(store, &coll).revision;
    assert_eq!(token, 3);

    let nothing = store
        .changes_since(coll.id, token, None)
        .expect("no changes");
    assert!(nothing.changes.is_empty());
    assert_eq!(nothing.revision, token);

    put(store, coll.id, &object("b.ics", "B", "b2"));
    store
        .delete_object(coll.id, "c.ics", &WriteCondition::None)
        .expect("delete");
    put(store, coll.id, &object("d.ics", "D", "d"));
    put(store, coll.id, &object("b.ics", "B", "b3"));
    // Created and deleted after the token: reported as deleted (harmless for the client).
    put(store, coll.id, &object("e.ics", "E", "e"));
    store
        .delete_object(coll.id, "e.ics", &WriteCondition::None)
        .expect("delete");

    let changes = store.changes_since(coll.id, token, None).expect("changes");
    assert_eq!(
        summary(&changes),
        pairs(&[
            ("c.ics", false),
            ("d.ics", true),
            ("b.ics", true),
            ("e.ics", false)
        ])
    );
    assert_eq!(changes.revision, 9);
    assert!(!changes.truncated);
    match &changes.changes[2] {
        Change::Present(meta) => {
            assert_eq!(meta.etag, etag_of(b"b3"));
            assert_eq!(meta.revision, 7);
        }
        other => panic!("present expected: {other:?}"),
    }
    // From an intermediate token only the later changes show up.
    let later = store.changes_since(coll.id, 7, None).expect("changes");
    assert_eq!(summary(&later), pairs(&[("e.ics", false)]));
    // The current revision is a valid token with nothing to report.
    let none = store.changes_since(coll.id, 9, None).expect("changes");
    assert!(none.changes.is_empty());
    assert_eq!(none.revision, 9);
}

/// With a limit the answer is cut, flagged truncated, and its revision continues exactly where it
/// stopped, for incremental and initial syncs alike.
pub(crate) fn changes_limit_truncation_continues(store: &dyn Store) {
    let coll = setup(store);
    for i in 0..5 {
        put(
            store,
            coll.id,
            &object(&format!("{i}.ics"), &format!("U{i}"), "x"),
        );
    }
    store
        .delete_object(coll.id, "1.ics", &WriteCondition::None)
        .expect("delete");
    put(store, coll.id, &object("5.ics", "U5", "x"));
    let current = reload(store, &coll).revision;
    assert_eq!(current, 7);

    // Incremental from 1, two at a time.
    let mut token = 1;
    let mut seen = Vec::new();
    let mut rounds = 0;
    loop {
        let page = store.changes_since(coll.id, token, Some(2)).expect("page");
        assert!(page.changes.len() <= 2);
        seen.extend(summary(&page));
        token = page.revision;
        rounds += 1;
        if !page.truncated {
            break;
        }
        assert!(rounds < 10, "no progress");
    }
    assert_eq!(token, current);
    assert_eq!(
        seen,
        pairs(&[
            ("2.ics", true),
            ("3.ics", true),
            ("4.ics", true),
            ("1.ics", false),
            ("5.ics", true)
        ])
    );

    // Initial sync in pages.
    let first = store.changes_since(coll.id, 0, Some(3)).expect("page");
    assert!(first.truncated);
    assert_eq!(
        summary(&first),
        pairs(&[("0.ics", true), ("2.ics", true), ("3.ics", true)])
    );
    assert_eq!(first.revision, 4);
    let rest = store
        .changes_since(coll.id, first.revision, Some(3))
        .expect("page");
    assert_eq!(
        summary(&rest),
        pairs(&[("4.ics", true), ("1.ics", false), ("5.ics", true)])
    );
    // Exactly `limit` entries left: not truncated, and the token is the current revision.
    assert!(!rest.truncated);
    assert_eq!(rest.revision, current);

    // A limit larger than the answer changes nothing.
    let all = store.changes_since(coll.id, 1, Some(100)).expect("all");
    assert!(!all.truncated);
    assert_eq!(all.changes.len(), 5);
    assert_eq!(all.revision, current);

    // Limit 0: nothing returned, truncated, token unchanged.
    let zero = store.changes_since(coll.id, 1, Some(0)).expect("zero");
    assert!(zero.changes.is_empty());
    assert!(zero.truncated);
    assert_eq!(zero.revision, 1);
}

/// Tokens from the future, negative tokens and unknown collections are refused.
pub(crate) fn changes_invalid_tokens(store: &dyn Store) {
    let coll = setup(store);
    put(store, coll.id, &object("a.ics", "A", "a"));
    match store.changes_since(coll.id, 2, None) {
        Err(StoreError::InvalidSyncToken) => {}
        other => panic!("token newer than the collection: {other:?}"),
    }
    match store.changes_since(coll.id, -1, None) {
        Err(StoreError::InvalidSyncToken) => {}
        other => panic!("negative token: {other:?}"),
    }
    match store.changes_since(coll.id + 1000, 0, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("unknown collection: {other:?}"),
    }
    // A token from another collection with a higher revision is refused here too.
    let other = calendar(store, coll.owner, "other");
    match store.changes_since(other.id, 1, None) {
        Err(StoreError::InvalidSyncToken) => {}
        other => panic!("token newer than the collection: {other:?}"),
    }
}

/// Tokens older than `min_revision` are refused, except 0 (initial sync), which always works.
///
/// `raise_min_revision(collection, min)` is the backend's way to simulate pruning, which the trait
/// cannot express yet.
pub(crate) fn changes_below_min_revision(store: &dyn Store, raise_min_revision: &dyn Fn(i64, i64)) {
    let coll = setup(store);
    for i in 0..4 {
        put(
            store,
            coll.id,
            &object(&format!("{i}.ics"), &format!("U{i}"), "x"),
        );
    }
    raise_min_revision(coll.id, 3);
    assert_eq!(reload(store, &coll).min_revision, 3);
    for token in [1, 2] {
        match store.changes_since(coll.id, token, None) {
            Err(StoreError::InvalidSyncToken) => {}
            other => panic!("token {token} below min_revision: {other:?}"),
        }
    }
    let at_min = store
        .changes_since(coll.id, 3, None)
        .expect("at min_revision");
    assert_eq!(summary(&at_min), pairs(&[("3.ics", true)]));
    let initial = store.changes_since(coll.id, 0, None).expect("initial sync");
    assert_eq!(initial.changes.len(), 4);
    assert_eq!(initial.revision, 4);
}

/// find_candidates keeps members whose indexed span may overlap the window; unknown ends match.
pub(crate) fn find_candidates_by_time_span(store: &dyn Store) {
    let coll = setup(store);
    let span = |name: &str, uid: &str, first: Option<i64>, last: Option<i64>| {
        let mut o = object_with(name, uid, "VEVENT", name);
        o.index.first_start = first;
        o.index.last_end = last;
        o
    };
    put(
        store,
        coll.id,
        &span("early.ics", "1", Some(100), Some(200)),
    );
    put(store, coll.id, &span("late.ics", "2", Some(300), Some(400)));
    put(store, coll.id, &span("open.ics", "3", Some(150), None));
    put(store, coll.id, &span("none.ics", "4", None, None));
    let names = |start: Option<i64>, end: Option<i64>| -> Vec<String> {
        let f = ObjectFilter {
            components: strings(&["VEVENT"]),
            start,
            end,
            bodies: false,
        };
        store
            .find_candidates(coll.id, &f)
            .expect("find")
            .into_iter()
            .map(|c| c.meta.name)
            .collect()
    };
    assert_eq!(
        names(Some(200), Some(300)),
        strings(&["none.ics", "open.ics"]),
        "touching ends do not overlap"
    );
    assert_eq!(
        names(Some(199), Some(301)),
        strings(&["early.ics", "late.ics", "none.ics", "open.ics"])
    );
    assert_eq!(names(None, Some(120)), strings(&["early.ics", "none.ics"]));
    assert_eq!(names(Some(1000), None), strings(&["none.ics", "open.ics"]));
    // The exactness flag travels with the metadata (object_with marks spans exact).
    let mut inexact = span("instant.ics", "5", Some(200), Some(200));
    inexact.index.span_exact = false;
    put(store, coll.id, &inexact);
    let listed = store.list_objects(coll.id).expect("list");
    let flag = |n: &str| listed.iter().find(|m| m.name == n).map(|m| m.span_exact);
    assert_eq!(flag("early.ics"), Some(true));
    assert_eq!(flag("instant.ics"), Some(false));
    // A span that is not exact also matches when it only touches the window (the caller
    // decides from the content); an exact one does not.
    assert_eq!(
        names(Some(200), Some(300)),
        strings(&["instant.ics", "none.ics", "open.ics"])
    );
    assert_eq!(
        names(Some(50), Some(200)),
        strings(&["early.ics", "instant.ics", "none.ics", "open.ics"])
    );
}

/// A quota counts every collection of the owner; replacing an object counts only the growth,
/// and an edit that does not grow the object passes even over the quota.
pub(crate) fn quota_refuses_growth_but_allows_shrinking(store: &dyn Store) {
    let coll = setup(store);
    let mut a = object("a.ics", "A", "aaaa");
    a.quota = Some(10);
    put(store, coll.id, &a);
    let mut b = object("b.ics", "B", "bbbbbbb");
    b.quota = Some(10);
    match store.put_object(coll.id, &b, &WriteCondition::None) {
        Err(StoreError::QuotaExceeded { used: 4, quota: 10 }) => {}
        other => panic!("expected QuotaExceeded, got {other:?}"),
    }
    assert!(
        store.get_object(coll.id, "b.ics").expect("get").is_none(),
        "refused write left nothing"
    );
    let mut bigger_a = object("a.ics", "A", "aaaaaaaaaa");
    bigger_a.quota = Some(10);
    put(store, coll.id, &bigger_a);
    let mut small_b = object("b.ics", "B", "b");
    small_b.quota = Some(10);
    assert!(matches!(
        store.put_object(coll.id, &small_b, &WriteCondition::None),
        Err(StoreError::QuotaExceeded { .. })
    ));
    // Over the quota already (it was lowered): a smaller or same-size edit still passes, and
    // growth does not.
    let mut smaller_a = object("a.ics", "A", "aaaaaaa");
    smaller_a.quota = Some(5);
    put(store, coll.id, &smaller_a);
    let mut same_a = object("a.ics", "A", "AAAAAAA");
    same_a.quota = Some(5);
    put(store, coll.id, &same_a);
    let mut grown_a = object("a.ics", "A", "aaaaaaaa");
    grown_a.quota = Some(5);
    assert!(matches!(
        store.put_object(coll.id, &grown_a, &WriteCondition::None),
        Err(StoreError::QuotaExceeded { used: 7, quota: 5 })
    ));
    assert_eq!(reload(store, &coll).used_bytes, 7);
}

// ---------------------------------------------------------------------------------------------
// Query indexes: instances and text

/// A recurring object (span from `first`, open-ended) with an instance index.
fn series_object(name: &str, instances: &[(i64, i64)], until: Option<i64>) -> PutObject {
    let body = format!("BEGIN:VCALENDAR {name} {instances:?}");
    let mut object = object(name, name, &body);
    object.index.first_start = instances.first().map(|(start, _)| *start);
    object.index.last_end = None;
    object.index.span_exact = false;
    object.index.instances = instances.to_vec();
    object.index.instances_until = until;
    object
}

/// (name, decided) of the candidates for `[start, end)`.
fn candidates(
    store: &dyn Store,
    collection: i64,
    start: Option<i64>,
    end: Option<i64>,
) -> Vec<(String, bool)> {
    store
        .find_candidates(
            collection,
            &ObjectFilter {
                components: Vec::new(),
                start,
                end,
                bodies: false,
            },
        )
        .expect("find_candidates")
        .into_iter()
        .map(|c| (c.meta.name, c.decided))
        .collect()
}

pub(crate) fn instance_rows_replaced_on_update_and_gone_on_delete(store: &dyn Store) {
    let coll = setup(store);
    put(
        store,
        coll.id,
        &series_object("s.ics", &[(100, 200), (1000, 1100)], Some(i64::MAX)),
    );
    assert_eq!(
        candidates(store, coll.id, Some(150), Some(160)),
        pairs(&[("s.ics", true)])
    );
    assert_eq!(candidates(store, coll.id, Some(300), Some(400)), pairs(&[]));
    // Replacing the object replaces its instances.
    put(
        store,
        coll.id,
        &series_object("s.ics", &[(100, 120), (300, 350)], Some(i64::MAX)),
    );
    assert_eq!(candidates(store, coll.id, Some(150), Some(160)), pairs(&[]));
    assert_eq!(
        candidates(store, coll.id, Some(300), Some(400)),
        pairs(&[("s.ics", true)])
    );
    assert_eq!(
        candidates(store, coll.id, Some(1000), Some(1100)),
        pairs(&[])
    );
    // An update without an instance index leaves the object undecided, never hidden.
    let mut plain = series_object("s.ics", &[(100, 120)], None);
    plain.index.instances.clear();
    put(store, coll.id, &plain);
    assert_eq!(
        candidates(store, coll.id, Some(5000), Some(6000)),
        pairs(&[("s.ics", false)])
    );
    put(
        store,
        coll.id,
        &series_object("s.ics", &[(100, 200)], Some(i64::MAX)),
    );
    store
        .delete_object(coll.id, "s.ics", &WriteCondition::None)
        .expect("delete");
    assert_eq!(candidates(store, coll.id, None, None), pairs(&[]));
    // Put again under the same name: no stale rows of the deleted object resurface.
    put(
        store,
        coll.id,
        &series_object("s.ics", &[(700, 800)], Some(i64::MAX)),
    );
    assert_eq!(candidates(store, coll.id, Some(150), Some(160)), pairs(&[]));
    assert_eq!(
        candidates(store, coll.id, Some(750), Some(760)),
        pairs(&[("s.ics", true)])
    );
    store.delete_collection(coll.id).expect("delete collection");
    let again = store
        .create_collection(
            coll.owner,
            &new_collection(CollectionKind::Calendar, "cal2", 1),
        )
        .expect("collection");
    put(
        store,
        again.id,
        &series_object("t.ics", &[(100, 200)], Some(i64::MAX)),
    );
    assert_eq!(
        candidates(store, again.id, Some(750), Some(760)),
        pairs(&[])
    );
}

pub(crate) fn find_candidates_decides_only_what_the_index_knows(store: &dyn Store) {
    let coll = setup(store);
    // Exact span 1_700_000_000..1_700_003_600.
    put(store, coll.id, &object("exact.ics", "exact", "E"));
    // Weekly hour-long instances, listed up to 10_000.
    let weekly: Vec<(i64, i64)> = (0..10).map(|i| (i * 1000, i * 1000 + 100)).collect();
    put(
        store,
        coll.id,
        &series_object("horizon.ics", &weekly, Some(10_000)),
    );
    let mut floating = series_object("floating.ics", &weekly, Some(10_000));
    floating.index.instances_floating = true;
    put(store, coll.id, &floating);
    let mut unindexed = series_object("unindexed.ics", &[], None);
    unindexed.index.first_start = Some(0);
    put(store, coll.id, &unindexed);
    // An instant at 5_000 and a finite series fully listed.
    put(
        store,
        coll.id,
        &series_object("zero.ics", &[(5_000, 5_000)], Some(i64::MAX)),
    );

    // No time range: everything, decided.
    assert_eq!(
        candidates(store, coll.id, None, None),
        pairs(&[
            ("exact.ics", true),
            ("floating.ics", true),
            ("horizon.ics", true),
            ("unindexed.ics", true),
            ("zero.ics", true),
        ])
    );
    // Inside the horizon, between instances: the series is decided out; floating and
    // unindexed objects need the content check.
    assert_eq!(
        candidates(store, coll.id, Some(150), Some(900)),
        pairs(&[("floating.ics", false), ("unindexed.ics", false)])
    );
    // Overlapping an instance (strictly): decided in.
    assert_eq!(
        candidates(store, coll.id, Some(2050), Some(2060)),
        pairs(&[
            ("floating.ics", false),
            ("horizon.ics", true),
            ("unindexed.ics", false),
        ])
    );
    // Touching an instance's end is no overlap.
    assert_eq!(
        candidates(store, coll.id, Some(2100), Some(2200)),
        pairs(&[("floating.ics", false), ("unindexed.ics", false)])
    );
    // A window reaching past the horizon: undecided (kept).
    assert_eq!(
        candidates(store, coll.id, Some(9_500), Some(10_001)),
        pairs(&[
            ("floating.ics", false),
            ("horizon.ics", false),
            ("unindexed.ics", false),
        ])
    );
    assert_eq!(
        candidates(store, coll.id, Some(9_500), None),
        pairs(&[
            ("exact.ics", true),
            ("floating.ics", false),
            ("horizon.ics", false),
            ("unindexed.ics", false),
        ])
    );
    // Ending exactly at the horizon is still covered.
    assert_eq!(
        candidates(store, coll.id, Some(9_100), Some(10_000)),
        pairs(&[("floating.ics", false), ("unindexed.ics", false)])
    );
    // The instant at 5_000 matches when start <= 5_000 < end (RFC 4791 §9.9).
    let zero = |start, end| {
        candidates(store, coll.id, Some(start), Some(end))
            .into_iter()
            .any(|(name, decided)| name == "zero.ics" && decided)
    };
    assert!(zero(5_000, 5_001));
    assert!(zero(4_000, 6_000));
    assert!(!zero(4_000, 5_000));
    assert!(!zero(5_001, 6_000));
    // The exact-span object is decided as before.
    assert_eq!(
        candidates(store, coll.id, Some(1_700_000_000), Some(1_700_000_001))
            .into_iter()
            .filter(|(name, _)| name == "exact.ics")
            .collect::<Vec<_>>(),
        pairs(&[("exact.ics", true)])
    );
    // A long instance found although it starts well before the window.
    put(
        store,
        coll.id,
        &series_object(
            "long.ics",
            &[(0, 100_000), (200_000, 200_001)],
            Some(i64::MAX),
        ),
    );
    assert!(
        candidates(store, coll.id, Some(50_000), Some(50_001))
            .contains(&("long.ics".to_owned(), true))
    );
}

fn card(name: &str, text: &[(&str, &str)]) -> PutObject {
    // The body says what the index holds: other text is other bytes (and another ETag).
    let mut object = object_with(name, name, "VCARD", &format!("BEGIN:VCARD {name} {text:?}"));
    object.index.first_start = None;
    object.index.last_end = None;
    object.index.span_exact = false;
    object.index.text = text
        .iter()
        .map(|(prop, value)| ((*prop).to_owned(), (*value).to_owned()))
        .collect();
    object
}

pub(crate) fn find_by_text_match_types_and_metacharacters(store: &dyn Store) {
    let owner = account(store, "alice").id;
    let book = store
        .create_collection(
            owner,
            &new_collection(CollectionKind::AddressBook, "contacts", 1),
        )
        .expect("address book");
    let other = store
        .create_collection(
            owner,
            &new_collection(CollectionKind::AddressBook, "other", 2),
        )
        .expect("address book");
    put(
        store,
        book.id,
        &card(
            "a.vcf",
            &[("FN", "100% O_BRIEN\\JR"), ("EMAIL", "OB@X.ORG")],
        ),
    );
    put(
        store,
        book.id,
        &card("b.vcf", &[("FN", "100X OXBRIENXJR"), ("EMAIL", "B@X.ORG")]),
    );
    put(
        store,
        book.id,
        &card("c.vcf", &[("FN", "MÜLLER ŒUVRE"), ("TEL", "+41 44")]),
    );
    put(
        store,
        other.id,
        &card("d.vcf", &[("FN", "100% O_BRIEN\\JR")]),
    );
    let find = |prop: &str, needle: &str, how| {
        store
            .find_by_text(book.id, prop, needle, how)
            .expect("find_by_text")
    };
    use crate::store::TextMatchType::{Contains, EndsWith, Equals, StartsWith};
    assert_eq!(find("FN", "%", Contains), strings(&["a.vcf"]));
    assert_eq!(find("FN", "O_B", Contains), strings(&["a.vcf"]));
    assert_eq!(find("FN", "N\\J", Contains), strings(&["a.vcf"]));
    assert_eq!(find("FN", "100", Contains), strings(&["a.vcf", "b.vcf"]));
    assert_eq!(
        find("FN", "", Contains),
        strings(&["a.vcf", "b.vcf", "c.vcf"])
    );
    assert_eq!(find("FN", "100%", StartsWith), strings(&["a.vcf"]));
    assert_eq!(find("FN", "100_", StartsWith), strings(&[]));
    assert_eq!(find("FN", "1", StartsWith), strings(&["a.vcf", "b.vcf"]));
    assert_eq!(find("FN", "\\JR", EndsWith), strings(&["a.vcf"]));
    assert_eq!(find("FN", "JR", EndsWith), strings(&["a.vcf", "b.vcf"]));
    assert_eq!(find("FN", "_JR", EndsWith), strings(&[]));
    assert_eq!(find("FN", "100% O_BRIEN\\JR", Equals), strings(&["a.vcf"]));
    assert_eq!(find("FN", "100% O_BRIEN", Equals), strings(&[]));
    // Non-ASCII keys compare exactly, also at the end of a prefix range.
    assert_eq!(find("FN", "MÜ", StartsWith), strings(&["c.vcf"]));
    assert_eq!(find("FN", "MU", StartsWith), strings(&[]));
    assert_eq!(find("FN", "ŒUVRE", EndsWith), strings(&["c.vcf"]));
    assert_eq!(find("FN", "ÜLL", Contains), strings(&["c.vcf"]));
    // Per property and per collection.
    assert_eq!(
        find("EMAIL", "X.ORG", EndsWith),
        strings(&["a.vcf", "b.vcf"])
    );
    assert_eq!(find("TEL", "100", Contains), strings(&[]));
    assert_eq!(find("NICKNAME", "", Contains), strings(&[]));
    // Rows are replaced on update and go with the card.
    put(store, book.id, &card("a.vcf", &[("FN", "ZED")]));
    assert_eq!(find("FN", "100", Contains), strings(&["b.vcf"]));
    assert_eq!(find("EMAIL", "OB@", StartsWith), strings(&[]));
    store
        .delete_object(book.id, "b.vcf", &WriteCondition::None)
        .expect("delete");
    assert_eq!(find("FN", "100", Contains), strings(&[]));
    store
        .delete_collection(other.id)
        .expect("delete collection");
    assert_eq!(find("FN", "ZED", Equals), strings(&["a.vcf"]));
}

/// Spans of every length class, and at the edges of the classes, are found exactly when they
/// may meet the window: the answer equals a brute-force overlap test.
pub(crate) fn find_candidates_across_span_lengths(store: &dyn Store) {
    let coll = setup(store);
    const HOUR: i64 = 3_600;
    let lengths = [
        0,
        1,
        HOUR,
        HOUR + 1,
        4 * HOUR,
        16 * HOUR + 1,
        64 * HOUR,
        300 * HOUR,
        2_000 * HOUR,
        9_000 * HOUR,
        40_000 * HOUR,
        200_000 * HOUR,
        262_144 * HOUR,
        262_144 * HOUR + 1,
        1_000_000 * HOUR,
    ];
    let mut spans = Vec::new();
    for (i, length) in lengths.iter().enumerate() {
        for (j, start) in [-500_000 * HOUR, -7 * HOUR, 0, 5 * HOUR, 90 * HOUR]
            .iter()
            .enumerate()
        {
            let name = format!("s{i}-{j}.ics");
            let mut o = object_with(&name, &format!("{i}-{j}"), "VEVENT", &name);
            o.index.first_start = Some(*start);
            o.index.last_end = Some(start + length);
            put(store, coll.id, &o);
            spans.push((name, *start, start + length));
        }
    }
    for (from, to) in [
        (0, HOUR),
        (-HOUR, 10 * HOUR),
        (100 * HOUR, 101 * HOUR),
        (-400_000 * HOUR, -399_999 * HOUR),
        (5 * HOUR, 5 * HOUR + 1),
    ] {
        let mut expected: Vec<String> = spans
            .iter()
            .filter(|(_, start, end)| *end > from && *start < to)
            .map(|(name, ..)| name.clone())
            .collect();
        expected.sort();
        let found: Vec<String> = candidates(store, coll.id, Some(from), Some(to))
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(found, expected, "window [{from}, {to})");
    }
}

/// Bodies come with the candidates when asked for, and otherwise only with the undecided
/// ones (which the caller must read anyway).
pub(crate) fn find_candidates_reads_the_bodies_it_must(store: &dyn Store) {
    let coll = setup(store);
    let mut exact = object_with("exact.ics", "E", "VEVENT", "exact body");
    exact.index.first_start = Some(100);
    exact.index.last_end = Some(200);
    put(store, coll.id, &exact);
    let mut floating = object_with("floating.ics", "F", "VEVENT", "floating body");
    floating.index.span_exact = false;
    floating.index.first_start = Some(100);
    floating.index.last_end = Some(200);
    put(store, coll.id, &floating);
    let found = |bodies: bool| -> Vec<(String, bool, Option<Vec<u8>>)> {
        store
            .find_candidates(
                coll.id,
                &ObjectFilter {
                    components: Vec::new(),
                    start: Some(150),
                    end: Some(160),
                    bodies,
                },
            )
            .expect("find_candidates")
            .into_iter()
            .map(|c| (c.meta.name, c.decided, c.body))
            .collect()
    };
    assert_eq!(
        found(false),
        vec![
            ("exact.ics".to_owned(), true, None),
            (
                "floating.ics".to_owned(),
                false,
                Some(b"floating body".to_vec())
            ),
        ]
    );
    assert_eq!(
        found(true),
        vec![
            ("exact.ics".to_owned(), true, Some(b"exact body".to_vec())),
            (
                "floating.ics".to_owned(),
                false,
                Some(b"floating body".to_vec())
            ),
        ]
    );
}

/// A `contained_match` span is decided by a bounded window that contains it strictly, and
/// left to the content when it touches or crosses an edge, or when the window is open.
pub(crate) fn contained_spans_decide_strictly_inside_windows(store: &dyn Store) {
    let coll = setup(store);
    let mut o = object_with("allday.ics", "A", "VEVENT", "allday");
    o.index.span_exact = false;
    o.index.contained_match = true;
    o.index.first_start = Some(100);
    o.index.last_end = Some(200);
    put(store, coll.id, &o);
    let decided = |start: Option<i64>, end: Option<i64>| candidates(store, coll.id, start, end);
    let one = |d: bool| vec![("allday.ics".to_owned(), d)];
    assert_eq!(decided(Some(99), Some(201)), one(true));
    assert_eq!(
        decided(Some(100), Some(201)),
        one(false),
        "touches the start"
    );
    assert_eq!(decided(Some(99), Some(200)), one(false), "touches the end");
    assert_eq!(decided(Some(150), Some(160)), one(false), "inside the span");
    assert_eq!(decided(Some(50), None), one(false), "open window");
}

/// find_busy: spans of busy single events and instances of busy series come from the index;
/// free objects not at all; the others as bodies.
pub(crate) fn find_busy_answers_from_the_index_where_it_can(store: &dyn Store) {
    let coll = setup(store);
    let event = |name: &str, busy: Option<BusyKind>, span: (i64, i64)| {
        let mut o = object_with(name, name, "VEVENT", name);
        o.index.busy = busy;
        o.index.first_start = Some(span.0);
        o.index.last_end = Some(span.1);
        o
    };
    put(
        store,
        coll.id,
        &event("busy.ics", Some(BusyKind::Busy), (100, 200)),
    );
    put(
        store,
        coll.id,
        &event("tentative.ics", Some(BusyKind::Tentative), (150, 400)),
    );
    put(
        store,
        coll.id,
        &event("free.ics", Some(BusyKind::Free), (100, 200)),
    );
    put(store, coll.id, &event("unknown.ics", None, (100, 200)));
    put(
        store,
        coll.id,
        &event("outside.ics", Some(BusyKind::Busy), (500, 600)),
    );
    let mut floating = event("floating.ics", Some(BusyKind::Busy), (100, 200));
    floating.index.span_exact = false;
    put(store, coll.id, &floating);
    let mut series = series_object(
        "series.ics",
        &[(0, 50), (120, 130), (300, 310)],
        Some(i64::MAX),
    );
    series.index.busy = Some(BusyKind::Busy);
    put(store, coll.id, &series);
    let mut todo = object_with("todo.ics", "T", "VTODO", "todo");
    todo.index.first_start = Some(100);
    todo.index.last_end = Some(200);
    put(store, coll.id, &todo);

    let mut scan = store.find_busy(coll.id, 110, 305).expect("find_busy");
    scan.known
        .sort_unstable_by_key(|(start, end, _)| (*start, *end));
    assert_eq!(
        scan.known,
        vec![
            (100, 200, BusyKind::Busy),
            (120, 130, BusyKind::Busy),
            (150, 400, BusyKind::Tentative),
            (300, 310, BusyKind::Busy),
        ]
    );
    let mut unknown: Vec<(String, Vec<u8>)> = scan
        .unknown
        .into_iter()
        .map(|o| (o.meta.name, o.body))
        .collect();
    unknown.sort();
    assert_eq!(
        unknown,
        vec![
            ("floating.ics".to_owned(), b"floating.ics".to_vec()),
            ("unknown.ics".to_owned(), b"unknown.ics".to_vec()),
        ]
    );
}

/// A floating series (instances listed as UTC) is decided when an instance lies inside the
/// window under every UTC offset, ruled out when none can reach it, and left to the content
/// in between or when its index does not cover the window.
pub(crate) fn floating_series_decided_within_the_widest_offset(store: &dyn Store) {
    let coll = setup(store);
    let mut o = series_object("f.ics", &[(100_000, 100_100)], Some(1_000_000));
    o.index.instances_floating = true;
    // The span of a floating object is widened by the same 14 hours (`ical::span`).
    o.index.first_start = Some(100_000 - 50_400);
    put(store, coll.id, &o);
    let found = |start: i64, end: i64| candidates(store, coll.id, Some(start), Some(end));
    let one = |d: bool| vec![("f.ics".to_owned(), d)];
    assert_eq!(found(0, 200_000), one(true), "inside under every offset");
    assert_eq!(found(100_050, 100_060), one(false), "depends on the zone");
    assert_eq!(
        found(150_500, 300_000),
        one(false),
        "touches the widened end"
    );
    assert_eq!(found(150_501, 300_000), Vec::new(), "out of reach");
    assert_eq!(
        found(0, 49_600),
        Vec::new(),
        "ends where the widest start begins"
    );
    assert_eq!(found(0, 49_601), one(false));
    assert_eq!(found(0, 2_000_000), one(false), "past the listed instances");
}
