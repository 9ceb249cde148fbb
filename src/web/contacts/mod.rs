//! The contacts area: the viewer's address books (its own and those shared with it) with an
//! alphabetical list and a search, a contact's card with its edit form, new contacts, contact
//! groups, and probable duplicates with their merge. Every read and change goes through the
//! domain functions the JSON API uses (`transfer::place` for access, `contacts` for cards,
//! groups, duplicates and merges), so clients see each change at their next sync.
//!
//! An address book is named by `book`: its name in the viewer's home (its own, or the mount
//! name `.shared-ID` of one shared with it). The organisation directory is not listed: it is
//! generated for DAV clients, and the people in it are the organisation's, not the viewer's
//! contacts to edit.

mod card;
mod duplicates;
mod groups;
mod list;
mod texts;

use maud::{Markup, html};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::collections::visible;
use super::layout::{Area, page};
use super::{Viewer, WebCtx, WebRequest, WebResponse};
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::org::{Actor, OrgError};
use crate::store::{CollectionKind, StoreError};
use crate::transfer::TransferError;
use crate::transfer::place::{Place, open};
use texts::texts;

/// Where the contacts area lives.
const BASE: &str = "/web/contacts";

/// Routes `/web/contacts/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    let get = matches!(req.method, "GET" | "HEAD");
    let post = req.method == "POST";
    match tail {
        [] if get => list::page(ctx, req, v),
        ["card"] if get => card::show(ctx, req, v),
        ["card", "save"] if post => card::save(ctx, req, v),
        ["card", "delete"] if post => card::delete(ctx, req, v),
        ["new"] if get => card::new_form(ctx, req, v),
        ["new"] if post => card::create(ctx, req, v),
        ["groups"] if get => groups::page(ctx, req, v),
        ["groups", "create"] if post => groups::create(ctx, req, v),
        ["groups", "add"] if post => groups::add(ctx, req, v),
        ["groups", "remove"] if post => groups::remove(ctx, req, v),
        ["duplicates"] if get => duplicates::page(ctx, req, v),
        ["merge"] if post => duplicates::merge(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// An address book the viewer may read.
#[derive(Debug, Clone)]
struct Book {
    /// Its name in the viewer's home (`book=`).
    name: String,
    /// What the viewer calls it.
    label: String,
    /// Its owner's login, for one shared with the viewer.
    shared_by: Option<String>,
    /// Whether the viewer may change its contacts.
    writable: bool,
}

/// The viewer's address books, as its DAV home lists them (`web::collections::visible`): its
/// own, then those shared with it.
fn books(ctx: &WebCtx<'_>, v: &Viewer) -> Result<Vec<Book>, StoreError> {
    let listed = visible(
        ctx.store,
        ctx.plans,
        &v.account,
        CollectionKind::AddressBook,
    )
    .map_err(|e| match e {
        OrgError::Store(e) => e,
        other => StoreError::Backend(other.to_string()),
    })?;
    Ok(listed
        .into_iter()
        .map(|l| Book {
            writable: l.writable(),
            name: l.path.name,
            label: l.title,
            shared_by: l.shared_by.map(|(owner, _)| owner),
        })
        .collect())
}

/// Opens the viewer's address book `name` for `action`, with the access rules of DAV.
fn open_book(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    name: &str,
    action: Action,
) -> Result<Place, TransferError> {
    let path = CollectionPath::of(CollectionKind::AddressBook, &v.account.login, name);
    open(
        ctx.store,
        ctx.plans,
        Actor::Account(&v.account),
        &path,
        action,
    )
}

/// What a query value must escape: what ends or changes a query field (`&`, `=`, `+`, `#`),
/// `%` itself, spaces and what HTML or URLs treat specially; names such as `.shared-3` or
/// `a1b2.vcf` stay readable.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'\'')
    .add(b'{')
    .add(b'}');

/// `path` with a query string of `pairs` (each value percent-encoded).
fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(n, value)| format!("{n}={}", utf8_percent_encode(value, QUERY_VALUE)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A page of the contacts area.
fn contacts_page(v: &Viewer, status: u16, title: &str, content: Markup) -> WebResponse {
    WebResponse::html(status, page(v, Area::Contacts, title, content))
}

/// The answer for a book or card the viewer cannot see: 404, saying nothing of whether it
/// exists.
fn not_found(v: &Viewer) -> WebResponse {
    let t = texts(v.lang);
    contacts_page(
        v,
        404,
        t.title,
        html! {
            h1 { (t.title) }
            p.alert.error role="alert" { (t.not_found) }
            p { a href=(BASE) { (t.back_to_list) } }
        },
    )
}

/// The page for a refused request: a store failure is the caller's 500; a book or card the
/// viewer may not see is a 404; a read-only book is a 403 saying so; anything else shows the
/// domain's message.
fn refused(v: &Viewer, e: TransferError) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let (status, message) = match e {
        TransferError::Store(e) => return Err(e),
        TransferError::NotFound(_) => return Ok(not_found(v)),
        TransferError::Forbidden(_) => (403, t.read_only_book.to_owned()),
        TransferError::PreconditionFailed(_) => (409, t.changed_meanwhile.to_owned()),
        other => (other.status(), format!("{} {other}", t.refused)),
    };
    Ok(contacts_page(
        v,
        status,
        t.title,
        html! {
            h1 { (t.title) }
            p.alert.error role="alert" { (message) }
            p { a href=(BASE) { (t.back_to_list) } }
        },
    ))
}

/// The message a finished action left (`done=` after a redirect), with a link to the trash
/// after a deletion or a merge.
fn done_message(v: &Viewer, done: Option<&str>) -> Markup {
    let t = texts(v.lang);
    let (message, trash) = match done.unwrap_or("") {
        "saved" => (t.saved, false),
        "created" => (t.created, false),
        "deleted" => (t.deleted, true),
        "group-created" => (t.group_created, false),
        "member-added" => (t.member_added, false),
        "member-removed" => (t.member_removed, false),
        "merged" => (t.merged, true),
        _ => return html! {},
    };
    html! {
        p.alert.ok role="status" #status {
            (message)
            @if trash {
                " " a href=(Area::Trash.path()) #trash-link { (t.to_trash) }
            }
        }
    }
}

/// The navigation between the viewer's address books and the pages of the current one.
fn book_nav(v: &Viewer, books: &[Book], current: &Book) -> Markup {
    let t = texts(v.lang);
    html! {
        nav.contacts-books aria-label=(t.books) {
            ul {
                @for b in books {
                    li {
                        @let href = link(BASE, &[("book", &b.name)]);
                        @if b.name == current.name {
                            a href=(href) aria-current="page" { (b.label) }
                        } @else {
                            a href=(href) { (b.label) }
                        }
                        @if let Some(owner) = &b.shared_by {
                            " " span.muted { "(" (t.shared_by) " " (owner) @if !b.writable { ", " (t.read_only) } ")" }
                        }
                    }
                }
            }
        }
        p.actions.contacts-tools {
            a href=(link(BASE, &[("book", &current.name)])) #nav-list { (t.title) }
            a href=(link(&format!("{BASE}/groups"), &[("book", &current.name)])) #nav-groups { (t.groups) }
            a href=(link(&format!("{BASE}/duplicates"), &[("book", &current.name)])) #nav-duplicates { (t.duplicates) }
            @if current.writable {
                a.button href=(link(&format!("{BASE}/new"), &[("book", &current.name)])) #new-contact { (t.new_contact) }
            }
        }
    }
}

/// The viewer's books and the one `book=` names (the first when none is named); `None` when
/// the named one is not among them (or there are none).
fn current_book(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    wanted: Option<&str>,
) -> Result<(Vec<Book>, Option<Book>), StoreError> {
    let all = books(ctx, v)?;
    let current = match wanted {
        Some(name) => all.iter().find(|b| b.name == name).cloned(),
        None => all.first().cloned(),
    };
    Ok((all, current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_escape_what_would_break_the_query_only() {
        assert_eq!(
            link(BASE, &[("book", ".shared-3"), ("q", "a&b=c+d #%")]),
            "/web/contacts?book=.shared-3&q=a%26b%3Dc%2Bd%20%23%25"
        );
        assert_eq!(link(BASE, &[]), BASE);
    }
}
