"""The national region tree the indicators benchmark generates (benchmarks/national_regions.py):
real provincial codes, a code structure a reader of the region files recognises, and paths the
platform's subtree queries and count tables rely on."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from fawang.core.models import Region

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import national_regions


def test_generated_codes_nest_under_real_provinces() -> None:
    rows = national_regions.rows(townships_per_county=2, skip=frozenset())
    codes = {row.code: row for row in rows}
    assert len(codes) == len(rows)
    roots = [row for row in rows if not row.parent_code]
    assert len(roots) == 31
    assert {"110000000000", "540000000000", "650000000000"} <= {r.code for r in roots}
    assert "810000000000" not in codes  # no Hong Kong, Macao or Taiwan
    levels = Counter(row.level for row in rows if row.parent_code)
    assert levels["city"] == 333  # prefecture level
    assert 2_800 <= levels["district"] <= 2_900  # county level
    for row in rows:
        assert len(row.code) == 12 and row.code.isdigit()
        if row.parent_code:
            parent = codes[row.parent_code]
            # under a root the 2-digit province code, under a prefecture its 4, a county its 6
            kept = 2 if not parent.parent_code else {"city": 4, "district": 6}[parent.level]
            assert row.code[:kept] == parent.code[:kept]
            assert row.code != parent.code


@pytest.mark.django_db
def test_inserted_tree_has_paths_and_the_generated_flag() -> None:
    rows = national_regions.rows(townships_per_county=1)
    created = national_regions.insert(townships_per_county=1)
    # Shijiazhuang's real tree (loaded for the tests) wins over the generated 河北01市
    assert created == len([row for row in rows if not row.code.startswith("1301")])
    assert national_regions.insert(townships_per_county=1) == 0  # already there
    generated = Region.objects.filter(source=national_regions.GENERATED)
    assert generated.count() == created
    assert not generated.filter(code__startswith="11").exists()  # Beijing stays real
    township = generated.filter(level="township", path__startswith="/130000000000/")
    township = township.select_related("parent__parent__parent").first()
    assert township is not None
    chain = [township.parent.parent.parent, township.parent.parent, township.parent, township]
    assert township.path == "/" + "".join(f"{r.code}/" for r in chain)
    assert len(township.path) <= Region._meta.get_field("path").max_length
    guangdong = Region.objects.get(code="440000000000")
    assert guangdong.name == "广东省" and guangdong.parent is None
    assert Region.objects.filter(path__startswith=guangdong.path, level="district").count() == 122
