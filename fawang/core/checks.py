"""`fawang check` (and every `fawang` command, `fawang run` included) refuses a configuration that
would fail later or expose the platform: a data key that cannot encrypt, DEBUG in production, a
short signing key in production."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from fawang.core.personal_data import derived_keys_problem

HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


@register()
def check_keys_and_mode(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    problem = derived_keys_problem(settings.DATA_KEY)
    if problem:
        errors.append(Error(f"FAWANG_DATA_KEY 无法使用：{problem}", id="core.E001"))
    production = settings.MODE == "production"
    if production and not HEX_KEY.fullmatch(settings.DATA_KEY):
        errors.append(
            Error(
                "生产模式下 FAWANG_DATA_KEY 须为 64 位十六进制数（32 字节随机数）",
                hint="python3 -c 'import secrets; print(secrets.token_hex(32))'",
                id="core.E002",
            )
        )
    if production and settings.DEBUG:
        errors.append(
            Error("生产模式不得开启 FAWANG_DEBUG（会在错误页泄露数据与配置）", id="core.E003")
        )
    if production and len(settings.SECRET_KEY) < 32:
        errors.append(Error("生产模式下 FAWANG_SECRET_KEY 至少 32 个字符", id="core.E004"))
    return errors
