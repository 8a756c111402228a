"""Village-adviser use cases: notices (推送)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fawang.advisers.models import CommunityAdviser, Notice, NoticeRead, NoticeSubscription
from fawang.advisers.services._common import MAX_TEXT, _village
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_text


def push_notice(
    village_ids: list[int], title: str, body: str, by_sms: bool, *, acting_user: User
) -> Notice:
    """An adviser's notice to villages they serve: on the portal for the residents, and by SMS
    to those who opted in."""
    mine = {
        a.village_id: a
        for a in CommunityAdviser.objects.filter(
            practitioner__user=acting_user, ended_on__isnull=True
        ).select_related("practitioner")
    }
    if not mine:
        raise PermissionDenied(_("只有在聘的法律顾问可以推送通知。"))
    chosen = sorted({int(v) for v in village_ids if str(v).isdigit()})
    if not chosen or any(v not in mine for v in chosen):
        raise InvalidInput(_("请选择您服务的村（居）。"), code="no_village", field="village_ids")
    title = clean_text(title, 100, "title", "标题")
    body = clean_text(body, MAX_TEXT, "body", "内容")
    person = next(iter(mine.values())).practitioner
    with transaction.atomic():
        notice = Notice.objects.create(
            practitioner=person, title=title, body=body, by_sms=bool(by_sms), sent_by=acting_user
        )
        notice.villages.set(chosen)
        texts = 0
        if by_sms:
            for sub in NoticeSubscription.objects.filter(village_id__in=chosen).select_related(
                "citizen"
            ):
                queue_sms_to_record(sub.citizen, "phone", f"【法网】法律顾问通知：{title}")
                texts += 1
        record_event(
            "advisers.notice_pushed",
            actor=acting_user,
            obj=notice,
            detail={"villages": len(chosen), "sms": texts},
        )
    return notice


def mark_read(notice: Notice, *, citizen: User) -> None:
    NoticeRead.objects.get_or_create(notice=notice, user=citizen)


def opt_in(citizen: User, village_id: Any, wanted: bool) -> None:
    village = _village(village_id)
    with transaction.atomic():
        if wanted:
            NoticeSubscription.objects.get_or_create(citizen=citizen, village=village)
        else:
            NoticeSubscription.objects.filter(citizen=citizen, village=village).delete()
        record_event(
            "advisers.notice_opt_in", actor=citizen, detail={"village": village.code, "on": wanted}
        )
