-- docs/citus/distribute.sql: the Citus layout of docs/scale-out.md, as DDL.
--
-- NOT APPLIED HERE: this is not a migration (it lives outside migrations/ and yoyo never
-- reads it), and Citus is not installed on this machine.  It is what a Citus coordinator
-- would run once, after the exception list's key changes (docs/scale-out.md) have been
-- made by ordinary migrations; tests/scaleout/test_citus_doc.py checks that it names every
-- table docs/scale-out.md classifies as reference or distributed, with the same column.
--
-- Order matters: reference tables first (distributed tables point foreign keys at them),
-- then each co-location group's anchor table, then its members `colocate_with` the anchor.

-- Reference tables: one full copy on every node; writes are two-phase commits to all nodes.
SELECT create_reference_table('users');
SELECT create_reference_table('app_clients');

-- Co-location group 1, tenant = user: the anchor's shard for user U holds all of U's rows.
SELECT create_distributed_table('tasks', 'user_id', shard_count => 64);
SELECT create_distributed_table('auth_sessions', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('idempotency_keys', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('audit_log', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('categories', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('budgets', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('expenses', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('linked_accounts', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('integrations', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('events_raw', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('events', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('metrics_cache', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('goals', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('pets', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('quest_daily_xp', 'user_id', colocate_with => 'tasks');
SELECT create_distributed_table('known_sign_in_addresses', 'user_id', colocate_with => 'tasks');

-- Co-location group 2, tenant = chat: a chat, its members, its context and its messages on one node.
SELECT create_distributed_table('chats', 'id', shard_count => 64);
SELECT create_distributed_table('chat_members', 'chat_id', colocate_with => 'chats');
SELECT create_distributed_table('group_contexts', 'chat_id', colocate_with => 'chats');
SELECT create_distributed_table('messages', 'chat_id', colocate_with => 'chats');
SELECT create_distributed_table('ledger_entries', 'chat_id', colocate_with => 'chats');
SELECT create_distributed_table('ledger_shares', 'chat_id', colocate_with => 'chats');
SELECT create_distributed_table('chat_invitations', 'chat_id', colocate_with => 'chats');

-- Local tables (rate_limits, yoyo's bookkeeping) stay on the coordinator: nothing to run.
