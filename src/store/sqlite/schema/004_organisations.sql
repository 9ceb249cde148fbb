-- davsuite schema, version 4: organisations, roles, teams and plans.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 4`.
-- Plans belong to organisations now: an account's calendars and address books follow the plan
-- (and the product access) of the first organisation it joined and still belongs to.

ALTER TABLE accounts DROP COLUMN plan;

-- Legal contact details; `country` is an ISO 3166-1 alpha-2 code.
ALTER TABLE organisations ADD COLUMN address TEXT;
ALTER TABLE organisations ADD COLUMN phone TEXT;
ALTER TABLE organisations ADD COLUMN email TEXT;
ALTER TABLE organisations ADD COLUMN country TEXT;
-- Revision of the organisation directory (the read-only address book of its members).
ALTER TABLE organisations ADD COLUMN directory_revision INTEGER NOT NULL DEFAULT 0;
-- The command line names organisations; until now each was named after its one account's
-- login, so existing names are already unique.
CREATE UNIQUE INDEX organisations_name ON organisations(name);

-- Product access and administrative notices per membership. `joined` orders an account's
-- memberships (a sequence, not a time: two joins in one second stay ordered); the first one
-- governs the account's own data.
ALTER TABLE memberships ADD COLUMN calendar  INTEGER NOT NULL DEFAULT 1 CHECK (calendar IN (0, 1));
ALTER TABLE memberships ADD COLUMN contacts  INTEGER NOT NULL DEFAULT 1 CHECK (contacts IN (0, 1));
ALTER TABLE memberships ADD COLUMN billing   INTEGER NOT NULL DEFAULT 0 CHECK (billing IN (0, 1));
ALTER TABLE memberships ADD COLUMN technical INTEGER NOT NULL DEFAULT 0 CHECK (technical IN (0, 1));
ALTER TABLE memberships ADD COLUMN security  INTEGER NOT NULL DEFAULT 0 CHECK (security IN (0, 1));
ALTER TABLE memberships ADD COLUMN joined    INTEGER NOT NULL DEFAULT 0;
UPDATE memberships SET billing = 1, technical = 1, security = 1 WHERE role = 'legal-owner';
UPDATE memberships SET joined = org_id;
CREATE INDEX memberships_joined ON memberships(joined);

-- Teams: named groups of members inside one organisation. UNIQUE (id, org_id) is the parent key
-- that lets team_members check that a team and a member belong to the same organisation.
CREATE TABLE teams (
    id      INTEGER PRIMARY KEY,
    org_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    created INTEGER NOT NULL,
    UNIQUE (org_id, name),
    UNIQUE (id, org_id)
) STRICT;

-- A team member must be a member of the team's organisation: both foreign keys share org_id,
-- and leaving the organisation (or deleting the team) cascades here. Each key is the leading
-- part of an index: (team_id, org_id) of the primary key, (account_id, org_id) of the index.
CREATE TABLE team_members (
    team_id    INTEGER NOT NULL,
    org_id     INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (team_id, org_id, account_id),
    FOREIGN KEY (team_id, org_id) REFERENCES teams(id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, org_id) REFERENCES memberships(account_id, org_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX team_members_membership ON team_members(account_id, org_id);

-- Change log of the organisation directory: ONE row per (organisation, account) holding the
-- directory revision of its latest join, role change or departure. A row whose membership no
-- longer exists is a tombstone, so `account_id` is deliberately not a foreign key.
CREATE TABLE directory_changes (
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL,
    revision   INTEGER NOT NULL,
    PRIMARY KEY (org_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX directory_changes_revision ON directory_changes(org_id, revision);
