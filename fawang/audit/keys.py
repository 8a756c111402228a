"""The audit trail's key, which the database does not hold.

Derived from ``FAWANG_AUDIT_KEY`` when it is set, else from the data key (both live outside the
database, docs/operations.md). Someone who can rewrite the tables but lacks the key cannot
recompute an event's MAC, a seal's link or an anchor line: ``verify`` names what they touched.
"""

from __future__ import annotations

import hmac as std_hmac
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _material(secret: str) -> bytes:
    try:
        return bytes.fromhex(secret)
    except ValueError:
        return secret.encode("utf-8")


@lru_cache(maxsize=4)
def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=32, salt=None, info=b"fawang audit chain v1").derive(
        _material(secret)
    )


def audit_key() -> bytes:
    return _derive(getattr(settings, "AUDIT_KEY", "") or settings.DATA_KEY)


def mac(*parts: bytes) -> str:
    """HMAC-SM3 over the parts, each length-prefixed so no two sequences of parts collide."""
    code = HMAC(audit_key(), hashes.SM3())
    for part in parts:
        code.update(len(part).to_bytes(8, "big"))
        code.update(part)
    return code.finalize().hex()


def same(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())
