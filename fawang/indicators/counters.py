"""The counters indicators are computed from: whatever the installed apps declare.

Each app names its metrics module in its registry entry (``metrics=``); the module lists
``FLOW_COUNTERS`` (events on a local day) and ``STOCK_COUNTERS`` (state at the end of a day), see
docs/indicators.md. A pack may only use codes some installed app provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import ModuleType

from fawang.core.registry import metric_modules

FLOW, STOCK = "flow", "stock"

CounterFunction = Callable[[date], dict[int, float]]


@dataclass(frozen=True)
class Counter:
    code: str
    kind: str
    compute: CounterFunction | None
    module: ModuleType | None = None  # the metrics module that declares it


@lru_cache(maxsize=1)
def registry() -> dict[str, Counter]:
    counters: dict[str, Counter] = {}
    for module in metric_modules():
        for kind, attribute in ((FLOW, "FLOW_COUNTERS"), (STOCK, "STOCK_COUNTERS")):
            for code, function in getattr(module, attribute, {}).items():
                counters[code] = Counter(code, kind, function, module)
    return counters


def by_module() -> dict[ModuleType, dict[str, CounterFunction]]:
    """The installed counters grouped by the metrics module declaring them (a fill's unit)."""
    grouped: dict[ModuleType, dict[str, CounterFunction]] = {}
    for counter in registry().values():
        if counter.module is not None and counter.compute is not None:
            grouped.setdefault(counter.module, {})[counter.code] = counter.compute
    return grouped
