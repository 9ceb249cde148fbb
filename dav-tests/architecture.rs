//! The import rules of `src/lib.rs`, checked by reading the sources: a lower layer never
//! imports a higher one, and only the named modules touch hyper, quick-xml or the SQLite store.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module a file belongs to (`src/dav/xml/reader.rs` → `dav`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel
        .components()
        .next()
        .expect("component")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_owned()
}

/// Source text without `#[cfg(test)]` modules (tests may reach anywhere) and without comments;
/// nothing of a file that is a test module itself (`#![cfg(test)]`).
fn production_code(text: &str) -> String {
    if text.contains("#![cfg(test)]") {
        return String::new();
    }
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// True when `code` names crate module `m`: `crate::m::`, `crate::m;` or inside a
/// `crate::{...}` group, wherever it stands in the braces.
fn imports(code: &str, m: &str) -> bool {
    if code.contains(&format!("crate::{m}::")) || code.contains(&format!("crate::{m};")) {
        return true;
    }
    code.match_indices("crate::{").any(|(i, _)| {
        let group = &code[i + "crate::{".len()..];
        let group = &group[..group.find('}').unwrap_or(group.len())];
        group.split(',').any(|item| {
            let item = item.trim();
            item == m || item.starts_with(&format!("{m}::")) || item.starts_with(&format!("{m} "))
        })
    })
}

#[test]
fn the_import_check_sees_every_form() {
    assert!(imports("use crate::store::Store;", "store"));
    assert!(imports("use crate::{caldav, carddav};", "carddav"));
    assert!(imports("use crate::{ical::tree, store::{A, B}};", "store"));
    assert!(!imports("use crate::{caldav, carddav};", "card"));
    assert!(!imports("use crate::storehouse::X;", "store"));
}

#[test]
fn layers_only_import_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // module -> crate modules it must not name.
    let forbidden: &[(&str, &[&str])] = &[
        (
            "dav",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "org", "ical",
                "store", "query", "api", "transfer", "contacts", "trash",
            ],
        ),
        (
            "ical",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "org", "dav",
                "store", "query", "api", "transfer", "contacts", "trash",
            ],
        ),
        (
            "store",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "org", "dav",
                "ical", "query", "api", "transfer", "contacts", "trash",
            ],
        ),
        (
            "query",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "org", "store",
                "api", "transfer", "contacts", "trash",
            ],
        ),
        (
            "org",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "dav", "ical",
                "query", "api", "transfer", "contacts", "trash",
            ],
        ),
        (
            "caldav",
            &[
                "app", "cli", "config", "http", "methods", "carddav", "org", "query", "api",
                "transfer", "contacts", "trash",
            ],
        ),
        (
            "carddav",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "org", "query", "api",
                "transfer", "contacts", "trash",
            ],
        ),
        (
            "methods",
            &["app", "cli", "http", "api", "contacts", "trash"],
        ),
        (
            "transfer",
            &[
                "app", "cli", "config", "http", "methods", "api", "query", "contacts", "trash",
            ],
        ),
        (
            "contacts",
            &[
                "app", "cli", "config", "http", "methods", "api", "query", "caldav", "carddav",
                "org", "dav", "trash",
            ],
        ),
        (
            "trash",
            &[
                "app", "cli", "config", "http", "api", "query", "transfer", "contacts",
            ],
        ),
        ("http", &["cli", "caldav", "carddav", "ical", "query"]),
        (
            "api",
            &[
                "app", "cli", "http", "methods", "caldav", "carddav", "dav", "ical", "query",
            ],
        ),
        (
            "href",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "org", "dav",
                "ical", "store", "query", "api", "trash", "views",
            ],
        ),
        (
            "birthdays",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "dav", "query", "api",
                "transfer", "contacts", "trash", "views",
            ],
        ),
        (
            "views",
            &[
                "app", "cli", "config", "http", "methods", "caldav", "carddav", "dav", "ical",
                "query", "api", "trash",
            ],
        ),
    ];
    // crate module -> the only modules that may name it (besides itself).
    // The birthday calendar is served by the web view alone, never over DAV.
    let named_only_by: &[(&str, &[&str])] = &[("views", &["api", "cli"]), ("birthdays", &["web"])];
    let external: &[(&str, &[&str])] = &[
        ("hyper", &["http"]),
        ("quick_xml", &["dav"]),
        ("store::sqlite", &["app", "store"]),
    ];
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let code = production_code(&std::fs::read_to_string(file).expect("read"));
        for (m, banned) in forbidden {
            if *m == module {
                for b in *banned {
                    if imports(&code, b) {
                        violations.push(format!("{}: {module} imports {b}", file.display()));
                    }
                }
            }
        }
        for (m, allowed) in named_only_by {
            if module != *m && !allowed.contains(&module.as_str()) && imports(&code, m) {
                violations.push(format!("{}: {module} imports {m}", file.display()));
            }
        }
        for (name, allowed) in external {
            let uses =
                code.contains(&format!("{name}::")) && !code.contains(&format!("//! {name}"));
            let is_dav_xml = *name == "quick_xml" && file.to_string_lossy().contains("/dav/xml/");
            if uses && !allowed.contains(&module.as_str())
                || (*name == "quick_xml" && uses && !is_dav_xml)
            {
                violations.push(format!(
                    "{}: names {name}, which only {allowed:?} may",
                    file.display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "architecture rules broken:\n{}",
        violations.join("\n")
    );
}
