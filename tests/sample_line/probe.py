"""Run with the sample line installed; prints what the platform found of it, as JSON."""

import json
import os
from types import SimpleNamespace


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sample_line.settings")
    import django

    django.setup()
    from django.test import RequestFactory
    from django.urls import reverse

    from fawang.api.api import api
    from fawang.core import registry, scheduling
    from fawang.core.context_processors import console_nav, portal_nav
    from fawang.indicators.counters import registry as counter_registry

    def nav_for(role: str) -> list[str]:
        request = RequestFactory().get("/")
        request.user = SimpleNamespace(  # type: ignore[attr-defined]
            is_authenticated=True, is_staff_member=True, is_citizen=False, role=role
        )
        return [entry.url_name for entry in console_nav(request)]

    from tests.sample_line.hooks import HEARD

    queued = registry.notify("sample_line.poked", widget=7, colour="蓝")
    anonymous = RequestFactory().get("/")
    anonymous.user = SimpleNamespace(is_authenticated=False, is_citizen=False)  # type: ignore[attr-defined]
    paths = api.get_openapi_schema()["paths"]
    print(
        json.dumps(
            {
                "url": reverse("sample_line:work"),
                "api": [p for p in paths if "sample-line" in p],
                "notary_nav": nav_for("notary"),
                "lawyer_nav": nav_for("lawyer"),
                "portal_nav": [entry.url_name for entry in portal_nav(anonymous)],
                "demo": {
                    name: build()
                    for name, build in registry.demo_builders()
                    if name == "sample_line"
                },
                "counters": sorted(
                    code for code in counter_registry() if code.startswith("sample_line.")
                ),
                "jobs": [
                    job.name
                    for job in scheduling.periodic_jobs()
                    if job.name.startswith("sample_line.")
                ],
                "events": "sample_line.done" in registry.audit_event_types(),
                "codes": "sample_refused" in registry.error_codes(),
                "hooks": {"queued": queued, "heard": HEARD},
            }
        )
    )


if __name__ == "__main__":
    main()
