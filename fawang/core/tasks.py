"""Background jobs of the core, and the SMS sending path.

An SMS is queued after the commit (``core.jobs.after_commit``) and its number is read once, when
it is sent. The job queue is a table and must not hold a clear phone number, so:

- a number a record holds (a requester, an applicant, a provider) is queued as a reference —
  model, primary key, field — and the job reads it through the audited door
  (``core.personal_access``), the platform being the reader;
- a number just typed in and stored nowhere (a registration code) is queued sealed (encrypted)
  and the job decrypts it. The text is always sealed: it may name a case.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, task

from fawang.core.jobs import after_commit
from fawang.core.models import ScheduledRun, SmsCode, SmsDelivery
from fawang.core.personal_access import SMS_ACTOR, SMS_DELIVERY, read_personal_data
from fawang.core.personal_data import decrypt, encrypt
from fawang.core.sms import send_sms_once
from fawang.core.throttle import purge_ended_windows

logger = logging.getLogger("fawang.sms")
hook_logger = logging.getLogger("fawang.hooks")


@task(takes_context=True)
def send_sms_message(context: TaskContext, sealed_phone: str, sealed_text: str) -> None:
    """A text to a number stored nowhere (a registration code); both arguments are sealed."""
    send_sms_once(str(context.task_result.id), decrypt(sealed_phone), decrypt(sealed_text))


@task(takes_context=True)
def send_sms_to_record(
    context: TaskContext, model: str, pk: str, field: str, sealed_text: str, purpose: str
) -> None:
    """A text to the phone number a record holds, read here, at sending time, through the door."""
    record = apps.get_model(model)._default_manager.filter(pk=pk).first()
    if record is None:
        logger.warning("SMS not sent: %s #%s no longer exists", model, pk)
        return
    phone = read_personal_data(record, field, actor=SMS_ACTOR, purpose=purpose)
    if phone:
        send_sms_once(str(context.task_result.id), phone, decrypt(sealed_text))


def queue_sms_to_record(
    record: models.Model, field: str, text: str, *, purpose: str = SMS_DELIVERY
) -> None:
    """Text the phone number in ``record.<field>`` once the current transaction commits (nothing
    when the field is empty). The queue holds a reference and the sealed text, never the number."""
    if getattr(record, field):
        after_commit(
            send_sms_to_record,
            record._meta.label_lower,
            str(record.pk),
            field,
            encrypt(text),
            purpose,
        )


def queue_sms_to_number(phone: str, text: str) -> None:
    """Text a number just typed in (stored nowhere) once the current transaction commits."""
    if phone:
        after_commit(send_sms_message, encrypt(phone), encrypt(text))


@task()
def run_hook(path: str, event: str, payload: dict[str, Any]) -> None:
    """One declared handler of an event another app announced (``core.registry.notify``), in a
    transaction of its own; what it raises is logged and fails the job (recorded with the error
    in the job table; a database error is retried by the worker)."""
    try:
        with transaction.atomic():
            import_string(path.replace(":", "."))(**payload)
    except Exception:
        hook_logger.exception("hook %s for %s failed", path, event)
        raise


@task()
def purge_expired_sms_codes() -> int:
    """SMS codes are personal-data adjacent; keep them no longer than a day."""
    deleted, _ = SmsCode.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    ScheduledRun.objects.filter(enqueued_at__lt=timezone.now() - timedelta(days=90)).delete()
    SmsDelivery.objects.filter(created_at__lt=timezone.now() - timedelta(days=30)).delete()
    purge_ended_windows()
    return deleted


# The jobs that text someone (the demo builders withhold them: core.jobs.withheld).
SMS_TASKS = (send_sms_message, send_sms_to_record)
