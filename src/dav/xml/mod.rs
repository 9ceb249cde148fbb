//! XML for WebDAV bodies: a small namespace-resolved element tree for requests and a writer
//! for responses. The only module that names quick-xml.
//!
//! Requests are bounded in size by the HTTP layer, so reading them into a tree is cheap and lets
//! the request parsers match on `(namespace, local name)` pairs instead of prefixes.

mod reader;
mod writer;

pub use reader::parse_document;
pub use writer::{XmlWriter, escape_text};

/// Namespace URI of WebDAV (RFC 4918).
pub const NS_DAV: &str = "DAV:";
/// Namespace URI of CalDAV (RFC 4791).
pub const NS_CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// Namespace URI of CardDAV (RFC 6352).
pub const NS_CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";
/// Namespace of Apple's CalendarServer extensions (getctag, sharing).
pub const NS_CALENDARSERVER: &str = "http://calendarserver.org/ns/";
/// Namespace of Apple iCal properties (calendar-color, calendar-order).
pub const NS_APPLE_ICAL: &str = "http://apple.com/ns/ical/";
/// Namespace of davsuite's own elements (error messages, plan limits).
pub const NS_DAVSUITE: &str = "urn:davsuite:ns";

/// A qualified name: namespace URI (empty for none) and local name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// Namespace URI; empty when the element is in no namespace.
    pub ns: String,
    /// Local name.
    pub local: String,
}

impl QName {
    /// Builds a qualified name.
    pub fn new(ns: &str, local: &str) -> Self {
        QName {
            ns: ns.to_owned(),
            local: local.to_owned(),
        }
    }

    /// True when this is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

/// A node of the element tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (entities and CDATA already resolved).
    Text(String),
}

/// An element with resolved names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Resolved element name.
    pub name: QName,
    /// Attributes with resolved names (unprefixed attributes have an empty namespace);
    /// namespace declarations are not included.
    pub attrs: Vec<(QName, String)>,
    /// Children in document order.
    pub children: Vec<Node>,
}

impl Element {
    /// True when the element is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.name.is(ns, local)
    }

    /// Child elements, skipping text.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// First child element named `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(ns, local))
    }

    /// Value of the unprefixed attribute `local`.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(q, _)| q.ns.is_empty() && q.local == local)
            .map(|(_, v)| v.as_str())
    }

    /// Concatenated character data of this element's direct text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// Serializes the element's children as self-contained XML (every namespace used is
    /// declared where it is used), for keeping dead property values verbatim.
    pub fn inner_xml(&self) -> String {
        writer::inner_xml(self)
    }
}

/// Why a request body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// Not well-formed (unclosed element, bad syntax, undeclared prefix, bad UTF-8, ...).
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// A DOCTYPE or entity declaration, refused outright (no entity expansion, ever).
    #[error("DOCTYPE and entity declarations are not accepted")]
    Doctype,
    /// Elements nested deeper than the reader accepts.
    #[error("XML nested too deeply")]
    TooDeep,
    /// The body was empty or had no root element.
    #[error("empty XML body")]
    Empty,
}
