"""Encryption at rest for notes, answers and stored secrets.

Keys come from the ENCRYPTION_KEYS setting, never from the database. The first key
encrypts; every listed key decrypts, so a new key can be put first and old ciphertext
re-encrypted at leisure (MultiFernet.rotate).
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class VaultUnavailable(RuntimeError):
    """No encryption key is configured."""


class Vault:
    def __init__(self, keys: Sequence[str]) -> None:
        fernets = [Fernet(key) for key in keys]
        self._fernet = MultiFernet(fernets) if fernets else None
        self._newest = fernets[0] if fernets else None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise VaultUnavailable("Set ENCRYPTION_KEYS: confidential data cannot be stored.")
        return self._fernet

    def encrypt(self, plaintext: str) -> bytes:
        return self._require().encrypt(plaintext.encode("utf-8"))

    def decrypt(self, ciphertext: bytes) -> str:
        return self._require().decrypt(ciphertext).decode("utf-8")

    def under_newest_key(self, ciphertext: bytes) -> bool:
        """Whether the first key (the one that encrypts) made this token."""
        self._require()
        assert self._newest is not None
        try:
            self._newest.decrypt(ciphertext)
        except InvalidToken:
            return False
        return True

    def rotate(self, ciphertext: bytes) -> bytes:
        """Re-encrypt with the first key (the token may have been made with any key)."""
        return self._require().rotate(ciphertext)


def vault() -> Vault:
    return current_app.extensions["ohjaamo.vault"]


__all__ = ["InvalidToken", "Vault", "VaultUnavailable", "vault"]
