from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import InstitutionKind, MediationLevel, PractitionerKind
from fawang.mediation import selectors
from fawang.mediation.models import CommitteeMembership, TalentPoolEntry, TrainingRecord
from fawang.mediation.services import (
    MemberIn,
    add_to_talent_pool,
    elect_committee,
    open_featured_room,
    record_training,
    set_membership,
)
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_institution, make_practitioner, make_staff
from tests.mediation.helpers import build_world, mediator_account

pytestmark = pytest.mark.django_db


def short_names(user) -> list[str]:  # type: ignore[no-untyped-def]
    committees = selectors.committees_for_user(user)
    return [row.committee.name for row in selectors.quota_rows(committees) if row.falls_short]


def test_quota_shortfalls_list_township_and_industry_committees_below_quota() -> None:
    world = build_world()
    industry = make_institution(
        CHAOYANG,
        InstitutionKind.MEDIATION_COMMITTEE,
        name="朝阳区物业纠纷人民调解委员会",
        mediation_level=MediationLevel.INDUSTRY,
    )
    mediator_account(industry)
    mediator_account(industry)
    # Jianwai: 2 full-time (meets 2); Chaowai: 1 (short of 2); industry: 2 (short of 3);
    # the village committee has none, but its quota applies only "where possible".
    assert sorted(short_names(world.district_bureau)) == sorted(
        [world.other_committee.name, industry.name]
    )
    rows = {
        r.committee.pk: r
        for r in selectors.quota_rows(selectors.committees_for_user(world.district_bureau))
    }
    assert rows[industry.pk].short_by == 1
    assert rows[world.village_committee.pk].short_by == 1
    assert not rows[world.village_committee.pk].falls_short


def test_membership_marks_a_part_time_mediator_full_time_for_the_quota() -> None:
    world = build_world()
    person = make_practitioner(world.other_committee, PractitionerKind.MEDIATOR, is_full_time=False)
    assert world.other_committee.name in short_names(world.district_bureau)
    set_membership(world.other_committee, person, acting_user=world.district_bureau, full_time=True)
    assert world.other_committee.name not in short_names(world.district_bureau)


def test_mediator_cannot_change_memberships() -> None:
    world = build_world()
    with pytest.raises(PermissionDenied):
        set_membership(
            world.committee, world.mediator_person, acting_user=world.head, full_time=False
        )
    assert CommitteeMembership.objects.get(mediator=world.mediator_person).full_time


def test_training_days_add_up_per_year() -> None:
    world = build_world()
    record_training(
        world.mediator_person,
        acting_user=world.district_bureau,
        held_on=date(2026, 3, 1),
        days="3",
        topic="民法典",
    )
    record_training(
        world.mediator_person,
        acting_user=world.district_bureau,
        held_on=date(2026, 9, 1),
        days="2",
        topic="心理疏导",
    )
    record_training(
        world.mediator_person,
        acting_user=world.district_bureau,
        held_on=date(2025, 9, 1),
        days="4",
        topic="旧",
    )
    days = selectors.training_days([world.mediator_person.pk], 2026)
    assert days[world.mediator_person.pk] == 5


def test_training_of_zero_days_is_refused() -> None:
    world = build_world()
    with pytest.raises(InvalidInput):
        record_training(
            world.mediator_person,
            acting_user=world.district_bureau,
            held_on=date(2026, 3, 1),
            days="0",
            topic="x",
        )
    assert not TrainingRecord.objects.exists()


def test_featured_room_is_named_after_its_mediator() -> None:
    world = build_world()
    room = open_featured_room(
        world.mediator_person,
        acting_user=world.district_bureau,
        name=f"{world.mediator_person.name}调解工作室",
        opened_on=date(2026, 6, 1),
    )
    assert room.committee == world.committee and room.region == world.committee.region


def test_foreign_related_talent_needs_a_language() -> None:
    world = build_world()
    city = make_staff("supervisor_city", region_code=BEIJING)
    with pytest.raises(InvalidInput):
        add_to_talent_pool(
            world.mediator_person, acting_user=city, tier="expert", foreign_related=True
        )
    entry = add_to_talent_pool(
        world.mediator_person,
        acting_user=city,
        tier="expert",
        foreign_related=True,
        languages=["英语"],
    )
    assert TalentPoolEntry.objects.get().languages == ["英语"] and entry.foreign_related


def test_roster_flags_training_short_and_grading_due() -> None:
    world = build_world()
    membership = CommitteeMembership.objects.get(mediator=world.mediator_person)
    membership.grade, membership.grade_date = "second", date(2024, 2, 29)
    membership.save()
    TrainingRecord.objects.create(
        mediator=world.mediator_person, held_on=date(2026, 5, 1), days=5, topic="t"
    )
    rows = {row.mediator.pk: row for row in selectors.roster(world.committee, date(2026, 2, 27))}
    row = rows[world.mediator_person.pk]
    assert row.training_met and not row.grade_due
    later = {r.mediator.pk: r for r in selectors.roster(world.committee, date(2026, 2, 28))}
    assert later[world.mediator_person.pk].grade_due  # graded 29 Feb 2024, every 2 years
    head = rows[world.head.practitioner.pk]
    assert head.is_head and head.grade_due and not head.training_met


def test_committee_page_shows_the_roster_and_hides_other_committees(login_as: Any) -> None:
    world = build_world()
    client = login_as(world.mediator)
    page = client.get(f"/console/mediation/committees/{world.committee.pk}/").content.decode()
    assert world.mediator_person.name in page and "主任" in page
    assert (
        client.get(f"/console/mediation/committees/{world.other_committee.pk}/").status_code == 404
    )


def _mediators(committee, genders: str) -> list[Any]:  # type: ignore[no-untyped-def]
    return [
        make_practitioner(committee, kind=PractitionerKind.MEDIATOR, gender=gender)
        for gender in genders
    ]


def test_arts_8_9_a_committee_has_three_to_nine_members_a_woman_and_a_three_year_term() -> None:
    """人民调解法 第八条: 委员三至九人，设主任一人，应当有妇女成员; 第九条: 每届任期三年."""
    world = build_world()
    committee = world.committee
    bureau = world.district_bureau

    def elect(people, head: int = 0, start: date | None = date(2026, 1, 1)):  # type: ignore[no-untyped-def]
        return elect_committee(
            committee,
            [MemberIn(mediator=p, is_head=i == head) for i, p in enumerate(people)],
            term_start=start,
            acting_user=bureau,
        )

    for people, code in (
        (_mediators(committee, "MF"), "member_count"),  # two: too few
        (_mediators(committee, "MFMFMFMFMF"), "member_count"),  # ten: too many
        (_mediators(committee, "MMM"), "woman_member"),  # no woman
    ):
        with pytest.raises(InvalidInput) as error:
            elect(people)
        assert error.value.code == code
    with pytest.raises(InvalidInput) as error:
        elect(_mediators(committee, "MFM"), head=-1)
    assert error.value.code == "one_head"
    three = _mediators(committee, "MFM")
    saved = elect(three)
    assert len(saved) == 3 and all(m.is_member for m in saved)
    assert saved[0].term_end == date(2028, 12, 31)  # 1 Jan 2026 + three years
    # The next term: members not re-elected stop being members.
    elect([*three[1:], *_mediators(committee, "F")], start=date(2029, 1, 1))
    assert not CommitteeMembership.objects.get(committee=committee, mediator=three[0]).is_member
    with pytest.raises(PermissionDenied):
        elect_committee(committee, [], term_start=date(2026, 1, 1), acting_user=world.mediator)
