-- platform/rule_fk_on_delete.sql
-- Catalog rule: every foreign key spells out its delete action (CASCADE,
-- SET NULL, SET DEFAULT or RESTRICT). confdeltype 'a' is NO ACTION, the
-- implicit default, which cannot be told apart from a forgotten ON DELETE.
-- One problem line per FK. Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan.
SELECT
    cl.relname || ': foreign key ' || con.conname
    || ' has no ON DELETE action (NO ACTION); choose CASCADE, SET NULL or RESTRICT' AS problem
FROM pg_constraint AS con
INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND con.contype = 'f'
    AND con.confdeltype = 'a';
