//! The web view's device set-up page and the Apple configuration profile.

use crate::common::*;

#[test]
fn the_page_fills_in_the_persons_settings_for_every_client() {
    let s = Server::start_with_config(Some("[server]\npublic_url = \"https://dav.example.org\"\n"));
    let u = s.new_user("devices");
    let session = web_login(&s, &u);
    let r = session.get(&s, "/web/devices");
    assert_eq!(r.status, 200);
    let page = r.text();
    for client in [
        "Thunderbird",
        "Apple",
        "DAVx",
        "CalDav Synchronizer",
        "eM Client",
    ] {
        assert!(page.contains(client), "{client} missing");
    }
    assert!(page.contains("https://dav.example.org/"), "{page}");
    assert!(page.contains(&format!(
        "https://dav.example.org/dav/calendars/{}/",
        u.login
    )));
    assert!(page.contains(&format!(
        "https://dav.example.org/dav/addressbooks/{}/",
        u.login
    )));
    assert!(page.contains(&format!("<code>{}</code>", u.login)));
    assert!(page.contains("href=\"/web/devices/davsuite.mobileconfig\""));
    let fr = s.request(
        "GET",
        "/web/devices",
        None,
        &[
            ("cookie", &session.cookie_header()),
            ("accept-language", "fr"),
        ],
        b"",
    );
    assert!(fr.text().contains("Configurer vos appareils"));
}

#[test]
fn the_apple_profile_sets_up_caldav_and_carddav() {
    let s = Server::start_with_config(Some("[server]\npublic_url = \"https://dav.example.org\"\n"));
    let u = s.new_user("profile");
    let session = web_login(&s, &u);
    let r = session.get(&s, "/web/devices/davsuite.mobileconfig");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/x-apple-aspen-config")
    );
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.contains("davsuite.mobileconfig")),
        "{:?}",
        r.headers
    );
    let plist = read_plist(&r.body);
    assert_eq!(plist["PayloadType"], "Configuration");
    let payloads = plist["PayloadContent"].as_array().expect("payloads");
    assert_eq!(payloads.len(), 2);
    let principal = format!("/dav/principals/users/{}/", u.login);
    for (p, proto) in payloads.iter().zip(["CalDAV", "CardDAV"]) {
        assert_eq!(
            p["PayloadType"],
            format!("com.apple.{}.account", proto.to_lowercase())
        );
        assert_eq!(p[format!("{proto}HostName")], "dav.example.org");
        assert_eq!(p[format!("{proto}Port")], 443);
        assert_eq!(p[format!("{proto}UseSSL")], true);
        assert_eq!(p[format!("{proto}Username")], u.login.as_str());
        assert_eq!(p[format!("{proto}PrincipalURL")], principal.as_str());
    }
    assert!(!r.text().contains(&u.password), "no password in the file");
    // The same profile again: the same identifiers, so it replaces the installed one.
    let again = read_plist(&session.get(&s, "/web/devices/davsuite.mobileconfig").body);
    assert_eq!(again["PayloadUUID"], plist["PayloadUUID"]);
    // The principal it names is the person's, over DAV.
    let cup = cup_propfind(&s, Some(&u), &principal, "0");
    assert_eq!(cup.status, 207);
}

#[test]
fn without_a_session_there_is_no_profile() {
    let s = Server::start();
    let r = s.request("GET", "/web/devices/davsuite.mobileconfig", None, &[], b"");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
}
