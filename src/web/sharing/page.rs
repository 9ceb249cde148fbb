//! The sharing page's markup: per own collection its shares and (calendars) its public links
//! with their forms, then what others share with the viewer.

use std::collections::HashMap;

use chrono_tz::Tz;
use maud::{Markup, html};

use super::PATH;
use super::texts::{Texts, texts, validity_label};
use crate::org::link::{self, Validity};
use crate::org::share;
use crate::org::{Actor, OrgError};
use crate::store::{
    CollectionKind, PublicLink, Share, ShareAccess, SharedCollection, Sharee, StoreError,
};
use crate::views::share::{LinkView, ShareItemView, SharedCollectionView};
use crate::web::collections::{Listed, own};
use crate::web::ids::control_id;
use crate::web::layout::{Area, csrf_field, page};
use crate::web::notice::{Notice, failure};
use crate::web::{Viewer, WebCtx, WebRequest, WebResponse, dates};

/// What the page shows, read once.
struct Shown {
    /// The viewer's own calendars and address books.
    collections: Vec<Listed>,
    /// Their shares, by kind and name.
    shares: HashMap<(CollectionKind, String), Vec<Share>>,
    /// The calendars' links that were not revoked, by name, newest first.
    links: HashMap<String, Vec<PublicLink>>,
    /// Shared with the viewer and in its list.
    with_me: Vec<(SharedCollection, ShareAccess)>,
    /// Shared with the viewer and removed from its list.
    declined: Vec<(SharedCollection, ShareAccess)>,
    public_base: String,
    now: i64,
    tz: Tz,
}

fn internal(e: OrgError) -> StoreError {
    match e {
        OrgError::Store(s) => s,
        other => failure(other),
    }
}

/// The sharing page with `notice` at the top, answered with `status`.
pub(super) fn render(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    status: u16,
    notice: Notice,
) -> Result<WebResponse, StoreError> {
    let actor = Actor::Account(&v.account);
    let mut shares: HashMap<(CollectionKind, String), Vec<Share>> = HashMap::new();
    for s in share::list(ctx.store, actor, None).map_err(internal)? {
        shares.entry((s.kind, s.name.clone())).or_default().push(s);
    }
    let mut links: HashMap<String, Vec<PublicLink>> = HashMap::new();
    for l in link::list(ctx.store, actor).map_err(internal)? {
        if l.revoked.is_none() {
            links.entry(l.name.clone()).or_default().push(l);
        }
    }
    let shown = Shown {
        collections: own(ctx.store, ctx.plans, &v.account).map_err(internal)?,
        shares,
        links,
        with_me: share::shared_with(ctx.store, ctx.plans, &v.account).map_err(internal)?,
        declined: share::declined(ctx.store, ctx.plans, &v.account).map_err(internal)?,
        public_base: ctx.settings.public_base.clone(),
        now: ctx.store.now(),
        tz: dates::zone(req.cookies),
    };
    let t = texts(v.lang);
    Ok(WebResponse::html(
        status,
        page(
            v,
            Area::Sharing,
            t.title,
            html! {
                h1 { (t.title) }
                (notice.render())
                p.muted { (t.intro) }
                @for (kind, heading) in [(CollectionKind::Calendar, t.calendars), (CollectionKind::AddressBook, t.addressbooks)] {
                    section.own-collections aria-label=(heading) {
                        h2 { (heading) }
                        @let owned: Vec<&Listed> = shown.collections.iter().filter(|c| c.path.kind == kind).collect();
                        @if owned.is_empty() { p.empty { (t.none_owned) } }
                        @for c in owned { (collection(v, t, &shown, c)) }
                    }
                }
                (shared_with_me(v, t, &shown))
            },
        ),
    ))
}

/// The hidden fields naming collection `c` in a form.
fn names(c: &Listed) -> Markup {
    html! {
        input type="hidden" name="collection" value=(c.path.name);
        input type="hidden" name="kind" value=(c.path.kind.as_str());
    }
}

/// A select of the two access levels, `current` chosen.
fn access_select(t: &Texts, id: &str, current: ShareAccess) -> Markup {
    html! {
        select #(id) name="access" {
            @for (access, label) in [(ShareAccess::Read, t.read), (ShareAccess::ReadWrite, t.read_write)] {
                option value=(access.as_str()) selected[access == current] { (label) }
            }
        }
    }
}

fn collection(v: &Viewer, t: &Texts, shown: &Shown, c: &Listed) -> Markup {
    let (kind, name) = (c.path.kind, &c.path.name);
    let shares = shown
        .shares
        .get(&(kind, name.clone()))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let with_id = control_id("share-with", kind, name);
    let access_id = control_id("share-access", kind, name);
    html! {
        article.card.share-collection #(control_id("sharing", kind, name)) {
            h3 { (c.title) }
            h4 { (t.shared_with) }
            @if shares.is_empty() {
                p.muted.not-shared { (t.not_shared) }
            } @else {
                ul.shares {
                    @for s in shares { (share_row(v, t, c, s)) }
                }
            }
            form.share-form method="post" action={ (PATH) "/share" } {
                (csrf_field(v))
                (names(c))
                div.share-fields {
                    div {
                        label for=(with_id) { (t.share_with) }
                        input #(with_id) type="text" name="with" required autocomplete="off"
                            aria-describedby={ (with_id) "-hint" };
                        span.hint #{ (with_id) "-hint" } { (t.share_with_hint) }
                    }
                    div {
                        label for=(access_id) { (t.access) }
                        (access_select(t, &access_id, ShareAccess::Read))
                    }
                    div.actions {
                        button #(control_id("share", kind, name)) type="submit" { (t.share) }
                    }
                }
            }
            @if kind == CollectionKind::Calendar { (links(v, t, shown, c)) }
        }
    }
}

fn share_row(v: &Viewer, t: &Texts, c: &Listed, s: &Share) -> Markup {
    let view = ShareItemView::from(s);
    let access = ShareAccess::parse(view.access).unwrap_or(ShareAccess::Read);
    let access_id = format!("access-{}", s.id);
    html! {
        li.share #{ "share-" (s.id) } data-with=(view.with) {
            span.sharee {
                @match &s.sharee {
                    Sharee::Account { login, .. } => { (login) },
                    Sharee::Team { name, .. } => { span.badge { (t.team) } " " (name) " " span.muted { "(" (s.org_name) ")" } },
                }
                @if s.declined { " " span.muted { "(" (t.declined) ")" } }
            }
            form.inline.share-access method="post" action={ (PATH) "/share" } {
                (csrf_field(v))
                (names(c))
                input type="hidden" name="with" value=(view.with);
                label.visually-hidden for=(access_id) { (t.access) }
                (access_select(t, &access_id, access))
                button.secondary #{ "change-" (s.id) } type="submit" { (t.change) }
            }
            form.inline method="post" action={ (PATH) "/unshare" } {
                (csrf_field(v))
                (names(c))
                input type="hidden" name="with" value=(view.with);
                button.danger #{ "unshare-" (s.id) } type="submit" { (t.remove) }
            }
        }
    }
}

fn links(v: &Viewer, t: &Texts, shown: &Shown, c: &Listed) -> Markup {
    let (kind, name) = (c.path.kind, &c.path.name);
    let links = shown.links.get(name).map(Vec::as_slice).unwrap_or_default();
    let valid_id = control_id("link-valid", kind, name);
    html! {
        h4 { (t.links) }
        @if links.is_empty() {
            p.muted.no-links { (t.no_links) }
        } @else {
            ul.links {
                @for l in links {
                    @let view = LinkView::new(l, &shown.public_base, shown.now);
                    @let url_id = format!("link-url-{}", l.id);
                    li.link #{ "link-" (l.id) } data-status=(view.status) {
                        label for=(url_id) { (t.link) }
                        div.link-url {
                            input #(url_id) type="url" readonly value=(view.url);
                            button.secondary #{ "copy-" (l.id) } type="button" data-copy=(url_id)
                                data-copied=(t.copied) hidden { (t.copy) }
                        }
                        p.expiry {
                            (t.expires) " "
                            @match l.expires {
                                Some(e) => time datetime=(view.expires.clone().unwrap_or_default()) { (dates::date_time(v.lang, e, shown.tz)) },
                                None => { (t.never) },
                            }
                            @if view.status == "expired" { " " span.badge.expired { (t.expired) } }
                        }
                        form.inline method="post" action={ (PATH) "/revoke" } {
                            (csrf_field(v))
                            input type="hidden" name="id" value=(l.id);
                            button.danger #{ "revoke-" (l.id) } type="submit" data-confirm=(t.revoke_confirm) { (t.revoke) }
                        }
                    }
                }
            }
        }
        form.link-form method="post" action={ (PATH) "/link" } {
            (csrf_field(v))
            input type="hidden" name="collection" value=(name);
            label for=(valid_id) { (t.validity) }
            select #(valid_id) name="valid" {
                @for validity in Validity::ALL {
                    option value=(validity.as_str()) selected[validity == Validity::Month] { (validity_label(v.lang, validity)) }
                }
            }
            span.hint { (t.link_hint) }
            div.actions {
                button.secondary #(control_id("create-link", kind, name)) type="submit" { (t.create_link) }
            }
        }
    }
}

fn shared_with_me(v: &Viewer, t: &Texts, shown: &Shown) -> Markup {
    html! {
        section #shared-with-me aria-labelledby="shared-with-me-title" {
            h2 #shared-with-me-title { (t.with_me) }
            @if shown.with_me.is_empty() {
                p.empty { (t.none_with_me) }
            } @else {
                (shared_table(v, t, &shown.with_me, false))
            }
            @if !shown.declined.is_empty() {
                h3 { (t.declined_list) }
                (shared_table(v, t, &shown.declined, true))
            }
        }
    }
}

fn shared_table(
    v: &Viewer,
    t: &Texts,
    list: &[(SharedCollection, ShareAccess)],
    declined: bool,
) -> Markup {
    html! {
        table.stack.shared {
            thead {
                tr {
                    th scope="col" { (t.name) }
                    th scope="col" { (t.owner) }
                    th scope="col" { (t.access) }
                    th scope="col" { span.visually-hidden { (t.accept) } }
                }
            }
            tbody {
                @for (shared, access) in list {
                    @let view = SharedCollectionView::new(&v.account.login, shared, *access);
                    @let id = shared.collection.id;
                    tr #{ "shared-" (id) } data-path=(view.path) {
                        td { (view.display_name.as_deref().unwrap_or(&shared.collection.name)) }
                        td { (view.owner) }
                        td { @if *access == ShareAccess::ReadWrite { (t.read_write) } @else { (t.read) } }
                        td {
                            form.inline method="post" action={ (PATH) "/reply" } {
                                (csrf_field(v))
                                input type="hidden" name="kind" value=(shared.collection.kind.as_str());
                                input type="hidden" name="id" value=(id);
                                @if declined {
                                    input type="hidden" name="accept" value="1";
                                    button.secondary #{ "accept-" (id) } type="submit" { (t.accept) }
                                } @else {
                                    input type="hidden" name="accept" value="0";
                                    button.secondary #{ "decline-" (id) } type="submit" { (t.decline) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
