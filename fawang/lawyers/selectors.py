"""Scoped reads. A lawyer sees their own records (a firm admin: the firm's); a bureau its region
subtree; the public credit page shows only active records inside their disclosure period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import NotFound
from fawang.core.models import (
    Institution,
    Practitioner,
    PractitionerStatus,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope
from fawang.lawyers.models import (
    AnnualReview,
    CreditAppeal,
    CreditRecord,
    CreditStatus,
    HoursStatus,
    LawyerProfile,
    Placement,
    RightsReport,
    ServiceActivity,
    ServiceGroup,
    ServiceHours,
)
from fawang.lawyers.services import FIRM_KINDS, PERSON_KINDS


def firms_for_user(user: User) -> QuerySet[Institution]:
    return Institution.objects.filter(
        scope_filter(user, region="region", institution="pk"), kind__in=FIRM_KINDS
    ).select_related("region", "firm_profile")


def people_for_user(user: User) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(
        scope_filter(user, region="institution__region", institution="institution"),
        kind__in=PERSON_KINDS,
    ).select_related("institution__region", "lawyer_profile")


def get_person_for_user(user: User, pk: int) -> Practitioner:
    return one_in_scope(people_for_user(user), pk=pk)


# --- hours ------------------------------------------------------------------------------------


def my_hours(user: User) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.filter(practitioner__user=user).select_related("activity")


def activities_open_to_log(user: User) -> QuerySet[ServiceActivity]:
    """Activities of the last year a lawyer may log against (any organiser, any place: lawyers
    serve across districts)."""
    since = timezone.localdate().replace(month=1, day=1).replace(year=timezone.localdate().year - 1)
    return ServiceActivity.objects.filter(held_on__gte=since).exclude(
        hours__practitioner__user=user
    )


def hours_to_confirm(user: User) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.filter(
        activity__organiser=user, status=HoursStatus.PENDING
    ).select_related("activity", "practitioner__institution")


def get_hours_to_confirm(user: User, pk: int) -> ServiceHours:
    return one_in_scope(
        ServiceHours.objects.filter(activity__organiser=user).select_related("activity"), pk=pk
    )


def activities_for_user(user: User) -> QuerySet[ServiceActivity]:
    return ServiceActivity.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("region", "group")


@dataclass(frozen=True)
class HoursLine:
    label: str
    people: int
    hours: Decimal
    target: int

    @property
    def per_person(self) -> Decimal:
        return (self.hours / self.people).quantize(Decimal("0.1")) if self.people else Decimal(0)

    @property
    def met(self) -> bool:
        return self.per_person >= self.target


def _confirmed_by_person(year: int, people: QuerySet[Practitioner]) -> dict[int, Decimal]:
    rows = (
        ServiceHours.objects.filter(
            status=HoursStatus.CONFIRMED,
            activity__held_on__year=year,
            practitioner__in=people,
        )
        .values("practitioner_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {r["practitioner_id"]: r["total"] for r in rows}


def hours_board(user: User, year: int, target: int) -> dict[str, list[HoursLine]]:
    """Confirmed hours of the year per lawyer, per firm and per district, beside the target (the
    firm's and district's figure is hours per practising lawyer)."""
    people = people_for_user(user).filter(status=PractitionerStatus.PRACTISING)
    totals = _confirmed_by_person(year, people)
    by_firm: dict[str, list[Decimal]] = defaultdict(list)
    by_district: dict[str, list[Decimal]] = defaultdict(list)
    lawyers = []
    for person in people.order_by("institution__region__code", "institution__name", "name"):
        hours = totals.get(person.pk, Decimal(0))
        lawyers.append(HoursLine(f"{person.name}（{person.institution.name}）", 1, hours, target))
        by_firm[person.institution.name].append(hours)
        district = person.institution.region.district
        by_district[district.name if district else person.institution.region.name].append(hours)

    def lines(groups: dict[str, list[Decimal]]) -> list[HoursLine]:
        return [HoursLine(k, len(v), sum(v, Decimal(0)), target) for k, v in groups.items()]

    return {"lawyers": lawyers, "firms": lines(by_firm), "districts": lines(by_district)}


# --- reviews ----------------------------------------------------------------------------------


def reviews_for_user(user: User) -> QuerySet[AnnualReview]:
    """A bureau: its region; a lawyer: their own assessment; a firm admin: all of the firm's."""
    if user.role == Role.LAWYER:
        mine = Q(practitioner__user=user)
        if LawyerProfile.objects.filter(practitioner__user=user, is_firm_admin=True).exists():
            mine |= Q(institution_id=user.institution_id)
            mine |= Q(practitioner__institution_id=user.institution_id)
        qs = AnnualReview.objects.filter(mine)
    else:
        qs = AnnualReview.objects.filter(scope_filter(user, region="region", institution=None))
    return qs.select_related("institution", "practitioner")


def spot_check_rate(user: User, year: int) -> tuple[int, int, float | None]:
    """BJ-39: firms spot-checked in the year's inspection and those that passed."""
    qs = reviews_for_user(user).filter(year=year, institution__isnull=False, spot_checked=True)
    checked = qs.count()
    passed = qs.exclude(result="fail").count()
    return checked, passed, (round(100 * passed / checked, 1) if checked else None)


# --- credit -----------------------------------------------------------------------------------


def credit_for_user(user: User) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("institution", "practitioner")


def my_credit(user: User) -> QuerySet[CreditRecord]:
    mine = Q(practitioner__user=user)
    if LawyerProfile.objects.filter(practitioner__user=user, is_firm_admin=True).exists():
        mine |= Q(institution_id=user.institution_id)
    return CreditRecord.objects.filter(mine).select_related("institution", "practitioner")


def get_my_credit(user: User, pk: int) -> CreditRecord:
    return one_in_scope(my_credit(user), pk=pk)


def appeals_for_user(user: User) -> QuerySet[CreditAppeal]:
    return CreditAppeal.objects.filter(
        scope_filter(user, region="record__region", institution=None)
    ).select_related("record__practitioner", "record__institution")


def get_appeal_for_user(user: User, pk: int) -> CreditAppeal:
    return one_in_scope(appeals_for_user(user), pk=pk)


def disclosed(on: date | None = None) -> QuerySet[CreditRecord]:
    """What may be shown to the public today: active or corrected, decided, not yet expired."""
    today = on or timezone.localdate()
    return CreditRecord.objects.filter(
        status__in=[CreditStatus.ACTIVE, CreditStatus.CORRECTED],
        decided_on__lte=today,
        disclose_until__gte=today,
    )


def public_credit_page(subject: str, pk: int, on: date | None = None) -> dict[str, Any]:
    """The public credit page of a lawyer (``person``) or a firm (``firm``): its public
    reference data and the records it must disclose now — nothing personal."""
    if subject == "person":
        person = Practitioner.objects.filter(pk=pk, kind__in=PERSON_KINDS).first()
        if person is None:
            raise NotFound(_("没有找到该律师。"))
        return {
            "name": person.name,
            "kind": person.get_kind_display(),
            "licence_number": person.licence_number,
            "institution": person.institution.name,
            "status": person.get_status_display(),
            "records": list(disclosed(on).filter(practitioner=person)),
        }
    firm = Institution.objects.filter(pk=pk, kind__in=FIRM_KINDS).first()
    if firm is None:
        raise NotFound(_("没有找到该律师事务所。"))
    return {
        "name": firm.name,
        "kind": firm.get_kind_display(),
        "licence_number": firm.licence_number,
        "institution": firm.address,
        "status": firm.get_status_display(),
        "records": list(disclosed(on).filter(institution=firm)),
    }


def public_search(q: str) -> list[dict[str, Any]]:
    q = q.strip()[:50]
    if not q:
        return []
    people = Practitioner.objects.filter(kind__in=PERSON_KINDS, name__icontains=q)[:20]
    firms = Institution.objects.filter(kind__in=FIRM_KINDS, name__icontains=q)[:20]
    return [
        {"subject": "firm", "pk": f.pk, "name": f.name, "extra": f.get_kind_display()}
        for f in firms
    ] + [
        {"subject": "person", "pk": p.pk, "name": p.name, "extra": p.institution.name}
        for p in people.select_related("institution")
    ]


# --- reports, groups, pool --------------------------------------------------------------------


def reports_for_user(user: User) -> QuerySet[RightsReport]:
    if user.role == Role.LAWYER:
        return RightsReport.objects.filter(reported_by=user).select_related("institution")
    return RightsReport.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("institution", "practitioner", "region")


def get_report_for_user(user: User, pk: int) -> RightsReport:
    return one_in_scope(reports_for_user(user), pk=pk)


def groups_for_user(user: User) -> QuerySet[ServiceGroup]:
    return (
        ServiceGroup.objects.filter(scope_filter(user, region="region", institution=None))
        .annotate(n_members=Count("members", distinct=True))
        .select_related("region")
    )


def placements_for_user(user: User) -> QuerySet[Placement]:
    return Placement.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("practitioner", "home_firm", "host_firm")


def foreign_pool(user: User, language: str = "", jurisdiction: str = "") -> list[Practitioner]:
    """涉外律师人才库 (national opinions (十六)): lawyers with foreign-related capability in the
    bureau's area, filtered by working language and jurisdiction."""
    people = people_for_user(user).filter(
        lawyer_profile__foreign_related=True, status=PractitionerStatus.PRACTISING
    )
    found = []
    for person in people.order_by("name"):
        langs = person.languages or []
        places = person.lawyer_profile.jurisdictions or []
        if language and not any(language in x for x in langs):
            continue
        if jurisdiction and not any(jurisdiction in x for x in places):
            continue
        found.append(person)
    return found


def districts_under(user: User) -> QuerySet[Region]:
    if user.region is None:
        return Region.objects.none()
    return Region.objects.filter(
        path__startswith=user.region.path, level__in=[RegionLevel.DISTRICT]
    ).order_by("code")
