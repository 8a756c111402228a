"""鉴调一体: an appraisal entrusted from a mediation dispute comes back to the dispute. The
appraisal line announces each issued document through a registry hook after its commit; the
mediation line records it on the dispute (and its work order's timeline, when it has one), and
the mediator sees it on the dispute page. A failing handler never undoes the opinion."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fawang.appraisal import services as appraisal
from fawang.appraisal.models import EntrustmentStatus, Opinion
from fawang.audit.models import AuditEvent
from fawang.core import registry
from fawang.core.models import Region, User
from fawang.mediation.models import AppraisalResult, Dispute, DisputeSource
from fawang.mediation.services import assign_dispute
from fawang.mediation.services.appraisal import record_appraisal_result
from fawang.workorders.models import EventKind
from tests.appraisal import helpers as appraisal_world
from tests.mediation.helpers import JIANWAI, World, build_world, citizen_dispute

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


@pytest.fixture
def a() -> appraisal_world.World:
    return appraisal_world.build_world()


def _entrusted_from(a: appraisal_world.World, dispute: Dispute) -> Any:
    entrustment = appraisal_world.entrust(
        a,
        entrusting_kind="mediation",
        entrusting_name="建外街道人民调解委员会",
        mediation_ref=dispute.number,
    )
    appraisal.accept(entrustment, [a.head_person.pk, a.second_person.pk], acting_user=a.head)
    return entrustment


def _issue(
    a: appraisal_world.World, entrustment: Any, capture: Any, kind: str = "opinion"
) -> Opinion:
    with capture(execute=True):
        return appraisal.issue_opinion(entrustment, kind, "伤残等级为十级。", acting_user=a.head)


def _screened_dispute(w: World) -> Dispute:
    """A dispute found by screening: no work order."""
    return Dispute.objects.create(
        number="TJ20260101000901",
        source=DisputeSource.SCREENING,
        dispute_type="neighbour",
        facts="排查发现：相邻通行纠纷。",
        region=Region.objects.get(code=JIANWAI),
        committee=w.committee,
    )


def test_mediation_declares_the_hook() -> None:
    assert registry.hook_handlers("appraisal.opinion_issued") == [
        "fawang.mediation.services.appraisal:record_appraisal_result"
    ]


def test_dispute_entrust_accept_issue_and_the_dispute_shows_the_result(
    w: World,
    a: appraisal_world.World,
    django_capture_on_commit_callbacks: Any,
    login_as: Login,
) -> None:
    dispute = citizen_dispute(w)
    assign_dispute(dispute, acting_user=w.head, mediator_ids=[w.mediator_person.pk])
    entrustment = _entrusted_from(a, dispute)
    opinion = _issue(a, entrustment, django_capture_on_commit_callbacks)

    result = AppraisalResult.objects.get(dispute=dispute)
    assert result.case_code == opinion.case_code and result.kind == "司法鉴定意见书"
    assert result.institution == a.institution and result.institution_name == "北京朝阳司法鉴定所"
    assert result.issued_on.isoformat() == appraisal.verify(opinion.case_code)["issued_on"]
    # nothing personal came over: no party, entrusting party, matter or phone
    stored = repr(AppraisalResult.objects.values().get(pk=result.pk))
    for personal in ("王大明", "李小红", "13911112222", "伤残", "李明"):
        assert personal not in stored

    page = login_as(w.mediator).get(f"/console/mediation/{dispute.number}/")
    text = page.content.decode()
    assert page.status_code == 200 and "鉴定意见已出具" in text
    assert opinion.case_code in text and "北京朝阳司法鉴定所" in text
    assert f'href="/appraisal/verify?code={opinion.case_code}"' in text
    assert Client().get(f"/appraisal/verify?code={opinion.case_code}").status_code == 200

    # the dispute came in on a work order: its timeline tells the same
    order = dispute.work_order
    assert order is not None
    progress = order.events.filter(kind=EventKind.CASE_UPDATED).last()
    assert progress is not None and opinion.case_code in progress.note
    assert "鉴定意见已出具" in progress.data["case_status"]
    event = AuditEvent.objects.get(action="mediation.appraisal_recorded")
    assert event.detail["number"] == dispute.number and event.actor_label == "鉴调一体"


def test_a_dispute_without_a_work_order_gets_it_on_the_dispute(
    w: World,
    a: appraisal_world.World,
    django_capture_on_commit_callbacks: Any,
    login_as: Login,
) -> None:
    dispute = _screened_dispute(w)
    entrustment = _entrusted_from(a, dispute)
    opinion = _issue(a, entrustment, django_capture_on_commit_callbacks)
    supplement = _issue(a, entrustment, django_capture_on_commit_callbacks, kind="supplement")
    codes = list(dispute.appraisals.values_list("case_code", flat=True))
    assert codes == [opinion.case_code, supplement.case_code]
    text = login_as(w.head).get(f"/console/mediation/{dispute.number}/").content.decode()
    assert "补充鉴定意见书已出具" in text and supplement.case_code in text


def test_the_page_of_a_dispute_without_an_appraisal_has_no_such_section(
    w: World, login_as: Login
) -> None:
    dispute = citizen_dispute(w)
    text = login_as(w.head).get(f"/console/mediation/{dispute.number}/").content.decode()
    assert "鉴定意见已出具" not in text


def test_a_failing_handler_does_not_undo_the_opinion_and_is_logged(
    w: World,
    a: appraisal_world.World,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispute = _screened_dispute(w)
    entrustment = _entrusted_from(a, dispute)
    heard: list[dict[str, Any]] = []

    def broken(**payload: Any) -> None:
        heard.append(payload)
        raise RuntimeError("mediation is down")

    monkeypatch.setattr("fawang.mediation.services.appraisal.record_appraisal_result", broken)
    with caplog.at_level(logging.ERROR, logger="fawang.hooks"):
        opinion = _issue(a, entrustment, django_capture_on_commit_callbacks)
    # the opinion is committed and stands; the entrusting party was texted as usual
    assert Opinion.objects.filter(pk=opinion.pk).exists()
    entrustment.refresh_from_db()
    assert entrustment.status == EntrustmentStatus.COMPLETED
    assert appraisal.verify(opinion.verification_code)["signature_valid"] is True
    assert not dispute.appraisals.exists()
    assert any("appraisal.opinion_issued" in r.getMessage() for r in caplog.records)
    # the job failed and is recorded; run again (the worker or an operator), it records once
    monkeypatch.undo()
    record_appraisal_result(**heard[0])
    record_appraisal_result(**heard[0])
    assert list(dispute.appraisals.values_list("case_code", flat=True)) == [opinion.case_code]
    assert AuditEvent.objects.filter(action="mediation.appraisal_recorded").count() == 1


def test_a_court_entrustment_or_an_unknown_dispute_number_records_nothing(
    w: World, a: appraisal_world.World, django_capture_on_commit_callbacks: Any
) -> None:
    court = appraisal_world.entrust(a, mediation_ref="TJ20260101000901")  # court: not 鉴调一体
    _screened_dispute(w)
    appraisal.accept(court, [a.head_person.pk, a.second_person.pk], acting_user=a.head)
    _issue(a, court, django_capture_on_commit_callbacks)
    unknown = appraisal_world.entrust(a, entrusting_kind="mediation", mediation_ref="TJ00000000")
    appraisal.accept(unknown, [a.head_person.pk, a.second_person.pk], acting_user=a.head)
    _issue(a, unknown, django_capture_on_commit_callbacks)
    assert not AppraisalResult.objects.exists()
