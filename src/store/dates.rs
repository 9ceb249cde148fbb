//! The yearly dates of contacts (birthdays, anniversaries) as the store indexes them, so the
//! birthday calendar is one indexed read instead of a parse of every card.

use super::Object;

/// What a yearly date of a contact celebrates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateKind {
    /// A birthday (`BDAY`).
    Birthday,
    /// An anniversary (`ANNIVERSARY` and its vendor spellings).
    Anniversary,
}

impl DateKind {
    /// Stable text form used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Birthday => "birthday",
            DateKind::Anniversary => "anniversary",
        }
    }

    /// Reads the text form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<DateKind> {
        [DateKind::Birthday, DateKind::Anniversary]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// One yearly date of a card, with the name it is shown under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContactDate {
    /// What it celebrates.
    pub kind: DateKind,
    /// 1-12.
    pub month: u32,
    /// 1-31, a day the month has (February 29 only in leap years when the year is known).
    pub day: u32,
    /// The year, when the card gives a real one.
    pub year: Option<i32>,
    /// The card's name (FN, else N).
    pub label: String,
}

/// A date of a member of a collection, as [`super::Store::contact_dates`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDate {
    /// The collection.
    pub collection: i64,
    /// The member's name in it.
    pub name: String,
    /// The date.
    pub date: ContactDate,
}

/// Answer of [`super::Store::contact_dates`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDates {
    /// The indexed dates, by collection, member name, then month and day.
    pub dates: Vec<MemberDate>,
    /// The cards written before the date index existed, with their collection id, by collection
    /// then name: not indexed yet, so the caller reads their dates from the bodies (never
    /// silently left out).
    pub unindexed: Vec<(i64, Object)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in [DateKind::Birthday, DateKind::Anniversary] {
            assert_eq!(DateKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DateKind::parse("Birthday"), None);
    }
}
