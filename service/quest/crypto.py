"""Integration tokens encrypted in the service (AES-GCM) before they reach the database.

A stored token is ``nonce (12 bytes) || ciphertext || tag`` with the id of the
key that made it in ``integrations.token_key_id``.  TOKEN_KEYS lists keys as
``kid:base64key,...``: the first encrypts, every listed key decrypts, so a key
is rotated by putting a new one first and keeping the old one listed until no
row names it.  The associated data binds a ciphertext to its user, provider
and column, so a blob copied into another row or column does not decrypt.
"""

from __future__ import annotations

import functools
import os
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from service.config import Settings, parse_token_keys
from service.errors import Unavailable

NONCE_BYTES = 12


class TokenCipher:
    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        self.current_kid = keys[0][0]
        self._keys = {kid: AESGCM(key) for kid, key in keys}

    @staticmethod
    def associated_data(user_id: UUID, provider: str, column: str) -> bytes:
        return f"integrations:{user_id}:{provider}:{column}".encode()

    def encrypt(self, plaintext: str, aad: bytes) -> bytes:
        """Encrypt with the current key (its id is ``current_kid``)."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._keys[self.current_kid].encrypt(nonce, plaintext.encode(), aad)

    def decrypt(self, kid: str, blob: bytes, aad: bytes) -> str:
        key = self._keys.get(kid)
        if key is None:
            raise ValueError(f"token key {kid!r} is not in TOKEN_KEYS")
        try:
            return key.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).decode()
        except InvalidTag:
            raise ValueError("token does not decrypt with its key (wrong key, row or column)") from None


@functools.lru_cache(maxsize=4)
def _cipher(token_keys: str) -> TokenCipher:
    return TokenCipher(parse_token_keys(token_keys))


def cipher_for(settings: Settings) -> TokenCipher:
    """The cipher of the configured keys; 503 when TOKEN_KEYS is unset in production."""
    token_keys = settings.quest_token_keys()
    if token_keys is None:
        raise Unavailable("integrations are not configured on this server (TOKEN_KEYS)")
    return _cipher(token_keys)
