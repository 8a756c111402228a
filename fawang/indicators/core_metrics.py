"""Stocks of the reference data (institutions, practitioners) for the indicators module.

Institutions record when they were created, so a past day counts those that existed then; their
status and party organisation are only known as they are now (no history is kept in core).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, Q

from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    PartyOrganisation,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
)
from fawang.workorders.metrics import day_bounds


def _institutions(kind: str, condition: Q | None = None) -> Callable[[date], dict[int, float]]:
    def compute(day: date) -> dict[int, float]:
        _, end = day_bounds(day)
        rows = Institution.objects.filter(
            kind=kind, status=InstitutionStatus.ACTIVE, created_at__lt=end
        )
        if condition is not None:
            rows = rows.filter(condition)
        grouped = rows.order_by().values("region_id").annotate(n=Count("id"))
        return {row["region_id"]: float(row["n"]) for row in grouped}

    return compute


def _practitioners(kind: str, condition: Q | None = None) -> Callable[[date], dict[int, float]]:
    def compute(day: date) -> dict[int, float]:
        rows = Practitioner.objects.filter(kind=kind, status=PractitionerStatus.PRACTISING)
        if condition is not None:
            rows = rows.filter(condition)
        grouped = rows.order_by().values("institution__region_id").annotate(n=Count("id"))
        return {row["institution__region_id"]: float(row["n"]) for row in grouped}

    return compute


FLOW_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {}
STOCK_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {
    "core.law_firms": _institutions(InstitutionKind.LAW_FIRM),
    "core.law_firms_party_independent": _institutions(
        InstitutionKind.LAW_FIRM, Q(party_organisation=PartyOrganisation.INDEPENDENT)
    ),
    "core.law_firms_party_any": _institutions(
        InstitutionKind.LAW_FIRM,
        Q(party_organisation__in=[PartyOrganisation.INDEPENDENT, PartyOrganisation.JOINT]),
    ),
    "core.notary_offices": _institutions(InstitutionKind.NOTARY_OFFICE),
    "core.appraisal_institutions": _institutions(InstitutionKind.APPRAISAL_INSTITUTION),
    "core.legal_aid_centres": _institutions(InstitutionKind.LEGAL_AID_CENTRE),
    "core.service_centres": _institutions(InstitutionKind.SERVICE_CENTRE),
    "core.mediation_committees": _institutions(InstitutionKind.MEDIATION_COMMITTEE),
    "core.lawyers": _practitioners(PractitionerKind.LAWYER),
    "core.public_sector_lawyers": _practitioners(PractitionerKind.LAWYER, Q(is_public_sector=True)),
    "core.notaries": _practitioners(PractitionerKind.NOTARY),
    "core.appraisers": _practitioners(PractitionerKind.APPRAISER),
    # SJZ plan 三: 专职鉴定人比例达到50%.
    "core.appraisers_full_time": _practitioners(PractitionerKind.APPRAISER, Q(is_full_time=True)),
    "core.mediators": _practitioners(PractitionerKind.MEDIATOR),
    "core.mediators_full_time": _practitioners(PractitionerKind.MEDIATOR, Q(is_full_time=True)),
    "core.community_advisers": _practitioners(PractitionerKind.COMMUNITY_ADVISER),
}
