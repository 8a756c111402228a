"""Input checks every service shares: each turns bad input into an `InvalidInput` with a message
naming the field, before anything is saved. The message is in the request's language when the
field's label has a translation, else wholly in Chinese (never half in one language)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from fawang.core.errors import InvalidInput
from fawang.core.personal_data import validate_id_number, validate_phone

# Control characters a person cannot type on purpose (NUL, escapes…); line breaks and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


REQUIRED = gettext_noop("请填写%(label)s。")
TOO_LONG = gettext_noop("%(label)s不能超过%(limit)s个字。")
UNKNOWN = gettext_noop("未知的%(label)s：%(value)s")


def _naming(message: str, label: str, **values: object) -> str:
    shown = gettext(label)
    if shown == label:  # no translation of the label: the sentence stays Chinese as a whole
        return message % {"label": label, **values}
    return gettext(message) % {"label": shown, **values}


def clean_text(
    value: str | None, limit: int, field: str, label: str, *, required: bool = True
) -> str:
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n")).strip()
    if required and not value:
        raise InvalidInput(_naming(REQUIRED, label), code="required", field=field)
    if len(value) > limit:
        message = _naming(TOO_LONG, label, limit=limit)
        raise InvalidInput(message, code="too_long", field=field)
    return value


def clean_choice(
    value: str | None, choices: Iterable[str], field: str, label: str, *, code: str = "bad_choice"
) -> str:
    if value not in set(choices):
        raise InvalidInput(_naming(UNKNOWN, label, value=value), code=code, field=field)
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
