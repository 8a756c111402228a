"""The opinion document: a PDF with the codes on its cover, its SM3 digest, and the institution's
SM2 signature of the file.

**SM2 with SM3** (GB/T 32918.2 signature, GB/T 32905 hash) through ``tongsuopy`` (the Tongsuo
Project's SDK; docs/architecture.md says why). The signed message M is the PDF file itself, and the
signature is the standard one: e = SM3(Z_A ‖ M), Z_A computed over the default user ID
``1234567812345678`` (GM/T 0009), the signature DER-encoded (r, s) as GM/T 0009 gives it. This was
checked against an independent implementation (docs/appraisal.md, "Signature"), and
``tests/appraisal/test_signing.py`` computes Z_A itself and checks the signature against it.

Documents issued before the switch were signed with Ed25519 over the PDF's 32-byte SM3 digest;
their rows say ``ed25519`` and still verify here.

Each institution's key is derived (HKDF-SM3) from the platform secret and the institution's id,
so no private key sits in the database; docs/appraisal.md names the gap (a key the institution
holds)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from tongsuopy.crypto import hashes as sm_hashes
from tongsuopy.crypto import serialization as sm_serialization
from tongsuopy.crypto.asymciphers import ec

from fawang.core.pdf import cjk_font_name

SM2_SM3 = "sm2-sm3"
ED25519 = "ed25519"  # documents issued before the switch to SM2 (verify only)
ALGORITHM_LABELS = {SM2_SM3: "SM2/SM3", ED25519: "Ed25519"}
# The order n of the SM2 curve's base point (GB/T 32918.5); a private key d lies in [1, n − 2].
SM2_ORDER = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _private_key(institution_id: int) -> ec.EllipticCurvePrivateKey:
    """The institution's SM2 key: d from HKDF-SM3 over the platform secret (48 bytes, reduced
    into [1, n − 2], so the bias is below 2^-128)."""
    material = HKDF(
        algorithm=hashes.SM3(),
        length=48,
        salt=None,
        info=f"fawang appraisal institution {institution_id} sm2".encode(),
    ).derive(settings.SECRET_KEY.encode())
    secret = int.from_bytes(material, "big") % (SM2_ORDER - 2) + 1
    return ec.derive_private_key(secret, ec.SM2())


def public_key_hex(institution_id: int) -> str:
    """The institution's SM2 public key, uncompressed point (04 ‖ x ‖ y), in hex."""
    key = _private_key(institution_id).public_key()
    return key.public_bytes(
        sm_serialization.Encoding.X962, sm_serialization.PublicFormat.UncompressedPoint
    ).hex()


def sign(institution_id: int, document: bytes) -> str:
    """The institution's SM2 signature of the file (e = SM3(Z_A ‖ document)), DER, in hex."""
    return _private_key(institution_id).sign(document, ec.ECDSA(sm_hashes.SM3())).hex()


def verifies(document: bytes, signature_hex: str, public_hex: str, algorithm: str) -> bool:
    """Whether ``document`` is the one signed, by the algorithm its row names."""
    try:
        signature, public = bytes.fromhex(signature_hex), bytes.fromhex(public_hex)
        if algorithm == SM2_SM3:
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), public)
            key.verify(signature, document, ec.ECDSA(sm_hashes.SM3()))
        elif algorithm == ED25519:
            Ed25519PublicKey.from_public_bytes(public).verify(
                signature, bytes.fromhex(sm3_hex(document))
            )
        else:
            return False
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
