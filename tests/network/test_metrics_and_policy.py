"""Indicators fed from network records (SJZ-01, SJZ-27, BJ-29, BJ-31, BJ-32, BJ-34, coverage) and
the pack section."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fawang.core.models import InstitutionKind, Region, RegionLevel
from fawang.indicators import fill
from fawang.indicators.models import DailyCount, FillState, Indicator
from fawang.indicators.values import computed_value, counter_totals
from fawang.network import metrics, services
from fawang.network.models import (
    ServicePoint,
    VideoSession,
    VideoStatus,
    VillagePosition,
)
from fawang.network.policy import network_policy, parse_network
from fawang.policy.packs import PackError, shipped_packs
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_citizen, make_institution, region
from tests.indicators.helpers import load_shipped
from tests.network.helpers import bureaus, chaoyang_township, chaoyang_village, make_point

pytestmark = pytest.mark.django_db
SJZ = "130100000000"


def value_of(pack: str, code: str, city_code: str, start, end) -> float | None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.get(pack__code=pack, code=code)
    city = region(city_code)
    from fawang.indicators.values import parsed

    totals = counter_totals([city.pk], start, end, parsed(indicator).counters)[city.pk]
    return computed_value(indicator, city, totals, end).value


def sjz_township() -> Region:
    return Region.objects.filter(path__startswith=f"/{SJZ}/", level=RegionLevel.TOWNSHIP).order_by("code").first()  # type: ignore[return-value]  # fmt: skip


def test_sjz_27_mediation_committee_coverage_from_core_institutions() -> None:
    load_shipped()
    township = sjz_township()
    village = township.children.order_by("code").first()
    assert village is not None
    make_institution(village.code, InstitutionKind.MEDIATION_COMMITTEE, mediation_level="village")
    make_institution(township.code, InstitutionKind.MEDIATION_COMMITTEE, mediation_level="township")
    # An industry committee covers no village or township.
    make_institution(township.code, InstitutionKind.MEDIATION_COMMITTEE, mediation_level="industry")
    today = timezone.localdate()
    fill.fill_days([today])
    places = Region.objects.filter(path__startswith=f"/{SJZ}/", level__in=["village", "township"]).count()  # fmt: skip
    assert value_of("shijiazhuang-2021-2025", "SJZ-27", SJZ, today, today) == pytest.approx(200 / places)  # fmt: skip


def test_sjz_01_centres_built_at_county_and_township_level() -> None:
    load_shipped()
    township = sjz_township()
    district = township.parent
    make_point(district, level="centre", name="测试县中心", built_on=timezone.localdate())  # type: ignore[arg-type]
    make_point(township, name="测试乡镇站")
    make_point(township, name="规划中的站", status="planned")
    today = timezone.localdate()
    fill.fill_days([today])
    places = Region.objects.filter(path__startswith=f"/{SJZ}/", level__in=["district", "township"]).count()  # fmt: skip
    assert value_of("shijiazhuang-2021-2025", "SJZ-01", SJZ, today, today) == pytest.approx(200 / places)  # fmt: skip


def test_bj_31_inspections_per_station_a_year() -> None:
    load_shipped()
    b = bureaus()
    station = make_point(chaoyang_township())
    make_point(chaoyang_village(), level="room", name="测试工作室")
    items = network_policy(station.region).checklist["station"]
    today = timezone.localdate()
    earlier = today - timedelta(days=40)
    for day in (earlier, today):
        services.record_inspection(b["chaoyang"], station.pk, inspected_on=day, checklist=dict.fromkeys(items, True))  # fmt: skip
    fill.fill_days([earlier, today])
    # Two visits over two stations/rooms: 1 a year, short of the 2 BJ-measures 8 asks.
    assert value_of("beijing-2025-2027", "BJ-31", BEIJING, earlier, today) == 1.0


def test_bj_29_bj_32_and_closed_points_drop_out() -> None:
    today = timezone.localdate()
    make_point(region(CHAOYANG), level="centre", name="示范中心", is_demonstration=True)
    park = make_point(chaoyang_township(), level="special", name="园区站", special_kind="tech_park", host="望京科技园")  # fmt: skip
    chaoyang = region(CHAOYANG).pk
    assert metrics.demonstration_points(today) == {chaoyang: 1.0}
    assert metrics.tech_park_stations(today) == {park.region_id: 1.0}
    ServicePoint.objects.filter(pk=park.pk).update(status="closed", closed_on=today)
    assert metrics.tech_park_stations(today) == {}
    assert metrics.tech_park_stations(today - timedelta(days=1)) == {park.region_id: 1.0}


def test_bj_34_counts_only_a_real_video_service() -> None:
    citizen = make_citizen(region_code=CHAOYANG)
    now = timezone.now()
    VideoSession.objects.create(citizen=citizen, topic="咨询", backend="local", room="a", join_url="/", status=VideoStatus.ENDED, ended_at=now)  # fmt: skip
    assert metrics.video_service_realised(timezone.localdate()) == {}
    VideoSession.objects.create(citizen=citizen, topic="咨询", backend="cloud", room="b", join_url="/", status=VideoStatus.ENDED, ended_at=now)  # fmt: skip
    assert metrics.video_service_realised(timezone.localdate()) == {region(BEIJING).pk: 1.0}


def test_coverage_counters_keep_measured_and_estimated_apart() -> None:
    village = chaoyang_village()
    VillagePosition.objects.create(region=village, latitude="39.95", longitude="116.45")
    make_point(chaoyang_township(), name="导入坐标站", latitude="39.951", longitude="116.451")
    measured = metrics.villages_covered_measured(timezone.localdate())
    estimated = metrics.villages_covered_estimated(timezone.localdate())
    assert measured == {village.pk: 1.0}
    assert village.pk not in estimated and len(estimated) > 0


def test_both_packs_carry_the_network_section() -> None:
    for pack in shipped_packs():
        policy = parse_network(pack.raw, pack.code)
        assert policy.urban_minutes == 15 and policy.rural_minutes == 30
        assert policy.visits_per_year == 2
        assert "legal_aid" in policy.functions["station"].services


def test_a_bad_network_section_is_a_pack_error() -> None:
    pack = shipped_packs()[0]
    raw = copy.deepcopy(pack.raw)
    raw["network"]["speeds_kmh"]["walking"]["plain"] = 0
    with pytest.raises(PackError, match=r"speeds_kmh\.walking\.plain"):
        parse_network(raw, pack.code)
    raw = copy.deepcopy(pack.raw)
    del raw["network"]["functions"]["room"]
    with pytest.raises(PackError, match="functions"):
        parse_network(raw, pack.code)


def test_a_point_entered_today_but_built_weeks_ago_counts_on_every_day_since() -> None:
    today = timezone.localdate()
    # The scheduled fill last ran just before the entry.
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    built = today - timedelta(days=40)
    make_point(chaoyang_township(), is_demonstration=True, built_on=built, opened_on=built)
    fill.fill_incremental()
    township = chaoyang_township()
    counted = dict(
        DailyCount.objects.filter(
            counter="network.demonstration_points", region=township
        ).values_list("day", "value")
    )
    for day in (built, built + timedelta(days=20), today):
        assert counted.get(day) == 1.0, day
    assert built - timedelta(days=1) not in counted


def _a_station_built_long_ago() -> tuple[ServicePoint, Any]:
    bureau = bureaus()["chaoyang"]
    point = services.create_point(bureau, point_in_for(chaoyang_township()))
    long_ago = timezone.localdate() - timedelta(days=400)
    ServicePoint.objects.filter(pk=point.pk).update(planned_on=long_ago, built_on=long_ago)
    return point, bureau


def point_in_for(township: Region, **extra: Any) -> services.PointIn:
    values: dict[str, Any] = {
        "name": "测试工作站",
        "level": "station",
        "region_code": township.code,
    }
    values.update(extra)
    return services.PointIn(**values)


def test_editing_a_points_address_refills_only_today_not_its_whole_life() -> None:
    point, bureau = _a_station_built_long_ago()
    since = timezone.now()
    services.update_point(bureau, point.pk, point_in_for(chaoyang_township(), address="新地址1号"))
    assert metrics.touched_days(since) == {timezone.localdate()}


def test_moving_a_point_refills_from_the_first_day_it_counted() -> None:
    point, bureau = _a_station_built_long_ago()
    since = timezone.now()
    other = (
        Region.objects.filter(parent__code=CHAOYANG, level=RegionLevel.TOWNSHIP)
        .order_by("-code")
        .first()
    )
    assert other is not None
    services.update_point(bureau, point.pk, point_in_for(other))
    assert min(metrics.touched_days(since)) == timezone.localdate() - timedelta(days=400)


def test_a_back_dated_status_change_refills_from_its_date() -> None:
    point, bureau = _a_station_built_long_ago()
    since = timezone.now()
    closed = timezone.localdate() - timedelta(days=30)
    services.change_status(bureau, point.pk, "built", on=timezone.localdate() - timedelta(days=60))
    services.change_status(bureau, point.pk, "closed", on=closed)
    touched = metrics.touched_days(since)
    # built_on moved from 400 to 60 days ago: the days in between change too.
    assert min(touched) == timezone.localdate() - timedelta(days=400)
    assert closed in touched


def test_a_point_changed_outside_the_services_refills_all_its_dates() -> None:
    point, _ = _a_station_built_long_ago()
    since = timezone.now()
    ServicePoint.objects.filter(pk=point.pk).update(level="room", updated_at=timezone.now())
    assert timezone.localdate() - timedelta(days=400) in metrics.touched_days(since)
