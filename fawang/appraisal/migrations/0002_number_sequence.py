"""The PostgreSQL sequence behind the JD serial of entrustment numbers and case codes
(core.numbering: one sequence per prefix; SQLite uses NumberCounter rows)."""

from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS core_number_jd")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS core_number_jd")


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial"), ("core", "0003_number_counter")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
