-- 0100_add_resource_versions
-- Optimistic concurrency (If-Match by compare-and-set): every editable
-- resource gets a version, bumped by a BEFORE UPDATE trigger, from which its
-- ETag is derived; a conditional UPDATE/DELETE carries
-- "AND $n::bigint[] @> ARRAY[version]" in its own WHERE clause.
--
-- A trigger rather than "version = version + 1" in each statement: every
-- statement that changes the row bumps it, including ones written later
-- (ownership hand-over, spend on a group context, a pet's state), so no
-- writer can forget and let a stale tag pass silently.
--
-- ADD COLUMN ... NOT NULL DEFAULT 0 is metadata-only since PostgreSQL 11 (no
-- rewrite); each still takes a short ACCESS EXCLUSIVE lock, hence lock_timeout.
-- depends: 0082_grant_service_app_role
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE FUNCTION bump_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION bump_version() IS
    'BEFORE UPDATE trigger: version = previous version + 1 (ETag / If-Match source).';

ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE chat_members ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE group_contexts ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE linked_accounts ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE expenses ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE budgets ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE integrations ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE pets ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE goals ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE TRIGGER users_bump_version_trg BEFORE UPDATE ON users
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER chats_bump_version_trg BEFORE UPDATE ON chats
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER chat_members_bump_version_trg BEFORE UPDATE ON chat_members
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER group_contexts_bump_version_trg BEFORE UPDATE ON group_contexts
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER tasks_bump_version_trg BEFORE UPDATE ON tasks
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER linked_accounts_bump_version_trg BEFORE UPDATE ON linked_accounts
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER categories_bump_version_trg BEFORE UPDATE ON categories
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER expenses_bump_version_trg BEFORE UPDATE ON expenses
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER budgets_bump_version_trg BEFORE UPDATE ON budgets
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER integrations_bump_version_trg BEFORE UPDATE ON integrations
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER pets_bump_version_trg BEFORE UPDATE ON pets
FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER goals_bump_version_trg BEFORE UPDATE ON goals
FOR EACH ROW EXECUTE FUNCTION bump_version();

COMMENT ON COLUMN users.version IS 'Bumped by every UPDATE (bump_version); the ETag of /me.';
COMMENT ON COLUMN chats.version IS 'Bumped by every UPDATE (bump_version); the ETag of /chats/{id}.';
COMMENT ON COLUMN chat_members.version IS 'Bumped by every UPDATE; If-Match of /chats/{id}/members/{uid}.';
COMMENT ON COLUMN group_contexts.version IS 'Bumped by every UPDATE; the ETag of /chats/{id}/context.';
COMMENT ON COLUMN tasks.version IS 'Bumped by every UPDATE (bump_version); the ETag of /tasks/{id}.';
COMMENT ON COLUMN linked_accounts.version IS 'Bumped by every UPDATE; the ETag of /linked-accounts/{id}.';
COMMENT ON COLUMN categories.version IS 'Bumped by every UPDATE (bump_version); the ETag of /categories/{id}.';
COMMENT ON COLUMN expenses.version IS 'Bumped by every UPDATE (bump_version); the ETag of /expenses/{id}.';
COMMENT ON COLUMN budgets.version IS 'Bumped by every UPDATE (bump_version); the ETag of /budgets/{id}.';
COMMENT ON COLUMN integrations.version IS 'Bumped by every UPDATE; the ETag of /integrations/{id}.';
COMMENT ON COLUMN pets.version IS 'Bumped by every UPDATE (bump_version); with the state, the ETag of /pets/{id}.';
COMMENT ON COLUMN goals.version IS 'Bumped by every UPDATE; with the progress, the ETag of /goals/{id}.';
