"""People's mediation (人民调解): disputes, committees, mediators, screening, early warning."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

_DISPUTE_EVENTS = (
    "received assigned session_recorded agreed failed followed_up confirmation_requested "
    "confirmation_answered appraisal_recorded"
)

REGISTRY = Declaration(
    name="mediation",
    label=_("人民调解"),
    urls="fawang.mediation.urls",
    api_router="fawang.mediation.api:router",
    nav=(
        NavEntry(PORTAL, _("我的调解"), "mediation:my_disputes", order=80, citizens_only=True),
        NavEntry(CONSOLE, _("人民调解"), "mediation:disputes", ("mediator", *SUPERVISOR_ROLES),
                 order=50, home_tile=_("人民调解")),
    ),
    pack_section="fawang.mediation.policy:parse_mediation",
    metrics="fawang.mediation.metrics",
    periodic_jobs=(
        PeriodicJob("mediation.generate_screenings",
                    "fawang.mediation.tasks:generate_screening_tasks", timedelta(hours=1)),
        PeriodicJob("mediation.check_dispute_spikes",
                    "fawang.mediation.tasks:check_dispute_spikes", timedelta(hours=6)),
    ),
    # 鉴调一体: the appraisal line's issued documents are recorded on the dispute they name.
    hooks={"appraisal.opinion_issued": (
        "fawang.mediation.services.appraisal:record_appraisal_result",)},
    demo="fawang.mediation.demo:build_demo_mediation",
    demo_order=30,
    audit_events=words(
        " ".join(f"mediation.{action}" for action in _DISPUTE_EVENTS.split())
        + """
        mediation.key_period_declared mediation.membership_set mediation.room_opened
        mediation.screening_done mediation.talent_added mediation.training_recorded
        mediation.warning demo.mediation mediation.committee_elected
        """
    ),
    error_codes=words(
        """
        already_answered already_converted already_done already_requested bad_amount bad_date
        bad_days bad_deadline bad_kind bad_range bad_state bad_url duplicate future not_member
        not_requested oral out_of_window required too_long too_many oral_not_chosen
        member_count one_head woman_member
        """
    ),
)  # fmt: skip
