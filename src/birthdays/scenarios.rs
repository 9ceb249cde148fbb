//! The birthday calendar over a real store: cards written as a PUT writes them show up with
//! their ages and hrefs, shares count while they are usable, and cards stored before the date
//! index are read from their bodies.

#![cfg(test)]

use rusqlite::Connection;
use tempfile::TempDir;

use super::*;
use crate::contacts::testing::{card, put_cards};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::organisation::founder;
use crate::store::sqlite::SqliteStore;
use crate::store::{
    Collection, CollectionProps, Grantee, LegalContact, MemberUpdate, NewAccount, NewCollection,
    NewMember, NewOrg, NewShare, Notices, OrgStore, Placement, ProductAccess, Role, ShareAccess,
    ShareStore, WriteCondition,
};
use crate::transfer::place::open;

const PLAN: &str = "ksuite-standard";

struct Fixture {
    dir: TempDir,
    store: SqliteStore,
    plans: Plans,
}

fn fixture() -> Fixture {
    let dir = TempDir::new().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("open");
    Fixture {
        dir,
        store,
        plans: Plans::builtin(),
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("date")
}

fn book(name: &str) -> NewCollection {
    NewCollection {
        kind: CollectionKind::AddressBook,
        name: name.to_owned(),
        components: Vec::new(),
        props: CollectionProps::default(),
        dead: Vec::new(),
        position: 0,
        limit: None,
    }
}

fn occurrence(
    date: NaiveDate,
    kind: DateKind,
    label: &str,
    years: Option<i32>,
    href: &str,
) -> Occurrence {
    Occurrence {
        date,
        kind,
        label: label.to_owned(),
        years,
        href: href.to_owned(),
    }
}

impl Fixture {
    /// An account with address book `contacts`: founding its own organisation, or joining
    /// organisation `org`.
    fn account(&self, login: &str, org: Option<i64>) -> Account {
        let organisation = match org {
            None => Placement::NewOrg {
                org: NewOrg {
                    name: login.into(),
                    plan: PLAN.into(),
                    contact: LegalContact::default(),
                },
                founder: founder(),
            },
            Some(org) => Placement::Join {
                org,
                member: NewMember {
                    role: Role::User,
                    access: ProductAccess::ALL,
                    notices: Notices::ALL,
                },
                max_members: None,
                by: None,
            },
        };
        self.store
            .create_account(&NewAccount {
                login: login.into(),
                display_name: login.into(),
                email: None,
                password_hash: "x".into(),
                organisation,
                collections: vec![book("contacts")],
            })
            .expect("account")
    }

    fn org_of(&self, account: &Account) -> i64 {
        self.store
            .home_membership(account.id)
            .expect("membership")
            .expect("has one")
            .0
            .id
    }

    fn book(&self, owner: &Account, name: &str) -> Collection {
        self.store
            .collection(owner.id, CollectionKind::AddressBook, name)
            .expect("load")
            .expect("exists")
    }

    /// Writes each `(name, card)` into `owner`'s address book `book` through the checks and
    /// indexing every write path shares.
    fn put(&self, owner: &Account, book: &str, cards: &[(&str, String)]) {
        let path = CollectionPath::of(CollectionKind::AddressBook, &owner.login, book);
        let place = open(
            &self.store,
            &self.plans,
            Actor::Operator,
            &path,
            Action::WriteContent,
        )
        .expect("open the address book");
        put_cards(&self.store, &place, cards);
    }

    fn year_of(&self, account: &Account, year: i32) -> Vec<Occurrence> {
        occurrences(
            &self.store,
            &self.plans,
            account,
            ymd(year, 1, 1),
            ymd(year, 12, 31),
        )
        .expect("occurrences")
    }
}

#[test]
fn cards_show_with_ages_on_their_days_sorted_with_hrefs() {
    let f = fixture();
    let alice = f.account("alice", None);
    let apple = "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\nitem1.X-ABDATE:2000-06-01\r\n\
                 item1.X-ABLabel:_$!<Anniversary>!$_\r\n";
    f.put(
        &alice,
        "contacts",
        &[
            (
                "ann.vcf",
                card("ann", "Ann", "BDAY:1985-04-15\r\nANNIVERSARY:20100601\r\n"),
            ),
            ("leap.vcf", card("leap", "Leo", "BDAY:--0229\r\n")),
            ("apple.vcf", card("apple", "Pat", apple)),
            ("plain.vcf", card("plain", "No Dates", "")),
        ],
    );
    let work = f
        .store
        .create_collection(alice.id, &book("my work"))
        .expect("book");
    let zoe_card = card("zoe", "Zoé", "BDAY:--12-31\r\n");
    f.put(&alice, "my work", &[("zoé 1.vcf", zoe_card)]);

    let ann = "/dav/addressbooks/alice/contacts/ann.vcf";
    let pat = "/dav/addressbooks/alice/contacts/apple.vcf";
    let leo = "/dav/addressbooks/alice/contacts/leap.vcf";
    let zoe = "/dav/addressbooks/alice/my%20work/zo%C3%A9%201.vcf";
    use DateKind::{Anniversary, Birthday};
    assert_eq!(
        f.year_of(&alice, 2023),
        vec![
            occurrence(ymd(2023, 2, 28), Birthday, "Leo", None, leo),
            occurrence(ymd(2023, 4, 15), Birthday, "Ann", Some(38), ann),
            occurrence(ymd(2023, 4, 15), Birthday, "Pat", None, pat),
            occurrence(ymd(2023, 6, 1), Anniversary, "Ann", Some(13), ann),
            occurrence(ymd(2023, 6, 1), Anniversary, "Pat", Some(23), pat),
            occurrence(ymd(2023, 12, 31), Birthday, "Zoé", None, zoe),
        ]
    );
    let leap_year = f.year_of(&alice, 2024);
    assert_eq!(leap_year[0].date, ymd(2024, 2, 29));

    // Across the new year, each occurrence with its own age.
    let born_in_january = card("ann", "Ann", "BDAY:1985-01-02\r\n");
    f.put(&alice, "contacts", &[("ann.vcf", born_in_january)]);
    let winter = occurrences(
        &f.store,
        &f.plans,
        &alice,
        ymd(2024, 12, 25),
        ymd(2025, 1, 5),
    )
    .expect("winter");
    assert_eq!(
        winter,
        vec![
            occurrence(ymd(2024, 12, 31), Birthday, "Zoé", None, zoe),
            occurrence(ymd(2025, 1, 2), Birthday, "Ann", Some(40), ann),
        ]
    );

    // A deleted card leaves the calendar.
    f.store
        .delete_object(work.id, "zoé 1.vcf", &WriteCondition::None)
        .expect("delete");
    assert!(
        f.year_of(&alice, 2023)
            .iter()
            .all(|o| o.href != zoe && o.label != "Zoé")
    );
}

#[test]
fn shared_books_count_while_usable_and_nobody_else_sees_them() {
    let f = fixture();
    let alice = f.account("alice", None);
    let org = f.org_of(&alice);
    let bob = f.account("bob", Some(org));
    let carol = f.account("carol", None);
    let contacts = f.book(&alice, "contacts");
    f.put(
        &alice,
        "contacts",
        &[("ann.vcf", card("ann", "Ann", "BDAY:--0415\r\n"))],
    );
    let friend = card("own", "Bob's friend", "BDAY:--0416\r\n");
    f.put(&bob, "contacts", &[("own.vcf", friend)]);
    f.store
        .put_share(&NewShare {
            collection: contacts.id,
            org,
            grantee: Grantee::Account(bob.id),
            access: ShareAccess::Read,
            created: 0,
        })
        .expect("share");

    let shared = format!("/dav/addressbooks/bob/.shared-{}/ann.vcf", contacts.id);
    let hrefs = |account: &Account| -> Vec<String> {
        f.year_of(account, 2024)
            .into_iter()
            .map(|o| o.href)
            .collect()
    };
    assert_eq!(
        hrefs(&bob),
        vec![
            shared.clone(),
            "/dav/addressbooks/bob/contacts/own.vcf".to_owned()
        ]
    );
    assert!(hrefs(&carol).is_empty(), "not shared with carol");

    // Declined: gone; accepted again: back.
    f.store
        .set_share_hidden(bob.id, contacts.id, true)
        .expect("decline");
    assert_eq!(hrefs(&bob), vec!["/dav/addressbooks/bob/contacts/own.vcf"]);
    f.store
        .set_share_hidden(bob.id, contacts.id, false)
        .expect("accept");
    assert_eq!(hrefs(&bob).len(), 2);

    // The owner without contacts: its shared book is not served, nor its own cards.
    f.store
        .update_member(
            org,
            alice.id,
            Role::LegalOwner,
            &MemberUpdate {
                contacts: Some(false),
                ..MemberUpdate::default()
            },
            None,
        )
        .expect("contacts off for alice");
    assert_eq!(hrefs(&bob), vec!["/dav/addressbooks/bob/contacts/own.vcf"]);
    assert!(hrefs(&alice).is_empty());
}

#[test]
fn cards_stored_before_the_date_index_are_read_from_their_bodies() {
    let f = fixture();
    let alice = f.account("alice", None);
    let contacts = f.book(&alice, "contacts");
    let ann = card("ann", "Ann", "BDAY:1985-04-15\r\n");
    f.put(&alice, "contacts", &[("ann.vcf", ann)]);
    // What schema 010 finds in a database written before it: cards without date rows, listed
    // as pending.
    let raw = Connection::open(f.dir.path().join("db.sqlite3")).expect("raw");
    raw.execute_batch(
        "DELETE FROM object_dates; \
         INSERT INTO object_dates_pending (object_id, collection) \
         SELECT id, collection FROM objects;",
    )
    .expect("simulate an old database");
    let found = f.store.contact_dates(&[contacts.id]).expect("dates");
    assert_eq!((found.dates.len(), found.unindexed.len()), (0, 1));
    assert_eq!(
        f.year_of(&alice, 2024),
        vec![occurrence(
            ymd(2024, 4, 15),
            DateKind::Birthday,
            "Ann",
            Some(39),
            "/dav/addressbooks/alice/contacts/ann.vcf"
        )]
    );
}

#[test]
fn ranges_are_bounded_and_a_reversed_one_is_empty() {
    let f = fixture();
    let alice = f.account("alice", None);
    let from = ymd(2024, 1, 1);
    let last = from + chrono::Days::new(u64::try_from(MAX_DAYS - 1).expect("days"));
    assert!(occurrences(&f.store, &f.plans, &alice, from, last).is_ok());
    let refused = occurrences(
        &f.store,
        &f.plans,
        &alice,
        from,
        last + chrono::Days::new(1),
    );
    assert!(
        matches!(refused, Err(BirthdayError::RangeTooLong { days }) if days == MAX_DAYS + 1),
        "{refused:?}"
    );
    assert_eq!(
        refused.map_err(|e| e.kind()).unwrap_err(),
        ErrorKind::Invalid
    );
    let reversed = occurrences(&f.store, &f.plans, &alice, from, ymd(2023, 12, 31));
    assert_eq!(reversed.expect("empty"), Vec::new());
    let huge = occurrences(&f.store, &f.plans, &alice, NaiveDate::MIN, NaiveDate::MAX);
    assert!(matches!(huge, Err(BirthdayError::RangeTooLong { .. })));
}
