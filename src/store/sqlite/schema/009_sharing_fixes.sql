-- davsuite schema, version 9: fixes to sharing (version 5).
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 9`.
-- Nothing here rebuilds a table: with foreign keys on (always), dropping `collections` would
-- cascade to everything stored in it.

-- Collection ids are never handed out twice. `collections.id` is a plain INTEGER PRIMARY KEY,
-- so SQLite gives a new collection the id of the deleted one that had the highest; but sync
-- tokens (`urn:davsuite:sync:ID:REV`) and the names of shared collections in sharees' homes
-- (`.shared-ID`) name collections by id, so a sharee's token of a deleted calendar was taken
-- for a token of the next calendar created. Every new collection takes its id from this
-- AUTOINCREMENT counter instead (the store inserts a row, reads its id and deletes the row
-- again: `sqlite_sequence` keeps the highest id ever given). Seeded with the highest id in
-- use; ids freed before this migration are not known any more.
CREATE TABLE collection_serials (
    id INTEGER PRIMARY KEY AUTOINCREMENT
) STRICT;
INSERT INTO collection_serials (id) SELECT MAX(id) FROM collections HAVING MAX(id) IS NOT NULL;
DELETE FROM collection_serials;
