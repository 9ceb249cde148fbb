//! Evaluating calendar-query and addressbook-query filters (RFC 4791 §9.7, RFC 6352 §10.5)
//! against the component tree of a stored object. Shared by both front ends; imports `dav`
//! (the filter types) and `ical` (the tree) only.
//!
//! Time ranges are answered from the store's index by the caller (top-level component only);
//! [`unsupported`] names any other part this evaluator cannot answer exactly, so the caller
//! refuses it with supported-filter instead of answering wrongly.

use crate::dav::request::{
    CardFilter, Collation, CompFilter, MatchType, ParamFilter, PropFilter, TextMatch,
};
use crate::ical::tree::{Component, Property};

/// Case-folds for a collation. i;unicode-casemap uses Unicode lower-casing, which covers the
/// common cases (`Müller` = `MÜLLER`); RFC 5051's NFKD step is not applied.
fn fold(collation: Collation, s: &str) -> String {
    match collation {
        Collation::Octet => s.to_owned(),
        Collation::AsciiCasemap => s.to_ascii_lowercase(),
        Collation::UnicodeCasemap => s.to_lowercase(),
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
fn property_matches(f: &PropFilter, p: &Property, all_of: bool) -> bool {
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

fn prop_filter_matches(f: &PropFilter, c: &Component, all_of: bool) -> bool {
    let mut props = c.properties_named(&f.name).peekable();
    if f.is_not_defined {
        return props.peek().is_none();
    }
    props.any(|p| property_matches(f, p, all_of))
}

/// RFC 4791 §9.7.1: `c` (a component named like the filter) passes the filter's nested tests.
fn component_passes(f: &CompFilter, c: &Component) -> bool {
    f.props.iter().all(|pf| prop_filter_matches(pf, c, true))
        && f.comps.iter().all(|cf| comp_filter_matches(cf, c))
}

/// A comp-filter applied to the children of `parent`.
fn comp_filter_matches(f: &CompFilter, parent: &Component) -> bool {
    let mut named = parent.components_named(&f.name).peekable();
    if f.is_not_defined {
        return named.peek().is_none();
    }
    named.any(|c| component_passes(f, c))
}

/// Whether a calendar object (its VCALENDAR root) matches a calendar-query filter, leaving
/// out the top-level time-range, which the index has already answered.
pub fn calendar_matches(filter: &CompFilter, root: &Component) -> bool {
    root.name == filter.name && !filter.is_not_defined && component_passes(filter, root)
}

/// Whether a vCard matches an addressbook-query filter (RFC 6352 §10.5: `test` anyof/allof).
pub fn card_matches(filter: &CardFilter, card: &Component) -> bool {
    let mut results = filter
        .props
        .iter()
        .map(|pf| prop_filter_matches(pf, card, pf.all_of));
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
/// time-range anywhere but on the first-level component.
pub fn unsupported(filter: &CompFilter) -> Option<&'static str> {
    fn nested(f: &CompFilter) -> Option<&'static str> {
        if f.time_range.is_some() {
            return Some("time-range on nested components");
        }
        if f.props.iter().any(|p| p.time_range.is_some()) {
            return Some("time-range on properties");
        }
        f.comps.iter().find_map(nested)
    }
    if filter.time_range.is_some() {
        return Some("time-range on VCALENDAR");
    }
    if filter.props.iter().any(|p| p.time_range.is_some()) {
        return Some("time-range on properties");
    }
    filter.comps.iter().find_map(|c| {
        if c.props.iter().any(|p| p.time_range.is_some()) {
            return Some("time-range on properties");
        }
        c.comps.iter().find_map(nested)
    })
}

/// True when matching needs the objects' content (anything beyond component names and the
/// first-level time-range, which the index answers).
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

    const TODO_DONE: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:1\r\nSTATUS:COMPLETED\r\nCOMPLETED:20240101T000000Z\r\nSUMMARY:Buy Milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    const TODO_OPEN: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:2\r\nSTATUS:NEEDS-ACTION\r\nSUMMARY:Call Bob\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

    #[test]
    fn lightning_open_tasks_query() {
        // fixtures/xml/lightning-calendar-query-vtodo-completed.xml, reduced to its filter.
        let f = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter><C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(needs_content(&f));
        assert!(!calendar_matches(&f, &parse(TODO_DONE.as_bytes()).unwrap()));
        assert!(calendar_matches(&f, &parse(TODO_OPEN.as_bytes()).unwrap()));
    }

    #[test]
    fn text_match_collations_and_nested_components() {
        let f = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="SUMMARY"><C:text-match>buy MILK</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(calendar_matches(&f, &parse(TODO_DONE.as_bytes()).unwrap()));
        let octet = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="SUMMARY"><C:text-match collation="i;octet">buy MILK</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>"#,
        );
        assert!(!calendar_matches(
            &octet,
            &parse(TODO_DONE.as_bytes()).unwrap()
        ));
        let alarm = cal_filter(
            r#"<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VALARM"/></C:comp-filter></C:comp-filter>"#,
        );
        assert!(calendar_matches(
            &alarm,
            &parse(TODO_OPEN.as_bytes()).unwrap()
        ));
        assert!(!calendar_matches(
            &alarm,
            &parse(TODO_DONE.as_bytes()).unwrap()
        ));
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
