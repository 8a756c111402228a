"""On PostgreSQL, order numbers come from a sequence (no row lock shared by all intakes)."""

from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS workorders_number_seq")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS workorders_number_seq")


class Migration(migrations.Migration):
    dependencies = [("workorders", "0002_call_and_ticket_unique")]
    operations = [migrations.RunPython(create_sequence, drop_sequence)]
