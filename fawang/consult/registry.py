"""Consultation (法律咨询): statutes, knowledge base, classifier, retrieval, hot words."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import INTAKE_ROLES, SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

REGISTRY = Declaration(
    name="consult",
    label=_("法律咨询"),
    urls="fawang.consult.urls",
    api_router="fawang.consult.api:router",
    nav=(
        NavEntry(PORTAL, _("问一问"), "consult:ask", order=10,
                 home_tile=_("问一问：说出您的问题，马上看到相关法律规定")),
        NavEntry(PORTAL, _("法律法规"), "consult:laws", order=50,
                 home_tile=_("查法律法规")),
        NavEntry(CONSOLE, _("热词分析"), "consult:hot_words", SUPERVISOR_ROLES, order=30,
                 home_tile=_("热词分析（群众问什么）")),
        NavEntry(CONSOLE, _("知识库"), "consult:knowledge_manage",
                 (*INTAKE_ROLES, "lawyer", "legal_aid_officer", *SUPERVISOR_ROLES), order=31,
                 home_tile=_("知识库（标准答复）")),
    ),
    periodic_jobs=(
        # A safety net for changes made outside the services (admin, SQL): cheap when unchanged.
        PeriodicJob("consult.refresh_index", "fawang.consult.tasks:refresh_consult_index",
                    timedelta(hours=1)),
    ),
    readiness="fawang.consult.warmup:not_ready",
    readiness_warning="fawang.consult.warmup:warning",
    warm_up="fawang.consult.warmup:warm_up",
    demo="fawang.consult.demo:build_demo_consult",
    demo_order=5,
    audit_events=words(
        "consult.draft knowledge.create knowledge.publish knowledge.retire knowledge.review "
        "knowledge.revise knowledge.seed_create knowledge.seed_update statutes.import"
    ),
    error_codes=words(
        "bad_citation bad_key bad_rows bad_state duplicate_key forbidden out_of_scope own_entry "
        "required too_long too_many too_short unknown_region unknown_topic drafting_unavailable"
    ),
)  # fmt: skip
