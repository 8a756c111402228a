"""Scoped reads. Supervisors see the centres in their region subtree with their seats, shifts,
calls and reviews; a seat (HOTLINE_SEAT or a lawyer on a shift) sees only their own shifts,
calls and review scores. Anything else is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fawang.core.models import SUPERVISOR_ROLES, Institution, InstitutionKind, User
from fawang.core.selectors import one_in_scope
from fawang.hotline.models import CallRecord, Seat, SeatReview, Shift


def is_supervisor(user: User) -> bool:
    return user.role in SUPERVISOR_ROLES and user.region is not None


def _region_q(user: User, path: str) -> Q:
    """Rows whose centre lies in the supervisor's region subtree; nothing for anyone else."""
    if not is_supervisor(user):
        return Q(pk__in=[])
    assert user.region is not None
    return Q(**{f"{path}__path__startswith": user.region.path})


def centres_for_user(user: User) -> QuerySet[Institution]:
    """The centres a supervisor manages; a seat's own centre (to show it, not to manage it)."""
    qs = Institution.objects.filter(kind=InstitutionKind.SERVICE_CENTRE).select_related("region")
    if is_supervisor(user):
        return qs.filter(_region_q(user, "region")).order_by("region__code", "pk")
    return qs.filter(pk=user.institution_id) if user.institution_id else qs.none()


def managed_centre(user: User, centre_id: int) -> Institution:
    """A centre the user may manage (rosters, reviews): a supervisor's, else 404."""
    qs = Institution.objects.filter(kind=InstitutionKind.SERVICE_CENTRE)
    return one_in_scope(qs.filter(_region_q(user, "region")), pk=centre_id)


def seats_for_user(user: User) -> QuerySet[Seat]:
    return Seat.objects.filter(_region_q(user, "centre__region")).select_related("centre")


def shifts_for_user(user: User) -> QuerySet[Shift]:
    own = Q(staff=user)
    return Shift.objects.filter(own | _region_q(user, "seat__centre__region")).select_related(
        "seat", "seat__centre", "staff"
    )


def calls_for_user(user: User) -> QuerySet[CallRecord]:
    own = Q(staff=user)
    return CallRecord.objects.filter(own | _region_q(user, "centre__region")).select_related(
        "seat", "staff", "centre", "work_order"
    )


def reviews_for_user(user: User) -> QuerySet[SeatReview]:
    own = Q(staff=user)
    return SeatReview.objects.filter(own | _region_q(user, "call__centre__region")).select_related(
        "call", "call__seat", "staff", "reviewer"
    )


def managed_review(user: User, review_id: int) -> SeatReview:
    qs = SeatReview.objects.filter(_region_q(user, "call__centre__region"))
    return one_in_scope(qs.select_related("call", "call__centre"), pk=review_id)


def managed_shift(user: User, shift_id: int) -> Shift:
    qs = Shift.objects.filter(_region_q(user, "seat__centre__region"))
    return one_in_scope(qs.select_related("seat", "seat__centre"), pk=shift_id)


def call_for_user(user: User, call_id: str) -> CallRecord:
    return one_in_scope(calls_for_user(user), call_id=call_id)
