"""Lawyers and basic legal service workers (律师与基层法律服务): firms and lawyers as the bureau
manages them, annual inspection, the credit archive, public-interest hours, service groups,
practice-rights reports and the foreign-related pool."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

_EVENTS = (
    "review_recorded credit_recorded credit_corrected credit_appealed appeal_decided "
    "group_created activity_created hours_logged hours_confirmed hours_refused "
    "placement_recorded firms_paired profile_saved report_received report_answered report_escalated"
)

REGISTRY = Declaration(
    name="lawyers",
    label=_("律师与基层法律服务"),
    urls="fawang.lawyers.urls",
    api_router="fawang.lawyers.api:router",
    nav=(
        NavEntry(PORTAL, _("律师诚信信息"), "lawyers:credit_search", order=94),
        NavEntry(CONSOLE, _("我的公益时长与诚信"), "lawyers:mine", ("lawyer",), order=61,
                 home_tile=_("公益法律服务时长、诚信档案、执业权利保障")),
        NavEntry(CONSOLE, _("律师工作"), "lawyers:board", tuple(SUPERVISOR_ROLES), order=61,
                 home_tile=_("律师公益服务、诚信档案与执业权利保障")),
    ),
    pack_section="fawang.lawyers.policy:parse_lawyers",
    metrics="fawang.lawyers.metrics",
    periodic_jobs=(
        PeriodicJob("lawyers.escalate_overdue", "fawang.lawyers.tasks:escalate_overdue_reports",
                    timedelta(hours=1)),
    ),
    demo="fawang.lawyers.demo:build_demo_lawyers",
    demo_order=57,
    audit_events=words(" ".join(f"lawyers.{e}" for e in _EVENTS.split()) + " demo.lawyers"),
    error_codes=words(
        """
        required unknown bad_date bad_year bad_number bad_choice too_long already_recorded
        bad_state already_pending already_decided duplicate same_firm
        """
    ),
)  # fmt: skip
