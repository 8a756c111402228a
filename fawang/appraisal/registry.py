"""Judicial appraisal (司法鉴定): the public roster, entrustments with field and conflict checks,
coded opinions anyone can verify, complaints and the integrity grade."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, words

_EVENTS = (
    "entrustment_received entrustment_accepted entrustment_refused time_extended opinion_issued "
    "opinion_withdrawn complaint_received complaint_decided sanction_recorded review_sample_drawn "
    "document_reviewed document_downloaded download_code_reissued accreditation_recorded "
    "accreditation_renewed accreditation_withdrawn parent_body_recorded"
)

REGISTRY = Declaration(
    name="appraisal",
    label=_("司法鉴定"),
    urls="fawang.appraisal.urls",
    api_router="fawang.appraisal.api:router",
    nav=(
        NavEntry(PORTAL, _("司法鉴定名册"), "appraisal:roster", order=92),
        NavEntry(PORTAL, _("鉴定文书核验"), "appraisal:verify", order=93),
        NavEntry(PORTAL, _("我的鉴定投诉"), "appraisal:my_complaints", order=96,
                 citizens_only=True),
        NavEntry(CONSOLE, _("司法鉴定"), "appraisal:queue", ("appraiser", *SUPERVISOR_ROLES),
                 order=58, home_tile=_("司法鉴定委托")),
    ),
    pack_section="fawang.appraisal.policy:parse_appraisal",
    metrics="fawang.appraisal.metrics",
    demo="fawang.appraisal.demo:build_demo_appraisal",
    demo_order=55,
    audit_events=words(" ".join(f"appraisal.{e}" for e in _EVENTS.split()) + " demo.appraisal"),
    error_codes=words(
        """
        required no_institution field_not_licensed unknown_field bad_amount too_few_appraisers
        not_qualified conflict_of_interest bad_state no_more_extensions bad_code already_withdrawn
        unknown_entrustment already_decided too_long bad_choice phone_format bad_year
        already_drawn bad_score already_reviewed unknown_appraiser bad_download_code
        wrong_download_code bad_date future_date bad_period certificate_taken
        already_accredited already_renewed
        """
    ),
)  # fmt: skip
