"""Reads of the audit trail: for the auditor only (三权分立)."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.audit.models import AuditEvent, PersonalDataAccess
from fawang.core.models import Role, User


def events_for_auditor(
    user: User, *, action: str | None = None, actor: str | None = None
) -> QuerySet[AuditEvent]:
    if user.role != Role.AUDITOR:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("seal").order_by("-id")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label=actor)
    return qs


def personal_data_accesses_for_auditor(user: User) -> QuerySet[PersonalDataAccess]:
    if user.role != Role.AUDITOR:
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("actor").order_by("-accessed_at")
