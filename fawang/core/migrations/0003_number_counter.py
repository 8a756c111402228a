"""One numbering scheme for every record (fawang.core.numbering): a counter row per prefix and day,
or on PostgreSQL one sequence per prefix.

Work orders used to take their counter from ``workorders_number_seq`` (PostgreSQL) or a per-day
row, legal-aid and mediation numbers were the row's primary key. The new counters start above
every number already stored, so no number is given out twice.
"""

import re
from collections import defaultdict
from datetime import datetime

from django.db import migrations, models

# Each prefix, and the tables whose ``number`` column holds numbers with it.
NUMBERED = {
    "GF": ["workorders_workorder"],
    "FY": ["legalaid_aidapplication"],
    "FA": ["legalaid_aidcase"],
    "TZ": ["legalaid_aidcase"],
    "TJ": ["mediation_dispute"],
}


def _numbers_in_use(connection):
    """The highest counter already used, per (prefix, day) and per prefix."""
    tables = set(connection.introspection.table_names())
    per_day, per_prefix = defaultdict(int), defaultdict(int)
    with connection.cursor() as cursor:
        for prefix, names in NUMBERED.items():
            pattern = re.compile(rf"^{prefix}(\d{{8}})(\d+)$")
            for table in names:
                if table not in tables:
                    continue
                cursor.execute(f"SELECT number FROM {table} WHERE number LIKE %s", [f"{prefix}%"])
                for (number,) in cursor.fetchall():
                    match = pattern.match(number)
                    if match is None:
                        continue
                    try:
                        day = datetime.strptime(match.group(1), "%Y%m%d").date()
                    except ValueError:
                        continue
                    counter = int(match.group(2))
                    per_day[prefix, day] = max(per_day[prefix, day], counter)
                    per_prefix[prefix] = max(per_prefix[prefix], counter)
    return per_day, per_prefix


def start_counters(apps, schema_editor):
    connection = schema_editor.connection
    per_day, per_prefix = _numbers_in_use(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for prefix in NUMBERED:
                name = f"core_number_{prefix.lower()}"
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name}")
                if per_prefix[prefix]:
                    cursor.execute(f"SELECT setval('{name}', %s)", [per_prefix[prefix]])
        return
    counter_model = apps.get_model("core", "NumberCounter")
    counter_model.objects.bulk_create(
        counter_model(prefix=prefix, day=day, last=last) for (prefix, day), last in per_day.items()
    )


def drop_sequences(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for prefix in NUMBERED:
            schema_editor.execute(f"DROP SEQUENCE IF EXISTS core_number_{prefix.lower()}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_alter_practitioner_id_number_hash_and_more")]

    operations = [
        migrations.CreateModel(
            name="NumberCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=8)),
                ("day", models.DateField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("prefix", "day"), name="number_counter_per_prefix_day"
                    )
                ],
            },
        ),
        migrations.RunPython(start_counters, drop_sequences),
    ]
