//! The API's URL space under `/api/v1/`, parsed into typed [`Route`]s.
//!
//! ```text
//! plans                                        GET
//! invitations                                  GET
//! organisations                                GET, POST
//! organisations/ID                             GET
//! organisations/ID/contact                     PUT
//! organisations/ID/plan                        PUT
//! organisations/ID/leave                       POST
//! organisations/ID/join                        POST
//! organisations/ID/decline                     POST
//! organisations/ID/invitations                 GET
//! organisations/ID/invitations/LOGIN           DELETE
//! organisations/ID/members                     GET, POST
//! organisations/ID/members/remove              POST
//! organisations/ID/members/LOGIN               PATCH, DELETE
//! organisations/ID/teams                       GET, POST
//! organisations/ID/teams/TEAM                  GET, DELETE
//! organisations/ID/teams/TEAM/members/LOGIN    PUT, DELETE
//! shares                                       GET, POST
//! shares/SHARE-ID                              GET, PATCH, DELETE
//! shared-with-me                               GET
//! links                                        GET, POST
//! links/LINK-ID                                GET, DELETE
//! trash                                        GET
//! trash/ENTRY/restore                          POST
//! storage                                      GET
//! versions/OBJECT-PATH                         GET
//! restore/COLLECTION-PATH                      POST
//! restore/OBJECT-PATH                          POST
//! resources/COLLECTION-PATH                    DELETE
//! resources/OBJECT-PATH                        DELETE
//! KIND/LOGIN/NAME/import                       POST
//! KIND/LOGIN/NAME/export                       GET
//! KIND/LOGIN/NAME/objects/OBJECT/copy          POST
//! KIND/LOGIN/NAME/objects/OBJECT/move          POST
//! addressbooks/LOGIN/NAME/duplicates           GET
//! addressbooks/LOGIN/NAME/duplicates/merge     POST
//! addressbooks/LOGIN/NAME/groups               GET
//! addressbooks/LOGIN/NAME/groups/OBJECT        GET
//! addressbooks/LOGIN/NAME/objects/OBJECT/groups GET
//! ```
//!
//! `ID` is an organisation's id, `SHARE-ID` and `LINK-ID` a share's and a public link's, `ENTRY`
//! a trash entry's (`o12`: an object, `c3`: a collection). `COLLECTION-PATH` is the DAV path of
//! a calendar or address book without its leading slash (`dav/calendars/LOGIN/NAME/`),
//! `OBJECT-PATH` that of an object in one (`dav/calendars/LOGIN/NAME/EVENT.ics`); both are
//! passed on as they are (still percent-encoded), and the handler refuses a path that names
//! neither. `KIND` is `calendars` or `addressbooks`: `KIND/LOGIN/NAME` is a collection's DAV
//! path without the `dav/` prefix, `OBJECT` the name of an object in it; import takes the file
//! as the body. `dav-tests/openapi.rs` checks this table against `docs/openapi.yaml` and the
//! server.

use percent_encoding::percent_decode_str;

use super::error::ApiError;
use crate::org::share::CollectionPath;
use crate::store::CollectionKind;
use crate::transfer::relocate::Mode;

/// Path prefix of the API.
pub const PREFIX: &str = "/api/v1/";

/// True for every path of the API's space, `/api` and below: the API answers them all (a path
/// it does not have is its JSON 404), so none falls through to the DAV front end.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// A parsed API path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The plan catalogue.
    Plans,
    /// The caller's pending invitations.
    Invitations,
    /// The caller's organisations; creating one.
    Orgs,
    /// One organisation with its members and teams.
    Org(i64),
    /// Its legal contact details.
    Contact(i64),
    /// Its plan.
    Plan(i64),
    /// Leaving it.
    Leave(i64),
    /// Accepting the caller's invitation to it.
    Join(i64),
    /// Declining the caller's invitation to it.
    Decline(i64),
    /// Its pending invitations.
    OrgInvitations(i64),
    /// One pending invitation, by the invitee's login.
    Invitation(i64, String),
    /// Its members; adding one.
    Members(i64),
    /// Removing several members at once.
    RemoveMembers(i64),
    /// One member.
    Member(i64, String),
    /// Its teams; creating one.
    Teams(i64),
    /// One team.
    Team(i64, String),
    /// One member of one team.
    TeamMember(i64, String, String),
    /// The shares of the caller's collections; sharing one.
    Shares,
    /// One share.
    Share(i64),
    /// The collections shared with the caller.
    SharedWithMe,
    /// The caller's public links; creating one.
    Links,
    /// One public link.
    Link(i64),
    /// The caller's trash.
    Trash,
    /// Restoring a trash entry.
    TrashRestore(String),
    /// The caller's storage figures.
    Storage,
    /// The versions of the object at a DAV path.
    Versions(String),
    /// A point-in-time restore of the collection or object at a DAV path.
    RestoreAt(String),
    /// The calendar, address book or object at a DAV path (to delete).
    Resource(String),
    /// Importing a file into a collection.
    Import(CollectionPath),
    /// A collection as one file.
    Export(CollectionPath),
    /// Copying or moving one object of a collection.
    Relocate(CollectionPath, String, Mode),
    /// The groups of probable duplicate contacts of an address book.
    Duplicates(CollectionPath),
    /// Merging one such group.
    Merge(CollectionPath),
    /// The contact groups of an address book.
    Groups(CollectionPath),
    /// One contact group.
    Group(CollectionPath, String),
    /// The groups one contact belongs to.
    ContactGroups(CollectionPath, String),
}

/// The API's methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiMethod {
    /// GET (and HEAD).
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// Anything else.
    Other,
}

impl ApiMethod {
    /// Classifies a method token.
    pub fn parse(token: &str) -> ApiMethod {
        match token {
            "GET" | "HEAD" => ApiMethod::Get,
            "POST" => ApiMethod::Post,
            "PUT" => ApiMethod::Put,
            "PATCH" => ApiMethod::Patch,
            "DELETE" => ApiMethod::Delete,
            _ => ApiMethod::Other,
        }
    }
}

fn decode(segment: &str) -> Result<String, ApiError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::bad_request(format!("path segment {segment:?} is not UTF-8")))
}

fn org_id(segment: &str) -> Result<i64, ApiError> {
    segment
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{segment:?} is not an organisation id")))
}

fn item_id(segment: &str, what: &str) -> Result<i64, ApiError> {
    segment
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{segment:?} is not a {what} id")))
}

impl Route {
    /// Parses a request path (with the prefix, without the query string).
    pub fn parse(path: &str) -> Result<Route, ApiError> {
        let rest = path
            .strip_prefix(PREFIX)
            .ok_or_else(|| ApiError::no_route(path))?;
        // Routes ending in a DAV path keep it as it came, percent-encoding included.
        for (prefix, route) in [
            ("versions/", Route::Versions as fn(String) -> Route),
            ("restore/", Route::RestoreAt),
            ("resources/", Route::Resource),
        ] {
            if let Some(dav) = rest.strip_prefix(prefix) {
                return Ok(route(format!("/{dav}")));
            }
        }
        let segs: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .map(decode)
            .collect::<Result<_, _>>()?;
        let s: Vec<&str> = segs.iter().map(String::as_str).collect();
        Ok(match s.as_slice() {
            ["plans"] => Route::Plans,
            ["invitations"] => Route::Invitations,
            ["shares"] => Route::Shares,
            ["shares", id] => Route::Share(item_id(id, "share")?),
            ["shared-with-me"] => Route::SharedWithMe,
            ["links"] => Route::Links,
            ["links", id] => Route::Link(item_id(id, "link")?),
            ["trash"] => Route::Trash,
            ["trash", id, "restore"] => Route::TrashRestore((*id).to_owned()),
            ["storage"] => Route::Storage,
            ["organisations"] => Route::Orgs,
            ["organisations", id, rest @ ..] => {
                let id = org_id(id)?;
                match rest {
                    [] => Route::Org(id),
                    ["contact"] => Route::Contact(id),
                    ["plan"] => Route::Plan(id),
                    ["leave"] => Route::Leave(id),
                    ["join"] => Route::Join(id),
                    ["decline"] => Route::Decline(id),
                    ["invitations"] => Route::OrgInvitations(id),
                    ["invitations", login] => Route::Invitation(id, (*login).to_owned()),
                    ["members"] => Route::Members(id),
                    ["members", "remove"] => Route::RemoveMembers(id),
                    ["members", login] => Route::Member(id, (*login).to_owned()),
                    ["teams"] => Route::Teams(id),
                    ["teams", team] => Route::Team(id, (*team).to_owned()),
                    ["teams", team, "members", login] => {
                        Route::TeamMember(id, (*team).to_owned(), (*login).to_owned())
                    }
                    _ => return Err(ApiError::no_route(path)),
                }
            }
            [
                kind @ ("calendars" | "addressbooks"),
                login,
                name,
                rest @ ..,
            ] => {
                let kind = if *kind == "calendars" {
                    CollectionKind::Calendar
                } else {
                    CollectionKind::AddressBook
                };
                let at = CollectionPath {
                    kind,
                    login: (*login).to_owned(),
                    name: (*name).to_owned(),
                };
                let book = kind == CollectionKind::AddressBook;
                match rest {
                    ["import"] => Route::Import(at),
                    ["export"] => Route::Export(at),
                    ["objects", object, "copy"] => {
                        Route::Relocate(at, (*object).to_owned(), Mode::Copy)
                    }
                    ["objects", object, "move"] => {
                        Route::Relocate(at, (*object).to_owned(), Mode::Move)
                    }
                    ["duplicates"] if book => Route::Duplicates(at),
                    ["duplicates", "merge"] if book => Route::Merge(at),
                    ["groups"] if book => Route::Groups(at),
                    ["groups", object] if book => Route::Group(at, (*object).to_owned()),
                    ["objects", object, "groups"] if book => {
                        Route::ContactGroups(at, (*object).to_owned())
                    }
                    _ => return Err(ApiError::no_route(path)),
                }
            }
            _ => return Err(ApiError::no_route(path)),
        })
    }

    /// The methods this resource answers (the `Allow` header of a 405); HEAD wherever GET.
    pub fn allow(&self) -> &'static str {
        match self {
            Route::Plans
            | Route::Invitations
            | Route::Org(_)
            | Route::OrgInvitations(_)
            | Route::SharedWithMe
            | Route::Trash
            | Route::Storage
            | Route::Versions(_)
            | Route::Export(_)
            | Route::Duplicates(_)
            | Route::Groups(_)
            | Route::Group(..)
            | Route::ContactGroups(..) => "GET, HEAD",
            Route::Orgs | Route::Members(_) | Route::Teams(_) | Route::Shares | Route::Links => {
                "GET, HEAD, POST"
            }
            Route::Share(_) => "GET, HEAD, PATCH, DELETE",
            Route::Link(_) => "GET, HEAD, DELETE",
            Route::TrashRestore(_) | Route::RestoreAt(_) => "POST",
            Route::Resource(_) => "DELETE",
            Route::Contact(_) | Route::Plan(_) => "PUT",
            Route::Leave(_)
            | Route::Join(_)
            | Route::Decline(_)
            | Route::RemoveMembers(_)
            | Route::Import(_)
            | Route::Relocate(..)
            | Route::Merge(_) => "POST",
            Route::Invitation(..) => "DELETE",
            Route::Member(..) => "PATCH, DELETE",
            Route::Team(..) => "GET, HEAD, DELETE",
            Route::TeamMember(..) => "PUT, DELETE",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_api_paths() {
        assert_eq!(Route::parse("/api/v1/plans").unwrap(), Route::Plans);
        assert_eq!(
            Route::parse("/api/v1/invitations").unwrap(),
            Route::Invitations
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/join").unwrap(),
            Route::Join(7)
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/invitations/bob").unwrap(),
            Route::Invitation(7, "bob".into())
        );
        assert_eq!(Route::parse("/api/v1/organisations/").unwrap(), Route::Orgs);
        assert_eq!(
            Route::parse("/api/v1/organisations/7").unwrap(),
            Route::Org(7)
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/members/remove").unwrap(),
            Route::RemoveMembers(7)
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/members/bob").unwrap(),
            Route::Member(7, "bob".into())
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/teams/sales%20team/members/bob").unwrap(),
            Route::TeamMember(7, "sales team".into(), "bob".into())
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/x").unwrap_err().status,
            400
        );
        assert_eq!(Route::parse("/api/v1/nothing").unwrap_err().status, 404);
        let book = CollectionPath {
            kind: CollectionKind::AddressBook,
            login: "al".into(),
            name: "my book".into(),
        };
        assert_eq!(
            Route::parse("/api/v1/addressbooks/al/my%20book/objects/a.vcf/move").unwrap(),
            Route::Relocate(book.clone(), "a.vcf".into(), Mode::Move)
        );
        assert_eq!(
            Route::parse("/api/v1/addressbooks/al/my%20book/duplicates/merge").unwrap(),
            Route::Merge(book)
        );
        assert_eq!(
            Route::parse("/api/v1/calendars/al/work/duplicates")
                .unwrap_err()
                .status,
            404,
            "contact tools are for address books"
        );
        assert_eq!(Route::parse("/api/v1").unwrap_err().status, 404);
        assert!(is_api_path("/api") && is_api_path("/api/v1") && is_api_path("/api/v2/x"));
        assert!(!is_api_path("/apiary") && !is_api_path("/dav/api/"));
        assert_eq!(Route::parse("/api/v1/shares").unwrap(), Route::Shares);
        assert_eq!(Route::parse("/api/v1/shares/4").unwrap(), Route::Share(4));
        assert_eq!(Route::parse("/api/v1/shares/x").unwrap_err().status, 400);
        assert_eq!(
            Route::parse("/api/v1/shared-with-me").unwrap(),
            Route::SharedWithMe
        );
        assert_eq!(Route::parse("/api/v1/links/").unwrap(), Route::Links);
        assert_eq!(Route::parse("/api/v1/links/9").unwrap(), Route::Link(9));
        assert_eq!(Route::parse("/api/v1/trash").unwrap(), Route::Trash);
        assert_eq!(
            Route::parse("/api/v1/trash/o12/restore").unwrap(),
            Route::TrashRestore("o12".into())
        );
        assert_eq!(
            Route::parse("/api/v1/versions/dav/calendars/al/my%20cal/x%25.ics").unwrap(),
            Route::Versions("/dav/calendars/al/my%20cal/x%25.ics".into()),
            "the DAV path is passed on undecoded"
        );
        assert_eq!(
            Route::parse("/api/v1/restore/dav/addressbooks/al/contacts/").unwrap(),
            Route::RestoreAt("/dav/addressbooks/al/contacts/".into())
        );
        assert_eq!(
            Route::parse("/api/v1/resources/dav/calendars/al/personal/").unwrap(),
            Route::Resource("/dav/calendars/al/personal/".into())
        );
        assert_eq!(
            Route::parse("/api/v1/organisations/7/members/a/b")
                .unwrap_err()
                .status,
            404
        );
    }
}
