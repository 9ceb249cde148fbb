//! The calendars a person sees in the web view: its own, while its organisation has the
//! calendar product on, and those shared with it that DAV serves it (`org::share::
//! shared_with`: not removed, products on for the owner and for the share's organisation),
//! each under its name in the person's home (own name, or the `.shared-ID` mount), with the
//! name and colour the person sees (a sharee's own view first) and whether it is hidden.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::org::OrgError;
use crate::org::access::{Access, Action, Product, home_access};
use crate::org::home::home;
use crate::org::share::{mount_name, shared_with};
use crate::store::{Collection, CollectionKind, StoreError};
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

/// The person's calendars: its own first (by name), then those shared with it (by owner,
/// then name), each marked hidden when its name is in `hidden`.
pub fn list(ctx: &WebCtx<'_>, v: &Viewer, hidden: &[String]) -> Result<Vec<Cal>, StoreError> {
    let account = &v.account;
    let governing = home(ctx.store, ctx.plans, account.id).map_err(store_error)?;
    let mut cals = Vec::new();
    let own = home_access(account, account.id, Product::Calendar, governing.as_ref());
    if let Access::Owner = own {
        for c in ctx
            .store
            .list_collections(account.id, CollectionKind::Calendar)?
        {
            cals.push(Cal {
                name: c.name.clone(),
                label: c
                    .props
                    .display_name
                    .clone()
                    .unwrap_or_else(|| c.name.clone()),
                color: c
                    .props
                    .color
                    .as_deref()
                    .and_then(css_color)
                    .unwrap_or_default(),
                shared_by: None,
                writable: true,
                hidden: false,
                collection: c,
            });
        }
    }
    for (shared, access) in shared_with(ctx.store, ctx.plans, account).map_err(store_error)? {
        if shared.collection.kind != CollectionKind::Calendar {
            continue;
        }
        let c = shared.collection;
        let color = shared
            .view
            .color
            .as_deref()
            .or(c.props.color.as_deref())
            .and_then(css_color)
            .unwrap_or_default();
        cals.push(Cal {
            name: mount_name(c.id),
            label: shared
                .view
                .display_name
                .or_else(|| c.props.display_name.clone())
                .unwrap_or_else(|| c.name.clone()),
            color,
            shared_by: Some(shared.owner.login),
            writable: Access::Shared(access).allows(Action::WriteContent).is_ok(),
            hidden: false,
            collection: c,
        });
    }
    for (i, cal) in cals.iter_mut().enumerate() {
        if cal.color.is_empty() {
            cal.color = PALETTE[i % PALETTE.len()].to_owned();
        }
        cal.hidden = hidden.contains(&cal.name);
    }
    Ok(cals)
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
