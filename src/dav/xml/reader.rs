//! Request-body reader: quick-xml's namespace-aware `NsReader` turned into an [`Element`] tree.
//!
//! The reader is deliberately strict where leniency would be a risk (no DOCTYPE, no entities
//! beyond the five predefined ones, bounded depth, UTF-8 only) and lenient only where real
//! clients need it (leading whitespace before the XML declaration, a UTF-8 BOM).

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{PrefixDeclaration, QName as RawName, ResolveResult};
use quick_xml::reader::NsReader;

use super::{Element, Node, QName, XmlError};

/// Deepest element nesting accepted; WebDAV bodies need about a dozen levels, and a bound keeps
/// hostile bodies from costing stack or time in later recursive walks of the tree.
const MAX_DEPTH: usize = 64;

/// The namespace the `xml` prefix is bound to by definition.
const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of namespace declarations; nothing may be declared in it.
const NS_XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// Parses a request body into a namespace-resolved element tree.
///
/// Why a tree: request bodies are small (the HTTP layer bounds them), and matching on
/// `(namespace, local name)` pairs is what every DAV request parser needs, independent of the
/// prefixes a client happened to choose. Refuses DOCTYPEs outright (no entity expansion, so no
/// billion-laughs or external-entity attacks), bounds nesting, and never panics on any input.
pub fn parse_document(body: &[u8]) -> Result<Element, XmlError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body)
        .map_err(|e| XmlError::Malformed(format!("body is not UTF-8: {e}")))?;
    if text.bytes().all(is_xml_whitespace) {
        return Err(XmlError::Empty);
    }
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(XmlError::Malformed(format!(
            "character U+{:04X} at byte {offset} is not allowed in XML",
            u32::from(c)
        )));
    }
    Parser::new(text).run()
}

/// State of one parse: the quick-xml reader, the chain of open elements and the text collected
/// since the last tag.
struct Parser<'i> {
    input: &'i str,
    reader: NsReader<&'i [u8]>,
    /// Open elements, outermost first.
    stack: Vec<Element>,
    /// The finished root element, once its end tag was read.
    root: Option<Element>,
    /// Character data (text, references, CDATA) not yet attached to an element.
    pending: String,
    /// True until the first event that is not whitespace: the XML declaration is only allowed
    /// there.
    prolog: bool,
}

impl<'i> Parser<'i> {
    fn new(input: &'i str) -> Self {
        let mut reader = NsReader::from_str(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Parser {
            input,
            reader,
            stack: Vec::new(),
            root: None,
            pending: String::new(),
            prolog: true,
        }
    }

    fn run(mut self) -> Result<Element, XmlError> {
        loop {
            let before = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.read_error(before, &e)),
            };
            match event {
                Event::Decl(_) => {
                    if !self.prolog {
                        return Err(malformed("XML declaration after the start of the document"));
                    }
                    self.prolog = false;
                }
                Event::DocType(_) => return Err(XmlError::Doctype),
                Event::Start(start) => {
                    self.prolog = false;
                    let element = self.start_element(&start)?;
                    self.flush_text();
                    self.stack.push(element);
                }
                Event::Empty(start) => {
                    self.prolog = false;
                    let element = self.start_element(&start)?;
                    self.flush_text();
                    self.finish_element(element);
                }
                Event::End(_) => {
                    // quick-xml already checked that the name echoes the start tag
                    // (check_end_names) and that a start tag exists (allow_unmatched_ends).
                    self.flush_text();
                    let element = self
                        .stack
                        .pop()
                        .ok_or_else(|| malformed("end tag without start tag"))?;
                    self.finish_element(element);
                }
                Event::Text(text) => {
                    let content = text.xml10_content();
                    if self.stack.is_empty() {
                        if !content.bytes().all(is_xml_whitespace) {
                            return Err(malformed("text outside the root element"));
                        }
                    } else {
                        self.pending.push_str(&content);
                    }
                }
                Event::CData(cdata) => {
                    self.prolog = false;
                    if self.stack.is_empty() {
                        return Err(malformed("CDATA outside the root element"));
                    }
                    self.pending.push_str(&cdata.xml10_content());
                }
                Event::GeneralRef(reference) => {
                    self.prolog = false;
                    if self.stack.is_empty() {
                        return Err(malformed("reference outside the root element"));
                    }
                    let c = resolve_reference(&reference)?;
                    self.pending.push(c);
                }
                Event::Comment(_) | Event::PI(_) => self.prolog = false,
                Event::Eof => break,
            }
        }
        if let Some(open) = self.stack.last() {
            return Err(XmlError::Malformed(format!(
                "end of body inside element {{{}}}{}",
                open.name.ns, open.name.local
            )));
        }
        self.root.ok_or(XmlError::Empty)
    }

    /// Maps a quick-xml error to ours; a DOCTYPE that quick-xml could not even parse is still
    /// reported as a DOCTYPE, so callers see one consistent refusal.
    fn read_error(&self, before: usize, e: &quick_xml::Error) -> XmlError {
        let rest = self.input.get(before..).unwrap_or("");
        if rest
            .trim_start_matches(|c: char| c.is_ascii() && is_xml_whitespace(c as u8))
            .starts_with("<!DOCTYPE")
        {
            return XmlError::Doctype;
        }
        XmlError::Malformed(format!("{e} (at byte {})", self.reader.error_position()))
    }

    /// Builds the element for a start or empty tag: resolved name and attributes.
    fn start_element(&self, start: &BytesStart<'_>) -> Result<Element, XmlError> {
        if self.root.is_some() {
            return Err(malformed("more than one root element"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(XmlError::TooDeep);
        }
        let raw = start.name();
        if raw.prefix().is_some_and(|p| p.is_xmlns()) {
            return Err(XmlError::Malformed(format!(
                "element {} uses the xmlns prefix",
                raw.0
            )));
        }
        let resolver = self.reader.resolver();
        let (ns, local) = resolver.resolve_element(raw);
        let name = QName {
            ns: namespace_name(ns, raw)?,
            local: local.into_inner().to_owned(),
        };
        if name.local.is_empty() {
            return Err(XmlError::Malformed(format!(
                "element name {} has no local part",
                raw.0
            )));
        }
        if name.ns == NS_XMLNS {
            return Err(malformed("element in the reserved xmlns namespace"));
        }

        let mut attrs: Vec<(QName, String)> = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| XmlError::Malformed(format!("bad attribute: {e}")))?;
            if let Some(binding) = attr.key.as_namespace_binding() {
                if attr.value.contains('<') {
                    return Err(malformed("'<' in a namespace declaration"));
                }
                // quick-xml checks prefixed declarations but not the default one.
                if binding == PrefixDeclaration::Default
                    && (attr.value == NS_XML || attr.value == NS_XMLNS)
                {
                    return Err(malformed(
                        "reserved namespace declared as default namespace",
                    ));
                }
                continue;
            }
            let (ns, local) = resolver.resolve_attribute(attr.key);
            let qname = QName {
                ns: namespace_name(ns, attr.key)?,
                local: local.into_inner().to_owned(),
            };
            if attrs.iter().any(|(q, _)| *q == qname) {
                return Err(XmlError::Malformed(format!(
                    "attribute {{{}}}{} given twice",
                    qname.ns, qname.local
                )));
            }
            if attr.value.contains('<') {
                return Err(XmlError::Malformed(format!(
                    "'<' in attribute {}",
                    attr.key.0
                )));
            }
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| XmlError::Malformed(format!("attribute {}: {e}", attr.key.0)))?;
            check_chars(&value)?;
            attrs.push((qname, value.into_owned()));
        }
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }

    /// Attaches collected character data to the innermost open element.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        if let Some(parent) = self.stack.last_mut() {
            parent.children.push(Node::Text(text));
        }
    }

    /// Completes a closed element: drops whitespace-only text between child elements (it is
    /// indentation, not data) and attaches it to its parent or makes it the root.
    fn finish_element(&mut self, mut element: Element) {
        if element
            .children
            .iter()
            .any(|n| matches!(n, Node::Element(_)))
        {
            element.children.retain(|n| match n {
                Node::Text(t) => !t.bytes().all(is_xml_whitespace),
                Node::Element(_) => true,
            });
        }
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.root = Some(element),
        }
    }
}

/// Turns a resolution result into a namespace URI; an undeclared prefix is not well-formed
/// (per Namespaces in XML).
fn namespace_name(ns: ResolveResult<'_>, raw: RawName<'_>) -> Result<String, XmlError> {
    match ns {
        ResolveResult::Bound(ns) => {
            let uri = ns.into_inner();
            if uri.contains('&') || uri.contains(['\t', '\n', '\r']) {
                // The resolver stores declarations as written; apply attribute-value
                // normalization so `xmlns:a="urn:a&amp;b"` means `urn:a&b`.
                let attr = Attribute {
                    key: RawName("xmlns"),
                    value: Cow::Borrowed(uri),
                };
                let uri = attr
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| {
                        XmlError::Malformed(format!("namespace declaration for {}: {e}", raw.0))
                    })?;
                check_chars(&uri)?;
                Ok(uri.into_owned())
            } else {
                Ok(uri.to_owned())
            }
        }
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(prefix) => Err(XmlError::Malformed(format!(
            "undeclared namespace prefix '{prefix}' in {}",
            raw.0
        ))),
    }
}

/// Resolves `&name;` in character data: the five predefined entities and character references.
/// Anything else would need a DTD, which is refused.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, XmlError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) if is_xml_char(c) => return Ok(c),
        Ok(Some(c)) => {
            return Err(XmlError::Malformed(format!(
                "character reference to U+{:04X}, which XML does not allow",
                u32::from(c)
            )));
        }
        Ok(None) => {}
        Err(e) => return Err(XmlError::Malformed(format!("bad character reference: {e}"))),
    }
    match &**reference {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(XmlError::Malformed(format!("undeclared entity &{other};"))),
    }
}

/// Rejects characters XML 1.0 does not allow (they can only come from character references
/// here: the body itself was checked up front).
fn check_chars(s: &str) -> Result<(), XmlError> {
    match s.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(XmlError::Malformed(format!(
            "character U+{:04X} is not allowed in XML",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

/// The `Char` production of XML 1.0.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The `S` production of XML 1.0.
fn is_xml_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn malformed(msg: &str) -> XmlError {
    XmlError::Malformed(msg.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dav::xml::{NS_APPLE_ICAL, NS_CALDAV, NS_CARDDAV, NS_DAV};

    fn fixture_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/xml")
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = fixture_dir().join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn parse_fixture(name: &str) -> Element {
        parse_document(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn parse(s: &str) -> Result<Element, XmlError> {
        parse_document(s.as_bytes())
    }

    fn child<'a>(e: &'a Element, ns: &str, local: &str) -> &'a Element {
        e.child(ns, local)
            .unwrap_or_else(|| panic!("no {{{ns}}}{local} in {:?}", e.name))
    }

    fn is_malformed(r: &Result<Element, XmlError>) -> bool {
        matches!(r, Err(XmlError::Malformed(_)))
    }

    #[test]
    fn every_corpus_body_parses() {
        let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
            .expect("fixtures/xml")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xml"))
            .collect();
        names.sort();
        assert!(names.len() >= 40, "only {} fixtures", names.len());
        for name in &names {
            let result = parse_document(&fixture(name));
            if name.starts_with("malformed-") {
                assert!(is_malformed(&result), "{name}: {result:?}");
            } else {
                let root = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(!root.name.ns.is_empty(), "{name}: root in no namespace");
            }
        }
    }

    #[test]
    fn ios_filter_before_prop_with_caldav_on_prefix_d() {
        let root = parse_fixture("ios-5-calendar-query-vtodo-filter-before-prop.xml");
        assert!(root.is(NS_CALDAV, "calendar-query"));
        let kids: Vec<&Element> = root.elements().collect();
        assert_eq!(kids.len(), 2);
        assert!(kids[0].is(NS_CALDAV, "filter"));
        assert!(kids[1].is(NS_DAV, "prop"));
        let props: Vec<&str> = kids[1].elements().map(|e| e.name.local.as_str()).collect();
        assert_eq!(props, ["getcontenttype", "getetag"]);
        assert!(kids[1].elements().all(|e| e.name.ns == NS_DAV));
        let vcal = child(kids[0], NS_CALDAV, "comp-filter");
        assert_eq!(vcal.attr("name"), Some("VCALENDAR"));
        assert_eq!(
            child(vcal, NS_CALDAV, "comp-filter").attr("name"),
            Some("VTODO")
        );
        // Indentation between elements is dropped.
        assert!(root.children.iter().all(|n| matches!(n, Node::Element(_))));
    }

    #[test]
    fn thunderbird_mkcalendar_caldav_default_namespace() {
        let root = parse_fixture("thunderbird-lightning-mkcalendar-default-ns.xml");
        assert!(root.is(NS_CALDAV, "mkcalendar"));
        let name = child(
            child(child(&root, NS_DAV, "set"), NS_DAV, "prop"),
            NS_DAV,
            "displayname",
        );
        assert_eq!(name.text(), "A Pretty Name");
    }

    #[test]
    fn soho_mkcalendar_odd_apple_namespace() {
        let root = parse_fixture("soho-organizer-mkcalendar-all-components.xml");
        assert!(root.is(NS_CALDAV, "mkcalendar"));
        let prop = child(child(&root, NS_DAV, "set"), NS_DAV, "prop");
        assert_eq!(
            child(prop, "com.apple.ical:", "calendarcolor").text(),
            "#0000FFFF"
        );
        assert!(prop.child(NS_APPLE_ICAL, "calendarcolor").is_none());
        let comps: Vec<&str> = child(prop, NS_CALDAV, "supported-calendar-component-set")
            .elements()
            .filter_map(|c| c.attr("name"))
            .collect();
        assert_eq!(
            comps,
            ["VEVENT", "VTODO", "VTIMEZONE", "VJOURNAL", "VFREEBUSY"]
        );
    }

    #[test]
    fn default_namespace_switches_and_reverts() {
        let root = parse_fixture("calendar-query-expand.xml");
        assert!(root.is(NS_CALDAV, "calendar-query"));
        let prop = child(&root, NS_DAV, "prop");
        assert!(prop.child(NS_DAV, "getetag").is_some());
        let expand = child(child(prop, NS_CALDAV, "calendar-data"), NS_CALDAV, "expand");
        assert_eq!(expand.attr("start"), Some("$now.year.1:0109T050000Z"));
        // After </prop> the default namespace is CalDAV again.
        let filter = child(&root, NS_CALDAV, "filter");
        let tr = child(
            child(
                child(filter, NS_CALDAV, "comp-filter"),
                NS_CALDAV,
                "comp-filter",
            ),
            NS_CALDAV,
            "time-range",
        );
        assert_eq!(tr.attr("end"), Some("$now.year.1:0110T050000Z"));
    }

    #[test]
    fn cr_character_references_survive_as_crlf() {
        let root = parse_fixture("macos-10.11-proppatch-calendar-timezone.xml");
        let tz = child(
            child(child(&root, NS_DAV, "set"), NS_DAV, "prop"),
            NS_CALDAV,
            "calendar-timezone",
        );
        let text = tz.text();
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text:?}"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
    }

    #[test]
    fn xml_lang_attribute_is_in_the_xml_namespace() {
        let root = parse_fixture("extended-mkcol-addressbook-description.xml");
        let prop = child(child(&root, NS_DAV, "set"), NS_DAV, "prop");
        let rt = child(prop, NS_DAV, "resourcetype");
        assert!(rt.child(NS_DAV, "collection").is_some());
        assert!(rt.child(NS_CARDDAV, "addressbook").is_some());
        let desc = child(prop, NS_CARDDAV, "addressbook-description");
        assert_eq!(
            desc.attrs,
            vec![(QName::new(NS_XML, "lang"), "en".to_owned())]
        );
        assert_eq!(desc.attr("lang"), None);
        assert_eq!(desc.text(), "First CardDAV address book.");
    }

    #[test]
    fn template_placeholder_is_kept_as_text() {
        let root = parse_fixture("macos-10.7-calendar-multiget-template.xml");
        assert!(root.is(NS_CALDAV, "calendar-multiget"));
        assert_eq!(root.text().trim(), "%(hrefs)s");
        let prop = child(&root, NS_DAV, "prop");
        assert!(prop.child(NS_CALDAV, "schedule-tag").is_some());
    }

    #[test]
    fn unclosed_corpus_body_is_malformed() {
        let r = parse_document(&fixture("malformed-propfind-unclosed-allprops.xml"));
        assert!(is_malformed(&r), "{r:?}");
    }

    #[test]
    fn billion_laughs_is_refused_as_doctype() {
        let body = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&lol9;</D:displayname></D:prop></D:propfind>"#;
        assert_eq!(parse(body), Err(XmlError::Doctype));
    }

    #[test]
    fn external_entity_is_refused_as_doctype() {
        let body = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
                    <D:propfind xmlns:D=\"DAV:\"><D:prop>&xxe;</D:prop></D:propfind>";
        assert_eq!(parse(body), Err(XmlError::Doctype));
        assert_eq!(
            parse("<!DOCTYPE a SYSTEM \"http://evil/x.dtd\"><a/>"),
            Err(XmlError::Doctype)
        );
        assert_eq!(parse("<!DOCTYPE a>"), Err(XmlError::Doctype));
        // Even a DOCTYPE quick-xml cannot finish parsing is reported as one.
        assert_eq!(parse("<!DOCTYPE a [<!ENTITY x \""), Err(XmlError::Doctype));
        // Anywhere else it is at least refused.
        assert!(parse("<a><!DOCTYPE a></a>").is_err());
        assert!(parse("<a/><!DOCTYPE a>").is_err());
    }

    #[test]
    fn undeclared_entities_are_malformed() {
        assert!(is_malformed(&parse("<a xmlns=\"DAV:\">&foo;</a>")));
        assert!(is_malformed(&parse("<a xmlns=\"DAV:\" x=\"&foo;\"/>")));
        assert!(is_malformed(&parse("<a>&nbsp;</a>")));
        assert!(is_malformed(&parse("<a>fish & chips</a>")));
        assert!(is_malformed(&parse("<a x=\"fish & chips\"/>")));
        assert!(is_malformed(&parse("<a>&#xZZ;</a>")));
        assert!(is_malformed(&parse("<a>&#0;</a>")));
        assert!(is_malformed(&parse("<a>&#1;</a>")));
        assert!(is_malformed(&parse("<a x=\"&#1;\"/>")));
        assert!(is_malformed(&parse("<a>&#xFFFE;</a>")));
        assert!(is_malformed(&parse("<a>&#x110000;</a>")));
    }

    #[test]
    fn predefined_entities_and_char_refs_are_resolved() {
        let e =
            parse("<a xmlns=\"DAV:\">&amp;&lt;&gt;&quot;&apos; &#228;&#xE4;&#xe4; caf&#233;</a>")
                .unwrap();
        assert_eq!(e.children, vec![Node::Text("&<>\"' äää café".to_owned())]);
        let e = parse("<a x=\"Tom &amp; Jerry &#x41;&#66; &lt;&gt;&quot;&apos;&#228;\"/>").unwrap();
        assert_eq!(e.attr("x"), Some("Tom & Jerry AB <>\"'ä"));
        // Literal whitespace in attributes is normalised; referenced whitespace is kept.
        let e = parse("<a x=\"1\n2\t3\r\n4&#10;5&#13;\"/>").unwrap();
        assert_eq!(e.attr("x"), Some("1 2 3 4\n5\r"));
    }

    #[test]
    fn undeclared_prefixes_are_malformed() {
        assert!(is_malformed(&parse("<D:propfind/>")));
        assert!(is_malformed(&parse(
            "<D:propfind xmlns:D=\"DAV:\"><X:prop/></D:propfind>"
        )));
        assert!(is_malformed(&parse("<a xmlns=\"DAV:\" X:y=\"1\"/>")));
        // A prefix declared on a sibling is out of scope.
        assert!(is_malformed(&parse("<r><a xmlns:p=\"urn:p\"/><p:b/></r>")));
        // The xmlns prefix is reserved for declarations.
        assert!(is_malformed(&parse("<xmlns:a/>")));
        assert!(is_malformed(&parse("<a xmlns:xmlns=\"urn:x\"/>")));
        assert!(is_malformed(&parse("<a xmlns:xml=\"urn:x\"/>")));
    }

    #[test]
    fn prefixes_can_be_rebound_and_default_namespace_undeclared() {
        let e = parse(
            "<a:x xmlns:a=\"urn:1\" xmlns=\"urn:d\"><a:y xmlns:a=\"urn:2\"><a:w/></a:y><a:z/>\
             <plain/><none xmlns=\"\"><deep/></none><b:q xmlns:b=\"urn:3\" b:at=\"v\" at=\"u\"/></a:x>",
        )
        .unwrap();
        assert!(e.is("urn:1", "x"));
        assert_eq!(e.attrs, vec![], "namespace declarations are not attributes");
        let kids: Vec<&Element> = e.elements().collect();
        assert!(kids[0].is("urn:2", "y"));
        assert!(child(kids[0], "urn:2", "w").is("urn:2", "w"));
        assert!(kids[1].is("urn:1", "z"));
        assert!(kids[2].is("urn:d", "plain"));
        assert!(kids[3].is("", "none"));
        assert!(child(kids[3], "", "deep").name.ns.is_empty());
        assert!(kids[4].is("urn:3", "q"));
        assert_eq!(
            kids[4].attrs,
            vec![
                (QName::new("urn:3", "at"), "v".to_owned()),
                (QName::new("", "at"), "u".to_owned())
            ]
        );
        assert_eq!(kids[4].attr("at"), Some("u"));
    }

    #[test]
    fn escaped_namespace_names_are_unescaped() {
        let e = parse("<a xmlns=\"urn:a&amp;b\"/>").unwrap();
        assert_eq!(e.name.ns, "urn:a&b");
    }

    #[test]
    fn duplicate_attributes_are_malformed() {
        assert!(is_malformed(&parse("<a x=\"1\" x=\"2\"/>")));
        assert!(is_malformed(&parse(
            "<a xmlns:p=\"urn:p\" xmlns:q=\"urn:p\" p:x=\"1\" q:x=\"2\"/>"
        )));
        assert!(is_malformed(&parse("<a x=\"<\"/>")));
        assert!(is_malformed(&parse("<a x=1/>")));
    }

    fn nested(depth: usize) -> String {
        let mut s = String::new();
        for _ in 0..depth {
            s.push_str("<D:a xmlns:D=\"DAV:\">");
        }
        for _ in 0..depth {
            s.push_str("</D:a>");
        }
        s
    }

    #[test]
    fn nesting_is_bounded() {
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&nested(MAX_DEPTH + 1)), Err(XmlError::TooDeep));
        assert_eq!(parse(&nested(100)), Err(XmlError::TooDeep));
        assert_eq!(parse(&"<a>".repeat(100_000)), Err(XmlError::TooDeep));
        let mut empty_at_limit = "<a>".repeat(MAX_DEPTH);
        empty_at_limit.push_str("<b/>");
        assert_eq!(parse(&empty_at_limit), Err(XmlError::TooDeep));
    }

    #[test]
    fn truncated_bodies_never_succeed_or_panic() {
        for name in [
            "macos-10.11-proppatch-calendar-timezone.xml",
            "ios-5-calendar-query-vtodo-filter-before-prop.xml",
            "calendar-query-expand.xml",
            "extended-mkcol-addressbook-description.xml",
            "macos-10.11-calendarhome-propfind-depth1.xml",
        ] {
            let body = fixture(name);
            let complete = body.trim_ascii_end();
            assert!(parse_document(&body).is_ok(), "{name}");
            for len in 0..body.len() {
                let prefix = &body[..len];
                let result = parse_document(prefix);
                if prefix.trim_ascii_end() == complete {
                    assert!(result.is_ok(), "{name}[..{len}]: {result:?}");
                } else {
                    assert!(result.is_err(), "{name}[..{len}] parsed: {result:?}");
                }
            }
        }
    }

    #[test]
    fn mutated_bodies_never_panic() {
        let bodies: Vec<Vec<u8>> = [
            "calendar-query-expand.xml",
            "macos-10.11-mkcalendar-color-timezone.xml",
        ]
        .iter()
        .map(|n| fixture(n))
        .collect();
        let specials = b"<>&;:/=\"'![]?#x\xC3\xFF\x00 -";
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..4000 {
            let mut body = bodies[round % bodies.len()].clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % body.len();
                let byte = specials[(next() as usize) % specials.len()];
                match next() % 3 {
                    0 => body[at] = byte,
                    1 => body.insert(at, byte),
                    _ => {
                        body.remove(at);
                    }
                }
            }
            let _ = parse_document(&body);
        }
    }

    #[test]
    fn random_token_soup_never_panics() {
        let tokens = [
            "<a>",
            "</a>",
            "<p:b xmlns:p='urn:p'>",
            "</p:b>",
            "<c/>",
            "<d x='1' y=\"&amp;\">",
            "</d>",
            "&amp;",
            "&#",
            "x41",
            ";",
            "&",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<?",
            "?>",
            "<?xml",
            "<!DOCTYPE",
            "<!ENTITY",
            "\"",
            "'",
            "=",
            " ",
            "xmlns",
            ":",
            "text",
            "\u{e4}",
            "\r\n",
            ">",
            "<",
            "/",
            "/>",
            "<q:r>",
            "xmlns:q=''",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut body = String::new();
        for _ in 0..20_000 {
            body.clear();
            for _ in 0..1 + next() % 24 {
                body.push_str(tokens[(next() as usize) % tokens.len()]);
            }
            let _ = parse(&body);
        }
    }

    #[test]
    fn cdata_comments_and_pis() {
        let e = parse(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- lead --><?pi x?>\
             <a xmlns=\"DAV:\">x<![CDATA[<y>&amp;]]>z<!-- c -->1<?p?>2</a>\n<!-- trail -->\n<?pi y?>\n",
        )
        .unwrap();
        assert_eq!(e.children, vec![Node::Text("x<y>&amp;z12".to_owned())]);
    }

    #[test]
    fn whitespace_only_text_is_kept_in_leaf_elements() {
        let e = parse("<a xmlns=\"DAV:\">\n <b>  </b>\n <c/>\n</a>").unwrap();
        assert_eq!(e.children.len(), 2);
        assert_eq!(child(&e, NS_DAV, "b").text(), "  ");
        let e = parse("<a> x <b/> y </a>").unwrap();
        assert_eq!(e.text(), " x  y ");
    }

    #[test]
    fn line_ends_in_text_are_normalised() {
        let e = parse("<a>1\r\n2\r3\n4</a>").unwrap();
        assert_eq!(e.text(), "1\n2\n3\n4");
    }

    #[test]
    fn bom_and_declaration_are_tolerated() {
        let e = parse_document(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a xmlns=\"DAV:\"/>").unwrap();
        assert!(e.is(NS_DAV, "a"));
        let e = parse("\n  <?xml version=\"1.0\"?>\n<a/>").unwrap();
        assert!(e.is("", "a"));
        assert!(is_malformed(&parse("<a><?xml version=\"1.0\"?></a>")));
        assert!(is_malformed(&parse(
            "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><a/>"
        )));
    }

    #[test]
    fn non_utf8_is_malformed() {
        assert!(is_malformed(&parse_document(b"<a>caf\xE9</a>")));
        assert!(is_malformed(&parse_document(
            b"\xFF\xFE<\x00a\x00/\x00>\x00"
        )));
        assert!(is_malformed(&parse_document(b"<a>\x01</a>")));
        assert!(is_malformed(&parse_document(b"<a>\x00</a>")));
    }

    #[test]
    fn empty_bodies() {
        assert_eq!(parse(""), Err(XmlError::Empty));
        assert_eq!(parse(" \r\n\t "), Err(XmlError::Empty));
        assert_eq!(parse_document(b"\xEF\xBB\xBF"), Err(XmlError::Empty));
        assert_eq!(parse("<?xml version=\"1.0\"?>\n"), Err(XmlError::Empty));
        assert_eq!(parse("<!-- nothing -->"), Err(XmlError::Empty));
    }

    #[test]
    fn structure_errors_are_malformed() {
        for body in [
            "<a></b>",
            "<D:a xmlns:D=\"DAV:\" xmlns:E=\"DAV:\"></E:a>",
            "</a>",
            "<a></a></a>",
            "<a/><b/>",
            "<a/>text",
            "text<a/>",
            "<a/><![CDATA[x]]>",
            "<a/>&amp;",
            "<a>",
            "<a><b></a>",
            "<a",
            "<a b=\"1\"",
            "<a><!-- unterminated </a>",
            "<a><!-- a -- b --></a>",
            "<a><![CDATA[x</a>",
            "<:a/>",
            "<p:/>",
            "<a xmlns=\"http://www.w3.org/2000/xmlns/\"/>",
            "<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
        ] {
            let r = parse(body);
            assert!(is_malformed(&r), "{body:?}: {r:?}");
        }
    }
}
