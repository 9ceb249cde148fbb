//! [`OrgStore`] for SQLite: organisations, memberships, teams and the directory change log.
//!
//! Owns the SQL of the organisation tables and the invariants the store keeps in each write's
//! transaction (a legal owner remains, member limits, compare-and-swap on roles and plans), plus
//! the helpers `create_account` and `remove_account` share with these methods.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};

use super::rows::{Context, insert_error, now};
use super::{SqliteStore, invitations};
use crate::store::{
    Authority, DirectoryChanges, Invitation, LegalContact, Member, MemberUpdate, NewMember, NewOrg,
    Notices, Org, OrgStore, ProductAccess, Role, StoreError, StoreResult, Team,
};

/// Columns read by [`org_from_row`], from `organisations o`.
const ORG_COLUMNS: &str =
    "o.id, o.name, o.plan, o.address, o.phone, o.email, o.country, o.created, o.directory_revision";

/// Columns read by [`member_from_row`], from `memberships m JOIN accounts a`.
const MEMBER_COLUMNS: &str = "m.org_id, m.account_id, a.login, a.display_name, a.email, m.role, \
     m.calendar, m.contacts, m.billing, m.technical, m.security, m.entry";

/// `memberships m JOIN accounts a`, the source of [`MEMBER_COLUMNS`].
const MEMBER_FROM: &str = "memberships m JOIN accounts a ON a.id = m.account_id";

fn org_from_row(row: &Row<'_>) -> rusqlite::Result<Org> {
    Ok(Org {
        id: row.get(0)?,
        name: row.get(1)?,
        plan: row.get(2)?,
        contact: LegalContact {
            address: row.get(3)?,
            phone: row.get(4)?,
            email: row.get(5)?,
            country: row.get(6)?,
        },
        created: row.get(7)?,
        directory_revision: row.get(8)?,
    })
}

fn member_from_row(row: &Row<'_>) -> rusqlite::Result<Member> {
    member_at(row, 0)
}

/// Maps [`MEMBER_COLUMNS`] starting at column `base` (after other columns of a join).
fn member_at(row: &Row<'_>, base: usize) -> rusqlite::Result<Member> {
    let terms = membership_at(row, base + 5)?;
    Ok(Member {
        org: row.get(base)?,
        account: row.get(base + 1)?,
        login: row.get(base + 2)?,
        display_name: row.get(base + 3)?,
        email: row.get(base + 4)?,
        role: terms.role,
        access: terms.access,
        notices: terms.notices,
        entry: row.get(base + 11)?,
    })
}

/// The values of the columns `role, calendar, contacts, billing, technical, security` (of a
/// membership or an invitation), as [`membership_at`] reads them back.
pub(super) fn membership_values(m: &NewMember) -> [Value; 6] {
    let flag = |on: bool| Value::Integer(i64::from(on));
    [
        Value::Text(m.role.as_str().to_owned()),
        flag(m.access.calendar),
        flag(m.access.contacts),
        flag(m.notices.billing),
        flag(m.notices.technical),
        flag(m.notices.security),
    ]
}

/// Maps the columns `role, calendar, contacts, billing, technical, security` (of a membership
/// or an invitation) starting at column `base`.
pub(super) fn membership_at(row: &Row<'_>, base: usize) -> rusqlite::Result<NewMember> {
    let role: String = row.get(base)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            base,
            rusqlite::types::Type::Text,
            format!("unknown role {role:?}").into(),
        )
    })?;
    Ok(NewMember {
        role,
        access: ProductAccess {
            calendar: row.get(base + 1)?,
            contacts: row.get(base + 2)?,
        },
        notices: Notices {
            billing: row.get(base + 3)?,
            technical: row.get(base + 4)?,
            security: row.get(base + 5)?,
        },
    })
}

/// Error for a missing organisation id.
fn org_not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("organisation {id}"))
}

/// Loads one organisation by id.
fn load_org(conn: &Connection, op: &str, id: i64) -> StoreResult<Option<Org>> {
    conn.prepare_cached(&format!(
        "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.id = ?1"
    ))
    .and_then(|mut stmt| stmt.query_row([id], org_from_row).optional())
    .ctx(op)
}

/// Loads one organisation by id, failing with NotFound when it does not exist.
pub(super) fn existing_org(conn: &Connection, op: &str, id: i64) -> StoreResult<Org> {
    load_org(conn, op, id)?.ok_or_else(|| org_not_found(id))
}

/// Loads one membership.
pub(super) fn load_member(
    conn: &Connection,
    op: &str,
    org: i64,
    account: i64,
) -> StoreResult<Option<Member>> {
    conn.prepare_cached(&format!(
        "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} WHERE m.org_id = ?1 AND m.account_id = ?2"
    ))
    .and_then(|mut stmt| stmt.query_row([org, account], member_from_row).optional())
    .ctx(op)
}

/// Loads the members of an organisation, by login.
fn load_members(conn: &Connection, op: &str, org: i64) -> StoreResult<Vec<Member>> {
    conn.prepare_cached(&format!(
        "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} WHERE m.org_id = ?1 ORDER BY a.login"
    ))
    .and_then(|mut stmt| stmt.query_map([org], member_from_row)?.collect())
    .ctx(op)
}

fn count_members(conn: &Connection, op: &str, org: i64) -> StoreResult<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM memberships WHERE org_id = ?1")
        .and_then(|mut stmt| stmt.query_row([org], |row| row.get(0)))
        .ctx(op)
}

/// Fails with MemberLimit when `org` already has `max` members or more.
pub(super) fn check_member_limit(
    conn: &Connection,
    op: &str,
    org: i64,
    max: Option<i64>,
) -> StoreResult<()> {
    match max {
        Some(max) if count_members(conn, op, org)? >= max => Err(StoreError::MemberLimit(max)),
        _ => Ok(()),
    }
}

/// Inserts an organisation; a taken name is AlreadyExists.
pub(super) fn insert_org(
    tx: &Transaction<'_>,
    op: &str,
    new: &NewOrg,
    created: i64,
) -> StoreResult<i64> {
    let c = &new.contact;
    tx.prepare_cached(
        "INSERT INTO organisations (name, plan, created, address, phone, email, country) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            new.name, new.plan, created, c.address, c.phone, c.email, c.country
        ])
    })
    .map_err(insert_error(op, format!("organisation {}", new.name)))?;
    Ok(tx.last_insert_rowid())
}

/// Inserts a membership after the member limit check, with a new directory entry (never
/// reused; it orders the join after every earlier one) recorded at a new directory revision.
/// Already a member: AlreadyExists.
pub(super) fn insert_member(
    tx: &Transaction<'_>,
    op: &str,
    org: i64,
    account: i64,
    member: &NewMember,
    max_members: Option<i64>,
) -> StoreResult<()> {
    existing_org(tx, op, org)?;
    check_member_limit(tx, op, org, max_members)?;
    let already =
        || -> StoreResult<String> { Ok(format!("membership of {}", login_of(tx, op, account)?)) };
    let revision = next_directory_revision(tx, op, org)?;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO directory_entries (org_id, account_id, revision) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut stmt| stmt.execute(params![org, account, revision]));
    if let Err(e) = inserted {
        return Err(insert_error(op, already()?)(e));
    }
    let entry = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO memberships (account_id, org_id, role, calendar, contacts, billing, \
         technical, security, entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params_from_iter(
            [Value::from(account), Value::from(org)]
                .into_iter()
                .chain(membership_values(member))
                .chain([Value::from(entry)]),
        ))
    })
    .map_err(insert_error(op, already()?))?;
    // Joined, whichever way: an invitation it had is spent.
    tx.prepare_cached("DELETE FROM invitations WHERE org_id = ?1 AND account_id = ?2")
        .and_then(|mut stmt| stmt.execute([org, account]))
        .ctx(op)?;
    Ok(())
}

/// Moves the directory of `org` to its next revision and returns it.
fn next_directory_revision(tx: &Transaction<'_>, op: &str, org: i64) -> StoreResult<i64> {
    tx.prepare_cached(
        "UPDATE organisations SET directory_revision = directory_revision + 1 \
         WHERE id = ?1 RETURNING directory_revision",
    )
    .and_then(|mut stmt| stmt.query_row([org], |row| row.get(0)))
    .ctx(op)
}

/// What happened to a member's card in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CardChange {
    /// It changed (a new role).
    Changed,
    /// The member left: the entry becomes a tombstone.
    Left,
}

/// Records `change` of `account`'s card in `org`'s directory at a new directory revision. A
/// departure is recorded before the membership (or the account) goes.
pub(super) fn touch_directory(
    tx: &Transaction<'_>,
    op: &str,
    org: i64,
    account: i64,
    change: CardChange,
) -> StoreResult<()> {
    let revision = next_directory_revision(tx, op, org)?;
    tx.prepare_cached(
        "UPDATE directory_entries SET revision = ?3, \
         account_id = CASE WHEN ?4 THEN NULL ELSE account_id END \
         WHERE org_id = ?1 AND account_id = ?2",
    )
    .and_then(|mut stmt| stmt.execute(params![org, account, revision, change == CardChange::Left]))
    .ctx(op)?;
    Ok(())
}

/// Fails with LastLegalOwner when `org` has no legal owner left; run after a change inside its
/// transaction, so the change rolls back with the failure. An organisation always has one: the
/// last legal owner names another before leaving.
pub(super) fn check_legal_owner_remains(
    tx: &Transaction<'_>,
    op: &str,
    org: i64,
) -> StoreResult<()> {
    let owners: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM memberships WHERE org_id = ?1 AND role = 'legal-owner'",
        )
        .and_then(|mut stmt| stmt.query_row([org], |row| row.get(0)))
        .ctx(op)?;
    if owners == 0 {
        let name = existing_org(tx, op, org)?.name;
        return Err(StoreError::LastLegalOwner(name));
    }
    Ok(())
}

/// How messages name the account `account`: by its login, since ids are internal.
pub(super) fn login_of(conn: &Connection, op: &str, account: i64) -> StoreResult<String> {
    Ok(conn
        .prepare_cached("SELECT login FROM accounts WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([account], |row| row.get(0)).optional())
        .ctx(op)?
        .unwrap_or_else(|| "a removed account".to_owned()))
}

/// The error for `account`, which is not a member.
fn no_member(conn: &Connection, op: &str, account: i64) -> StoreError {
    match login_of(conn, op, account) {
        Ok(login) => StoreError::NotFound(format!("member {login}")),
        Err(e) => e,
    }
}

/// Fails with PreconditionFailed unless `by` (when given) is still a member of `org` with the
/// role the decision was taken on; run first in a write's transaction.
pub(super) fn check_authority(
    conn: &Connection,
    op: &str,
    org: i64,
    by: Option<Authority>,
) -> StoreResult<()> {
    let Some(by) = by else {
        return Ok(());
    };
    match load_member(conn, op, org, by.account)? {
        Some(m) if m.role == by.role => Ok(()),
        _ => Err(StoreError::PreconditionFailed),
    }
}

/// Fails with NotFound when no account has this id.
pub(super) fn check_account(conn: &Connection, op: &str, account: i64) -> StoreResult<()> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")
        .and_then(|mut stmt| stmt.exists([account]))
        .ctx(op)?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::NotFound("account".to_owned()))
    }
}

/// True when an organisation with this id exists.
pub(super) fn org_exists(conn: &Connection, op: &str, org: i64) -> StoreResult<bool> {
    Ok(load_org(conn, op, org)?.is_some())
}

/// Ids of the organisations `account` belongs to.
pub(super) fn org_ids_of(tx: &Transaction<'_>, op: &str, account: i64) -> StoreResult<Vec<i64>> {
    tx.prepare_cached("SELECT org_id FROM memberships WHERE account_id = ?1")
        .and_then(|mut stmt| stmt.query_map([account], |row| row.get(0))?.collect())
        .ctx(op)
}

/// Loads a team by name with its member logins.
fn load_team(conn: &Connection, op: &str, org: i64, name: &str) -> StoreResult<Option<Team>> {
    let team = conn
        .prepare_cached(
            "SELECT id, org_id, name, created FROM teams WHERE org_id = ?1 AND name = ?2",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![org, name], |row| {
                Ok(Team {
                    id: row.get(0)?,
                    org: row.get(1)?,
                    name: row.get(2)?,
                    created: row.get(3)?,
                    members: Vec::new(),
                })
            })
            .optional()
        })
        .ctx(op)?;
    let Some(mut team) = team else {
        return Ok(None);
    };
    team.members = conn
        .prepare_cached(
            "SELECT a.login FROM team_members t JOIN accounts a ON a.id = t.account_id \
             WHERE t.team_id = ?1 ORDER BY a.login",
        )
        .and_then(|mut stmt| stmt.query_map([team.id], |row| row.get(0))?.collect())
        .ctx(op)?;
    Ok(Some(team))
}

fn existing_team(conn: &Connection, op: &str, org: i64, name: &str) -> StoreResult<Team> {
    load_team(conn, op, org, name)?.ok_or_else(|| StoreError::NotFound(format!("team {name}")))
}

impl OrgStore for SqliteStore {
    fn create_org(&self, new: &NewOrg, owner: i64, member: &NewMember) -> StoreResult<Org> {
        const OP: &str = "create_org";
        self.write(OP, |tx| {
            check_account(tx, OP, owner)?;
            let id = insert_org(tx, OP, new, now())?;
            insert_member(tx, OP, id, owner, member, None)?;
            existing_org(tx, OP, id)
        })
    }

    fn org(&self, id: i64) -> StoreResult<Option<Org>> {
        const OP: &str = "org";
        self.read(OP, |tx| load_org(tx, OP, id))
    }

    fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>> {
        const OP: &str = "org_by_name";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.name = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([name], org_from_row).optional())
            .ctx(OP)
        })
    }

    fn list_orgs(&self) -> StoreResult<Vec<Org>> {
        const OP: &str = "list_orgs";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {ORG_COLUMNS} FROM organisations o ORDER BY o.name"
            ))
            .and_then(|mut stmt| stmt.query_map([], org_from_row)?.collect())
            .ctx(OP)
        })
    }

    fn orgs_of(&self, account: i64) -> StoreResult<Vec<(Org, Member)>> {
        const OP: &str = "orgs_of";
        self.read(OP, |tx| orgs_of(tx, OP, account, None))
    }

    fn home_membership(&self, account: i64) -> StoreResult<Option<(Org, Member)>> {
        const OP: &str = "home_membership";
        self.read(OP, |tx| Ok(orgs_of(tx, OP, account, Some(1))?.pop()))
    }

    fn set_plan(
        &self,
        org: i64,
        from: &str,
        to: &str,
        max_members: Option<i64>,
        by: Option<Authority>,
    ) -> StoreResult<Org> {
        const OP: &str = "set_plan";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            if existing_org(tx, OP, org)?.plan != from {
                return Err(StoreError::PreconditionFailed);
            }
            if let Some(max) = max_members
                && count_members(tx, OP, org)? > max
            {
                return Err(StoreError::MemberLimit(max));
            }
            tx.prepare_cached("UPDATE organisations SET plan = ?2 WHERE id = ?1")
                .and_then(|mut stmt| stmt.execute(params![org, to]))
                .ctx(OP)?;
            existing_org(tx, OP, org)
        })
    }

    fn set_legal_contact(
        &self,
        org: i64,
        contact: &LegalContact,
        by: Option<Authority>,
    ) -> StoreResult<Org> {
        const OP: &str = "set_legal_contact";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            let c = contact;
            let updated = tx
                .prepare_cached(
                    "UPDATE organisations SET address = ?2, phone = ?3, email = ?4, country = ?5 \
                     WHERE id = ?1",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![org, c.address, c.phone, c.email, c.country])
                })
                .ctx(OP)?;
            if updated == 0 {
                return Err(org_not_found(org));
            }
            existing_org(tx, OP, org)
        })
    }

    fn members(&self, org: i64) -> StoreResult<Vec<Member>> {
        const OP: &str = "members";
        self.read(OP, |tx| load_members(tx, OP, org))
    }

    fn member_by_entry(&self, org: i64, entry: i64) -> StoreResult<Option<Member>> {
        const OP: &str = "member_by_entry";
        self.read(OP, |tx| {
            tx.prepare_cached(&format!(
                "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} WHERE m.org_id = ?1 AND m.entry = ?2"
            ))
            .and_then(|mut stmt| stmt.query_row([org, entry], member_from_row).optional())
            .ctx(OP)
        })
    }

    fn member(&self, org: i64, account: i64) -> StoreResult<Option<Member>> {
        const OP: &str = "member";
        self.read(OP, |tx| load_member(tx, OP, org, account))
    }

    fn add_member(
        &self,
        org: i64,
        account: i64,
        member: &NewMember,
        max_members: Option<i64>,
    ) -> StoreResult<Member> {
        const OP: &str = "add_member";
        self.write(OP, |tx| {
            check_account(tx, OP, account)?;
            insert_member(tx, OP, org, account, member, max_members)?;
            load_member(tx, OP, org, account)?
                .ok_or_else(|| StoreError::Backend(format!("{OP}: membership vanished")))
        })
    }

    fn update_member(
        &self,
        org: i64,
        account: i64,
        expected: Role,
        update: &MemberUpdate,
        by: Option<Authority>,
    ) -> StoreResult<Member> {
        const OP: &str = "update_member";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            let current =
                load_member(tx, OP, org, account)?.ok_or_else(|| no_member(tx, OP, account))?;
            if current.role != expected {
                return Err(StoreError::PreconditionFailed);
            }
            let next = update.apply(NewMember {
                role: current.role,
                access: current.access,
                notices: current.notices,
            });
            tx.prepare_cached(
                "UPDATE memberships SET role = ?3, calendar = ?4, contacts = ?5, billing = ?6, \
                 technical = ?7, security = ?8 WHERE org_id = ?1 AND account_id = ?2",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    org,
                    account,
                    next.role.as_str(),
                    next.access.calendar,
                    next.access.contacts,
                    next.notices.billing,
                    next.notices.technical,
                    next.notices.security,
                ])
            })
            .ctx(OP)?;
            if next.role != current.role {
                check_legal_owner_remains(tx, OP, org)?;
                touch_directory(tx, OP, org, account, CardChange::Changed)?;
            }
            load_member(tx, OP, org, account)?
                .ok_or_else(|| StoreError::Backend(format!("{OP}: membership vanished")))
        })
    }

    fn remove_members(
        &self,
        org: i64,
        members: &[(i64, Role)],
        by: Option<Authority>,
    ) -> StoreResult<()> {
        const OP: &str = "remove_members";
        self.write(OP, |tx| {
            existing_org(tx, OP, org)?;
            check_authority(tx, OP, org, by)?;
            for (account, expected) in members {
                let current = load_member(tx, OP, org, *account)?
                    .ok_or_else(|| no_member(tx, OP, *account))?;
                if current.role != *expected {
                    return Err(StoreError::PreconditionFailed);
                }
                touch_directory(tx, OP, org, *account, CardChange::Left)?;
                tx.prepare_cached("DELETE FROM memberships WHERE org_id = ?1 AND account_id = ?2")
                    .and_then(|mut stmt| stmt.execute([org, *account]))
                    .ctx(OP)?;
            }
            check_legal_owner_remains(tx, OP, org)
        })
    }

    fn invite(
        &self,
        org: i64,
        account: i64,
        member: &NewMember,
        max_members: Option<i64>,
        by: Option<Authority>,
    ) -> StoreResult<Invitation> {
        invitations::invite(self, org, account, member, max_members, by)
    }

    fn invitation(&self, org: i64, account: i64) -> StoreResult<Option<Invitation>> {
        invitations::one(self, org, account)
    }

    fn invitations_of(&self, account: i64) -> StoreResult<Vec<Invitation>> {
        invitations::of_account(self, account)
    }

    fn invitations_to(&self, org: i64) -> StoreResult<Vec<Invitation>> {
        invitations::to_org(self, org)
    }

    fn accept_invitation(
        &self,
        org: i64,
        account: i64,
        max_members: Option<i64>,
    ) -> StoreResult<Member> {
        invitations::accept(self, org, account, max_members)
    }

    fn delete_invitation(&self, org: i64, account: i64, by: Option<Authority>) -> StoreResult<()> {
        invitations::delete(self, org, account, by)
    }

    fn create_team(&self, org: i64, name: &str, by: Option<Authority>) -> StoreResult<Team> {
        const OP: &str = "create_team";
        self.write(OP, |tx| {
            existing_org(tx, OP, org)?;
            check_authority(tx, OP, org, by)?;
            tx.prepare_cached("INSERT INTO teams (org_id, name, created) VALUES (?1, ?2, ?3)")
                .and_then(|mut stmt| stmt.execute(params![org, name, now()]))
                .map_err(insert_error(OP, format!("team {name}")))?;
            existing_team(tx, OP, org, name)
        })
    }

    fn delete_team(&self, org: i64, name: &str, by: Option<Authority>) -> StoreResult<()> {
        const OP: &str = "delete_team";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            let deleted = tx
                .prepare_cached("DELETE FROM teams WHERE org_id = ?1 AND name = ?2")
                .and_then(|mut stmt| stmt.execute(params![org, name]))
                .ctx(OP)?;
            if deleted == 0 {
                return Err(StoreError::NotFound(format!("team {name}")));
            }
            Ok(())
        })
    }

    fn teams(&self, org: i64) -> StoreResult<Vec<Team>> {
        const OP: &str = "teams";
        self.read(OP, |tx| {
            let names: Vec<String> = tx
                .prepare_cached("SELECT name FROM teams WHERE org_id = ?1 ORDER BY name")
                .and_then(|mut stmt| stmt.query_map([org], |row| row.get(0))?.collect())
                .ctx(OP)?;
            names
                .iter()
                .map(|name| existing_team(tx, OP, org, name))
                .collect()
        })
    }

    fn add_team_member(
        &self,
        org: i64,
        team: &str,
        account: i64,
        by: Option<Authority>,
    ) -> StoreResult<Team> {
        const OP: &str = "add_team_member";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            let id = existing_team(tx, OP, org, team)?.id;
            if load_member(tx, OP, org, account)?.is_none() {
                return Err(no_member(tx, OP, account));
            }
            tx.prepare_cached(
                "INSERT INTO team_members (team_id, org_id, account_id) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut stmt| stmt.execute([id, org, account]))
            .map_err(insert_error(
                OP,
                format!(
                    "membership of {} in team {team}",
                    login_of(tx, OP, account)?
                ),
            ))?;
            existing_team(tx, OP, org, team)
        })
    }

    fn remove_team_member(
        &self,
        org: i64,
        team: &str,
        account: i64,
        by: Option<Authority>,
    ) -> StoreResult<Team> {
        const OP: &str = "remove_team_member";
        self.write(OP, |tx| {
            check_authority(tx, OP, org, by)?;
            let id = existing_team(tx, OP, org, team)?.id;
            let deleted = tx
                .prepare_cached("DELETE FROM team_members WHERE team_id = ?1 AND account_id = ?2")
                .and_then(|mut stmt| stmt.execute([id, account]))
                .ctx(OP)?;
            if deleted == 0 {
                return Err(StoreError::NotFound(format!(
                    "{} in team {team}",
                    login_of(tx, OP, account)?
                )));
            }
            existing_team(tx, OP, org, team)
        })
    }

    fn directory_changes(&self, org: i64, revision: i64) -> StoreResult<DirectoryChanges> {
        const OP: &str = "directory_changes";
        self.read(OP, |tx| {
            let (current, min): (i64, i64) = tx
                .prepare_cached(
                    "SELECT directory_revision, directory_min_revision FROM organisations \
                     WHERE id = ?1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row([org], |row| Ok((row.get(0)?, row.get(1)?)))
                        .optional()
                })
                .ctx(OP)?
                .ok_or_else(|| org_not_found(org))?;
            // 0 is the initial sync; anything else must lie in the answerable range.
            if revision < 0 || revision > current || (revision != 0 && revision < min) {
                return Err(StoreError::InvalidSyncToken);
            }
            if revision == 0 {
                return Ok(DirectoryChanges {
                    present: load_members(tx, OP, org)?,
                    removed: Vec::new(),
                    revision: current,
                });
            }
            let present = tx
                .prepare_cached(&format!(
                    "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} JOIN directory_entries d \
                     ON d.id = m.entry WHERE d.org_id = ?1 AND d.revision > ?2 \
                     ORDER BY a.login"
                ))
                .and_then(|mut stmt| stmt.query_map([org, revision], member_from_row)?.collect())
                .ctx(OP)?;
            let removed = tx
                .prepare_cached(
                    "SELECT d.id FROM directory_entries d WHERE d.org_id = ?1 \
                     AND d.revision > ?2 AND d.account_id IS NULL ORDER BY d.id",
                )
                .and_then(|mut stmt| stmt.query_map([org, revision], |row| row.get(0))?.collect())
                .ctx(OP)?;
            Ok(DirectoryChanges {
                present,
                removed,
                revision: current,
            })
        })
    }
}

/// The memberships of `account` with their organisations, earliest join first, at most
/// `limit` of them.
fn orgs_of(
    conn: &Connection,
    op: &str,
    account: i64,
    limit: Option<i64>,
) -> StoreResult<Vec<(Org, Member)>> {
    conn.prepare_cached(&format!(
        "SELECT {ORG_COLUMNS}, {MEMBER_COLUMNS} FROM {MEMBER_FROM} \
         JOIN organisations o ON o.id = m.org_id WHERE m.account_id = ?1 \
         ORDER BY m.entry LIMIT COALESCE(?2, -1)"
    ))
    .and_then(|mut stmt| {
        stmt.query_map(params![account, limit], |row| {
            // The member columns follow the nine organisation columns.
            Ok((org_from_row(row)?, member_at(row, 9)?))
        })?
        .collect()
    })
    .ctx(op)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use tempfile::TempDir;

    use super::super::migrations::MIGRATIONS;
    use super::*;
    use crate::store::{ShareStore, Store};

    /// A store migrated from a database at schema `version` holding `data` (SQL).
    fn migrated_from(version: usize, data: &str) -> (TempDir, SqliteStore) {
        let dir = TempDir::new().expect("tempdir");
        let path = dir.path().join("davsuite.sqlite3");
        {
            let conn = Connection::open(&path).expect("raw open");
            for script in &MIGRATIONS[..version] {
                conn.execute_batch(script).expect("old schema");
            }
            conn.pragma_update(None, "user_version", version as i64)
                .expect("old version");
            conn.execute_batch(data).expect("old data");
        }
        let store = SqliteStore::open(&path).expect("migrate");
        (dir, store)
    }

    /// An account of a version 2 database (plan on the account, bare membership) keeps its
    /// organisation, plan and legal-owner role, with both products and every notice.
    #[test]
    fn accounts_from_version_2_keep_their_organisation() {
        let (_dir, store) = migrated_from(
            2,
            "INSERT INTO accounts (id, login, display_name, plan, password_hash, created)
                     VALUES (7, 'old', 'Old', 'my-ksuite', 'x', 1);
                 INSERT INTO organisations (id, name, plan, created) VALUES (3, 'old', 'my-ksuite', 1);
                 INSERT INTO memberships (account_id, org_id, role) VALUES (7, 3, 'legal-owner');",
        );
        let account = store.account_by_login("old").expect("lookup").expect("old");
        let (org, member) = store
            .home_membership(account.id)
            .expect("home")
            .expect("still a member");
        assert_eq!(
            (org.id, org.name.as_str(), org.plan.as_str()),
            (3, "old", "my-ksuite")
        );
        assert_eq!(org.contact, LegalContact::default());
        assert_eq!(member.role, Role::LegalOwner);
        assert_eq!(member.access, ProductAccess::ALL);
        assert_eq!(member.notices, Notices::ALL);
        let other = store
            .create_org(
                &NewOrg {
                    name: "later".into(),
                    plan: "ksuite-pro".into(),
                    contact: LegalContact::default(),
                },
                account.id,
                &NewMember {
                    role: Role::User,
                    access: ProductAccess::ALL,
                    notices: Notices::default(),
                },
            )
            .expect("join another");
        let order: Vec<i64> = store
            .orgs_of(account.id)
            .expect("orgs")
            .into_iter()
            .map(|(o, _)| o.id)
            .collect();
        assert_eq!(
            order,
            vec![3, other.id],
            "new joins come after migrated ones"
        );
    }

    /// Memberships of a version 6 database (the schema before the organisation fixes, with
    /// shares that reference memberships) get directory entries in join order (which keeps
    /// each account's governing organisation), their shares survive the renamed column, and
    /// every directory token of version 6 is refused, because the cards are renamed after
    /// their entries.
    #[test]
    fn version_6_memberships_get_entries_and_old_directory_tokens_are_refused() {
        let (_dir, store) = migrated_from(
            6,
            "INSERT INTO accounts (id, login, display_name, password_hash, created)
                     VALUES (1, 'ann', 'Ann', 'x', 1), (2, 'bob', 'Bob', 'x', 1);
                 INSERT INTO organisations (id, name, plan, created, directory_revision)
                     VALUES (5, 'ann', 'ksuite-pro', 1, 1), (6, 'acme', 'ksuite-pro', 1, 3);
                 INSERT INTO memberships (account_id, org_id, role, joined)
                     VALUES (1, 5, 'legal-owner', 1), (1, 6, 'legal-owner', 2),
                            (2, 6, 'user', 3);
                 INSERT INTO directory_changes (org_id, account_id, revision)
                     VALUES (5, 1, 1), (6, 1, 1), (6, 2, 2), (6, 9, 3);
                 INSERT INTO collections (id, owner, kind, name, created)
                     VALUES (1, 1, 'calendar', 'work', 1);
                 INSERT INTO shares (collection, org_id, account_id, access, created)
                     VALUES (1, 6, 2, 'read', 1);",
        );
        let shared = store
            .shared_with(2, crate::store::CollectionKind::Calendar)
            .expect("shared with bob");
        assert_eq!(
            shared.iter().map(|s| s.collection.id).collect::<Vec<_>>(),
            vec![1],
            "the share through acme survives"
        );
        let home = store.home_membership(1).expect("home").expect("ann's");
        assert_eq!(home.0.id, 5, "ann's first organisation still governs");
        let acme = store.members(6).expect("members");
        let entries: Vec<i64> = acme.iter().map(|m| m.entry).collect();
        assert!(entries[0] < entries[1], "join order kept: {entries:?}");
        assert!(entries.iter().all(|e| *e > home.1.entry));
        let org = store.org(6).expect("load").expect("acme");
        assert_eq!(org.directory_revision, 4);
        for old in 1..4 {
            assert!(
                matches!(
                    store.directory_changes(6, old),
                    Err(StoreError::InvalidSyncToken)
                ),
                "token at revision {old}"
            );
        }
        let all = store.directory_changes(6, 0).expect("initial sync");
        assert_eq!(all.present.len(), 2);
        assert!(all.removed.is_empty());
        assert!(
            store
                .directory_changes(6, 4)
                .expect("current")
                .present
                .is_empty()
        );
        // A new join takes an entry after every migrated one.
        let member = NewMember {
            role: Role::User,
            access: ProductAccess::ALL,
            notices: Notices::default(),
        };
        let joined = store.add_member(5, 2, &member, None).expect("join");
        assert!(joined.entry > entries[1]);
    }
}
