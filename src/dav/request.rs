//! Parsed request bodies: PROPFIND, PROPPATCH, MKCOL / MKCALENDAR and REPORT, matched on
//! resolved `(namespace, local name)` pairs so any prefix (or default namespace) works.

use super::condition::{Condition, DavError};
use super::prop::PropName;
use super::xml::{Element, NS_CALDAV, NS_CARDDAV, NS_DAV, QName, XmlError, parse_document};

fn bad(message: impl Into<String>) -> DavError {
    DavError::new(Condition::InvalidRequest, message)
}

/// Parses an XML body, turning XML errors into a 400 with a readable reason.
pub fn parse_body(body: &[u8]) -> Result<Element, DavError> {
    parse_document(body).map_err(|e: XmlError| bad(e.to_string()))
}

/// What a PROPFIND (or a report's `prop` part) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropRequest {
    /// These properties.
    Prop(Vec<PropName>),
    /// All properties in the allprop set, plus the `include`d ones.
    AllProp(Vec<PropName>),
    /// The names of all properties.
    PropName,
}

fn prop_names(prop: &Element) -> Vec<PropName> {
    prop.elements()
        .map(|e| PropName::from_qname(&e.name))
        .collect()
}

/// Parses a PROPFIND body; an empty body means allprop (RFC 4918 §9.1).
pub fn parse_propfind(body: &[u8]) -> Result<PropRequest, DavError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(PropRequest::AllProp(Vec::new()));
    }
    let root = parse_body(body)?;
    if !root.is(NS_DAV, "propfind") {
        return Err(bad("PROPFIND body must be a DAV:propfind element"));
    }
    prop_request(&root).ok_or_else(|| bad("DAV:propfind needs prop, allprop or propname"))
}

/// Reads the `prop` / `allprop` / `propname` child of a propfind or report element.
fn prop_request(parent: &Element) -> Option<PropRequest> {
    if let Some(p) = parent.child(NS_DAV, "prop") {
        return Some(PropRequest::Prop(prop_names(p)));
    }
    if parent.child(NS_DAV, "allprop").is_some() {
        let include = parent
            .child(NS_DAV, "include")
            .map(prop_names)
            .unwrap_or_default();
        return Some(PropRequest::AllProp(include));
    }
    if parent.child(NS_DAV, "propname").is_some() {
        return Some(PropRequest::PropName);
    }
    None
}

/// One PROPPATCH instruction, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropOp {
    /// Set the property to the element's content.
    Set(PropName, Element),
    /// Remove the property.
    Remove(PropName),
}

/// Parses a DAV:propertyupdate body.
pub fn parse_proppatch(body: &[u8]) -> Result<Vec<PropOp>, DavError> {
    let root = parse_body(body)?;
    if !root.is(NS_DAV, "propertyupdate") {
        return Err(bad("PROPPATCH body must be a DAV:propertyupdate element"));
    }
    let mut ops = Vec::new();
    for action in root.elements() {
        let set = action.is(NS_DAV, "set");
        if !set && !action.is(NS_DAV, "remove") {
            continue;
        }
        for prop in action.elements().filter(|e| e.is(NS_DAV, "prop")) {
            for p in prop.elements() {
                let name = PropName::from_qname(&p.name);
                ops.push(if set {
                    PropOp::Set(name, p.clone())
                } else {
                    PropOp::Remove(name)
                });
            }
        }
    }
    if ops.is_empty() {
        return Err(bad("DAV:propertyupdate sets or removes no property"));
    }
    Ok(ops)
}

/// A MKCOL (RFC 5689) or MKCALENDAR (RFC 4791 §5.3.1) body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MkcolRequest {
    /// The requested resourcetype children (extended MKCOL); None when not given.
    pub resourcetype: Option<Vec<QName>>,
    /// Properties to set, other than resourcetype.
    pub set: Vec<(PropName, Element)>,
}

/// Parses an extended MKCOL or MKCALENDAR body; an empty body gives an empty request.
pub fn parse_mkcol(body: &[u8]) -> Result<MkcolRequest, DavError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(MkcolRequest::default());
    }
    let root = parse_body(body)?;
    if !root.is(NS_DAV, "mkcol") && !root.is(NS_CALDAV, "mkcalendar") {
        return Err(bad("body must be DAV:mkcol or CALDAV:mkcalendar"));
    }
    let mut req = MkcolRequest::default();
    for set in root.elements().filter(|e| e.is(NS_DAV, "set")) {
        for prop in set.elements().filter(|e| e.is(NS_DAV, "prop")) {
            for p in prop.elements() {
                if p.is(NS_DAV, "resourcetype") {
                    req.resourcetype = Some(p.elements().map(|e| e.name.clone()).collect());
                } else {
                    req.set.push((PropName::from_qname(&p.name), p.clone()));
                }
            }
        }
    }
    Ok(req)
}

/// A CALDAV:time-range or the like, in Unix seconds (UTC); open ends are None.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeRange {
    /// Inclusive start.
    pub start: Option<i64>,
    /// Exclusive end.
    pub end: Option<i64>,
}

/// How a text-match compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchType {
    /// Whole value equal.
    Equals,
    /// Substring (the default).
    Contains,
    /// Prefix.
    StartsWith,
    /// Suffix.
    EndsWith,
}

/// The collations RFC 4790 names that the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collation {
    /// i;ascii-casemap (CalDAV default).
    AsciiCasemap,
    /// i;octet.
    Octet,
    /// i;unicode-casemap (CardDAV default).
    UnicodeCasemap,
}

/// A CALDAV/CARDDAV text-match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// The text to look for.
    pub text: String,
    /// Collation.
    pub collation: Collation,
    /// Match type (CardDAV; CalDAV is always Contains).
    pub match_type: MatchType,
    /// negate-condition="yes".
    pub negate: bool,
}

/// A param-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFilter {
    /// Parameter name, upper case.
    pub name: String,
    /// is-not-defined.
    pub is_not_defined: bool,
    /// Optional text-match.
    pub text_match: Option<TextMatch>,
}

/// A prop-filter (CalDAV and CardDAV share the shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropFilter {
    /// Property name, upper case.
    pub name: String,
    /// is-not-defined.
    pub is_not_defined: bool,
    /// CardDAV test="allof" (CalDAV prop-filters are always allof).
    pub all_of: bool,
    /// time-range (CalDAV).
    pub time_range: Option<TimeRange>,
    /// text-match(es).
    pub text_matches: Vec<TextMatch>,
    /// param-filters.
    pub params: Vec<ParamFilter>,
}

/// A CALDAV:comp-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompFilter {
    /// Component name, upper case.
    pub name: String,
    /// is-not-defined.
    pub is_not_defined: bool,
    /// time-range.
    pub time_range: Option<TimeRange>,
    /// Nested prop-filters.
    pub props: Vec<PropFilter>,
    /// Nested comp-filters.
    pub comps: Vec<CompFilter>,
}

/// A CARDDAV:filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFilter {
    /// test="allof" (default anyof).
    pub all_of: bool,
    /// prop-filters.
    pub props: Vec<PropFilter>,
}

/// A parsed REPORT body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// RFC 6578 sync-collection.
    SyncCollection {
        /// The token (empty: initial sync).
        token: String,
        /// Requested properties.
        props: PropRequest,
        /// DAV:limit/nresults.
        limit: Option<usize>,
    },
    /// RFC 4791 §7.9 / RFC 6352 §8.7 multiget.
    Multiget {
        /// True for calendar-multiget, false for addressbook-multiget.
        calendar: bool,
        /// Requested properties.
        props: PropRequest,
        /// Hrefs as sent.
        hrefs: Vec<String>,
    },
    /// RFC 4791 §7.8 calendar-query.
    CalendarQuery {
        /// Requested properties.
        props: PropRequest,
        /// The VCALENDAR comp-filter.
        filter: CompFilter,
    },
    /// RFC 6352 §8.6 addressbook-query.
    AddressbookQuery {
        /// Requested properties.
        props: PropRequest,
        /// The filter.
        filter: CardFilter,
        /// limit/nresults.
        limit: Option<usize>,
    },
    /// Any other report: answered 403 DAV:supported-report.
    Unsupported(QName),
}

/// Parses a REPORT body.
pub fn parse_report(body: &[u8]) -> Result<Report, DavError> {
    let root = parse_body(body)?;
    let props = || prop_request(&root).unwrap_or(PropRequest::Prop(Vec::new()));
    if root.is(NS_DAV, "sync-collection") {
        let token = root
            .child(NS_DAV, "sync-token")
            .map(|t| t.text().trim().to_owned())
            .unwrap_or_default();
        return Ok(Report::SyncCollection {
            token,
            props: props(),
            limit: limit(&root, NS_DAV)?,
        });
    }
    if root.is(NS_CALDAV, "calendar-multiget") || root.is(NS_CARDDAV, "addressbook-multiget") {
        let hrefs = root
            .elements()
            .filter(|e| e.is(NS_DAV, "href"))
            .map(|e| e.text().trim().to_owned())
            .collect();
        return Ok(Report::Multiget {
            calendar: root.name.ns == NS_CALDAV,
            props: props(),
            hrefs,
        });
    }
    if root.is(NS_CALDAV, "calendar-query") {
        let filter = root
            .child(NS_CALDAV, "filter")
            .and_then(|f| f.child(NS_CALDAV, "comp-filter"))
            .ok_or_else(|| {
                DavError::new(
                    Condition::CalValidFilter,
                    "calendar-query needs a filter with a comp-filter",
                )
            })?;
        let filter = comp_filter(filter)?;
        if filter.name != "VCALENDAR" {
            return Err(DavError::new(
                Condition::CalValidFilter,
                "the outer comp-filter must name VCALENDAR",
            ));
        }
        return Ok(Report::CalendarQuery {
            props: props(),
            filter,
        });
    }
    if root.is(NS_CARDDAV, "addressbook-query") {
        let f = root.child(NS_CARDDAV, "filter");
        let filter = CardFilter {
            all_of: f.and_then(|f| f.attr("test")) == Some("allof"),
            props: match f {
                Some(f) => f
                    .elements()
                    .filter(|e| e.is(NS_CARDDAV, "prop-filter"))
                    .map(|e| prop_filter(e, NS_CARDDAV))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
        };
        return Ok(Report::AddressbookQuery {
            props: props(),
            filter,
            limit: limit(&root, NS_CARDDAV)?,
        });
    }
    Ok(Report::Unsupported(root.name.clone()))
}

fn limit(root: &Element, ns: &str) -> Result<Option<usize>, DavError> {
    match root
        .child(ns, "limit")
        .and_then(|l| l.child(ns, "nresults"))
    {
        None => Ok(None),
        Some(n) => n
            .text()
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| bad("limit/nresults must be a non-negative integer")),
    }
}

fn name_attr(e: &Element) -> Result<String, DavError> {
    e.attr("name")
        .map(|n| n.trim().to_ascii_uppercase())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            DavError::new(
                Condition::CalValidFilter,
                format!("{} needs a name attribute", e.name.local),
            )
        })
}

fn comp_filter(e: &Element) -> Result<CompFilter, DavError> {
    let mut f = CompFilter {
        name: name_attr(e)?,
        is_not_defined: e.child(NS_CALDAV, "is-not-defined").is_some(),
        time_range: None,
        props: Vec::new(),
        comps: Vec::new(),
    };
    for c in e.elements() {
        if c.is(NS_CALDAV, "time-range") {
            f.time_range = Some(time_range(c)?);
        } else if c.is(NS_CALDAV, "prop-filter") {
            f.props.push(prop_filter(c, NS_CALDAV)?);
        } else if c.is(NS_CALDAV, "comp-filter") {
            f.comps.push(comp_filter(c)?);
        }
    }
    Ok(f)
}

fn prop_filter(e: &Element, ns: &str) -> Result<PropFilter, DavError> {
    let mut f = PropFilter {
        name: name_attr(e)?,
        is_not_defined: e.child(ns, "is-not-defined").is_some(),
        all_of: e.attr("test") == Some("allof"),
        time_range: None,
        text_matches: Vec::new(),
        params: Vec::new(),
    };
    for c in e.elements() {
        if c.is(ns, "text-match") {
            f.text_matches.push(text_match(c, ns)?);
        } else if c.is(NS_CALDAV, "time-range") {
            f.time_range = Some(time_range(c)?);
        } else if c.is(ns, "param-filter") {
            f.params.push(ParamFilter {
                name: name_attr(c)?,
                is_not_defined: c.child(ns, "is-not-defined").is_some(),
                text_match: c
                    .child(ns, "text-match")
                    .map(|t| text_match(t, ns))
                    .transpose()?,
            });
        }
    }
    Ok(f)
}

fn text_match(e: &Element, ns: &str) -> Result<TextMatch, DavError> {
    let card = ns == NS_CARDDAV;
    let collation = match e.attr("collation") {
        None if card => Collation::UnicodeCasemap,
        None => Collation::AsciiCasemap,
        Some("i;ascii-casemap") => Collation::AsciiCasemap,
        Some("i;octet") => Collation::Octet,
        Some("i;unicode-casemap") => Collation::UnicodeCasemap,
        Some(other) => {
            let cond = if card {
                Condition::CardSupportedCollation
            } else {
                Condition::CalSupportedCollation
            };
            return Err(DavError::new(
                cond,
                format!("collation {other} is not supported"),
            ));
        }
    };
    let match_type = match e.attr("match-type") {
        None | Some("contains") => MatchType::Contains,
        Some("equals") => MatchType::Equals,
        Some("starts-with") => MatchType::StartsWith,
        Some("ends-with") => MatchType::EndsWith,
        Some(other) => return Err(bad(format!("match-type {other} is not known"))),
    };
    let negate = matches!(e.attr("negate-condition"), Some("yes"));
    Ok(TextMatch {
        text: e.text(),
        collation,
        match_type,
        negate,
    })
}

/// Parses an iCalendar UTC DATE-TIME (`20240101T000000Z`) as RFC 4791 §9.9 requires.
pub fn parse_utc_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let dt = chrono::NaiveDateTime::parse_from_str(s.strip_suffix('Z')?, "%Y%m%dT%H%M%S").ok()?;
    Some(dt.and_utc().timestamp())
}

fn time_range(e: &Element) -> Result<TimeRange, DavError> {
    let parse = |attr: &str| -> Result<Option<i64>, DavError> {
        match e.attr(attr) {
            None => Ok(None),
            Some(v) => parse_utc_datetime(v).map(Some).ok_or_else(|| {
                DavError::new(
                    Condition::CalValidFilter,
                    format!(
                        "time-range {attr}=\"{v}\" is not a UTC date-time like 20240101T000000Z"
                    ),
                )
            }),
        }
    };
    let tr = TimeRange {
        start: parse("start")?,
        end: parse("end")?,
    };
    if tr.start.is_none() && tr.end.is_none() {
        return Err(DavError::new(
            Condition::CalValidFilter,
            "time-range needs start or end",
        ));
    }
    Ok(tr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dav::prop::{CalProp, DavProp};

    #[test]
    fn empty_propfind_is_allprop() {
        assert_eq!(parse_propfind(b"").unwrap(), PropRequest::AllProp(vec![]));
    }

    #[test]
    fn propfind_prop_list_any_prefix() {
        let body = br#"<propfind xmlns="DAV:" xmlns:x="urn:ietf:params:xml:ns:caldav"><prop><getetag/><x:calendar-data/></prop></propfind>"#;
        assert_eq!(
            parse_propfind(body).unwrap(),
            PropRequest::Prop(vec![
                PropName::Dav(DavProp::GetEtag),
                PropName::Cal(CalProp::CalendarData)
            ])
        );
    }

    #[test]
    fn sync_collection_empty_token_and_limit() {
        let body = br#"<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:limit><D:nresults>5</D:nresults></D:limit><D:prop><D:getetag/></D:prop></D:sync-collection>"#;
        match parse_report(body).unwrap() {
            Report::SyncCollection { token, limit, .. } => {
                assert_eq!(token, "");
                assert_eq!(limit, Some(5));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn calendar_query_with_time_range() {
        let body = br#"<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="vevent"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
        let Report::CalendarQuery { filter, .. } = parse_report(body).unwrap() else {
            panic!()
        };
        assert_eq!(filter.comps[0].name, "VEVENT");
        assert_eq!(
            filter.comps[0].time_range,
            Some(TimeRange {
                start: Some(1704067200),
                end: Some(1706745600)
            })
        );
    }

    #[test]
    fn date_only_time_range_is_a_valid_filter_error() {
        let body = br#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>"#;
        assert!(matches!(
            parse_report(body).unwrap(),
            Report::Unsupported(_)
        ));
        let body = br#"<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="19900101"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
        assert_eq!(
            parse_report(body).unwrap_err().condition,
            Condition::CalValidFilter
        );
    }

    #[test]
    fn unknown_collation_is_refused() {
        let body = br#"<C:addressbook-query xmlns:C="urn:ietf:params:xml:ns:carddav"><C:filter><C:prop-filter name="FN"><C:text-match collation="x;foo">a</C:text-match></C:prop-filter></C:filter></C:addressbook-query>"#;
        assert_eq!(
            parse_report(body).unwrap_err().condition,
            Condition::CardSupportedCollation
        );
    }

    #[test]
    fn proppatch_keeps_order_and_values() {
        let body = br#"<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop><D:displayname>Work</D:displayname><Z:x><Z:y/></Z:x></D:prop></D:set><D:remove><D:prop><Z:old/></D:prop></D:remove></D:propertyupdate>"#;
        let ops = parse_proppatch(body).unwrap();
        assert_eq!(ops.len(), 3);
        assert!(
            matches!(&ops[0], PropOp::Set(PropName::Dav(DavProp::DisplayName), e) if e.text() == "Work")
        );
        assert!(matches!(&ops[2], PropOp::Remove(PropName::Dead(q)) if q.local == "old"));
    }
}
