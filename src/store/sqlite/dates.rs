//! The date index of contacts (`object_dates`, schema 010): writing an object's rows and
//! reading every date of a set of collections, with the cards not indexed yet.

use rusqlite::{Row, Transaction, params};

use super::Context;
use super::rows::{META_COLUMNS_O, object_from_row};
use crate::store::{ContactDate, ContactDates, DateKind, MemberDate, ObjectIndex, StoreResult};

/// Writes the date rows of object `id` (the old ones are gone with the caller's DELETE or were
/// never there).
pub(super) fn insert(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    id: i64,
    index: &ObjectIndex,
) -> StoreResult<()> {
    if index.dates.is_empty() {
        return Ok(());
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO object_dates (object_id, collection, kind, month, day, year, label) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .ctx(op)?;
    for date in &index.dates {
        stmt.execute(params![
            id,
            collection,
            date.kind.as_str(),
            date.month,
            date.day,
            date.year,
            date.label
        ])
        .ctx(op)?;
    }
    Ok(())
}

/// The ids as a JSON array, for `json_each`.
fn json_ids(ids: &[i64]) -> String {
    let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", listed.join(","))
}

/// Maps a row of [`read`]'s date query.
fn member_date(row: &Row<'_>) -> rusqlite::Result<MemberDate> {
    let kind: String = row.get(2)?;
    let kind = DateKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            format!("unknown date kind {kind:?}").into(),
        )
    })?;
    Ok(MemberDate {
        collection: row.get(0)?,
        name: row.get(1)?,
        date: ContactDate {
            kind,
            month: row.get(3)?,
            day: row.get(4)?,
            year: row.get(5)?,
            label: row.get(6)?,
        },
    })
}

/// Every indexed date of the collections listed (as a JSON array) in `?1`, as [`member_date`]
/// reads it: a range scan of `object_dates_collection` per collection.
const DATES: &str = "SELECT d.collection, o.name, d.kind, d.month, d.day, d.year, d.label \
     FROM object_dates d CROSS JOIN objects o ON o.id = d.object_id \
     WHERE d.collection IN (SELECT value FROM json_each(?1)) \
     ORDER BY d.collection, o.name, d.month, d.day, d.kind, d.year";

/// The cards still pending in the collections listed in `?1`, with their bodies: the columns
/// `object_from_row` reads, then the collection. A range scan of
/// `object_dates_pending_collection` per collection.
fn pending_sql() -> String {
    format!(
        "SELECT {META_COLUMNS_O}, o.body, p.collection \
         FROM object_dates_pending p CROSS JOIN objects o ON o.id = p.object_id \
         WHERE p.collection IN (SELECT value FROM json_each(?1)) \
         ORDER BY p.collection, o.name"
    )
}

/// Every date of the members of `collections`, and the cards of theirs still pending, in the
/// caller's read transaction.
pub(super) fn read(
    tx: &Transaction<'_>,
    op: &str,
    collections: &[i64],
) -> StoreResult<ContactDates> {
    if collections.is_empty() {
        return Ok(ContactDates::default());
    }
    let ids = json_ids(collections);
    let dates = tx
        .prepare_cached(DATES)
        .and_then(|mut stmt| stmt.query_map([&ids], member_date)?.collect())
        .ctx(op)?;
    let unindexed = tx
        .prepare_cached(&pending_sql())
        .and_then(|mut stmt| {
            stmt.query_map([&ids], |row| Ok((row.get(10)?, object_from_row(row)?)))?
                .collect()
        })
        .ctx(op)?;
    Ok(ContactDates { dates, unindexed })
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use tempfile::TempDir;

    use super::*;
    use crate::store::sqlite::{SqliteStore, migrations};
    use crate::store::{PutObject, Store, WriteCondition};

    #[test]
    fn both_reads_are_index_scans() {
        let dir = TempDir::new().expect("tempdir");
        let store = SqliteStore::open(&dir.path().join("d.sqlite3")).expect("open");
        let conn = store.writer.lock().expect("writer");
        for (sql, index) in [
            (DATES.to_owned(), "object_dates_collection"),
            (pending_sql(), "object_dates_pending_collection"),
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .and_then(|mut stmt| stmt.query_map(["[1,2]"], |row| row.get(3))?.collect())
                .expect("plan");
            assert!(
                plan.iter()
                    .any(|step| step.starts_with("SEARCH") && step.contains(index)),
                "{plan:?}"
            );
            assert!(
                !plan.iter().any(|step| step.starts_with("SCAN d")
                    || step.starts_with("SCAN p")
                    || step.starts_with("SCAN o")),
                "{plan:?}"
            );
        }
    }

    /// Cards stored before schema 010 are listed with their bodies until written again; other
    /// objects are not.
    #[test]
    fn cards_stored_before_the_index_are_read_until_rewritten() {
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("d.sqlite3");
        {
            let conn = Connection::open(&path).expect("raw open");
            for script in &migrations::MIGRATIONS[..8] {
                conn.execute_batch(script).expect("schema 8");
            }
            conn.pragma_update(None, "user_version", 8)
                .expect("version 8");
            conn.execute_batch(
                "INSERT INTO accounts (id, login, display_name, password_hash, created) \
                 VALUES (1, 'old', 'Old', 'x', 0); \
                 INSERT INTO collections (id, owner, kind, name, created) \
                 VALUES (1, 1, 'addressbook', 'contacts', 0), (2, 1, 'calendar', 'cal', 0); \
                 INSERT INTO objects (id, collection, name, uid, etag, size, component, \
                 created, modified, revision, body) VALUES \
                 (1, 1, 'ann.vcf', 'ann', '\"a\"', 4, 'VCARD', 0, 0, 1, X'414E4E31'), \
                 (2, 2, 'e.ics', 'e', '\"e\"', 4, 'VEVENT', 0, 0, 1, X'45564E54');",
            )
            .expect("old data");
        }
        let store = SqliteStore::open(&path).expect("upgrade");
        let found = store.contact_dates(&[1, 2]).expect("dates");
        assert!(found.dates.is_empty());
        let pending: Vec<(i64, &str, &[u8])> = found
            .unindexed
            .iter()
            .map(|(c, o)| (*c, o.meta.name.as_str(), o.body.as_slice()))
            .collect();
        assert_eq!(pending, vec![(1, "ann.vcf", &b"ANN1"[..])]);

        let date = ContactDate {
            kind: DateKind::Birthday,
            month: 4,
            day: 15,
            year: None,
            label: "Ann".to_owned(),
        };
        let rewritten = PutObject {
            name: "ann.vcf".to_owned(),
            body: b"ANN2".to_vec(),
            etag: "\"a2\"".to_owned(),
            index: ObjectIndex {
                uid: "ann".to_owned(),
                component: "VCARD".to_owned(),
                dates: vec![date.clone()],
                ..ObjectIndex::default()
            },
            quota: None,
        };
        store
            .put_object(1, &rewritten, &WriteCondition::None)
            .expect("rewrite");
        let found = store.contact_dates(&[1, 2]).expect("dates");
        assert!(found.unindexed.is_empty());
        assert_eq!(
            found.dates,
            vec![MemberDate {
                collection: 1,
                name: "ann.vcf".to_owned(),
                date,
            }]
        );
    }
}
