//! The browser harness itself (`common/browser.rs`): the two window sizes, forms, waits,
//! screenshots, cookies, and that a browser leaves no process behind. On `data:` pages and
//! pages the server has always served, so it holds whatever the web view looks like.

use crate::common::*;
use base64::Engine;
use std::path::Path;

/// A page with a form whose button writes what was typed into the page, after a delay (so
/// `wait_for_text` has something to wait for), as a `data:` URL.
fn form_page(with_viewport: bool) -> String {
    let viewport = if with_viewport {
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    } else {
        ""
    };
    let html = format!(
        r#"<!doctype html><html><head><title>form</title>{viewport}</head><body>
<form onsubmit="event.preventDefault(); const v = this.elements.who.value;
  setTimeout(() => document.getElementById('out').textContent = 'Hello ' + v, 300);">
<label>Who <input name="who" value="nobody"></label> <button>Greet</button></form>
<p id="out"></p></body></html>"#
    );
    format!(
        "data:text/html;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(html)
    )
}

/// Width and height of a PNG file, from its IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "{} is not a PNG",
        path.display()
    );
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

/// The layout viewport of the page, in CSS pixels.
fn viewport(b: &Browser) -> (u64, u64) {
    let v = b.script("return [window.innerWidth, window.innerHeight]");
    (
        v[0].as_u64().expect("width"),
        v[1].as_u64().expect("height"),
    )
}

#[test]
fn forms_waits_and_screenshots_at_the_desktop_size() {
    let s = Server::start();
    let b = Browser::desktop(&s);
    b.goto(&form_page(true));
    assert_eq!(viewport(&b), (1280, 800));
    assert_eq!(
        b.script("return navigator.languages"),
        json!(["en-US", "en"])
    );
    assert_eq!(
        b.attribute("[name=who]", "value").as_deref(),
        Some("nobody")
    );
    b.fill("who", "Ada");
    b.click_button("Greet");
    b.wait_for_text("Hello Ada");
    assert_eq!(b.text_of("#out"), "Hello Ada");
    let shot = b.screenshot("harness-desktop");
    assert!(
        shot.ends_with("web-screenshots/harness-desktop.png"),
        "{}",
        shot.display()
    );
    assert_eq!(png_size(&shot), (1280, 800));
}

#[test]
fn the_phone_size_renders_as_a_phone_in_the_chosen_language() {
    let s = Server::start();
    let b = Browser::open(&s, Size::Phone, &["fr-CH", "fr"]);
    b.goto(&form_page(true));
    assert_eq!(
        b.script("return navigator.languages"),
        json!(["fr-CH", "fr"])
    );
    assert_eq!(viewport(&b), (390, 844));
    assert_eq!(b.script("return devicePixelRatio"), json!(3));
    assert_eq!(b.script("return 'ontouchstart' in window"), json!(true));
    let shot = b.screenshot("harness-phone");
    assert_eq!(png_size(&shot), (390 * 3, 844 * 3));
    // Like a real phone, a page that does not declare a viewport is laid out for a desktop
    // width: phone tests notice a missing <meta name="viewport">.
    b.goto(&form_page(false));
    assert_eq!(viewport(&b).0, 980);
}

#[test]
fn server_pages_and_cookies_reach_the_http_helper() {
    let s = Server::start();
    let b = Browser::desktop(&s);
    // A page the server has always served without credentials (the DAV root would make the
    // browser ask for a password): an unknown public link.
    b.goto("/public/no-such-link");
    assert_eq!(b.path(), "/public/no-such-link");
    b.script("document.cookie = 'probe=one; SameSite=Strict; path=/'; return null");
    let cookies = b.cookies();
    assert_eq!(
        cookies,
        vec![BrowserCookie {
            name: "probe".into(),
            value: "one".into(),
            http_only: false,
            secure: false,
            same_site: Some("Strict".into()),
        }]
    );
    assert_eq!(cookie_header(&cookies), "probe=one");
    let r = b.request(&s, "GET", "/public/no-such-link", &[], b"");
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(b.text().trim(), r.text().trim());
}

#[test]
fn dropping_the_browser_ends_its_processes() {
    let s = Server::start();
    let b = Browser::desktop(&s);
    let profile = b.profile_dir().to_owned();
    let driver = b.driver_pid();
    assert!(
        !processes_with_profile(&profile).is_empty(),
        "Chromium runs with its own profile"
    );
    drop(b);
    assert_eq!(processes_with_profile(&profile), Vec::<u32>::new());
    assert!(
        !Path::new(&format!("/proc/{driver}")).exists(),
        "chromedriver {driver} still runs"
    );
    assert!(!profile.exists(), "the profile directory is removed");
}

#[test]
fn a_browser_whose_driver_died_leaves_nothing_behind() {
    let s = Server::start();
    let b = Browser::desktop(&s);
    let profile = b.profile_dir().to_owned();
    // Killed without ending the session, chromedriver leaves its Chromium running: the
    // browser then ends those processes itself.
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &b.driver_pid().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    assert!(!processes_with_profile(&profile).is_empty());
    drop(b);
    assert_eq!(processes_with_profile(&profile), Vec::<u32>::new());
}
