//! Calendars and address books through the API: importing a file (the request body), exporting
//! one as a file (streamed), and copying or moving an object to another collection. The work
//! and its rules are `transfer`'s, shared with DAV and the command line.

use serde::Serialize;

use super::error::ApiError;
use super::input::{RelocateInput, parse};
use super::views::to_json;
use super::{ApiCtx, ApiResponse, ApiResult};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::store::Account;
use crate::transfer::TransferError;
use crate::transfer::export::Export;
use crate::transfer::import::{ImportReport, import as import_file};
use crate::transfer::place::{Place, open};
use crate::transfer::relocate::{Mode, Relocation, relocate as relocate_object};

impl From<TransferError> for ApiError {
    /// The status and code the transfer chose; store failures are logged and answered 500
    /// without their details.
    fn from(e: TransferError) -> Self {
        if let TransferError::Store(inner) = &e {
            tracing::error!(error = %inner, "API transfer failed");
            return ApiError::new(500, "internal", "internal error");
        }
        ApiError::new(e.status(), e.code(), e.to_string())
    }
}

/// The collection at `path`, if the caller may do `action` with it (a shared collection as
/// its share allows).
pub(super) fn place_of(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    action: Action,
) -> Result<Place, ApiError> {
    Ok(open(
        ctx.store,
        ctx.plans,
        Actor::Account(user),
        path,
        action,
    )?)
}

/// What an import answers: the collection and the report.
#[derive(Serialize)]
struct Imported<'a> {
    collection: String,
    #[serde(flatten)]
    report: &'a ImportReport,
}

/// `POST KIND/LOGIN/NAME/import`: the body is the `.ics` or `.vcf` file.
pub(super) fn import(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    body: &[u8],
) -> ApiResult {
    let place = place_of(ctx, user, path, Action::WriteContent)?;
    let report = import_file(ctx.store, &place, body, &mut |_| {})?;
    let view = Imported {
        collection: path.href(),
        report: &report,
    };
    Ok(ApiResponse::json(200, to_json(&view)))
}

/// `GET KIND/LOGIN/NAME/export`: the collection as one file, streamed.
pub(super) fn export(ctx: &ApiCtx<'_>, user: &Account, path: &CollectionPath) -> ApiResult {
    let place = place_of(ctx, user, path, Action::Read)?;
    let export = Export::of(&place.collection);
    Ok(ApiResponse {
        status: 200,
        headers: vec![
            ("content-type", export.content_type().into()),
            (
                "content-disposition",
                format!("attachment; filename=\"{}\"", export.file_name()),
            ),
        ],
        body: Vec::new(),
        stream: Some(export),
    })
}

/// Where an object went.
#[derive(Serialize)]
struct Relocated {
    href: String,
    etag: String,
    created: bool,
}

/// `POST KIND/LOGIN/NAME/objects/OBJECT/copy|move`: to the collection `to`, under the same
/// name.
pub(super) fn relocate(
    ctx: &ApiCtx<'_>,
    user: &Account,
    path: &CollectionPath,
    name: &str,
    mode: Mode,
    body: &[u8],
) -> ApiResult {
    let input: RelocateInput = parse(body)?;
    let source = place_of(ctx, user, path, mode.source_action())?;
    let to = CollectionPath::parse(&input.to).map_err(TransferError::from)?;
    let destination = place_of(ctx, user, &to, Action::WriteContent)?;
    let done = relocate_object(
        ctx.store,
        &Relocation {
            mode,
            source: &source,
            name,
            source_condition: &crate::store::WriteCondition::None,
            destination: &destination,
            target_name: name,
            overwrite: input.overwrite,
            by: crate::store::Deleter::Account(user.id),
        },
    )?;
    let view = Relocated {
        href: destination.object_href(name),
        etag: done.etag,
        created: done.created,
    };
    Ok(ApiResponse::json(
        if done.created { 201 } else { 200 },
        to_json(&view),
    ))
}
