//! The page shell every page is drawn in: document head (viewport, manifest, styles, script),
//! the header with the navigation, the language switch and the log-out button, and the main
//! landmark. Pages pass their content as markup; maud escapes every value it is given.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Viewer;
use super::assets;
use super::i18n::Lang;
use super::session::CSRF_FIELD;

/// The parts of the web view, one per navigation entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Month, week and agenda views.
    Calendar,
    /// Tasks with due dates and completion.
    Tasks,
    /// Contacts, groups and duplicates.
    Contacts,
    /// Deleted items and point-in-time restore.
    Trash,
    /// Shares and public links.
    Sharing,
    /// Import and export of files.
    Transfer,
    /// Settings for each kind of device.
    Devices,
}

impl Area {
    /// Every area, in navigation order.
    pub const ALL: [Area; 7] = [
        Area::Calendar,
        Area::Tasks,
        Area::Contacts,
        Area::Trash,
        Area::Sharing,
        Area::Transfer,
        Area::Devices,
    ];

    /// The area's page.
    pub fn path(self) -> &'static str {
        match self {
            Area::Calendar => "/web/calendar",
            Area::Tasks => "/web/tasks",
            Area::Contacts => "/web/contacts",
            Area::Trash => "/web/trash",
            Area::Sharing => "/web/sharing",
            Area::Transfer => "/web/transfer",
            Area::Devices => "/web/devices",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let t = lang.texts();
        match self {
            Area::Calendar => t.nav_calendar,
            Area::Tasks => t.nav_tasks,
            Area::Contacts => t.nav_contacts,
            Area::Trash => t.nav_trash,
            Area::Sharing => t.nav_sharing,
            Area::Transfer => t.nav_transfer,
            Area::Devices => t.nav_devices,
        }
    }
}

fn head(lang: Lang, title: &str) -> Markup {
    let t = lang.texts();
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light dark";
            meta name="theme-color" content="#1f5fbf";
            title { (title) " · " (t.app_name) }
            link rel="manifest" href=(assets::MANIFEST_PATH);
            link rel="icon" href=(assets::url("icon.svg")) type="image/svg+xml";
            link rel="apple-touch-icon" href=(assets::url("icon-192.png"));
            link rel="stylesheet" href=(assets::url("app.css"));
            script src=(assets::url("app.js")) defer {}
        }
    }
}

/// A hidden field with the session's CSRF token, for every state-changing form.
pub fn csrf_field(v: &Viewer) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(v.csrf); }
}

/// The language switch: links that set the language cookie and come back to `path`.
fn language_switch(lang: Lang, path: &str) -> Markup {
    html! {
        nav.lang aria-label=(lang.texts().language) {
            @for l in Lang::ALL {
                @if l == lang {
                    span aria-current="true" lang=(l.tag()) { (l.name()) }
                } @else {
                    a href={ (path) "?lang=" (l.tag()) } lang=(l.tag()) hreflang=(l.tag()) { (l.name()) }
                }
            }
        }
    }
}

/// A page of a logged-in person: header with navigation (`area` marked current), then
/// `content` in the main landmark.
pub fn page(v: &Viewer, area: Area, title: &str, content: Markup) -> Markup {
    let t = v.lang.texts();
    html! {
        (DOCTYPE)
        html lang=(v.lang.tag()) {
            (head(v.lang, title))
            body {
                a.skip href="#main" { (t.skip_to_content) }
                header.top {
                    a.brand href=(Area::Calendar.path()) { (PreEscaped(assets::LOGO_SVG)) span { (t.app_name) } }
                    nav.main aria-label=(t.main_navigation) {
                        ul {
                            @for a in Area::ALL {
                                li {
                                    @if a == area {
                                        a href=(a.path()) aria-current="page" { (a.label(v.lang)) }
                                    } @else {
                                        a href=(a.path()) { (a.label(v.lang)) }
                                    }
                                }
                            }
                        }
                    }
                    div.session {
                        span.who title=(t.signed_in_as) { (v.account.login) }
                        (language_switch(v.lang, area.path()))
                        form.logout method="post" action="/logout" {
                            (csrf_field(v))
                            button type="submit" { (t.log_out) }
                        }
                    }
                }
                main #main tabindex="-1" { (content) }
            }
        }
    }
}

/// A page without a session (log in, errors before login): no navigation.
pub fn bare_page(lang: Lang, path: &str, title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            (head(lang, title))
            body.bare {
                header.top {
                    span.brand { (PreEscaped(assets::LOGO_SVG)) span { (lang.texts().app_name) } }
                    div.session { (language_switch(lang, path)) }
                }
                main #main tabindex="-1" { (content) }
            }
        }
    }
}
