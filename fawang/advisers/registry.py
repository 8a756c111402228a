"""村(居)法律顾问 and 法律明白人: appointment to every village and community with coverage, the
service list and ledger, villagers' bookings, notices, the three-party evaluation and subsidy,
training, and the 法律明白人 registry."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES, Role
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

_ADVISERS = (Role.COMMUNITY_ADVISER, Role.LAWYER)
_EVENTS = (
    "appointed ended service_recorded appointment_booked appointment_cancelled "
    "appointment_reminded service_rated evaluation_scored notice_pushed notice_opt_in "
    "training_recorded liaison_added liaison_left matter_raised households_recorded"
)

REGISTRY = Declaration(
    name="advisers",
    label=_("村（居）法律顾问"),
    urls="fawang.advisers.urls",
    api_router="fawang.advisers.api:router",
    nav=(
        NavEntry(PORTAL, _("找法律顾问"), "advisers:find", order=94),
        NavEntry(PORTAL, _("我的顾问预约"), "advisers:mine", order=95, citizens_only=True),
        NavEntry(CONSOLE, _("村居法律顾问"), "advisers:home", (*_ADVISERS, *SUPERVISOR_ROLES),
                 order=60, home_tile=_("村（居）法律顾问")),
    ),
    pack_section="fawang.advisers.policy:parse_advisers",
    metrics="fawang.advisers.metrics",
    periodic_jobs=(
        PeriodicJob("advisers.booking_reminders", "fawang.advisers.tasks:send_booking_reminders",
                    timedelta(minutes=15)),
    ),
    demo="fawang.advisers.demo:build_demo_advisers",
    demo_order=60,
    audit_events=words(" ".join(f"advisers.{e}" for e in _EVENTS.split()) + " demo.advisers"),
    error_codes=words(
        """
        required too_long bad_choice not_on_list bad_number bad_date no_village not_eligible
        already_appointed already_ended same_adviser bad_state no_adviser bad_slot already_rated
        phone_format
        """
    ),
)  # fmt: skip
