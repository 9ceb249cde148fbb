//! A collection as one file (`.ics` or `.vcf`), produced in chunks that each read one bounded
//! page of the store, so exporting 100,000 objects needs memory for a page, not for all of
//! them. A description ([`Export`]) is plain data that a handler can return; whoever sends
//! the answer (the HTTP layer, the command line) pulls chunks from its [`ExportReader`].
//!
//! Each page is read in its own read transaction: an object written while an export runs is
//! in it or not, but never half.

use crate::ical::join::{CalendarJoiner, push_card};
use crate::store::{Collection, CollectionKind, Store, StoreResult};

/// Most objects read per page.
const PAGE_OBJECTS: usize = 256;
/// Most body bytes read per page (a single larger object is still read alone).
const PAGE_BYTES: i64 = 1 << 20;

/// What to export: a collection, its kind, and what to call the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The collection's id.
    pub collection: i64,
    /// Its kind, which decides the format.
    pub kind: CollectionKind,
    /// Its path segment (the file name's stem).
    pub name: String,
    /// Its display name (the calendar's name inside the file).
    pub title: String,
}

impl Export {
    /// The export of a collection.
    pub fn of(c: &Collection) -> Export {
        Export {
            collection: c.id,
            kind: c.kind,
            name: c.name.clone(),
            title: c
                .props
                .display_name
                .clone()
                .unwrap_or_else(|| c.name.clone()),
        }
    }

    /// The media type of the file.
    pub fn content_type(&self) -> &'static str {
        match self.kind {
            CollectionKind::Calendar => "text/calendar; charset=utf-8",
            CollectionKind::AddressBook => "text/vcard; charset=utf-8",
        }
    }

    /// A file name for it: the collection's name with the format's extension, reduced to
    /// characters that are safe in a `Content-Disposition` header and a file system.
    pub fn file_name(&self) -> String {
        let stem: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let extension = match self.kind {
            CollectionKind::Calendar => "ics",
            CollectionKind::AddressBook => "vcf",
        };
        format!("{}.{extension}", stem.trim_start_matches('.'))
    }

    /// A reader producing the file from its start.
    pub fn reader(&self) -> ExportReader {
        ExportReader {
            export: self.clone(),
            after: String::new(),
            joiner: CalendarJoiner::new(),
            stage: Stage::Start,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Members,
    Done,
}

/// Produces an export chunk by chunk.
#[derive(Debug)]
pub struct ExportReader {
    export: Export,
    /// Name of the last member written: the next page starts after it.
    after: String,
    joiner: CalendarJoiner,
    stage: Stage,
}

impl ExportReader {
    /// The next piece of the file, `None` once it is complete. Reads at most one page.
    pub fn next_chunk(&mut self, store: &dyn Store) -> StoreResult<Option<Vec<u8>>> {
        let calendar = self.export.kind == CollectionKind::Calendar;
        match self.stage {
            Stage::Done => Ok(None),
            Stage::Start => {
                self.stage = Stage::Members;
                Ok(Some(if calendar {
                    CalendarJoiner::header(&self.export.title)
                } else {
                    Vec::new()
                }))
            }
            Stage::Members => {
                let page = store.objects_page(
                    self.export.collection,
                    &self.after,
                    PAGE_OBJECTS,
                    PAGE_BYTES,
                )?;
                let mut out = Vec::new();
                let Some(last) = page.last() else {
                    self.stage = Stage::Done;
                    if calendar {
                        out.extend_from_slice(CalendarJoiner::footer());
                    }
                    return Ok(Some(out));
                };
                self.after = last.meta.name.clone();
                for object in &page {
                    if calendar {
                        self.joiner.push(&object.body, &mut out);
                    } else {
                        push_card(&object.body, &mut out);
                    }
                }
                Ok(Some(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::import::import;
    use crate::transfer::testing::{place, store};

    fn events(n: usize) -> String {
        let mut file = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n");
        for i in 0..n {
            file.push_str(&format!(
                "BEGIN:VEVENT\r\nUID:e{i:04}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nEND:VEVENT\r\n"
            ));
        }
        file.push_str("END:VCALENDAR\r\n");
        file
    }

    #[test]
    fn each_chunk_reads_one_bounded_page_and_the_file_is_whole() {
        let (_dir, store) = store();
        let cal = place(&store, "calendars/al/cal");
        let n = 2 * PAGE_OBJECTS + 7;
        import(&store, &cal, events(n).as_bytes(), &mut |_| {}).expect("import");
        let mut reader = Export::of(&cal.collection).reader();
        let mut chunks = Vec::new();
        while let Some(chunk) = reader.next_chunk(&store).expect("chunk") {
            chunks.push(String::from_utf8(chunk).expect("utf-8"));
        }
        let per_chunk: Vec<usize> = chunks
            .iter()
            .map(|c| c.matches("BEGIN:VEVENT").count())
            .collect();
        assert_eq!(
            per_chunk,
            [0, PAGE_OBJECTS, PAGE_OBJECTS, 7, 0],
            "header, pages, footer"
        );
        let file = chunks.concat();
        assert!(file.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite//davsuite//EN\r\nX-WR-CALNAME:cal\r\n"));
        assert!(file.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(reader.next_chunk(&store).expect("done"), None);
        assert_eq!(Export::of(&cal.collection).file_name(), "cal.ics");
    }

    #[test]
    fn file_names_are_safe() {
        let (_dir, store) = store();
        let mut book = place(&store, "addressbooks/al/book").collection;
        book.name = "../My \"Book\"".into();
        assert_eq!(Export::of(&book).file_name(), "_My__Book_.vcf");
    }
}
