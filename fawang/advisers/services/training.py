"""Village-adviser use cases: training."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fawang.advisers.models import CommunityAdviser, TrainingRecord
from fawang.advisers.services._common import _date
from fawang.advisers.services.appointments import _eligible
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.scope import supervises
from fawang.core.validation import clean_text


def record_training(
    practitioner_id: Any, held_on: Any, topic: str, hours: Any, organiser: str, *, acting_user: User
) -> TrainingRecord:
    """定期培训 (BJ-measures 16): recorded by a bureau for an adviser serving in its region."""
    person = _eligible(practitioner_id)
    villages = CommunityAdviser.objects.filter(practitioner=person).select_related("village")
    if not any(supervises(acting_user, a.village) for a in villages):
        raise PermissionDenied(_("只能为本辖区聘任的法律顾问登记培训。"))
    day = _date(held_on, "held_on", _("培训日期"))
    topic = clean_text(topic, 200, "topic", "培训内容")
    organiser = clean_text(organiser, 100, "organiser", "组织单位")
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("学时应为数字。"), code="bad_number", field="hours") from None
    if not Decimal("0.5") <= amount <= Decimal("200"):
        raise InvalidInput(_("学时应在0.5到200之间。"), code="bad_number", field="hours")
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            practitioner=person,
            held_on=day,
            topic=topic,
            hours=amount,
            organiser=organiser,
            recorded_by=acting_user,
        )
        record_event("advisers.training_recorded", actor=acting_user, obj=record)
    return record
