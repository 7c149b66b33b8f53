-- Rollback of 0031_create_expense_tags_valid.
SET lock_timeout = '5s';

DROP FUNCTION expense_tags_valid(text[]);
