-- davsuite schema, version 1.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 1`.
-- Tables are STRICT so a wrong type is an error instead of a silent conversion. Every foreign key
-- column is the leading column of some index, so ON DELETE CASCADE never scans a whole table.

-- Who can log in. `kind` is the PrincipalKind in text form.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    login         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    email         TEXT,
    plan          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    kind          TEXT    NOT NULL DEFAULT 'individual' CHECK (kind IN ('individual')),
    created       INTEGER NOT NULL
) STRICT;

-- Organisations: the legal entity an account belongs to (billing, administration).
CREATE TABLE organisations (
    id      INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL,
    plan    TEXT    NOT NULL,
    created INTEGER NOT NULL
) STRICT;

-- Which account has which role in which organisation.
CREATE TABLE memberships (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('legal-owner', 'admin', 'user')),
    PRIMARY KEY (account_id, org_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_org ON memberships(org_id);

-- Calendars and address books. `components` is a comma-separated list (VEVENT,VTODO);
-- `revision` is bumped by every member change, `min_revision` is the oldest answerable sync token.
CREATE TABLE collections (
    id           INTEGER PRIMARY KEY,
    owner        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('calendar', 'addressbook')),
    name         TEXT    NOT NULL,
    components   TEXT    NOT NULL DEFAULT '',
    display_name TEXT,
    description  TEXT,
    color        TEXT,
    ord          TEXT,
    timezone     TEXT,
    revision     INTEGER NOT NULL DEFAULT 0,
    min_revision INTEGER NOT NULL DEFAULT 0,
    position     INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL,
    -- Sum of the member sizes, kept by every put and delete so no request has to add them up.
    used_bytes   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (owner, kind, name)
) STRICT;

-- Dead (uninterpreted) properties of collections, kept as the client sent them.
CREATE TABLE collection_dead_props (
    collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    namespace  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (collection, namespace, name)
) STRICT, WITHOUT ROWID;

-- Members of collections. `body` is deliberately the LAST column: SQLite decodes a row only up
-- to the last column a query needs, so listings that skip `body` never touch its overflow pages.
CREATE TABLE objects (
    id          INTEGER PRIMARY KEY,
    collection  INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    uid         TEXT    NOT NULL,
    etag        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    component   TEXT    NOT NULL,
    first_start INTEGER,
    last_end    INTEGER,
    -- 1 when first_start..last_end answers every time-range query exactly (no recurrence,
    -- no floating time), so queries parse only the other candidates.
    span_exact  INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    body        BLOB    NOT NULL,
    UNIQUE (collection, name),
    UNIQUE (collection, uid)
) STRICT;
CREATE INDEX objects_component ON objects(collection, component);
CREATE INDEX objects_time_range ON objects(collection, first_start, last_end);

-- Change log for WebDAV sync: ONE row per member name holding the revision of its latest change.
-- A row whose object no longer exists is a tombstone.
CREATE TABLE changes (
    collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    PRIMARY KEY (collection, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX changes_revision ON changes(collection, revision);
