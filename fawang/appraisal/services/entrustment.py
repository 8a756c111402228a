"""Entrustment (委托), acceptance or refusal with the field and conflict checks, the opinion time
limit and its extension."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.appraisal.fields import FIELDS, field_label
from fawang.appraisal.models import (
    EntrustingKind,
    Entrustment,
    EntrustmentStatus,
)
from fawang.appraisal.policy import appraisal_policy
from fawang.appraisal.services._common import (
    MAX_TEXT,
    _require_appraiser,
    active_institution,
    is_appraiser_of,
    is_head_of,
)
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_choice, clean_phone, clean_text
from fawang.policy.deadlines import deadline

# --- entrustment ------------------------------------------------------------------------------


@dataclass
class EntrustmentIn:
    institution_id: int
    entrusting_kind: str
    entrusting_name: str
    entrusting_phone: str
    matter: str
    field: str
    fee_estimate: Any
    parties: list[str] = dc_field(default_factory=list)
    materials: str = ""
    mediation_ref: str = ""


def entrust(data: EntrustmentIn, *, acting_user: User) -> Entrustment:
    """委托: recorded by the institution that receives it (决定 art. 8: 鉴定人由所在的鉴定机构
    统一接受委托), only in a field the institution is licensed for (决定 art. 9 para. 2 — the
    roster's business scope); the acceptance limit starts (pack, 通则 art. 13)."""
    institution = active_institution(data.institution_id)
    if not is_appraiser_of(acting_user, institution.pk):
        raise PermissionDenied(_("只有本鉴定机构的司法鉴定人可以登记委托。"))
    kind = clean_choice(
        data.entrusting_kind, EntrustingKind.values, "entrusting_kind", "委托人类别"
    )
    name = clean_text(data.entrusting_name, 100, "entrusting_name", "委托人")
    phone = clean_phone(data.entrusting_phone, "entrusting_phone")
    matter = clean_text(data.matter, MAX_TEXT, "matter", "委托鉴定事项")
    field_code = clean_choice(data.field, FIELDS, "field", "鉴定类别", code="unknown_field")
    if field_code not in (institution.service_fields or []):
        raise InvalidInput(
            _("该鉴定机构未获准从事%(field)s，不能接受此项委托。")
            % {"field": _(field_label(field_code))},
            code="field_not_licensed",
            field="field",
        )
    try:
        fee = Decimal(str(data.fee_estimate)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("预估鉴定费应为金额。"), code="bad_amount", field="fee_estimate"
        ) from None
    if fee < 0 or fee > Decimal("99999999"):
        raise InvalidInput(_("预估鉴定费超出范围。"), code="bad_amount", field="fee_estimate")
    parties = [clean_text(p, 100, "parties", "当事人") for p in data.parties if str(p).strip()]
    materials = clean_text(data.materials, MAX_TEXT, "materials", "鉴定材料", required=False)
    ref = clean_text(data.mediation_ref, 32, "mediation_ref", "调解纠纷编号", required=False)
    if kind == EntrustingKind.MEDIATION and not ref:
        raise InvalidInput(
            _("鉴调一体的委托须填写调解纠纷编号。"), code="required", field="mediation_ref"
        )
    policy = appraisal_policy(institution.region)
    now = timezone.now()
    with transaction.atomic():
        entrustment = Entrustment.objects.create(
            number=next_number("JD", now),
            institution=institution,
            region=institution.region,
            entrusting_kind=kind,
            entrusting_name=name,
            entrusting_phone=phone,
            parties=parties,
            matter=matter,
            field=field_code,
            materials=materials,
            fee_estimate=fee,
            mediation_ref=ref,
            received_at=now,
            decide_by=deadline(now, policy.accept_period),
            created_by=acting_user,
        )
        record_event(
            "appraisal.entrustment_received",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number, "field": field_code},
        )
    return entrustment


def _qualified(person: Practitioner, entrustment: Entrustment) -> bool:
    return (
        person.kind == PractitionerKind.APPRAISER
        and person.institution_id == entrustment.institution_id
        and person.status == PractitionerStatus.PRACTISING
        and entrustment.field in (person.specialties or [])
    )


def accept(entrustment: Entrustment, appraiser_ids: list[int], *, acting_user: User) -> Entrustment:
    """受理 with the appraisers named: each licensed in the field at this institution (决定 art.
    9), as many as the pack asks (通则 art. 19: two), none a party (回避, 通则 art. 20 — here: an
    appraiser named among the parties); the opinion limit starts (通则 art. 28)."""
    _require_appraiser(acting_user, entrustment)
    policy = appraisal_policy(entrustment.region)
    ids = sorted({i for i in appraiser_ids if isinstance(i, int) and not isinstance(i, bool)})
    if len(ids) < policy.appraisers_per_case:
        raise InvalidInput(
            _("同一鉴定事项应当指定%(n)s名以上司法鉴定人。") % {"n": policy.appraisers_per_case},
            code="too_few_appraisers",
            field="appraiser_ids",
        )
    people = list(Practitioner.objects.filter(pk__in=ids))
    if len(people) != len(ids) or not all(_qualified(p, entrustment) for p in people):
        raise InvalidInput(
            _("所选鉴定人须为本机构在册执业、且具有%(field)s执业类别的司法鉴定人。")
            % {"field": _(entrustment.field_label)},
            code="not_qualified",
            field="appraiser_ids",
        )
    parties = {p.strip() for p in entrustment.parties}
    conflicted = [p.name for p in people if p.name in parties]
    if conflicted:
        raise Conflict(
            _("鉴定人%(names)s是本案当事人，应当回避。") % {"names": "、".join(conflicted)},
            code="conflict_of_interest",
        )
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.RECEIVED:
            raise Conflict(_("该委托已作出受理决定。"), code="bad_state")
        now = timezone.now()
        entrustment.status = EntrustmentStatus.ACCEPTED
        entrustment.decided_at = now
        entrustment.opinion_due_at = deadline(now, policy.opinion_period)
        entrustment.save()
        entrustment.appraisers.set(people)
        record_event(
            "appraisal.entrustment_accepted",
            actor=acting_user,
            obj=entrustment,
            detail={
                "number": entrustment.number,
                "appraisers": [p.licence_number for p in people],
                "late": now > entrustment.decide_by,
            },
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】您的司法鉴定委托{entrustment.number}已受理。",
        )
    return entrustment


def refuse(entrustment: Entrustment, reason: str, *, acting_user: User) -> Entrustment:
    """不予受理 with the reason (通则 art. 15 lists the grounds; the reason is free text)."""
    _require_appraiser(acting_user, entrustment)
    reason = clean_text(reason, MAX_TEXT, "reason", "不予受理的理由")
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.RECEIVED:
            raise Conflict(_("该委托已作出受理决定。"), code="bad_state")
        entrustment.status = EntrustmentStatus.REFUSED
        entrustment.decided_at = timezone.now()
        entrustment.refused_reason = reason
        entrustment.save()
        record_event(
            "appraisal.entrustment_refused",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number},
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】您的司法鉴定委托{entrustment.number}不予受理，理由已书面告知。",
        )
    return entrustment


def extend(entrustment: Entrustment, reason: str, *, acting_user: User) -> Entrustment:
    """延长鉴定时限: approved by the institution head, as many times and as long as the pack
    allows (通则 art. 28)."""
    if not is_head_of(acting_user, entrustment.institution_id):
        raise PermissionDenied(_("延长鉴定时限须经本鉴定机构负责人批准。"))
    reason = clean_text(reason, MAX_TEXT, "reason", "延长理由")
    policy = appraisal_policy(entrustment.region)
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.ACCEPTED or entrustment.opinion_due_at is None:
            raise Conflict(_("只有鉴定中的委托可以延长时限。"), code="bad_state")
        if entrustment.extensions >= policy.max_extensions:
            raise Conflict(_("鉴定时限已延长过，不能再次延长。"), code="no_more_extensions")
        due = entrustment.opinion_due_at - timedelta(seconds=1)
        entrustment.opinion_due_at = deadline(due, policy.extension_period)
        entrustment.extensions += 1
        entrustment.extension_reason = reason
        entrustment.save()
        record_event(
            "appraisal.time_extended",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number, "due": entrustment.opinion_due_at.isoformat()},
        )
    return entrustment
