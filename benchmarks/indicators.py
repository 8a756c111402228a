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

``--national`` runs, in one invocation, the Beijing-only run above (the baseline) and then the
same orders and cases spread over the whole country in its own database
(``fawang_bench_national``): the 31 provincial-level divisions with a generated tree below them
(``benchmarks/national_regions.py``; Beijing keeps its real one), orders weighted by each
province's resident population, over 24 months so that a year-to-date query has a year of data
outside it. Besides the figures above it measures the dashboard of one province (广东省, with a
copy of the Beijing pack's indicators) and its raw scan, the count-table rows per day, the
bytes per million rows of each table the sizing in docs/operations.md uses, and shows the plans
of the fill's queries (each bounded by its day). Both runs' figures are printed side by side.

    .venv/bin/python benchmarks/indicators.py --national [--orders 200000 --cases 20000]

Generation is skipped when the tables already hold the requested counts (use --fresh to redo).
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
CHUNK = 1_000_000
CHANGES = 1_000
BEIJING = "110000000000"
PROVINCE = "440000000000"  # 广东省: the province whose dashboard the national run times
PLACE_SLOTS = 200_000  # the national run picks an order's place from this many weighted slots
SIZE_SAMPLE = 1_000_000  # rows generated to measure the bytes of events and audit entries


@dataclass(frozen=True)
class Mode:
    name: str
    database: str
    days: int  # orders and cases are spread over this many days before the benchmark day
    national: bool


MODES = {
    "beijing": Mode("beijing", "fawang_bench_indicators", 365, False),
    "national": Mode("national", "fawang_bench_national", 730, True),
}
MODE = MODES["beijing"]


def _prepare_database(fresh: bool) -> None:
    import psycopg

    database = MODE.database
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if fresh and exists:
            connection.execute(f"DROP DATABASE {database} WITH (FORCE)")
            exists = None
        if not exists:
            connection.execute(f"CREATE DATABASE {database}")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.environ["FAWANG_DATABASE_URL"] = f"{SERVER}/{MODE.database}"
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
    if not MODE.national:
        if not Region.objects.exists():
            call_command("load_regions", verbosity=0)
        for path in [*sorted(PACK_DIR.glob("*.yaml")), *sorted(PLAN_DIR.glob("*.yaml"))]:
            load_file(path, acting_user=None)
        return
    import national_regions

    if not Region.objects.filter(code=BEIJING).exists():
        call_command("load_regions", city=["beijing"], verbosity=0)
    began = time.perf_counter()
    created = national_regions.insert()
    if created:
        _say(f"generated national regions: {created:,} rows in {time.perf_counter() - began:.1f} s")
    for path in [*sorted(PACK_DIR.glob("beijing*.yaml")), *sorted(PLAN_DIR.glob("*.yaml"))]:
        load_file(path, acting_user=None)
    _load_province_pack()


def _load_province_pack() -> None:
    """The Beijing pack's indicators, as the pack of the measured province (benchmark only)."""
    from fawang.indicators.definitions import read_yaml
    from fawang.indicators.demo import PACK_DIR
    from fawang.indicators.services import load_pack

    data = read_yaml(PACK_DIR / "beijing-2025-2027.yaml")
    pack = {
        "code": "bench-province",
        "name": "压测：省级指标（北京指标复制）",
        "city_region_code": PROVINCE,
        "period": data["period"],
        "indicators": data["indicators"],
    }
    load_pack(pack, acting_user=None, source="bench-province")


def _places() -> list[int]:
    from fawang.core.models import Region

    if MODE.national:
        return _national_places()
    return list(
        Region.objects.filter(
            path__startswith="/110000000000/", level__in=["township", "village"]
        ).values_list("id", flat=True)
    )


def _national_places() -> list[int]:
    """PLACE_SLOTS place ids, each province's share of them its share of the resident population
    (an assumption: requests follow people), spread evenly over its townships and villages."""
    import national_regions

    from fawang.core.models import Region

    total = sum(p.population for p in national_regions.PROVINCES)
    slots: list[int] = []
    for province in national_regions.PROVINCES:
        ids = list(
            Region.objects.filter(
                path__startswith=f"/{province.code}0000000000/",
                level__in=["township", "village"],
            )
            .order_by("code")
            .values_list("id", flat=True)
        )
        wanted = round(PLACE_SLOTS * province.population / total)
        slots += [ids[n * len(ids) // wanted] for n in range(wanted)]
    return slots


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
                  rating_comment, rated_at, rating_token, region_id, case_ref, case_status,
                  green_channel, home_visit, language)
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
                  ({array})[1 + (g * 7919) %% {len(places)}], '', '', false, false, ''
                FROM generate_series(%s::bigint, %s::bigint) AS g,
                LATERAL (SELECT %s::timestamptz + (g %% {MODE.days}) * interval '1 day'
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
        defaults={"region": Region.objects.get(code=BEIJING)},
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
                  centre_id, region_id, reported_ground, reported_note, termination_decision,
                  termination_ground)
                SELECT
                  'C' || g, (ARRAY['application','notice'])[1 + g %% 2], 'civil', '压测', '',
                  '', false, '[]'::jsonb, false,
                  CASE WHEN g %% 4 = 0 THEN 'assigned' ELSE 'closed' END, t.opened,
                  t.opened + interval '3 days', t.opened + interval '1 day',
                  CASE WHEN g %% 4 <> 0 THEN t.opened + interval '30 days' END, '', t.opened,
                  %s, ({array})[1 + (g * 6151) %% {len(places)}], '', '', '', ''
                FROM generate_series(%s::bigint, %s::bigint) AS g,
                LATERAL (SELECT %s::timestamptz + (g %% {MODE.days}) * interval '1 day'
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


HISTORY_MODULES = ("fawang.workorders.metrics", "fawang.legalaid.metrics")
RECENT_DAYS = 31


def _full_fill(first_day: date, last_day: date) -> None:
    """The history: the counters of the modules the benchmark generates data for (work orders,
    legal aid) over every day, then every installed counter over the last RECENT_DAYS days (the
    other modules have no data here; their stocks would only repeat the region counts each day)."""
    from fawang.indicators import fill
    from fawang.indicators.counters import by_module
    from fawang.indicators.models import DailyCount, MonthlyCount

    began = time.perf_counter()
    DailyCount.objects.all().delete()
    MonthlyCount.objects.all().delete()
    codes = [
        code
        for module, counters in by_module().items()
        if module.__name__ in HISTORY_MODULES
        for code in counters
    ]
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    history = fill.fill_days(days, codes)
    recent = fill.fill_days(days[-RECENT_DAYS:])
    rows = history.rows + recent.rows
    _say(
        f"full fill: {len(days)} days ({len(codes)} counters), then every counter for the last"
        f" {RECENT_DAYS}: {rows:,} rows in {time.perf_counter() - began:.0f} s"
    )


def _counter_costs(day: date) -> dict[str, float]:
    """Seconds each metrics module's counters take for one day (what a day's refill costs)."""
    from fawang.indicators.counters import by_module

    costs = {}
    for module, counters in by_module().items():
        began = time.perf_counter()
        for compute in counters.values():
            compute(day)
        costs[module.__name__.split(".")[1]] = time.perf_counter() - began
    slowest = sorted(costs.items(), key=lambda item: -item[1])[:5]
    _say(
        f"one day's counters: {sum(costs.values()):.2f} s; slowest: "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in slowest)
    )
    return costs


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


def _dashboard_ms(year: int, code: str = BEIJING) -> float:
    """Median of 5 renders of the dashboard of ``code`` by a city supervisor of that region."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fawang.core.models import Region, Role, User

    user, _ = User.objects.get_or_create(
        username=f"bench-supervisor-{code}",
        defaults={"role": Role.SUPERVISOR_CITY, "region": Region.objects.get(code=code)},
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/console/indicators/regions/{code}/?year={year}"
    assert client.get(url).status_code == 200  # warm-up
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(timings)


def _scan_ms(start: date, end: date, code: str = BEIJING) -> float:
    """The same figures straight from the raw tables: per sub-region and month, then summed."""
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
            created_at__gte=low, created_at__lt=high, region__path__startswith=f"/{code}/"
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
            opened_at__gte=low, opened_at__lt=high, region__path__startswith=f"/{code}/"
        )
        .annotate(district=Substr("region__path", 15, 12), month=ExtractMonth("opened_at"))
        .values("district", "month")
        .annotate(opened=Count("id"), closed=Count("id", filter=Q(closed_at__isnull=False)))
        .order_by()
    )
    assert orders and cases
    return (time.perf_counter() - began) * 1000


def _show_fill_plans(day: date) -> None:
    """EXPLAIN the fill's queries for one day: each must be bounded by the day (an index range
    on the date column), so the months outside the query cost nothing."""
    from datetime import time as clock

    from django.db.models import Q, Sum
    from django.utils import timezone

    from fawang.indicators.models import DailyCount
    from fawang.legalaid.models import AidCase
    from fawang.workorders.metrics import orders_created_on

    zone = timezone.get_default_timezone()
    low = datetime.combine(day, clock.min, tzinfo=zone)
    high = low + timedelta(days=1)
    month = day.replace(day=1)
    queries = {
        "workorders counter (one day)": orders_created_on(day)
        .order_by()
        .values("region_id")
        .annotate(n=Sum("rating")),
        "legal-aid cases opened (one day)": AidCase.objects.filter(
            opened_at__gte=low, opened_at__lt=high
        )
        .order_by()
        .values("region_id")
        .annotate(n=Sum("id")),
        "monthly refresh (one month of daily rows)": DailyCount.objects.filter(
            Q(day__gte=month, day__lt=(month + timedelta(days=32)).replace(day=1))
        )
        .values("region_id", "counter")
        .annotate(total=Sum("value"))
        .order_by(),
    }
    for label, query in queries.items():
        plan = query.explain()
        scans = [line.strip() for line in plan.splitlines() if "Scan" in line or "Cond" in line]
        _say(f"plan — {label}:")
        for line in scans[:4]:
            _say(f"    {line}")


def _table_bytes(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s::regclass)", [table])
        return int(cursor.fetchone()[0])


def _sample_bytes(table: str, columns: str, select: str, rows: int) -> float:
    """Bytes per million rows of ``table``'s shape (columns, defaults, indexes; no foreign keys),
    measured on ``rows`` generated rows in a scratch copy that is dropped afterwards."""
    from django.db import connection

    scratch = f"bench_size_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TABLE {scratch} (LIKE {table} INCLUDING ALL)")
        cursor.execute(
            f"INSERT INTO {scratch} ({columns}) SELECT {select.replace('%', '%%')} "
            "FROM generate_series(1, %s::bigint) AS g",
            [rows],
        )
        cursor.execute("SELECT pg_total_relation_size(%s::regclass)", [scratch])
        size = int(cursor.fetchone()[0])
        cursor.execute(f"DROP TABLE {scratch}")
    return size * 1_000_000 / rows


def _sizes(orders: int, cases: int) -> dict[str, float]:
    """MB per million rows of each table the yearly database size is made of."""
    from fawang.indicators.models import DailyCount, MonthlyCount

    sample = min(SIZE_SAMPLE, max(orders, 10_000))
    mega = 1024 * 1024
    daily_rows, monthly_rows = DailyCount.objects.count(), MonthlyCount.objects.count()
    events = _sample_bytes(
        "workorders_workorderevent",
        "order_id, occurred_at, actor_id, kind, from_status, to_status, institution_id, note, data",
        "g, now() - (g % 700) * interval '1 day', 1 + g % 500,"
        " (ARRAY['created','claimed','replied','rated','closed'])[1 + g % 5],"
        " 'queued', 'claimed', 1 + g % 300, CASE WHEN g % 5 = 2 THEN '已答复：请携带借条到司法所咨询'"
        " ELSE '' END, jsonb_build_object('seat', 'S' || g % 900)",
        sample,
    )
    audit = _sample_bytes(
        "audit_auditevent",
        "occurred_at, actor_id, actor_label, action, object_type, object_id, outcome, detail,"
        " ip_address, mac",
        "now() - (g % 700) * interval '1 day', 1 + g % 500, 'seat' || g % 500,"
        " (ARRAY['workorders.created','workorders.claimed','workorders.replied'])[1 + g % 3],"
        " 'workorders.workorder', g::text, 'success',"
        " jsonb_build_object('number', 'WO2026' || lpad(g::text, 8, '0'), 'status', 'claimed'),"
        " ('10.0.0.' || g % 250)::inet, md5(g::text) || md5((g + 1)::text)",
        sample,
    )
    seals = _sample_bytes(
        "audit_auditseal",
        "sequence, event_id, sealed_at, previous_hash, chain_hash",
        "g, g, now(), md5(g::text) || md5((g + 1)::text), md5((g + 2)::text) || md5(g::text)",
        sample,
    )
    return {
        "orders_mb_per_million": _table_bytes("workorders_workorder") / orders / mega * 1e6,
        "cases_mb_per_million": _table_bytes("legalaid_aidcase") / cases / mega * 1e6
        if cases
        else 0.0,
        "events_mb_per_million": events / mega,
        "audit_mb_per_million": (audit + seals) / mega,
        "dailycount_mb_per_million": _table_bytes("indicators_dailycount")
        / max(daily_rows, 1)
        / mega
        * 1e6,
        "dailycount_rows": daily_rows,
        "monthlycount_rows": monthly_rows,
    }


def _count_rows_per_day(day: date) -> int:
    from fawang.indicators.models import DailyCount

    return DailyCount.objects.filter(day=day).count()


def run(args: argparse.Namespace) -> dict[str, float]:
    _prepare_database(args.fresh)
    _setup_django()
    from django.utils import timezone

    today = timezone.localdate()
    first_day = today - timedelta(days=MODE.days)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    _base_data()
    from fawang.core.models import Region
    from fawang.indicators.models import MonthlyCount

    if _ensure_data(args.orders, args.cases, start) or not MonthlyCount.objects.exists():
        _full_fill(first_day, today)
    yesterday = today - timedelta(days=1)
    if MODE.national:
        _show_fill_plans(yesterday)
    costs = _counter_costs(yesterday)
    fill_day_s = _one_day_of_changes(yesterday)
    dashboard_ms = _dashboard_ms(today.year)
    scan_ms = statistics.median(_scan_ms(date(today.year, 1, 1), today) for _ in range(3))
    speedup = scan_ms / dashboard_ms if dashboard_ms else float("nan")
    _say(f"[{MODE.name}] scale: {args.orders:,} work orders, {args.cases:,} legal-aid cases over")
    _say(f"  {MODE.days} days, {Region.objects.count():,} regions")
    _say(f"incremental fill of one day's changes: {fill_day_s:.2f} s")
    _say(f"Beijing city dashboard render: {dashboard_ms:.1f} ms (target < 300 ms)")
    _say(f"same figures by scanning the raw tables: {scan_ms:.0f} ms")
    _say(f"speedup: {speedup:.1f}x (target >= 50x)")
    figures: dict[str, float] = {
        "fill_day_s": round(fill_day_s, 3),
        "dashboard_ms": round(dashboard_ms, 1),
        "scan_ms": round(scan_ms, 1),
        "speedup": round(speedup, 1),
        "regions": Region.objects.count(),
        "dailycount_rows_per_day": _count_rows_per_day(yesterday),
        "day_counters_s": round(sum(costs.values()), 3),
        **{f"day_counters_{name}_s": round(seconds, 3) for name, seconds in costs.items()},
    }
    if MODE.national:
        province_ms = _dashboard_ms(today.year, PROVINCE)
        province_scan = statistics.median(
            _scan_ms(date(today.year, 1, 1), today, PROVINCE) for _ in range(3)
        )
        _say(f"province (广东省) dashboard render: {province_ms:.1f} ms")
        _say(f"province figures by scanning the raw tables: {province_scan:.0f} ms")
        figures.update(
            province_dashboard_ms=round(province_ms, 1), province_scan_ms=round(province_scan, 1)
        )
        sizes = _sizes(args.orders, args.cases)
        for key, value in sizes.items():
            _say(f"  {key}: {value:,.1f}")
        figures.update({k: round(v, 1) for k, v in sizes.items()})
    return figures


def _compare(args: argparse.Namespace) -> None:
    """Both runs, each in its own process and database; their figures side by side."""
    results = {}
    for name in ("beijing", "national"):
        command = [sys.executable, __file__, "--mode", name, "--orders", str(args.orders)]
        command += ["--cases", str(args.cases)] + (["--fresh"] if args.fresh else [])
        _say(f"== {name} run ==")
        process = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        lines = process.stdout.strip().splitlines()
        for line in lines[:-1]:
            _say(f"  {line}")
        results[name] = json.loads(lines[-1])
    beijing, national = results["beijing"], results["national"]
    _say("")
    _say(f"{'figure':<32}{'Beijing only':>14}{'national':>14}{'ratio':>8}")
    keys = ["regions", "dailycount_rows_per_day", "fill_day_s", "dashboard_ms", "scan_ms"]
    keys += sorted(k for k in national if k.startswith("day_counters_"))
    for key in keys:
        base = beijing.get(key, 0)
        ratio = national[key] / base if base else float("nan")
        _say(f"{key:<32}{base:>14,}{national[key]:>14,}{ratio:>8.2f}")
    _say(f"{'province_dashboard_ms':<32}{'':>14}{national['province_dashboard_ms']:>14,}")
    _say(f"{'province_scan_ms':<32}{'':>14}{national['province_scan_ms']:>14,}")
    print(json.dumps({"orders": args.orders, "cases": args.cases, **results}))


def main() -> None:
    global MODE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--national", action="store_true", help="the Beijing-only run, then the national one"
    )
    parser.add_argument("--mode", choices=sorted(MODES), default="beijing", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national:
        _compare(args)
        return
    MODE = MODES[args.mode]
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
