"""Key the audit chain (audit.keys): each event gets its MAC, and the chain is rebuilt keyed.

Existing events are trusted as they stand at the upgrade (their MAC is computed here); their old
unkeyed seals are dropped and the head reset, so the next sealing run chains every event again
under the key. The append-only triggers are switched off for this one transaction only.
"""

from django.db import migrations, models

TABLES = ("audit_auditevent", "audit_auditseal")


def _triggers(schema_editor, state):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} {state} TRIGGER {table}_append_only")


def rekey(apps, schema_editor):
    from fawang.audit.services import event_mac

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    _triggers(schema_editor, "DISABLE")
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        AuditEvent.objects.filter(pk=event.pk).update(mac=event_mac(event))
    AuditSeal.objects.all().delete()
    AuditChainHead.objects.all().delete()
    _triggers(schema_editor, "ENABLE")


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_personal_data_access_system_actor")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
