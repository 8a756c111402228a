"""Village-adviser use cases: who may act."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from fawang.advisers.models import CommunityAdviser
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import PractitionerKind, Region, RegionLevel, User
from fawang.core.scope import supervises

ADVISER_KINDS = (
    PractitionerKind.COMMUNITY_ADVISER,
    PractitionerKind.LAWYER,
    PractitionerKind.BASIC_LEGAL_WORKER,
)
BOOKING_HORIZON_DAYS = 60
REMINDER_AHEAD = timedelta(hours=24)
MAX_TEXT = 2000


def serves(user: User, adviser: CommunityAdviser) -> bool:
    """The practitioner appointed is this account."""
    return adviser.practitioner.user_id == user.pk


def _require_supervisor(user: User, region: Region) -> None:
    if not supervises(user, region):
        raise PermissionDenied(_("只有主管该村（居）的司法行政机关可以进行此操作。"))


def _int(value: Any, field: str, label: str, *, least: int, most: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            capfirst(_("%(label)s应为整数。") % {"label": label}), code="bad_number", field=field
        ) from None
    if not least <= number <= most:
        raise InvalidInput(
            capfirst(
                _("%(label)s应在%(least)s到%(most)s之间。")
                % {"label": label, "least": least, "most": most}
            ),
            code="bad_number",
            field=field,
        )
    return number


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("请填写正确的%(label)s。") % {"label": label}, code="bad_date", field=field
        ) from None


def _village(village_id: Any) -> Region:
    try:
        pk = int(village_id)
    except (TypeError, ValueError):
        pk = 0
    found = Region.objects.filter(pk=pk, level=RegionLevel.VILLAGE).first()
    if found is None:
        raise InvalidInput(_("请选择村（居）。"), code="no_village", field="village_id")
    return found


def active_adviser(village: Region) -> CommunityAdviser | None:
    return (
        CommunityAdviser.objects.filter(village=village, ended_on__isnull=True)
        .select_related("practitioner__institution", "village")
        .first()
    )
