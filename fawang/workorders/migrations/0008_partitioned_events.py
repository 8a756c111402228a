"""Partition the work-order events by month on PostgreSQL (issue 20, docs/operations.md
"Partitioned history"); nothing changes on SQLite. The work orders themselves stay one table:
they are the target of the business lines' foreign keys (the operations page says why).
"""

from django.db import migrations, models

from fawang.audit.partitions import convert_to_partitioned


def partition(apps, schema_editor):
    convert_to_partitioned(schema_editor, "workorders_workorderevent", "occurred_at")


class Migration(migrations.Migration):

    dependencies = [
        ('workorders', '0007_topics_pending'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='workorderevent',
            index=models.Index(fields=['occurred_at'], name='workorders_event_occurred'),
        ),
        # One way: the partitioned table serves the earlier schema as well.
        migrations.RunPython(partition, migrations.RunPython.noop),
    ]
