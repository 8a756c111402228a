"""The PostgreSQL sequence behind the GZ serial of the unified registration code
(core.numbering: one sequence per prefix; SQLite uses NumberCounter rows)."""

from django.db import migrations


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS core_number_gz")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS core_number_gz")


class Migration(migrations.Migration):
    dependencies = [("notary", "0001_initial"), ("core", "0003_number_counter")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
