"""Hotline seats (热线坐席): seats and the 7×24 roster per centre, call records from the telephony
system (接通率 and waits computed, not typed), the monthly review of sampled calls and the seat
report beside the pack's targets (R1; BJ-measures 9; SJZ 四 5 专栏5)."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES, Role
from fawang.core.registry import CONSOLE, Declaration, NavEntry, words

_EVENTS = (
    "call_recorded call_linked seat_added shift_added shift_removed reviews_drawn review_scored"
)

REGISTRY = Declaration(
    name="hotline",
    label=_("热线坐席"),
    urls="fawang.hotline.urls",
    api_router="fawang.hotline.api:router",
    nav=(
        NavEntry(CONSOLE, _("热线坐席"), "hotline:home", (Role.HOTLINE_SEAT, *SUPERVISOR_ROLES),
                 order=64, home_tile=_("坐席排班与考评")),
    ),
    pack_section="fawang.hotline.policy:parse_hotline",
    metrics="fawang.hotline.metrics",
    demo="fawang.hotline.demo:build_demo_hotline",
    demo_order=57,
    audit_events=words(" ".join(f"hotline.{e}" for e in _EVENTS.split()) + " demo.hotline"),
    error_codes=words(
        """
        forbidden bad_call_event unknown_centre call_conflict unknown_seat required order_linked
        duplicate_seat bad_staff bad_shift shift_overlap staff_busy bad_month already_reviewed
        bad_score too_long token_required too_large future_call
        """
    ),
)  # fmt: skip
