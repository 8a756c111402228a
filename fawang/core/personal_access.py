"""The one door to clear personal data: every clear read of a phone or ID number passes here.

:func:`read_personal_data` returns the clear value of any model's :class:`PersonalDataField`
(accounts, practitioners, work orders, legal-aid applications, mediation parties…) and records the
read — a ``PersonalDataAccess`` row and a ``personal_data.reveal`` audit event — in the caller's
transaction. Who may read is the caller's business: staff reveals go through
``core.services.reveal_personal_data`` (role and reason checked), a citizen reads their own number
for their own use (:data:`SELF_USE`), and the SMS job reads the number it sends to
(``core.tasks``, :data:`SMS_DELIVERY`, no acting user).

``tests/core/test_personal_data_door.py`` fails on any other ``.reveal(`` in the code.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from fawang.audit.services import record_personal_data_access
from fawang.core.errors import InvalidInput
from fawang.core.personal_data import PersonalDataField, PersonalValue

SELF_USE = "本人使用"
SMS_DELIVERY = "发送短信通知"
# How the platform itself appears in the access log and the audit trail.
SMS_ACTOR = "fawang sms"


def personal_field_names(model: type[models.Model] | models.Model) -> frozenset[str]:
    """The PersonalDataField names of a model (or of an instance's model)."""
    return frozenset(
        field.name for field in model._meta.get_fields() if isinstance(field, PersonalDataField)
    )


def read_personal_data(instance: models.Model, field: str, *, actor: Any, purpose: str) -> str:
    """The clear value of ``instance.<field>``; the read is recorded. An empty field gives "".

    ``actor`` is the user reading, or None (or a label such as :data:`SMS_ACTOR`) when the
    platform reads for itself. ``purpose`` says why; it is kept with the record (200 characters).
    """
    if field not in personal_field_names(instance):
        raise InvalidInput("只能查看手机号码或身份证号码。", code="bad_field", field="field")
    if not (purpose or "").strip():
        raise ValueError("a read of personal data needs a purpose")
    value = getattr(instance, field)
    if not isinstance(value, PersonalValue) or not value:
        return ""
    record_personal_data_access(actor=actor, subject=instance, field_name=field, reason=purpose)
    return value.reveal()
