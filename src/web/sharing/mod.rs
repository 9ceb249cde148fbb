//! The sharing area (`/web/sharing`): for each of the viewer's calendars and address books its
//! shares with people and teams (access changed or removed) and, for calendars, its public
//! links (created with a validity, revoked); the collections others share with the viewer,
//! which it removes from or adds back to its list. Everything goes through `org::share` and
//! `org::link` as the JSON API does (`src/api/shares.rs`, `src/api/links.rs`): the same rules
//! and the same refusals, drawn as messages.
//!
//! - `POST /web/sharing/share`: `collection` (a name in the viewer's home), `kind`
//!   (`calendar` or `addressbook`), `with` (a login, a co-member's e-mail address, or
//!   `team:NAME`), `access` (`read` or `read-write`); sharing again changes the access.
//! - `POST /web/sharing/unshare`: `collection`, `kind`, `with`.
//! - `POST /web/sharing/link`: `collection` (a calendar's name), `valid` (`7d`, `30d`, `6m`,
//!   `1y` or `unlimited`: the validities `org::link` offers).
//! - `POST /web/sharing/revoke`: `id` (the link's id).
//! - `POST /web/sharing/reply`: `kind`, `id` (the shared collection's id, as in its
//!   `.shared-ID` name), `accept` (`1` to add it back to the viewer's list, `0` to remove it).

mod page;
mod texts;

use super::notice::{Notice, failure, status, with_query};
use super::{Form, Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::org::link::{self, Validity};
use crate::org::share::{self, CollectionPath, ShareWith, parse_access};
use crate::org::{Actor, OrgError};
use crate::store::{CollectionKind, StoreError};
use texts::texts;

/// Where the page is.
const PATH: &str = "/web/sharing";

/// Routes `/web/sharing/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    let form = || Form::parse_body(req.body);
    let outcome = match (req.method, tail) {
        ("GET" | "HEAD", []) => {
            let notice = done_notice(v, req);
            return page::render(ctx, req, v, 200, notice);
        }
        ("POST", ["share"]) => share(ctx, v, &form()),
        ("POST", ["unshare"]) => unshare(ctx, v, &form()),
        ("POST", ["link"]) => create_link(ctx, v, &form()),
        ("POST", ["revoke"]) => revoke(ctx, v, &form()),
        ("POST", ["reply"]) => reply(ctx, v, &form()),
        _ => return Ok(not_found(v)),
    };
    match outcome {
        Ok(done) => Ok(WebResponse::see_other(&with_query(PATH, &[("ok", done)]))),
        Err(e) => {
            let Some(code) = status(e.kind()) else {
                return Err(match e {
                    OrgError::Store(s) => s,
                    other => failure(other),
                });
            };
            let text = texts::refusal(v.lang, &e);
            page::render(ctx, req, v, code, Notice::Refused(text, None))
        }
    }
}

/// The message of a redirect after a change.
fn done_notice(v: &Viewer, req: &WebRequest<'_>) -> Notice {
    let t = texts(v.lang);
    let text = match req.query_form().get("ok") {
        Some("shared") => t.done_shared,
        Some("changed") => t.done_changed,
        Some("unshared") => t.done_unshared,
        Some("link") => t.done_link,
        Some("revoked") => t.done_revoked,
        Some("accepted") => t.done_accepted,
        Some("declined") => t.done_declined,
        _ => return Notice::None,
    };
    Notice::Done(text.into())
}

/// The viewer's collection the form names (`collection` and `kind`); "not found" for a name
/// it does not have, as the API answers for one that is not the caller's.
fn own_collection(v: &Viewer, form: &Form) -> Result<CollectionPath, OrgError> {
    let name = form.get("collection").unwrap_or("");
    match form.get("kind").and_then(CollectionKind::parse) {
        Some(kind) if !name.is_empty() => Ok(CollectionPath::of(kind, &v.account.login, name)),
        _ => Err(OrgError::NotFound(texts(v.lang).unknown_collection.into())),
    }
}

/// Who the `with` field names: a login or `team:NAME` as the API reads them, or an e-mail
/// address (logins never hold `@`), which the domain looks up among the co-members as it
/// does for calendar clients' sharing requests.
fn sharee(text: &str) -> Result<ShareWith, OrgError> {
    let t = text.trim();
    if t.contains('@') && !t.starts_with("team:") {
        return Ok(ShareWith::Address(
            t.strip_prefix("mailto:").unwrap_or(t).to_owned(),
        ));
    }
    ShareWith::parse(t)
}

/// `POST /web/sharing/share`: `shared` when new, `changed` when the access of an existing
/// share changed.
fn share(ctx: &WebCtx<'_>, v: &Viewer, form: &Form) -> Result<&'static str, OrgError> {
    let path = own_collection(v, form)?;
    let with = sharee(form.get("with").unwrap_or(""))?;
    let access = parse_access(form.get("access").unwrap_or("read"))?;
    let (_, created) = share::add(ctx.store, Actor::Account(&v.account), &path, &with, access)?;
    Ok(if created { "shared" } else { "changed" })
}

/// `POST /web/sharing/unshare`.
fn unshare(ctx: &WebCtx<'_>, v: &Viewer, form: &Form) -> Result<&'static str, OrgError> {
    let path = own_collection(v, form)?;
    let with = sharee(form.get("with").unwrap_or(""))?;
    share::remove(ctx.store, Actor::Account(&v.account), &path, &with)?;
    Ok("unshared")
}

/// `POST /web/sharing/link`.
fn create_link(ctx: &WebCtx<'_>, v: &Viewer, form: &Form) -> Result<&'static str, OrgError> {
    let name = form.get("collection").unwrap_or("");
    if name.is_empty() {
        return Err(OrgError::NotFound(texts(v.lang).unknown_collection.into()));
    }
    let path = CollectionPath::of(CollectionKind::Calendar, &v.account.login, name);
    let validity = Validity::parse(form.get("valid").unwrap_or(""))?;
    let now = ctx.store.now();
    link::create(
        ctx.store,
        ctx.plans,
        Actor::Account(&v.account),
        &path,
        validity,
        now,
    )?;
    Ok("link")
}

/// The `id` field as a number; "not found" for anything else.
fn id_field(form: &Form, what: &str) -> Result<i64, OrgError> {
    let text = form.get("id").unwrap_or("");
    text.trim()
        .parse()
        .map_err(|_| OrgError::NotFound(format!("{what} {text:?}")))
}

/// `POST /web/sharing/revoke`.
fn revoke(ctx: &WebCtx<'_>, v: &Viewer, form: &Form) -> Result<&'static str, OrgError> {
    let id = id_field(form, "public link")?;
    link::revoke(ctx.store, Actor::Account(&v.account), id, ctx.store.now())?;
    Ok("revoked")
}

/// `POST /web/sharing/reply`.
fn reply(ctx: &WebCtx<'_>, v: &Viewer, form: &Form) -> Result<&'static str, OrgError> {
    let id = id_field(form, "shared collection")?;
    let kind = form
        .get("kind")
        .and_then(CollectionKind::parse)
        .ok_or_else(|| OrgError::NotFound(format!("shared collection {id}")))?;
    let accept = form.get("accept") == Some("1");
    share::reply(ctx.store, &v.account, kind, id, accept)?;
    Ok(if accept { "accepted" } else { "declined" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharees_are_logins_teams_or_addresses() {
        assert_eq!(sharee(" bob ").unwrap(), ShareWith::Login("bob".into()));
        assert_eq!(
            sharee("team:acme/crew").unwrap(),
            ShareWith::Team("acme/crew".into())
        );
        assert_eq!(
            sharee("Bob@Example.com").unwrap(),
            ShareWith::Address("Bob@Example.com".into())
        );
        assert_eq!(
            sharee("mailto:bob@example.com").unwrap(),
            ShareWith::Address("bob@example.com".into())
        );
        assert_eq!(sharee("").unwrap_err().code(), "invalid-sharee");
    }
}
