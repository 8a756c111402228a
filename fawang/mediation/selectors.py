"""Scoped reads of disputes, committees, screenings and warnings. Every function takes the user.

Mediators see their committee's disputes; the bureau (supervisors) the disputes about places in
their region; citizens their own applications; an integration account what it handed off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fawang.core.errors import NotFound
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Role,
    User,
)
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope
from fawang.core.taxonomy import Topic
from fawang.mediation.models import (
    CommitteeMembership,
    Dispute,
    DisputeSource,
    DisputeType,
    DisputeWarning,
    KeyPeriod,
    Screening,
    TalentPoolEntry,
    TrainingRecord,
)
from fawang.mediation.policy import MediationPolicy, mediation_policy
from fawang.mediation.services import HANDOFF_ROLES


def disputes_for_user(user: User) -> QuerySet[Dispute]:
    qs = Dispute.objects.select_related("region", "committee", "work_order")
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(citizen=user)
    if user.role == Role.MEDIATOR:
        return qs.filter(scope_filter(user, region=None, institution="committee"))
    if user.role in SUPERVISOR_ROLES:
        return qs.filter(scope_filter(user, region="region", institution=None))
    if user.role in HANDOFF_ROLES:
        return qs.filter(sender=user)
    return qs.none()


def get_dispute_for_user(user: User, number: str) -> Dispute:
    return one_in_scope(disputes_for_user(user), number=number)


def committees_for_user(user: User) -> QuerySet[Institution]:
    qs = Institution.objects.filter(kind=InstitutionKind.MEDIATION_COMMITTEE).select_related(
        "region"
    )
    if user.role == Role.MEDIATOR and user.institution_id is not None:
        return qs.filter(pk=user.institution_id)
    if user.role in SUPERVISOR_ROLES:
        return qs.filter(scope_filter(user, region="region", institution=None))
    return qs.none()


def committee_mediators(committee: Institution) -> QuerySet[Practitioner]:
    members = CommitteeMembership.objects.filter(committee=committee, active=True).values(
        "mediator_id"
    )
    return Practitioner.objects.filter(
        Q(institution=committee) | Q(pk__in=members),
        kind=PractitionerKind.MEDIATOR,
        status=PractitionerStatus.PRACTISING,
    ).order_by("name")


@dataclass
class QuotaRow:
    committee: Institution
    level: str
    full_time: int
    required: int
    where_possible: bool

    @property
    def short_by(self) -> int:
        return max(0, self.required - self.full_time)

    @property
    def falls_short(self) -> bool:
        """A committee whose quota applies "where possible" is shown but not counted short."""
        return self.short_by > 0 and not self.where_possible


def full_time_counts(committees: list[Institution]) -> dict[int, int]:
    """Full-time practising mediators per committee. A membership row (which may also bring in a
    mediator registered elsewhere) wins over the practitioner's own flag, so a bureau corrects
    the roster here without changing core data."""
    ids = [c.pk for c in committees]
    memberships = {
        (m.committee_id, m.mediator_id): m.full_time
        for m in CommitteeMembership.objects.filter(
            committee_id__in=ids, active=True, mediator__status=PractitionerStatus.PRACTISING
        )
    }
    own = Practitioner.objects.filter(
        institution_id__in=ids,
        kind=PractitionerKind.MEDIATOR,
        status=PractitionerStatus.PRACTISING,
    ).values_list("institution_id", "pk", "is_full_time")
    full_time = {(committee, person): flag for committee, person, flag in own}
    full_time.update(memberships)
    counts = dict.fromkeys(ids, 0)
    for (committee_id, _person), flag in full_time.items():
        counts[committee_id] += bool(flag)
    return counts


def quota_rows(committees: QuerySet[Institution]) -> list[QuotaRow]:
    """Full-time mediators against the pack's quota (BJ-measures 14)."""
    listed = list(
        committees.filter(status=InstitutionStatus.ACTIVE).order_by("region__code", "name")
    )
    counts = full_time_counts(listed)
    rows = []
    for committee in listed:
        policy = mediation_policy(committee.region)
        level = committee.mediation_level or MediationLevel.VILLAGE
        rows.append(
            QuotaRow(
                committee=committee,
                level=level,
                full_time=counts[committee.pk],
                required=policy.full_time_quota.get(level, 0),
                where_possible=level in policy.quota_where_possible,
            )
        )
    return rows


def training_days(mediator_ids: list[int], year: int) -> dict[int, Decimal]:
    rows = (
        TrainingRecord.objects.filter(mediator_id__in=mediator_ids, held_on__year=year)
        .values("mediator_id")
        .annotate(total=Sum("days"))
    )
    days = dict.fromkeys(mediator_ids, Decimal(0))
    days.update({row["mediator_id"]: row["total"] for row in rows})
    return days


def screenings_for_user(user: User) -> QuerySet[Screening]:
    qs = Screening.objects.select_related("unit", "region")
    if user.role in SUPERVISOR_ROLES:
        return qs.filter(scope_filter(user, region="region", institution=None))
    if user.institution_id is not None:
        return qs.filter(unit_id=user.institution_id)
    return qs.none()


def overdue(qs: QuerySet[Screening], today: date | None = None) -> QuerySet[Screening]:
    return qs.filter(done_at__isnull=True, due_on__lt=today or timezone.localdate())


def get_screening_for_user(user: User, screening_id: int) -> Screening:
    return one_in_scope(screenings_for_user(user), pk=screening_id)


def key_periods_for_user(user: User) -> QuerySet[KeyPeriod]:
    if user.role not in SUPERVISOR_ROLES:
        return KeyPeriod.objects.none()
    return KeyPeriod.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("region")


def warnings_for_user(user: User) -> QuerySet[DisputeWarning]:
    if user.role not in SUPERVISOR_ROLES:
        return DisputeWarning.objects.none()
    return DisputeWarning.objects.filter(
        scope_filter(user, region="township", institution=None)
    ).select_related("township")


@dataclass
class Figures:
    policy: MediationPolicy
    by_source: list[dict[str, object]]
    by_type: list[dict[str, object]]
    by_committee: list[dict[str, object]]
    received: int
    closed: int
    agreed: int
    success_rate: float | None
    average_days: float | None
    screenings_due: int
    screenings_done: int
    confirmations_requested: int
    confirmations_granted: int
    quota_rows: list[QuotaRow]
    mediators: int
    mediators_trained: int
    featured_rooms: int


def figures_for_user(user: User, since: date, until: date) -> Figures:
    """The bureau's figures over [since, until], with the pack's targets beside them."""
    from fawang.mediation.models import FeaturedRoom, JudicialConfirmation

    disputes = disputes_for_user(user).filter(
        received_at__date__gte=since, received_at__date__lte=until
    )
    closed = disputes.filter(closed_at__isnull=False)
    agreed = closed.filter(status="agreed")
    days = [
        (d.closed_at - d.received_at).total_seconds() / 86400
        for d in closed.select_related(None).only("received_at", "closed_at")
        if d.closed_at is not None
    ]
    screenings = screenings_for_user(user).filter(due_on__gte=since, due_on__lte=until)
    committees = committees_for_user(user)
    rows = quota_rows(committees)
    mediator_ids = list(
        Practitioner.objects.filter(
            kind=PractitionerKind.MEDIATOR,
            status=PractitionerStatus.PRACTISING,
            institution__in=committees,
        ).values_list("pk", flat=True)
    )
    policy = mediation_policy(user.region)
    trained = training_days(mediator_ids, until.year)
    confirmations = JudicialConfirmation.objects.filter(agreement__dispute__in=disputes)
    n_closed, n_agreed = closed.count(), agreed.count()
    return Figures(
        policy=policy,
        by_source=_labelled(disputes, "source", dict(DisputeSource.choices)),
        by_type=_labelled(disputes, "dispute_type", dict(DisputeType.choices)),
        by_committee=list(
            disputes.values("committee__name").annotate(n=Count("id")).order_by("-n")[:20]
        ),
        received=disputes.count(),
        closed=n_closed,
        agreed=n_agreed,
        success_rate=n_agreed / n_closed if n_closed else None,
        average_days=sum(days) / len(days) if days else None,
        screenings_due=screenings.count(),
        screenings_done=screenings.filter(done_at__isnull=False).count(),
        confirmations_requested=confirmations.count(),
        confirmations_granted=confirmations.filter(status="granted").count(),
        quota_rows=rows,
        mediators=len(mediator_ids),
        mediators_trained=sum(1 for v in trained.values() if v >= policy.training_days_per_year),
        featured_rooms=FeaturedRoom.objects.filter(
            scope_filter(user, region="region", institution="committee")
        ).count(),
    )


@dataclass
class RosterRow:
    mediator: Practitioner
    full_time: bool
    is_head: bool
    grade: str
    grade_due: bool
    training_days: Decimal
    training_met: bool
    specialties: list[str]


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def roster(committee: Institution, today: date | None = None) -> list[RosterRow]:
    """The committee's mediators with grade, grading due (pack ``grading_every_years``) and this
    year's training days against the pack minimum (BJ-measures 14)."""
    today = today or timezone.localdate()
    policy = mediation_policy(committee.region)
    people = list(committee_mediators(committee))
    members = {
        m.mediator_id: m
        for m in CommitteeMembership.objects.filter(committee=committee, active=True)
    }
    days = training_days([p.pk for p in people], today.year)
    rows = []
    for person in people:
        member = members.get(person.pk)
        graded = member.grade_date if member else None
        rows.append(
            RosterRow(
                mediator=person,
                full_time=member.full_time if member else person.is_full_time,
                is_head=bool(member and member.is_head),
                grade=member.get_grade_display() if member else "",
                grade_due=graded is None
                or _years_after(graded, policy.grading_every_years) <= today,
                training_days=days[person.pk],
                training_met=days[person.pk] >= policy.training_days_per_year,
                specialties=[
                    str(Topic(code).label) if code in Topic.values else str(code)
                    for code in person.specialties or []
                ],
            )
        )
    return rows


def get_committee_for_user(user: User, committee_id: int) -> Institution:
    return one_in_scope(committees_for_user(user), pk=committee_id)


def mediators_for_committee_election(user: User, ids: list[int]) -> list[Practitioner]:
    """The mediators named for a committee election, within the user's region; an id outside it
    (or not a mediator) is a 404, like any record out of scope."""
    if user.role not in SUPERVISOR_ROLES:
        raise NotFound("未找到人民调解员。")
    found = Practitioner.objects.filter(
        scope_filter(user, region="institution__region", institution=None),
        pk__in=ids,
        kind=PractitionerKind.MEDIATOR,
    ).in_bulk()
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFound(f"未找到人民调解员：{missing[0]}。")
    return [found[pk] for pk in ids]


def talent_pool_for_user(user: User) -> QuerySet[TalentPoolEntry]:
    if user.role not in SUPERVISOR_ROLES:
        return TalentPoolEntry.objects.none()
    return TalentPoolEntry.objects.filter(
        scope_filter(user, region="mediator__institution__region", institution=None)
    ).select_related("mediator", "mediator__institution")


def _labelled(
    disputes: QuerySet[Dispute], column: str, labels: dict[str, Any]
) -> list[dict[str, object]]:
    """Counts by a coded column, each row with the code's Chinese label (never the code itself)."""
    rows = disputes.values(column).annotate(n=Count("id")).order_by("-n")
    return [{**row, "label": str(labels.get(row[column], "其他"))} for row in rows]
