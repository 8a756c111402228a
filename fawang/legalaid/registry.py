"""Legal aid (法律援助): applications, notices, assignment, supervision, quality, duty lawyers."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

REGISTRY = Declaration(
    name="legalaid",
    label=_("法律援助"),
    urls="fawang.legalaid.urls",
    url_prefix="legal-aid/",
    api_router="fawang.legalaid.api:router",
    nav=(
        NavEntry(PORTAL, _("申请法律援助"), "legalaid:apply", order=40,
                 home_tile=_("申请法律援助：经济困难或特定案件，免费获得律师帮助")),
        NavEntry(PORTAL, _("我的法律援助"), "legalaid:my_applications", order=70,
                 citizens_only=True),
        NavEntry(CONSOLE, _("法律援助"), "legalaid:queue", ("legal_aid_officer", *SUPERVISOR_ROLES),
                 order=60, home_tile=_("法律援助")),
        NavEntry(CONSOLE, _("援助案件"), "legalaid:cases", ("lawyer",), order=60,
                 home_tile=_("法律援助案件")),
    ),
    pack_section="fawang.legalaid.policy:parse_policy",
    metrics="fawang.legalaid.metrics",
    periodic_jobs=(
        PeriodicJob("legalaid.overdue_assignments",
                    "fawang.legalaid.tasks:report_overdue_assignments", timedelta(hours=1)),
        PeriodicJob("legalaid.deliver_organ_letters",
                    "fawang.legalaid.organs:deliver_letters_job", timedelta(minutes=5)),
    ),
    demo="fawang.legalaid.demo:build_demo_legal_aid",
    demo_order=40,
    audit_events=words(
        """
        demo.legalaid legalaid.application_decided legalaid.application_submitted
        legalaid.assignment_overdue legalaid.case_assigned legalaid.case_closed
        legalaid.case_reassigned legalaid.case_reviewed legalaid.complaint_decided
        legalaid.complaint_received legalaid.document_uploaded legalaid.duty_help_recorded
        legalaid.duty_shift_added legalaid.expert_added legalaid.hearing_attended
        legalaid.hearing_planned legalaid.milestone_recorded legalaid.notice_received
        legalaid.pool_member_added legalaid.provider_excluded legalaid.quality_sample_drawn
        legalaid.recipient_visited legalaid.aid_provided_first legalaid.materials_requested
        legalaid.materials_supplied legalaid.application_withdrawn legalaid.termination_reported
        legalaid.case_terminated legalaid.objection_filed legalaid.objection_decided
        """
    ),
    error_codes=words(
        """
        bad_kind bad_state duplicate file_size file_type future_date household_size id_number
        missing_materials negative_amount no_centre no_provider not_a_centre not_a_number
        not_eligible not_practising period pledge_required provider_not_eligible required
        same_provider satisfaction score too_large
        unknown_full_follow_groups unknown_matter_type unknown_exempt_ground unknown_source
        unknown_specialties unknown_kind unknown_method unknown_affiliation unknown_place_kind
        notice_only_matter exempt_ground_required unknown_basis basis_not_applicable
        unknown_ground already_requested materials_not_missing criminal_practice_since
        """
    ),
)  # fmt: skip
