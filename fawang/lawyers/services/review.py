"""Lawyer-line use cases: annual inspection and assessment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import User
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import AnnualReview, HoursStatus, ReviewResult, ServiceHours
from fawang.lawyers.services._common import _firm, _id, _person, _require_supervisor


def confirmed_hours(practitioner_id: int, year: int) -> Decimal:
    rows = ServiceHours.objects.filter(
        practitioner_id=practitioner_id, status=HoursStatus.CONFIRMED, activity__held_on__year=year
    ).values_list("hours", flat=True)
    return sum(rows, Decimal(0))


def record_review(
    *,
    year: Any,
    result: str,
    acting_user: User,
    institution_id: Any = None,
    practitioner_id: Any = None,
    spot_checked: bool = False,
    party_building_standard: bool = False,
    note: str = "",
) -> AnnualReview:
    """年度检查考核 (BJ-measures 18: 公共法律服务情况纳入律师执业年度考核和律师事务所年度检查考核).
    A lawyer's assessment carries the year's confirmed public-interest hours (BJ-35)."""
    year_n = _id(year, "year", _("请选择年度。"))
    if not 2000 <= year_n <= timezone.localdate().year:
        raise InvalidInput(_("年度不正确。"), code="bad_year", field="year")
    result = clean_choice(result, ReviewResult.values, "result", "考核结果")
    person = _person(practitioner_id) if practitioner_id else None
    firm = person.institution if person else _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    review = AnnualReview(
        year=year_n,
        institution=None if person else firm,
        practitioner=person,
        region=firm.region,
        result=result,
        spot_checked=bool(spot_checked),
        party_building_standard=bool(party_building_standard) and person is None,
        public_interest_hours=confirmed_hours(person.pk, year_n) if person else Decimal(0),
        note=clean_text(note, 500, "note", "说明", required=False),
        decided_by=acting_user,
    )
    try:
        with transaction.atomic():
            review.save()
            record_event(
                "lawyers.review_recorded",
                actor=acting_user,
                obj=review,
                detail={"year": year_n, "result": result, "spot_checked": review.spot_checked},
            )
    except IntegrityError:
        raise Conflict(_("该年度的检查考核结果已经登记。"), code="already_recorded") from None
    return review
