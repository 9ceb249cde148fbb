//! Days marked on top of the calendars: the birthdays and anniversaries of the person's
//! contacts (`birthdays`, computed from the date index, with the age where the card gives the
//! year, each leading to the contact's page) and the public holidays of a region it picks
//! (`holidays`). Each is switched on and off with the calendars' check boxes; cookies keep the
//! choice (birthdays are shown until switched off, holidays once a region is picked).

use chrono::{Datelike, NaiveDate};
use percent_encoding::percent_decode_str;

use crate::birthdays::{self, BirthdayError};
use crate::holidays::{self, Region};
use crate::org::share::CollectionPath;
use crate::store::{DateKind, StoreError};
use crate::web::form::cookie;
use crate::web::i18n::Lang;
use crate::web::{Viewer, WebCtx, WebRequest};

/// Cookie that is `off` while birthdays are hidden.
pub const BIRTHDAYS_COOKIE: &str = "davsuite_birthdays";
/// Cookie with the code of the region whose holidays are shown (absent or empty: none).
pub const HOLIDAYS_COOKIE: &str = "davsuite_holidays";
/// The region the picker offers first (the default zone's).
pub const DEFAULT_REGION: &str = "CH-ZH";

/// What a mark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A contact's birthday.
    Birthday,
    /// A contact's anniversary.
    Anniversary,
    /// A public holiday.
    Holiday,
}

/// One marked day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The day.
    pub date: NaiveDate,
    /// What it is.
    pub kind: MarkKind,
    /// The contact's name or the holiday's.
    pub label: String,
    /// Age or years, where known.
    pub years: Option<i32>,
    /// The contact's page.
    pub link: Option<String>,
}

/// Which overlays the person has on.
#[derive(Debug, Clone, Copy)]
pub struct Overlays {
    /// Birthdays and anniversaries.
    pub birthdays: bool,
    /// The region whose holidays are shown.
    pub holidays: Option<&'static Region>,
}

impl Overlays {
    /// The choice the request's cookies keep.
    pub fn of(req: &WebRequest<'_>) -> Overlays {
        Overlays {
            birthdays: cookie(req.cookies, BIRTHDAYS_COOKIE) != Some("off"),
            holidays: cookie(req.cookies, HOLIDAYS_COOKIE).and_then(holidays::region),
        }
    }
}

/// The marks of `[from, to]` (both included), sorted by day, holidays first.
pub fn marks(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    on: Overlays,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Mark>, StoreError> {
    let mut out = Vec::new();
    if let Some(region) = on.holidays {
        let lang = holiday_lang(v.lang);
        for year in from.year()..=to.year() {
            out.extend(
                holidays::holidays(region, year)
                    .into_iter()
                    .filter(|h| from <= h.date && h.date <= to)
                    .map(|h| Mark {
                        date: h.date,
                        kind: MarkKind::Holiday,
                        label: h.name(lang).to_owned(),
                        years: None,
                        link: None,
                    }),
            );
        }
    }
    if on.birthdays {
        let found = birthdays::occurrences(ctx.store, ctx.plans, &v.account, from, to).map_err(
            |e| match e {
                BirthdayError::Org(crate::org::OrgError::Store(inner)) => inner,
                other => StoreError::Backend(other.to_string()),
            },
        )?;
        out.extend(found.into_iter().map(|o| Mark {
            date: o.date,
            kind: match o.kind {
                DateKind::Birthday => MarkKind::Birthday,
                DateKind::Anniversary => MarkKind::Anniversary,
            },
            link: contact_page(&o.href),
            label: o.label,
            years: o.years,
        }));
    }
    out.sort_by_key(|m| (m.date, m.kind != MarkKind::Holiday));
    Ok(out)
}

/// The holidays' language for the page's.
pub fn holiday_lang(lang: Lang) -> holidays::Lang {
    match lang {
        Lang::En => holidays::Lang::En,
        Lang::Fr => holidays::Lang::Fr,
    }
}

/// The contacts page of the card at CardDAV `href` (`/dav/addressbooks/LOGIN/BOOK/CARD`).
fn contact_page(href: &str) -> Option<String> {
    let (book, card) = href.trim_end_matches('/').rsplit_once('/')?;
    let book = CollectionPath::parse(book).ok()?;
    let card = percent_decode_str(card).decode_utf8().ok()?;
    Some(super::links::contact(&book.name, &card))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cards_href_leads_to_its_contact_page() {
        assert_eq!(
            contact_page("/dav/addressbooks/al/my%20book/a%2Bb.vcf").as_deref(),
            Some("/web/contacts/card?book=my%20book&card=a%2Bb%2Evcf")
        );
        assert_eq!(contact_page("nothing"), None);
    }
}
