//! Query index values extracted at PUT, beyond the span: the instance list of a recurring
//! calendar object (so a time-range query decides it without parsing) and the folded text of
//! the vCard properties a contacts search uses (so addressbook-query prefilters in SQL).
//!
//! Both are computed with the same code the exact evaluators use (`recur`'s walk, `tree` and
//! [`super::fold`]), so an index answer and a content check can never disagree.

use super::fold::unicode_casemap_key;
use super::recur::{self, Zone};
use super::span;
use super::tree;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarParameterName,
    ICalendarProperty,
};

/// Most instances listed for one object: enough for a daily series over the horizon, and a
/// bound on the rows one PUT writes. A denser series is listed up to an earlier instant.
pub const MAX_INSTANCES: usize = 2000;

/// How far past "now" instances are listed: three years, in seconds. Queries beyond it (rare:
/// clients ask for weeks or months around today) check the content instead.
pub const HORIZON: i64 = 3 * 366 * 86_400;

/// Most rounds of narrowing the listed range when a series has more than [`MAX_INSTANCES`].
const MAX_NARROWING: usize = 8;

/// vCard properties whose folded values are indexed: what contacts searches ask for (Apple
/// Contacts, Thunderbird, DAVx5, Evolution: name, nickname, e-mail, phone, organisation).
///
/// A text-match on one of these may be prefiltered with the store's `find_by_text` (folding the
/// needle with [`unicode_casemap_key`]) when, and only when:
/// * it is not negated (`negate-condition="yes"` selects cards the index cannot name), and
/// * the collation is `i;unicode-casemap` (the index key IS that collation's key, so the
///   prefilter is exact), or the collation is `i;ascii-casemap` or `i;octet` and the needle is
///   ASCII. For those two, a match implies a match of the unicode-casemap keys, hence a
///   superset, only when neither end of the needle can be reordered with combining marks by
///   NFKD: an ASCII needle starts and ends with starters. A non-ASCII needle such as `é` fails
///   it (the value `é` + U+0323 is `e` U+0323 U+0301 after NFKD, which no longer starts with
///   `e` U+0301), so such a query must scan.
pub const TEXT_PROPS: [&str; 6] = ["FN", "N", "NICKNAME", "EMAIL", "TEL", "ORG"];

/// The (property, folded value) pairs of a vCard for the text index, sorted and distinct: each
/// [`TEXT_PROPS`] property of the card (group prefix dropped), its value with TEXT escapes
/// resolved exactly as the addressbook-query evaluator reads it ([`tree::Property::text`]),
/// folded with [`unicode_casemap_key`]. Empty when the body does not parse as a tree.
#[must_use]
pub fn card_text(body: &[u8]) -> Vec<(String, String)> {
    let Some(card) = tree::parse(body) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = card
        .properties
        .iter()
        .filter(|p| TEXT_PROPS.contains(&p.name.as_str()))
        .map(|p| (p.name.clone(), unicode_casemap_key(&p.text())))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The instance index of a recurring calendar object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// UTC `[start, end)` of the instances, sorted, distinct; `start == end` for an instant.
    pub instances: Vec<(i64, i64)>,
    /// Every instance starting before this instant is in `instances`; `i64::MAX` when that is
    /// the whole series.
    pub until: i64,
    /// The instances depend on the viewer's time zone (DATE or floating values) and are read as
    /// UTC here: they may narrow candidates but never decide a query.
    pub floating: bool,
}

/// The instance index of a validated calendar object (`components`: the VCALENDAR's children
/// other than VTIMEZONE), listing instances from `first_start` (the span start) up to
/// `horizon`; `None` when the object does not recur or its instances cannot be listed
/// trustworthily.
///
/// Only VEVENT and VJOURNAL are indexed: every instance of theirs is matched with the same
/// RFC 4791 §9.9 test (overlap, or `start <= t < end` for an instant), which the store applies.
/// VTODO rows and RANGE=THISANDFUTURE overrides (matched on a hull) are left to the content
/// check. The list comes from the same walk as [`recur::overlaps`]; since that walk stops
/// silently on trouble, the gap after the master's last listed instance is checked with
/// [`recur::overlaps`], which answers `true` on trouble, and the object is not indexed if that
/// check finds anything.
pub(super) fn series(
    ical: &ICalendar,
    components: &[&ICalendarComponent],
    first_start: Option<i64>,
    last_end: Option<i64>,
    horizon: i64,
) -> Option<Series> {
    let recurring = components.iter().any(|comp| {
        comp.has_property(&ICalendarProperty::Rrule)
            || comp.has_property(&ICalendarProperty::Rdate)
            || comp.has_property(&ICalendarProperty::RecurrenceId)
    });
    let kind = components.first()?.component_type.clone();
    if !recurring
        || !matches!(
            kind,
            ICalendarComponentType::VEvent | ICalendarComponentType::VJournal
        )
    {
        return None;
    }
    let this_and_future = components.iter().any(|comp| {
        comp.property(&ICalendarProperty::RecurrenceId)
            .is_some_and(|entry| entry.has_parameter(&ICalendarParameterName::Range))
    });
    if this_and_future {
        return None;
    }
    let lo = first_start?;
    let floating = components.iter().any(|comp| span::uses_floating_time(comp));

    let mut until = horizon;
    let mut listed = None;
    for _ in 0..MAX_NARROWING {
        if until <= lo {
            return None;
        }
        let found = recur::instances_in(ical, lo, until, MAX_INSTANCES + 1, Zone::UTC);
        if found.len() <= MAX_INSTANCES {
            listed = Some(found);
            break;
        }
        // Which instances a capped walk keeps is unspecified; narrow the range to the first
        // half of what it found and list again until everything fits.
        until = found[MAX_INSTANCES / 2].start;
    }
    let listed = listed?;

    let master = master_position(ical);
    let after_master = listed
        .iter()
        .filter(|i| Some(i.component_index) == master)
        .map(|i| if i.end > i.start { i.end } else { i.start + 1 })
        .max()
        .unwrap_or(lo);
    if after_master < until && recur::overlaps_in(ical, Some(after_master), Some(until), Zone::UTC)
    {
        return None;
    }

    let mut instances: Vec<(i64, i64)> = listed
        .iter()
        .map(|i| (i.start, i.end.max(i.start)))
        .collect();
    instances.sort_unstable();
    instances.dedup();
    let whole = last_end.is_some_and(|end| end < until);
    Some(Series {
        instances,
        until: if whole { i64::MAX } else { until },
        floating,
    })
}

/// Position among the VCALENDAR's children (VTIMEZONE included, as [`recur::Instance`] counts)
/// of the master: the first non-VTIMEZONE component without RECURRENCE-ID.
fn master_position(ical: &ICalendar) -> Option<usize> {
    let root = ical.components.first()?;
    root.component_ids
        .iter()
        .enumerate()
        .find_map(|(position, id)| {
            let comp = ical.components.get(usize::try_from(*id).ok()?)?;
            (comp.component_type != ICalendarComponentType::VTimezone
                && !comp.has_property(&ICalendarProperty::RecurrenceId))
            .then_some(position)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::validate_and_index;

    /// 2024-01-01T00:00:00Z.
    const JAN_1: i64 = 1_704_067_200;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;

    fn calendar(components: &str) -> Vec<u8> {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{components}END:VCALENDAR\r\n"
        )
        .into_bytes()
    }

    fn series_of(body: &[u8], horizon: i64) -> Option<Series> {
        validate_and_index(body, &[], horizon)
            .expect("valid")
            .series
    }

    #[test]
    fn weekly_series_with_exdate_and_moved_override_is_listed_exactly() {
        // Mondays 2024-01-01 09:00Z, 1 h, 5 times; the 2nd excluded, the 3rd moved to 14:00.
        let body = calendar(
            "BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\n\
             DTEND:20240101T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE:20240108T090000Z\r\n\
             END:VEVENT\r\nBEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20240101T000000Z\r\n\
             RECURRENCE-ID:20240115T090000Z\r\nDTSTART:20240115T140000Z\r\n\
             DTEND:20240115T150000Z\r\nEND:VEVENT\r\n",
        );
        let series = series_of(&body, JAN_1 + 365 * DAY).expect("indexed");
        let at = |day: i64, hour: i64| JAN_1 + day * DAY + hour * HOUR;
        assert_eq!(
            series.instances,
            vec![
                (at(0, 9), at(0, 10)),
                (at(14, 14), at(14, 15)),
                (at(21, 9), at(21, 10)),
                (at(28, 9), at(28, 10)),
            ]
        );
        assert_eq!(series.until, i64::MAX, "a finite series is listed whole");
        assert!(!series.floating);
    }

    #[test]
    fn infinite_daily_rule_is_capped_with_until() {
        let body = calendar(
            "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\n\
             DURATION:PT30M\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n",
        );
        // Within the cap: everything up to the horizon.
        let horizon = JAN_1 + 100 * DAY;
        let series = series_of(&body, horizon).expect("indexed");
        assert_eq!(series.instances.len(), 100);
        assert_eq!(series.until, horizon);
        assert_eq!(
            series.instances[99],
            (
                JAN_1 + 99 * DAY + 9 * HOUR,
                JAN_1 + 99 * DAY + 9 * HOUR + 1800
            )
        );
        // Past the cap: fewer instances, listed up to an earlier instant, without gaps.
        let series = series_of(&body, JAN_1 + 10 * 366 * DAY).expect("indexed");
        assert!(series.instances.len() <= MAX_INSTANCES);
        assert!(series.until < JAN_1 + 10 * 366 * DAY);
        let listed_before = series
            .instances
            .iter()
            .filter(|(start, _)| *start < series.until)
            .count() as i64;
        let expected = (series.until - (JAN_1 + 9 * HOUR) + DAY - 1) / DAY;
        assert_eq!(listed_before, expected);
    }

    #[test]
    fn floating_single_and_todo_objects() {
        let floating = calendar(
            "BEGIN:VEVENT\r\nUID:f\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000\r\n\
             DTEND:20240101T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n",
        );
        let series = series_of(&floating, JAN_1 + 365 * DAY).expect("indexed");
        assert!(series.floating);
        assert_eq!(series.instances.len(), 3);
        let single = calendar(
            "BEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\n\
             DTEND:20240101T100000Z\r\nEND:VEVENT\r\n",
        );
        assert_eq!(series_of(&single, JAN_1 + 365 * DAY), None);
        let todo = calendar(
            "BEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\n\
             DUE:20240101T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VTODO\r\n",
        );
        assert_eq!(series_of(&todo, JAN_1 + 365 * DAY), None);
        let zero = calendar(
            "BEGIN:VEVENT\r\nUID:z\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\n\
             RRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n",
        );
        let series = series_of(&zero, JAN_1 + 365 * DAY).expect("indexed");
        assert_eq!(
            series.instances,
            vec![
                (JAN_1 + 9 * HOUR, JAN_1 + 9 * HOUR),
                (JAN_1 + DAY + 9 * HOUR, JAN_1 + DAY + 9 * HOUR)
            ]
        );
    }

    #[test]
    fn card_text_is_folded_unescaped_and_limited_to_search_props() {
        let body =
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:1\r\nFN:J\xc3\xbcrgen M\xc3\xbcller\\, Jr.\r\n\
N:M\xc3\xbcller;J\xc3\xbcrgen;;;\r\nitem1.EMAIL;type=INTERNET:Juergen@Example.ORG\r\n\
NOTE:not indexed\r\nTEL:+41 44\r\nEND:VCARD\r\n";
        let text = card_text(body);
        let key = |s: &str| unicode_casemap_key(s);
        assert_eq!(
            text,
            vec![
                ("EMAIL".to_owned(), "JUERGEN@EXAMPLE.ORG".to_owned()),
                ("FN".to_owned(), key("Jürgen Müller, Jr.")),
                ("N".to_owned(), key("Müller;Jürgen;;;")),
                ("TEL".to_owned(), "+41 44".to_owned()),
            ]
        );
        assert_eq!(key("Jürgen Müller, Jr."), key("JÜRGEN MÜLLER, JR."));
        assert!(card_text(b"\xff").is_empty());
    }
}
