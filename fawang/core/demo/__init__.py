"""The demo Beijing: institutions, practitioners and one account per role.

DEMO ONLY. Public bodies (司法局, 法律援助中心, 北京仲裁委员会…) keep their real names; firms,
people, addresses, phone, ID and credit-code numbers are invented (any resemblance to a real firm
or person is a coincidence). Every demo account shares one published password and a TOTP key
anyone can derive from its username. ``fawang demo`` refuses to run outside demo mode,
and so does :func:`build_demo_world`.

The world is planned in memory from ``random.Random(seed)`` and the committed regions alone, then
only the missing rows are written, so a second run (or a run after a partial edit) creates nothing
that already exists and the same seed always plans the same world. The plan also places the
walk-in service points; the network line writes them (``planned_service_points``).
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from fawang.audit.services import record_event
from fawang.core.demo.accounts import (
    DemoAccount,
    DemoSummary,
    _ensure_accounts,
    demo_totp_key,
    demo_username,
)
from fawang.core.demo.data import (
    BEIJING_CODE,
    CHAOYANG_CODE,
    DEMO_CITIZEN_PHONE,
    DEMO_PASSWORD,
    FEMALE_GIVEN,
    HAIDIAN_CODE,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    NEUTRAL_GIVEN,
    SURNAMES,
)
from fawang.core.demo.world import (
    PlannedServicePoint,
    _Atlas,
    _create_missing_institutions,
    _create_missing_practitioners,
    _institution_ids,
    _WorldPlanner,
    credit_code,
    village_stem,
)
from fawang.core.errors import InvalidInput
from fawang.core.models import Region

__all__ = [
    "BEIJING_CODE",
    "CHAOYANG_CODE",
    "DEMO_CITIZEN_PHONE",
    "DEMO_PASSWORD",
    "FEMALE_GIVEN",
    "HAIDIAN_CODE",
    "MALE_GIVEN",
    "MOBILE_PREFIXES",
    "NEUTRAL_GIVEN",
    "SURNAMES",
    "DemoAccount",
    "DemoSummary",
    "PlannedServicePoint",
    "build_demo_world",
    "credit_code",
    "demo_totp_key",
    "demo_username",
    "planned_service_points",
    "village_stem",
]


def build_demo_world(*, seed: int = 2026) -> DemoSummary:
    """Create whatever part of the demo Beijing is missing; returns what was created."""
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic():
        atlas = _load_atlas()
        plan = _WorldPlanner(random.Random(seed), atlas).plan()
        institutions_created = _create_missing_institutions(plan.institutions)
        ids = _institution_ids()
        practitioners_created = _create_missing_practitioners(plan.practitioners, ids)
        accounts, accounts_created = _ensure_accounts(atlas, plan, ids)
        counts = {
            "institutions_created": institutions_created,
            "practitioners_created": practitioners_created,
            "accounts_created": accounts_created,
        }
        record_event("demo.build", actor="fawang demo", detail={"seed": seed, **counts})
    return DemoSummary(accounts=accounts, **counts)


def planned_service_points(*, seed: int = 2026) -> list[tuple[int, PlannedServicePoint]]:
    """The service points of the demo world with the id of the institution operating each."""
    plan = _WorldPlanner(random.Random(seed), _load_atlas()).plan()
    ids = _institution_ids()
    return [(ids[operator], point) for operator, point in plan.service_points if operator in ids]


# --- regions ------------------------------------------------------------------------------
# The atlas both entry points start from. It lives here, with them, so that ``BEIJING_CODE`` is
# this package's name at call time (patching ``fawang.core.demo.BEIJING_CODE`` takes effect).


def _load_atlas() -> _Atlas:
    city = Region.objects.filter(code=BEIJING_CODE).first()
    if city is None:
        raise InvalidInput("请先运行 fawang load-regions")
    regions = list(Region.objects.filter(path__startswith=city.path).order_by("code"))
    children: dict[int, list[Region]] = defaultdict(list)
    for region in regions:
        if region.parent_id is not None:
            children[region.parent_id].append(region)
    return _Atlas(
        city=city,
        districts=children[city.pk],
        children=dict(children),
        by_pk={r.pk: r for r in regions},
    )
