//! The time-range index by span length (`object_spans`, schema 003): which class a span goes
//! in, the SQL that finds the spans meeting a window, and writing an object's row.
//!
//! An interval query on one sorted key can bound only one side: `first_start <= end` walked
//! every object that began before the window. Splitting spans by length bounds both sides:
//! class `k` holds spans no longer than [`CLASS_LENGTHS`]`[k]`, so its members meeting
//! `[start, end]` all begin in `[start - CLASS_LENGTHS[k], end]`, one range scan of the key
//! each. Spans longer than the last class, open-ended or without a start are in
//! [`OPEN_CLASS`], scanned over `first_start <= end`: recurring series without an end, mostly.

use std::sync::LazyLock;

use rusqlite::{Transaction, params};

use super::Context;
use crate::store::{BusyKind, ObjectIndex, StoreResult};

/// Longest span (seconds) of each bounded class: 4^k hours, from one hour to about 30 years.
const CLASS_LENGTHS: [i64; 10] = [
    3_600,
    14_400,
    57_600,
    230_400,
    921_600,
    3_686_400,
    14_745_600,
    58_982_400,
    235_929_600,
    943_718_400,
];

/// The class of spans that no bounded class holds.
const OPEN_CLASS: i64 = 10;

/// `first_start` stored for a span without a start: before every real one.
const NO_START: i64 = i64::MIN;

/// The class of the span `[first_start, last_end]`; schema 003's migration computes the same
/// with a CASE (a test checks they agree).
fn class(first_start: Option<i64>, last_end: Option<i64>) -> i64 {
    let (Some(start), Some(end)) = (first_start, last_end) else {
        return OPEN_CLASS;
    };
    let length = end.saturating_sub(start);
    CLASS_LENGTHS
        .iter()
        .position(|max| length <= *max)
        .map_or(OPEN_CLASS, |k| i64::try_from(k).unwrap_or(OPEN_CLASS))
}

/// The stored form of a [`BusyKind`].
fn busy_code(busy: Option<BusyKind>) -> Option<i64> {
    busy.map(|kind| match kind {
        BusyKind::Free => 0,
        BusyKind::Busy => 1,
        BusyKind::Tentative => 2,
    })
}

/// Reads a stored busy code back; an unknown code is "read the content".
pub(super) fn busy_from_code(code: Option<i64>) -> Option<BusyKind> {
    match code? {
        0 => Some(BusyKind::Free),
        1 => Some(BusyKind::Busy),
        2 => Some(BusyKind::Tentative),
        _ => None,
    }
}

/// Writes the span row of object `id` (the old one is gone with the caller's DELETE or was
/// never there).
pub(super) fn insert(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    id: i64,
    index: &ObjectIndex,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO object_spans (collection, class, first_start, object_id, last_end, \
         span_exact, contained_match, busy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            collection,
            class(index.first_start, index.last_end),
            index.first_start.unwrap_or(NO_START),
            id,
            index.last_end,
            index.span_exact,
            index.contained_match,
            busy_code(index.busy),
        ])
    })
    .ctx(op)?;
    Ok(())
}

/// `SELECT object_id, first_start, last_end, span_exact, contained_match, busy` of the span rows of
/// collection `?1` that may meet the window `[?3, ?4]` (NULL bounds: open): one range scan per
/// class, each bounded on both sides. A superset; callers apply the exact tests.
pub(super) static MEETING_WINDOW: LazyLock<String> = LazyLock::new(|| {
    let select = "SELECT object_id, first_start, last_end, span_exact, contained_match, busy \
                  FROM object_spans WHERE collection = ?1";
    let reaches = "(last_end IS NULL OR last_end >= COALESCE(?3, -9223372036854775808))";
    let before_end = "first_start <= COALESCE(?4, 9223372036854775807)";
    let mut arms: Vec<String> = CLASS_LENGTHS
        .iter()
        .enumerate()
        .map(|(k, max)| {
            // With no start bound the subtraction would overflow: SQLite then computes in
            // floating point, which still compares correctly.
            format!(
                "{select} AND class = {k} \
                 AND first_start >= COALESCE(?3, -9223372036854775808) - {max} \
                 AND {before_end} AND {reaches}"
            )
        })
        .collect();
    arms.push(format!(
        "{select} AND class = {OPEN_CLASS} AND {before_end} AND {reaches}"
    ));
    arms.join(" UNION ALL ")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_length() {
        assert_eq!(class(Some(0), Some(0)), 0);
        assert_eq!(class(Some(0), Some(3_600)), 0);
        assert_eq!(class(Some(0), Some(3_601)), 1);
        assert_eq!(class(Some(100), Some(100 + 86_400)), 3);
        assert_eq!(class(Some(0), Some(943_718_400)), 9);
        assert_eq!(class(Some(0), Some(943_718_401)), OPEN_CLASS);
        assert_eq!(class(None, Some(5)), OPEN_CLASS);
        assert_eq!(class(Some(5), None), OPEN_CLASS);
        assert_eq!(class(Some(i64::MIN), Some(i64::MAX)), OPEN_CLASS);
    }

    /// Schema 003 classes the objects already stored with a CASE of its own: it must agree.
    #[test]
    fn migration_classes_agree() {
        use super::super::migrations::MIGRATIONS;
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        for script in &MIGRATIONS[..2] {
            conn.execute_batch(script).expect("schema 1 and 2");
        }
        conn.execute_batch(
            "INSERT INTO accounts (id, login, display_name, plan, password_hash, created) \
             VALUES (1, 'a', 'A', 'p', 'h', 0); \
             INSERT INTO collections (id, owner, kind, name, created) \
             VALUES (1, 1, 'calendar', 'c', 0);",
        )
        .expect("owner");
        let mut spans: Vec<(Option<i64>, Option<i64>)> = vec![(None, None), (None, Some(9))];
        spans.push((Some(7), None));
        for max in CLASS_LENGTHS {
            for length in [max - 1, max, max + 1] {
                spans.push((Some(1_000), Some(1_000 + length)));
            }
        }
        for (i, (start, end)) in spans.iter().enumerate() {
            conn.execute(
                "INSERT INTO objects (collection, name, uid, etag, size, component, \
                 first_start, last_end, created, modified, revision, body) \
                 VALUES (1, ?1, ?1, 'e', 0, 'VEVENT', ?2, ?3, 0, 0, 1, x'')",
                params![i.to_string(), start, end],
            )
            .expect("object");
        }
        conn.execute_batch(MIGRATIONS[2]).expect("schema 3");
        let mut stmt = conn
            .prepare(
                "SELECT o.first_start, o.last_end, s.class, s.first_start FROM objects o \
                 JOIN object_spans s ON s.object_id = o.id",
            )
            .expect("prepare");
        let rows: Vec<(Option<i64>, Option<i64>, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(rows.len(), spans.len());
        for (start, end, migrated, key) in rows {
            assert_eq!(migrated, class(start, end), "span {start:?}..{end:?}");
            assert_eq!(key, start.unwrap_or(NO_START));
        }
    }

    #[test]
    fn busy_codes_round_trip() {
        for kind in [
            None,
            Some(BusyKind::Free),
            Some(BusyKind::Busy),
            Some(BusyKind::Tentative),
        ] {
            assert_eq!(busy_from_code(busy_code(kind)), kind);
        }
        assert_eq!(busy_from_code(Some(7)), None);
    }
}
