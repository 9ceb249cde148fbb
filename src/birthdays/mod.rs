//! The birthday calendar: the birthdays and anniversaries of a person's contacts, dated over a
//! range of days, computed on request from the date index ([`Store::contact_dates`]). It
//! exists only in the web view: no DAV collection, report, public link or export serves it,
//! so nothing here is a calendar object and nothing is ever stored.
//!
//! Whose contacts: the address books the person reads over CardDAV, and only those: its own
//! while its contacts product is on, and those shared with it that it has not declined and
//! may use ([`org::share::shared_with`]); each with the href its CardDAV client sees. Not the
//! organisation directory: its cards are generated from the member records, which hold no
//! dates, and colleagues are not the person's contacts.
//!
//! Imports `org` (access), `store`, `carddav` (the one reading of a card's dates, for cards
//! written before the date index) and `href`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::carddav::contact_dates;
use crate::href::encode_segment;
use crate::org::access::{Access, Product, home_access};
use crate::org::home::home;
use crate::org::plan::Plans;
use crate::org::share::{self, CollectionPath, mount_name};
use crate::org::{ErrorKind, OrgError};
use crate::store::{Account, CollectionKind, ContactDate, DateKind, Store};

/// Longest range asked for at once, in days: two years, more than a year view needs. It bounds
/// the answer (one occurrence per date and year) whatever a request asks.
pub const MAX_DAYS: i64 = 731;

/// One day of the calendar: a contact's birthday or anniversary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The day it falls on (February 29 falls on February 28 in other years).
    pub date: NaiveDate,
    /// Birthday or anniversary.
    pub kind: DateKind,
    /// The contact's name.
    pub label: String,
    /// The age on a birthday, the number of years on an anniversary; `None` when the card
    /// gives no year.
    pub years: Option<i32>,
    /// The card's CardDAV href, in the person's own address book home, so the page can link
    /// to the contact.
    pub href: String,
}

/// Why the calendar could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum BirthdayError {
    /// The range is longer than [`MAX_DAYS`].
    #[error("a range of {days} days is more than the {MAX_DAYS} days shown at once")]
    RangeTooLong {
        /// Days asked for.
        days: i64,
    },
    /// Access could not be decided, or the store failed.
    #[error(transparent)]
    Org(#[from] OrgError),
}

impl BirthdayError {
    /// The class of the refusal, from which the web view picks its status.
    pub fn kind(&self) -> ErrorKind {
        match self {
            BirthdayError::RangeTooLong { .. } => ErrorKind::Invalid,
            BirthdayError::Org(e) => e.kind(),
        }
    }
}

/// The occurrences from `from` to `to` (both included; none when `to` is before `from`) of
/// the yearly dates in the address books `account` reads, sorted by date, then label, kind and
/// href. Refused when the range is longer than [`MAX_DAYS`].
pub fn occurrences(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Occurrence>, BirthdayError> {
    let days = (to - from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(BirthdayError::RangeTooLong { days });
    }
    if days <= 0 {
        return Ok(Vec::new());
    }
    let books = address_books(store, plans, account)?;
    let ids: Vec<i64> = books.keys().copied().collect();
    let found = store.contact_dates(&ids).map_err(OrgError::from)?;
    let indexed = found
        .dates
        .into_iter()
        .map(|d| (d.collection, d.name, d.date));
    // Cards written before the date index are read as a write would index them.
    let pending = found.unindexed.into_iter().flat_map(|(collection, card)| {
        contact_dates(&card.body)
            .into_iter()
            .map(move |date| (collection, card.meta.name.clone(), date))
    });
    let mut out = Vec::new();
    for (collection, name, date) in indexed.chain(pending) {
        let Some(book) = books.get(&collection) else {
            continue;
        };
        let href = format!("{book}{}", encode_segment(&name));
        out.extend(yearly(&date, from, to).map(|(on, years)| Occurrence {
            date: on,
            kind: date.kind,
            label: date.label.clone(),
            years,
            href: href.clone(),
        }));
    }
    out.sort_by(|a, b| {
        (a.date, &a.label, a.kind, &a.href).cmp(&(b.date, &b.label, b.kind, &b.href))
    });
    Ok(out)
}

/// The address books `account` reads over CardDAV, by id, each with its collection href in
/// the account's home.
fn address_books(
    store: &dyn Store,
    plans: &Plans,
    account: &Account,
) -> Result<HashMap<i64, String>, OrgError> {
    let kind = CollectionKind::AddressBook;
    let href = |name: &str| CollectionPath::of(kind, &account.login, name).href();
    let mut books = HashMap::new();
    let governing = home(store, plans, account.id)?;
    if home_access(account, account.id, Product::Contacts, governing.as_ref()) == Access::Owner {
        for book in store.list_collections(account.id, kind)? {
            books.insert(book.id, href(&book.name));
        }
    }
    for (shared, _) in share::shared_with(store, plans, account)? {
        let id = shared.collection.id;
        if shared.collection.kind == kind {
            books.insert(id, href(&mount_name(id)));
        }
    }
    Ok(books)
}

/// The days from `from` to `to` (both included) a yearly date falls on, each with the number
/// of years since the date's year (none before that year).
fn yearly(
    date: &ContactDate,
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = (NaiveDate, Option<i32>)> {
    let (month, day, since) = (date.month, date.day, date.year);
    (from.year()..=to.year()).filter_map(move |year| {
        let on = day_in(year, month, day)?;
        let years = match since {
            Some(since) if since > year => return None,
            Some(since) => Some(year - since),
            None => None,
        };
        (from <= on && on <= to).then_some((on, years))
    })
}

/// The day `month`/`day` falls on in `year`: February 29 on February 28 when `year` is not a
/// leap year; `None` for a day no year has.
fn day_in(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

mod scenarios;

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("date")
    }

    fn date(month: u32, day: u32, year: Option<i32>) -> ContactDate {
        ContactDate {
            kind: DateKind::Birthday,
            month,
            day,
            year,
            label: "X".to_owned(),
        }
    }

    fn days(date: &ContactDate, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Option<i32>)> {
        yearly(date, from, to).collect()
    }

    #[test]
    fn february_29_falls_on_february_28_in_other_years() {
        assert_eq!(day_in(2024, 2, 29), Some(ymd(2024, 2, 29)));
        assert_eq!(day_in(2023, 2, 29), Some(ymd(2023, 2, 28)));
        assert_eq!(day_in(2100, 2, 29), Some(ymd(2100, 2, 28)));
        assert_eq!(day_in(2023, 4, 31), None);
        let leapling = date(2, 29, Some(2000));
        assert_eq!(
            days(&leapling, ymd(2023, 1, 1), ymd(2024, 12, 31)),
            vec![(ymd(2023, 2, 28), Some(23)), (ymd(2024, 2, 29), Some(24))]
        );
        // Not twice in a range around the end of February.
        assert_eq!(
            days(&leapling, ymd(2023, 2, 27), ymd(2023, 3, 1)),
            vec![(ymd(2023, 2, 28), Some(23))]
        );
    }

    #[test]
    fn ranges_across_the_new_year_count_years_per_occurrence() {
        let from = ymd(2024, 12, 20);
        let to = ymd(2025, 1, 10);
        assert_eq!(
            days(&date(12, 31, Some(1990)), from, to),
            vec![(ymd(2024, 12, 31), Some(34))]
        );
        assert_eq!(
            days(&date(1, 1, Some(1990)), from, to),
            vec![(ymd(2025, 1, 1), Some(35))]
        );
        assert_eq!(days(&date(1, 11, None), from, to), Vec::new());
        assert_eq!(days(&date(12, 19, None), from, to), Vec::new());
        assert_eq!(
            days(&date(1, 10, None), from, to),
            vec![(ymd(2025, 1, 10), None)]
        );
    }

    #[test]
    fn nothing_before_the_year_and_zero_on_the_day_itself() {
        let newborn = date(12, 31, Some(2024));
        let from = ymd(2023, 1, 1);
        let to = ymd(2025, 12, 31);
        assert_eq!(
            days(&newborn, from, to),
            vec![(ymd(2024, 12, 31), Some(0)), (ymd(2025, 12, 31), Some(1))]
        );
        assert_eq!(
            days(&date(3, 1, None), from, to),
            vec![
                (ymd(2023, 3, 1), None),
                (ymd(2024, 3, 1), None),
                (ymd(2025, 3, 1), None)
            ]
        );
    }

    #[test]
    fn one_day_ranges_and_the_ends_of_the_calendar() {
        let day = ymd(2024, 4, 15);
        assert_eq!(
            days(&date(4, 15, Some(1985)), day, day),
            vec![(day, Some(39))]
        );
        let last = NaiveDate::MAX;
        assert!(days(&date(12, 31, None), last, last).len() <= 1);
        let first = NaiveDate::MIN;
        assert!(days(&date(1, 1, None), first, first).len() <= 1);
    }
}
