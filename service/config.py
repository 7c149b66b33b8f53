"""Settings from the environment, read once into one frozen object.

Every knob the service has is a field here, with its environment variable
named in the README; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
import re
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
    json_max_depth: int = 32
    idempotency_ttl_s: int = 24 * 3600
    login_limit_per_account: int = 10
    login_limit_per_address: int = 100
    login_limit_window_s: int = 60
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

    def __post_init__(self) -> None:
        if self.env == "production" and self.jwt_secret == DEV_JWT_SECRET:
            raise ValueError("JWT_SECRET must be set when SERVICE_ENV=production")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        if self.external_auth_issuer is not None:
            self._check_external_auth()

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


def _pem(value: str) -> str:
    """A PEM block from one environment line: literal ``\\n`` sequences become newlines."""
    return value.replace("\\n", "\n")


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
    "JSON_MAX_DEPTH": ("json_max_depth", int),
    "IDEMPOTENCY_TTL": ("idempotency_ttl_s", int),
    "LOGIN_LIMIT_PER_ACCOUNT": ("login_limit_per_account", int),
    "LOGIN_LIMIT_PER_ADDRESS": ("login_limit_per_address", int),
    "LOGIN_LIMIT_WINDOW": ("login_limit_window_s", int),
    "ARGON2_TIME_COST": ("argon2_time_cost", int),
    "ARGON2_MEMORY_KIB": ("argon2_memory_kib", int),
    "ARGON2_PARALLELISM": ("argon2_parallelism", int),
    "EXTERNAL_AUTH_ISSUER": ("external_auth_issuer", str),
    "EXTERNAL_AUTH_AUDIENCE": ("external_auth_audience", str),
    "EXTERNAL_AUTH_PROVIDER": ("external_auth_provider", str),
    "EXTERNAL_AUTH_SECRET": ("external_auth_secret", str),
    "EXTERNAL_AUTH_PUBLIC_KEY": ("external_auth_public_key", _pem),
    "EXTERNAL_AUTH_CACHE_TTL": ("external_auth_cache_ttl_s", int),
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
