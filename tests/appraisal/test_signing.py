"""The opinion's signature: SM2 with SM3 (GB/T 32918.2, GB/T 32905), the standard one with Z_A
over the default user ID (GM/T 0009) — checked here by a verifier written from the standard, not
by the library that signs — and documents signed with Ed25519 before the switch still verify."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from fawang.appraisal import services, signing
from fawang.appraisal.models import Opinion
from tests.appraisal.helpers import World, build_world, issued

pytestmark = pytest.mark.django_db

# GB/T 32918.5 recommended curve
P = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", 16)
A = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC", 16)
B = int("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93", 16)
N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
G = (
    int("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7", 16),
    int("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0", 16),
)
DEFAULT_ID = b"1234567812345678"  # GM/T 0009


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _add(p: Any, q: Any) -> Any:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return (x, (slope * (p[0] - x) - p[1]) % P)


def _mul(k: int, point: Any) -> Any:
    result = None
    while k:
        if k & 1:
            result = _add(result, point)
        point, k = _add(point, point), k >> 1
    return result


def _z_a(public: tuple[int, int]) -> bytes:
    """GB/T 32918.2 §5.5: Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)."""
    parts = [A, B, G[0], G[1], public[0], public[1]]
    entl = (len(DEFAULT_ID) * 8).to_bytes(2, "big")
    return _sm3(entl + DEFAULT_ID + b"".join(v.to_bytes(32, "big") for v in parts))


def _sm2_verifies(e: bytes, r: int, s: int, public: tuple[int, int]) -> bool:
    """GB/T 32918.2 §7.1 verification, over a given e."""
    if not (1 <= r < N and 1 <= s < N):
        return False
    t = (r + s) % N
    point = _add(_mul(s, G), _mul(t, public))
    return point is not None and (int.from_bytes(e, "big") + point[0]) % N == r


@pytest.fixture
def w() -> World:
    return build_world()


def test_the_signature_is_standard_sm2_with_z_a_over_the_default_id(w: World) -> None:
    opinion = issued(w)
    document = bytes(opinion.document)
    point = bytes.fromhex(opinion.public_key)
    assert point[0] == 4 and len(point) == 65  # uncompressed 04 ‖ x ‖ y
    public = (int.from_bytes(point[1:33], "big"), int.from_bytes(point[33:], "big"))
    assert (
        _add(public, None) == public
        and (public[1] ** 2 - public[0] ** 3 - A * public[0] - B) % P == 0
    )
    r, s = decode_dss_signature(bytes.fromhex(opinion.signature))
    # e = SM3(Z_A ‖ M), M the PDF file itself
    assert _sm2_verifies(_sm3(_z_a(public) + document), r, s, public)
    # not a signature of the plain digest (no Z_A), nor of another file
    assert not _sm2_verifies(_sm3(document), r, s, public)
    assert not _sm2_verifies(_sm3(_z_a(public) + document + b" "), r, s, public)


def test_an_sm2_signed_opinion_verifies_and_a_changed_pdf_does_not(w: World) -> None:
    opinion = issued(w)
    assert opinion.algorithm == "sm2-sm3"
    shown = services.verify(opinion.verification_code)
    assert shown["signature_valid"] is True and shown["signature_algorithm"] == "SM2/SM3"
    changed = bytes(opinion.document).replace(b"%PDF", b"%PDX", 1)
    Opinion.objects.filter(pk=opinion.pk).update(document=changed)
    assert services.verify(opinion.verification_code)["signature_valid"] is False
    # the algorithm the row names is the one checked
    assert not signing.verifies(
        bytes(opinion.document), opinion.signature, opinion.public_key, "ed25519"
    )


def test_each_institution_has_its_own_stable_key(w: World) -> None:
    assert signing.public_key_hex(w.institution.pk) == signing.public_key_hex(w.institution.pk)
    assert signing.public_key_hex(w.institution.pk) != signing.public_key_hex(w.other.pk)


def _old_ed25519_signature(document: bytes) -> tuple[str, str]:
    """As signing.py signed before the switch: Ed25519 over the PDF's 32-byte SM3 digest."""
    key = Ed25519PrivateKey.generate()
    signature = key.sign(_sm3(document)).hex()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return signature, public.hex()


def test_an_opinion_signed_with_ed25519_before_the_switch_still_verifies(w: World) -> None:
    opinion = issued(w)
    signature, public = _old_ed25519_signature(bytes(opinion.document))
    Opinion.objects.filter(pk=opinion.pk).update(
        signature=signature, public_key=public, algorithm="ed25519"
    )
    shown = services.verify(opinion.case_code)
    assert shown["signature_valid"] is True and shown["signature_algorithm"] == "Ed25519"
    Opinion.objects.filter(pk=opinion.pk).update(document=b"%PDF-1.4 changed")
    assert services.verify(opinion.case_code)["signature_valid"] is False


def test_the_migration_fills_documents_already_issued_as_ed25519() -> None:
    """The column comes in with 'ed25519' (what the rows then in the table were signed with);
    only afterwards does the default become 'sm2-sm3'. (Running the migration backwards inside
    the test transaction is not possible on SQLite, and a flushing test would empty the regions
    every other test starts from.)"""
    from importlib import import_module

    from django.db.migrations import AddField, AlterField

    migration = import_module("fawang.appraisal.migrations.0005_sm2_signature_download_code")
    ops = [op for op in migration.Migration.operations if getattr(op, "name", "") == "algorithm"]
    assert isinstance(ops[0], AddField) and ops[0].field.default == "ed25519"
    assert isinstance(ops[1], AlterField) and ops[1].field.default == "sm2-sm3"
    assert Opinion._meta.get_field("algorithm").default == "sm2-sm3"
