//! COPY and MOVE of calendar objects and vCards (RFC 4918 §9.8, §9.9): `Destination` names an
//! object URL in a collection of the same kind (this server's; only its path is read, so a
//! proxy rewriting the host changes nothing), `Overwrite: F` refuses to replace one (412),
//! 201 for a new resource and 204 for a replaced one. The work is `transfer::relocate`, shared
//! with the JSON API.

use super::directory;
use super::put::valid_member_name;
use super::resource::collection;
use super::target::Target;
use super::{Ctx, DavRequest, DavResponse, Failure, Outcome, write_condition};
use crate::dav::condition::{Condition, DavError};
use crate::href::href_path;
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::store::{Account, CollectionKind, Deleter};
use crate::transfer::TransferError;
use crate::transfer::place::Place;
use crate::transfer::relocate::{Mode, Relocation, relocate};

impl From<TransferError> for Failure {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::Refused(e) => Failure::Dav(e),
            TransferError::Forbidden(m) => {
                Failure::Dav(DavError::new(Condition::NeedPrivileges, m))
            }
            TransferError::Invalid(m) => Failure::Dav(DavError::new(Condition::InvalidRequest, m)),
            TransferError::NotFound(m) => Failure::Status(404, m),
            TransferError::PreconditionFailed(m) => Failure::Status(412, m),
            TransferError::Store(e) => e.into(),
        }
    }
}

/// The refusal of a Destination that names no object in a collection.
fn bad_destination(message: impl Into<String>) -> Failure {
    Failure::Dav(DavError::new(Condition::ValidDestination, message))
}

/// The collection `name` of `login`'s `kind` home, opened for `user` to do `action` (403
/// DAV:need-privileges when its access does not allow it), with the plan of its owner: a
/// shared collection is written under its owner's plan and quota, whoever writes.
fn place(
    ctx: &Ctx<'_>,
    user: &Account,
    kind: CollectionKind,
    login: &str,
    name: &str,
    action: Action,
) -> Result<Place, Failure> {
    let (mount, coll) = collection(ctx, user, kind, login, name, action)?;
    let plan = ctx.plan(&mount.owner)?;
    Ok(Place {
        // Hrefs stay in the home the collection is seen in.
        path: CollectionPath {
            kind,
            login: mount.home.login,
            name: mount.name,
        },
        owner: mount.owner,
        collection: coll,
        plan,
    })
}

/// `Overwrite` (RFC 4918 §10.6): `T` (the default) or `F`.
fn overwrite(header: Option<&str>) -> Result<bool, Failure> {
    match header.map(str::trim) {
        None => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("T") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("F") => Ok(false),
        Some(v) => Err(Failure::Dav(DavError::new(
            Condition::InvalidRequest,
            format!("Overwrite must be T or F, not {v:?} (RFC 4918 §10.6)"),
        ))),
    }
}

/// Handles COPY and MOVE.
pub fn copy_move(ctx: &Ctx<'_>, req: &DavRequest<'_>, mode: Mode) -> Outcome {
    let method = match mode {
        Mode::Copy => "COPY",
        Mode::Move => "MOVE",
    };
    let Target::Object(kind, login, coll, name) = &req.target else {
        return Err(match req.target {
            Target::Unknown => Failure::Status(404, "not found".into()),
            _ => Failure::Status(
                405,
                format!("{method} applies to calendar objects and vCards, not to collections"),
            ),
        });
    };
    let destination = req.headers.destination.as_deref().ok_or_else(|| {
        Failure::Dav(DavError::new(
            Condition::InvalidRequest,
            format!("{method} needs a Destination header naming where the object goes"),
        ))
    })?;
    let path = href_path(destination);
    let path = path.split('?').next().unwrap_or(path);
    let Ok(Target::Object(to_kind, to_login, to_coll, to_name)) = Target::parse(path) else {
        return Err(bad_destination(format!(
            "Destination {destination:?} is not the URL of an object in a calendar or address \
             book (/dav/calendars/LOGIN/CALENDAR/NAME.ics)"
        )));
    };
    valid_member_name(&to_name)?;
    let overwrite = overwrite(req.headers.overwrite.as_deref())?;
    if directory::is_directory_target(&req.target) {
        return Err(Failure::Dav(DavError::new(
            Condition::NeedPrivileges,
            "cards of the organisation directory cannot be copied; it is generated from the \
             organisation's members",
        )));
    }
    let dest_target = Target::Collection(to_kind, to_login.clone(), to_coll.clone());
    if directory::is_directory_target(&dest_target) {
        return Err(directory::read_only());
    }
    // Reading the source is enough to copy it; moving it out changes its collection.
    let source = place(ctx, req.user, *kind, login, coll, mode.source_action())?;
    // RFC 4918 §9.8.5: 409 when the destination's collection does not exist.
    let destination = match place(
        ctx,
        req.user,
        to_kind,
        &to_login,
        &to_coll,
        Action::WriteContent,
    ) {
        Err(Failure::Status(404, _)) => {
            return Err(Failure::Status(
                409,
                format!("the destination collection {to_coll} does not exist"),
            ));
        }
        other => other?,
    };
    let done = relocate(
        ctx.store,
        &Relocation {
            mode,
            source: &source,
            name,
            source_condition: &write_condition(&req.headers),
            destination: &destination,
            target_name: &to_name,
            overwrite,
            by: Deleter::Account(req.user.id),
        },
    )?;
    Ok(DavResponse::empty(if done.created { 201 } else { 204 }).with("etag", done.etag))
}
