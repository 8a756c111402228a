"""Order numbers now come from fawang.core.numbering (core migration 0003 started its counters
above every number stored): the per-day counter table and the old sequence go."""

from django.db import migrations


def drop_old_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS workorders_number_seq")


def restore_old_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS workorders_number_seq")


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0003_number_sequence"),
        ("core", "0003_number_counter"),
    ]

    operations = [
        migrations.DeleteModel(name="OrderNumberSequence"),
        migrations.RunPython(drop_old_sequence, restore_old_sequence),
    ]
