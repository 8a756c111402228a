"""The line's counters feed the named indicators from records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fawang.core.models import Institution
from fawang.lawyers import metrics, services
from fawang.lawyers.models import FirmProfile, FirmType, LawyerProfile
from tests.lawyers.helpers import World, activity, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_hours_count_on_the_day_they_are_confirmed(w: World) -> None:
    a = activity(w, days_ago=3)
    row = services.log_hours(a.pk, "6.5", acting_user=w.lawyer)
    today = timezone.localdate()
    assert metrics.public_interest_hours(today) == {}
    services.confirm_hours(row, True, acting_user=w.bureau)
    assert metrics.public_interest_hours(today) == {w.firm.region_id: 6.5}


def test_group_activities_count_volunteer_and_circuit_groups_only(w: World) -> None:
    volunteer = services.create_group(name="志愿团", kind="volunteer", region_code=w.firm.region.code,
                                      member_ids=[w.person.pk], acting_user=w.bureau)  # fmt: skip
    red = services.create_group(name="红律助", kind="red_lawyer", region_code=w.firm.region.code,
                                member_ids=[w.person.pk, w.colleague_person.pk], acting_user=w.bureau)  # fmt: skip
    activity(w, kind="service_group", group_id=volunteer.pk)
    activity(w, kind="service_group", group_id=red.pk)
    today = timezone.localdate()
    assert metrics.group_activities(today) == {w.firm.region_id: 1.0}
    assert metrics.red_lawyer_group_members(today) == {w.firm.region_id: 2.0}


def test_spot_check_and_party_building_counters(w: World) -> None:
    year = timezone.localdate().year - 1
    services.record_review(year=year, result="pass", institution_id=w.firm.pk, spot_checked=True,
                           party_building_standard=True, acting_user=w.bureau)  # fmt: skip
    services.record_review(year=year, result="fail", institution_id=w.haidian_firm.pk,
                           spot_checked=True, acting_user=w.city)  # fmt: skip
    today = timezone.localdate()
    assert metrics.spot_checks(today) == {w.firm.region_id: 1.0, w.haidian_firm.region_id: 1.0}
    assert metrics.spot_checks_passed(today) == {w.firm.region_id: 1.0}
    assert metrics.firms_party_building_standard(today) == {w.firm.region_id: 1.0}


def test_party_coverage_and_talent_stocks(w: World) -> None:
    Institution.objects.filter(pk=w.firm.pk).update(party_organisation="independent")
    FirmProfile.objects.create(institution=w.firm, firm_type=FirmType.PARTNERSHIP, party_members=3)
    FirmProfile.objects.create(institution=w.haidian_firm, firm_type=FirmType.SOLE,
                               party_members=1, international_leading=True)  # fmt: skip
    today = timezone.localdate()
    assert metrics.firms_with_party_members(today) == {
        w.firm.region_id: 1.0, w.haidian_firm.region_id: 1.0}  # fmt: skip
    assert metrics.firms_with_independent_party_org(today) == {w.firm.region_id: 1.0}
    assert metrics.international_leading_firms(today) == {w.haidian_firm.region_id: 1.0}
    LawyerProfile.objects.filter(practitioner=w.person).update(foreign_talent="leading",
                                                                lawyer_kind="public_sector")  # fmt: skip
    assert metrics.foreign_senior_talents(today) == {w.firm.region_id: 1.0}
    assert metrics.public_sector_and_company_lawyers(today) == {w.firm.region_id: 1.0}
