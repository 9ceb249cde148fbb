//! What is specific to address books (RFC 6352): their properties, the reports they offer, and
//! the seam where vCard validation errors become CardDAV preconditions.

pub mod directory;

use std::borrow::Cow;

use crate::dav::condition::{Condition, DavError};
use crate::dav::media::media_type;
use crate::dav::prop::{CardProp, PropName, PropValue};
use crate::dav::request::{AddressDataSpec, VCardVersion};
use crate::dav::xml::{NS_CARDDAV, NS_DAV};
use crate::ical::vcard_convert::{self, KeepProp, Version};
use crate::ical::{ContentError, dates, validate_vcard};
use crate::store::{Collection, ContactDate, DateKind, ObjectIndex};

/// Reports an address book offers.
pub const REPORTS: [(&str, &str); 3] = [
    (NS_CARDDAV, "addressbook-query"),
    (NS_CARDDAV, "addressbook-multiget"),
    (NS_DAV, "sync-collection"),
];

/// Media type of a stored vCard.
pub const CONTENT_TYPE: &str = "text/vcard; charset=utf-8";

/// The value of an address-book-specific collection property, if `name` is one.
pub fn collection_prop(
    coll: &Collection,
    name: &PropName,
    max_resource_size: u64,
) -> Option<PropValue> {
    match name {
        PropName::Card(CardProp::AddressbookDescription) => {
            coll.props.description.clone().map(PropValue::Text)
        }
        PropName::Card(CardProp::SupportedAddressData) => Some(supported_address_data()),
        PropName::Card(CardProp::MaxResourceSize) => {
            Some(PropValue::Text(max_resource_size.to_string()))
        }
        _ => None,
    }
}

/// CARDDAV:supported-address-data: the vCard versions stored and converted to.
pub fn supported_address_data() -> PropValue {
    PropValue::DataTypes(
        NS_CARDDAV,
        "address-data-type",
        vec![("text/vcard", "3.0"), ("text/vcard", "4.0")],
    )
}

/// Address book properties included in allprop.
pub const ALLPROP: [PropName; 2] = [
    PropName::Card(CardProp::AddressbookDescription),
    PropName::Card(CardProp::SupportedAddressData),
];

/// Checks a PUT body for an address book and extracts its index (RFC 6352 §6.3.2.1).
pub fn validate(body: &[u8], content_type: Option<&str>) -> Result<ObjectIndex, DavError> {
    if let Some(ct) = content_type {
        let media = media_type(ct);
        if media.starts_with("text/calendar") || media.ends_with("+json") {
            return Err(DavError::new(
                Condition::SupportedAddressData,
                format!("an address book stores text/vcard, not {media}"),
            ));
        }
    }
    let info = validate_vcard(body).map_err(|e| match e {
        // RFC 6352 §6.3.2.1 has one condition for every way a vCard can be unacceptable.
        ContentError::Invalid(m) | ContentError::ObjectRule(m) => {
            DavError::new(Condition::ValidAddressData, m)
        }
        other @ ContentError::UnsupportedComponent { .. } => {
            DavError::new(Condition::ValidAddressData, other.to_string())
        }
    })?;
    Ok(ObjectIndex {
        uid: info.uid,
        component: "VCARD".into(),
        first_start: None,
        last_end: None,
        span_exact: false,
        text: crate::ical::index::card_text(body),
        dates: contact_dates(body),
        ..ObjectIndex::default()
    })
}

/// The yearly dates of a card as the store indexes them ([`ObjectIndex::dates`]), each under
/// the card's name. The one conversion from what `ical::dates` reads, used when a card is
/// written and when a card written before the index existed is read.
pub fn contact_dates(body: &[u8]) -> Vec<ContactDate> {
    let found = dates::card_dates(body);
    found
        .dates
        .into_iter()
        .map(|date| ContactDate {
            kind: match date.kind {
                dates::DateKind::Birthday => DateKind::Birthday,
                dates::DateKind::Anniversary => DateKind::Anniversary,
            },
            month: date.month,
            day: date.day,
            year: date.year,
            label: found.label.clone(),
        })
        .collect()
}

/// The CARDDAV:address-data value of a stored card as `spec` asks (RFC 6352 §10.4): only the
/// named properties, in the requested vCard version. The stored bytes when the spec asks for
/// nothing more, so an ordinary sync never sees a re-serialised card.
pub fn address_data<'b>(body: &'b [u8], spec: &AddressDataSpec) -> Cow<'b, [u8]> {
    if spec.is_identity() {
        return Cow::Borrowed(body);
    }
    let version = spec.version.map(|v| match v {
        VCardVersion::V3 => Version::V3,
        VCardVersion::V4 => Version::V4,
    });
    let keep: Option<Vec<KeepProp<'_>>> = spec.props.as_ref().map(|props| {
        props
            .iter()
            .map(|p| KeepProp {
                name: &p.name,
                novalue: p.novalue,
            })
            .collect()
    });
    vcard_convert::address_data(body, version, keep.as_deref())
}
