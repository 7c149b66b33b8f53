"""An app that accepts one external issuer's tokens, and keys for signing them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings, load_settings
from tests.conftest import CHEAP_ARGON2

ISSUER = "https://phase3.example.com"
AUDIENCE = "https://api.example.com"
HMAC_SECRET = "external-hmac-secret-for-tests-0123456789-long-enough-for-hs512!!"


def public_pem(private_key: Any) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def claims(sub: str = "user_abc123", **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 300,
            "email": f"{sub}@Phase3.Example.com"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def external_settings(db_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"external_auth_issuer": ISSUER, "external_auth_audience": AUDIENCE,
                              "external_auth_secret": HMAC_SECRET, **CHEAP_ARGON2}
    values.update(overrides)
    return load_settings(environ={}, database_url=db_url, **values)


@pytest.fixture
def settings(db_url: str) -> Settings:
    """The default app of this folder: HS256 external tokens."""
    return external_settings(db_url)


@pytest.fixture
def hs256() -> Callable[..., str]:
    """Sign claims as the configured HS256 issuer."""
    def sign(sub: str = "user_abc123", **overrides: Any) -> str:
        return jwt.encode(claims(sub, **overrides), HMAC_SECRET, algorithm="HS256")
    return sign


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[tuple[Litestar, AsyncTestClient[Litestar]]]:
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        yield app, client
