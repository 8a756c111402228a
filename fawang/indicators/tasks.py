from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from fawang.core.models import RegionLevel
from fawang.indicators import fill, services
from fawang.indicators.board import report_data
from fawang.indicators.models import IndicatorPack, IndicatorReport, PeriodKind


@task()
def fill_daily_counts() -> dict[str, int]:
    result = fill.fill_incremental()
    return {"days": result.days, "rows": result.rows}


@task()
def warn_action_deadlines() -> dict[str, int]:
    return vars(services.warn_deadlines())


def _last_closed_periods() -> list[tuple[str, int, int]]:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the quarter that ended last (0: last year's Q4)
    year = today.year if quarter else today.year - 1
    return [(PeriodKind.QUARTER, year, quarter or 4), (PeriodKind.YEAR, today.year - 1, 0)]


@task()
def generate_period_reports() -> int:
    """Each city and district gets its report for the quarter and the year that ended last."""
    made = 0
    for pack in IndicatorPack.objects.select_related("city"):
        regions = [pack.city, *pack.city.children.filter(level=RegionLevel.DISTRICT)]
        for kind, year, quarter in _last_closed_periods():
            for region in regions:
                exists = IndicatorReport.objects.filter(
                    region=region, kind=kind, year=year, quarter=quarter
                ).exists()
                if not exists:
                    services.store_report(
                        region,
                        kind=kind,
                        year=year,
                        quarter=quarter,
                        data=report_data(region, kind, year, quarter),
                        acting_user=None,
                    )
                    made += 1
    return made
