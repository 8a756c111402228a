from __future__ import annotations

import pytest

from fawang.mediation.policy import mediation_policy, parse_mediation
from fawang.policy.deadlines import Period, Unit
from fawang.policy.packs import PackError, shipped_packs
from tests.conftest import BEIJING
from tests.factories import region

pytestmark = pytest.mark.django_db


def test_beijing_pack_sets_the_bj_measures_numbers() -> None:
    policy = mediation_policy(region(BEIJING))
    assert policy.full_time_quota == {"township": 2, "industry": 3, "village": 1}
    assert policy.training_days_per_year == 5
    assert policy.featured_rooms_target == 35
    assert (policy.village_cadence, policy.office_cadence, policy.key_period_cadence) == (
        "weekly", "monthly", "daily",
    )  # fmt: skip
    assert policy.judicial_confirmation == Period(30, Unit.CALENDAR_DAYS)


def test_every_shipped_pack_has_a_valid_mediation_section() -> None:
    for pack in shipped_packs():
        assert parse_mediation(pack.raw, pack.code).judicial_confirmation == Period(
            30, Unit.CALENDAR_DAYS
        )


def test_pack_with_an_unknown_cadence_is_refused_with_a_clear_message() -> None:
    raw = dict(shipped_packs()[0].raw)
    raw["mediation"] = {**raw["mediation"], "screening": {"village_committee": "hourly"}}
    with pytest.raises(PackError, match="village_committee"):
        parse_mediation(raw, "test")


def test_pack_without_a_mediation_section_is_refused() -> None:
    with pytest.raises(PackError, match="mediation"):
        parse_mediation({}, "test")
