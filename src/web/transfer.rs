//! Import and export of `.ics` and `.vcf` files in the web view: an upload form into any
//! calendar or address book the person may write, the import report (created, updated,
//! skipped, and each rejected item with its line and reason), and a download of every
//! collection the person may read. The work is `transfer`'s, as for the API and the command
//! line; downloads are streamed like a DAV GET of the collection.

use maud::{Markup, html};

use super::collections::{Listed, visible};
use super::i18n::Lang;
use super::layout::{Area, csrf_field, page};
use super::multipart::{boundary, parts};
use super::{Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::store::{CollectionKind, StoreError};
use crate::transfer::TransferError;
use crate::transfer::export::Export;
use crate::transfer::import::{ImportReport, import};
use crate::transfer::place::open;

/// Routes `/web/transfer/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    match (req.method, tail) {
        ("GET" | "HEAD", []) => overview(ctx, v, 200, None),
        ("POST", ["import"]) => upload(ctx, req, v),
        ("GET" | "HEAD", ["export"]) => download(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// What the page shows above the forms after an upload.
enum Outcome {
    /// The import ran: its collection's title and report.
    Imported(String, ImportReport),
    /// Nothing was imported: why.
    Failed(String),
}

/// The form value naming a collection: `calendar:NAME` or `addressbook:NAME`.
fn value_of(c: &Listed) -> String {
    format!("{}:{}", kind_tag(c.path.kind), c.path.name)
}

fn kind_tag(kind: CollectionKind) -> &'static str {
    match kind {
        CollectionKind::Calendar => "calendar",
        CollectionKind::AddressBook => "addressbook",
    }
}

fn kind_of(tag: &str) -> Option<CollectionKind> {
    match tag {
        "calendar" => Some(CollectionKind::Calendar),
        "addressbook" => Some(CollectionKind::AddressBook),
        _ => None,
    }
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Both kinds of collections the viewer sees.
fn collections(ctx: &WebCtx<'_>, v: &Viewer) -> Result<Vec<Listed>, StoreError> {
    let mut all =
        visible(ctx.store, ctx.plans, &v.account, CollectionKind::Calendar).map_err(internal)?;
    all.extend(
        visible(
            ctx.store,
            ctx.plans,
            &v.account,
            CollectionKind::AddressBook,
        )
        .map_err(internal)?,
    );
    Ok(all)
}

/// The colour shown next to a collection: its own, or the accent colour.
fn swatch(c: &Listed) -> &str {
    c.color
        .as_deref()
        .filter(|c| c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit()))
        .unwrap_or("var(--accent)")
}

fn label(c: &Listed, t: &Texts) -> String {
    match &c.shared_by {
        None => c.title.clone(),
        Some((owner, _)) => format!("{} ({} {owner})", c.title, t.shared_by),
    }
}

fn report_view(title: &str, r: &ImportReport, t: &Texts) -> Markup {
    html! {
        section.card.report role="status" aria-labelledby="report-title" {
            h2 #report-title { (t.report_title) " — " (title) }
            ul.counts {
                li { strong.created { (r.created) } " " (t.created) }
                li { strong.updated { (r.updated) } " " (t.updated) }
                li { strong.skipped { (r.skipped) } " " (t.skipped) }
                li { strong.rejected { (r.rejected.len()) } " " (t.rejected) }
            }
            @if !r.rejected.is_empty() {
                table.stack.rejected {
                    thead { tr { th { (t.line) } th { "UID" } th { (t.reason) } } }
                    tbody {
                        @for x in &r.rejected {
                            tr {
                                td { (x.line) }
                                td { (x.uid.as_deref().unwrap_or("—")) }
                                td { code { (x.code) } " " (x.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn overview(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    status: u16,
    outcome: Option<Outcome>,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let all = collections(ctx, v)?;
    let content = html! {
        h1 { (t.title) }
        @match &outcome {
            Some(Outcome::Imported(title, report)) => (report_view(title, report, t)),
            Some(Outcome::Failed(why)) => p.alert.error role="alert" { (why) },
            None => {},
        }
        section.card aria-labelledby="import-title" {
            h2 #import-title { (t.import_title) }
            p.muted { (t.import_hint) }
            form #import-form method="post" action="/web/transfer/import" enctype="multipart/form-data" {
                (csrf_field(v))
                label for="import-file" { (t.file) }
                input #import-file type="file" name="file" accept=".ics,.vcf,.vcard,text/calendar,text/vcard" required;
                label for="import-into" { (t.into) }
                select #import-into name="collection" required {
                    @for c in all.iter().filter(|c| c.writable()) {
                        option value=(value_of(c)) { (label(c, t)) }
                    }
                }
                div.actions { button type="submit" { (t.import_button) } }
            }
        }
        section.card aria-labelledby="export-title" {
            h2 #export-title { (t.export_title) }
            p.muted { (t.export_hint) }
            ul.exports {
                @for c in &all {
                    li {
                        span.swatch aria-hidden="true" style={ "background:" (swatch(c)) } {}
                        a.download href={ "/web/transfer/export?kind=" (kind_tag(c.path.kind)) "&collection=" (c.path.name) }
                            download { (label(c, t)) " (." (match c.path.kind { CollectionKind::Calendar => "ics", CollectionKind::AddressBook => "vcf" }) ")" }
                    }
                }
            }
        }
    };
    Ok(WebResponse::html(
        status,
        page(v, Area::Transfer, t.title, content),
    ))
}

/// Opens the collection a form names (`calendar:NAME`), as the viewer, for `action`.
fn place(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    kind: CollectionKind,
    name: &str,
    action: Action,
) -> Result<crate::transfer::place::Place, TransferError> {
    let path = CollectionPath::of(kind, &v.account.login, name);
    open(
        ctx.store,
        ctx.plans,
        Actor::Account(&v.account),
        &path,
        action,
    )
}

fn upload(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let fields = req
        .content_type
        .and_then(boundary)
        .and_then(|b| parts(req.body, b))
        .unwrap_or_default();
    let file = fields
        .iter()
        .find(|p| p.name == "file" && !p.data.is_empty());
    let target = fields
        .iter()
        .find(|p| p.name == "collection")
        .and_then(|p| std::str::from_utf8(p.data).ok())
        .and_then(|s| s.split_once(':'))
        .and_then(|(k, n)| Some((kind_of(k)?, n.to_owned())));
    let (Some(file), Some((kind, name))) = (file, target) else {
        return overview(ctx, v, 400, Some(Outcome::Failed(t.missing.to_owned())));
    };
    let result = place(ctx, v, kind, &name, Action::WriteContent)
        .and_then(|p| Ok((import(ctx.store, &p, file.data, &mut |_| {})?, p)));
    match result {
        Ok((report, p)) => {
            let title = p
                .collection
                .props
                .display_name
                .clone()
                .unwrap_or(p.collection.name);
            overview(ctx, v, 200, Some(Outcome::Imported(title, report)))
        }
        Err(TransferError::Store(e)) => Err(e),
        Err(e) => overview(
            ctx,
            v,
            e.status(),
            Some(Outcome::Failed(format!("{} {e}", t.failed))),
        ),
    }
}

fn download(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let q = req.query_form();
    let (Some(kind), Some(name)) = (q.get("kind").and_then(kind_of), q.get("collection")) else {
        return Ok(not_found(v));
    };
    match place(ctx, v, kind, name, Action::Read) {
        Ok(p) => {
            let export = Export::of(&p.collection);
            Ok(WebResponse {
                status: 200,
                headers: vec![
                    ("content-type", export.content_type().into()),
                    (
                        "content-disposition",
                        format!("attachment; filename=\"{}\"", export.file_name()),
                    ),
                    ("cache-control", "no-store".into()),
                ],
                body: Vec::new(),
                stream: Some(export),
            })
        }
        Err(TransferError::Store(e)) => Err(e),
        // Another person's or a missing collection: the same answer, nothing learnt.
        Err(_) => Ok(not_found(v)),
    }
}

/// Texts of the import and export page.
struct Texts {
    title: &'static str,
    import_title: &'static str,
    import_hint: &'static str,
    file: &'static str,
    into: &'static str,
    import_button: &'static str,
    export_title: &'static str,
    export_hint: &'static str,
    shared_by: &'static str,
    report_title: &'static str,
    created: &'static str,
    updated: &'static str,
    skipped: &'static str,
    rejected: &'static str,
    line: &'static str,
    reason: &'static str,
    missing: &'static str,
    failed: &'static str,
}

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

static EN: Texts = Texts {
    title: "Import & export",
    import_title: "Import a file",
    import_hint: "An .ics file (events, tasks) into a calendar or a .vcf file (contacts, vCard 3.0 or 4.0) into an address book. Items already there with the same UID are updated; identical ones are skipped, so importing twice changes nothing.",
    file: "File",
    into: "Into",
    import_button: "Import",
    export_title: "Export",
    export_hint: "Download a calendar as one .ics file or an address book as one .vcf file.",
    shared_by: "shared by",
    report_title: "Import report",
    created: "created",
    updated: "updated",
    skipped: "skipped (identical)",
    rejected: "rejected",
    line: "Line",
    reason: "Reason",
    missing: "Choose a file and where to import it.",
    failed: "Nothing was imported:",
};

static FR: Texts = Texts {
    title: "Importer et exporter",
    import_title: "Importer un fichier",
    import_hint: "Un fichier .ics (événements, tâches) dans un calendrier ou un fichier .vcf (contacts, vCard 3.0 ou 4.0) dans un carnet d'adresses. Les éléments déjà présents avec le même UID sont mis à jour ; les éléments identiques sont ignorés, donc importer deux fois ne change rien.",
    file: "Fichier",
    into: "Dans",
    import_button: "Importer",
    export_title: "Exporter",
    export_hint: "Téléchargez un calendrier en un fichier .ics ou un carnet d'adresses en un fichier .vcf.",
    shared_by: "partagé par",
    report_title: "Rapport d'importation",
    created: "créés",
    updated: "mis à jour",
    skipped: "ignorés (identiques)",
    rejected: "refusés",
    line: "Ligne",
    reason: "Raison",
    missing: "Choisissez un fichier et sa destination.",
    failed: "Rien n'a été importé :",
};
