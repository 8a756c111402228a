from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Role
from fawang.indicators.models import Indicator, ReportStatus
from fawang.indicators.selectors import get_reported_value_for_user
from fawang.indicators.services import report_value, review_value
from fawang.indicators.values import MET, NO_DATA, values_for
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_staff, region
from tests.indicators.helpers import load_shipped

pytestmark = pytest.mark.django_db


def _reported_share() -> Indicator:
    return Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-14")


def _shown(indicator: Indicator, code: str) -> object:
    place = region(code)
    return values_for([indicator], [place], date(2026, 1, 1), date(2026, 12, 31))[place.pk][
        indicator.pk
    ]


def test_reported_value_shows_only_after_review_by_the_level_above() -> None:
    load_shipped()
    indicator = _reported_share()
    district = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    city = make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING)
    report = report_value(
        indicator,
        acting_user=district,
        region=region(CHAOYANG),
        year=2026,
        value=62.5,
        note="区律师协会统计",
    )
    assert _shown(indicator, CHAOYANG).status == NO_DATA  # type: ignore[attr-defined]
    review_value(report, acting_user=city, approve=True)
    shown = _shown(indicator, CHAOYANG)
    assert shown.value == 62.5 and shown.status == MET  # type: ignore[attr-defined]
    assert shown.provenance["reported_by"] == str(district)  # type: ignore[attr-defined]
    assert shown.provenance["reviewed_by"] == str(city)  # type: ignore[attr-defined]


def test_a_unit_cannot_review_its_own_level() -> None:
    load_shipped()
    reporter = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    colleague = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    report = report_value(
        _reported_share(), acting_user=reporter, region=region(CHAOYANG), year=2026, value=30
    )
    with pytest.raises(PermissionDenied):
        review_value(report, acting_user=colleague, approve=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_rejected_value_is_not_shown() -> None:
    load_shipped()
    district = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    city = make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING)
    report = report_value(
        _reported_share(), acting_user=district, region=region(CHAOYANG), year=2026, value=99
    )
    review_value(report, acting_user=city, approve=False, note="口径不符")
    assert _shown(_reported_share(), CHAOYANG).status == NO_DATA  # type: ignore[attr-defined]


def test_district_cannot_report_for_another_district() -> None:
    load_shipped()
    district = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    with pytest.raises(PermissionDenied):
        report_value(
            _reported_share(), acting_user=district, region=region(HAIDIAN), year=2026, value=40
        )


def test_computed_indicator_cannot_be_reported() -> None:
    load_shipped()
    district = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    web = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-01")
    with pytest.raises(InvalidInput):
        report_value(web, acting_user=district, region=region(CHAOYANG), year=2026, value=100)


def test_other_district_report_is_out_of_scope() -> None:
    load_shipped()
    chaoyang = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    haidian = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    report = report_value(
        _reported_share(), acting_user=chaoyang, region=region(CHAOYANG), year=2026, value=30
    )
    with pytest.raises(Http404):
        get_reported_value_for_user(haidian, report.pk)
