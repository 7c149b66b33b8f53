-- platform/rule_fk_index.sql
-- Catalog rule: every foreign key has a valid index whose leading key
-- columns are exactly the FK's own columns (in any order), so that deleting
-- or updating a referenced row finds the referencing rows through an index
-- instead of scanning the table.  An index led by only some of a composite
-- FK's columns does not count (it may pick out a whole user's rows), nor an
-- index left invalid by a failed CREATE INDEX CONCURRENTLY, nor INCLUDE
-- columns.  Three cases count although they are not led by all the columns:
-- a UNIQUE index whose key columns are all FK columns (the referential
-- check's equality finds at most one row); an index led by an FK column
-- whose referenced column is alone unique in the parent, such as chat_id of
-- (chat_id, chat_kind) -> chats (id, kind) (that column determines the rest
-- of the key, so it picks out exactly the referencing rows); and a partial
-- index whose only predicate is "<column> IS NOT NULL" (implied by that
-- equality).  Any other partial index does not count.  One problem line per FK.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT
    cl.relname || ': foreign key ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
    || ' has no valid, non-partial index led by its columns' AS problem
FROM pg_constraint AS con
INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE
    n.nspname = 'public'
    AND con.contype = 'f'
    AND NOT EXISTS (
        SELECT
        FROM pg_index AS i
        WHERE
            i.indrelid = con.conrelid
            AND i.indisvalid
            AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\(\w+ IS NOT NULL\)$')
            AND (
                (
                    i.indnkeyatts >= cardinality(con.conkey)
                    AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] <@ con.conkey
                    AND con.conkey <@ (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)]
                )
                OR (
                    i.indisunique
                    AND (string_to_array(i.indkey::text, ' ')::int2[])[1:i.indnkeyatts] <@ con.conkey
                )
                OR EXISTS (
                    SELECT
                    FROM generate_subscripts(con.conkey, 1) AS k (pos)
                    INNER JOIN pg_index AS parent_key
                        ON
                            con.confrelid = parent_key.indrelid
                            AND parent_key.indisunique
                            AND parent_key.indisvalid
                            AND parent_key.indpred IS NULL
                            AND parent_key.indnkeyatts = 1
                            AND parent_key.indkey[0] = con.confkey[k.pos]
                    WHERE i.indkey[0] = con.conkey[k.pos]
                )
            )
    );
