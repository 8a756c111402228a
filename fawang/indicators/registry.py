"""Indicators (指标): values from every line's counters, action plans, boards and reports."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, Declaration, NavEntry, PeriodicJob, words

REGISTRY = Declaration(
    name="indicators",
    label=_("指标与行动清单"),
    urls="fawang.indicators.urls",
    url_prefix="console/indicators/",
    api_router="fawang.indicators.api:router",
    nav=(
        NavEntry(CONSOLE, _("指标"), "indicators:home", SUPERVISOR_ROLES, order=40,
                 home_tile=_("公共法律服务指标")),
        NavEntry(CONSOLE, _("指标定义"), "indicators:definitions", ("system_admin",), order=230),
    ),
    metrics="fawang.indicators.core_metrics",
    periodic_jobs=(
        PeriodicJob("indicators.fill_daily_counts", "fawang.indicators.tasks:fill_daily_counts",
                    timedelta(minutes=15)),
        PeriodicJob("indicators.warn_action_deadlines",
                    "fawang.indicators.tasks:warn_action_deadlines", timedelta(hours=24)),
        PeriodicJob("indicators.generate_period_reports",
                    "fawang.indicators.tasks:generate_period_reports", timedelta(hours=24)),
    ),
    demo="fawang.indicators.demo:build_indicator_demo",
    demo_order=90,  # last: it fills the counters of everything built before it
    audit_events=words(
        """
        indicators.deadline_warning indicators.pack_loaded indicators.plan_loaded
        indicators.progress_reported indicators.report_generated indicators.target_edited
        indicators.value_reported indicators.value_approved indicators.value_rejected
        """
    ),
    error_codes=words("bad_formula bad_pack"),
)  # fmt: skip
