//! The web view: server-rendered pages for the people who use the server, in the same binary.
//! Log in at `/login` with the login name and password (a session cookie, see [`session`]);
//! pages live under `/web/`, each area of the view in its own module, drawn in the shell of
//! [`layout`] in French or English ([`i18n`]). Every change goes through the same domain code
//! as DAV and the JSON API (`transfer`, `trash`, `contacts`, `org`), so clients see it at their
//! next sync. Knows nothing of hyper: the HTTP layer hands it a [`WebRequest`] and sends back
//! the [`WebResponse`].

mod assets;
mod calendar;
mod collections;
mod contacts;
mod dates;
mod devices;
mod event;
mod form;
pub mod i18n;
mod ids;
mod layout;
mod login;
mod multipart;
mod notice;
mod session;
mod sharing;
mod tasks;
mod transfer;
mod trash;

use std::net::IpAddr;

use maud::{Markup, html};

use crate::org::auth::Authenticator;
use crate::org::plan::Plans;
use crate::store::{Account, Store, StoreError};
use crate::transfer::export::Export;
pub use form::Form;
use i18n::{LANG_COOKIE, Lang};

/// Where the web view's pages live.
pub const PAGES: &str = "/web/";
/// The log-in page.
pub const LOGIN_PATH: &str = "/login";
/// Where a log-out form posts.
pub const LOGOUT_PATH: &str = "/logout";

/// True for the paths the web view answers: its pages and files, `/login`, `/logout`, and a
/// browser's `GET /` (a request without credentials; DAV clients asking `/` send them).
pub fn is_web_path(method: &str, path: &str, has_credentials: bool) -> bool {
    path.starts_with(PAGES)
        || path == "/web"
        || path == LOGIN_PATH
        || path == LOGOUT_PATH
        || (path == "/" && matches!(method, "GET" | "HEAD") && !has_credentials)
}

/// Settings of the web view, from configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Hours a session lasts.
    pub session_hours: u32,
    /// Whether cookies are `Secure` (the server is reached over TLS).
    pub secure_cookies: bool,
    /// The server's public base URL (no trailing slash), for the URLs pages show.
    pub public_base: String,
}

/// Everything a page needs besides the request.
pub struct WebCtx<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The plan catalogue.
    pub plans: &'a Plans,
    /// Credential checks, throttled like DAV's.
    pub auth: &'a Authenticator,
    /// The address the request came from (log-in throttling).
    pub client: IpAddr,
    /// Settings.
    pub settings: &'a WebSettings,
}

/// A request to the web view.
#[derive(Debug)]
pub struct WebRequest<'a> {
    /// Method token.
    pub method: &'a str,
    /// Path without the query string.
    pub path: &'a str,
    /// The query string.
    pub query: Option<&'a str>,
    /// The `Cookie` header.
    pub cookies: Option<&'a str>,
    /// The `Accept-Language` header.
    pub accept_language: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The `X-CSRF-Token` header (scripts send the token there).
    pub csrf_header: Option<&'a str>,
    /// The `If-None-Match` header (embedded files).
    pub if_none_match: Option<&'a str>,
    /// The body (bounded by the HTTP layer).
    pub body: &'a [u8],
}

impl WebRequest<'_> {
    /// The query string's fields.
    pub fn query_form(&self) -> Form {
        Form::parse(self.query.unwrap_or(""))
    }
}

/// An answer before it becomes HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebResponse {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(&'static str, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// A collection exported as the body (instead of `body`), streamed by the HTTP layer.
    pub stream: Option<Export>,
}

/// Content-Security-Policy of every page: nothing from elsewhere, no inline script; inline
/// `style` attributes are allowed for the colours people give their calendars.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

impl WebResponse {
    /// An HTML page.
    pub fn html(status: u16, page: Markup) -> WebResponse {
        WebResponse {
            status,
            headers: vec![
                ("content-type", "text/html; charset=utf-8".into()),
                ("cache-control", "no-store".into()),
                ("content-security-policy", CSP.into()),
                ("x-content-type-options", "nosniff".into()),
                ("referrer-policy", "same-origin".into()),
            ],
            body: page.into_string().into_bytes(),
            stream: None,
        }
    }

    /// A redirect after a form post or to the log-in page (303: the browser then GETs).
    pub fn see_other(location: &str) -> WebResponse {
        WebResponse {
            status: 303,
            headers: vec![
                ("location", location.to_owned()),
                ("cache-control", "no-store".into()),
            ],
            body: Vec::new(),
            stream: None,
        }
    }

    /// A body of another type (a download, JSON, an embedded file).
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> WebResponse {
        WebResponse {
            status,
            headers: vec![
                ("content-type", content_type.to_owned()),
                ("x-content-type-options", "nosniff".into()),
            ],
            body,
            stream: None,
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> WebResponse {
        self.headers.push((name, value.into()));
        self
    }
}

/// The person a page is drawn for: a logged-in account with its session's CSRF token and the
/// language of the request.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account.
    pub account: Account,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
    /// The language of the page.
    pub lang: Lang,
}

/// Handles one request to the web view.
pub fn handle(ctx: &WebCtx<'_>, req: &WebRequest<'_>) -> WebResponse {
    let lang = Lang::negotiate(form::cookie(req.cookies, LANG_COOKIE), req.accept_language);
    // The language switch: remember the choice and come back to the page without the query.
    if let Some(chosen) = req.query_form().get("lang").and_then(Lang::parse)
        && matches!(req.method, "GET" | "HEAD")
    {
        return WebResponse::see_other(req.path).with(
            "set-cookie",
            format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
                chosen.tag(),
                if ctx.settings.secure_cookies {
                    "; Secure"
                } else {
                    ""
                }
            ),
        );
    }
    match route(ctx, req, lang) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, path = req.path, "web view failed");
            let t = lang.texts();
            WebResponse::html(
                500,
                layout::bare_page(
                    lang,
                    req.path,
                    t.internal_error,
                    html! { p.alert.error role="alert" { (t.internal_error) } },
                ),
            )
        }
    }
}

fn route(ctx: &WebCtx<'_>, req: &WebRequest<'_>, lang: Lang) -> Result<WebResponse, StoreError> {
    let method = req.method;
    if let Some(name) = req.path.strip_prefix(assets::PREFIX) {
        return Ok(asset(method, name, req.if_none_match));
    }
    if req.path == assets::MANIFEST_PATH {
        return Ok(WebResponse::bytes(
            200,
            "application/manifest+json",
            assets::manifest().into_bytes(),
        )
        .with("cache-control", "public, max-age=3600"));
    }
    match req.path {
        LOGIN_PATH => return login::login(ctx, req, lang),
        LOGOUT_PATH => return login::logout(ctx, req, lang),
        _ => {}
    }
    let Some(viewer) = login::viewer(ctx, req, lang)? else {
        // Without a session every page leads to the log-in form; a form post is refused.
        return Ok(match method {
            "GET" | "HEAD" => WebResponse::see_other(LOGIN_PATH),
            _ => login::expired(lang, req.path),
        });
    };
    if !matches!(method, "GET" | "HEAD") && !login::csrf_ok(&viewer, req) {
        return Ok(login::expired(lang, req.path));
    }
    let rest = req.path.strip_prefix(PAGES).unwrap_or("");
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => Ok(WebResponse::see_other(layout::Area::Calendar.path())),
        ["calendar", "event", tail @ ..] => event::route(ctx, req, &viewer, tail),
        ["calendar", tail @ ..] => calendar::route(ctx, req, &viewer, tail),
        ["contacts", tail @ ..] => contacts::route(ctx, req, &viewer, tail),
        ["trash", tail @ ..] => trash::route(ctx, req, &viewer, tail),
        ["sharing", tail @ ..] => sharing::route(ctx, req, &viewer, tail),
        ["tasks", tail @ ..] => tasks::route(ctx, req, &viewer, tail),
        ["devices", tail @ ..] => devices::route(ctx, req, &viewer, tail),
        ["transfer", tail @ ..] => transfer::route(ctx, req, &viewer, tail),
        _ => Ok(not_found(&viewer)),
    }
}

/// An embedded file, with its ETag (304 when the browser has it).
fn asset(method: &str, name: &str, if_none_match: Option<&str>) -> WebResponse {
    if !matches!(method, "GET" | "HEAD") {
        return WebResponse::bytes(405, "text/plain; charset=utf-8", b"GET only\n".to_vec())
            .with("allow", "GET, HEAD");
    }
    let Some(file) = assets::file(name) else {
        return WebResponse::bytes(404, "text/plain; charset=utf-8", b"not found\n".to_vec());
    };
    let cache = ("cache-control", "public, max-age=31536000, immutable");
    if if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == file.etag)) {
        return WebResponse::bytes(304, file.content_type, Vec::new())
            .with("etag", file.etag)
            .with(cache.0, cache.1);
    }
    WebResponse::bytes(200, file.content_type, file.bytes.to_vec())
        .with("etag", file.etag)
        .with(cache.0, cache.1)
}

/// The page for a path the view does not have.
pub fn not_found(v: &Viewer) -> WebResponse {
    let t = v.lang.texts();
    WebResponse::html(
        404,
        layout::page(
            v,
            layout::Area::Calendar,
            t.not_found,
            html! { p.alert.error role="alert" { (t.not_found) } },
        ),
    )
}
