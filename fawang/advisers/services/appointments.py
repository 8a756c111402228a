"""Village-adviser use cases: appointment, adjustment, exit (准入退出)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers.models import CommunityAdviser, ExitReason
from fawang.advisers.policy import advisers_policy
from fawang.advisers.services._common import ADVISER_KINDS, _date, _require_supervisor, _village
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import Practitioner, PractitionerStatus, User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text


def _eligible(practitioner_id: Any) -> Practitioner:
    try:
        pk = int(practitioner_id)
    except (TypeError, ValueError):
        pk = 0
    person = Practitioner.objects.filter(
        pk=pk, kind__in=ADVISER_KINDS, status=PractitionerStatus.PRACTISING
    ).first()
    if person is None:
        raise InvalidInput(
            _("法律顾问须为在册执业的律师或基层法律服务工作者。"),
            code="not_eligible",
            field="practitioner_id",
        )
    return person


def appoint(
    village_id: Any, practitioner_id: Any, term_start: Any, *, acting_user: User
) -> CommunityAdviser:
    """聘任 one adviser to a village for the pack's term; a village has one adviser at a time
    (a change is an adjustment, which ends the current appointment with its reason)."""
    village = _village(village_id)
    _require_supervisor(acting_user, village)
    person = _eligible(practitioner_id)
    start = _date(term_start or timezone.localdate(), "term_start", _("聘期开始日期"))
    policy = advisers_policy(village)
    with transaction.atomic():
        if CommunityAdviser.objects.filter(village=village, ended_on__isnull=True).exists():
            raise Conflict(
                _("该村（居）已有在聘的法律顾问，请使用“调整”。"), code="already_appointed"
            )
        try:
            with transaction.atomic():
                adviser = CommunityAdviser.objects.create(
                    village=village,
                    practitioner=person,
                    term_start=start,
                    term_end=start.replace(year=start.year + policy.term_years) - timedelta(days=1),
                    appointed_by=acting_user,
                )
        except IntegrityError:
            raise Conflict(
                _("该村（居）已有在聘的法律顾问，请使用“调整”。"), code="already_appointed"
            ) from None
        record_event(
            "advisers.appointed",
            actor=acting_user,
            obj=adviser,
            detail={"village": village.code, "practitioner": person.pk},
        )
    return adviser


def end_appointment(
    adviser: CommunityAdviser, reason: str, note: str = "", *, acting_user: User
) -> CommunityAdviser:
    """退出 with the reason; the village is uncovered until another adviser is appointed."""
    _require_supervisor(acting_user, adviser.village)
    reason = clean_choice(reason, ExitReason.values, "exit_reason", "退出原因")
    note = clean_text(note, 500, "exit_note", "退出说明", required=reason != ExitReason.TERM_ENDED)
    with transaction.atomic():
        adviser = lock(adviser)
        if adviser.ended_on is not None:
            raise Conflict(_("该聘任已结束。"), code="already_ended")
        adviser.ended_on = timezone.localdate()
        adviser.exit_reason = reason
        adviser.exit_note = note
        adviser.save(update_fields=["ended_on", "exit_reason", "exit_note"])
        record_event("advisers.ended", actor=acting_user, obj=adviser, detail={"reason": reason})
    return adviser


def adjust(
    adviser: CommunityAdviser, practitioner_id: Any, note: str, *, acting_user: User
) -> CommunityAdviser:
    """动态调整: the current appointment ends (reason 动态调整) and the new one starts today, in one
    transaction, so the village is never counted uncovered in between."""
    _require_supervisor(acting_user, adviser.village)
    person = _eligible(practitioner_id)
    if person.pk == adviser.practitioner_id:
        raise InvalidInput(
            _("调整后的法律顾问与原顾问相同。"), code="same_adviser", field="practitioner_id"
        )
    with transaction.atomic():
        end_appointment(adviser, ExitReason.ADJUSTED, note, acting_user=acting_user)
        return appoint(adviser.village_id, person.pk, timezone.localdate(), acting_user=acting_user)
