-- platform/rule_names.sql
-- Catalog rule: names follow the convention. Constraints: <table>_pkey,
-- <table>_<cols>_key (unique), <table>_<cols>_fkey, <table>_<rule>_chk,
-- <table>_<rule>_excl; indexes that back no constraint: <table>_<cols>_key
-- when unique, else <table>_<cols>_idx; triggers: <table>_<what>_trg.
-- One problem line per badly named object.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
WITH named AS (
    SELECT
        cl.relname AS table_name,
        'constraint' AS what,
        con.conname AS name,
        CASE con.contype
            WHEN 'p' THEN '_pkey' WHEN 'u' THEN '_key' WHEN 'f' THEN '_fkey'
            WHEN 'c' THEN '_chk' ELSE '_excl'
        END AS suffix
    FROM pg_constraint AS con
    INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
    INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
    WHERE n.nspname = 'public'
        AND con.contype IN ('p', 'u', 'f', 'c', 'x')
        AND cl.relname NOT LIKE '\_yoyo\_%'
        AND cl.relname <> 'yoyo_lock'
    UNION ALL
    SELECT
        cl.relname AS table_name,
        'index' AS what,
        ic.relname AS name,
        CASE WHEN i.indisunique THEN '_key' ELSE '_idx' END AS suffix
    FROM pg_index AS i
    INNER JOIN pg_class AS ic ON i.indexrelid = ic.oid
    INNER JOIN pg_class AS cl ON i.indrelid = cl.oid
    INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
    WHERE n.nspname = 'public'
        AND cl.relname NOT LIKE '\_yoyo\_%'
        AND cl.relname <> 'yoyo_lock'
        AND NOT EXISTS (
            SELECT
            FROM pg_constraint AS con
            WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        )
    UNION ALL
    SELECT
        cl.relname AS table_name,
        'trigger' AS what,
        t.tgname AS name,
        '_trg' AS suffix
    FROM pg_trigger AS t
    INNER JOIN pg_class AS cl ON t.tgrelid = cl.oid
    INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
    WHERE n.nspname = 'public'
        AND NOT t.tgisinternal
)

SELECT
    named.table_name || ': ' || named.what || ' ' || named.name || ' breaks the naming convention '
    || CASE
        WHEN named.suffix = '_pkey' THEN named.table_name || '_pkey'
        ELSE named.table_name || '_<columns or rule>' || named.suffix
    END AS problem
FROM named
WHERE CASE
        WHEN named.suffix = '_pkey' THEN named.name <> named.table_name || '_pkey'
        ELSE
            left(named.name, length(named.table_name) + 1) <> named.table_name || '_'
            OR right(named.name, length(named.suffix)) <> named.suffix
            OR length(named.name) <= length(named.table_name) + 1 + length(named.suffix)
    END;
