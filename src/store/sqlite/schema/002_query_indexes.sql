-- davsuite schema, version 2: query indexes.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 2`.
-- The new per-object values live in their own tables rather than in new `objects` columns:
-- ALTER TABLE ADD COLUMN would put them after `body`, and reading them would then walk the
-- body's overflow pages.

-- Recurring objects whose instances are listed in object_instances. One row per such object.
-- `until`: every instance starting before it is listed (9223372036854775807: the whole series).
-- `max_len`: the longest instance, so an overlap test can bound `start` from below and scan
-- only the instances near the queried window. `floating`: the instances depend on the viewer's
-- time zone (read as UTC here), so they never decide a query on their own.
CREATE TABLE object_series (
    object_id INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
    until     INTEGER NOT NULL,
    max_len   INTEGER NOT NULL,
    floating  INTEGER NOT NULL
) STRICT;

-- UTC [start, ends) of each listed instance. The primary key (object_id, start, ends) makes
-- "does this object have an instance in [s, e)" a two-sided range scan:
-- object_id = ? AND start >= s - max_len AND start < e.
CREATE TABLE object_instances (
    object_id  INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    collection INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    ends       INTEGER NOT NULL,
    PRIMARY KEY (object_id, start, ends)
) STRICT, WITHOUT ROWID;

-- Folded vCard text values (i;unicode-casemap key) of the properties a contacts search uses.
-- The (collection, prop, folded) index answers equals / starts-with as a range scan and
-- contains / ends-with by scanning the index alone (no table rows, no bodies).
CREATE TABLE object_text (
    object_id  INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    collection INTEGER NOT NULL,
    prop       TEXT    NOT NULL,
    folded     TEXT    NOT NULL,
    PRIMARY KEY (object_id, prop, folded)
) STRICT, WITHOUT ROWID;
CREATE INDEX object_text_search ON object_text(collection, prop, folded);

-- Cards stored before this version have no text rows yet; until they are written again they
-- are returned by every text search (never silently left out).
CREATE TABLE object_text_pending (
    object_id  INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
    collection INTEGER NOT NULL
) STRICT;
CREATE INDEX object_text_pending_collection ON object_text_pending(collection);
INSERT INTO object_text_pending (object_id, collection)
    SELECT o.id, o.collection FROM objects o JOIN collections c ON c.id = o.collection
    WHERE c.kind = 'addressbook';
