//! Public holidays, computed (never fetched): a region's holidays in a year, with English and
//! French names, and the same as a read-only iCalendar feed that clients subscribe to. Pure:
//! no I/O; imports nothing from the crate but `ical::write` (line folding and TEXT escapes).
//!
//! Regions: Switzerland and each of its 26 cantons (`CH-ZH` … `CH-JU`), Germany and each of
//! its 16 states (`DE-BY`, ...), France, Italy, Austria and Belgium (see [`REGIONS`]).
//!
//! What a list holds: the days the region's law makes public holidays (in Switzerland, the
//! days each canton makes equal to Sunday, Art. 20a of the Labour Act, and its recognised
//! days of rest), including the Sunday feasts the law names (Easter and Whit Sunday and the
//! Federal Fast in the Swiss cantons, Easter in Italy and Brandenburg). A country's list holds
//! the days kept everywhere in it; its cantons' and states' lists add their own. Left out:
//! days kept only in some districts or communes (the catholic districts of Aargau, Corpus
//! Christi in parts of Saxony and Thuringia, Alsace-Moselle's Good Friday and 26 December,
//! Italy's patron saints), half days (Solothurn's 1 May afternoon, 24 and 31 December), and
//! one-off holidays (Germany's 2017 Reformation Day, Berlin's 8 May 2020 and 2025).
//!
//! Sources: the Federal Office of Justice's overview of cantonal holidays
//! (bj.admin.ch, "kant-feiertage.pdf"), the cantons' laws on days of rest as summarised by the
//! `holidays` Python library (vacanza/holidays, `countries/switzerland.py`, whose public and
//! optional days are taken) and by the cantons' own pages; the German states' holiday laws;
//! the French Code du travail (L3133-1); Italian law 260/1949 and law 151/2025 (4 October, Saint
//! Francis, from 2026); Austria's Feiertagsruhegesetz; Belgium's royal decree of 1974.
//! Assumptions where sources differ or a canton leaves days to its districts or confessions:
//! - Zurich: Berchtoldstag (2 January) is listed: not in the law on days of rest, but the
//!   cantonal administration and the banks keep it.
//! - Aargau: the days of its reformed districts (Berchtoldstag, Easter and Whit Monday,
//!   26 December), not the catholic districts' (Corpus Christi, Assumption, All Saints,
//!   Immaculate Conception); no 1 May (not a holiday there).
//! - Fribourg and Solothurn: the catholic days as well as the reformed ones, as their cantonal
//!   administrations keep both.
//! - Neuchâtel: 2 January and 26 December only when they fall on a Monday (after a Sunday
//!   holiday); no Corpus Christi (kept only in its catholic communes).
//! - Appenzell (both) and Uri: 26 December unless it falls on a Tuesday or a Saturday.
//! - Glarus: Näfelser Fahrt is the first Thursday of April, a week later when that is Maundy
//!   Thursday.
//! - Bavaria: Assumption is listed (kept in most of its municipalities, the catholic ones).
//!
//! Years: the lists are today's laws, applied to every year of [`YEARS`]; the days added in a
//! known year (Berlin's Women's Day 2019, Reformation Day in the northern states 2018, ...)
//! are kept from that year only, but days a law later dropped are not shown for the years
//! before.

mod easter;
mod ics;
mod kind;
mod region;

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};

pub use easter::easter_sunday;
pub use ics::{PATH_PREFIX, calendar, feed_path, feed_region};
pub use kind::HolidayKind;
pub use region::{REGIONS, Region, region};

use region::When;

/// The years holidays are computed for: Gregorian Easter from 1583 on, and dates chrono
/// and iCalendar can write (four-digit years).
pub const YEARS: RangeInclusive<i32> = 1583..=9999;

/// The languages holiday names come in: those of the web view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// The language of an ISO 639-1 code (`en`, `fr`, ASCII case ignored), as a `lang` query
    /// parameter names it; `None` for any other.
    #[must_use]
    pub fn parse(code: &str) -> Option<Lang> {
        if code.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if code.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else {
            None
        }
    }
}

/// One holiday on its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// The day.
    pub date: NaiveDate,
    /// Which holiday it is (its names and slug).
    pub kind: HolidayKind,
}

impl Holiday {
    /// Its name in `lang`.
    #[must_use]
    pub fn name(&self, lang: Lang) -> &'static str {
        self.kind.name(lang)
    }
}

/// The holidays `region` keeps in `year`, by date (two on one day keep the order of the
/// region's list); none for a year outside [`YEARS`].
#[must_use]
pub fn holidays(region: &Region, year: i32) -> Vec<Holiday> {
    let Some(easter) = easter_sunday(year) else {
        return Vec::new();
    };
    let mut out: Vec<Holiday> = region
        .rules()
        .filter_map(|rule| {
            let date = rule.kind.date(year, easter)?;
            let kept = match rule.when {
                When::Always => true,
                When::Since(first) => year >= first,
                When::OnMonday => date.weekday() == Weekday::Mon,
                When::UnlessTuesdayOrSaturday => {
                    !matches!(date.weekday(), Weekday::Tue | Weekday::Sat)
                }
            };
            kept.then_some(Holiday {
                date,
                kind: rule.kind,
            })
        })
        .collect();
    out.sort_by_key(|h| h.date);
    out
}

#[cfg(test)]
mod tests;
