from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from fawang.core.models import ScheduledRun, SmsCode
from fawang.core.personal_data import decrypt
from fawang.core.sms import send_sms


@task()
def send_sms_message(sealed_phone: str, sealed_text: str) -> None:
    """Arguments arrive encrypted: the job queue is a table, and it must not hold clear phones."""
    send_sms(decrypt(sealed_phone), decrypt(sealed_text))


@task()
def purge_expired_sms_codes() -> int:
    """SMS codes are personal-data adjacent; keep them no longer than a day."""
    deleted, _ = SmsCode.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    ScheduledRun.objects.filter(enqueued_at__lt=timezone.now() - timedelta(days=90)).delete()
    return deleted
