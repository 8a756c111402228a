"""Legal education (普法): content reviewed before publishing, activities, legal-culture sites,
民主法治示范村, "谁执法谁普法" responsibility lists (R14; SJZ 三 9–11, 专栏7; BJ-list 二(十二))."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, words

_EVENTS = (
    "content_drafted content_edited content_submitted content_published content_returned "
    "content_withdrawn activity_recorded site_registered site_closed model_village_recorded "
    "responsibility_listed responsibility_assessed theme_adopted"
)

REGISTRY = Declaration(
    name="education",
    label=_("普法宣传"),
    urls="fawang.education.urls",
    api_router="fawang.education.api:router",
    nav=(
        NavEntry(PORTAL, _("普法园地"), "education:public_list", order=94),
        NavEntry(CONSOLE, _("普法宣传"), "education:workbench", SUPERVISOR_ROLES, order=60,
                 home_tile=_("普法内容审核与发布")),
        NavEntry(CONSOLE, _("普法活动与阵地"), "education:grassroots", SUPERVISOR_ROLES, order=61,
                 home_tile=_("普法活动、法治文化阵地、示范村")),
        NavEntry(CONSOLE, _("谁执法谁普法"), "education:responsibility", SUPERVISOR_ROLES,
                 order=62, home_tile=_("普法责任清单与考核")),
    ),
    pack_section="fawang.education.policy:parse_education",
    metrics="fawang.education.metrics",
    demo="fawang.education.demo:build_demo_education",
    demo_order=60,
    audit_events=words(" ".join(f"education.{e}" for e in _EVENTS.split()) + " demo.education"),
    error_codes=words(
        """
        required too_long bad_choice bad_number bad_date future_date bad_citation bad_url
        bad_state own_content not_village site_elsewhere unknown_department
        not_mountain_district already_recorded already_assessed
        """
    ),
)  # fmt: skip
