//! The web view's languages: French and English, chosen from the `davsuite_lang` cookie (set by
//! the language switch) or else from the browser's `Accept-Language`, and the texts shared by
//! every page (navigation, login, errors). Each page module keeps its own texts next to its
//! markup in the same way: one struct, one constant per language, so a missing translation is a
//! compile error.

/// A language of the web view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

/// Name of the cookie that keeps a language chosen with the switch.
pub const LANG_COOKIE: &str = "davsuite_lang";

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 tag (`lang` attribute, cookie and `?lang=` value).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// Reads a tag (`fr`, `fr-CH`, `EN`); `None` for a language the view does not speak.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The language for a request: the cookie's if it names one, else the `Accept-Language`
    /// entry with the highest quality that the view speaks, else English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::parse) {
            return lang;
        }
        let mut best: Option<(f32, Lang)> = None;
        for entry in accept_language.unwrap_or("").split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    /// The texts shared by every page.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// Texts shared by every page.
#[derive(Debug)]
pub struct Texts {
    /// Name of the application.
    pub app_name: &'static str,
    /// Link that skips the navigation (keyboard and screen-reader users).
    pub skip_to_content: &'static str,
    /// Label of the main navigation.
    pub main_navigation: &'static str,
    /// Navigation: calendar.
    pub nav_calendar: &'static str,
    /// Navigation: tasks.
    pub nav_tasks: &'static str,
    /// Navigation: contacts.
    pub nav_contacts: &'static str,
    /// Navigation: trash.
    pub nav_trash: &'static str,
    /// Navigation: sharing.
    pub nav_sharing: &'static str,
    /// Navigation: import and export.
    pub nav_transfer: &'static str,
    /// Navigation: device set-up.
    pub nav_devices: &'static str,
    /// Label of the language switch.
    pub language: &'static str,
    /// Log-out button.
    pub log_out: &'static str,
    /// Log-in page title and button.
    pub log_in: &'static str,
    /// Label of the login-name field.
    pub login_name: &'static str,
    /// Hint under the login-name field.
    pub login_hint: &'static str,
    /// Label of the password field.
    pub password: &'static str,
    /// Wrong login name or password.
    pub login_failed: &'static str,
    /// An e-mail address was typed as login name.
    pub login_is_email: &'static str,
    /// Too many failed logins.
    pub login_throttled: &'static str,
    /// The log-in form was too old or came from elsewhere.
    pub form_expired: &'static str,
    /// The session ended.
    pub logged_out: &'static str,
    /// Page not found.
    pub not_found: &'static str,
    /// Something failed on the server.
    pub internal_error: &'static str,
    /// Signed in as (followed by the login name).
    pub signed_in_as: &'static str,
}

/// English.
pub static EN: Texts = Texts {
    app_name: "davsuite",
    skip_to_content: "Skip to content",
    main_navigation: "Main",
    nav_calendar: "Calendar",
    nav_tasks: "Tasks",
    nav_contacts: "Contacts",
    nav_trash: "Trash",
    nav_sharing: "Sharing",
    nav_transfer: "Import & export",
    nav_devices: "Devices",
    language: "Language",
    log_out: "Log out",
    log_in: "Log in",
    login_name: "Login name",
    login_hint: "Your login name, not your e-mail address.",
    password: "Password",
    login_failed: "Wrong login name or password.",
    login_is_email: "Use your login name, not your e-mail address.",
    login_throttled: "Too many failed attempts. Wait a few minutes and try again.",
    form_expired: "This form has expired. Please try again.",
    logged_out: "You are logged out.",
    not_found: "This page does not exist.",
    internal_error: "Something went wrong on the server. Please try again.",
    signed_in_as: "Signed in as",
};

/// French.
pub static FR: Texts = Texts {
    app_name: "davsuite",
    skip_to_content: "Aller au contenu",
    main_navigation: "Principal",
    nav_calendar: "Calendrier",
    nav_tasks: "Tâches",
    nav_contacts: "Contacts",
    nav_trash: "Corbeille",
    nav_sharing: "Partage",
    nav_transfer: "Importer et exporter",
    nav_devices: "Appareils",
    language: "Langue",
    log_out: "Se déconnecter",
    log_in: "Se connecter",
    login_name: "Nom d'utilisateur",
    login_hint: "Votre nom d'utilisateur, pas votre adresse e-mail.",
    password: "Mot de passe",
    login_failed: "Nom d'utilisateur ou mot de passe incorrect.",
    login_is_email: "Utilisez votre nom d'utilisateur, pas votre adresse e-mail.",
    login_throttled: "Trop de tentatives échouées. Patientez quelques minutes puis réessayez.",
    form_expired: "Ce formulaire a expiré. Veuillez réessayer.",
    logged_out: "Vous êtes déconnecté.",
    not_found: "Cette page n'existe pas.",
    internal_error: "Une erreur s'est produite sur le serveur. Veuillez réessayer.",
    signed_in_as: "Connecté en tant que",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(Lang::negotiate(Some("fr"), Some("en-GB,en")), Lang::Fr);
        assert_eq!(Lang::negotiate(Some("xx"), Some("fr-CH")), Lang::Fr);
    }

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(
            Lang::negotiate(None, Some("de-CH, fr;q=0.8, en;q=0.5")),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(None, Some("fr;q=0.4, en-US;q=0.9")),
            Lang::En
        );
        assert_eq!(Lang::negotiate(None, Some("fr;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("de, it")), Lang::En);
        assert_eq!(Lang::negotiate(None, None), Lang::En);
        assert_eq!(Lang::negotiate(None, Some(";;,q=,")), Lang::En);
    }
}
