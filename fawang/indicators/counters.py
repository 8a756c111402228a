"""The counters indicators are computed from: a catalogue of codes and the modules that fill them.

Each module lists ``FLOW_COUNTERS`` (events on a local day) and ``STOCK_COUNTERS`` (state at the end
of a day) in its ``metrics.py`` (see docs/indicators.md). The catalogue below names the codes the
packs may use even before the module providing them is installed, so a pack loads on a platform
that does not run every module yet (its indicators then show "no data").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import import_module

from django.conf import settings

logger = logging.getLogger(__name__)

FLOW, STOCK = "flow", "stock"

DEFAULT_METRIC_MODULES = (
    "fawang.workorders.metrics",
    "fawang.indicators.core_metrics",
    "fawang.legalaid.metrics",
    "fawang.mediation.metrics",
)

_LEGAL_AID_FLOWS = (
    "applications_received cases_opened notices_received notices_assigned "
    "notices_assigned_in_time cases_closed hearings_attended quality_reviews "
    "reviews_excellent_or_good complaints_received complaints_upheld"
)
_MEDIATION_FLOWS = (
    "disputes_received disputes_handed_off disputes_closed disputes_agreed resolve_days_total "
    "screenings_due screenings_done judicial_confirmations_requested "
    "judicial_confirmations_granted"
)
_MEDIATION_STOCKS = (
    "committees committees_meeting_quota mediators mediators_training_met featured_rooms"
)

CATALOGUE: dict[str, str] = {
    **{f"legal_aid.{code}": FLOW for code in _LEGAL_AID_FLOWS.split()},
    "legal_aid.pool_providers": STOCK,
    "legal_aid.pool_public_sector_lawyers": STOCK,
    **{f"mediation.{code}": FLOW for code in _MEDIATION_FLOWS.split()},
    **{f"mediation.{code}": STOCK for code in _MEDIATION_STOCKS.split()},
}

CounterFunction = Callable[[date], dict[int, float]]


@dataclass(frozen=True)
class Counter:
    code: str
    kind: str
    compute: CounterFunction | None  # None: catalogued, its module not installed yet


def metric_modules() -> tuple[str, ...]:
    return tuple(getattr(settings, "INDICATOR_METRIC_MODULES", DEFAULT_METRIC_MODULES))


@lru_cache(maxsize=1)
def registry() -> dict[str, Counter]:
    counters = {code: Counter(code, kind, None) for code, kind in CATALOGUE.items()}
    for path in metric_modules():
        try:
            module = import_module(path)
        except (ImportError, RuntimeError):  # not written yet, or its app not installed yet
            logger.info("metric module %s is not installed yet; its counters show no data", path)
            continue
        for kind, attribute in ((FLOW, "FLOW_COUNTERS"), (STOCK, "STOCK_COUNTERS")):
            for code, function in getattr(module, attribute, {}).items():
                counters[code] = Counter(code, kind, function)
    return counters


def available() -> list[Counter]:
    return [counter for counter in registry().values() if counter.compute is not None]
