"""The opinion document: a PDF with the codes on its cover, its SM3 digest, and the institution's
Ed25519 signature of the digest.

SM2 is not offered by ``cryptography`` (the well-kept library the project already ships) and no
equally maintained SM2 library is a dependency, so the signature is Ed25519 (RFC 8032). Each
institution's key is derived (HKDF-SM3) from the platform secret and the institution's id, so no
private key sits in the database; docs/appraisal.md names the gap (a key the institution holds)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from fawang.core.pdf import cjk_font_name


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _private_key(institution_id: int) -> Ed25519PrivateKey:
    seed = HKDF(
        algorithm=hashes.SM3(),
        length=32,
        salt=None,
        info=f"fawang appraisal institution {institution_id}".encode(),
    ).derive(settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_hex(institution_id: int) -> str:
    key = _private_key(institution_id).public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def sign(institution_id: int, digest_hex: str) -> str:
    return _private_key(institution_id).sign(bytes.fromhex(digest_hex)).hex()


def verifies(document: bytes, signature_hex: str, public_hex: str) -> bool:
    """Whether ``document`` is the one signed: its SM3 digest checked against the signature."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), bytes.fromhex(sm3_hex(document)))
    except Exception:
        return False
    return True


def render_pdf(title: str, lines: list[str]) -> bytes:
    """A4 PDF in the platform's embedded Chinese font (``core.pdf``), as the mediation agreement."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName=cjk_font_name(), fontSize=11, leading=18, wordWrap="CJK")
    heading = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1)
    story = [Paragraph(escape(title), heading), Spacer(1, 8)]
    story += [Paragraph(escape(line).replace("\n", "<br/>"), body) for line in lines]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="fawang").build(story)
    return buffer.getvalue()
