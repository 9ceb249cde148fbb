//! Files the web view needs besides its pages (style sheet, script, icons, the web app
//! manifest), embedded in the binary so the server needs nothing next to it and pages load no
//! external resource. Each URL carries the file's hash, so browsers may keep files for a year
//! and still never use a stale one after an upgrade.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// Where the files are served.
pub const PREFIX: &str = "/web/assets/";

/// Path of the web app manifest (what makes the view installable as an app).
pub const MANIFEST_PATH: &str = "/web/manifest.webmanifest";

/// The logo drawn in the page header (also `icon.svg`'s picture).
pub const LOGO_SVG: &str = r##"<svg class="logo" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><rect x="3" y="5" width="18" height="16" rx="3" fill="currentColor" opacity=".18"/><rect x="3" y="5" width="18" height="5" rx="2" fill="currentColor"/><rect x="7" y="2" width="2" height="5" rx="1" fill="currentColor"/><rect x="15" y="2" width="2" height="5" rx="1" fill="currentColor"/><circle cx="12" cy="15" r="2.5" fill="currentColor"/></svg>"##;

/// The style sheet: base rules, then each area's, then print rules (one file, one request).
const STYLES: &str = concat!(
    include_str!("assets/base.css"),
    include_str!("assets/calendar.css"),
    include_str!("assets/editor.css"),
    include_str!("assets/devices.css"),
    include_str!("assets/transfer.css"),
    include_str!("assets/trash.css"),
    include_str!("assets/sharing.css"),
    include_str!("assets/print.css"),
    include_str!("assets/contacts.css"),
);

/// The script: small enhancements, each area's in its own file (one file, one request).
const SCRIPT: &str = concat!(
    include_str!("assets/base.js"),
    include_str!("assets/calendar.js"),
    include_str!("assets/trash.js"),
    include_str!("assets/sharing.js"),
    include_str!("assets/editor.js"),
);

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: STYLES.as_bytes(),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: SCRIPT.as_bytes(),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("assets/icon.svg"),
    },
    Asset {
        name: "icon-192.png",
        content_type: "image/png",
        bytes: include_bytes!("assets/icon-192.png"),
    },
    Asset {
        name: "icon-512.png",
        content_type: "image/png",
        bytes: include_bytes!("assets/icon-512.png"),
    },
];

/// Short hash of each file, in the order of `FILES`, computed once.
fn hashes() -> &'static [String] {
    static HASHES: OnceLock<Vec<String>> = OnceLock::new();
    HASHES.get_or_init(|| {
        FILES
            .iter()
            .map(|f| {
                Sha256::digest(f.bytes)
                    .iter()
                    .take(6)
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .collect()
    })
}

/// The URL of embedded file `name` (with its hash); the name alone if there is no such file,
/// which a unit test rules out for every name the pages use.
pub fn url(name: &str) -> String {
    match FILES.iter().position(|f| f.name == name) {
        Some(i) => format!("{PREFIX}{name}?v={}", hashes()[i]),
        None => format!("{PREFIX}{name}"),
    }
}

/// An embedded file to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// Its media type.
    pub content_type: &'static str,
    /// Its strong ETag.
    pub etag: String,
    /// Its bytes.
    pub bytes: &'static [u8],
}

/// The file named `name` (the part of the path after [`PREFIX`]).
pub fn file(name: &str) -> Option<Served> {
    let i = FILES.iter().position(|f| f.name == name)?;
    Some(Served {
        content_type: FILES[i].content_type,
        etag: format!("\"{}\"", hashes()[i]),
        bytes: FILES[i].bytes,
    })
}

/// The web app manifest (JSON): name, start page, standalone display, colours and icons.
pub fn manifest() -> String {
    serde_json::json!({
        "name": "davsuite",
        "short_name": "davsuite",
        "description": "Calendars and contacts",
        "start_url": "/web/calendar",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5fbf",
        "icons": [
            {"src": url("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": url("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
        ]
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_served_with_its_hash() {
        for f in FILES {
            let served = file(f.name).expect("served");
            assert!(!served.bytes.is_empty(), "{} is empty", f.name);
            let u = url(f.name);
            assert!(u.starts_with(PREFIX) && u.contains("?v="), "{u}");
            assert!(served.etag.len() > 4);
        }
        assert!(file("../Cargo.toml").is_none());
        assert!(file("missing.css").is_none());
    }

    #[test]
    fn icons_are_pngs_of_their_declared_size() {
        for (name, size) in [("icon-192.png", 192u32), ("icon-512.png", 512)] {
            let b = file(name).expect("icon").bytes;
            assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{name}");
            let w = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
            let h = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
            assert_eq!((w, h), (size, size), "{name}");
        }
    }

    #[test]
    fn the_manifest_names_the_start_page_and_icons() {
        let m: serde_json::Value = serde_json::from_str(&manifest()).expect("json");
        assert_eq!(m["start_url"], "/web/calendar");
        assert_eq!(m["display"], "standalone");
        assert_eq!(m["icons"].as_array().map(Vec::len), Some(3));
    }
}
