-- platform/pin_search_path.sql
-- Sets search_path to 'public' for the rest of the current transaction, so
-- pg_get_*def() and format_type() name objects the same way on every server
-- and for every role (the schema snapshot must be byte-stable). Returns the
-- new setting. Serves db snapshot / verify / docs and GET /ready. No table.
SELECT set_config('search_path', 'public', TRUE) AS search_path;
