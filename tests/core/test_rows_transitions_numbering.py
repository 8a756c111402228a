"""The shared helpers of every business line: row locks, declared transitions, record numbers."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from fawang.consult.knowledge import KNOWLEDGE_FLOW
from fawang.consult.models import KnowledgeStatus
from fawang.core.errors import Conflict
from fawang.core.models import NumberCounter, Region
from fawang.core.numbering import PREFIXES, next_number
from fawang.core.rows import lock
from fawang.core.transitions import Transitions, check_transition
from fawang.db.appends import append_rows
from fawang.legalaid import services as aid_services
from fawang.legalaid.models import AidApplication, AidCase, CaseStatus
from fawang.legalaid.services import CASE_FLOW
from fawang.mediation.models import Dispute, DisputeStatus
from fawang.mediation.services import DISPUTE_TRANSITIONS
from fawang.notary.models import MatterStatus
from fawang.notary.services import MATTER_FLOW
from fawang.workorders import services as order_services
from fawang.workorders.models import Status, WorkOrder
from fawang.workorders.services import ORDER_TRANSITIONS
from fawang.workorders.services import intake as intake_services
from tests.legalaid.helpers import approved_case, build_aid_world, notice_input
from tests.mediation.helpers import build_world as build_mediation_world
from tests.mediation.helpers import citizen_dispute
from tests.workorders.helpers import JIANWAI, build_world, new_order

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^(GF|FY|FA|TZ|TJ)\d{8}\d{6,}$")


def _counter(number: str) -> int:
    return int(number[10:])


# --- numbering ------------------------------------------------------------------------------


def test_numbers_are_unique_and_gapless_per_prefix_and_day() -> None:
    with transaction.atomic():
        orders = [next_number("GF") for _ in range(5)]
        disputes = [next_number("TJ") for _ in range(3)]
    today = f"{timezone.localdate():%Y%m%d}"
    for numbers, prefix in ((orders, "GF"), (disputes, "TJ")):
        assert all(n.startswith(f"{prefix}{today}") and len(n) == 16 for n in numbers)
        counters = [_counter(n) for n in numbers]
        assert counters == list(range(counters[0], counters[0] + len(numbers)))
    # A prefix has its own counter: work orders do not use up dispute numbers (on PostgreSQL a
    # sequence per prefix that runs on across days; elsewhere a counter per prefix and day).
    if connection.vendor != "postgresql":
        assert _counter(disputes[0]) == 1


def test_the_number_carries_the_local_date_and_sqlite_counts_each_day_from_one() -> None:
    yesterday = timezone.now() - timedelta(days=1)
    first_yesterday = next_number("FY", yesterday)
    first_today = next_number("FY")
    again_yesterday = next_number("FY", yesterday)
    assert first_yesterday.startswith(f"FY{timezone.localdate(yesterday):%Y%m%d}")
    assert first_today.startswith(f"FY{timezone.localdate():%Y%m%d}")
    if connection.vendor == "postgresql":  # one sequence per prefix, never waiting on a row lock
        assert _counter(first_yesterday) < _counter(first_today) < _counter(again_yesterday)
    else:
        assert _counter(first_yesterday) == _counter(first_today) == 1
        assert _counter(again_yesterday) == 2


def test_an_unknown_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown number prefix"):
        next_number("XX")
    assert set(PREFIXES) == {"GF", "FY", "FA", "TZ", "TJ", "GZ", "JD"}


@pytest.fixture
def saved_numbers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool, str]]]:
    """Every save of a numbered record: (model, created?, number at that save)."""
    seen: list[tuple[str, bool, str]] = []

    def record(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append((sender.__name__, created, instance.number))

    def appended(rows: Any, **kwargs: Any) -> Any:
        # A work order is inserted by the prepared INSERT, which sends no post_save.
        written = append_rows(rows, **kwargs)
        seen.extend((type(row).__name__, True, row.number) for row in written)
        return written

    monkeypatch.setattr(intake_services, "append_rows", appended)

    models = (WorkOrder, AidApplication, AidCase, Dispute)
    for model in models:
        post_save.connect(record, sender=model, dispatch_uid=f"numbers-{model.__name__}")
    yield seen
    for model in models:
        post_save.disconnect(sender=model, dispatch_uid=f"numbers-{model.__name__}")


def test_every_record_is_inserted_with_its_final_number(
    saved_numbers: list[tuple[str, bool, str]],
) -> None:
    dispute = citizen_dispute(build_mediation_world())
    aid_world = build_aid_world()
    case = approved_case(aid_world)  # a legal-aid application files a work order too
    notice_case = aid_services.receive_notice(notice_input(), acting_user=aid_world.officer)
    order = case.application.work_order
    inserted = {(model, number) for model, created, number in saved_numbers if created}
    assert {
        ("WorkOrder", order.number),
        ("Dispute", dispute.number),
        ("AidApplication", case.application.number),
        ("AidCase", case.number),
        ("AidCase", notice_case.number),
    } <= inserted
    assert all(NUMBER.match(number) for _, _, number in saved_numbers)
    assert not any("tmp-" in number for _, _, number in saved_numbers)
    prefixes = {number[:2] for _, number in inserted}
    assert {"GF", "TJ", "FY", "FA", "TZ"} <= prefixes
    # The number a record was inserted with is the one it keeps.
    for model, created, number in saved_numbers:
        if not created:
            assert (model, number) in inserted


def test_counters_start_above_the_numbers_already_stored() -> None:
    """Core migration 0003 starts each counter after the numbers given out by the old schemes
    (legal-aid and mediation numbers used to be the primary key)."""
    dispute = citizen_dispute(build_mediation_world())
    legacy = f"TJ{timezone.localdate():%Y%m%d}000057"
    Dispute.objects.filter(pk=dispute.pk).update(number=legacy)
    NumberCounter.objects.all().delete()
    migration = importlib.import_module("fawang.core.migrations.0003_number_counter")
    migration.start_counters(apps, SimpleNamespace(connection=connection))
    assert next_number("TJ") == legacy[:-6] + "000058"


# --- transitions ----------------------------------------------------------------------------


def test_an_allowed_verb_gives_the_resulting_status() -> None:
    assert check_transition(ORDER_TRANSITIONS, Status.QUEUED, "claim") == Status.CLAIMED
    assert check_transition(ORDER_TRANSITIONS, Status.CLAIMED, "supervise") is None


@pytest.mark.parametrize(
    ("table", "status", "verb", "message"),
    [
        (ORDER_TRANSITIONS, Status.CLOSED, "claim", "工单当前状态为“已办结”，不能领取。"),
        (DISPUTE_TRANSITIONS, DisputeStatus.FAILED, "agree", None),
        (CASE_FLOW, CaseStatus.CLOSED, "assign", "当前状态为“已结案”，不能进行此操作。"),
        (KNOWLEDGE_FLOW, KnowledgeStatus.RETIRED, "publish", "条目当前状态为“已停用”，不能发布。"),
    ],
)
def test_a_forbidden_verb_is_a_conflict_in_chinese(
    table: Transitions[Any], status: str, verb: str, message: str | None
) -> None:
    with pytest.raises(Conflict) as error:
        check_transition(table, status, verb)
    assert error.value.code == "bad_state"
    expected = message or f"纠纷当前状态为“{DisputeStatus.FAILED.label}”，不能登记调解协议。"
    assert error.value.message == expected


@pytest.mark.parametrize(
    ("table", "status", "verb", "message"),
    [
        (
            ORDER_TRANSITIONS,
            Status.CLOSED,
            "claim",
            'Claiming is not possible while the work order is "Closed".',
        ),
        (
            DISPUTE_TRANSITIONS,
            DisputeStatus.FAILED,
            "agree",
            'Recording an agreement is not possible while the dispute is "Failed".',
        ),
        (
            CASE_FLOW,
            CaseStatus.CLOSED,
            "assign",
            'This action is not possible while the status is "Closed".',
        ),
        (
            KNOWLEDGE_FLOW,
            KnowledgeStatus.RETIRED,
            "publish",
            'Publishing is not possible while the entry is "Retired".',
        ),
        (
            MATTER_FLOW,
            MatterStatus.ISSUED,
            "refuse",
            'Refusing is not possible while the notarial matter is "Certificate issued".',
        ),
    ],
)
def test_an_english_reader_gets_the_refusal_in_english(
    table: Transitions[Any], status: str, verb: str, message: str
) -> None:
    with translation.override("en"), pytest.raises(Conflict) as error:
        check_transition(table, status, verb)
    assert error.value.message == message


def test_a_plain_table_gives_a_plain_refusal() -> None:
    table = {"close": (frozenset({"open"}), "closed")}
    assert check_transition(table, "open", "close") == "closed"
    with pytest.raises(Conflict, match="当前状态为“closed”，不能进行此操作。"):
        check_transition(table, "closed", "close")


def test_a_service_refuses_a_verb_its_table_forbids() -> None:
    world = build_world()
    order = new_order(world.seat)
    order_services.claim_order(order, acting_user=world.seat)
    with pytest.raises(Conflict) as error:
        order_services.claim_order(order, acting_user=world.second_seat)
    assert error.value.message == "工单当前状态为“办理中”，不能领取。"


# --- row locks ------------------------------------------------------------------------------


def test_lock_rereads_the_row_the_caller_may_hold_stale() -> None:
    world = build_world()
    order = new_order(world.seat)
    WorkOrder.objects.filter(pk=order.pk).update(title="已更新")
    with transaction.atomic():
        fresh = lock(order)
        by_pk = lock(WorkOrder, order.pk)
        joined = lock(WorkOrder.objects.select_related("region"), order.pk)
    assert fresh is not order and fresh.title == by_pk.title == "已更新"
    assert isinstance(joined.region, Region) and joined.region.code == JIANWAI


def test_lock_of_a_row_that_is_gone_raises_does_not_exist() -> None:
    world = build_world()
    order = new_order(world.seat)
    order.events.all().delete()
    WorkOrder.objects.filter(pk=order.pk).delete()
    with pytest.raises(WorkOrder.DoesNotExist), transaction.atomic():
        lock(order)
