"""Entrustment rules: licensed field, appraisers qualified and two per case, conflict of
interest, time limits and the extension, coded opinions, signature, complaints and grade."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fawang.appraisal import services, signing
from fawang.appraisal.models import Entrustment, EntrustmentStatus, Opinion
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.sms import MemorySmsBackend
from fawang.policy.deadlines import due_day
from fawang.policy.workdays import is_workday
from tests.appraisal.helpers import World, account, build_world, entrust, entrustment_in, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def _working_days_between(start: Any, end: Any) -> int:
    from datetime import timedelta

    day, n = start, 0
    while day < end:
        day += timedelta(days=1)
        n += is_workday(day)
    return n


def test_entrustment_gets_a_number_and_a_7_working_day_acceptance_limit(w: World) -> None:
    e = entrust(w)
    assert e.number.startswith("JD") and e.status == EntrustmentStatus.RECEIVED
    start = timezone.localdate(e.received_at)
    assert _working_days_between(start, due_day(e.decide_by)) == 7


def test_a_field_the_institution_is_not_licensed_for_is_refused(w: World) -> None:
    with pytest.raises(InvalidInput) as error:
        entrust(w, field="environmental")
    assert error.value.code == "field_not_licensed" and "环境损害" in error.value.message
    with pytest.raises(InvalidInput) as unknown:
        entrust(w, field="astrology")
    assert unknown.value.code == "unknown_field"
    assert not Entrustment.objects.exists()


def test_bad_input_is_refused_with_a_chinese_message(w: World) -> None:
    for overrides, field in (
        ({"entrusting_phone": "12"}, "entrusting_phone"),
        ({"matter": " "}, "matter"),
        ({"fee_estimate": "abc"}, "fee_estimate"),
        ({"entrusting_kind": "mafia"}, "entrusting_kind"),
        ({"entrusting_kind": "mediation"}, "mediation_ref"),
    ):
        with pytest.raises(InvalidInput) as error:
            entrust(w, **overrides)
        assert error.value.field == field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error.value.message)


def test_only_the_institutions_appraisers_register_entrustments(w: World) -> None:
    with pytest.raises(PermissionDenied):
        services.entrust(entrustment_in(w), acting_user=w.outsider)
    with pytest.raises(PermissionDenied):
        services.entrust(entrustment_in(w), acting_user=w.district_bureau)


def test_acceptance_needs_two_appraisers_licensed_in_the_field(w: World) -> None:
    e = entrust(w)
    with pytest.raises(InvalidInput) as one:
        services.accept(e, [w.head_person.pk], acting_user=w.head)
    assert one.value.code == "too_few_appraisers"
    with pytest.raises(InvalidInput) as unlicensed:
        services.accept(e, [w.head_person.pk, w.dna_only.pk], acting_user=w.head)
    assert unlicensed.value.code == "not_qualified"
    e.refresh_from_db()
    assert e.status == EntrustmentStatus.RECEIVED
    services.accept(e, [w.head_person.pk, w.second_person.pk], acting_user=w.head)
    e.refresh_from_db()
    assert e.status == EntrustmentStatus.ACCEPTED
    assert _working_days_between(timezone.localdate(e.decided_at), due_day(e.opinion_due_at)) == 30


def test_an_appraiser_of_another_institution_is_not_qualified(w: World) -> None:
    from fawang.core.models import Practitioner

    e = entrust(w)
    other = Practitioner.objects.get(user=w.outsider)
    with pytest.raises(InvalidInput):
        services.accept(e, [w.head_person.pk, other.pk], acting_user=w.head)


def test_an_appraiser_who_is_a_party_must_withdraw(w: World) -> None:
    e = entrust(w, parties=[w.second_person.name, "李小红"])
    with pytest.raises(Conflict) as error:
        services.accept(e, [w.head_person.pk, w.second_person.pk], acting_user=w.head)
    assert (
        error.value.code == "conflict_of_interest" and w.second_person.name in error.value.message
    )


def test_refusal_records_the_reason_and_is_final(w: World) -> None:
    e = entrust(w)
    services.refuse(e, "鉴定材料不真实", acting_user=w.appraiser)
    e.refresh_from_db()
    assert e.status == EntrustmentStatus.REFUSED and e.refused_reason == "鉴定材料不真实"
    with pytest.raises(Conflict):
        services.accept(e, [w.head_person.pk, w.second_person.pk], acting_user=w.head)


def test_the_head_extends_once(w: World) -> None:
    e = entrust(w)
    services.accept(e, [w.head_person.pk, w.second_person.pk], acting_user=w.head)
    e.refresh_from_db()
    before = due_day(e.opinion_due_at)
    with pytest.raises(PermissionDenied):
        services.extend(e, "疑难", acting_user=w.appraiser)
    services.extend(e, "涉及复杂技术问题", acting_user=w.head)
    e.refresh_from_db()
    assert _working_days_between(before, due_day(e.opinion_due_at)) == 30
    with pytest.raises(Conflict) as again:
        services.extend(e, "再延", acting_user=w.head)
    assert again.value.code == "no_more_extensions"


def test_opinion_gets_unique_codes_a_signature_and_an_sms(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opinion = issued(w)
    assert opinion.case_code.startswith("JD110000FL") and opinion.case_code.endswith("Y")
    texts = [text for _phone, text in MemorySmsBackend.outbox]
    assert any(opinion.case_code in t and opinion.verification_code in t for t in texts)
    assert bytes(opinion.document).startswith(b"%PDF")
    assert opinion.algorithm == "sm2-sm3"
    assert signing.verifies(
        bytes(opinion.document), opinion.signature, opinion.public_key, opinion.algorithm
    )
    e = opinion.entrustment
    e.refresh_from_db()
    assert e.status == EntrustmentStatus.COMPLETED
    supplement = services.issue_opinion(e, "supplement", "补充：十级。", acting_user=w.head)
    correction = services.issue_opinion(e, "correction", "补正笔误。", acting_user=w.appraiser)
    codes = {opinion.case_code, supplement.case_code, correction.case_code}
    checks = {opinion.verification_code, supplement.verification_code, correction.verification_code}
    assert len(codes) == 3 and len(checks) == 3
    assert supplement.case_code.endswith("B") and correction.case_code.endswith("G")


def test_case_codes_are_unique_across_institutions(w: World) -> None:
    codes = {issued(w).case_code for _ in range(3)}
    _, first = account(w.other, ["forensic_clinical"])
    _, second = account(w.other, ["forensic_clinical"])
    e = services.entrust(entrustment_in(w, institution_id=w.other.pk), acting_user=w.outsider)
    services.accept(e, [first.pk, second.pk], acting_user=w.outsider)
    first_user = first.user
    assert first_user is not None
    codes.add(services.issue_opinion(e, "opinion", "意见", acting_user=first_user).case_code)
    assert len(codes) == 4 == Opinion.objects.count()


def test_a_supplement_needs_an_opinion_first_and_only_assigned_appraisers_issue(w: World) -> None:
    e = entrust(w)
    services.accept(e, [w.head_person.pk, w.second_person.pk], acting_user=w.head)
    with pytest.raises(Conflict):
        services.issue_opinion(e, "supplement", "补充", acting_user=w.head)
    from fawang.core.models import User

    dna_user = User.objects.create(username="dna", role="appraiser", institution=w.institution)
    w.dna_only.user = dna_user
    w.dna_only.save()
    with pytest.raises(PermissionDenied):
        services.issue_opinion(e, "opinion", "意见", acting_user=dna_user)


def test_public_verification_shows_nothing_personal(w: World) -> None:
    opinion = issued(w)
    shown = services.verify(opinion.verification_code.replace("-", "").lower())
    assert shown["case_code"] == opinion.case_code
    assert shown["institution"] == "北京朝阳司法鉴定所"
    assert set(shown["appraiser_licences"]) == {
        w.head_person.licence_number,
        w.second_person.licence_number,
    }
    assert shown["status_label"] == "有效" and shown["signature_valid"] is True
    text = repr(shown)
    for personal in ("王大明", "李小红", "人民法院", "13911112222", "伤残", w.head_person.name):
        assert personal not in text
    assert services.verify(opinion.case_code)["case_code"] == opinion.case_code
    with pytest.raises(NotFound):
        services.verify("AAAA-BBBB-CCCC")
    with pytest.raises(InvalidInput):
        services.verify("123")


def test_withdrawn_shows_as_withdrawn_and_only_the_bureau_in_region_withdraws(w: World) -> None:
    opinion = issued(w)
    with pytest.raises(PermissionDenied):
        services.withdraw_opinion(opinion, "错误", acting_user=w.haidian_bureau)
    services.withdraw_opinion(opinion, "鉴定程序违法", acting_user=w.district_bureau)
    assert services.verify(opinion.verification_code)["status_label"] == "已撤回"


def test_valid_complaint_rate_and_grade(w: World) -> None:
    for _ in range(4):
        issued(w)
    assert services.integrity(w.institution).grade == "A"
    complaint = services.receive_complaint(
        w.institution.pk, "王大明", "鉴定超期", acting_user=w.district_bureau
    )
    with pytest.raises(PermissionDenied):
        services.decide_complaint(complaint, "valid", "属实", acting_user=w.haidian_bureau)
    services.decide_complaint(complaint, "valid", "属实", acting_user=w.district_bureau)
    with pytest.raises(Conflict):
        services.decide_complaint(complaint, "invalid", "再议", acting_user=w.district_bureau)
    other = services.receive_complaint(
        w.institution.pk, "李小红", "态度", acting_user=w.district_bureau
    )
    services.decide_complaint(other, "invalid", "不成立", acting_user=w.district_bureau)
    grade = services.integrity(w.institution)
    assert grade.valid_complaints == 1 and grade.opinions == 4
    assert grade.valid_complaint_rate == 25.0
    assert grade.score == 95 and grade.grade == "A"
    services.record_sanction(w.institution.pk, "警告", acting_user=w.district_bureau)
    grade = services.integrity(w.institution)
    assert grade.score == 75 and grade.grade == "B"


def test_review_sample_is_reproducible_scored_once_and_moves_the_grade(w: World) -> None:
    from fawang.appraisal.models import OpinionReview

    for _ in range(5):
        issued(w)
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        services.draw_review_sample(w.institution.pk, year, acting_user=w.haidian_bureau)
    reviews = services.draw_review_sample(w.institution.pk, year, acting_user=w.district_bureau)
    assert len(reviews) == 3  # 5% of 5 is less than the minimum of 3
    first = {r.opinion_id for r in reviews}
    with pytest.raises(Conflict):
        services.draw_review_sample(w.institution.pk, year, acting_user=w.district_bureau)
    OpinionReview.objects.all().delete()
    again = services.draw_review_sample(w.institution.pk, year, acting_user=w.district_bureau)
    assert {r.opinion_id for r in again} == first  # the same institution and year: same sample
    with pytest.raises(InvalidInput) as bad:
        services.score_review(again[0], 101, "x", "评议组", acting_user=w.district_bureau)
    assert bad.value.code == "bad_score"
    services.score_review(
        again[0], 55, "鉴定依据引用错误", "张三、李四", acting_user=w.district_bureau
    )
    with pytest.raises(Conflict):
        services.score_review(again[0], 80, "再评", "张三", acting_user=w.district_bureau)
    grade = services.integrity(w.institution)
    assert grade.failed_reviews == 1 and grade.score == 90


def test_a_verification_code_starting_with_jd_is_still_a_verification_code(w: World) -> None:
    opinion = issued(w)
    Opinion.objects.filter(pk=opinion.pk).update(verification_code="JDAB-CDEF-GHJK")
    assert services.verify("JDABCDEFGHJK")["case_code"] == opinion.case_code
