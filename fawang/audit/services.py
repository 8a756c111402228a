"""Writing and verifying the audit trail.

Every state-changing service calls :func:`record_event` inside its own transaction, so the event
exists exactly when the change does. :func:`seal_pending` (the ``audit.seal`` job, every few
seconds) hash-chains committed events; :func:`verify_chain` checks the chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.db import models, transaction
from django.utils import timezone

from fawang.audit.models import (
    AuditChainHead,
    AuditEvent,
    AuditSeal,
    Outcome,
    PersonalDataAccess,
)

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "id": event.pk,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "detail": event.detail,
        "ip_address": event.ip_address,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(previous_hash.encode("ascii"))
    digest.update(_canonical(event))
    return digest.finalize().hex()


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def record_event(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one event in the caller's transaction. One INSERT, no shared lock: chaining is the
    sealer's job, so audit never queues one request behind another."""
    object_type, object_id = _object_ref(obj)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "system"))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=detail or {},
        ip_address=ip_address,
    )


def record_personal_data_access(
    *, actor: Any, subject: models.Model, field_name: str, reason: str
) -> PersonalDataAccess:
    """``actor`` is a user, or a label (or None) for the platform itself, as in record_event."""
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    with transaction.atomic():
        access = PersonalDataAccess.objects.create(
            actor=actor if is_user else None,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            field=field_name,
            reason=reason[:200],
        )
        record_event(
            "personal_data.reveal",
            actor=actor,
            obj=subject,
            detail={"field": field_name, "reason": reason[:200]},
        )
    return access


def seal_pending(batch_size: int = 5000) -> int:
    """Chain every committed, unsealed event, oldest id first. Returns how many were sealed.

    Only the sealer takes the chain head's lock, so concurrent sealers queue harmlessly. An event
    whose transaction commits after younger ones is simply sealed in a later run.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
            events = list(AuditEvent.objects.filter(seal__isnull=True).order_by("id")[:batch_size])
            if not events:
                return sealed
            now, previous, seals = timezone.now(), head.last_hash, []
            for offset, event in enumerate(events, start=1):
                link = chain_hash(previous, event)
                seals.append(
                    AuditSeal(
                        sequence=head.last_sequence + offset,
                        event=event,
                        sealed_at=now,
                        previous_hash=previous,
                        chain_hash=link,
                    )
                )
                previous = link
            AuditSeal.objects.bulk_create(seals)
            head.last_sequence += len(seals)
            head.last_hash = previous
            head.save(update_fields=["last_sequence", "last_hash"])
            sealed += len(seals)


@dataclass
class ChainReport:
    checked: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every link: finds edited events, missing seals (gaps) and a cut-off tail."""
    report = ChainReport()
    previous_hash, expected_sequence = GENESIS_HASH, 1
    seals = AuditSeal.objects.select_related("event").order_by("sequence")
    for seal in seals.iterator(chunk_size=batch_size):
        if seal.sequence != expected_sequence:
            report.problems.append(
                f"缺少第 {expected_sequence}–{seal.sequence - 1} 条封存记录（可能被删除）"
            )
            previous_hash = seal.previous_hash
        if seal.previous_hash != previous_hash:
            report.problems.append(f"第 {seal.sequence} 条事件的前序哈希与链不符")
        if chain_hash(seal.previous_hash, seal.event) != seal.chain_hash:
            report.problems.append(
                f"第 {seal.sequence} 条事件（#{seal.event_id}）内容被修改（哈希不符）"
            )
        previous_hash, expected_sequence = seal.chain_hash, seal.sequence + 1
        report.checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_sequence, head.last_hash) != (
        expected_sequence - 1,
        previous_hash,
    ):
        report.problems.append(
            f"链尾不符：记录的最后一条为第 {head.last_sequence} 条，实际为第 {expected_sequence - 1} 条"
        )
    report.unsealed = AuditEvent.objects.filter(seal__isnull=True).count()
    return report
