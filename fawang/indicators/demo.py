"""Demo data for the indicators module: both shipped packs, the Beijing action list, a fill."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.definitions import PLAN_DIR
from fawang.indicators.models import FillState
from fawang.indicators.services import load_file
from fawang.policy.packs import PACK_DIR
from fawang.workorders.metrics import touched_days


def build_indicator_demo() -> dict[str, int]:
    """Idempotent: reloading a pack updates it, and a fill replaces the days it fills."""
    for path in sorted(PACK_DIR.glob("*.yaml")):
        load_file(path, acting_user=None)
    for path in sorted(PLAN_DIR.glob("*.yaml")):
        load_file(path, acting_user=None)
    today = timezone.localdate()
    # Only the days that hold demo records, not every day of the year: keeps `fawang demo` fast.
    days = touched_days(datetime(2000, 1, 1, tzinfo=timezone.get_default_timezone()))
    days |= {today - timedelta(days=n) for n in range(fill.FALLBACK_REFILL_DAYS + 1)}
    fill.fill_days(day for day in days if day <= today)
    FillState.objects.update_or_create(
        name=fill.WATERMARK, defaults={"last_run_at": timezone.now()}
    )
    return {}
