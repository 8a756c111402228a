"""Scoped reads. A bureau or justice office sees the villages of its region subtree; an adviser
(a practitioner account) sees the villages they are appointed to — not their firm's other
advisers'; a villager sees their own bookings. Anything else is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fawang.advisers.models import (
    Appointment,
    CommunityAdviser,
    LedgerEntry,
    LegalLiaison,
    LiaisonMatter,
    Notice,
    TrainingRecord,
)
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, User
from fawang.core.selectors import one_in_scope


def _village_scope(user: User, village: str) -> Q:
    """Rows whose village (``village`` is the path to it) the user may see."""
    if user.role in SUPERVISOR_ROLES and user.region is not None:
        return Q(**{f"{village}__path__startswith": user.region.path})
    return Q(pk__in=[])


def advisers_for_user(user: User) -> QuerySet[CommunityAdviser]:
    scope = _village_scope(user, "village")
    if user.is_authenticated and user.is_staff_member and user.role not in SUPERVISOR_ROLES:
        scope = Q(practitioner__user=user)
    return CommunityAdviser.objects.filter(scope).select_related(
        "village__parent", "practitioner__institution"
    )


def get_adviser_for_user(user: User, pk: int) -> CommunityAdviser:
    return one_in_scope(advisers_for_user(user), pk=pk)


def ledger_for_user(user: User) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        adviser__in=advisers_for_user(user).values("pk")
    ).select_related("adviser__village", "adviser__practitioner", "appointment__rating")


def appointments_for_staff(user: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        adviser__in=advisers_for_user(user).values("pk")
    ).select_related("adviser__village", "adviser__practitioner")


def get_appointment_for_staff(user: User, pk: int) -> Appointment:
    return one_in_scope(appointments_for_staff(user), pk=pk)


def appointments_of_citizen(citizen: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(citizen=citizen).select_related(
        "adviser__village", "adviser__practitioner", "entry", "rating"
    )


def get_appointment_of_citizen(citizen: User, pk: int) -> Appointment:
    return one_in_scope(appointments_of_citizen(citizen), pk=pk)


def liaisons_for_user(user: User) -> QuerySet[LegalLiaison]:
    scope = _village_scope(user, "village")
    if user.is_staff_member and user.role not in SUPERVISOR_ROLES:
        villages = CommunityAdviser.objects.filter(
            practitioner__user=user, ended_on__isnull=True
        ).values("village_id")
        scope = Q(village_id__in=villages)
    return LegalLiaison.objects.filter(scope).select_related("village")


def get_liaison_for_user(user: User, pk: int) -> LegalLiaison:
    return one_in_scope(liaisons_for_user(user), pk=pk)


def matters_for_user(user: User) -> QuerySet[LiaisonMatter]:
    return LiaisonMatter.objects.filter(
        adviser__in=advisers_for_user(user).values("pk")
    ).select_related("liaison", "adviser__village", "entry")


def training_for_user(user: User) -> QuerySet[TrainingRecord]:
    people = advisers_for_user(user).values("practitioner_id")
    return TrainingRecord.objects.filter(practitioner_id__in=people).select_related("practitioner")


def notices_for_user(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(practitioner__user=user).prefetch_related("villages", "reads")


def notices_for_village(village: Region) -> QuerySet[Notice]:
    return Notice.objects.filter(villages=village).select_related("practitioner")


def villages_in(region: Region, query: str = "") -> QuerySet[Region]:
    qs = Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=region.path)
    if query:
        qs = qs.filter(name__contains=query)
    return qs.select_related("parent")
