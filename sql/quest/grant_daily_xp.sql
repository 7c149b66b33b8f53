-- quest/grant_daily_xp.sql
-- Grants a delivery's xp against the account's daily cap: returns the xp granted
-- (0..$2); the rest, and $3 withheld by the per-delivery cap, is recorded as withheld.
-- The row lock of the upsert serialises two deliveries of one account: the cap holds.
-- Serves event processing (webhooks, `events process`). Index: quest_daily_xp_pkey.
-- $1 user_id uuid, $2 xp_requested bigint, $3 xp_withheld bigint, $4 daily_cap bigint
INSERT INTO quest_daily_xp AS d (user_id, day, xp_applied, xp_withheld, last_granted)
VALUES (
    $1,
    (now() AT TIME ZONE 'UTC')::date,
    least($2::bigint, $4::bigint),
    $3::bigint + $2::bigint - least($2::bigint, $4::bigint),
    least($2::bigint, $4::bigint)
)
ON CONFLICT (user_id, day) DO UPDATE
    SET
        xp_applied = d.xp_applied + greatest(0, least($2::bigint, $4::bigint - d.xp_applied)),
        xp_withheld = d.xp_withheld + $3::bigint + $2::bigint - greatest(0, least($2::bigint, $4::bigint - d.xp_applied)),
        last_granted = greatest(0, least($2::bigint, $4::bigint - d.xp_applied))
RETURNING d.last_granted;
