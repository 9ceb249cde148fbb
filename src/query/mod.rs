//! Evaluating calendar-query and addressbook-query filters (RFC 4791 §9.7, RFC 6352 §10.5)
//! against the component tree of a stored object. Shared by both front ends; imports `dav`
//! (the filter types) and `ical` (the tree) only.
//!
//! Time ranges (RFC 4791 §9.9) are answered through [`ObjectTimes`]: on a first-level component
//! over all its instances, on a VALARM (child of a first-level component) by its trigger
//! times, on a property by its DATE / DATE-TIME values. [`unsupported`] names what this
//! evaluator cannot answer exactly (a time-range on VCALENDAR or on another nested
//! component), so the caller refuses it with supported-filter instead of answering wrongly.

use crate::dav::request::{
    CardFilter, Collation, CompFilter, MatchType, ParamFilter, PropFilter, TextMatch,
};
use crate::ical::alarm::ObjectTimes;
use crate::ical::fold::unicode_casemap_key;
use crate::ical::tree::{Component, Property};

/// The string a collation compares: the value itself for `i;octet`, ASCII letters folded for
/// `i;ascii-casemap` (RFC 4790 §9.2: other characters compare as octets) and the RFC 5051 key
/// for `i;unicode-casemap`.
fn fold(collation: Collation, s: &str) -> String {
    match collation {
        Collation::Octet => s.to_owned(),
        Collation::AsciiCasemap => s.to_ascii_uppercase(),
        Collation::UnicodeCasemap => unicode_casemap_key(s),
    }
}

/// RFC 4790 substring / prefix / suffix / equality under the collation, then negate-condition.
pub fn text_matches(tm: &TextMatch, value: &str) -> bool {
    let (needle, hay) = (fold(tm.collation, &tm.text), fold(tm.collation, value));
    let hit = match tm.match_type {
        MatchType::Equals => hay == needle,
        MatchType::Contains => hay.contains(&needle),
        MatchType::StartsWith => hay.starts_with(&needle),
        MatchType::EndsWith => hay.ends_with(&needle),
    };
    hit != tm.negate
}

fn param_matches(f: &ParamFilter, p: &Property) -> bool {
    match p.param(&f.name) {
        None => f.is_not_defined,
        Some(_) if f.is_not_defined => false,
        Some(values) => f
            .text_match
            .as_ref()
            .is_none_or(|tm| values.iter().any(|v| text_matches(tm, v))),
    }
}

/// One property against a prop-filter's tests; `all_of` combines them (CardDAV `test`;
/// CalDAV prop-filters are always all-of).
fn property_matches(
    f: &PropFilter,
    p: &Property,
    all_of: bool,
    times: Option<&ObjectTimes>,
) -> bool {
    if let (Some(range), Some(times)) = (f.time_range, times)
        && !times.property_in_range(p, range.start, range.end)
    {
        return false;
    }
    let value = p.text();
    let mut tests = f
        .text_matches
        .iter()
        .map(|tm| text_matches(tm, &value))
        .chain(f.params.iter().map(|pf| param_matches(pf, p)));
    if all_of {
        tests.all(|t| t)
    } else {
        f.text_matches.is_empty() && f.params.is_empty() || tests.any(|t| t)
    }
}

fn prop_filter_matches(
    f: &PropFilter,
    c: &Component,
    all_of: bool,
    times: Option<&ObjectTimes>,
) -> bool {
    let mut props = c.properties_named(&f.name).peekable();
    if f.is_not_defined {
        return props.peek().is_none();
    }
    props.any(|p| property_matches(f, p, all_of, times))
}

/// Where a component sits: the VCALENDAR root, a first-level component (with its position
/// among the root's children), or deeper.
#[derive(Debug, Clone, Copy)]
enum Level {
    /// The VCALENDAR.
    Root,
    /// A child of the VCALENDAR, at this position.
    First(usize),
    /// Below a first-level component; the position of that ancestor.
    Nested(usize),
}

/// RFC 4791 §9.7.1: `c` (a component named like the filter, at `level`) passes the filter's
/// time-range and nested tests.
fn component_passes(f: &CompFilter, c: &Component, level: Level, times: &ObjectTimes) -> bool {
    let in_range = f.time_range.is_none_or(|r| match level {
        // Refused by `unsupported`; never reached through the report.
        Level::Root => false,
        Level::First(_) => times.overlaps(r.start, r.end),
        Level::Nested(parent) => {
            c.name == "VALARM" && times.alarm_in_range(parent, c, r.start, r.end)
        }
    });
    in_range
        && f.props
            .iter()
            .all(|pf| prop_filter_matches(pf, c, true, Some(times)))
        && f.comps
            .iter()
            .all(|cf| comp_filter_matches(cf, c, level, times))
}

/// A comp-filter applied to the children of `parent` (at `level`).
fn comp_filter_matches(
    f: &CompFilter,
    parent: &Component,
    level: Level,
    times: &ObjectTimes,
) -> bool {
    if f.is_not_defined {
        return parent.components_named(&f.name).next().is_none();
    }
    parent
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name == f.name)
        .any(|(position, c)| {
            let level = match level {
                Level::Root => Level::First(position),
                Level::First(at) | Level::Nested(at) => Level::Nested(at),
            };
            component_passes(f, c, level, times)
        })
}

/// Whether a calendar object (its VCALENDAR root) matches a calendar-query filter, time-ranges
/// included (`times` is the same object, parsed for them).
pub fn calendar_matches(filter: &CompFilter, root: &Component, times: &ObjectTimes) -> bool {
    root.name == filter.name
        && !filter.is_not_defined
        && component_passes(filter, root, Level::Root, times)
}

/// Whether a vCard matches an addressbook-query filter (RFC 6352 §10.5: `test` anyof/allof).
pub fn card_matches(filter: &CardFilter, card: &Component) -> bool {
    let mut results = filter
        .props
        .iter()
        .map(|pf| prop_filter_matches(pf, card, pf.all_of, None));
    if filter.props.is_empty() {
        return true;
    }
    if filter.all_of {
        results.all(|r| r)
    } else {
        results.any(|r| r)
    }
}

/// The part of a calendar-query filter this evaluator cannot answer exactly, if any: a
/// time-range on the VCALENDAR itself (RFC 4791 §9.9 defines none), or on a nested component
/// other than a VALARM of a first-level component (VTIMEZONE's STANDARD/DAYLIGHT, AVAILABLE,
/// a VALARM deeper down). Time-ranges on properties are answered at every level.
pub fn unsupported(filter: &CompFilter) -> Option<&'static str> {
    fn deeper(f: &CompFilter) -> Option<&'static str> {
        if f.time_range.is_some() {
            return Some("time-range on components nested this deep");
        }
        f.comps.iter().find_map(deeper)
    }
    if filter.time_range.is_some() {
        return Some("time-range on VCALENDAR");
    }
    filter.comps.iter().find_map(|first| {
        first.comps.iter().find_map(|second| {
            if second.time_range.is_some() && second.name != "VALARM" {
                return Some("time-range on nested components other than VALARM");
            }
            second.comps.iter().find_map(deeper)
        })
    })
}

/// True when matching needs the objects' content (anything beyond component names and the
/// time-range of a single first-level comp-filter, which the index answers, exactly or as a
/// superset that `recur::overlaps` completes).
pub fn needs_content(filter: &CompFilter) -> bool {
    !filter.props.is_empty()
        || filter.comps.len() > 1
        || filter
            .comps
            .iter()
            .any(|c| !c.props.is_empty() || !c.comps.is_empty() || c.is_not_defined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dav::request::{Report, parse_report};
    use crate::ical::tree::parse;

    fn cal_filter(xml: &str) -> CompFilter {
        let body = format!(
            r#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter>{xml}</C:filter></C:calendar-query>"#
        );
        match parse_report(body.as_bytes()).unwrap() {
            Report::CalendarQuery { filter, .. } => filter,
            other => panic!("{other:?}"),
        }
    }

    fn matches(f: &CompFilter, body: &str) -> bool {
        let times = ObjectTimes::new(body.as_bytes(), None);
        calendar_matches(f, &parse(body.as_bytes()).unwrap(), &times)
    }

    #[test]
    fn nested_time_ranges_are_answered_or_refused() {
        let alarm = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VALARM"><C:time-range start="20240101T000000Z"/></C:comp-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert_eq!(unsupported(&alarm), None);
        let prop = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:time-range start="20231231T000000Z" end="20240102T000000Z"/></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert_eq!(unsupported(&prop), None);
        assert!(matches(&prop, TODO_DONE));
        assert!(!matches(&prop, TODO_OPEN));
        let standard = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTIMEZONE"><C:comp-filter name="STANDARD"><C:time-range start="20240101T000000Z"/></C:comp-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(unsupported(&standard).is_some());
    }

    const TODO_DONE: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:1\r\nSTATUS:COMPLETED\r\nCOMPLETED:20240101T000000Z\r\nSUMMARY:Buy Milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    const TODO_OPEN: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:2\r\nSTATUS:NEEDS-ACTION\r\nSUMMARY:Call Bob\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

    #[test]
    fn lightning_open_tasks_query() {
        // fixtures/xml/lightning-calendar-query-vtodo-completed.xml, reduced to its filter.
        let f = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter><C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(needs_content(&f));
        assert!(!matches(&f, TODO_DONE));
        assert!(matches(&f, TODO_OPEN));
    }

    #[test]
    fn text_match_collations_and_nested_components() {
        let f = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="SUMMARY"><C:text-match>buy MILK</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(matches(&f, TODO_DONE));
        let octet = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="SUMMARY"><C:text-match collation="i;octet">buy MILK</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(!matches(&octet, TODO_DONE));
        let alarm = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VALARM"/></C:comp-filter></C:comp-filter>"#,
        );
        assert!(matches(&alarm, TODO_OPEN));
        assert!(!matches(&alarm, TODO_DONE));
    }

    fn tm(text: &str, collation: Collation, match_type: MatchType, negate: bool) -> TextMatch {
        TextMatch {
            text: text.to_owned(),
            collation,
            match_type,
            negate,
        }
    }

    #[test]
    fn rfc_5051_unicode_casemap_examples() {
        let same = |a: &str, b: &str| unicode_casemap_key(a) == unicode_casemap_key(b);
        assert!(same("KÄSE", "käse"));
        assert!(same("Käse", "KÄSE"));
        // U+01C5 (titlecase dz with caron) and U+01C6 (lowercase) share the titlecase form.
        assert!(same("\u{1C5}", "\u{1C6}"));
        assert!(same("\u{1C4}", "\u{1C6}"));
        // The ligature decomposes under NFKD, and the second round titlecases its letters.
        assert!(same("\u{FB01}le", "FILE"));
        assert!(same("\u{FB01}le", "file"));
        // ANGSTROM SIGN and A WITH RING ABOVE have the same NFKD form.
        assert!(same("\u{212B}", "\u{C5}"));
        assert!(same("\u{212B}", "\u{E5}"));
        // Only simple mappings: ß has no simple titlecase mapping to "SS".
        assert!(!same("Straße", "STRASSE"));
        assert!(!same("é", "e"));
        assert!(same("é", "e\u{301}"));
        assert_eq!(unicode_casemap_key("Müller"), unicode_casemap_key("MÜLLER"));
        assert_eq!(unicode_casemap_key("abc"), "ABC");
        assert_eq!(unicode_casemap_key(""), "");
    }

    #[test]
    fn match_types_under_each_collation() {
        use Collation::{AsciiCasemap as A, Octet as O, UnicodeCasemap as U};
        use MatchType::{Contains, EndsWith, Equals, StartsWith};
        let value = "Anna MÜLLER-Lüdenscheid";
        let cases: &[(&str, Collation, MatchType, bool)] = &[
            // equals
            ("anna müller-lüdenscheid", U, Equals, true),
            ("anna müller", U, Equals, false),
            ("anna mÜller-lÜdenscheid", A, Equals, false),
            ("ANNA MÜLLER-LüDENSCHEID", A, Equals, true),
            ("Anna MÜLLER-Lüdenscheid", O, Equals, true),
            ("anna MÜLLER-Lüdenscheid", O, Equals, false),
            // contains
            ("müller", U, Contains, true),
            ("müller", A, Contains, false),
            ("MÜLLER", A, Contains, true),
            ("mÜller", A, Contains, true),
            ("MÜLLER", O, Contains, true),
            ("Müller", O, Contains, false),
            // starts-with
            ("ANNA", U, StartsWith, true),
            ("anna", A, StartsWith, true),
            ("anna", O, StartsWith, false),
            ("müller", U, StartsWith, false),
            // ends-with
            ("LÜDENSCHEID", U, EndsWith, true),
            ("LüDENSCHEID", A, EndsWith, true),
            ("LÜDENSCHEID", A, EndsWith, false),
            ("Lüdenscheid", O, EndsWith, true),
            ("lüdenscheid", O, EndsWith, false),
        ];
        for &(text, collation, match_type, expected) in cases {
            assert_eq!(
                text_matches(&tm(text, collation, match_type, false), value),
                expected,
                "{text:?} {collation:?} {match_type:?}"
            );
            assert_eq!(
                text_matches(&tm(text, collation, match_type, true), value),
                !expected,
                "negated {text:?} {collation:?} {match_type:?}"
            );
        }
        // The empty string is a prefix, suffix and substring of everything.
        assert!(text_matches(&tm("", U, Contains, false), value));
        assert!(!text_matches(&tm("", U, Equals, false), value));
    }

    #[test]
    fn vcard_match_types_params_and_anyof() {
        let card = parse(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u\r\nFN:Anna Müller\r\nEMAIL;TYPE=work:anna@firma.ch\r\nEND:VCARD\r\n".as_bytes(),
        )
        .unwrap();
        let q = |filter: &str| -> CardFilter {
            let body = format!(
                r#"<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter {filter}</C:filter></C:addressbook-query>"#
            );
            match parse_report(body.as_bytes()).unwrap() {
                Report::AddressbookQuery { filter, .. } => filter,
                other => panic!("{other:?}"),
            }
        };
        assert!(card_matches(
            &q(
                r#"><C:prop-filter name="FN"><C:text-match match-type="contains">MÜLLER</C:text-match></C:prop-filter>"#
            ),
            &card
        ));
        assert!(card_matches(
            &q(
                r#"><C:prop-filter name="FN"><C:text-match match-type="starts-with">anna</C:text-match></C:prop-filter>"#
            ),
            &card
        ));
        assert!(!card_matches(
            &q(
                r#"><C:prop-filter name="FN"><C:text-match match-type="equals">anna</C:text-match></C:prop-filter>"#
            ),
            &card
        ));
        assert!(card_matches(
            &q(
                r#"><C:prop-filter name="EMAIL"><C:param-filter name="TYPE"><C:text-match match-type="equals">WORK</C:text-match></C:param-filter></C:prop-filter>"#
            ),
            &card
        ));
        assert!(card_matches(
            &q(r#"test="anyof"><C:prop-filter name="NICKNAME"/><C:prop-filter name="UID"/>"#),
            &card
        ));
        assert!(!card_matches(
            &q(r#"test="allof"><C:prop-filter name="NICKNAME"/><C:prop-filter name="UID"/>"#),
            &card
        ));
        assert!(card_matches(
            &q(r#"><C:prop-filter name="NICKNAME"><C:is-not-defined/></C:prop-filter>"#),
            &card
        ));
    }
}
