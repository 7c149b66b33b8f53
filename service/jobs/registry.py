"""The named retention jobs: each is one batch statement and the settings it reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from service.accounts import repo as accounts_repo
from service.apps import repo as apps_repo
from service.config import Settings
from service.db.queries import Connection
from service.jobs import repo
from service.quest import repo as quest_repo
from service.quest import rules as quest_rules

Batch = Callable[[Connection, Settings, int], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    name: str
    table: str
    rule: str
    """The retention rule in words, with the setting that tunes it (README, "Data lifecycle")."""
    batch: Batch
    """Deletes (or compacts) at most ``batch_size`` rows past retention; returns how many."""


JOBS: dict[str, Job] = {job.name: job for job in (
    Job("idempotency_keys", "idempotency_keys", "past expires_at (IDEMPOTENCY_TTL)",
        lambda conn, s, n: repo.purge_idempotency_keys(conn, n)),
    Job("auth_sessions", "auth_sessions", "expired or revoked more than SESSION_RETENTION_DAYS ago",
        lambda conn, s, n: repo.purge_auth_sessions(conn, s.session_retention_days, n)),
    Job("rate_limits", "rate_limits", "window ended (LOGIN_LIMIT_WINDOW)",
        lambda conn, s, n: repo.purge_rate_limits(conn, s.login_limit_window_s, n)),
    Job("audit_log", "audit_log",
        "older than AUDIT_RETENTION_DAYS; failed sign-ins for unknown emails older than "
        "AUDIT_UNKNOWN_LOGIN_RETENTION_DAYS (through purge_audit_log, SECURITY DEFINER)",
        lambda conn, s, n: repo.purge_audit_log(conn, n, s.audit_retention_days,
                                                s.audit_unknown_login_retention_days)),
    Job("events_raw_compact", "events_raw", "payload emptied RAW_EVENT_COMPACT_DAYS after processing",
        lambda conn, s, n: repo.compact_raw_events(conn, s.raw_event_compact_days, n)),
    Job("events_raw_unmatched", "events_raw", "unmatched deliveries dropped after RAW_EVENT_UNMATCHED_DAYS",
        lambda conn, s, n: repo.purge_unmatched_raw_events(conn, s.raw_event_unmatched_days, n)),
    Job("app_clients", "app_clients",
        "revoked more than AUDIT_RETENTION_DAYS ago (no audit row outlives the client it names)",
        lambda conn, s, n: apps_repo.purge_revoked_batch(conn, timedelta(days=s.audit_retention_days), n)),
    Job("known_sign_in_addresses", "known_sign_in_addresses",
        "no successful sign-in from the address for KNOWN_ADDRESS_RETENTION_DAYS",
        lambda conn, s, n: accounts_repo.purge_known_addresses(conn, s.known_address_retention_days * 86400, n)),
    Job("chat_invitations", "chat_invitations",
        "answered (accepted, declined) or expired more than INVITATION_RETENTION_DAYS ago",
        lambda conn, s, n: repo.purge_chat_invitations(conn, s.invitation_retention_days, n)),
    Job("account_purge", "users",
        "accounts marked deleted (DELETE /me) more than ACCOUNT_PURGE_DELAY ago, with their cascades",
        lambda conn, s, n: repo.purge_deleted_users(conn, s.account_purge_delay_s, n)),
    Job("quest_daily_xp", "quest_daily_xp", "days older than the daily cap's retention (quest/rules.py)",
        lambda conn, s, n: quest_repo.purge_daily_xp(conn, quest_rules.DAILY_XP_RETENTION_DAYS, n)),
)}
