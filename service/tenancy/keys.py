"""API keys: how they look, how they are made, and how a presented key is checked.

A key reads ``alpk_<public id>_<secret>`` (a browser key: "publishable", bound to origins) or
``alsk_<public id>_<secret>`` (a server key), Stripe-style: the prefix tells a person at once
which kind it is, and a leaked server key is easy to find by grepping for ``alsk_``. The public
id (8 characters, 40 bits) names the key in listings, logs and usage reports; the secret holds
128 random bits. Only the SHA-256 of the whole key is stored: a slow password hash would add
nothing for a random 128-bit secret (nobody can guess it) and would cost every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum


class KeyKind(StrEnum):
    """A browser key is used from web pages and bound to their origins; a server key is kept
    on a council's server and never sent from a browser."""

    BROWSER = "browser"
    SERVER = "server"


PREFIX_BY_KIND = {KeyKind.BROWSER: "alpk", KeyKind.SERVER: "alsk"}
KIND_BY_PREFIX = {prefix: kind for kind, prefix in PREFIX_BY_KIND.items()}
SECRET_BYTES = 16  # 128 random bits
PUBLIC_ID_BYTES = 5  # 8 base32 characters
_KEY = re.compile(r"^(alpk|alsk)_([a-z2-7]{8})_([a-z2-7]{26})$")


@dataclass(frozen=True)
class NewKey:
    """A freshly made key: the whole key (shown once) and what is stored of it."""

    key: str
    public_id: str
    secret_hash: bytes


@dataclass(frozen=True)
class PresentedKey:
    """A key as a caller sent it, split into its parts (not yet checked against the store)."""

    key: str
    kind: KeyKind
    public_id: str

    def matches(self, stored_hash: bytes) -> bool:
        """Whether this is the stored key, compared in constant time."""
        return hmac.compare_digest(hash_key(self.key), stored_hash)


def _base32(random_bytes: bytes) -> str:
    return base64.b32encode(random_bytes).decode("ascii").rstrip("=").lower()


def make_key(kind: KeyKind) -> NewKey:
    """A new random key of this kind."""
    prefix = PREFIX_BY_KIND[kind]
    public_id = f"{prefix}_{_base32(secrets.token_bytes(PUBLIC_ID_BYTES))}"
    key = f"{public_id}_{_base32(secrets.token_bytes(SECRET_BYTES))}"
    return NewKey(key=key, public_id=public_id, secret_hash=hash_key(key))


def hash_key(key: str) -> bytes:
    """What is stored of a key: its SHA-256."""
    return hashlib.sha256(key.encode("ascii")).digest()


def parse_key(text: str) -> PresentedKey | None:
    """The parts of a well-formed key; None for anything else (nothing is looked up)."""
    match = _KEY.match(text)
    if match is None:
        return None
    return PresentedKey(key=text, kind=KIND_BY_PREFIX[match[1]], public_id=f"{match[1]}_{match[2]}")
