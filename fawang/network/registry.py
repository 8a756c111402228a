"""The walk-in network (实体平台): service centres, stations and rooms, the public finder and
map, coverage planning (城区一刻钟、农村半小时), station inspections and remote video."""

from django.utils.translation import gettext_lazy as _

from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, words

_EVENTS = (
    "point_created point_updated point_status_changed positions_imported inspection_recorded "
    "inspection_rectified video_started video_ended"
)

REGISTRY = Declaration(
    name="network",
    label=_("服务网络"),
    urls="fawang.network.urls",
    api_router="fawang.network.api:router",
    nav=(
        NavEntry(PORTAL, _("找服务点"), "network:finder", order=35),
        NavEntry(CONSOLE, _("服务网络"), "network:points", tuple(SUPERVISOR_ROLES), order=70,
                 home_tile=_("服务场所")),
        NavEntry(CONSOLE, _("网络覆盖"), "network:coverage", tuple(SUPERVISOR_ROLES), order=71),
    ),
    pack_section="fawang.network.policy:parse_network",
    metrics="fawang.network.metrics",
    demo="fawang.network.demo:build_demo_service_points",
    demo_order=10,
    audit_events=words(" ".join(f"network.{e}" for e in _EVENTS.split()) + " demo.network"),
    error_codes=words(
        """
        not_manager required bad_choice level_region bad_number bad_coordinate duplicate_name
        bad_state checklist_incomplete future_date bad_date not_citizen no_point empty_file
        bad_header bad_geojson too_many_rows too_large bad_encoding no_region too_long
        phone_format
        """
    ),
)  # fmt: skip
