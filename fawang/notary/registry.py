"""Notarization (公证): catalogue, applications, the notary's flow, certificates anyone can
verify, the one visit, video sessions, supervision."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

_EVENTS = (
    "matter_submitted notice_issued material_uploaded matter_accepted matter_refused "
    "verification_recorded clock_paused clock_resumed review_concluded matter_approved fee_paid "
    "certificate_issued certificate_delivered matter_archived certificate_revoked slot_added "
    "visit_booked visit_cancelled visit_recorded video_started video_ended "
    "matter_overdue review_sample_drawn document_reviewed complaint_received complaint_decided fault_recorded"
)

REGISTRY = Declaration(
    name="notary",
    label=_("公证"),
    urls="fawang.notary.urls",
    api_router="fawang.notary.api:router",
    nav=(
        NavEntry(PORTAL, _("办理公证"), "notary:catalogue", order=45),
        NavEntry(PORTAL, _("我的公证"), "notary:my_matters", order=75, citizens_only=True),
        NavEntry(PORTAL, _("公证书核验"), "notary:verify", order=90),
        NavEntry(CONSOLE, _("公证"), "notary:queue", ("notary", *SUPERVISOR_ROLES), order=55,
                 home_tile=_("公证事项")),
        NavEntry(CONSOLE, _("公证申请登记"), "notary:intake", ("window_clerk", "hotline_seat"),
                 order=57),
        NavEntry(CONSOLE, _("公证监管"), "notary:supervision", ("notary", *SUPERVISOR_ROLES),
                 order=56, home_tile=_("公证监管")),
    ),
    pack_section="fawang.notary.policy:parse_notary",
    periodic_jobs=(
        PeriodicJob("notary.mark_overdue", "fawang.notary.tasks:mark_overdue_matters",
                    timedelta(hours=1)),
    ),
    metrics="fawang.notary.metrics",
    demo="fawang.notary.demo:build_demo_notary",
    demo_order=50,
    audit_events=words(" ".join(f"notary.{e}" for e in _EVENTS.split()) + " demo.notary"),
    error_codes=words(
        """
        already_booked already_decided already_drawn already_notified already_paid
        already_paused already_reviewed already_revoked bad_capacity bad_code bad_range
        bad_score bad_state file_size file_type id_number materials_missing no_notary no_office
        no_slot no_video no_visit not_abroad not_booked not_paused past_slot paused required
        same_notary slot_full too_long unknown_country unknown_fee_group unknown_item
        unknown_kind unknown_matter unknown_method unknown_reason unpaid video_closed video_open
        phone_format
        """
    ),
)  # fmt: skip
