//! `GET /web/contacts/duplicates?book=NAME`: the groups of probable duplicates
//! (`contacts::duplicates`), each with the card to keep to choose and a merge button, posting
//! to `POST /web/contacts/merge` (`contacts::merge`: the kept card gains what only the others
//! have, the others go to the trash, in the viewer's name, so the merge can be undone).

use maud::html;

use super::texts::texts;
use super::{Action, BASE, book_nav, contacts_page, current_book, done_message, link};
use super::{not_found, open_book, refused};
use crate::contacts::{duplicates, merge};
use crate::store::{Deleter, StoreError};
use crate::web::layout::csrf_field;
use crate::web::{Form, Viewer, WebCtx, WebRequest, WebResponse};

/// The duplicates page.
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
    let found = match duplicates::duplicates(ctx.store, &place) {
        Ok(d) => d,
        Err(e) => return refused(v, e),
    };
    let content = html! {
        h1 { (t.duplicates) " · " (book.label) }
        (done_message(v, query.get("done")))
        (book_nav(v, &books, &book))
        @if found.is_empty() {
            p.empty #no-duplicates { (t.no_duplicates) }
        } @else {
            p.muted { (t.duplicates_intro) }
        }
        @for (i, group) in found.iter().enumerate() {
            form.card.duplicate-group method="post" action={ (BASE) "/merge" } data-group=(i) {
                (csrf_field(v))
                input type="hidden" name="book" value=(book.name);
                p { (t.shared_values) " " (group.reasons.join(", ")) }
                fieldset {
                    legend { (t.keep) }
                    @for (j, c) in group.cards.iter().enumerate() {
                        input type="hidden" name="card" value=(c.name);
                        div.check {
                            input type="radio" name="keep" value=(c.name) id={ "keep-" (i) "-" (j) } checked[j == 0];
                            label for={ "keep-" (i) "-" (j) } {
                                a href=(link(&format!("{BASE}/card"), &[("book", &book.name), ("card", &c.name)])) { (c.display_name) }
                                @for e in &c.emails { " " span.muted { (e) } }
                                @for p in &c.phones { " " span.muted { (p) } }
                            }
                        }
                    }
                }
                @if book.writable {
                    button type="submit" id={ "merge-" (i) } { (t.merge) }
                }
            }
        }
    };
    Ok(contacts_page(v, 200, t.duplicates, content))
}

/// `POST /web/contacts/merge` (`book`, `card` for each card of the group, `keep`).
pub(super) fn merge(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
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
    let names: Vec<String> = f.all("card").map(str::to_owned).collect();
    match merge::merge(
        ctx.store,
        &place,
        &names,
        f.get("keep"),
        Deleter::Account(v.account.id),
    ) {
        Ok(_) => Ok(WebResponse::see_other(&link(
            &format!("{BASE}/duplicates"),
            &[("book", book), ("done", "merged")],
        ))),
        Err(e) => refused(v, e),
    }
}
