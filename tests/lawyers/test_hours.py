"""Public-interest hours: logged by the lawyer, confirmed only by the organiser, duplicates
refused, totals per lawyer, firm and district beside the pack's 50 (北京律师行业规划(六))."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.lawyers import selectors, services
from fawang.lawyers.models import HoursStatus, ServiceHours
from fawang.lawyers.policy import lawyers_policy
from tests.lawyers.helpers import World, activity, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_pack_sets_fifty_hours_for_beijing(w: World) -> None:
    assert lawyers_policy(w.firm.region).hours_target == 50


def test_lawyer_logs_organiser_confirms_and_board_counts(w: World) -> None:
    a = activity(w)
    row = services.log_hours(a.pk, "7.5", acting_user=w.lawyer)
    assert row.status == HoursStatus.PENDING
    year = timezone.localdate().year
    assert services.confirmed_hours(w.person.pk, year) == 0  # pending hours do not count
    services.confirm_hours(row, True, acting_user=w.bureau)
    assert services.confirmed_hours(w.person.pk, year) == Decimal("7.5")
    assert AuditEvent.objects.filter(action="lawyers.hours_confirmed").exists()
    board = selectors.hours_board(w.bureau, year, 50)
    firm_line = next(x for x in board["firms"] if x.label == w.firm.name)
    assert firm_line.people == 2 and firm_line.hours == Decimal("7.5")
    assert firm_line.per_person == Decimal("3.8") and not firm_line.met
    assert [d.label for d in board["districts"]] == ["朝阳区"]


def test_duplicate_log_is_refused_and_nothing_added(w: World) -> None:
    a = activity(w)
    services.log_hours(a.pk, 3, acting_user=w.lawyer)
    with pytest.raises(Conflict) as refused:
        services.log_hours(a.pk, 3, acting_user=w.lawyer)
    assert "重复" in refused.value.message
    assert ServiceHours.objects.count() == 1


def test_only_the_organiser_confirms(w: World) -> None:
    a = activity(w)
    row = services.log_hours(a.pk, 2, acting_user=w.lawyer)
    for other in (w.city, w.haidian_bureau, w.lawyer):
        with pytest.raises(PermissionDenied):
            services.confirm_hours(row, True, acting_user=other)
    services.confirm_hours(row, False, acting_user=w.bureau)
    row.refresh_from_db()
    assert row.status == HoursStatus.REJECTED
    with pytest.raises(Conflict):
        services.confirm_hours(row, True, acting_user=w.bureau)


@pytest.mark.parametrize("hours", ["0", "-1", "25", "abc", ""])
def test_bad_hours_are_refused(w: World, hours: str) -> None:
    a = activity(w)
    with pytest.raises(InvalidInput) as bad:
        services.log_hours(a.pk, hours, acting_user=w.lawyer)
    assert bad.value.field == "hours"
    assert not ServiceHours.objects.exists()


def test_only_lawyers_log(w: World) -> None:
    a = activity(w)
    with pytest.raises(PermissionDenied):
        services.log_hours(a.pk, 2, acting_user=w.bureau)


def test_health_check_needs_enterprises_and_future_dates_refused(w: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        activity(w, kind="health_check")
    assert bad.value.field == "enterprises"
    checked = activity(w, kind="health_check", enterprises=["北京某科技有限公司"])
    assert checked.enterprises == ["北京某科技有限公司"]
    with pytest.raises(InvalidInput):
        activity(w, days_ago=-2)


def test_bureau_of_another_district_cannot_organise_there(w: World) -> None:
    from fawang.lawyers.services import create_activity

    with pytest.raises(PermissionDenied):
        create_activity(
            kind="duty_shift", title="x", held_on=timezone.localdate(),
            region_code=w.firm.region.code, place="x", acting_user=w.haidian_bureau,
        )  # fmt: skip


def test_annual_assessment_carries_the_hours(w: World) -> None:
    a = activity(w)
    row = services.log_hours(a.pk, 6, acting_user=w.lawyer)
    services.confirm_hours(row, True, acting_user=w.bureau)
    year = timezone.localdate().year
    review = services.record_review(
        year=year, result="pass", practitioner_id=w.person.pk, acting_user=w.bureau
    )
    assert review.public_interest_hours == Decimal(6)
    with pytest.raises(Conflict):
        services.record_review(
            year=year, result="pass", practitioner_id=w.person.pk, acting_user=w.bureau
        )
    with pytest.raises(PermissionDenied):
        services.record_review(
            year=year, result="pass", institution_id=w.firm.pk, acting_user=w.haidian_bureau
        )


def test_city_suburb_pairing_once_and_not_with_itself(w: World) -> None:
    services.pair_firms(city_firm_id=w.haidian_firm.pk, suburb_firm_id=w.firm.pk,
                        since=timezone.localdate(), acting_user=w.bureau)  # fmt: skip
    with pytest.raises(Conflict):
        services.pair_firms(city_firm_id=w.haidian_firm.pk, suburb_firm_id=w.firm.pk,
                            since=timezone.localdate(), acting_user=w.bureau)  # fmt: skip
    with pytest.raises(InvalidInput):
        services.pair_firms(city_firm_id=w.firm.pk, suburb_firm_id=w.firm.pk,
                            since=timezone.localdate(), acting_user=w.bureau)  # fmt: skip
