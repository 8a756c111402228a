"""The notary's flow: one notice, unified code, deadlines with pauses, approval, fee, visits,
certificate and revocation, and bad input refused with nothing saved."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.notary import services
from fawang.notary.catalogue import APOSTILLE, CONSULAR, DOMESTIC
from fawang.notary.models import (
    CertificateStatus,
    FeeGroup,
    MaterialsNotice,
    MatterStatus,
    NotarialMatter,
    Pause,
    PauseReason,
)
from fawang.policy.workdays import working_days_after
from fawang.workorders.models import BusinessLine, Channel, WorkOrder
from tests.notary.helpers import World, all_files, apply, build_world, issue, pdf

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w() -> World:
    return build_world()


def test_complete_application_is_a_work_order_and_a_matter_without_notice(w: World) -> None:
    matter = apply(w)
    assert matter.work_order.business_line == BusinessLine.NOTARIZATION
    assert matter.work_order.channel == Channel.WEB
    assert matter.status == MatterStatus.SUBMITTED
    assert not MaterialsNotice.objects.filter(matter=matter).exists()
    assert all(m.provided for m in matter.materials.all())


def test_window_application_is_a_window_order(w: World) -> None:
    matter = apply(w, user=w.window)
    assert matter.channel == Channel.WINDOW and matter.applicant is None


def test_missing_items_are_told_once_all_of_them(w: World) -> None:
    files = all_files("succession", skip=("death_cert", "heirs_list"))
    matter = apply(w, "succession", files=files)
    notice = MaterialsNotice.objects.get(matter=matter)
    assert [e["item"] for e in notice.items] == ["death_cert", "heirs_list"]
    assert [e["label"] for e in notice.items] == [
        "被继承人死亡证明",
        "全部继承人名单及身份证件",
    ]
    # A second notice is refused: the applicant is told once.
    with pytest.raises(Conflict) as refused:
        services.notify_missing(matter, ["property_proof"], "", acting_user=w.notary)
    assert refused.value.code == "already_notified"
    assert MaterialsNotice.objects.filter(matter=matter).count() == 1


def test_notary_review_notice_lists_everything_and_pauses_the_clock(w: World) -> None:
    matter = apply(w)
    services.accept(matter, acting_user=w.notary)
    services.notify_missing(matter, ["birth_cert", "photo"], "照片不清晰", acting_user=w.notary)
    matter.refresh_from_db()
    assert [p.reason for p in matter.open_pauses()] == [PauseReason.MATERIALS]
    with pytest.raises(Conflict):
        services.conclude_review(matter, acting_user=w.notary)
    services.upload_material(matter, "birth_cert", pdf(), acting_user=w.citizen)
    assert matter.open_pauses()  # one item still missing
    services.upload_material(matter, "photo", pdf("p.png"), acting_user=w.citizen)
    matter.refresh_from_db()
    assert matter.open_pauses() == []
    assert MaterialsNotice.objects.get(matter=matter).completed_at is not None
    services.conclude_review(matter, acting_user=w.notary)


def test_unified_code_scheme_and_uniqueness(w: World) -> None:
    codes = [apply(w).code for _ in range(5)]
    codes.append(apply(w, office_id=w.haidian_office.pk).code)
    assert len(set(codes)) == len(codes)
    pattern = re.compile(r"^(\d{6})GZ(\d{4})\d{4}\d{6}$")
    for code in codes[:5]:
        match = pattern.match(code)
        assert match and match.group(1) == "110105"
    assert codes[-1].startswith("110108GZ")
    year = str(NotarialMatter.objects.get(code=codes[0]).submitted_at.astimezone(TZ).year)
    assert pattern.match(codes[0]).group(2) == year  # type: ignore[union-attr]


def test_deadline_is_fifteen_working_days_moved_by_pauses(w: World) -> None:
    matter = apply(w)
    services.accept(matter, acting_user=w.notary)
    # Fix the dates: accepted Monday 2026-03-02; verification outside Wed 4 → Mon 9 March.
    accepted = datetime(2026, 3, 2, 10, tzinfo=TZ)
    NotarialMatter.objects.filter(pk=matter.pk).update(accepted_at=accepted)
    matter.refresh_from_db()
    services.refresh_due(matter)
    assert matter.due_at == working_days_after(accepted, 15)
    Pause.objects.create(
        matter=matter,
        reason=PauseReason.VERIFICATION,
        started_at=datetime(2026, 3, 4, 9, tzinfo=TZ),
        ended_at=datetime(2026, 3, 9, 9, tzinfo=TZ),
    )
    # Working days after Wed 4 up to Mon 9: Thu 5, Fri 6, Mon 9 = 3.
    assert services.paused_working_days(matter) == 3
    services.refresh_due(matter)
    assert matter.due_at == working_days_after(accepted, 18)
    # A pause before acceptance is not counted.
    Pause.objects.create(
        matter=matter,
        reason=PauseReason.MATERIALS,
        started_at=datetime(2026, 2, 20, tzinfo=TZ),
        ended_at=datetime(2026, 3, 2, 9, tzinfo=TZ),
    )
    assert services.paused_working_days(matter) == 3


def test_pause_and_resume_through_the_services(w: World) -> None:
    matter = apply(w)
    services.accept(matter, acting_user=w.notary)
    services.pause(matter, PauseReason.VERIFICATION, "外出核实出生登记", acting_user=w.notary)
    with pytest.raises(Conflict):
        services.pause(matter, PauseReason.VERIFICATION, "再次", acting_user=w.notary)
    with pytest.raises(InvalidInput):
        services.pause(matter, "holiday", "假期", acting_user=w.notary)
    services.resume(matter, PauseReason.VERIFICATION, acting_user=w.notary)
    assert not NotarialMatter.objects.get(pk=matter.pk).open_pauses()


def test_second_notary_approves_where_the_rules_ask(w: World) -> None:
    matter = apply(w, "will", files=all_files("will"))
    assert matter.needs_approval
    services.accept(matter, acting_user=w.notary)
    services.conclude_review(matter, acting_user=w.notary)
    assert NotarialMatter.objects.get(pk=matter.pk).status == MatterStatus.AWAITING_APPROVAL
    with pytest.raises(PermissionDenied):
        services.approve(matter, acting_user=w.notary)
    with pytest.raises(PermissionDenied):
        services.approve(matter, acting_user=w.outsider)
    services.approve(matter, acting_user=w.second_notary)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.APPROVED and matter.approved_by == w.second_notary


def test_unpaid_fee_blocks_the_certificate_and_legal_aid_waives_it(w: World) -> None:
    matter = apply(w)
    services.accept(matter, acting_user=w.notary)
    services.conclude_review(matter, acting_user=w.notary)
    matter.refresh_from_db()
    assert matter.fee_amount == Decimal("200.00")
    with pytest.raises(Conflict) as refused:
        services.issue_certificate(matter, acting_user=w.notary)
    assert refused.value.code == "unpaid"
    waived = apply(w, fee_group=FeeGroup.LEGAL_AID)
    services.accept(waived, acting_user=w.notary)
    services.conclude_review(waived, acting_user=w.notary)
    assert services.issue_certificate(waived, acting_user=w.notary).status == "valid"
    special = apply(w, fee_group=FeeGroup.SPECIAL)
    assert services.accept(special, acting_user=w.notary).fee_amount == Decimal("100.00")


def test_in_person_matter_needs_its_visit_and_video_can_replace_it(w: World) -> None:
    matter = apply(w, "gift", files=all_files("gift"))
    services.accept(matter, acting_user=w.notary)
    services.conclude_review(matter, acting_user=w.notary)
    services.approve(matter, acting_user=w.second_notary)
    services.record_payment(matter, acting_user=w.notary)
    with pytest.raises(Conflict) as refused:
        services.issue_certificate(matter, acting_user=w.notary)
    assert refused.value.code == "no_visit"
    with pytest.raises(Conflict):
        services.start_video(matter, ["张秀兰"], acting_user=w.notary)  # gift: no video
    services.record_visit(matter, "签字及身份核验", acting_user=w.notary)
    services.issue_certificate(matter, acting_user=w.notary)

    entrust = apply(w, "entrustment", files=all_files("entrustment"))
    services.accept(entrust, acting_user=w.notary)
    services.conclude_review(entrust, acting_user=w.notary)
    services.record_payment(entrust, acting_user=w.notary)
    session = services.start_video(entrust, ["张秀兰", "公证员"], acting_user=w.notary)
    assert session.backend == "local" and session.ended_at is None
    with pytest.raises(Conflict):
        services.issue_certificate(entrust, acting_user=w.notary)
    ended = services.end_video(session, acting_user=w.notary)
    assert ended.recording_ref.startswith("local-recording:")
    services.issue_certificate(entrust, acting_user=w.notary)
    assert entrust.visits.count() == 0


def test_issue_deliver_archive_and_revoke(w: World) -> None:
    matter = issue(w, apply(w))
    certificate = matter.certificate
    assert re.match(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", certificate.verification_code)
    assert matter.code in certificate.number
    services.deliver(matter, "electronic", acting_user=w.notary)
    services.archive(matter, acting_user=w.notary)
    assert NotarialMatter.objects.get(pk=matter.pk).status == MatterStatus.ARCHIVED
    with pytest.raises(InvalidInput):
        services.revoke_certificate(certificate, "  ", acting_user=w.notary)
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(certificate, "材料虚假", acting_user=w.outsider)
    services.revoke_certificate(certificate, "当事人提供虚假证明材料", acting_user=w.notary)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    with pytest.raises(Conflict):
        services.revoke_certificate(certificate, "再次", acting_user=w.notary)


def test_refusal_gives_reason_and_route_to_object(w: World) -> None:
    matter = apply(w)
    with pytest.raises(InvalidInput) as missing:
        services.refuse(matter, "", acting_user=w.notary)
    assert missing.value.field == "reason" and "理由" in missing.value.message
    services.refuse(matter, "当事人之间对申请公证的事项有争议", acting_user=w.notary)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.REFUSED
    assert "有争议" in matter.refused_reason and "复查" in matter.refused_reason
    with pytest.raises(Conflict):
        services.accept(matter, acting_user=w.notary)


def test_route_by_destination(w: World) -> None:
    assert (
        apply(w, "education", files=all_files("education", abroad=True), destination="美国").route
        == APOSTILLE
    )
    assert apply(w, "education", destination="越南").route == CONSULAR
    assert apply(w, "education").route == DOMESTIC
    with pytest.raises(InvalidInput) as refused:
        apply(w, "will", destination="美国")
    assert refused.value.code == "not_abroad"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"matter_type": "tattoo"}, "matter_type"),
        ({"applicant_id_number": "110105198001011234"}, "applicant_id_number"),
        ({"purpose": ""}, "purpose"),
        ({"files": {"birth_cert": pdf("x.exe")}}, "material_birth_cert"),
        ({"office_id": 999999}, "office_id"),
        ({"destination": "火星"}, "destination"),
        ({"fee_group": "vip"}, "fee_group"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(
    w: World, overrides: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        apply(w, **overrides)
    assert refused.value.field == field
    assert re.search(r"[\u4e00-\u9fff]", refused.value.message)
    assert NotarialMatter.objects.count() == 0 and WorkOrder.objects.count() == 0


def test_work_order_follows_the_matter(w: World) -> None:
    from fawang.core.models import Region
    from fawang.workorders.models import DispatchRule, Status

    DispatchRule.objects.create(
        business_line=BusinessLine.NOTARIZATION,
        region=Region.objects.get(code="110105000000"),
        institution=w.office,
    )
    matter = apply(w)
    assert matter.work_order.status == Status.QUEUED
    services.accept(matter, acting_user=w.notary)
    order = WorkOrder.objects.get(pk=matter.work_order_id)
    assert order.status == Status.CLAIMED and order.assignee == w.notary
    services.conclude_review(matter, acting_user=w.notary)
    services.record_payment(matter, acting_user=w.notary)
    services.issue_certificate(matter, acting_user=w.notary)
    order.refresh_from_db()
    assert order.status == Status.REPLIED and "公证书已出具" in order.reply
    refused = apply(w)
    services.refuse(refused, "申请公证的事项不真实", acting_user=w.notary)
    order = WorkOrder.objects.get(pk=refused.work_order_id)
    assert order.status == Status.REPLIED and "不予办理" in order.reply


def test_overdue_matters_are_marked_once_and_pauses_hold_it(w: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    late, paused = apply(w), apply(w)
    for matter in (late, paused):
        services.accept(matter, acting_user=w.notary)
    services.pause(paused, PauseReason.VERIFICATION, "外地核实", acting_user=w.notary)
    NotarialMatter.objects.update(due_at=timezone.now() - timedelta(hours=1))
    assert services.mark_overdue() == [late.code]
    assert services.mark_overdue() == []
    late.refresh_from_db()
    assert late.overdue_marked_at is not None and late.is_overdue
    paused.refresh_from_db()
    assert paused.overdue_marked_at is None and not paused.is_overdue


def test_a_certificate_issued_in_time_is_not_overdue_when_delivered_late(w: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    matter = issue(w, apply(w))
    NotarialMatter.objects.filter(pk=matter.pk).update(
        due_at=matter.certificate.issued_at + timedelta(minutes=1)
    )
    services.deliver(matter, "post", acting_user=w.notary)
    matter.refresh_from_db()
    assert matter.closed_at == matter.certificate.issued_at and not matter.is_overdue
    NotarialMatter.objects.filter(pk=matter.pk).update(
        due_at=matter.certificate.issued_at - timedelta(minutes=1)
    )
    matter.refresh_from_db()
    assert matter.is_overdue and matter.delivered_at <= timezone.now()
