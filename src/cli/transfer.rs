//! `davsuite import FILE --into COLLECTION-PATH` and `davsuite export COLLECTION-PATH
//! [--out FILE]`: the operator's way in and out of a calendar or address book, with the rules
//! of the API's import and export (`transfer`). An import shows a progress bar when standard
//! error is a terminal, and fails (exit status 1) only when nothing of the file could be
//! imported.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::CliError;
use super::{CliResult, Common, Format, state};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::transfer::export::Export;
use crate::transfer::import::{ImportReport, Progress, import};
use crate::transfer::place::open;

/// Width of the progress bar, in characters.
const BAR: usize = 30;

/// Draws `\r[#####.....] done/total` on standard error.
fn draw(p: Progress) {
    let filled = (p.done * BAR).checked_div(p.total).unwrap_or(BAR);
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\rimporting [{}{}] {}/{}",
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        p.done,
        p.total
    );
    if p.done == p.total {
        let _ = writeln!(err);
    }
    let _ = err.flush();
}

/// The file's bytes (`-`: standard input).
fn read(file: &Path) -> Result<Vec<u8>, CliError> {
    let unreadable = |what: String| CliError::new("bad-input", what);
    let mut data = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut data)
            .map_err(|e| unreadable(format!("cannot read standard input: {e}")))?;
    } else {
        data = std::fs::read(file)
            .map_err(|e| unreadable(format!("cannot read {}: {e}", file.display())))?;
    }
    Ok(data)
}

/// What `import --json` prints: the API's answer.
#[derive(Serialize)]
struct Imported<'a> {
    collection: String,
    #[serde(flatten)]
    report: &'a ImportReport,
}

/// The report for people: counts, then one line per rejected item.
fn human(collection: &str, report: &ImportReport) -> String {
    let mut text = format!(
        "{collection}: {} created, {} updated, {} unchanged, {} rejected",
        report.created,
        report.updated,
        report.skipped,
        report.rejected.len()
    );
    if report.uids_added > 0 {
        text.push_str(&format!(
            " ({} had no UID and were given one)",
            report.uids_added
        ));
    }
    for r in &report.rejected {
        text.push_str(&format!("\nline {}: {}", r.line, r.reason));
    }
    text
}

/// `davsuite import`.
pub(super) fn run_import(common: &Common, format: Format, file: &Path, into: &str) -> CliResult {
    let path = CollectionPath::parse(into)?;
    let state = state(common)?;
    let store = state.store.as_ref();
    let place = open(
        store,
        &state.config.plans,
        Actor::Operator,
        &path,
        Action::WriteContent,
    )?;
    let data = read(file)?;
    let terminal = std::io::stderr().is_terminal();
    let report = import(store, &place, &data, &mut |p| {
        if terminal && p.total > 0 {
            draw(p);
        }
    })?;
    let collection = path.href();
    format.emit(
        &Imported {
            collection: collection.clone(),
            report: &report,
        },
        || human(&collection, &report),
    );
    if report.nothing_imported() {
        let what = if report.rejected.is_empty() {
            "it holds no events, tasks, journal entries or contacts"
        } else {
            "every item was rejected"
        };
        return Err(CliError::new(
            "nothing-imported",
            format!("nothing could be imported from {}: {what}", file.display()),
        ));
    }
    Ok(())
}

/// `davsuite export`: to `out`, written beside it first and renamed when complete, so a
/// failed export never leaves a truncated file under the name asked for; else to standard
/// output.
pub(super) fn run_export(common: &Common, collection: &str, out: Option<&PathBuf>) -> CliResult {
    let path = CollectionPath::parse(collection)?;
    let state = state(common)?;
    let store = state.store.as_ref();
    let place = open(
        store,
        &state.config.plans,
        Actor::Operator,
        &path,
        Action::Read,
    )?;
    let mut reader = Export::of(&place.collection).reader();
    let unwritable = |what: String| CliError::new("write-failed", what);
    let mut write_all = |sink: &mut dyn Write| -> CliResult {
        let failed = |e: std::io::Error| unwritable(format!("cannot write the export: {e}"));
        while let Some(chunk) = reader.next_chunk(store)? {
            sink.write_all(&chunk).map_err(failed)?;
        }
        sink.flush().map_err(failed)
    };
    let Some(out) = out else {
        return write_all(&mut std::io::BufWriter::new(std::io::stdout().lock()));
    };
    let (partial, file) = partial_beside(out).map_err(|e| {
        unwritable(format!(
            "cannot create a file beside {}: {e}",
            out.display()
        ))
    })?;
    let written = write_all(&mut std::io::BufWriter::new(file));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, out)
        .map_err(|e| unwritable(format!("cannot write {}: {e}", out.display())))
}

/// A new file in the directory of `out` (so the final rename stays on one file system), under
/// a hidden name no other file has (process id and a random part, created exclusively): an
/// export never overwrites a file it did not create.
fn partial_beside(out: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use rand::Rng;
    let dir = out.parent().unwrap_or_else(|| Path::new(""));
    let stem = out
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy());
    loop {
        let suffix: u64 = rand::rng().random();
        let path = dir.join(format!(
            ".{stem}.{}-{suffix:016x}.partial",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::views::to_json;
    use crate::transfer::import::Rejected;

    #[test]
    fn the_partial_file_is_new_and_beside_the_export() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("notes.ics");
        let own = dir.path().join("notes.partial");
        std::fs::write(&own, "mine").expect("write");
        let (first, _) = partial_beside(&out).expect("partial");
        let (second, _) = partial_beside(&out).expect("partial");
        assert_ne!(first, second);
        assert_eq!(first.parent(), Some(dir.path()));
        assert_ne!(first, own);
        assert_eq!(std::fs::read_to_string(&own).expect("own"), "mine");
    }

    #[test]
    fn reports_read_the_same_for_people_and_programs() {
        let report = ImportReport {
            created: 2,
            updated: 1,
            skipped: 0,
            uids_added: 1,
            rejected: vec![Rejected {
                line: 7,
                uid: Some("x".into()),
                code: "valid-calendar-data",
                reason: "DTSTART is not a date".into(),
            }],
        };
        let text = human("/dav/calendars/al/cal/", &report);
        assert_eq!(
            text,
            "/dav/calendars/al/cal/: 2 created, 1 updated, 0 unchanged, 1 rejected (1 had no \
             UID and were given one)\nline 7: DTSTART is not a date"
        );
        let view = Imported {
            collection: "/c/".into(),
            report: &report,
        };
        let v: serde_json::Value = serde_json::from_slice(&to_json(&view)).unwrap();
        assert_eq!(v["created"], 2);
        assert_eq!(v["rejected"][0]["code"], "valid-calendar-data");
        assert_eq!(v["collection"], "/c/");
    }
}
