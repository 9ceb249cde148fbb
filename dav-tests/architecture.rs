//! The import rules of `src/lib.rs`, checked by reading the sources: each module imports only
//! what the "may import" column of the module table in `src/lib.rs` allows (read from that
//! table, so the two cannot drift apart; `m::sub` there allows that submodule of `m` only),
//! and only the named modules touch hyper, quick-xml or the SQLite store.

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

/// What a module may import, as the table of `src/lib.rs` says: `None` for "everything";
/// otherwise each crate module it may name, with the submodules it is limited to (empty: the
/// whole module). The table is the rule: this reads it rather than restating it.
type Allowed = Option<Vec<(String, Vec<String>)>>;

/// The rows of the module table in `lib`'s doc comment: each module of the first column with
/// what the third column allows (`store` (trait) allows `store`; `methods::target` (hrefs)
/// allows that submodule of `methods` only).
fn import_table(lib: &str) -> Vec<(String, Allowed)> {
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    let mut rows = Vec::new();
    for line in lib.lines() {
        let Some(row) = line.strip_prefix("//! | `") else {
            continue;
        };
        let row = format!("| `{row}");
        let cells: Vec<&str> = row.split(" | ").collect();
        let may = cells.get(2).expect("three columns").trim_end_matches(" |");
        let allowed: Allowed = if may.trim() == "everything" {
            None
        } else {
            let mut modules: Vec<(String, Vec<String>)> = Vec::new();
            for path in ticked(may) {
                let (module, sub) = match path.split_once("::") {
                    Some((m, s)) => (m.to_owned(), Some(s.to_owned())),
                    None => (path.clone(), None),
                };
                match modules.iter_mut().find(|(m, _)| *m == module) {
                    Some((_, subs)) => subs.extend(sub),
                    None => modules.push((module, sub.into_iter().collect())),
                }
            }
            Some(modules)
        };
        for module in ticked(cells[0]) {
            rows.push((module, allowed.clone()));
        }
    }
    rows
}

/// The crate modules of `lib` (`pub mod NAME;`).
fn crate_modules(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

/// The submodules of crate module `m` that `code` names (`crate::m::SUB...`, also inside a
/// `crate::{...}` group); `""` for a bare `crate::m` or an item of `m` itself.
fn named_submodules(code: &str, m: &str) -> Vec<String> {
    let mut paths: Vec<&str> = code
        .match_indices(&format!("crate::{m}"))
        .map(|(i, _)| &code[i + "crate::".len()..])
        .collect();
    for (i, _) in code.match_indices("crate::{") {
        let group = &code[i + "crate::{".len()..];
        let group = &group[..group.find('}').unwrap_or(group.len())];
        paths.extend(group.split(',').map(str::trim));
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let rest = p.strip_prefix(m)?;
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                return None; // another module whose name starts with `m`
            }
            let sub = rest.strip_prefix("::").unwrap_or("");
            let end = sub
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(sub.len());
            Some(sub[..end].to_owned())
        })
        .collect()
}

#[test]
fn the_import_table_is_read_as_written() {
    let lib = "//! | `a`, `b` | x | everything |\n\
               //! | `t` | x | `s` (trait), `m::target` (hrefs), `m::other` |\n\
               //! | `d` | x | nothing from the crate |\n";
    let table = import_table(lib);
    assert_eq!(table.len(), 4);
    assert_eq!(table[0], ("a".into(), None));
    assert_eq!(table[1], ("b".into(), None));
    assert_eq!(
        table[2].1,
        Some(vec![
            ("s".into(), vec![]),
            ("m".into(), vec!["target".into(), "other".into()])
        ])
    );
    assert_eq!(table[3].1, Some(vec![]));
    assert_eq!(
        named_submodules("use crate::m::target::x; use crate::m::etag_of;", "m"),
        vec!["target", "etag_of"]
    );
    assert_eq!(
        named_submodules("use crate::{m::target, mx::y}; crate::m;", "m"),
        vec!["", "target"]
    );
    assert_eq!(
        named_submodules("use crate::{ical::tree, store::{A, B}};", "store"),
        vec![""]
    );
    assert!(named_submodules("use crate::storehouse::X;", "store").is_empty());
    assert!(named_submodules("use crate::{caldav, carddav};", "card").is_empty());
}

#[test]
fn layers_only_import_what_the_table_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("read lib.rs");
    let table = import_table(&lib);
    let modules = crate_modules(&lib);
    assert!(
        modules.len() > 10 && table.len() == modules.len(),
        "{table:?} / {modules:?}"
    );
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let external: &[(&str, &[&str])] = &[
        ("hyper", &["http"]),
        ("quick_xml", &["dav"]),
        ("store::sqlite", &["app", "store"]),
    ];
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let code = production_code(&std::fs::read_to_string(file).expect("read"));
        let allowed = table
            .iter()
            .find(|(m, _)| *m == module)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| Some(Vec::new()));
        if let Some(allowed) = &allowed {
            for other in modules.iter().filter(|m| **m != module) {
                let subs = named_submodules(&code, other);
                if subs.is_empty() {
                    continue;
                }
                match allowed.iter().find(|(m, _)| m == other) {
                    None => {
                        violations.push(format!("{}: {module} imports {other}", file.display()))
                    }
                    Some((_, only)) if !only.is_empty() => {
                        for sub in subs.iter().filter(|s| !only.contains(s)) {
                            violations.push(format!(
                                "{}: {module} imports {other}::{sub} (only {only:?})",
                                file.display()
                            ));
                        }
                    }
                    Some(_) => {}
                }
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
