"""Input checks every service shares: each turns bad input into an `InvalidInput` with a Chinese
message naming the field, before anything is saved."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from fawang.core.errors import InvalidInput
from fawang.core.personal_data import validate_id_number, validate_phone

# Control characters a person cannot type on purpose (NUL, escapes…); line breaks and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(
    value: str | None, limit: int, field: str, label: str, *, required: bool = True
) -> str:
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n")).strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}个字。", code="too_long", field=field)
    return value


def clean_choice(
    value: str | None, choices: Iterable[str], field: str, label: str, *, code: str = "bad_choice"
) -> str:
    if value not in set(choices):
        raise InvalidInput(f"未知的{label}：{value}", code=code, field=field)
    return str(value)


def clean_phone(value: str, field: str = "phone") -> str:
    """A mainland mobile or landline number, normalised (GB-style checks in personal_data)."""
    try:
        return validate_phone(value)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), code="phone_format", field=field) from None


def clean_id_number(value: str, field: str, *, code: str = "id_format") -> str:
    """A resident ID number with a valid GB 11643 check digit."""
    try:
        return validate_id_number(value)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), code=code, field=field) from None
