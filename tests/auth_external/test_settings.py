"""External issuer settings: refused when incomplete or unsafe, read from the environment."""

from __future__ import annotations

import msgspec
import pytest

from service.app import create_app
from service.config import DEV_JWT_SECRET, load_settings
from tests.auth_external.conftest import AUDIENCE, HMAC_SECRET, ISSUER, public_pem

BASE = {"EXTERNAL_AUTH_ISSUER": ISSUER, "EXTERNAL_AUTH_AUDIENCE": AUDIENCE, "EXTERNAL_AUTH_SECRET": HMAC_SECRET}


def test_unset_issuer_means_no_external_tokens():
    settings = load_settings(environ={})
    assert settings.external_auth_issuer is None
    assert create_app(load_settings(environ={}, database_url="postgresql://unused/x")).state.auth.external is None


def test_environment_configures_the_issuer():
    settings = load_settings(environ={**BASE, "EXTERNAL_AUTH_PROVIDER": "phase3", "EXTERNAL_AUTH_CACHE_TTL": "60"})
    assert (settings.external_auth_issuer, settings.external_auth_audience) == (ISSUER, AUDIENCE)
    assert (settings.external_auth_provider, settings.external_auth_cache_ttl_s) == ("phase3", 60)


def test_a_pem_key_can_come_on_one_line_with_escaped_newlines(ec_key):
    one_line = public_pem(ec_key).replace("\n", "\\n")
    env = {**BASE, "EXTERNAL_AUTH_PUBLIC_KEY": one_line}
    del env["EXTERNAL_AUTH_SECRET"]
    settings = load_settings(environ=env, database_url="postgresql://unused/x")
    assert settings.external_auth_public_key == public_pem(ec_key)
    assert create_app(settings).state.auth.external.algorithm == "ES256"


@pytest.mark.parametrize("change, message", [
    ({"EXTERNAL_AUTH_AUDIENCE": ""}, "EXTERNAL_AUTH_AUDIENCE must be set"),
    ({"EXTERNAL_AUTH_SECRET": "short"}, "at least 32"),
    ({"EXTERNAL_AUTH_SECRET": DEV_JWT_SECRET}, "must differ from JWT_SECRET"),
    ({"EXTERNAL_AUTH_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----"}, "exactly one"),
    ({"EXTERNAL_AUTH_SECRET": ""}, "exactly one"),
    ({"EXTERNAL_AUTH_PROVIDER": "password"}, "EXTERNAL_AUTH_PROVIDER"),
    ({"EXTERNAL_AUTH_PROVIDER": "Better Auth"}, "EXTERNAL_AUTH_PROVIDER"),
    ({"EXTERNAL_AUTH_CACHE_TTL": "-1"}, "EXTERNAL_AUTH_CACHE_TTL"),
])
def test_unsafe_or_incomplete_settings_are_refused(change, message):
    env = {k: v for k, v in {**BASE, **change}.items() if v != ""}
    with pytest.raises((ValueError, msgspec.ValidationError), match=message):
        load_settings(environ=env)


@pytest.mark.parametrize("pem", ["not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"])
def test_an_unreadable_public_key_stops_the_app_at_start(pem):
    env = {**BASE, "EXTERNAL_AUTH_PUBLIC_KEY": pem}
    del env["EXTERNAL_AUTH_SECRET"]
    settings = load_settings(environ=env, database_url="postgresql://unused/x")
    with pytest.raises(ValueError, match="EXTERNAL_AUTH_PUBLIC_KEY"):
        create_app(settings)


def test_weak_or_unsupported_public_keys_are_refused():
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    for key in (rsa.generate_private_key(public_exponent=65537, key_size=1024),  # noqa: S505 - the weak key refused
                ec.generate_private_key(ec.SECP384R1())):
        env = {**BASE, "EXTERNAL_AUTH_PUBLIC_KEY": public_pem(key)}
        del env["EXTERNAL_AUTH_SECRET"]
        with pytest.raises(ValueError, match="EXTERNAL_AUTH_PUBLIC_KEY"):
            create_app(load_settings(environ=env, database_url="postgresql://unused/x"))
