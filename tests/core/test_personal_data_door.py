"""One audited door to personal data: every clear read of a phone or ID number is recorded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from fawang.audit.models import AuditEvent, PersonalDataAccess
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Role
from fawang.core.personal_access import (
    SELF_USE,
    SMS_ACTOR,
    SMS_DELIVERY,
    read_personal_data,
)
from fawang.core.sms import MemorySmsBackend
from fawang.core.tasks import send_sms_to_record
from fawang.legalaid.models import AidApplication
from fawang.mediation.models import Party, PartyRole
from fawang.workorders import services as order_services
from fawang.workorders.models import WorkOrder
from tests.conftest import CHAOYANG
from tests.factories import make_staff
from tests.legalaid.helpers import apply, build_aid_world
from tests.mediation.helpers import build_world as build_mediation_world
from tests.mediation.helpers import citizen_dispute
from tests.workorders.helpers import build_world, new_order

PACKAGE = Path(__file__).resolve().parents[2] / "fawang"

# Where the clear value of a PersonalValue may be taken, and why. Everything else reads through
# fawang.core.personal_access.read_personal_data, which records the read.
REVEAL_ALLOWED = {
    "core/personal_access.py": "the door itself: records the read, then reveals",
    "core/personal_data.py": "defines PersonalValue: masking, comparing and hashing need the clear value",
}
# Where sealed (encrypted) values may be decrypted directly, and why.
DECRYPT_ALLOWED = {
    "core/personal_data.py": "defines encryption; PersonalValue.reveal decrypts",
    "core/tasks.py": "the SMS sending path: decrypts its sealed job arguments (a typed-in number, the text) when sending",
}
PATTERNS = {r"\.reveal\(": REVEAL_ALLOWED, r"(?<![\w.])decrypt\(": DECRYPT_ALLOWED}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_clear_personal_data_is_read_only_through_the_door(pattern: str) -> None:
    allowed = PATTERNS[pattern]
    for path in allowed:
        assert (PACKAGE / path).exists(), f"stale allowlist entry {path}"
    offenders = [
        f"fawang/{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _sources()
        if path.relative_to(PACKAGE).as_posix() not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert not offenders, "read personal data through core.personal_access:\n" + "\n".join(
        offenders
    )


# --- the door -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_revealing_a_requester_phone_records_the_read() -> None:
    world = build_world()
    order = new_order(world.seat)
    clear = order_services.reveal_requester_phone(order, acting_user=world.seat, reason="回拨")
    assert clear == "13911112222"
    access = PersonalDataAccess.objects.get(subject_type="workorders.workorder")
    assert (access.actor, access.subject_id, access.field, access.reason) == (
        world.seat,
        str(order.pk),
        "requester_phone",
        "回拨",
    )
    event = AuditEvent.objects.filter(action="personal_data.reveal").get()
    assert event.object_id == str(order.pk) and event.detail["field"] == "requester_phone"


@pytest.mark.django_db
def test_the_auditor_reads_the_access_in_chinese(login_as: Any) -> None:
    world = build_world()
    order = new_order(world.seat)
    order_services.reveal_requester_phone(order, acting_user=world.seat, reason="回拨")
    auditor = make_staff(Role.AUDITOR, region_code=CHAOYANG)
    page = login_as(auditor).get("/console/audit/personal-data/").content.decode()
    assert f"工单 #{order.pk}" in page and "联系电话" in page and "回拨" in page
    assert "requester_phone" not in page and "workorders.workorder" not in page
    assert "13911112222" not in page


@pytest.mark.django_db
def test_a_mediation_party_phone_is_read_through_the_door() -> None:
    world = build_mediation_world()
    dispute = citizen_dispute(world)
    respondent = Party.objects.get(dispute=dispute, role=PartyRole.RESPONDENT)
    clear = read_personal_data(respondent, "phone", actor=world.mediator, purpose="通知到场")
    assert clear == "13922223333"
    access = PersonalDataAccess.objects.get(subject_type="mediation.party")
    assert (access.actor, access.subject_id, access.field) == (
        world.mediator,
        str(respondent.pk),
        "phone",
    )


@pytest.mark.django_db
def test_a_legal_aid_applicant_id_number_is_read_through_the_door() -> None:
    world = build_aid_world()
    application = AidApplication.objects.get(pk=apply(world).pk)
    before = PersonalDataAccess.objects.count()
    clear = read_personal_data(
        application, "applicant_id_number", actor=world.officer, purpose="核对身份"
    )
    assert len(clear) == 18
    access = PersonalDataAccess.objects.order_by("-id").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert access is not None and (access.actor, access.field) == (
        world.officer,
        "applicant_id_number",
    )


@pytest.mark.django_db
def test_a_citizen_prefilling_their_own_phone_is_recorded_as_own_use() -> None:
    world = build_world()
    order = new_order(world.citizen, channel="web", requester_phone="")
    assert order.requester_phone == world.citizen.phone
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.subject_type, access.reason) == (
        world.citizen,
        "core.user",
        SELF_USE,
    )


@pytest.mark.django_db
def test_an_empty_field_is_not_a_read_and_a_non_personal_field_is_refused() -> None:
    world = build_world()
    order = new_order(world.seat)
    order.requester_phone = ""
    assert read_personal_data(order, "requester_phone", actor=world.seat, purpose="x") == ""
    with pytest.raises(InvalidInput) as error:
        read_personal_data(order, "requester_name", actor=world.seat, purpose="x")
    assert error.value.code == "bad_field"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_roles_that_serve_no_citizen_may_not_reveal(role: str) -> None:
    world = build_world()
    order = new_order(world.seat)
    admin = make_staff(role, region_code=CHAOYANG)
    with pytest.raises(PermissionDenied):
        order_services.reveal_requester_phone(order, acting_user=admin, reason="查看")
    assert not PersonalDataAccess.objects.exists()


# --- the SMS sending path -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_sms_is_queued_after_commit_and_reads_the_number_when_sent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = build_world()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = new_order(world.seat)
    assert callbacks and MemorySmsBackend.outbox == []  # nothing leaves before the commit
    assert not PersonalDataAccess.objects.exists()
    for callback in callbacks:
        callback()
    assert [phone for phone, _ in MemorySmsBackend.outbox] == ["13911112222"]
    access = PersonalDataAccess.objects.get()
    assert access.actor is None and access.reason == SMS_DELIVERY
    assert (access.subject_type, access.subject_id) == ("workorders.workorder", str(order.pk))
    event = AuditEvent.objects.filter(action="personal_data.reveal").get()
    assert event.actor is None and event.actor_label == SMS_ACTOR


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}})
def test_the_job_queue_holds_a_reference_never_the_number(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks import TaskContext
    from django_tasks_db.models import DBTaskResult

    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        order = new_order(world.seat)
    queued = DBTaskResult.objects.get(task_path=send_sms_to_record.module_path)
    args = queued.args_kwargs["args"]
    assert args[:3] == ["workorders.workorder", str(order.pk), "requester_phone"]
    assert "13911112222" not in str(queued.args_kwargs)
    assert order.number not in str(queued.args_kwargs)  # the text is sealed too
    send_sms_to_record.call(TaskContext(task_result=queued.task_result), *args)
    assert MemorySmsBackend.outbox[0][0] == "13911112222"
    assert order.number in MemorySmsBackend.outbox[0][1]


@pytest.mark.django_db
def test_a_rolled_back_change_texts_nobody(django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    world = build_world()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_order(world.seat)
        raise RuntimeError("roll back")
    assert callbacks == [] and MemorySmsBackend.outbox == []


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}})
def test_on_the_database_queue_the_sms_job_commits_or_rolls_back_with_the_order(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    world = build_world()
    sms_jobs = DBTaskResult.objects.filter(task_path=send_sms_to_record.module_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            new_order(world.seat)
            assert sms_jobs.count() == 1  # written in the order's own transaction
            raise RuntimeError("roll back")
        assert sms_jobs.count() == 0 and not WorkOrder.objects.exists()
        new_order(world.seat)
    assert callbacks == [] and sms_jobs.count() == 1  # nothing waited for a second commit


@pytest.mark.django_db
def test_withheld_sms_are_never_queued(django_capture_on_commit_callbacks: Any) -> None:
    from fawang.core.jobs import withheld
    from fawang.core.tasks import SMS_TASKS

    world = build_world()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, withheld(*SMS_TASKS):
        new_order(world.seat)
    assert callbacks == [] and MemorySmsBackend.outbox == []
