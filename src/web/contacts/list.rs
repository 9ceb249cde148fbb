//! `GET /web/contacts[?book=NAME][&q=TEXT][&group=GROUP-OBJECT]`: the contacts of an address
//! book in alphabetical order under letter headings, all of them, those a search finds
//! (`contacts::search`, through the text index), or the members of a group.

use std::collections::HashSet;

use maud::{Markup, html};

use super::texts::texts;
use super::{Action, not_found, open_book};
use super::{BASE, Book, book_nav, contacts_page, current_book, done_message, link, refused};
use crate::contacts::search::search;
use crate::contacts::{Card, cards, groups};
use crate::ical::contact::{member_uid, sort_key};
use crate::store::StoreError;
use crate::web::{Viewer, WebCtx, WebRequest, WebResponse};

/// The heading a name files under: its first letter without accents, `#` for anything else.
fn letter(key: &str) -> String {
    match key.chars().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".to_owned(),
    }
}

/// The list page.
pub(super) fn page(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let query = req.query_form();
    let (books, current) = current_book(ctx, v, query.get("book"))?;
    let Some(book) = current else {
        if query.get("book").is_some() {
            return Ok(not_found(v));
        }
        return Ok(contacts_page(
            v,
            200,
            t.title,
            html! { h1 { (t.title) } p.empty { (t.no_books) } },
        ));
    };
    let place = match open_book(ctx, v, &book.name, Action::Read) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    let q = query.get("q").map(str::trim).filter(|q| !q.is_empty());
    let found = match q {
        Some(q) => search(ctx.store, &place, q),
        None => cards(ctx.store, &place),
    };
    let mut found: Vec<Card> = match found {
        Ok(c) => c
            .into_iter()
            .filter(|c| c.contact.group.is_none())
            .collect(),
        Err(e) => return refused(v, e),
    };
    let group = match query.get("group") {
        Some(name) => match groups::group(ctx.store, &place, name) {
            Ok(g) => Some(g),
            Err(e) => return refused(v, e),
        },
        None => None,
    };
    if let Some(g) = &group {
        let members: HashSet<&str> = g.members.iter().map(|m| m.uid.as_str()).collect();
        found.retain(|c| members.contains(member_uid(&c.contact.uid)));
    }
    let mut sorted: Vec<(String, Card)> = found
        .into_iter()
        .map(|c| (sort_key(&c.contact.display_name), c))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let content = html! {
        h1 { (t.title) " · " (book.label) }
        (done_message(v, query.get("done")))
        (book_nav(v, &books, &book))
        (search_form(v, &book, q, query.get("group")))
        @if let Some(g) = &group {
            p #group-filter { (t.in_group) " " strong { (g.display_name) } " · "
                a href=(link(BASE, &[("book", &book.name)])) { (t.clear_search) } }
        }
        @if let Some(q) = q {
            p #search-for { (t.results_for) " « " strong { (q) } " » · "
                a href=(link(BASE, &[("book", &book.name)])) { (t.clear_search) } }
        }
        @if sorted.is_empty() {
            p.empty #no-contacts { @if q.is_some() || group.is_some() { (t.no_results) } @else { (t.no_contacts) } }
        } @else {
            (letters(&book, &sorted))
        }
    };
    Ok(contacts_page(v, 200, t.title, content))
}

/// The search box (a GET form: the result is a page one can bookmark).
fn search_form(v: &Viewer, book: &Book, q: Option<&str>, group: Option<&str>) -> Markup {
    let t = texts(v.lang);
    html! {
        form.contacts-search role="search" method="get" action=(BASE) {
            input type="hidden" name="book" value=(book.name);
            @if let Some(g) = group { input type="hidden" name="group" value=(g); }
            label for="q" { (t.search_label) }
            div.inline {
                input type="search" id="q" name="q" value=(q.unwrap_or("")) autocomplete="off";
                button type="submit" id="search-button" { (t.search) }
            }
        }
    }
}

/// The contacts under their letter headings.
fn letters(book: &Book, sorted: &[(String, Card)]) -> Markup {
    let mut sections: Vec<(String, Vec<&Card>)> = Vec::new();
    for (key, card) in sorted {
        let l = letter(key);
        match sections.last_mut() {
            Some((last, cards)) if *last == l => cards.push(card),
            _ => sections.push((l, vec![card])),
        }
    }
    html! {
        nav.letters aria-hidden="true" {
            @for (l, _) in &sections { a href={ "#letter-" (l) } { (l) } " " }
        }
        @for (l, cards) in &sections {
            section.letter id={ "letter-" (l) } {
                h2 { (l) }
                ul.contacts {
                    @for c in cards {
                        li {
                            a.contact href=(link(&format!("{BASE}/card"), &[("book", &book.name), ("card", &c.name)])) data-card=(c.name) {
                                span.name { (display_name(c)) }
                            }
                            @if let Some(e) = c.contact.emails.first() { " " span.muted.email { (e) } }
                            @if let Some(p) = c.contact.phones.first() { " " span.muted.phone { (p) } }
                        }
                    }
                }
            }
        }
    }
}

/// What a card is called in a list: its FN, else its object name.
pub(super) fn display_name(c: &Card) -> &str {
    if c.contact.display_name.is_empty() {
        &c.name
    } else {
        &c.contact.display_name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_under_their_first_letter_without_accents() {
        assert_eq!(letter(&sort_key("Émile")), "E");
        assert_eq!(letter(&sort_key("zoé")), "Z");
        assert_eq!(letter(&sort_key("+41 79")), "#");
        assert_eq!(letter(""), "#");
    }
}
