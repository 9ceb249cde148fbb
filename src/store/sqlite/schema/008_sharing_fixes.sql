-- davsuite schema, version 8: fixes to sharing (version 5).
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 8`.
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

-- A share lasts while both its owner and its sharee stay in the organisation it was made in.
-- The sharee leaving deletes its shares through the foreign keys of `shares` (and its team
-- memberships through those of `team_members`); the owner leaving deletes here every share of
-- its collections made in that organisation, in the same transaction, whoever removes the
-- membership (a departure, a removal, the account's deletion). Before, such shares were only
-- suspended (`share_routes` skipped them) and came back when the owner rejoined. The views
-- nobody reaches any more go with them (as when a share is removed), and so do the leaver's.
CREATE TRIGGER memberships_end_shares AFTER DELETE ON memberships
BEGIN
    DELETE FROM shares WHERE org_id = OLD.org_id
        AND collection IN (SELECT id FROM collections WHERE owner = OLD.account_id);
    DELETE FROM share_views
        WHERE (account_id = OLD.account_id
               OR collection IN (SELECT id FROM collections WHERE owner = OLD.account_id))
          AND NOT EXISTS (SELECT 1 FROM share_routes r
                          WHERE r.account = share_views.account_id
                            AND r.collection = share_views.collection);
END;

-- The shares suspended so far end now.
DELETE FROM shares WHERE NOT EXISTS (
    SELECT 1 FROM collections c
    JOIN memberships m ON m.account_id = c.owner AND m.org_id = shares.org_id
    WHERE c.id = shares.collection);
DELETE FROM share_views WHERE NOT EXISTS (
    SELECT 1 FROM shares s WHERE s.collection = share_views.collection);
