"""Screening (排查): key periods, the periodic screening tasks, risks that become disputes."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Region,
    Role,
    User,
)
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.mediation.models import (
    Cadence,
    Dispute,
    DisputeSource,
    DisputeType,
    KeyPeriod,
    PartyRole,
    Screening,
    ScreeningRisk,
)
from fawang.mediation.policy import mediation_policy
from fawang.mediation.services._common import MAX_TEXT, _in_region, _require_bureau_over
from fawang.mediation.services.disputes import PartyIn, _Clean, _insert_dispute

# --- screening (排查) --------------------------------------------------------------------------


def declare_key_period(
    *, acting_user: User, region: Region, name: str, starts_on: date, ends_on: date
) -> KeyPeriod:
    """A bureau declares important events or sensitive dates: daily screening (BJ-measures 13)."""
    name = clean_text(name, 100, "name", "重点时段名称")
    if ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期。", code="bad_range", field="ends_on")
    if (ends_on - starts_on).days > 92:
        raise InvalidInput("重点时段不能超过92天。", code="too_long", field="ends_on")
    _require_bureau_over(acting_user, region)
    with transaction.atomic():
        period = KeyPeriod.objects.create(
            region=region, name=name, starts_on=starts_on, ends_on=ends_on, declared_by=acting_user
        )
        record_event(
            "mediation.key_period_declared",
            actor=acting_user,
            obj=period,
            detail={"region": region.code, "from": str(starts_on), "to": str(ends_on)},
        )
    return period


def _period(cadence: str, day: date) -> tuple[date, date]:
    """The first and last day of the cadence's period containing ``day``."""
    if cadence == Cadence.DAILY:
        return day, day
    if cadence == Cadence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _screening_units() -> dict[str, list[Institution]]:
    active = Institution.objects.filter(status=InstitutionStatus.ACTIVE).select_related("region")
    return {
        "village": list(
            active.filter(
                kind=InstitutionKind.MEDIATION_COMMITTEE, mediation_level=MediationLevel.VILLAGE
            )
        ),
        "office": list(active.filter(kind=InstitutionKind.JUSTICE_OFFICE)),
    }


def generate_screenings(day: date) -> int:
    """Create the screening tasks whose period contains ``day`` (idempotent): village committees
    weekly, township justice offices monthly, and every unit inside a declared key period daily
    (cadences from the pack; BJ-measures 13)."""
    units = _screening_units()
    periods = list(
        KeyPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related("region")
    )
    rows: list[Screening] = []
    for kind, cadence_attr in (("village", "village_cadence"), ("office", "office_cadence")):
        for unit in units[kind]:
            policy = mediation_policy(unit.region)
            cadence = getattr(policy, cadence_attr)
            rows.append(_screening_row(unit, cadence, day, policy.grace_days))
            for period in periods:
                if period.region.contains(unit.region):
                    rows.append(
                        _screening_row(
                            unit, policy.key_period_cadence, day, policy.grace_days, period
                        )
                    )
                    break
    before = Screening.objects.count()
    Screening.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Screening.objects.count() - before


def _screening_row(
    unit: Institution, cadence: str, day: date, grace: int, period: KeyPeriod | None = None
) -> Screening:
    start, end = _period(cadence, day)
    return Screening(
        unit=unit,
        region=unit.region,
        cadence=cadence,
        period_start=start,
        due_on=end + timedelta(days=grace),
        key_period=period,
    )


@dataclass
class RiskIn:
    description: str
    dispute_type: str
    parties: str = ""


def may_screen(user: User, screening: Screening) -> bool:
    if user.institution_id is not None and user.institution_id == screening.unit_id:
        return True
    return user.role == Role.SUPERVISOR_TOWNSHIP and _in_region(user, screening.region)


def complete_screening(
    screening: Screening, *, acting_user: User, notes: str, risks: Sequence[RiskIn] = ()
) -> Screening:
    notes = clean_text(notes, MAX_TEXT, "notes", "排查情况")
    clean = [
        RiskIn(
            description=clean_text(risk.description, 1000, "risks.description", "风险隐患"),
            dispute_type=clean_choice(
                risk.dispute_type, DisputeType.values, "risks.dispute_type", "纠纷类型"
            ),
            parties=clean_text(risk.parties, 200, "risks.parties", "涉及人员", required=False),
        )
        for risk in risks
    ]
    if not may_screen(acting_user, screening):
        raise PermissionDenied("只有排查单位的工作人员可以登记排查。")
    with transaction.atomic():
        screening = lock(screening)
        if screening.done_at is not None:
            raise Conflict("该排查已登记完成。", code="already_done")
        screening.done_at, screening.done_by, screening.notes = timezone.now(), acting_user, notes
        screening.save(update_fields=["done_at", "done_by", "notes", "updated_at"])
        ScreeningRisk.objects.bulk_create(
            ScreeningRisk(screening=screening, **vars(risk)) for risk in clean
        )
        record_event(
            "mediation.screening_done",
            actor=acting_user,
            obj=screening,
            detail={"risks": len(clean), "overdue": screening.due_on < timezone.localdate()},
        )
    return screening


def dispute_from_risk(risk: ScreeningRisk, *, acting_user: User, facts: str = "") -> Dispute:
    """A risk found by screening becomes a dispute for the nearest committee."""
    if not may_screen(acting_user, risk.screening):
        raise PermissionDenied("只有排查单位的工作人员可以登记纠纷。")
    clean = _Clean(
        dispute_type=risk.dispute_type,
        facts=clean_text(facts or risk.description, MAX_TEXT, "facts", "纠纷事实"),
        claims="",
        amount=None,
        place="",
        region=risk.screening.region,
        parties=[(PartyRole.APPLICANT, PartyIn(name=risk.parties or "（排查发现）"))],
    )
    unit = risk.screening.unit
    committee = unit if unit.kind == InstitutionKind.MEDIATION_COMMITTEE else None
    with transaction.atomic():
        locked = lock(risk)
        if locked.dispute_id is not None:
            raise Conflict("该风险已登记为纠纷。", code="already_converted")
        dispute = _insert_dispute(
            clean, source=DisputeSource.SCREENING, acting_user=acting_user, committee=committee
        )
        locked.dispute = dispute
        locked.save(update_fields=["dispute"])
    return dispute
