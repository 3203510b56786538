"""Purpose-bound keys derived from SECRET_KEY, so a support link, a form token and a photo URL can
never be mistaken for one another, and the operator's secret is never a MAC key itself.

Shared by links.py and the support pages (forms, lookups, staff photos)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@lru_cache(maxsize=32)
def derived_key(secret_key: str, purpose: str) -> bytes:
    # The HKDF info predates this module's move out of support/: changing it would void every issued link.
    info = f"saleor-cs-app support {purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret_key.encode())


def mac(secret_key: str, purpose: str, *parts: str) -> str:
    """HMAC-SHA256 over the parts (length-prefixed, so ("ab", "c") and ("a", "bc") differ), base64url."""
    message = b"".join(len(p.encode()).to_bytes(4, "big") + p.encode() for p in parts)
    digest = hmac.new(derived_key(secret_key, purpose), message, hashlib.sha256).digest()
    return b64(digest)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
