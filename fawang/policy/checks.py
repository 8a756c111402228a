"""A shipped pack that a business line cannot read stops the platform at start-up (``fawang
check``, ``migrate``, the server), not at the first request that needs the number."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error

from fawang.policy.packs import PackError, section_problems, shipped_packs


def check_shipped_packs(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        packs = shipped_packs()
    except PackError as error:
        return [Error(str(error), id="policy.E001")]
    return [
        Error(problem, id="policy.E002") for pack in packs for problem in section_problems(pack)
    ]
