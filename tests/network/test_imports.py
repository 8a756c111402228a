"""Importing village and point positions: every bad row named in Chinese, all or nothing."""

from __future__ import annotations

import json

import pytest

from fawang.audit.models import AuditEvent
from fawang.core.errors import PermissionDenied
from fawang.core.models import Role
from fawang.network.imports import import_positions
from fawang.network.models import VillagePosition
from tests.factories import make_staff
from tests.network.helpers import bureaus, chaoyang_township, chaoyang_village, make_point

pytestmark = pytest.mark.django_db


def test_good_csv_imports_every_village() -> None:
    b = bureaus()
    village = chaoyang_village()
    text = f"区划代码,纬度,经度\n{village.code},39.95,116.45\n"
    result = import_positions(b["chaoyang"], "villages", "村居.csv", text)
    assert result.errors == [] and result.imported == 1
    position = VillagePosition.objects.get(region=village)
    assert float(position.latitude) == 39.95 and position.source == "村居.csv"
    assert AuditEvent.objects.filter(action="network.positions_imported").exists()


def test_each_bad_row_is_named_and_nothing_is_saved() -> None:
    b = bureaus()
    village = chaoyang_village()
    text = (
        "区划代码,纬度,经度\n"
        f"{village.code},39.95,116.45\n"  # good
        "110105999999,39.9,116.4\n"  # no such village
        f"{village.code},39.9,116.4\n"  # repeated
        ",39.9,116.4\n"  # missing code
    )
    other = chaoyang_township().children.order_by("code")[1]
    text += f"{other.code},116.45,39.95\n"  # swapped
    text += f"{chaoyang_township().children.order_by('code')[2].code},北纬,116\n"
    result = import_positions(b["chaoyang"], "villages", "bad.csv", text)
    assert result.imported == 0
    assert VillagePosition.objects.count() == 0
    assert result.errors == [
        "第 3 行：未找到村（社区）“110105999999”。",
        f"第 4 行：“{village.code}”在文件中重复出现。",
        "第 5 行：缺少区划代码。",
        "第 6 行：坐标（纬度 116.45，经度 39.95）不在北京市范围内，请检查经纬度是否填反。",
        "第 7 行：纬度和经度应为数字。",
    ]


def test_a_village_of_another_district_is_refused() -> None:
    b = bureaus()
    text = f"code,latitude,longitude\n{chaoyang_village().code},39.95,116.45\n"
    result = import_positions(b["haidian"], "villages", "x.csv", text)
    assert result.errors and "不在您主管的地区内" in result.errors[0]


def test_geojson_points_import() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.47, 39.93]},
         "properties": {"name": point.name}},
    ]}  # fmt: skip
    result = import_positions(b["chaoyang"], "points", "points.geojson", json.dumps(data))
    assert result.imported == 1
    point.refresh_from_db()
    assert float(point.latitude) == 39.93 and float(point.longitude) == 116.47  # type: ignore[arg-type]


def test_bad_geojson_and_header_are_refused_in_chinese() -> None:
    from fawang.core.errors import InvalidInput

    b = bureaus()
    with pytest.raises(InvalidInput, match="FeatureCollection"):
        import_positions(b["chaoyang"], "villages", "x.geojson", "[1, 2]")
    with pytest.raises(InvalidInput, match="表头"):
        import_positions(b["chaoyang"], "villages", "x.csv", "a,b,c\n1,2,3\n")


def test_only_city_and_district_bureaus_import() -> None:
    township = make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=chaoyang_township().code)
    with pytest.raises(PermissionDenied):
        import_positions(township, "villages", "x.csv", "区划代码,纬度,经度\n")
