"""Village-adviser use cases: 法律明白人."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers.models import LegalLiaison, LiaisonMatter, LiaisonRole, VillageHouseholds
from fawang.advisers.services._common import (
    MAX_TEXT,
    _date,
    _int,
    _require_supervisor,
    _village,
    active_adviser,
    serves,
)
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, PermissionDenied
from fawang.core.models import Region, User
from fawang.core.rows import lock
from fawang.core.scope import supervises
from fawang.core.validation import clean_choice, clean_phone, clean_text


def _may_keep_liaisons(user: User, village: Region) -> bool:
    adviser = active_adviser(village)
    return supervises(user, village) or (adviser is not None and serves(user, adviser))


def add_liaison(
    village_id: Any, name: str, phone: str, role: str, trained_on: Any = None, *, acting_user: User
) -> LegalLiaison:
    village = _village(village_id)
    if not _may_keep_liaisons(acting_user, village):
        raise PermissionDenied(_("只有主管该村（居）的司法所或其法律顾问可以登记法律明白人。"))
    name = clean_text(name, 50, "name", "姓名")
    phone = clean_phone(phone, "phone")
    role = clean_choice(role, LiaisonRole.values, "role", "身份")
    trained = _date(trained_on, "trained_on", _("培训日期")) if trained_on else None
    with transaction.atomic():
        liaison = LegalLiaison.objects.create(
            village=village, name=name, phone=phone, role=role, trained_on=trained,
            recorded_by=acting_user,
        )  # fmt: skip
        record_event(
            "advisers.liaison_added",
            actor=acting_user,
            obj=liaison,
            detail={"village": village.code},
        )
    return liaison


def liaison_leaves(liaison: LegalLiaison, *, acting_user: User) -> LegalLiaison:
    if not _may_keep_liaisons(acting_user, liaison.village):
        raise PermissionDenied(_("只有主管该村（居）的司法所或其法律顾问可以进行此操作。"))
    with transaction.atomic():
        liaison = lock(liaison)
        if liaison.left_on is not None:
            raise Conflict(_("该法律明白人已退出。"), code="already_ended")
        liaison.left_on = timezone.localdate()
        liaison.save(update_fields=["left_on"])
        record_event("advisers.liaison_left", actor=acting_user, obj=liaison)
    return liaison


def raise_matter(liaison: LegalLiaison, text: str, *, acting_user: User) -> LiaisonMatter:
    """A 法律明白人 raises a matter to the village's adviser (BJ-list 一(十) 协作机制); recorded by
    the township office or the adviser, it shows in the liaison's record and the adviser's
    queue until a ledger entry answers it."""
    if not _may_keep_liaisons(acting_user, liaison.village):
        raise PermissionDenied(_("只有主管该村（居）的司法所或其法律顾问可以登记事项。"))
    text = clean_text(text, MAX_TEXT, "text", "事项")
    with transaction.atomic():
        liaison = lock(liaison)  # the caller's copy may predate the liaison's leaving
        if liaison.left_on is not None:
            raise Conflict(_("该法律明白人已退出。"), code="already_ended")
        adviser = active_adviser(liaison.village)
        if adviser is None:
            raise Conflict(_("该村（居）暂未配备法律顾问。"), code="no_adviser")
        matter = LiaisonMatter.objects.create(
            liaison=liaison, adviser=adviser, text=text, raised_by=acting_user
        )
        record_event("advisers.matter_raised", actor=acting_user, obj=matter)
    return matter


def record_households(
    village_id: Any, households: Any, year: Any, source: str, *, acting_user: User
) -> VillageHouseholds:
    """户数 of a village from a named source, for the 每20户1名 check (SJZ 四(一)1)."""
    village = _village(village_id)
    _require_supervisor(acting_user, village)
    count = _int(households, "households", _("户数"), least=1, most=1_000_000)
    y = _int(year, "year", _("年份"), least=2000, most=2100)
    source = clean_text(source, 200, "source", "数据来源")
    with transaction.atomic():
        row, _created = VillageHouseholds.objects.update_or_create(
            village=village, defaults={"households": count, "year": y, "source": source}
        )
        record_event("advisers.households_recorded", actor=acting_user, obj=row)
    return row
