"""What an insider with full database access (but not the audit key) can do to the trail, and
`verify` naming each (issue 12: keyed chain, anchors outside the database, access log chained)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fawang.audit.models import AuditChainHead, AuditEvent, AuditSeal, PersonalDataAccess
from fawang.audit.services import (
    _canonical,
    _content,
    record_event,
    record_personal_data_access,
    seal_pending,
    verify_chain,
)
from fawang.core.models import Role
from tests.conftest import CHAOYANG
from tests.factories import make_citizen, make_staff

pytestmark = pytest.mark.django_db


def _bypass_append_only() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _sealed(count: int = 4) -> list[AuditEvent]:
    events = [record_event("test.event", actor="system", detail={"n": n}) for n in range(count)]
    seal_pending()
    return events


def _unkeyed_link(previous: str, event: AuditEvent) -> str:
    """What the chain used to be (plain SM3): all an attacker without the key can compute."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(previous.encode())
    digest.update(_canonical({**_content(event), "id": event.pk, "mac": event.mac}))
    return digest.finalize().hex()


def test_an_edit_with_every_later_seal_recomputed_is_still_found() -> None:
    events = _sealed()
    target = events[1]
    _bypass_append_only()
    AuditEvent.objects.filter(pk=target.pk).update(detail={"n": 99})
    previous = AuditSeal.objects.get(event=target).previous_hash
    for seal in AuditSeal.objects.filter(sequence__gte=target.seal.sequence).select_related(
        "event"
    ):
        link = _unkeyed_link(previous, seal.event)
        AuditSeal.objects.filter(pk=seal.pk).update(previous_hash=previous, chain_hash=link)
        previous = link
    AuditChainHead.objects.update(last_hash=previous)
    problems = verify_chain().problems
    assert any(f"#{target.pk}" in p and "修改" in p for p in problems), problems


def test_the_newest_events_cut_off_with_the_head_rolled_back_are_found() -> None:
    events = _sealed()
    last = events[-1]
    seal = AuditSeal.objects.get(event=last)
    _bypass_append_only()
    AuditSeal.objects.filter(pk=seal.pk).delete()
    AuditEvent.objects.filter(pk=last.pk).delete()
    AuditChainHead.objects.update(last_sequence=seal.sequence - 1, last_hash=seal.previous_hash)
    problems = verify_chain().problems
    assert any(f"第 {seal.sequence} 条封存记录与链外锚点" in p for p in problems), problems


def test_an_event_edited_before_it_is_sealed_is_found() -> None:
    event = record_event("test.event", actor="system", detail={"amount": 1})
    _bypass_append_only()
    AuditEvent.objects.filter(pk=event.pk).update(detail={"amount": 1000})
    assert any(f"#{event.pk}" in p and "修改" in p for p in verify_chain().problems)
    seal_pending()  # sealing the edited row does not launder it
    assert any(f"#{event.pk}" in p and "修改" in p for p in verify_chain().problems)


def test_an_event_left_unsealed_too_long_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    record_event("test.event", actor="system")
    assert verify_chain().ok  # just written: within the grace time
    monkeypatch.setattr("fawang.audit.services.UNSEALED_GRACE_SECONDS", -1)
    problems = verify_chain().problems
    assert any("仍未封存" in p for p in problems), problems
    seal_pending()
    assert verify_chain().ok


def _reveal() -> PersonalDataAccess:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    citizen = make_citizen(phone="13911112222")
    access = record_personal_data_access(
        actor=seat, subject=citizen, field_name="phone", reason="回电核实"
    )
    seal_pending()
    return access


def test_a_deleted_personal_data_access_record_is_named() -> None:
    access = _reveal()
    assert verify_chain().ok
    _bypass_append_only()
    PersonalDataAccess.objects.all().delete()
    problems = verify_chain().problems
    assert any(f"个人信息查看记录 #{access.pk} 已被删除" in p for p in problems), problems


def test_an_edited_or_invented_personal_data_access_record_is_named() -> None:
    access = _reveal()
    _bypass_append_only()
    PersonalDataAccess.objects.filter(pk=access.pk).update(reason="随便看看")
    forged = PersonalDataAccess.objects.create(
        actor=access.actor,
        subject_type=access.subject_type,
        subject_id=access.subject_id,
        field="id_number",
        reason="伪造",
        accessed_at=timezone.now() - timedelta(hours=1),
    )
    problems = verify_chain().problems
    assert any(f"#{access.pk} 与其审计事件不符" in p for p in problems), problems
    assert any(f"#{forged.pk} 没有对应的审计事件" in p for p in problems), problems


def test_a_forged_anchor_line_is_found_and_a_missing_anchor_file_too() -> None:
    _sealed(2)
    path = Path(settings.AUDIT_ANCHOR_FILE)
    entry = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    entry["sequence"] += 5
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(json.dumps(entry) + "\n")
    assert any("锚点文件第" in p for p in verify_chain().problems)
    path.unlink()
    assert any("锚点文件缺失" in p for p in verify_chain().problems)


def test_a_different_audit_key_fails_every_event(settings) -> None:  # type: ignore[no-untyped-def]
    _sealed(2)
    assert verify_chain().ok
    settings.AUDIT_KEY = "ab" * 32
    assert not verify_chain().ok
