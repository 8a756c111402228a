from __future__ import annotations

import pytest
from django.http import Http404

from fawang.core.errors import PermissionDenied
from fawang.mediation import selectors
from fawang.mediation.models import DisputeStatus, MediationSession
from fawang.mediation.services import assign_dispute, record_session
from tests.factories import make_citizen, make_staff
from tests.mediation.helpers import build_world, citizen_dispute, court_dispute

pytestmark = pytest.mark.django_db


def test_mediator_outside_the_committee_cannot_see_its_disputes() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    assert not selectors.disputes_for_user(world.outsider).exists()
    with pytest.raises(Http404):
        selectors.get_dispute_for_user(world.outsider, dispute.number)


def test_mediator_of_the_committee_sees_its_disputes() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    assert selectors.get_dispute_for_user(world.mediator, dispute.number) == dispute


def test_outside_mediator_cannot_act_on_the_dispute_and_nothing_changes() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    with pytest.raises(PermissionDenied):
        assign_dispute(
            dispute, acting_user=world.outsider, mediator_ids=[world.outsider.practitioner.pk]
        )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.NEW and not dispute.mediators.exists()


def test_outside_mediator_cannot_record_a_session() -> None:
    from django.utils import timezone

    world = build_world()
    dispute = assign_dispute(
        citizen_dispute(world), acting_user=world.head, mediator_ids=[world.mediator_person.pk]
    )
    with pytest.raises(PermissionDenied):
        record_session(
            dispute,
            acting_user=world.outsider,
            held_at=timezone.now(),
            place="x",
            attendance="x",
            notes="x",
        )
    assert not MediationSession.objects.exists()


def test_citizen_sees_only_their_own_disputes() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    other = make_citizen(region_code="110105001000")
    assert list(selectors.disputes_for_user(world.citizen)) == [dispute]
    assert not selectors.disputes_for_user(other).exists()


def test_sender_sees_its_hand_off_and_another_integration_does_not() -> None:
    world = build_world()
    dispute = court_dispute(world)
    police = make_staff("hotline_seat", region_code="110105000000")
    assert selectors.get_dispute_for_user(world.court, dispute.number) == dispute
    with pytest.raises(Http404):
        selectors.get_dispute_for_user(police, dispute.number)


def test_bureau_of_another_district_cannot_see_the_dispute() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    haidian = make_staff("supervisor_district", region_code="110108000000")
    assert selectors.get_dispute_for_user(world.district_bureau, dispute.number) == dispute
    with pytest.raises(Http404):
        selectors.get_dispute_for_user(haidian, dispute.number)
