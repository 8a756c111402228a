"""Keeping service points: levels and their places, special stations, lifecycle, scope."""

from __future__ import annotations

import pytest

from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import Role
from fawang.network import services
from fawang.network.models import PointStatus, ServicePoint
from tests.conftest import CHAOYANG
from tests.factories import make_staff
from tests.network.helpers import bureaus, chaoyang_township, chaoyang_village, make_point

pytestmark = pytest.mark.django_db


def point_in(**extra: object) -> services.PointIn:
    values: dict[str, object] = {
        "name": "测试工作站", "level": "station", "region_code": chaoyang_township().code,
        "opening_hours": "周一至周六 9:00-17:00", "weekend_service": True,
        "services": ["legal_aid", "mediation"], "barrier_free_features": ["无障碍坡道"],
        "languages": ["普通话", "手语"], "latitude": "39.92", "longitude": "116.44",
    }  # fmt: skip
    values.update(extra)
    return services.PointIn(**values)  # type: ignore[arg-type]


def test_district_bureau_creates_a_station_in_its_district() -> None:
    b = bureaus()
    point = services.create_point(b["chaoyang"], point_in())
    assert point.status == PointStatus.PLANNED and point.planned_on is not None
    assert point.barrier_free and point.languages == ["普通话", "手语"]
    assert point.services == ["legal_aid", "mediation"]
    assert AuditEvent.objects.filter(action="network.point_created").exists()


def test_a_station_belongs_in_a_township_and_a_room_in_a_village() -> None:
    b = bureaus()
    with pytest.raises(InvalidInput) as error:
        services.create_point(b["chaoyang"], point_in(region_code=CHAOYANG))
    assert error.value.field == "region_code" and "乡镇" in error.value.message
    room = services.create_point(
        b["chaoyang"],
        point_in(name="测试工作室", level="room", region_code=chaoyang_village().code),
    )
    assert room.level == "room"
    assert ServicePoint.objects.count() == 1  # the refused one was not saved


def test_a_special_station_names_its_kind_and_host() -> None:
    b = bureaus()
    with pytest.raises(InvalidInput) as error:
        services.create_point(b["chaoyang"], point_in(level="special", special_kind="tech_park"))
    assert error.value.field == "host"
    point = services.create_point(
        b["chaoyang"], point_in(level="special", special_kind="tech_park", host="望京科技园")
    )
    assert point.get_special_kind_display() == "科技创业园区"


def test_bad_coordinates_are_refused_with_the_field() -> None:
    b = bureaus()
    with pytest.raises(InvalidInput) as error:
        services.create_point(b["chaoyang"], point_in(latitude="139.9"))
    assert error.value.field == "latitude" and "纬度" in error.value.message
    with pytest.raises(InvalidInput):
        services.create_point(b["chaoyang"], point_in(longitude=""))


def test_another_district_and_a_township_office_may_not_create() -> None:
    b = bureaus()
    with pytest.raises(PermissionDenied):
        services.create_point(b["haidian"], point_in())
    township = make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=chaoyang_township().code)
    with pytest.raises(PermissionDenied):
        services.create_point(township, point_in())


def test_lifecycle_moves_forward_with_dates() -> None:
    b = bureaus()
    point = services.create_point(b["chaoyang"], point_in())
    point = services.change_status(b["chaoyang"], point.pk, "built")
    point = services.change_status(b["chaoyang"], point.pk, "open")
    point = services.change_status(b["chaoyang"], point.pk, "suspended")
    assert point.built_on and point.opened_on and point.suspended_on
    with pytest.raises(Conflict):
        services.change_status(b["chaoyang"], point.pk, "built")
    point = services.change_status(b["chaoyang"], point.pk, "closed")
    with pytest.raises(Conflict):
        services.change_status(b["chaoyang"], point.pk, "open")


def test_points_outside_the_scope_do_not_exist_for_a_bureau() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    with pytest.raises(NotFound):
        services.change_status(b["haidian"], point.pk, "suspended")
    with pytest.raises(NotFound):
        services.update_point(b["haidian"], point.pk, point_in())
    assert services.change_status(b["city"], point.pk, "suspended").status == "suspended"


def test_existing_points_keep_working_after_the_upgrade() -> None:
    # A point as the admin site created it before: no lifecycle dates, no services listed.
    point = ServicePoint.objects.create(
        name="旧工作站", level="station", region=chaoyang_township()
    )
    assert point.status == PointStatus.OPEN
    from fawang.network.planning import point_services
    from fawang.network.policy import network_policy

    assert "legal_aid" in point_services(point, network_policy(point.region))
