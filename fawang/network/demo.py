"""The demo world's walk-in service points: a centre per district and the city, stations in
townships (DEMO ONLY; planned with the rest of the world in ``core.demo``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from fawang.audit.services import record_event
from fawang.core.demo import planned_service_points
from fawang.core.errors import InvalidInput
from fawang.network.models import ServicePoint


def build_demo_service_points() -> dict[str, int]:
    """Create the service points of the demo world that are missing; idempotent."""
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic():
        existing = set(ServicePoint.objects.values_list("name", flat=True))
        missing = [
            ServicePoint(
                name=point.name,
                level=point.level,
                region=point.region,
                institution_id=operator_id,
                address=point.address,
                phone=point.phone,
                opening_hours=point.opening_hours,
                windows=point.windows,
                barrier_free=point.barrier_free,
                latitude=point.latitude,
                longitude=point.longitude,
            )
            for operator_id, point in planned_service_points()
            if point.name not in existing
        ]
        ServicePoint.objects.bulk_create(missing, batch_size=500)
        record_event("demo.network", actor="fawang demo", detail={"created": len(missing)})
    return {"service_points": len(missing)}
