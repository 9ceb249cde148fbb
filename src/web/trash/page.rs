//! The trash page's markup: the entries with their restore buttons, the storage figures, and
//! a point-in-time restore form per calendar and address book.

use chrono_tz::Tz;
use maud::{Markup, html};

use super::texts::{Texts, kind_label, refusal, texts};
use super::{PATH, internal};
use crate::org::Actor;
use crate::org::share::CollectionPath;
use crate::store::{CollectionKind, StoreError};
use crate::trash::{self, Item, Paging, Storage, TrashId, rfc3339};
use crate::web::collections::{Listed, own};
use crate::web::ids::control_id;
use crate::web::layout::{Area, csrf_field, page};
use crate::web::notice::{self, Notice, failure, with_query};
use crate::web::{Viewer, WebCtx, WebRequest, WebResponse, dates};

/// What the page shows, read once.
struct Shown {
    /// Trash entries with their titles, most recent deletion first.
    entries: Vec<(Item, Option<String>)>,
    /// The cursor of the next page, when there is one.
    next: Option<String>,
    storage: Storage,
    /// The viewer's own calendars and address books.
    collections: Vec<Listed>,
    now: i64,
    tz: Tz,
}

/// Entries a page of the trash lists.
const PAGE: usize = 100;

/// The trash page with `notice` at the top, answered with `status`: the page of entries
/// after `cursor` (the first page without one).
pub(super) fn render(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    status: u16,
    notice: Notice,
    cursor: Option<&str>,
) -> Result<WebResponse, StoreError> {
    let actor = Actor::Account(&v.account);
    let login = &v.account.login;
    let paging = Paging {
        limit: Some(PAGE),
        cursor: cursor.map(str::to_owned),
    };
    let listed = match trash::list(ctx.store, ctx.plans, actor, login, &paging) {
        Ok(listed) => listed,
        // A cursor that is not one: the first page, saying so.
        Err(e) if cursor.is_some() && notice::status(e.kind()).is_some() => {
            let notice = Notice::Refused(refusal(v.lang, &e), None);
            return render(ctx, req, v, 422, notice, None);
        }
        Err(e) => return Err(internal(e)),
    };
    let mut titled = Vec::new();
    for item in listed.items {
        let title = trash::title(ctx.store, &item).map_err(internal)?;
        titled.push((item, title));
    }
    let shown = Shown {
        entries: titled,
        next: listed.next,
        storage: trash::usage(ctx.store, ctx.plans, actor, login).map_err(internal)?,
        collections: own(ctx.store, ctx.plans, &v.account).map_err(failure)?,
        now: ctx.store.now(),
        tz: dates::zone(req.cookies),
    };
    let t = texts(v.lang);
    Ok(WebResponse::html(
        status,
        page(
            v,
            Area::Trash,
            t.title,
            html! {
                h1 { (t.title) }
                (notice.render())
                p.muted { (t.intro) }
                (entries(v, t, &shown))
                (storage(v, t, &shown.storage))
                (point_in_time(v, t, &shown))
            },
        ),
    ))
}

fn entries(v: &Viewer, t: &Texts, shown: &Shown) -> Markup {
    html! {
        section #trash-entries aria-label=(t.title) {
            @if shown.entries.is_empty() {
                p.empty #trash-empty { (t.empty) }
            } @else {
                table.stack.trash #trash-table {
                    thead {
                        tr {
                            th scope="col" { (t.col_kind) }
                            th scope="col" { (t.col_name) }
                            th scope="col" { (t.col_where) }
                            th scope="col" { (t.col_deleted) }
                            th scope="col" { (t.col_purge) }
                            th scope="col" { span.visually-hidden { (t.col_action) } }
                        }
                    }
                    tbody {
                        @for (item, title) in &shown.entries {
                            (entry(v, t, shown, item, title.as_deref()))
                        }
                    }
                }
                @if let Some(next) = &shown.next {
                    p.actions {
                        a.button.secondary #trash-older href=(with_query(PATH, &[("cursor", next)])) { (t.older) }
                    }
                }
            }
        }
    }
}

/// Where an entry was: its collection (by the name the viewer gave it), or the viewer's home.
fn place(t: &Texts, shown: &Shown, item: &Item) -> Markup {
    if let TrashId::Collection(_) = item.id {
        return html! {
            @if item.kind == CollectionKind::Calendar.as_str() { (t.home_calendars) }
            @else { (t.home_addressbooks) }
        };
    }
    let Ok(path) = CollectionPath::parse(&item.collection) else {
        return html! { (item.collection) };
    };
    let live = shown.collections.iter().find(|c| c.path == path);
    html! {
        @match (live, item.collection_deleted) {
            (Some(c), None) => (c.title),
            _ => { (path.name) " " span.muted { "(" (t.deleted_too) ")" } },
        }
    }
}

fn entry(v: &Viewer, t: &Texts, shown: &Shown, item: &Item, title: Option<&str>) -> Markup {
    let id = item.id.to_string();
    let name = title.unwrap_or(&item.name);
    let by_other = item
        .deleted_by
        .as_deref()
        .filter(|by| *by != v.account.login);
    // An object whose collection is gone goes into another of the same kind.
    let targets: Vec<&Listed> = match (
        &item.collection_deleted,
        CollectionPath::parse(&item.collection),
    ) {
        (Some(_), Ok(path)) => shown
            .collections
            .iter()
            .filter(|c| c.path.kind == path.kind)
            .collect(),
        _ => Vec::new(),
    };
    html! {
        tr #{ "entry-" (id) } data-id=(id) data-kind=(item.kind) {
            td.kind data-label=(t.col_kind) {
                span class={ "kind-icon kind-" (item.kind) } aria-hidden="true" {}
                (kind_label(v.lang, item.kind))
            }
            td data-label=(t.col_name) {
                strong.entry-name { (name) }
                @if title.is_some() && item.objects.is_none() {
                    br; span.muted { (item.name) }
                }
                @if let Some(n) = item.objects {
                    br; span.muted { (n) " " (t.objects) }
                }
            }
            td data-label=(t.col_where) { (place(t, shown, item)) }
            td data-label=(t.col_deleted) {
                time datetime=(rfc3339(item.deleted_at)) {
                    (dates::date_time(v.lang, item.deleted_at, shown.tz))
                }
                @if let Some(by) = by_other { " " span.muted { (t.by) " " (by) } }
            }
            td data-label=(t.col_purge) {
                time.purge datetime=(rfc3339(item.purge_at))
                    title=(dates::date_time(v.lang, item.purge_at, shown.tz)) {
                    (dates::days_from_now(v.lang, item.purge_at, shown.now))
                }
            }
            td.restore {
                form.restore method="post" action={ (PATH) "/restore" } {
                    (csrf_field(v))
                    input type="hidden" name="id" value=(id);
                    @if !targets.is_empty() {
                        label for={ "into-" (id) } { (t.restore_into) }
                        select #{ "into-" (id) } name="into" {
                            @for c in &targets {
                                option value=(c.path.href()) { (c.title) }
                            }
                        }
                    }
                    button #{ "restore-" (id) } type="submit" aria-label={ (t.restore) " " (name) } {
                        (t.restore)
                    }
                }
            }
        }
    }
}

fn storage(v: &Viewer, t: &Texts, s: &Storage) -> Markup {
    let size = |bytes: i64| dates::size(v.lang, bytes);
    html! {
        section.card.storage #storage aria-labelledby="storage-title" {
            h2 #storage-title { (t.storage) }
            dl {
                dt { (t.used) }
                dd #storage-used {
                    (size(s.used_bytes)) " "
                    @match s.quota_bytes {
                        Some(q) => { (t.of_quota) " " (size(i64::try_from(q).unwrap_or(i64::MAX))) },
                        None => span.muted { "(" (t.no_quota) ")" },
                    }
                }
                dt { (t.in_trash) }
                dd #storage-trash { (size(s.kept.trash_bytes)) }
                dt { (t.in_history) }
                dd #storage-history { (size(s.kept.history_bytes)) }
                dt { (t.window) }
                dd #storage-window { (s.window.days) " " (t.days) " " span.muted { "(" (s.window.plan) ")" } }
            }
            p.muted { (t.outside_quota) }
        }
    }
}

fn point_in_time(v: &Viewer, t: &Texts, shown: &Shown) -> Markup {
    let earliest = shown.now - shown.storage.window.seconds();
    let min = dates::input_value(earliest, shown.tz);
    let max = dates::input_value(shown.now, shown.tz);
    html! {
        section #point-in-time aria-labelledby="point-in-time-title" {
            h2 #point-in-time-title { (t.point_in_time) }
            p.muted { (t.point_in_time_intro) }
            p.muted { (t.zone_note) ": " span.zone { (shown.tz.name()) } }
            div.restore-at-list {
                @for c in &shown.collections {
                    @let (kind, name) = (c.path.kind, &c.path.name);
                    @let at_id = control_id("at", kind, name);
                    form.restore-at.card method="post" action={ (PATH) "/restore-at" } {
                        (csrf_field(v))
                        input type="hidden" name="collection" value=(name);
                        input type="hidden" name="kind" value=(kind.as_str());
                        input type="hidden" name="tz" value=(shown.tz.name()) data-zone-field;
                        h3 {
                            span class={ "kind-icon kind-" (kind.as_str()) } aria-hidden="true" {}
                            (c.title)
                        }
                        label for=(at_id) { (t.restore_to) }
                        input #(at_id) type="datetime-local" name="at" required min=(min) max=(max) step="60";
                        div.actions {
                            button.secondary #(control_id("restore-at", kind, name)) type="submit" {
                                (t.restore_at)
                            }
                        }
                    }
                }
            }
        }
    }
}
