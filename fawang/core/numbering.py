"""Human-readable record numbers: prefix + local date + counter, e.g. ``GF20261123000042``.

One scheme for every business line. The number is allocated before the INSERT, in the transaction
that inserts the row, so a record is never stored with a placeholder number:

- PostgreSQL: one sequence per prefix (``core_number_<prefix>``, created by core migration 0003),
  which never makes one request wait for another; its counter runs on across days.
- elsewhere (SQLite): a :class:`~fawang.core.models.NumberCounter` row per prefix and day, bumped
  in the caller's write transaction (SQLite serialises writers), so numbers are gapless per prefix
  and day.

The counter has at least six digits, so the usual number is 16 characters. A new prefix is added
to :data:`PREFIXES` together with a migration creating its sequence.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from fawang.core.models import NumberCounter

PREFIXES = {
    "GF": "工单",
    "FY": "法律援助申请",
    "FA": "法律援助案件（依申请）",
    "TZ": "法律援助案件（通知辩护、代理）",
    "TJ": "人民调解纠纷",
    "GZ": "公证事项（统一登记编码的序号部分，见 docs/notary.md）",
    "JD": "司法鉴定委托与文书赋码的序号（见 docs/appraisal.md）",
}


def sequence_name(prefix: str) -> str:
    """The PostgreSQL sequence behind a prefix."""
    return f"core_number_{prefix.lower()}"


def next_number(prefix: str, moment: datetime | None = None) -> str:
    """The next number for ``prefix``, dated ``moment`` (default now) in local time.

    Call it inside the transaction that inserts the numbered row."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown number prefix {prefix!r} (see core.numbering.PREFIXES)")
    day = timezone.localdate(moment)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval('{sequence_name(prefix)}')")  # a known prefix
            counter = cursor.fetchone()[0]
    else:
        with transaction.atomic():
            counters = NumberCounter.objects.filter(prefix=prefix, day=day)
            if not counters.update(last=F("last") + 1):
                NumberCounter.objects.get_or_create(prefix=prefix, day=day)  # the day's first
                counters.update(last=F("last") + 1)
            counter = counters.values_list("last", flat=True).get()
    return f"{prefix}{day:%Y%m%d}{counter:06d}"
