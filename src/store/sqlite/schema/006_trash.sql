-- davsuite schema, version 6: the trash and the version history.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 6`.
-- Every write that replaces or deletes an object first copies the object's row here, so
-- nothing is lost before the owner's restore window (its plan's `trash_days`) has passed:
-- - a replaced version ends with `ended = 'replaced'` (the version history);
-- - a deleted object ends with `ended = 'deleted'` and is a trash entry until it is restored
--   (`restored = 1`) or purged;
-- - the objects of a deleted collection end with `ended = 'collection-deleted'` and come back
--   with it.
-- A new object writes nothing here, so creating objects costs what it did.
-- [valid_from, valid_to) is when the version was the object's content: the state of a
-- collection at time t is its live objects with `modified <= t` plus the versions with
-- valid_from <= t < valid_to. The purge deletes rows with valid_to <= now - window.

-- Deleted calendars and address books: the collection row as it was, until it is restored
-- or purged. `revision` is the revision it had, so a restored collection starts above it and
-- every sync token issued before the deletion stays invalid. AUTOINCREMENT: an id (`cN` in the
-- trash listing) names one deletion forever, never a later one after a restore or a purge.
CREATE TABLE trashed_collections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    owner        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('calendar', 'addressbook')),
    name         TEXT    NOT NULL,
    components   TEXT    NOT NULL,
    display_name TEXT,
    description  TEXT,
    color        TEXT,
    ord          TEXT,
    timezone     TEXT,
    position     INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    revision     INTEGER NOT NULL,
    deleted_at   INTEGER NOT NULL,
    -- Login of the account that deleted it: text, so the record outlives that account and never
    -- names another one that reuses its id.
    deleted_by   TEXT
) STRICT;
CREATE INDEX trashed_collections_owner ON trashed_collections(owner, deleted_at);

-- Dead properties of trashed collections, as they were.
CREATE TABLE trashed_collection_dead_props (
    trashed_collection INTEGER NOT NULL REFERENCES trashed_collections(id) ON DELETE CASCADE,
    namespace          TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    value              TEXT    NOT NULL,
    PRIMARY KEY (trashed_collection, namespace, name)
) STRICT, WITHOUT ROWID;

-- Earlier versions and deleted objects. Each row belongs to a live collection (`collection`)
-- or to a trashed one (`trashed_collection`), never both: deleting a collection moves its rows
-- to the trashed collection, restoring it moves them to the new collection, so a row never
-- names a collection id that was reused. `body` is the last column, as in `objects`.
-- AUTOINCREMENT: a trash entry's id (`oN`) is never given to a later row once purged.
CREATE TABLE object_versions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    owner              INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    collection         INTEGER REFERENCES collections(id) ON DELETE CASCADE,
    trashed_collection INTEGER REFERENCES trashed_collections(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    uid                TEXT    NOT NULL,
    etag               TEXT    NOT NULL,
    size               INTEGER NOT NULL,
    component          TEXT    NOT NULL,
    created            INTEGER NOT NULL,
    valid_from         INTEGER NOT NULL,
    valid_to           INTEGER NOT NULL,
    ended              TEXT    NOT NULL
        CHECK (ended IN ('replaced', 'deleted', 'collection-deleted')),
    -- Login of the account that deleted it (deletions only), as above.
    deleted_by         TEXT,
    restored           INTEGER NOT NULL DEFAULT 0 CHECK (restored IN (0, 1)),
    body               BLOB    NOT NULL,
    CHECK ((collection IS NULL) <> (trashed_collection IS NULL))
) STRICT;
-- Point-in-time restores and an object's history; also the index of the `collection` key.
CREATE INDEX object_versions_collection ON object_versions(collection, name, valid_to);
CREATE INDEX object_versions_trashed ON object_versions(trashed_collection);
-- The purge (owner, valid_to <= cutoff) and the index of the `owner` key.
CREATE INDEX object_versions_owner ON object_versions(owner, valid_to);
-- The trash listing reads only trash entries, however long the history is.
CREATE INDEX object_versions_trash ON object_versions(owner, valid_to)
    WHERE ended = 'deleted' AND restored = 0;

-- What each account's trash and history take in bytes (the sum of its `object_versions` sizes),
-- kept by the triggers below so that every path adding or removing rows counts (writes,
-- deletions, restores, the purge, an account's removal) and the cap on them (README "Trash and
-- restore": at most the plan's storage quota) is checked on each write without summing rows.
CREATE TABLE kept_bytes (
    owner INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    bytes INTEGER NOT NULL
) STRICT;
CREATE TRIGGER object_versions_kept_insert AFTER INSERT ON object_versions BEGIN
    INSERT INTO kept_bytes (owner, bytes) VALUES (NEW.owner, NEW.size)
        ON CONFLICT (owner) DO UPDATE SET bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER object_versions_kept_delete AFTER DELETE ON object_versions BEGIN
    UPDATE kept_bytes SET bytes = bytes - OLD.size WHERE owner = OLD.owner;
END;

-- Since when the history is complete: 0 for a database that had no objects yet, else the time
-- of this migration (what was replaced before it was not kept, so a point-in-time restore to an
-- earlier time could not be exact and is refused).
CREATE TABLE history_start (
    since INTEGER NOT NULL
) STRICT;
INSERT INTO history_start (since)
    SELECT CASE WHEN EXISTS (SELECT 1 FROM objects) THEN unixepoch() ELSE 0 END;
