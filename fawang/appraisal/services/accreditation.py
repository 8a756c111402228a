"""资质认定 (CMA) and 认可 (CNAS) of an institution's laboratory per licensed field, and the
institution's 母体: recorded, renewed and withdrawn by the bureau (a city or district 司法局)
over the institutions of its region.

The 决定 art. 5(三) makes a laboratory 依法通过计量认证或者实验室认可 a condition of the licence
"在业务范围内": a certificate counts only for a field the institution is licensed in. The plans'
coverage (BJ-21, SJZ-34) counts 资质认定 — docs/appraisal.md, "Accreditation"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fawang.appraisal.fields import FIELDS, field_label
from fawang.appraisal.models import (
    Accreditation,
    AccreditationKind,
    InstitutionProfile,
    ParentBody,
)
from fawang.appraisal.services._common import records_accreditation
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, InstitutionKind, User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text


@dataclass(frozen=True)
class AccreditationIn:
    field: str
    kind: str
    certificate_number: str
    issuing_body: str
    issued_on: Any  # a date or its ISO text (年-月-日)
    valid_until: Any


def _require_bureau(user: User, institution: Institution) -> None:
    if institution.kind != InstitutionKind.APPRAISAL_INSTITUTION:
        raise InvalidInput(_("请选择司法鉴定机构。"), code="no_institution", field="institution")
    if not records_accreditation(user, institution):
        raise PermissionDenied(_("资质认定由主管该鉴定机构的市、区司法局登记。"))


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(
            _("请按 年-月-日 填写%(label)s。") % {"label": label}, code="bad_date", field=field
        ) from None


def _licensed_field(institution: Institution, value: str) -> str:
    field = clean_choice(value, FIELDS, "field", "鉴定类别", code="unknown_field")
    if field not in (institution.service_fields or []):
        raise InvalidInput(
            _("该鉴定机构未获准从事%(field)s业务，不能登记这一类别的资质认定。")
            % {"field": _(field_label(field))},
            code="field_not_licensed",
            field="field",
        )
    return field


def _certificate(
    institution: Institution, number: str, body: str, issued: Any, until: Any
) -> tuple[str, str, date, date]:
    number = clean_text(number, 60, "certificate_number", "证书编号").upper()
    body = clean_text(body, 100, "issuing_body", "发证机关")
    issued_on = _date(issued, "issued_on", pgettext("in a sentence", "发证日期"))
    valid_until = _date(until, "valid_until", pgettext("in a sentence", "有效期截止日期"))
    if issued_on > timezone.localdate():
        raise InvalidInput(_("发证日期不能晚于今天。"), code="future_date", field="issued_on")
    if valid_until <= issued_on:
        raise InvalidInput(
            _("有效期截止日期应晚于发证日期。"), code="bad_period", field="valid_until"
        )
    if (
        Accreditation.objects.filter(certificate_number=number)
        .exclude(institution=institution)
        .exists()
    ):
        raise Conflict(
            _("该证书编号已登记在其他鉴定机构名下，请核对。"),
            code="certificate_taken",
        )
    return number, body, issued_on, valid_until


def record_accreditation(
    institution: Institution, data: AccreditationIn, *, acting_user: User
) -> Accreditation:
    """A certificate for one licensed field. Refused while the field already has one of the
    same kind in force (that one is renewed instead)."""
    _require_bureau(acting_user, institution)
    field = _licensed_field(institution, data.field)
    kind = clean_choice(data.kind, AccreditationKind.values, "kind", "资质类别")
    number, body, issued_on, valid_until = _certificate(
        institution, data.certificate_number, data.issuing_body, data.issued_on, data.valid_until
    )
    today = timezone.localdate()
    with transaction.atomic():
        lock(Institution, institution.pk)  # one recording per institution at a time
        live = [
            row
            for row in Accreditation.objects.filter(
                institution=institution, field=field, kind=kind, renewal__isnull=True
            )
            if row.counts_on(today)
        ]
        if live:
            raise Conflict(
                _("%(field)s已有有效的%(kind)s（%(number)s），请办理换证。")
                % {
                    "field": _(field_label(field)),
                    "kind": AccreditationKind(kind).label,
                    "number": live[0].certificate_number,
                },
                code="already_accredited",
            )
        accreditation = Accreditation.objects.create(
            institution=institution,
            field=field,
            kind=kind,
            certificate_number=number,
            issuing_body=body,
            issued_on=issued_on,
            valid_until=valid_until,
            recorded_by=acting_user,
        )
        record_event(
            "appraisal.accreditation_recorded",
            actor=acting_user,
            obj=accreditation,
            detail={"institution": institution.pk, "field": field, "kind": kind},
        )
    return accreditation


def renew_accreditation(
    accreditation: Accreditation,
    certificate_number: str,
    issuing_body: str,
    issued_on: Any,
    valid_until: Any,
    *,
    acting_user: User,
) -> Accreditation:
    """换证: a new certificate replacing this one (a new row naming it); the old one keeps its
    dates, so a past day still counts as it was."""
    institution = accreditation.institution
    _require_bureau(acting_user, institution)
    _licensed_field(institution, accreditation.field)
    body = issuing_body or accreditation.issuing_body
    number, body, issued, until = _certificate(
        institution, certificate_number, body, issued_on, valid_until
    )
    with transaction.atomic():
        old = lock(accreditation)
        if old.withdrawn:
            raise Conflict(_("该证书已撤销，不能换证；请登记新的证书。"), code="already_withdrawn")
        if Accreditation.objects.filter(previous=old).exists():
            raise Conflict(_("该证书已换发新证，请对新证书操作。"), code="already_renewed")
        if until <= old.valid_until:
            raise InvalidInput(
                _("新证书的有效期应晚于原证书（%(until)s）。")
                % {"until": f"{old.valid_until:%Y-%m-%d}"},
                code="bad_period",
                field="valid_until",
            )
        renewed = Accreditation.objects.create(
            institution=institution,
            field=old.field,
            kind=old.kind,
            certificate_number=number,
            issuing_body=body,
            issued_on=issued,
            valid_until=until,
            previous=old,
            recorded_by=acting_user,
        )
        record_event(
            "appraisal.accreditation_renewed",
            actor=acting_user,
            obj=renewed,
            detail={"previous": old.pk, "valid_until": until.isoformat()},
        )
    return renewed


def withdraw_accreditation(
    accreditation: Accreditation,
    reason: str,
    withdrawn_on: Any = None,
    *,
    acting_user: User,
) -> Accreditation:
    """撤销: from the day given (the issuing body's decision; today when none); it stops counting
    from that day."""
    _require_bureau(acting_user, accreditation.institution)
    reason = clean_text(reason, 500, "reason", "撤销理由")
    today = timezone.localdate()
    day = (
        _date(withdrawn_on, "withdrawn_on", pgettext("in a sentence", "撤销日期"))
        if withdrawn_on
        else today
    )
    if day > today:
        raise InvalidInput(_("撤销日期不能晚于今天。"), code="future_date", field="withdrawn_on")
    with transaction.atomic():
        row = lock(accreditation)
        if row.withdrawn:
            raise Conflict(_("该证书已撤销。"), code="already_withdrawn")
        if Accreditation.objects.filter(previous=row).exists():
            raise Conflict(_("该证书已换发新证，请对新证书操作。"), code="already_renewed")
        if day < row.issued_on:
            raise InvalidInput(
                _("撤销日期不能早于发证日期。"), code="bad_date", field="withdrawn_on"
            )
        row.withdrawn, row.withdrawn_on, row.withdraw_reason = True, day, reason
        row.save(update_fields=["withdrawn", "withdrawn_on", "withdraw_reason", "updated_at"])
        record_event(
            "appraisal.accreditation_withdrawn",
            actor=acting_user,
            obj=row,
            detail={"withdrawn_on": day.isoformat()},
        )
    return row


def record_parent_body(
    institution: Institution, parent_body: str, parent_name: str = "", *, acting_user: User
) -> InstitutionProfile:
    """母体 (SJZ 专栏1 #24) as the bureau records it; a later record replaces it."""
    _require_bureau(acting_user, institution)
    parent_body = clean_choice(parent_body, ParentBody.values, "parent_body", "母体类型")
    required = parent_body != ParentBody.OTHER
    parent_name = clean_text(parent_name, 200, "parent_name", "母体名称", required=required)
    with transaction.atomic():
        profile, _created = InstitutionProfile.objects.update_or_create(
            institution=institution,
            defaults={
                "parent_body": parent_body,
                "parent_name": parent_name,
                "recorded_at": timezone.now(),
                "recorded_by": acting_user,
            },
        )
        record_event(
            "appraisal.parent_body_recorded",
            actor=acting_user,
            obj=institution,
            detail={"parent_body": parent_body},
        )
    return profile
