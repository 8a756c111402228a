from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from fawang.audit.models import AuditEvent, AuditSeal, PersonalDataAccess
from fawang.audit.services import record_event, record_personal_data_access, seal_pending
from fawang.core.models import Role
from tests.conftest import CHAOYANG
from tests.factories import make_citizen, make_staff

pytestmark = pytest.mark.django_db


def test_postgresql_refuses_update_of_an_audit_event() -> None:
    event = record_event("test.event", actor="system")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    event.refresh_from_db()
    assert event.action == "test.event"


def test_postgresql_refuses_delete_of_an_audit_event() -> None:
    event = record_event("test.event", actor="system")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_postgresql_refuses_delete_of_a_personal_data_access_record() -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    access = record_personal_data_access(
        actor=seat, subject=make_citizen(), field_name="phone", reason="回访"
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=access.pk).delete()
    assert PersonalDataAccess.objects.filter(pk=access.pk).exists()


def test_postgresql_refuses_to_change_a_seal() -> None:
    record_event("test.event", actor="system")
    seal_pending()
    seal = AuditSeal.objects.order_by("-sequence").first()
    assert seal is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.filter(pk=seal.pk).update(chain_hash="0" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.filter(pk=seal.pk).delete()
