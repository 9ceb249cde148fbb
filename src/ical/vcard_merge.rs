//! Merging duplicate contacts into one card, and pointing group cards at the card that stays.
//! Line level, like the rest of the vCard code: the kept card keeps every line as written, and
//! gains the e-mail addresses, phone numbers and postal addresses only the others have (in its
//! own vCard version, converted by `vcard_convert`, without their `itemN.` group prefixes,
//! whose labels stay behind).

use std::collections::HashSet;

use super::blocks::Text;
use super::contact::{address_key, email_key, member_uid, phone_key};
use super::tree::unescape;
use super::vcard_convert::{Version, address_data};
use super::write::fold_into;

/// The comparison key of a value (`None`: the value is unusable).
type KeyOf = fn(&str) -> Option<String>;

/// The properties a merge takes from the other cards, with the key that tells a new value from
/// one the kept card has.
const MERGED: [(&str, KeyOf); 3] = [
    ("EMAIL", email_key),
    ("TEL", phone_key),
    ("ADR", address_key),
];

/// The key of a merged property's raw value, `None` for other properties or unusable values.
fn key_of(name: &str, raw_value: &str) -> Option<(usize, String)> {
    let (at, (_, key)) = MERGED
        .iter()
        .enumerate()
        .find(|(_, (merged, _))| *merged == name)?;
    let text = unescape(raw_value);
    Some((at, key(&text)?))
}

/// The version of a card.
fn version_of(text: &Text<'_>) -> Option<Version> {
    let line = text.logical.iter().find(|l| l.name() == "VERSION")?;
    match line.value().trim() {
        "3.0" => Some(Version::V3),
        "4.0" => Some(Version::V4),
        _ => None,
    }
}

/// `kept` with the EMAIL, TEL and ADR values of `others` it lacks added before its END.
/// `None` when `kept` is not a card (never stored: validation refuses it).
pub fn merge_cards(kept: &[u8], others: &[&[u8]]) -> Option<Vec<u8>> {
    let kept_text = std::str::from_utf8(kept.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(kept)).ok()?;
    let kept_text = Text::new(kept_text);
    let end = kept_text.logical.iter().rposition(|l| l.name() == "END")?;
    let mut known: HashSet<(usize, String)> = kept_text
        .logical
        .iter()
        .filter_map(|l| key_of(&l.name(), l.value()))
        .collect();
    let version = version_of(&kept_text);
    let mut added = String::new();
    for other in others {
        let converted = address_data(other, version, None);
        let Ok(text) = std::str::from_utf8(&converted) else {
            continue;
        };
        for line in Text::new(text).logical {
            let Some(key) = key_of(&line.name(), line.value()) else {
                continue;
            };
            if known.insert(key) {
                // The group prefix goes: its X-ABLabel stays behind in the other card.
                let ungrouped = match line.text.split_once(['.', ';', ':']) {
                    Some((group, rest)) if line.text.as_bytes()[group.len()] == b'.' => rest,
                    _ => &line.text,
                };
                fold_into(&mut added, ungrouped);
            }
        }
    }
    let mut out = Vec::with_capacity(kept.len() + added.len());
    kept_text.write_raw(0, end - 1, &mut out);
    out.extend_from_slice(added.as_bytes());
    kept_text.write_raw(end, kept_text.logical.len() - 1, &mut out);
    Some(out)
}

/// `group` with every member reference to one of `gone` (UIDs, see
/// [`member_uid`]) pointed at `kept` instead, in the style it was written (`urn:uuid:` or
/// not), and references made duplicate by that removed. `None` when nothing changes.
pub fn replace_members(group: &[u8], gone: &[String], kept: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(group).ok()?;
    let text = Text::new(text);
    let mut seen = HashSet::new();
    let mut changed = false;
    let mut out = Vec::with_capacity(group.len());
    for (i, line) in text.logical.iter().enumerate() {
        let name = line.name();
        if name != "MEMBER" && name != "X-ADDRESSBOOKSERVER-MEMBER" {
            text.write_raw(i, i, &mut out);
            continue;
        }
        let value = line.value().trim();
        let uid = member_uid(value);
        let replaced = gone.iter().any(|g| member_uid(g) == uid);
        let target = if replaced { member_uid(kept) } else { uid };
        if !seen.insert(target.to_owned()) {
            changed = true;
            continue;
        }
        if !replaced {
            text.write_raw(i, i, &mut out);
            continue;
        }
        changed = true;
        let prefix = &line.text[..line.text.len() - line.value().len()];
        let styled = if value.len() > uid.len() {
            format!("{}{target}", &value[..value.len() - uid.len()])
        } else {
            target.to_owned()
        };
        let mut folded = String::new();
        fold_into(&mut folded, &format!("{prefix}{styled}"));
        out.extend_from_slice(folded.as_bytes());
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: &[u8]) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn the_kept_card_gains_what_only_the_others_have() {
        let kept = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ann\r\nEMAIL;TYPE=INTERNET:ann@x.org\r\nTEL;TYPE=CELL:+41 79 123 45 67\r\nEND:VCARD\r\n";
        let other = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Ann M\r\nEMAIL:ANN@X.ORG\r\nitem1.EMAIL;type=pref:ann@work.example\r\nitem1.X-ABLabel:work\r\nTEL:079 123 45 67\r\nTEL;TYPE=HOME:022 555 00 11\r\nADR;TYPE=HOME:;;Rue du Lac 1;Genève;;1204;CH\r\nNOTE:not merged\r\nEND:VCARD\r\n".as_bytes();
        let v4 = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:c\r\nFN:Ann\r\nTEL;VALUE=uri;TYPE=work:tel:+41-22-555-99-99\r\nADR;TYPE=home:;;rue du lac 1;GENEVE;;1204;ch\r\nEND:VCARD\r\n";
        let merged = text(&merge_cards(kept, &[other, v4]).unwrap());
        assert_eq!(
            merged,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ann\r\nEMAIL;TYPE=INTERNET:ann@x.org\r\nTEL;TYPE=CELL:+41 79 123 45 67\r\n\
             EMAIL;type=pref:ann@work.example\r\nTEL;TYPE=HOME:022 555 00 11\r\nADR;TYPE=HOME:;;Rue du Lac 1;Genève;;1204;CH\r\n\
             TEL;VALUE=uri;TYPE=work:tel:+41-22-555-99-99\r\nEND:VCARD\r\n",
            "lines of a 4.0 card come as the 3.0 conversion of address-data writes them"
        );
        assert_eq!(merge_cards(kept, &[]).unwrap(), kept, "nothing to add");
    }

    #[test]
    fn members_follow_the_kept_card_in_either_form() {
        let apple = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g\r\nFN:Team\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:gone\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:other\r\nEND:VCARD\r\n";
        let out = text(&replace_members(apple, &["gone".into()], "kept").unwrap());
        assert!(
            out.contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:kept\r\n"),
            "{out}"
        );
        assert!(
            out.contains("urn:uuid:other") && !out.contains("gone"),
            "{out}"
        );
        let v4 = b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g\r\nFN:Team\r\nKIND:group\r\nMEMBER:urn:uuid:kept\r\nMEMBER:urn:uuid:gone\r\nEND:VCARD\r\n";
        let out = text(&replace_members(v4, &["urn:uuid:gone".into()], "urn:uuid:kept").unwrap());
        assert_eq!(out.matches("MEMBER:").count(), 1, "no member twice: {out}");
        assert!(replace_members(v4, &["nobody".into()], "kept").is_none());
    }
}
