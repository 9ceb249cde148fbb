//! Invitations for SQLite: the memberships offered to existing accounts, waiting for their
//! consent. Owns the SQL of the `invitations` table; the `OrgStore` methods in `orgs` call
//! these. Accepting goes through `orgs::insert_member`, so a join by invitation is a join like
//! any other (member limit, directory entry), and any join spends the invitation.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::SqliteStore;
use super::orgs::{
    check_account, check_authority, check_member_limit, existing_org, insert_member, load_member,
    login_of, membership_at, membership_values,
};
use super::rows::{Context, insert_error, now};
use crate::store::{Authority, Invitation, Member, NewMember, StoreError, StoreResult};

/// Columns read by [`invitation_from_row`], from [`INVITATION_FROM`].
const INVITATION_COLUMNS: &str = "i.org_id, o.name, i.account_id, a.login, i.role, i.calendar, \
     i.contacts, i.billing, i.technical, i.security, b.login, i.created";

/// The invitation with its organisation, invitee and inviter.
const INVITATION_FROM: &str = "invitations i JOIN organisations o ON o.id = i.org_id \
     JOIN accounts a ON a.id = i.account_id LEFT JOIN accounts b ON b.id = i.invited_by";

fn invitation_from_row(row: &Row<'_>) -> rusqlite::Result<Invitation> {
    Ok(Invitation {
        org: row.get(0)?,
        org_name: row.get(1)?,
        account: row.get(2)?,
        login: row.get(3)?,
        member: membership_at(row, 4)?,
        invited_by: row.get(10)?,
        created: row.get(11)?,
    })
}

/// The invitations matching `filter` (SQL over `i`, with `?1` bound to `value`), in `order`.
fn select(
    conn: &Connection,
    op: &str,
    filter: &str,
    value: i64,
    order: &str,
) -> StoreResult<Vec<Invitation>> {
    conn.prepare_cached(&format!(
        "SELECT {INVITATION_COLUMNS} FROM {INVITATION_FROM} WHERE {filter} ORDER BY {order}"
    ))
    .and_then(|mut stmt| stmt.query_map([value], invitation_from_row)?.collect())
    .ctx(op)
}

fn load(conn: &Connection, op: &str, org: i64, account: i64) -> StoreResult<Option<Invitation>> {
    conn.prepare_cached(&format!(
        "SELECT {INVITATION_COLUMNS} FROM {INVITATION_FROM} \
         WHERE i.org_id = ?1 AND i.account_id = ?2"
    ))
    .and_then(|mut stmt| {
        stmt.query_row([org, account], invitation_from_row)
            .optional()
    })
    .ctx(op)
}

fn not_invited(org: i64) -> StoreError {
    StoreError::NotFound(format!("invitation to organisation {org}"))
}

/// See [`crate::store::OrgStore::invite`].
pub(super) fn invite(
    store: &SqliteStore,
    org: i64,
    account: i64,
    member: &NewMember,
    max_members: Option<i64>,
    by: Option<Authority>,
) -> StoreResult<Invitation> {
    const OP: &str = "invite";
    store.write(OP, |tx| {
        existing_org(tx, OP, org)?;
        check_account(tx, OP, account)?;
        check_authority(tx, OP, org, by)?;
        if load_member(tx, OP, org, account)?.is_some() {
            return Err(StoreError::PreconditionFailed);
        }
        check_member_limit(tx, OP, org, max_members)?;
        tx.prepare_cached(
            "INSERT INTO invitations (account_id, org_id, role, calendar, contacts, billing, \
             technical, security, invited_by, created) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut stmt| {
            let inviter = by.map_or(Value::Null, |b| Value::from(b.account));
            stmt.execute(params_from_iter(
                [Value::from(account), Value::from(org)]
                    .into_iter()
                    .chain(membership_values(member))
                    .chain([inviter, Value::from(now())]),
            ))
        })
        .map_err(insert_error(
            OP,
            format!("invitation of {}", login_of(tx, OP, account)?),
        ))?;
        load(tx, OP, org, account)?
            .ok_or_else(|| StoreError::Backend(format!("{OP}: invitation vanished")))
    })
}

/// See [`crate::store::OrgStore::invitation`].
pub(super) fn one(store: &SqliteStore, org: i64, account: i64) -> StoreResult<Option<Invitation>> {
    const OP: &str = "invitation";
    store.read(OP, |tx| load(tx, OP, org, account))
}

/// See [`crate::store::OrgStore::invitations_of`].
pub(super) fn of_account(store: &SqliteStore, account: i64) -> StoreResult<Vec<Invitation>> {
    const OP: &str = "invitations_of";
    store.read(OP, |tx| {
        select(tx, OP, "i.account_id = ?1", account, "i.created, i.org_id")
    })
}

/// See [`crate::store::OrgStore::invitations_to`].
pub(super) fn to_org(store: &SqliteStore, org: i64) -> StoreResult<Vec<Invitation>> {
    const OP: &str = "invitations_to";
    store.read(OP, |tx| select(tx, OP, "i.org_id = ?1", org, "a.login"))
}

/// See [`crate::store::OrgStore::accept_invitation`].
pub(super) fn accept(
    store: &SqliteStore,
    org: i64,
    account: i64,
    max_members: Option<i64>,
) -> StoreResult<Member> {
    const OP: &str = "accept_invitation";
    store.write(OP, |tx| {
        let invitation = load(tx, OP, org, account)?.ok_or_else(|| not_invited(org))?;
        insert_member(tx, OP, org, account, &invitation.member, max_members)?;
        load_member(tx, OP, org, account)?
            .ok_or_else(|| StoreError::Backend(format!("{OP}: membership vanished")))
    })
}

/// See [`crate::store::OrgStore::delete_invitation`].
pub(super) fn delete(
    store: &SqliteStore,
    org: i64,
    account: i64,
    by: Option<Authority>,
) -> StoreResult<()> {
    const OP: &str = "delete_invitation";
    store.write(OP, |tx| {
        check_authority(tx, OP, org, by)?;
        let deleted = tx
            .prepare_cached("DELETE FROM invitations WHERE org_id = ?1 AND account_id = ?2")
            .and_then(|mut stmt| stmt.execute([org, account]))
            .ctx(OP)?;
        if deleted == 0 {
            return Err(not_invited(org));
        }
        Ok(())
    })
}
