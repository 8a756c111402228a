from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fawang.audit.models import AuditEvent
from fawang.core.errors import PermissionDenied
from fawang.core.models import Role
from fawang.indicators.definitions import PackInvalid, read_yaml
from fawang.indicators.models import ActionItem, Indicator, IndicatorPack
from fawang.indicators.services import edit_target, load_pack, load_plan
from fawang.policy.packs import PACK_DIR, pack_for_region
from tests.conftest import CHAOYANG
from tests.factories import make_staff, region
from tests.indicators.helpers import load_shipped

pytestmark = pytest.mark.django_db


def _beijing() -> dict[str, Any]:
    return read_yaml(PACK_DIR / "beijing-2025-2027.yaml")


def test_shipped_packs_and_action_list_load() -> None:
    load_shipped()
    assert Indicator.objects.filter(pack__code="beijing-2025-2027").count() == 42
    shijiazhuang = Indicator.objects.filter(pack__code="shijiazhuang-2021-2025")
    assert shijiazhuang.filter(code__lte="SJZ-30").count() == 30
    assert ActionItem.objects.filter(region__level="district").count() == 16
    assert ActionItem.objects.filter(region__level="city").count() == 10


def test_every_indicator_cites_its_source_passage() -> None:
    load_shipped()
    assert not Indicator.objects.filter(passage="").exists()


def test_service_levels_still_parse_for_work_orders() -> None:
    assert str(pack_for_region(region(CHAOYANG)).service_levels.claim) == "2个工作日"


def test_bad_formula_is_rejected_and_changes_nothing() -> None:
    load_shipped()
    before = list(Indicator.objects.values_list("code", "formula", "target"))
    data = copy.deepcopy(_beijing())
    data["indicators"][0]["target"] = 1
    data["indicators"][1]["formula"] = "pct(legal_aid.nothing, legal_aid.quality_reviews)"
    with pytest.raises(PackInvalid, match=r"指标 BJ-02：公式.*未知的计数项 legal_aid\.nothing"):
        load_pack(data, acting_user=None)
    assert list(Indicator.objects.values_list("code", "formula", "target")) == before


def test_unknown_region_is_rejected_with_a_clear_message() -> None:
    data = copy.deepcopy(_beijing())
    data["city_region_code"] = "999900000000"
    with pytest.raises(PackInvalid, match="未知的行政区划代码 999900000000"):
        load_pack(data, acting_user=None)
    assert not IndicatorPack.objects.exists()


def test_plan_with_unknown_region_or_indicator_is_rejected() -> None:
    load_shipped()
    plan = read_yaml(PACK_DIR.parent / "plans" / "beijing-2025-2027-action-list.yaml")
    bad_region = copy.deepcopy(plan)
    bad_region["items"][3]["region"] = "130102000000"  # in Shijiazhuang, not Beijing
    with pytest.raises(PackInvalid, match="不在 北京市 内"):
        load_plan(bad_region, acting_user=None)
    bad_indicator = copy.deepcopy(plan)
    bad_indicator["items"][0]["indicators"] = ["BJ-99"]
    with pytest.raises(PackInvalid, match="未定义的指标 BJ-99"):
        load_plan(bad_indicator, acting_user=None)


def test_missing_field_names_the_indicator() -> None:
    data = copy.deepcopy(_beijing())
    del data["indicators"][2]["target"]
    with pytest.raises(PackInvalid, match="指标 BJ-03 缺少必填项 target"):
        load_pack(data, acting_user=None)


def test_only_the_system_administrator_loads_packs() -> None:
    supervisor = make_staff(Role.SUPERVISOR_CITY, region_code="110000000000")
    with pytest.raises(PermissionDenied):
        load_pack(_beijing(), acting_user=supervisor)


def test_administrator_edits_a_target_audited_and_reload_keeps_it() -> None:
    load_shipped()
    admin = make_staff(Role.SYSTEM_ADMIN, region_code="110000000000")
    indicator = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-06")
    edit_target(indicator, acting_user=admin, target=40, milestones={"2026": 20})
    load_pack(_beijing(), acting_user=None)
    indicator.refresh_from_db()
    assert indicator.target == 40 and indicator.milestones == {"2026": 20.0}
    event = AuditEvent.objects.get(action="indicators.target_edited")
    assert event.detail["before"]["target"] == 35


def test_supervisor_cannot_edit_targets() -> None:
    load_shipped()
    supervisor = make_staff(Role.SUPERVISOR_CITY, region_code="110000000000")
    indicator = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-06")
    with pytest.raises(PermissionDenied):
        edit_target(indicator, acting_user=supervisor, target=1, milestones={})


def test_load_pack_command_reports_a_bad_file_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "city.yaml"
    bad.write_text(
        "code: x\nname: x\ncity_region_code: '110000000000'\nperiod: {start: 2025, end: 2027}\n"
        "indicators:\n  - {code: X-1, name: x, source: computed, formula: 'open(1)', target: 1,\n"
        "     comparator: '>=', level: municipal, nature: expected, deadline_year: 2027,"
        " passage: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="指标 X-1：公式“open"):
        call_command("load_pack", str(bad))
    assert not IndicatorPack.objects.exists()


def test_load_pack_command_loads_the_shipped_files() -> None:
    out = io.StringIO()
    call_command("load_pack", str(PACK_DIR / "beijing-2025-2027.yaml"), stdout=out)
    assert "北京市公共法律服务" in out.getvalue()
