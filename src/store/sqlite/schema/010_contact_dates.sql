-- davsuite schema, version 10: the yearly dates of contacts.
--
-- Applied by migrations.rs inside one transaction together with the `PRAGMA user_version`
-- bump. The birthday calendar of the web view reads every date of the address books a person
-- can read; these rows let it do so with one index scan per address book instead of parsing
-- every card.

-- One row per distinct date of a card. `year` is NULL when the card gives none (`--MMDD`, or
-- Apple's placeholder year). `label` is the card's name (FN, else N), repeated per date so a
-- read needs no other table than `objects` (for the member name). Rows go with the object
-- (ON DELETE CASCADE) and are rewritten with it on every write.
CREATE TABLE object_dates (
    object_id  INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    collection INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('birthday', 'anniversary')),
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    year       INTEGER,
    label      TEXT    NOT NULL
) STRICT;
CREATE INDEX object_dates_object ON object_dates(object_id);
CREATE INDEX object_dates_collection ON object_dates(collection, month, day);

-- Cards stored before this version have no date rows yet; until they are written again the
-- birthday calendar reads their bodies (never silently left out).
CREATE TABLE object_dates_pending (
    object_id  INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
    collection INTEGER NOT NULL
) STRICT;
CREATE INDEX object_dates_pending_collection ON object_dates_pending(collection);
INSERT INTO object_dates_pending (object_id, collection)
    SELECT o.id, o.collection FROM objects o JOIN collections c ON c.id = o.collection
    WHERE c.kind = 'addressbook';
