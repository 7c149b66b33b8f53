"""The DBA's view of the schema: catalog snapshot, drift check, schema docs, migration and catalog rules.

Everything here reads ``pg_catalog`` (through ``sql/platform/catalog_*.sql``
and ``rule_*.sql``) or the migration files' text, so it covers every table
a migration adds without being told about it.
"""
