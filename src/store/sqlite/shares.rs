//! [`ShareStore`] for SQLite: shares, sharees' views and public links.
//!
//! Who has a collection now is always read through the `share_routes` view (schema 005), which
//! joins the shares with the current memberships and team memberships, so a team share follows
//! the team and nothing has to be updated when someone joins or leaves.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use sha2::{Digest, Sha256};

use super::SqliteStore;
use super::rows::{ACCOUNT_COLUMNS, Context, account_from_row, load_collection};
use crate::store::{
    Account, CollectionKind, DeadProp, Grantee, LinkFilter, LiveProp, NewLink, NewShare,
    ProductAccess, PropChange, PublicLink, Share, ShareAccess, ShareFilter, ShareRoute, ShareStore,
    ShareView, SharedCollection, Sharee, StoreError, StoreResult,
};

/// Columns read by [`share_from_row`], from `shares s JOIN collections c JOIN accounts o JOIN
/// organisations g` with the grantee's account `a` and team `t` left-joined.
const SHARE_COLUMNS: &str = "s.id, s.collection, c.kind, c.name, c.owner, o.login, s.org_id, \
     s.account_id, a.login, s.team_id, t.name, s.access, s.created, COALESCE(v.hidden, 0), \
     g.name, a.display_name, a.email";

/// The source of [`SHARE_COLUMNS`].
const SHARE_FROM: &str = "shares s JOIN collections c ON c.id = s.collection \
     JOIN accounts o ON o.id = c.owner \
     JOIN organisations g ON g.id = s.org_id \
     LEFT JOIN accounts a ON a.id = s.account_id \
     LEFT JOIN teams t ON t.id = s.team_id \
     LEFT JOIN share_views v ON v.account_id = s.account_id AND v.collection = s.collection";

fn access_from(column: usize, text: &str) -> rusqlite::Result<ShareAccess> {
    ShareAccess::parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unknown share access {text:?}").into(),
        )
    })
}

fn access_of_rank(rank: i64) -> ShareAccess {
    if rank >= 2 {
        ShareAccess::ReadWrite
    } else {
        ShareAccess::Read
    }
}

fn share_from_row(row: &Row<'_>) -> rusqlite::Result<Share> {
    let kind: String = row.get(2)?;
    let kind = match kind.as_str() {
        "calendar" => CollectionKind::Calendar,
        _ => CollectionKind::AddressBook,
    };
    let sharee = match row.get::<_, Option<i64>>(7)? {
        Some(id) => Sharee::Account {
            id,
            login: row.get(8)?,
            display_name: row.get(15)?,
            email: row.get(16)?,
        },
        None => Sharee::Team {
            id: row.get(9)?,
            name: row.get(10)?,
        },
    };
    let access: String = row.get(11)?;
    Ok(Share {
        id: row.get(0)?,
        collection: row.get(1)?,
        kind,
        name: row.get(3)?,
        owner: row.get(4)?,
        owner_login: row.get(5)?,
        org: row.get(6)?,
        org_name: row.get(14)?,
        sharee,
        access: access_from(11, &access)?,
        created: row.get(12)?,
        declined: row.get(13)?,
    })
}

/// Loads the shares matching `condition` (on `s`/`c`) with `param`.
fn load_shares(
    conn: &Connection,
    op: &str,
    condition: &str,
    param: Option<i64>,
) -> StoreResult<Vec<Share>> {
    let sql = format!(
        "SELECT {SHARE_COLUMNS} FROM {SHARE_FROM} WHERE {condition} \
         ORDER BY o.login, c.kind, c.name, a.login, g.name, t.name"
    );
    let mut stmt = conn.prepare_cached(&sql).ctx(op)?;
    let rows = match param {
        Some(p) => stmt.query_map([p], share_from_row),
        None => stmt.query_map([], share_from_row),
    };
    rows.and_then(Iterator::collect).ctx(op)
}

/// The share of `collection` with `grantee`, if any.
fn find_share(
    conn: &Connection,
    op: &str,
    collection: i64,
    grantee: Grantee,
) -> StoreResult<Option<Share>> {
    let (column, id) = match grantee {
        Grantee::Account(id) => ("s.account_id", id),
        Grantee::Team(id) => ("s.team_id", id),
    };
    let sql = format!(
        "SELECT {SHARE_COLUMNS} FROM {SHARE_FROM} WHERE s.collection = ?1 AND {column} = ?2"
    );
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_row([collection, id], share_from_row).optional())
        .ctx(op)
}

/// The strongest access `account` has to `collection` now, if any.
fn route_access(
    conn: &Connection,
    op: &str,
    account: i64,
    collection: i64,
) -> StoreResult<Option<ShareAccess>> {
    conn.prepare_cached("SELECT MAX(rank) FROM share_routes WHERE account = ?1 AND collection = ?2")
        .and_then(|mut stmt| {
            stmt.query_row([account, collection], |row| row.get::<_, Option<i64>>(0))
        })
        .ctx(op)
        .map(|rank| rank.map(access_of_rank))
}

/// The view `account` has of `collection` (the default when it never changed it).
fn load_view(conn: &Connection, op: &str, account: i64, collection: i64) -> StoreResult<ShareView> {
    let view = conn
        .prepare_cached(
            "SELECT hidden, display_name, color, ord FROM share_views \
             WHERE account_id = ?1 AND collection = ?2",
        )
        .and_then(|mut stmt| {
            stmt.query_row([account, collection], |row| {
                Ok(ShareView {
                    hidden: row.get(0)?,
                    display_name: row.get(1)?,
                    color: row.get(2)?,
                    order: row.get(3)?,
                    dead: Vec::new(),
                })
            })
            .optional()
        })
        .ctx(op)?;
    let Some(mut view) = view else {
        return Ok(ShareView::default());
    };
    view.dead = conn
        .prepare_cached(
            "SELECT namespace, name, value FROM share_view_dead_props \
             WHERE account_id = ?1 AND collection = ?2 ORDER BY namespace, name",
        )
        .and_then(|mut stmt| {
            stmt.query_map([account, collection], |row| {
                Ok(DeadProp {
                    namespace: row.get(0)?,
                    name: row.get(1)?,
                    value: row.get(2)?,
                })
            })?
            .collect()
        })
        .ctx(op)?;
    Ok(view)
}

fn load_account(conn: &Connection, op: &str, id: i64) -> StoreResult<Account> {
    conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"
    ))
    .and_then(|mut stmt| stmt.query_row([id], account_from_row).optional())
    .ctx(op)?
    .ok_or_else(|| StoreError::NotFound(format!("account {id}")))
}

/// The shares through which `account` has `collection` now, strongest first, each with the
/// account's product access in the share's organisation (a sharee is always a member of it:
/// the foreign keys of `shares` and `team_members` say so).
fn load_routes(
    conn: &Connection,
    op: &str,
    account: i64,
    collection: i64,
) -> StoreResult<Vec<ShareRoute>> {
    conn.prepare_cached(
        "SELECT s.org_id, o.name, r.rank, m.calendar, m.contacts FROM share_routes r \
         JOIN shares s ON s.id = r.share_id \
         JOIN organisations o ON o.id = s.org_id \
         JOIN memberships m ON m.account_id = r.account AND m.org_id = s.org_id \
         WHERE r.account = ?1 AND r.collection = ?2 ORDER BY r.rank DESC, s.id",
    )
    .and_then(|mut stmt| {
        stmt.query_map([account, collection], |row| {
            Ok(ShareRoute {
                org: row.get(0)?,
                org_name: row.get(1)?,
                access: access_of_rank(row.get(2)?),
                member_access: ProductAccess {
                    calendar: row.get(3)?,
                    contacts: row.get(4)?,
                },
            })
        })?
        .collect()
    })
    .ctx(op)
}

/// `collection` as `account` has it now, if it does.
fn load_shared(
    conn: &Connection,
    op: &str,
    account: i64,
    collection: i64,
) -> StoreResult<Option<SharedCollection>> {
    let routes = load_routes(conn, op, account, collection)?;
    let Some(access) = routes.iter().map(|r| r.access).max() else {
        return Ok(None);
    };
    let Some(coll) = load_collection(conn, collection).ctx(op)? else {
        return Ok(None);
    };
    Ok(Some(SharedCollection {
        owner: load_account(conn, op, coll.owner)?,
        view: load_view(conn, op, account, collection)?,
        collection: coll,
        access,
        routes,
    }))
}

/// Makes sure `account` has a view row of `collection`.
fn ensure_view(tx: &Transaction<'_>, op: &str, account: i64, collection: i64) -> StoreResult<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO share_views (account_id, collection) VALUES (?1, ?2)")
        .and_then(|mut stmt| stmt.execute([account, collection]))
        .ctx(op)?;
    Ok(())
}

/// Fails with NotFound unless `collection` is shared with `account` now.
fn require_route(conn: &Connection, op: &str, account: i64, collection: i64) -> StoreResult<()> {
    match route_access(conn, op, account, collection)? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!(
            "collection {collection} shared with account {account}"
        ))),
    }
}

/// Creates the share `new` describes or changes the access of the existing one (see
/// [`ShareStore::put_share`]); `true` when it was created.
fn write_share(tx: &Transaction<'_>, op: &str, new: &NewShare) -> StoreResult<bool> {
    let existing = find_share(tx, op, new.collection, new.grantee)?;
    let (account, team) = match new.grantee {
        Grantee::Account(id) => (Some(id), None),
        Grantee::Team(id) => (None, Some(id)),
    };
    if let Some(share) = existing {
        // One share per grantee: sharing again changes the access (and the organisation it
        // goes through, should the caller have picked another). A sharee's decline stays.
        tx.prepare_cached("UPDATE shares SET access = ?2, org_id = ?3 WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute(params![share.id, new.access.as_str(), new.org]))
            .ctx(op)?;
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO shares (collection, org_id, account_id, team_id, access, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            new.collection,
            new.org,
            account,
            team,
            new.access.as_str(),
            new.created
        ])
    })
    .map_err(|e| match e {
        // A missing collection, organisation, membership or team.
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            StoreError::NotFound(format!(
                "collection {}, or the sharee in organisation {}",
                new.collection, new.org
            ))
        }
        e => StoreError::Backend(format!("{op}: {e}")),
    })?;
    // A new share shows the collection again to whoever it reaches that had removed it from
    // their home.
    let (sql, id) = match new.grantee {
        Grantee::Account(id) => (
            "UPDATE share_views SET hidden = 0 WHERE collection = ?1 AND account_id = ?2",
            id,
        ),
        Grantee::Team(id) => (
            "UPDATE share_views SET hidden = 0 WHERE collection = ?1 AND account_id IN \
             (SELECT account_id FROM team_members WHERE team_id = ?2)",
            id,
        ),
    };
    tx.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute([new.collection, id]))
        .ctx(op)?;
    Ok(true)
}

/// Deletes the share of `collection` with `grantee`; `false` when there was none.
fn delete_share(
    tx: &Transaction<'_>,
    op: &str,
    collection: i64,
    grantee: Grantee,
) -> StoreResult<bool> {
    let sql = match grantee {
        Grantee::Account(_) => "DELETE FROM shares WHERE collection = ?1 AND account_id = ?2",
        Grantee::Team(_) => "DELETE FROM shares WHERE collection = ?1 AND team_id = ?2",
    };
    let id = match grantee {
        Grantee::Account(id) | Grantee::Team(id) => id,
    };
    let deleted = tx
        .prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute([collection, id]))
        .ctx(op)?;
    Ok(deleted > 0)
}

/// Deletes the views of `collection` of the accounts that no longer have it.
fn drop_orphan_views(tx: &Transaction<'_>, op: &str, collection: i64) -> StoreResult<()> {
    tx.prepare_cached(
        "DELETE FROM share_views WHERE collection = ?1 AND account_id NOT IN \
         (SELECT account FROM share_routes WHERE collection = ?1)",
    )
    .and_then(|mut stmt| stmt.execute([collection]))
    .ctx(op)?;
    Ok(())
}

/// The SHA-256 a token is looked up by.
fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Columns read by [`link_from_row`], from `public_links l JOIN collections c JOIN accounts o`.
const LINK_COLUMNS: &str = "l.id, l.collection, c.name, c.owner, o.login, l.org_id, l.token, \
     l.created, l.expires, l.revoked";

/// The source of [`LINK_COLUMNS`].
const LINK_FROM: &str = "public_links l JOIN collections c ON c.id = l.collection \
     JOIN accounts o ON o.id = c.owner";

fn link_from_row(row: &Row<'_>) -> rusqlite::Result<PublicLink> {
    Ok(PublicLink {
        id: row.get(0)?,
        collection: row.get(1)?,
        name: row.get(2)?,
        owner: row.get(3)?,
        owner_login: row.get(4)?,
        org: row.get(5)?,
        token: row.get(6)?,
        created: row.get(7)?,
        expires: row.get(8)?,
        revoked: row.get(9)?,
    })
}

fn load_link(conn: &Connection, op: &str, id: i64) -> StoreResult<PublicLink> {
    conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.id = ?1"
    ))
    .and_then(|mut stmt| stmt.query_row([id], link_from_row).optional())
    .ctx(op)?
    .ok_or_else(|| StoreError::NotFound(format!("public link {id}")))
}

impl ShareStore for SqliteStore {
    fn put_share(&self, new: &NewShare) -> StoreResult<(Share, bool)> {
        const OP: &str = "put_share";
        self.write(OP, |tx| {
            let created = write_share(tx, OP, new)?;
            let share = find_share(tx, OP, new.collection, new.grantee)?
                .ok_or_else(|| StoreError::Backend(format!("{OP}: share vanished")))?;
            Ok((share, created))
        })
    }

    fn remove_share(&self, collection: i64, grantee: Grantee) -> StoreResult<()> {
        const OP: &str = "remove_share";
        self.write(OP, |tx| {
            if !delete_share(tx, OP, collection, grantee)? {
                return Err(StoreError::NotFound(format!(
                    "share of collection {collection}"
                )));
            }
            drop_orphan_views(tx, OP, collection)
        })
    }

    fn apply_shares(
        &self,
        collection: i64,
        removals: &[Grantee],
        puts: &[NewShare],
    ) -> StoreResult<()> {
        const OP: &str = "apply_shares";
        self.write(OP, |tx| {
            for grantee in removals {
                delete_share(tx, OP, collection, *grantee)?;
            }
            drop_orphan_views(tx, OP, collection)?;
            for new in puts {
                if new.collection != collection {
                    return Err(StoreError::Backend(format!(
                        "{OP}: a share of collection {} among those of {collection}",
                        new.collection
                    )));
                }
                write_share(tx, OP, new)?;
            }
            Ok(())
        })
    }

    fn shares(&self, filter: ShareFilter) -> StoreResult<Vec<Share>> {
        const OP: &str = "shares";
        let (condition, param) = match filter {
            ShareFilter::Id(id) => ("s.id = ?1", Some(id)),
            ShareFilter::Collection(id) => ("s.collection = ?1", Some(id)),
            ShareFilter::Owner(id) => ("c.owner = ?1", Some(id)),
            ShareFilter::All => ("1", None),
        };
        self.read(OP, |tx| load_shares(tx, OP, condition, param))
    }

    fn is_shared(&self, collection: i64) -> StoreResult<bool> {
        const OP: &str = "is_shared";
        self.read(OP, |tx| {
            tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM shares WHERE collection = ?1)")
                .and_then(|mut stmt| stmt.query_row([collection], |row| row.get(0)))
                .ctx(OP)
        })
    }

    fn shared_with(
        &self,
        account: i64,
        kind: CollectionKind,
    ) -> StoreResult<Vec<SharedCollection>> {
        const OP: &str = "shared_with";
        self.read(OP, |tx| {
            let ids: Vec<i64> = tx
                .prepare_cached(
                    "SELECT r.collection FROM share_routes r \
                     JOIN collections c ON c.id = r.collection \
                     JOIN accounts o ON o.id = c.owner \
                     WHERE r.account = ?1 AND c.kind = ?2 \
                     GROUP BY r.collection ORDER BY o.login, c.name",
                )
                .and_then(|mut stmt| {
                    stmt.query_map(params![account, kind.as_str()], |row| row.get(0))?
                        .collect()
                })
                .ctx(OP)?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(load_shared(tx, OP, account, id)?);
            }
            Ok(out)
        })
    }

    fn shared_collection(
        &self,
        account: i64,
        collection: i64,
    ) -> StoreResult<Option<SharedCollection>> {
        const OP: &str = "shared_collection";
        self.read(OP, |tx| load_shared(tx, OP, account, collection))
    }

    fn co_members_by_email(
        &self,
        account: i64,
        emails: &[String],
    ) -> StoreResult<Vec<(String, String)>> {
        const OP: &str = "co_members_by_email";
        let wanted =
            serde_json::to_string(emails).map_err(|e| StoreError::Backend(format!("{OP}: {e}")))?;
        self.read(OP, |tx| {
            // The first login (in order) for each address; one statement whatever the number
            // of addresses (passed as a JSON array).
            tx.prepare_cached(
                "SELECT lower(a.email), MIN(a.login) FROM accounts a \
                 WHERE lower(a.email) IN (SELECT lower(value) FROM json_each(?2)) \
                 AND EXISTS (SELECT 1 FROM memberships m \
                     JOIN memberships mo ON mo.org_id = m.org_id AND mo.account_id = ?1 \
                     WHERE m.account_id = a.id) \
                 GROUP BY lower(a.email) ORDER BY lower(a.email)",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![account, wanted], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
            })
            .ctx(OP)
        })
    }

    fn set_share_hidden(&self, account: i64, collection: i64, hidden: bool) -> StoreResult<()> {
        const OP: &str = "set_share_hidden";
        self.write(OP, |tx| {
            require_route(tx, OP, account, collection)?;
            ensure_view(tx, OP, account, collection)?;
            tx.prepare_cached(
                "UPDATE share_views SET hidden = ?3 WHERE account_id = ?1 AND collection = ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![account, collection, hidden]))
            .ctx(OP)?;
            Ok(())
        })
    }

    fn update_share_view(
        &self,
        account: i64,
        collection: i64,
        changes: &[PropChange],
    ) -> StoreResult<ShareView> {
        const OP: &str = "update_share_view";
        self.write(OP, |tx| {
            require_route(tx, OP, account, collection)?;
            ensure_view(tx, OP, account, collection)?;
            for change in changes {
                match change {
                    PropChange::Live(prop, value) => {
                        let sql = match prop {
                            LiveProp::DisplayName => {
                                "UPDATE share_views SET display_name = ?3 \
                                 WHERE account_id = ?1 AND collection = ?2"
                            }
                            LiveProp::Color => {
                                "UPDATE share_views SET color = ?3 \
                                 WHERE account_id = ?1 AND collection = ?2"
                            }
                            LiveProp::Order => {
                                "UPDATE share_views SET ord = ?3 \
                                 WHERE account_id = ?1 AND collection = ?2"
                            }
                            other => {
                                return Err(StoreError::Backend(format!(
                                    "{OP}: {other:?} belongs to the owner, not to a sharee's view"
                                )));
                            }
                        };
                        tx.prepare_cached(sql)
                            .and_then(|mut stmt| stmt.execute(params![account, collection, value]))
                            .ctx(OP)?;
                    }
                    PropChange::Dead {
                        namespace,
                        name,
                        value: Some(value),
                    } => {
                        tx.prepare_cached(
                            "INSERT INTO share_view_dead_props \
                             (account_id, collection, namespace, name, value) \
                             VALUES (?1, ?2, ?3, ?4, ?5) \
                             ON CONFLICT (account_id, collection, namespace, name) \
                             DO UPDATE SET value = excluded.value",
                        )
                        .and_then(|mut stmt| {
                            stmt.execute(params![account, collection, namespace, name, value])
                        })
                        .ctx(OP)?;
                    }
                    PropChange::Dead {
                        namespace,
                        name,
                        value: None,
                    } => {
                        tx.prepare_cached(
                            "DELETE FROM share_view_dead_props WHERE account_id = ?1 \
                             AND collection = ?2 AND namespace = ?3 AND name = ?4",
                        )
                        .and_then(|mut stmt| {
                            stmt.execute(params![account, collection, namespace, name])
                        })
                        .ctx(OP)?;
                    }
                }
            }
            load_view(tx, OP, account, collection)
        })
    }

    fn create_link(&self, new: &NewLink) -> StoreResult<PublicLink> {
        const OP: &str = "create_link";
        self.write(OP, |tx| {
            if let Some(limit) = new.limit {
                let count: i64 = tx
                    .prepare_cached(
                        "SELECT COUNT(*) FROM public_links WHERE org_id = ?1 AND created >= ?2",
                    )
                    .and_then(|mut stmt| stmt.query_row([new.org, limit.since], |row| row.get(0)))
                    .ctx(OP)?;
                if count >= limit.max {
                    return Err(StoreError::PublicLinkLimit(limit.max));
                }
            }
            tx.prepare_cached(
                "INSERT INTO public_links (collection, org_id, token, token_hash, created, \
                 expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    new.collection,
                    new.org,
                    new.token,
                    token_hash(&new.token),
                    new.created,
                    new.expires
                ])
            })
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
                {
                    StoreError::NotFound(format!(
                        "collection {} or organisation {}",
                        new.collection, new.org
                    ))
                }
                rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
                {
                    StoreError::AlreadyExists("public link token".into())
                }
                e => StoreError::Backend(format!("{OP}: {e}")),
            })?;
            load_link(tx, OP, tx.last_insert_rowid())
        })
    }

    fn links(&self, filter: LinkFilter) -> StoreResult<Vec<PublicLink>> {
        const OP: &str = "links";
        let (condition, param) = match filter {
            LinkFilter::Id(id) => ("l.id = ?1", Some(id)),
            LinkFilter::Owner(id) => ("c.owner = ?1", Some(id)),
            LinkFilter::All => ("1", None),
        };
        self.read(OP, |tx| {
            let sql = format!(
                "SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE {condition} \
                 ORDER BY l.created DESC, l.id DESC"
            );
            let mut stmt = tx.prepare_cached(&sql).ctx(OP)?;
            let rows = match param {
                Some(p) => stmt.query_map([p], link_from_row),
                None => stmt.query_map([], link_from_row),
            };
            rows.and_then(Iterator::collect).ctx(OP)
        })
    }

    fn link_by_token(&self, token: &str) -> StoreResult<Option<PublicLink>> {
        const OP: &str = "link_by_token";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.token_hash = ?1"
            ))
            .and_then(|mut stmt| {
                stmt.query_row([token_hash(token)], link_from_row)
                    .optional()
            })
            .ctx(OP)
        })
    }

    fn revoke_link(&self, id: i64, at: i64) -> StoreResult<PublicLink> {
        const OP: &str = "revoke_link";
        self.write(OP, |tx| {
            tx.prepare_cached(
                "UPDATE public_links SET revoked = COALESCE(revoked, ?2) WHERE id = ?1",
            )
            .and_then(|mut stmt| stmt.execute([id, at]))
            .ctx(OP)?;
            load_link(tx, OP, id)
        })
    }
}
