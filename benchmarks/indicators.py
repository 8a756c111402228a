"""Indicators benchmark: the pre-aggregated count table against scanning the raw tables.

In a separate PostgreSQL database (``fawang_bench_indicators``) it generates, with
``INSERT … SELECT generate_series``, N work orders and M legal-aid cases spread over the year before
the benchmark day across Beijing's townships and villages, fills the daily count table once (full),
then measures, in the same run:

  fill_day_s    — the scheduled incremental fill after one day's changes (1,000 orders of the last
                  day claimed with their events, as the services would record them);
  dashboard_ms  — rendering the city dashboard page (year to date: every indicator's value,
                  the 16 districts side by side, the monthly trend), median of 5 after a warm-up;
  scan_ms       — computing the same figures (city and district totals, by month) by scanning the
                  raw work-order and case tables with aggregate queries;
  speedup       — scan_ms / dashboard_ms.

    .venv/bin/python benchmarks/indicators.py [--orders 10000000] [--cases 1000000] [--fresh]

Generation is skipped when the tables already hold the requested counts (use --fresh to redo).
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "fawang_bench_indicators"
SERVER = "postgresql://postgres@127.0.0.1:5432"
CHUNK = 1_000_000
DAYS = 365
CHANGES = 1_000


def _prepare_database(fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if fresh and exists:
            connection.execute(f"DROP DATABASE {DATABASE} WITH (FORCE)")
            exists = None
        if not exists:
            connection.execute(f"CREATE DATABASE {DATABASE}")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["FAWANG_DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("FAWANG_VAR_DIR", tempfile.mkdtemp(prefix="fawang-bench-ind-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    import django

    django.setup()


def _say(text: str) -> None:
    print(text, flush=True)


def _base_data() -> None:
    from django.core.management import call_command

    from fawang.core.models import Region
    from fawang.indicators.demo import PACK_DIR, PLAN_DIR
    from fawang.indicators.services import load_file

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    for path in [*sorted(PACK_DIR.glob("*.yaml")), *sorted(PLAN_DIR.glob("*.yaml"))]:
        load_file(path, acting_user=None)


def _places() -> list[int]:
    from fawang.core.models import Region

    return list(
        Region.objects.filter(
            path__startswith="/110000000000/", level__in=["township", "village"]
        ).values_list("id", flat=True)
    )


def _generate_orders(total: int, start: datetime, places: list[int]) -> None:
    from django.db import connection

    array = "ARRAY[" + ",".join(map(str, places)) + "]::bigint[]"
    for first in range(1, total + 1, CHUNK):
        last = min(total, first + CHUNK - 1)
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO workorders_workorder (
                  number, channel, referral_source, external_ref, recording_ref, business_line,
                  topic, topic_confirmed, suggested_topics, title, description, requester_name,
                  requester_phone, requester_phone_hash, special_groups, status, created_at,
                  idempotency_key, claim_due_at, claimed_at, reply_due_at, replied_at, reply,
                  closed_at, claim_overdue, reply_overdue, escalation_level, supervised, rating,
                  rating_comment, rated_at, rating_token, region_id)
                SELECT
                  'B' || g,
                  (ARRAY['web','hotline','mini_program','window','hotline_12345'])[1 + g %% 5],
                  '', '', '', 'consultation', 'debt', false, '{{}}'::jsonb, '借款纠纷', '压测工单',
                  '压测', NULL, '', '[]'::jsonb, 'closed', t.created, '',
                  t.created + interval '48 hours',
                  CASE WHEN g %% 10 <> 0 THEN t.created + (g %% 60) * interval '1 hour' END,
                  t.created + interval '72 hours',
                  CASE WHEN g %% 10 <> 0 THEN t.created + (g %% 90) * interval '1 hour' END,
                  '', NULL, false, false, 0, false,
                  CASE WHEN g %% 3 = 0 THEN 1 + (g / 3) %% 5 END, '', NULL, 'T' || g,
                  ({array})[1 + (g * 7919) %% {len(places)}]
                FROM generate_series(%s::bigint, %s::bigint) AS g,
                LATERAL (SELECT %s::timestamptz + (g %% {DAYS}) * interval '1 day'
                                + ((g * 104729) %% 86400) * interval '1 second' AS created) AS t
                """,
                [first, last, start],
            )
        _say(f"  work orders {last:,}/{total:,} ({time.perf_counter() - began:.1f} s)")


def _generate_cases(total: int, start: datetime, places: list[int]) -> None:
    from django.db import connection

    from fawang.core.models import Institution, InstitutionKind, Region

    centre, _ = Institution.objects.get_or_create(
        kind=InstitutionKind.LEGAL_AID_CENTRE,
        name="压测法律援助中心",
        defaults={"region": Region.objects.get(code="110000000000")},
    )
    array = "ARRAY[" + ",".join(map(str, places)) + "]::bigint[]"
    for first in range(1, total + 1, CHUNK):
        last = min(total, first + CHUNK - 1)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO legalaid_aidcase (
                  number, origin, matter_type, recipient_name, opposing_party, summary,
                  serious_criminal, full_follow_groups, full_follow, status, opened_at,
                  assignment_due_at, assigned_at, closed_at, closing_summary, updated_at,
                  centre_id, region_id)
                SELECT
                  'C' || g, (ARRAY['application','notice'])[1 + g %% 2], 'civil', '压测', '',
                  '', false, '[]'::jsonb, false,
                  CASE WHEN g %% 4 = 0 THEN 'assigned' ELSE 'closed' END, t.opened,
                  t.opened + interval '3 days', t.opened + interval '1 day',
                  CASE WHEN g %% 4 <> 0 THEN t.opened + interval '30 days' END, '', t.opened,
                  %s, ({array})[1 + (g * 6151) %% {len(places)}]
                FROM generate_series(%s::bigint, %s::bigint) AS g,
                LATERAL (SELECT %s::timestamptz + (g %% {DAYS}) * interval '1 day'
                                + ((g * 7907) %% 86400) * interval '1 second' AS opened) AS t
                """,
                [centre.pk, first, last, start],
            )
        _say(f"  legal-aid cases {last:,}/{total:,}")


def _ensure_data(orders: int, cases: int, start: datetime) -> bool:
    from django.db import connection

    from fawang.legalaid.models import AidCase
    from fawang.workorders.models import WorkOrder

    have_orders, have_cases = WorkOrder.objects.count(), AidCase.objects.count()
    if have_orders == orders and have_cases == cases:
        _say(f"data present: {orders:,} work orders, {cases:,} cases")
        return False
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE workorders_workorder, legalaid_aidcase CASCADE")
    places = _places()
    began = time.perf_counter()
    _generate_orders(orders, start, places)
    _generate_cases(cases, start, places)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _say(f"generated in {time.perf_counter() - began:.0f} s")
    return True


def _full_fill(first_day: date, last_day: date) -> None:
    from fawang.indicators import fill

    began = time.perf_counter()
    result = fill.fill_full(first_day, last_day)
    _say(
        f"full fill: {result.days} days, {result.rows:,} rows in {time.perf_counter() - began:.0f} s"
    )


def _one_day_of_changes(day: date) -> float:
    """Claim 1,000 orders of ``day`` (with their events), then time the scheduled fill."""
    from django.db import connection
    from django.utils import timezone

    from fawang.indicators import fill
    from fawang.indicators.models import FillState
    from fawang.workorders.metrics import orders_created_on

    FillState.objects.update_or_create(
        name=fill.WATERMARK, defaults={"last_run_at": timezone.now()}
    )
    ids = list(orders_created_on(day).values_list("id", flat=True)[:CHANGES])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workorders_workorder SET claimed_at = created_at + interval '1 hour' "
            "WHERE id = ANY(%s)",
            [ids],
        )
        cursor.execute(
            "INSERT INTO workorders_workorderevent (order_id, occurred_at, kind, from_status,"
            " to_status, note, data) SELECT id, now(), 'claimed', 'queued', 'claimed', '',"
            " '{}'::jsonb FROM unnest(%s::bigint[]) AS id",
            [ids],
        )
    began = time.perf_counter()
    result = fill.fill_incremental()
    seconds = time.perf_counter() - began
    _say(f"incremental fill: {result.days} day-refills, {result.rows:,} rows in {seconds:.2f} s")
    return seconds


def _dashboard_ms(year: int) -> float:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fawang.core.models import Region, Role, User

    user, _ = User.objects.get_or_create(
        username="bench-supervisor-city",
        defaults={"role": Role.SUPERVISOR_CITY, "region": Region.objects.get(code="110000000000")},
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/console/indicators/regions/110000000000/?year={year}"
    assert client.get(url).status_code == 200  # warm-up
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(timings)


def _scan_ms(start: date, end: date) -> float:
    """The same figures straight from the raw tables: per district and month, then summed."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import ExtractMonth, Substr

    from fawang.legalaid.models import AidCase
    from fawang.workorders.metrics import day_bounds
    from fawang.workorders.models import WorkOrder

    low, high = day_bounds(start)[0], day_bounds(end)[1]
    web = Q(channel__in=["web", "mini_program"])
    began = time.perf_counter()
    orders = list(
        WorkOrder.objects.filter(
            created_at__gte=low, created_at__lt=high, region__path__startswith="/110000000000/"
        )
        .annotate(district=Substr("region__path", 15, 12), month=ExtractMonth("created_at"))
        .values("district", "month")
        .annotate(
            created=Count("id"),
            web_created=Count("id", filter=web),
            web_in_time=Count("id", filter=web & Q(claimed_at__lte=F("claim_due_at"))),
            rated=Count("id", filter=Q(rating__isnull=False)),
            satisfied=Count("id", filter=Q(rating__gte=4)),
            rating_sum=Sum("rating"),
        )
        .order_by()
    )
    cases = list(
        AidCase.objects.filter(
            opened_at__gte=low, opened_at__lt=high, region__path__startswith="/110000000000/"
        )
        .annotate(district=Substr("region__path", 15, 12), month=ExtractMonth("opened_at"))
        .values("district", "month")
        .annotate(opened=Count("id"), closed=Count("id", filter=Q(closed_at__isnull=False)))
        .order_by()
    )
    assert orders and cases
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    _prepare_database(args.fresh)
    _setup_django()
    from django.utils import timezone

    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    _base_data()
    from fawang.indicators.models import MonthlyCount

    if _ensure_data(args.orders, args.cases, start) or not MonthlyCount.objects.exists():
        _full_fill(first_day, today)
    fill_day_s = _one_day_of_changes(today - timedelta(days=1))
    dashboard_ms = _dashboard_ms(today.year)
    scan_ms = statistics.median(_scan_ms(date(today.year, 1, 1), today) for _ in range(3))
    speedup = scan_ms / dashboard_ms if dashboard_ms else float("nan")
    _say(f"scale: {args.orders:,} work orders, {args.cases:,} legal-aid cases over {DAYS} days")
    _say(f"incremental fill of one day's changes: {fill_day_s:.2f} s")
    _say(f"city dashboard render: {dashboard_ms:.1f} ms (target < 300 ms)")
    _say(f"same figures by scanning the raw tables: {scan_ms:.0f} ms")
    _say(f"speedup: {speedup:.1f}x (target >= 50x)")
    print(
        json.dumps(
            {
                "fill_day_s": round(fill_day_s, 3),
                "dashboard_ms": round(dashboard_ms, 1),
                "scan_ms": round(scan_ms, 1),
                "speedup": round(speedup, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
