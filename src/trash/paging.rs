//! Pages of the trash and version listings: at most so many entries, then a cursor that
//! resumes after the last one, so a listing of any length is read in bounded steps.

use super::{TrashError, TrashId};
use crate::store::{Page, PageKey};

/// Which page of a listing to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// At most this many entries; `None`: all of them.
    pub limit: Option<usize>,
    /// The `next` of the previous page; `None`: the first page.
    pub cursor: Option<String>,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<T> {
    /// The entries, newest first.
    pub items: Vec<T>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

impl Paging {
    /// The store page that answers it, with one entry more than asked so that the caller
    /// learns whether another page follows.
    pub(super) fn page(&self) -> Result<Page, TrashError> {
        if self.limit == Some(0) {
            return Err(TrashError::Invalid(
                "a page holds at least one entry (limit >= 1)".into(),
            ));
        }
        Ok(Page {
            limit: self.limit.map(|n| n.saturating_add(1)),
            after: self.cursor.as_deref().map(parse_cursor).transpose()?,
        })
    }

    /// `entries` (newest first, as the store gave them for [`Paging::page`]) cut to the page,
    /// with the cursor of the next page if there is more.
    pub(super) fn cut<T>(&self, mut entries: Vec<T>, key: impl Fn(&T) -> PageKey) -> Listed<T> {
        let next = match self.limit {
            Some(limit) if entries.len() > limit => {
                entries.truncate(limit);
                entries.last().map(|last| cursor_of(key(last)))
            }
            _ => None,
        };
        Listed {
            items: entries,
            next,
        }
    }
}

/// The key of a trash entry in its listing.
pub(super) fn trash_key(id: TrashId, at: i64) -> PageKey {
    match id {
        TrashId::Object(id) => PageKey {
            at,
            collection: false,
            id,
        },
        TrashId::Collection(id) => PageKey {
            at,
            collection: true,
            id,
        },
    }
}

/// A cursor's text: `TIME-cID` after a deleted collection, `TIME-vID` after a version (a
/// deleted object is one).
fn cursor_of(key: PageKey) -> String {
    let kind = if key.collection { 'c' } else { 'v' };
    format!("{}-{kind}{}", key.at, key.id)
}

fn parse_cursor(text: &str) -> Result<PageKey, TrashError> {
    let invalid = || {
        TrashError::Invalid(format!(
            "{text:?} is not a cursor of this listing: give the `next` of the previous page"
        ))
    };
    let (at, rest) = text.split_once('-').ok_or_else(invalid)?;
    let at: i64 = at.parse().map_err(|_| invalid())?;
    let id: i64 = rest
        .get(1..)
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .ok_or_else(invalid)?;
    let collection = match rest.get(..1) {
        Some("c") => true,
        Some("v") => false,
        _ => return Err(invalid()),
    };
    Ok(PageKey { at, collection, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_nonsense_is_refused() {
        for key in [
            PageKey {
                at: 1_900_000_000,
                collection: true,
                id: 3,
            },
            PageKey {
                at: 0,
                collection: false,
                id: 12,
            },
        ] {
            assert_eq!(parse_cursor(&cursor_of(key)).unwrap(), key);
        }
        for bad in [
            "", "12", "12-", "12-x3", "12-c0", "x-c3", "12-c-3", "12-v3.5",
        ] {
            assert_eq!(
                parse_cursor(bad).unwrap_err().code(),
                "invalid-request",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_page_asks_one_more_and_cuts_at_its_limit() {
        let key = |n: &i64| PageKey {
            at: *n,
            collection: false,
            id: *n,
        };
        let paging = Paging {
            limit: Some(2),
            cursor: None,
        };
        assert_eq!(paging.page().unwrap().limit, Some(3));
        let listed = paging.cut(vec![9, 8, 7], key);
        assert_eq!(listed.items, vec![9, 8]);
        let next = listed.next.expect("more");
        let again = Paging {
            limit: Some(2),
            cursor: Some(next),
        };
        assert_eq!(again.page().unwrap().after, Some(key(&8)));
        assert_eq!(again.cut(vec![7], key).next, None);
        assert_eq!(Paging::default().cut(vec![1, 2, 3], key).items.len(), 3);
        let zero = Paging {
            limit: Some(0),
            cursor: None,
        };
        assert_eq!(zero.page().unwrap_err().code(), "invalid-request");
    }
}
