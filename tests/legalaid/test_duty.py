from __future__ import annotations

import pytest
from django.utils import timezone

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.legalaid import services
from fawang.legalaid.models import DutyHelp
from tests.legalaid.helpers import AidWorld, build_aid_world

pytestmark = pytest.mark.django_db
PLACE = "北京市朝阳区看守所"


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def test_a_duty_lawyer_records_the_help_given(world: AidWorld) -> None:
    shift = services.add_duty_shift(
        world.senior,
        place_kind="detention_centre",
        place_name=PLACE,
        on_date=timezone.localdate(),
        acting_user=world.officer,
    )
    services.record_duty_help(
        shift, person_name="周某", kind="plea_presence", acting_user=world.provider_user
    )
    assert DutyHelp.objects.get().get_kind_display() == "认罪认罚具结在场"


def test_another_lawyer_cannot_record_help_on_someone_elses_shift(world: AidWorld) -> None:
    shift = services.add_duty_shift(
        world.senior,
        place_kind="court",
        place_name="北京市朝阳区人民法院",
        on_date=timezone.localdate(),
        acting_user=world.officer,
    )
    with pytest.raises(PermissionDenied):
        services.record_duty_help(
            shift, person_name="周某", kind="legal_advice", acting_user=world.junior_user
        )
    assert DutyHelp.objects.count() == 0


def test_an_excluded_provider_is_not_put_on_duty(world: AidWorld) -> None:
    services.exclude_provider(world.senior, reason="不会见", acting_user=world.officer)
    world.senior.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.add_duty_shift(
            world.senior,
            place_kind="detention_centre",
            place_name=PLACE,
            on_date=timezone.localdate(),
            acting_user=world.officer,
        )


def test_the_duty_roster_api_lists_shifts_with_help_counts(
    world: AidWorld, login_as: object
) -> None:
    client = login_as(world.officer)  # type: ignore[operator]
    response = client.post(
        "/api/v1/legal-aid/duty-shifts",
        {
            "provider_id": world.senior.pk,
            "place_kind": "detention_centre",
            "place_name": PLACE,
            "on_date": str(timezone.localdate()),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    shift_id = response.json()["id"]
    lawyer = login_as(world.provider_user)  # type: ignore[operator]
    help_response = lawyer.post(
        f"/api/v1/legal-aid/duty-shifts/{shift_id}/helps",
        {"person_name": "周某", "kind": "legal_advice"},
        content_type="application/json",
    )
    assert help_response.status_code == 201
    rows = lawyer.get("/api/v1/legal-aid/duty-shifts").json()
    assert [(row["place_name"], row["helps"]) for row in rows] == [(PLACE, 1)]
