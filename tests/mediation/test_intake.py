from __future__ import annotations

from datetime import date

import pytest

from fawang.audit.models import AuditEvent
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.mediation.models import Dispute, DisputeSource, DisputeStatus, Party, Screening
from fawang.mediation.services import (
    RiskIn,
    complete_screening,
    dispute_from_risk,
    generate_screenings,
)
from fawang.workorders.models import BusinessLine, Channel, WorkOrder
from tests.mediation.helpers import (
    build_world,
    citizen_dispute,
    court_dispute,
    dispute_in,
    mediator_account,
)

pytestmark = pytest.mark.django_db


def test_citizen_application_creates_a_work_order_and_a_dispute_for_the_township_committee() -> (
    None
):
    world = build_world()
    dispute = citizen_dispute(world)
    assert dispute.source == DisputeSource.CITIZEN
    assert dispute.status == DisputeStatus.NEW
    assert dispute.committee == world.committee
    assert dispute.citizen == world.citizen
    assert dispute.number.startswith("TJ")
    order = dispute.work_order
    assert order is not None
    assert order.channel == Channel.WEB and order.business_line == BusinessLine.MEDIATION
    assert AuditEvent.objects.filter(
        action="mediation.received", object_id=str(dispute.pk)
    ).exists()


def test_dispute_in_a_community_goes_to_its_village_committee() -> None:
    world = build_world()
    dispute = citizen_dispute(world, region_code=world.village_committee.region.code)
    assert dispute.committee == world.village_committee


def test_parties_phone_and_id_number_are_encrypted_and_masked() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    applicant = Party.objects.get(dispute=dispute, role="applicant")
    assert str(applicant.phone) == "139****2222"
    assert applicant.phone_hash
    assert "13911112222" not in applicant.phone.stored


@pytest.mark.parametrize("source", ["court", "police", "petition_office"])
def test_hand_off_creates_a_dispute_with_the_sender_reference(source: str) -> None:
    world = build_world()
    dispute = court_dispute(world, reference=f"REF-{source}", source=source)
    assert dispute.source == source
    assert dispute.external_ref == f"REF-{source}"
    assert dispute.sender == world.court
    assert dispute.work_order is not None and dispute.work_order.channel == Channel.REFERRAL


def test_same_hand_off_reference_twice_gives_the_same_dispute() -> None:
    world = build_world()
    first = court_dispute(world)
    second = court_dispute(world)
    assert first.pk == second.pk
    assert Dispute.objects.count() == 1


def test_screening_risk_becomes_a_dispute() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    screening = Screening.objects.get(unit=world.village_committee)
    village_mediator, _ = mediator_account(world.village_committee)
    complete_screening(
        screening,
        acting_user=village_mediator,
        notes="走访12户",
        risks=[
            RiskIn(description="两户因停车位争执", dispute_type="neighbour", parties="赵某、钱某")
        ],
    )
    risk = screening.risks.get()
    dispute = dispute_from_risk(risk, acting_user=village_mediator)
    assert dispute.source == DisputeSource.SCREENING
    assert dispute.committee == world.village_committee
    risk.refresh_from_db()
    assert risk.dispute == dispute


def test_bad_dispute_type_is_refused_and_nothing_saved() -> None:
    world = build_world()
    with pytest.raises(InvalidInput) as error:
        citizen_dispute(world, dispute_type="alien")
    assert error.value.field == "dispute_type"
    assert not Dispute.objects.exists() and not WorkOrder.objects.exists()


def test_bad_respondent_phone_is_refused_and_nothing_saved() -> None:
    from fawang.mediation.services import PartyIn

    world = build_world()
    with pytest.raises(InvalidInput) as error:
        citizen_dispute(world, respondents=[PartyIn(name="王强", phone="12345")])
    assert error.value.field == "respondents.0.phone"
    assert not Dispute.objects.exists() and not WorkOrder.objects.exists()


def test_staff_cannot_apply_as_a_citizen() -> None:
    world = build_world()
    from fawang.mediation.services import apply_for_mediation

    with pytest.raises(PermissionDenied):
        apply_for_mediation(dispute_in(), acting_user=world.mediator)


def test_citizen_cannot_send_a_hand_off() -> None:
    world = build_world()
    from fawang.mediation.services import hand_off_dispute

    with pytest.raises(PermissionDenied):
        hand_off_dispute(dispute_in(source="court", external_ref="X"), acting_user=world.citizen)
    assert not Dispute.objects.exists()
