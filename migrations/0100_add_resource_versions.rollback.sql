-- 0100_add_resource_versions (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';

DROP TRIGGER goals_bump_version_trg ON goals;
DROP TRIGGER pets_bump_version_trg ON pets;
DROP TRIGGER integrations_bump_version_trg ON integrations;
DROP TRIGGER budgets_bump_version_trg ON budgets;
DROP TRIGGER expenses_bump_version_trg ON expenses;
DROP TRIGGER categories_bump_version_trg ON categories;
DROP TRIGGER linked_accounts_bump_version_trg ON linked_accounts;
DROP TRIGGER tasks_bump_version_trg ON tasks;
DROP TRIGGER group_contexts_bump_version_trg ON group_contexts;
DROP TRIGGER chat_members_bump_version_trg ON chat_members;
DROP TRIGGER chats_bump_version_trg ON chats;
DROP TRIGGER users_bump_version_trg ON users;

ALTER TABLE goals DROP COLUMN version;
ALTER TABLE pets DROP COLUMN version;
ALTER TABLE integrations DROP COLUMN version;
ALTER TABLE budgets DROP COLUMN version;
ALTER TABLE expenses DROP COLUMN version;
ALTER TABLE categories DROP COLUMN version;
ALTER TABLE linked_accounts DROP COLUMN version;
ALTER TABLE tasks DROP COLUMN version;
ALTER TABLE group_contexts DROP COLUMN version;
ALTER TABLE chat_members DROP COLUMN version;
ALTER TABLE chats DROP COLUMN version;
ALTER TABLE users DROP COLUMN version;

DROP FUNCTION bump_version();
