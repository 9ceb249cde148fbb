//! A light component tree of iCalendar or vCard text (names, parameters, values), for
//! evaluating query filters against stored objects. Validation has already happened at PUT, so
//! this reads leniently and never fails on a stored object.

use super::lines::{Format, colon_outside_quotes, split_unquoted, unfold};

/// A property: upper-cased name (vCard group prefix removed), parameters, raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Upper-case name.
    pub name: String,
    /// The vCard group prefix (`item1` of `item1.X-ABDATE`) in upper case, which ties Apple's
    /// labels (`itemN.X-ABLABEL`) to the property they name; `None` without one.
    pub group: Option<String>,
    /// Parameters: upper-case name and its values (quotes removed, comma lists split).
    pub params: Vec<(String, Vec<String>)>,
    /// The value as written (escapes not resolved).
    pub value: String,
}

impl Property {
    /// The values of parameter `name` (upper case), if present.
    pub fn param(&self, name: &str) -> Option<&[String]> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The value with TEXT escapes (`\\`, `\;`, `\,`, `\n`) resolved, as text-match compares it.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// `raw` with TEXT escapes (`\\`, `\;`, `\,`, `\n`) resolved: the one reading of escaped text,
/// for whole values ([`Property::text`]) and for the components of structured ones.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A component with its properties and sub-components, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Component {
    /// Upper-case name (`VCALENDAR`, `VEVENT`, `VCARD`, ...).
    pub name: String,
    /// Properties.
    pub properties: Vec<Property>,
    /// Sub-components.
    pub components: Vec<Component>,
}

impl Component {
    /// Properties named `name` (upper case).
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> {
        self.properties.iter().filter(move |p| p.name == name)
    }

    /// Sub-components named `name` (upper case).
    pub fn components_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Component> {
        self.components.iter().filter(move |c| c.name == name)
    }
}

/// Splits `;`-separated parameters, honouring double quotes.
fn parse_params(params: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for seg in split_unquoted(params, ';')
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (name, value) = match seg.split_once('=') {
            Some((n, v)) => (n.trim().to_ascii_uppercase(), v),
            // vCard 2.1/3.0 bare types (`TEL;CELL:`) mean TYPE=CELL.
            None => ("TYPE".to_owned(), seg),
        };
        let values: Vec<String> = split_unquoted(value, ',')
            .into_iter()
            .map(|v| v.replace('"', ""))
            .collect();
        match out
            .iter_mut()
            .find(|(n, _): &&mut (String, Vec<String>)| *n == name)
        {
            Some((_, existing)) => existing.extend(values),
            None => out.push((name, values)),
        }
    }
    out
}

/// Parses the text of a stored object into its root component; None when it has none.
pub fn parse(body: &[u8]) -> Option<Component> {
    let text = std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)).ok()?;
    let lines = unfold(text, Format::ICalendar).ok()?;
    let mut stack: Vec<Component> = Vec::new();
    let mut root = None;
    for line in &lines {
        let text = line.text.as_str();
        let Some(name_end) = text.find([';', ':']) else {
            continue;
        };
        let full_name = text[..name_end].trim();
        let (group, name) = match full_name.rsplit_once('.') {
            Some((group, name)) => (Some(group.to_ascii_uppercase()), name.to_ascii_uppercase()),
            None => (None, full_name.to_ascii_uppercase()),
        };
        let rest = &text[name_end..];
        let Some(colon) = colon_outside_quotes(rest) else {
            continue;
        };
        let value = &rest[colon + 1..];
        match name.as_str() {
            "BEGIN" => stack.push(Component {
                name: value.trim().to_ascii_uppercase(),
                ..Default::default()
            }),
            "END" => {
                let done = stack.pop()?;
                match stack.last_mut() {
                    Some(parent) => parent.components.push(done),
                    None => {
                        root = Some(done);
                        break;
                    }
                }
            }
            _ => {
                let params = rest[..colon]
                    .strip_prefix(';')
                    .map(parse_params)
                    .unwrap_or_default();
                stack.last_mut()?.properties.push(Property {
                    name,
                    group,
                    params,
                    value: value.to_owned(),
                });
            }
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_tree_with_params_and_groups() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nATTENDEE;CN=\"Doe, J\";ROLE=CHAIR:mailto:j@x\r\nSUMMARY:a\\, b\r\n  c\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let root = parse(text.as_bytes()).unwrap();
        assert_eq!(root.name, "VCALENDAR");
        let ev = root.components_named("VEVENT").next().unwrap();
        let att = ev.properties_named("ATTENDEE").next().unwrap();
        assert_eq!(att.param("CN"), Some(&["Doe, J".to_owned()][..]));
        assert_eq!(att.value, "mailto:j@x");
        assert_eq!(
            ev.properties_named("SUMMARY").next().unwrap().text(),
            "a, b c"
        );
        assert_eq!(ev.components_named("VALARM").count(), 1);
    }

    #[test]
    fn vcard_groups_and_bare_types() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.EMAIL;type=INTERNET;type=WORK:a@b\r\nTEL;CELL:1\r\nEND:VCARD\r\n";
        let card = parse(text.as_bytes()).unwrap();
        let email = card.properties_named("EMAIL").next().unwrap();
        assert_eq!(email.group.as_deref(), Some("ITEM1"));
        assert_eq!(card.properties_named("TEL").next().unwrap().group, None);
        assert_eq!(
            email.param("TYPE"),
            Some(&["INTERNET".to_owned(), "WORK".to_owned()][..])
        );
        assert_eq!(
            card.properties_named("TEL").next().unwrap().param("TYPE"),
            Some(&["CELL".to_owned()][..])
        );
    }

    #[test]
    fn broken_text_gives_none_not_a_panic() {
        for t in ["", "END:VEVENT\r\n", "BEGIN:VCALENDAR\r\n", "\u{0}\u{1}"] {
            let _ = parse(t.as_bytes());
        }
        assert!(parse(b"\xff\xfe").is_none());
    }
}
