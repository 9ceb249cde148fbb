//! Importing an `.ics` or `.vcf` file into a collection: the file is split into objects
//! (`ical::split`), each checked as a PUT body is (`content::prepare`: plan size limit, content
//! rules), then written in batches of many objects per store transaction, each object on its
//! own (one bad item never takes the others down).
//!
//! An object whose UID the collection already holds replaces it, unless its content is the
//! same (`ical::split::calendar_content`), which is skipped: importing a file twice, or an
//! export back into its collection, changes nothing. A new object is named after its UID.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::TransferError;
use super::content::{prepare, refusal};
use super::place::Place;
use crate::dav::condition::DavError;
use crate::ical::split::{
    Item, Split, calendar_content, card_content, split_calendar, split_vcards,
};
use crate::store::etag_of;
use crate::store::{
    CollectionKind, ConditionalPut, Object, ObjectMeta, PutObject, Store, StoreError,
    WriteCondition,
};

/// Objects written per store transaction: large enough that commits cost little next to the
/// objects, small enough that other writers never wait long for the writer.
const BATCH: usize = 250;

/// Longest UID used as it is in a new object's name; longer ones (and UIDs with other
/// characters than letters, digits, `-`, `_`, `.` and `@`) are named by a hash.
const MAX_NAME_STEM: usize = 200;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Objects created.
    pub created: usize,
    /// Objects whose UID the collection held, replaced.
    pub updated: usize,
    /// Objects identical to what the collection holds, left alone.
    pub skipped: usize,
    /// Of those created, updated or skipped, how many had no UID in the file and were given
    /// one derived from their content (see `ical::split`).
    pub uids_added: usize,
    /// What could not be imported, in file order.
    pub rejected: Vec<Rejected>,
}

impl ImportReport {
    /// True when nothing of the file could be imported (nothing created, updated or already
    /// there): the command line then exits non-zero.
    pub fn nothing_imported(&self) -> bool {
        self.created + self.updated + self.skipped == 0
    }
}

/// One item of the file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// 1-based line of the file where it starts.
    pub line: usize,
    /// Its UID, when it has one.
    pub uid: Option<String>,
    /// A stable code: the DAV precondition it breaks (`valid-calendar-data`,
    /// `quota-not-exceeded`, ...), `not-an-object` for text that is no object, `duplicate-uid`
    /// for a UID the file holds twice, `precondition-failed` when the object changed while
    /// importing.
    pub code: &'static str,
    /// Why, for the person importing.
    pub reason: String,
}

/// How far an import is, reported after each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Objects of the file handled.
    pub done: usize,
    /// Objects in the file.
    pub total: usize,
}

/// Imports `data` into the collection of `place`, calling `progress` after each batch.
/// Fails only when the collection cannot be read or written at all; everything about the
/// file's content is in the report.
pub fn import(
    store: &dyn Store,
    place: &Place,
    data: &[u8],
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, TransferError> {
    let kind = place.collection.kind;
    let Split { items, strays } = match kind {
        CollectionKind::Calendar => split_calendar(data),
        CollectionKind::AddressBook => split_vcards(data),
    };
    let mut run = Run::new(store, place)?;
    run.report
        .rejected
        .extend(strays.into_iter().map(|s| Rejected {
            line: s.line,
            uid: None,
            code: "not-an-object",
            reason: s.message,
        }));
    let total = items.len();
    let mut items = items.into_iter();
    let mut done = 0;
    progress(Progress { done, total });
    loop {
        let batch: Vec<Item> = items.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        done += batch.len();
        run.batch(batch)?;
        progress(Progress { done, total });
    }
    let mut report = run.report;
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

/// An import in progress: what the collection holds and what the file had so far.
struct Run<'a> {
    store: &'a dyn Store,
    place: &'a Place,
    /// The collection's members by UID, as listed when the import started.
    by_uid: HashMap<String, ObjectMeta>,
    /// Names in use (members and objects created by this import).
    names: HashSet<String>,
    /// UIDs met in the file, with the line of their object.
    seen: HashMap<String, usize>,
    report: ImportReport,
}

/// An object about to be written, with what the report needs to know of it.
struct Pending {
    line: usize,
    uid: String,
    uid_added: bool,
}

impl<'a> Run<'a> {
    fn new(store: &'a dyn Store, place: &'a Place) -> Result<Run<'a>, TransferError> {
        let listing = store.list_objects(place.collection.id)?;
        let names = listing.iter().map(|m| m.name.clone()).collect();
        let by_uid = listing.into_iter().map(|m| (m.uid.clone(), m)).collect();
        Ok(Run {
            store,
            place,
            by_uid,
            names,
            seen: HashMap::new(),
            report: ImportReport::default(),
        })
    }

    fn reject(&mut self, line: usize, uid: Option<String>, code: &'static str, reason: String) {
        self.report.rejected.push(Rejected {
            line,
            uid,
            code,
            reason,
        });
    }

    /// The bodies of the members holding `uids` that are not in `current` yet.
    fn read_current<'u>(
        &self,
        uids: impl Iterator<Item = &'u str>,
        current: &mut HashMap<String, Object>,
    ) -> Result<(), TransferError> {
        let names: Vec<String> = uids
            .filter_map(|uid| self.by_uid.get(uid))
            .map(|m| m.name.clone())
            .filter(|name| !current.contains_key(name))
            .collect();
        for o in self.store.get_objects(self.place.collection.id, &names)? {
            current.insert(o.meta.name.clone(), o);
        }
        Ok(())
    }

    /// Whether the member holding `uid` (its body read into `current`) has the content of
    /// `body`.
    fn holds(&self, uid: &str, body: &[u8], current: &HashMap<String, Object>) -> bool {
        self.by_uid
            .get(uid)
            .and_then(|meta| current.get(&meta.name))
            .is_some_and(|o| same_content(self.place.collection.kind, &o.body, body))
    }

    /// Counts an object found unchanged.
    fn skip(&mut self, uid_added: bool) {
        self.report.skipped += 1;
        self.report.uids_added += usize::from(uid_added);
    }

    /// Checks, compares and writes one batch of objects.
    fn batch(&mut self, items: Vec<Item>) -> Result<(), TransferError> {
        let coll = &self.place.collection;
        let mut current: HashMap<String, Object> = HashMap::new();
        self.read_current(items.iter().map(|i| i.uid.as_str()), &mut current)?;
        // What the collection already holds unchanged needs no checking: it was checked when
        // it was stored. Importing a file again costs a split and a comparison.
        let mut items_to_check = Vec::with_capacity(items.len());
        for item in items {
            if !self.seen.contains_key(&item.uid) && self.holds(&item.uid, &item.body, &current) {
                self.seen.insert(item.uid.clone(), item.line);
                self.skip(item.uid_added);
            } else {
                items_to_check.push(item);
            }
        }
        let items = items_to_check;
        let prepared = prepare_all(self.place, &items);
        let checked = prepared.iter().filter_map(|p| p.as_ref().ok());
        self.read_current(checked.map(|o| o.index.uid.as_str()), &mut current)?;
        let mut puts = Vec::new();
        let mut pending = Vec::new();
        for (item, prepared) in items.iter().zip(prepared) {
            let line = item.line;
            let mut object = match prepared {
                Ok(object) => object,
                Err(e) => {
                    let reason = item.file_message(&e.message);
                    self.reject(
                        line,
                        Some(item.uid.clone()),
                        e.condition.element().1,
                        reason,
                    );
                    continue;
                }
            };
            let uid = object.index.uid.clone();
            if let Some(first) = self.seen.get(&uid) {
                let reason = format!(
                    "UID {uid} was already imported from line {first}; a file may hold each \
                     UID once (a recurring series and its overrides are one object)"
                );
                self.reject(line, Some(uid), "duplicate-uid", reason);
                continue;
            }
            self.seen.insert(uid.clone(), line);
            if self.holds(&uid, &object.body, &current) {
                self.skip(item.uid_added);
                continue;
            }
            let condition = match self.by_uid.get(&uid) {
                Some(meta) => {
                    object.name = meta.name.clone();
                    WriteCondition::EtagIn(vec![meta.etag.clone()])
                }
                None => {
                    object.name = free_name(&uid, coll.kind, &mut self.names);
                    WriteCondition::MustNotExist
                }
            };
            pending.push(Pending {
                line,
                uid,
                uid_added: item.uid_added,
            });
            puts.push(ConditionalPut { object, condition });
        }
        let outcomes = self.store.put_objects(coll.id, &puts)?;
        for (p, outcome) in pending.into_iter().zip(outcomes) {
            self.report.uids_added += usize::from(p.uid_added && outcome.is_ok());
            match outcome {
                Ok(o) if o.created => self.report.created += 1,
                Ok(_) => self.report.updated += 1,
                Err(e) => {
                    let (code, reason) = self.write_refusal(e)?;
                    self.reject(p.line, Some(p.uid), code, reason);
                }
            }
        }
        Ok(())
    }

    /// Why the store refused to write one object.
    fn write_refusal(&self, e: StoreError) -> Result<(&'static str, String), TransferError> {
        match e {
            StoreError::PreconditionFailed => Ok((
                "precondition-failed",
                "the object was changed by someone else while importing; import again".into(),
            )),
            e => {
                let place = self.place;
                let refused = refusal(e, place.collection.kind, &place.plan, |name| {
                    place.object_href(name)
                })?;
                Ok((refused.condition.element().1, refused.message))
            }
        }
    }
}

/// Each item checked as its collection's PUT would check it, on every core: validation
/// (parsing, recurrence expansion for the index) is what an import spends its time on.
fn prepare_all(place: &Place, items: &[Item]) -> Vec<Result<PutObject, DavError>> {
    let check = |item: &Item| prepare(&place.collection, &place.plan, "", item.body.clone(), None);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 32 {
        return items.iter().map(check).collect();
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(check).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Whether two bodies hold the same content (see `ical::split::calendar_content`).
fn same_content(kind: CollectionKind, a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    match kind {
        CollectionKind::Calendar => calendar_content(a) == calendar_content(b),
        CollectionKind::AddressBook => card_content(a) == card_content(b),
    }
}

/// A name for a new object with `uid` that no member has: the UID itself (without a
/// `urn:uuid:` prefix) when it is short and plain, else a hash of it, with the kind's
/// extension and a number added on a clash.
fn free_name(uid: &str, kind: CollectionKind, taken: &mut HashSet<String>) -> String {
    let extension = match kind {
        CollectionKind::Calendar => "ics",
        CollectionKind::AddressBook => "vcf",
    };
    let stem = uid
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        .map_or(uid, |_| &uid[9..]);
    let plain = !stem.is_empty()
        && stem.len() <= MAX_NAME_STEM
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    let base = if plain {
        stem.to_owned()
    } else {
        etag_of(uid.as_bytes()).trim_matches('"').to_owned()
    };
    let mut name = format!("{base}.{extension}");
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}.{extension}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_uids_and_never_clash() {
        let mut taken = HashSet::from(["a.ics".to_owned()]);
        let cal = CollectionKind::Calendar;
        assert_eq!(free_name("b", cal, &mut taken), "b.ics");
        assert_eq!(free_name("a", cal, &mut taken), "a-2.ics");
        assert_eq!(free_name("a", cal, &mut taken), "a-3.ics");
        let card = free_name("urn:uuid:1234-AB", CollectionKind::AddressBook, &mut taken);
        assert_eq!(card, "1234-AB.vcf");
        let odd = free_name("x/y:z", cal, &mut taken);
        assert_eq!(odd.len(), 32 + 4, "{odd}");
        assert!(
            odd.chars()
                .all(|c| c.is_ascii_hexdigit() || c == '.' || c.is_ascii_lowercase())
        );
        assert_ne!(free_name(".hidden", cal, &mut taken), ".hidden.ics");
        assert_ne!(free_name(&"x".repeat(300), cal, &mut taken).len(), 304);
    }
}

#[cfg(test)]
mod engine {
    use super::*;
    use crate::transfer::testing::{place, store};

    fn event(uid: &str, summary: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
        )
    }

    fn calendar(components: &[String]) -> Vec<u8> {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nMETHOD:PUBLISH\r\n{}END:VCALENDAR\r\n",
            components.concat()
        )
        .into_bytes()
    }

    #[test]
    fn created_updated_skipped_and_rejected_with_lines() {
        let (_dir, store) = store();
        let cal = place(&store, "calendars/al/cal");
        let file = calendar(&[event("a", "A"), event("b", "B")]);
        let report = import(&store, &cal, &file, &mut |_| {}).expect("import");
        assert_eq!((report.created, report.updated, report.skipped), (2, 0, 0));
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let revision = place(&store, "calendars/al/cal").collection.revision;

        let again = import(&store, &cal, &file, &mut |_| {}).expect("import");
        assert_eq!((again.created, again.updated, again.skipped), (0, 0, 2));
        assert_eq!(
            place(&store, "calendars/al/cal").collection.revision,
            revision,
            "re-importing changes nothing"
        );

        let journal = "BEGIN:VJOURNAL\r\nUID:j\r\nEND:VJOURNAL\r\n".to_owned();
        let broken = "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:notadate\r\nEND:VEVENT\r\n".to_owned();
        let file = calendar(&[event("a", "A2"), journal, event("b", "B"), broken]);
        let mut seen = Vec::new();
        let report = import(&store, &cal, &file, &mut |p| seen.push(p)).expect("import");
        assert_eq!((report.created, report.updated, report.skipped), (0, 1, 1));
        let rejected: Vec<(usize, &str)> =
            report.rejected.iter().map(|r| (r.line, r.code)).collect();
        assert_eq!(
            rejected,
            [
                (11, "supported-calendar-component"),
                (20, "valid-calendar-data")
            ],
            "{:?}",
            report.rejected
        );
        assert_eq!(seen.last(), Some(&Progress { done: 4, total: 4 }));
        assert_eq!(seen.first(), Some(&Progress { done: 0, total: 4 }));
        let stored = store
            .get_object(cal.collection.id, "a.ics")
            .expect("get")
            .expect("a.ics");
        assert!(String::from_utf8_lossy(&stored.body).contains("SUMMARY:A2"));
    }

    #[test]
    fn a_uid_twice_in_a_file_is_refused_the_second_time() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        let card = |name: &str| {
            format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:same\r\nFN:{name}\r\nEND:VCARD\r\n")
        };
        let file = format!("{}{}", card("One"), card("Two"));
        let report = import(&store, &book, file.as_bytes(), &mut |_| {}).expect("import");
        assert_eq!(report.created, 1);
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(
            (report.rejected[0].line, report.rejected[0].code),
            (6, "duplicate-uid")
        );
    }

    #[test]
    fn the_quota_rejects_items_one_by_one() {
        let (_dir, store) = store();
        let mut book = place(&store, "addressbooks/al/book");
        book.plan.quota_bytes = 150;
        let card = |i: usize| {
            format!("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u{i}\r\nFN:Person {i}\r\nEND:VCARD\r\n")
        };
        let file: String = (0..4).map(card).collect();
        let report = import(&store, &book, file.as_bytes(), &mut |_| {}).expect("import");
        assert_eq!(report.created, 2);
        assert!(
            report
                .rejected
                .iter()
                .all(|r| r.code == "quota-not-exceeded" && r.reason.contains("quota"))
        );
        assert_eq!(report.rejected.len(), 2);
    }
}
