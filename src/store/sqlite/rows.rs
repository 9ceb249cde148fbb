//! SQL text, row mapping and the small queries shared by several store methods.
//!
//! Owns the translation between table rows and the records of [`crate::store`] (accounts,
//! collections with their dead properties and `used_bytes`, object metadata), the write-condition
//! check, and error mapping from rusqlite to [`StoreError`]. Keeping the column lists next to the
//! code that reads them by index prevents the two from drifting apart.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::store::{
    Account, Collection, CollectionKind, CollectionProps, DeadProp, LiveProp, NewCollection,
    Object, ObjectMeta, PrincipalKind, StoreError, StoreResult, WriteCondition,
};

/// Wraps a rusqlite error with the name of the operation that failed, so a log line says which
/// store call broke rather than only "disk I/O error".
pub(super) fn backend(op: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("{op}: {e}"))
}

/// `?`-friendly form of [`backend`].
pub(super) trait Context<T> {
    /// Maps the error to [`StoreError::Backend`] mentioning `op`.
    fn ctx(self, op: &str) -> StoreResult<T>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn ctx(self, op: &str) -> StoreResult<T> {
        self.map_err(|e| backend(op, e))
    }
}

/// True for UNIQUE and PRIMARY KEY violations, which callers turn into
/// [`StoreError::AlreadyExists`].
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(err, _) => {
            err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        }
        _ => false,
    }
}

/// Maps an insert failure: a uniqueness violation means `what` already exists; anything else
/// is a backend failure of `op`.
pub(super) fn insert_error(
    op: &str,
    what: String,
) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |e| {
        if is_unique_violation(&e) {
            StoreError::AlreadyExists(what)
        } else {
            backend(op, e)
        }
    }
}

/// Current time in Unix seconds, the unit of every `created`/`modified` column.
pub(super) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A conversion error for a text column holding a value this build does not know.
fn unknown_value(column: usize, what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown {what} {value:?}").into(),
    )
}

/// Builds a JSON array of strings for `json_each(?)`, which lets one statement take a whole list
/// of names (no query per name, no SQL assembled from user input).
pub(super) fn json_string_array(items: &[String]) -> String {
    let mut out = String::with_capacity(items.iter().map(|s| s.len() + 3).sum::<usize>() + 2);
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in item.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

// ---------------------------------------------------------------------------------------------
// Accounts

/// Columns read by [`account_from_row`], in order.
pub(super) const ACCOUNT_COLUMNS: &str =
    "id, login, display_name, email, password_hash, kind, created";

/// Maps a row selected with [`ACCOUNT_COLUMNS`].
pub(super) fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let kind: String = row.get(5)?;
    let kind = match kind.as_str() {
        "individual" => PrincipalKind::Individual,
        other => return Err(unknown_value(5, "principal kind", other)),
    };
    Ok(Account {
        id: row.get(0)?,
        login: row.get(1)?,
        display_name: row.get(2)?,
        email: row.get(3)?,
        password_hash: row.get(4)?,
        kind,
        created: row.get(6)?,
    })
}

/// Text form of a principal kind in the `accounts.kind` column.
pub(super) fn principal_kind_str(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Individual => "individual",
    }
}

// ---------------------------------------------------------------------------------------------
// Collections

/// Columns read by [`collection_from_row`].
const COLLECTION_COLUMNS: &str = "c.id, c.owner, c.kind, c.name, c.components, c.display_name, \
     c.description, c.color, c.ord, c.timezone, c.revision, c.min_revision, c.position, \
     c.created, c.used_bytes";

/// Which collections [`load_collections`] reads; each variant is a fixed SQL condition on `c`.
#[derive(Debug, Clone, Copy)]
pub(super) enum CollectionFilter<'a> {
    /// One collection by id.
    Id(i64),
    /// One collection by owner, kind and name.
    Name(i64, CollectionKind, &'a str),
    /// All collections of a kind of one owner.
    Owner(i64, CollectionKind),
}

pub(super) fn parse_kind(column: usize, text: &str) -> rusqlite::Result<CollectionKind> {
    CollectionKind::parse(text).ok_or_else(|| unknown_value(column, "collection kind", text))
}

/// Splits the comma-separated `components` column.
pub(super) fn split_components(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Joins components for the `components` column.
pub(super) fn join_components(components: &[String]) -> String {
    components.join(",")
}

pub(super) fn collection_from_row(row: &Row<'_>) -> rusqlite::Result<Collection> {
    let kind: String = row.get(2)?;
    let components: String = row.get(4)?;
    Ok(Collection {
        id: row.get(0)?,
        owner: row.get(1)?,
        kind: parse_kind(2, &kind)?,
        name: row.get(3)?,
        components: split_components(&components),
        props: CollectionProps {
            display_name: row.get(5)?,
            description: row.get(6)?,
            color: row.get(7)?,
            order: row.get(8)?,
            timezone: row.get(9)?,
        },
        dead: Vec::new(),
        revision: row.get(10)?,
        min_revision: row.get(11)?,
        position: row.get(12)?,
        created: row.get(13)?,
        used_bytes: row.get(14)?,
    })
}

/// Loads collections with their dead properties and `used_bytes`: two statements in total
/// (collections, then all their dead properties), whatever the number of collections.
///
/// Callers run it inside a transaction so both statements see the same snapshot.
pub(super) fn load_collections(
    conn: &Connection,
    filter: CollectionFilter<'_>,
) -> rusqlite::Result<Vec<Collection>> {
    let kind_text: &str = match filter {
        CollectionFilter::Id(_) => "",
        CollectionFilter::Name(_, kind, _) | CollectionFilter::Owner(_, kind) => kind.as_str(),
    };
    let (condition, params): (&str, Vec<&dyn ToSql>) = match &filter {
        CollectionFilter::Id(id) => ("c.id = ?1", vec![id]),
        CollectionFilter::Name(owner, _, name) => (
            "c.owner = ?1 AND c.kind = ?2 AND c.name = ?3",
            vec![owner, &kind_text, name],
        ),
        CollectionFilter::Owner(owner, _) => {
            ("c.owner = ?1 AND c.kind = ?2", vec![owner, &kind_text])
        }
    };
    let sql = format!(
        "SELECT {COLLECTION_COLUMNS} FROM collections c WHERE {condition} \
         ORDER BY c.position, c.name"
    );
    let mut collections = conn
        .prepare_cached(&sql)?
        .query_map(params.as_slice(), collection_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if collections.is_empty() {
        return Ok(collections);
    }
    let sql = format!(
        "SELECT d.collection, d.namespace, d.name, d.value FROM collection_dead_props d \
         JOIN collections c ON c.id = d.collection WHERE {condition} \
         ORDER BY d.collection, d.namespace, d.name"
    );
    let index: HashMap<i64, usize> = collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        let collection: i64 = row.get(0)?;
        if let Some(&i) = index.get(&collection) {
            collections[i].dead.push(DeadProp {
                namespace: row.get(1)?,
                name: row.get(2)?,
                value: row.get(3)?,
            });
        }
    }
    Ok(collections)
}

/// Loads one collection by id, for methods that return the collection they just changed.
pub(super) fn load_collection(conn: &Connection, id: i64) -> rusqlite::Result<Option<Collection>> {
    Ok(load_collections(conn, CollectionFilter::Id(id))?.pop())
}

/// Revision and min_revision of a collection, or None when it does not exist.
pub(super) fn collection_revisions(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached("SELECT revision, min_revision FROM collections WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// A collection id never given before (schema 008): sync tokens and sharees' mount names name
/// collections by id, so a deleted collection's id must never name another one.
fn next_collection_id(conn: &Connection, op: &str) -> StoreResult<i64> {
    let id = conn
        .prepare_cached("INSERT INTO collection_serials DEFAULT VALUES RETURNING id")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .ctx(op)?;
    // The counter lives on in sqlite_sequence; the row itself is not needed.
    conn.prepare_cached("DELETE FROM collection_serials WHERE id = ?1")
        .and_then(|mut stmt| stmt.execute([id]))
        .ctx(op)?;
    Ok(id)
}

/// Inserts a collection and its dead properties; the caller owns the transaction. Its id comes
/// from [`next_collection_id`].
///
/// A duplicate (owner, kind, name) becomes [`StoreError::AlreadyExists`]; an owner already at
/// [`NewCollection::limit`] collections of the kind, [`StoreError::CollectionLimit`].
pub(super) fn insert_collection(
    conn: &Connection,
    op: &str,
    owner: i64,
    new: &NewCollection,
    created: i64,
) -> StoreResult<i64> {
    if let Some(limit) = new.limit {
        let count: i64 = conn
            .prepare_cached("SELECT COUNT(*) FROM collections WHERE owner = ?1 AND kind = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![owner, new.kind.as_str()], |row| row.get(0))
            })
            .ctx(op)?;
        if count >= limit {
            return Err(StoreError::CollectionLimit(limit));
        }
    }
    let id = next_collection_id(conn, op)?;
    let p = &new.props;
    conn.prepare_cached(
        "INSERT INTO collections (id, owner, kind, name, components, display_name, \
         description, color, ord, timezone, position, created) \
         VALUES (?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            owner,
            new.kind.as_str(),
            new.name,
            join_components(&new.components),
            p.display_name,
            p.description,
            p.color,
            p.order,
            p.timezone,
            new.position,
            created,
            id,
        ])
    })
    .map_err(insert_error(op, format!("collection {}", new.name)))?;
    for dead in &new.dead {
        set_dead_prop(conn, id, &dead.namespace, &dead.name, Some(&dead.value)).ctx(op)?;
    }
    Ok(id)
}

/// Sets (Some) or removes (None) one dead property; setting twice keeps the last value.
pub(super) fn set_dead_prop(
    conn: &Connection,
    collection: i64,
    namespace: &str,
    name: &str,
    value: Option<&str>,
) -> rusqlite::Result<()> {
    match value {
        Some(value) => conn
            .prepare_cached(
                "INSERT INTO collection_dead_props (collection, namespace, name, value) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (collection, namespace, name) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![collection, namespace, name, value])?,
        None => conn
            .prepare_cached(
                "DELETE FROM collection_dead_props \
                 WHERE collection = ?1 AND namespace = ?2 AND name = ?3",
            )?
            .execute(params![collection, namespace, name])?,
    };
    Ok(())
}

/// The UPDATE for one live property. The column name comes from this fixed table, never from
/// input, so building SQL per property is safe and each text is a cacheable constant.
pub(super) fn live_prop_update_sql(prop: LiveProp) -> &'static str {
    match prop {
        LiveProp::DisplayName => "UPDATE collections SET display_name = ?2 WHERE id = ?1",
        LiveProp::Description => "UPDATE collections SET description = ?2 WHERE id = ?1",
        LiveProp::Color => "UPDATE collections SET color = ?2 WHERE id = ?1",
        LiveProp::Order => "UPDATE collections SET ord = ?2 WHERE id = ?1",
        LiveProp::Timezone => "UPDATE collections SET timezone = ?2 WHERE id = ?1",
    }
}

// ---------------------------------------------------------------------------------------------
// Objects

/// Columns read by [`meta_from_row`]; `body` is appended where a query needs it, so listings never
/// read bodies.
pub(super) const META_COLUMNS: &str =
    "name, uid, etag, size, component, modified, created, revision, span_exact";

/// [`META_COLUMNS`] qualified with the table alias `o`, for queries that join other tables.
pub(super) const META_COLUMNS_O: &str = "o.name, o.uid, o.etag, o.size, o.component, \
     o.modified, o.created, o.revision, o.span_exact";

/// Maps a row selected with [`META_COLUMNS`].
pub(super) fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<ObjectMeta> {
    Ok(ObjectMeta {
        name: row.get(0)?,
        uid: row.get(1)?,
        etag: row.get(2)?,
        size: row.get(3)?,
        component: row.get(4)?,
        modified: row.get(5)?,
        created: row.get(6)?,
        revision: row.get(7)?,
        span_exact: row.get(8)?,
    })
}

/// Maps a row selected with [`META_COLUMNS`] followed by `body`.
pub(super) fn object_from_row(row: &Row<'_>) -> rusqlite::Result<Object> {
    Ok(Object {
        meta: meta_from_row(row)?,
        body: row.get(9)?,
    })
}

/// Whether `condition` holds for a resource whose current ETag is `current` (None: absent);
/// see [`WriteCondition::holds`].
pub(super) fn condition_holds(current: Option<&str>, condition: &WriteCondition) -> bool {
    condition.holds(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_escapes_quotes_backslashes_and_controls() {
        let items = vec![
            "plain.ics".to_owned(),
            "quote\"back\\slash".to_owned(),
            "tab\tnl\n".to_owned(),
            "ünïcødé €.vcf".to_owned(),
        ];
        assert_eq!(
            json_string_array(&items),
            "[\"plain.ics\",\"quote\\\"back\\\\slash\",\"tab\\u0009nl\\u000a\",\"ünïcødé €.vcf\"]"
        );
        assert_eq!(json_string_array(&[]), "[]");
        // SQLite must decode it back to exactly the same strings.
        let conn = Connection::open_in_memory().expect("open");
        let decoded: Vec<String> = conn
            .prepare("SELECT value FROM json_each(?1)")
            .expect("prepare")
            .query_map([json_string_array(&items)], |row| row.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(decoded, items);
    }

    #[test]
    fn conditions() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(condition_holds(None, &WriteCondition::None));
        assert!(condition_holds(Some("\"a\""), &WriteCondition::None));
        assert!(condition_holds(None, &WriteCondition::MustNotExist));
        assert!(!condition_holds(
            Some("\"a\""),
            &WriteCondition::MustNotExist
        ));
        assert!(!condition_holds(None, &WriteCondition::MustExist));
        assert!(condition_holds(Some("\"a\""), &WriteCondition::MustExist));
        let etag_in = WriteCondition::EtagIn(tags(&["\"x\"", "\"a\""]));
        assert!(condition_holds(Some("\"a\""), &etag_in));
        assert!(!condition_holds(Some("\"b\""), &etag_in));
        assert!(!condition_holds(None, &etag_in));
        // Strong comparison: a weak tag never matches If-Match.
        assert!(!condition_holds(
            Some("\"a\""),
            &WriteCondition::EtagIn(tags(&["W/\"a\""]))
        ));
        let etag_not_in = WriteCondition::EtagNotIn(tags(&["\"a\""]));
        assert!(!condition_holds(Some("\"a\""), &etag_not_in));
        assert!(condition_holds(Some("\"b\""), &etag_not_in));
        assert!(condition_holds(None, &etag_not_in));
        // Weak comparison for If-None-Match.
        assert!(!condition_holds(
            Some("\"a\""),
            &WriteCondition::EtagNotIn(tags(&["W/\"a\""]))
        ));
    }

    #[test]
    fn components_round_trip() {
        let list = vec!["VEVENT".to_owned(), "VTODO".to_owned()];
        assert_eq!(split_components(&join_components(&list)), list);
        assert!(split_components("").is_empty());
    }
}
