"""The one visit in the office calendar, the one-visit share, document review on a reproducible
sample, complaints and faults, the office grade."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.notary import selectors, services
from fawang.notary.models import ComplaintStatus, DocumentReview
from tests.notary.helpers import World, apply, build_world, issue, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_booking_respects_office_capacity_and_time(w: World) -> None:
    entry = slot(w.office, capacity=1)
    first, second = apply(w, "gift"), apply(w, "gift")
    services.book_visit(first, entry.pk, acting_user=w.citizen)
    with pytest.raises(Conflict) as full:
        services.book_visit(second, entry.pk, acting_user=w.citizen)
    assert full.value.code == "slot_full"
    with pytest.raises(InvalidInput):
        services.book_visit(second, slot(w.other_office).pk, acting_user=w.citizen)
    past = slot(w.office, days=-1)
    with pytest.raises(InvalidInput):
        services.book_visit(second, past.pk, acting_user=w.citizen)
    services.cancel_booking(first, acting_user=w.citizen)
    services.book_visit(second, entry.pk, acting_user=w.citizen)


def test_only_the_head_adds_calendar_entries(w: World) -> None:
    start = timezone.now() + timedelta(days=5)
    with pytest.raises(PermissionDenied):
        services.add_slot(
            w.office, "circuit", start, start + timedelta(hours=3), "某村", 5, acting_user=w.notary
        )
    entry = services.add_slot(
        w.office,
        "circuit",
        start,
        start + timedelta(hours=3),
        "怀柔区某村村委会",
        5,
        acting_user=w.head,
    )
    assert entry.get_kind_display() == "巡回办证"
    with pytest.raises(InvalidInput):
        services.add_slot(w.office, "weekend", start, start, "处", 5, acting_user=w.head)


def test_visit_count_and_one_visit_share(w: World) -> None:
    once = issue(w, apply(w))
    services.record_visit(once, "签字", acting_user=w.notary)
    twice = apply(w)
    services.record_visit(twice, "提交材料", acting_user=w.notary)
    services.record_visit(twice, "签字", acting_user=w.notary)
    issue(w, twice)
    figures = selectors.office_figures(w.office)
    assert figures.done == 2 and figures.one_visit_share == 50.0


def test_review_sample_is_reproducible_and_scored(w: World) -> None:
    for _ in range(6):
        issue(w, apply(w))
    today = timezone.localdate()
    drawn = services.draw_review_sample(today, today, "2026Q4", acting_user=w.city_bureau)
    assert len(drawn) == 3  # the pack minimum (5% of 6 is less)
    same = [r.matter_id for r in drawn]
    DocumentReview.objects.all().delete()
    again = services.draw_review_sample(today, today, "2026Q4", acting_user=w.city_bureau)
    assert [r.matter_id for r in again] == same
    with pytest.raises(Conflict):
        services.draw_review_sample(today, today, "2026Q4", acting_user=w.city_bureau)
    with pytest.raises(PermissionDenied):
        services.draw_review_sample(today, today, "x", acting_user=w.head)
    with pytest.raises(InvalidInput):
        services.score_review(again[0], 101, "好", acting_user=w.city_bureau)
    services.score_review(again[0], 95, "证据充分，程序规范。", acting_user=w.city_bureau)
    assert selectors.office_grade(w.office).review_average == 95.0
    with pytest.raises(InvalidInput):
        services.draw_review_sample(
            today, today - timedelta(days=1), "y", acting_user=w.city_bureau
        )


def test_grade_follows_reviews_complaints_revocations_and_faults(w: World) -> None:
    matter = issue(w, apply(w))
    assert selectors.office_grade(w.office).grade == "B"  # 80 without reviews
    today = timezone.localdate()
    review = services.draw_review_sample(today, today, "s", acting_user=w.district_bureau)[0]
    services.score_review(review, 96, "规范", acting_user=w.district_bureau)
    assert selectors.office_grade(w.office).grade == "A"
    complaint = services.file_complaint(
        w.office.pk, "态度恶劣", matter_code=matter.code, acting_user=w.citizen
    )
    with pytest.raises(PermissionDenied):
        services.decide_complaint(complaint, True, "成立", acting_user=w.haidian_bureau)
    services.decide_complaint(
        complaint, True, "经调查属实，责令整改。", acting_user=w.district_bureau
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UPHELD
    grade = selectors.office_grade(w.office)
    assert grade.score == 91.0 and grade.grade == "A"
    services.revoke_certificate(matter.certificate, "内容与事实不符", acting_user=w.notary)
    grade = selectors.office_grade(w.office)
    assert (grade.score, grade.grade, grade.revocations) == (81.0, "B", 1)
    services.record_fault(
        w.notary.practitioner.pk,
        "未核实委托人身份",
        "警告，追偿损失",
        matter_code=matter.code,
        acting_user=w.district_bureau,
    )
    with pytest.raises(InvalidInput):
        services.record_fault(
            w.notary.practitioner.pk, "x", "y", matter_code="nope", acting_user=w.district_bureau
        )
    grade = selectors.office_grade(w.office)
    assert (grade.score, grade.grade, grade.faults) == (76.0, "B", 1)
    other = services.file_complaint(w.office.pk, "收费不透明", acting_user=w.citizen)
    services.decide_complaint(other, True, "属实", acting_user=w.district_bureau)
    assert selectors.office_grade(w.office).grade == "C"  # 71
