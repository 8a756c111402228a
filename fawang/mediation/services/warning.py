"""Early warning: weekly dispute counts per township and type, spikes, warnings."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.models import Region, RegionLevel, Role, User
from fawang.mediation.models import Dispute, DisputeType, DisputeWarning
from fawang.mediation.policy import mediation_policy, parse_mediation
from fawang.policy.packs import shipped_packs
from fawang.workorders.models import Notification

# --- early warning ----------------------------------------------------------------------------


def township_of(region: Region) -> str | None:
    """The township path over a region (the third segment of the materialised path)."""
    codes = region.path.strip("/").split("/")
    return "/" + "/".join(codes[:3]) + "/" if len(codes) >= 3 else None


def weekly_counts(since: date, until: date) -> dict[tuple[str, str], dict[date, int]]:
    """(township path, dispute type) -> {week start: disputes received}, local weeks."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()), tz)
    end = timezone.make_aware(datetime.combine(until, datetime.min.time()), tz)
    rows = (
        Dispute.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("region__path", "dispute_type", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[str, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        township = "/" + "/".join(row["region__path"].strip("/").split("/")[:3]) + "/"
        week = row["day"] - timedelta(days=row["day"].weekday())
        counts[(township, row["dispute_type"])][week] += row["n"]
    return counts


def is_spike(
    current: int, baseline: Sequence[int], *, k: float, min_count: int
) -> tuple[bool, float]:
    """The rule (docs/mediation.md): a spike when this week's count exceeds
    max(min_count, mean + k * population stddev) of the baseline weeks."""
    mean = statistics.fmean(baseline) if baseline else 0.0
    spread = statistics.pstdev(baseline) if len(baseline) > 1 else 0.0
    threshold = max(float(min_count), mean + k * spread)
    return current > threshold, threshold


def detect_spikes(week_start: date) -> list[DisputeWarning]:
    """Warn each township (and its district bureau) whose disputes of one type this week rose above
    their usual level; at most one warning per township, type and week."""
    week_start = week_start - timedelta(days=week_start.weekday())
    warnings: list[DisputeWarning] = []
    # The largest baseline any shipped pack asks for bounds the one query.
    max_weeks = max(
        parse_mediation(pack.raw, pack.code).early_warning.baseline_weeks
        for pack in shipped_packs()
    )
    counts = weekly_counts(week_start - timedelta(weeks=max_weeks), week_start + timedelta(days=7))
    townships = {
        region.path: region
        for region in Region.objects.filter(
            level=RegionLevel.TOWNSHIP, path__in={path for path, _type in counts}
        )
    }
    for (path, dispute_type), weeks in counts.items():
        township = townships.get(path)
        current = weeks.get(week_start, 0)
        if township is None or current == 0:
            continue
        rule = mediation_policy(township).early_warning
        baseline = [
            weeks.get(week_start - timedelta(weeks=i), 0) for i in range(1, rule.baseline_weeks + 1)
        ]
        fires, threshold = is_spike(current, baseline, k=rule.k, min_count=rule.min_count)
        if fires:
            warning = _warn(township, dispute_type, week_start, current, threshold, baseline)
            if warning is not None:
                warnings.append(warning)
    return warnings


def _warn(
    township: Region,
    dispute_type: str,
    week_start: date,
    count: int,
    threshold: float,
    baseline: Sequence[int],
) -> DisputeWarning | None:
    try:
        with transaction.atomic():
            warning = DisputeWarning.objects.create(
                township=township,
                dispute_type=dispute_type,
                week_start=week_start,
                count=count,
                threshold=threshold,
                baseline_mean=statistics.fmean(baseline) if baseline else 0.0,
            )
            label = DisputeType(dispute_type).label
            text = (
                f"【纠纷预警】{township.name}本周{label}纠纷{count}件，"
                f"超过预警线{threshold:.1f}件，请关注排查化解。"
            )
            Notification.objects.bulk_create(
                Notification(recipient=user, text=text) for user in _warning_recipients(township)
            )
            record_event(
                "mediation.warning",
                actor="fawang scheduler",
                obj=warning,
                detail={"township": township.code, "type": dispute_type, "count": count},
            )
    except IntegrityError:
        return None
    return warning


def _warning_recipients(township: Region) -> list[User]:
    district = township.district
    paths = [township.path] + ([district.path] if district else [])
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.SUPERVISOR_TOWNSHIP, Role.SUPERVISOR_DISTRICT],
            region__path__in=paths,
        )
    )
