"""Activities, legal-culture sites with their village coverage (SJZ-05), mountain-feature sites
(BJ-36), 民主法治示范村 (SJZ-06) and the "谁执法谁普法" lists with their assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import Region
from fawang.education import selectors, services
from fawang.education.models import EducationActivity, LegalCultureSite
from fawang.education.policy import education_policy
from tests.conftest import CHAOYANG
from tests.education.helpers import (
    CHANGAN,
    JIANWAI,
    MALAN,
    World,
    build_world,
    villages_of,
)
from tests.education.test_content import _client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def w() -> World:
    return build_world()


def _site(user, code: str, **extra) -> LegalCultureSite:  # type: ignore[no-untyped-def]
    values = {"name": "法治宣传栏", "kind": "board", "region_code": code,
              "opened_on": TODAY() - timedelta(days=10)}  # fmt: skip
    values.update(extra)
    return services.register_site(services.SiteIn(**values), acting_user=user)


def _activity(user, **extra):  # type: ignore[no-untyped-def]
    values = {"kind": "lecture", "campaign": "constitution_week", "title": "宪法宣传周讲座",
              "organiser": "建外街道司法所", "region_code": JIANWAI,
              "held_on": TODAY() - timedelta(days=1), "audience": "60", "groups": ["elderly"]}  # fmt: skip
    values.update(extra)
    return services.record_activity(services.ActivityIn(**values), acting_user=user)


def test_an_activity_records_organiser_place_audience_and_group(w: World) -> None:
    village = villages_of(JIANWAI)[0]
    site = _site(w.author, village.code)
    activity = _activity(w.author, region_code=village.code, site_id=site.pk)
    assert (activity.audience, activity.groups, activity.site, activity.get_campaign_display()) == (
        60, ["elderly"], site, "宪法宣传周"
    )  # fmt: skip
    with pytest.raises(InvalidInput) as future:
        _activity(w.author, held_on=TODAY() + timedelta(days=1))
    assert future.value.field == "held_on"
    with pytest.raises(InvalidInput):
        _activity(w.author, audience="0")
    with pytest.raises(NotFound):  # Haidian's bureau cannot record in Chaoyang
        _activity(w.haidian)
    assert EducationActivity.objects.count() == 1
    assert list(selectors.activities_for_user(w.haidian)) == []


def test_village_coverage_counts_villages_with_an_open_site(w: World) -> None:
    villages = villages_of(JIANWAI)
    assert len(villages) >= 3
    _site(w.author, villages[0].code)
    _site(w.author, villages[0].code, name="法治长廊", kind="corridor")  # twice: one village
    closed = _site(w.author, villages[1].code)
    services.close_site(closed, TODAY(), acting_user=w.author)
    township = Region.objects.get(code=JIANWAI)
    total, _rows, uncovered = selectors.site_coverage(township)
    assert (total.villages, total.covered) == (len(villages), 1)
    assert total.percent == round(100 / len(villages), 1)
    assert villages[1] in uncovered and villages[0] not in uncovered
    district_total, district_rows, _ = selectors.site_coverage(Region.objects.get(code=CHAOYANG))
    jianwai_row = next(r for r in district_rows if r.region.code == JIANWAI)
    assert (jianwai_row.villages, jianwai_row.covered) == (len(villages), 1)
    assert district_total.villages == sum(r.villages for r in district_rows) > len(villages)


def test_a_site_must_be_in_a_village_of_the_users_region(w: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        _site(w.author, JIANWAI)  # a township, not a village
    assert caught.value.code == "not_village"
    with pytest.raises(NotFound):
        _site(w.author, villages_of("110108001000")[0].code)  # a Haidian village


def test_mountain_sites_only_in_mentougou(w: World) -> None:
    assert education_policy(Region.objects.get(code=MALAN)).mountain_site_districts == (
        "110109000000",
    )
    site = _site(w.city, MALAN, name="马栏村山区法治文化广场", kind="park", mountain_feature=True)
    assert site.mountain_feature
    with pytest.raises(InvalidInput) as caught:
        _site(w.city, villages_of(JIANWAI)[0].code, mountain_feature=True)
    assert caught.value.code == "not_mountain_district"


def test_model_village_once_per_level_and_per_district_window(w: World) -> None:
    village = villages_of("130102001000")[0]  # 长安区建北街道
    services.record_model_village(village.code, "city", TODAY() - timedelta(days=30),
                                  acting_user=w.sjz_city)  # fmt: skip
    with pytest.raises(Conflict):
        services.record_model_village(village.code, "city", TODAY(), acting_user=w.sjz_city)
    other = villages_of("130102001000")[1]
    three_years = TODAY() - timedelta(days=3 * 366)
    services.record_model_village(other.code, "provincial", three_years, acting_user=w.sjz_city)
    rows = selectors.model_villages_by_district(Region.objects.get(code=CHANGAN), TODAY())
    assert [(r.district.code, r.recent, r.target, r.met) for r in rows] == [(CHANGAN, 1, 3, False)]


def test_responsibility_list_reported_activities_and_the_assessment_grade(w: World) -> None:
    year = TODAY().year
    entry = services.create_list("北京市朝阳区市场监督管理局", CHAOYANG, year,
                                 "执法中以案释法\n面向商户宣传", acting_user=w.bureau)  # fmt: skip
    assert entry.duties == ["执法中以案释法", "面向商户宣传"]
    _activity(w.author, department_id=entry.pk, audience="120", held_on=TODAY())
    with pytest.raises(PermissionDenied):  # a 司法所 does not assess
        services.assess(entry, 90, acting_user=w.author)
    result = services.assess(entry, 86, "资料审查", acting_user=w.bureau)
    assert result.grade == "良好"  # pack: 优秀 ≥90, 良好 ≥80, 合格 ≥60
    with pytest.raises(Conflict):
        services.assess(entry, 95, acting_user=w.bureau)
    low = services.create_list("北京市朝阳区城市管理委员会", CHAOYANG, year, ["宣传"],
                               acting_user=w.bureau)  # fmt: skip
    assert services.assess(low, 59, acting_user=w.bureau).grade == "不合格"
    rows = {r.department: r for r in selectors.responsibility_rows(w.bureau, year)}
    assert (
        rows["北京市朝阳区市场监督管理局"].reported,
        rows["北京市朝阳区市场监督管理局"].reached,
    ) == (1, 120)
    assert selectors.responsibility_rows(w.haidian, year) == []
    with pytest.raises(Conflict):
        services.create_list(
            "北京市朝阳区市场监督管理局", CHAOYANG, year, ["x"], acting_user=w.bureau
        )


def test_console_pages_show_each_roles_records(w: World) -> None:
    village = villages_of(JIANWAI)[0]
    _site(w.author, village.code, name="建外法治宣传栏")
    services.create_list(
        "北京市朝阳区司法局", CHAOYANG, TODAY().year, ["普法"], acting_user=w.bureau
    )
    author = _client_for(w.author)
    sites = author.get("/console/education/sites").content.decode()
    assert "建外法治宣传栏" in sites and "覆盖率" in sites
    bad = author.post("/console/education/sites", {"action": "site", "name": "保留名称",
                                                    "kind": "board", "region_code": village.code,
                                                    "opened_on": "明天"})  # fmt: skip
    assert bad.status_code == 400 and "保留名称" in bad.content.decode()
    assert "年-月-日" in bad.content.decode()
    assert author.get("/console/education/activities").status_code == 200
    page = _client_for(w.bureau).get("/console/education/responsibility").content.decode()
    assert "北京市朝阳区司法局" in page and "记录考核" in page
    haidian = _client_for(w.haidian).get("/console/education/responsibility").content.decode()
    assert "北京市朝阳区司法局" not in haidian
    assert (
        _client_for(w.haidian).get("/console/education/sites", {"region": JIANWAI}).status_code
        == 404
    )
    assert Client().get("/api/v1/education/site-coverage").status_code == 401


def test_pages_with_records_show_no_codes(w: World) -> None:
    from tests.education.helpers import published
    from tests.test_visible_text import snake_tokens

    content = published(w, kind="qa", question="问题", groups=["migrant_worker"], topics=["labour"])
    village = villages_of(JIANWAI)[0]
    site = _site(w.author, village.code)
    entry = services.create_list("北京市朝阳区司法局", CHAOYANG, TODAY().year, ["普法"],
                                 acting_user=w.bureau)  # fmt: skip
    _activity(w.author, site_id=site.pk, department_id=entry.pk, topics=["labour"])
    services.record_model_village(village.code, "district", TODAY(), acting_user=w.author)
    services.assess(entry, 91, "网上观测", acting_user=w.bureau)
    bureau = _client_for(w.bureau)
    pages = {
        url: client.get(url).content.decode()
        for client, url in [
            (Client(), "/education/"),
            (Client(), f"/education/{content.pk}"),
            (bureau, "/console/education/"),
            (bureau, f"/console/education/{content.pk}/"),
            (bureau, "/console/education/activities"),
            (bureau, "/console/education/sites"),
            (bureau, "/console/education/responsibility"),
            (bureau, "/console/education-themes/"),
        ]
    }
    assert {url: found for url, page in pages.items() if (found := snake_tokens(page))} == {}
    assert "优秀" in pages["/console/education/responsibility"]
