"""Coverage from the records, estimated positions marked, the finder and map, console pages."""

from __future__ import annotations

import pytest
from django.test import Client

from fawang.core.models import Region, RegionLevel
from fawang.network import finder, geo, planning
from fawang.network.models import ServicePoint, VillagePosition
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_citizen
from tests.network.helpers import bureaus, chaoyang_township, chaoyang_village, make_point

pytestmark = pytest.mark.django_db


def test_estimated_positions_lie_inside_their_district_and_are_stable() -> None:
    city = Region.objects.get(code=BEIJING)
    first = planning.city_positions(city)
    again = planning.city_positions(city)
    village = chaoyang_village()
    assert first.of(village.pk) == again.of(village.pk)
    lat, lon, estimated = first.of(village.pk)  # type: ignore[misc]
    assert estimated
    import numpy as np

    shape = geo.boundaries(BEIJING)["朝阳区"]
    assert shape.contains(np.array([lon]), np.array([lat]))[0]


def test_imported_positions_replace_the_estimate() -> None:
    village = chaoyang_village()
    VillagePosition.objects.create(region=village, latitude="39.95", longitude="116.45")
    positions = planning.city_positions(Region.objects.get(code=BEIJING))
    assert positions.of(village.pk) == (39.95, 116.45, False)


def test_city_coverage_marks_estimates_and_counts_every_village() -> None:
    make_point(chaoyang_township(), latitude="39.92", longitude="116.44")
    cover = planning.city_coverage(Region.objects.get(code=BEIJING))
    assert len(cover.villages) == Region.objects.filter(path__startswith="/110000000000/", level=RegionLevel.VILLAGE).count()  # fmt: skip
    assert cover.estimated  # villages are not imported
    share = cover.shares("legal_aid", RegionLevel.CITY)[cover.city.pk]
    assert 0 < share.meeting < share.weight
    assert len(cover.uncovered("legal_aid")) == share.weight - share.meeting
    sites = cover.recommend("legal_aid", 3)
    assert len(sites) == 3 and sites[0][1] >= sites[1][1] >= sites[2][1] > 0


def test_finder_returns_the_nearest_open_point_for_the_service() -> None:
    township = chaoyang_township()
    make_point(township, name="近处工作站", latitude="39.950", longitude="116.450")
    make_point(township, name="远处工作站", latitude="39.800", longitude="116.600")
    make_point(township, name="已暂停工作站", status="suspended", latitude="39.9501", longitude="116.4501")  # fmt: skip
    make_point(township, name="只调解工作站", services=["mediation"], latitude="39.9502", longitude="116.4502")  # fmt: skip
    origin = finder.origin_from_position(39.951, 116.451)
    assert origin is not None and origin.city.code == BEIJING
    found = finder.nearest_points(origin, "legal_aid")
    assert [f.point.name for f in found] == ["近处工作站", "远处工作站"]
    assert found[0].km < 0.2 and not found[0].estimated


def test_a_position_outside_both_cities_finds_no_city() -> None:
    assert finder.origin_from_position(31.23, 121.47) is None


def test_finder_page_by_village_marks_estimated_positions(client: Client) -> None:
    make_point(chaoyang_township(), name="朝阳测试工作站")
    village = chaoyang_village()
    response = client.get(
        "/service-points/",
        {
            "service": "legal_aid",
            "district": CHAOYANG,
            "township": village.parent.code,
            "village": village.code,
        },  # type: ignore[union-attr]
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "朝阳测试工作站" in text and "估算位置" in text and "最近" in text
    assert 'id="network-map-data"' in text


def test_map_page_and_boundaries_are_served_by_us(client: Client) -> None:
    make_point(chaoyang_township(), name="朝阳测试工作站")
    assert client.get("/map/").status_code == 200
    response = client.get("/map/boundaries/110000000000.geojson")
    assert response.status_code == 200 and b"FeatureCollection" in response.content
    assert client.get("/map/boundaries/310000000000.geojson").status_code == 404


def test_console_pages_per_role(login_as) -> None:  # type: ignore[no-untyped-def]
    b = bureaus()
    point = make_point(chaoyang_township(), name="朝阳测试工作站")
    client = login_as(b["chaoyang"])
    for url in ("/console/network/", f"/console/network/{point.pk}/", "/console/network/inspections",
                "/console/network/coverage?service=legal_aid&k=3", "/console/network/import",
                "/console/network/new"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    assert "估算" in client.get("/console/network/coverage").content.decode()


def test_other_district_gets_404_on_the_point_page(login_as) -> None:  # type: ignore[no-untyped-def]
    b = bureaus()
    point = make_point(chaoyang_township())
    client = login_as(b["haidian"])
    assert client.get(f"/console/network/{point.pk}/").status_code == 404


def test_bad_form_input_shows_a_chinese_message_and_keeps_the_values(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(bureaus()["chaoyang"])
    response = client.post("/console/network/new", {
        "name": "新的工作站", "level": "station", "region_code": CHAOYANG, "windows": "1",
    })  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "应设在乡镇（街道）" in text and 'value="新的工作站"' in text
    assert not ServicePoint.objects.filter(name="新的工作站").exists()


def test_citizen_video_pages(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(make_citizen())
    response = client.post("/service-points/video/", {"topic": "继承纠纷"})
    assert response.status_code == 302
    room_page = client.get(response["Location"])
    assert "继承纠纷" in room_page.content.decode()
    assert client.post("/service-points/video/", {"topic": ""}).status_code == 400


def test_nearest_api_is_public_and_coverage_api_is_for_bureaus(client: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    make_point(chaoyang_township(), name="朝阳测试工作站", latitude="39.92", longitude="116.44")
    rows = client.get("/api/v1/network/nearest", {"service": "legal_aid", "lat": 39.93, "lon": 116.45}).json()  # fmt: skip
    assert rows[0]["name"] == "朝阳测试工作站" and rows[0]["estimated_position"] is False
    assert client.get("/api/v1/network/coverage").status_code in (401, 403)
    bureau = login_as(bureaus()["chaoyang"])
    body = bureau.get("/api/v1/network/coverage", {"service": "legal_aid"}).json()
    assert body["estimated"] is True and body["shares"]
    assert all(row["region_code"].startswith("110105") for row in body["shares"])


def test_a_district_bureau_gets_sites_in_its_own_district_only() -> None:
    make_point(chaoyang_township(), latitude="39.92", longitude="116.44")
    cover = planning.city_coverage(Region.objects.get(code=BEIJING))
    chaoyang = Region.objects.get(code=CHAOYANG)
    own = {v.pk for v in cover.villages if v.district_id == chaoyang.pk}
    sites = cover.recommend("legal_aid", 5, own)
    assert len(sites) == 5 and all(v.pk in own for v, _ in sites)
    city_wide = cover.recommend("legal_aid", 5)
    assert city_wide[0][1] >= sites[0][1]
