"""Counters for the indicators module (docs/indicators.md): SJZ-33 (valid-complaint rate),
BJ-22 (senior-title share), SJZ-35 (鉴调一体 county coverage), BJ-21 / SJZ-34 (资质认定
coverage per field), SJZ-24 (institutions with a 重点高校、科研院所 or 高科技企业 as 母体).

FLOW counters count what happened on one local day; STOCK counters the state at the end of it.
Each groups by the institution's region and returns additive numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fawang.appraisal.fields import ACCREDITATION_FIELDS
from fawang.appraisal.models import (
    KEY_PARENT_BODIES,
    Accreditation,
    AccreditationKind,
    Complaint,
    ComplaintDecision,
    EntrustingKind,
    Entrustment,
    InstitutionProfile,
    Opinion,
)
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    RegionLevel,
)
from fawang.core.periods import local_days

Counter = Callable[[date], dict[int, float]]

# 高级职称 of appraisers (正高、副高) as recorded in Practitioner.title.
SENIOR_TITLES = (
    "主任法医师",
    "副主任法医师",
    "主任医师",
    "副主任医师",
    "教授",
    "副教授",
    "研究员",
    "副研究员",
    "正高级工程师",
    "高级工程师",
)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min), ZoneInfo(settings.TIME_ZONE))
    return start, start + timedelta(days=1)


def _count_by(qs: QuerySet[Any], region_field: str) -> dict[int, float]:
    rows = qs.values(region_field).annotate(n=Count("id")).order_by()
    return {row[region_field]: float(row["n"]) for row in rows}


def opinions_issued(day: date) -> dict[int, float]:
    """Opinions (not supplements or corrections) issued on the day: the rate's denominator."""
    start, end = _day_bounds(day)
    return _count_by(
        Opinion.objects.filter(issued_at__gte=start, issued_at__lt=end, kind="opinion"),
        "entrustment__region_id",
    )


def valid_complaints(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        Complaint.objects.filter(
            decided_at__gte=start, decided_at__lt=end, decision=ComplaintDecision.VALID
        ),
        "institution__region_id",
    )


def appraisers_senior_title(day: date) -> dict[int, float]:
    rows = (
        Practitioner.objects.filter(
            kind=PractitionerKind.APPRAISER,
            status=PractitionerStatus.PRACTISING,
            title__in=SENIOR_TITLES,
        )
        .order_by()
        .values("institution__region_id")
        .annotate(n=Count("id"))
    )
    return {row["institution__region_id"]: float(row["n"]) for row in rows}


def districts(day: date) -> dict[int, float]:
    """County-level districts, each counted once by its justice bureau (司法局) on record."""
    rows = (
        Institution.objects.filter(
            kind=InstitutionKind.JUSTICE_BUREAU, region__level=RegionLevel.DISTRICT
        )
        .values_list("region_id", flat=True)
        .distinct()
        .order_by()
    )
    return {pk: 1.0 for pk in rows}


def districts_with_mediation_appraisal(day: date) -> dict[int, float]:
    """SJZ-35: districts where an appraisal institution has taken an entrustment from a mediation
    dispute (鉴调一体) by the end of the day — 1 per district, from the records."""
    _, end = _day_bounds(day)
    counted: dict[int, float] = {}
    regions = (
        Entrustment.objects.filter(entrusting_kind=EntrustingKind.MEDIATION, received_at__lt=end)
        .values_list("region_id", flat=True)
        .distinct()
        .order_by()
    )
    for region in Region.objects.filter(pk__in=list(regions)):
        district = region.district
        if district is not None:
            counted[district.pk] = 1.0
    return counted


def _institutions_on(day: date) -> QuerySet[Institution]:
    """The appraisal institutions on the roster at the end of the day (as core.appraisal_
    institutions counts them: active, created by then; the licence as it stands now)."""
    _, end = _day_bounds(day)
    return Institution.objects.filter(
        kind=InstitutionKind.APPRAISAL_INSTITUTION,
        status=InstitutionStatus.ACTIVE,
        created_at__lt=end,
    )


def accredited_pairs(day: date) -> set[tuple[int, str]]:
    """(institution, field) with a 资质认定 (CMA) certificate in force on the day: issued by then,
    not past its validity, not withdrawn by then. 认可 (CNAS) alone does not count."""
    rows = Accreditation.objects.filter(
        kind=AccreditationKind.CMA, issued_on__lte=day, valid_until__gte=day
    ).filter(Q(withdrawn=False) | Q(withdrawn_on__gt=day))
    return set(rows.values_list("institution_id", "field"))


def _field_counters(field: str) -> tuple[Counter, Counter]:
    """Institutions licensed in the field, and those of them with 资质认定 in it, by region."""

    def licensed(day: date) -> dict[int, float]:
        counted: dict[int, float] = {}
        for region_id, fields in _institutions_on(day).values_list("region_id", "service_fields"):
            if field in (fields or []):
                counted[region_id] = counted.get(region_id, 0.0) + 1
        return counted

    def accredited(day: date) -> dict[int, float]:
        pairs = accredited_pairs(day)
        counted: dict[int, float] = {}
        for pk, region_id, fields in _institutions_on(day).values_list(
            "pk", "region_id", "service_fields"
        ):
            if field in (fields or []) and (pk, field) in pairs:
                counted[region_id] = counted.get(region_id, 0.0) + 1
        return counted

    return licensed, accredited


def institutions_with_key_parent(day: date) -> dict[int, float]:
    """SJZ-24: institutions whose 母体, as the bureau recorded it, is a 重点高校, 科研院所 or
    高科技企业 (one not recorded counts as not)."""
    keyed = InstitutionProfile.objects.filter(parent_body__in=KEY_PARENT_BODIES).values(
        "institution"
    )
    return _count_by(_institutions_on(day).filter(pk__in=keyed), "region_id")


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days and the stock counters from the earliest of them to today (today's stocks
    on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change —
    opinions: ``issued_at``; complaints: ``decided_at`` (valid complaints); entrustments from a
    mediation dispute (the only ones counted): ``received_at`` (鉴调一体 coverage); certificates:
    ``issued_on``, ``valid_until`` and ``withdrawn_on`` (the 资质认定 coverage); parent bodies:
    the day of the change only (SJZ-24 reads the current record, which keeps no dates). The bureau
    records a certificate issued, or withdrawn, on any day up to today: one issued months ago
    and recorded today counts from its issue day. Opinions, complaints and entrustments carry the
    moment they are recorded. The only date ahead of the clock is a certificate's end of
    validity, which only stocks read: the day after it, today's stocks (refilled on every run)
    drop the certificate.

    Left to today's refill (the module has no fallback window once it has this hook): the
    senior-title and district stocks and the roster behind the coverage (an institution's
    licensed fields, status and creation) read core ``Practitioner``s and ``Institution``s, which
    this module does not own and which keep no history; a change to them shows in today's figure.
    A date changed later (the day it had before is not kept) needs ``fawang indicators fill
    --since``; the services set each counted date once (a renewal is a new certificate).
    """
    changed = [
        Opinion.objects.filter(updated_at__gte=since).values_list("issued_at", "updated_at"),
        Complaint.objects.filter(updated_at__gte=since).values_list("decided_at", "updated_at"),
        Entrustment.objects.filter(
            updated_at__gte=since, entrusting_kind=EntrustingKind.MEDIATION
        ).values_list("received_at", "updated_at"),
        Accreditation.objects.filter(updated_at__gte=since).values_list(
            "issued_on", "valid_until", "withdrawn_on", "updated_at"
        ),
        InstitutionProfile.objects.filter(updated_at__gte=since).values_list("updated_at"),
    ]
    return local_days(chain.from_iterable(changed))


FIELD_COUNTERS: dict[str, Counter] = {}
for _field in ACCREDITATION_FIELDS:
    _licensed, _accredited = _field_counters(_field)
    FIELD_COUNTERS[f"appraisal.licensed_{_field}"] = _licensed
    FIELD_COUNTERS[f"appraisal.accredited_{_field}"] = _accredited

FLOW_COUNTERS: dict[str, Counter] = {
    "appraisal.opinions_issued": opinions_issued,
    "appraisal.valid_complaints": valid_complaints,
}
STOCK_COUNTERS: dict[str, Counter] = {
    "appraisal.appraisers_senior_title": appraisers_senior_title,
    "appraisal.districts": districts,
    "appraisal.districts_with_mediation_appraisal": districts_with_mediation_appraisal,
    "appraisal.institutions_with_key_parent": institutions_with_key_parent,
    **FIELD_COUNTERS,
}
