"""Committees' people: memberships, training, featured rooms, the talent pool."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    Region,
    User,
)
from fawang.core.validation import clean_choice, clean_text
from fawang.mediation.models import (
    CommitteeMembership,
    FeaturedRoom,
    MediatorGrade,
    TalentPoolEntry,
    TalentTier,
    TrainingRecord,
)
from fawang.mediation.services._common import _require_bureau_over

# --- committees' people -----------------------------------------------------------------------


def set_membership(
    committee: Institution,
    mediator: Practitioner,
    *,
    acting_user: User,
    full_time: bool,
    is_head: bool = False,
    grade: str = MediatorGrade.NONE,
    grade_date: date | None = None,
) -> CommitteeMembership:
    if committee.kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise InvalidInput("只能为人民调解委员会设置成员。", code="bad_kind", field="committee")
    if mediator.kind != PractitionerKind.MEDIATOR:
        raise InvalidInput("只能添加人民调解员。", code="bad_kind", field="mediator")
    grade = clean_choice(grade, MediatorGrade.values, "grade", "调解员等级")
    _require_bureau_over(acting_user, committee.region)
    with transaction.atomic():
        if is_head and (
            CommitteeMembership.objects.filter(committee=committee, is_head=True, active=True)
            .exclude(mediator=mediator)
            .exists()
        ):
            # 人民调解法 第八条: 设主任一人 — a new head comes with the committee's election.
            raise Conflict(
                "人民调解委员会设主任一人，请通过委员推选更换主任。",
                code="one_head",
                field="is_head",
            )
        membership, _ = CommitteeMembership.objects.update_or_create(
            committee=committee,
            mediator=mediator,
            defaults={
                "full_time": full_time,
                "is_head": is_head,
                "grade": grade,
                "grade_date": grade_date,
                "active": True,
            },
        )
        record_event(
            "mediation.membership_set",
            actor=acting_user,
            obj=membership,
            detail={"full_time": full_time, "is_head": is_head, "grade": grade},
        )
    return membership


# 人民调解法 第八条: 人民调解委员会由委员三至九人组成，设主任一人…应当有妇女成员; 第九条: 委员每届任期三年.
MIN_MEMBERS, MAX_MEMBERS, TERM_YEARS = 3, 9, 3


@dataclass(frozen=True)
class MemberIn:
    mediator: Practitioner
    is_head: bool = False
    full_time: bool = False


def elect_committee(
    committee: Institution,
    members: Sequence[MemberIn],
    *,
    term_start: date | None,
    acting_user: User,
) -> list[CommitteeMembership]:
    """Set a committee's members (委员) for a term, as 人民调解法 第八条、第九条 require: three to
    nine members, one head (主任), at least one woman, a three-year term. The previous term's
    members who are not re-elected stop being members (they may stay on as mediators)."""
    if committee.kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise InvalidInput("只能为人民调解委员会设置委员。", code="bad_kind", field="committee")
    _require_bureau_over(acting_user, committee.region)
    if term_start is None:
        raise InvalidInput("请填写本届任期起始日期。", code="required", field="term_start")
    ids = [member.mediator.pk for member in members]
    if len(set(ids)) != len(ids):
        raise InvalidInput("委员名单中有重复人员。", code="duplicate", field="members")
    if not MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
        raise InvalidInput(
            f"人民调解委员会由委员{MIN_MEMBERS}至{MAX_MEMBERS}人组成（人民调解法第八条），"
            f"名单为{len(members)}人。",
            code="member_count",
            field="members",
        )
    if sum(member.is_head for member in members) != 1:
        raise InvalidInput(
            "人民调解委员会设主任一人（人民调解法第八条）。", code="one_head", field="members"
        )
    if not any(member.mediator.gender == "F" for member in members):
        raise InvalidInput(
            "人民调解委员会应当有妇女成员（人民调解法第八条）。",
            code="woman_member",
            field="members",
        )
    if any(member.mediator.kind != PractitionerKind.MEDIATOR for member in members):
        raise InvalidInput("委员应为人民调解员。", code="bad_kind", field="members")
    term_end = _years_after(term_start, TERM_YEARS) - timedelta(days=1)
    with transaction.atomic():
        CommitteeMembership.objects.filter(committee=committee, is_member=True).exclude(
            mediator_id__in=ids
        ).update(is_member=False, is_head=False, term_start=None, term_end=None)
        saved = []
        for member in members:
            membership, _ = CommitteeMembership.objects.update_or_create(
                committee=committee,
                mediator=member.mediator,
                defaults={
                    "is_member": True,
                    "is_head": member.is_head,
                    "full_time": member.full_time,
                    "term_start": term_start,
                    "term_end": term_end,
                    "active": True,
                },
            )
            saved.append(membership)
        record_event(
            "mediation.committee_elected",
            actor=acting_user,
            obj=committee,
            detail={"members": ids, "term_start": f"{term_start}", "term_end": f"{term_end}"},
        )
    return saved


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _mediator_region(mediator: Practitioner) -> Region:
    return mediator.institution.region


def record_training(
    mediator: Practitioner, *, acting_user: User, held_on: date, days: Any, topic: str
) -> TrainingRecord:
    topic = clean_text(topic, 200, "topic", "培训内容")
    try:
        amount = Decimal(str(days))
    except InvalidOperation:
        raise InvalidInput("培训天数应为数字。", code="bad_days", field="days") from None
    if not Decimal("0.5") <= amount <= Decimal("60"):
        raise InvalidInput("培训天数应在0.5到60天之间。", code="bad_days", field="days")
    _require_bureau_over(acting_user, _mediator_region(mediator))
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            mediator=mediator, held_on=held_on, days=amount, topic=topic
        )
        record_event(
            "mediation.training_recorded",
            actor=acting_user,
            obj=record,
            detail={"mediator": mediator.pk, "days": str(amount)},
        )
    return record


def open_featured_room(
    mediator: Practitioner,
    *,
    acting_user: User,
    name: str,
    opened_on: date,
    specialty: str = "",
) -> FeaturedRoom:
    name = clean_text(name, 100, "name", "调解室名称")
    specialty = clean_text(specialty, 100, "specialty", "特色领域", required=False)
    committee = mediator.institution
    _require_bureau_over(acting_user, committee.region)
    if FeaturedRoom.objects.filter(name=name).exists():
        raise Conflict("已有同名调解室。", code="duplicate", field="name")
    with transaction.atomic():
        room = FeaturedRoom.objects.create(
            name=name,
            mediator=mediator,
            committee=committee,
            region=committee.region,
            opened_on=opened_on,
            specialty=specialty,
        )
        record_event("mediation.room_opened", actor=acting_user, obj=room, detail={"name": name})
    return room


def add_to_talent_pool(
    mediator: Practitioner,
    *,
    acting_user: User,
    tier: str,
    foreign_related: bool = False,
    languages: Sequence[str] = (),
    expertise: str = "",
) -> TalentPoolEntry:
    tier = clean_choice(tier, TalentTier.values, "tier", "人才类别")
    expertise = clean_text(expertise, 200, "expertise", "擅长领域", required=False)
    languages = [clean_text(lang, 30, "languages", "外语") for lang in languages]
    if foreign_related and not languages:
        raise InvalidInput("涉外调解人才请填写外语。", code="required", field="languages")
    _require_bureau_over(acting_user, _mediator_region(mediator))
    with transaction.atomic():
        entry, _ = TalentPoolEntry.objects.update_or_create(
            mediator=mediator,
            defaults={
                "tier": tier,
                "foreign_related": foreign_related,
                "languages": languages,
                "expertise": expertise,
                "selected_on": timezone.localdate(),
            },
        )
        record_event("mediation.talent_added", actor=acting_user, obj=entry, detail={"tier": tier})
    return entry
