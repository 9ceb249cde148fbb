//! Logging in and out, and recognising the logged-in person on every other page.
//!
//! `/login` is a form with fields `login` and `password`, checked by the same authenticator as
//! DAV (login names only — an e-mail address is refused —, failures throttled per login and
//! per address). A good login opens a session ([`super::session`]) and goes to the calendar.

use maud::html;

use super::form::{Form, cookie};
use super::i18n::Lang;
use super::layout::{Area, bare_page};
use super::multipart;
use super::session::{self, CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, same_token, set_cookie};
use super::{LOGIN_PATH, Viewer, WebCtx, WebRequest, WebResponse};
use crate::org::accounts::validate_login;
use crate::org::auth::AuthError;
use crate::store::StoreError;

/// What went wrong with a log-in attempt, shown above the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// Wrong login or password.
    Invalid,
    /// An e-mail address where the login name goes.
    Email,
    /// Too many failures: wait.
    Throttled,
    /// The form's token did not match its cookie.
    Expired,
}

/// `GET /login` shows the form (or goes to the calendar when a session is open);
/// `POST /login` checks the credentials.
pub fn login(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    lang: Lang,
) -> Result<WebResponse, StoreError> {
    match req.method {
        "GET" | "HEAD" => {
            if viewer(ctx, req, lang)?.is_some() {
                return Ok(WebResponse::see_other(Area::Calendar.path()));
            }
            let note = req.query_form().get("out").is_some();
            form_page(ctx, lang, 200, None, "", note)
        }
        "POST" => attempt(ctx, req, lang),
        _ => Ok(
            WebResponse::bytes(405, "text/plain; charset=utf-8", b"GET or POST\n".to_vec())
                .with("allow", "GET, HEAD, POST"),
        ),
    }
}

fn attempt(ctx: &WebCtx<'_>, req: &WebRequest<'_>, lang: Lang) -> Result<WebResponse, StoreError> {
    let form = Form::parse_body(req.body);
    let login = form.get("login").unwrap_or("").trim();
    let password = form.get("password").unwrap_or("");
    let expected = cookie(req.cookies, LOGIN_COOKIE).unwrap_or("");
    if !same_token(expected, form.get(CSRF_FIELD)) {
        return form_page(ctx, lang, 403, Some(Failure::Expired), login, false);
    }
    if login.contains('@') && validate_login(login).is_err() {
        return form_page(ctx, lang, 401, Some(Failure::Email), login, false);
    }
    let account = match ctx
        .auth
        .authenticate(ctx.store, login, password, ctx.client)
    {
        Ok(a) => a,
        Err(AuthError::Invalid) => {
            return form_page(ctx, lang, 401, Some(Failure::Invalid), login, false);
        }
        Err(AuthError::Throttled(secs)) => {
            return Ok(
                form_page(ctx, lang, 429, Some(Failure::Throttled), login, false)?
                    .with("retry-after", secs.to_string()),
            );
        }
        Err(AuthError::Store(e)) => return Err(e),
    };
    let hours = ctx.settings.session_hours;
    let (token, _) = session::open(ctx.store, account.id, hours).map_err(|e| match e {
        session::SessionError::Store(e) => e,
        other => StoreError::Backend(other.to_string()),
    })?;
    let secure = ctx.settings.secure_cookies;
    Ok(WebResponse::see_other(Area::Calendar.path())
        .with(
            "set-cookie",
            set_cookie(SESSION_COOKIE, &token, i64::from(hours) * 3600, secure),
        )
        .with("set-cookie", set_cookie(LOGIN_COOKIE, "", 0, secure)))
}

/// The log-in page with a fresh double-submit token.
fn form_page(
    ctx: &WebCtx<'_>,
    lang: Lang,
    status: u16,
    failure: Option<Failure>,
    login: &str,
    logged_out: bool,
) -> Result<WebResponse, StoreError> {
    let t = lang.texts();
    let token = session::login_token().map_err(|e| StoreError::Backend(e.to_string()))?;
    let message = failure.map(|f| match f {
        Failure::Invalid => t.login_failed,
        Failure::Email => t.login_is_email,
        Failure::Throttled => t.login_throttled,
        Failure::Expired => t.form_expired,
    });
    let body = html! {
        div.card {
            h1 { (t.log_in) }
            @if let Some(m) = message {
                p.alert.error role="alert" { (m) }
            }
            @if logged_out {
                p.alert.ok role="status" { (t.logged_out) }
            }
            form method="post" action=(LOGIN_PATH) {
                input type="hidden" name=(CSRF_FIELD) value=(token);
                label for="login" { (t.login_name) }
                input #login type="text" name="login" value=(login) autocomplete="username"
                    autocapitalize="none" spellcheck="false" required autofocus aria-describedby="login-hint";
                span.hint #login-hint { (t.login_hint) }
                label for="password" { (t.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { (t.log_in) }
            }
        }
    };
    Ok(
        WebResponse::html(status, bare_page(lang, LOGIN_PATH, t.log_in, body)).with(
            "set-cookie",
            set_cookie(LOGIN_COOKIE, &token, 3600, ctx.settings.secure_cookies),
        ),
    )
}

/// `POST /logout` ends the session (with the session's CSRF token) and shows the log-in form.
pub fn logout(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    lang: Lang,
) -> Result<WebResponse, StoreError> {
    if req.method != "POST" {
        return Ok(
            WebResponse::bytes(405, "text/plain; charset=utf-8", b"POST only\n".to_vec())
                .with("allow", "POST"),
        );
    }
    let Some(v) = viewer(ctx, req, lang)? else {
        return Ok(WebResponse::see_other(LOGIN_PATH));
    };
    if !csrf_ok(&v, req) {
        return Ok(expired(lang, req.path));
    }
    if let Some(token) = session::token(req.cookies) {
        session::close(ctx.store, token)?;
    }
    Ok(WebResponse::see_other(&format!("{LOGIN_PATH}?out=1")).with(
        "set-cookie",
        set_cookie(SESSION_COOKIE, "", 0, ctx.settings.secure_cookies),
    ))
}

/// The logged-in person of a request, if its session cookie names an open session of an
/// account that still exists.
pub fn viewer(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    lang: Lang,
) -> Result<Option<Viewer>, StoreError> {
    let Some(token) = session::token(req.cookies) else {
        return Ok(None);
    };
    let Some(s) = session::find(ctx.store, token)? else {
        return Ok(None);
    };
    Ok(ctx.store.account_by_id(s.account)?.map(|account| Viewer {
        account,
        csrf: s.csrf,
        lang,
    }))
}

/// True when a state-changing request carries the session's CSRF token (the `X-CSRF-Token`
/// header, or the `csrf` field of a URL-encoded or multipart form).
pub fn csrf_ok(v: &Viewer, req: &WebRequest<'_>) -> bool {
    if req.csrf_header.is_some() {
        return same_token(&v.csrf, req.csrf_header);
    }
    let content_type = req.content_type.unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return same_token(&v.csrf, Form::parse_body(req.body).get(CSRF_FIELD));
    }
    let field = multipart::boundary(content_type)
        .and_then(|b| multipart::parts(req.body, b))
        .and_then(|parts| {
            let part = parts.into_iter().find(|p| p.name == CSRF_FIELD)?;
            std::str::from_utf8(part.data).ok().map(str::to_owned)
        });
    same_token(&v.csrf, field.as_deref())
}

/// The answer to a form post without a valid session or token: 403 with a way back.
pub fn expired(lang: Lang, path: &str) -> WebResponse {
    let t = lang.texts();
    WebResponse::html(
        403,
        bare_page(
            lang,
            path,
            t.form_expired,
            html! {
                p.alert.error role="alert" { (t.form_expired) }
                p { a href=(LOGIN_PATH) { (t.log_in) } }
            },
        ),
    )
}
