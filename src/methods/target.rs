//! The URL space: request paths parsed into typed [`Target`]s, and the canonical hrefs the
//! server writes for them (one encoder, so what PROPFIND lists is what sync and multiget list).
//!
//! ```text
//! /                                   root (answers current-user-principal)
//! /.well-known/caldav|carddav         RFC 6764 entry points
//! /dav/                               DAV root
//! /dav/principals/users/LOGIN/        principal
//! /dav/calendars/LOGIN/NAME/OBJECT    calendar home, calendar, calendar object
//! /dav/addressbooks/LOGIN/NAME/OBJECT address book home, address book, vCard
//! ```

use crate::href::{PathError, decode_path, encode_segment};
use crate::org::share::{CollectionPath, homes_kind, homes_segment};
use crate::store::CollectionKind;

/// Path prefix of everything DAV.
pub const DAV_ROOT: &str = "/dav/";

/// A parsed request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/`
    Root,
    /// `/.well-known/caldav` or `/.well-known/carddav` (RFC 6764).
    WellKnown(CollectionKind),
    /// `/dav/`
    DavRoot,
    /// `/dav/principals/`
    PrincipalsRoot,
    /// `/dav/principals/users/`
    PrincipalsUsers,
    /// `/dav/principals/users/LOGIN/`
    Principal(String),
    /// `/dav/calendars/` or `/dav/addressbooks/`
    HomeSet(CollectionKind),
    /// `/dav/calendars/LOGIN/`
    Home(CollectionKind, String),
    /// `/dav/calendars/LOGIN/NAME/`
    Collection(CollectionKind, String, String),
    /// `/dav/calendars/LOGIN/NAME/OBJECT`
    Object(CollectionKind, String, String, String),
    /// Anything else (404).
    Unknown,
}

impl Target {
    /// Parses a request path (without query string).
    pub fn parse(path: &str) -> Result<Target, PathError> {
        let (segs, _) = decode_path(path)?;
        let s: Vec<&str> = segs.iter().map(String::as_str).collect();
        let owned = |x: &str| x.to_owned();
        Ok(match s.as_slice() {
            [] => Target::Root,
            [".well-known", "caldav"] => Target::WellKnown(CollectionKind::Calendar),
            [".well-known", "carddav"] => Target::WellKnown(CollectionKind::AddressBook),
            ["dav"] => Target::DavRoot,
            ["dav", "principals"] => Target::PrincipalsRoot,
            ["dav", "principals", "users"] => Target::PrincipalsUsers,
            ["dav", "principals", "users", login] => Target::Principal(owned(login)),
            ["dav", homes, rest @ ..] => {
                let Some(kind) = homes_kind(homes) else {
                    return Ok(Target::Unknown);
                };
                match rest {
                    [] => Target::HomeSet(kind),
                    [login] => Target::Home(kind, owned(login)),
                    [login, coll] => Target::Collection(kind, owned(login), owned(coll)),
                    [login, coll, obj] => {
                        Target::Object(kind, owned(login), owned(coll), owned(obj))
                    }
                    _ => Target::Unknown,
                }
            }
            _ => Target::Unknown,
        })
    }
}

/// Href of an RFC 6764 entry point.
pub fn well_known_href(kind: CollectionKind) -> &'static str {
    match kind {
        CollectionKind::Calendar => "/.well-known/caldav",
        CollectionKind::AddressBook => "/.well-known/carddav",
    }
}

/// Href of a principal.
pub fn principal_href(login: &str) -> String {
    format!("/dav/principals/users/{}/", encode_segment(login))
}

/// Href of a home set (`/dav/calendars/`).
pub fn home_set_href(kind: CollectionKind) -> String {
    format!("/dav/{}/", homes_segment(kind))
}

/// Href of a home.
pub fn home_href(kind: CollectionKind, login: &str) -> String {
    format!("/dav/{}/{}/", homes_segment(kind), encode_segment(login))
}

/// Href of a collection.
pub fn collection_href(kind: CollectionKind, login: &str, name: &str) -> String {
    CollectionPath::of(kind, login, name).href()
}

/// Href of an object, given its collection's href.
pub fn object_href(collection_href: &str, name: &str) -> String {
    format!("{collection_href}{}", encode_segment(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_url_space() {
        use CollectionKind::*;
        assert_eq!(Target::parse("/").unwrap(), Target::Root);
        assert_eq!(
            Target::parse("/.well-known/caldav").unwrap(),
            Target::WellKnown(Calendar)
        );
        assert_eq!(Target::parse("/dav").unwrap(), Target::DavRoot);
        assert_eq!(
            Target::parse("/dav/principals/users/al/").unwrap(),
            Target::Principal("al".into())
        );
        assert_eq!(
            Target::parse("/dav/calendars/").unwrap(),
            Target::HomeSet(Calendar)
        );
        assert_eq!(
            Target::parse("/dav/addressbooks/al/c/x%20y.vcf").unwrap(),
            Target::Object(AddressBook, "al".into(), "c".into(), "x y.vcf".into())
        );
        assert_eq!(Target::parse("/dav/other/").unwrap(), Target::Unknown);
        assert_eq!(
            Target::parse("/dav/calendars/a/b/c/d").unwrap(),
            Target::Unknown
        );
        assert!(Target::parse("/dav/calendars/a/../b/").is_err());
    }

    #[test]
    fn hrefs_round_trip_through_parse() {
        let coll = collection_href(CollectionKind::Calendar, "al", "my cal");
        let obj = object_href(&coll, "ev#1?.ics");
        assert_eq!(
            Target::parse(&obj).unwrap(),
            Target::Object(
                CollectionKind::Calendar,
                "al".into(),
                "my cal".into(),
                "ev#1?.ics".into()
            )
        );
    }
}
