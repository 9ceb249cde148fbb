//! Editing a vCard from a form: the values people edit in the web view (FN, the family and
//! given names of N, EMAIL, TEL, ADR, the organisation name of ORG, TITLE, BDAY, NOTE, URL)
//! read from a stored card, and patched back into it at line level. Every other line stays as
//! the client wrote it (PHOTO, X- properties, `itemN.` groups, CATEGORIES, the VERSION), and
//! so does every edited line whose value did not change: a client's data is never lost by an
//! edit in the browser. vCard 3.0 and 4.0 only; older cards (2.1, quoted-printable) are shown,
//! not edited.

use chrono::NaiveDate;

use super::blocks::{Logical, Text};
use super::tree::Property;
use super::write::{escape_text, fold_into};

/// A postal address as the form edits it (ADR's PO box and extended address are kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Street (ADR component 3).
    pub street: String,
    /// Locality: the city.
    pub locality: String,
    /// Region.
    pub region: String,
    /// Postal code.
    pub postal_code: String,
    /// Country.
    pub country: String,
}

impl Address {
    fn parts(&self) -> Vec<String> {
        vec![
            self.street.clone(),
            self.locality.clone(),
            self.region.clone(),
            self.postal_code.clone(),
            self.country.clone(),
        ]
    }

    fn from_parts(p: &[String]) -> Address {
        let at = |i: usize| p.get(i).cloned().unwrap_or_default();
        Address {
            street: at(0),
            locality: at(1),
            region: at(2),
            postal_code: at(3),
            country: at(4),
        }
    }
}

/// The values of a card the form edits. Lists are positional: value `i` is the `i`-th line
/// of the property, an empty value removes that line, values past the last line add lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardForm {
    /// FN (required).
    pub full_name: String,
    /// N's family name.
    pub family: String,
    /// N's given name.
    pub given: String,
    /// ORG's organisation name (its units are kept).
    pub org: String,
    /// TITLE.
    pub title: String,
    /// EMAIL values.
    pub emails: Vec<String>,
    /// TEL values (a `tel:` URI shown as its number).
    pub phones: Vec<String>,
    /// ADR values.
    pub addresses: Vec<Address>,
    /// URL values.
    pub urls: Vec<String>,
    /// BDAY as `YYYY-MM-DD` or, without a year, `--MM-DD` (the stored text when it is
    /// neither).
    pub birthday: String,
    /// NOTE, lines separated by `\n`.
    pub note: String,
}

/// Why a card cannot be edited or the form cannot be written into it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// Not a vCard 3.0 or 4.0 (a 2.1 card, or not a card at all).
    #[error("only vCard 3.0 and 4.0 cards can be edited here (this one is {0})")]
    NotEditable(String),
    /// The form has no name: FN is required.
    #[error("a contact needs a name")]
    MissingName,
    /// A birthday that is not a date.
    #[error("{0:?} is not a date (YYYY-MM-DD, or --MM-DD without a year)")]
    Birthday(String),
}

/// vCard versions the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V3,
    V4,
}

/// How a property's value is cut into what the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One TEXT value.
    Text,
    /// A URI, written as it is.
    Uri,
    /// TEL: text, or a `tel:` URI with `VALUE=uri`.
    Phone,
    /// BDAY: a date, with or without a year.
    Date,
    /// Structured (`;`-separated components): the form edits those at these indices.
    Parts(&'static [usize]),
}

/// An edited property.
#[derive(Debug, Clone, Copy)]
struct Field {
    name: &'static str,
    shape: Shape,
    /// Whether the form edits every line of it (`false`: only the first; more stay as written).
    multi: bool,
}

const FN: Field = field("FN", Shape::Text, false);
const N: Field = field("N", Shape::Parts(&[0, 1]), false);
const ORG: Field = field("ORG", Shape::Parts(&[0]), false);
const TITLE: Field = field("TITLE", Shape::Text, false);
const EMAIL: Field = field("EMAIL", Shape::Text, true);
const TEL: Field = field("TEL", Shape::Phone, true);
const ADR: Field = field("ADR", Shape::Parts(&[2, 3, 4, 5, 6]), true);
const URL: Field = field("URL", Shape::Uri, true);
const BDAY: Field = field("BDAY", Shape::Date, false);
const NOTE: Field = field("NOTE", Shape::Text, false);

/// Every edited property, in the order new lines are added.
const FIELDS: [Field; 10] = [FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL, BDAY, NOTE];

const fn field(name: &'static str, shape: Shape, multi: bool) -> Field {
    Field { name, shape, multi }
}

/// Apple's marker year for a birthday without one (`X-APPLE-OMIT-YEAR=1604`).
const OMITTED_YEAR: &str = "1604";

/// The card's text cut into lines, with the version and the root's line range.
struct Card<'a> {
    text: Text<'a>,
    version: Version,
    /// Index of the root's `END` line.
    end: usize,
}

impl<'a> Card<'a> {
    fn read(body: &'a [u8]) -> Result<Card<'a>, ComposeError> {
        let not_card = || ComposeError::NotEditable("not a vCard".into());
        let text = std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body))
            .map_err(|_| not_card())?;
        let text = Text::new(text);
        let end = text
            .logical
            .iter()
            .rposition(|l| l.name() == "END")
            .ok_or_else(not_card)?;
        let version = text
            .logical
            .iter()
            .find(|l| l.name() == "VERSION")
            .map(|l| l.value().trim().to_owned())
            .unwrap_or_default();
        let version = match version.as_str() {
            "3.0" => Version::V3,
            "4.0" => Version::V4,
            other => return Err(ComposeError::NotEditable(format!("version {other:?}"))),
        };
        Ok(Card { text, version, end })
    }

    /// The lines of `field`, by index into the logical lines.
    fn lines_of(&self, field: Field) -> Vec<usize> {
        let all = (0..self.end).filter(|&i| self.text.logical[i].name() == field.name);
        if field.multi {
            all.collect()
        } else {
            all.take(1).collect()
        }
    }
}

/// A line's parameters, as `tree::Property` reads them.
fn property(line: &Logical<'_>) -> Property {
    let prefix = &line.text[..line.text.len() - line.value().len()];
    let params = prefix
        .trim_end_matches(':')
        .split_once(';')
        .map_or("", |(_, p)| p);
    let props = super::tree::parse(
        format!(
            "BEGIN:X\r\nX;{params}:{}\r\nEND:X\r\n",
            line.value().replace(['\r', '\n'], "")
        )
        .as_bytes(),
    );
    let params = props
        .and_then(|c| c.properties.into_iter().next())
        .map(|p| p.params)
        .unwrap_or_default();
    Property {
        name: line.name(),
        group: None,
        params,
        value: line.value().to_owned(),
    }
}

/// Resolves TEXT escapes.
fn unescape(raw: &str) -> String {
    Property {
        name: String::new(),
        group: None,
        params: Vec::new(),
        value: raw.to_owned(),
    }
    .text()
}

/// The raw components of a structured value: split at `;` not escaped by a backslash.
fn components(raw: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ';' => {
                out.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&raw[start..]);
    out
}

fn has_value_uri(p: &Property) -> bool {
    p.param("VALUE")
        .is_some_and(|v| v.iter().any(|v| v.eq_ignore_ascii_case("uri")))
}

/// What the form shows for a line: one string per edited component.
fn decode(field: Field, line: &Logical<'_>) -> Vec<String> {
    let raw = line.value();
    match field.shape {
        Shape::Text | Shape::Uri => vec![unescape(raw).trim().to_owned()],
        Shape::Phone => {
            let text = unescape(raw);
            let text = text.trim();
            let number = match text.get(..4) {
                Some(p) if p.eq_ignore_ascii_case("tel:") => &text[4..],
                _ => text,
            };
            vec![number.to_owned()]
        }
        Shape::Date => vec![show_date(&property(line))],
        Shape::Parts(indices) => {
            let parts = components(raw);
            indices
                .iter()
                .map(|&i| unescape(parts.get(i).unwrap_or(&"")).trim().to_owned())
                .collect()
        }
    }
}

/// A BDAY as the form shows it: `YYYY-MM-DD`, `--MM-DD` without a year, else its text.
fn show_date(p: &Property) -> String {
    let text = p.text();
    let v = text.trim();
    let digits: String = v
        .split('T')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| *c != '-')
        .collect();
    let omitted = p.param("X-APPLE-OMIT-YEAR").is_some();
    if v.starts_with("--") && digits.len() == 4 {
        return format!("--{}-{}", &digits[..2], &digits[2..]);
    }
    if digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()) {
        let (y, m, d) = (&digits[..4], &digits[4..6], &digits[6..]);
        return if omitted {
            format!("--{m}-{d}")
        } else {
            format!("{y}-{m}-{d}")
        };
    }
    v.to_owned()
}

/// A birthday typed in the form: (year, month, day) of `YYYY-MM-DD`, `--MM-DD`, `YYYYMMDD`
/// or `--MMDD`.
fn parse_date(text: &str) -> Result<(Option<i32>, u32, u32), ComposeError> {
    let bad = || ComposeError::Birthday(text.to_owned());
    let t = text.trim();
    let (year, rest) = match t.strip_prefix("--") {
        Some(rest) => (None, rest.replace('-', "")),
        None => {
            let digits = t.replace('-', "");
            if digits.len() != 8 {
                return Err(bad());
            }
            (
                Some(digits[..4].parse::<i32>().map_err(|_| bad())?),
                digits[4..].to_owned(),
            )
        }
    };
    if rest.len() != 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let month: u32 = rest[..2].parse().map_err(|_| bad())?;
    let day: u32 = rest[2..].parse().map_err(|_| bad())?;
    // A year-less date is checked against a leap year, so 29 February is one.
    NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).ok_or_else(bad)?;
    Ok((year, month, day))
}

/// The line for `field` with form values `new`, from the line it replaces (`None`: a new
/// line). `None` when the values are empty and the line goes.
fn encode(
    field: Field,
    version: Version,
    old: Option<&Logical<'_>>,
    new: &[String],
) -> Result<Option<String>, ComposeError> {
    let empty = new.iter().all(|v| v.trim().is_empty());
    // N stays, emptied: vCard 3.0 requires it.
    if empty && field.name != N.name {
        return Ok(None);
    }
    let prefix = old.map_or_else(
        || format!("{}:", field.name),
        |l| l.text[..l.text.len() - l.value().len()].to_owned(),
    );
    let clean = |v: &str| v.trim().replace(['\r', '\n'], " ");
    let value = match field.shape {
        Shape::Text => escape_text(new[0].trim()),
        Shape::Uri => clean(&new[0]),
        Shape::Phone => {
            let number = clean(&new[0]);
            match old.map(property) {
                Some(p) if has_value_uri(&p) => format!("tel:{}", number.replace(' ', "-")),
                _ => escape_text(&number),
            }
        }
        Shape::Date => {
            let (year, month, day) = parse_date(&new[0])?;
            let group = old.and_then(|l| {
                let name_end = l.text.find([';', ':']).unwrap_or(0);
                l.text[..name_end]
                    .rsplit_once('.')
                    .map(|(g, _)| g.to_owned())
            });
            let name = match group {
                Some(g) => format!("{g}.BDAY"),
                None => "BDAY".to_owned(),
            };
            let line = match (version, year) {
                (Version::V4, Some(y)) => format!("{name}:{y:04}{month:02}{day:02}"),
                (Version::V4, None) => format!("{name}:--{month:02}{day:02}"),
                (Version::V3, Some(y)) => format!("{name}:{y:04}-{month:02}-{day:02}"),
                (Version::V3, None) => format!(
                    "{name};X-APPLE-OMIT-YEAR={OMITTED_YEAR}:{OMITTED_YEAR}-{month:02}-{day:02}"
                ),
            };
            return Ok(Some(line));
        }
        Shape::Parts(indices) => {
            let mut parts: Vec<String> = old
                .map(|l| {
                    components(l.value())
                        .into_iter()
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let len = match field.name {
                "N" => 5,
                "ADR" => 7,
                _ => 1,
            };
            if parts.len() < len {
                parts.resize(len, String::new());
            }
            for (&i, v) in indices.iter().zip(new) {
                parts[i] = escape_text(v.trim());
            }
            parts.join(";")
        }
    };
    Ok(Some(format!("{prefix}{value}")))
}

/// The group prefix of a line (`item1` of `item1.EMAIL`), if any.
fn group_of(line: &Logical<'_>) -> Option<String> {
    let name_end = line.text.find([';', ':']).unwrap_or(line.text.len());
    line.text[..name_end]
        .trim()
        .rsplit_once('.')
        .map(|(g, _)| g.to_ascii_uppercase())
}

/// Reads what the form edits from a stored card.
pub fn read_form(body: &[u8]) -> Result<CardForm, ComposeError> {
    let card = Card::read(body)?;
    let values = |field: Field| -> Vec<Vec<String>> {
        card.lines_of(field)
            .into_iter()
            .map(|i| decode(field, &card.text.logical[i]))
            .collect()
    };
    let first = |field: Field| values(field).into_iter().next().unwrap_or_default();
    let single = |field: Field| first(field).into_iter().next().unwrap_or_default();
    let list = |field: Field| -> Vec<String> {
        values(field)
            .into_iter()
            .filter_map(|v| v.into_iter().next())
            .collect()
    };
    let n = first(N);
    Ok(CardForm {
        full_name: single(FN),
        family: n.first().cloned().unwrap_or_default(),
        given: n.get(1).cloned().unwrap_or_default(),
        org: single(ORG),
        title: single(TITLE),
        emails: list(EMAIL),
        phones: list(TEL),
        addresses: values(ADR).iter().map(|p| Address::from_parts(p)).collect(),
        urls: list(URL),
        birthday: single(BDAY),
        note: single(NOTE),
    })
}

/// The form's values of `field`, one list of components per line.
fn form_values(form: &CardForm, field: Field) -> Vec<Vec<String>> {
    let one = |v: &str| vec![vec![v.to_owned()]];
    let many = |vs: &[String]| vs.iter().map(|v| vec![v.clone()]).collect();
    match field.name {
        "FN" => one(&form.full_name),
        "N" => vec![vec![form.family.clone(), form.given.clone()]],
        "ORG" => one(&form.org),
        "TITLE" => one(&form.title),
        "EMAIL" => many(&form.emails),
        "TEL" => many(&form.phones),
        "ADR" => form.addresses.iter().map(Address::parts).collect(),
        "URL" => many(&form.urls),
        "BDAY" => one(&form.birthday),
        _ => one(&form.note.replace("\r\n", "\n")),
    }
}

/// `body` with the form's values written in: changed lines rewritten (their group prefix and
/// parameters kept), emptied ones removed (with the `X-AB…` label lines of their `itemN.`
/// group), new ones added before `END`; every other line byte for byte as it was.
pub fn patch(body: &[u8], form: &CardForm) -> Result<Vec<u8>, ComposeError> {
    if form.full_name.trim().is_empty() {
        return Err(ComposeError::MissingName);
    }
    let card = Card::read(body)?;
    let logical = &card.text.logical;
    // What becomes of each edited line: `Some(None)` removed, `Some(Some(text))` rewritten.
    let mut replaced: Vec<Option<Option<String>>> = vec![None; logical.len()];
    let mut added = String::new();
    let mut dropped_groups = Vec::new();
    for field in FIELDS {
        let lines = card.lines_of(field);
        let values = form_values(form, field);
        for (slot, new) in values.iter().enumerate() {
            let old = lines.get(slot).map(|&i| &logical[i]);
            let trimmed: Vec<String> = new.iter().map(|v| v.trim().to_owned()).collect();
            match old {
                Some(line) if decode(field, line) == trimmed => {}
                Some(line) => {
                    let text = encode(field, card.version, Some(line), new)?;
                    if text.is_none()
                        && let Some(g) = group_of(line)
                    {
                        dropped_groups.push(g);
                    }
                    replaced[lines[slot]] = Some(text);
                }
                None if trimmed.iter().all(String::is_empty) => {}
                None => {
                    if let Some(text) = encode(field, card.version, None, new)? {
                        fold_into(&mut added, &text);
                    }
                }
            }
        }
    }
    if added.is_empty() && replaced.iter().all(Option::is_none) {
        return Ok(body.to_vec());
    }
    let mut out = Vec::with_capacity(body.len() + added.len());
    for (i, line) in logical.iter().enumerate() {
        if i == card.end {
            out.extend_from_slice(added.as_bytes());
        }
        match &replaced[i] {
            Some(None) => {}
            Some(Some(text)) => {
                let mut folded = String::new();
                fold_into(&mut folded, text);
                out.extend_from_slice(folded.as_bytes());
            }
            None => {
                let label = line.name().starts_with("X-AB")
                    && group_of(line).is_some_and(|g| dropped_groups.contains(&g));
                if !label {
                    card.text.write_raw(i, i, &mut out);
                }
            }
        }
    }
    Ok(out)
}

/// A new vCard 3.0 (what every client reads) with UID `uid` and the form's values.
pub fn new_card(uid: &str, form: &CardForm) -> Result<Vec<u8>, ComposeError> {
    let mut template = String::new();
    for line in [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//davsuite//web view//EN",
        &format!("UID:{}", escape_text(uid)),
        // vCard 3.0 requires N (RFC 2426 §3.1.2); the form fills it in.
        "N:;;;;",
        "END:VCARD",
    ] {
        fold_into(&mut template, line);
    }
    patch(template.as_bytes(), form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::validate_vcard;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/vcard/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A fixture with a UID (some have none, which validation requires).
    fn with_uid(name: &str) -> Vec<u8> {
        let body = text(&fixture(name));
        if body.contains("\nUID") {
            return body.into_bytes();
        }
        body.replacen("END:VCARD", "UID:fixture\r\nEND:VCARD", 1)
            .into_bytes()
    }

    fn text(b: &[u8]) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    /// The lines of a card other than the edited properties', unfolded.
    fn untouched(body: &[u8]) -> Vec<String> {
        let t = text(body).replace('\r', "").replace("\n ", "");
        t.lines()
            .filter(|l| {
                let name_end = l.find([';', ':']).unwrap_or(l.len());
                let name = l[..name_end].rsplit('.').next().unwrap_or("");
                !FIELDS.iter().any(|f| f.name.eq_ignore_ascii_case(name))
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn an_unchanged_form_changes_no_byte() {
        for name in [
            "iphone-vcard3-photo-itemN-xablabel.vcf",
            "rfc6350-example-vcard4.vcf",
            "apple-addressbook-all-custom-fields.vcf",
            "thunderbird-cardbook-bday-1604-no-year.vcf",
            "google-contacts-vcard3-custom-labels.vcf",
            "vcard4-photo-data-uri.vcf",
        ] {
            let body = fixture(name);
            let form = read_form(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(patch(&body, &form).unwrap() == body, "{name}");
        }
    }

    #[test]
    fn edits_keep_photo_labels_and_other_properties() {
        let body = with_uid("iphone-vcard3-photo-itemN-xablabel.vcf");
        let mut form = read_form(&body).unwrap();
        assert_eq!(form.family, "Doe");
        assert_eq!(form.given, "John");
        assert_eq!(form.org, "IBM");
        assert_eq!(form.emails, ["john.doe@ibm.com"]);
        assert_eq!(form.urls, ["http://www.ibm.com"]);
        assert_eq!(form.birthday, "2012-06-06");
        assert_eq!(form.addresses[1].street, "Street4\nBuilding 6\nFloor 8");
        form.full_name = "Johnny Doe".into();
        form.given = "Johnny".into();
        form.org = "IBM, Inc; R&D".into();
        form.emails = vec!["johnny@ibm.com".into(), "j@home.example".into()];
        // The assistant's phone (item2, labelled) goes, with its label.
        form.phones[6] = String::new();
        form.birthday = "--06-07".into();
        form.note = "line one\r\nline two".into();
        let out = patch(&body, &form).unwrap();
        let t = text(&out);
        validate_vcard(&out).expect("still a valid vCard");
        let mut kept = untouched(&body);
        kept.retain(|l| !l.starts_with("item2.X-ABLabel"));
        assert!(untouched(&out) == kept, "every other line kept");
        assert!(t.contains("\r\nFN:Johnny Doe\r\n"), "{t}");
        assert!(
            t.contains("\r\nN:Doe;Johnny;Richter,James;Mr.;Sr.\r\n"),
            "{t}"
        );
        assert!(
            t.contains("\r\nORG:IBM\\, Inc\\; R&D;Accounting\r\n"),
            "{t}"
        );
        assert!(t.contains("\r\nitem1.EMAIL;type=INTERNET;type=pref:johnny@ibm.com\r\n"));
        assert!(t.contains("\r\nEMAIL:j@home.example\r\n"), "{t}");
        assert!(
            !t.contains("905-222-1234") && !t.contains("AssistantPhone"),
            "{t}"
        );
        assert!(
            t.contains("\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-06-07\r\n"),
            "{t}"
        );
        assert!(
            t.contains("\r\nNOTE:line one\\nline two\r\nEND:VCARD\r\n"),
            "{t}"
        );
        assert!(
            t.contains("item5.URL;type=pref:http\\://www.ibm.com"),
            "kept as written"
        );
        assert_eq!(read_form(&out).unwrap().birthday, "--06-07");
    }

    #[test]
    fn version_4_keeps_its_forms() {
        let body = with_uid("rfc6350-example-vcard4.vcf");
        let mut form = read_form(&body).unwrap();
        assert_eq!(form.birthday, "--02-03");
        assert_eq!(form.phones[0], "+1-418-656-9254;ext=102");
        assert_eq!(form.addresses[0].locality, "Quebec");
        form.phones[1] = "+1 418 555 0000".into();
        form.phones.push("022 555 00 11".into());
        form.birthday = "1970-02-03".into();
        form.addresses[0].country = "Canada; QC".into();
        let out = patch(&body, &form).unwrap();
        validate_vcard(&out).expect("valid");
        let t = text(&out).replace("\r\n ", "");
        assert!(t.contains("VERSION:4.0\r\n"));
        assert!(
            t.contains("TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-555-0000\r\n"),
            "{t}"
        );
        assert!(
            t.contains("TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\r\n")
        );
        assert!(t.contains("\r\nTEL:022 555 00 11\r\n"), "{t}");
        assert!(t.contains("\r\nBDAY:19700203\r\n"), "{t}");
        assert!(
            t.contains(
                "ADR;TYPE=work:;Suite D2-630;2875 Laurier;Quebec;QC;G1V 2M2;Canada\\; QC\r\n"
            ),
            "{t}"
        );
        assert!(t.contains("GEO;TYPE=work:geo:46.772673,-71.282945\r\n"));
    }

    #[test]
    fn new_cards_are_valid_version_3_cards() {
        let form = CardForm {
            full_name: "Zoé <b>&amp;".into(),
            family: "Zoé".into(),
            emails: vec![String::new(), "zoe@example.org".into()],
            birthday: "--02-29".into(),
            ..CardForm::default()
        };
        let out = new_card("urn:uuid:1", &form).unwrap();
        validate_vcard(&out).expect("valid");
        let t = text(&out);
        assert!(t.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"), "{t}");
        assert!(
            t.contains(
                "\r\nUID:urn:uuid:1\r\nN:Zoé;;;;\r\nFN:Zoé <b>&amp\\;\r\nEMAIL:zoe@example.org\r\n"
            ),
            "{t}"
        );
        let back = read_form(&out).unwrap();
        assert_eq!(back.emails, ["zoe@example.org"]);
        assert_eq!(back.birthday, "--02-29");
    }

    #[test]
    fn bad_forms_and_old_cards_are_refused() {
        let body = fixture("rfc6350-example-vcard4.vcf");
        let mut form = read_form(&body).unwrap();
        form.full_name = "  ".into();
        assert_eq!(patch(&body, &form), Err(ComposeError::MissingName));
        for bad in ["2025-02-30", "tomorrow", "--13-01", "1980-5-1"] {
            form.full_name = "X".into();
            form.birthday = bad.into();
            assert!(
                matches!(patch(&body, &form), Err(ComposeError::Birthday(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            read_form(&fixture("outlook-2003-vcard21.vcf")),
            Err(ComposeError::NotEditable(_))
        ));
    }
}
