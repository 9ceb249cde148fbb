//! Shaping a stored vCard for CARDDAV:address-data (RFC 6352 §10.4): partial retrieval (only
//! the named properties) and conversion between vCard 3.0 and 4.0 (RFC 6352 §5.1.1).
//!
//! Decisions:
//! - Line level, not calcard's `VCard::write_to(out, version)`: that writer re-serialises every
//!   property (adds `CHARSET=UTF-8` to non-ASCII 3.0 text, rewrites REV and dates, escapes the
//!   comma of a `data:` URI as `base64\,`) and its conversion is shallow (a 4.0 PHOTO keeps
//!   `TYPE=JPEG`, `PREF=1` and `KIND` stay in 3.0 output). Here a property the conversion does
//!   not concern keeps its name, group, parameters and value as the client wrote them.
//! - Nothing asked, nothing touched: an identity request gives back the stored bytes.
//! - BEGIN, END, VERSION and UID are always returned (a card without them is not a card).
//! - The output is unfolded and refolded at 75 octets on character boundaries, with CRLF.
//! - A body that is not UTF-8 (never stored: PUT validation refuses it) is returned unchanged.

use std::borrow::Cow;

use super::lines::{Format, colon_outside_quotes, split_unquoted, unfold};
use super::write::fold_into;

/// A vCard version address data can be produced in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// vCard 3.0 (RFC 2426).
    V3,
    /// vCard 4.0 (RFC 6350).
    V4,
}

impl Version {
    fn as_str(self) -> &'static str {
        match self {
            Version::V3 => "3.0",
            Version::V4 => "4.0",
        }
    }
}

/// One property partial retrieval keeps (RFC 6352 §10.4.2 `<CARDDAV:prop>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepProp<'a> {
    /// Upper-case property name without group.
    pub name: &'a str,
    /// Return the name and parameters with an empty value.
    pub novalue: bool,
}

/// Properties every partial answer keeps.
const ALWAYS: [&str; 4] = ["BEGIN", "END", "VERSION", "UID"];

/// The card as address-data asks: converted to `target` when it differs from the card's
/// version, reduced to `keep` when given. Borrowed (the stored bytes) when nothing changes.
pub fn address_data<'b>(
    body: &'b [u8],
    target: Option<Version>,
    keep: Option<&[KeepProp<'_>]>,
) -> Cow<'b, [u8]> {
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let Ok(text) = std::str::from_utf8(text) else {
        return Cow::Borrowed(body);
    };
    let Ok(lines) = unfold(text, Format::VCard) else {
        return Cow::Borrowed(body);
    };
    // Some exporters end lines with CR CR LF; a CR is never content, so none survives.
    let mut lines: Vec<ContentLine> = lines
        .iter()
        .map(|l| ContentLine::parse(&l.text.replace('\r', "")))
        .collect();
    let current = lines
        .iter()
        .find(|l| l.upper == "VERSION")
        .and_then(|l| match l.value.trim() {
            "3.0" => Some(Version::V3),
            "4.0" => Some(Version::V4),
            _ => None,
        });
    let convert_to = target.filter(|t| Some(*t) != current);
    if convert_to.is_none() && keep.is_none() {
        return Cow::Borrowed(body);
    }
    if let Some(to) = convert_to {
        lines = lines.into_iter().filter_map(|l| l.convert(to)).collect();
    }
    let mut out = String::with_capacity(text.len());
    for line in &lines {
        let novalue = match keep {
            None => false,
            Some(_) if ALWAYS.contains(&line.upper.as_str()) => false,
            Some(keep) => match keep
                .iter()
                .find(|k| k.name == line.upper || k.name == line.source_upper)
            {
                Some(k) => k.novalue,
                None => continue,
            },
        };
        let rendered = line.render(novalue);
        fold_into(&mut out, &rendered);
    }
    Cow::Owned(out.into_bytes())
}

/// A parameter: its name as written (`TYPE` for a vCard 2.1/3.0 bare type) and its values
/// as written (quotes kept).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Param {
    name: String,
    values: Vec<String>,
}

impl Param {
    fn is(&self, name: &str) -> bool {
        self.name.trim().eq_ignore_ascii_case(name)
    }

    fn unquoted(v: &str) -> &str {
        v.trim().trim_matches('"')
    }
}

/// One unfolded content line, split when it has the `[group.]NAME[;params]:value` shape.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContentLine {
    /// The line as stored (unfolded), written back when nothing changed.
    raw: String,
    /// Set once a conversion changed a part: the line is rebuilt from the parts.
    changed: bool,
    group: Option<String>,
    /// Name as written.
    name: String,
    /// Name upper case, after conversion.
    upper: String,
    /// Name upper case before conversion (partial retrieval matches either).
    source_upper: String,
    params: Vec<Param>,
    value: String,
    /// Byte offset of the value in `raw` (None when the line has no value colon).
    value_at: Option<usize>,
}

impl ContentLine {
    fn parse(raw: &str) -> ContentLine {
        let mut line = ContentLine {
            raw: raw.to_owned(),
            changed: false,
            group: None,
            name: String::new(),
            upper: String::new(),
            source_upper: String::new(),
            params: Vec::new(),
            value: String::new(),
            value_at: None,
        };
        let Some(name_end) = raw.find([';', ':']) else {
            return line;
        };
        let full_name = &raw[..name_end];
        let (group, name) = match full_name.rsplit_once('.') {
            Some((g, n)) => (Some(g.to_owned()), n),
            None => (None, full_name),
        };
        let rest = &raw[name_end..];
        let Some(colon) = colon_outside_quotes(rest) else {
            return line;
        };
        line.group = group;
        line.name = name.to_owned();
        line.upper = name.trim().to_ascii_uppercase();
        line.source_upper = line.upper.clone();
        line.value = rest[colon + 1..].to_owned();
        line.value_at = Some(name_end + colon + 1);
        if let Some(params) = rest[..colon].strip_prefix(';') {
            for seg in split_unquoted(params, ';')
                .into_iter()
                .filter(|s| !s.trim().is_empty())
            {
                let (name, values) = match seg.split_once('=') {
                    Some((n, v)) => (n.to_owned(), v),
                    None => ("TYPE".to_owned(), seg),
                };
                line.params.push(Param {
                    name,
                    values: split_unquoted(values, ',')
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                });
            }
        }
        line
    }

    /// The line to write: as stored, rebuilt when converted, cut after the colon for novalue.
    fn render(&self, novalue: bool) -> Cow<'_, str> {
        if !self.changed {
            return match (novalue, self.value_at) {
                (true, Some(at)) => Cow::Borrowed(&self.raw[..at]),
                _ => Cow::Borrowed(&self.raw),
            };
        }
        let mut out = String::new();
        if let Some(g) = &self.group {
            out.push_str(g);
            out.push('.');
        }
        out.push_str(&self.name);
        for p in &self.params {
            out.push(';');
            out.push_str(&p.name);
            out.push('=');
            out.push_str(&p.values.join(","));
        }
        out.push(':');
        if !novalue {
            out.push_str(&self.value);
        }
        Cow::Owned(out)
    }

    fn rename(&mut self, name: &str) {
        self.name = name.to_owned();
        self.upper = name.to_owned();
        self.changed = true;
    }

    fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.is(name))
    }

    fn first_param_value(&self, name: &str) -> Option<String> {
        self.param(name)
            .and_then(|p| p.values.first())
            .map(|v| Param::unquoted(v).to_owned())
    }

    fn remove_param(&mut self, name: &str) {
        let before = self.params.len();
        self.params.retain(|p| !p.is(name));
        self.changed |= self.params.len() != before;
    }

    /// Removes `value` (case-insensitive) from every TYPE parameter; whether it was there.
    fn take_type(&mut self, value: &str) -> bool {
        let mut found = false;
        for p in self.params.iter_mut().filter(|p| p.is("TYPE")) {
            let before = p.values.len();
            p.values
                .retain(|v| !Param::unquoted(v).eq_ignore_ascii_case(value));
            found |= p.values.len() != before;
        }
        if found {
            self.params
                .retain(|p| !p.is("TYPE") || !p.values.is_empty());
            self.changed = true;
        }
        found
    }

    fn add_type(&mut self, value: &str) {
        match self.params.iter_mut().find(|p| p.is("TYPE")) {
            Some(p) => p.values.push(value.to_owned()),
            None => self.params.push(Param {
                name: "TYPE".into(),
                values: vec![value.to_owned()],
            }),
        }
        self.changed = true;
    }

    fn set_value(&mut self, value: String) {
        self.value = value;
        self.changed = true;
    }

    /// The line in version `to`; None when the property has no place there.
    fn convert(mut self, to: Version) -> Option<ContentLine> {
        if self.value_at.is_none() {
            return Some(self);
        }
        // Bare parameters (`TEL;CELL:`) are not valid 4.0; rebuilding writes them as TYPE=.
        self.changed = true;
        if self.upper == "VERSION" {
            self.value = to.as_str().to_owned();
            return Some(self);
        }
        match to {
            Version::V4 => self.into_v4(),
            Version::V3 => self.into_v3(),
        }
    }

    fn into_v4(mut self) -> Option<ContentLine> {
        match self.upper.as_str() {
            // Metadata of vCard 3.0's MIME directory profile, not contact data.
            "NAME" | "PROFILE" => return None,
            "X-ADDRESSBOOKSERVER-KIND" => self.rename("KIND"),
            "X-ADDRESSBOOKSERVER-MEMBER" => self.rename("MEMBER"),
            _ => {}
        }
        // No CHARSET in 4.0: everything is UTF-8 (RFC 6350 §3.1).
        self.remove_param("CHARSET");
        if self.take_type("pref") && self.param("PREF").is_none() {
            self.params.push(Param {
                name: "PREF".into(),
                values: vec!["1".into()],
            });
        }
        let encoding = self.first_param_value("ENCODING");
        if encoding.is_some_and(|e| e.eq_ignore_ascii_case("b") || e.eq_ignore_ascii_case("base64"))
        {
            // Inline binary → data: URI carrying the media type the TYPE parameter named.
            let media = self
                .first_param_value("TYPE")
                .map(|t| media_type(&self.upper, &t))
                .unwrap_or_else(|| sniff_media_type(&self.value).to_owned());
            self.remove_param("ENCODING");
            self.remove_param("TYPE");
            self.remove_param("VALUE");
            let data: String = self.value.split_whitespace().collect();
            self.set_value(format!("data:{media};base64,{data}"));
        } else if is_media_property(&self.upper)
            && let Some(t) = self.first_param_value("TYPE")
        {
            // A URI photo's TYPE=JPEG is its media type: MEDIATYPE in 4.0 (RFC 6350 §5.7).
            let media = media_type(&self.upper, &t);
            self.remove_param("TYPE");
            self.params.push(Param {
                name: "MEDIATYPE".into(),
                values: vec![media],
            });
        }
        match self.upper.as_str() {
            "BDAY" | "ANNIVERSARY" => self.date_to_v4(),
            "REV" => {
                let v = basic_iso(&self.value);
                self.set_value(v);
            }
            "GEO"
                if !self
                    .value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("geo:") =>
            {
                if let Some((lat, lon)) = self.value.split_once(';') {
                    let v = format!("geo:{},{}", lat.trim(), lon.trim());
                    self.set_value(v);
                }
            }
            _ => {}
        }
        Some(self)
    }

    /// `1996-04-15` → `19960415`; Apple's year-less `1604-04-15;X-APPLE-OMIT-YEAR=1604` →
    /// `--0415`.
    fn date_to_v4(&mut self) {
        let omit = self.first_param_value("X-APPLE-OMIT-YEAR");
        let value = self.value.trim().to_owned();
        if let Some(omit) = omit
            && let Some(rest) = value.strip_prefix(omit.as_str())
        {
            let md: String = rest.chars().filter(char::is_ascii_digit).take(4).collect();
            if md.len() == 4 {
                self.remove_param("X-APPLE-OMIT-YEAR");
                self.set_value(format!("--{md}"));
                return;
            }
        }
        let v = basic_iso(&value);
        self.set_value(v);
    }

    fn into_v3(mut self) -> Option<ContentLine> {
        match self.upper.as_str() {
            "KIND" => {
                // individual is the default; Apple's 3.0 clients know the group kind.
                if self.value.trim().eq_ignore_ascii_case("individual") {
                    return None;
                }
                self.rename("X-ADDRESSBOOKSERVER-KIND");
            }
            "MEMBER" => self.rename("X-ADDRESSBOOKSERVER-MEMBER"),
            _ => {}
        }
        if let Some(pref) = self.first_param_value("PREF") {
            self.remove_param("PREF");
            if pref.trim() == "1" {
                self.add_type("pref");
            }
        }
        if is_media_property(&self.upper) {
            let value = self.value.trim().replace("\\,", ",");
            if let Some(data) = value
                .get(..5)
                .filter(|p| p.eq_ignore_ascii_case("data:"))
                .and_then(|_| value.get(5..))
                && let Some((meta, payload)) = data.split_once(',')
                && let Some(media) = meta
                    .strip_suffix(";base64")
                    .or_else(|| meta.strip_suffix(";BASE64"))
            {
                // data: URI → inline binary with the media subtype as TYPE (RFC 2426 §3.1.4).
                self.remove_param("VALUE");
                self.remove_param("MEDIATYPE");
                self.remove_param("TYPE");
                self.params.push(Param {
                    name: "ENCODING".into(),
                    values: vec!["b".into()],
                });
                if let Some(token) = legacy_type(media) {
                    self.params.push(Param {
                        name: "TYPE".into(),
                        values: vec![token],
                    });
                }
                self.set_value(payload.to_owned());
            } else {
                if let Some(media) = self.first_param_value("MEDIATYPE") {
                    self.remove_param("MEDIATYPE");
                    if let Some(token) = legacy_type(&media) {
                        self.add_type(&token);
                    }
                }
                // 3.0's default for PHOTO, LOGO and SOUND is inline binary.
                if self.param("VALUE").is_none() {
                    self.params.push(Param {
                        name: "VALUE".into(),
                        values: vec!["uri".into()],
                    });
                }
            }
        }
        match self.upper.as_str() {
            "BDAY" => {
                let v = self.value.trim().to_owned();
                // 4.0's year-less --MMDD, as Apple writes it in 3.0.
                if let Some(md) = v.strip_prefix("--")
                    && md.len() == 4
                    && md.chars().all(|c| c.is_ascii_digit())
                {
                    self.params.push(Param {
                        name: "X-APPLE-OMIT-YEAR".into(),
                        values: vec!["1604".into()],
                    });
                    self.set_value(format!("1604-{}-{}", &md[..2], &md[2..]));
                }
            }
            "GEO" => {
                let v = self.value.trim();
                if let Some(rest) = v
                    .get(..4)
                    .filter(|p| p.eq_ignore_ascii_case("geo:"))
                    .and(v.get(4..))
                    && let Some((lat, lon)) = rest.split(';').next().unwrap_or(rest).split_once(',')
                {
                    let v = format!("{};{}", lat.trim(), lon.trim());
                    self.set_value(v);
                }
            }
            _ => {}
        }
        Some(self)
    }
}

/// Properties whose TYPE is a media type in 3.0 and whose 4.0 value is a URI.
fn is_media_property(upper: &str) -> bool {
    matches!(upper, "PHOTO" | "LOGO" | "SOUND" | "KEY")
}

/// The media type a 3.0 TYPE token names for a property (`JPEG` on PHOTO → `image/jpeg`).
fn media_type(property: &str, token: &str) -> String {
    let token = token.trim().to_ascii_lowercase();
    if token.contains('/') {
        return token;
    }
    match (property, token.as_str()) {
        ("KEY", "pgp") => "application/pgp-keys".into(),
        ("KEY", "x509") => "application/pkix-cert".into(),
        ("KEY", other) => format!("application/{other}"),
        ("SOUND", other) => format!("audio/{other}"),
        (_, "jpg") => "image/jpeg".into(),
        (_, other) => format!("image/{other}"),
    }
}

/// The media type of base64 data by its first bytes, for a 3.0 PHOTO without a TYPE.
fn sniff_media_type(base64: &str) -> &'static str {
    let b = base64.trim_start();
    if b.starts_with("/9j/") {
        "image/jpeg"
    } else if b.starts_with("iVBOR") {
        "image/png"
    } else if b.starts_with("R0lGOD") {
        "image/gif"
    } else {
        "application/octet-stream"
    }
}

/// The 3.0 TYPE token for a media type (`image/jpeg` → `JPEG`); None for an empty one.
fn legacy_type(media: &str) -> Option<String> {
    let media = media.split(';').next().unwrap_or_default().trim();
    match media.to_ascii_lowercase().as_str() {
        "" => None,
        "application/pgp-keys" => Some("PGP".into()),
        "application/pkix-cert" => Some("X509".into()),
        m => Some(m.rsplit('/').next().unwrap_or(m).to_ascii_uppercase()),
    }
}

/// An ISO 8601 extended date or date-time (`1996-04-15`, `2024-01-01T12:00:00Z`,
/// `1987-09-27T08:30:00-06:00`) in the basic form vCard 4.0 requires; other values unchanged.
fn basic_iso(value: &str) -> String {
    let v = value.trim();
    let looks_iso = v.len() >= 4
        && v.bytes().take(4).all(|b| b.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b'T' | b'Z' | b'+' | b'.'));
    if !looks_iso {
        return value.to_owned();
    }
    match v.split_once('T') {
        Some((date, time)) => format!("{}T{}", date.replace('-', ""), time.replace(':', "")),
        None => v.replace('-', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::super::write::FOLD_OCTETS;
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/vcard/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn shaped(body: &[u8], target: Option<Version>, keep: Option<&[KeepProp<'_>]>) -> String {
        String::from_utf8(address_data(body, target, keep).into_owned()).unwrap()
    }

    fn lines(text: &str) -> Vec<String> {
        let unfolded = text.replace("\r\n ", "");
        unfolded.split("\r\n").map(str::to_owned).collect()
    }

    fn assert_folded(text: &str) {
        assert!(text.ends_with("\r\n"), "{text}");
        for physical in text.split("\r\n") {
            assert!(physical.len() <= FOLD_OCTETS, "{physical:?}");
            assert!(!physical.contains('\n') && !physical.contains('\r'));
        }
    }

    const fn keep(name: &str) -> KeepProp<'_> {
        KeepProp {
            name,
            novalue: false,
        }
    }

    #[test]
    fn identity_returns_the_stored_bytes() {
        let body = fixture("iphone-vcard3-photo-itemN-xablabel.vcf");
        assert!(matches!(
            address_data(&body, None, None),
            Cow::Borrowed(b) if b == body.as_slice()
        ));
        assert!(matches!(
            address_data(&body, Some(Version::V3), None),
            Cow::Borrowed(_)
        ));
        let v4 = fixture("vcard4-photo-data-uri.vcf");
        assert!(matches!(
            address_data(&v4, Some(Version::V4), None),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            address_data(b"\xff\xfe", Some(Version::V4), None),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn partial_retrieval_keeps_structure_groups_and_refolds() {
        let body = fixture("iphone-vcard3-photo-itemN-xablabel.vcf");
        let out = shaped(
            &body,
            None,
            Some(&[keep("EMAIL"), keep("FN"), keep("PHOTO")]),
        );
        assert_folded(&out);
        let l = lines(&out);
        assert_eq!(l[0], "BEGIN:VCARD");
        assert_eq!(l[1], "VERSION:3.0");
        assert!(
            l.contains(&"FN:Mr. John Richter James Doe Sr.".to_owned()),
            "{out}"
        );
        assert!(
            l.contains(&"item1.EMAIL;type=INTERNET;type=pref:john.doe@ibm.com".to_owned()),
            "{out}"
        );
        assert!(
            l.iter()
                .any(|x| x.starts_with("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ"))
        );
        assert!(!out.contains("TEL"), "{out}");
        assert!(!out.contains("X-ABLabel"), "{out}");
        assert!(out.ends_with("END:VCARD\r\n"));
        // The PHOTO survives unfolding and refolding byte for byte.
        let text = String::from_utf8(body.clone()).unwrap();
        let original_photo = unfold(&text, Format::VCard)
            .unwrap()
            .into_iter()
            .find(|x| x.text.starts_with("PHOTO"))
            .unwrap();
        // (This fixture ends its lines with CR CR LF.)
        assert!(l.contains(&original_photo.text.replace('\r', "")));
    }

    #[test]
    fn uid_and_version_stay_and_novalue_drops_the_value() {
        let body = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\nFN:Anna\r\nEMAIL;TYPE=work:a@b.ch\r\nNOTE:secret\r\nEND:VCARD\r\n";
        let out = shaped(
            body,
            None,
            Some(&[KeepProp {
                name: "EMAIL",
                novalue: true,
            }]),
        );
        assert_eq!(
            out,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\nEMAIL;TYPE=work:\r\nEND:VCARD\r\n"
        );
    }

    #[test]
    fn apple_3_to_4_photo_pref_dates_and_groups() {
        let body = fixture("iphone-vcard3-photo-itemN-xablabel.vcf");
        let out = shaped(&body, Some(Version::V4), None);
        assert_folded(&out);
        let l = lines(&out);
        assert_eq!(l[1], "VERSION:4.0");
        let photo = l.iter().find(|x| x.starts_with("PHOTO")).unwrap();
        assert!(
            photo.starts_with("PHOTO:data:image/jpeg;base64,/9j/4AAQ"),
            "{photo}"
        );
        assert!(!photo.contains("TYPE=") && !photo.contains("ENCODING"));
        assert!(
            l.contains(&"item1.EMAIL;type=INTERNET;PREF=1:john.doe@ibm.com".to_owned()),
            "{out}"
        );
        assert!(
            l.contains(&"TEL;type=CELL,VOICE;PREF=1:905-555-1234".to_owned())
                || l.contains(&"TEL;type=CELL;type=VOICE;PREF=1:905-555-1234".to_owned()),
            "{out}"
        );
        assert!(l.contains(&"item2.X-ABLabel:_$!<AssistantPhone>!$_".to_owned()));
        assert!(l.contains(&"BDAY;value=date:20120606".to_owned()), "{out}");
        assert!(!out.contains("type=pref") && !out.contains("CHARSET"));
    }

    #[test]
    fn apple_group_3_to_4_and_back() {
        let body = fixture("apple-group-x-addressbookserver-kind.vcf");
        let v4 = shaped(&body, Some(Version::V4), None);
        let l = lines(&v4);
        assert!(l.contains(&"KIND:group".to_owned()), "{v4}");
        assert!(l.contains(&"MEMBER:urn:uuid:uid4".to_owned()), "{v4}");
        assert!(l.contains(&"REV:20120503T194243Z".to_owned()), "{v4}");
        assert!(!v4.contains("X-ADDRESSBOOKSERVER"));
        let back = shaped(v4.as_bytes(), Some(Version::V3), None);
        let l = lines(&back);
        assert!(
            l.contains(&"X-ADDRESSBOOKSERVER-KIND:group".to_owned()),
            "{back}"
        );
        assert!(l.contains(&"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid6".to_owned()));
        assert!(!back.contains("\r\nKIND") && !back.contains("\r\nMEMBER"));
    }

    #[test]
    fn v4_data_uri_photo_and_pref_to_3() {
        let body = fixture("vcard4-photo-data-uri.vcf");
        let out = shaped(&body, Some(Version::V3), None);
        assert_folded(&out);
        let l = lines(&out);
        assert_eq!(l[1], "VERSION:3.0");
        let photo = l.iter().find(|x| x.starts_with("PHOTO")).unwrap();
        assert!(
            photo.starts_with("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo"),
            "{photo}"
        );
        let card = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:x\r\nFN:X\r\nKIND:individual\r\nEMAIL;PREF=1;TYPE=work:a@b\r\nTEL;PREF=2:1\r\nBDAY:--0415\r\nPHOTO;MEDIATYPE=image/jpeg:https://x.example/p.jpg\r\nGEO:geo:46.9,7.4\r\nEND:VCARD\r\n";
        let out = shaped(card, Some(Version::V3), None);
        let l = lines(&out);
        assert!(l.contains(&"EMAIL;TYPE=work,pref:a@b".to_owned()), "{out}");
        assert!(l.contains(&"TEL:1".to_owned()), "{out}");
        assert!(!out.contains("KIND"), "{out}");
        assert!(
            l.contains(&"BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15".to_owned()),
            "{out}"
        );
        assert!(
            l.contains(&"PHOTO;TYPE=JPEG;VALUE=uri:https://x.example/p.jpg".to_owned()),
            "{out}"
        );
        assert!(l.contains(&"GEO:46.9;7.4".to_owned()), "{out}");
        // And back: the year-less birthday and the URI photo's media type return.
        let again = shaped(out.as_bytes(), Some(Version::V4), None);
        let l = lines(&again);
        assert!(l.contains(&"BDAY:--0415".to_owned()), "{again}");
        assert!(
            l.contains(&"EMAIL;TYPE=work;PREF=1:a@b".to_owned()),
            "{again}"
        );
        assert!(
            l.contains(&"PHOTO;VALUE=uri;MEDIATYPE=image/jpeg:https://x.example/p.jpg".to_owned()),
            "{again}"
        );
        assert!(l.contains(&"GEO:geo:46.9,7.4".to_owned()), "{again}");
    }

    #[test]
    fn conversion_with_partial_retrieval_matches_either_name() {
        let body = fixture("apple-group-x-addressbookserver-kind.vcf");
        let out = shaped(
            &body,
            Some(Version::V4),
            Some(&[keep("X-ADDRESSBOOKSERVER-KIND")]),
        );
        assert_eq!(
            out,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:uid3\r\nKIND:group\r\nEND:VCARD\r\n"
        );
        let out = shaped(&body, Some(Version::V4), Some(&[keep("MEMBER")]));
        assert_eq!(
            lines(&out)
                .iter()
                .filter(|x| x.starts_with("MEMBER:"))
                .count(),
            2
        );
    }

    #[test]
    fn every_fixture_converts_both_ways_without_panicking() {
        let dir = format!("{}/fixtures/vcard", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let body = std::fs::read(entry.unwrap().path()).unwrap();
            for target in [Version::V3, Version::V4] {
                let out = address_data(&body, Some(target), None);
                if let Ok(text) = std::str::from_utf8(&out)
                    && text.contains("BEGIN:VCARD")
                    && !matches!(out, Cow::Borrowed(_))
                {
                    assert_folded(text);
                }
                let _ = address_data(&body, Some(target), Some(&[keep("FN")]));
            }
        }
    }

    #[test]
    fn multibyte_text_folds_on_character_boundaries() {
        let note = "ü".repeat(100);
        let body =
            format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u\r\nFN:x\r\nNOTE:{note}\r\nEND:VCARD\r\n");
        let out = shaped(body.as_bytes(), Some(Version::V4), None);
        assert_folded(&out);
        assert!(lines(&out).contains(&format!("NOTE:{note}")));
    }
}
