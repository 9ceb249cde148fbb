//! The calendars as the calendar pages show them: those `web::collections::visible` lists
//! (own ones while the calendar product is on, then those shared with the person that DAV
//! serves it, under their `.shared-ID` mount name), each with a colour a `style` attribute
//! can take (a palette's when it has none) and whether the person has hidden it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::org::OrgError;
use crate::store::{Collection, CollectionKind, StoreError};
use crate::web::collections::visible;
use crate::web::{Viewer, WebCtx};

/// Cookie that keeps the names of the calendars a person has hidden.
pub const HIDDEN_COOKIE: &str = "davsuite_hidden_cals";

/// Colours of calendars that have none, in turn (readable on light and dark backgrounds).
const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

/// What `encodeURIComponent` leaves as it is: the cookie's names are encoded the same way by
/// the server and by `calendar.js`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// One calendar as the page shows it.
#[derive(Debug, Clone)]
pub struct Cal {
    /// Its name in the person's home: what the event pages' `cal=` takes.
    pub name: String,
    /// The name shown.
    pub label: String,
    /// `#rrggbb`.
    pub color: String,
    /// The owner's login when shared with the person.
    pub shared_by: Option<String>,
    /// Whether the person may add and change its events.
    pub writable: bool,
    /// Whether the person has hidden it.
    pub hidden: bool,
    /// The collection.
    pub collection: Collection,
}

/// `#RRGGBB` of an Apple `calendar-color` (`#RRGGBB` or `#RRGGBBAA`, the alpha dropped);
/// `None` for anything else, so nothing but a colour reaches a `style` attribute.
pub fn css_color(value: &str) -> Option<String> {
    let hex = value.trim().strip_prefix('#')?;
    let ok = matches!(hex.len(), 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| format!("#{}", hex[..6].to_ascii_lowercase()))
}

/// The names in the hidden-calendars cookie.
pub fn hidden_names(cookie: Option<&str>) -> Vec<String> {
    cookie
        .unwrap_or("")
        .split('|')
        .filter(|n| !n.is_empty())
        .filter_map(|n| percent_decode_str(n).decode_utf8().ok())
        .map(|n| n.into_owned())
        .collect()
}

/// The cookie value that hides `names`.
pub fn hidden_cookie_value<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| utf8_percent_encode(n, COMPONENT).to_string())
        .collect::<Vec<_>>()
        .join("|")
}

fn store_error(e: OrgError) -> StoreError {
    match e {
        OrgError::Store(inner) => inner,
        other => StoreError::Backend(other.to_string()),
    }
}

/// The person's calendars as its DAV home lists them (`web::collections::visible`): its own
/// first, then those shared with it, each marked hidden when its name is in `hidden`, and
/// given a colour from the palette when it has none.
pub fn list(ctx: &WebCtx<'_>, v: &Viewer, hidden: &[String]) -> Result<Vec<Cal>, StoreError> {
    let listed =
        visible(ctx.store, ctx.plans, &v.account, CollectionKind::Calendar).map_err(store_error)?;
    Ok(listed
        .into_iter()
        .enumerate()
        .map(|(i, l)| Cal {
            hidden: hidden.contains(&l.path.name),
            writable: l.writable(),
            color: l
                .color
                .as_deref()
                .and_then(css_color)
                .unwrap_or_else(|| PALETTE[i % PALETTE.len()].to_owned()),
            name: l.path.name,
            label: l.title,
            shared_by: l.shared_by.map(|(owner, _)| owner),
            collection: l.collection,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_colours_lose_their_alpha_and_nothing_else_passes() {
        assert_eq!(css_color("#FF8800CC").as_deref(), Some("#ff8800"));
        assert_eq!(css_color("#1f77b4").as_deref(), Some("#1f77b4"));
        for bad in [
            "red", "#12345", "#12345g", "#1234567", "", "#fff;x:y", "1f77b4",
        ] {
            assert_eq!(css_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn hidden_names_round_trip_through_the_cookie() {
        let names = ["personal", ".shared-12", "a|b c;d,é"];
        let value = hidden_cookie_value(names.into_iter());
        assert!(!value.contains([';', ',', ' ', '"']), "{value}");
        assert_eq!(hidden_names(Some(&value)), names);
        assert!(hidden_names(None).is_empty());
        assert_eq!(hidden_names(Some("%FF|ok||")), ["ok"]);
    }
}
