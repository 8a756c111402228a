"""The walk-in network (实体平台): service centres, stations and rooms."""

from django.utils.translation import gettext_lazy as _

from fawang.core.registry import Declaration, words

REGISTRY = Declaration(
    name="network",
    label=_("服务网络"),
    demo="fawang.network.demo:build_demo_service_points",
    demo_order=10,
    audit_events=words("demo.network"),
)
