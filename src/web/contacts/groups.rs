//! `GET /web/contacts/groups?book=NAME`: the contact groups of an address book in either form
//! clients write them (`contacts::groups`), with their members; a group is created, and
//! members added and removed, through the domain functions (`POST /web/contacts/groups/create`,
//! `.../add`, `.../remove`), each in the form the group is written in.

use std::collections::HashSet;

use maud::html;

use super::list::display_name;
use super::texts::texts;
use super::{Action, BASE, book_nav, contacts_page, current_book, done_message, link};
use super::{not_found, open_book, refused};
use crate::contacts::{cards, groups};
use crate::ical::contact::member_uid;
use crate::store::StoreError;
use crate::web::layout::csrf_field;
use crate::web::{Form, Viewer, WebCtx, WebRequest, WebResponse};

/// The groups page.
pub(super) fn page(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let query = req.query_form();
    let (books, Some(book)) = current_book(ctx, v, query.get("book"))? else {
        return Ok(not_found(v));
    };
    let place = match open_book(ctx, v, &book.name, Action::Read) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    let (all, mut people) = match (groups::groups(ctx.store, &place), cards(ctx.store, &place)) {
        (Ok(g), Ok(c)) => (g, c),
        (Err(e), _) | (_, Err(e)) => return refused(v, e),
    };
    people.retain(|c| c.contact.group.is_none());
    people.sort_by_key(|c| crate::ical::contact::sort_key(&c.contact.display_name));
    let groups_path = format!("{BASE}/groups");
    let content = html! {
        h1 { (t.groups) " · " (book.label) }
        (done_message(v, query.get("done")))
        (book_nav(v, &books, &book))
        @if all.is_empty() { p.empty #no-groups { (t.no_groups) } }
        @for g in &all {
            @let members: HashSet<&str> = g.members.iter().map(|m| m.uid.as_str()).collect();
            section.card.group data-group=(g.name) {
                h2 { (g.display_name) " " span.muted.form { "(" (if g.form == "vcard4" { t.form_vcard4 } else { t.form_apple }) ")" } }
                p { a href=(link(BASE, &[("book", &book.name), ("group", &g.name)])) { (t.show_members) } }
                h3 { (t.members) }
                @if g.members.is_empty() { p.empty { (t.no_members) } }
                ul.members {
                    @for m in &g.members {
                        li {
                            @match (&m.display_name, &m.href) {
                                (Some(name), Some(_)) => { (name) }
                                _ => { span.muted { (m.uid) " — " (t.unknown_member) } }
                            }
                            @if book.writable {
                                " "
                                form.inline method="post" action={ (groups_path) "/remove" } {
                                    (csrf_field(v))
                                    input type="hidden" name="book" value=(book.name);
                                    input type="hidden" name="group" value=(g.name);
                                    input type="hidden" name="uid" value=(m.uid);
                                    button.secondary type="submit" name="remove" { (t.remove) }
                                }
                            }
                        }
                    }
                }
                @if book.writable {
                    @let candidates: Vec<_> = people.iter().filter(|c| !members.contains(member_uid(&c.contact.uid))).collect();
                    @if !candidates.is_empty() {
                        form.inline.add-member method="post" action={ (groups_path) "/add" } {
                            (csrf_field(v))
                            input type="hidden" name="book" value=(book.name);
                            input type="hidden" name="group" value=(g.name);
                            label for={ "add-" (g.name) } { (t.add_member) }
                            select id={ "add-" (g.name) } name="card" {
                                @for c in candidates { option value=(c.name) { (display_name(c)) } }
                            }
                            button type="submit" { (t.add) }
                        }
                    }
                }
            }
        }
        @if book.writable {
            form.card #create-group method="post" action={ (groups_path) "/create" } {
                (csrf_field(v))
                input type="hidden" name="book" value=(book.name);
                label for="group-name" { (t.group_name) }
                div.inline {
                    input type="text" id="group-name" name="name" required;
                    button type="submit" id="create-group-button" { (t.create_group) }
                }
            }
        }
    };
    Ok(contacts_page(v, 200, t.groups, content))
}

/// Opens the book a group form names for writing, runs `change` on it, and goes back to the
/// groups page saying `done`.
fn change(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    done: &str,
    change: impl FnOnce(
        &crate::transfer::place::Place,
        &Form,
    ) -> Result<(), crate::transfer::TransferError>,
) -> Result<WebResponse, StoreError> {
    let f = Form::parse_body(req.body);
    let Some(book) = f.get("book") else {
        return Ok(not_found(v));
    };
    if let Err(e) = open_book(ctx, v, book, Action::Read) {
        return refused(v, e);
    }
    let place = match open_book(ctx, v, book, Action::WriteContent) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    match change(&place, &f) {
        Ok(()) => Ok(WebResponse::see_other(&link(
            &format!("{BASE}/groups"),
            &[("book", book), ("done", done)],
        ))),
        Err(e) => refused(v, e),
    }
}

/// `POST /web/contacts/groups/create` (`book`, `name`).
pub(super) fn create(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    change(ctx, req, v, "group-created", |place, f| {
        groups::create_group(ctx.store, place, f.get("name").unwrap_or("")).map(|_| ())
    })
}

/// `POST /web/contacts/groups/add` (`book`, `group`, `card`).
pub(super) fn add(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    change(ctx, req, v, "member-added", |place, f| {
        let (group, card) = (f.get("group").unwrap_or(""), f.get("card").unwrap_or(""));
        groups::add_member(ctx.store, place, group, card)
    })
}

/// `POST /web/contacts/groups/remove` (`book`, `group`, `uid`).
pub(super) fn remove(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    change(ctx, req, v, "member-removed", |place, f| {
        let (group, uid) = (f.get("group").unwrap_or(""), f.get("uid").unwrap_or(""));
        groups::remove_member(ctx.store, place, group, uid)
    })
}
