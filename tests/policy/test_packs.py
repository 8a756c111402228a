"""The policy app: a pack per city, read by every business line."""

from __future__ import annotations

import copy

import pytest

from fawang.core.models import Region, RegionLevel
from fawang.policy.checks import check_shipped_packs
from fawang.policy.packs import NoPackForRegion, pack_for_region, section_problems, shipped_packs

pytestmark = pytest.mark.django_db


def test_a_place_takes_the_pack_of_its_city() -> None:
    chaoyang = Region.objects.get(code="110105000000")
    xinhua = Region.objects.get(code="130105000000")
    assert pack_for_region(chaoyang).city_region_code == "110000000000"
    assert pack_for_region(xinhua).city_region_code == "130100000000"


def test_a_city_without_a_pack_is_refused_not_given_another_citys_numbers() -> None:
    guangzhou = Region.objects.create(
        code="440100000000", name="广州市", level=RegionLevel.CITY, path="/440100000000/"
    )
    with pytest.raises(NoPackForRegion) as refused:
        pack_for_region(guangzhou)
    assert refused.value.status == 400
    assert "广州市" in refused.value.message and "政策包" in refused.value.message
    with pytest.raises(NoPackForRegion):
        pack_for_region(None)


def test_the_shipped_packs_are_readable_by_every_line() -> None:
    assert check_shipped_packs() == []


def test_a_broken_section_is_named_with_its_line() -> None:
    pack = shipped_packs()[0]
    broken = copy.deepcopy(pack.raw)
    del broken["legal_aid"]
    problems = section_problems(type(pack)(**{**pack.__dict__, "raw": broken}))
    assert len(problems) == 1
    assert "legalaid" in problems[0] and "legal_aid" in problems[0]
