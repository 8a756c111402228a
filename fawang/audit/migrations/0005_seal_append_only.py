"""The seal table is append-only on PostgreSQL too (function from 0003)."""

from django.db import migrations


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER audit_auditseal_append_only BEFORE UPDATE OR DELETE ON audit_auditseal "
        "FOR EACH ROW EXECUTE FUNCTION fawang_refuse_audit_change()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditseal_append_only ON audit_auditseal")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_seals")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
