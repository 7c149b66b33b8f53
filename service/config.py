"""Settings from the environment, read once into one frozen object.

Every knob the service has is a field here, with its environment variable
named in the README; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import Literal

import msgspec

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef"  # noqa: S105 - refused in production
# Quest development values: public, used only when SERVICE_ENV=development and the variable is unset.
DEV_TOKEN_KEYS = "dev:ZGV2LW9ubHktdG9rZW4ta2V5LW5vdC1hLXNlY3JldCE="  # noqa: S105 - 32 bytes, refused in production
DEV_WEBHOOK_SECRET_GITHUB = "dev-only-github-webhook-secret"  # noqa: S105 - refused in production
DEV_WEBHOOK_SECRET_FITBIT = "dev-only-fitbit-webhook-secret"  # noqa: S105 - refused in production
_DEV_KEY = base64.b64decode(DEV_TOKEN_KEYS.partition(":")[2])


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    """None means: start the embedded PostgreSQL under ``data_dir``."""
    database_listen_url: str | None = None
    """The DSN of each worker's one LISTEN connection (deleted accounts); None = database_url.
    Must reach PostgreSQL directly: LISTEN does not work through a transaction-mode pooler."""
    env: Literal["development", "production"] = "development"
    data_dir: Path = PROJECT_ROOT / ".data" / "postgres"
    jwt_secret: str = DEV_JWT_SECRET
    access_token_ttl_s: int = 900
    app_token_ttl_s: int = 900
    """Lifetime of an app's access token (client-credentials grant); revocation is checked per write anyway."""
    refresh_token_ttl_s: int = 30 * 24 * 3600
    sql_echo: bool = False
    migrate_on_start: bool = True
    max_body_bytes: int = 1_048_576
    pool_min_size: int = 2
    pool_max_size: int = 10
    pool_timeout_s: float = 5.0
    statement_timeout_ms: int = 15_000
    json_max_depth: int = 32
    idempotency_ttl_s: int = 24 * 3600
    login_limit_per_account: int = 10
    login_limit_per_address: int = 100
    login_limit_window_s: int = 60
    login_limit_per_pair: int = 10
    """Attempts per (account, address) pair per window, known address or not."""
    known_address_retention_days: int = 90
    http_header_timeout_s: float = 10.0
    """Seconds a connection may take to send a request's headers (from connecting, or from the request's
    first byte); then it is closed (service/http/server.py: uvicorn has no such timeout)."""
    http_body_timeout_s: float = 30.0
    """Seconds a request body may go without receiving a byte; then the connection is closed."""
    http_keep_alive_s: int = 5
    """uvicorn's ``timeout_keep_alive``: an idle kept-alive connection is closed after this many seconds."""
    http_limit_concurrency: int | None = None
    """uvicorn's ``limit_concurrency`` per worker (connections + tasks; 503 above it); unset = no limit."""
    """A known sign-in address unused this long is forgotten (accounts/purge_known_addresses)."""
    statement_cache_size: int = 100
    """asyncpg's prepared-statement cache per connection; 0 behind PgBouncer < 1.21 in transaction mode."""
    metrics_enabled: bool = True
    # Read replicas (service/db/replicas.py): comma-separated DSNs, none by default.
    database_replica_urls: str | None = None
    replica_max_lag_s: float = 5.0
    """A replica lagging more (seconds) is out of rotation until it catches up."""
    replica_state_ttl_s: float = 0.1
    """How long a replica's replayed position and lag are reused before one query reads them again."""
    access_log: bool = True
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65_536
    argon2_parallelism: int = 4
    # One external identity provider (the Phase III app's Better Auth) whose JWTs are accepted
    # as bearer tokens; unset issuer = only our own tokens.  Exactly one of secret (HS256) or
    # PEM public key (RS256, ES256 or EdDSA, picked by the key's type) verifies them.
    external_auth_issuer: str | None = None
    external_auth_audience: str | None = None
    external_auth_provider: str = "better-auth"
    external_auth_secret: str | None = None
    external_auth_public_key: str | None = None
    external_auth_cache_ttl_s: int = 300
    # Quest: AES-GCM keys for integration tokens, "kid:base64key,..." (the first encrypts,
    # all decrypt), and the per-provider HMAC-SHA256 webhook secrets.  Unset: public
    # development values in development, and the feature answers 503 in production.
    token_keys: str | None = None
    webhook_secret_github: str | None = None
    webhook_secret_fitbit: str | None = None
    # Retention jobs (service/jobs, README "Data lifecycle"): run in the service every
    # jobs_interval_s unless disabled; or from cron with ``python -m service jobs run``.
    jobs_enabled: bool = True
    jobs_interval_s: float = 300.0
    jobs_batch_size: int = 1000
    session_retention_days: int = 30
    account_purge_delay_s: int = 0
    """How long a deleted account's row stays (marked) before the account_purge job deletes it."""
    audit_retention_days: int = 400
    audit_unknown_login_retention_days: int = 30
    raw_event_compact_days: int = 7
    raw_event_unmatched_days: int = 30
    invitation_ttl_s: int = 7 * 24 * 3600
    """How long a chat invitation by email can be accepted (issue #18)."""
    invitation_retention_days: int = 30
    """An answered or expired invitation is purged this many days later."""
    register_limit_per_address: int = 20
    """Registrations per client address per LOGIN_LIMIT_WINDOW (the only place that tells a taken email)."""

    def __post_init__(self) -> None:
        if self.env == "production" and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError("JWT_SECRET must be set when SERVICE_ENV=production")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        if self.external_auth_issuer is not None:
            self._check_external_auth()
        if self.replica_max_lag_s < 0 or self.replica_state_ttl_s < 0:
            raise ValueError("REPLICA_MAX_LAG and REPLICA_STATE_TTL must be >= 0")
        self._check_quest_secrets()
        self._check_jobs()

    def _check_jobs(self) -> None:
        if self.jobs_interval_s <= 0:
            raise ValueError("JOBS_INTERVAL must be > 0")
        if not 1 <= self.jobs_batch_size <= 10_000:
            raise ValueError("JOBS_BATCH_SIZE must be 1..10000")
        if self.account_purge_delay_s < 0:
            raise ValueError("ACCOUNT_PURGE_DELAY must be >= 0")
        if self.audit_retention_days < 30:
            raise ValueError("AUDIT_RETENTION_DAYS must be at least 30")
        for name, days in (("SESSION_RETENTION_DAYS", self.session_retention_days),
                           ("AUDIT_UNKNOWN_LOGIN_RETENTION_DAYS", self.audit_unknown_login_retention_days),
                           ("RAW_EVENT_COMPACT_DAYS", self.raw_event_compact_days),
                           ("RAW_EVENT_UNMATCHED_DAYS", self.raw_event_unmatched_days),
                           ("INVITATION_RETENTION_DAYS", self.invitation_retention_days)):
            if days < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.invitation_ttl_s < 60:
            raise ValueError("INVITATION_TTL must be at least 60 (seconds)")

    def _check_quest_secrets(self) -> None:
        if self.token_keys is not None:
            keys = parse_token_keys(self.token_keys)  # raises ValueError on a malformed TOKEN_KEYS
            if self.env == "production" and any(key == _DEV_KEY for _, key in keys):
                raise ValueError("TOKEN_KEYS must not contain the development key when SERVICE_ENV=production")
        for name, secret, dev in (
            ("WEBHOOK_SECRET_GITHUB", self.webhook_secret_github, DEV_WEBHOOK_SECRET_GITHUB),
            ("WEBHOOK_SECRET_FITBIT", self.webhook_secret_fitbit, DEV_WEBHOOK_SECRET_FITBIT),
        ):
            if secret is not None and len(secret) < 16:
                raise ValueError(f"{name} must be at least 16 characters")
            if secret == dev and self.env == "production":
                raise ValueError(f"{name} must not be the development value when SERVICE_ENV=production")

    def _check_external_auth(self) -> None:
        if not self.external_auth_audience:
            raise ValueError("EXTERNAL_AUTH_AUDIENCE must be set with EXTERNAL_AUTH_ISSUER")
        if (self.external_auth_secret is None) == (self.external_auth_public_key is None):
            raise ValueError("set exactly one of EXTERNAL_AUTH_SECRET and EXTERNAL_AUTH_PUBLIC_KEY")
        if self.external_auth_secret is not None:
            if len(self.external_auth_secret) < 32:
                raise ValueError("EXTERNAL_AUTH_SECRET must be at least 32 characters")
            if self.external_auth_secret == self.jwt_secret:
                # The external issuer could then sign our own access tokens for any account.
                raise ValueError("EXTERNAL_AUTH_SECRET must differ from JWT_SECRET")
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", self.external_auth_provider) \
                or self.external_auth_provider == "password":
            raise ValueError("EXTERNAL_AUTH_PROVIDER must be 1-32 of a-z, 0-9, '_', '-' (not 'password')")
        if self.external_auth_cache_ttl_s < 0:
            raise ValueError("EXTERNAL_AUTH_CACHE_TTL must be >= 0")

    def quest_token_keys(self) -> str | None:
        """TOKEN_KEYS, or the development key outside production (None: not configured)."""
        if self.token_keys is not None:
            return self.token_keys
        return DEV_TOKEN_KEYS if self.env == "development" else None

    def webhook_secret(self, provider: str) -> str | None:
        """WEBHOOK_SECRET_<PROVIDER>, or its development value outside production (None: not configured)."""
        configured, dev = {
            "github": (self.webhook_secret_github, DEV_WEBHOOK_SECRET_GITHUB),
            "fitbit": (self.webhook_secret_fitbit, DEV_WEBHOOK_SECRET_FITBIT),
        }[provider]
        if configured is not None:
            return configured
        return dev if self.env == "development" else None


def _pem(value: str) -> str:
    """A PEM block from one environment line: literal ``\\n`` sequences become newlines."""
    return value.replace("\\n", "\n")




def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# environment variable -> (field name, parser)
_ENV: dict[str, tuple[str, object]] = {
    "DATABASE_URL": ("database_url", str),
    "DATABASE_LISTEN_URL": ("database_listen_url", str),
    "ACCOUNT_PURGE_DELAY": ("account_purge_delay_s", int),
    "SERVICE_ENV": ("env", str),
    "PGDATA_DIR": ("data_dir", Path),
    "JWT_SECRET": ("jwt_secret", str),
    "ACCESS_TOKEN_TTL": ("access_token_ttl_s", int),
    "APP_TOKEN_TTL": ("app_token_ttl_s", int),
    "REFRESH_TOKEN_TTL": ("refresh_token_ttl_s", int),
    "SQL_ECHO": ("sql_echo", _bool),
    "MIGRATE_ON_START": ("migrate_on_start", _bool),
    "MAX_BODY_BYTES": ("max_body_bytes", int),
    "DB_POOL_MIN": ("pool_min_size", int),
    "DB_POOL_MAX": ("pool_max_size", int),
    "DB_POOL_TIMEOUT": ("pool_timeout_s", float),
    "DB_STATEMENT_TIMEOUT_MS": ("statement_timeout_ms", int),
    "JSON_MAX_DEPTH": ("json_max_depth", int),
    "IDEMPOTENCY_TTL": ("idempotency_ttl_s", int),
    "LOGIN_LIMIT_PER_ACCOUNT": ("login_limit_per_account", int),
    "LOGIN_LIMIT_PER_ADDRESS": ("login_limit_per_address", int),
    "LOGIN_LIMIT_WINDOW": ("login_limit_window_s", int),
    "LOGIN_LIMIT_PER_PAIR": ("login_limit_per_pair", int),
    "KNOWN_ADDRESS_RETENTION_DAYS": ("known_address_retention_days", int),
    "HTTP_HEADER_TIMEOUT": ("http_header_timeout_s", float),
    "HTTP_BODY_TIMEOUT": ("http_body_timeout_s", float),
    "HTTP_KEEP_ALIVE_TIMEOUT": ("http_keep_alive_s", int),
    "HTTP_LIMIT_CONCURRENCY": ("http_limit_concurrency", int),
    "DB_STATEMENT_CACHE_SIZE": ("statement_cache_size", int),
    "METRICS_ENABLED": ("metrics_enabled", _bool),
    "DATABASE_REPLICA_URLS": ("database_replica_urls", str),
    "REPLICA_MAX_LAG": ("replica_max_lag_s", float),
    "REPLICA_STATE_TTL": ("replica_state_ttl_s", float),
    "ACCESS_LOG": ("access_log", _bool),
    "ARGON2_TIME_COST": ("argon2_time_cost", int),
    "ARGON2_MEMORY_KIB": ("argon2_memory_kib", int),
    "ARGON2_PARALLELISM": ("argon2_parallelism", int),
    "EXTERNAL_AUTH_ISSUER": ("external_auth_issuer", str),
    "EXTERNAL_AUTH_AUDIENCE": ("external_auth_audience", str),
    "EXTERNAL_AUTH_PROVIDER": ("external_auth_provider", str),
    "EXTERNAL_AUTH_SECRET": ("external_auth_secret", str),
    "EXTERNAL_AUTH_PUBLIC_KEY": ("external_auth_public_key", _pem),
    "EXTERNAL_AUTH_CACHE_TTL": ("external_auth_cache_ttl_s", int),
    "TOKEN_KEYS": ("token_keys", str),
    "WEBHOOK_SECRET_GITHUB": ("webhook_secret_github", str),
    "WEBHOOK_SECRET_FITBIT": ("webhook_secret_fitbit", str),
    "JOBS_ENABLED": ("jobs_enabled", _bool),
    "JOBS_INTERVAL": ("jobs_interval_s", float),
    "JOBS_BATCH_SIZE": ("jobs_batch_size", int),
    "SESSION_RETENTION_DAYS": ("session_retention_days", int),
    "AUDIT_RETENTION_DAYS": ("audit_retention_days", int),
    "AUDIT_UNKNOWN_LOGIN_RETENTION_DAYS": ("audit_unknown_login_retention_days", int),
    "RAW_EVENT_COMPACT_DAYS": ("raw_event_compact_days", int),
    "RAW_EVENT_UNMATCHED_DAYS": ("raw_event_unmatched_days", int),
    "INVITATION_TTL": ("invitation_ttl_s", int),
    "INVITATION_RETENTION_DAYS": ("invitation_retention_days", int),
    "REGISTER_LIMIT_PER_ADDRESS": ("register_limit_per_address", int),
}


def parse_token_keys(value: str) -> list[tuple[str, bytes]]:
    """``kid:base64key,...`` -> [(kid, key), ...], first = current; AES-128/192/256 keys only.

    Error messages name the key id, never the key."""
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        kid, sep, encoded = item.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", kid):
            raise ValueError("TOKEN_KEYS entries are kid:base64key with kid of 1-32 letters, digits, '_' or '-'")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"TOKEN_KEYS key {kid!r} is not valid base64") from None
        if len(key) not in (16, 24, 32):
            raise ValueError(f"TOKEN_KEYS key {kid!r} must decode to 16, 24 or 32 bytes")
        if kid in (k for k, _ in keys):
            raise ValueError(f"TOKEN_KEYS names key {kid!r} twice")
        keys.append((kid, key))
    if not keys:
        raise ValueError("TOKEN_KEYS must hold at least one key")
    return keys


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from environment variables; ``overrides`` win (used by tests and the CLI)."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for var, (field, parse) in _ENV.items():
        raw = environ.get(var)
        if raw not in (None, ""):
            values[field] = parse(raw)  # type: ignore[operator]
    values.update(overrides)
    return msgspec.convert(values, Settings, strict=False)
