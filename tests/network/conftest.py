from __future__ import annotations

import pytest

from fawang.network import planning


@pytest.fixture(autouse=True)
def _fresh_coverage_cache() -> None:
    """Coverage is cached per city between requests; each test starts without it."""
    planning._CACHE.clear()
