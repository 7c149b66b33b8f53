"""Settings from the environment, read once into one frozen object.

Every knob the service has is a field here, with its environment variable
named in the README; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import msgspec

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef"  # noqa: S105 - refused in production


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    """None means: start the embedded PostgreSQL under ``data_dir``."""
    env: Literal["development", "production"] = "development"
    data_dir: Path = PROJECT_ROOT / ".data" / "postgres"
    jwt_secret: str = DEV_JWT_SECRET
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    sql_echo: bool = False
    migrate_on_start: bool = True
    max_body_bytes: int = 1_048_576
    pool_min_size: int = 2
    pool_max_size: int = 10
    pool_timeout_s: float = 5.0
    statement_timeout_ms: int = 15_000
    statement_cache_size: int = 100
    """asyncpg's prepared-statement cache per connection; 0 behind PgBouncer < 1.21 in transaction mode."""
    metrics_enabled: bool = True
    access_log: bool = True
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65_536
    argon2_parallelism: int = 4

    def __post_init__(self) -> None:
        if self.env == "production" and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError("JWT_SECRET must be set when SERVICE_ENV=production")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# environment variable -> (field name, parser)
_ENV: dict[str, tuple[str, object]] = {
    "DATABASE_URL": ("database_url", str),
    "SERVICE_ENV": ("env", str),
    "PGDATA_DIR": ("data_dir", Path),
    "JWT_SECRET": ("jwt_secret", str),
    "ACCESS_TOKEN_TTL": ("access_token_ttl_s", int),
    "REFRESH_TOKEN_TTL": ("refresh_token_ttl_s", int),
    "SQL_ECHO": ("sql_echo", _bool),
    "MIGRATE_ON_START": ("migrate_on_start", _bool),
    "MAX_BODY_BYTES": ("max_body_bytes", int),
    "DB_POOL_MIN": ("pool_min_size", int),
    "DB_POOL_MAX": ("pool_max_size", int),
    "DB_POOL_TIMEOUT": ("pool_timeout_s", float),
    "DB_STATEMENT_TIMEOUT_MS": ("statement_timeout_ms", int),
    "DB_STATEMENT_CACHE_SIZE": ("statement_cache_size", int),
    "METRICS_ENABLED": ("metrics_enabled", _bool),
    "ACCESS_LOG": ("access_log", _bool),
    "ARGON2_TIME_COST": ("argon2_time_cost", int),
    "ARGON2_MEMORY_KIB": ("argon2_memory_kib", int),
    "ARGON2_PARALLELISM": ("argon2_parallelism", int),
}


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
