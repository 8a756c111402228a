"""Arbitration supervision (仲裁): the case registry, court outcomes, false-arbitration flags,
backlog clearance and the set-aside / non-enforcement rate."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES, Role
from fawang.core.registry import CONSOLE, Declaration, NavEntry, words

_EVENTS = (
    "case_registered case_closed court_outcome_recorded flag_raised flag_reviewed clearance_planned"
)

REGISTRY = Declaration(
    name="arbitration",
    label=_("仲裁监督"),
    urls="fawang.arbitration.urls",
    api_router="fawang.arbitration.api:router",
    nav=(
        NavEntry(CONSOLE, _("仲裁监督"), "arbitration:supervision",
                 (*SUPERVISOR_ROLES, Role.ARBITRATION_CLERK), order=59, home_tile=_("仲裁监督")),
    ),
    pack_section="fawang.arbitration.policy:parse_arbitration",
    metrics="fawang.arbitration.metrics",
    demo="fawang.arbitration.demo:build_demo_arbitration",
    demo_order=56,
    audit_events=words(" ".join(f"arbitration.{e}" for e in _EVENTS.split()) + " demo.arbitration"),
    error_codes=words(
        """
        no_commission bad_amount bad_date duplicate_case already_closed bad_state
        already_reviewed not_own_commission required too_long bad_choice phone_format
        """
    ),
)  # fmt: skip
