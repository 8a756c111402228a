"""The codes of a document: the verification code (public), the case code (public), and the
提取码 (download code: secret, stored only as a keyed hash)."""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from fawang.appraisal.models import Opinion
from fawang.appraisal.services._common import CODE_ALPHABET
from fawang.core.errors import InvalidInput

DOWNLOAD_CODE_LENGTH = 8  # 32⁸ = 2⁴⁰ codes, guessed at most 10 times an hour per client


def verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 12:
        raise InvalidInput(_("查询验证码应为 12 位字母或数字。"), code="bad_code", field="code")
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def opinion_by_code(code: str) -> Opinion | None:
    """The document a verification code (any case, with or without dashes) or a case code names."""
    text = (code or "").strip().upper()
    if text.startswith("JD") and len(text) > 14:  # a case code; verification codes are 12–14
        found = Opinion.objects.filter(case_code=text)
    else:
        found = Opinion.objects.filter(verification_code=normalise_code(text))
    return found.select_related("entrustment__institution").first()


def new_download_code() -> str:
    """A random 提取码, ``XXXX-XXXX`` from the alphabet without 0/O/1/I (``secrets``)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(DOWNLOAD_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_download_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != DOWNLOAD_CODE_LENGTH:
        raise InvalidInput(
            _("提取码应为 %(n)s 位字母或数字，请核对短信中的提取码。")
            % {"n": DOWNLOAD_CODE_LENGTH},
            code="bad_download_code",
            field="download_code",
        )
    return raw


def _download_key() -> bytes:
    return HKDF(
        algorithm=hashes.SM3(), length=32, salt=None, info=b"fawang appraisal download code"
    ).derive(settings.SECRET_KEY.encode())


def download_code_hash(case_code: str, code: str) -> str:
    """HMAC-SM3 of the 提取码 under a key derived from the platform secret, bound to the
    document's case code: the table alone gives no way to test guesses, and one document's hash
    says nothing of another's."""
    mac = hmac.HMAC(_download_key(), hashes.SM3())
    mac.update(f"{case_code}:{normalise_download_code(code)}".encode())
    return mac.finalize().hex()
