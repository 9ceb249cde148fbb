-- davsuite schema, version 5: shares of calendars and address books, sharees' own views of
-- them, and public calendar links.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 5`.

-- A share grants one collection to ONE account or ONE team, inside one organisation. The
-- composite foreign keys tie the grantee to that organisation: a direct share goes when its
-- sharee leaves the organisation (its membership row cascades), a team share when the team is
-- deleted. Exactly one of account_id and team_id is set.
CREATE TABLE shares (
    id         INTEGER PRIMARY KEY,
    collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    account_id INTEGER,
    team_id    INTEGER,
    access     TEXT    NOT NULL CHECK (access IN ('read', 'read-write')),
    created    INTEGER NOT NULL,
    CHECK ((account_id IS NULL) <> (team_id IS NULL)),
    UNIQUE (collection, account_id),
    UNIQUE (collection, team_id),
    FOREIGN KEY (account_id, org_id) REFERENCES memberships(account_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (team_id, org_id) REFERENCES teams(id, org_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX shares_org ON shares(org_id);
CREATE INDEX shares_membership ON shares(account_id, org_id);
CREATE INDEX shares_team ON shares(team_id, org_id);

-- Every way an account has a collection now: its direct shares and the shares with teams it
-- is in, each only while the collection's owner still belongs to the share's organisation
-- (the sharee's membership is guaranteed by the foreign keys above). `rank` orders the access:
-- 2 read-write, 1 read. An owner never reaches its own collection through a team.
CREATE VIEW share_routes AS
    SELECT s.id AS share_id, s.collection, s.account_id AS account,
           CASE s.access WHEN 'read-write' THEN 2 ELSE 1 END AS rank
    FROM shares s
    JOIN collections c ON c.id = s.collection
    JOIN memberships mo ON mo.org_id = s.org_id AND mo.account_id = c.owner
    WHERE s.account_id IS NOT NULL AND s.account_id <> c.owner
    UNION ALL
    SELECT s.id, s.collection, tm.account_id,
           CASE s.access WHEN 'read-write' THEN 2 ELSE 1 END
    FROM shares s
    JOIN collections c ON c.id = s.collection
    JOIN memberships mo ON mo.org_id = s.org_id AND mo.account_id = c.owner
    JOIN team_members tm ON tm.team_id = s.team_id AND tm.org_id = s.org_id
    WHERE s.team_id IS NOT NULL AND tm.account_id <> c.owner;

-- A sharee's own view of a collection shared with it: its name, colour and order for it, and
-- whether it removed the collection from its home (DELETE, or a declined invitation). A row
-- exists only once the sharee changed something; the share itself is not touched. Unsharing
-- deletes the views it was the last way to; a view outlives a team membership, so a member
-- who comes back to the team finds the collection as it left it.
CREATE TABLE share_views (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    collection   INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    display_name TEXT,
    color        TEXT,
    ord          TEXT,
    PRIMARY KEY (account_id, collection)
) STRICT, WITHOUT ROWID;
CREATE INDEX share_views_collection ON share_views(collection);

-- Dead properties a sharee set on its view, kept as the client sent them.
CREATE TABLE share_view_dead_props (
    account_id INTEGER NOT NULL,
    collection INTEGER NOT NULL,
    namespace  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (account_id, collection, namespace, name),
    FOREIGN KEY (account_id, collection) REFERENCES share_views(account_id, collection)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Public links: a calendar published read-only under a random token. Lookups go by the
-- SHA-256 of the token, so comparing a guessed token never depends on how much of it is
-- right; the token itself is kept so its owner can list the link's URL again. `org_id` is the
-- organisation whose monthly allowance the link counted against.
CREATE TABLE public_links (
    id         INTEGER PRIMARY KEY,
    collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    token      TEXT    NOT NULL,
    token_hash BLOB    NOT NULL UNIQUE,
    created    INTEGER NOT NULL,
    expires    INTEGER,
    revoked    INTEGER
) STRICT;
CREATE INDEX public_links_collection ON public_links(collection);
CREATE INDEX public_links_org_created ON public_links(org_id, created);
