from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from fawang.audit.models import AuditChainHead, AuditEvent, AuditSeal
from fawang.audit.services import record_event, seal_pending, verify_chain
from fawang.audit.tasks import seal_audit_events, seal_late_audit_events
from fawang.core import services
from fawang.core.errors import InvalidInput
from fawang.core.models import Role
from tests.conftest import CHAOYANG
from tests.factories import make_institution, make_staff

pytestmark = pytest.mark.django_db


def _bypass_append_only() -> None:
    """What a DBA with table-owner rights could do: switch the append-only triggers off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _a_few_sealed_events() -> list[AuditEvent]:
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    firm = make_institution(CHAOYANG)
    for n in range(3):
        services.update_institution(
            acting_user=supervisor, institution=firm, changes={"address": f"地址{n}"}
        )
    seal_pending()
    return list(AuditEvent.objects.filter(action="institution.update").select_related("seal"))


def _delete_sealed(event: AuditEvent) -> None:
    AuditSeal.objects.filter(event=event).delete()
    AuditEvent.objects.filter(pk=event.pk).delete()


def test_a_service_write_records_who_what_when_and_outcome() -> None:
    events = _a_few_sealed_events()
    last = events[-1]
    assert last.actor is not None and last.actor_label == last.actor.username
    assert last.object_type == "core.institution"
    assert last.detail["after"] == {"address": "地址2"}
    assert last.outcome == "success"
    report = verify_chain()
    assert report.ok and report.unsealed == 0 and report.checked >= 3


def test_a_refused_change_writes_neither_change_nor_event() -> None:
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    firm = make_institution(CHAOYANG)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput):
        services.update_institution(
            acting_user=supervisor, institution=firm, changes={"name": "长" * 201}
        )
    assert AuditEvent.objects.count() == before
    firm.refresh_from_db()
    assert len(firm.name) < 201


def test_verify_detects_an_edited_row() -> None:
    target = _a_few_sealed_events()[1]
    _bypass_append_only()
    AuditEvent.objects.filter(pk=target.pk).update(detail={"after": {"address": "伪造"}})
    report = verify_chain()
    assert not report.ok
    assert any(f"第 {target.seal.sequence} 条" in p and "修改" in p for p in report.problems)


def test_verify_detects_a_deleted_row() -> None:
    target = _a_few_sealed_events()[0]
    _bypass_append_only()
    _delete_sealed(target)
    assert any("缺少" in p for p in verify_chain().problems)


def test_verify_reads_the_chain_a_page_at_a_time_and_misses_nothing() -> None:
    events = _a_few_sealed_events()
    sealed = AuditSeal.objects.count()
    report = verify_chain(batch_size=2)
    assert report.ok and report.checked == sealed
    # A row edited on a later page, and a gap where one page ends and the next begins.
    _bypass_append_only()
    AuditEvent.objects.filter(pk=events[-1].pk).update(detail={"after": {"address": "伪造"}})
    AuditSeal.objects.filter(sequence=2).delete()
    problems = verify_chain(batch_size=2).problems
    assert any(f"第 {events[-1].seal.sequence} 条" in p and "修改" in p for p in problems)
    assert any("缺少第 2–2 条" in p for p in problems)


def test_verify_detects_a_cut_off_tail() -> None:
    last = _a_few_sealed_events()[-1]
    _bypass_append_only()
    _delete_sealed(last)
    assert any("链尾" in p for p in verify_chain().problems)


def test_fawang_audit_verify_fails_on_tampering(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out
    target = _a_few_sealed_events()[0]
    _bypass_append_only()
    AuditEvent.objects.filter(pk=target.pk).update(action="institution.view")
    with pytest.raises(CommandError, match="审计链被破坏"):
        call_command("audit", "verify")


def test_sealing_chains_events_without_gaps_and_only_once() -> None:
    record_event("test.one", actor="system")
    record_event("test.two", actor="system")
    assert verify_chain().unsealed >= 2
    sealed = seal_pending()
    assert sealed >= 2 and seal_pending() == 0
    sequences = list(AuditSeal.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    head = AuditChainHead.objects.get()
    assert head.last_hash == AuditSeal.objects.last().chain_hash  # type: ignore[union-attr]
    record_event("test.three", actor="system")
    assert seal_pending() == 1 and verify_chain().ok


def test_the_frequent_sealer_leaves_a_long_late_commit_to_the_hourly_sweep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_event("test.first", actor="system")
    seal_pending()
    # Written three hours ago by a transaction that only commits now (a long import, say).
    written = timezone.now() - timedelta(hours=3)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: written)
        late = record_event("test.late", actor="system")
    fresh = record_event("test.fresh", actor="system")
    assert seal_audit_events.call() == 1  # the job every 10 s: only what is recent
    assert not AuditSeal.objects.filter(event=late).exists()
    assert AuditSeal.objects.filter(event=fresh).exists()
    assert seal_late_audit_events.call() == 1  # the hourly sweep takes the rest
    assert AuditSeal.objects.filter(event=late).exists() and verify_chain().ok


def test_a_sealed_event_cannot_be_deleted_while_its_seal_exists() -> None:
    event = record_event("test.keep", actor="system")
    seal_pending()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        AuditEvent.objects.filter(pk=event.pk).delete()
