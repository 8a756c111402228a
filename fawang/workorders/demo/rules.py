"""The demo dispatch rules: one per business line for every district with a centre, and a city
catch-all."""

from __future__ import annotations

from fawang.core.demo import BEIJING_CODE
from fawang.core.generations import bump
from fawang.core.models import Institution, InstitutionKind, Region, RegionLevel, User
from fawang.workorders.demo.data import ARBITRATION_COMMISSION, CITY_CENTRE
from fawang.workorders.models import BusinessLine, DispatchRule
from fawang.workorders.services.routing import DISPATCH_RULES


def _first(
    institutions: dict[tuple[int, str], list[Institution]], region: Region, kind: str
) -> Institution | None:
    found = institutions.get((region.pk, kind))
    return found[0] if found else None


def _ensure_dispatch_rules(author: User | None) -> int:
    """One rule per business line for every district with a centre, and a city catch-all."""
    city = Region.objects.get(code=BEIJING_CODE)
    grouped: dict[tuple[int, str], list[Institution]] = {}
    for institution in Institution.objects.filter(region__path__startswith=city.path).order_by(
        "name"
    ):
        grouped.setdefault((institution.region_id, institution.kind), []).append(institution)
    city_centre = Institution.objects.get(kind=InstitutionKind.SERVICE_CENTRE, name=CITY_CENTRE)
    commission = Institution.objects.filter(
        kind=InstitutionKind.ARBITRATION_COMMISSION, name=ARBITRATION_COMMISSION
    ).first()
    wanted = [DispatchRule(region=city, institution=city_centre, created_by=author)]
    districts = Region.objects.filter(parent=city, level=RegionLevel.DISTRICT).order_by("code")
    for district in districts:
        centre = _first(grouped, district, InstitutionKind.SERVICE_CENTRE)
        if centre is None:
            continue
        targets = {
            BusinessLine.CONSULTATION: centre,
            BusinessLine.OTHER: centre,
            BusinessLine.MEDIATION: centre,
            BusinessLine.APPRAISAL: centre,
            BusinessLine.LEGAL_AID: _first(grouped, district, InstitutionKind.LEGAL_AID_CENTRE),
            BusinessLine.NOTARIZATION: _first(grouped, district, InstitutionKind.NOTARY_OFFICE)
            or city_centre,
            BusinessLine.COMPLAINT: _first(grouped, district, InstitutionKind.JUSTICE_BUREAU),
            BusinessLine.ARBITRATION: commission,
        }
        wanted += [
            DispatchRule(region=district, institution=target, business_line=line, created_by=author)
            for line, target in targets.items()
            if target is not None
        ]
    existing = set(DispatchRule.objects.values_list("region_id", "business_line", "topic"))
    missing = [r for r in wanted if (r.region_id, r.business_line, r.topic) not in existing]
    DispatchRule.objects.bulk_create(missing)
    bump(DISPATCH_RULES)
    return len(missing)
