"""Partition the audit events by month on PostgreSQL (issue 20, docs/operations.md "Partitioned
history"); nothing changes on SQLite.

The seal's foreign key to the event loses its database constraint first (a foreign key to a
partitioned table must name the whole key, id and occurred_at; models.AuditSeal says what guards
the events instead), then the events move into the partitioned table with their ids, sequence,
indexes and the append-only trigger, which keeps refusing UPDATE and DELETE on every partition.
"""

import django.db.models.deletion
from django.db import migrations, models

from fawang.audit.partitions import convert_to_partitioned


def partition(apps, schema_editor):
    convert_to_partitioned(schema_editor, "audit_auditevent", "occurred_at")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0007_keyed_chain'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditseal',
            name='event',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='seal', to='audit.auditevent'),
        ),
        # One way: the partitioned table serves the earlier schema as well.
        migrations.RunPython(partition, migrations.RunPython.noop),
    ]
