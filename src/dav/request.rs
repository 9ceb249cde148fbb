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
    /// These properties, and how CARDDAV:address-data and CALDAV:calendar-data are to be
    /// shaped when they are among them (None: as stored). Carried beside the names because a
    /// property name cannot hold the element's attributes and children.
    Prop(
        Vec<PropName>,
        Option<AddressDataSpec>,
        Option<CalendarDataSpec>,
    ),
    /// All properties in the allprop set, plus the `include`d ones.
    AllProp(Vec<PropName>),
    /// The names of all properties.
    PropName,
}

/// A vCard version that address-data can be asked in (RFC 6352 §10.4 `version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VCardVersion {
    /// vCard 3.0 (RFC 2426).
    V3,
    /// vCard 4.0 (RFC 6350).
    V4,
}

/// One `<CARDDAV:prop name=".."/>` of an address-data request (RFC 6352 §10.4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressDataProp {
    /// Property name, upper case, without a group prefix.
    pub name: String,
    /// `novalue="yes"`: the property's name and parameters only, with an empty value.
    pub novalue: bool,
}

/// Partial retrieval and version conversion asked for by a CARDDAV:address-data element
/// (RFC 6352 §10.4). The default (no attributes, no children) asks for the stored card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressDataSpec {
    /// The vCard version to answer in; None keeps each card's own version. RFC 6352's DTD
    /// defaults the attribute to 3.0, but converting every 4.0 card a client did not ask to
    /// have converted would rewrite its bytes for nothing, so only an explicit version counts.
    pub version: Option<VCardVersion>,
    /// The properties to return; None for all (`<CARDDAV:allprop/>` or no children).
    pub props: Option<Vec<AddressDataProp>>,
}

impl AddressDataSpec {
    /// True when the spec asks for the card exactly as stored.
    pub fn is_identity(&self) -> bool {
        self.version.is_none() && self.props.is_none()
    }
}

/// Reads a CARDDAV:address-data element of a `prop` list; an unsupported media type or
/// version is CARDDAV:supported-address-data-conversion (403).
fn address_data_spec(e: &Element) -> Result<AddressDataSpec, DavError> {
    let refuse = |what: String| {
        DavError::new(
            Condition::SupportedAddressDataConversion,
            format!("{what}; address data is available as text/vcard 3.0 or 4.0"),
        )
    };
    if let Some(ct) = e.attr("content-type") {
        let media = ct.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("text/vcard") {
            return Err(refuse(format!("content-type {ct:?} cannot be produced")));
        }
    }
    let version = match e.attr("version").map(str::trim) {
        None => None,
        Some("3.0") => Some(VCardVersion::V3),
        Some("4.0") => Some(VCardVersion::V4),
        Some(other) => {
            return Err(refuse(format!(
                "vCard version {other:?} cannot be produced"
            )));
        }
    };
    let props = if e.child(NS_CARDDAV, "allprop").is_some() {
        None
    } else {
        let named: Vec<AddressDataProp> = e
            .elements()
            .filter(|c| c.is(NS_CARDDAV, "prop"))
            .filter_map(|c| {
                let name = c.attr("name")?.trim();
                let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
                (!name.is_empty()).then(|| AddressDataProp {
                    name,
                    novalue: c.attr("novalue") == Some("yes"),
                })
            })
            .collect();
        (!named.is_empty()).then_some(named)
    };
    Ok(AddressDataSpec { version, props })
}

/// One `<CALDAV:prop name=".." novalue=".."/>` of a calendar-data `comp` (RFC 4791 §9.6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDataProp {
    /// Property name, upper case.
    pub name: String,
    /// `novalue="yes"`: the property's name and parameters only, with an empty value.
    pub novalue: bool,
}

/// A `<CALDAV:comp name="..">` of a calendar-data request (RFC 4791 §9.6.1): which
/// properties and sub-components of a component to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDataComp {
    /// Component name, upper case.
    pub name: String,
    /// The properties to return; None for all (`<CALDAV:allprop/>`, or an empty `comp`
    /// element, which RFC 4791's §7.8.1 example answers with the whole component).
    pub props: Option<Vec<CalendarDataProp>>,
    /// The sub-components to return; None for all (`<CALDAV:allcomp/>` or an empty `comp`).
    pub comps: Option<Vec<CalendarDataComp>>,
}

/// Partial retrieval, expansion and limiting asked for by a CALDAV:calendar-data element
/// (RFC 4791 §9.6). The default (no children) asks for the stored object unchanged.
/// Ranges are `[start, end)` in Unix seconds UTC; both ends are required by the RFC's DTD.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CalendarDataSpec {
    /// `<CALDAV:comp name="VCALENDAR">`: the selection; None returns everything.
    pub comp: Option<CalendarDataComp>,
    /// `<CALDAV:expand>` (§9.6.5): the instances overlapping the range, in UTC.
    pub expand: Option<(i64, i64)>,
    /// `<CALDAV:limit-recurrence-set>` (§9.6.6): the master and the overrides that matter
    /// to the range.
    pub limit_recurrence_set: Option<(i64, i64)>,
    /// `<CALDAV:limit-freebusy-set>` (§9.6.7): only FREEBUSY periods overlapping the range.
    pub limit_freebusy_set: Option<(i64, i64)>,
}

impl CalendarDataSpec {
    /// True when the spec asks for the object exactly as stored, so the stored bytes can go
    /// out without being re-serialised.
    pub fn is_identity(&self) -> bool {
        self.comp.is_none()
            && self.expand.is_none()
            && self.limit_recurrence_set.is_none()
            && self.limit_freebusy_set.is_none()
    }
}

/// Reads a `CALDAV:comp` of calendar-data. Per the DTD `comp ((allprop | prop*), (allcomp |
/// comp*))` a `comp` that names some properties but no sub-components returns none of them;
/// an entirely empty one is read as "the whole component", as the §7.8.1 example does for
/// `<C:comp name="VTIMEZONE"/>`.
fn calendar_data_comp(e: &Element, depth: usize) -> Result<CalendarDataComp, DavError> {
    let name = e
        .attr("name")
        .map(|n| n.trim().to_ascii_uppercase())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| bad("CALDAV:comp in calendar-data needs a name attribute"))?;
    if depth > 8 {
        return Err(bad("CALDAV:comp elements are nested too deeply"));
    }
    let children: Vec<&Element> = e.elements().filter(|c| c.name.ns == NS_CALDAV).collect();
    if children.is_empty() {
        return Ok(CalendarDataComp {
            name,
            props: None,
            comps: None,
        });
    }
    let props = if children.iter().any(|c| c.name.local == "allprop") {
        None
    } else {
        Some(
            children
                .iter()
                .filter(|c| c.name.local == "prop")
                .filter_map(|c| {
                    let name = c.attr("name")?.trim().to_ascii_uppercase();
                    (!name.is_empty()).then(|| CalendarDataProp {
                        name,
                        novalue: c.attr("novalue").map(str::trim) == Some("yes"),
                    })
                })
                .collect(),
        )
    };
    let comps = if children.iter().any(|c| c.name.local == "allcomp") {
        None
    } else {
        Some(
            children
                .iter()
                .filter(|c| c.name.local == "comp")
                .map(|c| calendar_data_comp(c, depth + 1))
                .collect::<Result<_, _>>()?,
        )
    };
    Ok(CalendarDataComp { name, props, comps })
}

/// Reads the `start`/`end` of an expand, limit-recurrence-set or limit-freebusy-set: both
/// required, UTC DATE-TIMEs, end after start; anything else is CALDAV:valid-filter (403).
fn calendar_data_range(e: &Element) -> Result<(i64, i64), DavError> {
    let what = e.name.local.clone();
    let read = |attr: &str| -> Result<i64, DavError> {
        let v = e.attr(attr).ok_or_else(|| {
            DavError::new(
                Condition::CalValidFilter,
                format!("CALDAV:{what} needs a {attr} attribute"),
            )
        })?;
        parse_utc_datetime(v).ok_or_else(|| {
            DavError::new(
                Condition::CalValidFilter,
                format!(
                    "CALDAV:{what} {attr}=\"{v}\" is not a UTC date-time like 20240101T000000Z"
                ),
            )
        })
    };
    let (start, end) = (read("start")?, read("end")?);
    if end <= start {
        return Err(DavError::new(
            Condition::CalValidFilter,
            format!("CALDAV:{what} end must be after its start"),
        ));
    }
    Ok((start, end))
}

/// Reads a CALDAV:calendar-data element of a `prop` list (RFC 4791 §9.6); a media type or
/// version other than text/calendar 2.0 is CALDAV:supported-calendar-data (403).
fn calendar_data_spec(e: &Element) -> Result<CalendarDataSpec, DavError> {
    let refuse = |what: String| {
        DavError::new(
            Condition::SupportedCalendarData,
            format!("{what}; calendar data is available as text/calendar 2.0"),
        )
    };
    if let Some(ct) = e.attr("content-type") {
        let media = ct.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("text/calendar") {
            return Err(refuse(format!("content-type {ct:?} cannot be produced")));
        }
    }
    if let Some(v) = e.attr("version")
        && v.trim() != "2.0"
    {
        return Err(refuse(format!(
            "iCalendar version {v:?} cannot be produced"
        )));
    }
    let range = |local: &str| {
        e.child(NS_CALDAV, local)
            .map(calendar_data_range)
            .transpose()
    };
    Ok(CalendarDataSpec {
        comp: e
            .child(NS_CALDAV, "comp")
            .map(|c| calendar_data_comp(c, 0))
            .transpose()?,
        expand: range("expand")?,
        limit_recurrence_set: range("limit-recurrence-set")?,
        limit_freebusy_set: range("limit-freebusy-set")?,
    })
}

/// The calendar-data spec of a `prop` list, when it has a calendar-data element.
fn prop_calendar_data(prop: &Element) -> Result<Option<CalendarDataSpec>, DavError> {
    prop.child(NS_CALDAV, "calendar-data")
        .map(calendar_data_spec)
        .transpose()
}

/// The address-data spec of a `prop` list, when it has an address-data element.
fn prop_address_data(prop: &Element) -> Result<Option<AddressDataSpec>, DavError> {
    prop.child(NS_CARDDAV, "address-data")
        .map(address_data_spec)
        .transpose()
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
    prop_request(&root)?.ok_or_else(|| bad("DAV:propfind needs prop, allprop or propname"))
}

/// Reads the `prop` / `allprop` / `propname` child of a propfind or report element.
fn prop_request(parent: &Element) -> Result<Option<PropRequest>, DavError> {
    if let Some(p) = parent.child(NS_DAV, "prop") {
        return Ok(Some(PropRequest::Prop(
            prop_names(p),
            prop_address_data(p)?,
            prop_calendar_data(p)?,
        )));
    }
    if parent.child(NS_DAV, "allprop").is_some() {
        let include = parent
            .child(NS_DAV, "include")
            .map(prop_names)
            .unwrap_or_default();
        return Ok(Some(PropRequest::AllProp(include)));
    }
    if parent.child(NS_DAV, "propname").is_some() {
        return Ok(Some(PropRequest::PropName));
    }
    Ok(None)
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
        /// CALDAV:timezone (§9.8): the VCALENDAR text, trimmed, whose VTIMEZONE floating
        /// times and DATE values are read in; it overrides the calendar's own.
        timezone: Option<String>,
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
    /// RFC 4791 §7.10 free-busy-query.
    FreeBusyQuery {
        /// The queried range; both ends are present, `start < end`.
        range: TimeRange,
    },
    /// Any other report: answered 403 DAV:supported-report.
    Unsupported(QName),
}

/// Parses a REPORT body.
pub fn parse_report(body: &[u8]) -> Result<Report, DavError> {
    let root = parse_body(body)?;
    let props = || -> Result<PropRequest, DavError> {
        Ok(prop_request(&root)?.unwrap_or(PropRequest::Prop(Vec::new(), None, None)))
    };
    if root.is(NS_DAV, "sync-collection") {
        let token = root
            .child(NS_DAV, "sync-token")
            .map(|t| t.text().trim().to_owned())
            .unwrap_or_default();
        return Ok(Report::SyncCollection {
            token,
            props: props()?,
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
            props: props()?,
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
        let timezone = root
            .child(NS_CALDAV, "timezone")
            .map(|t| t.text().trim().to_owned())
            .filter(|t| !t.is_empty());
        return Ok(Report::CalendarQuery {
            props: props()?,
            filter,
            timezone,
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
            props: props()?,
            filter,
            limit: limit(&root, NS_CARDDAV)?,
        });
    }
    if root.is(NS_CALDAV, "free-busy-query") {
        return free_busy_query(&root);
    }
    Ok(Report::Unsupported(root.name.clone()))
}

/// Reads a free-busy-query (RFC 4791 §7.10): its time-range must have both a start and an
/// end, UTC DATE-TIMEs, the end after the start; anything else is CALDAV:valid-filter.
fn free_busy_query(root: &Element) -> Result<Report, DavError> {
    let refuse = |message: &str| DavError::new(Condition::CalValidFilter, message.to_owned());
    let element = root
        .child(NS_CALDAV, "time-range")
        .ok_or_else(|| refuse("free-busy-query needs a time-range"))?;
    let range = time_range(element)?;
    match (range.start, range.end) {
        (Some(start), Some(end)) if start < end => Ok(Report::FreeBusyQuery { range }),
        (Some(_), Some(_)) => Err(refuse("the time-range end must be after its start")),
        _ => Err(refuse(
            "the free-busy-query time-range needs both start and end",
        )),
    }
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
    if let (Some(start), Some(end)) = (tr.start, tr.end)
        && end <= start
    {
        return Err(DavError::new(
            Condition::CalValidFilter,
            "time-range end must be after its start",
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
            PropRequest::Prop(
                vec![
                    PropName::Dav(DavProp::GetEtag),
                    PropName::Cal(CalProp::CalendarData)
                ],
                None,
                Some(CalendarDataSpec::default())
            )
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
    fn free_busy_query_needs_a_closed_utc_range() {
        let ok = br#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:free-busy-query>"#;
        assert_eq!(
            parse_report(ok).unwrap(),
            Report::FreeBusyQuery {
                range: TimeRange {
                    start: Some(1704067200),
                    end: Some(1706745600)
                }
            }
        );
        for body in [
            r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>"#,
            r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z"/></C:free-busy-query>"#,
            r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="19900101" end="20400101"/></C:free-busy-query>"#,
            r#"<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240201T000000Z" end="20240101T000000Z"/></C:free-busy-query>"#,
        ] {
            assert_eq!(
                parse_report(body.as_bytes()).unwrap_err().condition,
                Condition::CalValidFilter,
                "{body}"
            );
        }
    }

    #[test]
    fn date_only_time_range_is_a_valid_filter_error() {
        let body = br#"<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="19900101"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"#;
        assert_eq!(
            parse_report(body).unwrap_err().condition,
            Condition::CalValidFilter
        );
    }

    fn address_data(inner: &str) -> Result<Option<AddressDataSpec>, DavError> {
        let body = format!(
            r#"<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/>{inner}</D:prop><D:href>/x.vcf</D:href></C:addressbook-multiget>"#
        );
        match parse_report(body.as_bytes())? {
            Report::Multiget {
                props: PropRequest::Prop(_, spec, _),
                ..
            } => Ok(spec),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn address_data_spec_props_version_and_refusals() {
        assert_eq!(address_data("").unwrap(), None);
        assert!(
            address_data("<C:address-data/>")
                .unwrap()
                .is_some_and(|s| s.is_identity())
        );
        let spec = address_data(
            r#"<C:address-data content-type="text/vcard" version="4.0"><C:prop name="fn"/><C:prop name="item1.EMAIL" novalue="yes"/></C:address-data>"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(spec.version, Some(VCardVersion::V4));
        assert_eq!(
            spec.props,
            Some(vec![
                AddressDataProp {
                    name: "FN".into(),
                    novalue: false
                },
                AddressDataProp {
                    name: "EMAIL".into(),
                    novalue: true
                }
            ])
        );
        let all = address_data(r#"<C:address-data version="3.0"><C:allprop/></C:address-data>"#)
            .unwrap()
            .unwrap();
        assert_eq!((all.version, all.props), (Some(VCardVersion::V3), None));
        for bad in [
            r#"<C:address-data content-type="application/vcard+json"/>"#,
            r#"<C:address-data version="2.1"/>"#,
        ] {
            assert_eq!(
                address_data(bad).unwrap_err().condition,
                Condition::SupportedAddressDataConversion,
                "{bad}"
            );
        }
    }

    fn calendar_data(inner: &str) -> Result<Option<CalendarDataSpec>, DavError> {
        let body = format!(
            r#"<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>{inner}</D:prop><D:href>/x.ics</D:href></C:calendar-multiget>"#
        );
        match parse_report(body.as_bytes())? {
            Report::Multiget {
                props: PropRequest::Prop(_, _, spec),
                ..
            } => Ok(spec),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn calendar_data_spec_comps_ranges_and_refusals() {
        assert_eq!(calendar_data("").unwrap(), None);
        assert!(
            calendar_data(r#"<C:calendar-data content-type="text/calendar" version="2.0"/>"#)
                .unwrap()
                .is_some_and(|s| s.is_identity())
        );
        let spec = calendar_data(
            r#"<C:calendar-data><C:comp name="VCALENDAR"><C:allprop/><C:comp name="vevent"><C:prop name="uid"/><C:prop name="SUMMARY" novalue="yes"/></C:comp><C:comp name="VTIMEZONE"/></C:comp><C:expand start="20240101T000000Z" end="20240201T000000Z"/></C:calendar-data>"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(spec.expand, Some((1704067200, 1706745600)));
        let root = spec.comp.unwrap();
        assert_eq!((root.name.as_str(), root.props), ("VCALENDAR", None));
        let comps = root.comps.unwrap();
        assert_eq!(
            comps[0],
            CalendarDataComp {
                name: "VEVENT".into(),
                props: Some(vec![
                    CalendarDataProp {
                        name: "UID".into(),
                        novalue: false
                    },
                    CalendarDataProp {
                        name: "SUMMARY".into(),
                        novalue: true
                    }
                ]),
                comps: Some(vec![]),
            }
        );
        assert_eq!(
            (comps[1].props.clone(), comps[1].comps.clone()),
            (None, None)
        );
        for (bad, cond) in [
            (
                r#"<C:calendar-data content-type="text/calendar" version="1.0"/>"#,
                Condition::SupportedCalendarData,
            ),
            (
                r#"<C:calendar-data content-type="application/calendar+json"/>"#,
                Condition::SupportedCalendarData,
            ),
            (
                r#"<C:calendar-data><C:expand start="20240101T000000Z"/></C:calendar-data>"#,
                Condition::CalValidFilter,
            ),
            (
                r#"<C:calendar-data><C:limit-freebusy-set start="20240101" end="20240102T000000Z"/></C:calendar-data>"#,
                Condition::CalValidFilter,
            ),
        ] {
            assert_eq!(calendar_data(bad).unwrap_err().condition, cond, "{bad}");
        }
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
