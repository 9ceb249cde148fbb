//! Device set-up: for the logged-in person, the exact settings of each client the server is
//! used with (Thunderbird, Apple with a downloadable configuration profile, DAVx5, Outlook with
//! CalDav Synchronizer, eM Client), with the server URL and login name filled in.

mod profile;
mod texts;

use maud::{Markup, html};

use super::collections::visible;
use super::layout::{Area, page};
use super::{Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::methods::target::{home_href, principal_href};
use crate::store::{CollectionKind, StoreError};
use profile::{Labels, ServerAddress, mobileconfig};
use texts::Texts;

/// File name of the Apple configuration profile.
const PROFILE_FILE: &str = "davsuite.mobileconfig";

/// Routes `/web/devices/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    _req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    match tail {
        [] => overview(ctx, v),
        [PROFILE_FILE] => apple_profile(ctx, v),
        _ => Ok(not_found(v)),
    }
}

/// The settings every client needs, as absolute URLs.
struct Settings {
    base: String,
    login: String,
    principal: String,
    calendars: String,
    contacts: String,
}

impl Settings {
    fn of(ctx: &WebCtx<'_>, v: &Viewer) -> Settings {
        let base = ctx.settings.public_base.clone();
        let login = v.account.login.clone();
        Settings {
            principal: format!("{base}{}", principal_href(&login)),
            calendars: format!("{base}{}", home_href(CollectionKind::Calendar, &login)),
            contacts: format!("{base}{}", home_href(CollectionKind::AddressBook, &login)),
            base: format!("{base}/"),
            login,
        }
    }
}

/// A value with a button that copies it (the button appears only with the script).
fn copyable(value: &str, t: &Texts) -> Markup {
    html! {
        span.copyable {
            code { (value) }
            button.secondary.copy type="button" data-copy=(value) hidden { (t.copy) }
        }
    }
}

/// A numbered list of steps, each `{url}`, `{login}` … replaced by the person's values.
fn steps(items: &[&str], s: &Settings) -> Markup {
    html! {
        ol.steps {
            @for item in items {
                li { (fill(item, s)) }
            }
        }
    }
}

/// The template `text` with the person's values in place of `{base}`, `{login}`,
/// `{calendars}`, `{contacts}` and `{host}`, each drawn as code.
fn fill(text: &str, s: &Settings) -> Markup {
    let host = ServerAddress::parse(&s.base)
        .map(|a| a.host)
        .unwrap_or_default();
    let mut parts: Vec<Markup> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        let value = match key {
            "base" => Some(s.base.as_str()),
            "login" => Some(s.login.as_str()),
            "calendars" => Some(s.calendars.as_str()),
            "contacts" => Some(s.contacts.as_str()),
            "host" => Some(host.as_str()),
            _ => None,
        };
        let (before, after) = (&rest[..open], &rest[open + close + 1..]);
        parts.push(html! { (before) });
        match value {
            Some(v) => parts.push(html! { code { (v) } }),
            None => parts.push(html! { "{" (key) "}" }),
        }
        rest = after;
    }
    parts.push(html! { (rest) });
    html! { @for p in parts { (p) } }
}

fn overview(ctx: &WebCtx<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts::of(v.lang);
    let s = Settings::of(ctx, v);
    let calendars = visible(ctx.store, ctx.plans, &v.account, CollectionKind::Calendar)
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    let base = &ctx.settings.public_base;
    let content = html! {
        h1 { (t.title) }
        p { (t.intro) }
        section.card.settings aria-labelledby="your-settings" {
            h2 #your-settings { (t.your_settings) }
            dl {
                dt { (t.server) } dd { (copyable(&s.base, t)) }
                dt { (t.login) } dd { (copyable(&s.login, t)) }
                dt { (t.password) } dd { (t.password_hint) }
                dt { (t.caldav_url) } dd { (copyable(&s.calendars, t)) }
                dt { (t.carddav_url) } dd { (copyable(&s.contacts, t)) }
                dt { (t.principal_url) } dd { (copyable(&s.principal, t)) }
            }
            @if !calendars.is_empty() {
                details {
                    summary { (t.each_calendar) }
                    ul.calendar-urls {
                        @for c in &calendars {
                            li { (c.title) ": " (copyable(&format!("{base}{}", c.path.href()), t)) }
                        }
                    }
                }
            }
        }
        nav.clients aria-label=(t.clients) {
            ul {
                li { a href="#apple" { "Apple (macOS, iOS, iPadOS)" } }
                li { a href="#thunderbird" { "Thunderbird" } }
                li { a href="#davx5" { "DAVx⁵ (Android)" } }
                li { a href="#outlook" { "Outlook + CalDav Synchronizer" } }
                li { a href="#emclient" { "eM Client" } }
            }
        }
        section.client #apple {
            h2 { "Apple (macOS, iOS, iPadOS)" }
            p { (t.apple_profile) }
            p { a.button #download-profile href={ "/web/devices/" (PROFILE_FILE) } download=(PROFILE_FILE) { (t.download_profile) } }
            (steps(t.apple_steps, &s))
            details { summary { (t.manual) } (steps(t.apple_manual, &s)) }
        }
        section.client #thunderbird {
            h2 { "Thunderbird" }
            h3 { (t.calendars) } (steps(t.thunderbird_calendar, &s))
            h3 { (t.contacts) } (steps(t.thunderbird_contacts, &s))
        }
        section.client #davx5 {
            h2 { "DAVx⁵ (Android)" }
            (steps(t.davx5, &s))
        }
        section.client #outlook {
            h2 { "Outlook + CalDav Synchronizer" }
            (steps(t.outlook, &s))
        }
        section.client #emclient {
            h2 { "eM Client" }
            (steps(t.emclient, &s))
        }
    };
    Ok(WebResponse::html(
        200,
        page(v, Area::Devices, t.title, content),
    ))
}

fn apple_profile(ctx: &WebCtx<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts::of(v.lang);
    let Some(server) = ServerAddress::parse(&ctx.settings.public_base) else {
        return Err(StoreError::Backend(format!(
            "server.public_url {:?} is not an http(s) URL",
            ctx.settings.public_base
        )));
    };
    let labels = Labels {
        profile: t.profile_name,
        description: t.profile_description,
        calendars: t.calendars,
        contacts: t.contacts,
    };
    let body = mobileconfig(
        &server,
        &v.account.login,
        &principal_href(&v.account.login),
        labels,
    );
    Ok(
        WebResponse::bytes(200, "application/x-apple-aspen-config", body.into_bytes())
            .with(
                "content-disposition",
                format!("attachment; filename=\"{PROFILE_FILE}\""),
            )
            .with("cache-control", "no-store"),
    )
}
