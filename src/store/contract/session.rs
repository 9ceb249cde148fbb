//! Contract tests of [`crate::store::SessionStore`]: sessions open, are found by key until
//! they expire by the store's clock, close, and end with their account. A backend runs them
//! with [`session_contract_tests!`].

use super::account;
use crate::store::clock::ManualClock;
use crate::store::{NewSession, Store};

/// Generates one `#[test]` per session contract function (`$fresh` as in
/// `trash_contract_tests!`: a store and the clock the test moves).
macro_rules! session_contract_tests {
    ($fresh:path) => {
        $crate::store::contract::session::session_contract_tests!(@each $fresh;
            sessions_are_found_until_they_expire,
            closing_a_session_ends_it_only,
            opening_a_session_drops_expired_ones,
            removing_an_account_ends_its_sessions,
        );
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_keep, store, clock) = $fresh();
                $crate::store::contract::session::$name(&store, &clock);
            }
        )*
    };
}
pub(crate) use session_contract_tests;

fn new_session(key: &[u8], account: i64, expires_at: i64) -> NewSession {
    NewSession {
        key: key.to_vec(),
        account,
        csrf: format!("csrf-{}", String::from_utf8_lossy(key)),
        expires_at,
    }
}

pub(crate) fn sessions_are_found_until_they_expire(store: &dyn Store, clock: &ManualClock) {
    let alice = account(store, "alice");
    clock.set(1_000);
    let opened = store
        .open_session(&new_session(b"k1", alice.id, 1_100))
        .expect("open");
    assert_eq!(opened.created_at, 1_000);
    let found = store.session(b"k1").expect("read").expect("open session");
    assert_eq!(found, opened);
    assert_eq!(found.csrf, "csrf-k1");
    assert!(store.session(b"other").expect("read").is_none());
    clock.set(1_099);
    assert!(store.session(b"k1").expect("read").is_some());
    clock.set(1_100);
    assert!(
        store.session(b"k1").expect("read").is_none(),
        "a session is over at its expiry time"
    );
}

pub(crate) fn closing_a_session_ends_it_only(store: &dyn Store, clock: &ManualClock) {
    let alice = account(store, "alice");
    clock.set(10);
    store
        .open_session(&new_session(b"a", alice.id, 1_000))
        .expect("open a");
    store
        .open_session(&new_session(b"b", alice.id, 1_000))
        .expect("open b");
    store.close_session(b"a").expect("close");
    store
        .close_session(b"a")
        .expect("closing twice is harmless");
    assert!(store.session(b"a").expect("read").is_none());
    assert!(store.session(b"b").expect("read").is_some());
}

pub(crate) fn opening_a_session_drops_expired_ones(store: &dyn Store, clock: &ManualClock) {
    let alice = account(store, "alice");
    clock.set(10);
    store
        .open_session(&new_session(b"old", alice.id, 20))
        .expect("open old");
    clock.set(30);
    store
        .open_session(&new_session(b"new", alice.id, 100))
        .expect("open new");
    // Moving the clock back shows whether the expired row is gone or only hidden.
    clock.set(10);
    assert!(store.session(b"old").expect("read").is_none());
    assert!(store.session(b"new").expect("read").is_some());
}

pub(crate) fn removing_an_account_ends_its_sessions(store: &dyn Store, clock: &ManualClock) {
    let alice = account(store, "alice");
    let bob = account(store, "bob");
    clock.set(10);
    store
        .open_session(&new_session(b"alice", alice.id, 100))
        .expect("open alice");
    store
        .open_session(&new_session(b"bob", bob.id, 100))
        .expect("open bob");
    store.remove_account("alice").expect("remove");
    assert!(store.session(b"alice").expect("read").is_none());
    assert!(store.session(b"bob").expect("read").is_some());
}
