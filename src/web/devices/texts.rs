//! Texts of the device set-up page. Steps may name the person's values as `{base}` (server
//! URL), `{host}`, `{login}`, `{calendars}` and `{contacts}` (home URLs).

use crate::web::i18n::Lang;

/// Texts of the device set-up page.
#[derive(Debug)]
pub struct Texts {
    pub title: &'static str,
    pub intro: &'static str,
    pub your_settings: &'static str,
    pub server: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub caldav_url: &'static str,
    pub carddav_url: &'static str,
    pub principal_url: &'static str,
    pub each_calendar: &'static str,
    pub copy: &'static str,
    pub clients: &'static str,
    pub calendars: &'static str,
    pub contacts: &'static str,
    pub manual: &'static str,
    pub apple_profile: &'static str,
    pub download_profile: &'static str,
    pub profile_name: &'static str,
    pub profile_description: &'static str,
    pub apple_steps: &'static [&'static str],
    pub apple_manual: &'static [&'static str],
    pub thunderbird_calendar: &'static [&'static str],
    pub thunderbird_contacts: &'static [&'static str],
    pub davx5: &'static [&'static str],
    pub outlook: &'static [&'static str],
    pub emclient: &'static [&'static str],
}

/// The texts in `lang`.
pub fn of(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

static EN: Texts = Texts {
    title: "Set up your devices",
    intro: "Sync your calendars and contacts with the apps you already use. Your settings are filled in below.",
    your_settings: "Your settings",
    server: "Server address",
    login: "Login name",
    password: "Password",
    password_hint: "Your usual password (never your e-mail address as login name).",
    caldav_url: "Calendars (CalDAV)",
    carddav_url: "Contacts (CardDAV)",
    principal_url: "Principal URL",
    each_calendar: "Address of each calendar",
    copy: "Copy",
    clients: "Apps",
    calendars: "Calendars",
    contacts: "Contacts",
    manual: "Set it up by hand instead",
    apple_profile: "One profile sets up both calendars and contacts. The device asks for your password when you install it.",
    download_profile: "Download the profile",
    profile_name: "davsuite calendars and contacts",
    profile_description: "Sets up CalDAV (calendars) and CardDAV (contacts) for your davsuite account.",
    apple_steps: &[
        "iPhone and iPad: open the downloaded profile, then go to Settings → Profile Downloaded → Install, and enter your password.",
        "Mac: open the downloaded file, then System Settings → Privacy & Security → Profiles → Install, and enter your password.",
    ],
    apple_manual: &[
        "Settings → Calendar (or Contacts) → Accounts → Add Account → Other → Add CalDAV Account (or CardDAV Account).",
        "Server: {host} — User name: {login} — Password: your password.",
        "On a Mac: Calendar → Settings → Accounts → + → Other CalDAV Account, account type Manual, server address {base}.",
    ],
    thunderbird_calendar: &[
        "Calendar → New Calendar… → On the Network.",
        "Username: {login} — Location: {base}",
        "Find Calendars, enter your password, tick the calendars and Subscribe.",
    ],
    thunderbird_contacts: &[
        "Address Book → New Address Book → Add CardDAV Address Book.",
        "Username: {login} — Location: {base}",
        "Continue, enter your password and choose the address books.",
    ],
    davx5: &[
        "Tap + → Login with URL and user name.",
        "Base URL: {base} — User name: {login} — Password: your password.",
        "Login, create the account, then switch on the calendars and address books to sync.",
    ],
    outlook: &[
        "In the CalDav Synchronizer ribbon: Synchronization Profiles → Add new profile → Generic CalDAV/CardDAV.",
        "DAV URL: {calendars} — Username: {login} — Password: your password.",
        "Discover resources and assign to Outlook folders, pick a calendar for each Outlook folder, then OK.",
        "For contacts, add a second profile with DAV URL {contacts} and an Outlook contacts folder.",
    ],
    emclient: &[
        "Menu → Accounts → + Add account → Calendar → CalDAV.",
        "Server address: {calendars} — User name: {login} — Password: your password.",
        "For contacts: + Add account → Contacts → CardDAV, server address {contacts}.",
    ],
};

static FR: Texts = Texts {
    title: "Configurer vos appareils",
    intro: "Synchronisez vos calendriers et vos contacts avec les applications que vous utilisez déjà. Vos réglages sont remplis ci-dessous.",
    your_settings: "Vos réglages",
    server: "Adresse du serveur",
    login: "Nom d'utilisateur",
    password: "Mot de passe",
    password_hint: "Votre mot de passe habituel (jamais votre adresse e-mail comme nom d'utilisateur).",
    caldav_url: "Calendriers (CalDAV)",
    carddav_url: "Contacts (CardDAV)",
    principal_url: "URL du principal",
    each_calendar: "Adresse de chaque calendrier",
    copy: "Copier",
    clients: "Applications",
    calendars: "Calendriers",
    contacts: "Contacts",
    manual: "Configurer à la main",
    apple_profile: "Un seul profil configure les calendriers et les contacts. L'appareil demande votre mot de passe à l'installation.",
    download_profile: "Télécharger le profil",
    profile_name: "Calendriers et contacts davsuite",
    profile_description: "Configure CalDAV (calendriers) et CardDAV (contacts) pour votre compte davsuite.",
    apple_steps: &[
        "iPhone et iPad : ouvrez le profil téléchargé, puis Réglages → Profil téléchargé → Installer, et saisissez votre mot de passe.",
        "Mac : ouvrez le fichier téléchargé, puis Réglages Système → Confidentialité et sécurité → Profils → Installer, et saisissez votre mot de passe.",
    ],
    apple_manual: &[
        "Réglages → Calendrier (ou Contacts) → Comptes → Ajouter un compte → Autre → Ajouter un compte CalDAV (ou CardDAV).",
        "Serveur : {host} — Nom d'utilisateur : {login} — Mot de passe : votre mot de passe.",
        "Sur Mac : Calendrier → Réglages → Comptes → + → Autre compte CalDAV, type Manuel, adresse du serveur {base}.",
    ],
    thunderbird_calendar: &[
        "Agenda → Nouvel agenda… → Sur le réseau.",
        "Nom d'utilisateur : {login} — Adresse : {base}",
        "Rechercher des agendas, saisissez votre mot de passe, cochez les agendas et abonnez-vous.",
    ],
    thunderbird_contacts: &[
        "Carnet d'adresses → Nouveau carnet d'adresses → Ajouter un carnet d'adresses CardDAV.",
        "Nom d'utilisateur : {login} — Adresse : {base}",
        "Continuer, saisissez votre mot de passe et choisissez les carnets d'adresses.",
    ],
    davx5: &[
        "Touchez + → Connexion avec une URL et un nom d'utilisateur.",
        "URL de base : {base} — Nom d'utilisateur : {login} — Mot de passe : votre mot de passe.",
        "Connexion, créez le compte, puis activez les calendriers et carnets d'adresses à synchroniser.",
    ],
    outlook: &[
        "Dans le ruban CalDav Synchronizer : Synchronization Profiles → ajouter un profil → Generic CalDAV/CardDAV.",
        "DAV URL : {calendars} — Username : {login} — Password : votre mot de passe.",
        "Discover resources and assign to Outlook folders, choisissez un calendrier pour chaque dossier Outlook, puis OK.",
        "Pour les contacts, ajoutez un second profil avec l'URL {contacts} et un dossier de contacts Outlook.",
    ],
    emclient: &[
        "Menu → Comptes → + Ajouter un compte → Calendrier → CalDAV.",
        "Adresse du serveur : {calendars} — Nom d'utilisateur : {login} — Mot de passe : votre mot de passe.",
        "Pour les contacts : + Ajouter un compte → Contacts → CardDAV, adresse du serveur {contacts}.",
    ],
};
