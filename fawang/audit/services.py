"""Writing and verifying the audit trail.

Every state-changing service calls :func:`record_event` inside its own transaction, so the event
exists exactly when the change does. :func:`seal_pending` (the ``audit.seal`` job, every few
seconds) hash-chains committed events; :func:`verify_chain` checks the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from fawang.audit.anchors import Anchor, anchor_path, append_anchor, read_anchors
from fawang.audit.keys import mac, same
from fawang.audit.models import (
    AuditChainHead,
    AuditEvent,
    AuditSeal,
    Outcome,
    PersonalDataAccess,
)
from fawang.db.appends import append_rows

GENESIS_HASH = "0" * 64
# An event still unsealed this long after it was written means the sealer is not running.
UNSEALED_GRACE_SECONDS = 120
# The frequent sealer looks only at events written since the last seal, less this: an event whose
# transaction commits later than that after it was written waits for the hourly full sweep.
RECENT_LOOKBACK = timedelta(hours=1)


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
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


def _canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_mac(event: AuditEvent) -> str:
    """The event's own keyed MAC, computed as it is written: an edit made before it is sealed
    shows as well as one made after."""
    return mac(b"event", _canonical(_content(event)))


def chain_hash(previous_hash: str, event: AuditEvent) -> str:
    """The link: keyed, so a rewritten chain cannot be recomputed without the audit key."""
    linked = {**_content(event), "id": event.pk, "mac": event.mac}
    return mac(b"link", previous_hash.encode("ascii"), _canonical(linked))


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def audit_event(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """An event, not yet written, with its MAC; ``record_event(s)`` writes it."""
    object_type, object_id = _object_ref(obj)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "system"))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        # As the database will give it back, so the MAC verifies on the stored row.
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False)),
        ip_address=_stored_ip(ip_address),
    )
    event.mac = event_mac(event)
    return event


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
    event = audit_event(
        action, actor=actor, obj=obj, outcome=outcome, detail=detail, ip_address=ip_address
    )
    append_rows([event])
    return event


def record_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write several events built by :func:`audit_event` with one INSERT."""
    append_rows(events)
    return events


def _stored_ip(ip_address: str | None) -> str | None:
    if ip_address and ":" in ip_address:
        return clean_ipv6_address(ip_address)
    return ip_address or None


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
        # The event names the access row, so the sealed chain vouches for the access log too.
        record_event(
            "personal_data.reveal",
            actor=actor,
            obj=subject,
            detail={"field": field_name, "reason": reason[:200], "access_id": access.pk},
        )
    return access


def seal_pending(batch_size: int = 5000, *, recent_only: bool = False) -> int:
    """Chain every committed, unsealed event, oldest id first. Returns how many were sealed.

    Only the sealer takes the chain head's lock, so concurrent sealers queue harmlessly. An event
    whose transaction commits after younger ones is simply sealed in a later run. ``recent_only``
    (the job every few seconds) reads only the events written since the last seal, less
    ``RECENT_LOOKBACK``: on PostgreSQL that is the current month's partition and an index range,
    not an anti-join over the whole trail.
    """
    pending = AuditEvent.objects.filter(seal__isnull=True)
    if recent_only:
        last = AuditSeal.objects.order_by("-sequence").values_list("sealed_at", flat=True).first()
        if last is not None:
            pending = pending.filter(occurred_at__gte=last - RECENT_LOOKBACK)
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
            events = list(pending.order_by("id")[:batch_size])
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
        # Committed (the sealer runs in autocommit: the job, `fawang audit seal`): anchor it.
        append_anchor(head.last_sequence, head.last_hash)


@dataclass
class ChainReport:
    checked: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Everything an insider could have done to the trail, named:

    - an event edited (its own MAC, and its link, no longer verify), sealed or not yet;
    - a seal deleted (a gap in the sequence) or inserted or re-linked (the link fails);
    - the newest events cut off with their seals and the head rolled back (the head, and the
      anchors outside the database, name sequences the tables no longer hold);
    - a personal-data access record deleted, edited or invented (each is named by its sealed
      ``personal_data.reveal`` event);
    - events left unsealed past the grace time (the sealer is not running).
    """
    report = ChainReport()
    anchors, anchor_problems = read_anchors()
    report.problems.extend(anchor_problems)
    anchored = iter(anchors)
    next_anchor = next(anchored, None)
    previous_hash, expected_sequence = GENESIS_HASH, 1
    for seal in _seals_in_order(batch_size):
        if seal.sequence != expected_sequence:
            report.problems.append(
                f"缺少第 {expected_sequence}–{seal.sequence - 1} 条封存记录（可能被删除）"
            )
            previous_hash = seal.previous_hash
        if seal.previous_hash != previous_hash:
            report.problems.append(f"第 {seal.sequence} 条事件的前序哈希与链不符")
        if not same(event_mac(seal.event), seal.event.mac) or not same(
            chain_hash(seal.previous_hash, seal.event), seal.chain_hash
        ):
            report.problems.append(
                f"第 {seal.sequence} 条事件（#{seal.event_id}）内容被修改（哈希不符）"
            )
        while next_anchor is not None and next_anchor.sequence <= seal.sequence:
            if next_anchor.sequence < seal.sequence or not same(
                next_anchor.chain_hash, seal.chain_hash
            ):
                report.problems.append(_anchor_broken(next_anchor))
            next_anchor = next(anchored, None)
        previous_hash, expected_sequence = seal.chain_hash, seal.sequence + 1
        report.checked += 1
    for missing in [next_anchor, *anchored] if next_anchor else []:
        report.problems.append(_anchor_broken(missing))
    _check_head(report, expected_sequence - 1, previous_hash)
    _check_unsealed(report)
    _check_personal_data_log(report)
    return report


def _seals_in_order(batch_size: int) -> Iterator[AuditSeal]:
    """Every seal with its event, by sequence, a page at a time: keyset pages rather than a
    server-side cursor, which a transaction-mode pooler cannot keep (then the whole trail would
    be read into memory at once)."""
    after: int | None = None
    while True:
        page = AuditSeal.objects.select_related("event").order_by("sequence")
        if after is not None:
            page = page.filter(sequence__gt=after)
        seals = list(page[:batch_size])
        yield from seals
        if len(seals) < batch_size:
            return
        after = seals[-1].sequence


def _anchor_broken(anchor: Anchor) -> str:
    return (
        f"第 {anchor.sequence} 条封存记录与链外锚点（锚点文件第 {anchor.line} 行）不符："
        "该记录被删除、改写或链尾被截断"
    )


def _check_head(report: ChainReport, last_sequence: int, last_hash: str) -> None:
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_sequence, head.last_hash) != (last_sequence, last_hash):
        report.problems.append(
            f"链尾不符：记录的最后一条为第 {head.last_sequence} 条，实际为第 {last_sequence} 条"
        )
    if last_sequence and not anchor_path().exists():
        report.problems.append(f"链外锚点文件缺失（{anchor_path()}）：无法核验链尾")


def _check_unsealed(report: ChainReport) -> None:
    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    report.unsealed = unsealed.count()
    for event in unsealed.iterator():
        if not same(event_mac(event), event.mac):
            report.problems.append(f"未封存事件 #{event.pk} 内容被修改（哈希不符）")
    limit = timezone.now() - timedelta(seconds=UNSEALED_GRACE_SECONDS)
    stale = unsealed.filter(occurred_at__lt=limit).count()
    if stale:
        report.problems.append(
            f"{stale} 条事件写入已超过 {UNSEALED_GRACE_SECONDS} 秒仍未封存（封存任务未运行）"
        )


def _check_personal_data_log(report: ChainReport) -> None:
    """Each access row against the sealed event that names it (events from before access ids
    were recorded name none and are skipped)."""
    named: dict[int, AuditEvent] = {}
    reveals = AuditEvent.objects.filter(action="personal_data.reveal", seal__isnull=False)
    for event in reveals.iterator():
        access_id = event.detail.get("access_id")
        if isinstance(access_id, int):
            named[access_id] = event
    for access in PersonalDataAccess.objects.order_by("id").iterator():
        if access.pk not in named:
            if access.accessed_at < timezone.now() - timedelta(seconds=UNSEALED_GRACE_SECONDS):
                report.problems.append(
                    f"个人信息查看记录 #{access.pk} 没有对应的审计事件（可能为伪造）"
                )
            continue
        event = named.pop(access.pk)
        if (
            access.actor_id != event.actor_id
            or (access.subject_type, access.subject_id) != (event.object_type, event.object_id)
            or access.field != event.detail.get("field")
            or access.reason != event.detail.get("reason")
        ):
            report.problems.append(f"个人信息查看记录 #{access.pk} 与其审计事件不符（被修改）")
    for access_id, event in sorted(named.items()):
        report.problems.append(
            f"个人信息查看记录 #{access_id} 已被删除（审计事件 #{event.pk} 记载了该次查看）"
        )
