"""Shared set-up for the education tests: the justice offices and bureaus over real regions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region, RegionLevel, Role, User
from fawang.education import services
from fawang.education.models import EducationContent
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_staff

JIANWAI = "110105001000"  # 建外街道, 朝阳区
MENTOUGOU = "110109000000"
MALAN = "110109106203"  # 马栏村委会, 斋堂镇, 门头沟区
SJZ = "130100000000"
CHANGAN = "130102000000"  # 长安区, 石家庄市


@dataclass
class World:
    author: User  # 建外街道司法所
    second_author: User
    bureau: User  # 朝阳区司法局
    haidian: User  # 海淀区司法局
    city: User  # 北京市司法局
    sjz_city: User  # 石家庄市司法局


def build_world() -> World:
    return World(
        author=make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=JIANWAI),
        second_author=make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=JIANWAI),
        bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
        sjz_city=make_staff(Role.SUPERVISOR_CITY, region_code=SJZ),
    )


def content_in(**overrides: Any) -> services.ContentIn:
    values: dict[str, Any] = {
        "kind": "case",
        "title": "典型案例：养老诈骗的识别与维权",
        "summary": "老年人被以高息养老项目骗取积蓄。",
        "body": "王某参加所谓养老公寓投资，交付十二万元后公司失联。",
        "groups": ["elderly"],
        "topics": ["consumer"],
        "statutes": "民法典第一百四十八条\n《民法典》第1165条",
    }
    values.update(overrides)
    return services.ContentIn(**values)


def published(w: World, **overrides: Any) -> EducationContent:
    content = services.create_content(content_in(**overrides), acting_user=w.author)
    services.submit_content(content, acting_user=w.author)
    return services.publish_content(content, "同意发布", acting_user=w.bureau)


def villages_of(township_code: str) -> list[Region]:
    return list(
        Region.objects.filter(parent__code=township_code, level=RegionLevel.VILLAGE).order_by(
            "code"
        )
    )
