//! Response-body writer: a small, allocation-frugal XML builder with fixed namespace prefixes,
//! plus the serializer behind [`Element::inner_xml`].
//!
//! Responses (multistatus bodies with thousands of `<D:response>` elements) are written straight
//! into one `String`; the names of open elements live in a second, reused buffer, so writing an
//! element allocates nothing once the buffers have grown.

use std::fmt::Write as _;

use super::{
    Element, NS_APPLE_ICAL, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV, NS_DAVSUITE, Node,
};

/// The namespace the `xml` prefix is bound to by definition (`xml:lang`).
const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of namespace declarations themselves; never written as an attribute.
const NS_XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// Every known namespace with its fixed prefix, all declared on the root element.
const KNOWN_PREFIXES: [(&str, &str); 6] = [
    ("D", NS_DAV),
    ("C", NS_CALDAV),
    ("CR", NS_CARDDAV),
    ("CS", NS_CALENDARSERVER),
    ("A", NS_APPLE_ICAL),
    ("DS", NS_DAVSUITE),
];

/// The fixed prefix of a known namespace.
fn known_prefix(ns: &str) -> Option<&'static str> {
    KNOWN_PREFIXES
        .iter()
        .find(|(_, uri)| *uri == ns)
        .map(|(prefix, _)| *prefix)
}

/// Escapes character data for use in element content or attribute values.
///
/// Why all five: the same escaping is safe in both places, so callers cannot pick the wrong one.
/// `'\r'` becomes `&#13;` because XML end-of-line normalisation would otherwise turn the CRLF
/// line ends that iCalendar and vCard require into bare LF on the client. Characters XML 1.0
/// cannot carry at all (C0 controls other than tab and newline, U+FFFE, U+FFFF) are replaced by
/// U+FFFD so that a stray control character in stored data never makes a response unparsable.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s, false);
    out
}

/// Bytes `escape_into` must look at: markup characters, control characters, and 0xEF (the lead
/// byte of U+FFFE/U+FFFF). Everything else is copied in bulk, which matters for calendar-data:
/// megabytes of text per report, with a CR on every line.
const NEEDS_LOOK: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
};

/// Appends `s` escaped; in attribute values tab and newline are written as character references
/// too, because attribute-value normalisation would turn them into spaces.
fn escape_into(out: &mut String, s: &str, attr: bool) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len());
    let mut last = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|b| NEEDS_LOOK[usize::from(*b)]) {
        i += offset;
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\r' => ("&#13;", 1),
            b'\n' if attr => ("&#10;", 1),
            b'\t' if attr => ("&#9;", 1),
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF in UTF-8.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("\u{FFFD}", 3)
            }
            b'\n' | b'\t' | 0xEF => {
                i += 1;
                continue;
            }
            _ => ("\u{FFFD}", 1),
        };
        // `i` is at an ASCII byte or a UTF-8 lead byte, so both slices are on char boundaries.
        out.push_str(&s[last..i]);
        out.push_str(replacement);
        i += len;
        last = i;
    }
    out.push_str(&s[last..]);
}

/// A namespace without a fixed prefix, declared on an open element.
struct ForeignNs {
    /// Byte range of the namespace URI in `XmlWriter::foreign_uris`.
    start: usize,
    end: usize,
    /// Number of the prefix (`X0`, `X1`, ...).
    index: usize,
    /// Index of the declaring element in the open-element stack.
    depth: usize,
}

/// Builds an XML response body in a `String`.
///
/// Why not quick-xml's writer: responses only ever need the fixed DAV prefixes declared once on
/// the root, and writing into a `String` directly keeps multistatus bodies with 10,000 responses
/// cheap. The writer does not validate names (they come from the code, not from clients) but
/// escapes all text and attribute values. Calls must nest properly: text before the root or after
/// it is closed gives a body that is not well-formed.
pub struct XmlWriter {
    /// The document written so far.
    buf: String,
    /// Qualified names of open elements, concatenated.
    names: String,
    /// Where each open element's name starts in `names`, outermost first.
    name_starts: Vec<usize>,
    /// URIs of foreign namespaces in scope, concatenated.
    foreign_uris: String,
    /// Foreign namespaces declared on open elements, outermost first.
    foreign: Vec<ForeignNs>,
    /// True once the root start tag (with the namespace declarations) was written.
    root_written: bool,
}

impl Default for XmlWriter {
    /// Same as [`XmlWriter::new`], so the writer can live in structs deriving `Default`.
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// Starts a document with the XML declaration; the first element opened becomes the root
    /// and declares the fixed prefixes `D`, `C`, `CR`, `CS`, `A` and `DS`.
    pub fn new() -> Self {
        let mut buf = String::with_capacity(1024);
        buf.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        XmlWriter {
            buf,
            names: String::with_capacity(256),
            name_starts: Vec::with_capacity(16),
            foreign_uris: String::new(),
            foreign: Vec::new(),
            root_written: false,
        }
    }

    /// Makes room for `bytes` more of output (see [`crate::dav::multistatus::Multistatus::reserve`]).
    pub fn reserve(&mut self, bytes: usize) {
        self.buf.reserve(bytes);
    }

    /// Opens `{ns}local`; close it with [`XmlWriter::close`]. Namespaces without a fixed prefix
    /// are declared on the element (`<X0:foo xmlns:X0="urn:x">`); an empty `ns` writes an
    /// unprefixed name, which is in no namespace because no default namespace is ever declared.
    pub fn open(&mut self, ns: &str, local: &str) {
        self.start_tag(ns, local, &[], false);
    }

    /// Opens `{ns}local` with unprefixed attributes; values are escaped.
    pub fn open_attrs(&mut self, ns: &str, local: &str, attrs: &[(&str, &str)]) {
        self.start_tag(ns, local, attrs, false);
    }

    /// Closes the innermost open element; does nothing when none is open, so a surplus call
    /// cannot corrupt the buffer.
    pub fn close(&mut self) {
        let Some(start) = self.name_starts.pop() else {
            return;
        };
        self.buf.push_str("</");
        self.buf.push_str(&self.names[start..]);
        self.buf.push('>');
        self.names.truncate(start);
        let depth = self.name_starts.len();
        while self.foreign.last().is_some_and(|f| f.depth >= depth) {
            if let Some(f) = self.foreign.pop() {
                self.foreign_uris.truncate(f.start);
            }
        }
    }

    /// Writes the empty element `<D:foo/>`.
    pub fn empty(&mut self, ns: &str, local: &str) {
        self.start_tag(ns, local, &[], true);
    }

    /// Writes an empty element with unprefixed attributes; values are escaped.
    pub fn empty_attrs(&mut self, ns: &str, local: &str, attrs: &[(&str, &str)]) {
        self.start_tag(ns, local, attrs, true);
    }

    /// Writes `<D:foo>text</D:foo>` with the text escaped: the common shape of property values
    /// such as `getetag` or `href`.
    pub fn text_element(&mut self, ns: &str, local: &str, text: &str) {
        self.start_tag(ns, local, &[], false);
        self.text(text);
        self.close();
    }

    /// Writes escaped character data into the innermost open element.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.buf, text, false);
    }

    /// Writes a trusted, well-formed, self-contained fragment verbatim (a dead property value
    /// from [`Element::inner_xml`], which declares every namespace it uses).
    pub fn raw(&mut self, xml: &str) {
        self.buf.push_str(xml);
    }

    /// Closes every element still open and returns the document.
    pub fn finish(mut self) -> String {
        while !self.name_starts.is_empty() {
            self.close();
        }
        self.buf
    }

    /// Writes a start tag (or an empty-element tag when `empty`), recording the name of an
    /// opened element for its end tag.
    fn start_tag(&mut self, ns: &str, local: &str, attrs: &[(&str, &str)], empty: bool) {
        let depth = self.name_starts.len();
        let name_start = self.names.len();
        // Find or allocate a prefix; `declare` is the index of a new `X<n>` prefix to declare.
        let mut declare = None;
        if let Some(prefix) = known_prefix(ns) {
            self.names.push_str(prefix);
            self.names.push(':');
        } else if ns == NS_XML {
            // Bound by definition and never declarable (a client may ask for such a name).
            self.names.push_str("xml:");
        } else if !ns.is_empty() {
            let uris = &self.foreign_uris;
            let index = match self
                .foreign
                .iter()
                .rev()
                .find(|f| &uris[f.start..f.end] == ns)
            {
                Some(f) => f.index,
                None => {
                    let index = self.foreign.len();
                    declare = Some(index);
                    index
                }
            };
            // Writing to a String cannot fail.
            let _ = write!(self.names, "X{index}:");
        }
        self.names.push_str(local);

        self.buf.push('<');
        self.buf.push_str(&self.names[name_start..]);
        if !self.root_written {
            self.root_written = true;
            for (prefix, uri) in KNOWN_PREFIXES {
                self.buf.push_str(" xmlns:");
                self.buf.push_str(prefix);
                self.buf.push_str("=\"");
                self.buf.push_str(uri);
                self.buf.push('"');
            }
        }
        if let Some(index) = declare {
            let _ = write!(self.buf, " xmlns:X{index}=\"");
            escape_into(&mut self.buf, ns, true);
            self.buf.push('"');
        }
        for (name, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            escape_into(&mut self.buf, value, true);
            self.buf.push('"');
        }
        if empty {
            self.buf.push_str("/>");
            self.names.truncate(name_start);
        } else {
            self.buf.push('>');
            self.name_starts.push(name_start);
            if let Some(index) = declare {
                let start = self.foreign_uris.len();
                self.foreign_uris.push_str(ns);
                self.foreign.push(ForeignNs {
                    start,
                    end: self.foreign_uris.len(),
                    index,
                    depth,
                });
            }
        }
    }
}

/// Serializes `e`'s children as a self-contained fragment: every element declares its own
/// namespace as the default namespace where it differs from its parent's (always at the top of
/// the fragment, `xmlns=""` for no namespace), and namespaced attributes get prefixes declared
/// on their element. The fragment therefore means the same wherever it is pasted, which is what
/// storing dead properties verbatim and replaying them with [`XmlWriter::raw`] needs.
pub(super) fn inner_xml(e: &Element) -> String {
    let mut out = String::new();
    for child in &e.children {
        write_node(&mut out, child, None);
    }
    out
}

/// Writes one node; `default_ns` is the default namespace in scope inside the fragment, `None`
/// at the fragment's top level where the surrounding context is unknown.
fn write_node(out: &mut String, node: &Node, default_ns: Option<&str>) {
    let el = match node {
        Node::Text(t) => {
            escape_into(out, t, false);
            return;
        }
        Node::Element(el) => el,
    };
    // The xml namespace cannot be declared as a default namespace; it has its fixed prefix,
    // and the default namespace of the children stays what it was.
    let xml_prefix = el.name.ns == NS_XML;
    let child_default = if xml_prefix {
        default_ns
    } else {
        Some(el.name.ns.as_str())
    };
    out.push('<');
    if xml_prefix {
        out.push_str("xml:");
    }
    out.push_str(&el.name.local);
    if !xml_prefix && default_ns != Some(el.name.ns.as_str()) {
        out.push_str(" xmlns=\"");
        escape_into(out, &el.name.ns, true);
        out.push('"');
    }
    let mut attr_namespaces: Vec<&str> = Vec::new();
    for (name, value) in &el.attrs {
        let ns = name.ns.as_str();
        if ns == NS_XMLNS || (ns.is_empty() && name.local == "xmlns") {
            continue; // a declaration, not data; the reader never produces these
        }
        out.push(' ');
        if ns == NS_XML {
            out.push_str("xml:");
        } else if !ns.is_empty() {
            let index = match attr_namespaces.iter().position(|n| *n == ns) {
                Some(i) => i,
                None => {
                    attr_namespaces.push(ns);
                    let i = attr_namespaces.len() - 1;
                    let _ = write!(out, "xmlns:a{i}=\"");
                    escape_into(out, ns, true);
                    out.push_str("\" ");
                    i
                }
            };
            let _ = write!(out, "a{index}:");
        }
        out.push_str(&name.local);
        out.push_str("=\"");
        escape_into(out, value, true);
        out.push('"');
    }
    if el.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &el.children {
        write_node(out, child, child_default);
    }
    out.push_str("</");
    if xml_prefix {
        out.push_str("xml:");
    }
    out.push_str(&el.name.local);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dav::xml::{QName, XmlError, parse_document};

    const DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    const ROOT_NS: &str = " xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" \
        xmlns:CR=\"urn:ietf:params:xml:ns:carddav\" xmlns:CS=\"http://calendarserver.org/ns/\" \
        xmlns:A=\"http://apple.com/ns/ical/\" xmlns:DS=\"urn:davsuite:ns\"";

    fn reparse(xml: &str) -> Element {
        parse_document(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"))
    }

    #[test]
    fn escape_text_escapes_markup_quotes_and_cr() {
        assert_eq!(escape_text("plain"), "plain");
        assert_eq!(
            escape_text("a&b<c>d\"e'f\r\ng\th"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;\ng\th"
        );
        assert_eq!(escape_text("caf\u{e9} \u{1F600}"), "caf\u{e9} \u{1F600}");
        // Characters XML cannot carry at all become U+FFFD instead of breaking the body.
        assert_eq!(
            escape_text("a\u{0}b\u{1}c\u{1b}d"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d"
        );
        assert_eq!(
            escape_text("x\u{FFFE}y\u{FFFF}z\u{FFFD}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        assert_eq!(escape_text("\u{EFBF}"), "\u{EFBF}");
    }

    #[test]
    fn fixed_prefixes_declared_once_on_the_root() {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "multistatus");
        w.open(NS_DAV, "response");
        w.text_element(NS_DAV, "href", "/cal/a&b.ics");
        w.open(NS_DAV, "propstat");
        w.open(NS_DAV, "prop");
        w.text_element(NS_CALENDARSERVER, "getctag", "\"42\"");
        w.empty(NS_CALDAV, "calendar");
        w.empty(NS_CARDDAV, "addressbook");
        w.text_element(NS_APPLE_ICAL, "calendar-color", "#FF0000");
        w.empty_attrs(NS_CALDAV, "comp", &[("name", "VEVENT")]);
        w.close();
        w.text_element(NS_DAVSUITE, "message", "x < y");
        let xml = w.finish();
        let expected = format!(
            "{DECL}<D:multistatus{ROOT_NS}><D:response><D:href>/cal/a&amp;b.ics</D:href>\
             <D:propstat><D:prop><CS:getctag>&quot;42&quot;</CS:getctag><C:calendar/>\
             <CR:addressbook/><A:calendar-color>#FF0000</A:calendar-color><C:comp name=\"VEVENT\"/>\
             </D:prop><DS:message>x &lt; y</DS:message></D:propstat></D:response></D:multistatus>"
        );
        assert_eq!(xml, expected);
        let root = reparse(&xml);
        assert!(root.is(NS_DAV, "multistatus"));
        let prop = root
            .child(NS_DAV, "response")
            .and_then(|r| r.child(NS_DAV, "propstat"))
            .and_then(|p| p.child(NS_DAV, "prop"))
            .expect("prop");
        assert_eq!(
            prop.child(NS_CALENDARSERVER, "getctag").map(|e| e.text()),
            Some("\"42\"".into())
        );
        assert_eq!(
            prop.child(NS_CALDAV, "comp").and_then(|e| e.attr("name")),
            Some("VEVENT")
        );
    }

    #[test]
    fn root_can_be_an_empty_element() {
        let mut w = XmlWriter::default();
        w.empty(NS_DAV, "error");
        assert_eq!(w.finish(), format!("{DECL}<D:error{ROOT_NS}/>"));
    }

    #[test]
    fn attributes_are_escaped() {
        let mut w = XmlWriter::new();
        w.open_attrs(NS_DAV, "r", &[("a", "x\"y'z<&>"), ("b", "1\n2\t3\r")]);
        w.close();
        let xml = w.finish();
        assert!(
            xml.ends_with(" a=\"x&quot;y&apos;z&lt;&amp;&gt;\" b=\"1&#10;2&#9;3&#13;\"></D:r>"),
            "{xml}"
        );
        let root = reparse(&xml);
        assert_eq!(root.attr("a"), Some("x\"y'z<&>"));
        assert_eq!(root.attr("b"), Some("1\n2\t3\r"));
    }

    #[test]
    fn foreign_namespaces_are_declared_where_used() {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "prop");
        w.open("urn:x", "outer");
        w.open("urn:x", "same");
        w.empty("urn:y", "other");
        w.open("urn:y", "other-open");
        w.empty("urn:y", "reused");
        w.close();
        w.close();
        w.close();
        w.text_element("urn:z", "sibling", "v");
        w.empty("", "bare");
        let xml = w.finish();
        let body = xml.split_once('>').map(|(_, b)| b).unwrap_or("");
        let body = body.split_once('>').map(|(_, b)| b).unwrap_or("");
        assert_eq!(
            body,
            "<X0:outer xmlns:X0=\"urn:x\"><X0:same><X1:other xmlns:X1=\"urn:y\"/>\
             <X1:other-open xmlns:X1=\"urn:y\"><X1:reused/></X1:other-open></X0:same></X0:outer>\
             <X0:sibling xmlns:X0=\"urn:z\">v</X0:sibling><bare/></D:prop>"
        );
        let root = reparse(&xml);
        let names: Vec<QName> = root.elements().map(|e| e.name.clone()).collect();
        assert_eq!(
            names,
            [
                QName::new("urn:x", "outer"),
                QName::new("urn:z", "sibling"),
                QName::new("", "bare")
            ]
        );
        let same = root
            .child("urn:x", "outer")
            .and_then(|o| o.child("urn:x", "same"))
            .expect("same");
        assert!(same.child("urn:y", "other").is_some());
        let reused = same
            .child("urn:y", "other-open")
            .and_then(|o| o.child("urn:y", "reused"));
        assert!(reused.is_some());
    }

    #[test]
    fn finish_closes_open_elements_and_extra_close_is_harmless() {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "a");
        w.open(NS_CALDAV, "b");
        w.text("t");
        let xml = w.finish();
        assert!(xml.ends_with("<C:b>t</C:b></D:a>"), "{xml}");
        let mut w = XmlWriter::new();
        w.empty(NS_DAV, "a");
        w.close();
        w.close();
        assert!(w.finish().ends_with("/>"));
    }

    #[test]
    fn crlf_in_text_survives_a_round_trip() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
        let mut w = XmlWriter::new();
        w.text_element(NS_CALDAV, "calendar-data", ics);
        let xml = w.finish();
        assert!(!xml.contains('\r'));
        assert_eq!(reparse(&xml).text(), ics);
    }

    #[test]
    fn raw_fragment_is_written_verbatim() {
        let fragment = "<calendar-color xmlns=\"http://apple.com/ns/ical/\" symbolic-color=\"red\">#F00</calendar-color>";
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "prop");
        w.raw(fragment);
        w.empty(NS_DAV, "displayname");
        let xml = w.finish();
        assert!(
            xml.contains(&format!(
                "<D:prop{ROOT_NS}>{fragment}<D:displayname/></D:prop>"
            )),
            "{xml}"
        );
        let root = reparse(&xml);
        let color = root.child(NS_APPLE_ICAL, "calendar-color").expect("color");
        assert_eq!(color.attr("symbolic-color"), Some("red"));
        assert_eq!(color.text(), "#F00");
        assert!(root.child(NS_DAV, "displayname").is_some());
    }

    #[test]
    fn inner_xml_round_trips() {
        let doc = "<D:prop xmlns:D=\"DAV:\" xmlns:F=\"urn:foreign\" xmlns:G=\"urn:g\">\
            <F:thing F:kind=\"k&amp;\" plain=\"p&quot;\" xml:lang=\"en\" G:x=\"1\" G:y=\"2\">\
              <F:nested><G:deeper a=\"&lt;\">text &amp; &lt;more&gt; &#13;&#10;line2 \u{e4}</G:deeper>\
                <none xmlns=\"\"><F:back/></none><D:href>/x</D:href><F:empty/></F:nested>\
              <![CDATA[ cdata ]]>\
            </F:thing>\
            <D:displayname>Name</D:displayname></D:prop>";
        let prop = reparse(doc);
        let inner = prop.inner_xml();
        let wrapped = reparse(&format!("<r xmlns=\"urn:x\">{inner}</r>"));
        assert_eq!(wrapped.children, prop.children, "{inner}");
        // Also in no-namespace and prefixed contexts, and through XmlWriter::raw.
        let wrapped = reparse(&format!("<r>{inner}</r>"));
        assert_eq!(wrapped.children, prop.children);
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "prop");
        w.raw(&inner);
        let via_writer = reparse(&w.finish());
        assert_eq!(via_writer.children, prop.children);
        // Each element carries its namespace only where it changes.
        assert!(inner.starts_with("<thing xmlns=\"urn:foreign\""), "{inner}");
        assert!(inner.contains("<nested>"), "{inner}");
        assert!(
            inner.contains("<none xmlns=\"\"><back xmlns=\"urn:foreign\"/></none>"),
            "{inner}"
        );
    }

    #[test]
    fn xml_namespace_uses_its_fixed_prefix() {
        let prop = reparse(
            "<p xmlns=\"urn:p\"><xml:odd><in/></xml:odd><none xmlns=\"\"><xml:x/></none></p>",
        );
        let inner = prop.inner_xml();
        assert_eq!(
            inner,
            "<xml:odd><in xmlns=\"urn:p\"/></xml:odd><none xmlns=\"\"><xml:x/></none>"
        );
        let wrapped = reparse(&format!("<r xmlns=\"urn:x\">{inner}</r>"));
        assert_eq!(wrapped.children, prop.children);
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "prop");
        w.empty(NS_XML, "odd");
        let root = reparse(&w.finish());
        assert!(root.child(NS_XML, "odd").is_some());
    }

    #[test]
    fn inner_xml_of_text_only_element() {
        let e = reparse("<a xmlns=\"DAV:\">x &amp; y\r\n</a>");
        assert_eq!(e.inner_xml(), "x &amp; y\n");
        let e = reparse("<a xmlns=\"DAV:\"/>");
        assert_eq!(e.inner_xml(), "");
        assert_eq!(
            parse_document(b"<r xmlns=\"urn:x\"></r>").map(|r| r.children),
            Ok(vec![])
        );
        assert_eq!(parse_document(b""), Err(XmlError::Empty));
    }

    #[test]
    fn many_responses_are_cheap_and_well_formed() {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "multistatus");
        for i in 0..10_000 {
            w.open(NS_DAV, "response");
            w.text_element(NS_DAV, "href", &format!("/dav/cal/{i}.ics"));
            w.open(NS_DAV, "propstat");
            w.open(NS_DAV, "prop");
            w.text_element(NS_DAV, "getetag", "\"abc\"");
            w.close();
            w.text_element(NS_DAV, "status", "HTTP/1.1 200 OK");
            w.close();
            w.close();
        }
        let xml = w.finish();
        let root = reparse(&xml);
        assert_eq!(root.elements().count(), 10_000);
    }
}
