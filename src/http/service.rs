//! One request: path and method classification (the DAV URL space, the JSON API (`/api` and
//! below), a public calendar link under `/public/`, or a holiday feed under `/holidays/`),
//! RFC 6764 redirects, authentication and throttling (the same for DAV and the API; public
//! links and holiday feeds take none), bounded body reading, then the DAV method, the API call
//! or the public link on a blocking thread (a holiday feed is computed in place); one log line
//! per request with method, path, status, duration and user.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Request, Response, StatusCode};

use super::auth::basic_credentials;
use super::holiday_feed;
use super::stream::{self, Body};
use crate::api::{self, ApiCtx, ApiError, ApiRequest, ApiResponse};
use crate::app::AppState;
use crate::dav::condition::{Condition, DavError};
use crate::holidays::PATH_PREFIX as HOLIDAYS_PREFIX;
use crate::methods::target::{DAV_ROOT, Target};
use crate::methods::{self, Ctx, DavRequest, DavResponse, Headers, Method};
use crate::org::auth::AuthError;
use crate::org::link::PUBLIC_PREFIX;
use crate::store::Store;
use crate::web::{self, WebCtx, WebRequest, WebResponse, WebSettings};

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A plain-text answer: what every front end but the API says when it refuses.
pub(super) fn text(status: u16, body: &str) -> DavResponse {
    DavResponse {
        status,
        headers: vec![("content-type", "text/plain; charset=utf-8".into())],
        body: format!("{body}\n").into_bytes(),
        stream: None,
    }
}

/// The `WWW-Authenticate` challenge of every 401.
fn challenge(state: &AppState) -> String {
    format!(
        "Basic realm=\"{}\", charset=\"UTF-8\"",
        state.config.auth.realm
    )
}

fn unauthorized(state: &AppState) -> DavResponse {
    text(
        401,
        "authentication required: use your login name (not your e-mail address) and password",
    )
    .with("www-authenticate", challenge(state))
}

fn into_hyper(r: DavResponse, head: bool, store: &Arc<dyn Store>) -> Response<Body> {
    // A streamed export has no length to announce; HEAD answers its headers only.
    let len = r.stream.is_none().then_some(r.body.len());
    let body = match r.stream {
        Some(export) if !head => stream::export(store.clone(), export),
        _ if head => stream::full(Bytes::new()),
        _ => stream::full(Bytes::from(r.body)),
    };
    let mut resp = Response::new(body);
    *resp.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    for (name, value) in r.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.append(name, v);
        }
    }
    if let (true, Some(len)) = (head, len) {
        headers.insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    resp
}

/// Handles one HTTP request.
pub async fn handle(
    state: Arc<AppState>,
    client: IpAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let started = Instant::now();
    let method_name = req.method().as_str().to_owned();
    let mut path = req.uri().path().to_owned();
    if path.starts_with(PUBLIC_PREFIX) {
        // A public link's token is its only key: it stays out of the log.
        path = format!("{PUBLIC_PREFIX}(token)");
    }
    let head = req.method() == hyper::Method::HEAD;
    let (resp, user) = respond(&state, client, req).await;
    tracing::info!(
        method = %method_name,
        path = %path,
        status = resp.status,
        ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        user = user.as_deref().unwrap_or("-"),
        "request"
    );
    Ok(into_hyper(resp, head, &state.store))
}

/// Which front end a path belongs to.
enum FrontEnd {
    /// The DAV URL space.
    Dav(Target),
    /// The JSON API: `/api` and below (see `api::is_api_path`).
    Api,
    /// Public calendar links under `/public/`: no authentication.
    Public,
    /// Holiday feeds under `/holidays/`: no authentication.
    Holidays,
    /// The web view (`web::is_web_path`): its own log-in and session cookie.
    Web,
}

/// Why a request was not authenticated, rendered by each front end in its own format.
enum Rejection {
    /// No or wrong credentials: 401.
    Unauthorized,
    /// Too many failures: 429 with the seconds to wait.
    Throttled(u64),
    /// The store failed: 500.
    Internal,
}

fn api_error(status: u16, code: &'static str, message: &str) -> DavResponse {
    into_dav(ApiError::new(status, code, message).response())
}

fn into_dav(r: ApiResponse) -> DavResponse {
    DavResponse {
        status: r.status,
        headers: r.headers,
        body: r.body,
        stream: r.stream,
    }
}

fn from_web(r: WebResponse) -> DavResponse {
    DavResponse {
        status: r.status,
        headers: r.headers,
        body: r.body,
        stream: r.stream,
    }
}

/// The parts of a request the web view reads, owned so they can move to a blocking thread.
struct WebParts {
    method: String,
    path: String,
    query: Option<String>,
    cookies: Option<String>,
    accept_language: Option<String>,
    csrf_header: Option<String>,
    if_none_match: Option<String>,
    content_type: Option<String>,
}

/// Answers a request of the web view on a blocking thread (its pages read the store).
async fn web_view(
    state: &Arc<AppState>,
    client: IpAddr,
    parts: WebParts,
    body: Bytes,
) -> DavResponse {
    let state = state.clone();
    let work = tokio::task::spawn_blocking(move || {
        let settings = WebSettings {
            session_hours: state.config.web.session_hours,
            secure_cookies: state.config.server.public_base().starts_with("https://"),
            public_base: state.config.server.public_base(),
        };
        let ctx = WebCtx {
            store: state.store.as_ref(),
            plans: &state.config.plans,
            auth: &state.auth,
            client,
            settings: &settings,
        };
        let request = WebRequest {
            method: &parts.method,
            path: &parts.path,
            query: parts.query.as_deref(),
            cookies: parts.cookies.as_deref(),
            accept_language: parts.accept_language.as_deref(),
            content_type: parts.content_type.as_deref(),
            csrf_header: parts.csrf_header.as_deref(),
            if_none_match: parts.if_none_match.as_deref(),
            body: &body,
        };
        from_web(web::handle(&ctx, &request))
    });
    match work.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "web view panicked");
            text(500, "internal error")
        }
    }
}

fn reject(state: &AppState, front: &FrontEnd, why: Rejection) -> DavResponse {
    let api = matches!(front, FrontEnd::Api);
    match (why, api) {
        (Rejection::Unauthorized, false) => unauthorized(state),
        (Rejection::Unauthorized, true) => api_error(
            401,
            "unauthorized",
            "authentication required: use your login name and password (HTTP Basic)",
        )
        .with("www-authenticate", challenge(state)),
        (Rejection::Throttled(secs), false) => {
            text(429, "too many failed logins; wait and try again")
                .with("retry-after", secs.to_string())
        }
        (Rejection::Throttled(secs), true) => api_error(
            429,
            "throttled",
            "too many failed logins; wait and try again",
        )
        .with("retry-after", secs.to_string()),
        (Rejection::Internal, false) => text(500, "internal error"),
        (Rejection::Internal, true) => api_error(500, "internal", "internal error"),
    }
}

async fn respond(
    state: &Arc<AppState>,
    client: IpAddr,
    req: Request<Incoming>,
) -> (DavResponse, Option<String>) {
    let method = Method::parse(req.method().as_str());
    let method_token = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let has_credentials = req.headers().contains_key("authorization");
    let front = if web::is_web_path(&method_token, &path, has_credentials) {
        FrontEnd::Web
    } else if api::is_api_path(&path) {
        FrontEnd::Api
    } else if path.starts_with(PUBLIC_PREFIX) {
        FrontEnd::Public
    } else if path.starts_with(HOLIDAYS_PREFIX) {
        FrontEnd::Holidays
    } else {
        match Target::parse(&path) {
            Ok(t) => FrontEnd::Dav(t),
            Err(e) => {
                let err = DavError::new(
                    Condition::ValidResourceName,
                    format!("{e}: the path cannot be used"),
                );
                // The body stays unread: say so, or the client may reuse a connection hyper
                // drops.
                return (DavResponse::from(err).with("connection", "close"), None);
            }
        }
    };
    let headers = Headers {
        depth: header(req.headers(), "depth"),
        if_match: header(req.headers(), "if-match"),
        if_none_match: header(req.headers(), "if-none-match"),
        content_type: header(req.headers(), "content-type"),
        destination: header(req.headers(), "destination"),
        overwrite: header(req.headers(), "overwrite"),
    };
    let query = req.uri().query().map(str::to_owned);
    let request_headers = req.headers().clone();
    let credentials = header(req.headers(), "authorization").and_then(|h| basic_credentials(&h));
    // The body is read (bounded) before any answer, even a 401: a response sent while the
    // body is unread makes hyper drop the keep-alive connection, and clients that retry with
    // credentials on it then fail at random.
    let limit = state.config.limits.max_request_body;
    // Each front end answers in its own format; the body stays unread, so the connection closes.
    let refuse_body = |status: u16, code: &'static str, message: &str| {
        match front {
            FrontEnd::Api => api_error(status, code, message),
            FrontEnd::Dav(_) | FrontEnd::Public | FrontEnd::Holidays | FrontEnd::Web => {
                text(status, message)
            }
        }
        .with("connection", "close")
    };
    let too_large = || {
        refuse_body(
            413,
            "too-large",
            &format!("request body larger than {limit} bytes"),
        )
    };
    let declared = header(req.headers(), "content-length").and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return (too_large(), None);
    }
    let body = match Limited::new(req.into_body(), limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            return (too_large(), None);
        }
        Err(_) => {
            return (
                refuse_body(400, "bad-request", "could not read the request body"),
                None,
            );
        }
    };
    if let FrontEnd::Dav(target) = &front {
        // RFC 6764 §5: the well-known URIs redirect to the DAV root. PROPFIND is answered in
        // place too, for clients that do not follow redirects there (compat pitfall 12).
        if matches!(target, Target::WellKnown(_)) && method != Method::Propfind {
            return (DavResponse::empty(301).with("location", DAV_ROOT), None);
        }
        if method == Method::Options {
            return (methods::handle_options(), None);
        }
    }
    if let FrontEnd::Public = front {
        // Read-only and unauthenticated: the token in the path is the only key.
        let state = state.clone();
        let work = tokio::task::spawn_blocking(move || {
            let ctx = Ctx::new(state.store.as_ref(), &state.config.plans);
            methods::public::public(&ctx, method, &path, &headers)
        });
        return match work.await {
            Ok(r) => (r, None),
            Err(e) => {
                tracing::error!(error = %e, "public link handler panicked");
                (text(500, "internal error"), None)
            }
        };
    }
    if let FrontEnd::Holidays = front {
        // Computed from the region and the year alone: nothing to authenticate, nothing to read.
        let now = state.store.now();
        let if_none_match = headers.if_none_match.as_deref();
        let r = holiday_feed::respond(method, &path, query.as_deref(), if_none_match, now);
        return (r, None);
    }
    if let FrontEnd::Web = front {
        let request = WebParts {
            method: method_token,
            path,
            query,
            cookies: header(&request_headers, "cookie"),
            accept_language: header(&request_headers, "accept-language"),
            csrf_header: header(&request_headers, "x-csrf-token"),
            if_none_match: headers.if_none_match.clone(),
            content_type: headers.content_type.clone(),
        };
        return (web_view(state, client, request, body).await, None);
    }
    let Some((login, password)) = credentials else {
        return (reject(state, &front, Rejection::Unauthorized), None);
    };
    let state = state.clone();
    let work = tokio::task::spawn_blocking(move || {
        let user = match state
            .auth
            .authenticate(state.store.as_ref(), &login, &password, client)
        {
            Ok(u) => u,
            Err(AuthError::Invalid) => {
                return (reject(&state, &front, Rejection::Unauthorized), None);
            }
            Err(AuthError::Throttled(secs)) => {
                return (reject(&state, &front, Rejection::Throttled(secs)), None);
            }
            Err(AuthError::Store(e)) => {
                tracing::error!(error = %e, "store failure during authentication");
                return (reject(&state, &front, Rejection::Internal), None);
            }
        };
        let response = match front {
            FrontEnd::Api => {
                let ctx = ApiCtx {
                    store: state.store.as_ref(),
                    plans: &state.config.plans,
                    default_plan: &state.config.defaults.plan,
                    defaults: state.default_collections(),
                    public_base: state.config.server.public_base(),
                };
                let request = ApiRequest {
                    method: &method_token,
                    path: &path,
                    query: query.as_deref(),
                    body: &body,
                    user: &user,
                };
                into_dav(api::handle(&ctx, &request))
            }
            // Answered above, before authentication.
            FrontEnd::Public | FrontEnd::Holidays | FrontEnd::Web => text(404, "not found"),
            FrontEnd::Dav(target) => {
                let ctx = Ctx::new(state.store.as_ref(), &state.config.plans);
                let dav = DavRequest {
                    method,
                    target,
                    query: query.as_deref(),
                    headers,
                    body: &body,
                    user: &user,
                };
                methods::handle(&ctx, &dav)
            }
        };
        // Only an authenticated login is logged as the request's user.
        (response, Some(user.login.clone()))
    });
    match work.await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "request handler panicked");
            (text(500, "internal error"), None)
        }
    }
}
