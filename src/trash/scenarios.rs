//! The trash's rules over a real store with a manual clock: windows from the plan as it is
//! when used, who sees what, restores as copies, into other collections, and point-in-time
//! restores within the window.

#![cfg(test)]

use std::sync::Arc;

use tempfile::TempDir;

use super::*;
use crate::org::organisation::founder;
use crate::store::clock::ManualClock;
use crate::store::sqlite::SqliteStore;
use crate::store::{
    Collection, CollectionProps, Deleter, LegalContact, NewAccount, NewCollection, NewOrg,
    OrgStore, Placement, PutObject, TrashStore, WriteCondition, etag_of,
};

const T0: i64 = 1_736_244_000; // 2025-01-07T10:00:00Z

struct Fixture {
    _dir: TempDir,
    store: SqliteStore,
    clock: Arc<ManualClock>,
    plans: Plans,
}

fn fixture() -> Fixture {
    let dir = TempDir::new().expect("tempdir");
    let clock = Arc::new(ManualClock::new(T0));
    let store =
        SqliteStore::open_with_clock(&dir.path().join("db.sqlite3"), clock.clone()).expect("open");
    Fixture {
        _dir: dir,
        store,
        clock,
        plans: Plans::builtin(),
    }
}

fn collection(kind: CollectionKind, name: &str, components: &[&str]) -> NewCollection {
    NewCollection {
        kind,
        name: name.into(),
        components: components.iter().map(|c| c.to_string()).collect(),
        props: CollectionProps::default(),
        dead: Vec::new(),
        position: 0,
        limit: None,
    }
}

impl Fixture {
    /// An account on `plan` with calendar `personal` (events, tasks), calendar `events`
    /// (events only) and address book `contacts`.
    fn account(&self, login: &str, plan: &str) -> Account {
        self.store
            .create_account(&NewAccount {
                login: login.into(),
                display_name: login.into(),
                email: None,
                password_hash: "x".into(),
                organisation: Placement::NewOrg {
                    org: NewOrg {
                        name: login.into(),
                        plan: plan.into(),
                        contact: LegalContact::default(),
                    },
                    founder: founder(),
                },
                collections: vec![
                    collection(CollectionKind::Calendar, "personal", &["VEVENT", "VTODO"]),
                    collection(CollectionKind::Calendar, "events", &["VEVENT"]),
                    collection(CollectionKind::AddressBook, "contacts", &[]),
                ],
            })
            .expect("account")
    }

    fn coll(&self, owner: &Account, kind: CollectionKind, name: &str) -> Collection {
        self.store
            .collection(owner.id, kind, name)
            .expect("load")
            .expect("exists")
    }

    fn put(&self, coll: &Collection, name: &str, body: &str) {
        let index = match coll.kind {
            CollectionKind::Calendar => crate::caldav::validate(coll, body.as_bytes(), None),
            CollectionKind::AddressBook => crate::carddav::validate(body.as_bytes(), None),
        }
        .expect("valid");
        self.store
            .put_object(
                coll.id,
                &PutObject {
                    name: name.into(),
                    body: body.as_bytes().to_vec(),
                    etag: etag_of(body.as_bytes()),
                    index,
                    quota: None,
                },
                &WriteCondition::None,
            )
            .expect("put");
    }

    fn delete(&self, coll: &Collection, name: &str, by: &Account) -> i64 {
        self.store
            .delete_object_by(
                coll.id,
                name,
                &WriteCondition::None,
                Some(Deleter::Account(by.id)),
            )
            .expect("delete")
    }

    /// The whole trash of `login`, as `actor` sees it.
    fn trash(&self, actor: Actor<'_>, login: &str) -> Vec<Item> {
        list(&self.store, &self.plans, actor, login, &Paging::default())
            .expect("list")
            .items
    }

    fn body(&self, coll: &Collection, name: &str) -> Option<String> {
        self.store
            .get_object(coll.id, name)
            .expect("get")
            .map(|o| String::from_utf8(o.body).expect("utf-8"))
    }
}

fn event(uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20250101T000000Z\r\nDTSTART:20250110T100000Z\r\nDTEND:20250110T110000Z\r\n\
         SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn todo(uid: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:{uid}\r\n\
         DTSTAMP:20250101T000000Z\r\nSUMMARY:do\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn the_window_is_the_plan_s_when_it_is_used() {
    let f = fixture();
    let al = f.account("al", "my-ksuite");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "a.ics", &event("A", "one"));
    f.delete(&cal, "a.ics", &al);
    let items = f.trash(Actor::Operator, "al");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].purge_at, T0 + 7 * DAY);
    assert_eq!(items[0].deleted_by.as_deref(), Some("al"));
    assert_eq!(items[0].kind, "event");
    assert_eq!(items[0].href, "/dav/calendars/al/personal/a.ics");
    // Eight days on, an upgrade to a 30-day plan keeps it.
    f.clock.set(T0 + 8 * DAY);
    let org = f.store.org_by_name("al").expect("org").expect("exists");
    f.store
        .set_plan(org.id, "my-ksuite", "my-ksuite-plus", None, None)
        .expect("upgrade");
    let items = f.trash(Actor::Operator, "al");
    assert_eq!(items[0].purge_at, T0 + 30 * DAY);
    assert_eq!(
        purge(&f.store, &f.plans).expect("purge"),
        PurgeReport::default()
    );
    f.clock.set(T0 + 30 * DAY);
    let report = purge(&f.store, &f.plans).expect("purge");
    assert_eq!((report.accounts, report.purged.objects), (1, 1));
    assert!(f.trash(Actor::Operator, "al").is_empty());
}

#[test]
fn a_seven_day_window_purges_after_seven_days() {
    let f = fixture();
    let al = f.account("al", "my-ksuite");
    let bo = f.account("bo", "ksuite-pro");
    for owner in [&al, &bo] {
        let cal = f.coll(owner, CollectionKind::Calendar, "personal");
        f.put(&cal, "a.ics", &event("A", "one"));
        f.delete(&cal, "a.ics", owner);
    }
    f.clock.set(T0 + 7 * DAY - 1);
    assert_eq!(purge(&f.store, &f.plans).expect("purge").accounts, 0);
    f.clock.set(T0 + 7 * DAY);
    let report = purge(&f.store, &f.plans).expect("purge");
    assert_eq!((report.accounts, report.purged.objects), (1, 1));
    assert!(f.trash(Actor::Operator, "al").is_empty());
    assert_eq!(f.trash(Actor::Operator, "bo").len(), 1);
}

#[test]
fn accounts_see_and_restore_their_own_trash_only() {
    let f = fixture();
    let al = f.account("al", "ksuite-pro");
    let bo = f.account("bo", "ksuite-pro");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "a.ics", &event("A", "one"));
    let id = TrashId::Object(f.delete(&cal, "a.ics", &al)).to_string();
    let as_bo = Actor::Account(&bo);
    assert_eq!(
        list(&f.store, &f.plans, as_bo, "al", &Paging::default())
            .unwrap_err()
            .code(),
        "not-found"
    );
    assert!(f.trash(as_bo, "bo").is_empty());
    let e = restore(&f.store, &f.plans, as_bo, &id, None, false).unwrap_err();
    assert_eq!(e.code(), "not-found");
    assert_eq!(f.trash(Actor::Account(&al), "al").len(), 1);
    let done = restore(&f.store, &f.plans, Actor::Account(&al), &id, None, false).expect("own");
    assert_eq!(done.href, "/dav/calendars/al/personal/a.ics");
    assert_ne!(done.etag, Some(etag_of(event("A", "one").as_bytes())));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("A", "one")));
    // Restored once: the owner is told so, others still find nothing.
    let e = restore(&f.store, &f.plans, Actor::Account(&al), &id, None, false).unwrap_err();
    assert_eq!(e.code(), "already-restored");
    assert!(e.to_string().contains("already restored"), "{e}");
    let e = restore(&f.store, &f.plans, as_bo, &id, None, false).unwrap_err();
    assert_eq!(e.code(), "not-found");
}

#[test]
fn a_uid_used_again_needs_a_copy_with_a_new_uid() {
    let f = fixture();
    let al = f.account("al", "ksuite-pro");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "a.ics", &event("A", "old"));
    let id = TrashId::Object(f.delete(&cal, "a.ics", &al)).to_string();
    f.put(&cal, "a.ics", &event("A", "recreated"));
    let e = restore(&f.store, &f.plans, Actor::Operator, &id, None, false).unwrap_err();
    assert_eq!(e.code(), "uid-conflict");
    assert!(
        e.to_string().contains("/dav/calendars/al/personal/a.ics"),
        "{e}"
    );
    let copy = restore(&f.store, &f.plans, Actor::Operator, &id, None, true).expect("copy");
    let uid = copy.uid.clone().expect("uid");
    assert_ne!(uid, "A");
    assert_eq!(copy.href, format!("/dav/calendars/al/personal/{uid}.ics"));
    let body = f.body(&cal, &format!("{uid}.ics")).expect("copy stored");
    assert_eq!(body, event(&uid, "old"));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("A", "recreated")));
}

#[test]
fn an_object_whose_collection_is_gone_goes_into_a_chosen_one_of_its_kind() {
    let f = fixture();
    let al = f.account("al", "ksuite-pro");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "t.ics", &todo("T"));
    f.put(&cal, "e.ics", &event("E", "e"));
    let t = TrashId::Object(f.delete(&cal, "t.ics", &al)).to_string();
    let e = TrashId::Object(f.delete(&cal, "e.ics", &al)).to_string();
    let c = f
        .store
        .delete_collection_by(cal.id, Some(Deleter::Account(al.id)))
        .expect("delete");
    let gone = restore(&f.store, &f.plans, Actor::Operator, &t, None, false).unwrap_err();
    assert_eq!(gone.code(), "collection-deleted");
    assert!(gone.to_string().contains(&format!("c{c}")), "{gone}");
    let items = f.trash(Actor::Operator, "al");
    assert_eq!(
        items
            .iter()
            .filter(|i| i.collection_deleted == Some(TrashId::Collection(c)))
            .count(),
        2
    );
    // A calendar of events only refuses the task; an address book refuses both.
    let wrong = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &t,
        Some("/dav/calendars/al/events/"),
        false,
    )
    .unwrap_err();
    assert_eq!(wrong.code(), "unsupported-content");
    let wrong = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &e,
        Some("/dav/addressbooks/al/contacts/"),
        false,
    )
    .unwrap_err();
    assert_eq!(wrong.code(), "unsupported-content");
    assert!(wrong.to_string().contains("contacts"), "{wrong}");
    let moved = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &e,
        Some("/dav/calendars/al/events/"),
        false,
    )
    .expect("into events");
    assert_eq!(moved.href, "/dav/calendars/al/events/e.ics");
    // The collection comes back with nothing of what was deleted before it, and t stays.
    let back = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &format!("c{c}"),
        None,
        false,
    )
    .expect("back");
    assert_eq!(
        (back.href.as_str(), back.objects),
        ("/dav/calendars/al/personal/", Some(0))
    );
    let done = restore(&f.store, &f.plans, Actor::Operator, &t, None, false).expect("now it can");
    assert_eq!(done.href, "/dav/calendars/al/personal/t.ics");
}

#[test]
fn point_in_time_restores_stay_within_the_window() {
    let f = fixture();
    let al = f.account("al", "my-ksuite");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "a.ics", &event("A", "monday"));
    f.clock.set(T0 + DAY);
    f.put(&cal, "a.ics", &event("A", "tuesday"));
    f.put(&cal, "b.ics", &event("B", "new on tuesday"));
    f.clock.set(T0 + 2 * DAY);
    let path = "/dav/calendars/al/personal/";
    let done = restore_at(&f.store, &f.plans, Actor::Operator, path, T0 + 3600).expect("restore");
    assert_eq!((done.restored, done.deleted, done.unchanged), (1, 1, 0));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("A", "monday")));
    assert_eq!(f.body(&cal, "b.ics"), None);
    // Undo: back to just before the restore, a minute later (content replaced within its
    // second is not kept as a version).
    f.clock.set(T0 + 2 * DAY + 60);
    let undo =
        restore_at(&f.store, &f.plans, Actor::Operator, path, T0 + 2 * DAY - 1).expect("undo");
    assert_eq!((undo.restored, undo.deleted), (2, 0));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("A", "tuesday")));
    // One object only, to an earlier version.
    f.clock.set(T0 + 2 * DAY + 120);
    let one = restore_at(
        &f.store,
        &f.plans,
        Actor::Operator,
        "/dav/calendars/al/personal/a.ics",
        T0,
    )
    .expect("one object");
    assert_eq!((one.restored, one.deleted), (1, 0));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("A", "monday")));
    assert!(
        f.body(&cal, "b.ics").is_some(),
        "a single object restore leaves the others"
    );
    let before = restore_at(
        &f.store,
        &f.plans,
        Actor::Operator,
        "/dav/calendars/al/personal/b.ics",
        T0,
    )
    .unwrap_err();
    assert_eq!(before.code(), "not-found");
    assert!(before.to_string().contains("did not exist"), "{before}");
    let versions = versions(
        &f.store,
        &f.plans,
        Actor::Operator,
        "/dav/calendars/al/personal/a.ics",
        &Paging::default(),
    )
    .expect("versions")
    .items;
    assert!(versions[0].current);
    assert_eq!(versions.len(), 5, "{versions:?}");
    // Outside the 7-day window, and in the future.
    f.clock.set(T0 + 9 * DAY);
    let late = restore_at(&f.store, &f.plans, Actor::Operator, path, T0 + DAY).unwrap_err();
    assert_eq!(late.code(), "outside-restore-window");
    assert!(late.to_string().contains("7 days"), "{late}");
    let future = restore_at(&f.store, &f.plans, Actor::Operator, path, T0 + 10 * DAY).unwrap_err();
    assert_eq!(future.code(), "invalid-request");
}

#[test]
fn a_name_taken_by_another_object_steps_aside() {
    let f = fixture();
    let al = f.account("al", "ksuite-pro");
    let cal = f.coll(&al, CollectionKind::Calendar, "personal");
    f.put(&cal, "a.ics", &event("A", "first"));
    let id = TrashId::Object(f.delete(&cal, "a.ics", &al)).to_string();
    f.put(&cal, "a.ics", &event("B", "another"));
    let done = restore(&f.store, &f.plans, Actor::Operator, &id, None, false).expect("restore");
    assert_eq!(done.href, "/dav/calendars/al/personal/a-restored.ics");
    assert_eq!(done.uid.as_deref(), Some("A"));
    assert_eq!(f.body(&cal, "a-restored.ics"), Some(event("A", "first")));
    assert_eq!(f.body(&cal, "a.ics"), Some(event("B", "another")));
}

#[test]
fn a_collection_comes_back_under_a_free_name_within_the_plan_s_limit() {
    let f = fixture();
    let al = f.account("al", "ksuite-pro");
    let events = f.coll(&al, CollectionKind::Calendar, "events");
    f.put(&events, "e.ics", &event("E", "e"));
    let id = f
        .store
        .delete_collection_by(events.id, Some(Deleter::Account(al.id)))
        .expect("delete");
    f.store
        .create_collection(
            al.id,
            &collection(CollectionKind::Calendar, "events", &["VEVENT"]),
        )
        .expect("a new one with the name");
    let done = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &format!("c{id}"),
        None,
        false,
    )
    .expect("restore");
    assert_eq!(done.href, "/dav/calendars/al/events-restored/");
    assert_eq!(done.objects, Some(1));
    let back = f.coll(&al, CollectionKind::Calendar, "events-restored");
    assert_eq!(f.body(&back, "e.ics"), Some(event("E", "e")));
    let e = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &format!("c{id}"),
        Some("/dav/calendars/al/personal/"),
        false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid-request");

    // my kSuite allows one calendar: the deleted one comes back only once the other is gone.
    let bo = f.account("bo", "my-ksuite");
    let extra = f.coll(&bo, CollectionKind::Calendar, "events");
    let id = f
        .store
        .delete_collection_by(extra.id, None)
        .expect("delete");
    let e = restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &format!("c{id}"),
        None,
        false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "collection-limit-reached");
    assert!(e.to_string().contains("my-ksuite"), "{e}");
    let personal = f.coll(&bo, CollectionKind::Calendar, "personal");
    f.store.delete_collection(personal.id).expect("delete");
    restore(
        &f.store,
        &f.plans,
        Actor::Operator,
        &format!("c{id}"),
        None,
        false,
    )
    .expect("now");
}
