-- davsuite schema, version 7: fixes to the organisations of version 4 (never-reused directory
-- entries, invitations).
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 7`.
-- Nothing here rebuilds a table (with foreign keys on, dropping `accounts` would cascade).

-- Directory entries: one per membership ever held, the identity of its card in the
-- organisation directory (card name and UID). `id` is AUTOINCREMENT, so it is never reused,
-- whereas SQLite gives the next account the id of a removed account that had the highest one:
-- cards and change-log rows keyed by account id mistook a newcomer for a departed member and
-- lost the departure. A row outlives its membership as the tombstone of the departure
-- (`account_id` NULL); `revision` is the directory revision of its latest change (join, role
-- change, departure). The foreign key detaches the entries of a removed account even if a
-- write forgot to; the store records the departure itself, first.
CREATE TABLE directory_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    revision   INTEGER NOT NULL
) STRICT;
CREATE INDEX directory_entries_revision ON directory_entries(org_id, revision);
-- A membership has one live entry; this index also serves the account_id foreign key.
CREATE UNIQUE INDEX directory_entries_member ON directory_entries(account_id, org_id)
    WHERE account_id IS NOT NULL;

-- Every membership gets its entry, in join order, at the revision the directories move to.
INSERT INTO directory_entries (org_id, account_id, revision)
    SELECT m.org_id, m.account_id, o.directory_revision + 1
    FROM memberships m JOIN organisations o ON o.id = m.org_id
    ORDER BY m.joined, m.org_id, m.account_id;

-- A membership names its entry, which also orders an account's memberships (the first one
-- governs its data): `joined` was MAX + 1 and could be handed out again.
ALTER TABLE memberships RENAME COLUMN joined TO entry;
UPDATE memberships SET entry = (SELECT e.id FROM directory_entries e
                                WHERE e.org_id = memberships.org_id
                                  AND e.account_id = memberships.account_id);
DROP INDEX memberships_joined;
CREATE UNIQUE INDEX memberships_entry ON memberships(entry);

-- Cards are renamed after their entries, so every earlier directory sync token is refused
-- (DAV:valid-sync-token) and clients resync: tokens below `directory_min_revision` are invalid.
ALTER TABLE organisations ADD COLUMN directory_min_revision INTEGER NOT NULL DEFAULT 0;
UPDATE organisations SET directory_revision = directory_revision + 1,
                         directory_min_revision = directory_revision + 1;

-- Replaced by directory_entries (it was keyed by account id; nothing references it).
DROP TABLE directory_changes;

-- Invitations: an existing account joins an organisation only once it accepts (the operator
-- excepted); until then the membership it would get waits here. Accepting, declining or a
-- withdrawal deletes the row, and so does the account joining otherwise or either side going.
-- `invited_by` is the member who invited, shown to the invitee (NULL: the operator, or an
-- account removed since).
CREATE TABLE invitations (
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('legal-owner', 'admin', 'user')),
    calendar   INTEGER NOT NULL CHECK (calendar IN (0, 1)),
    contacts   INTEGER NOT NULL CHECK (contacts IN (0, 1)),
    billing    INTEGER NOT NULL CHECK (billing IN (0, 1)),
    technical  INTEGER NOT NULL CHECK (technical IN (0, 1)),
    security   INTEGER NOT NULL CHECK (security IN (0, 1)),
    invited_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created    INTEGER NOT NULL,
    PRIMARY KEY (org_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX invitations_account ON invitations(account_id);
CREATE INDEX invitations_invited_by ON invitations(invited_by);
