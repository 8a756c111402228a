"""On PostgreSQL, refuse UPDATE and DELETE on the audit tables (append-only at the database).

SQLite, the embedded default, has no equivalent that survives Django's test flush; there the
hash chain alone detects tampering (`fawang audit verify`).
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_personaldataaccess")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION fawang_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fawang_refuse_audit_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS fawang_refuse_audit_change()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
