"""The append-only, hash-chained audit trail and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("拒绝")
    FAILURE = "failure", _("失败")


class AuditEvent(models.Model):
    """One state change: who, what, when, on which object, with what outcome.

    Written by the service in the same transaction as the change, with no shared lock, so audit
    never serialises the platform's writes. The sealer (``services.seal_pending``, a job every few
    seconds) then chains events into ``AuditSeal`` rows. On PostgreSQL a trigger refuses UPDATE and
    DELETE on both tables, and the events are partitioned by month on ``occurred_at``
    (``audit.partitions``; primary key ``(id, occurred_at)`` there, ``id`` for Django).
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # HMAC-SM3 of the content under the audit key (audit.keys), set as the row is written.
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "审计事件"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class AuditSeal(models.Model):
    """An event's link in the chain: ``chain_hash = HMAC-SM3(key, previous_hash | canonical event)``.

    ``sequence`` numbers seals without gaps, so an edited event (hash mismatch), a deleted seal
    (gap) or a cut tail (head mismatch) shows in ``fawang audit verify``; the append-only trigger
    keeps a sealed event from being deleted at all (see ``event``).
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    # No database constraint: on PostgreSQL the events are partitioned by month (audit.partitions)
    # and a foreign key to a partitioned table must name its whole key (id, occurred_at). What the
    # constraint guarded stays guarded: the append-only trigger refuses every DELETE of an event
    # (on each partition too), the ORM still refuses it (PROTECT), and an event removed anyway
    # (a detached month, a table owner's raw SQL) leaves its seal without an event, which
    # `fawang audit verify` reports as missing seals of the chain.
    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="seal", db_constraint=False
    )
    sealed_at = models.DateTimeField(default=timezone.now)
    previous_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"seal {self.sequence} of event {self.event_id}"


class AuditChainHead(models.Model):
    """The newest link; only the sealer locks it (it also catches a cut-off tail)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head #{self.last_sequence}"


class PersonalDataAccess(models.Model):
    """A clear ID or phone number was read: by a staff member, by the citizen for their own use,
    or by the platform itself (no actor: sending an SMS). See ``core.personal_access``."""

    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    field = models.CharField(max_length=30)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = verbose_name_plural = "个人信息查看记录"

    def __str__(self) -> str:
        return f"{self.actor_id} {self.field} {self.subject_type}#{self.subject_id}"
