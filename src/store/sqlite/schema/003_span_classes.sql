-- davsuite schema, version 3: the time-range index by span length, and free-busy classes.
--
-- Applied by migrations.rs inside one transaction together with `PRAGMA user_version = 3`.
-- A time-range query asks for spans with first_start <= end AND last_end >= start. One index
-- on (first_start, last_end) can bound only first_start, so a query on 2025-03 walked every
-- object that started before April 2025. Here each span sits in a class by its length
-- (`spans.rs`: class k holds spans no longer than 4^k hours; class 10 the longer, open-ended
-- and start-less ones), so class k is scanned only over
-- first_start BETWEEN start - 4^k hours AND end: about the objects that match, whatever the
-- size of the collection. `last_end` and the flags are stored with the key (WITHOUT ROWID), so
-- ruling an object out never reads its `objects` row.

CREATE TABLE object_spans (
    collection      INTEGER NOT NULL,
    class           INTEGER NOT NULL,
    -- -9223372036854775808 when the start is unknown (class 10).
    first_start     INTEGER NOT NULL,
    object_id       INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    -- NULL: open-ended or unknown.
    last_end        INTEGER,
    -- objects.span_exact, here so the index alone decides exact spans.
    span_exact      INTEGER NOT NULL DEFAULT 0,
    -- 1 when every time-range strictly containing [first_start, last_end] matches the object
    -- (one VEVENT instance, floating or not), so such a query needs no parse.
    contained_match INTEGER NOT NULL DEFAULT 0,
    -- How every instance shows in free-busy when they all show alike: 0 free (transparent or
    -- cancelled), 1 busy, 2 tentative; NULL when it must be read from the content.
    busy            INTEGER,
    PRIMARY KEY (collection, class, first_start, object_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX object_spans_object ON object_spans(object_id);

-- Existing objects: their class from the span already stored; contained_match and busy are
-- unknown until they are written again, which only costs a parse, never a wrong answer.
INSERT INTO object_spans (collection, class, first_start, object_id, last_end, span_exact)
    SELECT collection,
           CASE WHEN first_start IS NULL OR last_end IS NULL THEN 10
                WHEN last_end - first_start <= 3600 THEN 0
                WHEN last_end - first_start <= 14400 THEN 1
                WHEN last_end - first_start <= 57600 THEN 2
                WHEN last_end - first_start <= 230400 THEN 3
                WHEN last_end - first_start <= 921600 THEN 4
                WHEN last_end - first_start <= 3686400 THEN 5
                WHEN last_end - first_start <= 14745600 THEN 6
                WHEN last_end - first_start <= 58982400 THEN 7
                WHEN last_end - first_start <= 235929600 THEN 8
                WHEN last_end - first_start <= 943718400 THEN 9
                ELSE 10 END,
           COALESCE(first_start, -9223372036854775808), id, last_end, span_exact
    FROM objects;

-- Superseded by object_spans; dropping it saves its upkeep on every write.
DROP INDEX objects_time_range;
