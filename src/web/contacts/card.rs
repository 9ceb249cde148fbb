//! One contact: `GET /web/contacts/card?book=NAME&card=OBJECT-NAME` shows it with its edit
//! form, `POST /web/contacts/card/save` writes the form into the card (`contacts::edit::save`,
//! conditional on the ETag the form was drawn with), `POST /web/contacts/card/delete` moves it
//! to the trash; `GET /web/contacts/new?book=NAME` and `POST /web/contacts/new` create one.
//! Refusals redraw the form with what was typed and say why; nothing is written.

use maud::{Markup, html};

use super::texts::{Texts, texts};
use super::{Action, BASE, Book, contacts_page, current_book, done_message, link, not_found};
use super::{open_book, refused};
use crate::contacts::edit::{self, EditError};
use crate::contacts::groups::{GroupView, groups_of};
use crate::ical::card_compose::{Address, CardForm, ComposeError, read_form};
use crate::store::{Deleter, StoreError};
use crate::transfer::TransferError;
use crate::web::dates::day_month;
use crate::web::i18n::Lang;
use crate::web::layout::csrf_field;
use crate::web::{Form, Viewer, WebCtx, WebRequest, WebResponse};

/// A card as the page draws it.
struct Shown<'a> {
    book: &'a Book,
    /// Its object name (`None`: a new card).
    name: Option<&'a str>,
    /// The ETag the form is drawn with.
    etag: &'a str,
    /// Its values, or why the form cannot edit it.
    form: Result<CardForm, ComposeError>,
    /// The groups that list it.
    groups: Vec<GroupView>,
    /// A message above it: (text, is it an error).
    alert: Option<(String, bool)>,
}

/// The card page.
pub(super) fn show(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let query = req.query_form();
    let (Some(book), Some(name)) = (query.get("book"), query.get("card")) else {
        return Ok(not_found(v));
    };
    let done = done_message(v, query.get("done"));
    current(ctx, v, book, name, 200, None, done)
}

/// Draws the card `name` of `book` as stored now, with `status` and `alert`.
fn current(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    book: &str,
    name: &str,
    status: u16,
    alert: Option<(String, bool)>,
    done: Markup,
) -> Result<WebResponse, StoreError> {
    let (_, Some(book)) = current_book(ctx, v, Some(book))? else {
        return Ok(not_found(v));
    };
    let place = match open_book(ctx, v, &book.name, Action::Read) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    let Some(object) = ctx.store.get_object(place.collection.id, name)? else {
        return Ok(not_found(v));
    };
    let groups = match groups_of(ctx.store, &place, name) {
        Ok(g) => g,
        Err(e) => return refused(v, e),
    };
    let shown = Shown {
        book: &book,
        name: Some(name),
        etag: &object.meta.etag,
        form: read_form(&object.body),
        groups,
        alert,
    };
    Ok(draw(v, status, &shown, done))
}

/// The form's values as typed: positional lists (an emptied line removes that value); the
/// display name, when left empty, made of the given and family names.
fn typed(f: &Form) -> CardForm {
    let list = |name: &str| f.all(name).map(str::to_owned).collect::<Vec<_>>();
    let column = |name: &str, i: usize| f.all(name).nth(i).unwrap_or("").to_owned();
    let count = [
        "adr_street",
        "adr_locality",
        "adr_region",
        "adr_code",
        "adr_country",
    ]
    .iter()
    .map(|n| f.all(n).count())
    .max()
    .unwrap_or(0);
    let addresses = (0..count)
        .map(|i| Address {
            street: column("adr_street", i),
            locality: column("adr_locality", i),
            region: column("adr_region", i),
            postal_code: column("adr_code", i),
            country: column("adr_country", i),
        })
        .collect();
    let get = |name: &str| f.get(name).unwrap_or("").to_owned();
    let (given, family) = (get("given"), get("family"));
    let mut full_name = get("fn").trim().to_owned();
    if full_name.is_empty() {
        full_name = format!("{} {}", given.trim(), family.trim())
            .trim()
            .to_owned();
    }
    CardForm {
        full_name,
        family,
        given,
        org: get("org"),
        title: get("title"),
        emails: list("email"),
        phones: list("tel"),
        addresses,
        urls: list("url"),
        birthday: get("bday"),
        note: get("note"),
    }
}

/// The message for a form the card cannot take.
fn form_message(t: &Texts, e: &ComposeError) -> String {
    match e {
        ComposeError::MissingName => t.missing_name.to_owned(),
        ComposeError::Birthday(_) => t.bad_birthday.to_owned(),
        ComposeError::NotEditable(_) => t.not_editable.to_owned(),
    }
}

/// `POST /web/contacts/card/save`.
pub(super) fn save(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let (Some(book_name), Some(name), Some(etag)) = (f.get("book"), f.get("card"), f.get("etag"))
    else {
        return Ok(not_found(v));
    };
    let (_, Some(book)) = current_book(ctx, v, Some(book_name))? else {
        return Ok(not_found(v));
    };
    if let Err(e) = open_book(ctx, v, &book.name, Action::Read) {
        return refused(v, e);
    }
    let place = match open_book(ctx, v, &book.name, Action::WriteContent) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    let form = typed(&f);
    let alert = match edit::save(ctx.store, &place, name, etag, &form) {
        Ok(_) => {
            return Ok(WebResponse::see_other(&link(
                &format!("{BASE}/card"),
                &[("book", &book.name), ("card", name), ("done", "saved")],
            )));
        }
        Err(EditError::Transfer(TransferError::PreconditionFailed(_))) => {
            let alert = Some((t.changed_meanwhile.to_owned(), true));
            return current(ctx, v, &book.name, name, 409, alert, html! {});
        }
        Err(EditError::Form(e)) => (400, form_message(t, &e)),
        Err(EditError::Transfer(TransferError::Refused(e))) => {
            (e.status(), format!("{} {}", t.refused, e.message))
        }
        Err(EditError::Transfer(e)) => return refused(v, e),
    };
    let groups = match groups_of(ctx.store, &place, name) {
        Ok(g) => g,
        Err(e) => return refused(v, e),
    };
    let shown = Shown {
        book: &book,
        name: Some(name),
        etag,
        form: Ok(form),
        groups,
        alert: Some((alert.1, true)),
    };
    Ok(draw(v, alert.0, &shown, html! {}))
}

/// `POST /web/contacts/card/delete`: to the trash of the book's owner.
pub(super) fn delete(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let f = Form::parse_body(req.body);
    let (Some(book_name), Some(name), Some(etag)) = (f.get("book"), f.get("card"), f.get("etag"))
    else {
        return Ok(not_found(v));
    };
    if let Err(e) = open_book(ctx, v, book_name, Action::Read) {
        return refused(v, e);
    }
    let place = match open_book(ctx, v, book_name, Action::WriteContent) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    match edit::delete(
        ctx.store,
        &place,
        name,
        etag,
        Deleter::Account(v.account.id),
    ) {
        Ok(()) => Ok(WebResponse::see_other(&link(
            BASE,
            &[("book", book_name), ("done", "deleted")],
        ))),
        Err(e) => refused(v, e),
    }
}

/// `GET /web/contacts/new?book=NAME`: an empty form.
pub(super) fn new_form(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let query = req.query_form();
    let (_, Some(book)) = current_book(ctx, v, query.get("book"))? else {
        return Ok(not_found(v));
    };
    if let Err(e) = open_book(ctx, v, &book.name, Action::WriteContent) {
        return refused(v, e);
    }
    let shown = Shown {
        book: &book,
        name: None,
        etag: "",
        form: Ok(CardForm::default()),
        groups: Vec::new(),
        alert: None,
    };
    Ok(draw(v, 200, &shown, html! {}))
}

/// `POST /web/contacts/new`.
pub(super) fn create(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let (_, Some(book)) = current_book(ctx, v, f.get("book"))? else {
        return Ok(not_found(v));
    };
    let place = match open_book(ctx, v, &book.name, Action::WriteContent) {
        Ok(p) => p,
        Err(e) => return refused(v, e),
    };
    let form = typed(&f);
    let (status, message) = match edit::create(ctx.store, &place, &form) {
        Ok(written) => {
            return Ok(WebResponse::see_other(&link(
                &format!("{BASE}/card"),
                &[
                    ("book", &book.name),
                    ("card", &written.name),
                    ("done", "created"),
                ],
            )));
        }
        Err(EditError::Form(e)) => (400, form_message(t, &e)),
        Err(EditError::Transfer(TransferError::Refused(e))) => {
            (e.status(), format!("{} {}", t.refused, e.message))
        }
        Err(EditError::Transfer(e)) => return refused(v, e),
    };
    let shown = Shown {
        book: &book,
        name: None,
        etag: "",
        form: Ok(form),
        groups: Vec::new(),
        alert: Some((message, true)),
    };
    Ok(draw(v, status, &shown, html! {}))
}

/// The page of a card: what it says, the groups that list it, and its edit form when the
/// viewer may change it.
fn draw(v: &Viewer, status: u16, s: &Shown<'_>, done: Markup) -> WebResponse {
    let t = texts(v.lang);
    let title = match (&s.form, s.name) {
        (_, None) => t.new_contact.to_owned(),
        (Ok(f), Some(_)) if !f.full_name.is_empty() => f.full_name.clone(),
        (_, Some(n)) => n.to_owned(),
    };
    let back = link(BASE, &[("book", &s.book.name)]);
    let content = html! {
        p.back { a href=(back) #back-to-list { "← " (t.back_to_list) } }
        h1 #contact-name { (title) }
        (done)
        @if let Some((message, error)) = &s.alert {
            @if *error {
                p.alert.error role="alert" #form-error { (message) }
            } @else {
                p.alert.ok role="status" { (message) }
            }
        }
        @match &s.form {
            Ok(f) => {
                @if s.name.is_some() { (details(v.lang, f)) }
                @if !s.groups.is_empty() {
                    section.card.contact-groups {
                        h2 { (t.member_of) }
                        ul {
                            @for g in &s.groups {
                                li { a href=(link(BASE, &[("book", &s.book.name), ("group", &g.name)])) { (g.display_name) } }
                            }
                        }
                    }
                }
                @if s.book.writable {
                    (edit_form(v, s, f))
                } @else {
                    p.muted #read-only { (t.read_only_book) }
                }
            }
            Err(e) => { p.alert.error role="alert" { (form_message(t, e)) } }
        }
        @if let (Some(name), true) = (s.name, s.book.writable) {
            form.delete method="post" action={ (BASE) "/card/delete" } {
                (csrf_field(v))
                input type="hidden" name="book" value=(s.book.name);
                input type="hidden" name="card" value=(name);
                input type="hidden" name="etag" value=(s.etag);
                p.muted { (t.delete_confirm) }
                button.danger type="submit" id="delete-contact" { (t.delete) }
            }
        }
    };
    contacts_page(v, status, &title, content)
}

/// A web address worth a link: http or https only (never `javascript:`).
fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// A birthday as the page shows it: "17 May 1990", "3 février" (the text as stored when it
/// is not a date).
fn birthday(lang: Lang, text: &str) -> String {
    let (year, rest) = match text.strip_prefix("--") {
        Some(rest) => (None, rest),
        None => match text.split_once('-') {
            Some((y, rest)) => (y.parse::<i32>().ok(), rest),
            None => (None, ""),
        },
    };
    let parts: Option<(u32, u32)> = rest
        .split_once('-')
        .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)));
    match parts {
        Some((m, d)) if (1..=12).contains(&m) && (text.starts_with("--") || year.is_some()) => {
            day_month(lang, d, m, year)
        }
        _ => text.to_owned(),
    }
}

/// What the card says, as a description list.
fn details(lang: Lang, f: &CardForm) -> Markup {
    let t = texts(lang);
    let filled = |v: &&String| !v.trim().is_empty();
    html! {
        section.card.contact-details {
            dl {
                @if !f.org.is_empty() || !f.title.is_empty() {
                    dt { (t.organisation) }
                    dd #show-org { (f.org) @if !f.title.is_empty() { @if !f.org.is_empty() { " · " } (f.title) } }
                }
                @for e in f.emails.iter().filter(filled) {
                    dt { (t.email) } dd.email { a href={ "mailto:" (e) } { (e) } }
                }
                @for p in f.phones.iter().filter(filled) {
                    dt { (t.phone) } dd.phone { a href={ "tel:" (p.replace(' ', "")) } { (p) } }
                }
                @for a in &f.addresses {
                    dt { (t.address) }
                    dd.address {
                        @for line in [&a.street, &a.postal_code, &a.locality, &a.region, &a.country].into_iter().filter(filled) {
                            span.line { (line) } br;
                        }
                    }
                }
                @for u in f.urls.iter().filter(filled) {
                    dt { (t.website) }
                    dd.url { @if let Some(href) = web_link(u) { a href=(href) rel="noopener noreferrer" { (u) } } @else { (u) } }
                }
                @if !f.birthday.is_empty() { dt { (t.birthday) } dd #show-bday { (birthday(lang, &f.birthday)) } }
                @if !f.note.is_empty() { dt { (t.note) } dd.note #show-note { (f.note) } }
            }
        }
    }
}

/// One labelled input.
fn input(id: &str, name: &str, label: &str, value: &str, kind: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { (label) }
            input type=(kind) id=(id) name=(name) value=(value);
        }
    }
}

/// The edit form (or the new-contact form): every value in its own input, one empty input
/// more for each repeatable value.
fn edit_form(v: &Viewer, s: &Shown<'_>, f: &CardForm) -> Markup {
    let t = texts(v.lang);
    let (action, button_id, button) = match s.name {
        Some(_) => (format!("{BASE}/card/save"), "save-contact", t.save),
        None => (format!("{BASE}/new"), "create-contact", t.create),
    };
    let with_blank = |values: &[String]| {
        let mut all = values.to_vec();
        all.push(String::new());
        all
    };
    let mut addresses = f.addresses.clone();
    addresses.push(Address::default());
    html! {
        form.card.contact-form #contact-form method="post" action=(action) {
            h2 { @if s.name.is_some() { (t.edit) } @else { (t.new_contact) } }
            (csrf_field(v))
            input type="hidden" name="book" value=(s.book.name);
            @if let Some(name) = s.name {
                input type="hidden" name="card" value=(name);
                input type="hidden" name="etag" value=(s.etag);
            }
            (input("fn", "fn", t.full_name, &f.full_name, "text"))
            div.row {
                (input("given", "given", t.given_name, &f.given, "text"))
                (input("family", "family", t.family_name, &f.family, "text"))
            }
            div.row {
                (input("org", "org", t.organisation, &f.org, "text"))
                (input("title", "title", t.job_title, &f.title, "text"))
            }
            fieldset {
                legend { (t.email) }
                @for (i, e) in with_blank(&f.emails).iter().enumerate() {
                    (input(&format!("email-{i}"), "email", &format!("{} {}", t.email, i + 1), e, "email"))
                }
            }
            fieldset {
                legend { (t.phone) }
                @for (i, p) in with_blank(&f.phones).iter().enumerate() {
                    (input(&format!("tel-{i}"), "tel", &format!("{} {}", t.phone, i + 1), p, "tel"))
                }
            }
            @for (i, a) in addresses.iter().enumerate() {
                fieldset.address {
                    legend { (t.address) " " (i + 1) }
                    (input(&format!("adr-street-{i}"), "adr_street", t.street, &a.street, "text"))
                    div.row {
                        (input(&format!("adr-code-{i}"), "adr_code", t.postal_code, &a.postal_code, "text"))
                        (input(&format!("adr-locality-{i}"), "adr_locality", t.locality, &a.locality, "text"))
                    }
                    div.row {
                        (input(&format!("adr-region-{i}"), "adr_region", t.region, &a.region, "text"))
                        (input(&format!("adr-country-{i}"), "adr_country", t.country, &a.country, "text"))
                    }
                }
            }
            fieldset {
                legend { (t.website) }
                @for (i, u) in with_blank(&f.urls).iter().enumerate() {
                    (input(&format!("url-{i}"), "url", &format!("{} {}", t.website, i + 1), u, "url"))
                }
            }
            div.field {
                label for="bday" { (t.birthday) }
                input type="text" id="bday" name="bday" value=(f.birthday) placeholder=(t.birthday_hint) aria-describedby="bday-hint" inputmode="numeric";
                small.muted #bday-hint { (t.birthday_hint) }
            }
            div.field {
                label for="note" { (t.note) }
                textarea id="note" name="note" rows="4" { (f.note) }
            }
            p.actions { button type="submit" id=(button_id) { (button) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_forms_keep_positions_and_make_a_name() {
        let f = Form::parse(
            "fn=&given=Ann&family=Lee&email=a%40x.org&email=&email=b%40x.org&adr_street=Rue+1&adr_locality=Gen%C3%A8ve&adr_street=&adr_country=CH",
        );
        let card = typed(&f);
        assert_eq!(card.full_name, "Ann Lee");
        assert_eq!(card.emails, ["a@x.org", "", "b@x.org"]);
        assert_eq!(card.addresses.len(), 2);
        assert_eq!(card.addresses[0].locality, "Genève");
        assert_eq!(card.addresses[1].country, "");
        assert_eq!(card.addresses[0].country, "CH");
    }

    #[test]
    fn birthdays_read_in_the_page_language() {
        assert_eq!(birthday(Lang::En, "1990-05-17"), "17 May 1990");
        assert_eq!(birthday(Lang::Fr, "--02-03"), "3 février");
        assert_eq!(birthday(Lang::Fr, "sometime"), "sometime");
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(web_link(" https://x.org "), Some("https://x.org"));
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(web_link("JaVaScRiPt:x"), None);
    }
}
